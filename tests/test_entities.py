"""Entities with aliases merged, roles, metonymy and place names, on the seed story and small texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from storylens.analysis import analyze
from storylens.analysis.entities import summarize_entities
from storylens.model import Article, Document, EntitySummary, Meta, Origin


def _article(body: str, article_id: str = "t") -> Article:
    return Article(id=article_id, origin=Origin(article_id), raw=body, body=body, meta=Meta())


@pytest.fixture(scope="module")
def seed_articles(seeds_dir: Path) -> list[Article]:
    from storylens.clean import clean
    from storylens.ingest import read

    documents = [item for item in read([seeds_dir]) if isinstance(item, Document)]
    articles = clean(documents)
    for article in articles:
        article.analysis = analyze(article)
    return articles


@pytest.fixture(scope="module")
def seed_entities(seed_articles: list[Article]) -> dict[str, EntitySummary]:
    return {entity.id: entity for entity in summarize_entities(seed_articles)}


def test_lavrov_spellings_merge_across_the_story(seed_entities: dict[str, EntitySummary]) -> None:
    lavrov = [entity for entity in seed_entities.values() if "Lavrov" in entity.id]
    assert len(lavrov) == 1
    assert lavrov[0].label == "PERSON"
    assert {"Sergey Lavrov", "Sergei Lavrov", "Lavrov"} <= {lavrov[0].id, *lavrov[0].aliases}
    assert lavrov[0].articles == 5


def test_kerry_aliases_include_his_role(seed_entities: dict[str, EntitySummary]) -> None:
    kerry = seed_entities["John Kerry"]
    assert {"Kerry", "US Secretary of State"} <= set(kerry.aliases)


def test_united_states_aliases_merge(seed_entities: dict[str, EntitySummary]) -> None:
    united_states = seed_entities["United States"]
    assert {"US", "U.S."} <= set(united_states.aliases)
    assert "U.S." not in seed_entities
    assert "US" not in seed_entities


def test_a_surname_with_and_without_al_is_one_person(seed_entities: dict[str, EntitySummary]) -> None:
    """Arab News writes "Bashar Assad", Press Trust of India "Bashar al-Assad"."""
    assert "Bashar al-Assad" in seed_entities["Bashar Assad"].aliases
    assert "Bashar al-Assad" not in seed_entities


def test_capitals_stand_for_their_governments(seed_entities: dict[str, EntitySummary]) -> None:
    assert seed_entities["Washington"].stands_for == "government of the United States"
    assert seed_entities["Moscow"].stands_for == "government of Russia"
    assert seed_entities["Aleppo"].stands_for is None


def test_aleppo_is_a_place(seed_articles: list[Article]) -> None:
    labels = {
        mention.label
        for article in seed_articles
        for mention in (article.analysis.entities if article.analysis else [])
        if mention.text == "Aleppo"
    }
    assert labels == {"GPE"}


def test_mentions_point_into_the_body(seed_articles: list[Article]) -> None:
    for article in seed_articles:
        assert article.analysis is not None
        for mention in article.analysis.entities:
            assert mention.span.text(article.body) == mention.text


def test_capital_as_location_is_not_metonymy() -> None:
    body = "Washington accused Moscow of stalling. The talks were held in Geneva and in Moscow."
    mentions = analyze(_article(body)).entities
    by_place = {(m.text, m.span.start): m.stands_for for m in mentions if m.label == "GPE"}
    assert by_place[("Washington", 0)] == "government of the United States"
    assert by_place[("Moscow", body.index("Moscow"))] == "government of Russia"
    assert by_place[("Moscow", body.rindex("Moscow"))] is None


def test_surname_and_acronym_join_the_full_name() -> None:
    body = (
        "The United Nations said on Monday that Foreign Minister Sergey Lavrov would attend. "
        "Lavrov told the UN that he was ready."
    )
    ids = {mention.text: mention.entity_id for mention in analyze(_article(body)).entities}
    assert ids["Lavrov"] == "Sergey Lavrov"
    assert ids["UN"] == "United Nations"
