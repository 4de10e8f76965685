"""Per-format parsing of decoded content: plain text, HTML, JSON Lines.

Each parser yields ``Document`` (with a proposed id; ``read`` makes ids unique) or ``Skipped``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import lxml.etree
import lxml.html

from storylens.model import Document, Origin, Skipped

HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".shtml"})
JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson", ".jl", ".json"})

# Markup at the very start of the content; a text that merely quotes a tag further down stays text.
_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
_ANY_TAG = re.compile(r"<[A-Za-z!/]")
_WORD = re.compile(r"\w")

# JSONL field names: the first one present wins.
_TEXT_FIELDS = ("text", "body", "content", "maintext", "article")
_HTML_FIELDS = ("html", "raw_html")
_HINT_FIELDS = {
    "url": ("url", "link", "canonical_url"),
    "title": ("title", "headline"),
    "source": ("source", "outlet", "site_name", "source_domain", "publisher"),
    "published": ("published", "date", "date_publish", "published_at", "pubdate"),
    "author": ("author", "authors", "byline"),
}
_INVISIBLE_TAGS = ("script", "style", "noscript", "template")


def looks_like_html(content: str, extension: str) -> bool:
    if _HTML_START.match(content[:4096]):
        return True
    return extension in HTML_EXTENSIONS and bool(_ANY_TAG.search(content))


def looks_like_jsonl(content: str) -> bool:
    first_line = content.lstrip().split("\n", 1)[0]
    return first_line.startswith("{") and isinstance(_parse_json(first_line), dict)


def parse_text(
    content: str, doc_id: str, origin: Origin, hints: dict[str, str] | None = None
) -> Iterator[Document | Skipped]:
    if not _WORD.search(content):
        yield Skipped(str(origin), "no_text", "The text holds no words, only punctuation or symbols.")
        return
    yield Document(id=doc_id, origin=origin, kind="text", content=content, hints=dict(hints or {}))


def parse_html(
    content: str, doc_id: str, origin: Origin, hints: dict[str, str] | None = None
) -> Iterator[Document | Skipped]:
    tree = _parse_html_tree(content)
    if tree is None or not _has_visible_text(tree):
        yield Skipped(str(origin), "no_text", "The HTML page has no visible text.")
        return
    page_hints = dict(hints or {})
    if "url" not in page_hints and (url := _page_url(tree)):
        page_hints["url"] = url
    yield Document(id=doc_id, origin=origin, kind="html", content=content, hints=page_hints)


def parse_jsonl(content: str, stem: str, path: str) -> Iterator[Document | Skipped]:
    lines = content.split("\n")
    first = next((line.strip() for line in lines if line.strip()), "")
    # A lone "{" or "[" is a pretty-printed JSON document: one skip, not one per line.
    if not first.startswith("{") or first == "{":
        yield Skipped(path, "malformed_jsonl", "The file is not JSON Lines: its first line is not a JSON object.")
        return
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield from parse_jsonl_line(line, stem, Origin(path, line=number))


def parse_jsonl_line(line: str, stem: str, origin: Origin) -> Iterator[Document | Skipped]:
    record = _parse_json(line)
    if not isinstance(record, dict):
        yield Skipped(str(origin), "malformed_jsonl", f"Line {origin.line} is not a JSON object.")
        return
    doc_id = _scalar(record.get("id")) or f"{stem}:{origin.line}"
    hints = _record_hints(record)
    text = _first_string(record, _TEXT_FIELDS)
    if text and _WORD.search(text):
        yield from parse_text(text, doc_id, origin, hints)
        return
    html = _first_string(record, _HTML_FIELDS)
    if html:
        yield from parse_html(html, doc_id, origin, hints)
        return
    yield Skipped(str(origin), "no_text", f"Line {origin.line} has no article text (no 'text' or 'html' field).")


def _parse_json(line: str) -> Any:
    try:
        return json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        return None


def _first_string(record: dict[str, Any], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _record_hints(record: dict[str, Any]) -> dict[str, str]:
    hints = {}
    for hint, names in _HINT_FIELDS.items():
        for name in names:
            if value := _scalar(record.get(name)):
                hints[hint] = value
                break
    return hints


def _scalar(value: Any) -> str | None:
    """A JSON value as a hint string: strings and numbers as is, lists of them joined."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        return str(value).strip() or None
    if isinstance(value, list):
        parts = [_scalar(item) for item in value]
        return ", ".join(part for part in parts if part) or None
    return None


def _parse_html_tree(content: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(content.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (lxml.etree.ParserError, ValueError):
        return None


def _has_visible_text(tree: lxml.html.HtmlElement) -> bool:
    body = tree.find("body")
    if body is None:
        return False
    lxml.etree.strip_elements(body, *_INVISIBLE_TAGS, with_tail=False)
    return bool(_WORD.search(body.text_content()))


def _page_url(tree: lxml.html.HtmlElement) -> str | None:
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        values = [value.strip() for value in tree.xpath(xpath) if value.strip()]
        if values:
            return values[0]
    return None
