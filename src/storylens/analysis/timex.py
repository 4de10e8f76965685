"""Time expressions: find them in text and normalize them to TIMEX3 values (HeidelTime-style rules).

Each rule is a regular expression with a normalization function that reads the match and the
reference date (the article's publication date or dateline) and returns the TIMEX3 value, type and
modifier. Overlapping matches are settled longest-first. Relative expressions with no reference
date keep their unknown parts as ``X`` (``XXXX-XX-XX``, ``XXXX-WXX-2``) instead of being guessed.
Conventions follow the TimeML/TempEval-3 annotation guidelines: weeks as ISO weeks (``2016-W48``),
quarters ``2016-Q3``, seasons ``2016-SU``, decades ``199``, parts of day ``2016-12-06TMO``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from storylens.analysis.timex_calendar import add_months
from storylens.analysis.timex_dateline import dateline_day
from storylens.analysis.timex_rules import RULES, Context, Norm, Rule
from storylens.model import Span, Timex

_PROBE_DAY = date(2000, 1, 1)
# a rule with a trigger word runs only this many characters around it: longer than any match's reach
_WINDOW_BEFORE = 80
_WINDOW_AFTER = 60
_WORD_END = re.compile(r"\W|$")


def _span(match: re.Match[str]) -> tuple[int, int]:
    """The expression's extent: the ``core`` group when the rule needs context around it."""
    return match.span("core") if "core" in match.re.groupindex else match.span()


def _windows(trigger: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Merged stretches of text around the trigger's occurrences, ending at a word boundary."""
    windows: list[tuple[int, int]] = []
    for hit in trigger.finditer(text):
        start = max(0, hit.start() - _WINDOW_BEFORE)
        boundary = _WORD_END.search(text, min(len(text), hit.end() + _WINDOW_AFTER))
        end = boundary.start() if boundary else len(text)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def _matches(rule: Rule, text: str) -> Iterator[re.Match[str]]:
    if rule.trigger is None:
        yield from rule.pattern.finditer(text)
        return
    for start, end in _windows(rule.trigger, text):
        yield from rule.pattern.finditer(text, start, end)


def _normalize(rule: Rule, match: re.Match[str], ctx: Context) -> Norm | None:
    try:
        return rule.normalize(match, ctx)
    except (ValueError, OverflowError):
        return None  # "5000 years ago", "next year" in 9999: outside the calendar Python can count


def _candidates(ctx: Context) -> list[tuple[int, int, int, Rule, re.Match[str]]]:
    found = []
    for order, rule in enumerate(RULES):
        for match in _matches(rule, ctx.text):
            start, end = _span(match)
            if end > start and _normalize(rule, match, ctx) is not None:
                found.append((start, end, order, rule, match))
    return found


def _select(candidates: list[tuple[int, int, int, Rule, re.Match[str]]]) -> list[tuple[Rule, re.Match[str]]]:
    """Longest match first; among equal lengths the earlier rule."""
    taken: list[tuple[int, int, Rule, re.Match[str]]] = []
    for start, end, _, rule, match in sorted(candidates, key=lambda c: (c[0] - c[1], c[2], c[0])):
        if all(end <= other_start or start >= other_end for other_start, other_end, _, _ in taken):
            taken.append((start, end, rule, match))
    return [(rule, match) for _, _, rule, match in sorted(taken, key=lambda t: t[0])]


def parse_reference(reference_date: str | None) -> date | None:
    """The date part of an ISO 8601 date or datetime, None if absent or unreadable."""
    if not reference_date:
        return None
    try:
        return date.fromisoformat(reference_date[:10])
    except ValueError:
        return None


def find_timexes(text: str, reference_date: str | None) -> list[Timex]:
    """Time expressions in ``text`` with TIMEX3 values resolved against ``reference_date`` (ISO), or
    against the text's own dateline when that is the days just before it (``Timex.anchor`` says which)."""
    given = parse_reference(reference_date)
    reference = dateline_day(text, given) or given
    anchor = reference.isoformat() if reference else None
    # candidates are found with every discourse anchor set, so that a phrase like "that day" competes
    # for its span; the values come from a second pass in text order with the real anchors
    probe = Context(text, reference, _PROBE_DAY, _PROBE_DAY, _PROBE_DAY.year, _PROBE_DAY)
    ctx = Context(text, reference)
    timexes = []
    for rule, match in _select(_candidates(probe)):
        norm = _normalize(rule, match, ctx)
        if norm is None:
            continue
        start, end = _span(match)
        timexes.append(Timex(Span(start, end), text[start:end], norm.value, norm.type, norm.mod, anchor))
        _remember(ctx, norm)
    return timexes


def _remember(ctx: Context, norm: Norm) -> None:
    """Keep the quarter, day, month and year just named: the anchors of "the quarter", "that day",
    "later that month", "that year"."""
    quarter = re.fullmatch(r"(\d{4})-Q([1-4])", norm.value)
    if quarter and norm.names_quarter:
        start = date(int(quarter[1]), int(quarter[2]) * 3 - 2, 1)
        if ctx.reference is None or add_months(start, 3) <= ctx.reference:
            ctx.last_quarter = start  # a quarter not yet over is forecast, never the one reported on
    day = re.match(r"(\d{4})-(\d\d)-(\d\d)", norm.value)
    if day:
        ctx.last_day = date(int(day[1]), int(day[2]), int(day[3]))
    month = re.match(r"(\d{4})-(\d\d)(?:$|-\d\d$)", norm.value)
    if month and norm.type == "DATE":
        ctx.last_month = date(int(month[1]), int(month[2]), 1)
    year = re.match(r"(\d{4})(?:$|-)", norm.value)
    if year and norm.type == "DATE":
        ctx.last_year = int(year[1])
