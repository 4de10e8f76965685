"""Incremental reuse detection: add articles one at a time against what is already indexed.

Persistence: ``signature(article)`` gives the bytes a store keeps per article (exact hash, MinHash
signature, sampled fingerprints, word count; see ``sketch_to_bytes``); a new process rebuilds the
index with ``add_signature(article_id, signature, published)`` for each stored article and
``restore_pairs(pairs)`` with the stored pairs, without touching any text. Bodies are needed only
to align a new article with a candidate: articles given to ``add`` are kept in memory, restored
ones are fetched through ``body_lookup``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

import numpy as np

from storylens.model import Article, ReuseGroup, ReusePair
from storylens.reuse.candidates import band_keys
from storylens.reuse.pairs import candidate_of, precedence, verify
from storylens.reuse.provenance import Candidate, build_groups
from storylens.reuse.sketch import ReuseSettings, Sketches, sketch_from_bytes, sketch_texts, sketch_to_bytes


class ReuseIndex:
    def __init__(
        self, settings: ReuseSettings | None = None, body_lookup: Callable[[str], str | None] | None = None
    ) -> None:
        self.settings = settings or ReuseSettings()
        self._body_lookup = body_lookup
        self._info: dict[str, Candidate] = {}
        self._bodies: dict[str, str] = {}
        self._signatures: dict[str, np.ndarray] = {}
        self._fingerprint_counts: dict[str, int] = {}
        self._exact: dict[int, list[str]] = {}
        self._bands: list[dict[int, list[str]]] = [{} for _ in range(self.settings.bands)]
        self._postings: dict[int, list[str]] = {}
        self._pairs: list[ReusePair] = []

    def __len__(self) -> int:
        return len(self._info)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._info

    def signature(self, article: Article) -> bytes:
        """The bytes to store for this article so that ``add_signature`` can restore it later."""
        return sketch_to_bytes(sketch_texts([article.body], self.settings), 0, self.settings)

    def add(self, article: Article) -> list[ReusePair]:
        """Index the article and return its reuse pairs with already-indexed articles.

        Articles whose status is not "ok", or whose id is already indexed, are ignored (no pairs).
        """
        if article.status != "ok" or article.id in self._info:
            return []
        sketches = sketch_texts([article.body], self.settings)
        candidate = candidate_of(article, int(sketches.word_counts[0]))
        pairs = self._pairs_with_indexed(candidate, article.body, sketches)
        self._bodies[article.id] = article.body
        self._insert(candidate, sketches)
        self._pairs.extend(pairs)
        return pairs

    def add_signature(self, article_id: str, signature: bytes, published: str | None = None) -> None:
        """Restore a stored article without its text (raises ValueError for foreign signatures)."""
        if article_id in self._info:
            return
        sketches = sketch_from_bytes(signature, self.settings)
        self._insert(Candidate(article_id, published, int(sketches.word_counts[0])), sketches)

    def restore_pairs(self, pairs: Iterable[ReusePair]) -> None:
        """Give back the pairs found before (as stored), so that ``groups`` covers them."""
        self._pairs.extend(pair for pair in pairs if pair.a in self._info and pair.b in self._info)

    def groups(self) -> list[ReuseGroup]:
        return build_groups(self._info, self._pairs)

    def _insert(self, candidate: Candidate, sketches: Sketches) -> None:
        article_id = candidate.id
        self._info[article_id] = candidate
        if candidate.words > 0:
            self._exact.setdefault(int(sketches.exact[0]), []).append(article_id)
        if candidate.words < self.settings.min_words:
            return
        self._signatures[article_id] = sketches.minhash[0]
        for band, key in enumerate(band_keys(sketches.minhash, self.settings)[0].tolist()):
            self._bands[band].setdefault(key, []).append(article_id)
        fingerprints = sketches.fingerprints_of(0).tolist()
        self._fingerprint_counts[article_id] = len(fingerprints)
        for fingerprint in fingerprints:
            self._postings.setdefault(fingerprint, []).append(article_id)

    def _candidates(self, candidate: Candidate, sketches: Sketches) -> tuple[set[str], set[str]]:
        """(exact matches, other candidates that pass the sketch checks)."""
        settings = self.settings
        exact = set(self._exact.get(int(sketches.exact[0]), [])) if candidate.words > 0 else set()
        if candidate.words < settings.min_words:
            return exact, set()
        near = {
            other
            for band, key in enumerate(band_keys(sketches.minhash, settings)[0].tolist())
            for other in self._bands[band].get(key, [])
        }
        signature = sketches.minhash[0]
        near = {other for other in near if np.mean(self._signatures[other] == signature) >= settings.min_jaccard}
        shared: Counter[str] = Counter()
        for fingerprint in sketches.fingerprints_of(0).tolist():
            posting = self._postings.get(fingerprint, [])
            if len(posting) < settings.max_posting:
                shared.update(posting)
        own = len(sketches.fingerprints_of(0))
        partial = {
            other
            for other, count in shared.items()
            if count >= settings.min_shared_fingerprints
            and count >= settings.min_fingerprint_containment * min(own, self._fingerprint_counts[other])
        }
        return exact, near | partial

    def _body(self, article_id: str) -> str | None:
        if article_id in self._bodies:
            return self._bodies[article_id]
        return self._body_lookup(article_id) if self._body_lookup else None

    def _pairs_with_indexed(self, candidate: Candidate, body: str, sketches: Sketches) -> list[ReusePair]:
        exact, others = self._candidates(candidate, sketches)
        pairs = []
        for other_id in sorted(exact | others):
            other_body = self._body(other_id)
            if other_body is None:
                continue
            first, second = (candidate, body), (self._info[other_id], other_body)
            if precedence(second[0]) < precedence(first[0]):
                first, second = second, first
            pair = verify(first[0].id, first[1], second[0].id, second[1], other_id in exact, self.settings)
            if pair is not None:
                pairs.append(pair)
        return pairs
