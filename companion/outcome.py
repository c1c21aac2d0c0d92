"""A triage result put into words for a person: one model shared by the CLI and the app.

Everything a person reads after triage is assembled here from the result, the triage
content and the advice library, so the command line and the screen never differ.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from companion import advice, triage
from companion.content import fill
from companion.levels import DISPOSITIONS
from companion.safety import DEFAULT_EMERGENCY_NUMBER, NOT_A_DIAGNOSIS


@dataclass(frozen=True)
class ReasonLine:
    symbol: str
    text: str
    sources: str


@dataclass(frozen=True)
class WatchGroup:
    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    disposition: str
    symbol: str
    title: str
    action: str
    reasons: tuple[ReasonLine, ...]
    unanswered: tuple[str, ...]
    unanswered_note: str
    could_rise: bool
    watch: tuple[WatchGroup, ...]
    plan_heading: str
    plan: tuple[advice.Article, ...]
    not_a_diagnosis: str = NOT_A_DIAGNOSIS
    # Set when questions about signs that need help now were left unanswered (a script can
    # leave them; the app cannot) and nothing answered is an emergency: then the result
    # leads with that, never with self-care, and ``given`` is the advice from what was
    # answered.
    emergency_headline: str = ""
    given: str = ""

    @property
    def headline(self) -> str:
        if self.emergency_headline:
            return self.emergency_headline
        incomplete = " (from incomplete answers)" if self.could_rise else ""
        return f"{self.symbol} {self.title}{incomplete}"


def build(
    result: triage.Result,
    number: str = DEFAULT_EMERGENCY_NUMBER,
    content: triage.Triage | None = None,
    library: advice.Library | None = None,
) -> Outcome:
    t = content or triage.triage()
    lib = library or advice.library()
    info = t.dispositions[result.disposition]
    questions = t.by_id
    reasons = tuple(
        ReasonLine(t.dispositions[r.disposition].symbol, r.text, t.source_names(r.sources))
        for r in result.reasons
    )
    groups = []
    for level in DISPOSITIONS:
        heading = t.dispositions[level].watch_heading
        items = tuple(w.text for w in t.watch_items(result.answers) if w.disposition == level)
        if heading and items:
            groups.append(WatchGroup(fill(heading, number), items))
    plan = t.plan_for(result, lib) if info.plan_heading else ()
    # Only the questions whose answer could change the advice: the wizard skips the others.
    could_change = {q.id for q in t.worth_asking(result.answers)}
    action = fill(info.action, number)
    emergency_headline = given = ""
    if result.emergency_unanswered and result.disposition != "emergency":
        now = t.dispositions["emergency"]
        count = len(result.emergency_unanswered)
        emergency_headline = (
            f"{now.symbol} {count} question{'s' * (count > 1)} about signs that need help now "
            f"{'were' if count > 1 else 'was'} not answered"
        )
        # What was answered is said after what was not, so self-care never leads.
        given = f"From the answers given: {info.symbol} {info.title}."
        if result.disposition != "self_care":
            given += f" {action}"
        action = (
            f"This is not an all-clear. If any of them applies to you: {fill(now.action, number)}"
        )
    return Outcome(
        disposition=info.id,
        symbol=info.symbol,
        title=info.title,
        action=action,
        reasons=reasons,
        # The list only matters when answering could change the advice; else a note says so.
        unanswered=tuple(
            questions[q].short
            for q in result.unanswered
            if result.worst_if_unanswered and q in could_change
        ),
        unanswered_note=(
            "Answer them to know how urgently to get help."
            if emergency_headline
            else _unanswered_note(result, t, number)
        ),
        could_rise=result.worst_if_unanswered is not None,
        watch=tuple(groups),
        plan_heading=info.plan_heading,
        plan=plan,
        emergency_headline=emergency_headline,
        given=given,
    )


def _unanswered_note(result: triage.Result, t: triage.Triage, number: str) -> str:
    if not result.unanswered:
        return ""
    if result.worst_if_unanswered is None:
        count = len(result.unanswered)
        questions = "question was" if count == 1 else "questions were"
        # Not asked by the wizard, or left out of the answers given: either way, no matter,
        # and said so that a person who answered every question asked misses nothing.
        return f"{count} {questions} left out, since no answer to them would change this advice."
    worst = t.dispositions[result.worst_if_unanswered]
    return (
        "The advice above does not count these. If any of them applies to you, the advice "
        f"would be: {worst.symbol} {worst.title}. {fill(worst.action, number)}"
    )


def as_text(outcome: Outcome, width: int = 78) -> str:
    """The outcome as plain text for a terminal or a file."""
    out: list[str] = []

    def para(text: str, indent: str = "", first: str | None = None) -> None:
        out.extend(
            textwrap.wrap(
                text,
                width,
                initial_indent=indent if first is None else first,
                subsequent_indent=indent,
            )
        )

    para(outcome.headline)
    para(outcome.action)
    if outcome.unanswered:
        # Straight after the advice: a missing answer could change it.
        out += ["", f"Not answered ({len(outcome.unanswered)}):"]
        for item in outcome.unanswered:
            para(item, "     ", "   - ")
        para(outcome.unanswered_note, "  ")
    elif outcome.unanswered_note:
        out.append("")
        para(outcome.unanswered_note)
    if outcome.given:
        out.append("")
        para(outcome.given)
    out += ["", "Why:"]
    for reason in outcome.reasons:
        para(reason.text, "     ", f"  {reason.symbol:<2} ")
        para(f"Sources: {reason.sources}", "     ")
    for group in outcome.watch:
        out.append("")
        para(f"{group.heading}:")
        for item in group.items:
            para(item, "     ", "   - ")
    if outcome.plan:
        out += ["", f"{outcome.plan_heading}:"]
        for article in outcome.plan:
            para(f"{article.title}: {article.summary}", "     ", "   - ")
    out += ["", outcome.not_a_diagnosis]
    return "\n".join(out) + "\n"
