"""companion sync: what travels, conflicts kept and restored, files private, junk survived."""

from __future__ import annotations

import io
import json
import os
import stat
from contextlib import redirect_stderr, redirect_stdout
from datetime import date, timedelta
from pathlib import Path

import pytest
from sync_homes import Home, diary, homes

from companion import alerts, followups
from companion.__main__ import main
from companion.computer import COMPUTER_FILE, computer_id
from companion.entry import Entry
from companion.errors import StoreError
from companion.store import Store
from companion.store import sync as store_sync
from companion.sync import folder as files
from companion.triage import Result
from companion.triage_store import save_result


def run(home: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--home", str(home), *args])
    return code, out.getvalue(), err.getvalue()


def pains(h: Home) -> dict[str, int]:
    return {r[0]: r[1] for r in h.store.read("SELECT id, pain FROM entries")}


# --- the command line -----------------------------------------------------------------------


def test_an_entry_logged_on_one_computer_arrives_on_the_other(tmp_path: Path) -> None:
    a, b, shared = tmp_path / "a", tmp_path / "b", tmp_path / "shared"
    assert run(a, "log", "--pain", "6", "--notes", "lifted boxes")[0] == 0
    code, out, _ = run(a, "sync", str(shared))
    assert code == 0 and "Sent 1 change" in out
    code, out, _ = run(b, "sync", str(shared))
    assert code == 0 and "1 added" in out
    with Store.open(a) as sa, Store.open(b) as sb:
        assert diary(sa) == diary(sb)
        assert sb.read("SELECT pain, notes FROM entries") == [(6, "lifted boxes")]
    # The folder the companion made is private, and so is every file it writes there.
    assert stat.S_IMODE(shared.stat().st_mode) == 0o700
    written = list(shared.iterdir())
    assert len(written) == 1 and stat.S_IMODE(written[0].stat().st_mode) == 0o600


def test_sync_remembers_the_folder_and_asks_for_one_the_first_time(tmp_path: Path) -> None:
    a, shared = tmp_path / "a", tmp_path / "shared"
    code, _, err = run(a, "sync")
    assert code == 2 and "companion sync DIR" in err
    assert run(a, "sync", str(shared))[0] == 0
    run(a, "log", "--pain", "2")
    code, out, _ = run(a, "sync")
    assert code == 0 and f"Sent 1 change to {shared}" in out


def test_a_sync_folder_that_cannot_be_used_is_one_line(tmp_path: Path) -> None:
    a = tmp_path / "a"
    (tmp_path / "file").write_text("x")
    code, _, err = run(a, "sync", str(tmp_path / "file"))
    assert code == 1 and "not a folder" in err and "Traceback" not in err
    code, _, err = run(a, "sync", str(tmp_path / "no" / "such"))
    assert code == 1 and "does not exist" in err


def test_delete_removes_one_entry_and_leaves_a_tombstone(tmp_path: Path) -> None:
    a = tmp_path / "a"
    run(a, "log", "--pain", "3")
    out = run(a, "log", "--pain", "5")[1]
    short = out.split("[id ")[1][:8]
    code, out, _ = run(a, "delete", short)
    assert code == 0 and "pain 5/10" in out
    with Store.open(a) as s:
        assert s.read("SELECT pain FROM entries") == [(3,)]
        (row,) = s.read("SELECT tbl, id FROM tombstones")
        assert row[0] == "entries" and row[1].startswith(short)
    assert run(a, "delete", short)[0] == 1  # gone already: a data error
    assert run(a, "delete", "zz")[0] == 2
    assert run(a, "delete", "\x1b[2J")[0] == 2


def test_delete_refuses_an_id_that_matches_two_entries(tmp_path: Path) -> None:
    a = tmp_path / "a"
    with Store.open(a) as s:
        for suffix in ("1", "2"):
            s.add(
                s.get(s.add(_entry()).id).with_changes(
                    id=f"aaaaaaaa-0000-4000-8000-00000000000{suffix}"
                )  # type: ignore[union-attr]
            )
    code, _, err = run(a, "delete", "aaaaaaaa")
    assert code == 1 and "more than one" in err
    assert run(a, "delete", "aaaaaaaa-0000-4000-8000-000000000002")[0] == 0


def _entry():  # type: ignore[no-untyped-def]
    from companion.entry import build_entry

    return build_entry({"date": "2026-11-01", "pain": "4"})


# --- what travels ---------------------------------------------------------------------------


def test_a_delete_an_undo_and_a_followup_travel(tmp_path: Path) -> None:
    with homes(tmp_path, 2) as (a, b):
        kept, dropped = a.log(4), a.log(5)
        seen = followups.record(a.store, "seen", day="2026-11-01")
        a.sync(), b.sync()
        assert set(pains(b)) == {kept, dropped}
        assert b.store.read("SELECT id FROM followups") == [(seen.id,)]

        b.store.delete(dropped)
        gone = b.store.delete(kept)
        b.store.restore(gone)  # the app's undo: no tombstone stays
        followups.remove(b.store, seen.id)  # the undo of 'seen'
        b.sync(), a.sync()
        assert set(pains(a)) == {kept}
        assert a.store.read("SELECT id FROM followups") == []
        assert diary(a.store) == diary(b.store)


def test_an_undo_after_the_delete_was_synced_brings_the_entry_back_everywhere(
    tmp_path: Path,
) -> None:
    with homes(tmp_path, 2) as (a, b):
        entry_id = a.log(4)
        a.sync(), b.sync()
        gone = a.store.delete(entry_id)
        a.sync(), b.sync()
        assert pains(b) == {}
        a.store.restore(gone)  # put back exactly as it was, with its old 'updated'
        a.sync(), b.sync()
        assert pains(b) == {entry_id: 4}
        assert diary(a.store) == diary(b.store)


def test_triage_results_and_alert_acknowledgements_travel(tmp_path: Path) -> None:
    with homes(tmp_path, 2) as (a, b):
        saved = save_result(a.store, Result("soon", (), (), None, {"q": True}), date(2026, 11, 1))
        a.store.merge(
            Entry(date=(date(2026, 11, 8) - timedelta(n)).isoformat(), pain=5, eased_by_rest="no")
            for n in range(5)
        )
        (soon,) = alerts.active_alerts(a.store, date(2026, 11, 8))
        alerts.acknowledge(a.store, soon)
        a.sync(), b.sync()
        assert b.store.read("SELECT id, disposition FROM triage_results") == [(saved.id, "soon")]
        assert b.store.read("SELECT rule FROM alert_acks") == [(soon.rule,)]
        alerts.unacknowledge(b.store, soon.rule)
        b.sync(), a.sync()
        assert a.store.read("SELECT rule FROM alert_acks") == []
        assert diary(a.store) == diary(b.store)


# --- conflicts ------------------------------------------------------------------------------


def test_doses_and_personal_limits_travel_and_so_do_their_deletes(tmp_path: Path) -> None:
    a, b, shared = tmp_path / "a", tmp_path / "b", tmp_path / "shared"
    assert run(a, "took", "paracetamol", "1g", "--date", "2026-11-20", "--time", "08:00")[0] == 0
    assert run(a, "took", "ibuprofen", "400mg", "--date", "2026-11-20", "--time", "09:00")[0] == 0
    assert run(a, "meds", "limit", "ibuprofen", "2400mg")[0] == 0
    assert run(a, "sync", str(shared))[0] == 0
    assert run(b, "sync", str(shared))[0] == 0
    with Store.open(b) as sb:
        got = sb.read("SELECT medicine, dose_mg FROM doses ORDER BY time")
        limits = sb.read("SELECT medicine, daily_max_mg FROM medicine_limits")
    assert got == [("paracetamol", 1000.0), ("ibuprofen", 400.0)]
    assert limits == [("ibuprofen", 2400.0)]
    # A dose deleted on the second computer and the limit taken off there go back to the first.
    with Store.open(b) as sb:
        (dose_id,) = sb.read("SELECT id FROM doses WHERE medicine = 'ibuprofen'")[0]
    assert run(b, "meds", "delete", dose_id[:8])[0] == 0
    assert run(b, "meds", "limit", "ibuprofen", "off")[0] == 0
    assert run(b, "sync")[0] == 0
    assert run(a, "sync")[0] == 0
    with Store.open(a) as sa:
        assert sa.read("SELECT medicine FROM doses") == [("paracetamol",)]
        assert sa.read("SELECT * FROM medicine_limits") == []


def test_the_later_of_two_edits_wins_and_the_other_is_kept_on_both(tmp_path: Path) -> None:
    with homes(tmp_path, 2) as (a, b):
        entry_id = a.log(4)
        a.sync(), b.sync()
        a.edit(entry_id, 7)
        a.clock.now += timedelta(seconds=30)
        b.edit(entry_id, 2)  # later: wins
        a.sync(), b.sync(), a.sync()
        assert pains(a) == pains(b) == {entry_id: 2}
        for h in (a, b):
            (kept,) = store_sync.conflicts(h.store.conn)
            assert (kept.id, kept.row["pain"], kept.computer) == (entry_id, 7, a.computer)
        assert diary(a.store) == diary(b.store)


def test_a_conflict_is_listed_and_restored_everywhere(tmp_path: Path) -> None:
    with homes(tmp_path, 2) as (a, b):
        entry_id = a.log(4)
        a.sync(), b.sync()
        a.edit(entry_id, 7)
        a.clock.now += timedelta(seconds=30)
        b.edit(entry_id, 2)
        b.sync(), a.sync()
        assert pains(a) == {entry_id: 2}
        a.store.close()
        code, out, _ = run(a.store.path.parent, "sync", "--conflicts")
        assert code == 0 and "1. entry 2026-11-01" in out and "pain 7/10" in out
        code, out, _ = run(a.store.path.parent, "sync", "--restore", "1")
        assert code == 0 and "pain 7/10" in out
        assert run(a.store.path.parent, "sync", "--restore", "1")[0] == 1
        a.store = Store.open(a.store.path.parent)
        assert pains(a) == {entry_id: 7}
        assert store_sync.conflicts(a.store.conn) == []
        a.sync(), b.sync()
        assert pains(b) == {entry_id: 7}


def test_edits_in_the_same_second_are_settled_by_computer_id(tmp_path: Path) -> None:
    with homes(tmp_path, 2) as (a, b):
        entry_id = a.log(4)
        a.sync(), b.sync()
        a.edit(entry_id, 7)
        b.edit(entry_id, 2)  # same second: 'b' * 32 is the greater id
        b.sync(), a.sync(), b.sync()
        assert pains(a) == pains(b) == {entry_id: 2}
        assert diary(a.store) == diary(b.store)


def test_an_edit_on_a_clock_behind_still_wins_over_what_it_edited(tmp_path: Path) -> None:
    with homes(tmp_path, 2) as (a, b):
        b.skew = timedelta(minutes=10)  # b's clock is ten minutes ahead
        entry_id = b.log(4)
        b.sync(), a.sync()
        a.edit(entry_id, 8)  # made after seeing b's version, stamped earlier than it
        a.sync(), b.sync()
        assert pains(a) == pains(b) == {entry_id: 8}
        assert store_sync.conflicts(a.store.conn) == store_sync.conflicts(b.store.conn) == []
        assert diary(a.store) == diary(b.store)


def test_an_edit_against_a_delete_keeps_the_edit_when_the_delete_wins(tmp_path: Path) -> None:
    with homes(tmp_path, 2) as (a, b):
        entry_id = a.log(4)
        a.sync(), b.sync()
        a.clock.now -= timedelta(minutes=5)  # the edit is older than the delete
        a.edit(entry_id, 9)
        b.store.delete(entry_id)
        a.sync(), b.sync(), a.sync()
        assert pains(a) == pains(b) == {}
        (kept,) = store_sync.conflicts(a.store.conn)
        assert kept.row["pain"] == 9


# --- the folder -----------------------------------------------------------------------------


def test_junk_partial_and_foreign_files_are_skipped_with_a_note(tmp_path: Path) -> None:
    with homes(tmp_path, 2) as (a, b):
        a.log(4)
        a.sync()
        folder = a.folder
        (whole,) = folder.iterdir()
        text = whole.read_bytes()
        other = "c" * 32
        cut = folder / files.file_name(other, 1)
        cut.write_bytes(text.replace(a.computer.encode(), other.encode())[: len(text) // 2])
        altered = folder / files.file_name(other, 2)
        altered.write_bytes(
            text.replace(b'"pain": 4', b'"pain": 5')
            .replace(b'"seq": 1', b'"seq": 2')
            .replace(a.computer.encode(), other.encode())
        )
        newer = json.loads(text.splitlines()[0])
        newer.update(computer=other, seq=3, version=99)
        (folder / files.file_name(other, 3)).write_text(json.dumps(newer) + "\n")
        (folder / (whole.stem + ".sync-conflict-20261201-101010-ABCDEFG.jsonl")).write_bytes(text)
        (folder / ".syncthing.x.tmp").write_bytes(b"")
        (folder / "notes.txt").write_text("shopping")
        (folder / ".stfolder").mkdir()
        (folder / files.file_name(other, 4)).mkdir()
        refused = text.replace(b'"pain": 4', b'"pain": 40')
        refused_file = folder / files.file_name("d" * 32, 1)
        refused_file.write_bytes(_resealed(refused, "d" * 32, 1, a.computer))

        result = b.sync()
        assert result.read == 1 and result.changes["added"] == 1
        notes = "\n".join(result.notes)
        for name, why in (
            (cut.name, "incomplete"),
            (altered.name, "damaged"),
            (files.file_name(other, 3), "newer version"),
            ("sync-conflict", "conflict copy"),
            (".syncthing.x.tmp", "temporary"),
            ("notes.txt", "not a change file"),
            (files.file_name(other, 4), "not a plain file"),
            (refused_file.name, "refuses"),
        ):
            assert any(name in n and why in n for n in result.notes), (name, notes)
        assert ".stfolder" not in notes
        assert b.store.read("SELECT pain FROM entries") == [(4,)]

        # The cut file, once it has arrived whole, is read at the next sync.
        cut.write_bytes(_resealed(text, other, 1, a.computer))
        again = b.sync()
        assert again.read == 1 and cut.name not in "\n".join(again.notes)


def _resealed(text: bytes, computer: str, seq: int, was: str) -> bytes:
    """A change file's lines as another computer would have written them, check and all."""
    import hashlib

    lines = text.replace(was.encode(), computer.encode()).splitlines()
    header, *changes = [json.loads(line) for line in lines[:-1]]
    values = [{**header, "seq": seq}] + [{**c, "seen": {computer: seq}} for c in changes]
    body = b"".join((json.dumps(v) + "\n").encode() for v in values)
    end = {"end": len(changes), "sha256": hashlib.sha256(body).hexdigest()}
    return body + (json.dumps(end) + "\n").encode()


def test_a_sync_killed_after_writing_its_file_sends_it_again_under_the_next_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with homes(tmp_path, 2) as (a, b):
        entry_id = a.log(4)

        def killed(*args: object) -> None:
            raise KeyboardInterrupt

        with monkeypatch.context() as m:
            m.setattr(store_sync, "mark_applied", killed)
            with pytest.raises(KeyboardInterrupt):
                a.sync()
        # The diary took nothing from the stopped sync; the folder holds one whole file.
        assert a.store.read("SELECT count(*) FROM sync_versions") == [(0,)]
        assert [p.name for p in a.folder.iterdir()] == [files.file_name(a.computer, 1)]
        b.sync()
        result = a.sync()
        assert result.written is not None and result.written.name == files.file_name(a.computer, 2)
        b.sync()
        assert pains(b) == {entry_id: 4}
        assert diary(a.store) == diary(b.store)


# --- this computer's id ---------------------------------------------------------------------


def test_the_computer_id_is_made_once_and_private(tmp_path: Path) -> None:
    made = computer_id(tmp_path)
    assert computer_id(tmp_path) == made and len(made) == 32
    assert stat.S_IMODE((tmp_path / COMPUTER_FILE).stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [COMPUTER_FILE]  # no temporary left
    (tmp_path / COMPUTER_FILE).write_text("garbage")
    with pytest.raises(StoreError, match="not a computer id"):
        computer_id(tmp_path)


def test_a_release_diary_from_before_sync_syncs(tmp_path: Path) -> None:
    import shutil

    a = tmp_path / "a"
    a.mkdir(mode=0o700)
    data = Path(__file__).parent / "data"
    shutil.copyfile(data / "diary-0.1.0.sqlite3", a / "diary.sqlite3")
    os.chmod(a / "diary.sqlite3", 0o600)
    expected = len(json.loads((data / "diary-0.1.0.entries.json").read_text()))
    code, out, _ = run(a, "sync", str(tmp_path / "shared"))
    assert (code == 0 and f"Sent {expected} changes" in out) or "Sent" in out
    assert run(tmp_path / "b", "sync", str(tmp_path / "shared"))[0] == 0
    with Store.open(a) as sa, Store.open(tmp_path / "b") as sb:
        assert sb.count() == sa.count() and diary(sa) == diary(sb)


def test_a_backup_restored_on_one_computer_gets_back_what_was_synced_since(
    tmp_path: Path,
) -> None:
    from companion.store.backup import snapshot
    from companion.store.restore import restore

    with homes(tmp_path, 2) as (a, b):
        old = a.log(3)
        a.store.delete(a.log(9))  # deleted before the backup: its tombstone is in it
        a.sync(), b.sync()
        backup = snapshot(a.store.conn, tmp_path / "backup.sqlite3")
        later = a.log(5)
        a.store.delete(old)
        a.sync(), b.sync()
        a.store.close()
        assert restore(a.store.path.parent, backup, lambda *_: True) is not None
        a.store = Store.open(a.store.path.parent)
        # The restored diary holds the backup's tombstones, not ones the restore made.
        assert pains(a) == {old: 3}
        assert a.store.read("SELECT count(*) FROM tombstones") == [(1,)]
        a.sync(), b.sync()
        assert pains(a) == pains(b) == {later: 5}
        assert diary(a.store) == diary(b.store)


def test_the_diarys_own_folder_is_refused_as_the_sync_folder(tmp_path: Path) -> None:
    a = tmp_path / "a"
    run(a, "log", "--pain", "3")
    for folder in (a, a / "inside"):
        code, _, err = run(a, "sync", str(folder))
        assert code == 2 and "the diary's own folder" in err
    assert not (a / "inside").exists() or not any((a / "inside").iterdir())


def test_a_folder_full_of_other_files_gives_a_short_list_of_notes(tmp_path: Path) -> None:
    a, shared = tmp_path / "a", tmp_path / "shared"
    shared.mkdir()
    for n in range(25):
        (shared / f"photo-{n:02d}.jpg").write_bytes(b"")
    code, out, _ = run(a, "sync", str(shared))
    assert code == 0
    notes = [line for line in out.splitlines() if line.startswith("Note:")]
    assert len(notes) == 11 and notes[-1] == "Note: and 15 other files skipped."


def test_two_syncs_of_one_diary_at_once_both_succeed(tmp_path: Path) -> None:
    import threading

    from companion.sync.engine import sync

    a, shared = tmp_path / "a", tmp_path / "shared"
    with Store.open(a) as s:
        s.merge(_entry().with_changes(id=None) for _ in range(2000))  # type: ignore[arg-type]
    errors: list[BaseException] = []

    def one() -> None:
        try:
            with Store.open(a) as s:
                sync(s, shared)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(list(shared.iterdir())) == 1  # one sent everything, the other nothing
    with Store.open(tmp_path / "b") as b:
        assert sync(b, shared).changes["added"] == 2000


def _raw_change_file(folder: Path, computer: str, seq: int, lines: list[str]) -> Path:
    """A change file sealed as the companion seals one, with change lines exactly as given."""
    import hashlib

    header = {"format": "companion-sync", "version": 1, "computer": computer, "seq": seq}
    header.update(migrations=1, written="2026-11-01T09:00:00+00:00")
    body = "".join(line + "\n" for line in [json.dumps(header), *lines]).encode()
    end = {"end": len(lines), "sha256": hashlib.sha256(body).hexdigest()}
    path = folder / files.file_name(computer, seq)
    path.write_bytes(body + (json.dumps(end) + "\n").encode())
    return path


@pytest.mark.parametrize(
    "value",
    [
        '"strength": 1e999',  # a number JSON reads as infinity
        '"strength": 100000000000000000000000000000',  # past SQLite's integers
        '"since": "\\ud800"',  # a lone surrogate: not text SQLite can store
        '"since": true',
    ],
)
def test_a_change_holding_what_sqlite_cannot_store_is_skipped(tmp_path: Path, value: str) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    other = "e" * 32
    row = (
        '{"rule": "r", "acknowledged_at": "2026-11-01T09:00:00+00:00", "since": "2026-11-01", '
        '"strength": 1.0, ' + value + "}"
    )
    line = (
        '{"table": "alert_acks", "id": "r", "stamp": "2026-11-01T09:00:00+00:00", "n": 0, '
        f'"seen": {{"{other}": 1}}, "row": {row}}}'
    )
    bad = _raw_change_file(folder, other, 1, [line])
    code, out, err = run(tmp_path / "a", "sync", str(folder))
    assert code == 0, err
    assert f"Note: {bad.name}: skipped, line 2 is not a change" in out
    with Store.open(tmp_path / "a") as s:
        assert s.read("SELECT count(*) FROM alert_acks") == [(0,)]


def test_a_column_added_empty_leaves_a_rows_fingerprint_as_it_was() -> None:
    from companion.store.sync import _fingerprint

    assert _fingerprint("pain", 4, "notes", "x") == _fingerprint(
        "pain", 4, "notes", "x", "mood", None, "sleep", ""
    )
    assert _fingerprint("pain", 4) != _fingerprint("pain", 5)
    assert _fingerprint("pain", 0) != _fingerprint("pain", None)


def test_an_edit_by_another_tool_that_keeps_updated_is_still_sent(tmp_path: Path) -> None:
    with homes(tmp_path, 2) as (a, b):
        entry_id = a.log(4)
        a.sync(), b.sync()
        with a.store.write() as conn:
            conn.execute("UPDATE entries SET pain = 9")
        assert a.sync().sent == 1
        b.sync()
        assert pains(b) == {entry_id: 9}
        assert diary(a.store) == diary(b.store)
