"""Candidate reuse pairs from sketches, vectorized over a whole corpus.

Three sources of candidates, each checked on the sketches before any text is aligned:
- exact: equal hashes of the normalized word sequence;
- near: MinHash LSH banding (``bands`` x ``rows``), kept when the signature estimate of Jaccard
  reaches ``min_jaccard``;
- partial: shared sampled fingerprints (at least ``min_shared_fingerprints``, and at least
  ``min_fingerprint_containment`` of the smaller text's fingerprints), which finds a short text
  inside a long one where Jaccard, and so LSH, cannot.
Pairs are ``(i, j)`` with ``i < j`` as an int64 array of shape (m, 2).
"""

from __future__ import annotations

import numpy as np

from storylens.reuse.shingles import SHINGLE_MULTIPLIERS, mix64
from storylens.reuse.sketch import ReuseSettings, Sketches

MAX_BUCKET_PAIRS_SPAN = 64  # within a larger bucket, each member is paired with the next 64 only


def band_keys(minhash: np.ndarray, settings: ReuseSettings) -> np.ndarray:
    """(n, bands) uint64 keys: a hash of each band's rows, salted with the band number."""
    rows = settings.rows
    values = minhash[:, : settings.bands * rows].astype(np.uint64).reshape(len(minhash), settings.bands, rows)
    keys = np.zeros((len(minhash), settings.bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for row in range(rows):
            keys = keys * SHINGLE_MULTIPLIERS[row % len(SHINGLE_MULTIPLIERS)] + values[:, :, row]
        keys += np.arange(settings.bands, dtype=np.uint64) * SHINGLE_MULTIPLIERS[-1]
    return mix64(keys)


def _pairs_in_buckets(keys: np.ndarray, members: np.ndarray) -> np.ndarray:
    """All pairs of members sharing a key (members of a bucket paired with up to 64 neighbours)."""
    order = np.argsort(keys, kind="stable")
    keys, members = keys[order], members[order]
    pairs = []
    for distance in range(1, MAX_BUCKET_PAIRS_SPAN + 1):
        same = np.flatnonzero(keys[distance:] == keys[:-distance]) if distance < len(keys) else []
        if len(same) == 0:
            break
        pairs.append(np.stack((members[same], members[same + distance]), axis=1))
    if not pairs:
        return np.zeros((0, 2), dtype=np.int64)
    found = np.concatenate(pairs)
    return np.sort(found, axis=1)


def _pair_codes(pairs: np.ndarray, count: int) -> np.ndarray:
    """One int64 per pair ``i * count + j``: sorting the codes sorts the pairs."""
    return pairs[:, 0].astype(np.int64) * count + pairs[:, 1]


def _code_pairs(codes: np.ndarray, count: int) -> np.ndarray:
    return np.stack((codes // count, codes % count), axis=1)


def _unique_pairs(pairs: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    codes, occurrences = np.unique(_pair_codes(pairs, count), return_counts=True)
    return _code_pairs(codes, count), occurrences


def _sorted_unique(codes: np.ndarray) -> np.ndarray:
    """``np.unique`` for int64 codes; sort + mask is ~10x faster with numpy 2.4 (hash-based unique)."""
    codes = np.sort(codes)
    return codes[np.concatenate(([True], codes[1:] != codes[:-1]))] if len(codes) else codes


def _merge_codes(seen: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """The union of two sorted arrays of unique codes, sorted."""
    if len(seen):
        position = np.minimum(np.searchsorted(seen, codes), len(seen) - 1)
        codes = codes[seen[position] != codes]
    # two sorted runs: the stable sort (timsort) merges them in linear time
    return np.sort(np.concatenate((seen, codes)), kind="stable")


def eligible(sketches: Sketches, settings: ReuseSettings) -> np.ndarray:
    return np.flatnonzero(sketches.word_counts >= settings.min_words)


def exact_pairs(sketches: Sketches) -> np.ndarray:
    members = np.flatnonzero(sketches.word_counts > 0)
    pairs = _pairs_in_buckets(sketches.exact[members], members)
    return _unique_pairs(pairs, len(sketches))[0] if len(pairs) else pairs


def estimated_jaccard(minhash: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    estimates = np.empty(len(pairs))
    for start in range(0, len(pairs), 65536):
        chunk = pairs[start : start + 65536]
        equal = minhash[chunk[:, 0]] == minhash[chunk[:, 1]]
        estimates[start : start + len(chunk)] = np.count_nonzero(equal, axis=1) / minhash.shape[1]
    return estimates


def lsh_pairs(sketches: Sketches, settings: ReuseSettings) -> np.ndarray:
    """LSH candidates whose signature estimate of Jaccard reaches ``min_jaccard``."""
    members = eligible(sketches, settings)
    keys = band_keys(sketches.minhash[members], settings)
    count = max(len(sketches), 1)
    # deduplicated band by band: a pair colliding in many bands is held once, so memory follows the
    # number of distinct candidates rather than bands x candidates
    seen = np.zeros(0, dtype=np.int64)
    for band in range(settings.bands):
        codes = _pair_codes(_pairs_in_buckets(keys[:, band], members), count)
        seen = _merge_codes(seen, _sorted_unique(codes))
    pairs = _code_pairs(seen, count)
    return pairs[estimated_jaccard(sketches.minhash, pairs) >= settings.min_jaccard]


def fingerprint_pairs(sketches: Sketches, settings: ReuseSettings) -> np.ndarray:
    """Pairs sharing enough sampled fingerprints to suggest that one contains the other."""
    counts = sketches.fingerprint_counts
    docs = np.repeat(np.arange(len(sketches)), counts)
    values = sketches.fingerprints
    keep = sketches.word_counts[docs] >= settings.min_words
    values, docs = values[keep], docs[keep]
    _, inverse, frequency = np.unique(values, return_inverse=True, return_counts=True)
    common = (frequency >= 2) & (frequency <= settings.max_posting)
    keep = common[inverse]
    pairs = _pairs_in_buckets(values[keep], docs[keep])
    if not len(pairs):
        return pairs
    pairs, shared = _unique_pairs(pairs, len(sketches))
    smaller = np.minimum(counts[pairs[:, 0]], counts[pairs[:, 1]])
    good = (shared >= settings.min_shared_fingerprints) & (shared >= settings.min_fingerprint_containment * smaller)
    return pairs[good]


def candidate_pairs(sketches: Sketches, settings: ReuseSettings, containment: bool = True) -> np.ndarray:
    """Exact, near and (unless ``containment`` is False) partial candidates, unique and sorted."""
    parts = [exact_pairs(sketches), lsh_pairs(sketches, settings)]
    if containment:
        parts.append(fingerprint_pairs(sketches, settings))
    pairs = np.concatenate(parts)
    return _unique_pairs(pairs, max(len(sketches), 1))[0] if len(pairs) else pairs.astype(np.int64)
