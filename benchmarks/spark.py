"""The Spark run against the local pipeline on generated articles: wall and CPU time, per-stage times, shuffle sizes.

Articles are generated (``Generator``: real news texts from ../shared/bench made into any number of
distinct bases with syndicated copies) as JSONL files of 1,000 articles, in parallel. For every size
the Spark job runs in local mode (``--master``, default local[2]); the local pipeline (read, clean,
reuse, stories: the same stages) runs on the sizes up to ``--local-max``, and both results are
compared (reuse groups and stories must be equal). ``--part spark`` / ``--part local`` run one side
only, so the two can run at the same time on one ``--work`` folder (the local side compares with the
Spark output found there); ``--part stories`` times only the Spark story task's work
(``pipeline.group_stories`` on one block) in this process, the stage's serial rate. CPU seconds (the
whole process tree: driver, JVM, Python workers) are reported because a shared machine inflates wall time.

Above ``--clean-max`` articles the clean stage is not run: the generated texts (plain text, already
paragraphs) are taken as the article bodies, so the heavy stages (sketch ... stories) can be measured
at sizes whose cleaning would take hours on two cores. ``--work`` keeps inputs and stage checkpoints:
a rerun resumes after the last finished stage; ``--until`` stops after a stage.
Run ``python benchmarks/spark.py --sizes 2000``.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import math
import multiprocessing
import os
import random
import re
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from storylens import ingest, pipeline
from storylens.clean import clean_document
from storylens.model import Article, Document, Meta, Origin, Span, to_dict
from storylens.spark import job, output

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent.parent / "shared" / "bench"
FILE_ARTICLES = 1000
WORD = re.compile(r"[^\W\d_]+")
# --- generated corpus -------------------------------------------------------------------------------

BASE_WORDS_KEPT = 4  # words this short (the, said, with, ...) keep their spelling in a derived base
START = datetime(2016, 12, 6, 8, 0)
UNDATED_COPY_SHARE = 0.3  # as in benchmarks/syndicate.py


@dataclass(frozen=True)
class Generator:
    """Real source texts (../shared/bench) turned into any number of distinct bases with syndicated copies.

    There are about 1,700 usable sources; base ``b`` is source ``b % sources`` with every word of more
    than ``BASE_WORDS_KEPT`` letters mapped through a bijection of the corpus vocabulary that differs per
    round ``b // sources``: the same sentence shapes, function words and lengths, but no shared
    shingles between bases of different rounds, so reuse and stories scale with the corpus instead of
    every source getting hundreds of copies. Copies are made by ``syndicate.make_variant`` (2-5 recorded
    edits), as in the reuse benchmark; families (a base and its copies, 1-4 for 60% of the bases) never
    cross a file, and each file is generated from its own seed, so files are made in parallel.
    """

    sources: list[Any]
    fillers: list[str]
    vocabulary: list[str]
    rank: dict[str, int]

    @classmethod
    def load(cls, bench: Path) -> Generator:
        syndicate = _syndicate()
        sources, _ = syndicate.load_sources(bench)
        held_out = max(20, len(sources) // 20)
        fillers = syndicate._fillers(sources[:held_out], sources[held_out:])
        words = {
            word.lower()
            for source in sources[held_out:]
            for paragraph in source.paragraphs
            for word in WORD.findall(paragraph)
        }
        vocabulary = sorted(word for word in words if len(word) > BASE_WORDS_KEPT and word.isalpha())
        return cls(sources[held_out:], fillers, vocabulary, {word: i for i, word in enumerate(vocabulary)})

    def base(self, number: int) -> Any:
        source = self.sources[number % len(self.sources)]
        round_number = number // len(self.sources)
        if round_number == 0:
            return source
        size = len(self.vocabulary)
        stride = _coprime_stride(size, round_number)

        def mapped(match: re.Match[str]) -> str:
            word = match.group(0)
            rank = self.rank.get(word.lower())
            if rank is None:
                return word
            new = self.vocabulary[(rank * stride + round_number) % size]
            return new.capitalize() if word[0].isupper() else new

        paragraphs = [WORD.sub(mapped, paragraph) for paragraph in source.paragraphs]
        title = paragraphs[0] if source.title is not None else None
        return dataclasses.replace(source, id=f"{source.id}@{round_number}", paragraphs=paragraphs, title=title)

    def file_lines(self, file_number: int, articles: int, seed: int) -> list[str]:
        """JSONL lines (id, text, published) of one file: whole families, shuffled."""
        syndicate = _syndicate()
        rng = random.Random(f"{seed}-{file_number}")
        records: list[dict[str, Any]] = []
        number = file_number * articles  # base numbers: never shared between files
        while len(records) < articles:
            base = self.base(number)
            published = START + timedelta(minutes=number)
            records.append({"id": f"g{number}", "text": "\n\n".join(base.paragraphs), "published": _iso(published)})
            copies = 0 if rng.random() < 0.4 else rng.randint(1, 4)
            prepared = syndicate.Prepared.of(base) if copies else None
            for copy in range(min(copies, articles - len(records))):
                text, _ = syndicate.make_variant(prepared, rng, self.fillers)
                later = None if rng.random() < UNDATED_COPY_SHARE else _iso(published + timedelta(hours=copy + 1))
                records.append({"id": f"g{number}~{copy}", "text": text, "published": later})
            number += 1
        rng.shuffle(records)
        return [json.dumps(record, ensure_ascii=False) + "\n" for record in records]


def _iso(moment: datetime) -> str:
    return moment.isoformat() + "+00:00"


def _coprime_stride(size: int, round_number: int) -> int:
    stride = 7919 * round_number + 1
    while math.gcd(stride, size) != 1:
        stride += 1
    return stride


def _syndicate() -> Any:
    if "syndicate" not in sys.modules:
        spec = importlib.util.spec_from_file_location("syndicate", HERE / "syndicate.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules["syndicate"]


_WORKER_GENERATOR: Generator | None = None


def _write_file(task: tuple[Path, int, Path, int]) -> int:
    global _WORKER_GENERATOR
    bench, file_number, folder, seed = task
    if _WORKER_GENERATOR is None:
        _WORKER_GENERATOR = Generator.load(bench)
    lines = _WORKER_GENERATOR.file_lines(file_number, FILE_ARTICLES, seed)
    (folder / f"part-{file_number:05d}.jsonl").write_text("".join(lines), encoding="utf-8")
    return len(lines)


def write_corpus(size: int, bench: Path, folder: Path, seed: int = 7, workers: int = 2) -> int:
    """``size`` generated articles (rounded up to whole files) as JSONL files of ``FILE_ARTICLES``."""
    tasks = [(bench, number, folder, seed) for number in range(math.ceil(size / FILE_ARTICLES))]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return sum(pool.imap_unordered(_write_file, tasks))


# --- measuring --------------------------------------------------------------------------------------


class TreeCpu:
    """User + system CPU seconds of this process and all its descendants, from /proc.

    Spark's Python workers come and go (and their parent need not collect their times), so a thread
    samples the tree every ``interval`` seconds and keeps each process's last reading after it ends;
    only the CPU a process spends in its last interval before exiting is missed.
    """

    def __init__(self, interval: float = 0.5) -> None:
        self.last: dict[tuple[int, int], float] = {}  # (pid, start time) -> CPU seconds last seen
        self.lock = threading.Lock()
        self.ticks = os.sysconf("SC_CLK_TCK")
        self.interval = interval
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        while True:
            self.sample()
            time.sleep(self.interval)

    def sample(self) -> None:
        parents: dict[int, int] = {}
        readings: dict[tuple[int, int], float] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                fields = Path("/proc", entry, "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(fields[1])
            readings[(int(entry), int(fields[19]))] = (int(fields[11]) + int(fields[12])) / self.ticks
        with self.lock:
            for (pid, started), seconds in readings.items():
                if self._descends(pid, parents):
                    self.last[(pid, started)] = seconds

    @staticmethod
    def _descends(pid: int, parents: dict[int, int]) -> bool:
        while pid not in (0, 1, os.getpid()):
            pid = parents.get(pid, 0)
        return pid == os.getpid()

    def seconds(self) -> float:
        self.sample()
        with self.lock:
            return sum(self.last.values())


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


def generated_article(file_number: int, line_number: int, line: str) -> Article:
    """An article whose body is a generated text as it is (the clean stage left out, see ``--clean-max``)."""
    record = json.loads(line)
    text = record["text"]
    origin = Origin(f"part-{file_number:05d}.jsonl", line=line_number)
    meta = Meta(published=record["published"])
    return Article(record["id"], origin, raw=text, body=text, segments=[Span(0, len(text))], meta=meta)


def _file_articles(task: tuple[int, str]) -> list[tuple[Any, ...]]:
    file_number, path = task
    with open(path, encoding="utf-8") as handle:
        return [
            job.article_row(file_number * FILE_ARTICLES + number, generated_article(file_number, number + 1, line))
            for number, line in enumerate(handle)
        ]


def save_generated_articles(spark: Any, folder: Path, checkpoint: Path) -> None:
    """The clean stage's checkpoint made from the generated texts, so ``job.run`` resumes after it."""
    if (checkpoint / "clean" / "_SUCCESS").exists():
        return
    files = [(number, str(path)) for number, path in enumerate(sorted(folder.glob("part-*.jsonl")))]
    rows = spark.sparkContext.parallelize(files, max(1, len(files) // 10)).flatMap(_file_articles)
    spark.createDataFrame(rows, job.ARTICLE_SCHEMA).write.mode("overwrite").parquet(str(checkpoint / "clean"))
    empty = spark.createDataFrame([], "position int, origin string, reason string, detail string")
    empty.write.mode("overwrite").parquet(str(checkpoint / "skipped"))


def corpus_folder(size: int, args: argparse.Namespace) -> tuple[Path, int, float]:
    """The generated input for ``size`` under the work folder (made once): folder, articles, seconds."""
    folder = args.work / f"input-{size}"
    done = folder / "_COMPLETE"
    if done.exists():
        return folder, int(done.read_text()), 0.0
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    articles = write_corpus(size, args.data, folder, workers=args.workers)
    done.write_text(str(articles))
    return folder, articles, round(time.perf_counter() - started, 2)


def measure_spark(size: int, folder: Path, args: argparse.Namespace, spark: Any, meter: TreeCpu) -> dict[str, Any]:
    checkpoint, target = args.work / f"checkpoint-{size}", args.work / f"output-{size}"
    skip_clean, started = size > args.clean_max, time.perf_counter()
    if skip_clean:
        save_generated_articles(spark, folder, checkpoint)
    generated_articles_seconds = round(time.perf_counter() - started, 2)
    before, cpu_before = shuffle_bytes(spark), meter.seconds()
    started = time.perf_counter()
    settings = job.SparkSettings(master=args.master, shuffle_partitions=args.partitions)
    stage_cpu: dict[str, float] = {}

    def log_stage(name: str, seconds: float) -> None:
        nonlocal cpu_mark
        now = meter.seconds()
        stage_cpu[name], cpu_mark = round(now - cpu_mark, 2), now
        print(
            json.dumps({"size": size, "stage": name, "seconds": seconds, "cpu_seconds": stage_cpu[name]}),
            file=sys.stderr,
        )

    cpu_mark = cpu_before
    report = job.run([folder], target, settings, spark, checkpoint=checkpoint, until=args.until, on_stage=log_stage)
    wall, cpu = round(time.perf_counter() - started, 2), round(meter.seconds() - cpu_before, 2)
    after = shuffle_bytes(spark)
    return {
        "clean_run": not skip_clean,
        "generated_articles_seconds": generated_articles_seconds,  # their clean checkpoint, when not cleaned
        "resumed": report.resumed,
        "until": args.until,
        "spark_seconds": wall,
        "spark_cpu_seconds": cpu,
        "spark_stage_seconds": report.stage_seconds,
        "spark_stage_cpu_seconds": stage_cpu,  # "<stage> checkpoint": writing its checkpoint
        "checkpoint_seconds": report.checkpoint_seconds,
        "shuffle_bytes": {
            stage: after[stage] - before.get(stage, 0) for stage in after if after[stage] > before.get(stage, 0)
        },
        "usable": report.usable,
        "candidates": report.candidates,
        "reuse_pairs": report.reuse_pairs,
        "reuse_groups": report.reuse_groups,
        "stories": report.stories,
        "blocks": report.blocks,
    }


def generated_articles(folder: Path) -> list[Article]:
    """The articles ``save_generated_articles`` gives Spark, in the same order, for the local side."""
    return [
        generated_article(file_number, number + 1, line)
        for file_number, path in enumerate(sorted(folder.glob("part-*.jsonl")))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines())
    ]


class LocalStages:
    """Wall and CPU seconds of each local stage, each logged to stderr as it ends (a long run shows progress)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.seconds: dict[str, float] = {}
        self.cpu_seconds: dict[str, float] = {}
        self.cpu_mark, self.mark = time.process_time(), time.perf_counter()

    def ended(self, name: str) -> None:
        now, cpu_now = time.perf_counter(), time.process_time()
        self.seconds[name], self.cpu_seconds[name] = round(now - self.mark, 2), round(cpu_now - self.cpu_mark, 2)
        self.mark, self.cpu_mark = now, cpu_now
        figures = {"seconds": self.seconds[name], "cpu_seconds": self.cpu_seconds[name]}
        print(json.dumps({"size": self.size, "local_stage": name, **figures}), file=sys.stderr, flush=True)


def measure_local(size: int, folder: Path, target: Path, skip_clean: bool) -> dict[str, Any]:
    stages = LocalStages(size)
    corpus = pipeline.Corpus(generated_articles(folder), []) if skip_clean else pipeline.load_corpus([folder])
    stages.ended("read" if skip_clean else "read+clean")
    groups = pipeline.find_reuse(corpus.usable)
    stages.ended("reuse")
    found = pipeline.group_stories(corpus.usable, groups)
    stages.ended("stories")
    row: dict[str, Any] = {
        "local_seconds": round(sum(stages.seconds.values()), 2),
        "local_cpu_seconds": round(sum(stages.cpu_seconds.values()), 2),
        "local_stage_seconds": stages.seconds,
        "local_stage_cpu_seconds": stages.cpu_seconds,
        "local_reuse_groups": len(groups),
        "local_stories": len(found),
    }
    if output.is_output(target):  # the Spark run of the same input finished: compare
        row["equal_reuse"] = [to_dict(g) for g in output.read_groups(target)] == [to_dict(g) for g in groups]
        row["equal_stories"] = [to_dict(s) for s in output.read_stories(target)] == [to_dict(s) for s in found]
    return row


def measure_block_stories(size: int, folder: Path) -> dict[str, Any]:
    """The Spark story task's work (``pipeline.group_stories``, one block) in this process: the serial rate."""
    stages = LocalStages(size)
    articles = generated_articles(folder)
    stages.ended("read")
    groups = pipeline.find_reuse(articles)
    stages.ended("reuse")
    found = pipeline.group_stories(articles, groups)
    stages.ended("block stories")
    cpu = stages.cpu_seconds["block stories"]
    return {
        "block_stories_seconds": stages.seconds["block stories"],
        "block_stories_cpu_seconds": cpu,
        "block_stories_articles_per_cpu_second": round(len(articles) / cpu, 1) if cpu else None,
        "block_stories_reuse_groups": len(groups),
        "block_stories": len(found),
    }


def clean_cpu_ms(folder: Path, sample: int) -> float:
    """CPU milliseconds per article of ``clean.clean_document`` on the first ``sample`` generated articles."""
    path = sorted(folder.glob("part-*.jsonl"))[0]
    documents = [item for item in ingest.read([path]) if isinstance(item, Document)][:sample]
    clean_document(documents[0], frozenset())  # loads the block model
    started = time.process_time()
    for document in documents:
        clean_document(document, frozenset())
    return round(1000 * (time.process_time() - started) / len(documents), 2)


def measure(size: int, args: argparse.Namespace, spark: Any, meter: TreeCpu) -> dict[str, Any]:
    folder, articles, generated = corpus_folder(size, args)
    row: dict[str, Any] = {"size": size, "articles": articles, "generate_seconds": generated}
    if args.clean_sample:
        row["clean_cpu_ms_per_article"] = clean_cpu_ms(folder, args.clean_sample)
    if spark is not None:
        row.update(measure_spark(size, folder, args, spark, meter))
    if args.part == "stories" and size <= args.local_max:
        row.update(measure_block_stories(size, folder))
    if args.part in ("local", "both") and size <= args.local_max:
        row.update(measure_local(size, folder, args.work / f"output-{size}", size > args.clean_max))
    return row


def print_table(rows: list[dict[str, Any]], master: str) -> None:
    print(f"storylens spark ({master}) vs the local pipeline, same generated articles")
    print(
        f"{'articles':>9} {'spark s':>8} {'cpu s':>8} {'local s':>8} {'cpu s':>8} {'local/spark':>11} {'equal':>6}"
        "  spark stages (s) | shuffle MB"
    )
    for row in rows:
        local, spark_seconds = row.get("local_seconds"), row.get("spark_seconds")
        ratio = f"{local / spark_seconds:.2f}x" if local and spark_seconds else "-"
        equal = str(row["equal_reuse"] and row["equal_stories"]) if "equal_reuse" in row else "-"
        stages = " ".join(f"{k}={v:.1f}" for k, v in row.get("spark_stage_seconds", {}).items())
        shuffle = " ".join(f"{k}={v / 1e6:.1f}" for k, v in row.get("shuffle_bytes", {}).items())
        figures = [spark_seconds, row.get("spark_cpu_seconds"), local, row.get("local_cpu_seconds")]
        cells = " ".join(f"{value if value is not None else '-':>8}" for value in figures)
        print(f"{row['articles']:>9} {cells} {ratio:>11} {equal:>6}  {stages} | {shuffle}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=BENCH, help="the shared bench folder (source texts)")
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated article counts")
    parser.add_argument("--local-max", type=int, default=100000, help="run the local pipeline up to this size")
    parser.add_argument("--clean-max", type=int, default=100000, help="above it, bodies are the generated texts")
    parser.add_argument("--clean-sample", type=int, default=200, help="articles to time the clean stage on (0: none)")
    parser.add_argument(
        "--part",
        choices=("both", "spark", "local", "stories"),
        default="both",
        help="stories: only the Spark story task's work, in this process (the serial story rate)",
    )
    parser.add_argument("--until", choices=job.STAGES[1:], default="write", help="stop after this Spark stage")
    parser.add_argument("--work", type=Path, help="keeps inputs and checkpoints to resume (default: a temp folder)")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--partitions", type=int, default=job.SparkSettings.shuffle_partitions)
    parser.add_argument("--workers", type=int, default=2, help="processes generating the articles")
    parser.add_argument("--json", action="store_true", help="the figures as one JSON object on stdout")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        args.work = args.work or Path(temp)
        spark = None
        if args.part in ("both", "spark"):
            settings = job.SparkSettings(master=args.master, shuffle_partitions=args.partitions, driver_memory="6g")
            spark = job.session(settings)
        meter = TreeCpu()
        rows = [measure(int(size), args, spark, meter) for size in args.sizes.split(",")]
        if spark is not None:
            spark.stop()
    if args.json:
        print(json.dumps({"master": args.master, "runs": rows}))
    else:
        print_table(rows, args.master)
    return 0


if __name__ == "__main__":
    sys.exit(main())
