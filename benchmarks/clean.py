"""The clean stage on the scrapinghub article-extraction benchmark (HTML and plain text) and metadata.

HTML: storylens' HTML path against trafilatura's defaults, favor_precision and favor_recall modes, all
run here and timed page by page in turn (speed as ratios of wall and CPU time to trafilatura's defaults).
Plain text: each page rendered as a scraper without extraction would (all visible text, one block per
line); the do-nothing baseline keeps it all; the rule cleaner uses sentence shape; the model rows
are cross-validated over pages (trained on the other folds' pages, never on the page scored).
Metric (the benchmark's own): precision and recall over word 4-gram shingles per page, each
averaged over pages, F1 of the two means. Metadata: accuracy of published, title and outlet on
tests/fixtures/clean/meta_cases.json (own fixtures and the seeds). Usage:

    python benchmarks/clean.py [--data DIR] [--json] [--folds 5] [--html-only] [--variants] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import trafilatura
from charset_normalizer import from_bytes
from sklearn.model_selection import GroupKFold

from storylens.clean import clean_document
from storylens.clean.blockmodel import load_scorer
from storylens.clean.blocks import Block
from storylens.clean.html import extract_html
from storylens.clean.render import visible_lines
from storylens.clean.text import BodyScorer, kept_spans, label_blocks
from storylens.clean.training import Page, fit, page_matrix
from storylens.model import BODY_SEPARATOR, Document, Origin

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "bench" / "extraction" / "scrapinghub"
META_CASES = ROOT / "tests" / "fixtures" / "clean" / "meta_cases.json"
SEEDS = ROOT.parent / "shared" / "corpora" / "seeds"
_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass
class BenchPage:
    id: str
    url: str
    html: str
    gold: str


@dataclass
class Row:
    name: str
    precision: float
    recall: float
    f1: float
    pages_per_second: float | None = None
    cpu_pages_per_second: float | None = None


def load_pages(data: Path) -> list[BenchPage]:
    truth = json.loads((data / "ground-truth.json").read_text("utf-8"))
    pages = []
    for page_id, gold in sorted(truth.items()):
        raw = gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append(BenchPage(page_id, gold.get("url", ""), _decode(raw), gold.get("articleBody", "")))
    return pages


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(raw).best()
        return str(best) if best else raw.decode("utf-8", "replace")


# --- the benchmark's metric -------------------------------------------------------------------


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    gold, system = _shingles(true), _shingles(pred)
    tp = sum(min(gold[key], system[key]) for key in gold.keys() | system.keys())
    fp = sum(max(0, system[key] - gold[key]) for key in system)
    fn = sum(max(0, gold[key] - system[key]) for key in gold)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def score(name: str, golds: Sequence[str], predictions: Sequence[str], seconds: float | None = None) -> Row:
    counts = [tp_fp_fn(gold, prediction) for gold, prediction in zip(golds, predictions, strict=True)]
    precision = statistics.mean(_precision(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(_recall(*c) for c in counts if c[0] + c[2] > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    speed = len(golds) / seconds if seconds else None
    return Row(name, precision, recall, f1, speed)


# --- HTML ---------------------------------------------------------------------------------------


def timed(function: Callable[[BenchPage], str], pages: Sequence[BenchPage]) -> tuple[list[str], float]:
    started = time.perf_counter()
    outputs = [function(page) for page in pages]
    return outputs, time.perf_counter() - started


def interleaved(
    systems: Sequence[tuple[str, Callable[[BenchPage], str]]], pages: Sequence[BenchPage]
) -> list[tuple[list[str], float, float]]:
    """Each page through every system in turn (the order rotating from page to page), so load on a
    shared machine falls on all of them alike; per system: outputs, wall seconds, CPU seconds."""
    outputs: list[list[str]] = [[] for _ in systems]
    wall = [0.0] * len(systems)
    cpu = [0.0] * len(systems)
    for number, page in enumerate(pages):
        for turn in range(len(systems)):
            index = (number + turn) % len(systems)
            started, started_cpu = time.perf_counter(), time.process_time()
            outputs[index].append(systems[index][1](page))
            wall[index] += time.perf_counter() - started
            cpu[index] += time.process_time() - started_cpu
    return list(zip(outputs, wall, cpu, strict=True))


def html_rows(pages: Sequence[BenchPage]) -> list[Row]:
    golds = [page.gold for page in pages]
    systems: list[tuple[str, Callable[[BenchPage], str]]] = [
        ("trafilatura (defaults)", lambda page: trafilatura.extract(page.html, url=page.url) or ""),
        (
            "trafilatura (favor_precision)",
            lambda page: trafilatura.extract(page.html, url=page.url, favor_precision=True) or "",
        ),
        (
            "trafilatura (favor_recall)",
            lambda page: trafilatura.extract(page.html, url=page.url, favor_recall=True) or "",
        ),
        ("storylens HTML", _storylens_html),
    ]
    for _, function in systems if pages else ():
        function(pages[0])  # untimed warm-up: first calls load lists, models and caches
    rows = []
    for (name, _), (outputs, wall, cpu) in zip(systems, interleaved(systems, pages), strict=True):
        row = score(name, golds, outputs, wall)
        row.cpu_pages_per_second = len(pages) / cpu if cpu else None
        rows.append(row)
    return rows


def variant_rows(pages: Sequence[BenchPage]) -> list[Row]:
    """The HTML path's alternatives: extractor mode (favor_precision falls back to defaults under 40 words)
    and whether the second pass drops repeated lines. No speed: they are timed one after another."""
    golds = [page.gold for page in pages]
    rows = []
    modes = (("favor_precision", True), ("defaults", False), ("favor_recall", False))
    for mode, drop_repeats in ((m, d) for m in modes for d in (False, True)):
        name = f"variant: {mode[0]} + second pass{' dropping repeats' if drop_repeats else ''}"
        function = partial(_variant_body, mode=mode[0], drop_repeats=drop_repeats)
        outputs, _ = timed(function, pages)
        rows.append(score(name, golds, outputs))
    return rows


def _variant_body(page: BenchPage, mode: str, drop_repeats: bool) -> str:
    extraction = extract_html(
        page.html, page.url, favor_precision=mode == "favor_precision", favor_recall=mode == "favor_recall"
    )
    if extraction is None:
        return ""
    labels = label_blocks(extraction.text, (), extraction.title, lambda blocks: [1.0] * len(blocks), drop_repeats)
    return BODY_SEPARATOR.join(extraction.text[span.start : span.end] for span in kept_spans(labels))


def _storylens_html(page: BenchPage) -> str:
    document = Document(page.id, Origin(page.id), "html", page.html, {"url": page.url})
    return clean_document(document).body


# --- plain text ---------------------------------------------------------------------------------


class FixedScorer:
    """Scores computed ahead (cross-validation) handed to the cleaner for one page."""

    def __init__(self, scores: Sequence[float]) -> None:
        self.scores = list(scores)

    def __call__(self, blocks: Sequence[Block]) -> list[float]:
        return self.scores


def text_body(text: str, scorer: BodyScorer | None) -> str:
    labels = label_blocks(text, (), None, scorer)
    return BODY_SEPARATOR.join(text[span.start : span.end] for span in kept_spans(labels))


def text_rows(pages: Sequence[BenchPage], folds: int) -> list[Row]:
    texts = [visible_lines(page.html) for page in pages]
    golds = [page.gold for page in pages]
    rows = [score("do nothing (all visible text)", golds, texts)]
    outputs, seconds = timed_texts(texts, None)
    rows.append(score("storylens text, rules only", golds, outputs, seconds))
    cv_scores = cross_validated_scores([Page(p.id, t, p.gold) for p, t in zip(pages, texts, strict=True)], folds)
    outputs = [text_body(text, FixedScorer(s)) for text, s in zip(texts, cv_scores, strict=True)]
    rows.append(score(f"storylens text, model ({folds}-fold CV by page)", golds, outputs))
    shipped = load_scorer()
    if shipped is not None:
        outputs, seconds = timed_texts(texts, shipped)
        rows.append(score("storylens text, shipped model (trained on these pages)", golds, outputs, seconds))
    return rows


def timed_texts(texts: Sequence[str], scorer: BodyScorer | None) -> tuple[list[str], float]:
    started = time.perf_counter()
    outputs = [text_body(text, scorer) for text in texts]
    return outputs, time.perf_counter() - started


def cross_validated_scores(pages: Sequence[Page], folds: int) -> list[list[float]]:
    """Each page's block scores from a model trained on the other folds only."""
    features, labels, groups = page_matrix(pages)
    scores = np.zeros(len(labels))
    for train, test in GroupKFold(n_splits=folds).split(features, labels, groups):
        model = fit(features[train], labels[train])
        scores[test] = model.predict_proba(features[test])[:, 1]
    return [scores[groups == index].tolist() for index in range(len(pages))]


