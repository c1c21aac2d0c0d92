"""``companion insights``: which factors go with better or worse days, when the diary says so."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING, Any

from companion.cli_options import add_range_options, date_arg
from companion.terminal import json_ascii, safe_text

if TYPE_CHECKING:
    from companion.insights import Insights


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "insights",
        parents=[common],
        help="which factors go with better or worse days (only what the diary supports)",
        description="Compare the days each trigger, relief, place and word for the pain was "
        "named with the other days: pain, cramps and night pain, the same day and the next. "
        "Only differences that hold up after correcting for the number of comparisons "
        "(Holm's method) are reported. By default the whole diary up to today. An "
        "association is not a cause.",
    )
    add_range_options(parser)
    parser.add_argument(
        "--today", type=date_arg, metavar="YYYY-MM-DD", help="pretend today is this date"
    )
    parser.add_argument(
        "--json", action="store_true", help="the findings as JSON (an empty list when none)"
    )
    parser.set_defaults(func=cmd_insights)


def cmd_insights(args: argparse.Namespace) -> int:
    from companion import insights
    from companion.store import Store

    today = date.fromisoformat(args.today) if args.today else date.today()
    with Store.open(getattr(args, "home", None)) as store:
        span = store.span()
        start, end = insights.resolve_range(
            date.fromisoformat(args.start) if args.start else None,
            date.fromisoformat(args.end) if args.end else None,
            today,
            date.fromisoformat(span[0]) if span else None,
        )
        found = insights.read(store, start, end)
    if args.json:
        rows = [f.as_json() for f in found.findings]
        print(json.dumps(rows, indent=2, ensure_ascii=json_ascii()))
    else:
        print(safe_text(report_text(found), "\n"))
    return 0


def report_text(found: Insights) -> str:
    """The insights as text for a terminal."""
    from companion.insights import CAUSE, METHOD, MIN_DAYS, factor_label

    lines = [
        f"Insights from {found.start} to {found.end}: {found.counts}.",
        "",
    ]
    if found.findings:
        lines.append("What holds up:")
        lines += [f"  - {f.text}" for f in found.findings]
    elif found.comparisons:
        lines.append("Nothing holds up: no factor goes with a clear difference.")
    else:
        lines.append(
            f"Too few days to compare anything: each factor needs {MIN_DAYS} days with it "
            f"and {MIN_DAYS} without."
        )
    if found.nothing:
        lines += ["", "Compared, with nothing that holds up:"]
        lines.append("  " + ", ".join(factor_label(f) for f in found.nothing))
    if found.too_few:
        lines += ["", f"Too few days to say (under {MIN_DAYS} with or without):"]
        lines.append("  " + ", ".join(f"{factor_label(f)} ({n})" for f, n in found.too_few))
    lines += ["", CAUSE, METHOD]
    return "\n".join(lines)
