"""Quotes with resolved speakers, and the same quote merged across the outlets of a story.

:func:`find_quotes` turns the attribution relations of :mod:`storylens.analysis.attribution` into
``Quote`` records and resolves each source to a person or organization of the article:

- a name ("Lavrov") resolves to the entity's canonical name ("Sergey Lavrov") and its role;
- a pronoun ("he", "she") to the person most recently named as a subject before it;
- a description ("the minister", "The Russian envoy") to the person whose role shares its head
  word, or else to the most recent person given a role;
- a news outlet ("RT wrote that ...", "the news organization added") is recorded as ``via``.

:func:`merge_quotes` joins quotes whose contents match fuzzily (rapidfuzz) across a story's
articles, keeping every wording with its citation and describing word-level differences.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from storylens.analysis.attribution import Attribution, find_attributions
from storylens.analysis.entities import ROLE_WORDS, countries
from storylens.model import Article, Citation, EntitySummary, Mention, MergedQuote, Quote, Span, Wording

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
# Cues by which an outlet reports what it published, and nouns that describe an outlet.
MEDIA_CUES = frozenset({"write", "report", "publish", "cite", "quote", "broadcast", "run"})
MEDIA_NOUNS = frozenset(
    {
        "agency",
        "outlet",
        "newspaper",
        "paper",
        "channel",
        "network",
        "organization",
        "organisation",
        "website",
        "site",
        "broadcaster",
        "daily",
        "magazine",
        "media",
        "tv",
        "television",
        "radio",
        "station",
    }
)
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
# Contents at least this similar (rapidfuzz ratio, 0-100) are the same quote.
SAME_QUOTE_RATIO = 75
# Or one contains the other this closely, and the shorter holds this share of the longer's length.
CONTAINED_RATIO = 90
CONTAINED_SHARE = 0.4
MIN_WORDS_TO_MERGE = 4
MAX_DIFFERENCES = 6
NATIONALITY_STEM = 5  # letters shared by a country and its adjective: "russi", "ameri", "germa"
COUNTRY_STEM = 4  # a role word starting like a country name names a country: "Chinese", "Israeli", "US"
# A person described by the first word may hold a role named by the second: "the envoy" -> "Foreign Minister".
ROLE_SYNONYMS = {
    "diplomat": ("foreign minister", "secretary of state", "ambassador", "envoy"),
    "envoy": ("foreign minister", "secretary of state", "ambassador", "diplomat"),
}
CATAPHORA_SENTENCES = 2  # how far ahead a described speaker may be named
QUOTE_MARKS = re.compile(r"[“”\"‘’«»„`']+")


@dataclass(frozen=True)
class Speaker:
    name: str | None
    role: str | None = None
    via: str | None = None


class SpeakerResolver:
    """Resolves attribution sources to entities of one article."""

    def __init__(self, doc: Doc, mentions: Sequence[Mention]) -> None:
        self.doc = doc
        self.mentions = sorted(mentions, key=lambda m: m.span.start)
        self.roles: dict[str, str] = {}
        for mention in self.mentions:
            if mention.label == "PERSON" and mention.role and mention.entity_id:
                self.roles.setdefault(mention.entity_id, mention.role)
        self.last_outlet: str | None = None
        self.previous: tuple[int, Speaker] | None = None  # the last cue's sentence start and speaker

    def resolve(self, attribution: Attribution) -> Speaker:
        sentence = self.doc.char_span(attribution.cue.start, attribution.cue.end, alignment_mode="expand")
        sentence_start = sentence.sent.start_char if sentence is not None and len(sentence) else -1
        if any(_within(attribution.source, fragment) for fragment in attribution.content):
            # "Lavrov noted, while adding, “… John Kerry passed …”": a cue whose only subject lies inside its
            # own quote has none of its own; it shares the speaker of the cue before it in the sentence.
            same_sentence = self.previous is not None and self.previous[0] == sentence_start
            speaker = self.previous[1] if same_sentence and self.previous else Speaker(None)
        else:
            speaker = self._from_source(attribution)
        self.previous = (sentence_start, speaker)
        return speaker

    def _from_source(self, attribution: Attribution) -> Speaker:
        if attribution.source is None:
            return Speaker(None)
        source = self.doc.char_span(attribution.source.start, attribution.source.end, alignment_mode="expand")
        if source is None or not len(source):
            return Speaker(None)
        speaker = self._named(source.root) or self._described(source.root)
        if speaker is None:
            return Speaker(None)
        if self._is_outlet(source.root, attribution, speaker):
            self.last_outlet = speaker.name
            return Speaker(speaker.name, None, via=speaker.name)
        return speaker

    def _named(self, head: Token) -> Speaker | None:
        """The entity named at the head of the source phrase ("Kerry" in "US Secretary of State John Kerry")."""
        for mention in self.mentions:
            inside = mention.span.start <= head.idx < mention.span.end
            if inside and mention.label in SPEAKER_LABELS and mention.entity_id:
                name = mention.stands_for or mention.entity_id
                return Speaker(name, self.roles.get(mention.entity_id))
        return None

    def _described(self, head: Token) -> Speaker | None:
        word = head.lower_
        if word in PERSON_PRONOUNS:
            return self._last_person(head.idx, subjects_only=True) or self._last_person(head.idx)
        if head.pos_ == "PROPN":
            return self._described_by_role(head) or Speaker(_name_phrase(head))
        if head.pos_ != "NOUN":
            return None
        return self._described_by_role(head)

    def _described_by_role(self, head: Token) -> Speaker | None:
        word = head.lower_
        if word in MEDIA_NOUNS and self.last_outlet:
            return Speaker(self.last_outlet)
        nationality = _nationality(head)
        fitting = [(name, role) for name, role in self.roles.items() if _role_fits(head, role, nationality)]
        for name, role in fitting:
            if self._named_before(name, head.idx):
                return Speaker(name, role)
        for name, role in fitting:
            if self._named_soon_after(name, head):
                return Speaker(name, role)
        if nationality is None and (word in ROLE_WORDS or head.lemma_.lower() in ROLE_WORDS):
            return self._last_person(head.idx, with_role=True)
        return None

    def _named_before(self, name: str, offset: int) -> bool:
        return any(m.entity_id == name and m.span.start < offset for m in self.mentions)

    def _named_soon_after(self, name: str, head: Token) -> bool:
        """News leads describe first and name later: "Russia's top diplomat accused ... Foreign Minister
        Sergei Lavrov told journalists"."""
        sentences = list(self.doc.sents)
        index = next(i for i, sentence in enumerate(sentences) if sentence.start <= head.i < sentence.end)
        end = sentences[min(index + CATAPHORA_SENTENCES, len(sentences) - 1)].end_char
        first = next((m.span.start for m in self.mentions if m.entity_id == name), None)
        return first is not None and head.idx < first < end

    def _last_person(self, offset: int, subjects_only: bool = False, with_role: bool = False) -> Speaker | None:
        for mention in reversed(self.mentions):
            if mention.span.start >= offset or mention.label != "PERSON" or not mention.entity_id:
                continue
            if with_role and mention.entity_id not in self.roles:
                continue
            if subjects_only and not self._is_subject(mention.span):
                continue
            return Speaker(mention.entity_id, self.roles.get(mention.entity_id))
        return None

    def _is_subject(self, span: Span) -> bool:
        tokens = self.doc.char_span(span.start, span.end, alignment_mode="expand")
        return tokens is not None and tokens.root.dep_ in {"nsubj", "nsubjpass"}

    def _is_outlet(self, head: Token, attribution: Attribution, speaker: Speaker) -> bool:
        cue = self.doc.char_span(attribution.cue.start, attribution.cue.end, alignment_mode="expand")
        cue_lemma = cue.root.lemma_.lower() if cue is not None and len(cue) else ""
        if speaker.name == self.last_outlet or head.lower_ in MEDIA_NOUNS:
            return True
        return cue_lemma in MEDIA_CUES and not self._is_person(speaker.name)

    def _is_person(self, name: str | None) -> bool:
        return any(m.entity_id == name and m.label == "PERSON" for m in self.mentions)


