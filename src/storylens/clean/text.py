"""The plain-text cleaner: label each block (line) of a scraped text as body or clutter with a reason.

Order of decisions, each explained where it is made:
1. wording rules (comment forms, cookie notices, share prompts, bylines, source and date lines,
   captions, editor's notes, ...);
2. lines that recur across many articles (template, computed by the batch entry);
3. the title (a headline-shaped line at the top) and its reprints;
4. body or not for the rest: the learned block model when shipped, else sentence shape;
5. zones: after a terminal marker (comment form, "Related", copyright, bio) the page is over;
6. repeats inside the article (a lead or caption printed twice) are kept once;
7. an inline dateline ("Moscow, Dec 6:") is cut from the first paragraph into the metadata.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from rapidfuzz import fuzz

from storylens.clean import rules
from storylens.clean.blocks import (
    Block,
    capitalized_ratio,
    is_prose,
    normalize_line,
    split_blocks,
    words_of,
)
from storylens.clean.dates import find_date
from storylens.model import Span

BodyScorer = Callable[[Sequence[Block]], list[float]]

BODY_THRESHOLD = 0.5
MAX_TITLE_CHARS = 250
MAX_FUZZY_BLOCKS = 400  # beyond this many kept blocks only exact repeats are looked for
NEAR_DUPLICATE_RATIO = 92.0
MAX_FUZZY_CHARS = 5000  # edit-distance cost grows with the square of the length
MIN_TRAILING_HEADLINES = 3
MAX_INLINE_WORDS = 15  # a short line between body blocks stays (subhead, one-line quote)
MAX_TRAILING_SHARE = 0.2  # of the kept text: a related box is short next to its article
MAX_HEADLINE_WORDS = 20

_QUOTE_OR_COLON = re.compile(r"[\"“”‘’':]")

_MARKUP_LINE = re.compile(r"^(?:<[^>]{1,400}>\s*)+$|^(?:&\w+;|\{[^}]*\}|[{}\[\];])+$")
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][\w.'’-]+(?:[ ,]+[A-Z][\w.'’-]+){0,3}?)"
    r"(?:,\s*(?P<date>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:,?\s+\d{4})?))?"
    r"\s*(?:\((?P<agency>[A-Za-z .&-]{2,40})\))?\s*(?P<sep>[:—–]|--?)\s+",
    re.IGNORECASE,
)
_TITLE_DATE_SEPARATOR = re.compile(r"[,|–—-]\s*$")
_TWEET_SIGNATURE = re.compile(r"\(@\w+\)")  # "— Name (@handle) November 18, 2019" ends an embedded tweet


@dataclass
class Labels:
    """Per-block outcome: ``reasons[i]`` is None for body blocks; ``trims[i]`` cuts a block's head."""

    blocks: list[Block]
    reasons: list[str | None]
    trims: dict[int, int] = field(default_factory=dict)
    terminal: set[int] = field(default_factory=set)  # wording that ends the article (comment form, ...)
    title_block: int | None = None
    dateline: tuple[str, int, int] | None = None  # text, raw start, raw end

    def kept(self) -> list[int]:
        return [i for i, reason in enumerate(self.reasons) if reason is None]

    def first_body(self) -> int | None:
        kept = self.kept()
        return kept[0] if kept else None


def label_blocks(
    raw: str,
    template_lines: Collection[str] = (),
    title_hint: str | None = None,
    scorer: BodyScorer | None = None,
    drop_repeats: bool = True,
) -> Labels:
    """Label each block; ``drop_repeats=False`` keeps repeated lines (an extractor's output repeats
    table rows, interview questions and list items that belong to the article)."""
    blocks = split_blocks(raw)
    labels = Labels(blocks, [_wording_reason(block.text) for block in blocks])
    labels.terminal = {i for i, reason in enumerate(labels.reasons) if reason in rules.TERMINAL_REASONS}
    _mark_template(labels, template_lines)
    _mark_title(labels, title_hint)
    _mark_dated_headlines(labels)
    if drop_repeats:
        _mark_exact_repeats(labels)
    scores = scorer(blocks) if scorer else [float(is_prose(block.text)) for block in blocks]
    _mark_non_body(labels, scores)
    _mark_outside_article(labels)
    _mark_trailing_headlines(labels)
    if drop_repeats:
        _mark_near_repeats(labels)
    _cut_dateline(labels)
    return labels


def _wording_reason(text: str) -> str | None:
    if _MARKUP_LINE.match(text):
        return "markup"
    if rules.byline_name(text):
        return "byline"
    if rules.source_name(text):
        return "metadata_line"
    if _is_date_line(text):
        return "metadata_line"
    if _dateline_only(text):
        return "dateline_line"
    if rules.is_caption(text):
        return "caption"  # credit-tagged picture text: it describes a photo, not the news
    return rules.pattern_reason(text)


def _is_date_line(text: str) -> bool:
    """A line that is a date with at most a label around it ("Published: Dec 6, 2016 9:28 PM IST")."""
    if len(text) > 90 or _TWEET_SIGNATURE.search(text):
        return False
    found = find_date(text)
    if not found:
        return False
    rest = text[: found.start] + text[found.end :]
    rest = rules.DATE_LABEL.sub("", rest.strip())
    return len(words_of(rest)) <= 3


