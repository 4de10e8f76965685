"""Batch story grouping: the stream in date order (page furniture kept apart), a reassign sweep, merges,
then each story split into its events when its sides have names of their own (``split.py``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from storylens.model import Article, ReuseGroup, Story
from storylens.stories.embed import Encoder
from storylens.stories.features import parse_day
from storylens.stories.split import split_events
from storylens.stories.stream import JOIN_PROBABILITY, Cluster, StoryStream, story_id_for, wire_groups

MERGE_ROUNDS = 3
LINK_SAMPLE = 50
# Page furniture: a text shorter than a news brief that several pages carry word for word.
FURNITURE_MAX_WORDS = 100


def group_stories(
    articles: Sequence[Article],
    reuse: Sequence[ReuseGroup] = (),
    previous: Sequence[Story] = (),
    encoder: Encoder | None = None,
) -> list[Story]:
    """Group articles (status "ok") into stories; previous stories keep their ids.

    ``encoder`` (see ``storylens.stories.embed.load_encoder``) adds lead embeddings to the evidence.
    """
    usable = _unique_ok(articles)
    stream = StoryStream(previous, usable, reuse, encoder)
    order = _stream_order(usable)
    stream.embed(order)
    alone = furniture(usable) - set(wire_groups(reuse))
    for article in order:
        stream.add_alone(article) if article.id in alone else stream.add(article)
    stream.reweigh()
    movable = _movable(stream, reuse) - alone
    _reassign(stream, [article.id for article in order if article.id in movable])
    _merge(stream)
    _split(stream, reuse)
    _rescore(stream)
    return stream.stories()


def furniture(articles: Sequence[Article]) -> set[str]:
    """Ids of pages whose whole text is page furniture: short, and carried word for word by another page.

    A tweet-embed notice or an archive banner scraped in place of an article says nothing about the
    event its page covered; joining on it would merge unrelated stories, so each such page stays alone.
    Real wire copies are longer than ``FURNITURE_MAX_WORDS`` and the reuse stage ties them anyway.
    """
    texts = {article.id: " ".join(article.body.split()) for article in articles}
    short = Counter(text for text in texts.values() if text and len(text.split()) < FURNITURE_MAX_WORDS)
    return {article_id for article_id, text in texts.items() if short[text] > 1}


def _unique_ok(articles: Sequence[Article]) -> list[Article]:
    seen: set[str] = set()
    usable = []
    for article in articles:
        if article.status == "ok" and article.id not in seen:
            seen.add(article.id)
            usable.append(article)
    return usable


def _stream_order(articles: list[Article]) -> list[Article]:
    """Dated articles by date (ties by id), then the undated ones in their input order."""
    days = {article.id: parse_day(article.meta.published) for article in articles}
    dated = sorted((a for a in articles if days[a.id] is not None), key=lambda a: (days[a.id], a.id))
    return dated + [article for article in articles if days[article.id] is None]


def _movable(stream: StoryStream, reuse: Sequence[ReuseGroup]) -> set[str]:
    """Articles the final pass may move: not kept from a previous run, not tied to a wire copy."""
    tied = {m for group in reuse if sum(m in stream.features for m in group.members) > 1 for m in group.members}
    pinned = {article_id for cluster in stream.clusters.values() for article_id in cluster.pinned}
    return set(stream.features) - tied - pinned


def _reassign(stream: StoryStream, article_ids: list[str]) -> None:
    """Move each article to the story it now fits better than its own (splitting off drifted members)."""
    for article_id in article_ids:
        features = stream.features[article_id]
        own = stream.clusters[stream.story_of[article_id]]
        if len(own.members) == 1:
            continue
        own_probability = own.evidence(features, member=True).probability()
        best, probability = stream.best_story(features, exclude=own.id)
        if best is not None and probability > max(own_probability, JOIN_PROBABILITY):
            stream.move(article_id, best)


def _merge(stream: StoryStream) -> None:
    """Merge two stories when, on average, each one's members would join the other."""
    links: dict[tuple[str, int, str, int], float] = {}
    for _ in range(MERGE_ROUNDS):
        merged = False
        for cluster in sorted(stream.clusters.values(), key=lambda c: c.order):
            if cluster.id not in stream.clusters or cluster.id in stream.alone:
                continue
            for other in _neighbours(stream, cluster):
                if cluster.id not in stream.clusters:
                    break
                if other.id in stream.clusters and _remembered_link(stream, cluster, other, links) > JOIN_PROBABILITY:
                    _absorb(stream, cluster, other)
                    merged = True
        if not merged:
            return