def _within(inner: Span | None, outer: Span) -> bool:
    return inner is not None and outer.start <= inner.start and inner.end <= outer.end


def _nationality(head: Token) -> str | None:
    """The country word describing a person ("Russia's top diplomat", "the Russian envoy")."""
    for child in head.lefts:
        if child.ent_type_ in {"GPE", "NORP"}:
            return child.lower_
    return None


def _role_fits(head: Token, role: str, nationality: str | None) -> bool:
    """Whether "the envoy" / "Russia's top diplomat" can be the person with this role."""
    job = head.lemma_.lower()
    same_job = job in role.lower().split() or any(title in role.lower() for title in ROLE_SYNONYMS.get(job, ()))
    return same_job and _same_nationality(nationality, role)


def _same_nationality(nationality: str | None, role: str) -> bool:
    """Whether a role fits the nationality: "Russia's" and "Russian" share their stem; a role that names no
    country ("Foreign Minister") fits any."""
    if nationality is None:
        return True
    stem = nationality[:NATIONALITY_STEM]
    if any(word.lower().startswith(stem) for word in role.split()):
        return True
    return not any(word.lower()[:COUNTRY_STEM] in country_stems() for word in role.split())


@lru_cache(maxsize=1)
def country_stems() -> frozenset[str]:
    return frozenset(name[:COUNTRY_STEM] for name in countries().by_alias)


