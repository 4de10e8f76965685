"""The pipeline, stage by stage: ingest -> clean -> reuse -> stories -> analysis -> compare.

Each function here calls one stage's entry point; the CLI, the web app and the Python API are thin layers
over these functions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from storylens import analysis, clean, compare, ingest, reuse, stories
from storylens.model import Article, Document, Result, ReuseGroup, Skipped, Story, StoryDigest, to_dict
from storylens.progress import Progress
from storylens.reuse.dates import date_undated_copies
from storylens.spark import output as spark_output
from storylens.store import IngestReport, Store

DEFAULT_MAX_BYTES = ingest.DEFAULT_MAX_BYTES


class NothingToProcess(Exception):
    """No input yielded a usable article; the message names the cause."""


@dataclass
class Settings:
    max_bytes: int = DEFAULT_MAX_BYTES
    reference_date: str | None = None  # overrides each article's own date for relative expressions
    summary_sentences: int = 6
    progress: bool = False


@dataclass
class Corpus:
    """Clean articles and the inputs that could not be used, from files or from a store."""

    articles: list[Article]
    skipped: list[Skipped]
    store: Store | None = None
    previous_stories: Sequence[Story] = ()

    @property
    def usable(self) -> list[Article]:
        return [article for article in self.articles if article.status == "ok"]


def read_documents(paths: Sequence[str | Path], settings: Settings) -> tuple[list[Document], list[Skipped]]:
    documents: list[Document] = []
    skipped: list[Skipped] = []
    for item in ingest.read(paths, max_bytes=settings.max_bytes):
        (skipped if isinstance(item, Skipped) else documents).append(item)
    return documents, skipped


def clean_documents(documents: Sequence[Document], settings: Settings) -> list[Article]:
    with Progress(settings.progress, "cleaning", total=len(documents)) as progress:
        articles = clean.clean(documents)
        progress.advance(len(documents))
    return articles


def load_corpus(
    paths: Sequence[str | Path] = (), db: str | Path | None = None, settings: Settings | None = None
) -> Corpus:
    """Clean articles from files (read now) or from a store (cleaned at ingest), plus everything skipped."""
    settings = settings or Settings()
    if db is not None:
        store = Store(db)
        if paths:
            ingest_paths(store, paths, settings)
        return Corpus(store.articles(), store.skipped(), store, store.stories())
    if len(paths) == 1 and spark_output.is_output(paths[0]):  # a `storylens spark` output directory
        articles, skipped, found = spark_output.read(paths[0])
        return Corpus(articles, skipped, None, found)
    documents, skipped = read_documents(paths, settings)
    return Corpus(clean_documents(documents, settings), skipped)


def ingest_paths(store: Store, paths: Sequence[str | Path], settings: Settings) -> IngestReport:
    return store.ingest(ingest.read(paths, max_bytes=settings.max_bytes), clean.clean)


def unusable(corpus: Corpus) -> list[Skipped]:
    """Skipped inputs plus articles the cleaner found no article in."""
    rejected = [
        Skipped(str(a.origin), a.status, f"{a.id}: no article text found") for a in corpus.articles if a.status != "ok"
    ]
    return corpus.skipped + rejected


def find_reuse(articles: Sequence[Article]) -> list[ReuseGroup]:
    return reuse.find_reuse(articles)


def group_stories(
    articles: Sequence[Article], groups: Sequence[ReuseGroup], previous: Sequence[Story] = ()
) -> list[Story]:
    date_undated_copies(articles, groups)  # an undated wire copy takes its dated copy's day
    found = stories.group_stories(articles, groups, previous)
    outlets = {article.id: article.meta.outlet for article in articles}
    touching = _touching_groups(groups)  # all groups for every story would cost stories x groups
    for story in found:
        story.independent_sources = reuse.independent_sources(story.article_ids, touching(story), outlets)
    return found


def analyze(articles: Iterable[Article], settings: Settings, store: Store | None = None) -> None:
    """Fill ``article.analysis`` for each article (sentences, entities, quotes, time expressions).

    With a store, analyses it already holds for the same code version and reference date are reused,
    and new ones are saved, so a digest after an ingest analyses only the new articles.
    """
    articles = list(articles)
    if store is not None:
        key = analysis_key(settings)
        stored = store.analyses([article.id for article in articles], key)
        for article in articles:
            found = stored.get(article.id)
            if found is not None and found.reference_date == analysis.reference_day(article, settings.reference_date):
                article.analysis = found  # else the article's date changed since (e.g. estimated from a copy)
        missing = [article for article in articles if article.analysis is None]
        analyze(missing, settings)
        store.save_analyses(missing, key)
        return
    with Progress(settings.progress, "analysing", total=len(articles)) as progress:
        for article, result in zip(articles, analysis.analyze_many(articles, settings.reference_date), strict=True):
            article.analysis = result
            progress.advance(1)


def analysis_key(settings: Settings) -> str:
    """What a stored analysis depends on besides the text: the code version and the reference date."""
    return f"{version('storylens')}|{settings.reference_date or ''}"


def digest_stories(
    found: Sequence[Story], articles: Sequence[Article], groups: Sequence[ReuseGroup], settings: Settings
) -> list[StoryDigest]:
    by_id = {article.id: article for article in articles}
    touching = _touching_groups(groups)
    with Progress(settings.progress, "comparing", total=len(found)) as progress:
        digests = []
        for story in found:
            members = [by_id[article_id] for article_id in story.article_ids]
            digests.append(compare.digest_story(story, members, touching(story), settings.summary_sentences))
            progress.advance(1)
    return digests


def _touching_groups(groups: Sequence[ReuseGroup]) -> Callable[[Story], list[ReuseGroup]]:
    """A lookup of the reuse groups holding any member of a story, in the groups' order."""
    groups_of: dict[str, list[int]] = {}  # article id -> positions of its reuse groups
    for position, group in enumerate(groups):
        for member in group.members:
            groups_of.setdefault(member, []).append(position)

    def touching(story: Story) -> list[ReuseGroup]:
        positions = sorted({p for article_id in story.article_ids for p in groups_of.get(article_id, [])})
        return [groups[position] for position in positions]

    return touching


