"""``companion took`` and ``companion meds``: the dose log from the shell."""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING, Any

from companion.cli_options import add_range_options, check_order, date_arg
from companion.entry import ValidationError, check_not_future, now_local, parse_value
from companion.errors import UsageError
from companion.terminal import argument_text, json_ascii, one_line, safe_json, safe_text

if TYPE_CHECKING:
    from companion.doses import DoseRecord
    from companion.store import Store

MEDS_DEFAULT_DAYS = 30
_NEGATIVE_AMOUNT = re.compile(r"^-[0-9.]")
OFF = "off"


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    took = sub.add_parser(
        "took",
        parents=[common],
        help="log a dose of a medicine",
        description=(
            "Log a dose, now unless --date or --time say otherwise, and show the total of "
            "that medicine within the last 24 hours against its daily maximum. DOSE is an "
            "amount with a unit: 400mg, 1g, 50mcg; for a combination such as co-codamol, "
            "the strength on the pack, 30/500mg (twice that for two tablets: 60/1000mg)."
        ),
    )
    took.add_argument("medicine", metavar="NAME", help="the medicine, as on the pack")
    took.add_argument("dose", metavar="DOSE", help="the amount taken: 400mg, 1g, 30/500mg")
    took.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD", help="the day (today)")
    took.add_argument("--time", metavar="HH:MM", help="the time, 24-hour clock (now)")
    took.add_argument("--note", metavar="TEXT", help="a note of your own")
    took.set_defaults(func=cmd_took)
    # "-5mg" is a dose to refuse by what is wrong with it, not an unknown option.
    took._negative_number_matcher = _NEGATIVE_AMOUNT

    meds = sub.add_parser(
        "meds",
        parents=[common],
        help="list doses taken; set a personal daily limit",
        description=f"List the doses logged, by default over the last {MEDS_DEFAULT_DAYS} days.",
    )
    add_range_options(meds)
    meds.add_argument("--json", action="store_true", help="JSON instead of a table")
    meds.set_defaults(func=cmd_meds)
    what = meds.add_subparsers(dest="meds_command", metavar="{limit,delete}")
    limit = what.add_parser(
        "limit",
        parents=[common],
        help="set your own daily maximum for a medicine your doctor prescribed",
        description=(
            "Set the most of a medicine to take within 24 hours, as your doctor prescribed "
            "it; it replaces the list's over-the-counter limit, and the summary says it is "
            f"yours. '{OFF}' removes it. Without DOSE, show the limits that apply."
        ),
    )
    limit.add_argument("medicine", metavar="NAME", nargs="?")
    limit.add_argument("dose", metavar="DOSE", nargs="?", help=f"2400mg, 1.5g or '{OFF}'")
    limit.set_defaults(func=cmd_limit)
    delete = what.add_parser(
        "delete",
        parents=[common],
        help="delete a dose logged by mistake",
        description="Delete one dose, named by its id or the first 8 characters of it, as "
        "'took' and 'meds --json' show them.",
    )
    delete.add_argument("dose_id", metavar="ID")
    delete.set_defaults(func=cmd_delete)


def _open_store(args: argparse.Namespace) -> Store:
    from companion.store import Store

    return Store.open(getattr(args, "home", None))


def _usage(exc: ValidationError) -> UsageError:
    return UsageError(f"{exc.field}: {exc.problem}")


