"""The summary's words, for a diary with one of everything: '1 entry', '1 day', no ids."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

from companion import report
from companion.entry import build_entry
from companion.store import Store

TODAY = date(2026, 11, 21)


def page_text(store: Store, tmp_path: Path, start: date, end: date = TODAY) -> str:
    path = tmp_path / "summary.html"
    report.write_report(store, path, start, end, TODAY, replace=True)
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<style>.*?</style>|<svg.*?</svg>", "", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_one_of_everything_is_counted_in_the_singular(store: Store, tmp_path: Path) -> None:
    """The summary said '1 entries named a medicine' and '2 on 1 days'."""
    raw = {"date": "2026-11-20", "pain": "5", "night_pain": "3", "eased_by_rest": "no"}
    raw |= {"cramps": "2", "medications": "ibuprofen", "relief": "position_change"}
    store.add(build_entry({**raw, "red_flags": "saddle_numbness"}))
    text = page_text(store, tmp_path, TODAY)
    assert "Period 21 Nov 2026 to 21 Nov 2026 (1 day)" in text
    text = page_text(store, tmp_path, date(2026, 11, 20))
    assert "Entries 1 on 1 of 2 days" in text
    assert "Cramps 2 on 1 day" in text
    assert "Night pain 1 of 1 night with pain" in text
    assert "1 of 1 day" in text  # rest did not ease pain
    assert "Shares are of all 1 entry in the period; 1 entry named a medicine." in text
    assert "The entry with the highest pain" in text
    assert "position change" in text
    # People read words: no vocabulary or source ids show through.
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), re.findall(r"\b[a-z]+_[a-z_]+\b", text)
    assert not re.search(r"\bseed-\d+|\bbass-ces\b|\bnice-[a-z0-9-]+", text)
    assert "numbness around the bottom, genitals or inner thighs" in text
