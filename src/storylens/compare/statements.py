"""Statements: the sentences of a story's articles with the features claims and contradictions compare.

Each statement keeps its span into ``Article.body`` and the features that must agree for two statements
to say the same thing: content lemmas, negation, numbers, time expressions and actors. The spaCy parse is
done once per article here (the analysis stage keeps spans, not parses).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from storylens.analysis import analysis_of, nlp
from storylens.model import Article, Citation, Mention, Quote, Span, Timex

CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"}
ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
NEGATION_LEMMAS = {"not", "no", "never", "nothing", "none", "neither", "nor", "without"}
# Sentences shorter than this (in words) are headlines, captions or clutter, not statements.
MIN_STATEMENT_WORDS = 6
SMALL_NUMBERS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty"
)
TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
NUMBER_WORDS = {word: value for value, word in enumerate(SMALL_NUMBERS.split())} | TENS
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


@dataclass
class Statement:
    article: Article
    outlet: str
    index: int  # position of the sentence in its article
    span: Span
    text: str
    lemmas: list[str]
    negated: bool
    numbers: frozenset[str]
    actors: frozenset[str]
    persons: frozenset[str]
    timexes: list[Timex]
    attributed_to: str | None
    tokens: SpacySpan = field(repr=False)

    @property
    def citation(self) -> Citation:
        return Citation(self.article.id, self.outlet, self.span, self.text)


def outlet_label(article: Article) -> str:
    """The outlet's name, or the article id when the outlet is unknown."""
    return article.meta.outlet or article.id


def parse(articles: Sequence[Article]) -> list[Doc]:
    """One spaCy parse per article body (cached: a digest parses each body once, not once per part)."""
    return [_parse_text(article.body) for article in articles]


@lru_cache(maxsize=256)
def _parse_text(text: str) -> Doc:
    return nlp.load()(text[: nlp.load().max_length])


def split_statements(articles: Sequence[Article], docs: Sequence[Doc] | None = None) -> list[Statement]:
    """All statements of the articles, in article order then text order."""
    docs = list(docs) if docs is not None else parse(articles)
    statements: list[Statement] = []
    for article, doc in zip(articles, docs, strict=True):
        statements.extend(_article_statements(article, doc))
    return statements


def _article_statements(article: Article, doc: Doc) -> list[Statement]:
    analysis = analysis_of(article)
    sentence_spans = [line for sentence in analysis.sentences for line in _lines(article.body, sentence)]
    statements = []
    for index, span in enumerate(sentence_spans):
        tokens = doc.char_span(span.start, span.end, alignment_mode="expand")
        if tokens is None or sum(token.is_alpha for token in tokens) < MIN_STATEMENT_WORDS:
            continue
        inside = [mention for mention in analysis.entities if _within(mention.span, span)]
        actors = {_actor_key(mention) for mention in inside if mention.label in ACTOR_LABELS}
        persons = {_actor_key(mention) for mention in inside if mention.label == "PERSON"}
        statements.append(
            Statement(
                article=article,
                outlet=outlet_label(article),
                index=index,
                span=span,
                text=article.body[span.start : span.end],
                lemmas=content_lemmas(tokens),
                negated=any(_is_negation(token) for token in tokens),
                numbers=frozenset(numbers_in(tokens)),
                actors=frozenset(actors),
                persons=frozenset(persons),
                timexes=[timex for timex in analysis.timexes if _within(timex.span, span)],
                attributed_to=_attribution(span, analysis.quotes),
                tokens=tokens,
            )
        )
    return statements


def content_lemmas(tokens: SpacySpan | Doc) -> list[str]:
    return [
        token.lemma_.lower()
        for token in tokens
        if token.pos_ in CONTENT_POS and not token.is_stop and (token.is_alpha or token.like_num)
    ]


def numbers_in(tokens: SpacySpan | Doc) -> set[str]:
    """Normalized numeric values outside dates and times ("seven" -> "7", "40 per cent" -> "40%")."""
    values = set()
    for token in tokens:
        if token.ent_type_ in {"DATE", "TIME", "ORDINAL"} or not token.like_num:
            continue
        value = number_value(token.text)
        if value is not None:
            values.add(value)
    return values


def number_value(text: str) -> str | None:
    cleaned = text.lower().replace(",", "")
    if re.fullmatch(r"\d+(\.\d+)?", cleaned):
        return str(float(cleaned)).removesuffix(".0")
    if cleaned in NUMBER_WORDS:
        return str(NUMBER_WORDS[cleaned])
    if cleaned in SCALES:
        return str(SCALES[cleaned])
    return None


def _is_negation(token: Token) -> bool:
    return token.dep_ == "neg" or token.lemma_.lower() in NEGATION_LEMMAS


def _within(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _actor_key(mention: Mention) -> str:
    """Canonical name when alias merging gave one; else the last word ("Sergei Lavrov" -> "lavrov")."""
    name = mention.entity_id or mention.text
    words = re.findall(r"\w+", name.lower().removesuffix("'s").removesuffix("’s"))
    return words[-1] if words and mention.label == "PERSON" else " ".join(words)


def _lines(body: str, sentence: Span) -> list[Span]:
    """The sentence cut at line breaks: a paragraph never continues a sentence (headlines, captions)."""
    spans = []
    for match in re.finditer(r"[^\n]+", body[sentence.start : sentence.end]):
        text = match.group()
        start = sentence.start + match.start() + len(text) - len(text.lstrip())
        end = sentence.start + match.end() - (len(text) - len(text.rstrip()))
        if end > start:
            spans.append(Span(start, end))
    return spans


def _attribution(span: Span, quotes: Sequence[Quote]) -> str | None:
    """Who the outlet attributes the statement to: the speaker whose quotes cover most of it."""
    covered: Counter[str] = Counter()
    for quote in quotes:
        speaker = quote.speaker or quote.source_text
        overlap = min(quote.content.end, span.end) - max(quote.content.start, span.start)
        if speaker and overlap > 0:
            covered[speaker] += overlap
    if not covered:
        return None
    speaker, length = covered.most_common(1)[0]
    return speaker if length > (span.end - span.start) / 2 else None
