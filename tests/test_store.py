"""The SQLite store: incremental and idempotent ingest, recovery after an interrupted ingest, migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storylens import clean, ingest, store
from storylens.model import Document
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
