"""A neutral extractive summary of one story, every sentence citing the articles that report it.

1. The story's statements are grouped into claims (``claims.group_statements``), so a fact reported by
   five outlets is one candidate, cited five times.
2. Each claim is scored by how central it is to the story (TF-IDF cosine to the story centroid), how many
   independent sources report it (a reuse group counts once), and how early the outlets put it (news
   writing puts the main facts first).
3. Claims are picked greedily, skipping any too similar to one already picked, until the sentence count
   or word budget is reached, then put in timeline order.
4. Of a claim's wordings the one with fewest loaded words is shown, then the one with fewest dates that
   mean something only on its outlet's page ("yesterday" -> prefer "on Monday"); loaded designations left
   outside quotes are replaced by the lexicon's neutral term ("terrorists" -> "rebels").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from storylens.analysis.quotemarks import double_quoted
from storylens.compare.claims import StatementGroup, group_statements
from storylens.compare.framing import designation_matches
from storylens.compare.lexicon import DESIGNATIONS, LOADED_WORDS
from storylens.compare.statements import Statement, parse, split_statements
from storylens.compare.timeparts import day_of
from storylens.model import Article, ReuseGroup, SummarySentence, Timex
from storylens.reuse import independent_sources

# Score weights, tuned on Multi-News dev (benchmarks/summary.py); see docs/compare.md.
CENTRALITY_WEIGHT = 0.5
SUPPORT_WEIGHT = 0.6
AGREEMENT_WEIGHT = 2.5
POSITION_WEIGHT = 0.6
LOADED_PENALTY = 0.2  # per loaded word outside quotes: a neutral wording of the same weight wins
POSITION_DECAY = 0.25  # per sentence of the article: the 5th sentence keeps 1 / (1 + 4 * 0.25) = half
# A candidate this similar (cosine) to a picked sentence repeats it.
REDUNDANCY = 0.5
MAX_SENTENCE_WORDS = 60
# Read in a summary, away from the article's date, these no longer say which day was meant.
DEICTIC_DAYS = {"today", "yesterday", "tomorrow", "tonight"}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
POSSESSIVE = re.compile(r"[’']s\b")


@dataclass
class Candidate:
    group: StatementGroup
    score: float
    wording: Statement
    words: int


def summarize(
    articles: Sequence[Article],
    reuse: Sequence[ReuseGroup] = (),
    n_sentences: int = 6,
    max_words: int | None = None,
) -> list[SummarySentence]:
    """Up to ``n_sentences`` sentences (or until ``max_words`` when given), in timeline order."""
    usable = [article for article in articles if article.body.strip()]
    statements = [s for s in split_statements(usable, parse(usable)) if len(s.text.split()) <= MAX_SENTENCE_WORDS]
    if not statements:
        return []
    candidates = _score(group_statements(statements), statements, reuse)
    picked = _pick(candidates, n_sentences, max_words)
    return [_sentence(candidate) for candidate in sorted(picked, key=_timeline_key)]


def _score(groups: list[StatementGroup], statements: list[Statement], reuse: Sequence[ReuseGroup]) -> list[Candidate]:
    """Centrality and cross-source agreement use word unigrams and bigrams (what ROUGE and readers see)."""
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit([s.text for s in statements])
    vectors = vectorizer.transform([s.text for s in statements])
    centroid = np.asarray(vectorizer.transform([" ".join(s.text for s in statements)]).todense())
    all_sources = max(_sources(statements, reuse), 1)
    sources = _source_keys(statements, reuse)
    candidates = []
    for group in groups:
        wording = min(group.statements, key=_wording_rank)
        vector = vectorizer.transform([wording.text])
        centrality = float(cosine_similarity(vector, centroid)[0, 0])
        agreement = _agreement(cosine_similarity(vector, vectors).ravel(), sources, sources[statements.index(wording)])
        support = _sources(group.statements, reuse) / all_sources
        position = max(1.0 / (1.0 + POSITION_DECAY * statement.index) for statement in group.statements)
        score = (
            CENTRALITY_WEIGHT * centrality
            + SUPPORT_WEIGHT * support
            + AGREEMENT_WEIGHT * agreement
            + POSITION_WEIGHT * position
            - LOADED_PENALTY * _wording_rank(wording)[0]
        )
        candidates.append(Candidate(group, score, wording, len(wording.text.split())))
    return sorted(candidates, key=lambda c: (-c.score, c.wording.article.id, c.wording.span.start))


def _agreement(similarity: np.ndarray, sources: np.ndarray, own: str) -> float:
    """How closely the other sources say the same: mean over them of their most similar statement."""
    others = [similarity[sources == source].max() for source in sorted(set(sources.tolist())) if source != own]
    return float(np.mean(others)) if others else 0.0


def _source_keys(statements: Sequence[Statement], reuse: Sequence[ReuseGroup]) -> np.ndarray:
    """One key per independent source: the reuse group, else the outlet, else the article."""
    group_of = {member: group.id for group in reuse for member in group.members}
    return np.array(
        [group_of.get(s.article.id) or s.article.meta.outlet or s.article.id for s in statements], dtype=object
    )


def _pick(candidates: list[Candidate], n_sentences: int, max_words: int | None) -> list[Candidate]:
    if not candidates:
        return []
    vectorizer = TfidfVectorizer(token_pattern=r"\S+").fit([" ".join(c.wording.lemmas) for c in candidates])
    vectors = vectorizer.transform([" ".join(c.wording.lemmas) for c in candidates])
    similarity = cosine_similarity(vectors)
    picked: list[int] = []
    words = 0
    for index, candidate in enumerate(candidates):
        if _full(len(picked), words, n_sentences, max_words):
            break
        if any(similarity[index, other] >= REDUNDANCY for other in picked):
            continue
        picked.append(index)
        words += candidate.words
    return [candidates[index] for index in picked]


def _full(sentences: int, words: int, n_sentences: int, max_words: int | None) -> bool:
    return words >= max_words if max_words is not None else sentences >= n_sentences


def _sources(statements: Sequence[Statement], reuse: Sequence[ReuseGroup]) -> int:
    outlets = {statement.article.id: statement.article.meta.outlet for statement in statements}
    return independent_sources(sorted(outlets), reuse, outlets)


def _wording_rank(statement: Statement) -> tuple[int, int, int]:
    """Loaded words outside quotes, then deictic dates, then the statement's place (earlier wordings win ties)."""
    quoted = [(r.start - statement.span.start, r.end - statement.span.start) for r in double_quoted(statement.text)]
    loaded = 0
    for token in statement.tokens:
        offset = token.idx - statement.span.start
        if token.lower_ in LOADED_WORDS and not any(start <= offset < end for start, end in quoted):
            loaded += 1
    deictic = sum(1 for timex in statement.timexes if DEICTIC_DAYS & set(timex.text.lower().split()))
    return loaded, deictic, statement.index


