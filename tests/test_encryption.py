"""Encryption at rest: companion encrypt / decrypt, every command on an encrypted diary, and
what never happens (plain diary text in the data folder, a wrong passphrase writing)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from companion import passphrase
from companion.paths import BACKUP_DIR, DIARY_FILE
from companion.store import Store, cipher
from companion.targets import SQLITE_MAGIC
from companion.triage import Result

NOTE = "SECRETNOTE kept away from any file"
SECRET = "correct horse battery staple"
Cli = Callable[..., Any]


def write_secret(folder: Path, text: str = SECRET, name: str = "pass") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    return write_secret(tmp_path / "keys")


@pytest.fixture
def encrypted(home: Path, cli: Cli, secret: Path) -> Path:
    """A diary with two entries, a named backup and a daily one, then encrypted."""
    assert cli("log", "--pain", "5", "--notes", NOTE).code == 0
    assert cli("log", "--pain", "3", "--yesterday", "--notes", NOTE + " 2").code == 0
    assert cli("backup").code == 0
    done = cli("--passphrase-file", str(secret), "encrypt")
    assert done.code == 0, done.err
    return home


def rows(result: Any) -> int:
    """Entries in the output of 'companion list' to a pipe: a header, then a line each."""
    return len(result.out.splitlines()) - 1


def every_file(home: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file()}


def digests(home: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(b).hexdigest() for p, b in every_file(home).items()}


def assert_nothing_plain(home: Path) -> None:
    for path, data in every_file(home).items():
        assert NOTE.encode() not in data, path
        assert NOTE.encode("utf-16-le") not in data, path
        if path.name.endswith(".sqlite3"):
            assert not data.startswith(SQLITE_MAGIC), path


def test_encrypt_leaves_no_plain_diary_text_in_the_data_folder(
    encrypted: Path, cli: Cli, secret: Path
) -> None:
    assert cipher.encrypted(encrypted / DIARY_FILE)
    backups = sorted((encrypted / BACKUP_DIR).iterdir())
    # The daily, the named one, and the one taken just before encrypting: all encrypted.
    assert len(backups) == 3
    assert any(p.name.endswith("-encrypt.sqlite3") for p in backups)
    assert_nothing_plain(encrypted)
    listed = cli("--passphrase-file", str(secret), "list", "--all", "--json")
    assert listed.code == 0, listed.err
    assert sorted(e["notes"] for e in json.loads(listed.out)) == [NOTE, NOTE + " 2"]


def test_the_write_ahead_log_and_triage_results_are_encrypted(
    encrypted: Path, secret: Path
) -> None:
    from companion.entry import Entry
    from companion.triage_store import save_result

    with Store.open(encrypted, passphrase=SECRET) as store:
        store.add(Entry(date="2026-11-03", pain=2, notes=NOTE + " wal"))
        result = Result("self_care", (), (), None, {"note": NOTE})
        save_result(store, result)
        wal = encrypted / (DIARY_FILE + "-wal")
        assert wal.exists() and wal.stat().st_size > 0
        assert_nothing_plain(encrypted)
        assert store.read("SELECT count(*) FROM triage_results")[0][0] == 1


def test_every_command_works_on_an_encrypted_diary(
    encrypted: Path, cli: Cli, secret: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(passphrase.ENV_FILE, str(secret))
    assert cli("log", "--pain", "6", "--notes", NOTE + " 3").code == 0
    assert rows(cli("list", "--all")) == 3
    assert cli("alerts").code == 0
    csv_path = tmp_path / "out.csv"
    assert cli("export", "--csv", str(csv_path)).code == 0
    # Exports for a doctor are plain, as the export screen and the README say.
    assert NOTE.encode() in csv_path.read_bytes()
    html = tmp_path / "summary.html"
    assert cli("report", "--html", str(html)).code == 0
    assert html.read_text(encoding="utf-8").startswith("<!")
    copy = tmp_path / "copy.sqlite3"
    assert cli("backup", str(copy)).code == 0
    assert cipher.encrypted(copy) and NOTE.encode() not in copy.read_bytes()
    assert cli("import", str(csv_path)).code == 0
    restored = cli("restore", str(copy), "--yes")
    assert restored.code == 0, restored.err
    assert rows(cli("list", "--all")) == 3
    answers = tmp_path / "answers.json"
    answers.write_text("{}", encoding="utf-8")
    assert cli("triage", "--questions").code == 0
    assert_nothing_plain(encrypted)


def test_a_wrong_passphrase_is_one_line_exit_1_and_changes_no_byte(
    encrypted: Path, cli: Cli, tmp_path: Path
) -> None:
    wrong = write_secret(tmp_path / "other", "not the passphrase")
    before = digests(encrypted)
    for args in (
        ("list",),
        ("log", "--pain", "2"),
        ("backup",),
        ("export", "--csv", str(tmp_path / "x.csv")),
        ("restore", str(next((encrypted / BACKUP_DIR).iterdir())), "--yes"),
        ("decrypt",),
        ("encrypt",),
    ):
        result = cli("--passphrase-file", str(wrong), *args)
        assert result.code == 1, args
        assert result.err.count("\n") == 1 and "passphrase is wrong" in result.err, args
        assert NOTE not in result.err
        assert digests(encrypted) == before, args
    assert not (tmp_path / "x.csv").exists()


def test_without_a_passphrase_or_a_terminal_it_says_how_to_give_one(
    encrypted: Path, cli: Cli
) -> None:
    result = cli("list", stdin="")
    assert result.code == 1
    assert "--passphrase-file FILE" in result.err and result.err.count("\n") == 1
    assert str(encrypted / DIARY_FILE) in result.err


def test_a_passphrase_file_beside_the_diary_or_readable_by_others_is_refused(
    encrypted: Path, cli: Cli, tmp_path: Path
) -> None:
    inside = write_secret(encrypted)
    result = cli("--passphrase-file", str(inside), "list")
    assert result.code == 2 and "inside the data folder" in result.err
    open_file = write_secret(tmp_path / "shared")
    open_file.chmod(0o644)
    result = cli("--passphrase-file", str(open_file), "list")
    assert result.code == 2 and "chmod 600" in result.err


def test_decrypt_turns_the_diary_and_every_backup_back(
    encrypted: Path, cli: Cli, secret: Path
) -> None:
    done = cli("--passphrase-file", str(secret), "decrypt")
    assert done.code == 0, done.err
    assert "every one checked" in done.out
    files = [encrypted / DIARY_FILE, *(encrypted / BACKUP_DIR).iterdir()]
    assert all(p.read_bytes().startswith(SQLITE_MAGIC) for p in files)
    # A plain diary again, readable by any SQLite tool, every entry in it.
    conn = sqlite3.connect(encrypted / DIARY_FILE)
    assert sorted(r[0] for r in conn.execute("SELECT notes FROM entries")) == [NOTE, NOTE + " 2"]
    conn.close()
    assert "not encrypted" in cli("decrypt").out


def test_encrypt_asks_twice_on_the_terminal_and_two_different_answers_change_nothing(
    home: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("log", "--pain", "5", "--notes", NOTE).code == 0
    before = digests(home)
    answers = iter(["first passphrase", "second passphrase"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    result = cli("encrypt")
    assert result.code == 2 and "differ" in result.err
    assert "cannot be opened again" in result.err  # the warning comes before the question
    assert digests(home) == before

    answers = iter(["a good passphrase", "a good passphrase"])
    assert cli("encrypt").code == 0
    assert cipher.encrypted(home / DIARY_FILE)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_passphrase_is_asked_once_for_a_command(
    encrypted: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt="": asked.append(prompt) or SECRET)
    monkeypatch.setattr("sys.stdin", _Tty())
    result = cli("list", "--all")
    assert result.code == 0, result.err
    assert rows(result) == 2 and len(asked) == 1


def test_a_mix_up_between_encrypted_and_plain_backups_is_a_clear_message(
    encrypted: Path, cli: Cli, secret: Path, tmp_path: Path
) -> None:
    encrypted_copy = next((encrypted / BACKUP_DIR).iterdir())
    plain_home = tmp_path / "plain"
    assert cli("--home", str(plain_home), "log", "--pain", "1").code == 0
    into_plain = cli("--home", str(plain_home), "restore", str(encrypted_copy), "--yes")
    assert into_plain.code == 1 and "an encrypted backup" in into_plain.err
    plain_copy = tmp_path / "plain.sqlite3"
    assert cli("--home", str(plain_home), "backup", str(plain_copy)).code == 0
    before = digests(encrypted)
    into_encrypted = cli("--passphrase-file", str(secret), "restore", str(plain_copy), "--yes")
    assert into_encrypted.code == 1 and "not encrypted" in into_encrypted.err
    assert digests(encrypted) == before


def test_without_the_extra_an_encrypted_diary_is_one_line(
    encrypted: Path, cli: Cli, secret: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cipher, "available", lambda: False)
    result = cli("--passphrase-file", str(secret), "list")
    assert result.code == 1
    assert "companion[encrypt]" in result.err and result.err.count("\n") == 1
    assert "companion[encrypt]" in cli("encrypt").err


def test_encrypt_refuses_while_another_program_has_the_diary_open(
    home: Path, cli: Cli, secret: Path
) -> None:
    assert cli("log", "--pain", "5", "--notes", NOTE).code == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1])\n"
            "c.execute('SELECT count(*) FROM entries').fetchone()\n"
            "print('open', flush=True)\n"
            "time.sleep(30)\n",
            str(home / DIARY_FILE),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        result = cli("--passphrase-file", str(secret), "encrypt")
    finally:
        holder.kill()
        holder.wait()
    assert result.code == 1 and "open in another program" in result.err
    assert (home / DIARY_FILE).read_bytes().startswith(SQLITE_MAGIC)
    assert rows(cli("list", "--all")) == 1


def test_an_interrupted_encrypt_is_finished_by_running_it_again(
    encrypted: Path, cli: Cli, secret: Path, home: Path
) -> None:
    # What a run stopped after the diary but before the backups leaves: a plain backup.
    plain_home = home.parent / "plain-source"
    assert cli("--home", str(plain_home), "log", "--pain", "1", "--notes", NOTE).code == 0
    assert (
        cli("--home", str(plain_home), "backup", str(home / BACKUP_DIR / "old.sqlite3")).code == 0
    )
    again = cli("--passphrase-file", str(secret), "encrypt")
    assert again.code == 0, again.err
    assert "already encrypted and 1 backup" in again.out
    assert_nothing_plain(home)


RELEASE_DIARY = Path(__file__).parent / "data" / "diary-0.1.0.sqlite3"


def test_an_older_encrypted_diary_is_migrated_through_sqlcipher(tmp_path: Path) -> None:
    home = tmp_path / "old"
    home.mkdir(mode=0o700)
    source = cipher.connect(RELEASE_DIARY, "", isolation_level=None)
    source.execute("ATTACH DATABASE ? AS enc KEY ?", (str(home / DIARY_FILE), SECRET))
    source.execute("SELECT sqlcipher_export('enc')")
    source.close()
    plain = sqlite3.connect(RELEASE_DIARY)
    count = plain.execute("SELECT count(*) FROM entries").fetchone()[0]
    plain.close()
    with Store.open(home, passphrase=SECRET) as store:
        assert store.count() == count
    assert cipher.encrypted(home / DIARY_FILE)


def test_a_plain_diary_never_loads_sqlcipher(home: Path, cli: Cli) -> None:
    assert cli("log", "--pain", "5").code == 0
    code = (
        "import sys\n"
        "from companion.__main__ import main\n"
        f"main(['--home', {str(home)!r}, 'list'])\n"
        "print('sqlcipher3' in sys.modules, 'cryptography' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False False"


def test_the_keyring_is_used_only_when_asked_for(
    home: Path, cli: Cli, secret: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept: dict[tuple[str, str], str] = {}
    fake = type(sys)("keyring")
    fake.get_password = lambda service, user: kept.get((service, user))  # type: ignore[attr-defined]
    fake.set_password = lambda service, user, pw: kept.__setitem__((service, user), pw)  # type: ignore[attr-defined]
    fake.delete_password = lambda service, user: kept.pop((service, user))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", fake)
    assert cli("log", "--pain", "5", "--notes", NOTE).code == 0
    assert cli("--passphrase-file", str(secret), "encrypt").code == 0
    assert kept == {}
    assert cli("list", stdin="").code == 1  # not asked for: the keyring is not read
    assert cli("--passphrase-file", str(secret), "encrypt", "--keyring").code == 0
    assert list(kept.values()) == [SECRET]
    passphrase.forget()
    listed = cli("list", "--all", stdin="")
    assert listed.code == 0 and rows(listed) == 1
    # The note says where the passphrase is; it holds no secret.
    assert SECRET.encode() not in (home / passphrase.KEYRING_NOTE).read_bytes()
    assert cli("decrypt").code == 0
    assert kept == {} and not (home / passphrase.KEYRING_NOTE).exists()


def test_a_passphrase_with_quotes_and_accents_opens_the_diary(
    home: Path, cli: Cli, tmp_path: Path
) -> None:
    tricky = write_secret(tmp_path / "tricky", "it's a «clé» ✓ -- '; DROP TABLE entries; --")
    assert cli("log", "--pain", "5", "--notes", NOTE).code == 0
    assert cli("--passphrase-file", str(tricky), "encrypt").code == 0
    listed = cli("--passphrase-file", str(tricky), "list", "--all")
    assert listed.code == 0 and rows(listed) == 1
    assert_nothing_plain(home)


def test_a_passphrase_file_that_is_empty_or_not_text_is_one_line(
    encrypted: Path, cli: Cli, tmp_path: Path
) -> None:
    empty = write_secret(tmp_path / "empty", "")
    result = cli("--passphrase-file", str(empty), "list")
    assert result.code == 1 and "is empty" in result.err
    binary = tmp_path / "binary"
    binary.write_bytes(b"\xff\xfe\x00")
    binary.chmod(0o600)
    result = cli("--passphrase-file", str(binary), "list")
    assert result.code == 1 and "not UTF-8" in result.err
    result = cli("--passphrase-file", str(tmp_path / "missing"), "list")
    assert result.code == 2 and "no such passphrase file" in result.err


@pytest.mark.parametrize("given", ["--passphrase-file", "COMPANION_PASSPHRASE_FILE"])
def test_a_passphrase_file_under_an_unknown_users_home_is_one_line(
    encrypted: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    written = "~no-such-user-of-the-companion/passphrase"
    if given == "--passphrase-file":
        result = cli("--passphrase-file", written, "list")
    else:
        monkeypatch.setenv(passphrase.ENV_FILE, written)
        result = cli("list")
    assert result.code == 2
    assert result.err == f"companion: {written}: no such passphrase file\n"


def test_the_daily_backup_of_an_encrypted_diary_is_encrypted(encrypted: Path) -> None:
    for old in (encrypted / BACKUP_DIR).iterdir():
        old.unlink()
    with Store.open(encrypted, passphrase=SECRET) as store:
        assert store.count() == 2
    (daily,) = (encrypted / BACKUP_DIR).iterdir()
    assert daily.name.endswith("-daily.sqlite3")
    assert cipher.encrypted(daily)
    assert_nothing_plain(encrypted)


def test_a_failure_before_the_rename_leaves_the_diary_as_it_was(
    home: Path, cli: Cli, secret: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("log", "--pain", "5", "--notes", NOTE).code == 0
    real_replace = os.replace

    def fail_on_diary(source: Any, target: Any) -> None:
        if Path(target).name == DIARY_FILE:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr("companion.store.encryption.os.replace", fail_on_diary)
    result = cli("--passphrase-file", str(secret), "encrypt")
    assert result.code == 1 and "cannot write the converted copy" in result.err
    assert (home / DIARY_FILE).read_bytes().startswith(SQLITE_MAGIC)
    assert not list(home.glob(".*.part*"))
    monkeypatch.undo()
    assert rows(cli("list", "--all")) == 1
    assert cli("--passphrase-file", str(secret), "encrypt").code == 0


def test_a_diary_replaced_while_a_command_opens_it_is_not_written(
    home: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save that opened the diary just before encrypt renamed its copy into place would go
    to the file that was replaced: it says to try again instead of 'Saved'."""
    import shutil

    import companion.store.core

    assert cli("log", "--pain", "5").code == 0
    real_use_wal = companion.store.core._use_wal

    def replaced_meanwhile(conn: sqlite3.Connection) -> None:
        real_use_wal(conn)
        diary = home / DIARY_FILE
        shutil.copyfile(diary, home / "copy")
        os.replace(home / "copy", diary)

    monkeypatch.setattr(companion.store.core, "_use_wal", replaced_meanwhile)
    result = cli("log", "--pain", "6")
    assert result.code == 1 and "replaced while it was opened" in result.err
    monkeypatch.undo()
    assert rows(cli("list", "--all")) == 1


