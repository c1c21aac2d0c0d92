"""The doctor's summary as one self-contained HTML page: inline CSS and SVG, no scripts,
nothing fetched, laid out to print on two pages of A4 or Letter.

Each piece of the page is a ``Markup`` template: whatever is filled into one (notes,
medicines, everything read from the diary) is escaped on the way in, unless it is itself a
piece of the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from companion.csvio import DEMO_NOTE
from companion.entry import SPEC, VOCABULARIES, entries_text
from companion.store import REST_PAIN
from companion.summary import TOP_ENTRIES, Summary
from companion.wording import counted

if TYPE_CHECKING:
    from companion.alerts import Alert

NOTE_CHARS = 150
EVIDENCE_SHOWN = 8
EVIDENCE_DETAILED = 3
INSIGHTS_SHOWN = 2
DICTIONARY_FIELDS = (
    "pain",
    "worst_pain",
    "night_pain",
    "woke_at_night",
    "eased_by_rest",
    "cramps",
    "cramp_minutes",
    "relief",
    "medications",
    "sleep_hours",
    "mood",
    "activity_min",
    "red_flags",
    "notes",
)
POINTS_MAX = 366  # a year at one point a day
HALF_WIDTH = 332  # two charts side by side, their text the same size as a full-width one
PAIN_COLOUR, WORST_COLOUR, NIGHT_COLOUR, CRAMP_COLOUR = "#1f4e99", "#b03a2e", "#5b3a8e", "#2a7f62"


def day_text(day: date | str) -> str:
    """A date no reader can misread: 21 Nov 2026."""
    value = date.fromisoformat(day) if isinstance(day, str) else day
    return f"{value.day} {value:%b %Y}"


def _fmt(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else str(round(value))


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def render(summary: Summary) -> str:
    """The whole page as text: one file, nothing outside it."""
    from companion.safety import NOT_A_DIAGNOSIS

    period = f"{day_text(summary.start)} to {day_text(summary.end)}"
    footer = (
        f"Written by the person from their own diary, not by a clinician. "
        f"Produced on {day_text(summary.written)} by companion."
    )
    demo = f"{DEMO_NOTE}. " if summary.demo else ""
    footer = demo + footer
    sections = [
        _header(summary, period),
        _glance(summary),
        _alerts(summary, NOT_A_DIAGNOSIS),
        _charts(summary),
        _triage(summary),
        _relief(summary),
        _medicines(summary),
        _insights(summary),
        _top(summary),
        _dictionary(),
    ]
    head = Markup(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>{}Back pain and cramp diary: {}</title>\n<style>{}</style>\n</head>\n<body>\n"
    ).format(demo, period, Markup(_css(footer)))
    body = Markup("\n").join(Markup(section) for section in sections)
    foot = Markup('\n<footer id="footer"><p>{}</p></footer>\n</body>\n</html>\n').format(footer)
    return str(head + body + foot)


def _css(footer: str) -> str:
    # The footer text is ours (no diary text), quoted for a CSS string all the same.
    quoted = footer.replace("\\", "\\\\").replace('"', '\\"')
    return _CSS.replace("FOOTER_TEXT", quoted)


def _header(s: Summary, period: str) -> str:
    days_logged = len(s.days)
    demo = Markup('<p id="demo" class="demo">{}.</p>').format(DEMO_NOTE) if s.demo else ""
    return demo + Markup(
        '<header id="period"><div><h1>Back pain and cramp diary</h1>'
        "<p class=sub>Summary for a clinician, from the person's own daily entries</p></div>"
        '<dl class="facts"><dt>Period</dt><dd>{period} ({days})'
        "</dd><dt>Entries</dt><dd>{entries} on {logged} of {days}</dd>"
        "<dt>Written</dt><dd>{written}</dd></dl></header>"
    ).format(
        period=period,
        days=counted(s.period_days, "day"),
        entries=s.entries,
        logged=days_logged,
        written=day_text(s.written),
    )


def _glance(s: Summary) -> str:
    days = s.days
    items: list[tuple[str, str]] = []
    mean = _mean(d.pain_mean for d in days)
    items.append(("Pain, average of daily means", "–" if mean is None else f"{_fmt(mean)} / 10"))
    if s.period_days >= 28:
        early = _mean(d.pain_mean for d in days if d.date < (s.start + timedelta(14)).isoformat())
        late = _mean(d.pain_mean for d in days if d.date > (s.end - timedelta(14)).isoformat())
        items.append(("First 14 days → last 14 days", f"{_fmt(early)} → {_fmt(late)}"))
    worst = max((d.pain_worst for d in days if d.pain_worst is not None), default=None)
    if worst is not None:
        on = [d.date for d in days if d.pain_worst == worst]
        others = len(on) - 1
        when = day_text(on[-1]) + (f" and {others} other day{'s' * (others > 1)}" if others else "")
        items.append(("Worst pain", f"{worst} / 10 ({when})"))
    else:
        items.append(("Worst pain", "–"))
    night = [d for d in days if d.night_pain is not None]
    items.append(
        (
            "Night pain",
            f"{sum(1 for d in night if d.night_pain)} of {counted(len(night), 'night')} with "
            "pain; "
            f"woke on {sum(1 for d in days if d.woke_at_night)}",
        )
    )
    answered = sum(1 for d in days if d.rest_answered)
    items.append(
        (
            f"Rest did not ease pain ≥ {REST_PAIN}",
            f"{sum(1 for d in days if d.rest_not_easing)} of {counted(answered, 'day')}",
        )
    )
    cramps = sum(d.cramps for d in days)
    longest = max((d.cramp_minutes for d in days if d.cramp_minutes), default=None)
    items.append(
        (
            "Cramps",
            f"{cramps} on {counted(sum(1 for d in days if d.cramps), 'day')}"
            + (f"; longest {_fmt(longest)} min" if longest else ""),
        )
    )
    items += _habits(s)
    cells = "".join(Markup("<div><dt>{}</dt><dd>{}</dd></div>").format(k, v) for k, v in items)
    return f'<section id="glance"><h2>At a glance</h2><dl class="glance">{cells}</dl></section>'


def _habits(s: Summary) -> list[tuple[str, str]]:
    """Sleep, mood and activity, each only when some day recorded it."""
    h = s.habits
    found = [
        ("Sleep, average", h.sleep_hours, h.sleep_days, " hours a night"),
        ("Mood, average (10 best)", h.mood, h.mood_days, " / 10"),
        ("Walking or exercise, average", h.activity_min, h.activity_days, " min a day"),
    ]
    return [
        (label, f"{_fmt(value)}{unit} ({counted(days, 'day')})")
        for label, value, days, unit in found
        if value is not None
    ]


def _medicines(s: Summary) -> str:
    """The dose log: what, how often, daily totals, days over a limit (personal or listed)."""
    from companion.medicines import mg_text

    if not s.doses:
        return ""

    def limit(row: Any) -> str:
        if row.limit is None:
            return "–"
        whose = "personal" if row.limit.personal else row.limit.source
        return f"{mg_text(row.limit.mg)} ({whose})"

    row = Markup(
        "<tr><td>{}</td><td class=num>{}</td><td class=num>{}</td><td class=num>{}</td>"
        "<td class=num>{}</td><td class=num>{}</td><td class=num>{}</td></tr>"
    )
    body = "".join(
        row.format(
            r.medicine,
            r.doses,
            r.days,
            mg_text(round(r.mean_daily_mg)),
            mg_text(r.max_daily_mg),
            limit(r),
            Markup("<strong>{}</strong>").format(r.days_over) if r.days_over else 0,
        )
        for r in s.doses
    )
    return (
        '<section id="medicines"><h2>Medicines taken (dose log)</h2><table><thead><tr>'
        "<th>Medicine</th><th class=num>Doses</th><th class=num>Days</th>"
        "<th class=num>Daily, mean</th><th class=num>Daily, most</th>"
        "<th class=num>Daily limit</th><th class=num>Days over</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
        '<p class="muted">A combination counts under what it contains. Days over: a 24 hours '
        "that ended that day held more than the limit. A personal limit is one the person set "
        "as prescribed for them.</p></section>"
    )


def _dates(days: list[str]) -> str:
    """Dates as a list, the latest ones when there are many (the CSV has them all)."""
    shown = [day_text(d) for d in days[-EVIDENCE_SHOWN:]]
    earlier = len(days) - len(shown)
    return (f"{counted(earlier, 'earlier day')}, " if earlier else "") + ", ".join(shown)


def _span(days: list[str]) -> str:
    """First and last evidence dates and how many: one line in the table of fired alerts."""
    if len(days) <= 2:
        return ", ".join(day_text(d) for d in days)
    return f"{day_text(days[0])} to {day_text(days[-1])}, {counted(len(days), 'day')}"


def _evidence(alert: Alert) -> str:
    """Evidence dates; with what the diary held on them when there are only a few."""
    if len(alert.evidence) <= EVIDENCE_DETAILED:
        return "; ".join(f"{day_text(e.date)} ({e.detail})" for e in alert.evidence)
    return _dates([e.date for e in alert.evidence])


def _alerts(s: Summary, not_a_diagnosis: str) -> str:
    parts = ['<section id="alerts"><h2>Alerts and warning signs</h2>']
    if s.alerts_active:
        parts.append("<h3>Active at the end of the period</h3><ul class=alerts>")
        parts.extend(
            Markup(
                '<li><span class="level">{}</span> <strong>{}</strong>, since {}. '
                "Evidence: {}.</li>"
            ).format(a.label, a.title, day_text(a.since), _evidence(a))
            for a in s.alerts_active
        )
        parts.append("</ul>")
    else:
        parts.append("<p>No alert was active at the end of the period.</p>")
    active = {(a.rule, a.since) for a in s.alerts_active}
    if s.alerts_fired:
        parts.append(
            "<h3>Fired during the period</h3><table class=fired><thead><tr><th>Alert</th>"
            "<th>Since</th><th>Evidence dates</th><th>At the end</th></tr></thead><tbody>"
        )
        for a in s.alerts_fired:
            # Not a level's symbol: the level is in the first column already.
            status = "■ still active" if (a.rule, a.since) in active else "□ over"
            dates = _span([e.date for e in a.evidence])
            parts.append(
                Markup(
                    '<tr><td><span class="level">{}</span> {}</td><td class=nowrap>{}</td>'
                    "<td>{}</td><td class=nowrap>{}</td></tr>"
                ).format(a.label, a.title, day_text(a.since), dates, status)
            )
        parts.append("</tbody></table>")
    else:
        parts.append("<p>No alert fired during the period.</p>")
    parts.append(_signs(s))
    if s.followups:
        parts.append(f"<h3>Recorded by the person</h3><ul class=flags>{_followups(s)}</ul>")
    parts.append(
        Markup('<p class="muted">Alerts and warning signs: {}</p>').format(not_a_diagnosis)
    )
    parts.append("</section>")
    return "".join(parts)


def _signs(s: Summary) -> str:
    """The warning signs ticked in entries and answered yes in triage, or why there are none."""
    from companion.safety import FLAG_WORDS

    flags: dict[str, list[str]] = {}
    for day in s.days:
        for flag in day.red_flags:
            flags.setdefault(flag, []).append(day.date)
    rows = [
        Markup("<li><strong>{}</strong>: {}</li>").format(FLAG_WORDS[flag], _dates(flags[flag]))
        for flag in VOCABULARIES["red_flags"]
        if flag in flags
    ]
    rows += [
        Markup("<li><strong>{}</strong> (a triage answer): {}</li>").format(sign, _dates(days))
        for sign, days in s.triage_signs.signs
    ]
    if rows:
        return f"<h3>Warning signs the person noted</h3><ul class=flags>{''.join(rows)}</ul>"
    if s.triage_signs.raised:
        # A result that was not self-care, from answers that name no sign (an older file).
        return (
            "<p>No warning signs were ticked in the diary's entries; the triage results below "
            "say what raised their advice.</p>"
        )
    return "<p>No warning signs were noted, in the diary or in triage answers.</p>"


def _followups(s: Summary) -> str:
    from companion.safety import flag_words

    items = []
    for f in s.followups:
        when = day_text(f.date) + (f" {f.time}" if f.time else "")
        what = (
            "seen by a doctor or nurse"
            if f.kind == "seen"
            else f"{flag_words(f.signs)}: recorded as gone"
        )
        items.append(Markup("<li><strong>{}</strong>: {}</li>").format(when, what))
    return "".join(items)


def _pain_series(s: Summary) -> tuple[int, list[list[tuple[int, float]]]]:
    """Days per point, and the mean, worst and night pain series as (day offset, value).

    One point per day up to a year; longer ranges are bucketed by ``companion.trends``,
    exactly as the app's charts are.
    """
    from companion import trends

    days = [
        trends.Day(date.fromisoformat(d.date), d.pain_mean, d.pain_worst, d.night_pain, d.cramps)
        for d in s.days
    ]
    step = trends.buckets(s.start, s.end, POINTS_MAX)

    def series(value: Callable[[trends.Day], float | None], how: trends.How) -> list[Any]:
        points = trends.downsample(days, s.start, s.end, POINTS_MAX, value, how)
        return [
            ((p.start - s.start).days + (p.end - p.start).days // 2, p.value)
            for p in points
            if p.value is not None
        ]

    return step, [
        series(lambda d: d.pain_mean, "mean"),
        series(lambda d: d.pain_worst, "max"),
        series(lambda d: d.night_pain, "max"),
    ]


def _charts(s: Summary) -> str:
    from companion.svg import MAX_GAP_DAYS, Bar, Line, bar_chart, line_chart

    step, (mean, worst, night) = _pain_series(s)
    per = "day" if step == 1 else f"{step} days"
    gap = max(MAX_GAP_DAYS, 2 * step)
    pain = line_chart(
        "Pain over time (0-10)",
        [
            Line("worst", f"Worst pain, per {per}", worst, WORST_COLOUR, dash="5 3", width=1.6),
            Line("mean", f"Mean pain, per {per}", mean, PAIN_COLOUR, width=2.2),
        ],
        start=s.start,
        end=s.end,
        height=124,
        gap=gap,
    )
    nights = line_chart(
        "Night pain over time (0-10)",
        [Line("night", f"Worst night pain, per {per}", night, NIGHT_COLOUR, width=1.6)],
        start=s.start,
        end=s.end,
        width=HALF_WIDTH,
        height=104,
        gap=gap,
    )
    unit = "month" if s.monthly else "week"
    bars = [
        Bar(b.start.strftime("%b %Y") if s.monthly else f"{b.start.day} {b.start:%b}", b.cramps)
        for b in s.buckets
    ]
    cramps = bar_chart(
        f"Cramp episodes per {unit}", bars, colour=CRAMP_COLOUR, width=HALF_WIDTH, height=104
    )
    start_word = "" if s.monthly else " starting on Mondays"
    return (
        '<section id="charts"><h2>Over time</h2>'
        f'<figure id="chart-pain">{pain}<figcaption>Pain 0-10, one point per {per}; '
        f"gaps of more than {gap} days without entries break the lines.</figcaption></figure>"
        f'<div class="pair"><figure id="chart-night">{nights}<figcaption>Worst pain during '
        f"the night, 0-10.</figcaption></figure>"
        f'<figure id="chart-cramps">{cramps}<figcaption>Per {unit}{start_word}; the first '
        f"and last may be partial. “no data”: no entry recorded cramps.</figcaption></figure>"
        "</div></section>"
    )


def _triage(s: Summary) -> str:
    parts = ['<section id="triage"><h2>Triage results</h2>']
    if not s.triage:
        parts.append("<p>The person did not take the triage questions in this period.</p>")
    else:
        from companion.triage import triage

        dispositions = triage().dispositions
        parts.append(
            "<table><thead><tr><th>Date</th><th>Result</th><th>Why</th></tr></thead><tbody>"
        )
        for t in s.triage:
            info = dispositions[t.disposition]
            result = f"{info.symbol} {info.title}"
            why = "; ".join(t.reasons) or "–"
            parts.append(
                Markup("<tr><td>{}</td><td class=nowrap>{}</td><td>{}</td></tr>").format(
                    day_text(t.date), result, why
                )
            )
        parts.append("</tbody></table>")
        if s.triage_total > len(s.triage):
            parts.append(
                f'<p class="muted">The {len(s.triage)} most recent of {s.triage_total} results.</p>'
            )
    parts.append("</section>")
    return "".join(parts)


def _relief(s: Summary) -> str:
    def rows(pairs: Iterable[tuple[str, int]]) -> str:
        return "".join(
            Markup("<tr><td>{}</td><td class=num>{}</td><td class=num>{}%</td></tr>").format(
                name, n, round(100 * n / max(s.entries, 1))
            )
            for name, n in pairs
        )

    head = "<thead><tr><th>{}</th><th class=num>Entries</th><th class=num>Share</th></tr></thead>"
    relief = (
        f"<table>{head.format('What helped')}<tbody>"
        f"{rows((w.replace('_', ' '), n) for w, n in s.relief)}</tbody></table>"
        if s.relief
        else "<p>No relief was recorded.</p>"
    )
    if s.medicines:
        medicines = f"<table>{head.format('Medicines, as written')}<tbody>{rows(s.medicines)}"
        if s.medicines_other > 0:
            medicines += (
                f'<tr><td colspan=3 class="muted">and '
                f"{counted(s.medicines_other, 'other medicine text')} (see the CSV)</td></tr>"
            )
        medicines += "</tbody></table>"
    else:
        medicines = "<p>No medicines were recorded.</p>"
    return (
        '<section id="relief"><h2>Reliefs and medicines used</h2>'
        f'<div class="two">{relief}{medicines}</div>'
        f'<p class="muted">Shares are of all {entries_text(s.entries)} in the period; '
        f"{entries_text(s.medicine_entries)} named a medicine.</p></section>"
    )


def _insights(s: Summary) -> Markup:
    """One short paragraph: the strongest findings of the period, or that none holds up, with
    how they were found and the caveat."""
    from companion.insights import MIN_DAYS, MIN_DIFFERENCE, factor_label, outcome_words, unit

    found = s.insights
    if found is None:
        return Markup("")
    how = (
        f"{counted(found.comparisons, 'comparison')} of days with and without each factor; a "
        f"finding needs {MIN_DAYS} days each side, {MIN_DIFFERENCE:g} point or more, and a 95% "
        "interval that excludes zero after Holm's correction. An association is not a cause."
    )
    said = [
        f"{factor_label(c.factor)}: {outcome_words(c)} {c.difference:+.1f} {unit(c)} "
        f"(95% interval {f.ci95[0]:+.1f} to {f.ci95[1]:+.1f}; {c.days_with} days with, "
        f"{c.days_without} without)"
        for f in found.findings[:INSIGHTS_SHOWN]
        for c in (f.comparison,)
    ]
    more = len(found.findings) - len(said)
    if more > 0:
        said.append(f"and {counted(more, 'other finding')} ('companion insights' lists all)")
    if not said:
        said = ["nothing holds up" if found.comparisons else "too few days to compare"]
    return Markup(
        '<section id="insights"><p><strong>What goes with better or worse days:</strong> '
        "{}. <span class=muted>{}</span></p></section>"
    ).format("; ".join(said), how)


def _top(s: Summary) -> str:
    shown = len(s.top) or TOP_ENTRIES
    which = "entry" if shown == 1 else f"{shown} entries"
    parts = [f'<section id="top"><h2>The {which} with the highest pain</h2>']
    if not s.top:
        parts.append("<p>No pain was recorded in this period.</p></section>")
        return "".join(parts)
    parts.append(
        "<table><thead><tr><th>Date</th><th class=num>Pain</th><th class=num>Worst</th>"
        "<th class=num>Night</th><th>Notes, as written</th></tr></thead><tbody>"
    )
    for t in s.top:
        note = t.notes or ""
        if len(note) > NOTE_CHARS:
            note = note[:NOTE_CHARS].rstrip() + "… (shortened; full text in the CSV)"
        when = day_text(t.date) + (f" {t.time}" if t.time else "")
        parts.append(
            Markup(
                "<tr><td class=nowrap>{}</td><td class=num>{}</td><td class=num>{}</td>"
                '<td class=num>{}</td><td class="note">{}</td></tr>'
            ).format(
                when, _fmt(t.pain, 0), _fmt(t.worst_pain, 0), _fmt(t.night_pain, 0), note or "–"
            )
        )
    parts.append("</tbody></table></section>")
    return "".join(parts)


def _dictionary() -> str:
    rows = "".join(
        Markup("<div><dt>{}</dt><dd>{} ({})</dd></div>").format(
            SPEC[name].label, SPEC[name].meaning, SPEC[name].unit
        )
        for name in DICTIONARY_FIELDS
    )
    return (
        '<section id="dictionary"><h2>What the figures mean</h2>'
        f'<dl class="dictionary">{rows}</dl>'
        '<p class="muted">Pain is rated by the person from 0 (none) to 10 (worst imaginable). '
        "Every field is described in the CSV export's data dictionary.</p></section>"
    )


_CSS = """
:root { --ink: #1d2430; --muted: #586170; --rule: #d5dae1; --accent: #1f4e99;
  --soft: #f3f5f8; --warn: #8a1c12; }
* { box-sizing: border-box; }
html { color: var(--ink); background: #fff;
  font: 9pt/1.32 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
body { max-width: 184mm; margin: 0 auto; padding: 8mm 6mm; }
h1 { white-space: nowrap; font-size: 17pt; margin: 0; letter-spacing: -0.01em; }
h2 { font-size: 11pt; margin: 8pt 0 3pt; color: var(--accent); text-transform: uppercase;
  letter-spacing: 0.04em; border-bottom: 1px solid var(--rule); padding-bottom: 2pt;
  break-after: avoid; }
h3 { font-size: 9.5pt; margin: 5pt 0 2pt; break-after: avoid; }
p { margin: 2pt 0; }
.sub, .muted, figcaption { color: var(--muted); font-size: 8.5pt; }
header { display: flex; justify-content: space-between; align-items: flex-end; gap: 8mm;
  border-bottom: 2.5px solid var(--accent); padding-bottom: 5pt; }
.facts { display: grid; grid-template-columns: auto auto; gap: 0 8pt; margin: 0;
  font-size: 9pt; }
.facts dt { color: var(--muted); text-align: right; }
.facts dd { margin: 0; font-weight: 600; white-space: nowrap; }
section, figure, tr, li, .glance div { break-inside: avoid; }
/* Long sections flow across the page end, so the summary stays within two pages. */
#charts, #alerts, #top { break-inside: auto; }
.glance { display: grid; grid-template-columns: repeat(3, 1fr); gap: 4pt 10pt; margin: 0; }
.glance div { background: var(--soft); border-left: 3px solid var(--accent);
  padding: 3pt 6pt; }
.glance dt { font-size: 8pt; color: var(--muted); }
.glance dd { margin: 0; font-weight: 600; }
ul { margin: 2pt 0; padding-left: 14pt; }
.alerts li { margin: 2pt 0; }
.level { color: var(--warn); font-weight: 700; white-space: nowrap; }
.demo { border: 2px solid var(--warn); color: var(--warn); font-weight: 700;
  font-size: 12pt; padding: 3pt 6pt; margin: 0 0 5pt; text-align: center; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th { text-align: left; font-size: 8pt; color: var(--muted); font-weight: 600;
  border-bottom: 1px solid var(--ink); }
th, td { padding: 1.5pt 6pt 1.5pt 0; vertical-align: top; }
td { border-bottom: 1px solid var(--rule); }
.num { text-align: right; }
.nowrap { white-space: nowrap; }
.note { white-space: pre-wrap; overflow-wrap: anywhere; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 10mm; }
figure { margin: 3pt 0 5pt; break-inside: avoid; }
.chart { display: block; width: 100%; height: auto; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; }
.dictionary { margin: 0; font-size: 8.5pt; }
.dictionary div, .dictionary dt, .dictionary dd { display: inline; margin: 0; }
.dictionary dt { font-weight: 600; }
.dictionary dt::after { content: ": "; }
.dictionary div + div::before { content: " · "; color: var(--muted); }
footer { margin-top: 8pt; padding-top: 3pt; border-top: 1px solid var(--rule);
  color: var(--muted); font-size: 8pt; }
@page { margin: 12mm 13mm 15mm;
  @bottom-left { content: "FOOTER_TEXT"; font: 7.5pt sans-serif; color: #586170; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages);
    font: 7.5pt sans-serif; color: #586170; } }
/* On paper every page carries the footer line, so the one at the end would repeat it. */
@media print { body { max-width: none; padding: 0; } body > footer { display: none; } }
"""
