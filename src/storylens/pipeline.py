"""The pipeline, stage by stage: ingest -> clean -> reuse -> stories -> analysis -> compare.

Each function here calls one stage's entry point; the CLI, the web app and the Python API are thin layers
over these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from storylens import analysis, clean, compare, ingest, reuse, stories
from storylens.model import Article, Document, Result, ReuseGroup, Skipped, Story, StoryDigest
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
    for story in found:
        story.independent_sources = reuse.independent_sources(story.article_ids, groups, outlets)
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
    groups_of: dict[str, list[int]] = {}  # article id -> positions of its reuse groups
    for position, group in enumerate(groups):
        for member in group.members:
            groups_of.setdefault(member, []).append(position)
    with Progress(settings.progress, "comparing", total=len(found)) as progress:
        digests = []
        for story in found:
            members = [by_id[article_id] for article_id in story.article_ids]
            positions = sorted({p for article_id in story.article_ids for p in groups_of.get(article_id, [])})
            touching = [groups[position] for position in positions]
            digests.append(compare.digest_story(story, members, touching, settings.summary_sentences))
            progress.advance(1)
    return digests


def run(corpus: Corpus, settings: Settings) -> Result:
    """The whole pipeline over a loaded corpus; saves stories and digests when the corpus has a store."""
    articles = corpus.usable
    if not articles:
        raise NothingToProcess(nothing_message(corpus))
    groups = find_reuse(articles)
    found = group_stories(articles, groups, corpus.previous_stories)
    analyze(articles, settings, corpus.store)
    digests = digest_stories(found, articles, groups, settings)
    if corpus.store is not None:
        corpus.store.save_stories(found, digests)
    return Result(corpus.articles, groups, found, digests, unusable(corpus))


def nothing_message(corpus: Corpus) -> str:
    problems = unusable(corpus)
    if not problems:
        return "no input articles found"
    reasons = sorted({problem.reason for problem in problems})
    return f"no usable article in {len(problems)} input(s); reasons: {', '.join(reasons)}"