def digest_bases(found: Sequence[Story], groups: Sequence[ReuseGroup], settings: Settings) -> dict[str, str]:
    """Story id -> a hash of everything its digest is made from: the members (articles never change under
    an id), the reuse groups touching them, and the analysis and summary settings."""
    touching = _touching_groups(groups)
    bases = {}
    for story in found:
        made_from = {
            "analysis": analysis_key(settings),
            "sentences": settings.summary_sentences,
            "members": [[member.article_id, member.undated] for member in story.members],
            "reuse": [to_dict(group) for group in touching(story)],
        }
        bases[story.id] = hashlib.sha256(json.dumps(made_from, sort_keys=True).encode()).hexdigest()
    return bases


@dataclass
class Update:
    """What ``update_store`` did."""

    placed: list[str]  # articles aligned and placed in stories by this update
    stories: list[Story]  # all stories now
    groups: list[ReuseGroup]  # all reuse groups now
    changed: list[str]  # stories whose digest is stale now (new, or changed members or reuse)


def update_store(store: Store, settings: Settings) -> Update:
    """Bring the store's reuse groups and stories up to date with its articles, incrementally.

    Only articles added since the last update are aligned, against candidates found through the stored
    reuse sketches (earlier texts are read only when a candidate needs aligning), and placed: earlier
    articles keep their stories, stories keep their ids, and new articles join one or open their own.
    Each story is saved with its digest's basis, so a stored digest goes stale exactly when what it was
    made from changed. Stories are saved before the sketches: an update cut short in between is
    completed by the next one.
    """
    new_ids = store.unsketched()
    previous = store.stories()
    if not new_ids:
        return Update([], previous, store.reuse_groups(), [])
    stored = store.articles()
    articles = [article for article in stored if article.status == "ok"]
    unsketched = set(new_ids)
    new = [article for article in stored if article.id in unsketched]
    groups, sketches = _extend_reuse(store, new, articles)
    found = group_stories(articles, groups, previous)
    bases = digest_bases(found, groups, settings)
    before = store.story_bases()
    store.save_stories(found, bases=bases)
    store.save_reuse(groups, sketches)
    changed = [story.id for story in found if before.get(story.id) != bases[story.id]]
    return Update(new_ids, found, groups, changed)


