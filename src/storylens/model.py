"""The data model every stage works on.

Offsets: every ``Span`` on an article is a character range into ``Article.body`` (the clean text)
unless its field says otherwise; ``Article.segments`` maps the body back to ``Article.raw`` (the
original text as read), so any extracted item can be shown in its source. ``Removed`` spans point
into ``raw``.

The JSON output is these dataclasses serialized by ``to_dict`` with ``SCHEMA_VERSION``; the JSON
Schema in ``schema/digest.schema.json`` is checked against them in the tests.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar

SCHEMA_VERSION = "1.0"

T = TypeVar("T")

BODY_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start : self.end]


@dataclass
class Origin:
    """Where an article came from: a file, optionally a line (JSONL) or a record (WARC)."""

    path: str
    line: int | None = None
    record: str | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.path}:{self.line}"
        if self.record is not None:
            return f"{self.path}#{self.record}"
        return self.path


@dataclass
class Document:
    """What a reader yields: raw content plus any metadata the container gave."""

    id: str
    origin: Origin
    kind: str  # "text" or "html"
    content: str
    hints: dict[str, str] = field(default_factory=dict)  # url, title, source, published, author


@dataclass
class Skipped:
    """An input that could not be turned into an article, with the reason."""

    origin: str
    reason: str
    detail: str = ""


@dataclass
class FieldSource:
    """How a metadata field was found: e.g. method="html:meta" or "text:source-line"."""

    method: str
    span: Span | None = None  # into raw, when the value was read from the text


@dataclass
class Meta:
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    dateline: str | None = None
    published: str | None = None  # ISO 8601, with time and zone when known
    language: str | None = None
    url: str | None = None
    sources: dict[str, FieldSource] = field(default_factory=dict)


@dataclass
class Removed:
    span: Span  # into raw
    reason: str


@dataclass
class Mention:
    span: Span
    text: str
    label: str  # PERSON, ORG, GPE, LOC, NORP, ...
    entity_id: str | None = None  # canonical name after alias merging
    role: str | None = None  # title given with the name: "Russian Foreign Minister" Sergey Lavrov
    stands_for: str | None = None  # metonymy: "Washington" acting for "government of the United States"


@dataclass
class Quote:
    content: Span
    content_text: str
    direct: bool
    cue: Span | None = None
    cue_text: str | None = None
    source: Span | None = None
    source_text: str | None = None
    speaker: str | None = None  # resolved full name, e.g. "Sergey Lavrov"
    speaker_role: str | None = None  # e.g. "Russian Foreign Minister"
    via: str | None = None  # outlet cited as the channel ("RT wrote that ...")
    content_parts: list[Span] = field(default_factory=list)  # fragments when split ("“A,” he said. “B.”")


@dataclass
class Timex:
    span: Span
    text: str
    value: str  # TIMEX3 value: 2016-12-06, 2016-W48, 2016-12, PRESENT_REF, P1W ...
    type: str = "DATE"  # DATE, TIME, DURATION, SET
    mod: str | None = None  # START, MID, END, APPROX, BEFORE, AFTER
    anchor: str | None = None  # the reference date used, ISO


@dataclass
class TimedEvent:
    """A clause or sentence anchored by a time expression."""

    span: Span
    text: str
    timex: Timex


@dataclass
class Analysis:
    sentences: list[Span] = field(default_factory=list)
    entities: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    events: list[TimedEvent] = field(default_factory=list)
    reference_date: str | None = None  # ISO date the relative expressions were resolved against


@dataclass
class Article:
    id: str
    origin: Origin
    raw: str
    body: str = ""
    segments: list[Span] = field(default_factory=list)  # raw spans kept, joined by BODY_SEPARATOR
    removed: list[Removed] = field(default_factory=list)
    meta: Meta = field(default_factory=Meta)
    status: str = "ok"  # ok, no_body, not_article
    content_hash: str = ""
    analysis: Analysis | None = None

    def raw_offset(self, body_offset: int) -> int:
        """Map an offset in ``body`` to the offset in ``raw``."""
        position = 0
        for segment in self.segments:
            length = segment.end - segment.start
            if body_offset <= position + length:
                return segment.start + (body_offset - position)
            position += length + len(BODY_SEPARATOR)
        return len(self.raw)

    def raw_span(self, span: Span) -> Span:
        return Span(self.raw_offset(span.start), self.raw_offset(span.end))


@dataclass
class Edit:
    kind: str  # substitute, insert, delete
    a_span: Span  # into body of pair.a
    b_span: Span  # into body of pair.b
    a_text: str
    b_text: str
    category: str = "wording"  # term_swap, date_change, number_change, paragraph_added, paragraph_dropped, wording


@dataclass
class Passage:
    a_span: Span
    b_span: Span


@dataclass
class ReusePair:
    a: str
    b: str
    kind: str  # exact, near, partial
    similarity: float
    containment_a_in_b: float
    containment_b_in_a: float
    passages: list[Passage] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)


@dataclass
class ReuseGroup:
    id: str
    members: list[str]
    original: str
    pairs: list[ReusePair] = field(default_factory=list)


@dataclass
class StoryMember:
    article_id: str
    score: float
    undated: bool = False


@dataclass
class Story:
    id: str
    label: str
    members: list[StoryMember]
    start: str | None = None  # ISO dates of the earliest and latest dated article
    end: str | None = None
    entities: list[str] = field(default_factory=list)
    independent_sources: int = 0

    @property
    def article_ids(self) -> list[str]:
        return [member.article_id for member in self.members]


@dataclass
class Citation:
    article_id: str
    outlet: str | None
    span: Span | None = None
    text: str | None = None


@dataclass
class SummarySentence:
    text: str
    citations: list[Citation]


@dataclass
class TimelineEntry:
    value: str  # TIMEX3 value of the date
    description: str
    sources: list[Citation]
    mod: str | None = None  # TIMEX3 modifier: START, MID, END, APPROX ...


@dataclass
class Wording:
    text: str
    citation: Citation


@dataclass
class MergedQuote:
    speaker: str | None
    direct: bool
    wordings: list[Wording]
    differences: list[str] = field(default_factory=list)


@dataclass
class Claim:
    text: str
    statements: list[Citation]
    independent_sources: int
    first_seen: str | None = None
    attributed_to: str | None = None  # None when the outlets assert it themselves


@dataclass
class ContradictionSide:
    value: str
    citation: Citation


@dataclass
class Contradiction:
    slot: str  # date, number, place, speaker
    description: str
    sides: list[ContradictionSide]


@dataclass
class TermUse:
    term: str
    count: int
    examples: list[Citation] = field(default_factory=list)
    quoted: int = 0  # how many of the uses are inside quotation marks (someone else's words)


@dataclass
class Framing:
    actor: str
    terms_by_outlet: dict[str, list[TermUse]]
    neutral: str | None = None  # the term a neutral summary uses for this actor


@dataclass
class EntitySummary:
    id: str
    label: str
    aliases: list[str]
    mentions: int
    articles: int
    stands_for: str | None = None  # metonymy: "Moscow" -> "government of Russia"


@dataclass
class ArticleSummary:
    id: str
    outlet: str | None
    title: str | None
    published: str | None
    origin: str
    reuse_group: str | None = None


@dataclass
class StoryDigest:
    story: Story
    articles: list[ArticleSummary]
    outlets: list[str]
    summary: list[SummarySentence] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    quotes: list[MergedQuote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)
    framing: list[Framing] = field(default_factory=list)
    entities: list[EntitySummary] = field(default_factory=list)
    reuse: list[ReuseGroup] = field(default_factory=list)
    undated_articles: list[str] = field(default_factory=list)
    loaded_terms: dict[str, list[TermUse]] = field(default_factory=dict)  # outlet -> evaluative words used
    voices: dict[str, list[TermUse]] = field(default_factory=dict)  # outlet -> people it quotes


@dataclass
class Result:
    """Everything one run produced: the document written as stories.json."""

    articles: list[Article]
    reuse: list[ReuseGroup]
    stories: list[Story]
    digests: list[StoryDigest]
    skipped: list[Skipped] = field(default_factory=list)
    schema_version: str = SCHEMA_VERSION


def to_dict(value: Any) -> Any:
    """Serialize dataclasses (recursively) into JSON-ready dicts and lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_dict(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {key: to_dict(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_dict(item) for item in value]
    return value


def from_dict(cls: type[T], data: Any) -> T:
    """Rebuild a dataclass (recursively) from the output of ``to_dict``."""
    return _convert(cls, data)


def _convert(annotation: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _convert(options[0], data)
    if origin is list:
        (item,) = typing.get_args(annotation)
        return [_convert(item, value) for value in data]
    if origin is dict:
        _, item = typing.get_args(annotation)
        return {key: _convert(item, value) for key, value in data.items()}
    if dataclasses.is_dataclass(annotation):
        hints = _field_types(annotation)
        known = {name: _convert(hints[name], value) for name, value in data.items() if name in hints}
        return annotation(**known)
    return data


@functools.cache
def _field_types(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}
