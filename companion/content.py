"""The one reader of content/: triage rules, red-flag rules and advice articles.

In a source tree content/ sits beside the package; in an installed wheel it travels inside
the package as ``companion/_content``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from companion import content_cache
from companion.errors import DataError
from companion.record import Record

_PACKAGED = Path(__file__).resolve().parent / "_content"
_SOURCE = Path(__file__).resolve().parent.parent / "content"
SOURCES_FILE = "sources.toml"


@cache
def content_dir() -> Path:
    for candidate in (_PACKAGED, _SOURCE):
        if candidate.is_dir():
            return candidate
    raise DataError("content files are missing from this installation; reinstall companion")


def content_path(relative: str, root: Path | None = None) -> Path:
    """A content file; ``root`` replaces the shipped content/ (tests load broken copies)."""
    return (root or content_dir()) / relative


def load_toml(relative: str, root: Path | None = None) -> dict[str, Any]:
    """A content file's data, parsed once and kept (companion.content_cache) for later starts."""
    try:
        source = content_path(relative, root).read_bytes()
    except OSError as exc:
        raise DataError(f"{relative}: cannot read content file ({exc})") from None
    kept = content_cache.recall(relative, source)
    if kept is not None:
        return kept
    import tomllib  # only when nothing was kept: its import alone is 4 ms of a start

    try:
        data = tomllib.loads(source.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"{relative}: cannot read content file ({exc})") from None
    content_cache.keep(relative, source, data)
    return data


def read_text(relative: str, root: Path | None = None) -> str:
    try:
        return content_path(relative, root).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{relative}: cannot read content file ({exc})") from None


def list_names(folder: str, suffix: str, root: Path | None = None) -> list[str]:
    """The names (without suffix) of the files in a content folder, sorted."""
    directory = content_path(folder, root)
    try:
        return sorted(p.stem for p in directory.iterdir() if p.name.endswith(suffix))
    except OSError as exc:
        raise DataError(f"{folder}: cannot list content files ({exc.strerror})") from None


class Source(Record):
    """A guideline, paper or seed article that rules and articles cite by id."""

    id: str
    short: str
    title: str


def known_sources(root: Path | None = None) -> dict[str, Source]:
    """Every citable source, from content/sources.toml."""
    data = load_toml(SOURCES_FILE, root)
    found: dict[str, Source] = {}
    for key, value in data.items():
        if not (isinstance(value, dict) and value.get("short") and value.get("title")):
            raise DataError(f"{SOURCES_FILE}: source {key!r} needs a short name and a title")
        found[key] = Source(key, str(value["short"]), str(value["title"]))
    return found


def check_sources(ids: object, where: str, known: Mapping[str, Source]) -> tuple[str, ...]:
    """A non-empty list of known source ids, or a DataError naming the file and the place."""
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise DataError(f"{where}: sources must be a non-empty list of source ids")
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise DataError(f"{where}: unknown source {unknown[0]!r} (see {SOURCES_FILE})")
    return tuple(ids)


def fill(text: str, emergency_number: str) -> str:
    """Content text with the person's emergency number in place of {emergency_number}."""
    return text.replace("{emergency_number}", emergency_number)
