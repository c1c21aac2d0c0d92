"""``companion alerts``, ``companion seen`` and ``companion gone``: the red-flag alerts the
diary raises, as text or JSON, and what the person records about them."""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from companion.cli_options import date_arg
from companion.terminal import json_ascii

if TYPE_CHECKING:
    from companion.alerts import Alert
    from companion.followups import Followup, Kind
    from companion.store import Store


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
    what = parser.add_mutually_exclusive_group()
    what.add_argument(
        "--acknowledge",
        metavar="RULE",
        help="hide a soon or urgent alert until it gets worse or comes back",
    )
    what.add_argument("--unacknowledge", metavar="RULE", help="show an acknowledged alert again")
    parser.set_defaults(func=cmd_alerts)

    when = argparse.ArgumentParser(add_help=False)
    when.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD", help="default: today")
    when.add_argument("--time", metavar="HH:MM", help="default: now, when --date is not given")
    seen = sub.add_parser(
        "seen",
        parents=[common, when],
        help="record that a doctor or nurse has seen you",
        description="Record that you were seen by a doctor or nurse: the alerts whose "
        "evidence is from before then are settled, and anything logged later raises them "
        "again. A day without a time counts as the whole of that day.",
    )
    seen.add_argument("--undo", action="store_true", help="remove the last 'seen' record")
    seen.set_defaults(func=cmd_seen)
    gone = sub.add_parser(
        "gone",
        parents=[common, when],
        help="record that warning signs have gone",
        description="Record that warning signs you logged have gone. A fever, a lump or "
        "weight loss is then settled; a sign that needs help now still needs checking "
        "now, so its alert stays until you record that you were seen.",
    )
    gone.add_argument(
        "signs", nargs="?", metavar="SIGN[,SIGN]", help="warning signs, as in log --red-flags"
    )
    gone.add_argument("--undo", action="store_true", help="remove the last 'gone' record")
    gone.set_defaults(func=cmd_gone)


def cmd_alerts(args: argparse.Namespace) -> int:
    from companion.alert_rules import rule
    from companion.alerts import acknowledge, active_alerts, unacknowledge
    from companion.errors import UsageError
    from companion.store import Store

    today = date.fromisoformat(args.today) if args.today else date.today()
    with Store.open(getattr(args, "home", None)) as store:
        if args.unacknowledge:
            title = rule(args.unacknowledge).title
            if not unacknowledge(store, args.unacknowledge):
                raise UsageError(f"{args.unacknowledge}: that alert is not acknowledged")
            print(f"{title} is no longer acknowledged: it shows whenever it is active.")
            return 0
        alerts = active_alerts(store, today)
        if args.acknowledge:
            rule(args.acknowledge)  # an unknown rule id is a usage error
            chosen = [a for a in alerts if a.rule == args.acknowledge]
            if not chosen:
                raise UsageError(f"{args.acknowledge}: that alert is not active")
            # With --today the acknowledgement is dated that day, so scripts stay repeatable.
            now = datetime.combine(today, datetime.now().time()) if args.today else None
            acknowledge(store, chosen[0], now=now)
            print(
                f"Acknowledged {chosen[0].title.lower()}; it comes back if it gets worse. "
                f"'companion alerts --unacknowledge {args.acknowledge}' shows it again."
            )
            return 0
    if args.json:
        print(json.dumps([alert_json(a) for a in alerts], indent=2, ensure_ascii=json_ascii()))
    elif alerts:
        print("\n\n".join(alert_text(a) for a in alerts))
    else:
        print(f"No alerts as of {today}: nothing in the diary matches a red-flag pattern.")
    return 0


def cmd_seen(args: argparse.Namespace) -> int:
    from companion import followups
    from companion.entry import now_local
    from companion.store import Store

    _undo_alone(args, "seen")
    now = now_local()
    with Store.open(getattr(args, "home", None)) as store:
        if args.undo:
            return _undo(store, "seen", now)
        made = followups.record(store, "seen", day=args.date, clock=args.time, now=now)
        print(
            f"Recorded that you were seen {_when(made)}. Alerts from before then are settled; "
            "anything logged later raises them again."
        )
        print(_still_active(store, now))
    return 0


def cmd_gone(args: argparse.Namespace) -> int:
    from companion import followups
    from companion.entry import EMERGENCY_FLAGS, ValidationError, now_local, parse_value
    from companion.errors import UsageError
    from companion.safety import flag_words
    from companion.store import Store

    if args.undo == bool(args.signs):
        raise UsageError("gone: name the warning signs that have gone, or give --undo alone")
    _undo_alone(args, "gone")
    signs: frozenset[str] = frozenset()
    if args.signs:
        try:
            signs = parse_value("red_flags", args.signs.replace(",", ";"))
        except ValidationError as exc:
            raise UsageError(f"gone: {exc.problem}") from None
    now = now_local()
    with Store.open(getattr(args, "home", None)) as store:
        if args.undo:
            return _undo(store, "gone", now)
        made = followups.record(store, "gone", signs, day=args.date, clock=args.time, now=now)
        print(f"Recorded that {flag_words(made.signs)} has gone {_when(made)}.")
        if signs & EMERGENCY_FLAGS:
            print(
                "A sign like this that came and went still needs checking now: its emergency "
                "alert stays until you record that you were seen ('companion seen')."
            )
        print(_still_active(store, now))
    return 0


def _undo_alone(args: argparse.Namespace, kind: Kind) -> None:
    """--undo removes the last record, whatever its day: a date or time beside it would read
    as "the one of that day" and remove another."""
    from companion.errors import UsageError

    if args.undo and (args.date or args.time):
        raise UsageError(f"{kind}: --undo removes the last record; give it alone")


def _when(made: Followup) -> str:
    return f"on {made.date} at {made.time}" if made.time else f"on {made.date}"


def _undo(store: Store, kind: Kind, now: datetime) -> int:
    from companion import followups
    from companion.errors import UsageError
    from companion.safety import flag_words

    last = followups.latest(store, kind)
    if last is None:
        raise UsageError(f"{kind}: there is no '{kind}' record to undo")
    followups.remove(store, last.id)
    what = "you were seen" if kind == "seen" else f"{flag_words(last.signs)} has gone"
    print(f"Removed the record that {what} {_when(last)}.")
    print(_still_active(store, now))
    return 0


def _still_active(store: Store, now: datetime) -> str:
    from companion.alerts import active_alerts

    alerts = active_alerts(store, now.date())
    if not alerts:
        return "No alerts are active now."
    return "Active now: " + "; ".join(f"{a.label} {a.title}" for a in alerts) + "."


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
        "signs": list(alert.signs),
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
