"""The bundled demo corpus (demo/corpus, described in demo/README.md): its expected digest."""

from __future__ import annotations

from pathlib import Path

import pytest

from storylens.model import Result, StoryDigest
from storylens.report import write_outputs

PORT_STORY = {
    "courier-port-clashes",
    "sentinel-port-riots",
    "observer-port-march",
    "ledger-halvard-shares",
    "wirebeat-port-defacement",
    "rsi-port-talks#2",
}


@pytest.fixture(scope="module")
def port(demo_result: Result) -> StoryDigest:
    (digest,) = [d for d in demo_result.digests if "courier-port-clashes" in d.story.article_ids]
    return digest


def test_stories_separate_the_port_clashes_from_the_football(demo_result: Result, port: StoryDigest) -> None:
    assert set(port.story.article_ids) == PORT_STORY
    assert len(demo_result.stories) == 2
    (other,) = [s for s in demo_result.stories if s.id != port.story.id]
    assert other.article_ids == ["courier-rovers-cup"]
    assert not demo_result.skipped


def test_every_reader_contributed(demo_result: Result) -> None:
    kinds = {Path(a.origin.path).suffix for a in demo_result.articles}
    assert kinds == {".txt", ".html", ".jsonl", ".gz"}


def test_outlets_and_independent_sources(port: StoryDigest) -> None:
    assert set(port.outlets) == {
        "Selmar Daily Courier",
        "The Corvenia Sentinel",
        "The Brannock Observer",
        "Coastline Ledger",
        "Wirebeat",
        "RSI News – Radio Selmar International",
    }
    assert port.story.independent_sources == 5  # the two wire copies count once


def test_wire_copy_and_its_edits(port: StoryDigest) -> None:
    (group,) = port.reuse
    assert sorted(group.members) == ["courier-port-clashes", "sentinel-port-riots"]
    assert group.original == "courier-port-clashes"
    edits = {(e.category, e.a_text.strip(), e.b_text.strip()) for pair in group.pairs for e in pair.edits}
    assert ("term_swap", "protesters", "rioters") in edits
    assert ("date_change", "on Tuesday", "today") in edits
    added = [text for category, _, text in edits if category == "paragraph_added"]
    assert any(text.startswith("Interior Minister Radomir Kessel") for text in added)


def test_contradictions_on_signing_day_and_arrests(port: StoryDigest) -> None:
    by_slot = {c.slot: c for c in port.contradictions}
    assert {side.value for side in by_slot["date"].sides} >= {"Friday", "Saturday"}
    saturday = [s for s in by_slot["date"].sides if s.value == "Saturday"]
    assert [s.citation.article_id for s in saturday] == ["observer-port-march"]
    numbers = {side.value for side in by_slot["number"].sides}
    assert any("27" in value for value in numbers) and any("41" in value for value in numbers)
    assert len(port.contradictions) <= 3  # precision over recall: nothing else is contradicted


def test_framing_of_the_marchers(port: StoryDigest) -> None:
    terms = {
        outlet: {use.term.lower() for use in uses}
        for framing in port.framing
        for outlet, uses in framing.terms_by_outlet.items()
        if "protesters" in framing.actor.lower() or "marchers" in framing.actor.lower()
    }
    assert "rioters" in terms["The Corvenia Sentinel"]
    assert "demonstrators" in terms["The Brannock Observer"]
    assert "protesters" in terms["Selmar Daily Courier"]
    assert "striking workers" in terms["Coastline Ledger"]


def test_quotes_are_merged_across_the_wire_copies(port: StoryDigest) -> None:
    dastova = [q for q in port.quotes if q.speaker == "Mirela Dastova" and q.direct]
    merged = [q for q in dastova if "private company" in q.wordings[0].text]
    assert merged and {w.citation.article_id for w in merged[0].wordings} == {
        "courier-port-clashes",
        "sentinel-port-riots",
    }
    assert any(q.speaker == "Aurel Fenwick" for q in port.quotes)


def test_timeline_resolves_relative_dates(port: StoryDigest) -> None:
    values = {entry.value for entry in port.timeline}
    assert {"2025-02-28", "2025-03-01", "2025-03-04"} <= values
    clashes = [e for e in port.timeline if e.value == "2025-03-04" and "tear gas" in e.description]
    assert clashes and len({c.article_id for c in clashes[0].sources}) >= 2


def test_summary_cites_every_sentence(port: StoryDigest) -> None:
    assert len(port.summary) >= 3
    assert all(sentence.citations for sentence in port.summary)


def test_reports_escape_markup_inside_article_text(demo_result: Result, tmp_path: Path) -> None:
    write_outputs(demo_result, tmp_path)
    for page in tmp_path.glob("*.html"):
        html = page.read_text()
        assert "<script" not in html and "<img" not in html
    story_pages = "".join(page.read_text() for page in tmp_path.glob("story-*.html"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in story_pages
