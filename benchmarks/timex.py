"""TIMEX3 recognition and normalization on TimeML documents, scored the TempEval-3 way.

Reference date = each document's creation time (DCT). Recognition: strict (same extent) and
relaxed (any overlap, one-to-one) precision/recall/F1 over the TIMEX3s of the TEXT section. Value:
accuracy over the relaxed matches and value P/R/F1 (a match counts only if its value is right),
as TempEval-3's attribute F1. Anchor: dateparser's ``search_dates`` with the DCT as base, naive
(the matched string, the date as ``YYYY-MM-DD``).

Rows: each part of the corpus (its top-level folder: TimeBank, AQUAINT), a document-level split
(within each part, in file-name order, even positions = ``develop``, odd = ``held-out``; rules are
tuned by reading errors on ``develop`` only), and ``all``. Below the table, storylens' errors by
TIMEX3 type and cause. Usage:

    python benchmarks/timex.py [--data DIR] [--json] [--no-anchor] [--errors FILE [--split develop]]
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from storylens.analysis.timex import find_timexes

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "temporal" / "tbaq"
SPLITS = ("develop", "held-out")
BOOTSTRAP_SAMPLES = 1000  # document resamples for the value F1 confidence interval
CAUSES = ("missed", "extent", "value", "spurious")
TYPES = ("DATE", "TIME", "DURATION", "SET")
_TAG = re.compile(r"<[^>]+>")
_TIMEX = re.compile(r"<TIMEX3\b([^>]*)>(.*?)</TIMEX3>", re.S)
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    value: str
    type: str


@dataclass
class Document:
    doc_id: str
    part: str
    dct: str
    text: str
    gold: list[Mention]
    split: str = "develop"


@dataclass
class Score:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    documents: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    per_document: list[tuple[int, int, int]] = field(default_factory=list)  # (gold, system, value) counts

    def add(self, other: Score) -> None:
        for name in ("gold", "system", "strict", "relaxed", "value", "type", "seconds", "cpu_seconds", "documents"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)
        self.per_document.extend(other.per_document)

    def value_f1_interval(self) -> tuple[float, float]:
        """95% interval of value F1 over documents resampled with replacement (fixed seed: reproducible)."""
        if not self.per_document:
            return 0.0, 0.0
        rng = random.Random(0)
        samples = []
        for _ in range(BOOTSTRAP_SAMPLES):
            drawn = rng.choices(self.per_document, k=len(self.per_document))
            gold, system, value = (sum(counts) for counts in zip(*drawn, strict=True))
            samples.append(2 * value / (gold + system) if gold + system else 0.0)
        samples.sort()
        return samples[int(0.025 * BOOTSTRAP_SAMPLES)], samples[int(0.975 * BOOTSTRAP_SAMPLES) - 1]

    def figures(self) -> dict[str, float]:
        def f1(hits: int) -> tuple[float, float, float]:
            precision = hits / self.system if self.system else 0.0
            recall = hits / self.gold if self.gold else 0.0
            return precision, recall, 2 * precision * recall / (precision + recall) if hits else 0.0

        strict_p, strict_r, strict_f = f1(self.strict)
        relaxed_p, relaxed_r, relaxed_f = f1(self.relaxed)
        value_p, value_r, value_f = f1(self.value)
        low, high = self.value_f1_interval()
        return {
            "documents": self.documents, "gold": self.gold, "system": self.system,
            "strict_p": strict_p, "strict_r": strict_r, "strict_f1": strict_f,
            "relaxed_p": relaxed_p, "relaxed_r": relaxed_r, "relaxed_f1": relaxed_f,
            "value_accuracy": self.value / self.relaxed if self.relaxed else 0.0,
            "value_p": value_p, "value_r": value_r, "value_f1": value_f, "value_f1_ci95": [low, high],
            "type_f1": f1(self.type)[2],
            "articles_per_second": self.documents / self.seconds if self.seconds else 0.0,
            "articles_per_cpu_second": self.documents / self.cpu_seconds if self.cpu_seconds else 0.0,
        }  # fmt: skip

    def error_table(self) -> dict[str, dict[str, int]]:
        """Error counts by TIMEX3 type (gold type; system type for spurious ones) and cause."""
        counts = Counter((error["type"], error["cause"]) for error in self.errors)
        return {kind: {cause: counts[kind, cause] for cause in CAUSES} for kind in TYPES}


def read_document(path: Path, root: Path) -> Document | None:
    """A TimeML file's TEXT section as plain text with its TIMEX3 spans; None without DCT or TEXT."""
    source = path.read_text(encoding="utf-8", errors="replace")
    dct = re.search(r"<DCT>.*?value=\"([^\"]+)\"", source, re.S)
    body = re.search(r"<TEXT>(.*)</TEXT>", source, re.S)
    if not dct or not body:
        return None
    doc_id = re.search(r"<DOCID>(.*?)</DOCID>", source, re.S)
    text_parts: list[str] = []
    gold: list[Mention] = []
    position = 0
    length = 0
    markup = body.group(1)
    for match in _TIMEX.finditer(markup):
        before = html.unescape(_TAG.sub("", markup[position : match.start()]))
        text_parts.append(before)
        length += len(before)
        inner = html.unescape(_TAG.sub("", match.group(2)))
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        stripped = inner.strip()
        if stripped:
            start = length + inner.index(stripped)
            gold.append(Mention(start, start + len(stripped), attributes.get("value", ""), attributes.get("type", "")))
        text_parts.append(inner)
        length += len(inner)
        position = match.end()
    text_parts.append(html.unescape(_TAG.sub("", markup[position:])))
    relative = path.relative_to(root)
    part = relative.parts[0] if len(relative.parts) > 1 else root.name
    return Document(doc_id.group(1).strip() if doc_id else path.stem, part, dct.group(1), "".join(text_parts), gold)


