"""The diary entry: its fields, vocabularies and the one place they are validated.

The CSV, the CLI, the database and the screens all use the names defined here. The
database's CHECK constraints, written out in each migration, mirror this validation (a test
compares the two, field by field).
"""

from __future__ import annotations

import math
import operator
import os
import re
from datetime import UTC, datetime, timedelta
from datetime import date as Date

from companion.errors import DataError
from companion.night import NIGHT_ENDS as NIGHT_ENDS
from companion.record import Record
from companion.terminal import describe_unsafe, unsafe_char
from companion.wording import counted

# ``companion log`` runs this module on every save: it imports neither ``typing`` nor
# ``dataclasses`` (which brings ``inspect``, as slow to import as the whole save), so the
# types below are for the type checker only and the records are plain classes.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

    Kind = Literal["date", "time", "int", "float", "choice", "set", "text"]


class Sign(Record):
    """A warning sign: its word in the diary, in full words for a notice, and in a word or two
    for a line of the diary that has no room for more. One place, so a new sign cannot be
    stored without the words every screen and notice shows it by."""

    name: str
    words: str
    short: str


SIGNS: tuple[Sign, ...] = (
    Sign(
        "saddle_numbness", "numbness around the bottom, genitals or inner thighs", "saddle numbness"
    ),
    Sign("bladder_bowel_change", "a new change in bladder or bowel control", "bladder or bowel"),
    Sign("leg_weakness", "weakness in a leg", "leg weakness"),
    Sign("both_legs", "pain or numbness in both legs", "both legs"),
    Sign("sexual_dysfunction", "a new change in sexual function", "sexual function"),
    Sign("fever", "fever", "fever"),
    Sign("unexplained_weight_loss", "weight loss without trying", "weight loss"),
    Sign("lump", "a new lump", "lump"),
    Sign("collapse", "collapse or fainting", "collapse"),
)

VOCABULARIES: dict[str, tuple[str, ...]] = {
    "locations": (
        "lower_back_left",
        "lower_back_right",
        "lower_back_middle",
        "upper_back",
        "buttock_left",
        "buttock_right",
        "leg_left",
        "leg_right",
        "below_knee_left",
        "below_knee_right",
        "abdomen",
        "other",
    ),
    "qualities": (
        "aching",
        "stiff",
        "sharp",
        "stabbing",
        "burning",
        "shooting",
        "electric",
        "throbbing",
        "tingling",
        "numb",
        "spasm",
        "other",
    ),
    "cramp_sites": (
        "calf_left",
        "calf_right",
        "thigh_left",
        "thigh_right",
        "hamstring_left",
        "hamstring_right",
        "foot_left",
        "foot_right",
        "back",
        "other",
    ),
    "triggers": (
        "sitting",
        "standing",
        "lifting",
        "bending",
        "twisting",
        "exercise",
        "sleep_position",
        "cold",
        "heavy_sweating",
        "fatigue",
        "stress",
        "cough_or_sneeze",
        "other",
    ),
    "relief": (
        "rest",
        "walking",
        "stretching",
        "exercise",
        "heat",
        "cold",
        "massage",
        "position_change",
        "fluids",
        "medicine",
        "other",
    ),
    "red_flags": tuple(sign.name for sign in SIGNS),
}

# Red flags that mean "get emergency help now" the moment they are logged. A new change in
# sexual function is a cauda equina sign (bass-ces), so it is here too, as in the triage.
EMERGENCY_FLAGS: frozenset[str] = frozenset(
    {
        "saddle_numbness",
        "bladder_bowel_change",
        "leg_weakness",
        "both_legs",
        "sexual_dysfunction",
        "collapse",
    }
)

CHOICES: dict[str, tuple[str, ...]] = {
    "woke_at_night": ("yes", "no"),
    "eased_by_rest": ("yes", "partly", "no"),
}

NOTES_MAX = 4000
MEDICATIONS_MAX = 500


class FieldSpec(Record):
    """How one field is named, bounded and explained."""

    name: str
    kind: Kind
    label: str
    meaning: str
    unit: str = ""
    low: float | None = None
    high: float | None = None
    max_length: int | None = None
    step: float | None = None  # a number must be a whole multiple of this (half hours)

    @property
    def options(self) -> tuple[str, ...]:
        return VOCABULARIES.get(self.name) or CHOICES.get(self.name, ())


