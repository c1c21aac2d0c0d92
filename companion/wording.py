"""Counts in words, for every message a person reads: '1 entry', '2 entries', '1 day'."""

from __future__ import annotations


def counted(count: int, word: str, words: str | None = None) -> str:
    """The count and its noun, singular for exactly one: ``words`` is the plural when it is
    not the noun with an s."""
    return f"{count} {word if count == 1 else words or word + 's'}"
