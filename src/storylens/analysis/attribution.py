"""Attribution relations (source, cue, content) over a spaCy parse, with a model learned from PolNeAR.

Two linear models, trained by ``benchmarks/train_attribution.py`` on the PolNeAR train split and
shipped as ``attribution_model.json``:

- the *cue* model scores every token as the head of an attribution cue ("said", "according",
  "accused", "told", ":" ...) from its lemma, part of speech, dependency label and context;
- the *content* model (trained as a pairwise ranker: the candidate closest to the gold content
  against each worse one) ranks the candidate content spans of a cue: its dependents (``ccomp``,
  ``dobj``, ``xcomp``, a ``prep`` object ...), its complements after it taken together ("blamed
  <the media for ...>"), its governor (for "according to X, ..."), and quoted regions next to it
  (for "X said:" followed by a quote); each subtree also comes cut before a trailing clause
  (", which ...", ", and X said ...").

Quoted regions found by :mod:`storylens.analysis.quotemarks` widen every candidate to the whole
quote (across sentences); a candidate also comes with the quote continuing right after the
attributing sentence ("“A,” she said. “B.”") and then with following paragraphs that are wholly a
quote, as variants the content model chooses between. The source is read from the parse (subject,
"by X", "according to X", possessor, the subject of the governing clause or copula).
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import takewhile
from pathlib import Path

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from storylens.analysis.quotemarks import quoted_regions
from storylens.model import Span

MODEL_PATH = Path(__file__).with_name("attribution_model.json")

QUOTE_CHARS = frozenset('“”"‘’«»„')
SKIPPED_CHILD_DEPS = frozenset({"punct", "aux", "auxpass", "cc", "det", "case", "neg", "prt", "nsubj", "expl"})
SOURCE_DEPS = ("nsubj", "nsubjpass")
# Dependents of a source head that do not belong in the source span ("Lavrov, who ..., said").
SOURCE_TRIM_DEPS = frozenset({"relcl", "acl", "appos", "punct", "advcl", "cc", "conj"})
RELATIVE_PRONOUNS = frozenset({"who", "that", "which"})
DASHES = frozenset("―—–-")
ADDRESSEE_CUES = frozenset({"tell", "inform", "assure", "remind", "brief", "warn"})
MAX_ADDRESSEE_TOKENS = 3
QUOTE_ADJACENCY = 12  # characters between a cue and a quote it introduces or closes ("”, he said")
CONTINUATION_GAP = 80  # characters between a quote and its continuation ("said the minister.")
MAX_CONTINUED_PARAGRAPHS = 3
COMPLEMENT_DEPS = frozenset({"dobj", "dative", "prep", "ccomp", "xcomp", "oprd", "acomp", "attr"})
TRAILING_CLAUSE_DEPS = frozenset({"relcl", "conj", "appos", "advcl", "acl"})


@dataclass(frozen=True)
class Attribution:
    """One attribution relation; every span is a character range into the parsed text."""

    content: tuple[Span, ...]  # one or more fragments, in text order
    cue: Span
    source: Span | None
    direct: bool
    score: float  # the content ranker's score of the chosen content, through the logistic function

    @property
    def content_span(self) -> Span:
        return Span(self.content[0].start, self.content[-1].end)


@dataclass(frozen=True)
class Candidate:
    """A possible content span for a cue, with the relation that produced it."""

    relation: str
    head: Token | None
    fragments: tuple[Span, ...]
    notes: tuple[str, ...] = ()  # extra features: how a variant was cut from its subtree


@dataclass(frozen=True)
class LinearModel:
    weights: dict[str, float]
    bias: float

    def probability(self, features: Iterable[str]) -> float:
        total = self.bias + sum(self.weights.get(name, 0.0) for name in features)
        return 1.0 / (1.0 + math.exp(-total))


@dataclass(frozen=True)
class AttributionModel:
    cue: LinearModel
    content: LinearModel
    cue_threshold: float
    content_threshold: float


def model_from_dict(data: dict) -> AttributionModel:
    """The model as stored in JSON: a weight per feature name, a bias, and the two thresholds."""
    return AttributionModel(
        cue=LinearModel(data["cue"]["weights"], data["cue"]["bias"]),
        content=LinearModel(data["content"]["weights"], data["content"]["bias"]),
        cue_threshold=data["cue_threshold"],
        content_threshold=data["content_threshold"],
    )


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> AttributionModel:
    return model_from_dict(json.loads(path.read_text(encoding="utf-8")))


class QuoteIndex:
    """Quoted regions of a document, queried by character offsets."""

    def __init__(self, text: str) -> None:
        self.text = text  # Doc.text is rebuilt from the tokens at every access: keep it once
        self.regions = quoted_regions(text)
        self._sentence_cache: dict[int, bool] = {}
        # Outermost regions do not nest, so starts and ends are both ascending.
        self._starts = [region.start for region in self.regions]
        self._ends = [region.end for region in self.regions]
        self._inside = bytearray(len(text) + 1)
        for region in self.regions:
            self._inside[region.start : region.end] = b"\x01" * (region.end - region.start)

    def inside(self, offset: int) -> bool:
        return bool(self._inside[offset])

    def overlapping(self, start: int, end: int) -> list[Span]:
        first = bisect.bisect_right(self._ends, start)
        return list(takewhile(lambda r: r.start < end, self.regions[first:]))

    def starting_in(self, start: int, end: int) -> list[Span]:
        first = bisect.bisect_left(self._starts, start)
        return list(takewhile(lambda r: r.start < end, self.regions[first:]))

    def ending_in(self, start: int, end: int) -> list[Span]:
        first = bisect.bisect_right(self._ends, start)
        return list(takewhile(lambda r: r.end <= end, self.regions[first:]))

    def sentence_quoted(self, sentence: SpacySpan) -> bool:
        if sentence.start not in self._sentence_cache:
            self._sentence_cache[sentence.start] = bool(self.overlapping(sentence.start_char, sentence.end_char))
        return self._sentence_cache[sentence.start]


# ---------------------------------------------------------------- features


def cue_features(token: Token, quotes: QuoteIndex) -> list[str]:
    """Features of a token as a possible cue head."""
    lemma = token.lemma_.lower()
    child_deps = sorted({child.dep_ for child in token.children})
    next_word = token.nbor(1).lower_ if token.i + 1 < len(token.doc) else "<end>"
    prev_word = token.nbor(-1).lower_ if token.i > 0 else "<start>"
    features = [
        f"lemma={lemma}",
        f"pos={token.pos_}",
        f"tag={token.tag_}",
        f"dep={token.dep_}",
        f"lemma|pos={lemma}|{token.pos_}",
        f"lemma|dep={lemma}|{token.dep_}",
        f"lemma|next={lemma}|{next_word}",
        f"prev={prev_word}",
        f"next={next_word}",
        f"head={token.head.lemma_.lower()}",
        f"head_dep={token.head.dep_}",
        f"in_quote={quotes.inside(token.idx)}",
        f"sentence_quoted={quotes.sentence_quoted(token.sent)}",
    ]
    features += [f"child={dep}" for dep in child_deps]
    subject = next((child for child in token.children if child.dep_ in SOURCE_DEPS), None)
    subject_kind = "none" if subject is None else subject.ent_type_ or subject.pos_
    features += [f"subject={subject_kind}", f"lemma|subject={lemma}|{subject_kind}"]
    features += _context_features(token, lemma, subject)
    if quotes.ending_in(token.idx - QUOTE_ADJACENCY, token.idx) or quotes.starting_in(
        token.idx + len(token), token.idx + len(token) + QUOTE_ADJACENCY
    ):
        features += ["next_to_quote", f"lemma|next_to_quote={lemma}"]
    features += [f"lemma|child={lemma}|{dep}" for dep in child_deps if dep in {"ccomp", "dobj", "xcomp", "prep"}]
    return features


def _context_features(token: Token, lemma: str, subject: Token | None) -> list[str]:
    """Word form, governor, the two words before and the complementizer of a cue candidate."""
    doc = token.doc
    before = doc[token.i - 2].lower_ if token.i > 1 else "<start>"
    features = [
        f"word={token.lower_}",
        f"suffix|pos={lemma[-3:]}|{token.pos_}",
        f"lemma|tag={lemma}|{token.tag_}",
        f"lemma|head={lemma}|{token.head.lemma_.lower()}",
        f"prev2={before}|{doc[token.i - 1].lower_ if token.i else '<start>'}",
    ]
    if subject is not None and subject.pos_ == "PRON":
        features.append(f"subject_word={subject.lower_}")
    for child in token.children:
        if child.dep_ in {"ccomp", "acl", "advcl"}:
            marks = [grand.lower_ for grand in child.children if grand.dep_ == "mark"]
            mark = marks[0] if marks else "none"
            has_subject = any(grand.dep_ in SOURCE_DEPS for grand in child.children)
            features += [f"{child.dep_}_mark={mark}|{token.pos_}", f"{child.dep_}_subject={has_subject}"]
            if child.dep_ == "ccomp":
                features.append(f"lemma|ccomp_mark={lemma}|{mark}")
        elif child.dep_ == "prep":
            features += [f"prep={child.lower_}|{token.pos_}", f"lemma|prep={lemma}|{child.lower_}"]
        elif child.dep_ == "dobj":  # "expressed concern", "made the case", "drew attention"
            features += [f"dobj={child.lemma_.lower()}", f"lemma|dobj={lemma}|{child.lemma_.lower()}"]
    return features


def candidate_features(cue: Token, candidate: Candidate, quotes: QuoteIndex) -> list[str]:
    """Features of a (cue, content candidate) pair."""
    lemma = cue.lemma_.lower()
    start = candidate.fragments[0].start
    end = candidate.fragments[-1].end
    tokens = len(quotes.text[start:end].split())
    size = "1" if tokens <= 1 else "2-3" if tokens <= 3 else "4-9" if tokens <= 9 else "10+"
    features = [
        f"rel={candidate.relation}",
        f"lemma|rel={lemma}|{candidate.relation}",
        f"cue_pos|rel={cue.pos_}|{candidate.relation}",
        f"size={size}",
        f"rel|size={candidate.relation}|{size}",
        f"side={'right' if start > cue.idx else 'left'}",
        f"quoted={quotes.inside(start)}",
        f"rel|quoted={candidate.relation}|{quotes.inside(start)}",
    ]
    if candidate.head is not None:
        features += _head_features(candidate, lemma)
    sentence_end = cue.sent.end_char
    reach = "past" if end > sentence_end else "end" if sentence_end - end <= 2 else "inside"
    features += [f"reach={reach}", f"rel|reach={candidate.relation}|{reach}"]
    features += [f"note={note}" for note in candidate.notes]
    features += [f"lemma|note={lemma}|{note}" for note in candidate.notes]
    return features


def _head_features(candidate: Candidate, lemma: str) -> list[str]:
    head = candidate.head
    doc = head.doc
    first = doc[head.left_edge.i].lower_
    clause = "clause" if any(child.dep_ in SOURCE_DEPS for child in head.children) else "phrase"
    return [
        f"cand_pos={head.pos_}",
        f"cand_tag={head.tag_}",
        f"rel|cand_pos={candidate.relation}|{head.pos_}",
        f"cand_first={first}",
        f"lemma|cand_first={lemma}|{first}",
        f"rel|clause={candidate.relation}|{clause}",
        f"lemma|clause={lemma}|{clause}",
    ]


# ---------------------------------------------------------------- candidates


def _trim(doc: Doc, first: int, last: int) -> Span | None:
    """Character span of tokens first..last without edge spaces and punctuation other than quote marks."""
    while first <= last and _trimmable(doc[first]):
        first += 1
    while last >= first and _trimmable(doc[last]):
        last -= 1
    if first > last:
        return None
    return Span(doc[first].idx, doc[last].idx + len(doc[last]))


def _trimmable(token: Token) -> bool:
    return token.is_space or (token.is_punct and token.text not in QUOTE_CHARS)


def _subtree_end(head: Token) -> int:
    """Last token of a content subtree, leaving out a trailing ", adding/arguing ..." clause."""
    for child in head.rights:
        if child.dep_ == "advcl" and child.tag_ == "VBG" and head.doc[child.left_edge.i - 1].text == ",":
            return child.left_edge.i - 1
    return head.right_edge.i


def _trailing_clauses(head: Token, end: int) -> list[Token]:
    """Clauses closing a content subtree after a comma or conjunction (", which ...", ", and X said ...")."""
    doc = head.doc
    found = []
    for token in doc[head.i + 1 : end + 1]:
        if token.dep_ not in TRAILING_CLAUSE_DEPS or token.right_edge.i < end - 1:
            continue
        before = doc[token.left_edge.i - 1]
        if before.text == "," or before.dep_ == "cc":
            found.append(token)
    return found


def _cut_notes(clause: Token) -> tuple[str, ...]:
    doc = clause.doc
    before = doc[clause.left_edge.i - 1]
    has_subject = any(child.dep_ in SOURCE_DEPS for child in clause.children)
    return (
        f"cut={clause.dep_}",
        f"cut|subject={clause.dep_}|{has_subject}",
        f"cut|before={clause.dep_}|{before.lower_}",
        f"cut_first={doc[clause.left_edge.i].lower_}",
    )


def _subtree_candidates(relation: str, head: Token) -> list[Candidate]:
    """The head's subtree, and the same without a trailing clause (earliest and latest cut)."""
    doc = head.doc
    end = _subtree_end(head)
    span = _trim(doc, head.left_edge.i, end)
    if span is None:
        return []
    candidates = [Candidate(relation, head, (span,))]
    clauses = _trailing_clauses(head, end)
    for clause in dict.fromkeys(clauses[:1] + clauses[-1:]):
        cut = _trim(doc, head.left_edge.i, clause.left_edge.i - 1)
        if cut is not None:
            candidates.append(Candidate(f"{relation}~cut", head, (cut,), _cut_notes(clause)))
    return candidates


