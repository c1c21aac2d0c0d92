"""The medicines the dose log knows (content/medicines.toml), and how a dose is written.

A name is matched to the list ignoring case, spaces and hyphens, through its aliases
("acetaminophen" is paracetamol); any other name is kept as written, without a limit. A dose
is an amount with a unit, mg, g or mcg ("1g" is 1000 mg); a combination product's dose is
its strength as the pack writes it ("30/500mg" of co-codamol: 30 mg codeine, 500 mg
paracetamol), and each ingredient counts towards its own daily total.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from companion.content import check_sources, known_sources, load_toml
from companion.entry import ValidationError, plain_text
from companion.errors import DataError

MEDICINES_FILE = "medicines.toml"
CLASSES = ("paracetamol", "nsaid", "opioid", "statin", "diuretic")
# Statins and diuretics can cause cramps (nhs-cramps).
CRAMP_CLASSES = frozenset({"statin", "diuretic"})
NAME_MAX = 60
NOTE_MAX = 500
# More than any one dose of anything could be: a slip of the unit, not a dose.
DOSE_MAX_MG = 100_000.0
# casefold() turns the micro sign (µ) into the Greek mu (μ): both are read.
UNITS_MG = {"mg": 1.0, "g": 1000.0, "mcg": 0.001, "µg": 0.001, "μg": 0.001, "ug": 0.001}
DOSE_EXAMPLE = "an amount with a unit, such as 400mg, 1g or 50mcg"
_AMOUNT_RE = re.compile(r"([0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*([a-zµμ]*)")


@dataclass(frozen=True)
class Medicine:
    name: str
    aliases: tuple[str, ...]
    kind: str  # one of CLASSES
    daily_max_mg: float | None = None
    prescribed_max_mg: float | None = None
    source: str | None = None
    contains: tuple[str, ...] = ()  # a combination's ingredients, as its strength is written
    nsaid_from_mg: float = 0.0  # a dose counts as an NSAID from this amount (aspirin)


@dataclass(frozen=True)
class Dose:
    """An amount of a medicine: the whole, and for a combination each ingredient's part."""

    medicine: str
    dose_mg: float
    parts: dict[str, float] | None = None

    @property
    def ingredients(self) -> dict[str, float]:
        """What counts towards each medicine's daily total."""
        return dict(self.parts) if self.parts else {self.medicine: self.dose_mg}


def key(name: str) -> str:
    """How names are compared: case, spaces, hyphens and dots do not matter, nor do the
    full-width letters, typographic dashes and invisible marks a pasted name can carry
    (a name that slipped past the list would be counted against no limit)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    kept = (c for c in folded if unicodedata.category(c) not in ("Cf", "Pd"))
    return re.sub(r"[\s_.]+", "", "".join(kept))


def load(root: Path | None = None) -> dict[str, Medicine]:
    """The medicine list by name, checked; a mistake is a DataError naming its place."""
    data = load_toml(MEDICINES_FILE, root)
    sources = known_sources(root)
    found: dict[str, Medicine] = {}
    keys: dict[str, str] = {}
    for i, raw in enumerate(data.get("medicine", [])):
        name = raw.get("name") if isinstance(raw, dict) else None
        where = f"{MEDICINES_FILE}: medicine {name if isinstance(name, str) else i + 1}"
        if not isinstance(name, str) or not name.strip() or not isinstance(raw, dict):
            raise DataError(f"{where}: needs a name")
        if raw.get("class") not in CLASSES:
            raise DataError(f"{where}: class must be one of {', '.join(CLASSES)}")
        aliases = raw.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise DataError(f"{where}: aliases must be a list of names")
        limits = {}
        for field in ("daily_max_mg", "prescribed_max_mg", "nsaid_from_mg"):
            value = raw.get(field)
            if value is not None and (not isinstance(value, int | float) or value <= 0):
                raise DataError(f"{where}: {field} must be a number of mg above 0")
            limits[field] = None if value is None else float(value)
        source = raw.get("source")
        if limits["daily_max_mg"] is not None:
            (source,) = check_sources([source] if source else None, where, sources)
        contains = raw.get("contains", [])
        if not isinstance(contains, list) or len(contains) == 1:
            raise DataError(f"{where}: contains must list two or more ingredients")
        for alias in (name, *aliases):
            other = keys.setdefault(key(alias), name)
            if other != name:
                raise DataError(f"{where}: {alias!r} is also a name of {other}")
        found[name] = Medicine(
            name=name,
            aliases=tuple(aliases),
            kind=raw["class"],
            daily_max_mg=limits["daily_max_mg"],
            prescribed_max_mg=limits["prescribed_max_mg"] or limits["daily_max_mg"],
            source=source,
            contains=tuple(str(c) for c in contains),
            nsaid_from_mg=limits["nsaid_from_mg"] or 0.0,
        )
    for medicine in found.values():
        unknown = [c for c in medicine.contains if c not in found]
        if unknown:
            raise DataError(f"{MEDICINES_FILE}: medicine {medicine.name}: unknown {unknown[0]!r}")
    return found


@cache
def medicines() -> dict[str, Medicine]:
    """The shipped list, loaded and checked once."""
    return load()


@cache
def _by_key() -> dict[str, Medicine]:
    return {key(alias): m for m in medicines().values() for alias in (m.name, *m.aliases)}


def find(name: str) -> Medicine | None:
    """The listed medicine a name (or alias) means, or None."""
    return _by_key().get(key(name))


def canonical(name: str, field_name: str = "medicine") -> str:
    """The list's name for a medicine, or the name as written (one plain line, trimmed)."""
    text = plain_text(field_name, " ".join(name.split()))
    if not text:
        raise ValidationError(field_name, "is empty; name the medicine")
    if len(text) > NAME_MAX:
        raise ValidationError(field_name, f"is longer than {NAME_MAX} characters")
    found = find(text)
    return found.name if found is not None else text


