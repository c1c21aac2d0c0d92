"""The doctor's summary for a seeded diary, read back the way a browser would parse it."""

from __future__ import annotations

import json
import os
import stat
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from companion import alert_diary, report
from companion import summary as summaries
from companion.demo import demo_entries
from companion.entry import Entry
from companion.errors import UsageError
from companion.store import Store

TODAY = date(2026, 11, 21)
START = TODAY - timedelta(days=89)
GAP = range(40, 50)  # ten days without entries: the lines must break there
HOSTILE_NOTE = '<script>alert("x")</script> =HYPERLINK("http://evil.example","click")'
HOSTILE_MEDICINE = "<img src=x onerror=alert(1)> ibuprofen"
SECTIONS = (
    "period",
    "glance",
    "alerts",
    "charts",
    "triage",
    "relief",
    "insights",
    "top",
    "dictionary",
)


def seed_diary(store: Store) -> None:
    """Ninety days of demo diary with a gap, hostile text, warning signs and triage runs."""
    entries = []
    for offset, entry in enumerate(demo_entries(90, today=TODAY)):
        if offset in GAP:
            continue
        if offset == 60:
            entry = entry.with_changes(
                pain=10, worst_pain=10, notes=HOSTILE_NOTE, medications=HOSTILE_MEDICINE
            )
        if offset in (20, 88):
            entry = entry.with_changes(red_flags=frozenset({"fever"}), temperature_c=38.6)
        if offset == 30:
            entry = entry.with_changes(red_flags=frozenset({"leg_weakness"}))
        if offset == 70:
            entry = entry.with_changes(notes="x" * 4000, pain=10, worst_pain=10)
        entries.append(entry)
    store.merge(entries)
    with store.write() as conn:
        for n, (day, disposition) in enumerate(
            [(START + timedelta(days=5 + 10 * i), d) for i, d in enumerate(_DISPOSITIONS)]
        ):
            reasons = [{"id": f"r{n}", "disposition": disposition, "text": f"<b>reason {n}</b>"}]
            conn.execute(
                "INSERT INTO triage_results VALUES (?, ?, ?, ?, ?, ?)",
                (f"t{n}", f"{day}T09:00:00+00:00", day.isoformat(), disposition, "{}",
                 json.dumps(reasons)),
            )  # fmt: skip


_DISPOSITIONS = ("self_care", "soon", "urgent", "emergency", "soon", "self_care", "soon", "urgent")


@dataclass
class Page(HTMLParser):
    """The parts of the page the tests look at: elements, their attributes, text by section."""

    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    text: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    sections: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    bar_values: list[int] = field(default_factory=list)
    _open: list[str] = field(default_factory=list)
    _tag: str = ""
    _class: str = ""

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        self._tag, self._class = tag, values.get("class", "")
        if tag in ("section", "header", "footer") and "id" in values:
            self.sections.append(values["id"])
            self._open.append(values["id"])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("section", "header", "footer") and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._tag == "style":
            self.styles.append(data)
        if self._class == "value":
            self.bar_values.append(int(data))
        self.text[self._open[-1] if self._open else "-"].append(data)

    def words(self, section: str) -> str:
        return " ".join(" ".join(self.text[section]).split())

    def elements(self, tag: str, cls: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and a.get("class") == cls]

    def points(self, key: str) -> tuple[int, int]:
        """(points drawn, pieces of line) for one chart series."""
        lines = self.elements("polyline", f"line-{key}")
        dots = self.elements("circle", f"pt-{key}")
        return sum(len(a["points"].split()) for a in lines) + len(dots), len(lines) + len(dots)


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


@pytest.fixture
def seeded(store: Store) -> Store:
    seed_diary(store)
    return store


@pytest.fixture
def page(seeded: Store, tmp_path: Path) -> Page:
    target = tmp_path / "summary.html"
    report.write_report(seeded, target, START, TODAY, TODAY)
    return parse(target.read_text(encoding="utf-8"))


