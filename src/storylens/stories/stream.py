"""Online story clustering: each article joins its most probable story or opens a new one.

A story keeps the sum of its members' (unit) word and entity vectors, so the mean cosine of an article
to the members costs one pass over the article's terms. Candidate stories come from an inverted index
over each story's key terms (entities and the heaviest words); each posting list is read only at its
most recent end and only stories inside the time window are scored, so the cost per article is bounded
and a stream stays near-linear in its length.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from storylens.model import Article, ReuseGroup, Story, StoryMember
from storylens.stories.decision import WINDOW_DAYS, Evidence
from storylens.stories.embed import Encoder, lead
from storylens.stories.features import ArticleFeatures, SparseVector, TermWeights, dot, extract

KEY_WORDS = 8
KEY_ENTITIES = 8
POSTINGS_READ = 48  # most recent stories read per key term
CANDIDATES = 12  # stories scored in full per article
LABEL_ENTITIES = 5
JOIN_PROBABILITY = 0.5


def story_id_for(article_id: str) -> str:
    """A story's id is derived from the article that opened it, so reruns give the same ids."""
    return "s-" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:10]


@dataclass
class _Centroid:
    """Sum of the members' unit vectors: the mean cosine of an article to them is one dot product."""

    total: SparseVector = field(default_factory=dict)
    count: int = 0

    def add(self, vector: SparseVector, sign: int = 1) -> None:
        self.count += sign
        for term, weight in vector.items():
            self.total[term] = self.total.get(term, 0.0) + sign * weight

    def mean_cosine(self, vector: SparseVector, without_self: bool = False) -> float:
        """Average cosine of a unit vector to the members; ``without_self`` leaves the vector's own out."""
        product, count = dot(vector, self.total), self.count
        if without_self:
            product, count = product - dot(vector, vector), count - 1
        return max(0.0, product / count) if count > 0 else 0.0


@dataclass
class _DenseCentroid:
    """Sum of the members' unit embeddings (None until a member with an embedding joins)."""

    total: np.ndarray | None = None
    count: int = 0

    def add(self, vector: np.ndarray | None, sign: int = 1) -> None:
        if vector is None:
            return
        self.count += sign
        self.total = sign * vector if self.total is None else self.total + sign * vector

    def mean_cosine(self, vector: np.ndarray | None, without_self: bool = False) -> float | None:
        if vector is None or self.total is None:
            return None
        product, count = float(vector @ self.total), self.count
        if without_self:
            product, count = product - float(vector @ vector), count - 1
        return max(0.0, product / count) if count > 0 else None


@dataclass
class Cluster:
    id: str
    order: int
    words: _Centroid = field(default_factory=_Centroid)
    entities: _Centroid = field(default_factory=_Centroid)
    embeddings: _DenseCentroid = field(default_factory=_DenseCentroid)
    members: list[str] = field(default_factory=list)
    days: list[float] = field(default_factory=list)
    span: tuple[float, float] | None = None  # first and last day of the dated members
    pinned: set[str] = field(default_factory=set)  # members kept from previous runs
    indexed: set[str] = field(default_factory=set)

    def add(self, features: ArticleFeatures) -> None:
        self.members.append(features.article_id)
        self.words.add(features.words)
        self.entities.add(features.entities)
        self.embeddings.add(features.embedding)
        if features.day is not None:
            self.days.append(features.day)
            first, last = self.span or (features.day, features.day)
            self.span = (min(first, features.day), max(last, features.day))

    def reset(self) -> None:
        self.words, self.entities, self.embeddings = _Centroid(), _Centroid(), _DenseCentroid()
        self.members, self.days, self.indexed, self.span = [], [], set(), None

    def remove(self, features: ArticleFeatures) -> None:
        self.members.remove(features.article_id)
        self.words.add(features.words, -1)
        self.entities.add(features.entities, -1)
        self.embeddings.add(features.embedding, -1)
        if features.day is not None:
            self.days.remove(features.day)
            self.span = (min(self.days), max(self.days)) if self.days else None

    def gap_days(self, day: float | None) -> float | None:
        if day is None or self.span is None:
            return None
        return max(0.0, self.span[0] - day, day - self.span[1])

    def within_window(self, day: float | None) -> bool:
        gap = self.gap_days(day)
        return gap is None or gap <= WINDOW_DAYS

    def evidence(self, features: ArticleFeatures, member: bool = False) -> Evidence:
        return Evidence(
            self.words.mean_cosine(features.words, without_self=member),
            self.entities.mean_cosine(features.entities, without_self=member),
            self.gap_days(features.day),
            self.embeddings.mean_cosine(features.embedding, without_self=member),
        )


