"""Metadata of one article, each field with where it came from.

Precedence, highest first: the container's hints (method "input"), then HTML metadata (for HTML
documents), then what the text itself says (source line, byline, dateline, published line, title).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from storylens.clean import rules
from storylens.clean.dates import find_date, normalize_date
from storylens.clean.language import detect_language
from storylens.clean.outlets import agency_name, display_name, outlet_from_url
from storylens.clean.text import Labels, title_text
from storylens.model import FieldSource, Meta, Span

_COPYRIGHT_HOLDER = re.compile(
    r"(?:©|\bcopyright\b)\s*(?:©\s*)?(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?)\s*,?\s*"
    r"(?P<name>[A-Z][\w&'’ -]{1,60}?)\s*(?:[.,|]|$|all rights)",
    re.IGNORECASE,
)
HINT_FIELDS = {"title": "title", "source": "outlet", "author": "author", "published": "published", "url": "url"}


def set_field(meta: Meta, name: str, value: str | None, method: str, span: Span | None = None) -> None:
    """Fill ``name`` unless a better source already did (callers go from best to worst)."""
    if not value or getattr(meta, name) is not None:
        return
    setattr(meta, name, value)
    meta.sources[name] = FieldSource(method, span)


def meta_from_hints(hints: Mapping[str, str]) -> Meta:
    meta = Meta()
    for key, name in HINT_FIELDS.items():
        value = (hints.get(key) or "").strip()
        if not value:
            continue
        if name == "published":
            value = normalize_date(value) or ""
        elif name == "outlet":
            value = display_name(value)
        set_field(meta, name, value, "input")
    return meta


def add_text_meta(meta: Meta, labels: Labels, body: str) -> None:
    """Fields the text names: title line, source line, byline, dateline, published line, language."""
    _add_title(meta, labels)
    _add_labelled_lines(meta, labels)
    _add_dateline(meta, labels)
    _add_title_date(meta, labels)
    _add_copyright_outlet(meta, labels)
    if meta.url and meta.outlet is None:
        set_field(meta, "outlet", outlet_from_url(meta.url), "url:host")
    set_field(meta, "language", detect_language(body), "text:stop-words")


def _add_title(meta: Meta, labels: Labels) -> None:
    title = title_text(labels)
    if title is not None and labels.title_block is not None:
        block = labels.blocks[labels.title_block]
        set_field(meta, "title", title, "text:title-line", Span(block.span.start, block.span.start + len(title)))


def _add_labelled_lines(meta: Meta, labels: Labels) -> None:
    first_body = labels.first_body()
    header_end = first_body if first_body is not None else len(labels.blocks)
    for i, block in enumerate(labels.blocks):
        reason = labels.reasons[i]
        if reason == "metadata_line" and (source := rules.source_name(block.text)):
            set_field(meta, "outlet", display_name(source), "text:source-line", block.span)
        elif reason == "byline" and (name := rules.byline_name(block.text)):
            set_field(meta, "author", name, "text:byline", block.span)
            set_field(meta, "outlet", agency_name(name), "text:byline-agency", block.span)
        elif reason in {"metadata_line", "dateline_line"} and _dates_this_article(labels, i, header_end):
            found = find_date(block.text)
            if found:
                span = Span(block.span.start + found.start, block.span.start + found.end)
                set_field(meta, "published", found.iso, "text:date-line", span)


def _dates_this_article(labels: Labels, index: int, header_end: int) -> bool:
    """A date line above the body, or one labelled "Published:"; bare dates below are from related lists."""
    text = labels.blocks[index].text
    return index < header_end or bool(rules.DATE_LABEL.match(text) and not text[:1].isdigit())


def _add_dateline(meta: Meta, labels: Labels) -> None:
    if labels.dateline is None:
        return
    text, start, end = labels.dateline
    match = text.rsplit("(", 1)
    place = match[0].strip(" ,")
    set_field(meta, "dateline", place, "text:dateline", Span(start, end))
    if len(match) == 2:
        set_field(meta, "outlet", agency_name(match[1].rstrip(") ")), "text:dateline-agency", Span(start, end))


def _add_copyright_outlet(meta: Meta, labels: Labels) -> None:
    """ "© 2025 Selmar Daily Courier. All rights reserved." names the outlet when nothing better does."""
    for block, reason in zip(labels.blocks, labels.reasons, strict=True):
        match = _COPYRIGHT_HOLDER.search(block.text) if reason == "copyright" else None
        if match:
            set_field(meta, "outlet", match["name"].strip(), "text:copyright", block.span)
            return


def _add_title_date(meta: Meta, labels: Labels) -> None:
    if labels.title_block is None:
        return
    block = labels.blocks[labels.title_block]
    title = title_text(labels) or ""
    if len(title) < len(block.text):
        found = find_date(block.text[len(title) :])
        if found:
            start = block.span.start + len(title) + found.start
            set_field(meta, "published", found.iso, "text:title-date", Span(start, start + found.end - found.start))
