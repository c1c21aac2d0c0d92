"""One line that says what an entry holds, without its free text: after a save in the shell,
and in the list of a day's entries behind an alert."""

from __future__ import annotations

from companion.entry import Entry


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
        from companion.safety import sign_names

        parts.append("warning signs: " + sign_names(entry.red_flags))
    return ", ".join(parts).replace(":, ", ": ", 1)
