"""Publication days for undated wire copies, taken from the dated copy they share the most text with.

A scraped copy often loses its date line while another outlet's copy of the same agency text keeps it.
Copies of one wire story run within a day or so of each other, so the dated copy's day is a sound estimate
(weekday names like "on Tuesday" then resolve to the same day from either date). The field's source says
it was estimated and from which article, so a reader can always tell it from a printed date.
"""

from __future__ import annotations

from collections.abc import Sequence

from storylens.model import Article, FieldSource, ReuseGroup, ReusePair

ESTIMATE_METHOD = "reuse:wire-copy"


def date_undated_copies(articles: Sequence[Article], groups: Sequence[ReuseGroup]) -> list[Article]:
    """Set ``meta.published`` (day only) on undated articles that have a dated copy; return those articles."""
    by_id = {article.id: article for article in articles}
    best_pair: dict[str, tuple[tuple[float, float, str], str]] = {}  # undated id -> (rank, dated id)
    for pair in (pair for group in groups for pair in group.pairs):
        for undated_id, dated_id in ((pair.a, pair.b), (pair.b, pair.a)):
            undated, dated = by_id.get(undated_id), by_id.get(dated_id)
            if undated is None or dated is None or undated.meta.published or not dated.meta.published:
                continue
            rank = (pair.similarity, _shared_share(pair, undated_id), dated_id)
            if undated_id not in best_pair or rank > best_pair[undated_id][0]:
                best_pair[undated_id] = (rank, dated_id)
    dated_now = []
    for undated_id, (_, dated_id) in sorted(best_pair.items()):
        article = by_id[undated_id]
        article.meta.published = (by_id[dated_id].meta.published or "")[:10]
        article.meta.sources["published"] = FieldSource(f"{ESTIMATE_METHOD}:{dated_id}")
        dated_now.append(article)
    return dated_now


def _shared_share(pair: ReusePair, article_id: str) -> float:
    """How much of this article's text the pair's other article holds."""
    return pair.containment_a_in_b if article_id == pair.a else pair.containment_b_in_a
