"""``companion hook`` (the rc lines, run in a real shell) and ``companion remind`` (unit files
written and removed, or a crontab line printed), with a fake home and stub programs on PATH."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from companion.hook import snippet

needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="no bash here")


def stub(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def bash(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    bash_path = shutil.which("bash")
    assert bash_path is not None
    return subprocess.run(
        [bash_path, "--norc", "--noprofile", "-c", script],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)},
        check=False,
    )


@needs_bash
def test_bash_runs_the_nudge_at_the_first_prompt_then_once_an_hour(tmp_path: Path) -> None:
    folder = tmp_path / "it's a b"  # a quote and spaces in the program's path
    calls = tmp_path / "calls"
    program = stub(folder, "companion", f'echo "$@" >> "{calls}"; exit 3')
    rc = tmp_path / "rc"
    rc.write_text(snippet("bash", [str(program)], ["--after", "19:00"]))
    done = bash(
        "set -u\n"  # a strict shell: no unset variable may be read
        f'source "{rc}"; source "{rc}"\n'  # added twice to an rc file: runs once a prompt
        'false; eval "$PROMPT_COMMAND"; echo "status $?"\n'
        'eval "$PROMPT_COMMAND"\n'
        'SECONDS=3700; true; eval "$PROMPT_COMMAND"; echo "status $?"\n',
        tmp_path,
    )
    assert done.stderr == ""
    assert done.stdout == "status 1\nstatus 0\n"  # the prompt's $? is the command's
    assert calls.read_text() == "nudge --after 19:00\nnudge --after 19:00\n"


@needs_bash
def test_bash_keeps_a_prompt_command_list(tmp_path: Path) -> None:
    """Since bash 5.1 PROMPT_COMMAND may be a list: every command in it still runs."""
    calls = tmp_path / "calls"
    program = stub(tmp_path / "bin", "companion", f'echo nudge >> "{calls}"')
    rc = tmp_path / "rc"
    rc.write_text(snippet("bash", [str(program)], []))
    done = bash(
        f'PROMPT_COMMAND=("echo one >> {calls}" "echo two >> {calls}"); source "{rc}"\n'
        'for command in "${PROMPT_COMMAND[@]}"; do eval "$command"; done',
        tmp_path,
    )
    assert done.stderr == ""
    assert calls.read_text() == "nudge\none\ntwo\n"


@needs_bash
def test_bash_says_nothing_once_the_companion_is_gone(tmp_path: Path) -> None:
    rc = tmp_path / "rc"
    rc.write_text(snippet("bash", [str(tmp_path / "gone" / "companion")], []))
    done = bash(f'source "{rc}"; eval "$PROMPT_COMMAND"; echo "status $?"', tmp_path)
    assert (done.stdout, done.stderr) == ("status 0\n", "")


@needs_bash
def test_bash_says_nothing_once_the_companion_python_ran_is_gone(tmp_path: Path) -> None:
    """Hooked in as 'python -m companion': Python stays when the companion is uninstalled,
    and the prompt said 'No module named ...' every hour."""
    rc = tmp_path / "rc"
    rc.write_text(snippet("bash", [sys.executable, "-m", "companion_uninstalled"], []))
    done = bash(f'source "{rc}"; eval "$PROMPT_COMMAND"; echo "status $?"', tmp_path)
    assert (done.stdout, done.stderr) == ("status 0\n", "")


@needs_bash
def test_bash_runs_the_nudge_through_python_while_the_companion_is_there(
    tmp_path: Path,
) -> None:
    rc = tmp_path / "rc"
    rc.write_text(snippet("bash", [sys.executable, "-m", "companion"], ["--help"]))
    done = bash(f'source "{rc}"; eval "$PROMPT_COMMAND"', tmp_path)
    assert done.stdout.startswith("usage: companion nudge")


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_run_the_nudge_at_a_prompt(tmp_path: Path, shell: str) -> None:
    program = stub(tmp_path / "a b", "companion", f'echo "$@" >> "{tmp_path / "calls"}"')
    text = snippet(shell, [str(program)], ["--any-time"])
    quoted = f"'{program}'"
    assert f"{quoted} nudge --any-time" in text
    found = shutil.which(shell)
    if found is None:
        return  # the text is checked; running it needs the shell
    rc = tmp_path / "rc"
    rc.write_text(text)
    trigger = "_companion_nudge" if shell == "zsh" else "emit fish_prompt"
    subprocess.run(
        [found, "-c", f"source {rc}; {trigger}; {trigger}"],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=True,
        timeout=30,
    )
    assert (tmp_path / "calls").read_text() == "nudge --any-time\n"


def test_fish_quotes_backslashes_and_quotes() -> None:
    text = snippet("fish", ["/opt/it's\\here/companion"], [])
    assert "'/opt/it\\'s\\\\here/companion' nudge" in text


def test_hook_prints_the_lines_with_the_options_given(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("hook", "bash", "--after", "7:30")
    assert result.code == 0
    assert result.out.startswith("# Add these lines to ~/.bashrc:\n")
    home = tmp_path / "home"
    assert f"nudge --home {home} --after 07:30; fi" in result.out
    assert cli("hook", "tcsh").code == 2
    bad = cli("hook", "zsh", "--after", "19h")
    assert bad.code == 2 and bad.err.count("\n") == 1 and "HH:MM" in bad.err
    assert cli("hook", "zsh", "--after", "19:00", "--any-time").code == 2


# --- remind ------------------------------------------------------------------------------


@pytest.fixture
def desktop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake home and config folder, and a PATH of stubs only; returns the stubs' folder."""
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "user" / "config"))
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    return bin_dir