def _dateline_only(text: str) -> bool:
    match = _DATELINE.match(text + " ")
    return bool(match and match.end() >= len(text) and (match["date"] or match["agency"]))


def _mark_template(labels: Labels, template_lines: Collection[str]) -> None:
    if not template_lines:
        return
    for i, block in enumerate(labels.blocks):
        if labels.reasons[i] is None and normalize_line(block.text) in template_lines:
            labels.reasons[i] = "template_repeat"


def _headline_shaped(text: str) -> bool:
    words = words_of(text)
    if not 3 <= len(words) <= 30 or len(text) > MAX_TITLE_CHARS:
        return False
    return not text.endswith(".") or text.endswith("...")


def _mark_title(labels: Labels, title_hint: str | None) -> None:
    """The title is a meta field: take it out of the body, and any reprint of it too."""
    wanted = normalize_line(title_hint) if title_hint else None
    for i, block in enumerate(labels.blocks[:4]):
        if labels.reasons[i] is not None:
            continue
        key = normalize_line(block.text)
        if _is_title_line(block.text, key, wanted):
            labels.title_block = i
            break
        if wanted is None and len(words_of(block.text)) >= 3:
            break  # running text before any headline: the text has no title line
    if labels.title_block is None:
        return
    title_key = normalize_line(labels.blocks[labels.title_block].text)
    for i in range(labels.title_block):
        if labels.reasons[i] is None and not is_prose(labels.blocks[i].text):
            labels.reasons[i] = "navigation"  # category and menu lines above the headline
    for i, block in enumerate(labels.blocks):
        if labels.reasons[i] is None and (i == labels.title_block or normalize_line(block.text) == title_key):
            labels.reasons[i] = "title"


def _is_title_line(text: str, key: str, wanted: str | None) -> bool:
    """The hinted title (or it with a suffix such as the outlet), else a headline-shaped line; a paragraph
    that merely opens with the title ("Seeking a bigger role ... by Jeff Foust Monday, ...") is body."""
    if not wanted:
        return _headline_shaped(text)
    return key == wanted or (key.startswith(wanted) and _headline_shaped(text))


def _mark_dated_headlines(labels: Labels) -> None:
    """ "Kerry and Lavrov meet for fresh talks, Deutsche Welle, Dec 3, 2016" below the title: an
    aggregator's entry for another article (headline, outlet, date); what follows is its teaser."""
    start = labels.title_block + 1 if labels.title_block is not None else 0
    for i in range(start, len(labels.blocks)):
        text = labels.blocks[i].text
        if labels.reasons[i] is None and _headline_shaped(text) and _ends_with_date(text):
            labels.reasons[i] = "related_links"
            labels.terminal.add(i)


def _ends_with_date(text: str) -> bool:
    tail_start = max(0, len(text) - 40)
    found = find_date(text[tail_start:])
    return bool(
        found and tail_start + found.end == len(text) and _TITLE_DATE_SEPARATOR.search(text[: tail_start + found.start])
    )


def _mark_non_body(labels: Labels, scores: list[float]) -> None:
    """Blocks the scorer does not call body go, except short lines between body blocks and the standfirst."""
    decided = list(labels.reasons)
    for i, block in enumerate(labels.blocks):
        if decided[i] is not None or scores[i] >= BODY_THRESHOLD:
            continue
        if _stays_between_body(labels, scores, i) or _standfirst(labels, i):
            continue
        labels.reasons[i] = _non_body_reason(block.text)


def _stays_between_body(labels: Labels, scores: list[float], index: int) -> bool:
    """A subhead or a short quote ("There is something wrong there," she said.) inside the text."""
    text = labels.blocks[index].text
    words = words_of(text)
    if not 2 <= len(words) <= MAX_INLINE_WORDS or _alt_text(text, words):
        return False
    before = _neighbour(labels, index, -1)
    after = _neighbour(labels, index, 1)
    return (
        before is not None
        and after is not None
        and scores[before] >= BODY_THRESHOLD
        and scores[after] >= BODY_THRESHOLD
    )


def _standfirst(labels: Labels, index: int) -> bool:
    """Running text right under the title is the article's standfirst (a copy of the lead goes later)."""
    title = labels.title_block
    if title is None or index <= title or not is_prose(labels.blocks[index].text):
        return False
    return all(labels.reasons[i] is not None for i in range(title + 1, index))


def _alt_text(text: str, words: list[str]) -> bool:
    """ "Aleppo Attack", "Kerry and Lavrov": picture alt text and tags, every content word capitalised."""
    return len(words) <= 5 and capitalized_ratio(words) == 1.0 and not _QUOTE_OR_COLON.search(text)


def _neighbour(labels: Labels, index: int, step: int) -> int | None:
    """The nearest block that is not a repeat, if it is still undecided (None when removed)."""
    position = index + step
    while 0 <= position < len(labels.blocks):
        if labels.reasons[position] != "duplicate":
            return position if labels.reasons[position] is None else None
        position += step
    return None


