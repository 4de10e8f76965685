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
