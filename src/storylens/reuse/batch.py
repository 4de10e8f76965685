"""Reuse over a whole corpus at once: sketches, candidates, alignment, groups."""

from __future__ import annotations

import os
from collections.abc import Sequence

from storylens.model import Article, ReuseGroup, ReusePair
from storylens.reuse.candidates import candidate_pairs
from storylens.reuse.pairs import candidate_of, precedence, verify
from storylens.reuse.provenance import build_groups
from storylens.reuse.sketch import ReuseSettings, sketch_texts

PARALLEL_FROM = 5000  # below this many articles a second thread does not pay for itself


def usable_articles(articles: Sequence[Article]) -> list[Article]:
    """Articles with status "ok", each id once (the first occurrence wins)."""
    seen: dict[str, Article] = {}
    for article in articles:
        if article.status == "ok" and article.id not in seen:
            seen[article.id] = article
    return list(seen.values())


def default_workers(count: int) -> int:
    return min(os.cpu_count() or 1, 4) if count >= PARALLEL_FROM else 1


def find_reuse(
    articles: Sequence[Article], settings: ReuseSettings | None = None, workers: int | None = None
) -> list[ReuseGroup]:
    """Reuse groups among the articles (status "ok" only), with aligned pairs and edits.

    Spans in pairs point into each article's ``body``; each pair's ``a`` is the side nearer the
    group's original. The result does not depend on the order of ``articles``.
    """
    settings = settings or ReuseSettings()
    usable = usable_articles(articles)
    sketches = sketch_texts([article.body for article in usable], settings, workers or default_workers(len(usable)))
    info = [candidate_of(article, int(words)) for article, words in zip(usable, sketches.word_counts, strict=True)]
    pairs: list[ReusePair] = []
    for first, second in candidate_pairs(sketches, settings).tolist():
        if precedence(info[second]) < precedence(info[first]):
            first, second = second, first
        exact = bool(sketches.exact[first] == sketches.exact[second])
        a, b = usable[first], usable[second]
        pair = verify(a.id, a.body, b.id, b.body, exact, settings)
        if pair is not None:
            pairs.append(pair)
    return build_groups({item.id: item for item in info}, pairs)