SPECS: tuple[FieldSpec, ...] = (
    FieldSpec("date", "date", "Date", "The day the entry is about", "YYYY-MM-DD"),
    FieldSpec("time", "time", "Time", "Local time of the check-in, 24-hour clock", "HH:MM"),
    FieldSpec("pain", "int", "Pain now", "Pain at the time of the entry", "0-10", 0, 10),
    FieldSpec("worst_pain", "int", "Worst pain", "Worst pain that day so far", "0-10", 0, 10),
    FieldSpec("night_pain", "int", "Night pain", "Worst pain the night before", "0-10", 0, 10),
    FieldSpec("woke_at_night", "choice", "Woke at night", "Pain woke them in the night", "yes/no"),
    FieldSpec(
        "eased_by_rest",
        "choice",
        "Eased by rest",
        "Whether resting eased the pain",
        "yes/partly/no",
    ),
    FieldSpec(
        "morning_stiffness_min",
        "int",
        "Morning stiffness",
        "How long the back felt stiff after getting up",
        "minutes, 0-1440",
        0,
        1440,
    ),
    FieldSpec("locations", "set", "Where it hurts", "Where the pain was", "list"),
    FieldSpec("qualities", "set", "How it feels", "What the pain felt like", "list"),
    FieldSpec("cramps", "int", "Cramps", "Number of cramp episodes", "count, 0-100", 0, 100),
    FieldSpec(
        "cramp_minutes",
        "float",
        "Longest cramp",
        "How long the longest cramp lasted",
        "minutes, 0-600",
        0,
        600,
    ),
    FieldSpec("cramp_sites", "set", "Cramp sites", "Where the cramps were", "list"),
    FieldSpec("triggers", "set", "Triggers", "What seemed to bring it on", "list"),
    FieldSpec("relief", "set", "What helped", "What eased it", "list"),
    FieldSpec(
        "medications",
        "text",
        "Medicines",
        "Medicines taken, as written by the person",
        "free text",
        max_length=MEDICATIONS_MAX,
    ),
    FieldSpec(
        "sleep_hours",
        "float",
        "Sleep",
        "Hours slept the night before",
        "hours, 0-24, halves allowed",
        0,
        24,
        step=0.5,
    ),
    FieldSpec("mood", "int", "Mood", "Mood that day", "0-10, 10 best", 0, 10),
    FieldSpec(
        "activity_min",
        "int",
        "Activity",
        "Minutes of walking or exercise that day",
        "minutes, 0-1440",
        0,
        1440,
    ),
    FieldSpec("weight_kg", "float", "Weight", "Body weight", "kg, 20-400", 20, 400),
    FieldSpec("temperature_c", "float", "Temperature", "Body temperature", "°C, 30-45", 30, 45),
    FieldSpec("red_flags", "set", "Warning signs", "Warning signs noticed", "list"),
    FieldSpec(
        "notes",
        "text",
        "Notes",
        "Anything else, in the person's words",
        "free text",
        max_length=NOTES_MAX,
    ),
)

SPEC: dict[str, FieldSpec] = {s.name: s for s in SPECS}
FIELD_NAMES: tuple[str, ...] = tuple(s.name for s in SPECS)
SET_FIELDS: tuple[str, ...] = tuple(s.name for s in SPECS if s.kind == "set")
LIST_SEPARATOR = ";"

# [0-9], never \d: in Python \d also matches other scripts' digits ("٣", "３"), which int()
# and float() would quietly read as numbers.
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME_RE = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
_INT_RE = re.compile(r"[+-]?[0-9]+")
_FLOAT_RE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_UTC_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})"
)
ASCII_DIGITS = "must be written with the digits 0-9"
UTC_FORMAT = "must be a UTC time written YYYY-MM-DDTHH:MM:SS+00:00"
# Notes may run over several lines and be indented; every other text is one plain line.
NOTES_ALLOW = "\n\t"


