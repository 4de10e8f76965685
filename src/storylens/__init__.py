"""storylens: one news story through every outlet that covered it."""

from storylens.api import clean_articles, digest, find_reuse, find_stories, write_report
from storylens.model import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "clean_articles", "digest", "find_reuse", "find_stories", "write_report"]
