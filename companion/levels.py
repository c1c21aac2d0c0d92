"""How urgently to get help, in one wording per level: content/levels.toml.

Triage, the alerts, the dashboard's banner, the doctor's summary and the notices after a
save all take a level's symbol, word, title and action from here, so "emergency" says "now"
and "urgent" says "today" wherever they appear.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from companion import content
from companion.content import fill
from companion.errors import DataError
from companion.record import Record

LEVELS_FILE = "levels.toml"
# The levels, most urgent first; levels.toml and triage.toml must name exactly these, and a
# triage result's disposition in the diary is one of them.
DISPOSITIONS = ("emergency", "urgent", "soon", "self_care")
_KEYS = ("id", "symbol", "word", "title", "action")


class Level(Record):
    id: str
    symbol: str  # never colour alone: a symbol and a word
    word: str
    title: str
    action: str  # with {emergency_number}

    @property
    def label(self) -> str:
        """The symbol and the word: never colour alone."""
        return f"{self.symbol} {self.word}"

    @property
    def heading(self) -> str:
        """The symbol and the title, as a result's headline."""
        return f"{self.symbol} {self.title}"

    def advice(self, number: str) -> str:
        """What to do, with the person's emergency number."""
        return fill(self.action, number)


def load(root: Path | None = None) -> dict[str, Level]:
    """The levels, most severe first; a mistake is a DataError naming its place."""
    raw = content.load_toml(LEVELS_FILE, root).get("level")
    found: dict[str, Level] = {}
    for i, table in enumerate(raw if isinstance(raw, list) else []):
        where = f"{LEVELS_FILE}: level {i + 1}"
        if not isinstance(table, dict) or set(table) != set(_KEYS):
            raise DataError(f"{where}: needs exactly {', '.join(_KEYS)}")
        if not all(isinstance(table[k], str) and table[k].strip() for k in _KEYS):
            raise DataError(f"{where}: every value must be non-empty text")
        found[table["id"]] = Level(*(table[k] for k in _KEYS))
    if tuple(found) != DISPOSITIONS:
        raise DataError(f"{LEVELS_FILE}: levels must be {', '.join(DISPOSITIONS)}, in order")
    return found


@cache
def levels() -> dict[str, Level]:
    """The shipped levels, loaded and checked once."""
    return load()


def level(level_id: str) -> Level:
    return levels()[level_id]
