"""The triage engine: answers in, a disposition with every reason and its sources out.

The questions, the rules, their wording and the self-care plan live in content/triage.toml;
this module checks that file in full when it loads it, then evaluates answers against it.
Evaluating is pure: no store, no clock, no output.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from companion import advice, content
from companion.content import fill
from companion.errors import DataError, UsageError
from companion.levels import DISPOSITIONS, Level, levels
from companion.levels import load as load_levels
from companion.safety import DEFAULT_EMERGENCY_NUMBER

TRIAGE_FILE = "triage.toml"
EMERGENCY_SECTION = "emergency"
# The choice question that picks the self-care plan; unanswered, the plan for "both" is used.
PLAN_QUESTION = "main_problem"
PLAN_FALLBACK = "both"
SELF_CARE = DISPOSITIONS[-1]

Answer = bool | int | str
Kind = Literal["bool", "int", "choice"]
KINDS: tuple[Kind, ...] = ("bool", "int", "choice")


def severity(disposition: str) -> int:
    """0 for emergency, rising as the advice gets milder."""
    return DISPOSITIONS.index(disposition)


def most_severe(dispositions: Iterable[str]) -> str:
    return min(dispositions, key=severity, default=DISPOSITIONS[-1])


class AnswerError(UsageError):
    """An answer that is not one the questions allow; names the key, never the value."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"answers: {key!r} {problem}")
        self.key = key


# --- the content's shape --------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    kind: Kind
    short: str
    text: str
    why: str
    minimum: int = 0
    maximum: int = 0
    unit: str = ""
    options: tuple[Option, ...] = ()
    ask_if: Condition | None = None

    @property
    def emergency(self) -> bool:
        return self.section == EMERGENCY_SECTION

    def check(self, value: object) -> Answer:
        """The answer if it fits this question, else an AnswerError naming the question."""
        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            raise AnswerError(self.id, "must be true or false")
        if self.kind == "int":
            number = value if isinstance(value, int) and not isinstance(value, bool) else None
            if number is not None and self.minimum <= number <= self.maximum:
                return number
            raise AnswerError(
                self.id,
                f"must be a whole number from {self.minimum} to {self.maximum} ({self.unit})",
            )
        values = [o.value for o in self.options]
        if isinstance(value, str) and value in values:
            return value
        raise AnswerError(self.id, f"must be one of: {', '.join(values)}")

    def describe(self, value: Answer) -> str:
        """An answer in words, for a person."""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, int):
            return f"{value} {self.unit}"
        return next((o.label for o in self.options if o.value == value), value)


@dataclass(frozen=True)
class Test:
    """One question's part of a condition: a yes, a set of choices, or a number range."""

    question: str
    values: frozenset[str | bool] = frozenset()
    minimum: int | None = None
    maximum: int | None = None

    def holds(self, value: Answer) -> bool:
        if isinstance(value, bool):  # before int: a bool is an int to Python
            return value in self.values
        if isinstance(value, int):
            low_ok = self.minimum is None or value >= self.minimum
            return low_ok and (self.maximum is None or value <= self.maximum)
        return value in self.values


@dataclass(frozen=True)
class Condition:
    """Every test in ``every`` holds, and (if there are any) all of one group in ``some``."""

    every: tuple[Test, ...] = ()
    some: tuple[tuple[Test, ...], ...] = ()

    def matches(self, answers: Mapping[str, Answer], assume: frozenset[str] = frozenset()) -> bool:
        """Unanswered questions fail their tests, except those in ``assume``, which pass."""

        def ok(test: Test) -> bool:
            value = answers.get(test.question)
            return test.question in assume if value is None else test.holds(value)

        if not all(ok(t) for t in self.every):
            return False
        return not self.some or any(all(ok(t) for t in group) for group in self.some)

    def questions(self) -> set[str]:
        tests = [*self.every, *(t for group in self.some for t in group)]
        return {t.question for t in tests}