def cmd_took(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from companion.dose_words import dose_text, totals_lines
    from companion.doses import DoseRecord, add, parse_note, spelled_as_before
    from companion.medicines import canonical, find, parse_dose

    now = now_local()
    try:
        medicine = canonical(argument_text(args.medicine))
        dose = parse_dose(medicine, argument_text(args.dose))
        note = parse_note(argument_text(args.note) if args.note is not None else None)
        time = parse_value("time", args.time) if args.time is not None else None
        day = args.date or now.date().isoformat()
        check_not_future(day, now.date())
        if args.date is None and time is None:
            time = now.strftime("%H:%M")
        if day == now.date().isoformat() and time is not None and time > now.strftime("%H:%M"):
            raise ValidationError("time", "is later than now: log a dose once it is taken")
    except ValidationError as exc:
        raise _usage(exc) from None
    with _open_store(args) as store:
        if find(medicine) is None:
            dose = replace(dose, medicine=spelled_as_before(store, medicine))
        saved = add(store, DoseRecord(day, time, dose, note))
        when = f"{saved.date} {saved.time}" if saved.time else f"{saved.date} (no time)"
        print(f"Saved {saved.medicine} {dose_text(saved)}, {when} [id {saved.id[:8]}]")
        over = False
        for line, is_over in totals_lines(store, saved):
            print(safe_text(line))
            over = over or is_over
        if over:
            from companion.alert_rules import LIMIT_RULES
            from companion.alerts import active_alerts
            from companion.commands.diary import alert_notice

            for alert in active_alerts(store, now.date()):
                if alert.rule in LIMIT_RULES:
                    print(alert_notice(alert))
    return 0


def _range(args: argparse.Namespace) -> tuple[str | None, str | None]:
    from datetime import timedelta

    check_order(args)
    if args.start or args.end:
        return args.start, args.end
    return (now_local().date() - timedelta(days=MEDS_DEFAULT_DAYS - 1)).isoformat(), None


def dose_json(record: DoseRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "date": record.date,
        "time": record.time,
        "medicine": record.medicine,
        "dose_mg": record.dose.dose_mg,
        "parts": record.dose.parts,
        "note": record.note,
        "created": record.created,
        "updated": record.updated,
    }


def cmd_meds(args: argparse.Namespace) -> int:
    from companion.dose_words import dose_text
    from companion.doses import iter_doses

    start, end = _range(args)
    with _open_store(args) as store:
        records = iter_doses(store, start, end)
        if args.json:
            import json

            out = sys.stdout
            out.write("[")
            for i, record in enumerate(records):
                line = safe_json(json.dumps(dose_json(record), ensure_ascii=json_ascii()))
                out.write(("," if i else "") + "\n  " + line)
            out.write("\n]\n")
            return 0
        count = 0
        for record in records:
            count += 1
            note = f"  {one_line(record.note)}" if record.note else ""
            line = f"{record.date} {record.time or '     '}  {record.medicine}  {dose_text(record)}"
            print(safe_text(line) + note)
        print(f"{count} dose{'' if count == 1 else 's'}" if count else "No doses in that range.")
    return 0


def cmd_limit(args: argparse.Namespace) -> int:
    from companion.dose_words import limit_text
    from companion.doses import limits, set_limit, spelled_as_before
    from companion.medicines import canonical, find, mg_text, parse_amount

    if args.medicine is None:
        with _open_store(args) as store:
            for name, limit in sorted(limits(store).items()):
                print(safe_text(f"{name}: {limit_text(limit)}"))
        return 0
    if args.dose is None:
        raise UsageError(f"give the daily maximum after the name (2400mg), or '{OFF}'")
    try:
        medicine = canonical(argument_text(args.medicine))
        mg = None if args.dose.strip().lower() == OFF else parse_amount(args.dose, "limit")
    except ValidationError as exc:
        raise _usage(exc) from None
    listed = find(medicine)
    if listed is not None and listed.contains:
        raise UsageError(
            f"limit: {medicine} is counted by what it contains "
            f"({' and '.join(listed.contains)}); set a limit for those"
        )
    most = listed.prescribed_max_mg if listed is not None else None
    if mg is not None and most is not None and mg > most + 1e-9:
        raise UsageError(
            f"limit: more than {mg_text(most)} a day of {medicine} "
            f"is beyond what is prescribed ({listed.source if listed else ''}); check the amount"
        )
    with _open_store(args) as store:
        if listed is None:
            medicine = spelled_as_before(store, medicine)
        set_limit(store, medicine, mg)
        applies = limits(store).get(medicine)
    if mg is None:
        after = f"; the list's {limit_text(applies)} applies" if applies else ""
        print(safe_text(f"Removed your limit for {medicine}{after}"))
    else:
        print(safe_text(f"Your limit for {medicine}: {mg_text(mg)} within 24 hours"))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from companion.doses import delete_by_prefix

    prefix = args.dose_id.strip().lower()
    if not re.fullmatch(r"[0-9a-f-]{8,36}", prefix):
        raise UsageError("ID: give the dose's id, or its first 8 characters")
    with _open_store(args) as store:
        deleted = delete_by_prefix(store, prefix)
    if deleted is None:
        raise UsageError(f"ID: no dose has the id {prefix}")
    print(safe_text(f"Deleted {deleted.medicine} {deleted.date} {deleted.time or ''}".rstrip()))
    return 0
