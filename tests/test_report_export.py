"""``report.export``: both files or neither, progress that only goes forward, a clean stop."""

from __future__ import annotations

import stat
from datetime import date, timedelta
from pathlib import Path

import pytest

from companion import report
from companion import summary as summaries
from companion.demo import demo_entries
from companion.errors import UsageError
from companion.store import Store

TODAY = date(2026, 11, 21)
START = TODAY - timedelta(days=89)


@pytest.fixture
def long_diary(store: Store) -> Store:
    store.merge(demo_entries(1000, today=TODAY, per_day=2))  # 2,000 entries
    return store


def test_both_files_with_progress_to_the_end(long_diary: Store, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    csv_path, html_path = report.default_paths(tmp_path, TODAY)
    start = TODAY - timedelta(days=999)
    result = report.export(
        long_diary,
        start,
        TODAY,
        TODAY,
        csv_path=csv_path,
        html_path=html_path,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert result == report.ExportResult(csv_path, 2000, html_path)
    totals = {total for _, total in seen}
    assert totals == {2000 + summaries.REPORT_STEPS}
    done = [d for d, _ in seen]
    assert done == sorted(done) and done[-1] == 2000 + summaries.REPORT_STEPS
    assert len(seen) >= 2000 // 500 + summaries.REPORT_STEPS  # the bar moves while the CSV runs
    for path in (csv_path, html_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert csv_path.read_bytes().count(b"\r\n") == 2001  # the header and every entry


def test_a_failing_summary_keeps_no_csv(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.merge(demo_entries(90, today=TODAY))
    csv_path, html_path = report.default_paths(tmp_path, TODAY)

    def broken(summary: summaries.Summary) -> str:
        raise RuntimeError("layout failed")

    monkeypatch.setattr("companion.report_html.render", broken)
    with pytest.raises(RuntimeError):
        report.export(store, START, TODAY, TODAY, csv_path=csv_path, html_path=html_path)
    assert list(tmp_path.iterdir()) == [tmp_path / "home"]


def test_stopping_part_way_writes_nothing(long_diary: Store, tmp_path: Path) -> None:
    csv_path, html_path = report.default_paths(tmp_path, TODAY)

    class Stop(Exception):
        pass

    def stop_half_way(done: int, total: int) -> None:
        if done >= total // 2:
            raise Stop

    with pytest.raises(Stop):
        report.export(
            long_diary,
            TODAY - timedelta(days=999),
            TODAY,
            TODAY,
            csv_path=csv_path,
            html_path=html_path,
            progress=stop_half_way,
        )
    assert list(tmp_path.iterdir()) == [tmp_path / "home"]


def test_nothing_chosen_is_a_usage_error(store: Store) -> None:
    with pytest.raises(UsageError, match="choose a CSV, a summary, or both"):
        report.export(store, START, TODAY, TODAY)
