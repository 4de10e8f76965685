"""Template lines over a distributed corpus: ``clean.find_template_lines`` as a map and a reduceByKey.

The local function counts every short line of the plain-text documents in one process. Here each
task turns its documents into (line hash, statistics) records, a reduceByKey adds them up per line,
and only the hashes found to be template come back to the driver, then the lines behind them (a
second pass over the documents). The thresholds and line keys are those of ``clean.templates``
(``tests/test_spark.py`` checks the two give the same set).

Per line the statistics are: how many documents carry it, in how many of them per outlet, and
whether it is running prose, judged (as locally) on its first occurrence in corpus order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from storylens.clean.blocks import is_prose, normalize_line, split_blocks, words_of
from storylens.clean.templates import (
    CORPUS_SHARE,
    MAX_TEMPLATE_WORDS,
    MIN_CORPUS_COUNT,
    MIN_OUTLET_COUNT,
    MIN_PROSE_OUTLET_COUNT,
    PROSE_OUTLET_SHARE,
    outlet_key,
)
from storylens.model import Document

if TYPE_CHECKING:
    from pyspark import RDD, SparkContext

# (documents with the line, {outlet: documents of that outlet with it}, (first document index, is prose))
LineStats = tuple[int, dict[str, int], tuple[int, bool]]


def line_hash(line: str) -> int:
    """A 64-bit key for a normalised line, the same in every Python worker (unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(line.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def candidate_lines(document: Document) -> dict[str, bool]:
    """Normalised short lines of a plain-text document, each with whether its first block is prose."""
    lines: dict[str, bool] = {}
    if document.kind != "text":
        return lines
    for block in split_blocks(document.content):
        if len(words_of(block.text)) > MAX_TEMPLATE_WORDS:
            continue
        key = normalize_line(block.text)
        if key and key not in lines:
            lines[key] = is_prose(block.text)
    return lines


def _line_records(index: int, document: Document) -> Iterator[tuple[int, LineStats]]:
    outlet = outlet_key(document)
    for line, prose in candidate_lines(document).items():
        yield line_hash(line), (1, {outlet: 1} if outlet is not None else {}, (index, prose))


def _merge(first: LineStats, second: LineStats) -> LineStats:
    outlets = dict(first[1])
    for outlet, count in second[1].items():
        outlets[outlet] = outlets.get(outlet, 0) + count
    return first[0] + second[0], outlets, min(first[2], second[2])


def _is_template(stats: LineStats, outlet_sizes: dict[str, int], corpus_floor: float) -> bool:
    count, outlets, (_, prose) = stats
    for outlet, outlet_count in outlets.items():
        if prose:
            if outlet_count >= max(MIN_PROSE_OUTLET_COUNT, PROSE_OUTLET_SHARE * outlet_sizes[outlet]):
                return True
        elif outlet_count >= MIN_OUTLET_COUNT:
            return True
    return count >= corpus_floor and not prose and len(outlets) != 1


def _outlet_of(document: Document) -> str | None:
    return outlet_key(document) if document.kind == "text" else None


def find_template_lines(sc: SparkContext, documents: RDD) -> frozenset[str]:
    """``clean.find_template_lines`` over an RDD of (corpus index, Document)."""
    sizes = documents.values().map(_outlet_of).filter(lambda key: key is not None).countByValue()
    total = documents.count()
    outlet_sizes = sc.broadcast(dict(sizes))
    corpus_floor = max(MIN_CORPUS_COUNT, CORPUS_SHARE * total)
    stats = documents.flatMap(lambda pair: _line_records(*pair)).reduceByKey(_merge)
    chosen = stats.filter(lambda kv: _is_template(kv[1], outlet_sizes.value, corpus_floor)).keys().collect()
    if not chosen:
        return frozenset()
    wanted = sc.broadcast(frozenset(chosen))
    lines = documents.flatMap(lambda pair: candidate_lines(pair[1])).filter(
        lambda line: line_hash(line) in wanted.value
    )
    return frozenset(lines.distinct().collect())