class ValidationError(DataError):
    """A field has a value the diary cannot hold; names the field, never echoes the value."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"{field_name}: {problem}")
        self.field = field_name
        self.problem = problem


def _range_text(spec: FieldSpec) -> str:
    return f"from {spec.low:g} to {spec.high:g}"


def _ascii_digits(field_name: str, text: str) -> None:
    """Refuse digits of other scripts by name, rather than as a malformed value."""
    if not text.isascii() and any(c.isdigit() for c in text):
        raise ValidationError(field_name, ASCII_DIGITS)


def parse_date(text: str, field_name: str = "date") -> str:
    """A strict YYYY-MM-DD date (Python alone would also accept 20260101)."""
    text = text.strip()
    _ascii_digits(field_name, text)
    if not _DATE_RE.fullmatch(text):
        raise ValidationError(field_name, "must be a date written YYYY-MM-DD")
    try:
        Date.fromisoformat(text)
    except ValueError:
        raise ValidationError(field_name, "is not a real calendar date") from None
    return text


FUTURE = "is after today: a diary records what has happened"


def check_not_future(day: str, today: Date) -> None:
    """Refuse a date after ``today`` (given as YYYY-MM-DD)."""
    if day > today.isoformat():
        raise ValidationError("date", FUTURE)


def check_agrees(values: dict[str, Any]) -> None:
    """Refuse values of one entry that contradict each other (a slip of the wrong field)."""
    pain, worst = values.get("pain"), values.get("worst_pain")
    if pain is not None and worst is not None and worst < pain:
        raise ValidationError(
            "worst_pain", "is lower than pain now; the worst pain of the day is at least that"
        )
    if values.get("cramps") == 0 and values.get("cramp_minutes"):
        raise ValidationError(
            "cramp_minutes", "is given for no cramps; leave it empty, or count the cramps"
        )


def when_logged(now: datetime, *, last_night: bool | None = None) -> tuple[str, str | None]:
    """The date and time of a new entry made at ``now``: the one rule for the entry form's
    "About last night" and ``companion log --yesterday``.

    A night belongs to the day it began, so an entry about last night goes on the day before,
    whether it is made at 23:30, at 00:40 or the next morning. It has no time: the time it
    was made is not a time on that day. Until NIGHT_ENDS o'clock the night is not over, so
    that is also what ``last_night=None`` gives then; otherwise, today at ``now``.
    """
    if last_night is None:
        last_night = now.hour < NIGHT_ENDS
    if last_night:
        return (now.date() - timedelta(days=1)).isoformat(), None
    return now.date().isoformat(), now.strftime("%H:%M")


def parse_value(name: str, raw: object) -> Any:
    """Turn a raw value (text from the CLI or CSV, or a Python value) into the field's value.

    Empty text and None mean "not recorded". Raises ValidationError naming the field.
    """
    spec = SPEC.get(name)
    if spec is None:
        raise ValidationError(name, "is not a diary field")
    if raw is None or (isinstance(raw, str) and raw.strip() == "" and spec.kind != "text"):
        return frozenset() if spec.kind == "set" else None
    if spec.kind == "date":
        return parse_date(_as_text(name, raw), name)
    if spec.kind == "time":
        text = _as_text(name, raw).strip()
        _ascii_digits(name, text)
        if not _TIME_RE.fullmatch(text):
            raise ValidationError(name, "must be a time written HH:MM (24-hour)")
        return text
    if spec.kind == "int":
        value = _as_number(spec, raw, whole=True)
        return int(value)
    if spec.kind == "float":
        return _as_number(spec, raw, whole=False)
    if spec.kind == "choice":
        text = _as_text(name, raw).strip().lower()
        if text not in spec.options:
            raise ValidationError(name, "must be one of " + ", ".join(spec.options))
        return text
    if spec.kind == "set":
        return _as_set(spec, raw)
    text = _as_text(name, raw)
    if name == "notes":
        text = one_line_ending(text)
    text = plain_text(name, text, NOTES_ALLOW if name == "notes" else "")
    if spec.max_length is not None and len(text) > spec.max_length:
        raise ValidationError(name, f"is longer than {spec.max_length:,} characters")
    return text or None


def one_line_ending(text: str) -> str:
    """Line breaks as "\\n" only: a CSV from Windows brings CRLF, an old Mac file CR."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def plain_text(name: str, text: str, allowed: str = "") -> str:
    """``text`` if it holds nothing that could act on a terminal; else a ValidationError.

    Refused: NUL, bytes that were not UTF-8, C0 and C1 control characters (except those in
    ``allowed``) and the characters that override or isolate text direction.
    """
    if "\x00" in text:
        raise ValidationError(name, "contains a NUL character")
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            # A byte that was not UTF-8 in the shell's arguments arrives as a lone surrogate.
            raise ValidationError(name, "contains bytes that are not UTF-8 text") from None
    bad = unsafe_char(text, allowed)
    if bad is not None:
        raise ValidationError(name, f"{describe_unsafe(bad)}; write plain text")
    return text


def _as_text(name: str, raw: object) -> str:
    if isinstance(raw, bool) and name in CHOICES:
        return "yes" if raw else "no"
    if not isinstance(raw, str):
        raise ValidationError(name, "must be text")
    return raw