def parse_amount(text: str, field_name: str = "dose") -> float:
    """'400mg', '1 g', '0.5g', '50mcg' in mg; anything else a ValidationError naming it."""
    written = text.strip().casefold()
    if any(c.isdigit() and not c.isascii() for c in written):
        raise ValidationError(field_name, "must be written with the digits 0-9")
    if written.startswith("-"):
        raise ValidationError(field_name, "must be more than 0")
    if "," in written:
        raise ValidationError(field_name, "write it without commas, such as 1000mg or 1.5g")
    match = _AMOUNT_RE.fullmatch(written)
    if match is None:
        raise ValidationError(field_name, f"must be {DOSE_EXAMPLE}")
    number, unit = match.groups()
    if not unit:
        raise ValidationError(field_name, f"needs a unit: {DOSE_EXAMPLE}")
    if unit not in UNITS_MG:
        shown = unit if unit.isalpha() and len(unit) <= 10 else "that"
        raise ValidationError(field_name, f"{shown} is not a unit for a dose; use mg, g or mcg")
    # To a millionth of a mg, as stored: an amount too small for that is no dose.
    mg = round(float(number) * UNITS_MG[unit], 6)
    if mg <= 0:
        raise ValidationError(field_name, "must be more than 0")
    if mg > DOSE_MAX_MG:
        raise ValidationError(field_name, "is more than any one dose could be; check the unit")
    return mg


def parse_dose(medicine: str, text: str, field_name: str = "dose") -> Dose:
    """A dose of ``medicine`` (already canonical) as written: '400mg', or for a combination
    its strength, '30/500mg' or '30mg/500mg' (mg when no unit follows a number)."""
    listed = medicines().get(medicine)
    if listed is None or not listed.contains:
        if "/" in text:
            raise ValidationError(field_name, f"must be {DOSE_EXAMPLE}")
        return Dose(medicine, parse_amount(text, field_name))
    pieces = text.strip().split("/")
    strength = "/".join(["N"] * len(listed.contains))
    if len(pieces) != len(listed.contains):
        raise ValidationError(
            field_name,
            f"for {medicine}, write the strength on the pack, {strength}mg "
            f"({' and '.join(listed.contains)} in mg)",
        )
    unit = re.sub(r"^[0-9.\s]*", "", pieces[-1].strip())
    parts: dict[str, float] = {}
    for ingredient, piece in zip(listed.contains, pieces, strict=True):
        piece = piece.strip()
        if piece and (piece[-1].isdigit() or piece[-1] == "."):
            piece += unit or "mg"
        parts[ingredient] = parse_amount(piece, field_name)
    total = round(sum(parts.values()), 6)
    if total > DOSE_MAX_MG:
        raise ValidationError(field_name, "is more than any one dose could be; check the unit")
    return Dose(medicine, total, parts)


def is_nsaid(name: str, dose_mg: float) -> bool:
    """Whether a dose counts as an NSAID (aspirin only at a pain dose)."""
    found = medicines().get(name)
    return found is not None and found.kind == "nsaid" and dose_mg >= found.nsaid_from_mg


def class_of(name: str) -> str | None:
    found = medicines().get(name)
    return found.kind if found is not None else None


def mg_text(mg: float) -> str:
    """'1,000 mg', '2.5 mg', '0.05 mg': how an amount is shown."""
    if mg >= 1000 and float(mg).is_integer():
        return f"{int(mg):,} mg"
    return f"{mg:,.3f}".rstrip("0").rstrip(".") + " mg"