# --- metadata -----------------------------------------------------------------------------------

META_FIELDS = ("published", "title", "outlet")


def meta_rows(cases_path: Path) -> tuple[list[dict[str, object]], list[str]]:
    cases = json.loads(cases_path.read_text("utf-8"))
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    misses = []
    for case in cases:
        article = clean_document(_case_document(case))
        for field, expected in case["expected"].items():
            if field not in META_FIELDS:
                continue
            totals[field] += 1
            got = getattr(article.meta, field)
            if got == expected:
                hits[field] += 1
            else:
                misses.append(f"{case['id']}: {field} expected {expected!r}, got {got!r}")
    rows = [{"field": f, "correct": hits[f], "total": totals[f], "accuracy": hits[f] / totals[f]} for f in totals]
    return rows, misses


def _case_document(case: dict[str, object]) -> Document:
    if "seed" in case:
        content = (SEEDS / str(case["seed"])).read_text("utf-8")
    elif "file" in case:
        content = (META_CASES.parent / str(case["file"])).read_text("utf-8")
    else:
        content = str(case["content"])
    hints = {str(k): str(v) for k, v in dict(case.get("hints", {})).items()}  # type: ignore[call-overload]
    return Document(str(case["id"]), Origin(str(case["id"])), str(case.get("kind", "text")), content, hints)