def _complements_candidate(cue: Token) -> Candidate | None:
    """The cue's complements after it taken together ("denounced <the remarks as hurtful>",
    "blamed <the media for making an issue>")."""
    complements = [child for child in cue.rights if child.dep_ in COMPLEMENT_DEPS]
    if len(complements) < 2:
        return None
    span = _trim(cue.doc, complements[0].left_edge.i, complements[-1].right_edge.i)
    relation = "c:" + "+".join(child.dep_ for child in complements[:3])
    return Candidate(relation, complements[0], (span,)) if span is not None else None


def _parent_candidate(cue: Token) -> Candidate | None:
    """The governor's clause without the cue's own phrase ("According to X, <content>")."""
    parent = cue.head
    doc = cue.doc
    fragments = [
        _trim(doc, parent.left_edge.i, cue.left_edge.i - 1),
        _trim(doc, cue.right_edge.i + 1, parent.right_edge.i),
    ]
    kept = tuple(fragment for fragment in fragments if fragment is not None)
    return Candidate(f"p:{cue.dep_}", parent, kept) if kept else None


def _quote_candidates(cue: Token, quotes: QuoteIndex) -> Iterator[Candidate]:
    sentence = cue.sent
    for region in quotes.overlapping(sentence.start_char, sentence.end_char):
        if not region.start <= cue.idx < region.end:
            yield Candidate("quote:same", None, (region,))
    for region in quotes.ending_in(max(0, cue.idx - 4), cue.idx + 1):
        yield Candidate("quote:before", None, (region,))
    following = sentence.end + 1 < len(cue.doc) and cue.doc[sentence.end].sent
    if following:
        for region in quotes.starting_in(following.start_char, following.end_char)[:1]:
            yield Candidate("quote:next", None, (region,))