def _extend_reuse(
    store: Store, new: Sequence[Article], usable: Sequence[Article]
) -> tuple[list[ReuseGroup], dict[str, bytes]]:
    """All reuse groups with the new articles indexed, and the new articles' sketches to store.

    A store without sketches (new, or made before they were kept) gets the batch finder over all ``usable``.
    """
    index = reuse.ReuseIndex(body_lookup=lambda article_id: _body(store, article_id))
    stored = store.reuse_sketches()
    try:
        for article_id, (sketch, published) in stored.items():
            index.add_signature(article_id, sketch, published)
    except ValueError:  # sketched under other reuse settings: index everything again
        stored = {}
    if not stored:
        return find_reuse(usable), {article.id: index.signature(article) for article in usable}
    index.restore_pairs(pair for group in store.reuse_groups() for pair in group.pairs)
    sketches = {}
    for article in new:
        index.add(article)
        sketches[article.id] = index.signature(article)
    return index.groups(), sketches


def _body(store: Store, article_id: str) -> str | None:
    article = store.article(article_id)
    return article.body if article else None


def refresh_digests(store: Store, settings: Settings, story_ids: Sequence[str] | None = None) -> list[StoryDigest]:
    """Make and save the digests that are stale (of these stories, or of all); returns the ones made.

    Members are analysed only when the store holds no analysis of them under these settings.
    """
    read = store.story_bases()
    stale = set(store.stale_stories())
    wanted = [story for story in store.stories() if story.id in stale and (story_ids is None or story.id in story_ids)]
    if not wanted:
        return []
    groups = store.reuse_groups()
    touching = _touching_groups(groups)
    member_ids = {article_id for story in wanted for article_id in story.article_ids}
    copies = {article_id for story in wanted for group in touching(story) for article_id in group.members}
    loaded = store.articles(sorted(member_ids | copies))
    date_undated_copies(loaded, groups)  # as when the stories were grouped
    members = [article for article in loaded if article.id in member_ids]
    analyze(members, settings, store)
    digests = digest_stories(wanted, members, groups, settings)
    store.save_digests(digests, digest_bases(wanted, groups, settings), read)
    return digests


def run(corpus: Corpus, settings: Settings) -> Result:
    """The whole pipeline over a loaded corpus; with a store, an incremental update of what it holds."""
    articles = corpus.usable
    if not articles:
        raise NothingToProcess(nothing_message(corpus))
    if corpus.store is not None:
        return _run_on_store(corpus, corpus.store, settings)
    groups = find_reuse(articles)
    found = group_stories(articles, groups, corpus.previous_stories)
    analyze(articles, settings)
    digests = digest_stories(found, articles, groups, settings)
    return Result(corpus.articles, groups, found, digests, unusable(corpus))


def _run_on_store(corpus: Corpus, store: Store, settings: Settings) -> Result:
    """New articles placed, stale digests remade, everything else read from the store."""
    update = update_store(store, settings)
    refresh_digests(store, settings)
    date_undated_copies(corpus.usable, update.groups)
    analyze(corpus.usable, settings, store)
    stored = {digest.story.id: digest for digest in store.digests()}
    digests = [stored[story.id] for story in update.stories]
    return Result(corpus.articles, update.groups, update.stories, digests, unusable(corpus))


def nothing_message(corpus: Corpus) -> str:
    problems = unusable(corpus)
    if not problems:
        return "no input articles found"
    reasons = sorted({problem.reason for problem in problems})
    return f"no usable article in {len(problems)} input(s); reasons: {', '.join(reasons)}"
