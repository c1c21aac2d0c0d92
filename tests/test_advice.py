"""The advice library: every article loads, names known sources, and covers the topics."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from companion import advice, content, triage
from companion.errors import DataError

LIB = advice.library()

# The topics the library must cover (issue 4), by article id.
TOPICS = {
    "easing-a-cramp": "Easing a back or leg cramp",
    "heat-or-cold": "Heat or cold, and when",
    "staying-active": "Staying active",
    "breaking-up-sitting": "Breaking up sitting and standing",
    "warming-up": "Warming up",
    "fluids-and-salts": "Fluids and salts after heavy sweating",
    "sleep-positions": "Sleeping with back pain or night cramps",
    "cramp-needs-a-doctor": "When a cramp needs a doctor",
}


def test_every_required_topic_has_an_article() -> None:
    for article_id, title in TOPICS.items():
        assert LIB.get(article_id).title == title


def test_articles_are_short_sourced_and_listed_by_title() -> None:
    known = content.known_sources()
    titles = [a.title for a in LIB]
    assert titles == sorted(titles, key=str.casefold)
    for article in LIB:
        assert article.sources and set(article.sources) <= set(known)
        assert len(article.body.split()) < 350, article.id
        assert len(article.summary) <= 100, article.id
        assert LIB.source_lines(article) == [known[s].title for s in article.sources]


def test_unused_seed_claims_stay_out_of_the_advice() -> None:
    text = " ".join(a.body.lower() for a in LIB)
    assert "wuzhi" not in text
    assert "walk backwards" not in text and "walking backwards" not in text
    assert "precursor" not in text
    # Calcium only with a diagnosed shortage, never for every cramp.
    assert "only help if a doctor has found" in LIB.get("fluids-and-salts").body


def test_the_plan_for_each_problem_is_drawn_from_the_library() -> None:
    for articles in triage.triage().plan.values():
        for article_id in articles:
            assert LIB.get(article_id).id == article_id


def test_an_unknown_article_is_a_data_error() -> None:
    with pytest.raises(DataError, match="no advice article 'nope'"):
        LIB.get("nope")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(content.content_dir(), root)
    return root


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('sources = ["seed-002"', 'sources = ["seed-02"', "unknown source 'seed-02'"),
        ('title = "Warming up"\n', "", "the header needs exactly"),
        ("+++\ntitle", "title", "must start with a header"),
        ('title = "Warming up"', 'title = "Warming up', "the header is not valid TOML"),
        ("Cold muscles", "{emergency_numbr} Cold muscles", "unknown placeholder {emergency_numbr}"),
        ('advises = ["exercise"', 'advises = ["rubbing"', "'advises' must list words from"),
    ],
)
def test_a_broken_article_fails_naming_the_file(
    copy: Path, old: str, new: str, message: str
) -> None:
    path = copy / "advice" / "warming-up.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        advice.load(copy)
    assert str(caught.value).startswith("advice/warming-up.md: ")
    assert message in str(caught.value)


def test_an_empty_article_fails(copy: Path) -> None:
    (copy / "advice" / "empty.md").write_text(
        '+++\ntitle = "x"\nsummary = "y"\nsources = ["nice-ng59"]\n+++\n\n', encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"advice/empty\.md: the article has no text"):
        advice.load(copy)
