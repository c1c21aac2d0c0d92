"""``companion log``, ``list``, ``export`` and ``import``: the diary from the shell."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable
from datetime import date, timedelta

from companion.cli_options import add_force_option, add_range_options, check_order
from companion.entry import (
    NIGHT_ENDS,
    NOTES_ALLOW,
    SET_FIELDS,
    SPECS,
    Entry,
    ValidationError,
    build_entry,
    entries_text,
    now_local,
    ordered,
    when_logged,
)
from companion.entry_line import describe
from companion.errors import DataError, UsageError
from companion.paths import as_path
from companion.terminal import (
    argument_text,
    data_stdout,
    json_ascii,
    one_line,
    safe_json,
    safe_text,
)

TYPE_CHECKING = False  # not typing's: importing typing slows every ``companion log``
if TYPE_CHECKING:
    from typing import Any

    from companion.alerts import Alert
    from companion.store import Store

LIST_DEFAULT_DAYS = 30


def option_name(field_name: str) -> str:
    return "--" + field_name.replace("_", "-")


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    log = sub.add_parser(
        "log",
        parents=[common],
        help="add an entry to the diary",
        description=(
            "Add one entry; give pain or cramps. Date and time default to now. A night "
            f"belongs to the day it began: until {NIGHT_ENDS:02d}:00 an entry goes on the day "
            "before, as with --yesterday. An entry for another day has no time unless you "
            "give --time. A date after today is refused."
        ),
    )
    log.add_argument(
        "--yesterday",
        action="store_true",
        help=(
            "the entry is about yesterday or last night: it goes on the day before, "
            f"without a time (the default until {NIGHT_ENDS:02d}:00)"
        ),
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
    add_force_option(exp)
    exp.set_defaults(func=cmd_export)

    imp = sub.add_parser(
        "import",
        parents=[common],
        help="add entries from a CSV in the export format (all or nothing)",
    )
    imp.add_argument("file", metavar="FILE.csv")
    imp.set_defaults(func=cmd_import)

    dele = sub.add_parser(
        "delete",
        parents=[common],
        help="delete one entry (synced computers delete it too)",
        description=(
            "Delete the entry with this id: the one 'companion log' printed, its first 8 "
            "characters, or the id 'companion list --json' shows. A sync carries the delete "
            "to your other computers."
        ),
    )
    dele.add_argument("id", metavar="ID")
    dele.set_defaults(func=cmd_delete)


def _open_store(args: argparse.Namespace) -> Store:
    from companion.store import Store

    return Store.open(getattr(args, "home", None))


def cmd_log(args: argparse.Namespace) -> int:
    raw: dict[str, object] = {
        spec.name: argument_text(getattr(args, spec.name))
        for spec in SPECS
        if getattr(args, spec.name) is not None
    }
    if args.yesterday and "date" in raw:
        raise UsageError("--yesterday and --date cannot be used together")
    now = now_local()
    if "date" not in raw:
        # Only an entry about right now gets the current time; a past day's time is unknown.
        raw["date"], time = when_logged(now, last_night=args.yesterday or None)
        if time is not None:
            raw.setdefault("time", time)
    for name in SET_FIELDS:
        if isinstance(raw.get(name), str):
            raw[name] = str(raw[name]).replace(",", ";")
    try:
        entry = build_entry(raw, today=now.date())
    except ValidationError as exc:
        raise UsageError(f"{option_name(exc.field)}: {exc.problem}") from None
    with _open_store(args) as store:
        # A temperature or a cramp's length can raise an urgent alert as a ticked sign does:
        # the alerts before and after the save tell which (only then, to keep log quick).
        numbers = entry.temperature_c is not None or entry.cramp_minutes is not None
        before = _urgent_alerts(store, now.date()) if numbers else []
        saved = store.add(entry)
        print(f"Saved {describe(saved)} [id {saved.id[:8]}]")
        if saved.red_flags:
            print(flag_notice(saved, store))
        if numbers:
            for alert in _urgent_alerts(store, now.date()):
                told = bool(alert.signs) and set(alert.signs) <= saved.red_flags
                if alert not in before and not told:
                    print(alert_notice(alert))
    return 0


def _urgent_alerts(store: Store, today: date) -> list[Alert]:
    from companion.alerts import active_alerts

    return [a for a in active_alerts(store, today) if a.level in ("emergency", "urgent")]


def alert_notice(alert: Alert) -> str:
    """An alert a save raised, in its level's words."""
    from companion.safety import NOT_A_DIAGNOSIS

    return f"{alert.label}: {alert.title}. {alert.advice} {NOT_A_DIAGNOSIS}"


