"""The wording shared by every place that tells a person to get help."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from companion.entry import EMERGENCY_FLAGS, SIGNS, VOCABULARIES
from companion.terminal import safe_text

if TYPE_CHECKING:
    from companion.store import Store

EMERGENCY_NUMBER_KEY = "emergency_number"
DEFAULT_EMERGENCY_NUMBER = "your local emergency number, such as 112, 911 or 999"

NOT_A_DIAGNOSIS = "This is a prompt to get checked, not a diagnosis."

# Warning signs in words (for a notice), and in a word or two (for a line of the diary).
FLAG_WORDS: dict[str, str] = {sign.name: sign.words for sign in SIGNS}
FLAG_SHORT: dict[str, str] = {sign.name: sign.short for sign in SIGNS}


def sign_names(flags: Iterable[str]) -> str:
    """'saddle numbness, fever': warning signs by name, in the vocabulary's order."""
    chosen = set(flags)
    return ", ".join(FLAG_SHORT[f] for f in VOCABULARIES["red_flags"] if f in chosen)


def signs_in_short(flags: Iterable[str]) -> str:
    """'!! saddle numbness, fever': the names marked '!!' when one of them is an emergency
    sign and '!' otherwise."""
    chosen = set(flags)
    return f"{'!!' if chosen & EMERGENCY_FLAGS else '!'} {sign_names(chosen)}"


def emergency_number(store: Store | None) -> str:
    """The person's emergency number setting, or the general wording.

    Shown on every screen and printed by every command that says what to call, so a stored
    control sequence (from before they were refused) is neutralised here, once.
    """
    if store is None:
        return DEFAULT_EMERGENCY_NUMBER
    return safe_text(store.setting(EMERGENCY_NUMBER_KEY) or DEFAULT_EMERGENCY_NUMBER)


def flag_words(flags: Iterable[str]) -> str:
    """Warning signs in words, in the vocabulary's order; an unknown sign fails loudly."""
    return "; ".join(FLAG_WORDS[f] for f in sorted(flags, key=VOCABULARIES["red_flags"].index))


def emergency_notice(flags: Iterable[str], number: str = DEFAULT_EMERGENCY_NUMBER) -> str:
    """The emergency notice for warning signs that need help now."""
    from companion.levels import level

    now = level("emergency")
    return (
        f"{now.label}: you noted {flag_words(flags)}. With back pain this needs checking "
        f"now. {now.advice(number)} {NOT_A_DIAGNOSIS}"
    )


def sign_notice(flags: Iterable[str], number: str = DEFAULT_EMERGENCY_NUMBER) -> str:
    """What to do about warning signs just logged: how soon, in the level's own words."""
    from companion.levels import level

    signs = frozenset(flags)
    if signs & EMERGENCY_FLAGS:
        return emergency_notice(signs & EMERGENCY_FLAGS, number)
    # A fever with back pain is seen today (nice-cks-lbp); a lump or weight loss within days.
    how_soon = level("urgent" if "fever" in signs else "soon")
    return (
        f"{how_soon.label}: you noted {flag_words(signs)}. {how_soon.advice(number)} "
        f"{NOT_A_DIAGNOSIS}"
    )
