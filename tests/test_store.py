"""The SQLite store: incremental and idempotent ingest, recovery after an interrupted ingest, migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storylens import clean, ingest, store
from storylens.model import Document, Story, StoryDigest
from storylens.store import Store, StoreError
from storylens.store.migrations import MIGRATIONS


def test_ingest_is_idempotent(tmp_path: Path, seeds_dir: Path) -> None:
    with Store(tmp_path / "news.db") as db:
        first = db.ingest(ingest.read([seeds_dir]), clean.clean)
        second = db.ingest(ingest.read([seeds_dir]), clean.clean)
        assert len(first.added) == 5 and not first.duplicates
        assert second.added == [] and sorted(new for new, _ in second.duplicates) == sorted(first.added)
        assert db.count() == 5


def test_same_content_under_another_name_is_stored_once(tmp_path: Path, seeds_dir: Path) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    original = sorted(seeds_dir.iterdir())[0]
    (copy / "renamed.txt").write_bytes(original.read_bytes())
    with Store(tmp_path / "news.db") as db:
        db.ingest(ingest.read([seeds_dir]), clean.clean)
        report = db.ingest(ingest.read([copy]), clean.clean)
        assert report.added == [] and report.duplicates == [("renamed", original.stem)]


def test_interrupted_ingest_leaves_store_consistent_and_rerun_completes(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "BATCH_SIZE", 2)
    documents = [item for item in ingest.read([seeds_dir]) if isinstance(item, Document)]

    def interrupted():
        yield from documents[:3]
        raise KeyboardInterrupt

    path = tmp_path / "news.db"
    with Store(path) as db, pytest.raises(KeyboardInterrupt):
        db.ingest(interrupted(), clean.clean)
    with Store(path) as db:
        assert db.count() == 2  # the first batch committed, the second rolled back
        fts_rows = db.db.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
        assert fts_rows == 2
        report = db.ingest(iter(documents), clean.clean)
        assert len(report.added) == 3 and len(report.duplicates) == 2
        assert db.count() == 5


def test_articles_round_trip_and_search(tmp_path: Path, seeds_dir: Path) -> None:
    cleaned = {a.id: a for a in clean.clean([d for d in ingest.read([seeds_dir]) if isinstance(d, Document)])}
    with Store(tmp_path / "news.db") as db:
        db.ingest(ingest.read([seeds_dir]), clean.clean)
        stored = {a.id: a for a in db.articles()}
        assert stored.keys() == cleaned.keys()
        for article_id, article in cleaned.items():
            assert stored[article_id].body == article.body
            assert stored[article_id].meta == article.meta
        assert db.search("Merkel disgrace")  # FTS5 over titles and bodies
        assert db.search('"unbalanced quote AND OR') == []  # user text is never FTS syntax


def test_schema_is_migrated_and_versioned(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    with Store(path) as db:
        assert db.schema_version == len(MIGRATIONS)
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}")
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are not the droids you are looking for " * 100)
    with pytest.raises(StoreError, match="not a storylens store"):
        Store(path)


def test_digest_from_store_reuses_stored_analyses(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storylens import analysis, pipeline

    db = tmp_path / "news.db"
    first = pipeline.run(pipeline.load_corpus([seeds_dir], db), pipeline.Settings())
    analysed: list[str] = []
    original = analysis.analyze_many

    def counting(articles, reference_date=None):
        analysed.extend(article.id for article in articles)
        return original(articles, reference_date)

    monkeypatch.setattr(analysis, "analyze_many", counting)
    second = pipeline.run(pipeline.load_corpus([], db), pipeline.Settings())
    assert analysed == []
    assert [d.story.id for d in second.digests] == [d.story.id for d in first.digests]
    assert second.digests[0].quotes == first.digests[0].quotes
    pipeline.run(pipeline.load_corpus([], db), pipeline.Settings(reference_date="2016-12-07"))
    assert len(analysed) == 5  # another reference date is another analysis


def test_update_places_only_new_articles_and_makes_only_changed_digests_stale(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storylens import analysis, pipeline, reuse

    seeds = sorted(seeds_dir.iterdir())
    other_story = Path(__file__).resolve().parent.parent / "demo" / "corpus" / "courier-rovers-cup.txt"
    db = tmp_path / "news.db"
    first = pipeline.run(pipeline.load_corpus([*seeds[:4], other_story], db), pipeline.Settings())
    story_of = {member: story.id for story in first.stories for member in story.article_ids}
    seed_story, rovers_story = story_of[seeds[0].stem], story_of["courier-rovers-cup"]
    assert seed_story != rovers_story

    analysed: list[str] = []
    original = analysis.analyze_many

    def counting(articles, reference_date=None):
        analysed.extend(article.id for article in articles)
        return original(articles, reference_date)

    def batch_reuse(*_args, **_kwargs):
        raise AssertionError("an update must not look for reuse over the whole store")

    monkeypatch.setattr(analysis, "analyze_many", counting)
    monkeypatch.setattr(reuse, "find_reuse", batch_reuse)
    with Store(db) as store:
        wire_copy = seeds[4].stem  # the AFP text of seed 003 with edits
        assert store.ingest(ingest.read([seeds[4]]), clean.clean).added == [wire_copy]
        update = pipeline.update_store(store, pipeline.Settings())
        assert update.placed == [wire_copy] and update.changed == [seed_story]
        now = {member: story.id for story in update.stories for member in story.article_ids}
        assert now == {**story_of, wire_copy: seed_story}, "earlier articles keep their stories and ids"
        assert any({seeds[3].stem, wire_copy} <= set(group.members) for group in update.groups)
        assert store.stale_stories() == [seed_story]
        assert store.digest(seed_story) is None and store.digest(rovers_story) is not None
        assert analysed == []

        remade = pipeline.refresh_digests(store, pipeline.Settings())
        assert [digest.story.id for digest in remade] == [seed_story]
        # the new article, and its undated copy 003, which now takes the copy's day as its reference day
        assert sorted(analysed) == sorted([wire_copy, seeds[3].stem])
        assert store.stale_stories() == []
        fresh = store.digest(seed_story)
        assert fresh is not None and wire_copy in {article.id for article in fresh.articles}
        assert any(wire_copy in group.members for group in fresh.reuse)
        assert pipeline.update_store(store, pipeline.Settings()).changed == []


def test_a_digest_is_fresh_only_while_its_story_keeps_the_basis_it_was_made_from(tmp_path: Path) -> None:
    story = Story("s-1", "Port strike", [])
    with Store(tmp_path / "news.db") as db:
        db.save_stories([story], bases={"s-1": "members v1"})
        assert db.stale_stories() == ["s-1"] and db.digests() == []
        db.save_digests([StoryDigest(story, [], ["Courier"])], {"s-1": "members v1"}, read={"s-1": "members v1"})
        assert db.stale_stories() == [] and db.digest("s-1").outlets == ["Courier"]

        db.save_stories([Story("s-1", "Port strike spreads", [])], bases={"s-1": "members v2"})
        assert db.digest("s-1") is None and db.stale_stories() == ["s-1"]
        # a digest made from what was read before that change must not pass for the new story's
        db.save_digests([StoryDigest(story, [], ["Courier"])], {"s-1": "members v1"}, read={"s-1": "members v1"})
        assert db.digest("s-1") is None and db.stale_stories() == ["s-1"]
