"""seeds/: one note per seed source, each pointing at content that really uses the seed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from companion import advice, content, triage

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_IDS = sorted(s for s in content.known_sources() if s.startswith("seed-"))


def note_for(seed_id: str) -> Path:
    (path,) = SEEDS.glob(f"{seed_id.removeprefix('seed-')}_*.md")
    return path


def test_there_are_five_seed_sources_each_with_a_note_in_the_index() -> None:
    assert len(SEED_IDS) == 5
    index = (SEEDS / "README.md").read_text(encoding="utf-8")
    notes = sorted(p.name for p in SEEDS.glob("*.md") if p.name != "README.md")
    assert notes == [note_for(s).name for s in SEED_IDS]
    for seed_id in SEED_IDS:
        assert f"| {seed_id} | [{note_for(seed_id).name}]" in index


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_a_note_says_what_is_used_where_and_what_is_not(seed_id: str) -> None:
    text = note_for(seed_id).read_text(encoding="utf-8")
    assert text.startswith(f"# {seed_id}: ")
    for heading in ("**What it claims.**", "**Used, and where.**", "**Not used, and why.**"):
        assert heading in text
    used = text.split("**Used, and where.**")[1].split("**Not used, and why.**")[0]
    articles = set(re.findall(r"content/advice/([a-z-]+)\.md", used))
    rules = {r.id: r for r in triage.triage().rules}
    named_rules = set(re.findall(r"`([a-z_0-9]+)`", used)) & set(rules)
    assert articles or named_rules, "a note must point at the content that uses the seed"
    library = advice.library()
    for article_id in articles:
        assert seed_id in library.get(article_id).sources, article_id
    for rule_id in named_rules:
        assert seed_id in rules[rule_id].sources, rule_id


def test_every_seed_cited_in_content_has_its_use_recorded() -> None:
    notes = {s: note_for(s).read_text(encoding="utf-8") for s in SEED_IDS}
    for article in advice.library():
        for source in article.sources:
            if source.startswith("seed-"):
                assert f"content/advice/{article.id}.md" in notes[source], (source, article.id)
    for rule in triage.triage().rules:
        for source in rule.sources:
            if source.startswith("seed-"):
                assert f"`{rule.id}`" in notes[source], (source, rule.id)
