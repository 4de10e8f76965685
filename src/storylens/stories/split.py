"""Split a story that holds two events of one kind, when the two sides differ in the names they carry.

The join model groups a *thread*: it is fit on "same topic" pairs (ECB+ puts two events of one kind in
a topic, e.g. two Klitschko title defences), so it also joins sibling events that share most of their
vocabulary and names. This pass then looks for the events inside each story:

1. Local weights: every member's word and entity weights are multiplied by ``log(n / df)``, with ``df``
   counted among the story's own ``n`` members, so the terms the whole story shares ("Klitschko",
   "heavyweight") drop out and what tells the members apart ("Rahman" vs "Thompson") remains.
2. Average linkage over the members' cosines of those vectors; the top split of the tree is the
   candidate. A member that splits off alone (an outlier, not an event) is set aside and the split
   below it is taken; set-aside members follow the side they are closer to, and then every member
   moves to the side it is closer to on average until nothing moves (linkage merges greedily).
3. A split stands only with evidence that the sides are different events: at least
   ``MIN_DISTINCT_TERMS`` names or numbers whose presence differs between the sides by Fisher's exact
   test at ``SIGNIFICANCE`` (e.g. a participant named in most articles of one side and none of the
   other). Small stories cannot reach significance: under nine members a story is never split (eight
   split four and four, each side naming someone the other never does, give p = 0.018).

Both halves are tested again. Cost: quadratic in a story's size, so large stories are split on an
evenly spread sample of ``SPLIT_SAMPLE`` members and the rest follow the closer side.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from scipy.cluster.hierarchy import ClusterNode, linkage, to_tree
from scipy.sparse import csr_matrix
from scipy.spatial.distance import squareform
from scipy.stats import fisher_exact

from storylens.stories.features import ArticleFeatures, SparseVector, dot

MIN_SIDE = 2
MIN_MEMBERS = 2 * MIN_SIDE
SIGNIFICANCE = 0.01
MIN_DISTINCT_TERMS = 3
SPLIT_SAMPLE = 60
REFINE_ROUNDS = 10


def split_events(members: Sequence[ArticleFeatures]) -> tuple[list[str], list[str]] | None:
    """Two groups of article ids when the members tell two different events, else None."""
    if len(members) < MIN_MEMBERS:
        return None
    sample = _spread(members, SPLIT_SAMPLE)
    vectors = _local_vectors(sample)
    similarity = _cosines(vectors)
    sides = _top_split(similarity)
    if sides is None:
        return None
    first = [sample[k] for k in sides[0]]
    second = [sample[k] for k in sides[1]]
    if _distinct_terms(first, second) < MIN_DISTINCT_TERMS:
        return None
    return _assign_rest(members, sample, vectors, sides)


def _spread(members: Sequence[ArticleFeatures], limit: int) -> list[ArticleFeatures]:
    if len(members) <= limit:
        return list(members)
    step = len(members) / limit
    return [members[int(position * step)] for position in range(limit)]


def _terms(features: ArticleFeatures) -> SparseVector:
    return features.words | {"e:" + term: weight for term, weight in features.entities.items()}


def _local_vectors(members: Sequence[ArticleFeatures]) -> list[SparseVector]:
    """Unit vectors re-weighed by ``log(n / df)`` inside the story: what all members share weighs 0."""
    terms = [_terms(features) for features in members]
    df = Counter(term for vector in terms for term in vector)
    count = len(members)
    vectors = []
    for vector in terms:
        local = {term: weight * math.log(count / df[term]) for term, weight in vector.items() if df[term] < count}
        norm = math.sqrt(sum(weight * weight for weight in local.values())) or 1.0
        vectors.append({term: weight / norm for term, weight in local.items()})
    return vectors


def _cosines(vectors: Sequence[SparseVector]) -> np.ndarray:
    """All pairwise dot products at once, as a sparse matrix product."""
    vocabulary: dict[str, int] = {}
    rows, columns, weights = [], [], []
    for row, vector in enumerate(vectors):
        for term, weight in vector.items():
            rows.append(row)
            columns.append(vocabulary.setdefault(term, len(vocabulary)))
            weights.append(weight)
    matrix = csr_matrix((weights, (rows, columns)), shape=(len(vectors), max(1, len(vocabulary))))
    return (matrix @ matrix.T).toarray()


def _top_split(similarity: np.ndarray) -> tuple[list[int], list[int]] | None:
    """The two sides of the average-linkage tree's top split, outliers set aside (step 2)."""
    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    node: ClusterNode = to_tree(linkage(squareform(distance, checks=False), "average"))
    aside: list[int] = []
    while not node.is_leaf() and min(node.left.count, node.right.count) < MIN_SIDE:
        small, node = sorted((node.left, node.right), key=lambda child: child.count)
        aside += small.pre_order()
        if node.count < MIN_MEMBERS:
            return None
    if node.is_leaf():
        return None
    first, second = node.left.pre_order(), node.right.pre_order()
    for k in aside:
        closer_to_first = similarity[k, first].mean() >= similarity[k, second].mean()
        (first if closer_to_first else second).append(k)
    return _refine(similarity, first, second)


