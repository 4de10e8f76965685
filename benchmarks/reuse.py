"""Reuse benchmark: accuracy on generated syndicated copies, and speed/memory at 10k-100k articles.

Accuracy: ``syndicate.generate`` makes copies of real articles with recorded edits, mixed with hard
negatives (same ECB+ topic / same Multi-News cluster). storylens ``find_reuse`` is scored on
reuse pairs (found directly, and after grouping) and on the recovered edit lists; datasketch and
rensa (MinHash + LSH at the same shingling, permutations, banding and threshold) are scored on
the same pairs as anchors.

Speed: generated corpora of each ``--sizes`` go through exact + near-duplicate detection
(shingling, signatures, LSH, verification on the signatures) with storylens, datasketch and rensa
in the same run, each in a fresh process so that its peak memory is its own. datasketch runs on
a subsample above ``--datasketch-max`` articles (said in the table).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import syndicate
from storylens.model import Article, Meta, Origin, ReusePair
from storylens.reuse import ReuseSettings, find_reuse
from storylens.reuse.candidates import candidate_pairs
from storylens.reuse.provenance import flipped
from storylens.reuse.sketch import sketch_texts

WORD = re.compile(r"\w+")
SETTINGS = ReuseSettings()
EXACT_TEXT_CATEGORIES = ("term_swap", "date_change", "number_change", "wording")


# --- shared helpers -----------------------------------------------------------------------------


def normalized(text: str) -> str:
    return " ".join(WORD.findall(text.lower()))


def shingle_strings(text: str, size: int = SETTINGS.shingle_words) -> list[bytes]:
    tokens = WORD.findall(text.lower())
    return [" ".join(tokens[i : i + size]).encode() for i in range(len(tokens) - size + 1)]


def family_pairs(families: Sequence[str]) -> set[tuple[int, int]]:
    members: dict[str, list[int]] = {}
    for index, family in enumerate(families):
        members.setdefault(family, []).append(index)
    return {pair for group in members.values() for pair in combinations(sorted(group), 2)}


def precision_recall(found: set, gold: set) -> dict[str, float]:
    hits = len(found & gold)
    return {
        "precision": round(hits / len(found), 4) if found else 1.0,
        "recall": round(hits / len(gold), 4) if gold else 1.0,
        "found": len(found),
        "gold": len(gold),
    }


def pairs_above(signatures: Sequence, pairs: Iterable[tuple[int, int]], jaccard: Callable) -> set[tuple[int, int]]:
    return {
        (min(i, j), max(i, j))
        for i, j in pairs
        if i != j and jaccard(signatures[i], signatures[j]) >= SETTINGS.min_jaccard
    }


# --- anchors: datasketch and rensa at the same parameters --------------------------------------------


def datasketch_pairs(texts: Sequence[str]) -> set[tuple[int, int]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(num_perm=SETTINGS.num_perm, params=(SETTINGS.bands, SETTINGS.rows))
    signatures = []
    for index, text in enumerate(texts):
        minhash = MinHash(num_perm=SETTINGS.num_perm, seed=SETTINGS.seed)
        minhash.update_batch(shingle_strings(text))
        signatures.append(minhash)
        lsh.insert(index, minhash, check_duplication=False)
    candidates = ((index, other) for index, sig in enumerate(signatures) for other in lsh.query(sig))
    return pairs_above(signatures, candidates, lambda a, b: a.jaccard(b))


def rensa_pairs(texts: Sequence[str]) -> set[tuple[int, int]]:
    from rensa import RMinHash, RMinHashLSH

    token_sets = [[shingle.decode() for shingle in shingle_strings(text)] for text in texts]
    signatures = RMinHash.from_token_sets(token_sets, SETTINGS.num_perm, SETTINGS.seed)
    lsh = RMinHashLSH(SETTINGS.min_jaccard, SETTINGS.num_perm, SETTINGS.bands)
    lsh.insert_many(signatures)
    candidates = ((index, other) for index, found in enumerate(lsh.query_all(signatures)) for other in found)
    return pairs_above(signatures, candidates, lambda a, b: a.jaccard(b))


def storylens_pairs(texts: Sequence[str], workers: int = 1, containment: bool = False) -> set[tuple[int, int]]:
    """Exact + near (and optionally partial) candidates verified on the sketches, no alignment."""
    sketches = sketch_texts(texts, SETTINGS, workers)
    pairs = candidate_pairs(sketches, SETTINGS, containment=containment)
    return {tuple(pair) for pair in pairs.tolist()}


# --- accuracy -------------------------------------------------------------------------------------


def to_articles(items: Sequence[syndicate.Item]) -> list[Article]:
    return [
        Article(id=item.id, origin=Origin(item.id), raw=item.text, body=item.text, meta=Meta(published=item.published))
        for item in items
    ]


def _edit_key(category: str, old: str, new: str) -> tuple[str, str, str]:
    return category, normalized(old), normalized(new)


def score_edits(gold: list[syndicate.GoldEdit], pair: ReusePair) -> dict[str, Counter]:
    """Greedy one-to-one matching of recovered edits to recorded ones, counted per category."""
    remaining = Counter(_edit_key(edit.category, edit.old, edit.new) for edit in gold)
    counts = {"gold": Counter(key[0] for key in remaining.elements()), "found": Counter(), "hits": Counter()}
    for edit in pair.edits:
        key = _edit_key(edit.category, edit.a_text, edit.b_text)
        counts["found"][edit.category] += 1
        if remaining[key] > 0:
            remaining[key] -= 1
            counts["hits"][edit.category] += 1
    return counts


def accuracy(items: list[syndicate.Item], anchors: bool) -> dict:
    articles = to_articles(items)
    index_of = {item.id: index for index, item in enumerate(items)}
    families = [item.family for item in items]
    gold_family = family_pairs(families)
    base_of = {item.family: index_of[item.id] for item in items if item.is_base}
    gold_base_copy = {
        (min(base_of[item.family], index_of[item.id]), max(base_of[item.family], index_of[item.id]))
        for item in items
        if not item.is_base
    }
    started = time.perf_counter()
    groups = find_reuse(articles)
    seconds = time.perf_counter() - started
    direct = {(min(index_of[p.a], index_of[p.b]), max(index_of[p.a], index_of[p.b])) for g in groups for p in g.pairs}
    grouped = {pair for g in groups for pair in combinations(sorted(index_of[member] for member in g.members), 2)}
    hard_negatives = Counter(syndicate_group(items[i]) for i, j in direct if families[i] != families[j])
    edit_counts = {"gold": Counter(), "found": Counter(), "hits": Counter()}
    for group in groups:
        for pair in group.pairs:
            a, b = items[index_of[pair.a]], items[index_of[pair.b]]
            if a.is_base and b.family == a.family:
                oriented, copy = pair, b
            elif b.is_base and a.family == b.family:
                oriented, copy = flipped(pair), a
            else:
                continue
            for name, counter in score_edits(copy.edits, oriented).items():
                edit_counts[name].update(counter)
    family_groups = [g for g in groups if len({families[index_of[m]] for m in g.members}) == 1]
    provenance = sum(items[index_of[g.original]].is_base for g in family_groups) / max(len(family_groups), 1)
    result = {
        "articles": len(items),
        "seconds": round(seconds, 2),
        "pairs_direct": {
            **precision_recall(direct, gold_base_copy | gold_family),
            "recall": precision_recall(direct, gold_base_copy)["recall"],
        },
        "pairs_grouped": precision_recall(grouped, gold_family),
        "false_pairs_by_source": dict(hard_negatives),
        "edits": edit_scores(edit_counts),
        "original_is_base": round(provenance, 4),
        "kinds": dict(Counter(p.kind for g in groups for p in g.pairs)),
    }
    if anchors:
        texts = [item.text for item in items]
        for name, method in (
            ("datasketch", datasketch_pairs),
            ("rensa", rensa_pairs),
            ("storylens sketches only", storylens_pairs),
        ):
            started = time.perf_counter()
            found = method(texts)
            elapsed = time.perf_counter() - started
            result[f"anchor {name}"] = {
                **precision_recall(found, gold_family),
                "recall_base_copy": precision_recall(found, gold_base_copy)["recall"],
                "seconds": round(elapsed, 2),
            }
    return result


def syndicate_group(item: syndicate.Item) -> str:
    return item.family.split("/")[0]


def edit_scores(counts: dict[str, Counter]) -> dict[str, dict[str, float]]:
    scores = {}
    categories = sorted(set(counts["gold"]) | set(counts["found"]))
    for category in [*categories, "all"]:
        pick = (lambda c: sum(c.values())) if category == "all" else (lambda c, k=category: c[k])
        hits, found, gold = pick(counts["hits"]), pick(counts["found"]), pick(counts["gold"])
        scores[category] = {
            "precision": round(hits / found, 4) if found else 1.0,
            "recall": round(hits / gold, 4) if gold else 1.0,
            "found": found,
            "gold": gold,
        }
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=syndicate.BENCH, help="the shared bench folder")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    items, stats = syndicate.generate(None, args.seed, args.data)
    result = {"corpus": stats, "accuracy": accuracy(items, anchors=True)}
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