@dataclass(frozen=True)
class Rule:
    id: str
    disposition: str
    condition: Condition
    text: str
    sources: tuple[str, ...]
    # What the self-care plan must not advise with this reason (words of advice.TREATMENTS).
    avoid: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DispositionInfo:
    """A disposition's level (its symbol and words, from content/levels.toml) and the
    headings its result uses."""

    level: Level
    plan_heading: str
    watch_heading: str

    @property
    def id(self) -> str:
        return self.level.id

    @property
    def symbol(self) -> str:
        return self.level.symbol

    @property
    def title(self) -> str:
        return self.level.title

    @property
    def action(self) -> str:
        return self.level.action


@dataclass(frozen=True)
class WatchItem:
    """A sign to get help for at once (or the same day) if it appears later."""

    disposition: str
    text: str
    sources: tuple[str, ...]
    show_if: Condition | None = None


@dataclass(frozen=True)
class Reason:
    id: str
    disposition: str
    text: str
    sources: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "disposition": self.disposition,
            "text": self.text,
            "sources": list(self.sources),
        }


@dataclass(frozen=True, eq=False)
class Result:
    """What the answers mean: the disposition, every reason for it, and what is missing.

    ``worst_if_unanswered`` is the disposition the result could rise to if the unanswered
    warning questions were answered with the most worrying answer; None when it could not
    rise. An unanswered question is never quietly taken as "no"; ``emergency_unanswered``
    names the emergency questions among them (the app never leaves one, a script can).
    """

    disposition: str
    reasons: tuple[Reason, ...]
    unanswered: tuple[str, ...]
    worst_if_unanswered: str | None
    answers: Mapping[str, Answer]
    emergency_unanswered: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "disposition": self.disposition,
            "reasons": [r.to_json() for r in self.reasons],
            "unanswered": list(self.unanswered),
            "worst_if_unanswered": self.worst_if_unanswered,
            "emergency_unanswered": list(self.emergency_unanswered),
        }


