"""HTML documents: trafilatura for the main text and metadata, htmldate for the publication date."""

from __future__ import annotations

import re
from dataclasses import dataclass

import htmldate
import lxml.html
import trafilatura
from lxml.etree import ParserError

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


def extract_html(html: str, url: str | None = None, favor_precision: bool = True) -> HtmlExtraction | None:
    """None when the page does not parse or holds no main text."""
    try:
        tree = lxml.html.fromstring(html.encode("utf-8", "replace"), parser=_PARSER)
    except (ParserError, ValueError):
        return None
    published, method = _published(tree, url)  # before trafilatura, which prunes the tree it is given
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        favor_precision=favor_precision,
    )
    if document is None or not (document.text or "").strip():
        return None
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


def _published(tree: lxml.html.HtmlElement, url: str | None) -> tuple[str | None, str]:
    """htmldate's publication date; with time and zone when a meta tag gives the same day with them."""
    try:
        day = htmldate.find_date(tree, original_date=True, url=url, extensive_search=False)
    except (ValueError, TypeError):
        day = None
    stamped = _meta_timestamp(tree)
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
