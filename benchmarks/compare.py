"""Claims, contradictions and framing against hand-made gold: the seed folder and the demo corpus.

Each data set is a folder of articles plus a gold (the seeds' gold lives in tests/test_compare.py, the demo's
in tests/fixtures/compare/demo_gold.json). The articles named in the gold go through the real pipeline path
(ingest -> clean -> reuse -> analysis -> compare); precision and recall of each part:
- claims: a predicted claim (statements from two or more articles) is right when two of its statements carry
  the same gold fact (each statement contains the gold phrase for its article); recall counts (fact, article)
  pairs carried by right claims, so a fact the wire copies share but other outlets word differently is
  only partly found;
- contradictions: a predicted one is right when all its sides agree with one gold contradiction's values
  and it has two different values; a gold contradiction is found when a right one covers it;
- framing: (actor, article, term) triples.
Baselines in the same run: identical sentences as claims, and "two articles name different weekdays in
sentences sharing a name" as contradictions (what precision costs without event frames).

    python benchmarks/compare.py [--data FOLDER --gold GOLD.json] [--json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from storylens.analysis import analyze_many
from storylens.clean import clean
from storylens.compare import extract_claims, find_contradictions, framing_table
from storylens.compare.statements import Statement, split_statements
from storylens.ingest import read
from storylens.model import Article, Citation, Claim, Contradiction, ContradictionSide, ReuseGroup
from storylens.reuse import find_reuse, independent_sources

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "corpora" / "seeds"
DEMO = ROOT / "demo" / "corpus"
DEMO_GOLD = ROOT / "tests" / "fixtures" / "compare" / "demo_gold.json"
WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


@dataclass
class Score:
    predicted: int
    correct: int
    gold: int
    found: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3), "predicted": self.predicted,
                "correct": self.correct, "gold": self.gold, "found": self.found}  # fmt: skip


def seed_gold() -> dict:
    """The seed gold from tests/test_compare.py, in the JSON gold's shape."""
    spec = importlib.util.spec_from_file_location("seed_gold", ROOT / "tests" / "test_compare.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {
        "claims": [{"sides": sides} for sides in module.SEED_GOLD_CLAIMS],
        "contradictions": module.SEED_GOLD_CONTRADICTIONS,
        "framing": {actor: {k: sorted(v) for k, v in rows.items()} for actor, rows in module.SEED_GOLD_FRAMING.items()},
    }


def gold_key(article_id: str, keys: Sequence[str]) -> str | None:
    return next((key for key in keys if article_id.startswith(key)), None)


def load_articles(folder: Path, gold: dict) -> tuple[list[Article], list[ReuseGroup]]:
    keys = _gold_articles(gold)
    articles = [a for a in clean(list(read([folder]))) if a.status == "ok" and gold_key(a.id, keys)]
    for article, result in zip(articles, analyze_many(articles), strict=True):
        article.analysis = result
    return articles, find_reuse(articles)


def _gold_articles(gold: dict) -> list[str]:
    keys = {key for claim in gold["claims"] for key in claim["sides"]}
    keys |= {key for contradiction in gold["contradictions"] for key in contradiction["sides"]}
    keys |= {key for rows in gold["framing"].values() for key in rows}
    return sorted(keys)


def _carries(citation: Citation, sides: dict[str, str]) -> str | None:
    """The gold article key when the cited statement contains that article's gold phrase."""
    key = gold_key(citation.article_id, list(sides))
    return key if key and sides[key].lower() in (citation.text or "").lower() else None


def score_claims(claims: Sequence[Claim], gold: dict) -> Score:
    """Precision over claims; recall over (fact, article) pairs, so wire copies alone cannot find a fact."""
    facts = [entry["sides"] for entry in gold["claims"]]
    found: set[tuple[int, str]] = set()
    correct = 0
    for claim in claims:
        right = False
        for index, sides in enumerate(facts):
            carried = {_carries(citation, sides) for citation in claim.statements} - {None}
            if len(carried) >= 2:
                right = True
                found |= {(index, key) for key in carried if key is not None}
        correct += right
    return Score(len(claims), correct, sum(len(sides) for sides in facts), len(found))


def score_contradictions(contradictions: Sequence[Contradiction], gold: dict) -> Score:
    entries = gold["contradictions"]
    found: set[int] = set()
    correct = 0
    for contradiction in contradictions:
        matched = [i for i, entry in enumerate(entries) if _agrees(contradiction, entry)]
        correct += bool(matched)
        found.update(matched)
    return Score(len(contradictions), correct, len(entries), len(found))


