"""Quotes and reported speech with resolved speakers, on the seed story and on small texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from storylens.analysis import analyze
from storylens.analysis.entities import summarize_entities
from storylens.analysis.quotemarks import quoted_regions
from storylens.analysis.quotes import merge_quotes, same_quote
from storylens.model import Article, Document, Meta, Origin, Quote


def _article(body: str, article_id: str = "t", outlet: str | None = None) -> Article:
    return Article(id=article_id, origin=Origin(article_id), raw=body, body=body, meta=Meta(outlet=outlet))


@pytest.fixture(scope="module")
def seed_articles(seeds_dir: Path) -> dict[str, Article]:
    from storylens.clean import clean
    from storylens.ingest import read

    documents = [item for item in read([seeds_dir]) if isinstance(item, Document)]
    articles = {article.id[:3]: article for article in clean(documents)}
    for article in articles.values():
        article.analysis = analyze(article)
    return articles


def _quote_containing(article: Article, words: str) -> Quote:
    assert article.analysis is not None
    quotes = [quote for quote in article.analysis.quotes if words in quote.content_text]
    assert quotes, f"no quote containing {words!r}"
    return quotes[0]


def test_seed_000_quotes_are_lavrovs_with_his_role(seed_articles: dict[str, Article]) -> None:
    article = seed_articles["000"]
    quote = _quote_containing(article, "They have withdrawn their document")
    assert quote.direct
    assert quote.speaker == "Sergey Lavrov"
    assert quote.speaker_role == "Russian Foreign Minister"
    assert quote.source_text == "Lavrov"
    assert quote.cue_text == "said"
    # the quote runs over two sentences and is taken whole, marks included
    assert quote.content_text.startswith("“They have withdrawn")
    assert quote.content_text.endswith("resupply,”")


def test_seed_000_the_minister_resolves_to_lavrov(seed_articles: dict[str, Article]) -> None:
    quote = _quote_containing(seed_articles["000"], "serious discussion with the US")
    assert quote.source_text == "The minister"
    assert quote.speaker == "Sergey Lavrov"
    assert not quote.direct


def test_seed_000_outlet_citation(seed_articles: dict[str, Article]) -> None:
    article = seed_articles["000"]
    wrote = _quote_containing(article, "has intensified contacts")
    assert wrote.cue_text == "wrote"
    assert wrote.via == "RT"
    # "the news organization added that ..." is RT again
    added = _quote_containing(article, "last-ditch attempts")
    assert added.source_text == "the news organization"
    assert added.via == "RT"


def test_reported_speech_without_a_verb_is_not_a_quote(seed_articles: dict[str, Article]) -> None:
    """The stance objects PolNeAR marks ("RT cited US media", "Egypt drafted the resolution") are left out."""
    contents = {quote.content_text for article in seed_articles.values() for quote in article.analysis.quotes}
    assert not contents & {"US media", "The draft resolution", "a 10-day pause"}
    assert any("armed groups who will refuse to leave the city" in content for content in contents)


def test_an_adverbial_clause_of_the_cue_is_not_a_quote(seed_articles: dict[str, Article]) -> None:
    """Seed 003: "Kerry said when asked about Moscow's charges as he attended a NATO ... meeting"."""
    contents = {quote.content_text for article in seed_articles.values() for quote in article.analysis.quotes}
    assert not any(content.startswith(("as he attended", "because the Syrian army")) for content in contents)
    assert any(content.startswith("that Washington had said it would not take part") for content in contents)


def test_seed_003_kerry_and_merkel(seed_articles: dict[str, Article]) -> None:
    article = seed_articles["003"]
    kerry = _quote_containing(article, "I’m not aware of any specific refusal")
    assert kerry.speaker == "John Kerry"
    assert kerry.speaker_role == "US Secretary of State"
    merkel = _quote_containing(article, "Aleppo is a disgrace")
    assert merkel.source_text == "she"
    assert merkel.speaker == "Angela Merkel"
    assert merkel.speaker_role == "German Chancellor"
    lavrov = _quote_containing(article, "It looks like an attempt to buy time")
    assert lavrov.cue_text == "told journalists"
    assert lavrov.speaker == "Sergei Lavrov"


def test_a_cue_whose_subject_is_inside_its_quote_shares_the_previous_speaker(seed_articles: dict[str, Article]) -> None:
    """Seed 002: "… Lavrov noted, while adding, “however, … John Kerry passed on to us proposals …”"."""
    quote = _quote_containing(seed_articles["002"], "John Kerry passed on to us proposals")
    assert quote.speaker == "Sergey Lavrov"


def test_a_described_speaker_is_named_before_or_just_after(seed_articles: dict[str, Article]) -> None:
    """001: "The Russian envoy" after "Russia's Foreign Minister Sergey Lavrov"; 003: "Russia's top diplomat"
    in the lead, "Foreign Minister Sergei Lavrov" in the next sentence."""
    assert _quote_containing(seed_articles["001"], "armed groups who will refuse").speaker == "Sergey Lavrov"
    assert _quote_containing(seed_articles["003"], "Washington of backtracking").speaker == "Sergei Lavrov"


def test_a_described_speaker_of_another_country_is_not_the_named_one() -> None:
    body = (
        "The Chinese envoy said on Monday that the talks had stalled. "
        "Russian Foreign Minister Sergey Lavrov said Moscow was ready to send experts to Geneva."
    )
    article = _article(body)
    article.analysis = analyze(article)
    envoy = _quote_containing(article, "the talks had stalled")
    assert envoy.speaker != "Sergey Lavrov"


def test_merged_quotes_name_the_speaker_as_the_story_does(seed_articles: dict[str, Article]) -> None:
    articles = list(seed_articles.values())
    merged = merge_quotes(articles, summarize_entities(articles))
    speakers = {quote.speaker for quote in merged}
    assert "Sergey Lavrov" in speakers and "Sergei Lavrov" not in speakers


def test_spans_point_into_the_body(seed_articles: dict[str, Article]) -> None:
    for article in seed_articles.values():
        assert article.analysis is not None
        for quote in article.analysis.quotes:
            parts = quote.content_parts or [quote.content]
            assert " ".join(part.text(article.body) for part in parts) == quote.content_text
            if quote.cue is not None:
                assert quote.cue.text(article.body) == quote.cue_text
            if quote.source is not None:
                assert quote.source.text(article.body) == quote.source_text


def test_merge_quotes_across_outlets_shows_the_differences(seed_articles: dict[str, Article]) -> None:
    merged = merge_quotes([seed_articles["003"], seed_articles["004"]])
    lavrov = next(m for m in merged if "buy time for the" in m.wordings[0].text)
    assert lavrov.speaker == "Sergei Lavrov"
    assert {w.citation.article_id[:3] for w in lavrov.wordings} == {"003", "004"}
    assert any("'rebels'" in difference and "'opposition'" in difference for difference in lavrov.differences)
    for wording in lavrov.wordings:
        assert wording.citation.span is not None


@pytest.mark.parametrize(
    ("body", "content", "speaker", "cue"),
    [
        (
            "Senator Jane Smith spoke on Monday.\n\n“We will win,” she said. “And we will win big.”",
            "“We will win,” “And we will win big.”",
            "Jane Smith",
            "said",
        ),
        (
            "Mayor Tom Reed told reporters: “The bridge is closed until May.”",
            "“The bridge is closed until May.”",
            "Tom Reed",
            "told reporters",
        ),
        (
            "The plan will fail, according to Anna Berg, the agency's director.",
            "The plan will fail",
            "Anna Berg",
            "according to",
        ),
        (
            'Officials say "the vote was fair and the count was complete."',
            '"the vote was fair and the count was complete."',
            None,
            "say",
        ),
        (
            "Peter Hall accused the board of hiding the losses from investors.",
            "the board of hiding the losses from investors",  # PolNeAR's extent for "accused X of Y"
            "Peter Hall",
            "accused",
        ),
    ],
)
def test_quote_styles(body: str, content: str, speaker: str | None, cue: str) -> None:
    quotes = analyze(_article(body)).quotes
    found = [quote for quote in quotes if quote.content_text == content]
    assert found, [quote.content_text for quote in quotes]
    assert found[0].cue_text == cue
    assert found[0].speaker == speaker


def test_a_quote_going_on_in_the_next_paragraphs_is_one_content() -> None:
    body = (
        "Mayor Tom Reed spoke on Monday.\n\n“The bridge is closed,” Reed told reporters.\n\n"
        "“It will open again in May.”\n\nTraffic was light on Tuesday."
    )
    quotes = analyze(_article(body)).quotes
    quote = next(quote for quote in quotes if quote.content_text.startswith("“The bridge"))
    parts = [part.text(body) for part in quote.content_parts]
    assert parts == ["“The bridge is closed,”", "“It will open again in May.”"]
    assert quote.speaker == "Tom Reed"
    assert not any("Traffic" in quote.content_text for quote in quotes)


def test_odd_number_of_quote_marks_does_not_stop_the_rest() -> None:
    body = 'He wrote "hello.\n\n“The talks are over,” Lavrov said.'
    quotes = analyze(_article(body)).quotes
    assert "“The talks are over,”" in [quote.content_text for quote in quotes]
    # the unpaired mark opens no quote running over the paragraph break
    assert not any("\n" in quote.content_text or "Lavrov" in quote.content_text for quote in quotes)


def test_quoted_regions_in_every_style() -> None:
    text = (
        "“Curly,” and \"straight\" and ‘single’ and «guillemets» and „German“ and ''typewriter'' "
        "and it’s an apostrophe."
    )
    found = [region.text(text) for region in quoted_regions(text)]
    assert found == ["“Curly,”", '"straight"', "‘single’", "«guillemets»", "„German“", "''typewriter''"]


def test_quote_continuing_over_paragraphs_is_one_region() -> None:
    text = "“The first part goes on,\n\n“and the second part ends here.” She left."
    assert [region.text(text) for region in quoted_regions(text)] == [text[: text.index(" She")]]


def test_same_quote_tolerates_edits_but_not_other_quotes() -> None:
    a = "“It looks like an attempt to buy time for the opposition to have a breather,”"
    b = "“It looks like an attempt to buy time for the rebels to have a breather,”"
    assert same_quote(a, b)
    assert not same_quote(a, "“There is something wrong there,”")


def test_empty_body_gives_an_empty_analysis() -> None:
    analysis = analyze(_article(""))
    assert analysis.quotes == []
    assert analysis.entities == []
