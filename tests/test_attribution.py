"""Attribution candidates and relations over real parses (analysis/attribution.py)."""

from __future__ import annotations

from spacy.tokens import Doc, DocBin, Token

from storylens.analysis import nlp
from storylens.analysis.attribution import QuoteIndex, content_candidates, find_attributions


def _parse(text: str) -> Doc:
    return nlp.load()(text)


def _token(doc: Doc, word: str) -> Token:
    return next(token for token in doc if token.text == word)


def _candidate_texts(doc: Doc, cue: str) -> list[list[str]]:
    quotes = QuoteIndex(doc.text)
    return [[fragment.text(doc.text) for fragment in c.fragments] for c in content_candidates(_token(doc, cue), quotes)]


def test_complements_of_a_cue_are_also_a_candidate_together() -> None:
    doc = _parse("Pence blamed the media for making an issue out of the remark.")
    texts = _candidate_texts(doc, "blamed")
    assert ["the media"] in texts
    assert ["the media for making an issue out of the remark"] in texts


def test_a_quote_going_on_after_the_cue_is_an_optional_second_part() -> None:
    doc = _parse("“We will win,” she said, “and we will win big.”")
    texts = _candidate_texts(doc, "said")
    assert ["“We will win,”"] in texts
    assert ["“We will win,”", "“and we will win big.”"] in texts


def test_candidates_have_no_duplicates() -> None:
    doc = _parse("Officials said the vote was fair, and observers agreed.")
    quotes = QuoteIndex(doc.text)
    candidates = content_candidates(_token(doc, "said"), quotes)
    keys = [(candidate.relation, candidate.fragments) for candidate in candidates]
    assert len(keys) == len(set(keys))


def test_a_cached_parse_gives_the_same_attributions() -> None:
    """The model is trained on parses kept as a DocBin: they must behave as fresh ones."""
    text = (
        "Senator Jane Smith said on Monday that the bill would pass.\n\n"
        "“We will win,” she said. “And we will win big.”\n\n"
        "The plan will fail, according to Anna Berg, the agency's director."
    )
    doc = _parse(text)
    restored = next(DocBin(docs=[doc]).get_docs(nlp.load().vocab))
    assert find_attributions(restored) == find_attributions(doc)
    assert find_attributions(doc)