# --- report -------------------------------------------------------------------------------------


def print_table(pages: int, html: list[Row], text: list[Row], meta: list[dict[str, object]], misses: list[str]) -> None:
    anchor = html[0] if html else None
    print(f"{'system':<58} {'P':>6} {'R':>6} {'F1':>6} {'speed wall':>11} {'speed CPU':>10}")
    sections = ((f"HTML ({pages} pages)", html), ("plain text rendered from the same pages", text))
    for title, rows in ((title, rows) for title, rows in sections if rows):
        print(f"-- {title}")
        for row in rows:
            wall = _ratio(row.pages_per_second, anchor.pages_per_second if anchor else None)
            cpu = _ratio(row.cpu_pages_per_second, anchor.cpu_pages_per_second if anchor else None)
            print(f"{row.name:<58} {row.precision:6.3f} {row.recall:6.3f} {row.f1:6.3f} {wall:>11} {cpu:>10}")
    print("-- metadata (own fixtures + seeds)")
    for row in meta:
        print(f"{row['field']:<58} accuracy {row['accuracy']:.3f} ({row['correct']}/{row['total']})")
    for miss in misses:
        print(f"   miss {miss}")
    print("speed: pages per second relative to trafilatura (defaults), HTML systems timed page by page in turn")


def _ratio(value: float | None, anchor: float | None) -> str:
    return f"{value / anchor:.2f}x" if value and anchor else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--limit", type=int, default=0, help="first N pages only (quick runs)")
    parser.add_argument("--html-only", action="store_true", help="skip the slow plain-text rows")
    parser.add_argument("--variants", action="store_true", help="also score the HTML path's alternatives")
    args = parser.parse_args()
    pages = load_pages(args.data)
    if args.limit:
        pages = pages[: args.limit]
    html = html_rows(pages) + (variant_rows(pages) if args.variants else [])
    text = [] if args.html_only else text_rows(pages, args.folds)
    meta, misses = meta_rows(META_CASES)
    if args.json:
        json.dump(
            {
                "pages": len(pages),
                "html": [vars(row) for row in html],
                "text": [vars(row) for row in text],
                "metadata": meta,
                "metadata_misses": misses,
            },
            sys.stdout,
            indent=2,
        )
        print()
    else:
        print_table(len(pages), html, text, meta, misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
