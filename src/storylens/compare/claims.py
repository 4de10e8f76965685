"""Claims: statements that say the same thing, grouped across a story's articles.

Two statements can join one claim only when their content words are similar (TF-IDF cosine over lemmas)
and nothing that changes the meaning differs: negation, numbers, dates and the people named must agree.
Grouping is average-linkage agglomerative clustering, so one loose pair cannot chain unrelated groups.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from storylens.compare.statements import Statement, parse, split_statements
from storylens.compare.timeparts import dates_conflict
from storylens.model import Article, Claim, ReuseGroup
from storylens.reuse import independent_sources

# Cosine over content lemmas above which two statements can say the same thing; measured on the seeds,
# where wire copies score above 0.8 and paraphrases of one fact around 0.5.
SAME_CLAIM_SIMILARITY = 0.45


@dataclass
class StatementGroup:
    """Statements of one claim, with the statement that best represents them first."""

    statements: list[Statement]


def similarity_matrix(statements: Sequence[Statement]) -> np.ndarray:
    if not statements:
        return np.zeros((0, 0))
    documents = [" ".join(statement.lemmas) for statement in statements]
    vectorizer = TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True, ngram_range=(1, 2))
    try:
        vectors = vectorizer.fit_transform(documents)
    except ValueError:  # no content word anywhere
        return np.eye(len(statements))
    return cosine_similarity(vectors)


def can_agree(a: Statement, b: Statement) -> bool:
    """Negation, numbers, dates and named people must not differ for two statements to match."""
    if a.negated != b.negated:
        return False
    if a.numbers and b.numbers and a.numbers != b.numbers:
        return False
    if a.persons and b.persons and a.persons.isdisjoint(b.persons):
        return False
    return not dates_conflict(a.timexes, b.timexes)


def group_statements(statements: Sequence[Statement], threshold: float = SAME_CLAIM_SIMILARITY) -> list[StatementGroup]:
    """Cluster statements into groups that say the same thing (singletons included)."""
    if len(statements) < 2:
        return [StatementGroup([statement]) for statement in statements]
    similarity = similarity_matrix(statements)
    distance = 1.0 - similarity
    for i, a in enumerate(statements):
        for j in range(i + 1, len(statements)):
            if distance[i, j] < 1 - threshold and not can_agree(a, statements[j]):
                distance[i, j] = distance[j, i] = 1.0
    np.fill_diagonal(distance, 0.0)
    labels = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1 - threshold
    ).fit_predict(np.clip(distance, 0.0, 1.0))
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(int(label), []).append(index)
    groups = [_ordered_group(indices, similarity, statements) for indices in members.values()]
    return sorted(groups, key=lambda group: _position(group.statements[0]))


def extract_claims(articles: Sequence[Article], reuse: Sequence[ReuseGroup], min_articles: int = 2) -> list[Claim]:
    """Claims reported by at least ``min_articles`` articles, most independent sources first."""
    groups = group_statements(split_statements(articles, parse(articles)))
    claims = [to_claim(group, reuse) for group in groups]
    kept = [claim for claim in claims if len({c.article_id for c in claim.statements}) >= min_articles]
    return sorted(kept, key=lambda claim: (-claim.independent_sources, -len(claim.statements)))


def to_claim(group: StatementGroup, reuse: Sequence[ReuseGroup]) -> Claim:
    statements = group.statements
    outlets = {statement.article.id: statement.article.meta.outlet for statement in statements}
    published = sorted(s.article.meta.published for s in statements if s.article.meta.published)
    return Claim(
        text=statements[0].text,
        statements=[statement.citation for statement in statements],
        independent_sources=independent_sources(sorted(outlets), reuse, outlets),
        first_seen=published[0] if published else None,
        attributed_to=_shared_attribution(statements),
    )


def _shared_attribution(statements: Sequence[Statement]) -> str | None:
    """The speaker most statements attribute the claim to, or None when most outlets assert it."""
    speakers = Counter(statement.attributed_to for statement in statements)
    speaker, count = speakers.most_common(1)[0]
    return speaker if speaker is not None and count * 2 > len(statements) else None


def _ordered_group(indices: list[int], similarity: np.ndarray, statements: Sequence[Statement]) -> StatementGroup:
    """Medoid first (the wording closest to all others), then by article and position."""
    medoid = max(indices, key=lambda i: (similarity[i, indices].sum(), -i))
    rest = sorted((i for i in indices if i != medoid), key=lambda i: _position(statements[i]))
    return StatementGroup([statements[medoid]] + [statements[i] for i in rest])


def _position(statement: Statement) -> tuple[str, str, int]:
    return (statement.article.meta.published or "9999", statement.article.id, statement.span.start)
