"""Training data and fitting for the block model, from pages with a gold article body.

A page is rendered to plain text (``render.visible_lines``); a block is labelled body when most of
its word 4-grams (or, for blocks under four words, its whole word sequence) occur in the gold body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from storylens.clean.blockmodel import block_features
from storylens.clean.blocks import Block, split_blocks

_TOKEN = re.compile(r"\w+")
SHINGLE = 4
BODY_SHARE = 0.5


@dataclass
class Page:
    id: str
    text: str  # the page rendered as plain text
    gold: str  # the gold article body


def shingles(tokens: Sequence[str], n: int = SHINGLE) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]]


def block_labels(blocks: Sequence[Block], gold: str) -> list[int]:
    gold_tokens = _TOKEN.findall(gold)
    gold_shingles = set(shingles(gold_tokens))
    gold_joined = f" {' '.join(gold_tokens)} "
    labels = []
    for block in blocks:
        tokens = _TOKEN.findall(block.text)
        if len(tokens) < SHINGLE:
            labels.append(int(bool(tokens) and f" {' '.join(tokens)} " in gold_joined))
            continue
        own = shingles(tokens)
        labels.append(int(sum(shingle in gold_shingles for shingle in own) >= BODY_SHARE * len(own)))
    return labels


def page_matrix(pages: Sequence[Page]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels and the page index of each block, over all pages."""
    features, labels, groups = [], [], []
    for index, page in enumerate(pages):
        blocks = split_blocks(page.text)
        if not blocks:
            continue
        features.append(block_features(blocks))
        labels.extend(block_labels(blocks, page.gold))
        groups.extend([index] * len(blocks))
    return np.vstack(features), np.array(labels), np.array(groups)


def fit(features: np.ndarray, labels: np.ndarray, seed: int = 0) -> HistGradientBoostingClassifier:
    model = HistGradientBoostingClassifier(
        max_iter=200, learning_rate=0.08, max_leaf_nodes=31, min_samples_leaf=20, random_state=seed
    )
    return model.fit(features, labels)
