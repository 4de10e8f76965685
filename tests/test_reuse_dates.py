"""Undated wire copies take the publication day of the dated copy they share the most text with."""

from __future__ import annotations

from pathlib import Path

from storylens.clean import clean
from storylens.ingest import read
from storylens.model import Article, Meta, Origin, ReuseGroup, ReusePair
from storylens.reuse import find_reuse
from storylens.reuse.dates import ESTIMATE_METHOD, date_undated_copies


def article(article_id: str, published: str | None) -> Article:
    return Article(id=article_id, origin=Origin(article_id), raw="", meta=Meta(published=published))


def pair(a: str, b: str, similarity: float) -> ReusePair:
    return ReusePair(a, b, "near", similarity, 0.9, 0.9)


def test_seed_arab_news_copy_takes_the_pti_day(seeds_dir: Path) -> None:
    articles = [a for a in clean(list(read([seeds_dir]))) if a.status == "ok"]
    by_prefix = {a.id[:3]: a for a in articles}
    assert by_prefix["003"].meta.published is None

    dated = date_undated_copies(articles, find_reuse(articles))

    assert [a.id[:3] for a in dated] == ["003"]
    assert by_prefix["003"].meta.published == "2016-12-06"
    assert by_prefix["003"].meta.sources["published"].method == f"{ESTIMATE_METHOD}:{by_prefix['004'].id}"
    assert by_prefix["000"].meta.published is None  # no copy, no estimate


def test_the_closest_dated_copy_wins_and_dated_articles_keep_their_date() -> None:
    articles = [article("x", None), article("near", "2020-03-02T10:00:00+00:00"), article("far", "2020-03-09")]
    groups = [ReuseGroup("g", ["x", "near", "far"], "near", [pair("x", "far", 0.7), pair("near", "x", 0.95)])]

    date_undated_copies(articles, groups)

    assert [a.meta.published for a in articles] == ["2020-03-02", "2020-03-02T10:00:00+00:00", "2020-03-09"]


def test_a_group_of_undated_copies_stays_undated() -> None:
    articles = [article("a", None), article("b", None)]
    assert date_undated_copies(articles, [ReuseGroup("g", ["a", "b"], "a", [pair("a", "b", 0.99)])]) == []
    assert articles[0].meta.published is None
