"""The advice library: short self-care articles in content/advice/*.md.

Each article opens with a TOML header between ``+++`` lines (title, a one-line summary,
its sources, and optionally what it advises from ``TREATMENTS``, so a triage result can
leave out advice its reasons rule out), then plain Markdown, where {emergency_number}
becomes the person's emergency number. Every article is checked when the library loads: a
missing title, an unknown source or an empty body stops with a message naming the file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from companion import content
from companion.errors import DataError

FOLDER = "advice"
FENCE = "+++"
_KEYS = {"title", "summary", "sources"}
# What an article can advise that some reasons rule out (a triage rule's ``avoid``).
TREATMENTS = ("massage", "warmth", "cold", "stretching", "exercise")


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    summary: str
    sources: tuple[str, ...]
    body: str  # {emergency_number} stands for the person's emergency number
    advises: frozenset[str] = frozenset()


@dataclass(frozen=True, eq=False)
class Library:
    articles: Mapping[str, Article]
    sources: Mapping[str, content.Source]

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles.values())

    def __len__(self) -> int:
        return len(self.articles)

    def get(self, article_id: str) -> Article:
        try:
            return self.articles[article_id]
        except KeyError:
            raise DataError(f"no advice article {article_id!r}") from None

    def source_lines(self, article: Article) -> list[str]:
        """The article's sources in full, one per line."""
        return [self.sources[s].title for s in article.sources]


def article_ids(root: Path | None = None) -> list[str]:
    """The ids (file names) of the articles, sorted."""
    return content.list_names(FOLDER, ".md", root)


def load(root: Path | None = None) -> Library:
    sources = content.known_sources(root)
    names = article_ids(root)
    if not names:
        raise DataError(f"{FOLDER}/: no advice articles found")
    articles = {
        name: parse(name, content.read_text(f"{FOLDER}/{name}.md", root), sources) for name in names
    }
    ordered = dict(sorted(articles.items(), key=lambda item: item[1].title.casefold()))
    return Library(ordered, sources)


@cache
def library() -> Library:
    """The shipped articles, loaded and checked once."""
    return load()


def parse(name: str, text: str, sources: Mapping[str, content.Source]) -> Article:
    where = f"{FOLDER}/{name}.md"
    lines = text.splitlines()
    try:
        end = lines.index(FENCE, 1) if lines and lines[0] == FENCE else -1
    except ValueError:
        end = -1
    if end < 0:
        raise DataError(f"{where}: must start with a header between '{FENCE}' lines")
    try:
        header = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{where}: the header is not valid TOML ({exc})") from None
    if not _KEYS <= header.keys() <= _KEYS | {"advises"}:
        raise DataError(
            f"{where}: the header needs exactly {', '.join(sorted(_KEYS))}, and may say "
            "what it advises"
        )
    advises = header.get("advises", [])
    if not isinstance(advises, list) or not set(advises) <= set(TREATMENTS):
        raise DataError(f"{where}: 'advises' must list words from: {', '.join(TREATMENTS)}")
    for key in ("title", "summary"):
        if not isinstance(header[key], str) or not header[key].strip():
            raise DataError(f"{where}: {key!r} must be non-empty text")
    body = "\n".join(lines[end + 1 :]).strip()
    if not body:
        raise DataError(f"{where}: the article has no text")
    unknown = set(re.findall(r"\{[^}]*\}", body)) - {"{emergency_number}"}
    if unknown:
        raise DataError(
            f"{where}: unknown placeholder {sorted(unknown)[0]} (only {{emergency_number}})"
        )
    return Article(
        id=name,
        title=header["title"],
        summary=header["summary"],
        sources=content.check_sources(header["sources"], where, sources),
        body=body,
        advises=frozenset(advises),
    )
