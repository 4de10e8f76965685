"""Reuse benchmark: accuracy on generated syndicated copies, and speed/memory at 10k-100k articles.

Accuracy: ``syndicate.generate`` makes copies of real articles with recorded edits, mixed with hard
negatives (same ECB+ topic / same Multi-News cluster). storylens ``find_reuse`` is scored on reuse
pairs (found directly, and after grouping) and on the recovered edit lists; datasketch and rensa
(MinHash + LSH at the same shingling, permutations, banding and threshold) are scored on the same
pairs as anchors.

Speed: generated corpora of each ``--sizes`` go through exact + near-duplicate detection
(shingling, signatures, LSH, verification of candidates on their signatures) with storylens,
datasketch and rensa, each in a fresh process so that its peak memory is its own. datasketch runs
on a subsample of ``--datasketch-max`` articles at larger sizes (marked in the table).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import pickle
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import combinations
from pathlib import Path
from queue import Empty

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import syndicate
from storylens.model import Article, Meta, Origin, ReusePair
from storylens.reuse import ReuseSettings, find_reuse
from storylens.reuse.candidates import candidate_pairs, estimated_jaccard
from storylens.reuse.provenance import flipped
from storylens.reuse.sketch import sketch_texts

WORD = re.compile(r"\w+")
SETTINGS = ReuseSettings()
WORKERS = 2
DEFAULT_SIZES = "10000,30000,100000"


# --- the methods, all at the same shingling, permutations, banding and threshold --------------------


def shingle_strings(text: str, size: int = SETTINGS.shingle_words) -> list[str]:
    """The anchors' shingles: lower-cased ``\\w+`` words joined by spaces (storylens hashes the same
    words, except that it also splits at "_" and folds only ASCII case)."""
    tokens = WORD.findall(text.lower())
    return [" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)]


def verified_pairs(signatures: np.ndarray, candidates: Iterable[Sequence[int]]) -> np.ndarray:
    """Candidate lists (one per text) to unique (i, j) pairs whose signature Jaccard passes."""
    lists = list(candidates)
    firsts = np.repeat(np.arange(len(lists)), [len(found) for found in lists])
    seconds = np.fromiter((other for found in lists for other in found), dtype=np.int64, count=len(firsts))
    pairs = np.stack((np.minimum(firsts, seconds), np.maximum(firsts, seconds)), axis=1)
    pairs = np.unique(pairs[pairs[:, 0] != pairs[:, 1]], axis=0)
    return pairs[estimated_jaccard(signatures, pairs) >= SETTINGS.min_jaccard]


def datasketch_pairs(texts: Sequence[str]) -> np.ndarray:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(num_perm=SETTINGS.num_perm, params=(SETTINGS.bands, SETTINGS.rows))
    signatures = []
    for index, text in enumerate(texts):
        minhash = MinHash(num_perm=SETTINGS.num_perm, seed=SETTINGS.seed)
        minhash.update_batch([shingle.encode() for shingle in shingle_strings(text)])
        signatures.append(minhash)
        lsh.insert(index, minhash, check_duplication=False)
    matrix = np.array([minhash.hashvalues for minhash in signatures])
    return verified_pairs(matrix, (lsh.query(minhash) for minhash in signatures))


def rensa_pairs(texts: Sequence[str]) -> np.ndarray:
    from rensa import RMinHash, RMinHashLSH

    token_sets = [shingle_strings(text) for text in texts]
    signatures = RMinHash.from_token_sets(token_sets, SETTINGS.num_perm, SETTINGS.seed)
    lsh = RMinHashLSH(SETTINGS.min_jaccard, SETTINGS.num_perm, SETTINGS.bands)
    lsh.insert_many(signatures)
    matrix = np.array([minhash.digest() for minhash in signatures], dtype=np.uint32)
    return verified_pairs(matrix, lsh.query_all(signatures))


def storylens_pairs(texts: Sequence[str]) -> np.ndarray:
    """Exact + near candidates verified on the sketches (no alignment), one thread."""
    return candidate_pairs(sketch_texts(texts, SETTINGS, 1), SETTINGS, containment=False)


def storylens_parallel_pairs(texts: Sequence[str]) -> np.ndarray:
    return candidate_pairs(sketch_texts(texts, SETTINGS, WORKERS), SETTINGS, containment=False)


def storylens_partial_pairs(texts: Sequence[str]) -> np.ndarray:
    """As above, plus the containment candidates (sampled fingerprints)."""
    return candidate_pairs(sketch_texts(texts, SETTINGS, WORKERS), SETTINGS, containment=True)


METHODS: dict[str, Callable[[Sequence[str]], np.ndarray]] = {
    "storylens exact+near, 1 thread": storylens_pairs,
    f"storylens exact+near, {WORKERS} threads": storylens_parallel_pairs,
    f"storylens exact+near+partial (find_reuse candidates), {WORKERS} threads": storylens_partial_pairs,
    "rensa RMinHash + RMinHashLSH": rensa_pairs,
    "datasketch MinHash + MinHashLSH": datasketch_pairs,
}


def pair_scores(found: np.ndarray, families: Sequence[str]) -> dict[str, float | int]:
    """Precision and recall of (i, j) pairs against "same family", in numpy (millions of pairs)."""
    _, family_ids = np.unique(np.array(families), return_inverse=True)
    correct = int(np.sum(family_ids[found[:, 0]] == family_ids[found[:, 1]])) if len(found) else 0
    sizes = np.bincount(family_ids)
    gold = int(np.sum(sizes * (sizes - 1) // 2))
    return {
        "precision": round(correct / len(found), 4) if len(found) else 1.0,
        "recall": round(correct / gold, 4) if gold else 1.0,
        "found": len(found),
        "gold": gold,
    }


# --- accuracy -------------------------------------------------------------------------------------


def normalized(text: str) -> str:
    return " ".join(WORD.findall(text.lower()))


def family_pairs(families: Sequence[str]) -> set[tuple[int, int]]:
    members: dict[str, list[int]] = {}
    for index, family in enumerate(families):
        members.setdefault(family, []).append(index)
    return {pair for group in members.values() for pair in combinations(sorted(group), 2)}


def precision_recall(found: set, gold: set) -> dict[str, float | int]:
    hits = len(found & gold)
    return {
        "precision": round(hits / len(found), 4) if found else 1.0,
        "recall": round(hits / len(gold), 4) if gold else 1.0,
        "found": len(found),
        "gold": len(gold),
    }


def to_articles(items: Sequence[syndicate.Item]) -> list[Article]:
    return [
        Article(id=item.id, origin=Origin(item.id), raw=item.text, body=item.text, meta=Meta(published=item.published))
        for item in items
    ]


def _edit_key(category: str, old: str, new: str) -> tuple[str, str, str]:
    return category, normalized(old), normalized(new)


def score_edits(gold: list[syndicate.GoldEdit], pair: ReusePair) -> dict[str, Counter]:
    """Match recovered edits to recorded ones one to one (same category and the same words on
    both sides), counted per category."""
    remaining = Counter(_edit_key(edit.category, edit.old, edit.new) for edit in gold)
    counts = {"gold": Counter(key[0] for key in remaining.elements()), "found": Counter(), "hits": Counter()}
    for edit in pair.edits:
        key = _edit_key(edit.category, edit.a_text, edit.b_text)
        counts["found"][edit.category] += 1
        if remaining[key] > 0:
            remaining[key] -= 1
            counts["hits"][edit.category] += 1
    return counts


def edit_scores(counts: dict[str, Counter]) -> dict[str, dict[str, float | int]]:
    scores = {}
    for category in [*sorted(set(counts["gold"]) | set(counts["found"])), "all"]:
        if category == "all":
            hits, found, gold = (sum(counts[name].values()) for name in ("hits", "found", "gold"))
        else:
            hits, found, gold = (counts[name][category] for name in ("hits", "found", "gold"))
        scores[category] = {
            "precision": round(hits / found, 4) if found else 1.0,
            "recall": round(hits / gold, 4) if gold else 1.0,
            "found": found,
            "gold": gold,
        }
    return scores


def _base_copy_pairs(items: Sequence[syndicate.Item], index_of: dict[str, int]) -> set[tuple[int, int]]:
    base_of = {item.family: index_of[item.id] for item in items if item.is_base}
    pairs = ((base_of[item.family], index_of[item.id]) for item in items if not item.is_base)
    return {(min(pair), max(pair)) for pair in pairs}


def _edit_counts(groups: Sequence, items: Sequence[syndicate.Item], index_of: dict[str, int]) -> dict[str, Counter]:
    """Edit matches over the base -> copy pairs that were found (oriented base first)."""
    counts: dict[str, Counter] = {"gold": Counter(), "found": Counter(), "hits": Counter()}
    for group in groups:
        for pair in group.pairs:
            a, b = items[index_of[pair.a]], items[index_of[pair.b]]
            if a.family != b.family or not (a.is_base or b.is_base):
                continue
            oriented, copy = (pair, b) if a.is_base else (flipped(pair), a)
            for name, counter in score_edits(copy.edits, oriented).items():
                counts[name].update(counter)
    return counts


def accuracy(items: list[syndicate.Item]) -> dict:
    index_of = {item.id: index for index, item in enumerate(items)}
    families = [item.family for item in items]
    gold_family, gold_base_copy = family_pairs(families), _base_copy_pairs(items, index_of)
    started = time.perf_counter()
    groups = find_reuse(to_articles(items))
    seconds = time.perf_counter() - started
    direct = {tuple(sorted((index_of[p.a], index_of[p.b]))) for g in groups for p in g.pairs}
    grouped = {pair for g in groups for pair in combinations(sorted(index_of[member] for member in g.members), 2)}
    family_groups = [g for g in groups if len({families[index_of[m]] for m in g.members}) == 1]
    result = {
        "articles": len(items),
        "seconds": round(seconds, 2),
        "pairs_direct": {
            "precision": precision_recall(direct, gold_family)["precision"],
            "recall": precision_recall(direct, gold_base_copy)["recall"],
            "found": len(direct),
            "gold": len(gold_base_copy),
        },
        "pairs_grouped": precision_recall(grouped, gold_family),
        "false_pairs": sorted([items[i].id, items[j].id] for i, j in direct if families[i] != families[j]),
        "edits": edit_scores(_edit_counts(groups, items, index_of)),
        "original_is_base": round(
            sum(items[index_of[g.original]].is_base for g in family_groups) / max(len(family_groups), 1), 4
        ),
        "pair_kinds": dict(Counter(p.kind for g in groups for p in g.pairs)),
        "anchors": {},
    }
    texts = [item.text for item in items]
    for name in ("datasketch MinHash + MinHashLSH", "rensa RMinHash + RMinHashLSH", "storylens exact+near, 1 thread"):
        started = time.perf_counter()
        found = {tuple(pair) for pair in METHODS[name](texts).tolist()}
        result["anchors"][name] = {
            "precision": precision_recall(found, gold_family)["precision"],
            "recall": precision_recall(found, gold_base_copy)["recall"],
            "seconds": round(time.perf_counter() - started, 2),
        }
    return result


SWEEP = (
    {"shingle_words": 2},
    {"shingle_words": 4},
    {"shingle_words": 5},
    {"bands": 16},
    {"min_jaccard": 0.4},
    {"fingerprint_rate": 32},
    {"min_containment": 0.4},
)


def sweep(items: list[syndicate.Item]) -> list[dict]:
    """Pair precision/recall of find_reuse with one parameter changed from the defaults at a time."""
    index_of = {item.id: index for index, item in enumerate(items)}
    gold_family = family_pairs([item.family for item in items])
    gold_base_copy = _base_copy_pairs(items, index_of)
    articles = to_articles(items)
    rows = []
    for change in ({}, *SWEEP):
        started = time.perf_counter()
        groups = find_reuse(articles, ReuseSettings(**change))
        direct = {tuple(sorted((index_of[p.a], index_of[p.b]))) for g in groups for p in g.pairs}
        rows.append(
            {
                "change": change or "defaults",
                "precision": precision_recall(direct, gold_family)["precision"],
                "recall": precision_recall(direct, gold_base_copy)["recall"],
                "seconds": round(time.perf_counter() - started, 2),
            }
        )
    return rows


# --- speed and memory -------------------------------------------------------------------------------


def _peak_rss_mb() -> float:
    """This process's peak resident memory since the last ``_reset_peak`` (Linux VmHWM)."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # all threads of this process
    return usage.ru_utime + usage.ru_stime


