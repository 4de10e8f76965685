"""Per-story comparison: claims, contradictions, framing and the neutral summary."""

from storylens.compare.claims import extract_claims
from storylens.compare.contradictions import find_contradictions
from storylens.compare.digest import digest_story
from storylens.compare.framing import framing_table, loaded_terms, voices
from storylens.compare.summary import summarize

__all__ = [
    "digest_story",
    "extract_claims",
    "find_contradictions",
    "framing_table",
    "loaded_terms",
    "summarize",
    "voices",
]