def content_candidates(cue: Token, quotes: QuoteIndex) -> list[Candidate]:
    """Every span the content of ``cue`` could be, each tagged with its relation to the cue."""
    candidates: list[Candidate | None] = []
    for child in cue.children:
        if child.dep_ in SKIPPED_CHILD_DEPS:
            continue
        candidates.extend(_subtree_candidates(f"c:{child.dep_}", child))
        for grandchild in child.children:
            if grandchild.dep_ in {"pobj", "pcomp", "ccomp", "dobj", "xcomp", "acl", "relcl"}:
                candidates.extend(_subtree_candidates(f"cc:{child.dep_}>{grandchild.dep_}", grandchild))
    candidates.append(_complements_candidate(cue))
    if cue.head.i != cue.i:
        candidates.append(_parent_candidate(cue))
    candidates.extend(_quote_candidates(cue, quotes))
    variants = [
        variant
        for candidate in candidates
        if candidate is not None
        for variant in resolved_variants(candidate, cue, quotes)
    ]
    return list({(variant.relation, variant.fragments): variant for variant in variants}.values())


# ---------------------------------------------------------------- source


def _source_head(cue: Token) -> Token | None:
    """The token naming who is attributed, read from the parse around the cue."""
    children = list(cue.children)
    for child in children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and cue.lower_ == "according"):
            objects = [grand for grand in child.children if grand.dep_ == "pobj"]
            if objects:
                return objects[0]
    for child in children:
        if child.dep_ in SOURCE_DEPS and child.lower_ != "it":
            return _antecedent_of_relative(child)
    for child in children:
        if child.dep_ == "poss":
            return child
    if cue.dep_ in {"advcl", "conj", "xcomp", "ccomp", "acomp", "attr"} and cue.head.i != cue.i:
        for sibling in cue.head.children:
            if sibling.dep_ in SOURCE_DEPS:
                return _antecedent_of_relative(sibling)
    if cue.dep_ == "relcl" and cue.head.pos_ in {"PROPN", "NOUN"}:
        return cue.head
    if cue.text in DASHES and cue.i + 1 < len(cue.doc) and cue.nbor(1).pos_ == "PROPN":
        return _phrase_head(cue.nbor(1))
    if cue.text == ":" and cue.i > 0 and cue.nbor(-1).pos_ in {"PROPN", "NOUN"}:
        return _phrase_head(cue.nbor(-1))
    return None