def _agrees(contradiction: Contradiction, entry: dict) -> bool:
    if contradiction.slot != entry["slot"]:
        return False
    values = set()
    for side in contradiction.sides:
        key = gold_key(side.citation.article_id, list(entry["sides"]))
        if key is None or entry["sides"][key].lower() not in side.value.lower():
            return False
        values.add(entry["sides"][key])
    return len(values) >= 2


def score_framing(articles: Sequence[Article], gold: dict) -> Score:
    keys = [key for rows in gold["framing"].values() for key in rows]
    predicted = set()
    for row in framing_table(articles):
        for uses in row.terms_by_outlet.values():
            for use in uses:
                predicted |= {(row.actor, gold_key(e.article_id, keys) or e.article_id, use.term) for e in use.examples}
    expected = {
        (actor, key, term) for actor, rows in gold["framing"].items() for key, terms in rows.items() for term in terms
    }
    correct = len(predicted & expected)
    return Score(len(predicted), correct, len(expected), correct)


def identical_sentence_claims(articles: Sequence[Article], reuse: Sequence[ReuseGroup]) -> list[Claim]:
    """Baseline: statements whose normalized text is identical in two or more articles."""
    by_text: dict[str, list[Statement]] = {}
    for statement in split_statements(articles):
        by_text.setdefault(" ".join(re.findall(r"\w+", statement.text.lower())), []).append(statement)
    claims = []
    for statements in by_text.values():
        ids = sorted({s.article.id for s in statements})
        if len(ids) >= 2:
            outlets = {s.article.id: s.article.meta.outlet for s in statements}
            claims.append(
                Claim(statements[0].text, [s.citation for s in statements], independent_sources(ids, reuse, outlets))
            )
    return claims


def weekday_contradictions(articles: Sequence[Article]) -> list[Contradiction]:
    """Baseline: sentences of two articles sharing a named actor but naming different weekdays."""
    statements = [s for s in split_statements(articles) if len(set(WEEKDAY.findall(s.text))) == 1]
    found = []
    for i, a in enumerate(statements):
        for b in statements[i + 1 :]:
            day_a, day_b = WEEKDAY.findall(a.text)[0], WEEKDAY.findall(b.text)[0]
            if a.article.id != b.article.id and a.actors & b.actors and day_a != day_b:
                sides = [ContradictionSide(day_a, a.citation), ContradictionSide(day_b, b.citation)]
                found.append(Contradiction("date", f"{day_a} or {day_b}", sides))
    return found


def evaluate(folder: Path, gold: dict) -> dict[str, dict]:
    articles, reuse = load_articles(folder, gold)
    runs: dict[str, Callable[[], dict]] = {
        "storylens": lambda: {
            "claims": score_claims(extract_claims(articles, reuse), gold),
            "contradictions": score_contradictions(find_contradictions(articles), gold),
            "framing": score_framing(articles, gold),
        },
        "baseline": lambda: {
            "claims": score_claims(identical_sentence_claims(articles, reuse), gold),
            "contradictions": score_contradictions(weekday_contradictions(articles), gold),
        },
    }
    results = {}
    for name, run in runs.items():
        start = time.perf_counter()
        scores = run()
        results[name] = {part: score.as_dict() for part, score in scores.items()} | {
            "seconds": round(time.perf_counter() - start, 2)
        }
    return results


def print_table(results: dict[str, dict[str, dict]]) -> None:
    print(f"{'data':8} {'system':10} {'part':15} {'P':>6} {'R':>6} {'pred':>5} {'gold':>5} {'time vs baseline':>17}")
    for data, systems in results.items():
        base = systems["baseline"]["seconds"] or 1e-9
        for system, parts in systems.items():
            speed = f"{parts['seconds'] / base:.1f}x"
            for part, score in parts.items():
                if part == "seconds":
                    continue
                print(f"{data:8} {system:10} {part:15} {score['precision']:6.2f} {score['recall']:6.2f} "
                      f"{score['predicted']:5d} {score['gold']:5d} {speed:>17}")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a folder of articles (with --gold); default: seeds and demo")
    parser.add_argument("--gold", type=Path, help="gold JSON in the shape of tests/fixtures/compare/demo_gold.json")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)
    if args.data is not None:
        if args.gold is None or not args.gold.is_file() or not args.data.exists():
            print("--data needs an existing folder and --gold FILE", file=sys.stderr)
            return 2
        sets = {args.data.name: (args.data, json.loads(args.gold.read_text(encoding="utf-8")))}
    else:
        sets = {"seeds": (SEEDS, seed_gold()), "demo": (DEMO, json.loads(DEMO_GOLD.read_text(encoding="utf-8")))}
    results = {name: evaluate(folder, gold) for name, (folder, gold) in sets.items() if folder.exists()}
    if args.json:
        print(json.dumps(results))
    else:
        print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