def _refine(similarity: np.ndarray, first: list[int], second: list[int]) -> tuple[list[int], list[int]]:
    """Move each member to the side it is closer to on average (linkage merges greedily), until stable."""
    side = np.zeros(len(similarity), dtype=int)
    side[second] = 1
    to_others = similarity - np.eye(len(similarity))  # a member's similarity to itself does not count
    for _ in range(REFINE_ROUNDS):
        mean_to = [to_others[:, side == n].sum(axis=1) / np.maximum(1, (side == n).sum() - (side == n)) for n in (0, 1)]
        moved = (mean_to[1] > mean_to[0]).astype(int)
        if (moved == side).all() or min(moved.sum(), len(moved) - moved.sum()) < MIN_SIDE:
            break
        side = moved
    return list(np.flatnonzero(side == 0)), list(np.flatnonzero(side == 1))


def _distinct_terms(first: Sequence[ArticleFeatures], second: Sequence[ArticleFeatures]) -> int:
    """Names and numbers whose presence differs between the sides by Fisher's exact test."""
    present_first = Counter(term for features in first for term in features.entities)
    present_second = Counter(term for features in second for term in features.entities)
    return sum(
        _p_value(present_first[term], len(first), present_second[term], len(second)) < SIGNIFICANCE
        for term in present_first.keys() | present_second.keys()
    )


@lru_cache(maxsize=1 << 16)
def _p_value(with_first: int, size_first: int, with_second: int, size_second: int) -> float:
    table = [[with_first, size_first - with_first], [with_second, size_second - with_second]]
    return float(fisher_exact(table).pvalue)


def _assign_rest(
    members: Sequence[ArticleFeatures],
    sample: Sequence[ArticleFeatures],
    vectors: Sequence[SparseVector],
    sides: tuple[list[int], list[int]],
) -> tuple[list[str], list[str]]:
    """Sampled members keep their side; the others follow the side with the higher mean local cosine."""
    side_of = {sample[k].article_id: n for n, side in enumerate(sides) for k in side}
    centroids = [_sum(vectors[k] for k in side) for side in sides]
    sizes = [len(side) for side in sides]
    groups: tuple[list[str], list[str]] = ([], [])
    for features in members:
        side = side_of.get(features.article_id)
        if side is None:
            vector = _terms(features)
            side = int(dot(vector, centroids[1]) / sizes[1] > dot(vector, centroids[0]) / sizes[0])
        groups[side].append(features.article_id)
    return groups


def _sum(vectors: Iterable[SparseVector]) -> SparseVector:
    total: SparseVector = {}
    for vector in vectors:
        for term, weight in vector.items():
            total[term] = total.get(term, 0.0) + weight
    return total