def systemctl(bin_dir: Path, *, fails: str = "") -> Path:
    """A systemctl that logs its arguments, and exits 1 for the subcommand ``fails``."""
    log = bin_dir.parent / "systemctl.log"
    stub(
        bin_dir,
        "systemctl",
        f'echo "$@" >> "{log}"\n[ "$2" = "{fails}" ] && exit 1\nexit 0',
    )
    return log


def units(tmp_path: Path) -> Path:
    return tmp_path / "user" / "config" / "systemd" / "user"


def test_remind_installs_a_user_timer_and_off_removes_it(  # type: ignore[no-untyped-def]
    cli, desktop: Path, tmp_path: Path
) -> None:
    log = systemctl(desktop)
    stub(desktop, "notify-send", "exit 0")
    result = cli("remind", "--at", "20:15")
    assert result.code == 0, result.err
    timer = units(tmp_path) / "companion-remind.timer"
    service = units(tmp_path) / "companion-remind.service"
    assert "OnCalendar=*-*-* 20:15:00\n" in timer.read_text()
    exec_start = next(
        line for line in service.read_text().splitlines() if line.startswith("ExecStart=")
    )
    home = tmp_path / "home"
    assert exec_start.endswith(f'"--home" "{home}" "nudge" "--any-time" "--notify"')
    assert stat.S_IMODE(timer.stat().st_mode) == stat.S_IMODE(service.stat().st_mode) == 0o600
    assert log.read_text().splitlines() == [
        "--user show-environment",
        "--user daemon-reload",
        "--user enable --now companion-remind.timer",
    ]
    assert "notify-send" not in result.out
    assert "20:15" in cli("remind").out

    # Again at another time: replaced, not added.
    assert cli("remind", "--at", "08:00").code == 0
    assert "OnCalendar=*-*-* 08:00:00\n" in timer.read_text()
    assert sorted(p.name for p in units(tmp_path).iterdir()) == [service.name, timer.name]

    log.write_text("")
    off = cli("remind", "--off")
    assert off.code == 0 and "Reminder removed" in off.out
    assert list(units(tmp_path).iterdir()) == []
    assert log.read_text().splitlines() == [
        "--user disable --now companion-remind.timer",
        "--user daemon-reload",
    ]
    assert "No reminder" in cli("remind").out


