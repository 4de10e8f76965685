"""Split raw text into blocks (one non-blank line each) and describe each block by cheap features."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from storylens.model import Span

_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)\]]*$")
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’)]*\s+[\"“‘(]?[A-Z]")
_JUNK_TAIL = "".join(map(chr, range(32))) + "\ufffd\u200b\ufeff "  # control and replacement characters
_PUNCT = re.compile(r"[^\w\s]")

# Common English function words (kept small and fixed so features are deterministic).
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "said",
        "says",
    ]
)


@dataclass(frozen=True)
class Block:
    """One non-blank line of the raw text; ``span`` excludes surrounding whitespace."""

    index: int
    span: Span
    text: str

    @property
    def words(self) -> list[str]:
        return words_of(self.text)


def split_blocks(raw: str) -> list[Block]:
    blocks: list[Block] = []
    for match in _LINE.finditer(raw):
        line = match.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = match.start() + (len(line) - len(line.lstrip()))
        blocks.append(Block(len(blocks), Span(start, start + len(stripped)), stripped))
    return blocks


@lru_cache(maxsize=65536)
def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def normalize_line(text: str) -> str:
    """Case- and punctuation-insensitive key for comparing lines across and within articles."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return " ".join(_WORD.findall(folded))


def stop_ratio(words: list[str]) -> float:
    if not words:
        return 0.0
    return sum(word.lower() in STOP_WORDS for word in words) / len(words)


def capitalized_ratio(words: list[str]) -> float:
    """Share of non-stop words that start with a capital: high for headlines, names and menus."""
    content = [word for word in words if word.lower() not in STOP_WORDS]
    if not content:
        return 0.0
    return sum(word[0].isupper() for word in content) / len(content)


def punct_ratio(text: str) -> float:
    return len(_PUNCT.findall(text)) / max(1, len(text))


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.rstrip(_JUNK_TAIL)))


def sentence_count(text: str) -> int:
    return len(_SENTENCE_BREAK.findall(text)) + (1 if ends_sentence(text) else 0)


def is_prose(text: str) -> bool:
    """Sentence-shaped running text: enough words, function words, and a sentence end."""
    words = words_of(text)
    return len(words) >= 8 and stop_ratio(words) >= 0.2 and (ends_sentence(text) or len(words) >= 25)
