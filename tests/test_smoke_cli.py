"""The shortest path a person takes: log from the shell, read it back from the database."""

from __future__ import annotations

from companion.store import Store


def test_log_then_read_back(cli, home) -> None:  # type: ignore[no-untyped-def]
    result = cli("log", "--date", "2026-11-20", "--pain", "6", "--cramps", "1")
    assert result.code == 0, result.err
    with Store.open(home) as store:
        (entry,) = store.entries_on("2026-11-20")
    assert (entry.pain, entry.cramps) == (6, 1)
