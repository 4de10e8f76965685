"""What the web pages read: stories and digests held in memory, articles fetched by id, analyses cached.

The store is opened once per worker thread (SQLite connections are not shared between threads). Stories and
digests are small next to the articles and change only when something is ingested, so they are loaded once
and reloaded after each ingest; articles are read one at a time by id.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from storylens import pipeline
from storylens.model import Analysis, Article, Story, StoryDigest
from storylens.store import Store

PAGE_SIZE = 50
SEARCH_LIMIT = 1000
ANALYSIS_CACHE_SIZE = 2048


@dataclass(frozen=True)
class IndexEntry:
    """The columns of an article the lists need, without its text."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    status: str


@dataclass
class StoryRow:
    id: str
    label: str
    start: str | None
    end: str | None
    latest: str | None  # the latest publication date among its articles: "latest activity"
    size: int
    outlets: list[str]
    independent_sources: int
    entities: list[str]


@dataclass
class StoryFilter:
    query: str = ""
    date_from: date | None = None
    date_to: date | None = None
    outlet: str = ""
    entity: str = ""

    @property
    def active(self) -> bool:
        return bool(self.query or self.date_from or self.date_to or self.outlet or self.entity)


@dataclass
class StoryPage:
    rows: list[StoryRow]
    total: int
    page: int
    pages: int
    matching_articles: list[IndexEntry] = field(default_factory=list)


@dataclass(frozen=True)
class Snapshot:
    """Everything the lists need, read from the store at one moment."""

    index: dict[str, IndexEntry]
    digests: dict[str, StoryDigest]
    rows: list[StoryRow]
    story_of_article: dict[str, str]
    row_of: dict[str, StoryRow]  # story id -> its row
    outlets: list[str]
    entities: list[str]


