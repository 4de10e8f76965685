"""What one outlet changed in another's text, tallied for reading at a glance.

A wire copy can carry dozens of word-level edits; readers want the pattern ("rebel" -> "opposition" three
times, every "today" made a weekday, nine paragraphs added), with each edit still one click away.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from storylens.model import Edit

CATEGORY_LABELS = {
    "term_swap": "term swaps",
    "date_change": "date rewording",
    "number_change": "numbers changed",
    "paragraph_added": "paragraphs added",
    "paragraph_dropped": "paragraphs dropped",
    "wording": "other wording",
}
PARAGRAPH_CATEGORIES = {"paragraph_added", "paragraph_dropped"}


@dataclass
class EditTally:
    category: str
    label: str
    count: int
    changes: list[tuple[str, str, int]]  # (before, after, times), most frequent first; empty for paragraphs


def tally_edits(edits: Sequence[Edit]) -> list[EditTally]:
    """Edits grouped by category (in CATEGORY_LABELS order), identical changes counted once with their number."""
    by_category: dict[str, Counter[tuple[str, str]]] = {}
    for edit in edits:
        change = (_squeeze(edit.a_text), _squeeze(edit.b_text))
        by_category.setdefault(edit.category, Counter())[change] += 1
    tallies = []
    for category in sorted(by_category, key=_category_order):
        counts = by_category[category]
        changes = [] if category in PARAGRAPH_CATEGORIES else _most_common(counts)
        label = CATEGORY_LABELS.get(category, category.replace("_", " "))
        tallies.append(EditTally(category, label, sum(counts.values()), changes))
    return tallies


def _most_common(counts: Counter[tuple[str, str]]) -> list[tuple[str, str, int]]:
    return [(before, after, n) for (before, after), n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def _category_order(category: str) -> tuple[int, str]:
    order = list(CATEGORY_LABELS)
    return (order.index(category) if category in order else len(order), category)


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def describe_tally(tally: EditTally, most: int | None = None, limit: int = 40) -> str:
    """ "term swaps (3): “rebel” → “opposition” (×2), …", showing at most ``most`` changes of ``limit`` chars."""
    shown = tally.changes if most is None else tally.changes[:most]
    changes = [_change(before, after, limit) + (f" (×{times})" if times > 1 else "") for before, after, times in shown]
    more = len(tally.changes) - len(shown)
    detail = ", ".join(changes) + (f" and {more} more" if more > 0 else "")
    return f"{tally.label} ({tally.count})" + (f": {detail}" if detail else "")


def _change(before: str, after: str, limit: int) -> str:
    if not after:
        return f"“{_clip(before, limit)}” dropped"
    if not before:
        return f"“{_clip(after, limit)}” added"
    return f"“{_clip(before, limit)}” → “{_clip(after, limit)}”"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
