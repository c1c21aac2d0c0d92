"""Alerts: the red-flag rules run over the diary, and what the person acknowledged.

``check`` is pure: it runs every rule of ``companion.alert_rules`` over the diary as
``companion.alert_diary`` reads it, and returns the alerts, most severe first, in the
levels' own words. ``active_alerts`` leaves out what the person has acknowledged, unless the
pattern has got worse or is made only of newer days; emergency alerts are always active.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from companion.alert_diary import Diary, load_diary
from companion.alert_rules import CHECKS, LEVELS, Evidence, rule, rules
from companion.content import fill
from companion.errors import UsageError
from companion.levels import level
from companion.record import Record
from companion.safety import DEFAULT_EMERGENCY_NUMBER, NOT_A_DIAGNOSIS, emergency_number
from companion.store import Store, alert_acks

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Alert(Record):
    rule: str
    level: str
    title: str
    explanation: str
    advice: str
    sources: tuple[str, ...]
    since: str
    evidence: tuple[Evidence, ...]
    strength: float = 0.0  # how strong the pattern is, in the rule's strength_unit
    signs: tuple[str, ...] = ()  # the warning signs behind it, which can be recorded gone

    @property
    def label(self) -> str:
        """The level as a symbol and a word (content/levels.toml)."""
        return level(self.level).label


# --- evaluation -----------------------------------------------------------------------------


def check(diary: Diary, today: date, number: str = DEFAULT_EMERGENCY_NUMBER) -> list[Alert]:
    """Every rule over the diary as it stood on ``today``, most severe first."""
    alerts: list[Alert] = []
    for r in rules():
        finding = CHECKS[r.id](r, diary, today)
        if finding is None:
            continue
        note = fill(finding.note, number)
        explanation = " ".join(p for p in (r.explanation, note, NOT_A_DIAGNOSIS) if p)
        advice = " ".join(p for p in (level(r.level).advice(number), fill(r.advice, number)) if p)
        alerts.append(
            Alert(
                rule=r.id,
                level=r.level,
                title=r.title,
                explanation=explanation,
                advice=advice,
                sources=finding.sources or r.sources,
                since=finding.since,
                evidence=tuple(finding.evidence),
                strength=float(finding.strength),
                signs=finding.signs,
            )
        )
    return sorted(alerts, key=lambda a: LEVELS.index(a.level))


def evaluate(store: Store, today: date) -> list[Alert]:
    """The alerts the diary raises as of ``today`` (entries after it are ignored)."""
    return check(load_diary(store, today, today), today, emergency_number(store))


# --- acknowledgements -----------------------------------------------------------------------


def alert_states(store: Store, today: date) -> tuple[list[Alert], list[Alert]]:
    """The alerts as of ``today``: those active, and those an acknowledgement hides."""
    acks = {
        rule_id: (acknowledged_at[:10], float(strength))
        for rule_id, acknowledged_at, strength in alert_acks.acknowledgements(store)
        # Another tool, or a restored file, may have written anything here: what is not an
        # acknowledgement as the companion writes one hides nothing.
        if isinstance(acknowledged_at, str)
        and _DAY.match(acknowledged_at)
        and isinstance(strength, (int, float))
        and math.isfinite(strength)
    }
    active: list[Alert] = []
    hidden: list[Alert] = []
    for alert in evaluate(store, today):
        (hidden if _covered(alert, acks.get(alert.rule), today) else active).append(alert)
    return active, hidden


def active_alerts(store: Store, today: date) -> list[Alert]:
    """The alerts as of ``today`` less those acknowledged, unless they have come back."""
    return alert_states(store, today)[0]


def _covered(alert: Alert, ack: tuple[str, float] | None, today: date) -> bool:
    """Whether an acknowledgement still covers the alert.

    It does not once the evidence is made only of days after it was given (the pattern has
    come back), or the pattern is stronger by the rule's worse_by; nor for emergencies, nor
    when looking at a day before it was given.
    """
    if ack is None or alert.level == "emergency":
        return False
    acknowledged_on, strength = ack
    if acknowledged_on > today.isoformat() or alert.since > acknowledged_on:
        return False
    return alert.strength < strength + rule(alert.rule)["worse_by"]


CANNOT_DISMISS = (
    "an emergency alert cannot be dismissed; it stays until you record that you were seen "
    "(companion seen)"
)


def acknowledge(store: Store, alert: Alert, *, now: datetime | None = None) -> None:
    """Hide a soon or urgent alert until it gets worse or comes back; never an emergency."""
    if alert.level == "emergency":
        raise UsageError(f"{alert.rule}: {CANNOT_DISMISS}")
    when = (now or datetime.now()).astimezone().isoformat(timespec="seconds")
    alert_acks.save(store, alert.rule, when, alert.since, alert.strength)


def unacknowledge(store: Store, rule_id: str) -> bool:
    """Undo an acknowledgement, so the alert shows again; False if there was none."""
    rule(rule_id)  # an unknown rule id is a usage error
    return alert_acks.remove(store, rule_id)
