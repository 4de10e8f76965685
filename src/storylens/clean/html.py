"""HTML documents: trafilatura for the main text and metadata, htmldate for the publication date."""

from __future__ import annotations

import re
from dataclasses import dataclass

import htmldate
import lxml.html
import trafilatura
from lxml.etree import ParserError
from trafilatura.settings import Document

from storylens.clean.dates import find_date, normalize_date
from storylens.clean.outlets import display_name

_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "date",
    "dc.date",
    "sailthru.date",
    "parsely-pub-date",
)
_DATE_PARAMS = {"original_date": True, "extensive_search": False}
PRECISION_FALLBACK_WORDS = 40
_LOOKS_LIKE_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_PARSER = lxml.html.HTMLParser(encoding="utf-8")
_TAG = re.compile(r"<[a-zA-Z/][^>]{0,200}>")


@dataclass
class HtmlExtraction:
    text: str  # trafilatura's main text, one paragraph per line
    title: str | None
    author: str | None
    outlet: str | None
    published: str | None
    published_method: str
    language: str | None
    url: str | None
    page_type: str | None


def looks_like_html(content: str) -> bool:
    """A "text" that is really a page: an HTML skeleton, or markup on most of its lines."""
    head = content[:5000]
    if _LOOKS_LIKE_HTML.search(head):
        return True
    lines = [line for line in head.splitlines() if line.strip()]
    return len(lines) >= 5 and sum(bool(_TAG.search(line)) for line in lines) > 0.6 * len(lines)


def extract_html(
    html: str, url: str | None = None, favor_precision: bool = True, favor_recall: bool = False
) -> HtmlExtraction | None:
    """None when the page does not parse or holds no main text.

    With ``favor_precision`` a page where that mode keeps under ``PRECISION_FALLBACK_WORDS`` words (it
    sometimes drops the whole article) is extracted again with trafilatura's defaults, and the longer text
    is kept. ``favor_recall`` (without ``favor_precision``) is trafilatura's recall mode, for comparisons.
    """
    tree = _parse(html)
    if tree is None:
        return None
    stamped = _meta_timestamp(tree)  # before trafilatura, which prunes the tree it is given
    document = _main_extraction(tree, html, url, favor_precision, favor_recall)
    if document is None or not (document.text or "").strip():
        return None
    day = document.date or _htmldate(_parse(html), url)  # trafilatura ran htmldate with the same settings
    published, method = _published(day, stamped)
    return HtmlExtraction(
        text=document.text,
        title=document.title or None,
        author=document.author or None,
        outlet=display_name(document.sitename) if document.sitename else None,
        published=published,
        published_method=method,
        language=document.language or None,
        url=document.url or url,
        page_type=document.pagetype or None,
    )


def _parse(html: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.fromstring(html.encode("utf-8", "replace"), parser=_PARSER)
    except (ParserError, ValueError):
        return None


def _main_extraction(
    tree: lxml.html.HtmlElement, html: str, url: str | None, favor_precision: bool, favor_recall: bool
) -> Document | None:
    document = _bare_extraction(tree, url, favor_precision, favor_recall and not favor_precision)
    if not favor_precision or _word_count(document) >= PRECISION_FALLBACK_WORDS:
        return document
    fallback = _bare_extraction(_parse(html), url, favor_precision=False)
    return fallback if _word_count(fallback) > _word_count(document) else document


def _word_count(document: Document | None) -> int:
    return len((document.text or "").split()) if document else 0


def _bare_extraction(
    tree: lxml.html.HtmlElement | None, url: str | None, favor_precision: bool, favor_recall: bool = False
) -> Document | None:
    if tree is None:
        return None
    return trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        favor_precision=favor_precision,
        favor_recall=favor_recall,
        date_extraction_params=dict(_DATE_PARAMS),
    )


def _htmldate(tree: lxml.html.HtmlElement | None, url: str | None) -> str | None:
    """htmldate on an unpruned tree, for pages where trafilatura's metadata has no date."""
    if tree is None:
        return None
    try:
        return htmldate.find_date(tree, url=url, **_DATE_PARAMS)
    except (ValueError, TypeError):
        return None


def _published(day: str | None, stamped: str | None) -> tuple[str | None, str]:
    """htmldate's publication date; with time and zone when a meta tag gives the same day with them."""
    if stamped and (day is None or stamped.startswith(day)) and "T" in stamped:
        return stamped, "html:meta-time"
    return (normalize_date(day), "html:htmldate") if day else (None, "")


def _meta_timestamp(tree: lxml.html.HtmlElement) -> str | None:
    for name in _PUBLISHED_META:
        for content in tree.xpath(f'//meta[@property="{name}" or @name="{name}" or @itemprop="{name}"]/@content'):
            found = find_date(str(content))
            if found:
                return found.iso
    return None