def _as_number(spec: FieldSpec, raw: object, *, whole: bool) -> float:
    what = "a whole number" if whole else "a number"
    problem = f"must be {what} {_range_text(spec)}"
    if isinstance(raw, bool):
        raise ValidationError(spec.name, problem)
    if isinstance(raw, str):
        text = raw.strip()
        _ascii_digits(spec.name, text)
        if not (_INT_RE if whole else _FLOAT_RE).fullmatch(text):
            raise ValidationError(spec.name, problem)
        value = float(text)
    elif isinstance(raw, int | float):
        value = float(raw)
        if whole and not value.is_integer():
            raise ValidationError(spec.name, problem)
    else:
        raise ValidationError(spec.name, problem)
    assert spec.low is not None and spec.high is not None
    if not math.isfinite(value) or not spec.low <= value <= spec.high:
        raise ValidationError(spec.name, problem)
    if spec.step is not None and not (value / spec.step).is_integer():
        raise ValidationError(spec.name, f"must be in steps of {spec.step:g} ({spec.unit})")
    return value


def _as_set(spec: FieldSpec, raw: object) -> frozenset[str]:
    if isinstance(raw, str):
        items = [p.strip().lower() for p in raw.split(LIST_SEPARATOR)]
    elif isinstance(raw, list | tuple | set | frozenset):
        items = [str(p).strip().lower() for p in raw]
    else:
        raise ValidationError(spec.name, "must be a list of words separated by ';'")
    chosen = frozenset(p for p in items if p)
    unknown = chosen.difference(spec.options)
    if unknown:
        bad = sorted(unknown)[0]
        shown = bad if re.fullmatch(r"[a-z_]{1,40}", bad) else "a value"
        raise ValidationError(spec.name, f"{shown!s} is not one of: " + ", ".join(spec.options))
    return chosen


def ordered(name: str, values: frozenset[str]) -> list[str]:
    """A set's words in vocabulary order, so every output lists them the same way."""
    return [v for v in VOCABULARIES[name] if v in values]


def join_set(name: str, values: frozenset[str]) -> str:
    """A set in its canonical text form: vocabulary order, joined with ';'."""
    return LIST_SEPARATOR.join(ordered(name, values))


def new_id() -> str:
    """A random UUID (version 4) as text, made as ``uuid.uuid4`` makes it."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def entries_text(count: int) -> str:
    """'1 entry', '3 entries': for messages."""
    return counted(count, "entry", "entries")


def now_local() -> datetime:
    return datetime.now().astimezone()


def timestamp() -> str:
    """UTC timestamp for created/updated, sortable as text."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def parse_timestamp(text: str, field_name: str = "updated") -> str:
    """An ISO 8601 time with its UTC offset, as ``timestamp`` writes it (seconds, +00:00)."""
    text = text.strip()
    _ascii_digits(field_name, text)
    if not _UTC_RE.fullmatch(text):
        raise ValidationError(field_name, UTC_FORMAT)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return moment.astimezone(UTC).isoformat(timespec="seconds")
    except (ValueError, OverflowError):
        raise ValidationError(field_name, UTC_FORMAT) from None


# An entry's attributes: its fields in the canonical order, then its id and timestamps.
ENTRY_ATTRIBUTES: tuple[str, ...] = (*FIELD_NAMES, "id", "created", "updated")
_ALL_VALUES = operator.attrgetter(*ENTRY_ATTRIBUTES)


