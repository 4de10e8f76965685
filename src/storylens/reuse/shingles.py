"""Word shingles hashed in bulk with numpy.

A batch of texts is encoded to UTF-8 and processed as one byte array (ASCII case folded): a word is a run
of letters or digits (ASCII alphanumerics and every non-ASCII byte except the UTF-8 encodings of
Latin-1 punctuation, NBSP and the General Punctuation block, so curly quotes and dashes separate
words). Each word gets a 64-bit polynomial hash computed with one prefix sum over the batch, and a
shingle of ``k`` consecutive words gets a mix of its word hashes. The hashes are stable across
processes and machines (no Python ``hash``), so signatures can be stored and compared later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

RADIX = np.uint64(0x100000001B3)  # odd, so it has an inverse modulo 2**64
MIX_1 = np.uint64(0xFF51AFD7ED558CCD)
MIX_2 = np.uint64(0xC4CEB9FE1A85EC53)
SHINGLE_MULTIPLIERS = (
    np.uint64(0x9E3779B97F4A7C15),
    np.uint64(0xBF58476D1CE4E5B9),
    np.uint64(0x94D049BB133111EB),
    np.uint64(0xD6E8FEB86659FD93),
    np.uint64(0xA0761D6478BD642F),
    np.uint64(0xE7037ED1A0B428DB),
    np.uint64(0x8EBC6AF09C88C6E3),
    np.uint64(0x589965CC75374CC3),
)
MAX_SHINGLE_WORDS = len(SHINGLE_MULTIPLIERS)
DOCUMENT_BREAK = b"\x00"


@dataclass
class ShingleBatch:
    """Shingle hashes of several texts: ``hashes[offsets[i]:offsets[i+1]]`` belong to text ``i``."""

    hashes: np.ndarray  # uint64, shingle hashes in text order (duplicates kept)
    offsets: np.ndarray  # uint64, len(texts) + 1
    word_counts: np.ndarray  # int64, words per text
    exact_hashes: np.ndarray  # uint64, hash of the whole word sequence (the normalized text)

    def of(self, index: int) -> np.ndarray:
        return self.hashes[int(self.offsets[index]) : int(self.offsets[index + 1])]


@lru_cache(maxsize=1)
def _byte_table() -> np.ndarray:
    """Byte -> folded byte: ASCII letters lower-cased, digits and non-ASCII kept, the rest 0."""
    table = np.zeros(256, dtype=np.uint8)
    for char in b"abcdefghijklmnopqrstuvwxyz0123456789":
        table[char] = char
    for char in b"ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        table[char] = char + 32
    table[0x80:] = np.arange(0x80, 0x100)
    return table


def mix64(values: np.ndarray) -> np.ndarray:
    """The murmur3 64-bit finalizer: spreads every input bit over the output."""
    values = values ^ (values >> np.uint64(33))
    values = values * MIX_1
    values = values ^ (values >> np.uint64(33))
    values = values * MIX_2
    return values ^ (values >> np.uint64(33))


@lru_cache(maxsize=1)
def _powers(length: int) -> tuple[np.ndarray, np.ndarray]:
    """RADIX**i and its inverse**i modulo 2**64 for i < length (numpy integer products wrap)."""
    inverse = pow(int(RADIX), -1, 2**64)
    powers = np.full(length, RADIX, dtype=np.uint64)
    powers[0] = 1
    inverse_powers = np.full(length, np.uint64(inverse), dtype=np.uint64)
    inverse_powers[0] = 1
    with np.errstate(over="ignore"):
        return np.cumprod(powers, dtype=np.uint64), np.cumprod(inverse_powers, dtype=np.uint64)


def _power_table_size(length: int) -> int:
    size = 1 << 20
    while size < length:
        size <<= 1
    return size


def _fold(data: np.ndarray) -> np.ndarray:
    """Fold case and zero every byte that is not part of a word."""
    folded = _byte_table()[data]
    # UTF-8 lead bytes of punctuation: C2 (Latin-1 punctuation, NBSP), E2 80/81 (General Punctuation).
    leads = np.flatnonzero(data[:-2] >= 0xC2)
    lead_bytes, next_bytes = data[leads], data[leads + 1]
    lead_c2 = leads[lead_bytes == 0xC2]
    lead_e2 = leads[(lead_bytes == 0xE2) & ((next_bytes == 0x80) | (next_bytes == 0x81))]
    for lead, width in ((lead_c2, 2), (lead_e2, 3)):
        for shift in range(width):
            folded[lead + shift] = 0
    return folded


def _word_spans(folded: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    edges = np.diff((folded != 0).view(np.int8), prepend=np.int8(0), append=np.int8(0))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def _word_hashes(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    powers, inverse_powers = _powers(_power_table_size(len(data) + 1))
    prefix = np.zeros(len(data) + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        np.multiply(powers[: len(data)], data, out=prefix[1:])
        np.cumsum(prefix[1:], out=prefix[1:])
        raw = (prefix[ends] - prefix[starts]) * inverse_powers[starts]
    return mix64(raw)


def _shingle_hashes(words: np.ndarray, size: int) -> np.ndarray:
    count = len(words) - size + 1
    combined = np.zeros(max(count, 0), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for position in range(size):
            combined += words[position : position + count] * SHINGLE_MULTIPLIERS[position]
    return mix64(combined)


def _exact_hashes(words: np.ndarray, word_docs: np.ndarray, doc_count: int) -> np.ndarray:
    """Order-sensitive hash of each text's word sequence: a sum of position-salted word hashes."""
    if len(words) == 0:
        return np.zeros(doc_count, dtype=np.uint64)
    first_word = np.searchsorted(word_docs, np.arange(doc_count))
    positions = np.arange(len(words), dtype=np.uint64) - first_word[word_docs].astype(np.uint64)
    with np.errstate(over="ignore"):
        salted = mix64(words ^ (positions * SHINGLE_MULTIPLIERS[0]))
    totals = np.zeros(doc_count, dtype=np.uint64)
    np.add.at(totals, word_docs, salted)
    counts = np.bincount(word_docs, minlength=doc_count).astype(np.uint64)
    with np.errstate(over="ignore"):
        return mix64(totals ^ (counts * SHINGLE_MULTIPLIERS[1]))