def _measure(corpus: str, method: str, limit: int, queue: multiprocessing.Queue) -> None:
    """In a fresh process: load the corpus, run one method, report time, memory and scores."""
    with open(corpus, "rb") as handle:
        texts, families = pickle.load(handle)
    texts, families = texts[:limit], families[:limit]
    _reset_peak()
    loaded = _peak_rss_mb()
    cpu, started = _cpu_seconds(), time.perf_counter()
    found = METHODS[method](texts)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    queue.put(
        {
            "method": method,
            "docs": len(texts),
            "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu, 2),
            "docs_per_s": round(len(texts) / seconds),
            "peak_mb_above_texts": round(_peak_rss_mb() - loaded),
            **pair_scores(found, families),
        }
    )


def measure(corpus: str, method: str, limit: int) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_measure, args=(corpus, method, limit, queue))
    process.start()
    while True:
        try:
            return queue.get(timeout=5)
        except Empty:
            if not process.is_alive():
                return {"method": method, "error": f"the measuring process exited with {process.exitcode}"}


def speed(sizes: Sequence[int], datasketch_max: int, seed: int, bench: Path, families: str) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            items, _ = syndicate.generate(size, seed, bench, families=families)
            corpus = str(Path(folder) / f"corpus-{size}.pickle")
            with open(corpus, "wb") as handle:
                pickle.dump(([item.text for item in items], [item.family for item in items]), handle)
            for method in METHODS:
                limit = datasketch_max if method.startswith("datasketch") else len(items)
                rows.append({"size": len(items), **measure(corpus, method, limit)})
    return rows


