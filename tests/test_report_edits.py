"""Reports at a glance: a wire copy's edits tallied, each contradiction with its sentences, the findings on top."""

from __future__ import annotations

import re

from storylens.model import Edit, Span
from storylens.report import render_markdown
from storylens.report.edits import describe_tally, tally_edits
from storylens.report.glance import at_a_glance


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


def test_a_dropped_or_added_word_is_named_as_such() -> None:
    tallies = tally_edits([edit("wording", "al", ""), edit("wording", "", "Syrian"), edit("wording", "a", "an")])
    assert describe_tally(tallies[0]) == "other wording (3): “Syrian” added, “a” → “an”, “al” dropped"


def test_seed_markdown_tallies_the_afp_copy_and_quotes_both_days(seed_result) -> None:
    markdown = render_markdown(seed_result.digests[0])
    assert "changed from Press Trust of India:" in markdown
    assert "“rebel” → “opposition”" in markdown
    assert "date rewording" in markdown
    assert "handed over on Saturday" in markdown
    assert "On Friday, Kerry submitted" in markdown


def test_seed_glance_names_the_copy_its_edits_and_the_disputed_day(seed_result) -> None:
    lines = at_a_glance(seed_result.digests[0])
    texts = {line.kind: [] for line in lines}
    for line in lines:
        texts[line.kind].append(line.text)
    assert texts["sources"] == [
        "5 articles from 5 outlets; 4 independent sources, each group of copies counted once (1 group)."
    ]
    (reuse,) = texts["reuse"]
    assert reuse.startswith("Arab News carries Press Trust of India's text")
    assert "“rebel” → “opposition”" in reuse and "“today” → “on Tuesday”" in reuse
    (disagreement,) = texts["contradiction"]
    assert "Friday" in disagreement and "Saturday" in disagreement
    assert any(
        "“opposition” (Arab News)" in line and "“rebels” (Press Trust of India)" in line for line in texts["framing"]
    )


def test_seed_html_report_opens_with_the_glance_and_tallies_the_copy(seed_result, tmp_path) -> None:
    from storylens.report import write_outputs

    write_outputs(seed_result, tmp_path)
    (page,) = tmp_path.glob("story-*.html")
    html = page.read_text(encoding="utf-8")
    assert html.index('id="glance"') < html.index('id="summary"')
    assert "Arab News carries Press Trust of India&#39;s text" in html
    assert re.search(r"<strong>term swaps</strong> \(\d+\): <del>rebel</del> → <ins>opposition</ins>", html)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "1 story from 5 articles" in index and "1 wire-copy / reuse group ·" in index
    assert "Arab News carries Press Trust of India&#39;s text" in index
    assert "Sources disagree on when (proposal): Friday" in index


def test_seed_markdown_merges_a_quote_carried_by_both_wire_copies(seed_result) -> None:
    markdown = render_markdown(seed_result.digests[0])
    quotes = markdown.split("## Quotes", 1)[1].split("## Claims", 1)[0]
    breather = [line for line in quotes.splitlines() if "have a breather" in line]
    assert len(breather) == 1, breather
    assert "[Arab News; Press Trust of India]" in breather[0]
    assert "““" not in quotes
    assert "wording differs: Press Trust of India has 'rebels' where Arab News has 'opposition'" in quotes


def test_seed_markdown_entities_show_aliases_and_metonymy(seed_result) -> None:
    markdown = render_markdown(seed_result.digests[0])
    assert "- Moscow (GPE, 18 mentions in 5 articles) — stands for government of Russia" in markdown
    lavrov = next(line for line in markdown.splitlines() if line.startswith("- Sergey Lavrov (PERSON"))
    assert "“Sergei Lavrov”" in lavrov and "“Russian Foreign Minister”" in lavrov