def _non_body_reason(text: str) -> str:
    words = words_of(text)
    if len(words) < 4:
        return "short_fragment"
    if _headline_shaped(text):
        return "related_links"
    return "low_content"


def _mark_outside_article(labels: Labels) -> None:
    """After a terminal marker (comment form, "Related", copyright, bio) the page is over, provided
    little of the body lies below it: a "Related" box inside the article must not end it."""
    start = labels.first_body()
    if start is None:
        return
    mass = [
        len(block.text) if reason is None else 0 for block, reason in zip(labels.blocks, labels.reasons, strict=True)
    ]
    total = sum(mass)
    after = list(accumulate(reversed(mass)))[::-1]  # after[i]: body mass from block i on
    for i in sorted(labels.terminal):
        allowed = rules.TERMINAL_REASONS[labels.reasons[i] or ""]
        if i > start and after[i] <= allowed * total:
            _drop_after(labels, i)
            return


def _mark_trailing_headlines(labels: Labels) -> None:
    """Headlines listed after the last paragraph of running text are other articles (a related box
    without its header). It takes a few, and they must be a small part of the text: a list that
    closes the article, a subhead or a credit line stays."""
    kept = labels.kept()
    tail: list[int] = []
    for i in reversed(kept):
        text = labels.blocks[i].text
        if is_prose(text) or not _headline_shaped(text) or len(words_of(text)) > MAX_HEADLINE_WORDS:
            break
        tail.append(i)
    tail_chars = sum(len(labels.blocks[i].text) for i in tail)
    kept_chars = sum(len(labels.blocks[i].text) for i in kept)
    if len(tail) >= MIN_TRAILING_HEADLINES and tail_chars <= MAX_TRAILING_SHARE * kept_chars:
        for i in tail:
            labels.reasons[i] = "related_links"


def _drop_after(labels: Labels, marker: int) -> None:
    for i in range(marker + 1, len(labels.blocks)):
        if labels.reasons[i] is None:
            labels.reasons[i] = _trailing_reason(labels.blocks[i].text)


def _trailing_reason(text: str) -> str:
    if is_prose(text):
        return "after_article"
    return "short_fragment" if len(words_of(text)) < 4 else "related_links"


def _mark_exact_repeats(labels: Labels) -> None:
    """A line printed again (a caption, a paragraph) is kept once, at its first place."""
    seen: set[str] = set()
    for i in labels.kept():
        key = normalize_line(labels.blocks[i].text)
        if key in seen:
            labels.reasons[i] = "duplicate"
        elif key:
            seen.add(key)


def _mark_near_repeats(labels: Labels) -> None:
    """Keep one copy of near copies (a lead printed twice with one word changed) and of lines contained
    in a longer paragraph (a standfirst that is the first sentence again)."""
    kept = labels.kept()
    if len(kept) > MAX_FUZZY_BLOCKS:
        return
    keys = {i: normalize_line(labels.blocks[i].text) for i in kept}
    survivors = [i for i in kept if len(keys[i].split()) >= 6]
    for i in survivors:
        for j in survivors:
            if i == j or labels.reasons[j] is not None or labels.reasons[i] is not None:
                continue
            if _repeats(keys[i], keys[j], i, j):
                labels.reasons[i] = "duplicate"


def _repeats(key: str, other: str, index: int, other_index: int) -> bool:
    """Is block ``index`` a copy of ``other_index``? Shorter lines inside longer ones go; of equals, the later."""
    if len(key) < len(other):
        return key in other
    if len(key) == len(other) and index < other_index:
        return False
    if len(key) > MAX_FUZZY_CHARS or len(other) < 0.8 * len(key):
        return False
    return fuzz.ratio(key, other) >= NEAR_DUPLICATE_RATIO


def _cut_dateline(labels: Labels) -> None:
    first = labels.first_body()
    if first is None:
        return
    block = labels.blocks[first]
    match = _DATELINE.match(block.text)
    if not match or match.end() >= len(block.text):
        return
    place = match["place"]
    if not (match["date"] or match["agency"] or (place.isupper() and match["sep"] != ":")):
        return
    text = block.text[: match.end()].strip().rstrip(":—–-").strip()
    labels.trims[first] = match.end()
    labels.dateline = (text, block.span.start, block.span.start + match.end())


def kept_spans(labels: Labels) -> list[Span]:
    """Raw spans of the body blocks, in order (heads cut off where a dateline was taken out)."""
    return [
        Span(labels.blocks[i].span.start + labels.trims.get(i, 0), labels.blocks[i].span.end) for i in labels.kept()
    ]


def title_text(labels: Labels) -> str | None:
    """The title line, without a trailing date ("..., Dec 3, 2016")."""
    if labels.title_block is None:
        return None
    text = labels.blocks[labels.title_block].text
    tail_start = max(0, len(text) - 40)
    found = find_date(text[tail_start:])
    if found and tail_start + found.end == len(text):
        head = text[: tail_start + found.start]
        if _TITLE_DATE_SEPARATOR.search(head):
            return head.rstrip(" ,|–—-")
    return text
