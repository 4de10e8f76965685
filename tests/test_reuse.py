"""Reuse: the seed wire copies (003/004), synthetic variants, incremental index, persistence."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from storylens.model import Article, Meta, Origin, ReuseGroup, ReusePair, to_dict
from storylens.reuse import ReuseIndex, ReuseSettings, candidates, find_reuse, independent_sources, recurring_swaps
from storylens.reuse.candidates import band_keys, eligible, estimated_jaccard, lsh_pairs
from storylens.reuse.sketch import sketch_texts

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "seeds"


def article(article_id: str, body: str, published: str | None = None, status: str = "ok") -> Article:
    return Article(
        id=article_id, origin=Origin(article_id), raw=body, body=body, meta=Meta(published=published), status=status
    )


def seed_articles() -> list[Article]:
    """The five seeds, one paragraph per non-empty line (the clean stage is not needed here)."""
    articles = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        articles.append(article(path.stem[:3], "\n\n".join(line for line in lines if line)))
    return articles


@pytest.fixture(scope="module")
def seeds() -> list[Article]:
    return seed_articles()


@pytest.fixture(scope="module")
def seed_groups(seeds: list[Article]) -> list[ReuseGroup]:
    return find_reuse(seeds)


def only_pair(groups: list[ReuseGroup]) -> ReusePair:
    assert len(groups) == 1 and len(groups[0].pairs) == 1
    return groups[0].pairs[0]


def edit_texts(pair: ReusePair, category: str) -> set[tuple[str, str]]:
    return {(edit.a_text.lower(), edit.b_text.lower()) for edit in pair.edits if edit.category == category}


def test_seed_wire_copies_form_the_only_group(seed_groups: list[ReuseGroup]) -> None:
    assert [(group.id, group.members) for group in seed_groups] == [("reuse-003", ["003", "004"])]


def test_seed_edits_include_the_term_swap_and_the_relative_date(seed_groups: list[ReuseGroup]) -> None:
    pair = only_pair(seed_groups)
    assert (pair.a, pair.b) == ("003", "004")  # no dates: 003, which holds 004, is the original
    assert ("opposition", "rebels") in edit_texts(pair, "term_swap")
    assert ("on tuesday", "today") in edit_texts(pair, "date_change")
    assert ("on monday", "yesterday") in edit_texts(pair, "date_change")


def test_seed_003_contains_004(seed_groups: list[ReuseGroup]) -> None:
    pair = only_pair(seed_groups)
    assert pair.kind == "partial"
    assert pair.containment_b_in_a > 0.6  # 004's text is inside 003
    assert pair.containment_a_in_b < 0.4  # 003 adds the Kerry and Merkel sections
    dropped = " ".join(edit.a_text for edit in pair.edits if edit.category == "paragraph_dropped")
    assert "Merkel" in dropped and "I’m not aware of any specific refusal" in dropped


def test_spans_point_into_each_body(seeds: list[Article], seed_groups: list[ReuseGroup]) -> None:
    bodies = {item.id: item.body for item in seeds}
    pair = only_pair(seed_groups)
    for edit in pair.edits:
        assert edit.a_span.text(bodies[pair.a]) == edit.a_text
        assert edit.b_span.text(bodies[pair.b]) == edit.b_text
    for passage in pair.passages:
        assert passage.a_span.text(bodies[pair.a]).startswith("Russia")


def test_earliest_publication_is_the_original(seeds: list[Article]) -> None:
    dated = [article(item.id, item.body, "2016-12-06T21:28:00+05:30" if item.id == "004" else None) for item in seeds]
    group = find_reuse(dated)[0]
    assert group.original == "004" and group.id == "reuse-004"
    pair = group.pairs[0]
    assert (pair.a, pair.b) == ("004", "003")
    assert ("rebels", "opposition") in edit_texts(pair, "term_swap")


def test_result_does_not_depend_on_input_order(seeds: list[Article], seed_groups: list[ReuseGroup]) -> None:
    assert to_dict(find_reuse(seeds[::-1])) == to_dict(seed_groups)


def test_independent_sources_counts_a_group_once(seeds: list[Article], seed_groups: list[ReuseGroup]) -> None:
    ids = [item.id for item in seeds]
    assert independent_sources(ids, seed_groups, {}) == 4
    outlets = {"000": "RT", "001": "Sputnik", "002": "RT", "003": "Arab News", "004": "India.com"}
    assert independent_sources(ids, seed_groups, outlets) == 3  # 000 and 002 share an outlet
    assert independent_sources(["003"], seed_groups, {}) == 1


def test_recurring_swaps_counts_each_occurrence(seed_groups: list[ReuseGroup]) -> None:
    swaps = recurring_swaps(seed_groups)
    assert ("opposition", "rebel", 2) in swaps
    assert all(count >= 2 for _, _, count in swaps)


# --- synthetic variants ---------------------------------------------------------------------------

BASE = [
    "Flooding in Kerala killed at least 37 people on Tuesday, officials said, as rescue teams reached villages "
    "cut off by landslides in the hills of Idukki district.",
    "The state government said more than 20,000 people had moved to relief camps and that the army had been "
    "asked to help with evacuations along the Periyar river.",
    "Chief Minister Pinarayi Vijayan told reporters the rains were the heaviest the state had seen in decades "
    "and asked residents of low-lying areas to leave their homes.",
    "Weather officials forecast more heavy rain for the next three days and issued a red alert for eight "
    "districts, closing schools and suspending train services.",
    "Opposition leaders accused the government of reacting too slowly, saying warnings had been ignored for "
    "weeks while dams upstream filled to capacity.",
]


def variant(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def test_synthetic_copy_with_swaps_dates_and_paragraphs() -> None:
    copy = [
        BASE[0].replace("on Tuesday", "today"),
        BASE[1].replace("20,000", "25,000"),
        "Read more: Latest news from South Asia",
        BASE[2].replace("residents", "inhabitants"),
        BASE[4],  # BASE[3] dropped
    ]
    pair = only_pair(find_reuse([article("base", variant(BASE)), article("copy", variant(copy))]))
    assert pair.kind == "partial"
    assert ("on tuesday", "today") in edit_texts(pair, "date_change")
    assert ("residents", "inhabitants") in edit_texts(pair, "term_swap")
    assert ("20,000", "25,000") in edit_texts(pair, "number_change")
    assert edit_texts(pair, "paragraph_added") == {("", "read more: latest news from south asia")}
    assert edit_texts(pair, "paragraph_dropped") == {(BASE[3].lower().rstrip("."), "")}  # spans run word to word


def test_exact_copy_differing_only_in_case_and_spacing() -> None:
    shouted = variant(BASE).upper().replace(" ", "  ")
    pair = only_pair(find_reuse([article("a", variant(BASE)), article("b", shouted)]))
    assert pair.kind == "exact" and pair.edits == []


def test_truncated_copy_is_partial_in_one_direction() -> None:
    pair = only_pair(find_reuse([article("full", variant(BASE)), article("short", variant(BASE[:3]))]))
    assert pair.a == "full" and pair.kind == "partial"
    assert pair.containment_b_in_a == 1.0 and pair.containment_a_in_b < 0.7
    assert [edit.category for edit in pair.edits] == ["paragraph_dropped", "paragraph_dropped"]


def test_same_topic_different_text_is_not_reuse() -> None:
    other = (
        "Heavy monsoon rain in Kerala has left dozens dead this week. Villages in Idukki were cut off and the "
        "army was called in. Relief camps across the state now house tens of thousands of people, and the chief "
        "minister said the rains were the worst in decades. More rain is forecast."
    )
    assert find_reuse([article("base", variant(BASE)), article("other", other)]) == []


def test_unusable_and_degenerate_articles_are_ignored_without_errors() -> None:
    articles = [
        article("base", variant(BASE)),
        article("skipped", variant(BASE), status="no_body"),
        article("empty", ""),
        article("tiny", "Kerala floods"),
        article("nul", "Flooding\x00 in Kerala"),
        article("base", "a second article with a duplicate id is ignored"),
    ]
    assert find_reuse(articles) == []


@pytest.mark.parametrize(
    ("piece_jaccard", "max_dense_piece"),
    [(0.5, 5000), (0.99, 5000), (0.5, 2)],
    ids=["defaults", "most-pairs-across-pieces", "pieces-listed-bucket-by-bucket"],
)
def test_lsh_candidates_hold_every_band_collision_above_the_jaccard_threshold(
    seeds: list[Article], monkeypatch: pytest.MonkeyPatch, piece_jaccard: float, max_dense_piece: int
) -> None:
    monkeypatch.setattr(candidates, "PIECE_JACCARD", piece_jaccard)
    monkeypatch.setattr(candidates, "MAX_DENSE_PIECE", max_dense_piece)
    texts = [item.body for item in seeds]
    for paragraphs in (seeds[3].body.split("\n\n"), BASE):  # two families: each copy drops one paragraph
        texts += [variant([*paragraphs[:dropped], *paragraphs[dropped + 1 :]]) for dropped in range(len(paragraphs))]
    settings = ReuseSettings()
    sketches = sketch_texts(texts, settings, 1)
    keys = band_keys(sketches.minhash, settings)
    members = eligible(sketches, settings).tolist()
    passing = {
        (i, j)
        for i, j in combinations(members, 2)
        if estimated_jaccard(sketches.minhash, np.array([[i, j]]))[0] >= settings.min_jaccard
    }
    colliding = {(i, j) for i, j in passing if (keys[i] == keys[j]).any()}
    found = [tuple(pair) for pair in lsh_pairs(sketches, settings).tolist()]
    assert len(colliding) >= 100  # each pair of a family collides in many bands: merged across bands
    assert len(found) == len(set(found))
    assert colliding <= set(found) <= passing
    if max_dense_piece == 2:  # listed bucket by bucket: band collisions only
        assert set(found) == colliding


@pytest.mark.parametrize("block_entries", [1 << 22, 7], ids=["one-block", "blocks-of-a-few-texts"])
def test_fingerprint_candidates_count_shared_fingerprints_block_by_block(
    seeds: list[Article], monkeypatch: pytest.MonkeyPatch, block_entries: int
) -> None:
    monkeypatch.setattr(candidates, "FINGERPRINT_BLOCK_ENTRIES", block_entries)
    texts = [item.body for item in seeds] + [variant(BASE), variant(BASE[:3]), variant([*BASE[1:4], "Advertisement"])]
    settings = ReuseSettings(fingerprint_rate=2)  # dense sampling: the short synthetic texts get fingerprints
    sketches = sketch_texts(texts, settings, 1)
    sets = [set(sketches.fingerprints_of(index).tolist()) for index in range(len(texts))]
    expected = [
        [i, j]
        for i, j in combinations(eligible(sketches, settings).tolist(), 2)
        if len(sets[i] & sets[j]) >= settings.min_shared_fingerprints
        and len(sets[i] & sets[j]) >= settings.min_fingerprint_containment * min(len(sets[i]), len(sets[j]))
    ]
    assert [3, 4] in expected and [5, 6] in expected  # the seed wire copies, the base and its first half
    assert sorted(candidates.fingerprint_pairs(sketches, settings).tolist()) == expected


# --- incremental index and persistence ---------------------------------------------------------------


def test_index_finds_the_same_pairs_as_the_batch(seeds: list[Article], seed_groups: list[ReuseGroup]) -> None:
    index = ReuseIndex()
    found = [pair for item in seeds for pair in index.add(item)]
    assert [(pair.a, pair.b) for pair in found] == [("003", "004")]
    assert to_dict(index.groups()) == to_dict(seed_groups)
    assert index.add(seeds[3]) == [] and len(index) == 5


def test_index_restored_from_signatures_needs_no_recomputation(seeds: list[Article]) -> None:
    first = ReuseIndex()
    stored = {item.id: (first.signature(item), first.add(item)) for item in seeds[:4]}
    bodies = {item.id: item.body for item in seeds}
    restored = ReuseIndex(body_lookup=bodies.get)
    for article_id, (signature, pairs) in stored.items():
        restored.add_signature(article_id, signature)
        restored.restore_pairs(pairs)
    pairs = restored.add(seeds[4])
    assert [(pair.a, pair.b, pair.kind) for pair in pairs] == [("003", "004", "partial")]
    assert [group.members for group in restored.groups()] == [["003", "004"]]


def test_signature_from_other_settings_is_refused(seeds: list[Article]) -> None:
    signature = ReuseIndex().signature(seeds[3])
    with pytest.raises(ValueError, match="other parameters"):
        ReuseIndex(ReuseSettings(shingle_words=4)).add_signature("003", signature)
    with pytest.raises(ValueError, match="truncated"):
        ReuseIndex().add_signature("003", signature[:10])
