"""Stories: the five seed articles form one story; unrelated news, wire copies, undated articles, stable ids,
two events of one kind (two title defences by the same boxer) told apart by their own names."""

from __future__ import annotations

import dataclasses
import json
import zlib
from pathlib import Path

import numpy as np
import pytest

from storylens.clean import clean
from storylens.ingest import read
from storylens.model import Article, Document, Meta, Origin, ReuseGroup, Story, to_dict
from storylens.stories import StoryStream, group_stories, story_id_for
from storylens.stories.embed import LEAD_WORDS, lead, load_encoder
from storylens.stories.features import TermWeights, extract
from storylens.stories.split import split_events

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "stories"


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> list[Article]:
    documents = [item for item in read([seeds_dir]) if isinstance(item, Document)]
    return clean(documents)


@pytest.fixture(scope="module")
def earthquake() -> Article:
    text = (FIXTURES / "earthquake.txt").read_text(encoding="utf-8")
    title, _, body = text.partition("\n\n")
    return Article("quake", Origin("earthquake.txt"), text, body=body, meta=Meta(title=title, published="2016-08-24"))


@pytest.fixture(scope="module")
def title_defences() -> list[Article]:
    """Twelve reports on two Klitschko title defences: Rahman in Mannheim (2008), Thompson in Bern (2012)."""
    rows = [json.loads(line) for line in (FIXTURES / "title_defences.jsonl").read_text(encoding="utf-8").splitlines()]
    return [
        Article(row["id"], Origin(row["id"]), row["body"], body=row["body"], meta=Meta(title=row["title"]))
        for row in rows
    ]


def story_of(stories: list[Story], article_id: str) -> Story:
    return next(story for story in stories if article_id in story.article_ids)


def test_the_five_seeds_form_one_story(seeds: list[Article]) -> None:
    stories = group_stories(seeds)
    assert len(seeds) == 5
    assert len(stories) == 1
    story = stories[0]
    assert sorted(story.article_ids) == sorted(article.id for article in seeds)
    assert "Aleppo" in story.entities
    assert "Aleppo" in story.label
    assert all(0.5 < member.score <= 1.0 for member in story.members)


def test_story_carries_its_time_span(seeds: list[Article]) -> None:
    story = group_stories(seeds)[0]
    dated = sorted(article.meta.published[:10] for article in seeds if article.meta.published)
    assert (story.start, story.end) == (dated[0], dated[-1])


def test_an_unrelated_article_makes_a_second_story(seeds: list[Article], earthquake: Article) -> None:
    stories = group_stories([*seeds, earthquake])
    assert len(stories) == 2
    quake_story = story_of(stories, "quake")
    assert quake_story.article_ids == ["quake"]
    assert quake_story.id == story_id_for("quake")
    assert "Italy" in quake_story.label


def test_wire_copies_always_land_in_the_same_story(seeds: list[Article], earthquake: Article) -> None:
    wire = ReuseGroup("r-1", members=[seeds[0].id, "quake"], original=seeds[0].id)
    stories = group_stories([*seeds, earthquake], reuse=[wire])
    assert story_of(stories, "quake") is story_of(stories, seeds[0].id)
    stream = StoryStream(reuse=[wire])
    first, _ = stream.add(seeds[0])
    assert stream.add(earthquake) == (first, 1.0)


def test_undated_articles_cluster_by_content_and_are_marked(seeds: list[Article]) -> None:
    undated_ids = {article.id for article in seeds if not article.meta.published}
    assert undated_ids, "the seed folder has undated articles"
    story = group_stories(seeds)[0]
    assert {member.article_id for member in story.members if member.undated} == undated_ids


def test_an_unreadable_date_counts_as_undated(seeds: list[Article]) -> None:
    garbled = dataclasses.replace(seeds[4], id="garbled", meta=Meta(published="sometime last week"))
    story = story_of(group_stories([*seeds, garbled]), "garbled")
    assert len(story.members) == 6
    assert next(member for member in story.members if member.article_id == "garbled").undated


def test_the_same_text_months_later_is_a_new_story(earthquake: Article) -> None:
    later = dataclasses.replace(earthquake, id="quake-later", meta=Meta(published="2017-03-01"))
    undated = dataclasses.replace(earthquake, id="quake-undated", meta=Meta())
    stories = group_stories([earthquake, later, undated])
    assert story_of(stories, "quake") is not story_of(stories, "quake-later")
    assert story_of(stories, "quake-undated").members[-1].undated


def test_same_input_gives_the_same_stories(seeds: list[Article], earthquake: Article) -> None:
    first = to_dict(group_stories([*seeds, earthquake]))
    second = to_dict(group_stories([earthquake, *reversed(seeds)]))
    assert first == to_dict(group_stories([*seeds, earthquake]))
    assert {s["id"] for s in first} == {s["id"] for s in second}


def test_adding_articles_keeps_previous_story_ids(seeds: list[Article], earthquake: Article) -> None:
    earlier = group_stories([earthquake, *seeds[:2]])
    renamed = [dataclasses.replace(story, id=f"kept-{n}") for n, story in enumerate(earlier)]
    later = group_stories([*seeds, earthquake], previous=renamed)
    assert {story.id for story in later} == {"kept-0", "kept-1"}
    assert story_of(later, seeds[4].id).id == story_of(renamed, seeds[0].id).id
    without_quake = group_stories(seeds, previous=renamed)
    assert [story.id for story in without_quake] == [story_of(renamed, seeds[0].id).id]


