"""Pilot flows through the triage wizard, its result and the advice library."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input, Static
from textual.widgets._toast import Toast

from companion import advice, triage, triage_store
from companion.safety import EMERGENCY_NUMBER_KEY
from companion.store import Store
from screens.advice import AdviceScreen, ArticleScreen
from screens.app import CompanionApp
from screens.dialogs import Confirm, EmergencyNotice
from screens.footer import KeyFooter
from screens.triage import EmergencyNumberDialog, OutcomeScreen, TriageScreen

TODAY = date(2026, 11, 20)

# Every question in order, answered with the least worrying answer, for main_problem "both"
# and 10 days (so the three questions for pain lasting months are not asked).
ALL_NO = [
    *"nnnnnnn",  # emergency signs
    "3",  # main problem: both
    "4", "5", "enter",  # age 45
    "1", "0", "enter",  # 10 days
    *"nnnnnnn",  # infection and injury: no small fall, so no bruise or weak bones questions
    *"nnn", "1", *"nnn",  # other signs, rest eases: yes (no chemotherapy question)
    *"nnnn",  # pain in the legs, and a swollen calf
    "n",  # pregnant
    *"nnnnn",  # cramps
]  # fmt: skip


def make_app(home: Path) -> CompanionApp:
    return CompanionApp(home=home, today=TODAY)


def text(app: App[object], selector: str) -> str:
    """A widget's content as plain text, unwrapped enough to search in."""
    console = Console(width=400, file=io.StringIO(), record=True)
    console.print(app.screen.query_one(selector, Static).content)
    return " ".join(console.export_text().split())


def saved(home: Path) -> list[triage_store.SavedResult]:
    with Store.open(home) as store:
        return triage_store.results(store)