def _sql(store: Store, sql: str) -> int:
    return int(store.conn.execute(sql, (START.isoformat(), TODAY.isoformat())).fetchone()[0])


def test_every_section_is_there_in_order(page: Page) -> None:
    assert tuple(s for s in page.sections if s != "footer") == SECTIONS
    assert "24 Aug 2026 to 21 Nov 2026 (90 days)" in page.words("period")
    assert "80 on 80 of 90 days" in page.words("period")


def test_footer_says_who_wrote_it_with_the_date_and_page_numbers(page: Page) -> None:
    footer = page.words("footer")
    assert "Written by the person from their own diary, not by a clinician" in footer
    assert "21 Nov 2026" in footer
    css = "".join(page.styles)
    assert 'counter(page) " of " counter(pages)' in css
    assert "@bottom-left" in css and "not by a clinician" in css


def test_the_page_is_self_contained(page: Page) -> None:
    tags = {t for t, _ in page.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "base"}
    for tag, attrs in page.tags:
        assert not {"src", "href", "srcset", "action"} & attrs.keys(), tag
        assert not any(k.startswith("on") for k in attrs), tag
        if tag == "svg":
            assert attrs["xmlns"] == "http://www.w3.org/2000/svg"
    css = "".join(page.styles)
    assert "url(" not in css and "@import" not in css and "@font-face" not in css


def test_pain_lines_hold_one_point_per_day_and_break_at_the_gap(page: Page, seeded: Store) -> None:
    days_with = "SELECT count(DISTINCT date) FROM entries WHERE date BETWEEN ? AND ? AND "
    assert page.points("mean") == (_sql(seeded, days_with + "pain IS NOT NULL"), 2)
    worst = _sql(seeded, days_with + "coalesce(worst_pain, pain) IS NOT NULL")
    assert page.points("worst") == (worst, 2)
    assert page.points("night") == (_sql(seeded, days_with + "night_pain IS NOT NULL"), 2)
    assert page.points("mean")[0] == 80


def test_cramp_bars_hold_one_bar_per_week_with_the_weekly_sums(page: Page, seeded: Store) -> None:
    monday = START - timedelta(days=START.weekday())
    weeks = (TODAY - monday).days // 7 + 1
    bars = page.elements("rect", "bar")
    no_data = page.elements("text", "nodata")
    assert len(bars) + len(no_data) == weeks == 13
    assert len(no_data) == 1  # the ten-day gap covers the week of Monday 5 October
    sums = [
        r[1]
        for r in seeded.conn.execute(
            "SELECT date(date, '-6 days', 'weekday 1') AS week, sum(cramps) AS n FROM entries "
            "WHERE date BETWEEN ? AND ? GROUP BY week HAVING n > 0 ORDER BY week",
            (START.isoformat(), TODAY.isoformat()),
        )
    ]
    assert sums and page.bar_values == sums


def test_hostile_text_comes_out_as_text(page: Page, seeded: Store) -> None:
    top = page.words("top")
    assert '<script>alert("x")</script> =HYPERLINK("http://evil.example","click")' in top
    assert HOSTILE_MEDICINE in page.words("relief")
    assert "<b>reason" in page.words("triage")
    assert "script" not in {t for t, _ in page.tags}
    assert "img" not in {t for t, _ in page.tags}
    assert "b" not in {t for t, _ in page.tags}


def test_top_entries_are_the_highest_pain_with_notes_and_long_notes_shortened(
    page: Page,
) -> None:
    rows = [a for t, a in page.tags if t == "td" and a.get("class") == "note"]
    assert len(rows) == summaries.TOP_ENTRIES
    top = page.words("top")
    # Pain 10 first; among equals, newest first.
    assert top.index("2 Nov 2026") < top.index("23 Oct 2026") < top.index("HYPERLINK")
    assert top.index("HYPERLINK") < top.index("Sep 2026")
    assert "xxx… (shortened; full text in the CSV)" in top
    assert "x" * 301 not in top


