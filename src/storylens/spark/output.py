"""Read a Spark run's output directory back (with pyarrow; no Spark needed).

Layout: ``articles/``, ``reuse_groups/``, ``stories/``, ``skipped/``, each a Parquet dataset whose
``article`` / ``group`` / ``story`` column holds the full dataclass as JSON (``model.to_dict``), so
nothing is lost between the Spark run and ``storylens digest``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from storylens.model import Article, ReuseGroup, Skipped, Story, from_dict

PARTS = ("articles", "reuse_groups", "stories", "skipped")


def is_output(path: str | Path) -> bool:
    """True for a directory written by ``storylens spark``."""
    folder = Path(path)
    return folder.is_dir() and all((folder / part).is_dir() for part in PARTS)


def _rows(folder: Path, part: str, columns: list[str]) -> list[dict[str, Any]]:
    try:
        import pyarrow.parquet as pq
    except ImportError as error:
        raise RuntimeError("reading a Spark output needs pyarrow: pip install 'storylens[spark]'") from error
    return pq.read_table(folder / part, columns=columns).to_pylist()


def read(path: str | Path) -> tuple[list[Article], list[Skipped], list[Story]]:
    """Articles (in reading order), skipped inputs and stories of a Spark output directory."""
    return read_articles(path), read_skipped(path), read_stories(path)


def read_articles(path: str | Path) -> list[Article]:
    rows = sorted(_rows(Path(path), "articles", ["idx", "article"]), key=lambda row: row["idx"])
    return [from_dict(Article, json.loads(row["article"])) for row in rows]


def read_groups(path: str | Path) -> list[ReuseGroup]:
    rows = _rows(Path(path), "reuse_groups", ["group"])
    return sorted((from_dict(ReuseGroup, json.loads(row["group"])) for row in rows), key=lambda group: group.id)


def read_stories(path: str | Path) -> list[Story]:
    rows = sorted(
        _rows(Path(path), "stories", ["block", "position", "story"]), key=lambda r: (r["block"], r["position"])
    )
    return [from_dict(Story, json.loads(row["story"])) for row in rows]


def read_skipped(path: str | Path) -> list[Skipped]:
    return [Skipped(**row) for row in _rows(Path(path), "skipped", ["origin", "reason", "detail"])]