# --- output -----------------------------------------------------------------------------------------


def print_tables(result: dict) -> None:
    accuracy_result = result["accuracy"]
    print(f"Accuracy on {accuracy_result['articles']} generated articles ({result['corpus']})")
    print(f"{'method':48} {'pair P':>7} {'pair R':>7} {'seconds':>8}")
    direct = accuracy_result["pairs_direct"]
    print(
        f"{'storylens find_reuse (pairs found directly)':48} {direct['precision']:7.4f} {direct['recall']:7.4f} "
        f"{accuracy_result['seconds']:8.2f}"
    )
    grouped = accuracy_result["pairs_grouped"]
    print(f"{'storylens find_reuse (pairs after grouping)':48} {grouped['precision']:7.4f} {grouped['recall']:7.4f}")
    for name, scores in accuracy_result["anchors"].items():
        print(f"{name:48} {scores['precision']:7.4f} {scores['recall']:7.4f} {scores['seconds']:8.2f}")
    print("(pair recall: of base->copy pairs; precision: share of found pairs within one family)")
    share = accuracy_result["original_is_base"]
    print(f"\nEdit lists on base->copy pairs (the group's original is the base in {share:.2%} of groups)")
    print(f"{'category':20} {'P':>7} {'R':>7} {'found':>7} {'gold':>7}")
    for category, scores in accuracy_result["edits"].items():
        print(
            f"{category:20} {scores['precision']:7.4f} {scores['recall']:7.4f} {scores['found']:7} {scores['gold']:7}"
        )
    if result.get("sweep"):
        print("\nParameters, one changed at a time (find_reuse pair precision / recall)")
        for row in result["sweep"]:
            print(f"{row['change']!s:48} {row['precision']:7.4f} {row['recall']:7.4f} {row['seconds']:8.2f}")
    if not result.get("speed"):
        return
    print(
        "\nSpeed and memory: exact + near-duplicate detection (shingles, signatures, LSH, verification); "
        f"{result['families']} families"
    )
    print(
        f"{'articles':>8} {'method':64} {'docs':>7} {'wall s':>7} {'cpu s':>7} {'docs/s':>7} {'docs/cpu s':>10} "
        f"{'x ds':>5} {'x rensa':>7} {'MB':>5} {'P':>7} {'R':>7}"
    )
    for size in sorted({row["size"] for row in result["speed"]}):
        rows = [row for row in result["speed"] if row["size"] == size]
        speeds = {row["method"]: row["docs"] / row["cpu_seconds"] for row in rows if "error" not in row}
        datasketch = speeds.get("datasketch MinHash + MinHashLSH", float("nan"))
        rensa = speeds.get("rensa RMinHash + RMinHashLSH", float("nan"))
        for row in rows:
            if "error" in row:
                print(f"{size:8} {row['method']:64} {row['error']}")
                continue
            speed = speeds[row["method"]]
            print(
                f"{size:8} {row['method']:64} {row['docs']:7} {row['seconds']:7.2f} {row['cpu_seconds']:7.2f} "
                f"{row['docs_per_s']:7} {speed:10.0f} {speed / datasketch:5.1f} {speed / rensa:7.2f} "
                f"{row['peak_mb_above_texts']:5} {row['precision']:7.4f} {row['recall']:7.4f}"
            )
    print("(x ds, x rensa: throughput per CPU second relative to datasketch and rensa on the same corpus;")
    print(" MB: peak resident memory of the measuring process above the loaded texts;")
    print(" R: recall of all same-family pairs, which includes copies too far apart for any near-duplicate method;")
    print(" datasketch runs on the first --datasketch-max articles when the corpus is larger: docs < articles)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=syndicate.BENCH, help="the shared bench folder")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="corpus sizes for speed ('' skips the speed part)")
    parser.add_argument("--datasketch-max", type=int, default=10000, help="datasketch subsample size")
    parser.add_argument("--sweep", action="store_true", help="also score find_reuse with other parameters")
    parser.add_argument(
        "--families", choices=syndicate.FAMILY_MODES, default="uniform", help="family sizes of the speed corpora"
    )
    args = parser.parse_args()
    items, stats = syndicate.generate(None, args.seed, args.data)
    result = {"settings": vars(SETTINGS), "corpus": stats, "accuracy": accuracy(items)}
    if args.sweep:
        result["sweep"] = sweep(items)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    result["families"] = args.families
    result["speed"] = speed(sizes, args.datasketch_max, args.seed, args.data, args.families)
    if args.json:
        print(json.dumps(result))
    else:
        print_tables(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