def test_relief_and_medicine_counts_match_the_diary(page: Page, seeded: Store) -> None:
    words = page.words("relief")
    for relief in ("walking", "heat", "stretching", "rest"):
        n = _sql(
            seeded,
            f"SELECT count(*) FROM entries WHERE date BETWEEN ? AND ? "
            f"AND instr(';' || relief || ';', ';{relief};') > 0",
        )
        assert f"{relief} {n} {round(100 * n / 80)}%" in words
    paracetamol = _sql(
        seeded,
        "SELECT count(*) FROM entries WHERE date BETWEEN ? AND ? "
        "AND medications = 'paracetamol 1 g'",
    )
    assert f"paracetamol 1 g {paracetamol}" in words


def test_triage_results_newest_first_limited(page: Page) -> None:
    words = page.words("triage")
    assert words.count("reason") == summaries.TRIAGE_SHOWN
    assert f"The {summaries.TRIAGE_SHOWN} most recent of 8 results." in words
    assert "‼ Emergency: get help now" in words
    assert words.index("reason 7") < words.index("reason 6")


def test_alerts_active_at_the_end_and_fired_during_with_evidence(page: Page) -> None:
    words = page.words("alerts")
    active, fired = words.split("Fired during the period")
    # Warning signs do not expire: nothing recorded the leg weakness or the fever as gone.
    assert "‼ EMERGENCY A warning sign that needs help now , since 23 Sep 2026" in active
    assert "▲ URGENT Fever with back pain , since 13 Sep 2026" in active
    assert "20 Nov 2026 (temperature 38.6 °C with worst pain" in active
    # The latest saved triage result (urgent) is an alert too, until a later one replaces it.
    assert "▲ URGENT Your triage result: be seen today , since 7 Nov 2026" in active
    assert fired.count("Fever with back pain") == 1
    assert "‼ EMERGENCY Your triage result: get help now 28 Sep 2026 28 Sep 2026 □ over" in fired
    assert fired.count("■ still active") == len(active.split(" since ")) - 1
    assert "weakness in a leg : 23 Sep 2026" in words
    assert "fever : 13 Sep 2026, 20 Nov 2026" in words
    assert "prompt to get checked, not a diagnosis" in words


def test_an_empty_diary_still_makes_a_full_page(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "empty.html"
    summary = report.write_report(store, target, START, TODAY, TODAY)
    assert summary.entries == 0
    page = parse(target.read_text(encoding="utf-8"))
    assert tuple(s for s in page.sections if s != "footer") == SECTIONS
    assert "No alert fired during the period." in page.words("alerts")
    assert len(page.elements("text", "nodata")) == 13
    assert page.points("mean") == (0, 0)


def test_long_ranges_are_charted_per_week_and_month(store: Store, tmp_path: Path) -> None:
    store.merge(demo_entries(730, today=TODAY))
    start, end = summaries.preset_range("Whole diary", TODAY, store.span())
    assert (start, end) == (TODAY - timedelta(days=729), TODAY)
    target = tmp_path / "all.html"
    report.write_report(store, target, start, end, TODAY)
    page = parse(target.read_text(encoding="utf-8"))
    assert "Cramp episodes per month" in page.words("charts")
    assert len(page.elements("rect", "bar")) == 25  # Nov 2024 to Nov 2026
    assert page.points("mean") == (365, 1)  # one point per two days
    assert "Mean pain, per 2 days" in page.words("charts")


def test_the_summary_keeps_diary_text_out_of_its_repr(seeded: Store) -> None:
    # A traceback that prints locals must not carry notes or medicines.
    summary = summaries.summarise(seeded, START, TODAY, TODAY)
    assert any(t.notes == HOSTILE_NOTE for t in summary.top)
    assert (HOSTILE_MEDICINE, 1) in summary.medicines
    assert "HYPERLINK" not in repr(summary) and "ibuprofen" not in repr(summary)


def test_a_stray_date_decades_back_changes_no_alert(seeded: Store) -> None:
    before = summaries.summarise(seeded, START, TODAY, TODAY)
    seeded.add(Entry(date="1926-11-21", pain=3))  # 2026 mistyped
    start = date(1926, 11, 21)
    after = summaries.summarise(seeded, start, TODAY, TODAY)
    assert after.alerts_fired == before.alerts_fired
    assert after.alerts_active == before.alerts_active
    # The rules are checked only on days within their reach of a diary day, not on every
    # day of the hundred years between.
    diary = alert_diary.load_diary(seeded, start, TODAY)
    checked = list(alert_diary.days_to_check(diary, start, TODAY))
    assert checked[0] == start and checked[-1] == TODAY
    assert checked == sorted(set(checked)) and len(checked) < 366


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date.min, date(1, 3, 1)),
        (date.min, date(2, 6, 1)),  # cramps per month
        (date(9999, 10, 1), date.max),
        (date(9998, 1, 1), date.max),
    ],
)
def test_the_calendars_first_and_last_days_make_a_page(
    store: Store, tmp_path: Path, start: date, end: date
) -> None:
    store.merge(
        [Entry(date="0001-01-01", pain=4, cramps=1), Entry(date="9999-12-31", pain=6, cramps=2)]
    )
    target = tmp_path / "edges.html"
    summary = report.write_report(store, target, start, end, TODAY)
    assert summary.entries == (start == date.min) + (end == date.max)
    assert summary.buckets[0].start <= start and summary.buckets[-1].start <= end
    page = parse(target.read_text(encoding="utf-8"))
    assert tuple(s for s in page.sections if s != "footer") == SECTIONS


