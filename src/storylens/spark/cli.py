"""``storylens spark PATHS -o OUT``: the heavy stages on Spark, written as Parquet for ``storylens digest``."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from storylens.spark.settings import SparkSettings

if TYPE_CHECKING:
    from rich.console import Console

    from storylens.pipeline import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--out", type=Path, help="output directory (Parquet: articles, reuse_groups, stories)")
    parser.add_argument("--master", default=SparkSettings.master, help="Spark master (default %(default)s)")
    parser.add_argument(
        "--partitions",
        type=int,
        default=SparkSettings.shuffle_partitions,
        help="shuffle partitions (default %(default)s)",
    )
    parser.add_argument("--driver-memory", default=SparkSettings.driver_memory, help="(default %(default)s)")
    parser.add_argument(
        "--checkpoint", type=Path, help="folder keeping each stage's result: a rerun resumes after the last one"
    )
    parser.add_argument(
        "--time-blocks",
        action="store_true",
        help="group the stories of each period (dates 72+ days apart) in parallel tasks; "
        "stories near the join threshold can then differ from a local run",
    )


def command(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    """Run the Spark job; prints the run's counts and stage times (as JSON with --json)."""
    if args.out is None:
        raise SystemExit("storylens spark: -o/--out DIR is required")
    if not args.paths:
        raise SystemExit("storylens spark: give at least one input path")
    if args.db is not None:
        raise SystemExit("storylens spark: reads files (WARC, JSONL, Parquet, ...), not a store (--db)")
    from storylens.spark.job import run

    spark_settings = SparkSettings(
        master=args.master,
        shuffle_partitions=args.partitions,
        driver_memory=args.driver_memory,
        max_bytes=settings.max_bytes,
        time_blocks=args.time_blocks,
    )
    report = run(args.paths, args.out, spark_settings, checkpoint=args.checkpoint)
    if args.json:
        print(json.dumps(asdict(report)))
    elif not args.quiet:
        console.print(
            f"{report.usable} articles ({report.skipped} inputs skipped), {report.reuse_groups} reuse groups, "
            f"{report.stories} stories in {report.blocks} time blocks -> {report.output}",
            highlight=False,
        )
        console.print("stage seconds: " + ", ".join(f"{k} {v}" for k, v in report.stage_seconds.items()))
    return 0