def read_corpus(root: Path) -> list[Document]:
    """Every .tml under root, each DOCID once (the first path in sorted order), with its split:
    within its part, in path order, even positions develop and odd ones held out."""
    documents: dict[str, Document] = {}
    for path in sorted(root.rglob("*.tml")):
        document = read_document(path, root)
        if document and document.doc_id not in documents:
            documents[document.doc_id] = document
    position_in_part: Counter[str] = Counter()
    for document in documents.values():
        document.split = SPLITS[position_in_part[document.part] % 2]
        position_in_part[document.part] += 1
    return list(documents.values())


def _error(document: Document, cause: str, mention: Mention, found: Mention | None = None) -> dict[str, str]:
    shown = found or mention
    return {
        "doc": document.doc_id, "split": document.split, "dct": document.dct, "cause": cause, "type": mention.type,
        "gold_text": "" if cause == "spurious" else document.text[mention.start : mention.end],
        "text": "" if cause == "missed" else document.text[shown.start : shown.end],
        "gold": "" if cause == "spurious" else mention.value,
        "system": "" if cause == "missed" else shown.value,
        "context": document.text[max(0, mention.start - 60) : mention.end + 60].replace("\n", " "),
    }  # fmt: skip


def score(document: Document, system: list[Mention], seconds: tuple[float, float]) -> Score:
    """Match one document's system mentions to its gold ones; ``seconds`` = (wall, cpu) time taken.
    Errors: a gold mention missed, matched with another extent, matched with a wrong value; a
    system mention with no gold one (spurious). A match with the wrong extent and value counts as value."""
    wall, cpu = seconds
    result = Score(gold=len(document.gold), system=len(system), seconds=wall, cpu_seconds=cpu, documents=1)
    used: set[int] = set()
    for gold in document.gold:
        match = next(
            (
                index
                for index, found in enumerate(system)
                if index not in used and found.start < gold.end and gold.start < found.end
            ),
            None,
        )
        if match is None:
            result.errors.append(_error(document, "missed", gold))
            continue
        used.add(match)
        found = system[match]
        result.relaxed += 1
        result.strict += (found.start, found.end) == (gold.start, gold.end)
        result.value += found.value == gold.value
        result.type += found.type == gold.type
        if found.value != gold.value:
            result.errors.append(_error(document, "value", gold, found))
        elif (found.start, found.end) != (gold.start, gold.end):
            result.errors.append(_error(document, "extent", gold, found))
    for index, found in enumerate(system):
        if index not in used:
            result.errors.append(_error(document, "spurious", found))
    result.per_document.append((result.gold, result.system, result.value))
    return result


def run_storylens(document: Document) -> tuple[list[Mention], tuple[float, float]]:
    started, started_cpu = time.perf_counter(), time.process_time()
    timexes = find_timexes(document.text, document.dct)
    seconds = (time.perf_counter() - started, time.process_time() - started_cpu)
    return [Mention(t.span.start, t.span.end, t.value, t.type) for t in timexes], seconds


