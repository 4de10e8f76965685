"""Per-article analysis: sentences, entities, quotes, time expressions and the timeline.

Each article body is parsed once with the shared spaCy pipeline (:func:`storylens.analysis.nlp.load`);
every stage reads that parse. ``analyze_many`` streams bodies through ``nlp.pipe``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Doc

from storylens.analysis import nlp
from storylens.analysis.entities import find_mentions
from storylens.analysis.quotes import find_quotes
from storylens.analysis.timeline import timed_events
from storylens.analysis.timex import find_timexes
from storylens.model import Analysis, Article, Span

PIPE_BATCH_SIZE = 16


def reference_day(article: Article, reference_date: str | None = None) -> str | None:
    """The date relative expressions resolve against: given, or the article's publication day."""
    if reference_date:
        return reference_date
    published = article.meta.published
    return published[:10] if published else None


def _parsable(body: str) -> str:
    """The body cut to what spaCy accepts (offsets stay valid: only the tail is dropped)."""
    return body[: nlp.load().max_length]


def _analysis(article: Article, doc: Doc, reference_date: str | None) -> Analysis:
    reference = reference_day(article, reference_date)
    mentions = find_mentions(doc)
    timexes = find_timexes(doc.text, reference)
    return Analysis(
        sentences=[Span(sentence.start_char, sentence.end_char) for sentence in doc.sents],
        entities=mentions,
        quotes=find_quotes(doc, mentions),
        timexes=timexes,
        events=timed_events(doc, timexes),
        reference_date=reference,
    )


def analyze(article: Article, reference_date: str | None = None) -> Analysis:
    """Sentences, entities, quotes, time expressions and timed events of one article's body."""
    doc = nlp.load()(_parsable(article.body))
    return _analysis(article, doc, reference_date)


def analyze_many(articles: Sequence[Article], reference_date: str | None = None) -> list[Analysis]:
    """``analyze`` for many articles, parsing them in batches."""
    bodies: Iterable[str] = (_parsable(article.body) for article in articles)
    docs = nlp.load().pipe(bodies, batch_size=PIPE_BATCH_SIZE)
    return [_analysis(article, doc, reference_date) for article, doc in zip(articles, docs, strict=True)]


def analysis_of(article: Article) -> Analysis:
    """The article's analysis, computed now when the pipeline has not attached one."""
    return article.analysis if article.analysis is not None else analyze(article)
