"""Events anchored by dates, and the story timeline merged across outlets."""

from __future__ import annotations

from pathlib import Path

import pytest

from storylens.analysis.nlp import load
from storylens.analysis.timeline import merge_timeline, timed_events
from storylens.analysis.timex import find_timexes
from storylens.model import Analysis, Article, Document, Meta, Origin, Span, TimedEvent, Timex

PUBLISHED = {"000": "2016-12-06", "003": "2016-12-06", "004": "2016-12-06"}  # set by hand where missing


def analysed(article: Article, reference: str | None) -> Article:
    timexes = find_timexes(article.body, reference)
    events = timed_events(load()(article.body), timexes)
    article.analysis = Analysis(timexes=timexes, events=events, reference_date=reference)
    return article


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> dict[str, Article]:
    from storylens.clean import clean
    from storylens.ingest import read

    documents = [item for item in read([seeds_dir]) if isinstance(item, Document)]
    articles = {article.id[:3]: article for article in clean(documents) if article.id[:3] in PUBLISHED}
    for prefix, article in articles.items():
        article.meta.outlet = article.meta.outlet or f"outlet {prefix}"
        analysed(article, (article.meta.published or PUBLISHED[prefix])[:10])
    return articles


def test_the_friday_proposal_is_an_event_of_december_2(seeds: dict[str, Article]) -> None:
    article = seeds["000"]
    assert article.analysis is not None
    events = [event for event in article.analysis.events if "Kerry submitted a proposal" in event.text]
    assert len(events) == 1
    event = events[0]
    assert event.timex.value == "2016-12-02"
    assert article.body[event.span.start : event.span.end] == event.text
    assert event.text.startswith("On Friday, Kerry submitted a proposal to Russia")
    assert "which includes" not in event.text  # the relative clause is not part of the event


def test_a_date_modifying_a_noun_gives_the_noun_phrase(seeds: dict[str, Article]) -> None:
    article = seeds["000"]
    assert article.analysis is not None
    agreement = [event.text for event in article.analysis.events if event.timex.value == "2016-09-09"]
    assert agreement == ["our agreement of September 9"]


def test_an_undated_article_has_no_events() -> None:
    body = "Lavrov said on Tuesday that Kerry had submitted a proposal last week."
    article = analysed(Article("undated", Origin("undated.txt"), body, body=body), None)
    assert article.analysis is not None
    assert [timex.value for timex in article.analysis.timexes] == ["XXXX-WXX-2", "XXXX-WXX"]
    assert article.analysis.events == []
    assert merge_timeline([article]) == []


def test_the_same_event_from_two_outlets_is_one_entry(seeds: dict[str, Article]) -> None:
    """003 (Arab News, "on Tuesday") and 004 (PTI, "today") carry the same AFP lead."""
    timeline = merge_timeline([seeds["003"], seeds["004"]])
    lead = [entry for entry in timeline if "accused Washington of backtracking" in entry.description]
    assert len(lead) == 1
    assert lead[0].value == "2016-12-06"
    assert {source.outlet for source in lead[0].sources} == {"Arab News", "Press Trust of India"}
    for source in lead[0].sources:
        body = seeds["003" if source.outlet == "Arab News" else "004"].body
        assert source.span is not None
        assert body[source.span.start : source.span.end] == source.text


def test_timeline_is_in_date_order_and_keeps_distinct_events_apart(seeds: dict[str, Article]) -> None:
    timeline = merge_timeline(list(seeds.values()))
    values = [entry.value for entry in timeline]
    assert values.index("2016-11") < values.index("2016-W48") < values.index("2016-12-02")
    assert values.index("2016-12-02") < values.index("2016-12-06") < values.index("2016-12-07")
    same_day = [entry.description for entry in timeline if entry.value == "2016-12-06"]
    assert any("Kerry" in text and "rejected" in text for text in same_day)
    assert any("accused Washington" in text for text in same_day)
    assert len(set(same_day)) == len(same_day)


def event(article_id: str, value: str, text: str) -> Article:
    timex = Timex(Span(0, 6), "Monday", value)
    body = f"Monday {text}"
    analysis = Analysis(events=[TimedEvent(Span(0, len(body)), body, timex)], reference_date="2016-12-06")
    return Article(
        article_id, Origin(f"{article_id}.txt"), body, body=body, meta=Meta(outlet=article_id), analysis=analysis
    )


def test_merge_needs_the_same_date_and_similar_wording() -> None:
    vetoed = "Russia and China vetoed a UN Security Council resolution on a ceasefire in Aleppo"
    articles = [
        event("afp", "2016-12-05", vetoed),
        event("reuters", "2016-12-05", "Russia and China vetoed the UN Security Council ceasefire resolution"),
        event("ap", "2016-12-04", vetoed),
        event("tass", "2016-12-05", "Merkel called the siege of Aleppo a disgrace"),
        Article("no-analysis", Origin("x.txt"), "text", body="text"),
    ]
    timeline = merge_timeline(articles)
    assert [(entry.value, [source.article_id for source in entry.sources]) for entry in timeline] == [
        ("2016-12-04", ["ap"]),
        ("2016-12-05", ["afp", "reuters"]),
        ("2016-12-05", ["tass"]),
    ]


def test_entries_sort_by_the_start_of_their_period() -> None:
    values = ["2016-12-06", "2016-W48-WE", "2016", "2016-Q4", "2016-11", "2016-W49-3"]
    articles = [event(f"a{index}", value, "Kerry met Lavrov") for index, value in enumerate(values)]
    timeline = merge_timeline(articles)
    assert [entry.value for entry in timeline] == [
        "2016",
        "2016-Q4",
        "2016-11",
        "2016-W48-WE",
        "2016-12-06",
        "2016-W49-3",
    ]


def test_a_time_of_day_places_its_event_on_that_day() -> None:
    """ "Friday morning" (a TIME) and "on Friday" (a DATE) from two outlets: one entry on the day."""
    morning = "Police stormed the building Friday morning, officials said."
    plain = "Police stormed the building on Friday, officials said."
    articles = [
        analysed(Article(name, Origin(f"{name}.txt"), body, body=body, meta=Meta(outlet=name)), "2016-12-06")
        for name, body in (("ap", morning), ("afp", plain))
    ]
    assert [(timex.value, timex.type) for timex in articles[0].analysis.timexes] == [("2016-12-02TMO", "TIME")]
    timeline = merge_timeline(articles)
    assert [(entry.value, [source.article_id for source in entry.sources]) for entry in timeline] == [
        ("2016-12-02", ["ap", "afp"])
    ]


def test_seasons_and_weeks_sort_by_the_start_of_their_period() -> None:
    articles = [
        event("a", "2016-WI", "the winter offensive stalled"),
        event("b", "2016-W48", "talks resumed in Geneva"),
        event("c", "2016-SU", "the summer ceasefire collapsed"),
    ]
    assert [entry.value for entry in merge_timeline(articles)] == ["2016-SU", "2016-W48", "2016-WI"]


def test_an_entry_does_not_open_with_the_clause_marker() -> None:
    body = "Lavrov said that Russian and US experts were to meet in Geneva on Tuesday to discuss the plan."
    article = analysed(Article("t", Origin("t.txt"), body, body=body), "2016-12-06")
    (event,) = article.analysis.events
    assert event.text.startswith("Russian and US experts were to meet in Geneva on Tuesday")
