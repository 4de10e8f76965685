"""Attribution (source, cue, content) on PolNeAR: storylens against textacy's direct_quotations.

    python benchmarks/attribution.py                 # report on the dev split
    python benchmarks/attribution.py --split train   # any split folder with attributions/ and text/
    python benchmarks/attribution.py --json          # the same figures as one JSON object

The model is learned from the train split by benchmarks/train_attribution.py.

A predicted attribution matches a gold one when their content spans overlap by at least half of the
longer span's tokens (one-to-one, best overlaps first); "exact" requires the same content tokens
(punctuation aside). Source accuracy is over matched pairs: correct when both have no source, or
when the predicted and gold source spans share a word.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import importlib.util
import json
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

from storylens.analysis import analyze_many, nlp
from storylens.analysis.attribution import Attribution, find_attributions
from storylens.model import Article, Meta, Origin

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "attribution" / "polnear"
PARSE_CACHE = Path(__file__).resolve().parent.parent / "out" / "cache" / "attribution"  # git-ignored
WORD = re.compile(r"\w+|[^\w\s]")
ANNOTATOR_SUFFIX = re.compile(r"_[0-9a-f]{4}$")
MATCH_THRESHOLD = 0.5
SPEED_WORKERS = 2  # the target machine's cores

Fragments = tuple[tuple[int, int], ...]


@dataclass
class Relation:
    content: Fragments
    source: Fragments | None
    cue: Fragments | None = None


@dataclass
class GoldDocument:
    name: str
    text: str
    relations: list[Relation]
    publisher: str = ""


@dataclass
class Scores:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    exact: int = 0
    source_correct: int = 0
    documents_refused: int = 0
    seconds: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, float]:
        precision = self.matched / self.predicted if self.predicted else 0.0
        recall = self.matched / self.gold if self.gold else 0.0
        exact_p = self.exact / self.predicted if self.predicted else 0.0
        exact_r = self.exact / self.gold if self.gold else 0.0
        return {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(_f1(precision, recall), 3),
            "exact_f1": round(_f1(exact_p, exact_r), 3),
            "source_accuracy": round(self.source_correct / self.matched, 3) if self.matched else 0.0,
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "documents_refused": self.documents_refused,
            "seconds": round(self.seconds, 2),
            **self.extra,
        }


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


# ---------------------------------------------------------------- PolNeAR reader


def _fragments(offsets: str) -> Fragments:
    return tuple((int(a), int(b)) for a, b in (part.split() for part in offsets.split(";")))


def read_relations(ann: Path) -> list[Relation]:
    """Attribution relations of one brat file (those with a content and a cue)."""
    spans: dict[str, Fragments] = {}
    events: list[dict[str, str]] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        columns = line.split("\t")
        if len(columns) < 2:
            continue
        if line.startswith("T"):
            _, _, offsets = columns[1].partition(" ")
            spans[columns[0]] = _fragments(offsets)
        elif line.startswith("E"):
            events.append(dict(argument.split(":", 1) for argument in columns[1].split()))
    relations = []
    for roles in events:
        content, cue = spans.get(roles.get("Content", "")), spans.get(roles.get("Cue", ""))
        if content and cue:
            relations.append(Relation(content, spans.get(roles.get("Source", "")), cue))
    return relations


def read_split(folder: Path) -> list[GoldDocument]:
    """One annotation per text (the first annotator's, for the texts annotated several times)."""
    annotations: dict[str, Path] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        annotations.setdefault(ANNOTATOR_SUFFIX.sub("", ann.stem), ann)
    documents = []
    for text_file in sorted((folder / "text").glob("*.txt")):
        if text_file.stem in annotations:
            relations = read_relations(annotations[text_file.stem])
            text = text_file.read_text(encoding="utf-8")
            documents.append(GoldDocument(text_file.stem, text, relations, text_file.stem.split("_")[0]))
    return documents


# ---------------------------------------------------------------- scoring


def _token_ids(text: str) -> list[tuple[int, int, bool]]:
    return [(m.start(), m.end(), m.group().isalnum() or "_" in m.group()) for m in WORD.finditer(text)]


class TokenIndex:
    """Word and punctuation tokens of a text, looked up by character ranges."""

    def __init__(self, text: str) -> None:
        self.tokens = _token_ids(text)
        self.ends = [end for _, end, _ in self.tokens]

    def tokens_in(self, fragments: Iterable[tuple[int, int]]) -> frozenset[int]:
        found = set()
        for start, end in fragments:
            i = bisect.bisect_right(self.ends, start)
            while i < len(self.tokens) and self.tokens[i][0] < end:
                found.add(i)
                i += 1
        return frozenset(found)

    def words(self, ids: frozenset[int]) -> frozenset[int]:
        return frozenset(i for i in ids if self.tokens[i][2])


def overlap_score(a: frozenset[int], b: frozenset[int]) -> float:
    longer = max(len(a), len(b))
    return len(a & b) / longer if longer else 0.0


@dataclass
class Prediction:
    content: Fragments
    source: Fragments | None


def score_document(document: GoldDocument, predictions: Sequence[Prediction], scores: Scores) -> None:
    index = TokenIndex(document.text)
    gold = [index.tokens_in(relation.content) for relation in document.relations]
    predicted = [index.tokens_in(prediction.content) for prediction in predictions]
    pairs = sorted(
        ((overlap_score(p, g), pi, gi) for pi, p in enumerate(predicted) for gi, g in enumerate(gold) if p & g),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    scores.gold += len(gold)
    scores.predicted += len(predicted)
    for overlap, pi, gi in pairs:
        if overlap < MATCH_THRESHOLD or pi in used_p or gi in used_g:
            continue
        used_p.add(pi)
        used_g.add(gi)
        scores.matched += 1
        scores.exact += index.words(predicted[pi]) == index.words(gold[gi])
        scores.source_correct += _source_correct(index, predictions[pi].source, document.relations[gi].source)


def _source_correct(index: TokenIndex, predicted: Fragments | None, gold: Fragments | None) -> bool:
    if predicted is None or gold is None:
        return predicted is None and gold is None
    return bool(index.words(index.tokens_in(predicted)) & index.words(index.tokens_in(gold)))


# ---------------------------------------------------------------- systems


def predictions_of(attributions: Iterable[Attribution]) -> list[Prediction]:
    return [
        Prediction(
            tuple((f.start, f.end) for f in attribution.content),
            ((attribution.source.start, attribution.source.end),) if attribution.source else None,
        )
        for attribution in attributions
    ]


def storylens_predictions(doc: Doc) -> list[Prediction]:
    return predictions_of(find_attributions(doc))


def textacy_predictions(doc: Doc) -> list[Prediction] | None:
    """textacy's direct quotations; None when it refuses the document (odd number of quote marks)."""
    from textacy.extract.triples import direct_quotations

    try:
        triples = list(direct_quotations(doc))
    except ValueError:
        return None
    predictions = []
    for triple in triples:
        speaker = tuple((t.idx, t.idx + len(t)) for t in triple.speaker) or None
        predictions.append(Prediction(((triple.content.start_char, triple.content.end_char),), speaker))
    return predictions


def evaluate(
    documents: Sequence[GoldDocument], docs: Sequence[Doc], system: Callable[[Doc], list[Prediction] | None]
) -> Scores:
    scores = Scores()
    started = time.perf_counter()
    for document, doc in zip(documents, docs, strict=True):
        predictions = system(doc)
        if predictions is None:
            scores.documents_refused += 1
            predictions = []
        score_document(document, predictions, scores)
    scores.seconds = time.perf_counter() - started
    return scores


def parse(texts: Sequence[str], cache: Path | None = None) -> list[Doc]:
    """The shared pipeline's parses of ``texts``; with ``cache`` (a folder), kept there as a DocBin
    named by a hash of the texts, the model, the components and the code that assembles them, so
    training and error analysis parse only once."""
    pipeline = nlp.load()
    if cache is None:
        return list(pipeline.pipe(texts, batch_size=32))
    key = hashlib.sha256(Path(nlp.__file__).read_bytes())
    key.update(
        json.dumps([spacy.__version__, pipeline.meta["name"], pipeline.meta["version"], pipeline.pipe_names]).encode()
    )
    key.update(json.dumps(list(texts)).encode())
    path = cache / f"parse-{key.hexdigest()[:16]}.spacy"
    if path.exists():
        return list(DocBin().from_disk(path).get_docs(pipeline.vocab))
    docs = list(pipeline.pipe(texts, batch_size=32))
    cache.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs).to_disk(path)
    return docs


def _analyze_chunk(articles: list[Article]) -> float:
    """CPU seconds this worker spent analysing ``articles``."""
    started = time.process_time()
    analyze_many(articles)
    return time.process_time() - started


def _warm_up() -> None:
    analyze_many([Article(id="warm", origin=Origin("warm"), raw="Lavrov said so.", body="Lavrov said so.")])


def pipeline_speed(documents: Sequence[GoldDocument], workers: int = SPEED_WORKERS) -> dict[str, float]:
    """Articles per second through analyze_many (parse, entities, quotes, timexes, timeline) on
    ``workers`` processes, each with the pipeline already loaded."""
    articles = [
        Article(id=d.name, origin=Origin(d.name), raw=d.text, body=d.text, meta=Meta(outlet=d.publisher))
        for d in documents
    ]
    chunks = [articles[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(max_workers=workers, initializer=_warm_up) as pool:
        list(pool.map(time.sleep, [0.1] * workers))  # start (and warm up) every worker first
        started = time.perf_counter()
        cpu_seconds = sum(pool.map(_analyze_chunk, chunks))
        seconds = time.perf_counter() - started
    return {
        "workers": workers,
        "articles": len(articles),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "articles_per_second": round(len(articles) / seconds, 2),
        # What the workers would reach with their cores to themselves (the machine is shared).
        "articles_per_cpu_second": round(len(articles) / cpu_seconds, 2),
    }


# ---------------------------------------------------------------- report

ANCHORS = [
    ("human agreement on PolNeAR (published)", "attribution-wise 0.923"),
    ("SFU Gender Gap Tracker (published, other data)", "quote F1 0.837, speaker accuracy 0.86"),
]


def print_table(results: dict[str, dict[str, float]]) -> None:
    columns = [
        "precision",
        "recall",
        "f1",
        "exact_f1",
        "source_accuracy",
        "predicted",
        "documents_refused",
        "seconds",
        "time_vs_textacy",
    ]
    print(f"{'system':<28}" + "".join(f"{c:>18}" for c in columns))
    for name, figures in results.items():
        if name == "speed":
            continue
        print(f"{name:<28}" + "".join(f"{figures.get(c, ''):>18}" for c in columns))
    speed = results["speed"]
    print(
        f"\nstorylens analyze_many (parse + entities + quotes + timexes + timeline) on {speed['workers']} "
        f"processes: {speed['articles_per_second']} articles/s ({speed['articles']} articles, "
        f"{speed['seconds']} s wall, {speed['cpu_seconds']} s CPU: "
        f"{speed['articles_per_cpu_second']} articles per CPU-second)"
    )
    for name, figure in ANCHORS:
        print(f"{name}: {figure}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="PolNeAR folder (with train/ and dev/)")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-cache", action="store_true", help=f"parse again instead of reading {PARSE_CACHE}")
    args = parser.parse_args(argv)
    folder = args.data / args.split if (args.data / args.split).is_dir() else args.data
    documents = read_split(folder)
    if not documents:
        print(f"no annotated documents under {folder}", file=sys.stderr)
        return 1
    docs = parse([d.text for d in documents], None if args.no_cache else PARSE_CACHE)
    results: dict[str, dict] = {"storylens": evaluate(documents, docs, storylens_predictions).as_dict()}
    if importlib.util.find_spec("textacy") is None:
        results["textacy direct_quotations"] = {"error": "textacy is not installed (pip install textacy)"}
    else:
        textacy = evaluate(documents, docs, textacy_predictions).as_dict()
        results["textacy direct_quotations"] = textacy
        # Extraction time on the shared parse, as a multiple of textacy's.
        results["storylens"]["time_vs_textacy"] = round(
            results["storylens"]["seconds"] / max(textacy["seconds"], 1e-9), 1
        )
    results["speed"] = pipeline_speed(documents)
    if args.json:
        print(json.dumps({"data": str(folder), "documents": len(documents), **results}))
    else:
        print(f"PolNeAR {folder.name}: {len(documents)} documents\n")
        print_table(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
