"""``companion log``, ``list``, ``export`` and ``import``: the diary from the shell."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from companion.entry import (
    SET_FIELDS,
    SPECS,
    Entry,
    ValidationError,
    build_entry,
    now_local,
    parse_date,
)
from companion.errors import UsageError

LIST_DEFAULT_DAYS = 30


def option_name(field_name: str) -> str:
    return "--" + field_name.replace("_", "-")


def date_arg(text: str) -> str:
    """argparse type for --from/--to/--today: a strict date, or a one-line usage error."""
    try:
        return parse_date(text, "date")
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.problem) from None


def add_range_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", type=date_arg, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="end", type=date_arg, metavar="YYYY-MM-DD")


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    log = sub.add_parser(
        "log",
        parents=[common],
        help="add an entry to the diary",
        description="Add one entry. Date and time default to now; give pain or cramps.",
    )
    for spec in SPECS:
        extra = (
            f" ({', '.join(spec.options)}; separate with ';' or ',')" if spec.kind == "set" else ""
        )
        log.add_argument(
            option_name(spec.name),
            dest=spec.name,
            metavar=spec.unit.split(",")[0].upper().replace(" ", "_") or "VALUE",
            help=f"{spec.meaning}: {spec.unit}{extra}",
        )
    log.set_defaults(func=cmd_log)

    lst = sub.add_parser(
        "list",
        parents=[common],
        help="show entries",
        description=f"Show entries, by default from the last {LIST_DEFAULT_DAYS} days.",
    )
    add_range_options(lst)
    lst.add_argument("--all", action="store_true", help="every entry, whatever the date")
    lst.add_argument("--json", action="store_true", help="JSON instead of a table")
    lst.set_defaults(func=cmd_list)

    exp = sub.add_parser(
        "export", parents=[common], help="write the diary as CSV for a doctor or a spreadsheet"
    )
    what = exp.add_mutually_exclusive_group(required=True)
    what.add_argument("--csv", metavar="FILE", help="CSV file to write, or - for stdout")
    what.add_argument("--dictionary", action="store_true", help="print what each CSV column means")
    add_range_options(exp)
    exp.set_defaults(func=cmd_export)

    imp = sub.add_parser(
        "import",
        parents=[common],
        help="add entries from a CSV in the export format (all or nothing)",
    )
    imp.add_argument("file", metavar="FILE.csv", type=Path)
    imp.set_defaults(func=cmd_import)


def _open_store(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from companion.store import Store

    return Store.open(getattr(args, "home", None))


def cmd_log(args: argparse.Namespace) -> int:
    now = now_local()
    raw: dict[str, object] = {
        spec.name: getattr(args, spec.name)
        for spec in SPECS
        if getattr(args, spec.name) is not None
    }
    raw.setdefault("date", now.date().isoformat())
    raw.setdefault("time", now.strftime("%H:%M"))
    for name in SET_FIELDS:
        if isinstance(raw.get(name), str):
            raw[name] = str(raw[name]).replace(",", ";")
    try:
        entry = build_entry(raw)
    except ValidationError as exc:
        raise UsageError(f"{option_name(exc.field)}: {exc.problem}") from None
    with _open_store(args) as store:
        saved = store.add(entry)
        print(f"Saved {describe(saved)}")
        if saved.emergency_flags:
            from companion.safety import emergency_notice, emergency_number

            print(emergency_notice(saved.emergency_flags, emergency_number(store)))
    return 0


def describe(entry: Entry) -> str:
    """One line that says what an entry holds (no free text)."""
    parts = [f"{entry.date}{' ' + entry.time if entry.time else ''}:"]
    if entry.pain is not None:
        parts.append(f"pain {entry.pain}/10")
    if entry.night_pain is not None:
        parts.append(f"night pain {entry.night_pain}/10")
    if entry.eased_by_rest is not None:
        parts.append(f"rest eased it: {entry.eased_by_rest}")
    if entry.cramps is not None:
        longest = f" (longest {entry.cramp_minutes:g} min)" if entry.cramp_minutes else ""
        parts.append(f"cramps {entry.cramps}{longest}")
    if entry.red_flags:
        parts.append("warning signs: " + ", ".join(sorted(entry.red_flags)))
    return ", ".join(parts).replace(":, ", ": ", 1) + f" [id {entry.id[:8]}]"


def _list_range(args: argparse.Namespace) -> tuple[str | None, str | None]:
    if args.all or args.start or args.end:
        return args.start, args.end
    return (date.today() - timedelta(days=LIST_DEFAULT_DAYS - 1)).isoformat(), None


def entry_json(entry: Entry) -> dict[str, Any]:
    data: dict[str, Any] = {"id": entry.id}
    for name, value in entry.values().items():
        data[name] = sorted(value) if name in SET_FIELDS else value
    data["created"] = entry.created
    data["updated"] = entry.updated
    return data


def cmd_list(args: argparse.Namespace) -> int:
    start, end = _list_range(args)
    with _open_store(args) as store:
        entries = store.iter_rows(start, end)
        if args.json:
            out = sys.stdout
            out.write("[")
            for i, entry in enumerate(entries):
                out.write(
                    ("," if i else "") + "\n  " + json.dumps(entry_json(entry), ensure_ascii=False)
                )
            out.write("\n]\n")
            return 0
        _print_table(entries)
    return 0


def _print_table(entries: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Diary", header_style="bold", expand=False)
    for column, justify in (
        ("date", "left"),
        ("time", "left"),
        ("pain", "right"),
        ("worst", "right"),
        ("night", "right"),
        ("rest eased", "left"),
        ("cramps", "right"),
        ("longest", "right"),
        ("where", "left"),
        ("notes", "left"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    rows = 0
    for e in entries:
        rows += 1
        table.add_row(
            e.date,
            e.time or "",
            _num(e.pain),
            _num(e.worst_pain),
            _num(e.night_pain),
            e.eased_by_rest or "",
            _num(e.cramps),
            f"{e.cramp_minutes:g} min" if e.cramp_minutes else "",
            ", ".join(sorted(e.locations)),
            (e.notes or "").replace("\n", " ")[:40],
        )
    console = Console()
    if rows:
        console.print(table)
    else:
        console.print("No entries in that range.")


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def cmd_export(args: argparse.Namespace) -> int:
    from companion import csvio

    if args.dictionary:
        print("\n".join(csvio.dictionary_lines()))
        return 0
    with _open_store(args) as store:
        rows = store.iter_rows(args.start, args.end)
        if args.csv == "-":
            csvio.write_csv(rows, sys.stdout)
            return 0
        from companion.paths import private_output

        target = Path(args.csv).expanduser()
        with private_output(target, newline="") as handle:
            handle.write("\ufeff")  # a BOM, so spreadsheets read the file as UTF-8
            count = csvio.write_csv(rows, handle)
    print(f"Wrote {count} entries to {target}", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from companion import csvio

    path: Path = args.file
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    with _open_store(args) as store:
        result = store.merge(csvio.read_csv(path))
    print(
        f"Imported {path}: {result.added} new, {result.changed} updated, "
        f"{result.unchanged} already in the diary"
    )
    return 0
