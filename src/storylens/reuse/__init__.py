"""Reuse: wire copies, near-duplicates and partial reuse, with aligned passages and word-level edits.

See docs/reuse.md for how it works and the measured figures.
"""

from storylens.reuse.batch import find_reuse
from storylens.reuse.index import ReuseIndex
from storylens.reuse.provenance import independent_sources, recurring_swaps
from storylens.reuse.sketch import ReuseSettings

__all__ = ["ReuseIndex", "ReuseSettings", "find_reuse", "independent_sources", "recurring_swaps"]