def test_every_connection_to_a_diary_file_is_made_where_it_can_be_keyed() -> None:
    """A file opened with the stdlib directly would be written plain beside an encrypted
    diary: connections go through companion/store/cipher.py (schema.py's is in memory; the
    nudge only reads, and an encrypted diary it cannot read leaves it silent)."""
    root = Path(__file__).resolve().parent.parent
    allowed = {root / f for f in ("companion/store/cipher.py", "companion/schema.py")}
    allowed.add(root / "companion/nudge.py")
    found = [
        path.relative_to(root)
        for folder in ("companion", "screens")
        for path in sorted((root / folder).rglob("*.py"))
        if path not in allowed and "sqlite3.connect(" in path.read_text(encoding="utf-8")
    ]
    assert found == []


def test_sync_folder_files_of_an_encrypted_diary_are_sealed(
    tmp_path: Path, secret: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from companion.__main__ import main
    from companion.sealed import MAGIC

    a, b, plain, shared = (tmp_path / n for n in ("a", "b", "plain", "shared"))
    key = ("--passphrase-file", str(secret))
    for home, note in ((a, NOTE), (b, "on the second computer")):
        assert main(["--home", str(home), "log", "--pain", "4", "--notes", note]) == 0
        assert main(["--home", str(home), *key, "encrypt"]) == 0
    assert main(["--home", str(a), *key, "sync", str(shared)]) == 0
    assert main(["--home", str(b), *key, "sync", str(shared)]) == 0
    assert main(["--home", str(a), *key, "sync"]) == 0
    written = sorted(shared.iterdir())
    assert len(written) == 2
    for path in written:
        data = path.read_bytes()
        assert data.startswith(MAGIC) and NOTE.encode() not in data, path
    for home in (a, b):
        with Store.open(home, passphrase=SECRET) as store:
            notes = {r[0] for r in store.read("SELECT notes FROM entries")}
        assert notes == {NOTE, "on the second computer"}
    # A diary that is not encrypted cannot read them, and says so instead of failing.
    capsys.readouterr()
    assert main(["--home", str(plain), "sync", str(shared)]) == 0
    out = capsys.readouterr().out
    assert out.count("sealed by an encrypted diary") == 2
    with Store.open(plain) as store:
        assert store.read("SELECT count(*) FROM entries") == [(0,)]


def test_the_nudge_reads_the_latest_date_only_if_the_person_chose_to_keep_it(
    home: Path, cli: Cli, secret: Path
) -> None:
    from companion import launch, nudge, paths

    assert nudge.LAST_DATE_FILE == paths.LAST_DATE_FILE
    kept = home / paths.LAST_DATE_FILE

    def nudged() -> str:
        out = io.StringIO()
        with redirect_stdout(out):
            assert launch.main(["--home", str(home), "nudge", "--any-time"]) == 0
        return out.getvalue()

    assert cli("log", "--pain", "4", "--yesterday", "--notes", NOTE).code == 0
    assert cli("--passphrase-file", str(secret), "encrypt").code == 0
    assert not kept.exists() and nudged() == ""  # not chosen: silent, nothing kept
    done = cli("--passphrase-file", str(secret), "encrypt", "--nudge-date")
    assert done.code == 0 and "latest entry is kept unencrypted" in done.out
    assert kept.read_text().strip() < nudge.diary_day(time.localtime())
    assert (kept.stat().st_mode & 0o777) == 0o600
    assert "nothing logged today" in nudged()
    assert cli("--passphrase-file", str(secret), "log", "--pain", "3").code == 0
    assert kept.read_text().strip() == nudge.diary_day(time.localtime())
    assert nudged() == ""
    assert NOTE.encode() not in kept.read_bytes()
    # Decrypted, the nudge reads the diary itself: the file goes.
    assert cli("--passphrase-file", str(secret), "decrypt").code == 0
    assert not kept.exists() and nudged() == ""