def _neighbours(stream: StoryStream, cluster: Cluster) -> list[Cluster]:
    found: dict[str, Cluster] = {}
    for article_id in _sample(cluster.members):
        for candidate in stream.candidates(stream.features[article_id]):
            if candidate.id != cluster.id and not (candidate.pinned and cluster.pinned):
                found.setdefault(candidate.id, candidate)
    return sorted(found.values(), key=lambda c: c.order)


def _remembered_link(
    stream: StoryStream, first: Cluster, second: Cluster, links: dict[tuple[str, int, str, int], float]
) -> float:
    """``_link`` of the older story to the newer, computed once while neither changes. A story only grows
    during the merge pass, so its id and size name its state; later rounds then score only changed pairs."""
    if second.order < first.order:
        first, second = second, first
    key = (first.id, len(first.members), second.id, len(second.members))
    if key not in links:
        links[key] = _link(stream, first, second)
    return links[key]


def _link(stream: StoryStream, first: Cluster, second: Cluster) -> float:
    """Average-linkage under the article model: mean probability of each member joining the other story."""
    probabilities = [second.evidence(stream.features[a]).probability() for a in _sample(first.members)]
    probabilities += [first.evidence(stream.features[a]).probability() for a in _sample(second.members)]
    return sum(probabilities) / len(probabilities)


def _sample(members: list[str]) -> list[str]:
    """At most ``LINK_SAMPLE`` members, evenly spread: keeps the merge pass linear on very large stories."""
    if len(members) <= LINK_SAMPLE:
        return members
    step = len(members) / LINK_SAMPLE
    return [members[int(position * step)] for position in range(LINK_SAMPLE)]


def _absorb(stream: StoryStream, keeper: Cluster, other: Cluster) -> None:
    """Merge ``other`` into ``keeper``; the story holding kept members, else the older one, keeps its id."""
    if other.pinned or (other.order < keeper.order and not keeper.pinned):
        keeper, other = other, keeper
    for article_id in list(other.members):
        stream.move(article_id, keeper)
    keeper.pinned |= other.pinned


def _split(stream: StoryStream, reuse: Sequence[ReuseGroup]) -> None:
    """Split each story into its events (``split.split_events``), then test both parts again.

    Wire copies stay on one side (that of the copy met first); the part holding members kept from a previous run,
    else the story's first member, keeps the id; a story with kept members on both sides stays whole.
    """
    group_of = wire_groups(reuse)
    todo = sorted(stream.clusters.values(), key=lambda c: c.order, reverse=True)
    while todo:
        cluster = todo.pop()
        if cluster.id in stream.alone:
            continue
        parts = split_events([stream.features[article_id] for article_id in cluster.members])
        if parts is None:
            continue
        keep, leave = _keep_wire_copies_together(parts, group_of)
        kept_in_keep, kept_in_leave = bool(cluster.pinned & set(keep)), bool(cluster.pinned & set(leave))
        if kept_in_leave or (not kept_in_keep and cluster.members[0] in leave):
            keep, leave = leave, keep
        if not leave or not keep or (kept_in_keep and kept_in_leave):
            continue
        part = stream.open_story(_free_story_id(stream, leave))
        for article_id in leave:
            stream.move(article_id, part)
        todo += [part, cluster]


def _keep_wire_copies_together(
    parts: tuple[list[str], list[str]], group_of: dict[str, str]
) -> tuple[list[str], list[str]]:
    side_of_group: dict[str, int] = {}
    for side, part in enumerate(parts):
        for article_id in part:
            side_of_group.setdefault(group_of.get(article_id, article_id), side)
    sides: tuple[list[str], list[str]] = ([], [])
    for part in parts:
        for article_id in part:
            sides[side_of_group[group_of.get(article_id, article_id)]].append(article_id)
    return sides


def _free_story_id(stream: StoryStream, members: list[str]) -> str:
    """The id from the part's first member that does not name a story yet (stable across reruns)."""
    for article_id in members:
        story_id = story_id_for(article_id)
        if story_id not in stream.clusters:
            return story_id
    return story_id_for("|".join(members))


def _rescore(stream: StoryStream) -> None:
    """Membership score: the probability of joining the rest of its story (1.0 when alone)."""
    for cluster in stream.clusters.values():
        for article_id in cluster.members:
            features = stream.features[article_id]
            alone = len(cluster.members) == 1
            stream.scores[article_id] = 1.0 if alone else cluster.evidence(features, member=True).probability()