class StoreView:
    """Read access to one store for many concurrent requests."""

    def __init__(self, db: str | Path) -> None:
        self.db = Path(db)
        self._local = threading.local()
        self.analysis_lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._analyses: OrderedDict[tuple[str, str], Analysis] = OrderedDict()
        self.reload()

    def store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store(self.db)
        return store

    def reload(self) -> None:
        """Read stories, digests and the article index again (after an ingest)."""
        store = self.store()
        index = {
            row["id"]: IndexEntry(row["id"], row["title"], row["outlet"], row["published"], row["status"])
            for row in store.article_index()
        }
        digests = {digest.story.id: digest for digest in store.digests()}
        stories = store.stories()
        rows = sorted((_story_row(story, digests.get(story.id), index) for story in stories), key=lambda r: r.id)
        rows.sort(key=lambda row: row.latest or "", reverse=True)  # latest activity first, undated last; stable
        self.snapshot = Snapshot(  # one assignment: a request sees the old state or the new one, never a mix
            index=index,
            digests=digests,
            rows=rows,
            story_of_article={member: story.id for story in stories for member in story.article_ids},
            row_of={row.id: row for row in rows},
            outlets=sorted({outlet for row in rows for outlet in row.outlets}, key=str.casefold),
            entities=_top_entities(rows),
        )

    # stories

    def story_page(self, wanted: StoryFilter, page: int = 1, page_size: int = PAGE_SIZE) -> StoryPage:
        snapshot = self.snapshot
        rows = snapshot.rows
        matching: list[IndexEntry] = []
        if wanted.query:
            hits = self.store().search(wanted.query, limit=SEARCH_LIMIT)
            matching = [snapshot.index[hit] for hit in hits if hit in snapshot.index]
            story_ids = {snapshot.story_of_article[hit] for hit in hits if hit in snapshot.story_of_article}
            rows = [row for row in rows if row.id in story_ids]
        rows = [row for row in rows if _passes(row, wanted)]
        pages = max(1, -(-len(rows) // page_size))
        page = min(max(page, 1), pages)
        shown = rows[(page - 1) * page_size : page * page_size]
        return StoryPage(shown, len(rows), page, pages, matching[:20])

    def story_of(self, article_id: str) -> StoryRow | None:
        snapshot = self.snapshot
        return snapshot.row_of.get(snapshot.story_of_article.get(article_id, ""))

    def digest(self, story_id: str) -> StoryDigest | None:
        """The story's digest when the store holds a fresh one."""
        return self.snapshot.digests.get(story_id)

    def has_story(self, story_id: str) -> bool:
        return story_id in self.snapshot.row_of

    def make_digest(self, story_id: str) -> StoryDigest | None:
        """Make the digest of a story that has none fresh (and store it); None when the story is gone."""
        with self.analysis_lock:
            digest = self.snapshot.digests.get(story_id)
            if digest is None:
                pipeline.refresh_digests(self.store(), pipeline.Settings(), [story_id])
                digest = self.store().digest(story_id)
                if digest is not None:
                    self.snapshot.digests[story_id] = digest
        return digest

    # articles

    def article(self, article_id: str) -> Article | None:
        return self.store().article(article_id)

    def analysis(self, article: Article) -> Analysis | None:
        """The article's analysis, made now (and stored) when the store holds none."""
        if article.status != "ok":
            return None
        with self.analysis_lock:  # one spaCy pipeline, used by one thread at a time
            found = self.stored_analysis(article)
            if found is None:
                pipeline.analyze([article], pipeline.Settings(), self.store())
                found = article.analysis
                self.remember(article)
        return found

    def stored_analysis(self, article: Article) -> Analysis | None:
        """The article's analysis from memory or from the store, without waiting for any being made."""
        with self._cache_lock:
            found = self._analyses.get((article.id, article.content_hash))
        if found is None:
            stored = self.store().analyses([article.id], pipeline.analysis_key(pipeline.Settings()))
            article.analysis = stored.get(article.id)
            self.remember(article)
            found = article.analysis
        return found

    def remember(self, article: Article) -> None:
        if article.analysis is None:
            return
        with self._cache_lock:
            self._analyses[(article.id, article.content_hash)] = article.analysis
            while len(self._analyses) > ANALYSIS_CACHE_SIZE:
                self._analyses.popitem(last=False)


def _story_row(story: Story, digest: StoryDigest | None, index: dict[str, IndexEntry]) -> StoryRow:
    members = [index[article_id] for article_id in story.article_ids if article_id in index]
    if digest is not None:
        outlets = list(digest.outlets)
    else:
        outlets = sorted({entry.outlet for entry in members if entry.outlet})
    published = [entry.published[:10] for entry in members if entry.published]
    return StoryRow(
        id=story.id,
        label=story.label,
        start=story.start,
        end=story.end,
        latest=max(published, default=story.end or story.start),
        size=len(story.members),
        outlets=outlets,
        independent_sources=story.independent_sources,
        entities=_entity_names(story, digest),
    )


def _entity_names(story: Story, digest: StoryDigest | None) -> list[str]:
    names = list(story.entities)
    if digest is not None:
        for entity in digest.entities:
            names += [entity.id, *entity.aliases]
    return list(dict.fromkeys(names))


def _passes(row: StoryRow, wanted: StoryFilter) -> bool:
    if wanted.outlet and wanted.outlet.casefold() not in {outlet.casefold() for outlet in row.outlets}:
        return False
    if wanted.entity and wanted.entity.casefold() not in {name.casefold() for name in row.entities}:
        return False
    if wanted.date_from or wanted.date_to:
        first, last = row.start or row.latest, row.latest or row.end or row.start
        if first is None or last is None:
            return False
        if wanted.date_from and last[:10] < wanted.date_from.isoformat():
            return False
        if wanted.date_to and first[:10] > wanted.date_to.isoformat():
            return False
    return True


def _top_entities(rows: Sequence[StoryRow], limit: int = 200) -> list[str]:
    """The entity names most stories share, for the filter's suggestions."""
    counts: dict[str, int] = {}
    for row in rows:
        for name in row.entities:
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda name: (-counts[name], name.casefold()))[:limit]
