"""The learned block scorer: P(body) for each block from its own and its neighbours' features.

Trained by ``benchmarks/train_clean_model.py`` on the scrapinghub pages rendered as plain text and
shipped as ``clean/blocks.joblib``. Without that file the cleaner falls back to sentence shape.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import numpy as np
from threadpoolctl import ThreadpoolController

from storylens.clean import rules
from storylens.clean.blocks import (
    Block,
    capitalized_ratio,
    ends_sentence,
    is_prose,
    normalize_line,
    punct_ratio,
    sentence_count,
    stop_ratio,
    words_of,
)

MODEL_FILE = "blocks.joblib"
CONTEXT = 2  # neighbours on each side whose features join a block's own
DOCUMENT_FEATURES = 12
DENSE_WINDOW = 7
DENSE_SHARE = 0.3  # a block sits in the main text run while this share of its window is prose


def own_features(block: Block) -> list[float]:
    text = block.text
    words = words_of(text)
    n_words = len(words)
    return [
        math.log1p(len(text)),
        math.log1p(n_words),
        stop_ratio(words),
        capitalized_ratio(words),
        punct_ratio(text),
        float(ends_sentence(text)),
        math.log1p(sentence_count(text)),
        float(is_prose(text)),
        sum(ch.isdigit() for ch in text) / max(1, len(text)),
        float(rules.pattern_reason(text) is not None),
        float(rules.is_caption(text)),
        float("|" in text or "»" in text or "›" in text),
        float(bool(rules.byline_name(text))),
        sum(len(word) for word in words) / max(1, n_words),
    ]


def block_features(blocks: Sequence[Block]) -> np.ndarray:
    """One row per block: own features, neighbours' features, position and document-level context."""
    own = np.array([own_features(block) for block in blocks], dtype=float).reshape(len(blocks), -1)
    if not len(blocks):
        return np.zeros((0, own.shape[1] * (2 * CONTEXT + 1) + DOCUMENT_FEATURES))
    width = own.shape[1]
    padded = np.vstack([np.full((CONTEXT, width), -1.0), own, np.full((CONTEXT, width), -1.0)])
    context = [padded[CONTEXT + offset : CONTEXT + offset + len(blocks)] for offset in range(-CONTEXT, CONTEXT + 1)]
    return np.hstack([*context, _document_features(blocks, own[:, 7])])


def _document_features(blocks: Sequence[Block], prose: np.ndarray) -> np.ndarray:
    """Where a block sits: position, prose around it at three widths, its place relative to the densest
    run of running text (the article, most likely), and how often its line recurs on the page."""
    count = len(blocks)
    lengths = np.array([len(block.text) for block in blocks], dtype=float)
    cumulative = np.cumsum(lengths) / max(1.0, lengths.sum())
    prose_cumulative = np.cumsum(prose * lengths) / max(1.0, (prose * lengths).sum())
    position = np.arange(count) / max(1, count - 1)
    centre = int(np.argmax(_window_mean(prose * lengths, 9)))
    offset = (np.arange(count) - centre) / max(1, count)
    keys = [normalize_line(block.text) for block in blocks]
    recurrence = Counter(keys)
    return np.column_stack(
        [
            position,
            cumulative,
            prose_cumulative,
            _window_mean(prose, DENSE_WINDOW),
            _window_mean(prose, 15),
            _window_mean(prose, 41),
            _main_run(_window_mean(prose, DENSE_WINDOW) >= DENSE_SHARE, centre),
            offset,
            np.abs(offset),
            [math.log1p(recurrence[key] - 1) for key in keys],
            np.full(count, math.log1p(count)),
            lengths / max(1.0, lengths.max()),
        ]
    )


def _window_mean(values: np.ndarray, width: int) -> np.ndarray:
    return np.convolve(np.pad(values, width // 2, mode="edge"), np.ones(width) / width, mode="valid")


def _main_run(dense: np.ndarray, centre: int) -> np.ndarray:
    """1.0 on the contiguous dense blocks around ``centre``."""
    start = centre
    while start > 0 and dense[start - 1]:
        start -= 1
    end = centre
    while end < len(dense) - 1 and dense[end + 1]:
        end += 1
    run = np.zeros(len(dense))
    run[start : end + 1] = 1.0
    return run


class BlockScorer:
    def __init__(self, model: object) -> None:
        self.model = model

    def __call__(self, blocks: Sequence[Block]) -> list[float]:
        if not blocks:
            return []
        features = block_features(blocks)
        # One thread: per-article batches are small, and OpenMP start-up dominates (10x slower on 2 cores).
        # The controller is built once: finding the loaded thread pools cost a third of clean's time.
        with _thread_pools().limit(limits=1, user_api="openmp"):
            probabilities = self.model.predict_proba(features)[:, 1]  # type: ignore[attr-defined]
        return [float(value) for value in probabilities]


@lru_cache(maxsize=1)
def _thread_pools() -> ThreadpoolController:
    return ThreadpoolController()


@lru_cache(maxsize=1)
def load_scorer() -> BlockScorer | None:
    resource = resources.files(__package__).joinpath(MODEL_FILE)
    if not resource.is_file():
        return None
    import joblib

    with resources.as_file(resource) as path:
        return BlockScorer(joblib.load(path))