def shingle_batch(texts: Sequence[str], size: int) -> ShingleBatch:
    """Hash the ``size``-word shingles of each text (texts shorter than ``size`` words get none)."""
    if not 1 <= size <= MAX_SHINGLE_WORDS:
        raise ValueError(f"shingle size must be between 1 and {MAX_SHINGLE_WORDS}, got {size}")
    joined = DOCUMENT_BREAK.join(text.encode("utf-8", "replace") for text in texts)
    if joined.count(DOCUMENT_BREAK) != max(len(texts) - 1, 0):
        joined = DOCUMENT_BREAK.join(text.replace("\x00", " ").encode("utf-8", "replace") for text in texts)
    data = np.frombuffer(joined, dtype=np.uint8)
    folded = _fold(data)
    starts, ends = _word_spans(folded)
    word_docs = np.searchsorted(np.flatnonzero(data == 0), starts)
    words = _word_hashes(folded, starts, ends)
    shingles = _shingle_hashes(words, size)
    valid = word_docs[: len(shingles)] == word_docs[size - 1 : size - 1 + len(shingles)]
    shingle_docs = word_docs[: len(shingles)][valid]
    counts = np.bincount(shingle_docs, minlength=len(texts))
    offsets = np.zeros(len(texts) + 1, dtype=np.uint64)
    np.cumsum(counts, out=offsets[1:])
    return ShingleBatch(
        hashes=shingles[valid],
        offsets=offsets,
        word_counts=np.bincount(word_docs, minlength=len(texts)).astype(np.int64),
        exact_hashes=_exact_hashes(words, word_docs, len(texts)),
    )
