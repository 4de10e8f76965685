"""What a scraper without extraction produces from a page: all visible text in document order,
one text block per line. Used to make plain-text training and benchmark input from HTML."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree
from lxml.etree import ParserError

_INVISIBLE = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas"})
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "option",
        "button",
        "label",
        "select",
        "textarea",
        "caption",
        "legend",
    ]
)
_PARSER = lxml.html.HTMLParser(encoding="utf-8")
_SPACE = re.compile(r"\s+")


def visible_lines(html: str) -> str:
    """The page's visible text, one block per line ("" when the page does not parse)."""
    try:
        root = lxml.html.fromstring(html.encode("utf-8", "replace"), parser=_PARSER)
    except (ParserError, ValueError):
        return ""
    pieces: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        visible = isinstance(element.tag, str) and element.tag not in _INVISIBLE and element.get("hidden") is None
        if event == "start":
            if not visible:
                walker.skip_subtree()
                continue
            if element.tag in _BLOCK_TAGS:
                pieces.append("\n")
            pieces.append(element.text or "")
        else:
            if visible and element.tag in _BLOCK_TAGS:
                pieces.append("\n")
            pieces.append((element.tail or "").replace("\n", " "))
    lines = (_SPACE.sub(" ", line).strip() for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)