def test_stream_restores_from_previous_stories(seeds: list[Article], earthquake: Article) -> None:
    stream = StoryStream()
    for article in seeds[:3]:
        stream.add(article)
    restored = StoryStream(previous=stream.stories(), articles=seeds[:3])
    story_id, score = restored.add(seeds[3])
    assert story_id == stream.story_of[seeds[0].id]
    assert score > 0.5
    assert restored.add(earthquake)[0] == story_id_for("quake")
    assert [story.id for story in restored.stories()] == [story_id, story_id_for("quake")]


def test_articles_without_usable_content_are_left_out(seeds: list[Article]) -> None:
    empty = Article("empty", Origin("empty.txt"), "", body="", status="no_body")
    blank = Article("blank", Origin("blank.txt"), "   ", body="   ")
    stories = group_stories([empty, blank, *seeds])
    assert all("empty" not in story.article_ids for story in stories)
    assert story_of(stories, "blank").article_ids == ["blank"]
    assert group_stories([]) == []


TWEET_NOTICE = (
    "Tweet with a location\n\nYou can add location information to your Tweets, such as your city or precise "
    "location, from the web and via third-party applications. You always have the option to delete your Tweet "
    "location history. Learn more"
)


def test_page_furniture_scraped_in_place_of_articles_stays_alone(seeds: list[Article], earthquake: Article) -> None:
    notices = [Article(f"notice-{n}", Origin(f"page-{n}.html"), TWEET_NOTICE, body=TWEET_NOTICE) for n in range(3)]
    stories = group_stories([*seeds, notices[0], earthquake, *notices[1:]])
    assert [story_of(stories, notice.id).article_ids for notice in notices] == [[n.id] for n in notices]
    assert len(story_of(stories, seeds[0].id).members) == 5
    tied = ReuseGroup("r-notice", members=[n.id for n in notices], original=notices[0].id)
    assert len(story_of(group_stories(notices, reuse=[tied]), "notice-0").members) == 3


class HashingEncoder:
    """A stand-in for the sentence encoder: hashed bag of lowercased words, unit length."""

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                vectors[row, zlib.crc32(word.encode()) % 64] += 1.0
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def test_an_encoder_adds_embedding_evidence(seeds: list[Article], earthquake: Article) -> None:
    stories = group_stories([*seeds, earthquake], encoder=HashingEncoder())
    assert sorted(len(story.members) for story in stories) == [1, 5]
    stream = StoryStream(encoder=HashingEncoder())
    stream.add(seeds[0])
    features = stream.featurize(seeds[1])
    evidence = stream.clusters[stream.story_of[seeds[0].id]].evidence(features)
    assert evidence.embedding_cosine is not None and 0.0 < evidence.embedding_cosine <= 1.0


def test_lead_is_the_title_and_the_start_of_the_body() -> None:
    body = " ".join(f"w{n}" for n in range(500))
    text = lead("Quake hits Italy", body)
    assert text.startswith("Quake hits Italy. w0 w1")
    assert len(text.split()) == 3 + LEAD_WORDS


@pytest.mark.slow
def test_packaged_minilm_encoder_groups_the_seeds(seeds: list[Article], earthquake: Article) -> None:
    encoder = load_encoder()
    if encoder is None:
        pytest.skip("the embed extra is not installed")
    stories = group_stories([*seeds, earthquake], encoder=encoder)
    assert sorted(len(story.members) for story in stories) == [1, 5]


def weighed(articles: list[Article]) -> list:
    weights = TermWeights()
    features = [extract(a.id, a.meta.title, a.body, a.meta.published) for a in articles]
    for item in features:
        weights.observe(item)
    for item in features:
        weights.weigh(item)
    return features


def test_two_events_of_one_kind_become_two_stories(title_defences: list[Article]) -> None:
    stories = group_stories(title_defences)
    assert sorted(sorted(story.article_ids) for story in stories) == [
        [f"rahman-{n}" for n in range(1, 7)],
        [f"thompson-{n}" for n in range(1, 7)],
    ]
    first = story_of(stories, "rahman-1")
    assert first.id == story_id_for("rahman-1")
    assert story_of(stories, "thompson-1").id == story_id_for("thompson-1")
    assert "Hasim Rahman" in first.entities


def test_split_needs_names_of_its_own_on_each_side(seeds: list[Article], title_defences: list[Article]) -> None:
    parts = split_events(weighed(title_defences))
    assert parts is not None
    assert sorted(map(sorted, parts)) == [[f"rahman-{n}" for n in range(1, 7)], [f"thompson-{n}" for n in range(1, 7)]]
    assert split_events(weighed(title_defences[:6])) is None
    assert split_events(weighed(seeds)) is None
    assert split_events(weighed(title_defences[:2] + title_defences[6:8])) is None  # too few to tell


def test_a_split_keeps_wire_copies_and_previous_ids(title_defences: list[Article]) -> None:
    wire = ReuseGroup("r-1", members=["rahman-1", "thompson-1"], original="rahman-1")
    stories = group_stories(title_defences, reuse=[wire])
    assert story_of(stories, "thompson-1") is story_of(stories, "rahman-1")
    earlier = [dataclasses.replace(story, id="kept") for story in group_stories(title_defences[6:])]
    later = group_stories(title_defences, previous=earlier)
    assert story_of(later, "thompson-1").id == "kept"
    assert story_of(later, "rahman-1").id == story_id_for("rahman-1")