def flag_notice(entry: Entry, store: Store) -> str:
    """What to do about the warning signs an entry notes: emergency ones come first."""
    from companion.safety import emergency_number, sign_notice

    return sign_notice(entry.red_flags, emergency_number(store))


def _list_range(args: argparse.Namespace) -> tuple[str | None, str | None]:
    check_order(args)
    if args.all or args.start or args.end:
        return args.start, args.end
    return (now_local().date() - timedelta(days=LIST_DEFAULT_DAYS - 1)).isoformat(), None


def entry_json(entry: Entry) -> dict[str, Any]:
    data: dict[str, Any] = {"id": entry.id}
    for name, value in entry.values().items():
        data[name] = ordered(name, value) if name in SET_FIELDS else value
    data["created"] = entry.created
    data["updated"] = entry.updated
    return data


def cmd_list(args: argparse.Namespace) -> int:
    start, end = _list_range(args)
    with _open_store(args) as store:
        if args.json:
            entries = store.iter_rows(start, end)
            import json

            out = sys.stdout
            out.write("[")
            for i, entry in enumerate(entries):
                line = safe_json(json.dumps(entry_json(entry), ensure_ascii=json_ascii()))
                out.write(("," if i else "") + "\n  " + line)
            out.write("\n]\n")
            return 0
        if sys.stdout.isatty():
            _print_table(store.iter_rows(start, end))
        else:
            _print_plain(store.iter_values(_PLAIN_COLUMNS, start, end))
    return 0


# Short words for the table, so a row fits 80 columns.
_PLACE_WORDS = {"lower_back": "low back", "upper_back": "upper back", "below_knee": "below knee"}
_SIDE_WORDS = {"left": "L", "right": "R", "middle": "mid"}


def place_word(location: str) -> str:
    """lower_back_left -> 'low back L': the table's short form of a location."""
    stem, _, side = location.rpartition("_")
    if side in _SIDE_WORDS:
        return f"{_PLACE_WORDS.get(stem, stem)} {_SIDE_WORDS[side]}"
    return _PLACE_WORDS.get(location, location)


# The table's columns and their widths; fixed, so the rows can be printed in chunks as
# they stream from the database and still line up.
_TABLE_COLUMNS = (
    ("date", 10),
    ("time", 5),
    ("pain", 4),
    ("worst", 5),
    ("night", 5),
    ("rest eased", 6),
    ("cramps", 8),
    ("where", 12),
)
_NUMERIC = frozenset({"pain", "worst", "night", "cramps"})
_TABLE_CHUNK = 200
_NOTES_MIN = 8
_WIDE = 80  # below this width the "where" column gives way to the notes


def _table_row(e: Entry) -> dict[str, Any]:
    from rich.text import Text

    from companion.safety import signs_in_short

    cramps = _num(e.cramps)
    if e.cramp_minutes:
        cramps += f" ({e.cramp_minutes:g}m)"
    notes = one_line(e.notes or "")
    # Warning signs first, by name and with a mark (never colour alone); notes on one line.
    signs = signs_in_short(e.red_flags) if e.red_flags else ""
    shown = signs + (" | " if signs and notes else "") + notes
    return {
        "date": e.date,
        "time": e.time or "",
        "pain": _num(e.pain),
        "worst": _num(e.worst_pain),
        "night": _num(e.night_pain),
        "rest eased": e.eased_by_rest or "",
        "cramps": cramps,
        "where": "\n".join(place_word(p) for p in ordered("locations", e.locations)),
        "notes": Text(shown, no_wrap=True, overflow="ellipsis"),
    }


