"""The clean stage: page clutter out, metadata in, for scraped plain text and HTML.

``clean`` is the batch entry (it finds template lines across the batch first); ``clean_document``
cleans one document. For a text document ``Article.raw`` is the content as given; for an HTML page
it is the main text trafilatura extracts (one paragraph per line), which the text cleaner then
passes over a second time, so segments and removed spans always point into plain text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from storylens.clean.blockmodel import load_scorer
from storylens.clean.blocks import is_prose, words_of
from storylens.clean.html import HtmlExtraction, extract_html, looks_like_html
from storylens.clean.meta import add_text_meta, meta_from_hints, set_field
from storylens.clean.templates import find_template_lines
from storylens.clean.text import BodyScorer, Labels, kept_spans, label_blocks
from storylens.model import BODY_SEPARATOR, Article, Document, Meta, Removed, Span

__all__ = ["clean", "clean_document", "find_template_lines"]

MIN_ARTICLE_WORDS = 40
_ERROR_PAGE = re.compile(
    r"\b(?:page (?:not|could not be) found|404 error|error 404|page you (?:requested|are looking for)"
    r"|access denied|subscribe (?:now )?to (?:continue|read)|to continue reading|already a subscriber"
    r"|you have reached (?:your|the) (?:limit|maximum)|this content is (?:only )?(?:available|for) (?:to )?"
    r"subscribers|enable javascript|are you a robot|please try again later"
    # the Wayback Machine's note on the capture, kept when a page is taken from web.archive.org
    r"|these crawls are part of an effort to archive pages)\b",
    re.IGNORECASE,
)


def clean(documents: Sequence[Document]) -> list[Article]:
    """Clean a batch: template lines are measured across the whole batch, then each document is cleaned."""
    template_lines = find_template_lines(documents)
    scorer = load_scorer()
    return [_clean_one(document, template_lines, scorer) for document in documents]


def clean_document(document: Document, repeated_lines: Collection[str] | None = None) -> Article:
    """Clean one document; ``repeated_lines`` are normalised template lines from ``find_template_lines``."""
    return _clean_one(document, frozenset(repeated_lines or ()), load_scorer())


def _clean_one(document: Document, template_lines: Collection[str], scorer: BodyScorer | None) -> Article:
    meta = meta_from_hints(document.hints)
    content = document.content or ""
    if document.kind == "html" or looks_like_html(content):
        return _clean_html(document, content, meta)
    return _clean_text(document, content, meta, template_lines, scorer)


def _clean_text(
    document: Document,
    raw: str,
    meta: Meta,
    template_lines: Collection[str],
    scorer: BodyScorer | None,
) -> Article:
    labels = label_blocks(raw, template_lines, meta.title, scorer)
    return _assemble(document, raw, labels, meta)


def _clean_html(document: Document, html: str, meta: Meta) -> Article:
    extraction = extract_html(html, meta.url)
    if extraction is None:
        return Article(id=document.id, origin=document.origin, raw="", meta=meta, status="no_body")
    _add_html_meta(meta, extraction)
    # Second pass with the extractor's block decisions kept: only wording rules, the title, the end of the
    # article and the dateline act. Repeats stay: in an extractor's output they are table rows, interview
    # questions and list items of the article (dropping them cost 0.006 F1 on the scrapinghub pages).
    labels = label_blocks(extraction.text, (), meta.title, _trust_extractor, drop_repeats=False)
    article = _assemble(document, extraction.text, labels, meta)
    listing = extraction.page_type not in {None, "article", "blogposting", "newsarticle"}
    if listing and article.status == "ok" and len(words_of(article.body)) < 2 * MIN_ARTICLE_WORDS:
        article.status = "not_article"
    return article


def _trust_extractor(blocks: Sequence[object]) -> list[float]:
    return [1.0] * len(blocks)


def _add_html_meta(meta: Meta, extraction: HtmlExtraction) -> None:
    set_field(meta, "url", extraction.url, "html:meta")
    set_field(meta, "title", extraction.title, "html:meta")
    set_field(meta, "outlet", extraction.outlet, "html:meta")
    set_field(meta, "author", extraction.author, "html:meta")
    set_field(meta, "published", extraction.published, extraction.published_method)


def _assemble(document: Document, raw: str, labels: Labels, meta: Meta) -> Article:
    removed = [
        Removed(block.span, reason)
        for block, reason in zip(labels.blocks, labels.reasons, strict=True)
        if reason is not None
    ]
    for i, trim in labels.trims.items():
        start = labels.blocks[i].span.start
        removed.append(Removed(Span(start, start + len(raw[start : start + trim].rstrip())), "dateline"))
    removed.sort(key=lambda item: item.span.start)
    segments = kept_spans(labels)
    body = BODY_SEPARATOR.join(raw[span.start : span.end] for span in segments)
    add_text_meta(meta, labels, body)
    return Article(
        id=document.id,
        origin=document.origin,
        raw=raw,
        body=body,
        segments=segments,
        removed=removed,
        meta=meta,
        status=_status(body, labels),
    )


def _status(body: str, labels: Labels) -> str:
    """no_body: the input holds no text at all; not_article: text, but no article in it."""
    if all(reason == "markup" for reason in labels.reasons):
        return "no_body"
    if not body.strip():
        return "not_article"
    words = words_of(body)
    prose_blocks = sum(is_prose(labels.blocks[i].text) for i in labels.kept())
    if len(words) < MIN_ARTICLE_WORDS and prose_blocks < 2:
        return "not_article"
    if len(words) < 4 * MIN_ARTICLE_WORDS and _ERROR_PAGE.search(body):
        return "not_article"
    return "ok"
