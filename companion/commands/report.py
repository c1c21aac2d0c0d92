"""``companion report --html FILE``: the one-page summary to take to a doctor."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from companion.cli_options import add_force_option, add_range_options, date_arg
from companion.entry import entries_text
from companion.terminal import safe_text


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    rep = sub.add_parser(
        "report",
        parents=[common],
        help="write a one-page summary for a doctor (HTML, prints on A4 or Letter)",
        description="Write a self-contained HTML summary of the diary for a date range; "
        "by default the last 90 days. Open it in a browser or print it.",
    )
    rep.add_argument("--html", metavar="FILE", required=True, help="HTML file to write")
    add_range_options(rep)
    rep.add_argument(
        "--today", type=date_arg, metavar="YYYY-MM-DD", help="pretend today is this date"
    )
    add_force_option(rep)
    rep.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from companion.report import write_report
    from companion.store import Store
    from companion.summary import resolve_range

    today = date.fromisoformat(args.today) if args.today else date.today()
    start, end = resolve_range(
        date.fromisoformat(args.start) if args.start else None,
        date.fromisoformat(args.end) if args.end else None,
        today,
    )
    target = Path(os.path.expanduser(args.html))
    with Store.open(getattr(args, "home", None)) as store:
        summary = write_report(store, target, start, end, today, replace=args.force)
    print(
        f"Wrote a summary of {entries_text(summary.entries)} ({start} to {end}) "
        f"to {safe_text(str(target.resolve()))}",
        file=sys.stderr,
    )
    return 0
