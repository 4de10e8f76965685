"""The neutral multi-source summary on the seed folder: citations, neutral terms, length, order."""

from __future__ import annotations

import re

import pytest

from storylens.analysis.quotemarks import double_quoted
from storylens.compare import summarize
from storylens.compare.summary import neutral_wording
from storylens.model import Article, Origin, ReuseGroup

LOADED_DESIGNATIONS = re.compile(r"\b(terrorists?|regime forces|extremists)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def wire_group(seed_articles) -> list[ReuseGroup]:
    members = sorted(article.id for article in seed_articles if article.id[:3] in {"003", "004"})
    return [ReuseGroup("afp", members, members[0])]


def test_every_sentence_cites_its_sources_with_spans(seed_articles, wire_group) -> None:
    bodies = {article.id: article.body for article in seed_articles}
    summary = summarize(seed_articles, wire_group, n_sentences=6)
    assert len(summary) == 6
    for sentence in summary:
        assert sentence.citations
        for citation in sentence.citations:
            assert bodies[citation.article_id][citation.span.start : citation.span.end] == citation.text
        # the sentence is one of its cited statements, up to neutral-term replacements
        assert any(
            _words(sentence.text) <= _words(c.text) | {"rebels", "government", "forces"} for c in sentence.citations
        )


def test_wire_copies_of_one_statement_are_cited_together(seed_articles, wire_group) -> None:
    summary = summarize(seed_articles, wire_group, n_sentences=8)
    cited = [{c.article_id[:3] for c in sentence.citations} for sentence in summary]
    assert {"003", "004"} in cited


def test_a_wording_with_named_days_wins_over_yesterday_and_today(seed_articles, wire_group) -> None:
    """Seed 004 (PTI) says "Lavrov yesterday said ... today or tomorrow"; 003 (Arab News) names the days."""
    summary = summarize(seed_articles, wire_group, n_sentences=8)
    meeting = [s.text for s in summary if "experts were to meet in Switzerland" in s.text]
    assert meeting == [meeting[0]] and "on either Tuesday or Wednesday" in meeting[0]
    assert not re.search(r"\b(yesterday|today|tomorrow)\b", meeting[0])


def test_no_loaded_designation_outside_quotes(seed_articles, wire_group) -> None:
    for sentence in summarize(seed_articles, wire_group, n_sentences=10):
        quoted = double_quoted(sentence.text)
        for match in LOADED_DESIGNATIONS.finditer(sentence.text):
            assert any(region.start <= match.start() < region.end for region in quoted), sentence.text


def test_neutral_wording_replaces_loaded_terms_but_not_quotes() -> None:
    text = "Terrorists groups shelled the city, while regime forces advanced. “These terrorists must go,” he said."
    assert neutral_wording(text) == (
        "Rebels groups shelled the city, while government forces advanced. “These terrorists must go,” he said."
    )


def test_word_budget_and_determinism(seed_articles, wire_group) -> None:
    first = summarize(seed_articles, wire_group, max_words=60)
    words = sum(len(sentence.text.split()) for sentence in first)
    assert 60 <= words < 60 + 70  # stops at the first sentence that reaches the budget
    assert summarize(seed_articles, wire_group, max_words=60) == first


def test_timeline_order_follows_dates(seed_articles, wire_group) -> None:
    # 002 is dated Dec 3 and 004 Dec 6: statements only they report come in that order
    summary = summarize(seed_articles, wire_group, n_sentences=10)
    order = [min(c.article_id[:3] for c in sentence.citations) for sentence in summary]
    assert order.index("002") < order.index("003")


def test_yesterday_and_today_carry_the_day_they_meant(seed_articles) -> None:
    """Seed 004 (PTI, 6 December 2016) alone: its relative days are resolved in brackets, possessives kept."""
    pti = [article for article in seed_articles if article.id.startswith("004")]
    texts = [sentence.text for sentence in summarize(pti, n_sentences=10)]
    assert any(text.startswith("Lavrov yesterday [5 December 2016] said") for text in texts)
    assert any("in tomorrow’s [7 December 2016] talks" in text for text in texts)


def test_empty_input() -> None:
    empty = Article("empty", Origin("empty.txt"), "", body="")
    assert summarize([]) == [] and summarize([empty]) == []


def _words(text: str) -> set[str]:
    """Words of a text, without the bracketed days the summary inserts."""
    return set(re.findall(r"\w+", re.sub(r" \[\d+ \w+ \d{4}\]", "", text).lower()))
