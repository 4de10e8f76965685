"""The embedded SQLite store: documents as read, clean articles, stories and digests.

Every write batch is one transaction, and documents are keyed by the hash of their content, so an
interrupted ingest leaves the store consistent and re-running it completes the work.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from storylens.model import (
    Analysis,
    Article,
    Document,
    Origin,
    ReuseGroup,
    Skipped,
    Story,
    StoryDigest,
    from_dict,
    to_dict,
)
from storylens.store.migrations import MIGRATIONS

BATCH_SIZE = 200

CleanFunction = Callable[[Sequence[Document]], list[Article]]


class StoreError(Exception):
    """The file is not a storylens store, or it is newer than this version understands."""


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (new id, id already stored)
    skipped: list[Skipped] = field(default_factory=list)


def content_hash(document: Document) -> str:
    return hashlib.sha256(document.content.encode("utf-8", "surrogatepass")).hexdigest()


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: not a storylens store ({error})") from error
        self.db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self.schema_version
        if version > len(MIGRATIONS):
            raise StoreError(f"{self.path}: store schema v{version} is newer than this storylens (v{len(MIGRATIONS)})")
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            try:  # executescript commits on its own, so the migration carries its own BEGIN/COMMIT
                self.db.executescript(f"BEGIN IMMEDIATE; {script}; PRAGMA user_version={number}; COMMIT;")
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise

    def transaction(self) -> _Transaction:
        return _Transaction(self.db)

    # documents and articles

    def ingest(self, items: Iterable[Document | Skipped], clean: CleanFunction) -> IngestReport:
        """Add new documents (cleaned) in batches of one transaction each; known content is not stored twice."""
        report = IngestReport()
        batch: list[Document] = []
        for item in items:
            if isinstance(item, Skipped):
                report.skipped.append(item)
                continue
            batch.append(item)
            if len(batch) >= BATCH_SIZE:
                self._ingest_batch(batch, clean, report)
                batch = []
        if batch:
            self._ingest_batch(batch, clean, report)
        if report.skipped:
            with self.transaction():
                self.db.executemany(
                    "INSERT INTO skipped(origin, reason, detail) VALUES (?, ?, ?)",
                    [(s.origin, s.reason, s.detail) for s in report.skipped],
                )
        return report

    def _ingest_batch(self, batch: list[Document], clean: CleanFunction, report: IngestReport) -> None:
        fresh: list[tuple[Document, str]] = []
        seen_in_batch: dict[str, str] = {}
        for document in batch:
            digest = content_hash(document)
            known = seen_in_batch.get(digest) or self._id_for_hash(digest)
            if known is not None:
                report.duplicates.append((document.id, known))
                continue
            seen_in_batch[digest] = document.id
            fresh.append((document, digest))
        if not fresh:
            return
        articles = clean([document for document, _ in fresh])
        with self.transaction():
            for (document, digest), article in zip(fresh, articles, strict=True):
                article.id = self._unique_id(article.id)
                article.content_hash = digest
                self._insert_article(document, article)
                report.added.append(article.id)

    def _id_for_hash(self, digest: str) -> str | None:
        row = self.db.execute("SELECT id FROM articles WHERE content_hash = ?", (digest,)).fetchone()
        return row["id"] if row else None

    def _unique_id(self, wanted: str) -> str:
        candidate, n = wanted, 1
        while self.db.execute("SELECT 1 FROM articles WHERE id = ?", (candidate,)).fetchone():
            n += 1
            candidate = f"{wanted}~{n}"
        return candidate

    def _insert_article(self, document: Document, article: Article) -> None:
        self.db.execute(
            "INSERT INTO articles(id, content_hash, origin, kind, content, hints, article, status, published,"
            " outlet, title) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                article.content_hash,
                json.dumps(to_dict(document.origin)),
                document.kind,
                document.content,
                json.dumps(document.hints),
                json.dumps(to_dict(_without_analysis(article))),
                article.status,
                article.meta.published,
                article.meta.outlet,
                article.meta.title,
            ),
        )
        self.db.execute(
            "INSERT INTO articles_fts(rowid, title, body) VALUES (last_insert_rowid(), ?, ?)",
            (article.meta.title or "", article.body),
        )

    def articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        """Clean articles in the order they were added (all of them, or those with the given ids)."""
        if ids is None:
            rows = self.db.execute("SELECT article FROM articles ORDER BY seq").fetchall()
        else:
            rows = self._rows_for_ids("SELECT seq, article FROM articles WHERE id IN ({ids})", ids)
            rows.sort(key=lambda row: row["seq"])
        return [from_dict(Article, json.loads(row["article"])) for row in rows]

    def article_index(self) -> list[sqlite3.Row]:
        """id, title, outlet, published and status of every article, in the order they were added."""
        return self.db.execute("SELECT id, title, outlet, published, status FROM articles ORDER BY seq").fetchall()

    def article(self, article_id: str) -> Article | None:
        row = self.db.execute("SELECT article FROM articles WHERE id = ?", (article_id,)).fetchone()
        return from_dict(Article, json.loads(row["article"])) if row else None

    def analyses(self, ids: Sequence[str], key: str) -> dict[str, Analysis]:
        """Stored analyses of these articles made under ``key`` (code version and reference date)."""
        query = "SELECT article_id, data FROM analyses WHERE key = ? AND article_id IN ({ids})"
        rows = self._rows_for_ids(query, ids, key)
        return {row["article_id"]: from_dict(Analysis, json.loads(row["data"])) for row in rows}

    def _rows_for_ids(self, query: str, ids: Sequence[str], *params: object) -> list[sqlite3.Row]:
        """Run ``query`` (its ``{ids}`` placeholder bound to the ids) in chunks SQLite can bind."""
        rows: list[sqlite3.Row] = []
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            rows += self.db.execute(query.format(ids=",".join("?" * len(chunk))), (*params, *chunk)).fetchall()
        return rows

    def save_analyses(self, articles: Sequence[Article], key: str) -> None:
        with self.transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO analyses(article_id, key, data) VALUES (?, ?, ?)",
                [(a.id, key, json.dumps(to_dict(a.analysis))) for a in articles if a.analysis is not None],
            )

    def documents(self) -> Iterator[Document]:
        for row in self.db.execute("SELECT id, origin, kind, content, hints FROM articles ORDER BY seq"):
            origin = from_dict(Origin, json.loads(row["origin"]))
            yield Document(row["id"], origin, row["kind"], row["content"], json.loads(row["hints"]))

    def skipped(self) -> list[Skipped]:
        rows = self.db.execute("SELECT origin, reason, detail FROM skipped ORDER BY rowid").fetchall()
        return [Skipped(row["origin"], row["reason"], row["detail"]) for row in rows]

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def search(self, query: str, limit: int = 50) -> list[str]:
        """Ids of articles matching an FTS5 query over titles and bodies, best first."""
        return self._ids(
            "SELECT a.id FROM articles_fts f JOIN articles a ON a.seq = f.rowid"
            " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            _fts_query(query),
            limit,
        )

    def _ids(self, query: str, *params: object) -> list[str]:
        """The ``id`` column of a query's rows."""
        return [row["id"] for row in self.db.execute(query, params).fetchall()]

    # reuse: sketches (to restore a ReuseIndex without the texts) and groups with their pairs

    def reuse_sketches(self) -> dict[str, tuple[bytes, str | None]]:
        """Article id -> (stored reuse sketch, publication date), for every sketched article."""
        rows = self.db.execute(
            "SELECT r.article_id, r.data, a.published FROM reuse_sketches r JOIN articles a ON a.id = r.article_id"
        ).fetchall()
        return {row["article_id"]: (row["data"], row["published"]) for row in rows}

    def unsketched(self) -> list[str]:
        """Ids of usable articles without a reuse sketch yet (added since the last update), in added order."""
        return self._ids(
            "SELECT a.id FROM articles a LEFT JOIN reuse_sketches r ON r.article_id = a.id"
            " WHERE a.status = 'ok' AND r.article_id IS NULL ORDER BY a.seq"
        )

    def reuse_groups(self) -> list[ReuseGroup]:
        rows = self.db.execute("SELECT data FROM reuse_groups ORDER BY id").fetchall()
        return [from_dict(ReuseGroup, json.loads(row["data"])) for row in rows]

    def save_reuse(self, groups: Sequence[ReuseGroup], sketches: Mapping[str, bytes]) -> None:
        """Replace the reuse groups and add the sketches of newly indexed articles, in one transaction."""
        with self.transaction():
            self.db.execute("DELETE FROM reuse_groups")
            self.db.executemany(
                "INSERT INTO reuse_groups(id, data) VALUES (?, ?)",
                [(group.id, json.dumps(to_dict(group))) for group in groups],
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO reuse_sketches(article_id, data) VALUES (?, ?)", list(sketches.items())
            )

    # stories and digests

    def stories(self) -> list[Story]:
        rows = self.db.execute("SELECT data FROM stories ORDER BY id").fetchall()
        return [from_dict(Story, json.loads(row["data"])) for row in rows]

    def save_stories(
        self, stories: Sequence[Story], digests: Sequence[StoryDigest] = (), bases: Mapping[str, str] | None = None
    ) -> None:
        """Replace the stories, each with the basis its digest must have to be fresh, in one transaction.

        A stored digest stays while its story keeps the same basis (``digests`` made now are saved with
        it); the digests of stories that changed or are gone no longer count. Without ``bases`` every
        story's basis is empty, and only the digests given here are fresh.
        """
        bases = bases or {}
        with self.transaction():
            self.db.execute("DELETE FROM story_articles")
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS kept_stories(id TEXT PRIMARY KEY)")
            self.db.execute("DELETE FROM kept_stories")
            self.db.executemany("INSERT INTO kept_stories(id) VALUES (?)", [(story.id,) for story in stories])
            self.db.execute("DELETE FROM stories WHERE id NOT IN (SELECT id FROM kept_stories)")
            if not bases:
                self.db.execute("DELETE FROM digests")
            for story in stories:
                self.db.execute(  # an update, not a replace: a replace would delete the story's digest
                    "INSERT INTO stories(id, label, start, end, data, basis) VALUES (?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT(id) DO UPDATE SET label = excluded.label, start = excluded.start,"
                    " end = excluded.end, data = excluded.data, basis = excluded.basis",
                    (
                        story.id,
                        story.label,
                        story.start,
                        story.end,
                        json.dumps(to_dict(story)),
                        bases.get(story.id, ""),
                    ),
                )
                self.db.executemany(
                    "INSERT INTO story_articles(story_id, article_id, score) VALUES (?, ?, ?)",
                    [(story.id, m.article_id, m.score) for m in story.members],
                )
            self._save_digests(digests, bases)

    def save_digests(self, digests: Sequence[StoryDigest], bases: Mapping[str, str], read: Mapping[str, str]) -> None:
        """Store digests made now from these bases, which become their stories' bases: the digest of record
        is the last one made (under the settings it was made with) until its story changes again.

        ``read`` holds the stories' bases as they were when the digests' inputs were read; a story whose
        basis moved since (another process updated it meanwhile) keeps it, so its new digest stays stale.
        """
        with self.transaction():
            self._save_digests(digests, bases)
            self.db.executemany(
                "UPDATE stories SET basis = ? WHERE id = ? AND basis = ?",
                [(bases.get(d.story.id, ""), d.story.id, read.get(d.story.id, "")) for d in digests],
            )

    def _save_digests(self, digests: Sequence[StoryDigest], bases: Mapping[str, str]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO digests(story_id, data, basis) VALUES (?, ?, ?)",
            [(d.story.id, json.dumps(to_dict(d)), bases.get(d.story.id, "")) for d in digests],
        )

    def story_bases(self) -> dict[str, str]:
        rows = self.db.execute("SELECT id, basis FROM stories").fetchall()
        return {row["id"]: row["basis"] for row in rows}

    def stale_stories(self) -> list[str]:
        """Ids of stories without a fresh digest (never made, or made before the story changed)."""
        return self._ids(
            "SELECT s.id FROM stories s LEFT JOIN digests d ON d.story_id = s.id AND d.basis = s.basis"
            " WHERE d.story_id IS NULL ORDER BY s.id"
        )

    def digests(self) -> list[StoryDigest]:
        """The fresh digests, each carrying its story as stored now."""
        rows = self.db.execute(
            "SELECT d.data, s.data AS story FROM digests d JOIN stories s ON s.id = d.story_id AND s.basis = d.basis"
            " ORDER BY d.story_id"
        ).fetchall()
        return [_with_story(row["data"], row["story"]) for row in rows]

    def digest(self, story_id: str) -> StoryDigest | None:
        """The story's digest when it is fresh, else None."""
        row = self.db.execute(
            "SELECT d.data, s.data AS story FROM digests d JOIN stories s ON s.id = d.story_id AND s.basis = d.basis"
            " WHERE d.story_id = ?",
            (story_id,),
        ).fetchone()
        return _with_story(row["data"], row["story"]) if row else None


def _with_story(digest: str, story: str) -> StoryDigest:
    """A stored digest with its story's current record (label and scores may move while members stay)."""
    found = from_dict(StoryDigest, json.loads(digest))
    found.story = from_dict(Story, json.loads(story))
    return found


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (including KeyboardInterrupt)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: type[BaseException] | None, *_rest: object) -> None:
        self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")


def _without_analysis(article: Article) -> Article:
    if article.analysis is None:
        return article
    return Article(**{**article.__dict__, "analysis": None})


def _fts_query(query: str) -> str:
    """Quote each word so user text is never read as FTS5 syntax."""
    words = [word.replace('"', "") for word in query.split()]
    return " ".join(f'"{word}"' for word in words if word)
