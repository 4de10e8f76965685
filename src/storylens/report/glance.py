"""A story's findings in a few lines, for the top of every report: who copied whom and what they changed,
where the sources disagree, and which words each outlet uses for the same actor.

Every line is built from the digest's own data; nothing here finds anything new.
"""

from __future__ import annotations

from dataclasses import dataclass

from storylens.model import StoryDigest
from storylens.report.edits import describe_tally, tally_edits

MAX_CHANGES_SHOWN = 3


@dataclass
class GlanceLine:
    kind: str  # sources, reuse, contradiction, framing
    text: str


def at_a_glance(digest: StoryDigest) -> list[GlanceLine]:
    return [_sources_line(digest), *_reuse_lines(digest), *_contradiction_lines(digest), *_framing_lines(digest)]


def _outlet_of(digest: StoryDigest) -> dict[str, str]:
    return {article.id: article.outlet or article.id for article in digest.articles}


def _sources_line(digest: StoryDigest) -> GlanceLine:
    text = (
        f"{counted(len(digest.articles), 'article')} from {counted(len(digest.outlets), 'outlet')}; "
        f"{counted(digest.story.independent_sources, 'independent source')}"
    )
    if digest.reuse:
        text += f", each group of copies counted once ({counted(len(digest.reuse), 'group')})"
    return GlanceLine("sources", text + ".")


def counted(number: int, noun: str) -> str:
    """ "1 article", "5 articles"."""
    return f"{number} {noun}{'s' * (number != 1)}"


def _reuse_lines(digest: StoryDigest) -> list[GlanceLine]:
    outlet_of = _outlet_of(digest)
    lines = []
    for group in digest.reuse:
        for pair in group.pairs:
            changes = "; ".join(describe_tally(t, MAX_CHANGES_SHOWN) for t in tally_edits(pair.edits)) or "no edits"
            share = max(pair.containment_a_in_b, pair.containment_b_in_a)
            lines.append(
                GlanceLine(
                    "reuse",
                    f"{outlet_of.get(pair.b, pair.b)} carries {outlet_of.get(pair.a, pair.a)}'s text "
                    f"({share:.0%} shared); changed: {changes}.",
                )
            )
    return lines


def _contradiction_lines(digest: StoryDigest) -> list[GlanceLine]:
    outlet_of = _outlet_of(digest)
    lines = []
    for contradiction in digest.contradictions:
        question = contradiction.description.split(": ", 1)[0]  # "when (proposal)", "who said “…”", "where"
        outlets_by_value: dict[str, list[str]] = {}
        for side in contradiction.sides:
            outlet = side.citation.outlet or outlet_of.get(side.citation.article_id, side.citation.article_id)
            outlets_by_value.setdefault(side.value, []).append(outlet)
        sides = " vs ".join(f"{value} ({', '.join(outlets)})" for value, outlets in outlets_by_value.items())
        lines.append(GlanceLine("contradiction", f"Sources disagree on {question}: {sides}."))
    return lines


def _framing_lines(digest: StoryDigest) -> list[GlanceLine]:
    lines = []
    for framing in digest.framing:
        favourite = {outlet: uses[0].term for outlet, uses in framing.terms_by_outlet.items() if uses}
        if len(set(favourite.values())) < 2:
            continue  # every outlet uses the same word: nothing to show
        by_term: dict[str, list[str]] = {}
        for outlet, term in favourite.items():
            by_term.setdefault(term, []).append(outlet)
        terms = "; ".join(f"“{term}” ({', '.join(outlets)})" for term, outlets in by_term.items())
        lines.append(GlanceLine("framing", f"Words for the {framing.actor}: {terms}."))
    return lines
