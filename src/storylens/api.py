"""The Python API: the same functions the CLI uses, for notebooks and scripts.

>>> import storylens
>>> result = storylens.digest("demo/corpus")          # files or folders
>>> result = storylens.digest(db="news.db")            # or a store
>>> storylens.write_report(result, "out")
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from storylens import pipeline, report
from storylens.model import Article, Result, ReuseGroup, Story

Paths = str | Path | Sequence[str | Path]


def _paths(paths: Paths | None) -> list[str | Path]:
    if paths is None:
        return []
    if isinstance(paths, str | Path):
        return [paths]
    return list(paths)


def _corpus(paths: Paths | None, db: str | Path | None, settings: pipeline.Settings) -> pipeline.Corpus:
    return pipeline.load_corpus(_paths(paths), db, settings)


def digest(
    paths: Paths | None = None,
    *,
    db: str | Path | None = None,
    reference_date: str | None = None,
    summary_sentences: int = 6,
    max_bytes: int = pipeline.DEFAULT_MAX_BYTES,
) -> Result:
    """Run the whole pipeline on files/folders, or on a store (``db``), and return everything it found."""
    settings = pipeline.Settings(max_bytes, reference_date, summary_sentences)
    return pipeline.run(_corpus(paths, db, settings), settings)


def clean_articles(paths: Paths | None = None, *, db: str | Path | None = None) -> list[Article]:
    """Clean articles (status "ok" or why not), with metadata and the removed clutter."""
    return _corpus(paths, db, pipeline.Settings()).articles


def find_reuse(paths: Paths | None = None, *, db: str | Path | None = None) -> list[ReuseGroup]:
    return pipeline.find_reuse(_corpus(paths, db, pipeline.Settings()).usable)


def find_stories(paths: Paths | None = None, *, db: str | Path | None = None) -> list[Story]:
    corpus = _corpus(paths, db, pipeline.Settings())
    return pipeline.group_stories(corpus.usable, pipeline.find_reuse(corpus.usable), corpus.previous_stories)


def write_report(result: Result, out_dir: str | Path) -> list[Path]:
    """Write stories.json, skipped.jsonl, story-<id>.md/.html and index.html into ``out_dir``."""
    return report.write_outputs(result, out_dir)
