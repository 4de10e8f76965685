"""Per-article sketches: exact hash, MinHash signature, sampled shingle fingerprints.

The MinHash signature is rensa's ``RMinHash`` computed from our own stable 64-bit shingle hashes
(rensa hashes a flat numpy buffer in Rust, which is the fastest MinHash available here). The
fingerprints are the shingles whose hash is 0 modulo ``fingerprint_rate``: the same shingles are
sampled in every text, so two texts share roughly ``rate``-th of the shingles they share, which
estimates containment when one text is much longer than the other (where Jaccard is low).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import rensa

from storylens.reuse.shingles import shingle_batch

CHUNK = 250  # texts per batch: about 1 MB of text, so the 16-byte-per-byte prefix tables stay small
SIGNATURE_MAGIC = b"SLR1"
HEADER = struct.Struct("<4sIIIIIQI")  # magic, rensa version, shingle words, perms, seed, rate, exact, words


@dataclass(frozen=True)
class ReuseSettings:
    """Detection parameters; the defaults were chosen with ``benchmarks/reuse.py`` (docs/reuse.md)."""

    shingle_words: int = 3
    num_perm: int = 128
    bands: int = 32  # 32 bands x 4 rows: a pair with Jaccard 0.3 collides in some band with p ~ 0.23
    seed: int = 1
    min_words: int = 12  # shorter texts only take part in exact matching
    min_jaccard: float = 0.25  # signature estimate an LSH candidate needs to be aligned
    fingerprint_rate: int = 16  # a power of two
    min_shared_fingerprints: int = 3
    min_fingerprint_containment: float = 0.3  # shared / fingerprints of the smaller text
    max_posting: int = 100  # a fingerprint in more texts than this is boilerplate, not evidence
    min_containment: float = 0.5  # aligned share of the smaller text for a reuse pair
    near_containment: float = 0.8  # both sides aligned at least this much: "near", else "partial"
    min_aligned_words: int = 25

    def __post_init__(self) -> None:
        if self.fingerprint_rate < 1 or self.fingerprint_rate & (self.fingerprint_rate - 1):
            raise ValueError(f"fingerprint_rate must be a power of two, got {self.fingerprint_rate}")
        if self.num_perm % self.bands:
            raise ValueError(f"num_perm ({self.num_perm}) must be a multiple of bands ({self.bands})")

    @property
    def rows(self) -> int:
        return self.num_perm // self.bands


@dataclass
class Sketches:
    """Sketches of n texts, as arrays."""

    exact: np.ndarray  # uint64 (n,)
    word_counts: np.ndarray  # int64 (n,)
    minhash: np.ndarray  # uint32 (n, num_perm)
    fingerprints: np.ndarray  # uint64, sorted unique per text, concatenated
    fingerprint_offsets: np.ndarray  # int64 (n + 1,)

    def __len__(self) -> int:
        return len(self.exact)

    def fingerprints_of(self, index: int) -> np.ndarray:
        return self.fingerprints[self.fingerprint_offsets[index] : self.fingerprint_offsets[index + 1]]

    @property
    def fingerprint_counts(self) -> np.ndarray:
        return np.diff(self.fingerprint_offsets)


def _sampled_fingerprints(hashes: np.ndarray, offsets: np.ndarray, rate: int) -> tuple[np.ndarray, np.ndarray]:
    kept = np.flatnonzero((hashes & np.uint64(rate - 1)) == 0)
    values = hashes[kept]
    docs = np.searchsorted(offsets.astype(np.int64), kept, side="right") - 1
    order = np.lexsort((values, docs))
    values, docs = values[order], docs[order]
    distinct = np.ones(len(values), dtype=bool)
    distinct[1:] = (values[1:] != values[:-1]) | (docs[1:] != docs[:-1])
    values, docs = values[distinct], docs[distinct]
    fingerprint_offsets = np.zeros(len(offsets), dtype=np.int64)
    np.cumsum(np.bincount(docs, minlength=len(offsets) - 1), out=fingerprint_offsets[1:])
    return values, fingerprint_offsets


def _sketch_chunk(texts: Sequence[str], settings: ReuseSettings) -> Sketches:
    batch = shingle_batch(texts, settings.shingle_words)
    digests = rensa.RMinHash.digest_matrix_from_flat_token_hashes(
        batch.hashes, batch.offsets, settings.num_perm, settings.seed
    )
    minhash = np.array(digests.to_rows(), dtype=np.uint32).reshape(len(texts), settings.num_perm)
    fingerprints, fingerprint_offsets = _sampled_fingerprints(batch.hashes, batch.offsets, settings.fingerprint_rate)
    return Sketches(batch.exact_hashes, batch.word_counts, minhash, fingerprints, fingerprint_offsets)


def _concatenate(parts: Sequence[Sketches], num_perm: int) -> Sketches:
    if not parts:
        empty = np.zeros(0, dtype=np.uint64)
        return Sketches(empty, np.zeros(0, np.int64), np.zeros((0, num_perm), np.uint32), empty, np.zeros(1, np.int64))
    offsets = [np.zeros(1, dtype=np.int64)]
    base = 0
    for part in parts:
        offsets.append(part.fingerprint_offsets[1:] + base)
        base += int(part.fingerprint_offsets[-1])
    return Sketches(
        exact=np.concatenate([part.exact for part in parts]),
        word_counts=np.concatenate([part.word_counts for part in parts]),
        minhash=np.concatenate([part.minhash for part in parts]),
        fingerprints=np.concatenate([part.fingerprints for part in parts]),
        fingerprint_offsets=np.concatenate(offsets),
    )


def sketch_texts(texts: Sequence[str], settings: ReuseSettings, workers: int = 1) -> Sketches:
    """Sketch texts in chunks; with ``workers`` > 1 the chunks are spread over threads."""
    chunks = [texts[start : start + CHUNK] for start in range(0, len(texts), CHUNK)]
    if workers > 1 and len(chunks) > 1:
        # Threads, not processes: numpy and rensa release the GIL for the heavy work, and threads
        # need no imports, no copies of the texts and no fork of a process running rensa's threads.
        with ThreadPoolExecutor(workers) as pool:
            parts = list(pool.map(_sketch_chunk, chunks, [settings] * len(chunks)))
    else:
        parts = [_sketch_chunk(chunk, settings) for chunk in chunks]
    return _concatenate(parts, settings.num_perm)


def sketch_to_bytes(sketches: Sketches, index: int, settings: ReuseSettings) -> bytes:
    """One text's sketch as bytes (header, signature, fingerprints) for a store to keep."""
    header = HEADER.pack(
        SIGNATURE_MAGIC,
        rensa.RMinHash.ALGORITHM_VERSION,
        settings.shingle_words,
        settings.num_perm,
        settings.seed,
        settings.fingerprint_rate,
        int(sketches.exact[index]),
        int(sketches.word_counts[index]),
    )
    return (
        header
        + sketches.minhash[index].astype("<u4").tobytes()
        + sketches.fingerprints_of(index).astype("<u8").tobytes()
    )


