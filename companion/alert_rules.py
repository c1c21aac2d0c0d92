"""The red-flag rules of content/red_flags.toml: each rule's check over the diary.

A check reads the diary's windows of daily aggregates and its sign history
(``companion.alert_diary``) and returns what it found, with the evidence, or None. How the
rules read the diary: a rule needs a number of logged days, never a density,
so a diary written every third or fourth day raises what the same days written daily would
(a window too sparse for its number of days is widened); a warning sign stays until a later
record says it has gone or that the person was seen.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from companion.change import clear_improvement
from companion.content import check_sources, known_sources, load_toml
from companion.entry import VOCABULARIES, ordered
from companion.errors import DataError, UsageError
from companion.levels import level
from companion.record import Record
from companion.safety import flag_words
from companion.sign_history import LONG_CRAMP
from companion.store.records import DayStats

if TYPE_CHECKING:
    from companion.alert_diary import Diary
    from companion.doses import Over
    from companion.sign_history import Noted

RULES_FILE = "red_flags.toml"
LEVELS = ("emergency", "urgent", "soon")
# A sign noted on many days lists its first day and its latest ones, not every day.
SIGN_DAYS_SHOWN = 7
FEVER_RULE = "fever_with_back_pain"
LONG_CRAMP_RULE = "long_cramp"
FREQUENT_CRAMPS_RULE = "frequent_cramps"
PARACETAMOL = "paracetamol"
# The rules a dose over a limit raises: what the shell and the app say after such a dose.
LIMIT_RULES = ("paracetamol_over_limit", "medicine_over_limit")


class Evidence(Record):
    date: str  # YYYY-MM-DD
    detail: str  # what the diary held that day, in fixed wording, never the person's text


class Rule(Record):
    """A red-flag rule from content/red_flags.toml."""

    id: str
    level: str
    title: str
    explanation: str
    advice: str  # what this rule adds to the level's own advice; may be empty
    sources: tuple[str, ...]
    thresholds: dict[str, Any]

    def __getitem__(self, name: str) -> float:
        return float(self.thresholds[name])

    def get(self, name: str) -> float:
        return float(self.thresholds.get(name, 0))

    @property
    def reach(self) -> int:
        """How many days back, today included, the rule reads daily aggregates."""
        return int(
            max(
                self.get("days"),
                self.get("days_max"),
                self.get("recent_days") + self.get("before_days"),
                self.get("recent_days_max"),
                self.get("slope_days"),
                self.get("baseline_to_max") + 1,
                self.get("weeks") * max(7, self.get("sparse_block_days")),
            )
        )


class Finding(Record):
    """What a rule found: the evidence (in date order) and how strong the pattern is."""

    evidence: list[Evidence]
    strength: float
    signs: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # instead of the rule's, when the finding has its own
    note: str = ""  # added to the rule's explanation

    @property
    def since(self) -> str:
        return self.evidence[0].date


def fmean(values: Iterable[float]) -> float:
    """The mean by exact summation, as ``statistics.fmean`` computes it (importing
    ``statistics`` costs the app's start 3 ms)."""
    known = list(values)
    return math.fsum(known) / len(known)


def ago(today: date, days: int) -> str:
    """The date ``days`` before ``today``; the calendar's first day if that is before it
    (a diary may hold any date from the year 1)."""
    return date.fromordinal(max(1, today.toordinal() - days)).isoformat()


Check = Callable[[Rule, "Diary", date], Finding | None]


def _num(value: float) -> str:
    return f"{round(value, 1):g}"


def _pattern(check: Check) -> Check:
    """A rule over patterns in the daily aggregates, which a 'seen' record settles as an
    acknowledgement would: the alert that had fired when the person was seen stays settled
    until it is stronger by the rule's worse_by, or made only of days after the record."""

    def settled_by_seen(rule: Rule, diary: Diary, today: date) -> Finding | None:
        found = check(rule, diary, today)
        seen = diary.history.last_seen(today)
        if found is None or seen is None or found.since > seen[0]:
            return found
        then = check(rule, diary, date.fromisoformat(seen[0]))
        if then is not None and found.strength < then.strength + rule["worse_by"] - 1e-9:
            return None
        return found

    return settled_by_seen


def _noted(signs: Iterable[str]) -> str:
    return "noted " + flag_words(signs)


def _sign_evidence(
    noted: Noted, detail: Callable[[str, frozenset[str]], str] = lambda _, s: _noted(s)
) -> list[Evidence]:
    """A day for each day shown; the first says how many there were when some are left out."""
    evidence = [Evidence(day, detail(day, signs)) for day, signs in noted.days]
    if noted.count > len(evidence):
        first = evidence[0]
        evidence[0] = Evidence(first.date, f"{first.detail} (the first of {noted.count} days)")
    return evidence


def _emergency_symptom(rule: Rule, diary: Diary, today: date) -> Finding | None:
    # A sign that needs help now and came and went still needs checking now, so only a
    # 'seen' record settles it; a record that it has gone is shown, and changes nothing.
    history = diary.history
    flags = tuple(ordered("red_flags", frozenset(rule.thresholds["flags"])))
    noted = history.noted_days(flags, today, SIGN_DAYS_SHOWN, gone_settles=False)
    if noted is None:
        return None
    active: list[str] = []
    gone: list[Evidence] = []
    for sign in flags:
        own = history.noted_days((sign,), today, 1, gone_settles=False)
        if own is None:
            continue
        active.append(sign)
        mark = history.last_gone(sign, today)
        if mark is not None and mark > own.last:
            gone.append(Evidence(mark[0], f"recorded that {flag_words([sign])} has gone"))
    note = (
        "You recorded that it has gone; a sign like this that came and went still needs "
        "checking now."
        if gone
        else ""
    )
    evidence = sorted([*_sign_evidence(noted), *gone], key=lambda e: e.date)
    return Finding(evidence, len(active), signs=tuple(active), note=note)


def _fever_with_back_pain(rule: Rule, diary: Diary, today: date) -> Finding | None:
    """A fever not yet settled, with pain that day or on a day around it: a fever on a day
    of pain 0 after a painkiller still counts when pain was logged in the days around."""
    history = diary.history
    noted = history.noted_days(("fever",), today, 1)
    if noted is None:
        return None
    count, days = history.fevers.counted(noted.days[0][0], noted.last[0], today, SIGN_DAYS_SHOWN)
    if not days:
        return None
    evidence: dict[tuple[str, str], Evidence] = {}
    strength = 0.0
    for day in days:
        hot = history.hottest.get(day)
        hot = hot if hot is not None and hot >= rule["min_temperature_c"] else None
        fever = f"temperature {_num(hot)} °C" if hot is not None else "fever"
        worst = history.worst_pain.get(day)
        that_day = "no pain score that day" if worst is None else f"worst pain {worst}/10 that day"
        # The first fever day shown says how many there were when some are left out.
        first_of = f" (the first of {count} days)" if day == days[0] and count > len(days) else ""
        evidence[day, ""] = Evidence(day, f"{fever} with {that_day}{first_of}")
        pain = history.fevers.pain_day[day]
        if pain != day:
            other = Evidence(pain, f"worst pain {history.worst_pain[pain]}/10 that day")
            evidence.setdefault((pain, other.detail), other)
        strength = max(strength, hot if hot is not None else rule["min_temperature_c"])
    return Finding([evidence[k] for k in sorted(evidence)], strength, signs=("fever",))


def _long_cramp(rule: Rule, diary: Diary, today: date) -> Finding | None:
    """A cramp that lasted too long, noted at any time and not yet settled by a 'seen'
    record: the cramp has passed, but the reason to be seen today has not, and an urgent
    sign does not expire because nothing was logged since (nhs-cramps)."""
    history = diary.history
    noted = history.noted_days((LONG_CRAMP,), today, SIGN_DAYS_SHOWN)
    if noted is None:
        return None
    evidence = _sign_evidence(noted, lambda day, _: f"a cramp of {_num(history.longest[day])} min")
    return Finding(evidence, max(history.longest[day] for day, _ in noted.days))


def _slope(points: Sequence[tuple[int, float]]) -> float:
    """Least-squares slope of y on x."""
    mx = fmean(x for x, _ in points)
    my = fmean(y for _, y in points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0


def _nights(days: Iterable[DayStats]) -> list[DayStats]:
    return [d for d in days if d.night_pain is not None]


def _night_pain_rising(
    rule: Rule, recent: list[DayStats], before: list[DayStats], span: list[DayStats], today: date
) -> bool:
    """The last week's night pain is 2 points above the two weeks before, or a line fitted
    to the last six weeks rises 2 points from its first night to today, to a mean of 4."""
    if not recent:
        return False
    recent_mean = fmean(d.night_pain or 0 for d in recent)
    if (
        len(before) >= rule["min_before_nights"]
        and recent_mean >= fmean(d.night_pain or 0 for d in before) + rule["rise_points"]
    ):
        return True
    points = [((date.fromisoformat(d.date) - today).days, float(d.night_pain or 0)) for d in span]
    if len(points) < rule["slope_min_points"] or -points[0][0] < rule["slope_min_span_days"]:
        return False
    rise = _slope(points) * -points[0][0]
    return recent_mean >= rule["slope_min_recent_mean"] and rise >= rule["rise_points"] - 1e-9


def _worsening_night_pain(rule: Rule, diary: Diary, today: date) -> Finding | None:
    # The last week, or the last two when the last holds too few nights to be most of them.
    recent_days = int(rule["recent_days"])
    recent = _nights(diary.window(today, 0, recent_days - 1))
    if len(recent) < rule["min_nights"]:
        recent_days = int(rule["recent_days_max"])
        recent = _nights(diary.window(today, 0, recent_days - 1))
    painful = [d for d in recent if (d.night_pain or 0) >= rule["min_night_pain"]]
    # Most of the nights logged lately, and at least two of them.
    if len(painful) < rule["min_nights"] or len(painful) < rule["min_share"] * len(recent):
        return None
    # The two weeks before, widened back a week at a time through the six weeks while they
    # hold too few nights.
    before = _logged(
        _nights,
        diary,
        today,
        (recent_days, recent_days + int(rule["before_days"]) - 1, int(rule["slope_days"]) - 1),
        rule["min_before_nights"],
    )
    span = _nights(diary.window(today, 0, int(rule["slope_days"]) - 1))
    # The rise must hold without the worst night too, so one bad night never makes a trend.
    worst = max(recent, key=lambda d: (d.night_pain or 0, d.date))
    rest = [d for d in recent if d is not worst]
    if not (
        _night_pain_rising(rule, recent, before, span, today)
        and _night_pain_rising(rule, rest, before, [d for d in span if d is not worst], today)
    ):
        return None
    strength = fmean(d.night_pain or 0 for d in recent)
    return Finding([Evidence(d.date, f"night pain {d.night_pain}/10") for d in painful], strength)


def _night_pain_most_nights(rule: Rule, diary: Diary, today: date) -> Finding | None:
    """Severe night pain, or pain that wakes the person, on most logged nights for two weeks."""
    nights = [d for d in diary.window(today, 0, int(rule["days"]) - 1) if d.night_answered]
    bad = [d for d in nights if (d.night_pain or 0) >= rule["severe"] or d.woke_at_night]
    if len(bad) < rule["min_nights"] or len(bad) < rule["min_share"] * len(nights):
        return None
    first, last = (date.fromisoformat(bad[i].date) for i in (0, -1))
    if (last - first).days < rule["min_span_days"] or (today - last).days >= rule["recent_days"]:
        return None

    def detail(d: DayStats) -> str:
        parts = [f"night pain {d.night_pain}/10"] if d.night_pain is not None else []
        return ", ".join([*parts, *(["woke at night"] if d.woke_at_night else [])])

    return Finding([Evidence(d.date, detail(d)) for d in bad], max(d.night_pain or 0 for d in bad))


def _rest_answered(days: Iterable[DayStats]) -> list[DayStats]:
    return [d for d in days if d.rest_answered]


def _not_eased_by_rest(rule: Rule, diary: Diary, today: date) -> Finding | None:
    days = int(rule["days"])
    # Rest did not ease the pain on most of the days that said lately ...
    lately = _rest_answered(diary.window(today, 0, days - 1))
    if sum(d.rest_not_easing for d in lately) < rule["min_share"] * len(lately):
        return None
    # ... and on enough days: the last two weeks, widened back a week at a time, up to four,
    # while they hold too few.
    answered = _logged(
        _rest_answered, diary, today, (0, days - 1, int(rule["days_max"]) - 1), rule["min_days"]
    )
    not_eased = [d for d in answered if d.rest_not_easing]
    if len(not_eased) < rule["min_days"] or len(not_eased) < rule["min_share"] * len(answered):
        return None
    evidence = [
        Evidence(d.date, f"rest did not ease it; worst pain {d.pain_worst}/10 that day")
        for d in not_eased
    ]
    return Finding(evidence, len(not_eased))


def _logged(
    keep: Callable[[Iterable[DayStats]], list[DayStats]],
    diary: Diary,
    today: date,
    window: tuple[int, int, int],
    least: float,
) -> list[DayStats]:
    """The days ``keep`` keeps in a window (first, last and widest, in days ago), widened
    back a week at a time, up to the widest, while it holds fewer than ``least``: a rule
    needs a number of logged days, never a density, so a diary written every few days still
    fills it."""
    first_ago, last_ago, widest = window
    found = keep(diary.window(today, first_ago, last_ago))
    while len(found) < least and last_ago < widest:
        last_ago = min(last_ago + 7, widest)
        found = keep(diary.window(today, first_ago, last_ago))
    return found


def _pain_days(
    rule: Rule, diary: Diary, today: date, first_ago: int, last_ago: int, widest: int
) -> list[DayStats]:
    """Days with pain in a window, widened back to ``widest`` days ago when too few."""
    return _logged(_with_pain, diary, today, (first_ago, last_ago, widest), rule["min_days"])


def _with_pain(days: Iterable[DayStats]) -> list[DayStats]:
    return [d for d in days if d.pain_mean is not None]


def _no_improvement_6_weeks(rule: Rule, diary: Diary, today: date) -> Finding | None:
    first = diary.first_date
    if first is None or (today - date.fromisoformat(first)).days < rule["min_span_days"]:
        return None
    recent = _pain_days(
        rule, diary, today, 0, int(rule["recent_days"]) - 1, int(rule["recent_days_max"]) - 1
    )
    baseline = _pain_days(
        rule,
        diary,
        today,
        int(rule["baseline_from"]),
        int(rule["baseline_to"]),
        int(rule["baseline_to_max"]),
    )
    if len(recent) < rule["min_days"] or len(baseline) < rule["min_days"]:
        return None
    now = fmean(d.pain_mean or 0 for d in recent)
    then = fmean(d.pain_mean or 0 for d in baseline)
    if now < rule["min_recent_mean"] or clear_improvement(then, now):
        return None
    evidence = [
        Evidence(d.date, f"pain {_num(d.pain_mean or 0)}/10 (the day's mean)")
        for d in (*baseline, *recent)
    ]
    return Finding(evidence, now)


def _frequent_cramps(rule: Rule, diary: Diary, today: date) -> Finding | None:
    """In each of the last weeks: enough cramp episodes, or cramps on enough of the days
    logged (3 in 7, and at least 2 days), so a diary written every few days counts too.
    When a week holds fewer days logged than that, the weeks are read as fortnights."""
    weeks = int(rule["weeks"])
    length, least = 7, rule["min_days_per_week"]
    if any(len(diary.window(today, 7 * w, 7 * w + 6)) < least for w in range(weeks)):
        length, least = int(rule["sparse_block_days"]), rule["sparse_min_days"]
    evidence: list[Evidence] = []
    episodes = 0
    for block in range(weeks - 1, -1, -1):
        logged = diary.window(today, length * block, length * block + length - 1)
        days = [d for d in logged if d.cramps > 0]
        count = sum(d.cramps for d in days)
        often = len(days) >= least and len(days) * 7 >= rule["days_in_seven"] * len(logged)
        if count * 7 < rule["min_cramps_per_week"] * length and not often:
            return None
        episodes += count
        evidence += [
            Evidence(d.date, f"{d.cramps} cramp{'s' if d.cramps > 1 else ''}") for d in days
        ]
    return Finding(evidence, episodes)


def _weight_readings(rule: Rule, diary: Diary, today: date) -> Finding | None:
    """The biggest fall from an earlier reading to one at least min_gap_days later."""
    readings = diary.weights_between(ago(today, int(rule["window_days"]) - 1), today.isoformat())
    gap = int(rule["min_gap_days"])
    # Walk the readings keeping the heaviest one that is far enough back.
    heaviest: tuple[str, float] | None = None
    best: tuple[float, tuple[str, float], tuple[str, float]] | None = None
    earlier = 0
    for day, kg in readings:
        cutoff = ago(date.fromisoformat(day), gap)
        while earlier < len(readings) and readings[earlier][0] <= cutoff:
            if heaviest is None or readings[earlier][1] > heaviest[1]:
                heaviest = readings[earlier]
            earlier += 1
        if heaviest is not None:
            share = (heaviest[1] - kg) / heaviest[1]
            if best is None or share > best[0]:
                best = (share, heaviest, (day, kg))
    if best is None or best[0] < rule["min_loss_share"] - 1e-9:
        return None
    share, (d1, w1), (d2, w2) = best
    evidence = [
        Evidence(d1, f"weight {_num(w1)} kg"),
        Evidence(d2, f"weight {_num(w2)} kg, {_num(share * 100)}% less"),
    ]
    return Finding(evidence, share * 100)


def _weight_loss(rule: Rule, diary: Diary, today: date) -> Finding | None:
    readings = _pattern(_weight_readings)(rule, diary, today)
    noted = diary.history.noted_days(("unexplained_weight_loss",), today, SIGN_DAYS_SHOWN)
    if readings is None and noted is None:
        return None
    evidence = [*(readings.evidence if readings else ()), *(_sign_evidence(noted) if noted else ())]
    strength = max(
        readings.strength if readings else 0.0,
        rule["min_loss_share"] * 100 if noted else 0.0,
    )
    signs = ("unexplained_weight_loss",) if noted else ()
    return Finding(sorted(evidence, key=lambda e: e.date), strength, signs=signs)


def _new_lump(rule: Rule, diary: Diary, today: date) -> Finding | None:
    noted = diary.history.noted_days(("lump",), today, SIGN_DAYS_SHOWN)
    return Finding(_sign_evidence(noted), 1, ("lump",)) if noted else None


def _triage_result(rule: Rule, diary: Diary, today: date) -> Finding | None:
    """The latest saved triage result, at this rule's level, until a later result or a
    'seen' record replaces it."""
    mark = diary.history.latest_triage(today)
    if mark is None or mark.disposition != rule.level:
        return None
    reasons = [r for r in mark.reasons if r.get("disposition") == mark.disposition]
    cited = (r.get("sources") for r in reasons)
    found = sorted(
        {s for ids in cited if isinstance(ids, list) for s in ids} & set(known_sources())
    )
    detail = f"triage result: {level(mark.disposition).title}"
    signs, said = _triage_reasons(reasons, mark.answers)
    if signs:
        detail += f" ({signs})"
    # What the result said at its level goes with the alert: what is particular to a reason
    # (do not rub a possibly clotted leg; call the cancer helpline) is not lost.
    note = f"It said: {said}" if said else ""
    return Finding([Evidence(mark.date, detail)], 1, sources=tuple(found), note=note)


def _triage_reasons(
    reasons: Iterable[dict[str, object]], answers: Mapping[str, object]
) -> tuple[str, str]:
    """The warning signs answered yes behind the result, in the questions' own words, and
    the reasons' texts as the triage words them now."""
    from companion.triage import triage

    content = triage()
    by_rule, questions = {r.id: r for r in content.rules}, content.by_id
    shorts: list[str] = []
    texts: list[str] = []
    for reason in reasons:
        matched = by_rule.get(str(reason.get("id")))
        if matched is None:
            continue
        texts.append(matched.text)
        for qid in sorted(matched.condition.questions()):
            if answers.get(qid) is True and questions[qid].short not in shorts:
                shorts.append(questions[qid].short)
    return "; ".join(shorts), " ".join(texts)


def _over_limit(rule: Rule, diary: Diary, today: date) -> Finding | None:
    """A 24 hours over a medicine's limit within the rule's reach and since the last 'seen'
    record: paracetamol for its own rule, every other medicine for the other. It does not
    end with the day, since the harm of an overdose does not show at first; the latest day
    over leads, so an alert acknowledged before comes back with a new one."""
    only = rule.thresholds.get("medicine")
    seen = diary.history.last_seen(today)
    over = [
        o
        for o in diary.doses.over
        if ago(today, int(rule["medicine_days"]) - 1) <= o.date <= today.isoformat()
        and (o.medicine == only if only else o.medicine != PARACETAMOL)
        # A 'seen' record on the day of an untimed dose settles it.
        and (seen is None or (o.date, o.time or "") > seen)
    ]
    if not over:
        return None
    from companion.medicines import mg_text  # only now: loading the list takes a while

    worst: dict[tuple[str, str], Over] = {}
    for o in over:
        if (o.date, o.medicine) not in worst or o.total_mg > worst[o.date, o.medicine].total_mg:
            worst[o.date, o.medicine] = o
    latest = max(o.date for o in over)
    days = sorted({o.date for o in over})

    def detail(o: Over) -> str:
        whose = "your own limit" if o.limit.personal else "the daily maximum"
        earlier = f" (and on {len(days) - 1} day(s) before)" if len(days) > 1 else ""
        return (
            f"{o.medicine} {mg_text(o.total_mg)} within 24 hours, over {whose} of "
            f"{mg_text(o.limit.mg)}{earlier}"
        )

    evidence = [Evidence(d, detail(o)) for (d, _), o in sorted(worst.items()) if d == latest]
    if only:
        strength = max(o.total_mg for o in over)
    else:
        strength = max(100 * o.total_mg / o.limit.mg for o in over)
    personal = any(o.limit.personal for o in over if o.date == latest)
    sources = (
        ()
        if personal
        else tuple(sorted({o.limit.source for o in over if o.date == latest and o.limit.source}))
    )
    note = "The limit is the one you set for yourself." if personal else ""
    return Finding(evidence, strength, sources=sources or rule.sources, note=note)


def _days_back(today: date, days: int) -> list[str]:
    """The last ``days`` days up to today, oldest first: a rule looks each up, so a check
    costs the same on a long log as on a short one."""
    # ago() stops at the calendar's first day: that day once.
    return list(dict.fromkeys(ago(today, n) for n in range(days - 1, -1, -1)))


def _two_nsaids_same_day(rule: Rule, diary: Diary, today: date) -> Finding | None:
    if not diary.doses.taken:
        return None  # and the medicines list is not loaded
    from companion.medicines import is_nsaid

    evidence: list[Evidence] = []
    for day in _days_back(today, int(rule["medicine_days"])):
        nsaids = sorted(m for m, mg in diary.doses.taken.get(day, {}).items() if is_nsaid(m, mg))
        if len(nsaids) >= 2:
            evidence.append(Evidence(day, " and ".join(nsaids) + " the same day"))
    return Finding(evidence, len(evidence)) if evidence else None


def _cramps_on_statin_or_diuretic(rule: Rule, diary: Diary, today: date) -> Finding | None:
    if not diary.doses.taken:
        return None  # and the medicines list is not loaded
    from companion.medicines import CRAMP_CLASSES, class_of

    # Cramps as often as that rule counts them ('rule' here is this rule).
    frequent = next(r for r in rules() if r.id == FREQUENT_CRAMPS_RULE)
    cramps = CHECKS[FREQUENT_CRAMPS_RULE](frequent, diary, today)
    if cramps is None:
        return None
    last_taken: dict[str, str] = {}
    for day in _days_back(today, int(rule["medicine_days"])):
        for medicine in diary.doses.taken.get(day, {}):
            if class_of(medicine) in CRAMP_CLASSES:
                last_taken[medicine] = day
    if not last_taken:
        return None
    taken = [Evidence(day, f"took {medicine}") for medicine, day in last_taken.items()]
    evidence = sorted([*cramps.evidence, *taken], key=lambda e: e.date)
    return Finding(evidence, cramps.strength)


CHECKS: dict[str, Check] = {
    "emergency_symptom": _emergency_symptom,
    "fever_with_back_pain": _fever_with_back_pain,
    "long_cramp": _long_cramp,
    "worsening_night_pain": _pattern(_worsening_night_pain),
    "night_pain_most_nights": _pattern(_night_pain_most_nights),
    "not_eased_by_rest": _pattern(_not_eased_by_rest),
    "no_improvement_6_weeks": _pattern(_no_improvement_6_weeks),
    "frequent_cramps": _pattern(_frequent_cramps),
    "weight_loss": _weight_loss,
    "new_lump": _new_lump,
    "triage_emergency": _triage_result,
    "triage_urgent": _triage_result,
    "paracetamol_over_limit": _over_limit,
    "medicine_over_limit": _over_limit,
    "two_nsaids_same_day": _pattern(_two_nsaids_same_day),
    "cramps_on_statin_or_diuretic": _cramps_on_statin_or_diuretic,
}


@cache
def rules() -> tuple[Rule, ...]:
    """The rules of content/red_flags.toml, checked, in the order they are written."""
    data = load_toml(RULES_FILE)
    sources = known_sources()
    found: list[Rule] = []
    for raw in data.get("rule", []):
        rule_id = str(raw.get("id", "?"))
        where = f"{RULES_FILE}: rule {rule_id}"
        missing = [
            k
            for k in ("id", "level", "title", "explanation", "sources", "thresholds")
            if not raw.get(k)
        ]
        if missing:
            raise DataError(f"{where}: missing {', '.join(missing)}")
        if raw["level"] not in LEVELS:
            raise DataError(f"{where}: level must be one of {', '.join(LEVELS)}")
        if rule_id not in CHECKS:
            raise DataError(f"{where}: no such rule in this version of companion")
        unknown = set(raw["thresholds"].get("flags", ())) - set(VOCABULARIES["red_flags"])
        if unknown:
            raise DataError(f"{where}: unknown warning sign {sorted(unknown)[0]}")
        found.append(
            Rule(
                id=rule_id,
                level=raw["level"],
                title=raw["title"],
                explanation=raw["explanation"],
                advice=raw.get("advice", ""),
                sources=check_sources(raw["sources"], where, sources),
                thresholds=dict(raw["thresholds"]),
            )
        )
    return tuple(found)


def rule(rule_id: str) -> Rule:
    for r in rules():
        if r.id == rule_id:
            return r
    raise UsageError(f"{rule_id}: no such alert rule")
