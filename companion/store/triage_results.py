"""Triage results (the triage_results table); ``answers`` and ``reasons`` are JSON text."""

from __future__ import annotations

from typing import Any

from companion.store.core import Store

Row = tuple[str, str, str, str, str, str]  # id, taken_at, date, disposition, answers, reasons


def insert(store: Store, row: Row) -> None:
    with store.write() as conn:
        conn.execute(
            "INSERT INTO triage_results (id, taken_at, date, disposition, answers, reasons) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            row,
        )


def between(store: Store, start: str | None, end: str | None) -> list[Row]:
    """Results dated from ``start`` to ``end`` (either open), oldest first."""
    return store.read(
        "SELECT id, taken_at, date, disposition, answers, reasons FROM triage_results "
        "WHERE date >= coalesce(?, date) AND date <= coalesce(?, date) ORDER BY date, taken_at",
        (start, end),
    )


def count(store: Store, start: str, end: str) -> int:
    where = "WHERE date BETWEEN ? AND ?"
    return int(store.read(f"SELECT count(*) FROM triage_results {where}", (start, end))[0][0])


def latest(store: Store, start: str, end: str, limit: int) -> list[tuple[Any, ...]]:
    """(taken_at, date, disposition, reasons) of the latest ``limit`` results in the range."""
    return store.read(
        "SELECT taken_at, date, disposition, reasons FROM triage_results "
        "WHERE date BETWEEN ? AND ? ORDER BY taken_at DESC LIMIT ?",
        (start, end, limit),
    )


def answers_beyond_self_care(store: Store, start: str, end: str) -> list[tuple[str, str]]:
    """(date, answers) of each result in the range that advised more than self-care."""
    return store.read(
        "SELECT date, answers FROM triage_results WHERE date BETWEEN ? AND ? "
        "AND disposition != 'self_care' ORDER BY date, taken_at",
        (start, end),
    )


def latest_before(store: Store, day: str) -> str | None:
    """The date of the latest result before ``day``."""
    (found,) = store.read("SELECT max(date) FROM triage_results WHERE date < ?", (day,))[0]
    return found if isinstance(found, str) else None


def for_history(store: Store, start: str, end: str) -> list[tuple[Any, ...]]:
    """(date, taken_at, disposition, reasons, answers) of every result in the range."""
    return store.read(
        "SELECT date, taken_at, disposition, reasons, answers FROM triage_results "
        "WHERE date BETWEEN ? AND ?",
        (start, end),
    )
