"""Framing: the words each outlet chooses for the story's actors, its loaded words, and whose voices it quotes.

Actors come from two places: the designation lexicon (collective actors that are rarely named entities:
"rebels", "militants", "regime forces") and the story's named entities (the names and aliases each outlet
uses for a person, group or country). Every count says how many uses sit inside quotation marks, because
a term in a quote is the speaker's choice, not the outlet's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from storylens.analysis import analysis_of
from storylens.analysis.quotemarks import double_quoted
from storylens.compare.lexicon import DESIGNATIONS, LOADED_WORDS, Designation
from storylens.compare.statements import outlet_label
from storylens.model import Article, Citation, EntitySummary, Framing, Span, TermUse

MAX_EXAMPLES = 2
MAX_ENTITY_ACTORS = 8
# An actor row needs two different terms: one shared term shows no choice, and a single lexicon hit is
# the likeliest to be another sense of the word ("opposition motion" in a story about a strike).
MIN_TERMS = 2
WORD = re.compile(r"\b[\w’'-]+\b")

Use = tuple[Article, Span]  # one occurrence of a term in an article body


def framing_table(articles: Sequence[Article], entities: Sequence[EntitySummary] = ()) -> list[Framing]:
    """One row per actor: outlet -> terms used for it, with counts and example spans."""
    rows = [row for designation in DESIGNATIONS if (row := _designation_row(articles, designation))]
    return rows + _entity_rows(articles, entities)


def loaded_terms(articles: Sequence[Article]) -> dict[str, list[TermUse]]:
    """Outlet -> the evaluative words it uses (lexicon ``loaded``), most frequent first."""
    uses: dict[str, dict[str, list[Use]]] = {}
    for article in articles:
        for match in WORD.finditer(article.body):
            word = match.group().lower()
            if word in LOADED_WORDS:
                uses.setdefault(outlet_label(article), {}).setdefault(word, []).append(
                    (article, Span(match.start(), match.end()))
                )
    return {outlet: _term_uses(terms) for outlet, terms in sorted(uses.items())}


def voices(articles: Sequence[Article]) -> dict[str, list[TermUse]]:
    """Outlet -> the people and bodies it quotes (resolved speakers only), with the quotes as examples."""
    uses: dict[str, dict[str, list[Use]]] = {}
    for article in articles:
        for quote in analysis_of(article).quotes:
            if quote.speaker:
                outlet_uses = uses.setdefault(outlet_label(article), {})
                outlet_uses.setdefault(quote.speaker, []).append((article, quote.content))
    return {outlet: _term_uses(speakers) for outlet, speakers in sorted(uses.items())}


def _designation_row(articles: Sequence[Article], designation: Designation) -> Framing | None:
    by_outlet: dict[str, dict[str, list[Use]]] = {}
    for article in articles:
        for term, span in designation_matches(article.body, designation):
            by_outlet.setdefault(outlet_label(article), {}).setdefault(term, []).append((article, span))
    if len({term for terms in by_outlet.values() for term in terms}) < MIN_TERMS:
        return None
    table = {outlet: _term_uses(terms) for outlet, terms in sorted(by_outlet.items())}
    return Framing(designation.actor, table, designation.neutral)


def designation_matches(text: str, designation: Designation) -> list[tuple[str, Span]]:
    """Non-overlapping matches of the actor's terms, longest first ("regime forces" before "regime")."""
    candidates = [
        (match.end() - match.start(), match.start(), term, Span(match.start(), match.end()))
        for term, pattern in designation.patterns.items()
        for match in pattern.finditer(text)
    ]
    taken: list[Span] = []
    found = []
    for _, _, term, span in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if all(span.end <= other.start or span.start >= other.end for other in taken):
            taken.append(span)
            found.append((term, span))
    return sorted(found, key=lambda item: item[1].start)


def _entity_rows(articles: Sequence[Article], entities: Sequence[EntitySummary]) -> list[Framing]:
    """Named actors that outlets call by more than forms of one name ("Moscow" for the Russian government)."""
    by_id = {entity.id: entity for entity in entities}
    uses: dict[str, dict[str, dict[str, list[Use]]]] = {}
    for article in articles:
        for mention in analysis_of(article).entities:
            if mention.entity_id in by_id:
                outlet_terms = uses.setdefault(mention.entity_id, {}).setdefault(outlet_label(article), {})
                outlet_terms.setdefault(mention.text, []).append((article, mention.span))
    rows = []
    for entity in sorted(by_id.values(), key=lambda e: (-e.mentions, e.id)):
        by_outlet = uses.get(entity.id, {})
        names = {term for terms in by_outlet.values() for term in terms}
        if len(by_outlet) >= 2 and any(not _is_name_variant(name, entity) for name in names):
            table = {outlet: _term_uses(terms) for outlet, terms in sorted(by_outlet.items())}
            rows.append(Framing(entity.id, table, entity.id))
    return rows[:MAX_ENTITY_ACTORS]


def _is_name_variant(name: str, entity: EntitySummary) -> bool:
    """ "Lavrov", "U.S.", "the United States": a form of the canonical name, not a choice of words."""
    words = _name_words(name)
    canonical = _name_words(entity.id)
    acronym = "".join(word[0] for word in canonical if word not in {"of", "and"})
    return not words or set(words) <= set(canonical) or "".join(words) == acronym


def _name_words(name: str) -> list[str]:
    cleaned = re.sub(r"['’]s\b", "", name.lower()).replace(".", "")
    return [word for word in re.findall(r"\w+", cleaned) if word != "the"]


def _term_uses(terms: dict[str, list[Use]]) -> list[TermUse]:
    result = [
        TermUse(term, len(uses), [_citation(a, s) for a, s in uses[:MAX_EXAMPLES]], _quoted_count(uses))
        for term, uses in terms.items()
    ]
    return sorted(result, key=lambda use: (-use.count, use.term))


def _quoted_count(uses: Iterable[Use]) -> int:
    regions: dict[str, list[Span]] = {}
    count = 0
    for article, span in uses:
        quoted = regions.setdefault(article.id, double_quoted(article.body))
        count += any(region.start <= span.start and span.end <= region.end for region in quoted)
    return count


def _citation(article: Article, span: Span) -> Citation:
    return Citation(article.id, outlet_label(article), span, article.body[span.start : span.end])