async def test_from_the_first_question_to_a_saved_result(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        assert isinstance(app.screen, TriageScreen)
        assert text(app, "#progress") == "Question 1 of about 41"
        assert "saddle" in text(app, "#question")
        assert text(app, "#why").startswith("Why we ask: ")
        await pilot.press(*ALL_NO)
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        assert text(app, "#headline") == "+ Self-care"
        # Every question asked was answered: the note must not sound like one was missed.
        assert text(app, "#unanswered") == (
            "2 questions were left out, since no answer to them would change this advice."
        )
        assert "Sources: NICE NG59; ACP 2017" in text(app, "#reasons")
        assert "Get help now, call your local emergency number" in text(app, "#watch")
        await pilot.press("s")
        await pilot.pause()
        assert "Saved to the diary (2026-11-20)" in text(app, "#saved")
        await pilot.press("s")  # a second press does not save twice
    (result,) = saved(home)
    assert (result.date, result.disposition) == ("2026-11-20", "self_care")
    assert result.answers["age"] == 45
    assert result.answers["duration_days"] == 10
    assert result.answers["main_problem"] == "both"
    assert result.answers["rest_eases"] == "yes"
    assert len(result.answers) == 34
    assert "osteoporosis" not in result.answers  # it matters only after a small fall
    assert [r["id"] for r in result.reasons] == ["no_warning_signs"]


async def test_an_emergency_answer_shows_the_notice_before_any_other_question(
    home: Path,
) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", "n", "y")  # no saddle numbness; yes to bladder or bowel change
        await pilot.pause()
        assert isinstance(app.screen, EmergencyNotice)
        notice = text(app, "#notice")
        assert "cauda equina" in notice
        assert "Call your local emergency number" in notice
        assert "not a diagnosis" in notice
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        assert text(app, "#headline") == "‼ Emergency: get help now"
        assert "no answer to them would change this advice" in text(app, "#unanswered")
        await pilot.press("s")
        await pilot.pause()
    (result,) = saved(home)
    assert result.disposition == "emergency"
    assert result.answers == {"saddle_numbness": False, "bladder_bowel_change": True}
    assert result.reasons[0]["id"] == "cauda_equina_bladder_bowel"


async def test_emergency_questions_cannot_be_skipped_or_passed(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        keys = {key.description: key.enabled for key in app.screen.query_one(KeyFooter).keys}
        assert "Skip" not in keys and keys["Prev"] is False
        await pilot.press("s")
        assert text(app, "#progress") == "Question 1 of about 41"
        await pilot.press("right")
        assert text(app, "#progress") == "Question 1 of about 41"
        assert "needs an answer" in text(app, "#status")
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        assert screen.answers == {}


async def test_back_and_forward_keep_answers_and_skips_are_counted(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", *"nnnnnnn", "1")  # main problem: back pain
        await pilot.pause()
        # With back pain only, the five cramp questions drop out.
        assert text(app, "#progress") == "Question 9 of about 36"
        await pilot.press("left")
        assert "Your answer: Back pain." in text(app, "#status")
        await pilot.press("left")
        assert "Your answer: no." in text(app, "#status")
        await pilot.press("right", "right")
        assert text(app, "#progress") == "Question 9 of about 36"
        await pilot.press("s")  # skip the age
        assert text(app, "#progress") == "Question 10 of about 36"
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        assert "age" not in screen.answers
        assert "age" in screen.evaluate().unanswered


async def test_a_number_out_of_range_is_refused_with_a_reason(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", *"nnnnnnn", "2", "2", "0", "0", "enter")
        assert text(app, "#progress") == "Question 9 of about 41"
        assert "from 0 to 120" in text(app, "#status")
        await pilot.press("7", "2", "backspace", "3", "enter")
        assert text(app, "#progress") == "Question 10 of about 41"
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        assert screen.answers["age"] == 73


async def test_keys_typed_faster_than_the_screen_are_taken_in_order(home: Path) -> None:
    """A burst (typed ahead, or pasted) answers question by question; a stray ² is ignored."""
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        for key, character in [*(("n", "n"),) * 7, ("3", "3"), ("²", "²"), ("4", "4"),
                               ("5", "5"), ("enter", "\r")]:  # fmt: skip
            app.post_message(events.Key(key, character))  # as the terminal driver does
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        assert screen.answers["main_problem"] == "both"
        assert screen.answers["age"] == 45
        assert text(app, "#progress") == "Question 10 of about 41"


async def test_the_plan_opens_articles_and_the_library(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        answers = {"main_problem": "cramp", "cramp_swelling": False}
        await app.push_screen(OutcomeScreen(triage.triage().evaluate(answers)))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.article.id == "easing-a-cramp"
        assert "NHS: Leg cramps" in text(app, "#sources")
        await pilot.press("escape")
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, AdviceScreen)
        await pilot.press("escape", "b")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)


async def test_the_emergency_number_is_a_setting_used_at_once(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", "y")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, EmergencyNumberDialog)
        assert app.screen.query_one("#number", Input).value == ""
        await pilot.press(*"000", "enter")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        assert "Call 000 now" in text(app, "#action")
    with Store.open(home) as store:
        assert store.setting(EMERGENCY_NUMBER_KEY) == "000"


async def test_the_essentials_fit_at_60_by_20(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("t")
        for selector in ("#progress", "#question", "#choices"):
            region = app.screen.query_one(selector).region
            assert region.bottom <= 19 and region.right <= 60, selector
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        for selector in ("#headline", "#action"):
            region = app.screen.query_one(selector).region
            assert region.y >= 1 and region.bottom <= 19, selector


class Host(App[None]):
    """The smallest app a library screen needs: it reads nothing from the diary."""

    def compose(self) -> ComposeResult:
        return iter(())


async def test_the_library_lists_every_article_and_reads_one() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(AdviceScreen())
        articles = app.screen.query_one("#articles")
        assert articles.option_count == len(advice.library())  # type: ignore[attr-defined]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        second = list(advice.library())[1]
        assert app.screen.article.id == second.id
        assert "This is a prompt to get checked, not a diagnosis." in text(app, "#sources")
        await app.pop_screen()
        await app.screen.run_action("read")  # the command, as the palette runs it
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.article.id == second.id


def test_saved_reasons_match_the_cli_json_shape(home: Path) -> None:
    result = triage.triage().evaluate({"fever": True})
    with Store.open(home) as store:
        triage_store.save_result(store, result, TODAY)
        (row,) = triage_store.results(store)
    assert row.reasons == json.loads(json.dumps(result.to_json()["reasons"]))


# Up to the first infection question: no emergency sign, both problems, 45, for 10 days.
TO_FEVER = [*"nnnnnnn", "3", "4", "5", "enter", "1", "0", "enter"]


async def no_until(pilot: Pilot[None], question: str) -> None:
    """Answer no (or the first choice) to each question asked until ``question``."""
    screen = pilot.app.screen
    assert isinstance(screen, TriageScreen)
    while screen.current.id != question:
        await pilot.press("1" if screen.current.kind == "choice" else "n")
        await pilot.pause()
        assert pilot.app.screen is screen, f"the questions ended before {question}"


async def test_a_later_answer_that_makes_it_an_emergency_shows_the_notice_at_once(
    home: Path,
) -> None:
    # A fever, then (questions on) chemotherapy: an emergency the moment it is said.
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", *TO_FEVER, "y")  # a fever
        await no_until(pilot, "cancer_history")
        await pilot.press("y")  # had cancer
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        assert screen.current.id == "cancer_treatment"
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, EmergencyNotice)
        notice = text(app, "#notice")
        assert "neutropenic sepsis" in notice
        assert "Call your cancer treatment helpline or your local emergency number" in notice
        assert "do not drive yourself" in notice
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        assert text(app, "#headline") == "‼ Emergency: get help now"


async def test_a_past_cancer_then_a_numb_leg_shows_the_notice_at_once(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        # No fever ... had cancer, no chemotherapy, then no to the other signs, rest eases.
        await pilot.press("t", *TO_FEVER)
        await no_until(pilot, "cancer_history")
        await pilot.press("y", "n")  # had cancer; no chemotherapy
        await no_until(pilot, "leg_numbness")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, EmergencyNotice)
        assert "pressure on the spinal cord" in text(app, "#notice")


async def test_an_article_tells_the_person_their_own_emergency_number(home: Path) -> None:
    with Store.open(home) as store:
        store.set_setting(EMERGENCY_NUMBER_KEY, "999")
    app = make_app(home)
    async with app.run_test(size=(80, 24)):
        await app.push_screen(ArticleScreen("back-pain-needs-a-doctor"))
        body = text(app, "#body")
    assert "Get help now: call 999, or have someone take you" in body
    assert "{emergency_number}" not in body


# --- keys inside the wizard -----------------------------------------------------------------


async def test_inside_the_wizard_keys_answer_and_never_open_another_screen(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", *"nnnnnnn")
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        assert "What is bothering you most?" in text(app, "#question")
        # n (a new entry), d, r, a, e, l and ? (the app's screens) do nothing here.
        for key in ("n", "d", "r", "a", "e", "l", "question_mark", "q"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen, key
        assert "main_problem" not in screen.answers
        await pilot.press("y")
        assert text(app, "#status") == "Press a number from 1 to 3 to choose."
        await pilot.press("2")
        assert screen.answers["main_problem"] == "cramp"
        assert "How old are you" in text(app, "#question")
        await pilot.press("n")
        assert text(app, "#status") == "Type the number, then press enter."
        keys = {key.description for key in screen.query_one(KeyFooter).keys}
        assert keys == {"Prev", "Next", "Skip", "Leave"}


async def test_escape_asks_before_the_answers_are_lost(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", "escape")  # nothing answered yet: leaves at once
        await pilot.pause()
        assert not isinstance(app.screen, TriageScreen)
        await pilot.press("t", "n", "n", "escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert "Your 2 answers will be lost" in text(app, "Static")
        await pilot.press("n")  # keep answering
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        assert screen.answers == {"saddle_numbness": False, "bladder_bowel_change": False}
        assert text(app, "#progress") == "Question 3 of about 41"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert len(app.screen_stack) == 1  # back on the dashboard
    assert saved(home) == []


async def test_questions_that_cannot_change_the_advice_are_not_asked(home: Path) -> None:
    """Back pain for 60 days already means "see a doctor soon": only what could make it
    urgent, and what adds a self-care note, is still asked."""
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", *"nnnnnnn", "1")  # back pain alone: no cramp questions
        assert text(app, "#progress") == "Question 9 of about 36"
        await pilot.press("4", "5", "enter", "6", "0", "enter")
        # Until a past cancer is ruled out, night pain and the like could still make it urgent.
        assert text(app, "#progress") == "Question 11 of about 29"
        asked = []
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        while isinstance(app.screen, TriageScreen):
            asked.append(screen.current.id)
            await pilot.press("n")
            await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        assert text(app, "#headline") == "● See a doctor soon"
    # Without a fever, neither urine symptoms nor a weak immune system can make it urgent;
    # without a past cancer, neither can night pain.
    assert asked == ["fever", "minor_trauma", "cancer_history", "cramp_swelling", "pregnant"]


async def test_after_saving_enter_still_reads_the_highlighted_article(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await app.push_screen(OutcomeScreen(triage.triage().evaluate({"main_problem": "pain"})))
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.article.id == "staying-active"


async def test_an_emergency_result_offers_nothing_to_read(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", "y")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        keys = {key.description for key in app.screen.query_one(KeyFooter).keys}
        assert "Read" not in keys
        assert {"Save", "Advice", "Answers"} <= keys
        assert not app.screen.query_one("#plan").display


# --- leaving the result -----------------------------------------------------------------------


async def test_escape_on_a_saved_result_goes_back_to_where_the_questions_began(
    home: Path,
) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", *ALL_NO, "s")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.screen_stack) == 1  # the dashboard, not the last question
    assert len(saved(home)) == 1


@pytest.mark.slow
async def test_leaving_a_result_that_is_not_saved_asks_first(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", *ALL_NO)
        await pilot.pause()
        result = app.screen
        assert isinstance(result, OutcomeScreen)
        for leave in ("escape", "d"):  # back, or another screen's key
            await pilot.press(leave)
            await pilot.pause()
            assert isinstance(app.screen, Confirm), leave
            assert text(app, "Static") == (
                "Leave without saving this result? Your 34 answers will be lost."
            )
            await pilot.press("n")
            await pilot.pause()
            assert app.screen is result, leave
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert type(app.screen).__name__ == "DiaryScreen"
        assert len(app.screen_stack) == 2
    assert saved(home) == []


async def test_going_back_from_an_emergency_result_shows_the_answer_given(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", "y")
        await pilot.pause()
        await pilot.press("enter")  # I have read this
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        await pilot.press("b")  # back to the answers
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        assert "saddle" in text(app, "#question")
        assert text(app, "#status") == "Your answer: yes."


async def test_an_emergency_number_with_brackets_is_shown_as_typed(home: Path) -> None:
    """What the person typed as the number is never read as the screen's markup: '[/]' used
    to stop the app at the moment it says to call for help, and '[mobile]' vanished."""
    typed = "112 [mobile] or 999 [/] [@click=app.quit]here[/]"
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", "y")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one("#number", Input).value = typed
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        assert f"Call {typed} now" in text(app, "#action")
        # As the toast shows it (Pilot runs without the toasts' own layer).
        toasts = [str(Toast(n).render()) for n in app._notifications]
        assert f"call {typed}." in toasts[-1], toasts
