"""storylens: one news story through every outlet that covered it."""

from storylens.api import clean, digest, find_reuse, stories, write_report
from storylens.model import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "clean", "digest", "find_reuse", "stories", "write_report"]
