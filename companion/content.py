"""The one reader of content/: triage rules, red-flag rules and advice articles.

In a source tree content/ sits beside the package; in an installed wheel it travels inside
the package as ``companion/_content``.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from companion.errors import DataError

_PACKAGED = Path(__file__).resolve().parent / "_content"
_SOURCE = Path(__file__).resolve().parent.parent / "content"


@cache
def content_dir() -> Path:
    for candidate in (_PACKAGED, _SOURCE):
        if candidate.is_dir():
            return candidate
    raise DataError("content files are missing from this installation; reinstall companion")


def content_path(relative: str) -> Path:
    return content_dir() / relative


def load_toml(relative: str) -> dict[str, Any]:
    path = content_path(relative)
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"{relative}: cannot read content file ({exc})") from None
