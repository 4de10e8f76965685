"""Text cut into pieces for the templates: spans to highlight, anchors to link to, aligned passages.

Nothing here builds HTML: the templates print each piece's text with autoescaping, so article text can never
become markup. A piece carries the kinds of highlight covering it (CSS classes) and the anchors that start
at it (element ids the extracted items link to).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from storylens.model import BODY_SEPARATOR, Analysis, Article, Span
from storylens.reuse.align import Alignment, align, cached_tokens

SPAN_PARAMETER = re.compile(r"(\d{1,9})-(\d{1,9})")


@dataclass(frozen=True)
class Highlight:
    span: Span
    kind: str  # a CSS class: entity, quote, timex, cited, removed, kept, del, ins
    anchor: str | None = None


@dataclass(frozen=True)
class Piece:
    text: str
    kinds: tuple[str, ...] = ()
    anchors: tuple[str, ...] = ()


@dataclass
class CompareRow:
    aligned: bool
    a: list[Piece]
    b: list[Piece]


def parse_span(value: str | None, limit: int) -> Span | None:
    """``"120-180"`` from a query parameter as a span inside ``[0, limit]``, or None when it is not one."""
    match = SPAN_PARAMETER.fullmatch(value or "")
    if match is None:
        return None
    start, end = int(match[1]), int(match[2])
    return Span(start, end) if start <= end <= limit else None


def pieces(text: str, highlights: Sequence[Highlight], lo: int = 0, hi: int | None = None) -> list[Piece]:
    """``text[lo:hi]`` cut at every highlight boundary."""
    hi = len(text) if hi is None else hi
    starts: defaultdict[int, list[Highlight]] = defaultdict(list)
    ends: defaultdict[int, list[Highlight]] = defaultdict(list)
    active: Counter[str] = Counter()
    boundaries = {lo, hi}
    for item in highlights:
        start, end = max(item.span.start, lo), min(item.span.end, hi)
        if start > end or (start == end and (item.anchor is None or item.span.start < lo)):
            continue
        starts[start].append(item)
        if end > start:
            ends[end].append(item)
        boundaries.update((start, end))
    result: list[Piece] = []
    ordered = sorted(boundaries)
    for here, following in zip(ordered, [*ordered[1:], hi], strict=True):
        for item in ends[here]:
            active[item.kind] -= 1
        for item in starts[here]:
            if min(item.span.end, hi) > here:
                active[item.kind] += 1
        anchors = tuple(item.anchor for item in starts[here] if item.anchor and item.span.start >= lo)
        if following > here or anchors:
            kinds = tuple(sorted(kind for kind, count in active.items() if count > 0))
            result.append(Piece(text[here:following], kinds, anchors))
    return result


def paragraphs(text: str, highlights: Sequence[Highlight], separator: str = BODY_SEPARATOR) -> list[list[Piece]]:
    """The text's paragraphs (split at ``separator``), each cut into pieces."""
    found: list[list[Piece]] = []
    start = 0
    while start <= len(text):
        end = text.find(separator, start)
        end = len(text) if end < 0 else end
        if end > start:
            found.append(pieces(text, highlights, start, end))
        start = end + len(separator)
    return found


def analysis_highlights(analysis: Analysis | None) -> list[Highlight]:
    """Every extracted item of an article as a highlight with an anchor its listing links to."""
    if analysis is None:
        return []
    found = [Highlight(m.span, "entity", f"e-{n}") for n, m in enumerate(analysis.entities)]
    found += [Highlight(q.content, "quote", f"q-{n}") for n, q in enumerate(analysis.quotes)]
    found += [Highlight(q.source, "speaker", f"qs-{n}") for n, q in enumerate(analysis.quotes) if q.source]
    found += [Highlight(t.span, "timex", f"t-{n}") for n, t in enumerate(analysis.timexes)]
    return found


def raw_highlights(article: Article, body_highlights: Sequence[Highlight], field: str | None = None) -> list[Highlight]:
    """For the raw view: removed clutter, the body highlights mapped back into the raw text, and the place a
    metadata ``field`` was read from."""
    found = [Highlight(removed.span, "removed") for removed in article.removed]
    found += [Highlight(article.raw_span(item.span), item.kind, item.anchor) for item in body_highlights]
    source = article.meta.sources.get(field or "")
    if source is not None and source.span is not None:
        found.append(Highlight(source.span, "cited", "mark"))
    return found


def compare_rows(a: Article, b: Article) -> tuple[Alignment, list[CompareRow]]:
    """Aligned passages side by side, the edits inside them marked; unaligned text in rows of its own."""
    alignment = align(cached_tokens(a.body), cached_tokens(b.body))
    marks_a = [Highlight(e.a_span, "del") for e in alignment.edits if e.a_span.end > e.a_span.start]
    marks_b = [Highlight(e.b_span, "ins") for e in alignment.edits if e.b_span.end > e.b_span.start]
    rows: list[CompareRow] = []
    a_position = b_position = 0
    for passage in alignment.passages:
        _add_gap(rows, a, b, (a_position, passage.a_span.start), (b_position, passage.b_span.start))
        rows.append(
            CompareRow(
                True,
                pieces(a.body, marks_a, passage.a_span.start, passage.a_span.end),
                pieces(b.body, marks_b, passage.b_span.start, passage.b_span.end),
            )
        )
        a_position, b_position = passage.a_span.end, passage.b_span.end
    _add_gap(rows, a, b, (a_position, len(a.body)), (b_position, len(b.body)))
    return alignment, rows


def _add_gap(
    rows: list[CompareRow], a: Article, b: Article, a_range: tuple[int, int], b_range: tuple[int, int]
) -> None:
    a_text, b_text = a.body[slice(*a_range)].strip(), b.body[slice(*b_range)].strip()
    if a_text or b_text:
        rows.append(
            CompareRow(
                False,
                [Piece(a_text, ("del",))] if a_text else [],
                [Piece(b_text, ("ins",))] if b_text else [],
            )
        )