# --- the engine -----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Triage:
    dispositions: Mapping[str, DispositionInfo]
    sections: Mapping[str, str]
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    default_reason: Reason
    watch_for: tuple[WatchItem, ...]
    plan: Mapping[str, tuple[str, ...]]
    sources: Mapping[str, content.Source]

    @property
    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @property
    def warning_questions(self) -> frozenset[str]:
        """Questions whose answer can raise the advice above self-care."""
        return frozenset(
            q
            for rule in self.rules
            if rule.disposition != "self_care"
            for q in rule.condition.questions()
        )

    def check_answers(self, raw: object) -> dict[str, Answer]:
        """Answers as parsed from JSON, checked key by key; null means not answered."""
        if not isinstance(raw, dict):
            raise AnswerError("answers", "must be a JSON object of question ids and answers")
        questions = self.by_id
        checked: dict[str, Answer] = {}
        for key, value in raw.items():
            if key not in questions:
                raise AnswerError(str(key), "is not a triage question (see --questions)")
            if value is not None:
                checked[key] = questions[key].check(value)
        return checked

    def asked(self, answers: Mapping[str, Answer]) -> tuple[Question, ...]:
        """The questions that apply, in order; one whose condition is still unknown applies."""
        unknown = frozenset(q.id for q in self.questions if q.id not in answers)
        return tuple(
            q for q in self.questions if q.ask_if is None or q.ask_if.matches(answers, unknown)
        )

    def worth_asking(
        self, answers: Mapping[str, Answer], seen: Iterable[str] = ()
    ) -> tuple[Question, ...]:
        """The wizard's questions, in order: of those ``asked``, every emergency question,
        every one already answered or passed over (``seen``), and every other one whose
        answer could still change the advice.

        One could when an answer to it could make a rule match that is more severe than the
        answers so far already give (the other open questions taken as answered either way),
        or that adds a self-care note or takes advice out of the plan, or when it picks the
        plan or decides whether such a question is asked. Answers only ever add matching
        rules, so no answer to a question left out, whatever the other answers, changes the
        disposition, the plan or its notes.
        """
        asked = self.asked(answers)
        unknown = frozenset(q.id for q in asked if q.id not in answers)
        current = severity(most_severe(r.disposition for r in self.matching(answers)))
        deciding = {PLAN_QUESTION} & unknown
        for rule in self.rules:
            adds = (
                severity(rule.disposition) < current
                or rule.disposition == SELF_CARE
                or bool(rule.avoid)
            )
            when = rule.condition
            if adds and not when.matches(answers) and when.matches(answers, unknown):
                deciding |= when.questions() & unknown
        by_id = self.by_id
        gates = list(deciding)
        while gates:  # the questions that decide whether a deciding question is asked
            ask_if = by_id[gates.pop()].ask_if
            for gate in (ask_if.questions() & unknown) - deciding if ask_if else ():
                deciding.add(gate)
                gates.append(gate)
        shown = {*seen, *answers, *deciding}
        return tuple(q for q in asked if q.emergency or q.id in shown)

    def unanswered(self, answers: Mapping[str, Answer]) -> tuple[str, ...]:
        warning = self.warning_questions
        return tuple(q.id for q in self.asked(answers) if q.id in warning and q.id not in answers)

    def matching(
        self, answers: Mapping[str, Answer], assume: frozenset[str] = frozenset()
    ) -> list[Rule]:
        return [r for r in self.rules if r.condition.matches(answers, assume)]

    def evaluate(
        self, answers: Mapping[str, Answer], emergency_number: str = DEFAULT_EMERGENCY_NUMBER
    ) -> Result:
        matched = sorted(self.matching(answers), key=lambda r: severity(r.disposition))
        disposition = most_severe(r.disposition for r in matched)
        reasons = [
            Reason(r.id, r.disposition, fill(r.text, emergency_number), r.sources) for r in matched
        ]
        if disposition == "self_care":
            reasons.insert(0, self.default_reason)
        unanswered = self.unanswered(answers)
        worst = most_severe(r.disposition for r in self.matching(answers, frozenset(unanswered)))
        questions = self.by_id
        return Result(
            disposition=disposition,
            reasons=tuple(reasons),
            unanswered=unanswered,
            worst_if_unanswered=worst if severity(worst) < severity(disposition) else None,
            answers=dict(answers),
            emergency_unanswered=tuple(q for q in unanswered if questions[q].emergency),
        )

    def plan_for(self, result: Result, library: advice.Library) -> tuple[advice.Article, ...]:
        """The self-care plan: the articles for the main problem, less any that advise what
        a reason of the result says to avoid (no rubbing or warmth for a leg that may hold
        a clot)."""
        problem = result.answers.get(PLAN_QUESTION)
        # An unanswered question is never read as "no": a rule that could forbid advice
        # forbids it until the question is answered.
        assumed = self.matching(result.answers, frozenset(result.unanswered))
        avoid = frozenset().union(*(r.avoid for r in assumed))
        articles = (
            library.get(a)
            for a in self.plan[problem if isinstance(problem, str) else PLAN_FALLBACK]
        )
        return tuple(a for a in articles if not avoid & a.advises)

    def watch_items(self, answers: Mapping[str, Answer]) -> tuple[WatchItem, ...]:
        unknown = frozenset(q.id for q in self.questions if q.id not in answers)
        return tuple(
            w for w in self.watch_for if w.show_if is None or w.show_if.matches(answers, unknown)
        )

    def source_names(self, ids: Iterable[str]) -> str:
        return "; ".join(self.sources[i].short for i in ids)


# --- loading and checking content/triage.toml -----------------------------------------------


