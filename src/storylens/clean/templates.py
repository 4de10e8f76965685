"""Template lines: lines that recur across many articles of one outlet, or of the whole corpus.

Wire copies share whole paragraphs across outlets and an outlet reuses background paragraphs, so
running prose counts as template only when it recurs in a large share of one outlet's articles
(author bios, disclaimers); short non-prose lines (menus, footers, widgets) need less.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from storylens.clean.blocks import is_prose, normalize_line, split_blocks, words_of
from storylens.clean.outlets import host_of
from storylens.model import Document

MAX_TEMPLATE_WORDS = 80
MIN_OUTLET_COUNT = 3
MIN_PROSE_OUTLET_COUNT = 5
PROSE_OUTLET_SHARE = 0.3
MIN_CORPUS_COUNT = 5
CORPUS_SHARE = 0.02


def outlet_key(document: Document) -> str | None:
    source = document.hints.get("source")
    if source:
        return source.casefold()
    url = document.hints.get("url")
    return host_of(url) if url else None


def find_template_lines(documents: Sequence[Document]) -> frozenset[str]:
    """Normalised lines that are page template in this corpus (see ``normalize_line``)."""
    corpus: Counter[str] = Counter()
    outlets_of_line: defaultdict[str, set[str]] = defaultdict(set)
    by_outlet: defaultdict[str, Counter[str]] = defaultdict(Counter)
    outlet_sizes: Counter[str] = Counter()
    prose: dict[str, bool] = {}
    for document in documents:
        if document.kind != "text":
            continue
        key = outlet_key(document)
        lines = _candidate_lines(document.content, prose)
        corpus.update(lines)
        if key is not None:
            outlet_sizes[key] += 1
            by_outlet[key].update(lines)
            for line in lines:
                outlets_of_line[line].add(key)
    template = {
        line
        for outlet, counts in by_outlet.items()
        for line, count in counts.items()
        if _outlet_template(count, outlet_sizes[outlet], prose[line])
    }
    corpus_floor = max(MIN_CORPUS_COUNT, CORPUS_SHARE * len(documents))
    template.update(
        line
        for line, count in corpus.items()
        if count >= corpus_floor and not prose[line] and len(outlets_of_line[line]) != 1
    )
    return frozenset(template)


def _candidate_lines(content: str, prose: dict[str, bool]) -> set[str]:
    lines: set[str] = set()
    for block in split_blocks(content):
        if len(words_of(block.text)) > MAX_TEMPLATE_WORDS:
            continue
        key = normalize_line(block.text)
        if key:
            lines.add(key)
            if key not in prose:
                prose[key] = is_prose(block.text)
    return lines


def _outlet_template(count: int, outlet_size: int, is_running_prose: bool) -> bool:
    if is_running_prose:
        return count >= max(MIN_PROSE_OUTLET_COUNT, PROSE_OUTLET_SHARE * outlet_size)
    return count >= MIN_OUTLET_COUNT
