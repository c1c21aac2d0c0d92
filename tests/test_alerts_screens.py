"""Pilot flows: the dashboard banner after a save, the alerts screen, the trends screen."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path

from rich.console import Console
from textual.widgets import Input, OptionList, Static

from companion.demo import fill
from companion.entry import Entry
from companion.store import Store
from screens.alert_banner import AlertBanner
from screens.alerts import AlertsScreen
from screens.app import CompanionApp
from screens.dashboard import Dashboard
from screens.dialogs import Confirm
from screens.entry_form import EntryForm
from screens.footer import KeyFooter
from screens.trends import BlockChart, TrendsScreen

TODAY = date(2026, 3, 31)


def ago(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


def seed(home: Path, *entries: Entry) -> None:
    with Store.open(home) as store:
        store.merge(entries)


def make_app(home: Path) -> CompanionApp:
    return CompanionApp(home=home, now=datetime(2026, 3, 31, 20, 0))


def text_of(app: CompanionApp, selector: str) -> str:
    """What a Static shows, as plain text (tables included)."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(app.screen.query_one(selector, Static).content)
    return console.export_text()


def options(app: CompanionApp, selector: str) -> list[str]:
    listing = app.screen.query_one(selector, OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


def acked(home: Path) -> list[str]:
    with Store.open(home) as store:
        return [r[0] for r in store.conn.execute("SELECT rule FROM alert_acks")]


async def test_a_sign_logged_from_another_process_shows_in_the_open_dashboard(home: Path) -> None:
    # The app left open on the dashboard; the shell (another connection) logs a sign.
    seed(home, Entry(date=ago(1), pain=3))
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        banner = app.screen.query_one(AlertBanner)
        assert not banner.display
        with Store.open(home) as shell:
            shell.add(Entry(date=ago(0), pain=4, red_flags=frozenset({"saddle_numbness"})))
        await pilot.pause(2.5)
        assert isinstance(app.screen, Dashboard)
        assert banner.display
        assert str(banner.render()).startswith("‼ EMERGENCY: A warning sign that needs help now")
        assert "pain 4/10" in text_of(app, "#today")


async def test_saving_the_entry_that_completes_a_pattern_shows_the_banner(home: Path) -> None:
    # A diary written every day, with cramps on 3 days last week and 2 this week: one more
    # cramp day makes them frequent.
    cramped = (8, 10, 12, 2, 4)
    seed(
        home,
        *(Entry(date=ago(n), cramps=1, cramp_minutes=2.0) for n in cramped),
        *(Entry(date=ago(n), cramps=0) for n in range(14) if n not in cramped),
    )
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        banner = app.screen.query_one(AlertBanner)
        assert not banner.display
        await pilot.press("n")
        app.screen.query_one("#field-cramps", Input).focus()
        await pilot.press("2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, Dashboard)
        assert banner.display
        words = str(banner.render())
    assert words.startswith("● SEE A DOCTOR SOON: Frequent cramps, since " + ago(12))
    assert "not a diagnosis" in words
    assert banner.has_class("level-soon")


async def test_banner_shows_the_most_severe_alert_and_what_to_do(home: Path) -> None:
    seed(
        home,
        Entry(date=ago(1), cramps=1, cramp_minutes=20.0),
        Entry(date=ago(0), pain=5, red_flags=frozenset({"saddle_numbness"})),
    )
    app = make_app(home)
    async with app.run_test(size=(80, 24)):
        words = str(app.screen.query_one(AlertBanner).render())
    assert words.startswith("‼ EMERGENCY: A warning sign that needs help now")
    assert "(and 1 more)" in words
    assert "emergency department" in words


async def test_acknowledge_a_soon_alert_but_never_an_emergency(home: Path) -> None:
    seed(
        home,
        *(Entry(date=ago(n), pain=6, eased_by_rest="no") for n in range(5)),
        Entry(date=ago(0), pain=6, red_flags=frozenset({"collapse"})),
    )
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        screen = app.screen
        assert isinstance(screen, AlertsScreen)
        assert [a.rule for a in screen.alerts] == ["emergency_symptom", "not_eased_by_rest"]
        await pilot.press("k")  # the emergency is highlighted: refused, nothing asked
        assert app.screen is screen
        assert acked(home) == []
        await pilot.press("down", "k")  # asks first; no keeps it
        assert isinstance(app.screen, Confirm)
        assert "Acknowledge “Pain that rest does not ease”?" in str(
            app.screen.query_one(Static).render()
        )
        await pilot.press("n")
        assert acked(home) == []
        await pilot.press("k", "y")
        await pilot.pause()
        assert acked(home) == ["not_eased_by_rest"]
        # Still listed, last, as acknowledged, so it can be shown again.
        assert screen.hidden == {"not_eased_by_rest"}
        assert options(screen.app, "#alert-list")[1].startswith("○ acknowledged: ● SEE A DOCTOR")
        await pilot.press("escape")
        await pilot.pause()
        banner = str(app.screen.query_one(AlertBanner).render())
        assert "(and" not in banner
        await pilot.press("a", "down", "u")  # undo: shown again
        await pilot.pause()
        assert acked(home) == []
        assert isinstance(app.screen, AlertsScreen) and app.screen.hidden == set()


async def test_open_an_evidence_entry_correct_it_and_the_alert_goes(home: Path) -> None:
    seed(home, Entry(date=ago(2), pain=3, cramps=1, cramp_minutes=14.0))
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        assert options(app, "#evidence")[0] == f"{ago(2)}  a cramp of 14 min"
        app.screen.query_one("#evidence", OptionList).focus()
        await pilot.press("down", "o")
        assert isinstance(app.screen, EntryForm)
        minutes = app.screen.query_one("#field-cramp_minutes", Input)
        minutes.value = "4"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AlertsScreen)
        assert app.screen.alerts == []
        assert text_of(app, "#alerts-intro").startswith("No alerts as of 31 March 2026")
        footer = app.screen.query_one(KeyFooter).render().plain
        assert "k Ack" not in footer and "o Open" not in footer
    with Store.open(home) as store:
        (entry,) = store.entries_on(ago(2))
    assert entry.cramp_minutes == 4.0


async def test_trends_periods_and_summary(home: Path) -> None:
    fill(home, days=120, today=TODAY)
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        assert isinstance(app.screen, TrendsScreen)
        assert "[3 months]" in text_of(app, "#trends-periods")
        summary = text_of(app, "#trends-summary")
        assert "31 Dec 2025 to 31 Mar 2026: 91/91 days" in summary
        assert "before" in summary
        await pilot.press("5")
        summary = text_of(app, "#trends-summary")
        assert "02 Dec 2025 to 31 Mar 2026: 120/120 days" in summary
        assert "nothing to compare" in summary
        await pilot.press("left_square_bracket")
        assert "[1 year]" in text_of(app, "#trends-periods")
        chart = app.screen.query_one("#pain-chart", BlockChart)
        drawn = chart.plain()
    assert drawn.startswith("Pain 0-10")
    assert "█" in drawn and "·" in drawn  # bars, and the months before the diary began


async def test_trends_fit_60_by_20_by_scrolling(home: Path) -> None:
    fill(home, days=30, today=TODAY)
    app = make_app(home)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("r")
        charts = [c for c in app.screen.query(BlockChart) if c.display]
        assert [c.size.height >= 5 for c in charts] == [True, True, True]
        scroll = app.screen.query_one("#trends")
        scroll.scroll_end(animate=False)
        await pilot.pause()
        assert charts[-1].region.bottom <= app.screen.region.bottom
        for chart in charts:
            assert max(map(len, chart.plain().splitlines())) <= chart.size.width


async def test_trends_of_an_empty_diary(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        summary = text_of(app, "#trends-summary")
    assert "0/91 days" in summary
    assert "nothing logged" in summary


def followup_rows(home: Path) -> list[tuple[str, str]]:
    with Store.open(home) as store:
        return store.conn.execute("SELECT kind, signs FROM followups ORDER BY created").fetchall()


async def test_an_emergency_sign_days_old_stays_until_seen_which_asks_first(home: Path) -> None:
    seed(home, Entry(date=ago(9), pain=6, red_flags=frozenset({"leg_weakness"})))
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        banner = str(app.screen.query_one(AlertBanner).render())
        assert banner.startswith(f"‼ EMERGENCY: A warning sign that needs help now, since {ago(9)}")
        assert "do not drive yourself" in banner
        await pilot.press("a")
        screen = app.screen
        assert isinstance(screen, AlertsScreen)
        footer = screen.query_one(KeyFooter).render().plain
        assert "k Ack" not in footer and "s Seen" in footer and "g Gone" in footer
        await pilot.press("g")  # gone, asks first: it stays until seen
        assert isinstance(app.screen, Confirm)
        assert "came and went still needs checking now" in str(
            app.screen.query_one(Static).render()
        )
        await pilot.press("y")
        await pilot.pause()
        assert followup_rows(home) == [("gone", "leg_weakness")]
        assert [a.rule for a in screen.alerts] == ["emergency_symptom"]
        assert "recorded that weakness in a leg has gone" in options(app, "#evidence")[-1]
        await pilot.press("s", "n")  # seen, asks first: no records nothing
        assert len(followup_rows(home)) == 1
        await pilot.press("s", "y")
        await pilot.pause()
        assert followup_rows(home) == [("gone", "leg_weakness"), ("seen", "")]
        assert screen.alerts == []
        assert text_of(app, "#alerts-intro").startswith("No alerts as of 31 March 2026")
        await pilot.press("u")  # undo the seen record: the alert is back
        await pilot.pause()
        assert followup_rows(home) == [("gone", "leg_weakness")]
        assert [a.rule for a in screen.alerts] == ["emergency_symptom"]


async def test_a_saved_urgent_triage_result_shows_in_the_banner_and_the_list(home: Path) -> None:
    from companion import triage, triage_store

    with Store.open(home) as store:
        store.add(Entry(date=ago(1), pain=3))
        triage_store.save_result(store, triage.triage().evaluate({"fever": True}), TODAY)
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        banner = str(app.screen.query_one(AlertBanner).render())
        assert banner.startswith("▲ URGENT: Your triage result: be seen today, since 2026-03-31")
        assert "Contact your doctor or an urgent care service today" in banner
        await pilot.press("a")
        assert options(app, "#evidence")[0] == (
            "2026-03-31  triage result: Urgent: be seen today (fever or chills)"
        )
