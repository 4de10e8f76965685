"""Does an article belong to a story? A calibrated probability from similarity features and a time prior.

Content evidence is a logistic model over two similarities of the article to the story's members: the
mean cosine of their weighted-word vectors and of their entity vectors. Because the model is linear in
the features, its logit at the *mean* similarity is the mean of the pairwise logits: joining a story is
average linkage with a calibrated pairwise model, and it does not drift with the story's size.

The weights are fit by ``python benchmarks/stories.py --fit``: a plain logistic regression on the
article pairs that the candidate search would compare (they share a key term) in the *dev half* of each
benchmark set (ECB+ split by topic, Multi-News by cluster); the test halves never touch the fit. The
intercept therefore carries the dev data's prior that two candidate articles tell the same story.

Time enters as prior odds, not as a learned weight (the benchmark sets carry no dates): within
``GRACE_DAYS`` of the story's dated articles the odds are untouched, beyond that they halve every
``HALF_LIFE_DAYS``. An article joins its best story when the probability exceeds one half, i.e. when
the evidence says "same event" more likely than not; otherwise it opens a new story.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Fit by `python benchmarks/stories.py --fit` (candidate pairs in the dev halves of ECB+ and Multi-News).
INTERCEPT = -2.85
WORD_WEIGHT = 12.03
ENTITY_WEIGHT = 6.4
# The same model with the mean cosine of the members' lead embeddings as a third feature (extra ``embed``).
EMBED_INTERCEPT = -4.1
EMBED_WORD_WEIGHT = 8.62
EMBED_ENTITY_WEIGHT = 4.97
EMBEDDING_WEIGHT = 3.59

GRACE_DAYS = 2.0
HALF_LIFE_DAYS = 7.0
# Beyond this gap the prior alone keeps the probability under 1 %: stories older than that are not
# searched (the time window of the candidate search).
WINDOW_DAYS = GRACE_DAYS + HALF_LIFE_DAYS * 10


@dataclass(frozen=True)
class Evidence:
    word_cosine: float
    entity_cosine: float
    gap_days: float | None  # None when the article or the story has no date
    embedding_cosine: float | None = None  # None without the ``embed`` extra

    def content_logit(self) -> float:
        if self.embedding_cosine is None:
            return INTERCEPT + WORD_WEIGHT * self.word_cosine + ENTITY_WEIGHT * self.entity_cosine
        return (
            EMBED_INTERCEPT
            + EMBED_WORD_WEIGHT * self.word_cosine
            + EMBED_ENTITY_WEIGHT * self.entity_cosine
            + EMBEDDING_WEIGHT * self.embedding_cosine
        )

    def time_log_odds(self) -> float:
        if self.gap_days is None:
            return 0.0
        excess = max(0.0, self.gap_days - GRACE_DAYS)
        return -math.log(2.0) * excess / HALF_LIFE_DAYS

    def probability(self) -> float:
        return _sigmoid(self.content_logit() + self.time_log_odds())


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exponential = math.exp(value)
    return exponential / (1.0 + exponential)
