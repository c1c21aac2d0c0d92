"""One wording per level, defined once in content/levels.toml and used everywhere.

Emergency means now (never "the same day"), urgent means today, soon means within a few
days and sooner if it gets worse; emergency advice says not to drive yourself.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from diary_oracle import evaluate

from companion import content, levels, outcome, triage
from companion.entry import Entry
from companion.errors import DataError
from companion.levels import DISPOSITIONS
from companion.safety import DEFAULT_EMERGENCY_NUMBER, emergency_notice, sign_notice

ROOT = Path(__file__).resolve().parent.parent
LEVELS = levels.levels()
NUMBER = "112"


def test_each_level_says_how_soon_in_its_own_words() -> None:
    assert tuple(LEVELS) == DISPOSITIONS
    now, today, soon = (LEVELS[k].advice(NUMBER) for k in ("emergency", "urgent", "soon"))
    assert now.startswith("Call 112 now,") and "do not drive yourself" in now
    assert "today" in today and "now" not in today.split(".")[0]
    assert "within the next few days, sooner if it gets worse" in soon
    for level in LEVELS.values():
        assert level.symbol and level.word and level.title, level.id


def test_no_content_says_the_same_day() -> None:
    """Emergency is now and urgent is today: 'the same day' is neither, so it is nowhere."""
    folder = content.content_dir()
    for path in [*folder.glob("*.toml"), *folder.glob("advice/*.md")]:
        assert not re.search(r"\bsame day\b", path.read_text(encoding="utf-8").lower()), path.name


def _phrases() -> list[str]:
    """Every title, word and sentence of an action, as the code must never write them."""
    found: list[str] = []
    for level in LEVELS.values():
        if level.id != "self_care":  # 'Self-care' is also the advice library's own word
            found += [level.title, level.word]
        found += [p.strip() for p in re.split(r"[.:]\s", level.action) if len(p.split()) >= 3]
    return [p.replace("{emergency_number}", "") for p in found if p]


def test_no_second_copy_of_a_levels_words_in_the_code() -> None:
    code = [*ROOT.joinpath("companion").rglob("*.py"), *ROOT.joinpath("screens").rglob("*.py")]
    assert len(code) > 30
    for path in code:
        text = path.read_text(encoding="utf-8")
        for phrase in _phrases():
            # A phrase split around the number is checked by its longer half.
            probe = max(phrase.split("  "), key=len).strip()
            assert not re.search(rf"(?<!\w){re.escape(probe)}(?!\w)", text), (path.name, probe)
        for old in ("emergency department", "urgent care", "few days, sooner", "drive yourself"):
            assert old not in text.lower(), (path.name, old)


def test_triage_alerts_and_notices_take_the_levels_words() -> None:
    t = triage.triage()
    cases = {"emergency": {"collapse": True}, "urgent": {"fever": True},
             "soon": {"lump": True}, "self_care": {}}  # fmt: skip
    for disposition, answers in cases.items():
        answers = {q.id: False for q in t.questions if q.kind == "bool"} | answers
        answers |= {"age": 40, "duration_days": 3, "main_problem": "pain", "rest_eases": "yes"}
        shown = outcome.build(t.evaluate(answers), NUMBER)
        level = LEVELS[disposition]
        assert shown.headline == level.heading
        assert shown.action == level.advice(NUMBER)
    today = date(2026, 3, 31)
    diary = [Entry(date="2026-03-30", pain=5, red_flags=frozenset({"both_legs", "fever", "lump"}))]
    for alert in evaluate(diary, today):
        level = LEVELS[alert.level]
        assert alert.label == level.label
        assert alert.advice.startswith(level.advice(DEFAULT_EMERGENCY_NUMBER))
    assert emergency_notice({"collapse"}, NUMBER).startswith("‼ EMERGENCY: you noted")
    assert LEVELS["emergency"].advice(NUMBER) in emergency_notice({"collapse"}, NUMBER)
    assert LEVELS["urgent"].advice(NUMBER) in sign_notice({"fever"}, NUMBER)
    assert LEVELS["soon"].advice(NUMBER) in sign_notice({"lump"}, NUMBER)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(content.content_dir(), root)
    return root


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('id = "urgent"', 'id = "today"', "levels must be emergency, urgent, soon, self_care"),
        ('word = "URGENT"\n', "", "level 2: needs exactly id, symbol, word, title, action"),
        ('word = "URGENT"', 'word = ""', "level 2: every value must be non-empty text"),
    ],
)
def test_a_broken_levels_file_fails_naming_the_place(
    copy: Path, old: str, new: str, message: str
) -> None:
    path = copy / "levels.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError, match=message):
        levels.load(copy)
    with pytest.raises(DataError):
        triage.load(copy)
