"""How doses, limits and 24-hour totals are put in words, the same in the shell and the app."""

from __future__ import annotations

from companion.doses import DoseRecord, Limit, limits, total_24h_around
from companion.medicines import mg_text
from companion.store import Store


def dose_text(record: DoseRecord) -> str:
    """'1,000 mg', or for a combination each ingredient: '(codeine 30 mg, paracetamol 500 mg)'."""
    dose = record.dose
    if dose.parts:
        inside = ", ".join(f"{name} {mg_text(mg)}" for name, mg in dose.parts.items())
        return f"({inside})"
    return mg_text(dose.dose_mg)


def limit_text(limit: Limit) -> str:
    whose = "your personal limit" if limit.personal else f"the daily maximum ({limit.source})"
    return f"{mg_text(limit.mg)}, {whose}"


def totals_lines(store: Store, saved: DoseRecord) -> list[tuple[str, bool]]:
    """The most each of a dose's ingredients adds up to within any 24 hours that hold it,
    against the limit, and whether that is over it."""
    found = limits(store)
    lines: list[tuple[str, bool]] = []
    for ingredient in saved.dose.ingredients:
        total = total_24h_around(store, ingredient, saved.date, saved.time)
        limit = found.get(ingredient)
        text = f"{ingredient} within 24 hours: {mg_text(total)}"
        if limit is None:
            lines.append((f"{text}; no daily maximum on the list", False))
            continue
        over = total > limit.mg + 1e-9
        state = "OVER the limit of" if over else "of"
        lines.append((f"{text} {state} {limit_text(limit)}", over))
    return lines
