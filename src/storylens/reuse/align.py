"""Word-level alignment of two texts: aligned passages, edits with character offsets, edit categories.

The two word sequences (lower-cased ``\\w+`` tokens) are aligned with rapidfuzz's Indel (LCS) opcodes.
Runs of at least ``anchor_words`` equal words are anchors; anchors no more than ``max_gap`` words
apart on both sides chain into one passage, whose ends are then grown over equal words. Each gap
between two anchors is aligned again on its own, so its short equal runs ("or" in "Tuesday or
Wednesday" -> "today or tomorrow") split it into separate edits, while a stray "the" elsewhere in
the texts cannot. Inside a passage every difference is an edit (term swap, date or number change,
or wording); the text outside the passages is material one side has and the other lacks, reported
per paragraph (whole paragraphs as ``paragraph_added`` / ``paragraph_dropped``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from rapidfuzz.distance import Indel

from storylens.model import Edit, Passage, Span

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
WORD = re.compile(rf"{NUMBER.pattern}|\w+")  # "20,000" and "3.5" are one word
PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
]
RELATIVE_DAYS = ("today", "yesterday", "tomorrow", "tonight", "overnight", "weekend", "week", "month", "year")
DATE_WORDS = frozenset((*WEEKDAYS, *MONTHS, *RELATIVE_DAYS, "last", "next", "earlier", "ago"))
NUMBER_WORDS = frozenset(
    [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "billion",
        "trillion",
        "dozen",
        "dozens",
        "hundreds",
        "thousands",
        "millions",
        "percent",
    ]
)
YEAR = re.compile(r"(1[89]|20)\d\d")
TERM_SWAP_MAX_WORDS = 3
WHOLE_PARAGRAPH_SHARE = 0.8


@dataclass(frozen=True)
class AlignSettings:
    anchor_words: int = 4  # an equal run this long is evidence of copying, not coincidence
    max_gap: int = 12  # anchors this close (in words, on both sides) belong to one passage
    min_passage_words: int = 10  # a shorter passage is a coincidence (a shared name or phrase)
    edge_gap: int = 4  # past a passage's end, an equal run of 2+ words this close still belongs to it


@dataclass
class Tokens:
    """The words of a text with their character spans and paragraph numbers."""

    text: str
    words: list[str]
    starts: list[int]
    ends: list[int]
    paragraphs: list[int]
    paragraph_sizes: list[int]

    def span(self, first: int, last: int) -> Span:
        """Character span of words ``first:last``; an empty range is a point before word ``first``."""
        if first < last:
            return Span(self.starts[first], self.ends[last - 1])
        position = self.ends[first - 1] if first > 0 else (self.starts[0] if self.starts else 0)
        return Span(position, position)


@dataclass
class Alignment:
    passages: list[Passage]
    edits: list[Edit]
    aligned_words: int  # words of equal runs inside passages (the same count on both sides)
    words_a: int
    words_b: int

    @property
    def containment_a_in_b(self) -> float:
        return self.aligned_words / self.words_a if self.words_a else 0.0

    @property
    def containment_b_in_a(self) -> float:
        return self.aligned_words / self.words_b if self.words_b else 0.0

    @property
    def similarity(self) -> float:
        union = self.words_a + self.words_b - self.aligned_words
        return self.aligned_words / union if union else 0.0


def tokenize(text: str) -> Tokens:
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    paragraphs: list[int] = []
    paragraph_starts = [0] + [match.end() for match in PARAGRAPH_BREAK.finditer(text)]
    paragraph = 0
    for match in WORD.finditer(text):
        while paragraph + 1 < len(paragraph_starts) and match.start() >= paragraph_starts[paragraph + 1]:
            paragraph += 1
        words.append(match.group().lower())
        starts.append(match.start())
        ends.append(match.end())
        paragraphs.append(paragraph)
    sizes = [0] * len(paragraph_starts)
    for number in paragraphs:
        sizes[number] += 1
    return Tokens(text, words, starts, ends, paragraphs, sizes)


Run = tuple[int, int, int]  # (start in a, start in b, length) of equal words


def _equal_runs(a_words: list[str], b_words: list[str]) -> list[Run]:
    return [
        (op.src_start, op.dest_start, op.src_end - op.src_start)
        for op in Indel.opcodes(a_words, b_words)
        if op.tag == "equal"
    ]


def _close(previous: Run, run: Run, max_gap: int) -> bool:
    a_gap = run[0] - (previous[0] + previous[2])
    b_gap = run[1] - (previous[1] + previous[2])
    return a_gap <= max_gap and b_gap <= max_gap


def _anchor_chains(a: Tokens, b: Tokens, settings: AlignSettings) -> list[list[Run]]:
    """Anchors (long equal runs of the global alignment) chained while no more than max_gap apart."""
    chains: list[list[Run]] = []
    for run in _equal_runs(a.words, b.words):
        if run[2] < settings.anchor_words:
            continue
        if chains and _close(chains[-1][-1], run, settings.max_gap):
            chains[-1].append(run)
        else:
            chains.append([run])
    return chains


def _edge_runs(a_words: list[str], b_words: list[str], max_gap: int) -> list[Run]:
    """Equal runs at the start of two word lists, each within max_gap of the last: of any length
    when directly adjacent, else of two or more words."""
    kept: list[Run] = []
    a_end = b_end = 0
    for a_start, b_start, length in _equal_runs(a_words, b_words):
        adjacent = a_start == a_end and b_start == b_end
        if not adjacent and (length < 2 or a_start - a_end > max_gap or b_start - b_end > max_gap):
            break
        kept.append((a_start, b_start, length))
        a_end, b_end = a_start + length, b_start + length
    return kept


def _extend(a: Tokens, b: Tokens, chains: list[list[Run]], settings: AlignSettings) -> None:
    """Grow each chain's ends over nearby equal words: the global alignment may have spent them
    elsewhere, or a short edit may sit between the last anchor and the end of a paragraph."""
    window = settings.edge_gap + 2 * settings.anchor_words
    a_floor = b_floor = 0
    for number, chain in enumerate(chains):
        a_start, b_start, _ = chain[0]
        a_before = a.words[max(a_floor, a_start - window) : a_start][::-1]
        b_before = b.words[max(b_floor, b_start - window) : b_start][::-1]
        for a_back, b_back, length in _edge_runs(a_before, b_before, settings.edge_gap):
            chain.insert(0, (a_start - a_back - length, b_start - b_back - length, length))
        if number + 1 < len(chains):
            a_ceiling, b_ceiling = chains[number + 1][0][:2]
        else:
            a_ceiling, b_ceiling = len(a.words), len(b.words)
        a_end, b_end = chain[-1][0] + chain[-1][2], chain[-1][1] + chain[-1][2]
        a_after = a.words[a_end : min(a_ceiling, a_end + window)]
        b_after = b.words[b_end : min(b_ceiling, b_end + window)]
        chain.extend((a_end + x, b_end + y, length) for x, y, length in _edge_runs(a_after, b_after, settings.edge_gap))
        a_floor, b_floor = chain[-1][0] + chain[-1][2], chain[-1][1] + chain[-1][2]


def _gap_alignment(a: Tokens, b: Tokens, a_range: tuple[int, int], b_range: tuple[int, int]) -> tuple[int, list[Edit]]:
    """Align a gap between two anchors on its own: (equal words, edits)."""
    a0, b0 = a_range[0], b_range[0]
    runs = _equal_runs(a.words[a0 : a_range[1]], b.words[b0 : b_range[1]])
    edits: list[Edit] = []
    a_position, b_position = a_range[0], b_range[0]
    for a_start, b_start, length in [*runs, (a_range[1] - a0, b_range[1] - b0, 0)]:
        a_piece, b_piece = (a_position, a0 + a_start), (b_position, b0 + b_start)
        edits.extend(_difference(a, b, a_piece, b_piece))
        a_position, b_position = a0 + a_start + length, b0 + b_start + length
    return sum(run[2] for run in runs), edits


def align(a: Tokens, b: Tokens, settings: AlignSettings | None = None) -> Alignment:
    settings = settings or AlignSettings()
    chains = _anchor_chains(a, b, settings)
    _extend(a, b, chains, settings)
    passages: list[Passage] = []
    edits: list[Edit] = []
    aligned = 0
    a_position = b_position = 0
    for chain in chains:
        chain_edits: list[Edit] = []
        chain_aligned = sum(run[2] for run in chain)
        for (a0, b0, length), (a1, b1, _) in pairwise(chain):
            gap_equal, gap_edits = _gap_alignment(a, b, (a0 + length, a1), (b0 + length, b1))
            chain_aligned += gap_equal
            chain_edits.extend(gap_edits)
        if chain_aligned < settings.min_passage_words:
            continue
        (first_a, first_b, _), (last_a, last_b, last_length) = chain[0], chain[-1]
        edits.extend(_difference(a, b, (a_position, first_a), (b_position, first_b)))
        edits.extend(chain_edits)
        passages.append(Passage(a.span(first_a, last_a + last_length), b.span(first_b, last_b + last_length)))
        aligned += chain_aligned
        a_position, b_position = last_a + last_length, last_b + last_length
    edits.extend(_difference(a, b, (a_position, len(a.words)), (b_position, len(b.words))))
    return Alignment(passages, edits, aligned, len(a.words), len(b.words))


def _category_of_substitution(a_words: list[str], b_words: list[str]) -> str:
    both = a_words + b_words
    if any(word in DATE_WORDS or YEAR.fullmatch(word) for word in both):
        return "date_change"
    if any(map(_is_number, a_words)) and any(map(_is_number, b_words)):
        return "number_change"
    if 0 < len(a_words) <= TERM_SWAP_MAX_WORDS and 0 < len(b_words) <= TERM_SWAP_MAX_WORDS:
        return "term_swap"
    return "wording"


def _is_number(word: str) -> bool:
    return word in NUMBER_WORDS or NUMBER.fullmatch(word) is not None


def _substitutions(a: Tokens, b: Tokens, a_range: tuple[int, int], b_range: tuple[int, int]) -> list[Edit]:
    """One substitution (equal words at its ends trimmed off), or one per word when both sides
    are the same count of numbers."""
    (a_first, a_last), (b_first, b_last) = a_range, b_range
    while a_first < a_last and b_first < b_last and a.words[a_first] == b.words[b_first]:
        a_first, b_first = a_first + 1, b_first + 1
    while a_first < a_last and b_first < b_last and a.words[a_last - 1] == b.words[b_last - 1]:
        a_last, b_last = a_last - 1, b_last - 1
    a_range, b_range = (a_first, a_last), (b_first, b_last)
    if a_first == a_last or b_first == b_last:
        return _unmatched_edits(a, b, a_range, b_range)
    a_words, b_words = a.words[a_first:a_last], b.words[b_first:b_last]
    if len(a_words) > 1 and len(a_words) == len(b_words) and all(map(_is_number, a_words + b_words)):
        return [
            _substitution(a, b, (a_range[0] + i, a_range[0] + i + 1), (b_range[0] + i, b_range[0] + i + 1))
            for i in range(len(a_words))
        ]
    return [_substitution(a, b, a_range, b_range)]


def _substitution(a: Tokens, b: Tokens, a_range: tuple[int, int], b_range: tuple[int, int]) -> Edit:
    a_words, b_words = a.words[a_range[0] : a_range[1]], b.words[b_range[0] : b_range[1]]
    a_span, b_span = a.span(*a_range), b.span(*b_range)
    category = _category_of_substitution(a_words, b_words)
    return Edit("substitute", a_span, b_span, a_span.text(a.text), b_span.text(b.text), category)


Piece = tuple[int, int]  # a word range within one paragraph


def _partial_ends(tokens: Tokens, first: int, last: int) -> tuple[Piece | None, list[Piece], Piece | None]:
    """Words ``first:last`` split at paragraph breaks: (partial paragraph at the start, whole
    paragraphs, partial paragraph at the end)."""
    pieces = _paragraph_pieces(tokens, first, last)
    lead = pieces.pop(0)[:2] if pieces and not pieces[0][2] else None
    tail = pieces.pop()[:2] if pieces and not pieces[-1][2] else None
    return lead, [piece[:2] for piece in pieces], tail


def _pair_pieces(a: Tokens, b: Tokens, a_piece: Piece | None, b_piece: Piece | None, at: tuple[int, int]) -> list[Edit]:
    if a_piece and b_piece:
        return _substitutions(a, b, a_piece, b_piece)
    if a_piece:
        return _unmatched_edits(a, b, a_piece, (at[1], at[1]))
    if b_piece:
        return _unmatched_edits(a, b, (at[0], at[0]), b_piece)
    return []


def _difference(a: Tokens, b: Tokens, a_range: Piece, b_range: Piece) -> list[Edit]:
    """Edits for words ``a_range`` of a standing where words ``b_range`` of b stand: whole
    paragraphs dropped or added, and the partial paragraphs at either end paired as substitutions."""
    if a_range[0] == a_range[1] or b_range[0] == b_range[1]:
        return _unmatched_edits(a, b, a_range, b_range)
    a_lead, a_whole, a_tail = _partial_ends(a, *a_range)
    b_lead, b_whole, b_tail = _partial_ends(b, *b_range)
    if sum(map(bool, (a_lead, a_tail))) == 1 and sum(map(bool, (b_lead, b_tail))) == 1:
        a_lead, a_tail, b_lead, b_tail = a_lead or a_tail, None, b_lead or b_tail, None
    edits = _pair_pieces(a, b, a_lead, b_lead, (a_range[0], b_range[0]))
    edits += [edit for piece in a_whole for edit in _unmatched_edits(a, b, piece, (b_range[0], b_range[0]))]
    edits += [edit for piece in b_whole for edit in _unmatched_edits(a, b, (a_range[1], a_range[1]), piece)]
    return edits + _pair_pieces(a, b, a_tail, b_tail, (a_range[1], b_range[1]))


def _piece_category(words: list[str], whole: str | None) -> str:
    if whole:
        return whole
    return "date_change" if any(word in DATE_WORDS for word in words) else "wording"


def _paragraph_pieces(tokens: Tokens, first: int, last: int) -> list[tuple[int, int, bool]]:
    """Split words ``first:last`` at paragraph breaks: (start, end, covers the whole paragraph)."""
    pieces: list[tuple[int, int, bool]] = []
    start = first
    for index in range(first + 1, last + 1):
        if index == last or tokens.paragraphs[index] != tokens.paragraphs[start]:
            size = tokens.paragraph_sizes[tokens.paragraphs[start]]
            pieces.append((start, index, index - start >= WHOLE_PARAGRAPH_SHARE * size))
            start = index
    return pieces


def _unmatched_edits(a: Tokens, b: Tokens, a_range: tuple[int, int], b_range: tuple[int, int]) -> list[Edit]:
    """Edits for text outside any passage: whole paragraphs dropped or added, or partial ones."""
    edits: list[Edit] = []
    for start, end, whole in _paragraph_pieces(a, *a_range):
        a_span, b_span = a.span(start, end), b.span(b_range[0], b_range[0])
        category = _piece_category(a.words[start:end], "paragraph_dropped" if whole else None)
        edits.append(Edit("delete", a_span, b_span, a_span.text(a.text), "", category))
    for start, end, whole in _paragraph_pieces(b, *b_range):
        a_span, b_span = a.span(a_range[1], a_range[1]), b.span(start, end)
        category = _piece_category(b.words[start:end], "paragraph_added" if whole else None)
        edits.append(Edit("insert", a_span, b_span, "", b_span.text(b.text), category))
    return edits


@lru_cache(maxsize=4096)
def cached_tokens(text: str) -> Tokens:
    return tokenize(text)