class Entry:
    """One check-in. Several a day are normal.

    Read-only once made (``with_changes`` gives a changed copy); equal to another entry with
    the same values. Without an id it gets a new one.
    """

    __slots__ = ENTRY_ATTRIBUTES

    date: str
    time: str | None
    pain: int | None
    worst_pain: int | None
    night_pain: int | None
    woke_at_night: str | None
    eased_by_rest: str | None
    morning_stiffness_min: int | None
    locations: frozenset[str]
    qualities: frozenset[str]
    cramps: int | None
    cramp_minutes: float | None
    cramp_sites: frozenset[str]
    triggers: frozenset[str]
    relief: frozenset[str]
    medications: str | None
    sleep_hours: float | None
    mood: int | None
    activity_min: int | None
    weight_kg: float | None
    temperature_c: float | None
    red_flags: frozenset[str]
    notes: str | None
    id: str
    created: str
    updated: str

    def __init__(
        self,
        date: str,
        time: str | None = None,
        pain: int | None = None,
        worst_pain: int | None = None,
        night_pain: int | None = None,
        woke_at_night: str | None = None,
        eased_by_rest: str | None = None,
        morning_stiffness_min: int | None = None,
        locations: frozenset[str] = frozenset(),
        qualities: frozenset[str] = frozenset(),
        cramps: int | None = None,
        cramp_minutes: float | None = None,
        cramp_sites: frozenset[str] = frozenset(),
        triggers: frozenset[str] = frozenset(),
        relief: frozenset[str] = frozenset(),
        medications: str | None = None,
        sleep_hours: float | None = None,
        mood: int | None = None,
        activity_min: int | None = None,
        weight_kg: float | None = None,
        temperature_c: float | None = None,
        red_flags: frozenset[str] = frozenset(),
        notes: str | None = None,
        id: str | None = None,
        created: str = "",
        updated: str = "",
    ) -> None:
        values = (
            date, time, pain, worst_pain, night_pain, woke_at_night, eased_by_rest,
            morning_stiffness_min, locations, qualities, cramps, cramp_minutes, cramp_sites,
            triggers, relief, medications, sleep_hours, mood, activity_min, weight_kg,
            temperature_c, red_flags, notes, new_id() if id is None else id, created, updated,
        )  # fmt: skip
        for name, value in zip(ENTRY_ATTRIBUTES, values, strict=True):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"an entry cannot be changed ({name}); use with_changes")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"an entry cannot be changed ({name}); use with_changes")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Entry):
            return NotImplemented
        return bool(_ALL_VALUES(self) == _ALL_VALUES(other))

    def __hash__(self) -> int:
        return hash(_ALL_VALUES(self))

    def __reduce__(self) -> tuple[type[Entry], tuple[Any, ...]]:
        # Copies and pickles are made through __init__, which the read-only guard allows.
        return Entry, _ALL_VALUES(self)

    def __repr__(self) -> str:
        # Keep diary text out of logs and tracebacks that print objects.
        return f"Entry(id={self.id!r}, date={self.date!r})"

    @property
    def emergency_flags(self) -> frozenset[str]:
        return self.red_flags & EMERGENCY_FLAGS

    def values(self) -> dict[str, Any]:
        """Field name to value, in the canonical order, without id and timestamps."""
        return {name: getattr(self, name) for name in FIELD_NAMES}

    def with_changes(self, **changes: Any) -> Entry:
        values = dict(zip(ENTRY_ATTRIBUTES, _ALL_VALUES(self), strict=True))
        values.update(changes)
        return Entry(**values)


def build_entry(
    raw: dict[str, object], *, entry_id: str | None = None, today: Date | None = None
) -> Entry:
    """Validate raw values (field name to text or value) into an Entry.

    The one place an entry is checked as a whole. With ``today`` (a new or edited entry), a
    later date is refused, and so are values that contradict each other; an import keeps
    what it is given.
    """
    values: dict[str, Any] = {}
    for name, value in raw.items():
        values[name] = parse_value(name, value)
    for set_field in SET_FIELDS:
        values.setdefault(set_field, frozenset())
    if values.get("date") is None:
        raise ValidationError("date", "is required")
    if today is not None:
        check_not_future(values["date"], today)
    if values.get("pain") is None and values.get("cramps") is None:
        raise ValidationError("pain", "an entry needs pain or cramps (or both)")
    if today is not None:
        check_agrees(values)
    if entry_id is not None:
        values["id"] = parse_id(entry_id)
    return Entry(**values)


def parse_id(text: str) -> str:
    """An entry's id: a UUID, in its canonical form."""
    import uuid  # only here: it imports ``platform``, a cost on every start

    try:
        if not text.isascii():  # int(), under uuid, would read other scripts' digits
            raise ValueError
        return str(uuid.UUID(text.strip()))
    except ValueError:
        raise ValidationError("id", "must be a UUID") from None


def check_stored(row: dict[str, Any]) -> None:
    """Check a row read from a diary file (field names, ``id``, ``created``, ``updated``) with
    the validator, as if it had been typed; ValidationError names the field.

    Text is checked for what every reader relies on (text, not too long, no NUL), not for
    control characters: a diary written before they were refused may hold some, and they are
    neutralised wherever text is shown.
    """
    raw = {name: row[name] for name in FIELD_NAMES if SPEC[name].kind != "text"}
    build_entry(raw, entry_id=row["id"] if isinstance(row["id"], str) else "")
    for spec in SPECS:
        value = row[spec.name]
        if spec.kind == "text" and value is not None:
            assert spec.max_length is not None
            if not isinstance(value, str) or len(value) > spec.max_length or "\x00" in value:
                raise ValidationError(
                    spec.name, f"must be text of up to {spec.max_length:,} characters"
                )
    for name in ("created", "updated"):
        if not isinstance(row[name], str):
            raise ValidationError(name, "must be a time written as text")