def _phrase_head(token: Token) -> Token:
    """The head of the name a token belongs to ("Jacklyn" -> "Ashley")."""
    while token.dep_ in {"compound", "flat"} and token.head.i != token.i:
        token = token.head
    return token


def _antecedent_of_relative(subject: Token) -> Token:
    """'who' in "Lavrov, who ... said" stands for Lavrov."""
    if subject.lower_ in RELATIVE_PRONOUNS and subject.head.dep_ == "relcl":
        return subject.head.head
    return subject


def source_span(head: Token) -> Span:
    """The noun phrase of a source head, without relative clauses and appositions."""
    last = head.i
    for child in head.rights:
        if child.dep_ in SOURCE_TRIM_DEPS:
            break
        last = child.right_edge.i
    first = min(head.left_edge.i, head.i)
    for child in head.lefts:
        if child.dep_ in SOURCE_TRIM_DEPS:
            first = child.right_edge.i + 1
    first = min(first, head.i)
    doc = head.doc
    return Span(doc[first].idx, doc[last].idx + len(doc[last]))


def cue_span(cue: Token) -> Span:
    """The cue head plus its particle, negation or "to" ("according to", "pointed out")."""
    doc = cue.doc
    last = cue.i
    for child in cue.rights:
        if child.dep_ in {"prt", "neg"} or (child.dep_ == "prep" and cue.lower_ == "according"):
            last = max(last, child.i)
        addressee = child.dep_ in {"dobj", "dative"} and cue.lemma_ in ADDRESSEE_CUES
        if addressee and child.right_edge.i - cue.i <= MAX_ADDRESSEE_TOKENS:
            last = max(last, child.right_edge.i)  # "told journalists"
    return Span(cue.idx, doc[last].idx + len(doc[last]))


