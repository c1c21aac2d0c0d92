"""The acknowledged alerts (the alert_acks table): one row per rule, replaced when given again."""

from __future__ import annotations

from typing import Any

from companion.store.core import Store


def acknowledgements(store: Store) -> list[tuple[Any, Any, Any]]:
    """(rule, acknowledged_at, strength) of every row, as the file holds them: another tool or
    a restored file may have written anything, so the caller checks each value."""
    return store.read("SELECT rule, acknowledged_at, strength FROM alert_acks")


def save(store: Store, rule: str, when: str, since: str, strength: float) -> None:
    with store.write() as conn:
        conn.execute(
            """INSERT INTO alert_acks (rule, acknowledged_at, since, strength)
               VALUES (?, ?, ?, ?)
               ON CONFLICT(rule) DO UPDATE SET acknowledged_at = excluded.acknowledged_at,
                 since = excluded.since, strength = excluded.strength""",
            (rule, when, since, strength),
        )


def remove(store: Store, rule: str) -> bool:
    """False if the rule had no acknowledgement."""
    with store.write() as conn:
        return conn.execute("DELETE FROM alert_acks WHERE rule = ?", (rule,)).rowcount > 0
