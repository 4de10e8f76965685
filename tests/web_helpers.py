"""The demo store the web tests read, built once per test session by the same pipeline as the CLI."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from storylens import pipeline

DEMO = Path(__file__).resolve().parent.parent / "demo" / "corpus"


@functools.cache
def demo_store() -> Path:
    """A store of the demo corpus with its stories and digests; the tests only read it."""
    db = Path(tempfile.mkdtemp(prefix="storylens-web-")) / "demo.db"
    corpus = pipeline.load_corpus([DEMO], db)
    pipeline.run(corpus, pipeline.Settings())
    corpus.store.close()
    return db
