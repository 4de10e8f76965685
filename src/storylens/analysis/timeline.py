"""Events anchored by dates, and one timeline per story merging what several outlets report.

``timed_events`` takes the clause a resolved date anchors: the governing verb's subtree within its
sentence (relative clauses and asides not holding the date cut off the end), or the noun phrase
when the date modifies a noun ("Wednesday's talks", "our agreement of September 9").
``merge_timeline`` puts every article's events on one line: events with the same date and similar
wording (content-word overlap) become one entry citing all their sources, ordered by date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from storylens.model import Article, Citation, Span, TimedEvent, TimelineEntry, Timex

# the date values an event can be placed by: a calendar date of any granularity, nothing unknown
_CALENDAR_VALUE = re.compile(r"\d{4}(?:-(?:\d\d(?:-\d\d)?|W\d\d(?:-\d|-WE)?|Q[1-4]|H[12]|SP|SU|FA|WI))?")
_DAY_OF_TIME = re.compile(r"(\d{4}-\d\d-\d\d)T")
_CLAUSE_HEADS = {"VERB", "AUX"}
_NOMINAL_HEADS = {"NOUN", "PROPN"}
_NOMINAL_LINKS = {"poss", "compound", "nmod", "amod"}
_DETACHABLE = {"relcl", "appos", "parataxis", "advcl", "acl"}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

# two descriptions of one event share this share of their content words (Jaccard), or nearly all
# the words of the shorter one (the overlap coefficient) when that still makes several words
JACCARD_MIN = 0.35
OVERLAP_MIN = 0.7
OVERLAP_MIN_WORDS = 3


def placed_value(timex: Timex) -> str | None:
    """The value an event is placed by on the timeline: a DATE's resolved calendar value, or the day
    of a TIME ("Friday morning", "10 a.m. Tuesday"); None when unknown or not a point in time."""
    if timex.type == "DATE":
        return timex.value if _CALENDAR_VALUE.fullmatch(timex.value) else None
    day = _DAY_OF_TIME.match(timex.value) if timex.type == "TIME" else None
    return day[1] if day else None


def timed_events(doc: Doc, timexes: Sequence[Timex]) -> list[TimedEvent]:
    """For each date or time placed on the calendar, the clause it anchors (spans into ``doc.text``)."""
    events = []
    for timex in timexes:
        if placed_value(timex) is None:
            continue
        anchor = doc.char_span(timex.span.start, timex.span.end, alignment_mode="expand")
        if anchor is None or len(anchor) == 0:
            continue
        start, end = _event_extent(anchor)
        events.append(TimedEvent(Span(start, end), doc.text[start:end], timex))
    return events


def _event_extent(anchor: SpacySpan) -> tuple[int, int]:
    sentence = anchor.sent
    head = _governor(anchor.root)
    tokens = [token for token in head.subtree if sentence.start <= token.i < sentence.end]
    if not tokens:  # the parse tree crosses a forced sentence break (a line break): keep the sentence
        return sentence.start_char, sentence.end_char
    tokens = _trim(tokens, head, anchor)
    first, last = tokens[0], tokens[-1]
    return first.idx, last.idx + len(last.text)


def _governor(token: Token) -> Token:
    """The clause the date anchors (its verb, or the noun a participle clause modifies), or the
    noun the date itself modifies ("Wednesday's talks", "our agreement of September 9")."""
    parent = token.head
    if parent.pos_ in _NOMINAL_HEADS and token.dep_ in _NOMINAL_LINKS:
        return parent
    if parent.lower_ == "of" and parent.head.pos_ in _NOMINAL_HEADS and parent.head.i != parent.i:
        return parent.head
    current = token
    while current.head.i != current.i and current.pos_ not in _CLAUSE_HEADS:
        current = current.head
    while current.dep_ == "xcomp" and current.head.pos_ in _CLAUSE_HEADS:
        current = current.head  # "scheduled to begin on Wednesday": the scheduling clause
    if current.dep_ == "acl" and current.head.pos_ in _NOMINAL_HEADS:
        return current.head  # "the consultations, initially scheduled to begin on Wednesday"
    return current


def _trim(tokens: list[Token], head: Token, anchor: SpacySpan) -> list[Token]:
    """Drop detachable subclauses that do not hold the date, edge punctuation and spaces, and a leading
    conjunction or subordinator."""
    anchor_tokens = set(range(anchor.start, anchor.end))
    dropped: set[int] = set()
    for token in tokens:
        if token.i == head.i or token.dep_ not in _DETACHABLE:
            continue
        subtree = {t.i for t in token.subtree}
        if not subtree & anchor_tokens:
            dropped |= subtree
    kept = sorted((token for token in tokens if token.i not in dropped), key=lambda t: t.i) or tokens
    while len(kept) > 1 and (kept[-1].is_punct or kept[-1].is_space or kept[-1].dep_ == "cc"):
        kept.pop()
    while len(kept) > 1 and (kept[0].is_punct or kept[0].is_space or kept[0].dep_ in {"cc", "mark"}):
        kept.pop(0)  # "and", and a clause's "that" / "while", read as noise at the head of an entry
    return kept


@dataclass
class _Entry:
    value: str
    mod: str | None
    description: str
    words: set[str]
    sources: list[Citation]


def merge_timeline(articles: Sequence[Article]) -> list[TimelineEntry]:
    """One entry per (date, event) across the articles, with every article reporting it, by date."""
    entries: list[_Entry] = []
    for article in articles:
        if article.analysis is None:
            continue
        for event in article.analysis.events:
            citation = Citation(article.id, article.meta.outlet, event.span, event.text)
            _add(entries, event, citation)
    entries.sort(key=lambda entry: _sort_key(entry.value))
    return [TimelineEntry(entry.value, entry.description, entry.sources, entry.mod) for entry in entries]


def _add(entries: list[_Entry], event: TimedEvent, citation: Citation) -> None:
    words = content_words(event.text, exclude=event.timex.text)
    value = placed_value(event.timex) or event.timex.value
    for entry in entries:
        if (entry.value, entry.mod) == (value, event.timex.mod) and similar(entry.words, words):
            if all(source.article_id != citation.article_id for source in entry.sources):
                entry.sources.append(citation)
            entry.words |= words
            return
    entries.append(_Entry(value, event.timex.mod, event.text, words, [citation]))


def content_words(text: str, exclude: str = "") -> set[str]:
    """Lower-cased words of ``text`` that are not stop words nor words of ``exclude`` (the date)."""
    excluded = {_normal(word) for word in _WORD.findall(exclude)}
    words = {_normal(word) for word in _WORD.findall(text)}
    return {word for word in words if word not in STOP_WORDS and word not in excluded and len(word) > 1}


def _normal(word: str) -> str:
    return word.lower().replace("’", "'").removesuffix("'s")


def similar(a: set[str], b: set[str]) -> bool:
    """Whether two content-word sets describe the same event."""
    shared = len(a & b)
    if not shared:
        return False
    if shared / len(a | b) >= JACCARD_MIN:
        return True
    return shared >= OVERLAP_MIN_WORDS and shared / min(len(a), len(b)) >= OVERLAP_MIN


def _sort_key(value: str) -> tuple[date, int, str]:
    """Start of the period a TIMEX3 value names, then the finer granularity first."""
    year = int(value[:4])
    rest = value[5:]
    if re.fullmatch(r"\d\d-\d\d", rest):
        return date(year, int(rest[:2]), int(rest[3:])), 0, value
    if re.match(r"W\d\d", rest):  # a week; "WI" is winter, below
        week, day = int(rest[1:3]), rest[4:]
        weekday = int(day) if day.isdigit() else 6 if day == "WE" else 1
        return date.fromisocalendar(year, max(1, min(week, 52)), weekday), 1, value
    if re.fullmatch(r"\d\d", rest):
        return date(year, int(rest), 1), 2, value
    if rest[:1] in ("Q", "H"):
        months_per_part = 3 if rest[0] == "Q" else 6
        return date(year, (int(rest[1]) - 1) * months_per_part + 1, 1), 3, value
    seasons = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
    if rest in seasons:
        return date(year, seasons[rest], 1), 3, value
    return date(year, 1, 1), 4, value