def _name_phrase(head: Token) -> str:
    """A proper name the NER did not tag, with its compound parts ("RT", "Fox News")."""
    parts = [child for child in head.lefts if child.dep_ == "compound" and child.pos_ == "PROPN"]
    start = parts[0].i if parts else head.i
    return head.doc[start : head.i + 1].text


def _states_something(doc: Doc, content: Span) -> bool:
    """Whether reported content holds a verb. PolNeAR also marks the objects of stance cues ("Egypt
    drafted the resolution", "RT cited US media"); a reader looking for who said what does not want those."""
    span = doc.char_span(content.start, content.end, alignment_mode="expand")
    return span is not None and any(token.pos_ in {"VERB", "AUX"} for token in span) and not _is_adverbial(span)


def _is_adverbial(content: SpacySpan) -> bool:
    """Whether reported content is an adverbial clause of the cue ("Kerry said when asked ... <as he
    attended a meeting>"): it tells the circumstances of the speech, not what was said."""
    first = content[0]
    return first.dep_ == "mark" and first.head.dep_ == "advcl" and first.lower_ not in {"that", "whether", "if"}


def find_quotes(doc: Doc, mentions: Sequence[Mention]) -> list[Quote]:
    """Direct quotes and reported speech of a parsed text, with speakers resolved."""
    resolver = SpeakerResolver(doc, mentions)
    text = doc.text
    quotes = []
    for attribution in find_attributions(doc):
        if not attribution.direct and not _states_something(doc, attribution.content_span):
            continue
        speaker = resolver.resolve(attribution)
        content = attribution.content_span
        quotes.append(
            Quote(
                content=content,
                content_text=" ".join(fragment.text(text) for fragment in attribution.content),
                direct=attribution.direct,
                cue=attribution.cue,
                cue_text=attribution.cue.text(text),
                source=attribution.source,
                source_text=attribution.source.text(text) if attribution.source else None,
                speaker=speaker.name,
                speaker_role=speaker.role,
                via=speaker.via,
                content_parts=list(attribution.content) if len(attribution.content) > 1 else [],
            )
        )
    return quotes


# ---------------------------------------------------------------- across a story


def _normalized(text: str) -> str:
    return " ".join(QUOTE_MARKS.sub(" ", text).lower().split())


