"""The Spark run against the local pipeline on generated articles: wall time, per-stage times, shuffle sizes.

Articles come from the reuse benchmark's generator (``benchmarks/syndicate.py``: real news texts from
../shared/bench with syndicated copies), written as JSONL files of 1,000 articles each. For every size
the Spark job runs in local mode (``--master``, default local[2]); the local pipeline (clean, reuse,
stories: the same stages) runs beside it on the sizes up to ``--local-max``. Both results are compared
(reuse groups and stories must be equal). Run ``python benchmarks/spark.py --sizes 2000``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict
from pathlib import Path
from typing import Any

from storylens import pipeline
from storylens.model import to_dict
from storylens.spark import job, output

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent.parent / "shared" / "bench"
FILE_ARTICLES = 1000


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("syndicate", HERE / "syndicate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def write_corpus(size: int, bench: Path, folder: Path) -> int:
    items, _ = _generator().generate(size, seed=7, bench=bench)
    for start in range(0, len(items), FILE_ARTICLES):
        lines = "".join(json.dumps(asdict(item)) + "\n" for item in items[start : start + FILE_ARTICLES])
        (folder / f"part-{start // FILE_ARTICLES:05d}.jsonl").write_text(lines, encoding="utf-8")
    return len(items)


def shuffle_bytes(spark: Any) -> dict[str, int]:
    """Shuffle bytes written per stage name (the job group ``job.run`` gives each stage), from the Spark UI."""
    sc = spark.sparkContext
    base = f"{sc.uiWebUrl}/api/v1/applications/{sc.applicationId}"
    with urllib.request.urlopen(f"{base}/jobs") as response:
        jobs = json.load(response)
    with urllib.request.urlopen(f"{base}/stages") as response:
        written = {stage["stageId"]: stage.get("shuffleWriteBytes", 0) for stage in json.load(response)}
    totals: dict[str, int] = {}
    for spark_job in jobs:
        group = spark_job.get("jobGroup") or "other"
        totals[group] = totals.get(group, 0) + sum(written.get(stage, 0) for stage in spark_job["stageIds"])
    return totals


def run_local(folder: Path) -> tuple[dict[str, float], Any, Any]:
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    corpus = pipeline.load_corpus([folder])
    seconds["read+clean"] = time.perf_counter() - started
    started = time.perf_counter()
    groups = pipeline.find_reuse(corpus.usable)
    seconds["reuse"] = time.perf_counter() - started
    started = time.perf_counter()
    found = pipeline.group_stories(corpus.usable, groups)
    seconds["stories"] = time.perf_counter() - started
    seconds["total"] = sum(seconds.values())
    return {key: round(value, 2) for key, value in seconds.items()}, groups, found


def measure(size: int, args: argparse.Namespace, spark: Any) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as temp:
        folder, target = Path(temp, "input"), Path(temp, "output")
        folder.mkdir()
        articles = write_corpus(size, args.data, folder)
        before = shuffle_bytes(spark)
        started = time.perf_counter()
        report = job.run([folder], target, job.SparkSettings(master=args.master), spark)
        wall = round(time.perf_counter() - started, 2)
        after = shuffle_bytes(spark)
        row: dict[str, Any] = {
            "articles": articles,
            "spark_seconds": wall,
            "spark_stage_seconds": report.stage_seconds,
            "shuffle_bytes": {stage: after[stage] - before.get(stage, 0) for stage in after},
            "reuse_groups": report.reuse_groups,
            "stories": report.stories,
            "candidates": report.candidates,
        }
        if size <= args.local_max:
            local_seconds, groups, found = run_local(folder)
            row["local_seconds"] = local_seconds["total"]
            row["local_stage_seconds"] = local_seconds
            row["equal_reuse"] = [to_dict(g) for g in output.read_groups(target)] == [to_dict(g) for g in groups]
            row["equal_stories"] = [to_dict(s) for s in output.read_stories(target)] == [to_dict(s) for s in found]
        return row


def print_table(rows: list[dict[str, Any]], master: str) -> None:
    print(f"storylens spark ({master}) vs the local pipeline, same generated articles")
    print(
        f"{'articles':>9} {'spark s':>9} {'local s':>9} {'local/spark':>12} {'equal':>6}  spark stages (s) | shuffle MB"
    )
    for row in rows:
        local = row.get("local_seconds")
        ratio = f"{local / row['spark_seconds']:.2f}x" if local else "-"
        equal = "-" if local is None else str(row["equal_reuse"] and row["equal_stories"])
        stages = " ".join(f"{k}={v:.1f}" for k, v in row["spark_stage_seconds"].items())
        shuffle = " ".join(f"{k}={v / 1e6:.1f}" for k, v in row["shuffle_bytes"].items() if v)
        figures = f"{row['articles']:>9} {row['spark_seconds']:>9.1f} {local or '-':>9} {ratio:>12} {equal:>6}"
        print(f"{figures}  {stages} | {shuffle}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=BENCH, help="the shared bench folder (source texts)")
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated article counts")
    parser.add_argument("--local-max", type=int, default=100000, help="run the local pipeline up to this size")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--json", action="store_true", help="the figures as one JSON object on stdout")
    args = parser.parse_args()
    spark = job.session(job.SparkSettings(master=args.master, driver_memory="8g"))
    rows = [measure(int(size), args, spark) for size in args.sizes.split(",")]
    spark.stop()
    if args.json:
        print(json.dumps({"master": args.master, "runs": rows}))
    else:
        print_table(rows, args.master)
    return 0


if __name__ == "__main__":
    sys.exit(main())
