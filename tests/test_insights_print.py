"""The summary with the most its insights section can hold (four findings and a line for the
rest) still prints on two pages, beside the heaviest diary the summary tests seed."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_browser_report import _pages, browser, print_on  # noqa: F401 - browser is a fixture
from test_report import START, TODAY, seed_diary

from companion import report
from companion.report_html import INSIGHTS_SHOWN
from companion.store import Store


def planted(store: Store) -> None:
    """Sitting and stress named on the days of higher pain, cold on the others: findings,
    with every other section as it was."""
    with store.write() as conn:
        conn.execute(
            "UPDATE entries SET triggers = CASE WHEN pain >= 5 THEN 'sitting;stress' "
            "ELSE 'cold' END"
        )


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_summary_with_findings_prints_on_two_pages(
    browser: str,  # noqa: F811
    tmp_path: Path,
    paper: str,
) -> None:
    target = tmp_path / "summary.html"
    with Store.open(tmp_path / "home") as store:
        seed_diary(store)
        planted(store)
        summary = report.write_report(store, target, START, TODAY, TODAY)
    assert summary.insights is not None
    assert len(summary.insights.findings) > INSIGHTS_SHOWN
    pages, _ = _pages(print_on(browser, target, tmp_path, paper))
    assert 1 <= pages <= 2