# ---------------------------------------------------------------- inference


def _widen_to_quotes(fragments: tuple[Span, ...], cue: Token, quotes: QuoteIndex) -> tuple[Span, ...]:
    """Grow a content to the full quote(s) it overlaps, unless the quote holds the cue itself."""
    widened = []
    for fragment in fragments:
        start, end = fragment.start, fragment.end
        for region in quotes.overlapping(start, end):
            if not region.start <= cue.idx < region.end:
                start, end = min(start, region.start), max(end, region.end)
        widened.append(Span(start, end))
    return tuple(widened)


def _best_content(cue: Token, quotes: QuoteIndex, model: AttributionModel) -> tuple[Candidate, float] | None:
    scored = [
        (model.content.probability(candidate_features(cue, candidate, quotes)), index, candidate)
        for index, candidate in enumerate(content_candidates(cue, quotes))
    ]
    if not scored:
        return None
    probability, _, candidate = max(scored, key=lambda item: (item[0], -item[1]))
    return candidate, probability


def _continuation(content: tuple[Span, ...], cue: Token, quotes: QuoteIndex) -> Span | None:
    """The quote right after "“A,” she said." or "“A,” she said, “B.”" that goes on with the same
    speaker's words."""
    end = content[-1].end
    if not quotes.inside(end - 1) or cue.idx < end:
        return None
    following = quotes.starting_in(end, end + CONTINUATION_GAP)
    if not following:
        return None
    gap = quotes.text[end : following[0].start]
    if "\n" in gap or not gap.rstrip().endswith((".", ":", ",")):
        return None
    return following[0]


