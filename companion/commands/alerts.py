"""``companion alerts``: the red-flag alerts the diary raises, as text or JSON."""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from companion.commands.diary import date_arg

if TYPE_CHECKING:
    from companion.alerts import Alert


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "alerts",
        parents=[common],
        help="show the red-flag alerts the diary raises",
        description="List active alerts as of today: what the diary shows that a doctor "
        "should see. Exits 0 whether or not any are active.",
    )
    parser.add_argument("--json", action="store_true", help="JSON instead of text")
    parser.add_argument(
        "--today", type=date_arg, metavar="YYYY-MM-DD", help="evaluate as of this day"
    )
    parser.add_argument(
        "--acknowledge",
        metavar="RULE",
        help="hide a soon or urgent alert until it gets worse or comes back",
    )
    parser.set_defaults(func=cmd_alerts)


def cmd_alerts(args: argparse.Namespace) -> int:
    from companion.alerts import acknowledge, active_alerts, rule
    from companion.errors import UsageError
    from companion.store import Store

    today = date.fromisoformat(args.today) if args.today else date.today()
    with Store.open(getattr(args, "home", None)) as store:
        alerts = active_alerts(store, today)
        if args.acknowledge:
            rule(args.acknowledge)  # an unknown rule id is a usage error
            chosen = [a for a in alerts if a.rule == args.acknowledge]
            if not chosen:
                raise UsageError(f"{args.acknowledge}: that alert is not active")
            # With --today the acknowledgement is dated that day, so scripts stay repeatable.
            now = datetime.combine(today, datetime.now().time()) if args.today else None
            acknowledge(store, chosen[0], now=now)
            print(f"Acknowledged {chosen[0].title.lower()}; it comes back if it gets worse.")
            return 0
    if args.json:
        print(json.dumps([alert_json(a) for a in alerts], indent=2, ensure_ascii=False))
    elif alerts:
        print("\n\n".join(alert_text(a) for a in alerts))
    else:
        print(f"No alerts as of {today}: nothing in the diary matches a red-flag pattern.")
    return 0


def alert_json(alert: Alert) -> dict[str, Any]:
    return {
        "rule": alert.rule,
        "level": alert.level,
        "title": alert.title,
        "since": alert.since,
        "evidence": [{"date": e.date, "detail": e.detail} for e in alert.evidence],
        "explanation": alert.explanation,
        "advice": alert.advice,
        "sources": list(alert.sources),
    }


def alert_text(alert: Alert) -> str:
    lines = [
        f"{alert.label}: {alert.title} (since {alert.since})",
        f"  {alert.explanation}",
        f"  What to do: {alert.advice}",
        "  Evidence:",
        *(f"    {e.date}  {e.detail}" for e in alert.evidence),
        f"  Sources: {', '.join(alert.sources)}",
    ]
    return "\n".join(lines)
