"""The Markdown report shows a wire copy's edits as a tally and each contradiction with its sentences."""

from __future__ import annotations

from storylens.model import Edit, Span
from storylens.report import render_markdown
from storylens.report.edits import tally_edits


def edit(category: str, before: str, after: str) -> Edit:
    return Edit("substitute", Span(0, 0), Span(0, 0), before, after, category)


def test_identical_changes_are_counted_and_categories_ordered() -> None:
    edits = [
        edit("wording", "al", ""),
        edit("date_change", "today", "on Tuesday"),
        edit("term_swap", "rebel", "opposition"),
        edit("date_change", "today", "on  Tuesday"),
        edit("paragraph_added", "", "A new paragraph."),
    ]
    tallies = tally_edits(edits)
    assert [(t.category, t.count) for t in tallies] == [
        ("term_swap", 1),
        ("date_change", 2),
        ("paragraph_added", 1),
        ("wording", 1),
    ]
    assert tallies[1].changes == [("today", "on Tuesday", 2)]
    assert tallies[2].changes == []


def test_seed_markdown_tallies_the_afp_copy_and_quotes_both_days(seed_result) -> None:
    markdown = render_markdown(seed_result.digests[0])
    assert "changed from Press Trust of India:" in markdown
    assert "“rebel” → “opposition”" in markdown
    assert "date rewording" in markdown
    assert "handed over on Saturday" in markdown
    assert "On Friday, Kerry submitted" in markdown
