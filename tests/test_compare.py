"""Claims, contradictions and framing on the seed folder (five outlets, Dec 2016), against a hand-made gold.

The gold below is also what ``benchmarks/compare.py`` scores against. Article keys are the seed file
prefixes (000 ... 004); 003 (Arab News) and 004 (Press Trust of India) are the same AFP text.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from storylens.compare import digest_story, extract_claims, find_contradictions, framing_table, loaded_terms
from storylens.compare.timeparts import dates_conflict, day_of
from storylens.model import Article, Origin, ReuseGroup, Span, Story, StoryMember, Timex

# Claims that several seed articles share (article prefix -> a phrase of the statement that carries it).
SEED_GOLD_CLAIMS: list[dict[str, str]] = [
    # The US withdrew Kerry's proposal: 000 says so in its own words, the AFP copies say Washington "had
    # withdrawn the suggestions made by Kerry".
    {"000": "has withdrawn its proposal", "003": "had withdrawn the suggestions",
     "004": "had withdrawn the suggestions"},
    # Lavrov: the new US position is an attempt to buy time for the armed groups (RT's and AFP's translations).
    {"000": "attempt to buy time for the militants", "003": "attempt to buy time for the opposition",
     "004": "attempt to buy time for the rebels"},
    # Russia and the US are to discuss the armed groups' withdrawal from Aleppo.
    {"000": "supposed to discuss the particular details", "001": "is set to discuss a possible withdrawal"},
    # Kerry's proposal is about the withdrawal of the armed groups from (east) Aleppo.
    {"000": "Kerry submitted a proposal", "001": "part of the proposal made by", "003": "proposal put forward by",
     "004": "proposal put forward by"},
    # Kerry and Lavrov met in Rome (001: "after he and Lavrov met in Rome"; 002: the Rome meeting on Dec 2).
    {"001": "met in Rome", "002": "At a meeting in Rome on December 2"},
    # Those who refuse to leave will be treated as terrorists / destroyed (Lavrov).
    {"001": "refuse to leave the city", "003": "if someone refuses to pull out",
     "004": "if someone refuses to pull out"},
    # The UN ceasefire resolution Russia opposed (001: will not support the draft; AFP: Russia and China vetoed).
    {"001": "will not support a draft resolution", "003": "vetoed a UN Security Council resolution",
     "004": "vetoed a UN Security Council resolution"},
    # AFP-only facts, carried by both wire copies (two outlets, one independent source):
    {"003": "accused Washington of backtracking", "004": "accused Washington of backtracking"},
    {"003": "experts were to meet in Switzerland", "004": "experts were to meet in Switzerland"},
    {"003": "dismissed any talk of them withdrawing", "004": "dismissed any talk of them withdrawing"},
    {"003": "on opposite sides of the conflict", "004": "on opposite sides of the conflict"},
    {"003": "seized two-thirds of Aleppo", "004": "seized two-thirds of Aleppo"},
]  # fmt: skip

# The one contradiction in the seeds: the day Kerry handed over his proposal. 000 "On Friday, Kerry submitted
# a proposal"; 002 quotes Lavrov on Saturday Dec 3 saying "yesterday ... John Kerry passed on to us proposals"
# (= Friday Dec 2); 001 "The proposal by Kerry was handed over on Saturday". Planned-talks dates (Tuesday in
# 000/001, "Tuesday or Wednesday" in 003/004) are plans that changed, not contradictions; 003 "on Tuesday"
# and 004 "today" are the same day (004 is dated Tuesday Dec 6).
SEED_GOLD_CONTRADICTIONS: list[dict[str, object]] = [
    {"slot": "date", "sides": {"000": "Friday", "001": "Saturday", "002": "yesterday"}},
]

# Terms each outlet uses for the two sides, read off the clean texts (own voice and quotes together):
# armed groups: 000 "withdrawal of militants", "rebel forces, which President Obama supported"; 001
# "militants", "armed groups who will refuse", "treated as terrorists", "rearming the extremists", "rebel
# territories"; 002 "militants", "these terrorists", "rebel-held areas", "so-called “moderate” Syrian
# opposition"; 003 "opposition" throughout (AFP via Arab News); 004 "rebels" throughout (the same AFP text).
# Government side: 001 "the Syrian forces"; 002 "the Syrian army", "Damascus’ military operation"; 003
# "Regime forces", "Assad's regime"; 004 "Regime forces".
SEED_GOLD_FRAMING: dict[str, dict[str, set[str]]] = {
    "armed opposition": {
        "000": {"militants", "rebels"},
        "001": {"militants", "armed groups", "terrorists", "extremists", "rebels"},
        "002": {"militants", "terrorists", "rebels", "opposition"},
        "003": {"opposition"},
        "004": {"rebels"},
    },
    "state forces": {
        "001": {"Syrian forces"},
        "002": {"army", "military"},
        "003": {"regime forces", "regime"},
        "004": {"regime forces"},
    },
}


def prefix(article_id: str) -> str:
    return article_id[:3]


@pytest.fixture(scope="module")
def wire_group(seed_articles: Sequence[Article]) -> list[ReuseGroup]:
    """003 and 004: the same AFP story (what storylens.reuse finds; fixed here to test compare alone)."""
    members = sorted(article.id for article in seed_articles if prefix(article.id) in {"003", "004"})
    return [ReuseGroup("afp", members, members[0])]


@pytest.fixture(scope="module")
def seed_contradictions(seed_articles: Sequence[Article]):
    return find_contradictions(seed_articles)


def test_kerry_proposal_friday_saturday_is_found_with_both_sources(seed_articles, seed_contradictions) -> None:
    bodies = {article.id: article.body for article in seed_articles}
    dates = [c for c in seed_contradictions if c.slot == "date"]
    assert len(dates) == 1
    sides = {prefix(side.citation.article_id): side for side in dates[0].sides}
    assert sides["000"].value == "Friday" and sides["001"].value == "Saturday"
    for side in dates[0].sides:
        span = side.citation.span
        assert bodies[side.citation.article_id][span.start : span.end] == side.citation.text
        assert side.value in side.citation.text and "proposal" in side.citation.text


def test_no_false_contradiction_on_the_seeds(seed_contradictions) -> None:
    assert seed_contradictions
    for contradiction in seed_contradictions:
        gold = next(g for g in SEED_GOLD_CONTRADICTIONS if g["slot"] == contradiction.slot)
        for side in contradiction.sides:
            assert gold["sides"][prefix(side.citation.article_id)] == side.value  # type: ignore[index]


def test_framing_shows_militants_rebels_opposition(seed_articles) -> None:
    rows = {row.actor: row for row in framing_table(seed_articles)}
    armed = rows["armed opposition"]
    top_term = {}
    for uses in armed.terms_by_outlet.values():
        top_term[prefix(uses[0].examples[0].article_id)] = uses[0].term
        for use in uses:
            for example in use.examples:
                body = next(a.body for a in seed_articles if a.id == example.article_id)
                assert body[example.span.start : example.span.end] == example.text
    assert top_term["000"] == top_term["001"] == "militants"
    assert top_term["002"] == "terrorists"
    assert top_term["003"] == "opposition" and top_term["004"] == "rebels"
    assert armed.neutral == "rebels"
    assert {"regime forces"} <= {use.term for use in rows["state forces"].terms_by_outlet["Press Trust of India"]}


def test_terms_inside_quotes_are_counted_as_quoted(seed_articles) -> None:
    uses = {u.term: u for u in framing_table(seed_articles)[0].terms_by_outlet["Press Trust of India"]}
    # "It looks like an attempt to buy time for the rebels ..." is Lavrov's quote, the other four are PTI's.
    assert uses["rebels"].count == 5 and uses["rebels"].quoted == 1


def test_loaded_words_per_outlet(seed_articles) -> None:
    loaded = {outlet: {use.term for use in uses} for outlet, uses in loaded_terms(seed_articles).items()}
    assert {"regime", "strongman"} <= loaded["Arab News"]
    assert "terrorists" in next(words for outlet, words in loaded.items() if outlet.startswith("002"))


def test_wire_copies_count_as_one_independent_source(seed_articles, wire_group) -> None:
    claims = extract_claims(seed_articles, wire_group)
    wire_only = [c for c in claims if {prefix(s.article_id) for s in c.statements} == {"003", "004"}]
    assert wire_only and all(claim.independent_sources == 1 for claim in wire_only)
    without_group = extract_claims(seed_articles, [])
    assert max(claim.independent_sources for claim in without_group) == 2


def test_claims_keep_spans_and_attribution(seed_articles, wire_group) -> None:
    bodies = {article.id: article.body for article in seed_articles}
    claims = extract_claims(seed_articles, wire_group)
    for claim in claims:
        for citation in claim.statements:
            assert bodies[citation.article_id][citation.span.start : citation.span.end] == citation.text
    buy_time = next(c for c in claims if "buy time for the" in c.text and "breather" in c.text)
    assert "Lavrov" in (buy_time.attributed_to or "")
    seized = next(c for c in claims if "seized two-thirds" in c.text)
    assert seized.attributed_to is None  # the outlets assert it themselves


def test_numbers_and_negation_keep_statements_apart() -> None:
    first = _article("a", "Police said 27 people were arrested after the march in the capital on Tuesday.")
    second = _article("b", "Police said 41 people were arrested after the march in the capital on Tuesday.")
    third = _article("c", "Police said 27 people were not arrested after the march in the capital on Tuesday.")
    assert extract_claims([first, second, third], []) == []
    found = find_contradictions([first, second])
    assert [(c.slot, sorted(s.value for s in c.sides)) for c in found] == [("number", ["27 people", "41 people"])]


def test_approximate_counts_do_not_contradict() -> None:
    first = _article("a", "Organisers said about 3,000 protesters marched to the port gates on Tuesday.")
    second = _article("b", "Organisers said more than 5,000 protesters marched to the port gates on Tuesday.")
    assert find_contradictions([first, second]) == []


def test_day_comparison() -> None:
    friday = Timex(Span(0, 6), "Friday", "2016-12-02")
    saturday = Timex(Span(0, 8), "Saturday", "XXXX-WXX-6")
    december_2 = Timex(Span(0, 10), "December 2", "2016-12-02")
    either = Timex(Span(0, 20), "Tuesday or Wednesday", "2016-12-06")
    last_week = Timex(Span(0, 9), "last week", "2016-W48")
    assert dates_conflict([friday], [saturday])
    assert not dates_conflict([friday], [december_2])
    assert day_of(either) is None and day_of(last_week) is None
    assert not dates_conflict([friday, saturday], [december_2])  # two days on one side: cannot tell


def test_digest_story_fills_the_digest(seed_articles, wire_group) -> None:
    story = Story("seed", "Aleppo talks", [StoryMember(a.id, 1.0, undated=not a.meta.published) for a in seed_articles])
    digest = digest_story(story, seed_articles, wire_group, summary_sentences=4)
    assert len(digest.articles) == 5 and len(digest.summary) == 4
    assert "Arab News" in digest.outlets and any(outlet.startswith("000_") for outlet in digest.outlets)
    assert digest.reuse == wire_group
    assert {summary.reuse_group for summary in digest.articles} == {"afp", None}
    assert digest.contradictions and digest.framing and digest.claims
    assert all(sentence.citations for sentence in digest.summary)
    assert digest.undated_articles == sorted(a.id for a in seed_articles if not a.meta.published)
    assert "Sergei Lavrov" in {voice.term for voice in digest.voices["Press Trust of India"]}
    assert "Angela Merkel" in {voice.term for voice in digest.voices["Arab News"]}
    # "Kerry" / "John Kerry" are forms of one name, not a framing choice
    assert "John Kerry" not in {row.actor for row in digest.framing}


def test_empty_and_bodiless_input_gives_empty_results() -> None:
    empty = _article("empty", "")
    assert extract_claims([], []) == [] and find_contradictions([]) == [] and framing_table([]) == []
    assert extract_claims([empty], []) == [] and find_contradictions([empty]) == []


def _article(article_id: str, body: str) -> Article:
    return Article(article_id, Origin(f"{article_id}.txt"), body, body=body)
