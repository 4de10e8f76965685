"""From verified pairs to reuse groups: the likely original, independent sources, recurring swaps."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from storylens.graph import components
from storylens.model import Edit, Passage, ReuseGroup, ReusePair

GROUP_PREFIX = "reuse-"
FLIPPED_KIND = {"insert": "delete", "delete": "insert", "substitute": "substitute"}
FLIPPED_CATEGORY = {"paragraph_added": "paragraph_dropped", "paragraph_dropped": "paragraph_added"}


@dataclass(frozen=True)
class Candidate:
    """What provenance needs to know about one article."""

    id: str
    published: str | None
    words: int


def parse_published(value: str | None) -> datetime | None:
    """ISO 8601 to an aware datetime (naive values are taken as UTC); None when missing or invalid."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _components(ids: Iterable[str], pairs: Iterable[ReusePair]) -> list[list[str]]:
    return [group for group in components(ids, ((pair.a, pair.b) for pair in pairs)) if len(group) > 1]


def choose_original(members: Sequence[str], info: Mapping[str, Candidate], pairs: Sequence[ReusePair]) -> str:
    """Earliest publication; when no member is dated, the text that holds most of the others."""
    dated = [(parse_published(info[member].published), member) for member in members]
    dated = [(moment, member) for moment, member in dated if moment is not None]
    if dated:
        return min(dated)[1]
    held: Counter[str] = Counter()  # how much of the other members each member contains
    for pair in pairs:
        held[pair.b] += pair.containment_a_in_b
        held[pair.a] += pair.containment_b_in_a
    return min(members, key=lambda member: (-held[member], -info[member].words, member))


def _flip_edit(edit: Edit) -> Edit:
    return Edit(
        kind=FLIPPED_KIND[edit.kind],
        a_span=edit.b_span,
        b_span=edit.a_span,
        a_text=edit.b_text,
        b_text=edit.a_text,
        category=FLIPPED_CATEGORY.get(edit.category, edit.category),
    )


def flipped(pair: ReusePair) -> ReusePair:
    """The same pair seen from the other side (a and b, spans, containments and edits swapped)."""
    return replace(
        pair,
        a=pair.b,
        b=pair.a,
        containment_a_in_b=pair.containment_b_in_a,
        containment_b_in_a=pair.containment_a_in_b,
        passages=[Passage(passage.b_span, passage.a_span) for passage in pair.passages],
        edits=[_flip_edit(edit) for edit in pair.edits],
    )


def build_groups(info: Mapping[str, Candidate], pairs: Sequence[ReusePair]) -> list[ReuseGroup]:
    """Connected components of the pairs, each with its original; sorted by group id."""
    by_member: dict[str, list[ReusePair]] = {}
    for pair in pairs:
        by_member.setdefault(pair.a, []).append(pair)
    groups = []
    for members in _components(info, pairs):
        group_pairs = [pair for member in members for pair in by_member.get(member, [])]
        original = choose_original(members, info, group_pairs)
        group_pairs = sorted(
            (flipped(pair) if pair.b == original else pair for pair in group_pairs), key=lambda p: (p.a, p.b)
        )
        groups.append(ReuseGroup(GROUP_PREFIX + original, members, original, group_pairs))
    return sorted(groups, key=lambda group: group.id)


def independent_sources(
    article_ids: Sequence[str], groups: Sequence[ReuseGroup], outlets: Mapping[str, str | None]
) -> int:
    """Independent sources among the articles: a reuse group counts once, and so does an outlet.

    Articles are joined when they are in one reuse group or share a known outlet (two articles of
    one newsroom do not corroborate each other); each resulting cluster is one source.
    """
    wanted = list(dict.fromkeys(article_ids))
    parent = {article_id: article_id for article_id in wanted}

    def root(item: str) -> str:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def join(first: str, second: str) -> None:
        parent[root(first)] = root(second)

    for group in groups:
        present = [member for member in group.members if member in parent]
        for member in present[1:]:
            join(member, present[0])
    first_of_outlet: dict[str, str] = {}
    for article_id in wanted:
        outlet = outlets.get(article_id)
        if outlet:
            join(article_id, first_of_outlet.setdefault(outlet.strip().lower(), article_id))
    return len({root(article_id) for article_id in wanted})


def recurring_swaps(groups: Sequence[ReuseGroup], minimum: int = 2) -> list[tuple[str, str, int]]:
    """Term swaps (lower-cased, in the direction pair.a -> pair.b, i.e. from the side nearer the
    original) made at least ``minimum`` times over all reuse pairs, most frequent first."""
    counts: Counter[tuple[str, str]] = Counter(
        (edit.a_text.lower(), edit.b_text.lower())
        for group in groups
        for pair in group.pairs
        for edit in pair.edits
        if edit.category == "term_swap"
    )
    recurring = [(old, new, count) for (old, new), count in counts.items() if count >= minimum]
    return sorted(recurring, key=lambda item: (-item[2], item[0], item[1]))