def key_terms(features: ArticleFeatures) -> list[str]:
    entities = sorted(features.entities, key=lambda term: -features.entities[term])[:KEY_ENTITIES]
    words = sorted(features.words, key=lambda term: -features.words[term])[:KEY_WORDS]
    return ["e:" + term for term in entities] + ["w:" + term for term in words]


def wire_groups(reuse: Iterable[ReuseGroup]) -> dict[str, str]:
    """Article id -> the id of its reuse group (the first group wins for an article in two)."""
    group_of: dict[str, str] = {}
    for group in reuse:
        for member in group.members:
            group_of.setdefault(member, group.id)
    return group_of


class StoryStream:
    """Incremental story clustering; restorable from previous stories and their articles."""

    def __init__(
        self,
        previous: Sequence[Story] = (),
        articles: Sequence[Article] = (),
        reuse: Sequence[ReuseGroup] = (),
        encoder: Encoder | None = None,
    ) -> None:
        self.encoder = encoder
        self._embeddings: dict[str, np.ndarray] = {}
        self.features: dict[str, ArticleFeatures] = {}
        self.clusters: dict[str, Cluster] = {}
        self.story_of: dict[str, str] = {}
        self.scores: dict[str, float] = {}
        self.weights = TermWeights()
        self._postings: dict[str, list[str]] = defaultdict(list)
        self._wire_group = wire_groups(reuse)
        self._group_story: dict[str, str] = {}
        self.alone: set[str] = set()  # stories no other article may join (page furniture)
        self._restore(previous, articles)

    def _restore(self, previous: Sequence[Story], articles: Sequence[Article]) -> None:
        """Previous stories keep their ids with the members given here; a story with none is dropped."""
        by_id = {article.id: article for article in articles}
        for story in previous:
            present = [m for m in story.members if m.article_id in by_id and m.article_id not in self.story_of]
            if not present or story.id in self.clusters:
                continue
            cluster = self.open_story(story.id)
            for member in present:
                self._place(cluster, self.featurize(by_id[member.article_id]), member.score)
                cluster.pinned.add(member.article_id)

    def add(self, article: Article) -> tuple[str, float]:
        """Put one article in a story; returns (story id, membership probability)."""
        if article.id in self.story_of:
            return self.story_of[article.id], self.scores[article.id]
        features = self.featurize(article)
        forced = self._group_story.get(self._wire_group.get(article.id, ""))
        if forced is not None:
            return self._place(self.clusters[forced], features, 1.0)
        best, probability = self.best_story(features)
        if best is None or probability <= JOIN_PROBABILITY:
            return self._place(self.open_story(story_id_for(article.id)), features, 1.0)
        return self._place(best, features, probability)

    def add_alone(self, article: Article) -> tuple[str, float]:
        """Give an article a story of its own that no other article joins (see ``batch.furniture``)."""
        if article.id in self.story_of:
            return self.story_of[article.id], self.scores[article.id]
        cluster = self.open_story(story_id_for(article.id))
        self.alone.add(cluster.id)
        return self._place(cluster, self.featurize(article), 1.0)

    def best_story(self, features: ArticleFeatures, exclude: str | None = None) -> tuple[Cluster | None, float]:
        best: Cluster | None = None
        best_probability = 0.0
        for cluster in self.candidates(features):
            if cluster.id == exclude:
                continue
            probability = cluster.evidence(features).probability()
            if probability > best_probability:
                best, best_probability = cluster, probability
        return best, best_probability

    def candidates(self, features: ArticleFeatures) -> list[Cluster]:
        overlap: dict[str, float] = defaultdict(float)
        for term in key_terms(features):
            weight = features.entities.get(term[2:], 0.0) if term[0] == "e" else features.words.get(term[2:], 0.0)
            for story_id in self._postings.get(term, [])[-POSTINGS_READ:]:
                overlap[story_id] += weight
        in_window = [
            story_id
            for story_id in overlap
            if story_id in self.clusters
            and story_id not in self.alone
            and self.clusters[story_id].within_window(features.day)
        ]
        ranked = sorted(in_window, key=lambda sid: (-overlap[sid], self.clusters[sid].order))[:CANDIDATES]
        return [self.clusters[story_id] for story_id in ranked]

    def embed(self, articles: Sequence[Article]) -> None:
        """Embed many articles in batches ahead of ``add`` (much cheaper than one at a time)."""
        todo = [a for a in articles if a.id not in self._embeddings and a.id not in self.features]
        if self.encoder is None or not todo:
            return
        vectors = self.encoder.encode([lead(article.meta.title, article.body) for article in todo])
        self._embeddings.update(zip((article.id for article in todo), vectors, strict=True))

    def featurize(self, article: Article) -> ArticleFeatures:
        features = extract(article.id, article.meta.title, article.body, article.meta.published)
        if self.encoder is not None:
            self.embed([article])
            features.embedding = self._embeddings.pop(article.id)
        self.weights.observe(features)
        self.weights.weigh(features)
        self.features[article.id] = features
        return features

    def reweigh(self) -> None:
        """Recompute every vector with the final document frequencies and rebuild stories and index."""
        self._postings.clear()
        for features in self.features.values():
            self.weights.weigh(features)
        for cluster in self.clusters.values():
            members = [self.features[article_id] for article_id in cluster.members]
            cluster.reset()
            for features in members:
                cluster.add(features)
                self.index(cluster, features)

    def open_story(self, story_id: str) -> Cluster:
        cluster = Cluster(story_id, len(self.clusters))
        self.clusters[story_id] = cluster
        return cluster

    def _place(self, cluster: Cluster, features: ArticleFeatures, score: float) -> tuple[str, float]:
        cluster.add(features)
        self.story_of[features.article_id] = cluster.id
        self.scores[features.article_id] = score
        group = self._wire_group.get(features.article_id)
        if group is not None:
            self._group_story.setdefault(group, cluster.id)
        self.index(cluster, features)
        return cluster.id, score

    def index(self, cluster: Cluster, features: ArticleFeatures) -> None:
        for term in key_terms(features):
            if term not in cluster.indexed:
                cluster.indexed.add(term)
                self._postings[term].append(cluster.id)

    def move(self, article_id: str, target: Cluster) -> None:
        features = self.features[article_id]
        source = self.clusters[self.story_of[article_id]]
        source.remove(features)
        if not source.members:
            del self.clusters[source.id]
        target.add(features)
        self.story_of[article_id] = target.id
        self.index(target, features)

    def stories(self) -> list[Story]:
        return [self._story(cluster) for cluster in sorted(self.clusters.values(), key=lambda c: c.order)]

    def _story(self, cluster: Cluster) -> Story:
        members = [
            StoryMember(article_id, round(self.scores[article_id], 4), self.features[article_id].undated)
            for article_id in cluster.members
        ]
        return Story(
            id=cluster.id,
            label=self._label(cluster),
            members=members,
            start=_iso_day(cluster.span[0]) if cluster.span else None,
            end=_iso_day(cluster.span[1]) if cluster.span else None,
            entities=self._top_names(cluster),
        )

    def _label(self, cluster: Cluster) -> str:
        """The headline of the member closest to the story's centroid."""
        central = max(
            cluster.members,
            key=lambda article_id: (
                cluster.words.mean_cosine(self.features[article_id].words, without_self=True),
                -cluster.members.index(article_id),
            ),
        )
        return self.features[central].headline

    def _top_names(self, cluster: Cluster) -> list[str]:
        names: dict[str, str] = {}
        for article_id in cluster.members:
            for entity, name in self.features[article_id].names.items():
                names.setdefault(entity, name)
        ranked = sorted(
            (entity for entity, weight in cluster.entities.total.items() if weight > 0 and entity in names),
            key=lambda entity: (-cluster.entities.total[entity], entity),
        )
        return [names[entity] for entity in ranked if not entity[0].isdigit()][:LABEL_ENTITIES]


def _iso_day(day: float) -> str:
    return datetime.fromtimestamp(day * 86400.0, tz=UTC).date().isoformat()