def _print_table(entries: Iterable[Entry]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            # Rich exits 1 when the reader goes away; ``main`` treats that as a quiet stop.
            raise BrokenPipeError

    console = PipeConsole(highlight=False)
    columns = [c for c in _TABLE_COLUMNS if c[0] != "where" or console.width >= _WIDE]
    used = sum(width for _, width in columns) + len(columns)  # one space between columns
    columns.append(("notes", max(_NOTES_MIN, console.width - used)))

    def table(rows: list[dict[str, Any]], *, header: bool) -> Table:
        out = Table(
            box=box.SIMPLE_HEAD,
            padding=0,
            header_style="bold",
            show_edge=False,
            show_header=header,
        )
        for name, width in columns:
            out.add_column(name, width=width, justify="right" if name in _NUMERIC else "left")
        for row in rows:
            out.add_row(*(row[name] for name, _ in columns))
        return out

    chunk: list[dict[str, Any]] = []
    count = 0
    for entry in entries:
        chunk.append(_table_row(entry))
        count += 1
        if len(chunk) == _TABLE_CHUNK:
            console.print(table(chunk, header=count == len(chunk)))
            chunk = []
    if chunk:
        console.print(table(chunk, header=count == len(chunk)))
    if count:
        console.print(entries_text(count))
    else:
        console.print("No entries in that range.")


_PLAIN_COLUMNS = (
    "date",
    "time",
    "pain",
    "worst_pain",
    "night_pain",
    "eased_by_rest",
    "cramps",
    "cramp_minutes",
    "locations",
    "red_flags",
    "notes",
)


def _print_plain(rows: Iterable[tuple[Any, ...]]) -> None:
    """The table's columns for a pipe or a file: a line naming them, then one line per
    entry, its fields separated by tabs (places by ', '). Read straight from the stored
    values, row by row; notes on one line, escaped as on the screen."""
    from companion.safety import signs_in_short

    out = sys.stdout
    out.write("\t".join(name for name, _ in _TABLE_COLUMNS) + "\tnotes\n")
    for day, time, pain, worst, night, rest, cramps, minutes, places, flags, notes in rows:
        cramps_cell = _num(cramps) + (f" ({minutes:g}m)" if minutes else "")
        where = ", ".join(place_word(p) for p in ordered("locations", _words(places)))
        shown = one_line(notes) if notes else ""
        if flags:
            shown = signs_in_short(_words(flags)) + (" | " + shown if shown else "")
        line = (day, time or "", _num(pain), _num(worst), _num(night), rest or "")
        out.write("\t".join((*line, cramps_cell, where, shown)) + "\n")


def _words(stored: str | None) -> frozenset[str]:
    return frozenset(stored.split(";")) if stored else frozenset()


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def cmd_export(args: argparse.Namespace) -> int:
    from companion import csvio

    if args.dictionary:
        print("\n".join(csvio.dictionary_lines()))
        return 0
    check_order(args)
    with _open_store(args) as store:
        if args.csv == "-":
            rows = store.iter_values(csvio.CSV_COLUMNS, args.start, args.end)
            if sys.stdout.isatty():
                # For reading on the screen: a stored control sequence is shown, not obeyed.
                rows = (tuple(_shown(v) for v in row) for row in rows)
            with data_stdout() as out:
                csvio.write_rows(rows, out)
            return 0
        from companion.report import export

        # The whole diary unless a range is given: from its first day to its last.
        today = now_local().date()
        first, last = store.span() or (today.isoformat(), today.isoformat())
        target = as_path(os.path.expanduser(args.csv))
        written = export(
            store,
            date.fromisoformat(args.start or first),
            date.fromisoformat(args.end or last),
            today,
            csv_path=target,
            replace=args.force,
        )
    print(f"Wrote {entries_text(written.csv_rows)} to {safe_text(str(target))}", file=sys.stderr)
    return 0


def _shown(value: object) -> object:
    return safe_text(value, NOTES_ALLOW) if isinstance(value, str) else value


def cmd_import(args: argparse.Namespace) -> int:
    from companion.store.importing import import_csv

    path = as_path(args.file)
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    if not path.is_file():
        raise UsageError(f"{path}: not a file (a folder, a device or a pipe); name the CSV file")
    with _open_store(args) as store:
        result = import_csv(store, path)
    older = f"; {result.older} older than yours, kept yours" if result.older else ""
    print(
        f"Imported {safe_text(str(path))}: {result.added} new, {result.changed} updated, "
        f"{result.unchanged} already in the diary{older}"
    )
    return 0


_ID_PREFIX = r"[0-9a-f-]{8,36}"  # compiled on first use: not on companion log's way


def cmd_delete(args: argparse.Namespace) -> int:
    wanted = args.id.strip().lower()
    if not re.fullmatch(_ID_PREFIX, wanted):
        raise UsageError(
            "ID: an entry's id, or at least its first 8 characters (0-9, a-f and '-'), "
            "as 'companion log' prints it"
        )
    with _open_store(args) as store:
        found = store.ids_starting(wanted)
        if not found:
            raise DataError(f"ID: no entry has an id starting {wanted}")
        if len(found) > 1:
            raise DataError(f"ID: more than one entry has an id starting {wanted}; give more of it")
        deleted = store.delete(found[0])
    print(f"Deleted {describe(deleted)} [id {deleted.id[:8]}]")
    return 0
