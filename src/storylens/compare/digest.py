"""One story's digest: everything the compare stage and the analysis merges say about it."""

from __future__ import annotations

from collections.abc import Sequence

from storylens.analysis.entities import summarize_entities
from storylens.analysis.quotes import merge_quotes
from storylens.analysis.timeline import merge_timeline
from storylens.compare.claims import extract_claims
from storylens.compare.contradictions import find_contradictions
from storylens.compare.framing import framing_table, loaded_terms, voices
from storylens.compare.statements import outlet_label
from storylens.compare.summary import summarize
from storylens.model import Article, ArticleSummary, ReuseGroup, Story, StoryDigest


def digest_story(
    story: Story, articles: Sequence[Article], reuse: Sequence[ReuseGroup], summary_sentences: int = 6
) -> StoryDigest:
    """The digest of one story from its analysed articles and the reuse groups touching them."""
    ids = set(story.article_ids) | {article.id for article in articles}
    touching = [group for group in reuse if ids & set(group.members)]
    entities = summarize_entities(articles)
    claims = extract_claims(articles, touching)
    return StoryDigest(
        story=story,
        articles=[_article_summary(article, touching) for article in articles],
        outlets=sorted({outlet_label(article) for article in articles}),
        summary=summarize(articles, touching, n_sentences=summary_sentences),
        timeline=merge_timeline(articles),
        quotes=merge_quotes(articles, entities),
        claims=claims,
        contradictions=find_contradictions(articles, claims),
        framing=framing_table(articles, entities),
        entities=entities,
        reuse=touching,
        undated_articles=sorted(member.article_id for member in story.members if member.undated),
        loaded_terms=loaded_terms(articles),
        voices=voices(articles),
    )


def _article_summary(article: Article, reuse: Sequence[ReuseGroup]) -> ArticleSummary:
    group = next((group.id for group in reuse if article.id in group.members), None)
    meta = article.meta
    return ArticleSummary(article.id, outlet_label(article), meta.title, meta.published, str(article.origin), group)
