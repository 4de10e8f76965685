"""Find quoted regions in text, in every common quotation style.

Handles “ ” " " ‘ ’ « » „ “ (and „ ” / ‚ ‘ variants), quotes spanning sentences, and the newspaper
convention for quotes spanning paragraphs (a paragraph left open, the next one reopened). An odd
number of quote marks never fails the scan: a mark that cannot be paired is skipped.
"""

from __future__ import annotations

from storylens.model import Span

DOUBLE_OPENERS = frozenset("“„«")
DOUBLE_CLOSERS = frozenset("”»")
STRAIGHT_DOUBLE = '"'
TYPEWRITER_MARKS = ("''", "``")
SINGLE_OPENER = "‘"
SINGLE_CLOSER = "’"
# A straight quote opens when it follows one of these (or starts the text).
OPENING_CONTEXT = frozenset(" \t\n([{—–-")


def _opens(text: str, position: int) -> bool:
    return position == 0 or text[position - 1] in OPENING_CONTEXT


def _is_double_mark(text: str, position: int, open_at: int | None) -> str | None:
    """Classify a double quote mark as "open", "close" or None (not a double mark)."""
    char = text[position]
    if char == "“":
        # „ … “ (German style) closes with “; otherwise “ opens.
        if open_at is not None and text[open_at] == "„":
            return "close"
        return "open"
    if char in DOUBLE_OPENERS:
        return "open"
    if char in DOUBLE_CLOSERS:
        return "close"
    if char in {STRAIGHT_DOUBLE, "'", "`"}:
        return "open" if open_at is None and _opens(text, position) else "close"
    return None


def _next_paragraph_reopens(text: str, newline_at: int, mark: str) -> int | None:
    """Position of the opening mark when the paragraph after ``newline_at`` starts with ``mark``
    again (the convention for a quote running over paragraphs)."""
    position = newline_at
    while position < len(text) and text[position] in "\n\r \t":
        position += 1
    return position if position < len(text) and text[position] == mark else None


def double_quoted(text: str) -> list[Span]:
    """Regions in double quotes (marks included), in text order."""
    regions: list[Span] = []
    open_at: int | None = None
    skip_until = -1
    for position, char in enumerate(text):
        if position <= skip_until:
            continue
        width = 2 if text.startswith(TYPEWRITER_MARKS, position) else 1  # ``quote'' or ''quote''
        if width == 2:
            skip_until = position + 1
        elif char in "'`":
            continue  # a lone apostrophe or backtick
        if char == "\n" and open_at is not None:
            reopened = _next_paragraph_reopens(text, position, text[open_at])
            if reopened is None:
                open_at = None  # unbalanced: the opening mark was stray
            else:
                skip_until = reopened  # the quote goes on in the next paragraph
            continue
        kind = _is_double_mark(text, position, open_at)
        if kind == "open" and open_at is None:
            open_at = position
        elif kind == "close" and open_at is not None:
            regions.append(Span(open_at, position + width))
            open_at = None
        elif kind == "open":
            open_at = position  # a new opener before any closer: restart from the later mark
    return regions


def single_quoted(text: str) -> list[Span]:
    """Regions in curly single quotes ‘…’ (an apostrophe inside a word is not a closer)."""
    regions: list[Span] = []
    open_at: int | None = None
    for position, char in enumerate(text):
        if char == "\n":
            open_at = None
        elif char == SINGLE_OPENER and _opens(text, position):
            open_at = position
        elif char == SINGLE_CLOSER and open_at is not None:
            following = text[position + 1 : position + 2]
            if not following.isalnum():
                regions.append(Span(open_at, position + 1))
                open_at = None
    return regions


def quoted_regions(text: str) -> list[Span]:
    """Outermost quoted regions: double quotes, plus single-quoted ones outside any double quote."""
    doubles = double_quoted(text)
    singles = [
        single
        for single in single_quoted(text)
        if not any(d.start <= single.start and single.end <= d.end for d in doubles)
    ]
    return sorted(doubles + singles, key=lambda span: span.start)
