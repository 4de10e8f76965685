"""Turn a candidate pair into a verified ``ReusePair`` by aligning the two texts."""

from __future__ import annotations

from datetime import UTC, datetime

from storylens.model import Article, ReusePair
from storylens.reuse.align import align as align_tokens
from storylens.reuse.align import cached_tokens
from storylens.reuse.provenance import Candidate, parse_published
from storylens.reuse.sketch import ReuseSettings

LATEST = datetime.max.replace(tzinfo=UTC)


def candidate_of(article: Article, words: int) -> Candidate:
    return Candidate(article.id, article.meta.published, words)


def precedence(candidate: Candidate) -> tuple[datetime, int, str]:
    """Sort key putting the likelier source first: earlier, then longer, then by id."""
    return (parse_published(candidate.published) or LATEST, -candidate.words, candidate.id)


def verify(a_id: str, a_body: str, b_id: str, b_body: str, exact: bool, settings: ReuseSettings) -> ReusePair | None:
    """Align the two bodies; a pair when enough of the smaller one is aligned (or the texts are equal)."""
    alignment = align_tokens(cached_tokens(a_body), cached_tokens(b_body))
    larger_share = max(alignment.containment_a_in_b, alignment.containment_b_in_a)
    smaller_share = min(alignment.containment_a_in_b, alignment.containment_b_in_a)
    if exact:
        kind = "exact"
    elif alignment.aligned_words < settings.min_aligned_words or larger_share < settings.min_containment:
        return None
    else:
        kind = "near" if smaller_share >= settings.near_containment else "partial"
    return ReusePair(
        a=a_id,
        b=b_id,
        kind=kind,
        similarity=round(1.0 if exact else alignment.similarity, 4),
        containment_a_in_b=round(1.0 if exact else alignment.containment_a_in_b, 4),
        containment_b_in_a=round(1.0 if exact else alignment.containment_b_in_a, 4),
        passages=alignment.passages,
        edits=alignment.edits,
    )
