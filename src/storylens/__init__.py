"""storylens: one news story through every outlet that covered it.

The API functions load the pipeline (spaCy, scikit-learn, ...) on first use, so that `import storylens`
and `storylens --help` stay fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from storylens.model import SCHEMA_VERSION

if TYPE_CHECKING:
    from storylens.api import clean_articles, digest, find_reuse, find_stories, write_report

__all__ = ["SCHEMA_VERSION", "clean_articles", "digest", "find_reuse", "find_stories", "write_report"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(import_module("storylens.api"), name)
    raise AttributeError(f"module 'storylens' has no attribute {name!r}")
