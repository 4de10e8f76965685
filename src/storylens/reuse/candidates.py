"""Candidate reuse pairs from sketches, vectorized over a whole corpus.

Three sources of candidates, each checked on the sketches before any text is aligned:
- exact: equal hashes of the normalized word sequence;
- near: MinHash LSH banding (``bands`` x ``rows``), kept when the signature estimate of Jaccard
  reaches ``min_jaccard``; texts joined by similar bucket neighbours form pieces whose pairs are
  all compared (see ``lsh_pairs``);
- partial: shared sampled fingerprints (at least ``min_shared_fingerprints``, and at least
  ``min_fingerprint_containment`` of the smaller text's fingerprints), which finds a short text
  inside a long one where Jaccard, and so LSH, cannot.
Pairs are ``(i, j)`` with ``i < j`` as an int64 array of shape (m, 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from storylens.reuse.shingles import SHINGLE_MULTIPLIERS, mix64
from storylens.reuse.sketch import ReuseSettings, Sketches

MAX_BUCKET_PAIRS_SPAN = 64  # within a larger bucket, each member is paired with the next 64 only
MAX_DENSE_PIECE = 5000  # LSH pieces up to this size are compared all pairs at once
PIECE_JACCARD = 0.5  # bucket neighbours this similar are joined into one piece
DENSE_BLOCK_ELEMENTS = 1 << 22  # signature values compared per block (a few MB of temporaries)
FINGERPRINT_BLOCK_ENTRIES = 1 << 22  # shared-fingerprint counts held per block of texts


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


def _pairs_in_buckets(keys: np.ndarray, members: np.ndarray, span: int | None = MAX_BUCKET_PAIRS_SPAN) -> np.ndarray:
    """Pairs of members sharing a key: each member with its next ``span`` in the bucket (None: all)."""
    order = np.argsort(keys, kind="stable")
    keys, members = keys[order], members[order]
    pairs = []
    for distance in range(1, (span or len(keys)) + 1):
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


def _posting_matrix(sketches: Sketches, settings: ReuseSettings) -> csr_matrix:
    """Texts x fingerprints (0/1), only fingerprints held by 2 to ``max_posting`` eligible texts."""
    docs = np.repeat(np.arange(len(sketches)), sketches.fingerprint_counts)
    keep = sketches.word_counts[docs] >= settings.min_words
    values, docs = sketches.fingerprints[keep], docs[keep]
    _, columns, frequency = np.unique(values, return_inverse=True, return_counts=True)
    common = ((frequency >= 2) & (frequency <= settings.max_posting))[columns]
    shape = (len(sketches), len(frequency))
    return csr_matrix((np.ones(int(common.sum()), dtype=np.int32), (docs[common], columns[common])), shape=shape)


def _row_blocks(work: np.ndarray, budget: int) -> list[tuple[int, int]]:
    """Consecutive row ranges whose summed ``work`` stays near ``budget`` (a heavier row goes alone)."""
    cumulative = np.cumsum(work)
    total = int(cumulative[-1]) if len(work) else 0
    cuts = np.searchsorted(cumulative, np.arange(budget, total, budget), side="right").tolist()
    edges = sorted({0, *cuts, len(work)})
    return list(pairwise(edges))


def fingerprint_pairs(sketches: Sketches, settings: ReuseSettings) -> np.ndarray:
    """Pairs sharing enough sampled fingerprints to suggest that one contains the other.

    Shared fingerprints are counted as a sparse product (texts x fingerprints times its
    transpose), a block of texts at a time: a block's product holds at most the summed posting
    sizes of its texts, so memory stays bounded whatever the number of texts.
    """
    postings = _posting_matrix(sketches, settings)
    by_fingerprint = postings.T.tocsr()
    work = postings @ np.asarray(by_fingerprint.sum(axis=1)).ravel()  # entries of each row's product
    counts = sketches.fingerprint_counts
    found = [np.zeros((0, 2), dtype=np.int64)]
    for start, stop in _row_blocks(work, FINGERPRINT_BLOCK_ENTRIES):
        shared = (postings[start:stop] @ by_fingerprint).tocoo()
        first, second = shared.row.astype(np.int64) + start, shared.col.astype(np.int64)
        smaller = np.minimum(counts[first], counts[second])
        good = (
            (second > first)
            & (shared.data >= settings.min_shared_fingerprints)
            & (shared.data >= settings.min_fingerprint_containment * smaller)
        )
        found.append(np.stack((first[good], second[good]), axis=1))
    return np.concatenate(found)


@dataclass
class _SortedBands:
    """Each band's rows sorted by key: ``order[:, band]`` and whether neighbours share the key."""

    order: np.ndarray  # (n, bands) row indices
    same: np.ndarray  # (n - 1, bands) bool: order[k] and order[k + 1] share the band key

    @classmethod
    def of(cls, keys: np.ndarray) -> _SortedBands:
        order = np.argsort(keys, axis=0, kind="stable")
        ordered = np.take_along_axis(keys, order, axis=0)
        return cls(order, ordered[1:] == ordered[:-1])

    def neighbours(self) -> np.ndarray:
        """Unique (row, row) pairs, smaller first, that are neighbours in some band's bucket."""
        first, second = self.order[:-1][self.same], self.order[1:][self.same]
        count = len(self.order)
        codes = np.minimum(first, second).astype(np.int64) * count + np.maximum(first, second)
        return _code_pairs(_sorted_unique(codes), count)

    def mixed_rows(self, pieces: np.ndarray) -> np.ndarray:
        """Rows sharing some band key with a row of another piece."""
        ordered_pieces = pieces[self.order]
        mixed_edges = self.same & (ordered_pieces[1:] != ordered_pieces[:-1])
        bucket_ids = np.cumsum(np.vstack((np.ones((1, self.same.shape[1]), bool), ~self.same)), axis=0)
        mixed = np.zeros(len(self.order), dtype=bool)
        for band in np.flatnonzero(mixed_edges.any(axis=0)).tolist():
            buckets = bucket_ids[1:, band][mixed_edges[:, band]]
            mixed[self.order[np.isin(bucket_ids[:, band], buckets), band]] = True
        return np.flatnonzero(mixed)