def load(root: Path | None = None) -> Triage:
    """Read and check the triage content; any mistake is a DataError naming its place."""
    data = content.load_toml(TRIAGE_FILE, root)
    return _Loader(
        data,
        content.known_sources(root),
        set(advice.article_ids(root)),
        levels() if root is None else load_levels(root),
    ).triage()


@cache
def triage() -> Triage:
    """The shipped triage content, loaded and checked once."""
    return load()


_TOP_KEYS = {"disposition", "default_reason", "section", "question", "rule", "watch_for", "plan"}


class _Loader:
    def __init__(
        self,
        data: dict[str, Any],
        sources: dict[str, content.Source],
        advice: set[str],
        levels: dict[str, Level],
    ):
        self.data = data
        self.sources = sources
        self.advice = advice
        self.levels = levels
        self.questions: dict[str, Question] = {}

    def fail(self, where: str, problem: str) -> DataError:
        return DataError(f"{TRIAGE_FILE}: {where}: {problem}")

    def table(
        self, value: object, where: str, required: set[str], optional: set[str]
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "must be a table")
        missing = required - value.keys()
        if missing:
            raise self.fail(where, f"missing {sorted(missing)[0]!r}")
        extra = value.keys() - required - optional
        if extra:
            raise self.fail(where, f"unknown key {sorted(extra)[0]!r}")
        return value

    def text(self, table: dict[str, Any], key: str, where: str, *, empty: bool = False) -> str:
        value = table.get(key, "")
        if not isinstance(value, str) or (not empty and not value.strip()):
            raise self.fail(where, f"{key!r} must be non-empty text")
        return value

    def tables(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(key, f"needs at least one [[{key}]]")
        return value

    def triage(self) -> Triage:
        extra = self.data.keys() - _TOP_KEYS
        if extra:
            raise self.fail("top level", f"unknown key {sorted(extra)[0]!r}")
        dispositions = self.dispositions()
        sections = self.sections()
        for i, raw in enumerate(self.tables("question")):
            question = self.question(raw, i, sections)
            self.questions[question.id] = question
        self.check_order(sections)
        rules = self.rules()
        default = self.table(
            self.data.get("default_reason"), "default_reason", {"id", "text", "sources"}, set()
        )
        return Triage(
            dispositions=dispositions,
            sections=sections,
            questions=tuple(self.questions.values()),
            rules=rules,
            default_reason=Reason(
                self.text(default, "id", "default_reason"),
                "self_care",
                self.text(default, "text", "default_reason"),
                self.source_ids(default, "default_reason"),
            ),
            watch_for=self.watch_for(),
            plan=self.plan(),
            sources=self.sources,
        )

    def dispositions(self) -> dict[str, DispositionInfo]:
        found: dict[str, DispositionInfo] = {}
        for i, raw in enumerate(self.tables("disposition")):
            where = f"disposition {i + 1}"
            t = self.table(raw, where, {"id", "plan_heading", "watch_heading"}, set())
            if t["id"] not in DISPOSITIONS:
                raise self.fail(where, f"must be one of {', '.join(DISPOSITIONS)}")
            found[t["id"]] = DispositionInfo(
                self.levels[t["id"]],
                self.text(t, "plan_heading", where, empty=True),
                self.text(t, "watch_heading", where, empty=True),
            )
        if tuple(found) != DISPOSITIONS:
            raise self.fail("disposition", f"must be exactly {', '.join(DISPOSITIONS)}, in order")
        return found

    def sections(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for i, raw in enumerate(self.tables("section")):
            t = self.table(raw, f"section {i + 1}", {"id", "title"}, set())
            found[self.text(t, "id", f"section {i + 1}")] = self.text(t, "title", t["id"])
        if next(iter(found)) != EMERGENCY_SECTION:
            raise self.fail("section", f"the first section must be {EMERGENCY_SECTION!r}")
        return found

    def question(self, raw: object, index: int, sections: dict[str, str]) -> Question:
        where = f"question {index + 1}"
        t = self.table(
            raw,
            where,
            {"id", "section", "kind", "short", "text", "why"},
            {"min", "max", "unit", "options", "ask_if"},
        )
        qid = self.text(t, "id", where)
        where = f"question {qid!r}"
        if qid in self.questions:
            raise self.fail(where, "defined twice")
        if t["section"] not in sections:
            raise self.fail(where, f"unknown section {t['section']!r}")
        kind = t["kind"]
        if kind not in KINDS:
            raise self.fail(where, f"kind must be one of {', '.join(KINDS)}")
        extras = {"int": {"min", "max", "unit"}, "choice": {"options"}}.get(kind, set())
        wrong = (t.keys() & {"min", "max", "unit", "options"}) - extras
        if wrong or not extras <= t.keys():
            raise self.fail(where, f"a {kind} question takes {sorted(extras) or 'no extra keys'}")
        minimum, maximum = t.get("min", 0), t.get("max", 0)
        if kind == "int" and not (_is_int(minimum) and _is_int(maximum) and minimum < maximum):
            raise self.fail(where, "min and max must be whole numbers, min below max")
        options = tuple(self.option(o, where) for o in t.get("options", []))
        distinct = {o.value for o in options}
        if kind == "choice" and (len(options) < 2 or len(distinct) < len(options)):
            raise self.fail(where, "options must be two or more distinct values")
        ask_if = self.ask_if(t["ask_if"], f"{where} ask_if") if "ask_if" in t else None
        if t["section"] == EMERGENCY_SECTION and (kind != "bool" or ask_if is not None):
            raise self.fail(where, "emergency questions are yes/no and always asked")
        return Question(
            id=qid,
            section=t["section"],
            kind=kind,
            short=self.text(t, "short", where),
            text=self.text(t, "text", where),
            why=self.text(t, "why", where),
            minimum=minimum,
            maximum=maximum,
            unit=self.text(t, "unit", where) if kind == "int" else "",
            options=options,
            ask_if=ask_if,
        )

    def ask_if(self, raw: object, where: str) -> Condition:
        """A table that must hold in full, or a list of tables of which one must."""
        return (
            self.condition(None, raw, where)
            if isinstance(raw, list)
            else self.condition(raw, None, where)
        )

    def option(self, raw: object, where: str) -> Option:
        t = self.table(raw, f"{where} option", {"value", "label"}, set())
        return Option(self.text(t, "value", where), self.text(t, "label", where))

    def check_order(self, sections: dict[str, str]) -> None:
        """Questions follow the section order, so emergency questions are asked first."""
        order = list(sections)
        last = 0
        for q in self.questions.values():
            position = order.index(q.section)
            if position < last:
                raise self.fail(f"question {q.id!r}", "is out of its section's order")
            last = position

    def condition(self, when: object, some: object, where: str) -> Condition:
        every = self.tests(when, where) if when is not None else ()
        groups: tuple[tuple[Test, ...], ...] = ()
        if some is not None:
            if not isinstance(some, list) or not some:
                raise self.fail(where, "'any' must be a non-empty list of tables")
            groups = tuple(self.tests(g, f"{where} any") for g in some)
        if not every and not groups:
            raise self.fail(where, "needs a condition ('when' or 'any')")
        return Condition(every, groups)

    def tests(self, raw: object, where: str) -> tuple[Test, ...]:
        if not isinstance(raw, dict) or not raw:
            raise self.fail(where, "a condition must be a non-empty table of answer ids")
        return tuple(self.test(key, value, where) for key, value in raw.items())

    def test(self, key: str, value: object, where: str) -> Test:
        question = self.questions.get(key)
        if question is None:
            raise self.fail(where, f"unknown answer id {key!r}")
        if question.kind == "bool":
            # Only "yes" may be asked for: one more warning sign can then only raise the advice.
            if value is not True:
                raise self.fail(where, f"{key!r} can only be tested for true")
            return Test(key, frozenset({True}))
        if question.kind == "int":
            if not isinstance(value, dict) or not value or value.keys() - {"min", "max"}:
                raise self.fail(where, f"{key!r} needs {{ min = N }} and/or {{ max = N }}")
            bounds = [value.get("min"), value.get("max")]
            for bound in bounds:
                if bound is not None and not (
                    _is_int(bound) and question.minimum <= bound <= question.maximum
                ):
                    raise self.fail(where, f"{key!r} bound must be a whole number in range")
            return Test(key, minimum=bounds[0], maximum=bounds[1])
        choices = [value] if isinstance(value, str) else value
        allowed = {o.value for o in question.options}
        if not isinstance(choices, list) or not choices or not set(choices) <= allowed:
            raise self.fail(where, f"{key!r} must list values from: {', '.join(sorted(allowed))}")
        return Test(key, frozenset(choices))

    def source_ids(self, table: dict[str, Any], where: str) -> tuple[str, ...]:
        return content.check_sources(table.get("sources"), f"{TRIAGE_FILE}: {where}", self.sources)

    def rules(self) -> tuple[Rule, ...]:
        rules: dict[str, Rule] = {}
        for i, raw in enumerate(self.tables("rule")):
            t = self.table(
                raw,
                f"rule {i + 1}",
                {"id", "disposition", "text", "sources"},
                {"when", "any", "avoid"},
            )
            where = f"rule {t['id']!r}"
            if t["id"] in rules:
                raise self.fail(where, "defined twice")
            if t["disposition"] not in DISPOSITIONS:
                raise self.fail(where, f"disposition must be one of {', '.join(DISPOSITIONS)}")
            # An emergency rule may use any question: the wizard shows the emergency notice
            # the moment an answer makes the result an emergency, whichever question it is.
            condition = self.condition(t.get("when"), t.get("any"), where)
            avoid = t.get("avoid", [])
            if not isinstance(avoid, list) or not set(avoid) <= set(advice.TREATMENTS):
                raise self.fail(
                    where, f"avoid must list words from: {', '.join(advice.TREATMENTS)}"
                )
            rules[t["id"]] = Rule(
                t["id"],
                t["disposition"],
                condition,
                self.text(t, "text", where),
                self.source_ids(t, where),
                frozenset(avoid),
            )
        return tuple(rules.values())

    def watch_for(self) -> tuple[WatchItem, ...]:
        items = []
        for i, raw in enumerate(self.tables("watch_for")):
            where = f"watch_for {i + 1}"
            t = self.table(raw, where, {"disposition", "text", "sources"}, {"show_if"})
            if t["disposition"] not in DISPOSITIONS:
                raise self.fail(where, f"disposition must be one of {', '.join(DISPOSITIONS)}")
            show_if = self.condition(t["show_if"], None, where) if "show_if" in t else None
            items.append(
                WatchItem(
                    t["disposition"],
                    self.text(t, "text", where),
                    self.source_ids(t, where),
                    show_if,
                )
            )
        return tuple(items)

    def plan(self) -> dict[str, tuple[str, ...]]:
        question = self.questions.get(PLAN_QUESTION)
        if question is None or question.kind != "choice":
            raise self.fail("plan", f"needs a choice question {PLAN_QUESTION!r}")
        keys = {o.value for o in question.options}
        t = self.table(self.data.get("plan"), "plan", keys, set())
        plan: dict[str, tuple[str, ...]] = {}
        for key, ids in t.items():
            if not isinstance(ids, list) or not ids:
                raise self.fail(f"plan.{key}", "must be a non-empty list of article ids")
            unknown = [a for a in ids if a not in self.advice]
            if unknown:
                raise self.fail(f"plan.{key}", f"unknown advice article {unknown[0]!r}")
            plan[key] = tuple(ids)
        return plan


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
