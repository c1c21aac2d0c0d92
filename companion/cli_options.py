"""Command-line options more than one command takes: a date, a range of dates, --force."""

from __future__ import annotations

import argparse

from companion.entry import ValidationError, parse_date
from companion.errors import UsageError


def date_arg(text: str) -> str:
    """argparse type for --from/--to/--today: a strict date, or a one-line usage error."""
    try:
        return parse_date(text, "date")
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.problem) from None


def add_range_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", type=date_arg, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="end", type=date_arg, metavar="YYYY-MM-DD")


def add_force_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force", action="store_true", help="replace a file of that name if there is one"
    )


def check_order(args: argparse.Namespace) -> None:
    """A range given backwards is a mistake to name, not an empty range."""
    if args.start and args.end and args.start > args.end:
        raise UsageError(f"--from {args.start} is after --to {args.end}: the range is backwards")