def _pieces(links: np.ndarray, count: int) -> np.ndarray:
    """Connected component label per row."""
    graph = coo_matrix((np.ones(len(links), dtype=np.int8), (links[:, 0], links[:, 1])), shape=(count, count))
    return connected_components(graph, directed=False)[1]


def _equal_counts(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """How many signature values are equal, for every (row of first, row of second)."""
    equal = first[:, None, :] == second[None, :, :]
    perms = equal.shape[2]
    if perms % 8 or perms >= 256:
        return equal.sum(axis=2, dtype=np.int64)
    # each uint64 holds 8 equality bytes: summing them lane by lane, then folding the 8 byte lanes
    # into the top byte, takes 8x fewer additions than summing the bytes
    lanes = equal.view(np.uint64).sum(axis=2, dtype=np.uint64)
    return (lanes * np.uint64(0x0101010101010101)) >> np.uint64(56)


def _dense_pairs(rows: np.ndarray, signatures: np.ndarray, min_jaccard: float) -> np.ndarray:
    """(row, row) pairs among ``rows`` whose Jaccard estimate reaches ``min_jaccard``.

    All pairs are compared at once (broadcast), a block of rows at a time: a family of c copies
    costs c^2/2 comparisons of signatures held in cache, not one gather per pair and a sort of
    every band's pairs. Since every pair of the piece is compared, a pair that passes is kept
    even when it shares no band key (banding only decides which texts are compared).
    """
    part = signatures[rows]
    size, perms = part.shape
    found = []
    step = max(1, DENSE_BLOCK_ELEMENTS // (size * perms))
    for start in range(0, size - 1, step):
        counts = _equal_counts(part[start : min(start + step, size - 1)], part[start:])
        first, second = np.nonzero(counts / perms >= min_jaccard)
        later = second > first
        found.append(np.stack((rows[first[later] + start], rows[second[later] + start]), axis=1))
    return np.concatenate(found)


def _band_pairs(rows: np.ndarray, keys: np.ndarray, span: int | None, pieces: np.ndarray | None = None) -> np.ndarray:
    """Unique pairs of ``rows`` sharing a band key, listed bucket by bucket and merged band by band
    (a pair colliding in many bands is held once); with ``pieces``, only pairs across two pieces."""
    count = len(keys)
    seen = np.zeros(0, dtype=np.int64)
    for band in range(keys.shape[1]):
        pairs = _pairs_in_buckets(keys[rows, band], rows, span)
        if pieces is not None:
            pairs = pairs[pieces[pairs[:, 0]] != pieces[pairs[:, 1]]]
        seen = _merge_codes(seen, _sorted_unique(_pair_codes(pairs, count)))
    return _code_pairs(seen, count)


def _passing(pairs: np.ndarray, signatures: np.ndarray, min_jaccard: float) -> np.ndarray:
    return pairs[estimated_jaccard(signatures, pairs) >= min_jaccard]


def lsh_pairs(sketches: Sketches, settings: ReuseSettings) -> np.ndarray:
    """Pairs (i < j, unique, in no particular order) whose signature estimate of Jaccard reaches
    ``min_jaccard``: every such pair sharing a band key, and those inside one piece.

    Texts are first joined into pieces: chains of bucket neighbours with an estimate of at least
    ``PIECE_JACCARD`` (in practice a wire text and its copies). All pairs inside a piece are
    compared at once; pairs across pieces are listed from the few buckets that hold several
    pieces. A piece larger than ``MAX_DENSE_PIECE`` is listed bucket by bucket (up to
    ``MAX_BUCKET_PAIRS_SPAN`` neighbours in a bucket) instead.
    """
    members = eligible(sketches, settings)
    if len(members) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    signatures = sketches.minhash[members]
    keys = band_keys(signatures, settings)
    bands = _SortedBands.of(keys)
    links = bands.neighbours()
    pieces = _pieces(_passing(links, signatures, max(settings.min_jaccard, PIECE_JACCARD)), len(members))
    cross = _band_pairs(bands.mixed_rows(pieces), keys, None, pieces)
    found = [_passing(cross, signatures, settings.min_jaccard)]
    order = np.argsort(pieces, kind="stable")  # rows of a piece together, in ascending order
    starts = np.concatenate(([0], np.cumsum(np.bincount(pieces))))
    for piece in np.flatnonzero(np.diff(starts) > 1).tolist():
        rows = order[starts[piece] : starts[piece + 1]]
        if len(rows) > MAX_DENSE_PIECE:
            found.append(_passing(_band_pairs(rows, keys, MAX_BUCKET_PAIRS_SPAN), signatures, settings.min_jaccard))
        else:
            found.append(_dense_pairs(rows, signatures, settings.min_jaccard))
    return members[np.concatenate(found)]


def candidate_pairs(sketches: Sketches, settings: ReuseSettings, containment: bool = True) -> np.ndarray:
    """Exact, near and (unless ``containment`` is False) partial candidates, unique and sorted."""
    parts = [exact_pairs(sketches), lsh_pairs(sketches, settings)]
    if containment:
        parts.append(fingerprint_pairs(sketches, settings))
    count = max(len(sketches), 1)
    return _code_pairs(_sorted_unique(_pair_codes(np.concatenate(parts).astype(np.int64), count)), count)