def run_dateparser(document: Document) -> tuple[list[Mention], tuple[float, float]]:
    from dateparser.search import search_dates

    base = datetime.fromisoformat(document.dct[:10])
    started, started_cpu = time.perf_counter(), time.process_time()
    found = search_dates(document.text, languages=["en"], settings={"RELATIVE_BASE": base}) or []
    seconds = (time.perf_counter() - started, time.process_time() - started_cpu)
    mentions = []
    position = 0
    for substring, moment in found:
        start = document.text.find(substring, position)
        if start < 0:
            continue
        position = start + len(substring)
        mentions.append(Mention(start, position, moment.date().isoformat(), "DATE"))
    return mentions, seconds


def evaluate(documents: list[Document], system: str) -> dict[str, Score]:
    """Scores per part, per split and over all documents."""
    runner = run_storylens if system == "storylens" else run_dateparser
    by_part: dict[str, Score] = {}
    by_split: dict[str, Score] = {split: Score() for split in SPLITS}
    for document in documents:
        mentions, seconds = runner(document)
        document_score = score(document, mentions, seconds)
        by_part.setdefault(document.part, Score()).add(document_score)
        by_split[document.split].add(document_score)
    total = Score()
    for part in by_part.values():
        total.add(part)
    return {**dict(sorted(by_part.items(), key=lambda item: item[0] != "TimeBank")), **by_split, "all": total}


def print_table(results: dict[str, dict[str, Score]]) -> None:
    columns = ["strict_f1", "relaxed_f1", "value_accuracy", "value_p", "value_r", "value_f1", "type_f1"]
    header = f"{'system':<11}{'part':<10}{'docs':>5}{'gold':>6}{'sys':>6}" + "".join(f"{c:>15}" for c in columns)
    print(header + f"{'value F1 95% CI':>17}{'articles/s':>12}{'per cpu-s':>11}")
    ours = results["storylens"]["all"].figures()
    for system, parts in results.items():
        for part, part_score in parts.items():
            figures = part_score.figures()
            cells = "".join(f"{figures[c]:>15.3f}" for c in columns)
            low, high = figures["value_f1_ci95"]
            print(
                f"{system:<11}{part:<10}{figures['documents']:>5}{figures['gold']:>6}{figures['system']:>6}{cells}"
                f"{f'{low:.3f}-{high:.3f}':>17}"
                f"{figures['articles_per_second']:>12.1f}{figures['articles_per_cpu_second']:>11.1f}"
            )
        if system != "storylens":
            theirs = parts["all"].figures()
            wall = ours["articles_per_second"] / theirs["articles_per_second"]
            cpu = ours["articles_per_cpu_second"] / theirs["articles_per_cpu_second"]
            print(f"speed: storylens is {wall:.1f}x faster than {system} in wall time, {cpu:.1f}x in CPU time")
    print("published anchor (TempEval-3 platinum test set, not this corpus): HeidelTime value F1 0.776")


def print_error_table(scores: dict[str, Score]) -> None:
    print("\nstorylens errors by gold type (spurious: by system type) and cause, develop / held-out")
    print(f"{'type':<10}" + "".join(f"{cause:>14}" for cause in CAUSES))
    develop, held_out = (scores[split].error_table() for split in SPLITS)
    for kind in TYPES:
        print(f"{kind:<10}" + "".join(f"{develop[kind][c]:>8} /{held_out[kind][c]:>4}" for c in CAUSES))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of TimeML .tml files")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--no-anchor", action="store_true", help="skip dateparser (slow)")
    parser.add_argument("--errors", type=Path, help="write storylens errors as JSONL here")
    parser.add_argument("--split", choices=SPLITS, help="with --errors: only this split's errors")
    args = parser.parse_args()
    documents = read_corpus(args.data)
    if not documents:
        print(f"no TimeML documents with a DCT under {args.data}", file=sys.stderr)
        return 1
    results = {"storylens": evaluate(documents, "storylens")}
    if not args.no_anchor:
        results["dateparser"] = evaluate(documents, "dateparser")
    if args.errors:
        errors = [e for e in results["storylens"]["all"].errors if args.split in (None, e["split"])]
        args.errors.write_text("".join(json.dumps(error) + "\n" for error in errors), encoding="utf-8")
    if args.json:
        figures = {system: {part: s.figures() for part, s in parts.items()} for system, parts in results.items()}
        errors = {split: results["storylens"][split].error_table() for split in SPLITS}
        print(json.dumps({"data": str(args.data), **figures, "storylens_errors": errors,
                          "anchor_published": {"heideltime_value_f1": 0.776}}))  # fmt: skip
    else:
        print_table(results)
        print_error_table(results["storylens"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
