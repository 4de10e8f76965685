"""Syndicated variants of real articles, with every edit recorded, mixed with hard negatives.

Source texts come from ../shared/bench (PolNeAR, ECB+, Multi-News dev). Each base article gets a
family of copies edited the way outlets edit agency copy: term swaps, relative/absolute date
rewording, changed numbers, paragraphs added (from held-out articles) or dropped, clutter lines,
truncation and a changed headline. Every edit is recorded as ``(category, old text, new text)``
with the categories of ``storylens.model.Edit``. The other base articles are the negatives,
among them hard ones: ECB+ documents of the same topic but the other event, and Multi-News
documents of the same cluster.

Natural duplicates among the sources (texts sharing a long verbatim passage, found with 6-word
shingles independently of storylens) are removed first, so that "different article" really means
different. Run ``python benchmarks/syndicate.py --count 50 --out variants.jsonl`` to look at
the output.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
PARAGRAPH_SPLIT = re.compile(r"\s*\n\s*")  # every line is a paragraph, as storylens splits them
WORD = re.compile(r"\w+")

TERM_SWAPS = {
    "opposition": "rebels",
    "rebels": "insurgents",
    "militants": "fighters",
    "fighters": "militants",
    "government": "administration",
    "administration": "government",
    "attack": "assault",
    "assault": "attack",
    "killed": "slain",
    "police": "officers",
    "officials": "authorities",
    "authorities": "officials",
    "president": "leader",
    "candidate": "nominee",
    "nominee": "candidate",
    "campaign": "bid",
    "voters": "electorate",
    "lawmakers": "legislators",
    "company": "firm",
    "firm": "company",
    "children": "kids",
    "people": "persons",
    "cars": "vehicles",
    "home": "residence",
    "statement": "communique",
    "arrested": "detained",
    "suspect": "alleged perpetrator",
    "ceasefire": "truce",
    "protesters": "demonstrators",
    "said": "stated",
    "told": "informed",
    "big": "large",
    "huge": "massive",
    "percent": "per cent",
    "troops": "soldiers",
    "soldiers": "troops",
    "star": "celebrity",
    "actress": "star",
    "earthquake": "quake",
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
RELATIVE = ("today", "yesterday", "tomorrow")
MONTH_ABBREVIATIONS = {
    "January": "Jan.",
    "February": "Feb.",
    "August": "Aug.",
    "September": "Sept.",
    "October": "Oct.",
    "November": "Nov.",
    "December": "Dec.",
}
NUMBER_NAMES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
CLUTTER = (
    "Advertisement",
    "Read more: Latest news and analysis",
    "Follow us on Twitter and Facebook for breaking news updates",
    "Share this article",
    "Sign up for our daily newsletter",
    "This article was first published by our partner agency",
    "Copyright 2016. All rights reserved",
    "Related coverage",
)
HEADLINE_TAGS = ("UPDATE 1-", "UPDATE 2-", "WATCH: ", "BREAKING: ", "REFILE-")
STAGE = {"truncate": 0, "drop_paragraph": 0, "term_swap": 1, "date": 1, "number": 1}
WEEKDAY_PATTERN = re.compile(rf"\bon ({'|'.join(WEEKDAYS)})\b")
MONTH_PATTERN = re.compile(rf"\b({'|'.join(MONTH_ABBREVIATIONS)})(?= \d{{1,2}}\b)")
NUMBER_PATTERN = re.compile(r"(?<![\w.,:/-])([2-9])(?![\w.,:/%-])")
PATTERNS = {
    "weekday": WEEKDAY_PATTERN,
    "month": MONTH_PATTERN,
    "number": NUMBER_PATTERN,
    **{term: re.compile(rf"\b{term}\b") for term in TERM_SWAPS},
}
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"\u201c])")
FAMILY_MODES = ("uniform", "heavy-tailed")
HEAVY_TAILED_COPIED = 0.3  # share of bases that get copies in the heavy-tailed mode
MAX_FAMILY_COPIES = 500
OPERATIONS = ("term_swap", "date", "number", "add_paragraph", "drop_paragraph", "clutter", "truncate", "headline")


@dataclass
class Source:
    id: str
    corpus: str
    group: str  # topic or cluster: documents sharing it are the hard negatives of each other
    paragraphs: list[str]
    title: str | None = None


@dataclass
class GoldEdit:
    category: str
    old: str
    new: str


@dataclass
class Item:
    """One article of the generated corpus."""

    id: str
    family: str  # the base article it derives from; equal families = reuse
    text: str
    published: str | None
    is_base: bool
    edits: list[GoldEdit] = field(default_factory=list)


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def _polnear(bench: Path) -> Iterator[Source]:
    folder = bench / "attribution" / "polnear"
    titles = {}
    with open(folder / "metadata.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            titles[row["filename"]] = row["title"]
    for path in sorted(folder.glob("*/text/*.txt")):
        paragraphs = [part.strip() for part in PARAGRAPH_SPLIT.split(path.read_text(encoding="utf-8"))]
        yield Source(f"polnear/{path.stem}", "polnear", "polnear", [p for p in paragraphs if p], titles.get(path.stem))


def _ecbplus(bench: Path) -> Iterator[Source]:
    with open(bench / "clustering" / "ecbplus.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            paragraphs = [part.strip() for part in row["text"].split("\n") if part.strip()]
            yield Source(f"ecb/{row['id']}", "ecbplus", f"ecb-topic-{row['topic']}", paragraphs)


def _multinews(bench: Path) -> Iterator[Source]:
    with open(bench / "summarization" / "multinews-dev.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            for number, doc in enumerate(row["docs"]):
                paragraphs = [part.strip() for part in PARAGRAPH_SPLIT.split(doc) if part.strip()]
                yield Source(f"mn/{row['cluster']}-{number}", "multinews", f"mn-{row['cluster']}", paragraphs)


def _shingles(source: Source, size: int = 6) -> set[int]:
    tokens = words(" ".join(source.paragraphs))
    return {hash(tuple(tokens[i : i + size])) for i in range(len(tokens) - size + 1)}


def _without_natural_duplicates(sources: list[Source]) -> tuple[list[Source], int]:
    """Drop every source that shares a fifth of its 6-word shingles (or 30 of them) with an earlier one."""
    postings: dict[int, list[int]] = {}
    kept: list[Source] = []
    dropped = 0
    for source in sources:
        shingles = _shingles(source)
        shared: dict[int, int] = {}
        for shingle in shingles:
            for other in postings.get(shingle, []):
                shared[other] = shared.get(other, 0) + 1
        if any(count >= 30 or count >= 0.2 * len(shingles) for count in shared.values()):
            dropped += 1
            continue
        for shingle in shingles:
            postings.setdefault(shingle, []).append(len(kept))
        kept.append(source)
    return kept, dropped


@lru_cache(maxsize=2)
def load_sources(bench: Path = BENCH, min_words: int = 100) -> tuple[list[Source], dict[str, int]]:
    """Usable source articles (at least ``min_words`` words and 3 paragraphs), natural duplicates removed."""
    sources = [*_polnear(bench), *_ecbplus(bench), *_multinews(bench)]
    usable = [s for s in sources if len(s.paragraphs) >= 3 and len(words(" ".join(s.paragraphs))) >= min_words]
    kept, dropped = _without_natural_duplicates(usable)
    return kept, {"read": len(sources), "long_enough": len(usable), "natural_duplicates_dropped": dropped}


def _fillers(held_out: list[Source], bases: list[Source]) -> list[str]:
    """Paragraphs of held-out articles that share no 6-word shingle with any base."""
    seen = set().union(*(_shingles(base) for base in bases))
    paragraphs = [p for source in held_out for p in source.paragraphs if len(words(p)) >= 15]
    return [p for p in paragraphs if not _shingles(Source("", "", "", [p])) & seen]


@dataclass
class Prepared:
    """What the editor needs to know about a source, computed once per source."""

    source: Source
    sizes: list[int]  # words per paragraph
    hits: dict[str, set[int]]  # pattern name -> paragraphs (not the title) where it matches

    @classmethod
    def of(cls, source: Source) -> Prepared:
        hits: dict[str, set[int]] = {}
        for index in range(1 if source.title else 0, len(source.paragraphs)):
            paragraph = source.paragraphs[index]
            names = [term for term in set(WORD.findall(paragraph)) if term in TERM_SWAPS]
            names += [name for name in ("weekday", "month", "number") if PATTERNS[name].search(paragraph)]
            for name in names:
                hits.setdefault(name, set()).add(index)
        return cls(source, [len(words(paragraph)) for paragraph in source.paragraphs], hits)

    @property
    def terms(self) -> list[str]:
        return sorted(term for term in TERM_SWAPS if term in self.hits)


class Editor:
    """Applies recorded edits to a list of paragraphs."""

    def __init__(self, prepared: Prepared, rng: random.Random, fillers: list[str]) -> None:
        source = prepared.source
        self.prepared = prepared
        self.paragraphs = list(source.paragraphs)
        self.sizes = list(prepared.sizes)
        self.origin = list(range(len(self.paragraphs)))  # source paragraph of each current one
        self.has_title = source.title is not None and self.paragraphs[0].rstrip(".") == source.title.rstrip(".")
        self.rng = rng
        self.fillers = fillers
        self.edits: list[GoldEdit] = []

    def _replace_all(self, name: str, replacement: Callable[[re.Match[str]], str], category: str, limit: int) -> bool:
        """Replace up to ``limit`` matches of a pattern (never in the title), recording each."""
        done = 0
        where = self.prepared.hits.get(name, set())

        def substitute(match: re.Match[str]) -> str:
            nonlocal done
            if done >= limit:
                return match.group(0)
            new = replacement(match)
            self.edits.append(GoldEdit(category, match.group(0), new))
            done += 1
            return new

        for index, origin in enumerate(self.origin):
            if origin in where:
                self.paragraphs[index] = PATTERNS[name].sub(substitute, self.paragraphs[index])
        return done > 0

    def term_swap(self) -> bool:
        if not self.prepared.terms:
            return False
        term = self.rng.choice(self.prepared.terms)
        return self._replace_all(term, lambda match: TERM_SWAPS[term], "term_swap", limit=3)

    def date(self) -> bool:
        relative = self.rng.choice(RELATIVE)
        if self._replace_all("weekday", lambda match: relative, "date_change", limit=2):
            return True
        return self._replace_all("month", lambda match: MONTH_ABBREVIATIONS[match.group(1)], "date_change", limit=2)

    def number(self) -> bool:
        return self._replace_all("number", lambda match: NUMBER_NAMES[int(match.group(1)) - 1], "number_change", 2)

    def add_paragraph(self) -> bool:
        filler = self.rng.choice(self.fillers)
        position = self.rng.randint(1, len(self.paragraphs))
        self.paragraphs.insert(position, filler)
        self.edits.append(GoldEdit("paragraph_added", "", filler))
        return True

    def drop_paragraph(self) -> bool:
        if len(self.paragraphs) < 5:
            return False
        position = self.rng.randint(1, len(self.paragraphs) - 2)
        dropped = self.paragraphs.pop(position)
        self.sizes.pop(position)
        self.origin.pop(position)
        self.edits.append(GoldEdit("paragraph_dropped", dropped, ""))
        return True

    def clutter(self) -> bool:
        for line in self.rng.sample(CLUTTER, self.rng.randint(1, 2)):
            position = self.rng.choice((1, len(self.paragraphs)))
            self.paragraphs.insert(position, line)
            self.edits.append(GoldEdit("paragraph_added", "", line))
        return True

    def truncate(self) -> bool:
        total = sum(self.sizes)
        keep = len(self.paragraphs)
        while keep > 3 and sum(self.sizes[: keep - 1]) >= 0.6 * total:
            keep -= 1
        if keep == len(self.paragraphs):
            return False
        for dropped in self.paragraphs[keep:]:
            self.edits.append(GoldEdit("paragraph_dropped", dropped, ""))
        del self.paragraphs[keep:], self.sizes[keep:], self.origin[keep:]
        return True

    def headline(self) -> bool:
        if not self.has_title:
            return False
        tag = self.rng.choice(HEADLINE_TAGS)
        self.edits.append(GoldEdit("wording", "", tag.rstrip(" -:")))
        self.paragraphs[0] = tag + self.paragraphs[0]
        return True

    def apply(self, operation: str) -> bool:
        return getattr(self, operation)()


def make_variant(prepared: Prepared, rng: random.Random, fillers: list[str]) -> tuple[str, list[GoldEdit]]:
    """A copy of the source with 2 to 5 recorded edits (fewer when an operation does not apply)."""
    editor = Editor(prepared, rng, fillers)
    operations = rng.sample(OPERATIONS, rng.randint(2, 5))
    # Drops first and additions last, so that word edits are made only in text the copy keeps
    # and never inside an added paragraph.
    for operation in sorted(operations, key=lambda operation: STAGE.get(operation, 2)):
        editor.apply(operation)
    return "\n\n".join(editor.paragraphs), editor.edits


def _sentences(sources: list[Source]) -> list[str]:
    return [part for source in sources for paragraph in source.paragraphs for part in SENTENCE_SPLIT.split(paragraph)]


def _mixed_source(number: int, sentences: list[str], sentence_count: int, rng: random.Random) -> Source:
    """A distinct article made of sentences drawn from the whole pool, 1 to 3 per paragraph."""
    picked = [sentences[index] for index in rng.sample(range(len(sentences)), min(sentence_count, len(sentences)))]
    paragraphs = []
    while picked:
        take = rng.randint(1, 3)
        paragraphs.append(" ".join(picked[:take]))
        del picked[:take]
    return Source(f"mix/{number}", "mix", f"mix-{number}", paragraphs)


def _heavy_tailed_copies(rng: random.Random) -> int:
    """Copies of one base: none for most; else P(k) ~ 1/k^2 (Pareto, alpha 1), at most MAX_FAMILY_COPIES."""
    if rng.random() >= HEAVY_TAILED_COPIED:
        return 0
    return min(int(rng.paretovariate(1.0)), MAX_FAMILY_COPIES)


def _heavy_tailed_plan(bases: list[Source], size: int, rng: random.Random) -> tuple[list[Source], list[int]]:
    """Bases (the real ones, then sentence mixes of them) and their copy counts, about ``size`` articles."""
    pool = [sentence for sentence in _sentences(bases) if len(words(sentence)) >= 5]
    lengths = [len(_sentences([source])) for source in bases]
    planned, copies, total = [], [], 0
    while total < size:
        number = len(planned)
        base = bases[number] if number < len(bases) else _mixed_source(number, pool, rng.choice(lengths), rng)
        planned.append(base)
        copies.append(min(_heavy_tailed_copies(rng), max(size - total - 1, 0)))
        total += 1 + copies[-1]
    return planned, copies


def generate(
    size: int | None = None,
    seed: int = 7,
    bench: Path = BENCH,
    copies: tuple[int, int] = (1, 4),
    singles: float = 0.4,
    families: str = "uniform",
) -> tuple[list[Item], dict[str, int]]:
    """Every usable source as a base (a share ``singles`` of them without copies), the others with
    ``copies`` copies each. With ``size``, about that many articles: fewer bases, or more copies per
    base ("uniform" families: about size / 1,000 copies per copied base at large sizes). With
    ``families="heavy-tailed"`` (needs ``size``), most bases have no copy and the others a
    power-law number of copies (P(k) ~ 1/k^2, up to 500); when the real sources run out, further
    bases are distinct articles made of sentences drawn from the sources. Deterministic for a seed."""
    if families not in FAMILY_MODES:
        raise ValueError(f"families must be one of {FAMILY_MODES}, got {families!r}")
    rng = random.Random(seed)
    cached_sources, cached_stats = load_sources(bench)
    sources, stats = list(cached_sources), dict(cached_stats)
    rng.shuffle(sources)
    filler_count = max(20, len(sources) // 20)
    bases = sources[filler_count:]
    fillers = _fillers(sources[:filler_count], bases)
    if families == "heavy-tailed" and size is not None:
        bases, per_base = _heavy_tailed_plan(bases, size, rng)
        with_copies, scale = bases, 1.0
    else:
        if size is not None and size < len(bases):
            bases = bases[: max(size * 2 // 5, 1)]
        with_copies = bases[int(len(bases) * singles) :] or bases
        per_base = [rng.randint(*copies) for _ in with_copies]
        scale = 1.0 if size is None else max(size - len(bases), 0) / max(sum(per_base), 1)
    items: list[Item] = []
    start = datetime(2016, 12, 6, 8, 0)
    base_times = {base.id: start + timedelta(minutes=number) for number, base in enumerate(bases)}
    for base in bases:
        published = base_times[base.id].isoformat() + "+00:00"
        items.append(Item(base.id, base.id, "\n\n".join(base.paragraphs), published, True))
    for base, count in zip(with_copies, per_base, strict=True):
        if not count:
            continue
        prepared = Prepared.of(base)
        for copy in range(round(count * scale)):
            text, edits = make_variant(prepared, rng, fillers)
            later = base_times[base.id] + timedelta(hours=copy + 1)
            published = None if rng.random() < 0.3 else later.isoformat() + "+00:00"
            items.append(Item(f"{base.id}~{copy}", base.id, text, published, False, edits))
    rng.shuffle(items)
    stats.update(bases=len(bases), articles=len(items), copies=sum(not item.is_base for item in items))
    return items, stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=BENCH, help="the shared bench folder")
    parser.add_argument("--count", type=int, help="about how many articles (default: one family per source)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="JSONL output (default: stdout)")
    parser.add_argument("--families", choices=FAMILY_MODES, default="uniform", help="family sizes (see generate)")
    args = parser.parse_args()
    items, stats = generate(args.count, args.seed, args.data, families=args.families)
    lines = "".join(json.dumps(asdict(item), ensure_ascii=False) + "\n" for item in items)
    if args.out:
        args.out.write_text(lines, encoding="utf-8")
    else:
        sys.stdout.write(lines)
    print(json.dumps(stats), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