def sketch_from_bytes(data: bytes, settings: ReuseSettings) -> Sketches:
    """Read ``sketch_to_bytes`` output; raises ValueError if it was made with other parameters."""
    if len(data) < HEADER.size:
        raise ValueError("reuse signature is truncated")
    magic, version, words, perms, seed, rate, exact, word_count = HEADER.unpack_from(data)
    expected = (
        SIGNATURE_MAGIC,
        rensa.RMinHash.ALGORITHM_VERSION,
        settings.shingle_words,
        settings.num_perm,
        settings.seed,
        settings.fingerprint_rate,
    )
    if (magic, version, words, perms, seed, rate) != expected:
        raise ValueError("reuse signature was made with other parameters or another rensa version; recompute it")
    signature_end = HEADER.size + 4 * perms
    if len(data) < signature_end or (len(data) - signature_end) % 8:
        raise ValueError("reuse signature is truncated")
    fingerprints = np.frombuffer(data, dtype="<u8", offset=signature_end).astype(np.uint64)
    return Sketches(
        exact=np.array([exact], dtype=np.uint64),
        word_counts=np.array([word_count], dtype=np.int64),
        minhash=np.frombuffer(data, dtype="<u4", count=perms, offset=HEADER.size).astype(np.uint32)[None, :],
        fingerprints=fingerprints,
        fingerprint_offsets=np.array([0, len(fingerprints)], dtype=np.int64),
    )