def test_without_systemd_the_crontab_line_is_printed_and_no_crontab_touched(  # type: ignore[no-untyped-def]
    cli, desktop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crontab_log = tmp_path / "crontab.log"
    stub(desktop, "crontab", f'echo "$@" >> "{crontab_log}"')
    systemctl(desktop, fails="show-environment")  # installed, but no manager for this user
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus")
    result = cli("remind", "--at", "21:05")
    assert result.code == 0, result.err
    line = result.out.splitlines()[2]
    home = tmp_path / "home"
    assert line.startswith("5 21 * * * DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus ")
    assert line.endswith(f" --home {home} nudge --any-time --notify # companion reminder")
    assert "notify-send was not found" in result.out
    assert not crontab_log.exists()
    assert not units(tmp_path).exists()
    off = cli("remind", "--off")
    assert off.code == 0 and "crontab -e" in off.out
    assert not crontab_log.exists()


def test_no_systemctl_at_all_gives_the_crontab_line(cli, desktop: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("remind", "--at", "06:00")
    assert result.code == 0
    assert result.out.splitlines()[2].startswith("0 6 * * * ")


def test_a_timer_systemd_refuses_leaves_nothing_behind(  # type: ignore[no-untyped-def]
    cli, desktop: Path, tmp_path: Path
) -> None:
    systemctl(desktop, fails="enable")
    result = cli("remind", "--at", "20:00")
    assert result.code == 1
    assert result.err == (
        "companion: systemd could not start the timer (systemctl exit 1); nothing was installed\n"
    )
    assert list(units(tmp_path).iterdir()) == []


def test_a_new_time_systemd_refuses_keeps_the_reminder_set_before(  # type: ignore[no-untyped-def]
    cli, desktop: Path, tmp_path: Path
) -> None:
    systemctl(desktop)
    assert cli("remind", "--at", "08:00").code == 0
    systemctl(desktop, fails="enable")
    assert cli("remind", "--at", "20:00").code == 1
    assert "OnCalendar=*-*-* 08:00:00\n" in (units(tmp_path) / "companion-remind.timer").read_text()
    assert "08:00" in cli("remind").out


def test_percent_and_dollar_in_paths_stay_literal(  # type: ignore[no-untyped-def]
    cli, desktop: Path, tmp_path: Path
) -> None:
    """systemd reads %h and $HOME in ExecStart, cron reads % as a line break."""
    systemctl(desktop)
    home = tmp_path / "100%$HOME"
    assert cli("--home", str(home), "remind", "--at", "20:00").code == 0
    service = (units(tmp_path) / "companion-remind.service").read_text()
    assert f'"{tmp_path}/100%%$$HOME"' in service
    os.remove(desktop / "systemctl")
    line = cli("--home", str(home), "remind", "--at", "20:00").out.splitlines()[2]
    assert f"'{tmp_path}/100\\%$HOME'" in line


def test_remind_at_needs_a_time(cli, desktop: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("remind", "--at", "8pm")
    assert result.code == 2 and "HH:MM" in result.err
    assert cli("remind", "--at", "20:00", "--off").code == 2


@pytest.mark.parametrize("command", [("hook", "bash"), ("remind", "--at", "20:00")])
def test_a_data_folder_named_with_a_control_character_is_refused(  # type: ignore[no-untyped-def]
    cli, desktop: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """A line break in the folder's name split the timer's ExecStart (a second line of the
    unit) and the crontab line; an escape went to the terminal as it was."""
    systemctl(desktop)
    weird = tmp_path / "diary\n[Service]\x1b]0;x\x07"
    result = cli(command[0], "--home", str(weird), *command[1:])
    assert result.code == 2
    assert result.out == ""
    assert "\x1b" not in result.err and len(result.err.strip().splitlines()) == 1
    assert "--home" in result.err
    assert not units(tmp_path).exists()


def test_hook_refuses_the_home_folder_of_an_unknown_user_as_remind_does(  # type: ignore[no-untyped-def]
    cli, desktop: Path
) -> None:
    """A hook for '~name' of a user this computer does not know would nudge about a folder
    that can never hold a diary: the same one line as every other command instead."""
    systemctl(desktop)
    written = "~no-such-user-of-the-companion/diary"
    for command in (("hook", "bash"), ("remind", "--at", "20:00")):
        result = cli(command[0], "--home", written, *command[1:])
        assert result.code == 2, command
        assert result.out == ""
        assert result.err.startswith(f"companion: {written}: no home folder is known")