def same_quote(a: str, b: str) -> bool:
    """Whether two contents are wordings of one quote."""
    a, b = _normalized(a), _normalized(b)
    if min(len(a.split()), len(b.split())) < MIN_WORDS_TO_MERGE:
        return a == b
    if fuzz.ratio(a, b) >= SAME_QUOTE_RATIO:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= CONTAINED_SHARE * len(longer) and fuzz.partial_ratio(shorter, longer) >= CONTAINED_RATIO


def _compatible(a: Quote, b: Quote) -> bool:
    return a.speaker is None or b.speaker is None or a.speaker == b.speaker or a.via == b.speaker


def _joins(article: Article, quote: Quote, other_article: Article, other: Quote) -> bool:
    """Same quote: fuzzily across articles; within one article only when repeated word for word."""
    if article.id == other_article.id:
        return _normalized(quote.content_text) == _normalized(other.content_text)
    return same_quote(quote.content_text, other.content_text) and _compatible(quote, other)


@dataclass
class _Group:
    items: list[tuple[Article, Quote]]


def merge_quotes(articles: Sequence[Article], entities: Sequence[EntitySummary] = ()) -> list[MergedQuote]:
    """The story's quotes, each merged with its other wordings across outlets. With the story's entities,
    speakers are named as the story names them, so "Sergei Lavrov" and "Sergey Lavrov" are one speaker."""
    from storylens.analysis import analysis_of

    story_name = {
        alias: entity.id
        for entity in entities
        if entity.label == "PERSON"
        for alias in entity.aliases
        if alias.split()[-1:] == entity.id.split()[-1:]  # a spelling of the name, not a role ("Foreign Minister")
    }
    groups: list[_Group] = []
    for article in articles:
        for quote in analysis_of(article).quotes:
            quote = replace(quote, speaker=story_name.get(quote.speaker or "", quote.speaker))
            group = next((g for g in groups if any(_joins(article, quote, a, q) for a, q in g.items)), None)
            if group is None:
                groups.append(_Group([(article, quote)]))
            else:
                group.items.append((article, quote))
    return [_merged(group) for group in groups]


def _merged(group: _Group) -> MergedQuote:
    wordings: list[Wording] = []
    seen: set[tuple[str, str]] = set()
    for article, quote in group.items:
        if (article.id, quote.content_text) in seen:
            continue
        seen.add((article.id, quote.content_text))
        citation = Citation(article.id, article.meta.outlet, quote.content, quote.content_text)
        wordings.append(Wording(quote.content_text, citation))
    speakers = Counter(quote.speaker for _, quote in group.items if quote.speaker)
    return MergedQuote(
        speaker=speakers.most_common(1)[0][0] if speakers else None,
        direct=any(quote.direct for _, quote in group.items),
        wordings=wordings,
        differences=_differences(wordings),
    )


def _label(wording: Wording) -> str:
    return wording.citation.outlet or wording.citation.article_id


def _differences(wordings: Sequence[Wording]) -> list[str]:
    """Word-level differences of every wording against the first."""
    if len(wordings) < 2:
        return []
    reference = wordings[0]
    base = QUOTE_MARKS.sub(" ", reference.text).split()
    found: list[str] = []
    for other in wordings[1:]:
        words = QUOTE_MARKS.sub(" ", other.text).split()
        matcher = difflib.SequenceMatcher(a=[w.lower() for w in base], b=[w.lower() for w in words], autojunk=False)
        for tag, a1, a2, b1, b2 in matcher.get_opcodes():
            old, new = " ".join(base[a1:a2]), " ".join(words[b1:b2])
            if tag == "replace":
                found.append(f"{_label(other)} has '{new}' where {_label(reference)} has '{old}'")
            elif tag == "insert":
                found.append(f"{_label(other)} adds '{new}'")
            elif tag == "delete":
                found.append(f"{_label(other)} omits '{old}'")
    return found[:MAX_DIFFERENCES]