def _next_paragraph_quotes(end: int, quotes: QuoteIndex) -> list[Span]:
    """Paragraphs that are wholly a quote, right after the paragraph ending at ``end``: the
    newspaper way to go on with the same speaker's words."""
    text = quotes.text
    found: list[Span] = []
    while len(found) < MAX_CONTINUED_PARAGRAPHS:
        paragraph_end = text.find("\n", end)
        if paragraph_end < 0:
            break
        following = quotes.starting_in(paragraph_end, paragraph_end + CONTINUATION_GAP)
        if not following or text[paragraph_end : following[0].start].strip():
            break
        region = following[0]
        if text[region.end : _line_end(text, region.end)].strip():
            break
        found.append(region)
        end = region.end
    return found


def _line_end(text: str, start: int) -> int:
    position = text.find("\n", start)
    return len(text) if position < 0 else position


def resolved_variants(candidate: Candidate, cue: Token, quotes: QuoteIndex) -> list[Candidate]:
    """The contents a candidate can stand for: grown to whole quotes, then with the quote that goes
    on right after the cue ("“A,” she said, “B.”") and with the following paragraphs that are wholly
    a quote. Each is a variant with a note, so the content model decides whether they belong."""
    content = _widen_to_quotes(candidate.fragments, cue, quotes)
    variants = [replace(candidate, fragments=content)]
    continuation = _continuation(content, cue, quotes)
    if continuation is not None:
        content = (*content, continuation)
        variants.append(replace(candidate, fragments=content, notes=(*candidate.notes, "continued")))
    paragraphs = _next_paragraph_quotes(content[-1].end, quotes) if quotes.inside(content[-1].end - 1) else []
    if paragraphs:
        notes = (*variants[-1].notes, "paragraphs")
        variants.append(replace(candidate, fragments=(*content, *paragraphs), notes=notes))
    return variants


@dataclass(frozen=True)
class ScoredAttribution:
    """An attribution with its cue's probability (its ``score`` is the content's)."""

    attribution: Attribution
    cue_probability: float


def scored_attributions(doc: Doc, model: AttributionModel, cue_floor: float) -> list[ScoredAttribution]:
    """Every token scoring at least ``cue_floor`` as a cue, with its best content: the attributions
    before thresholds and duplicates (so thresholds can be chosen without scoring twice)."""
    quotes = QuoteIndex(doc.text)
    found: list[ScoredAttribution] = []
    for token in doc:
        if token.is_space:
            continue
        cue_probability = model.cue.probability(cue_features(token, quotes))
        best = _best_content(token, quotes, model) if cue_probability >= cue_floor else None
        if best is None:
            continue
        candidate, probability = best
        content = candidate.fragments
        head = _source_head(token)
        attribution = Attribution(
            content=content,
            cue=cue_span(token),
            source=source_span(head) if head is not None else None,
            direct=all(quotes.inside(fragment.start) for fragment in content),
            score=probability,
        )
        found.append(ScoredAttribution(attribution, cue_probability))
    return found


def select_attributions(
    scored: Iterable[ScoredAttribution], cue_threshold: float, content_threshold: float
) -> list[Attribution]:
    """The attributions whose cue and content pass their thresholds, one per content, in text order."""
    return _drop_duplicates(
        [
            item.attribution
            for item in scored
            if item.cue_probability >= cue_threshold and item.attribution.score >= content_threshold
        ]
    )


def find_attributions(doc: Doc, model: AttributionModel | None = None) -> list[Attribution]:
    """Every attribution relation in a parsed document, in text order."""
    model = model or load_model()
    scored = scored_attributions(doc, model, model.cue_threshold)
    return select_attributions(scored, model.cue_threshold, model.content_threshold)


def _overlap(a: tuple[Span, ...], b: tuple[Span, ...]) -> int:
    return sum(max(0, min(x.end, y.end) - max(x.start, y.start)) for x in a for y in b)


def _length(fragments: tuple[Span, ...]) -> int:
    return sum(fragment.end - fragment.start for fragment in fragments)


def _drop_duplicates(found: list[Attribution]) -> list[Attribution]:
    """Keep one attribution per content: a continuation quote also claimed by its own cue, say."""
    kept: list[Attribution] = []
    for attribution in sorted(found, key=lambda a: -a.score):
        if not any(
            _overlap(attribution.content, other.content)
            >= 0.8 * max(_length(attribution.content), _length(other.content))
            for other in kept
        ):
            kept.append(attribution)
    return sorted(kept, key=lambda a: (a.content[0].start, a.cue.start))
