"""Contradictions: two outlets giving incompatible values for the same slot of the same fact.

Precision comes first (a false contradiction costs the reader's trust), so every check needs strong
evidence that both sides talk about the same thing:
- date, number: the same event frame on both sides — a verb of the same event class (``lexicon.json``)
  with the same theme (what was signed, handed over, who was arrested) and no disagreement on the people
  named — with days that cannot be the same (see ``timeparts``) or exact counts that differ
  (approximate counts, "about 3,000", never conflict);
- place: near-identical statements (same negation and people) whose single location differs;
- speaker: the same quoted words credited to people with different names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from spacy.tokens import Token

from storylens.compare.claims import similarity_matrix
from storylens.compare.lexicon import EVENT_CLASSES
from storylens.compare.statements import Statement, number_value, outlet_label, parse, split_statements
from storylens.compare.timeparts import Day, day_of, days_conflict
from storylens.model import Article, Citation, Claim, Contradiction, ContradictionSide, Quote

# Statements this similar (TF-IDF cosine) are the same sentence with edits; only then are places compared.
NEAR_IDENTICAL = 0.6
SUBORDINATE_DEPS = {"advcl", "relcl", "ccomp", "acl", "parataxis", "conj", "appos"}
THEME_DEPS = {"dobj", "nsubjpass"}
APPROXIMATORS = {"about", "around", "nearly", "almost", "some", "over", "more", "than", "least", "roughly",
                 "approximately", "up", "estimated", "under", "fewer", "less"}  # fmt: skip
QUOTE_MATCH = 90  # rapidfuzz ratio for two quotes to be the same words
MIN_QUOTE_WORDS = 6


@dataclass(frozen=True)
class Frame:
    """A value (a day or a count) attached to an event: its class, its theme and the statement."""

    statement: Statement
    slot: str  # "date" or "number"
    event: str
    theme: frozenset[str]
    value_text: str
    value: Day | str


def find_contradictions(articles: Sequence[Article], claims: Sequence[Claim] = ()) -> list[Contradiction]:
    """All contradictions between different articles of one story.

    ``claims`` is accepted so callers can pass the story's claims; the checks work on statements, which
    also cover facts reported by a single article on each side.
    """
    del claims
    statements = split_statements(articles, parse(articles))
    return frame_contradictions(statements) + place_contradictions(statements) + speaker_contradictions(articles)


def frame_contradictions(statements: Sequence[Statement]) -> list[Contradiction]:
    frames = [frame for statement in statements for frame in event_frames(statement)]
    merged: dict[tuple[str, str, frozenset[str]], list[Frame]] = {}
    for i, a in enumerate(frames):
        for b in frames[i + 1 :]:
            if not _comparable(a, b) or not _values_conflict(a, b):
                continue
            sides = merged.setdefault((a.slot, a.event, a.theme & b.theme), [])
            sides.extend(frame for frame in (a, b) if frame not in sides)
    return [_frame_contradiction(slot, theme, sides) for (slot, _, theme), sides in merged.items()]


def place_contradictions(statements: Sequence[Statement]) -> list[Contradiction]:
    similarity = similarity_matrix(statements)
    found = []
    for i, a in enumerate(statements):
        for j in range(i + 1, len(statements)):
            b = statements[j]
            if a.article.id == b.article.id or similarity[i, j] < NEAR_IDENTICAL:
                continue
            if a.negated == b.negated and a.persons == b.persons:
                found.extend(_place_conflicts(a, b))
    return found


def speaker_contradictions(articles: Sequence[Article]) -> list[Contradiction]:
    quotes = [(article, quote) for article in articles if article.analysis for quote in article.analysis.quotes]
    quotes = [(a, q) for a, q in quotes if q.speaker and len(q.content_text.split()) >= MIN_QUOTE_WORDS]
    found = []
    for i, (article_a, a) in enumerate(quotes):
        for article_b, b in quotes[i + 1 :]:
            if article_a.id == article_b.id or _same_person(a.speaker or "", b.speaker or ""):
                continue
            if fuzz.ratio(a.content_text, b.content_text) >= QUOTE_MATCH:
                sides = [_quote_side(article_a, a), _quote_side(article_b, b)]
                description = f"who said “{_shorten(a.content_text)}”: {a.speaker} or {b.speaker}"
                found.append(Contradiction("speaker", description, sides))
    return found


def event_frames(statement: Statement) -> Iterable[Frame]:
    """The dated and counted events of a statement."""
    doc = statement.tokens.doc
    for timex in statement.timexes:
        day = day_of(timex)
        tokens = doc.char_span(timex.span.start, timex.span.end, alignment_mode="expand")
        verb = _governing_verb(tokens.root) if day and tokens is not None else None
        event = _event_class(verb)
        if verb is not None and event and day:
            yield Frame(statement, "date", event, _theme(verb), timex.text, day)
    for token in statement.tokens:
        count = _exact_count(token)
        if count is None:
            continue
        noun = token.head
        verb = next((c for c in noun.children if c.dep_ == "acl" and c.pos_ == "VERB"), None) or _governing_verb(noun)
        event = _event_class(verb)
        if event:
            yield Frame(
                statement, "number", event, frozenset({noun.lemma_.lower()}), f"{token.text} {noun.text}", count
            )


def _comparable(a: Frame, b: Frame) -> bool:
    if a.statement.article.id == b.statement.article.id or (a.slot, a.event) != (b.slot, b.event):
        return False
    persons_a, persons_b = a.statement.persons, b.statement.persons
    return bool(a.theme & b.theme) and not (persons_a and persons_b and persons_a.isdisjoint(persons_b))


def _values_conflict(a: Frame, b: Frame) -> bool:
    if isinstance(a.value, Day) and isinstance(b.value, Day):
        return days_conflict(a.value, b.value)
    return a.value != b.value


def _exact_count(token: Token) -> str | None:
    """The value of a number counting a noun ("27 people"), unless approximate or part of a date."""
    if not token.like_num or token.dep_ != "nummod" or token.head.pos_ != "NOUN":
        return None
    if token.ent_type_ in {"DATE", "TIME", "ORDINAL", "MONEY", "PERCENT"}:
        return None
    before = token.doc[max(token.i - 3, 0) : token.i]
    if any(word.lower_ in APPROXIMATORS for word in [*before, *token.children]):
        return None
    return number_value(token.text)


def _event_class(verb: Token | None) -> str | None:
    return EVENT_CLASSES.get(verb.lemma_.lower()) if verb is not None else None


def _governing_verb(token: Token) -> Token | None:
    while token.pos_ not in {"VERB", "AUX"}:
        if token.head.i == token.i:
            return None
        token = token.head
    return token


def _theme(verb: Token) -> frozenset[str]:
    """Lemmas naming what the event happened to: its object (or the noun a participle modifies)."""
    heads = [verb.head] if verb.dep_ == "acl" else [c for c in verb.children if c.dep_ in THEME_DEPS]
    return frozenset(lemma for head in heads for lemma in _noun_phrase_lemmas(head))


def _noun_phrase_lemmas(head: Token) -> list[str]:
    """The noun with its compounds and prepositional modifiers ("concession agreement with Halvard")."""
    lemmas = []
    stack = [head]
    while stack:
        token = stack.pop()
        if token.pos_ in {"NOUN", "PROPN"} and token.is_alpha:
            lemmas.append(token.lemma_.lower())
        stack.extend(c for c in token.children if c.dep_ in {"compound", "prep", "pobj"})
    return lemmas


def _frame_contradiction(slot: str, theme: frozenset[str], frames: list[Frame]) -> Contradiction:
    sides = [ContradictionSide(frame.value_text, frame.statement.citation) for frame in frames]
    values = " / ".join(dict.fromkeys(f"{frame.value_text} ({frame.statement.outlet})" for frame in frames))
    question = "when" if slot == "date" else "how many"
    return Contradiction(slot, f"{question} ({', '.join(sorted(theme))}): {values}", sides)


def _place_conflicts(a: Statement, b: Statement) -> list[Contradiction]:
    place_a, place_b = _single_place(a), _single_place(b)
    if not place_a or not place_b:
        return []
    if place_a.lower() in place_b.lower() or place_b.lower() in place_a.lower():
        return []
    sides = [ContradictionSide(place_a, a.citation), ContradictionSide(place_b, b.citation)]
    return [Contradiction("place", f"where: {place_a} or {place_b}", sides)]


def _single_place(statement: Statement) -> str | None:
    """The one location a statement puts its event in ("in Geneva"), if exactly one."""
    places = {
        entity.text
        for entity in statement.tokens.ents
        if entity.label_ in {"GPE", "LOC", "FAC"} and entity.root.head.lower_ in {"in", "at"}
    }
    return next(iter(places)) if len(places) == 1 else None


def _same_person(a: str, b: str) -> bool:
    last_a, last_b = a.split()[-1].lower(), b.split()[-1].lower()
    return last_a == last_b or fuzz.ratio(last_a, last_b) >= 80


def _quote_side(article: Article, quote: Quote) -> ContradictionSide:
    citation = Citation(article.id, outlet_label(article), quote.content, quote.content_text)
    return ContradictionSide(quote.speaker or "", citation)


def _shorten(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")
