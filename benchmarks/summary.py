"""Multi-document summary quality on Multi-News: storylens against extractive baselines, same run, same data.

Every system gets the same cleaned articles (storylens.clean, the real pipeline path) and its summary is cut
to the reference's word count before scoring; ROUGE-1/2/L F1 with stemming (rouge-score), averaged over
clusters. Baselines: lead (round-robin first sentences over the articles), TF-IDF centroid with redundancy
removal, and LexRank (TF-IDF cosine graph, PageRank, redundancy removal).

    python benchmarks/summary.py [--data PATH] [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import spacy
from rouge_score import rouge_scorer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from storylens.clean import clean
from storylens.compare import summarize
from storylens.model import Article, Document, Origin

DEFAULT_DATA = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "summarization" / "multinews-dev.jsonl"
)
METRICS = ("rouge1", "rouge2", "rougeL")
REDUNDANCY = 0.5
PUBLISHED = {  # full Multi-News test split, from the papers (not rerun here)
    "PRIMERA fine-tuned (published)": (49.9, 21.1, 25.9),
    "PRIMERA zero-shot (published)": (42.0, 13.6, 20.8),
}

Summarizer = Callable[[list[Article], int], str]


def load(path: Path, limit: int | None) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return rows[:limit] if limit else rows


def cluster_articles(row: dict, index: int) -> list[Article]:
    documents = [
        Document(f"c{index}-d{number}", Origin(f"multinews:{index}", line=number), "text", text)
        for number, text in enumerate(row["docs"])
    ]
    return [article for article in clean(documents) if article.status == "ok"]


_SPLITTER = spacy.blank("en")
_SPLITTER.add_pipe("sentencizer")


def sentences_of(article: Article) -> list[str]:
    return [
        s.text.strip()
        for paragraph in article.body.split("\n")
        for s in _SPLITTER(paragraph).sents
        if len(s.text.split()) >= 5
    ]


def storylens_summary(articles: list[Article], words: int) -> str:
    return " ".join(sentence.text for sentence in summarize(articles, (), max_words=words))


def lead_summary(articles: list[Article], words: int) -> str:
    per_article = [sentences_of(article) for article in articles]
    picked: list[str] = []
    for rank in range(max((len(s) for s in per_article), default=0)):
        picked.extend(sentences[rank] for sentences in per_article if rank < len(sentences))
        if sum(len(s.split()) for s in picked) >= words:
            break
    return " ".join(picked)


def _greedy(sentences: Sequence[str], scores: np.ndarray, similarity: np.ndarray, words: int) -> str:
    picked: list[int] = []
    for index in np.argsort(-scores, kind="stable"):
        if sum(len(sentences[i].split()) for i in picked) >= words:
            break
        if all(similarity[index, other] < REDUNDANCY for other in picked):
            picked.append(int(index))
    return " ".join(sentences[i] for i in sorted(picked))


def _tfidf(sentences: Sequence[str]) -> tuple[object, np.ndarray]:
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    vectors = vectorizer.fit_transform(sentences)
    return vectors, cosine_similarity(vectors)


def centroid_summary(articles: list[Article], words: int) -> str:
    sentences = [s for article in articles for s in sentences_of(article)]
    if not sentences:
        return ""
    vectors, similarity = _tfidf(sentences)
    centroid = np.asarray(vectors.mean(axis=0))
    scores = cosine_similarity(vectors, centroid).ravel()
    return _greedy(sentences, scores, similarity, words)


def lexrank_summary(articles: list[Article], words: int, threshold: float = 0.1, damping: float = 0.85) -> str:
    sentences = [s for article in articles for s in sentences_of(article)]
    if not sentences:
        return ""
    _, similarity = _tfidf(sentences)
    graph = np.maximum((similarity > threshold).astype(float), np.eye(len(sentences)))
    graph /= graph.sum(axis=1, keepdims=True)
    scores = np.full(len(sentences), 1.0 / len(sentences))
    for _ in range(50):
        scores = (1 - damping) / len(sentences) + damping * graph.T @ scores
    return _greedy(sentences, scores, similarity, words)


def truncate(text: str, words: int) -> str:
    return " ".join(text.split()[:words])


def evaluate(rows: list[dict], systems: dict[str, Summarizer]) -> dict[str, dict]:
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    scores: dict[str, dict[str, list[float]]] = {name: {m: [] for m in METRICS} for name in systems}
    seconds = dict.fromkeys(systems, 0.0)
    failures: dict[str, list[str]] = {name: [] for name in systems}
    for index, row in enumerate(rows):
        articles = cluster_articles(row, index)
        reference = row["summary"].lstrip("–- ").strip()
        words = len(reference.split())
        for name, system in systems.items():
            start = time.perf_counter()
            try:
                summary = truncate(system(articles, words), words)
            except Exception as error:  # a crash scores 0 on that cluster and is reported, not hidden
                failures[name].append(f"cluster {index}: {type(error).__name__}: {error}")
                summary = ""
            seconds[name] += time.perf_counter() - start
            result = scorer.score(reference, summary)
            for metric in METRICS:
                scores[name][metric].append(result[metric].fmeasure * 100)
    return {
        name: {m: round(statistics.fmean(values), 2) for m, values in by_metric.items()}
        | {"seconds": round(seconds[name], 2), "failed": failures[name]}
        for name, by_metric in scores.items()
    }


def print_table(results: dict[str, dict], clusters: int, data: Path) -> None:
    base = results["lead (round-robin)"]["seconds"] or 1e-9
    print(f"Multi-News, {clusters} clusters from {data}; ROUGE F1 at the reference length (stemmed)")
    print(f"{'system':34} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'time vs lead':>13}")
    for name, row in results.items():
        speed = f"{row['seconds'] / base:.1f}x"
        print(f"{name:34} {row['rouge1']:6.1f} {row['rouge2']:6.1f} {row['rougeL']:6.1f} {speed:>13}")
    for name, (r1, r2, rl) in PUBLISHED.items():
        print(f"{name:34} {r1:6.1f} {r2:6.1f} {rl:6.1f} {'-':>13}")
    for name, row in results.items():
        for failure in row["failed"]:
            print(f"{name} failed (scored 0): {failure}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="only the first N clusters")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"data not found: {args.data}", file=sys.stderr)
        return 2
    rows = load(args.data, args.limit)
    systems: dict[str, Summarizer] = {
        "storylens": storylens_summary,
        "lead (round-robin)": lead_summary,
        "TF-IDF centroid": centroid_summary,
        "LexRank": lexrank_summary,
    }
    results = evaluate(rows, systems)
    if args.json:
        print(json.dumps({"clusters": len(rows), "data": str(args.data), "systems": results}))
    else:
        print_table(results, len(rows), args.data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
