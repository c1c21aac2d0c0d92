"""``companion nudge``, ``hook`` and ``remind``: keeping the diary day by day."""

from __future__ import annotations

import argparse
import os
from typing import Any

from companion.terminal import safe_text, unsafe_char


def clock_arg(text: str) -> tuple[int, int]:
    """argparse type for a time of day: HH:MM, or a one-line usage error."""
    from companion.nudge import parse_clock

    try:
        return parse_clock(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a time of day as HH:MM, such as 20:00") from None


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    from companion.hook import SHELLS
    from companion.nudge import DEFAULT_AFTER

    # The command itself never reaches this parser when run as installed (companion.launch
    # starts it first, parsing its own few options); this entry lists it in --help and
    # hands its words on unparsed when the program is called another way.
    nudge = sub.add_parser(
        "nudge",
        help=f"one line when nothing is logged today (after {DEFAULT_AFTER}); for the shell",
        add_help=False,
        prefix_chars="\0",
    )
    nudge.add_argument("words", nargs="*")
    nudge.set_defaults(func=cmd_nudge)

    hook = sub.add_parser(
        "hook",
        parents=[common],
        help="print the lines for your shell's rc file that run 'companion nudge'",
        description=(
            "Print the lines to add to your shell's rc file: they run 'companion nudge' when "
            "the shell starts, then at most once an hour at a prompt."
        ),
    )
    hook.add_argument("shell", choices=SHELLS, help="your shell")
    when = hook.add_mutually_exclusive_group()
    when.add_argument(
        "--after",
        type=clock_arg,
        metavar="HH:MM",
        help=f"the nudge only from this time of day on (default {DEFAULT_AFTER})",
    )
    when.add_argument("--any-time", action="store_true", help="the nudge whatever the time")
    hook.set_defaults(func=cmd_hook)

    remind = sub.add_parser(
        "remind",
        parents=[common],
        help="a daily desktop notification when nothing is logged that day",
        description=(
            "Install a daily reminder: at the time, a desktop notification (notify-send) if "
            "nothing is logged that day. A systemd user timer where systemd is available; "
            "otherwise the crontab line is printed for you to add. Without options, say what "
            "is installed."
        ),
    )
    what = remind.add_mutually_exclusive_group()
    what.add_argument("--at", type=clock_arg, metavar="HH:MM", help="the time, every day")
    what.add_argument("--off", action="store_true", help="remove the reminder")
    remind.set_defaults(func=cmd_remind)


def cmd_nudge(args: argparse.Namespace) -> int:
    from companion.nudge import main

    home = getattr(args, "home", None)
    return main([*(["--home", home] if home else []), "nudge", *args.words])


def cmd_hook(args: argparse.Namespace) -> int:
    from companion.hook import RC_FILES, snippet
    from companion.paths import home_folder
    from companion.program import program_words

    options: list[str] = []
    home = getattr(args, "home", None)
    if home:
        options += ["--home", plain_folder(os.path.abspath(home_folder(home)))]
    if args.after is not None:
        options += ["--after", f"{args.after[0]:02d}:{args.after[1]:02d}"]
    if args.any_time:
        options.append("--any-time")
    print(f"# Add these lines to {RC_FILES[args.shell]}:")
    print(snippet(args.shell, program_words(), options), end="")
    return 0


def cmd_remind(args: argparse.Namespace) -> int:
    from companion import remind

    if args.off:
        removed = remind.remove()
        if removed:
            print(f"Reminder removed ({', '.join(safe_text(str(p)) for p in removed)}).")
        else:
            print("No reminder timer is installed.")
        print(
            "If you added the crontab line, remove it with 'crontab -e': it ends with "
            f"'{remind.CRON_MARK}'."
        )
        return 0
    if args.at is None:
        at = remind.scheduled()
        print(f"A reminder is set for {at} every day." if at else "No reminder timer is installed.")
        return 0
    from companion.paths import home_dir
    from companion.program import program_words

    home = home_dir(getattr(args, "home", None)).absolute()
    plain_folder(str(home))
    command = remind.nudge_command(program_words(keep_name=False), home)
    installed = remind.install(args.at, command)
    time_text = f"{args.at[0]:02d}:{args.at[1]:02d}"
    if installed.files:
        print(f"Reminder set for {time_text} every day, as a systemd user timer:")
        for path in installed.files:
            print(f"  {safe_text(str(path))}")
        print("'companion remind --off' removes it.")
    else:
        print("systemd is not running for your user here, so add this line with 'crontab -e'")
        print(f"(a reminder at {time_text} every day; the companion never edits your crontab):")
        print(safe_text(installed.cron_line))
    if not _has_notify_send():
        print(
            "notify-send was not found: the notification needs it (often in a package named "
            "libnotify-bin or libnotify)."
        )
    return 0


def plain_folder(path: str) -> str:
    """The data folder's name, to be written into an rc file, a timer or a crontab line: one
    with a line break or an escape in it would split the line it goes on, or reach the
    terminal, so it is refused."""
    if unsafe_char(path) is not None:
        from companion.errors import UsageError

        raise UsageError(
            f"--home {safe_text(path)}: a folder whose name holds a line break or a control "
            "character cannot go into a shell's rc file, a timer or a crontab; use another"
        )
    return path


def _has_notify_send() -> bool:
    import shutil

    return shutil.which("notify-send") is not None