def _timeline_key(candidate: Candidate) -> tuple[str, str, int]:
    """The day the claim's statements put it on (when resolved), else the earliest report, then position."""
    days = sorted(
        day.date.isoformat()
        for statement in candidate.group.statements
        for day in map(day_of, statement.timexes)
        if day and day.date
    )
    published = sorted(s.article.meta.published or "" for s in candidate.group.statements)
    first = candidate.group.statements[0]
    return (days[0] if days else published[0] or "9999", first.article.id, first.span.start)


def _sentence(candidate: Candidate) -> SummarySentence:
    citations = [statement.citation for statement in candidate.group.statements]
    return SummarySentence(neutral_wording(with_resolved_days(candidate.wording)), citations)


def with_resolved_days(statement: Statement) -> str:
    """The statement with the day each "yesterday"/"today"/"tomorrow" meant on its outlet's page, in square
    brackets (the press's mark for an insertion, so it may stand inside a quote too)."""
    text = statement.text
    for timex in sorted(_deictic(statement), key=lambda timex: -timex.span.end):
        day = date.fromisoformat(timex.value)
        end = timex.span.end - statement.span.start
        possessive = POSSESSIVE.match(text, end)  # "tomorrow's talks"
        end = possessive.end() if possessive else end
        text = f"{text[:end]} [{day.day} {day:%B %Y}]{text[end:]}"
    return text


def _deictic(statement: Statement) -> list[Timex]:
    return [
        timex
        for timex in statement.timexes
        if DEICTIC_DAYS & set(timex.text.lower().split()) and ISO_DAY.fullmatch(timex.value)
    ]


def neutral_wording(text: str) -> str:
    """Replace loaded designations outside quotes by the neutral term ("terrorists" -> "rebels")."""
    quoted = double_quoted(text)
    replacements = []
    for designation in DESIGNATIONS:
        for term, span in designation_matches(text, designation):
            loaded = any(word in LOADED_WORDS for word in term.split())
            if loaded and not any(region.start <= span.start < region.end for region in quoted):
                replacements.append((span, _match_case(designation.neutral, text[span.start : span.end])))
    for span, replacement in sorted(replacements, key=lambda item: -item[0].start):
        text = text[: span.start] + replacement + text[span.end :]
    return text


def _match_case(replacement: str, original: str) -> str:
    return replacement[:1].upper() + replacement[1:] if original[:1].isupper() else replacement