def test_the_file_is_private_and_replaced_whole(seeded: Store, tmp_path: Path) -> None:
    target = tmp_path / "summary.html"
    target.write_text("old")
    os.chmod(target, 0o644)
    with pytest.raises(UsageError, match="add --force to replace it"):
        report.write_report(seeded, target, START, TODAY, TODAY)
    assert target.read_text() == "old"
    report.write_report(seeded, target, START, TODAY, TODAY, replace=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not list(tmp_path.glob("*.part"))


def test_ranges() -> None:
    assert summaries.resolve_range(None, None, TODAY) == (START, TODAY)
    assert summaries.resolve_range(None, date(2026, 1, 31), TODAY) == (
        date(2025, 11, 3),
        date(2026, 1, 31),
    )
    with pytest.raises(UsageError, match="after the end date"):
        summaries.resolve_range(TODAY, START, TODAY)
    last_30 = (TODAY - timedelta(days=29), TODAY)
    assert summaries.preset_range("Last 30 days", TODAY, None) == last_30
    assert summaries.preset_range("Last year", TODAY, None)[0] == date(2025, 11, 22)
    assert summaries.preset_range("Whole diary", TODAY, None) == (TODAY, TODAY)
    assert report.default_paths(Path("/h"), TODAY) == (
        Path("/h/companion-2026-11-21.csv"),
        Path("/h/companion-2026-11-21.html"),
    )


def test_cli_writes_the_last_90_days_by_default(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Store.open(home) as store:
        seed_diary(store)
    target = tmp_path / "out.html"
    result = cli("report", "--html", str(target), "--today", TODAY.isoformat())
    assert result.code == 0, result.err
    assert f"80 entries (2026-08-24 to 2026-11-21) to {target}" in result.err
    page = parse(target.read_text(encoding="utf-8"))
    assert "24 Aug 2026 to 21 Nov 2026" in page.words("period")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_cli_range_and_errors(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out.html"
    ok = cli("report", "--html", str(target), "--from", "2026-11-01", "--to", "2026-11-07")
    assert ok.code == 0, ok.err
    assert "1 Nov 2026 to 7 Nov 2026 (7 days)" in parse(target.read_text()).words("period")
    backwards = cli("report", "--html", str(target), "--from", "2026-11-07", "--to", "2026-11-01")
    assert backwards.code == 2
    assert backwards.err.strip().count("\n") == 0 and "after the end date" in backwards.err
    missing = tmp_path / "no-such-dir" / "out.html"
    failed = cli("report", "--html", str(missing))
    assert failed.code == 1 and "cannot write here" in failed.err
    assert not missing.parent.exists()
    bad_date = cli("report", "--html", str(target), "--from", "2026-02-30")
    assert bad_date.code == 2 and "not a real calendar date" in bad_date.err
    future = cli("report", "--html", str(tmp_path / "new.html"), "--to", "2026-11-25",
                 "--today", "2026-11-21")  # fmt: skip
    assert future.code == 2
    assert future.err == (
        "companion: the end date 2026-11-25 is after today: a diary records what has happened\n"
    )
    assert not (tmp_path / "new.html").exists()


def test_a_saved_emergency_result_is_an_alert_and_its_signs_are_listed(
    store: Store, tmp_path: Path
) -> None:
    # No warning sign ticked in the diary, and an emergency triage result: the summary must
    # not say that no warning signs were noted above an emergency result.
    from companion import triage, triage_store

    store.merge(demo_entries(20, today=TODAY))
    answers = {"saddle_numbness": True, "main_problem": "pain"}
    triage_store.save_result(store, triage.triage().evaluate(answers), TODAY - timedelta(days=3))
    target = tmp_path / "summary.html"
    report.write_report(store, target, START, TODAY, TODAY)
    words = parse(target.read_text(encoding="utf-8")).words("alerts")
    assert "No warning signs" not in words
    assert (
        "‼ EMERGENCY Your triage result: get help now , since 18 Nov 2026. Evidence: 18 Nov "
        "2026 (triage result: Emergency: get help now (numbness around the bottom, genitals "
        "or inner thighs))."
    ) in words
    assert (
        "numbness around the bottom, genitals or inner thighs (a triage answer): 18 Nov 2026"
    ) in words


def test_seen_and_gone_records_are_listed_and_settle_the_alerts(
    store: Store, tmp_path: Path
) -> None:
    from companion import followups

    store.merge(demo_entries(20, today=TODAY))
    store.add(Entry(date=(TODAY - timedelta(days=9)).isoformat(), pain=4,
                    red_flags=frozenset({"lump", "both_legs"})))  # fmt: skip
    now = datetime(2026, 11, 20, 16, 30)
    followups.record(store, "gone", frozenset({"lump"}), day="2026-11-15", now=now)
    followups.record(store, "seen", day="2026-11-16", clock="11:00", now=now)
    summary = summaries.summarise(store, START, TODAY, TODAY)
    assert summary.alerts_active == []
    assert {a.rule for a in summary.alerts_fired} == {"emergency_symptom", "new_lump"}
    target = tmp_path / "summary.html"
    report.write_report(store, target, START, TODAY, TODAY)
    words = parse(target.read_text(encoding="utf-8")).words("alerts")
    assert "Recorded by the person 15 Nov 2026 : a new lump: recorded as gone" in words
    assert "16 Nov 2026 11:00 : seen by a doctor or nurse" in words


def test_a_sign_from_months_before_the_period_is_active_and_fired_during_it(
    store: Store,
) -> None:
    # Nothing logged in the period at all: the sign, never settled, is active throughout.
    long_ago = (START - timedelta(days=240)).isoformat()
    store.add(Entry(date=long_ago, pain=5, red_flags=frozenset({"collapse"})))
    summary = summaries.summarise(store, START, TODAY, TODAY)
    assert [(a.rule, a.since) for a in summary.alerts_active] == [("emergency_symptom", long_ago)]
    assert [(a.rule, a.since) for a in summary.alerts_fired] == [("emergency_symptom", long_ago)]
    diary = alert_diary.load_diary(store, START, TODAY)
    assert list(alert_diary.days_to_check(diary, START, TODAY)) == [START]
