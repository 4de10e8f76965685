"""Shared fixtures: the seed folder (../shared/corpora/seeds), the bundled demo corpus, and their digests."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "corpora" / "seeds"
DEMO = ROOT / "demo" / "corpus"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder not found at {SEEDS}")
    return SEEDS


@pytest.fixture(scope="session")
def seed_result(seeds_dir: Path):
    import storylens

    return storylens.digest(seeds_dir)


@pytest.fixture(scope="session")
def demo_result():
    import storylens

    return storylens.digest(DEMO)


@pytest.fixture(scope="session")
def seed_articles(seeds_dir: Path):
    """The seeds read, cleaned and analysed (articles with status "ok" only)."""
    from storylens.analysis import analyze_many
    from storylens.clean import clean
    from storylens.ingest import read

    articles = [article for article in clean(list(read([seeds_dir]))) if article.status == "ok"]
    for article, analysis in zip(articles, analyze_many(articles), strict=True):
        article.analysis = analysis
    return articles
