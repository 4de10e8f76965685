"""The heavy stages on Spark: read -> clean -> sketch -> candidates -> verify -> groups -> stories -> Parquet.

Every stage calls the local pipeline's own functions inside Spark tasks (``ingest`` readers,
``clean.clean_document``, ``reuse.sketch.sketch_texts`` and ``band_keys``, ``reuse.pairs.verify``,
``reuse.provenance.build_groups``, ``stories.group_stories``); Spark only moves data between them:

- clean: template lines are found once over the whole corpus (as ``clean.clean`` does), counted per
  line hash with a reduceByKey (``spark.templates``), then each document is cleaned in a task with them;
- candidates: the three candidate sources of ``reuse.candidates`` as joins/groupings on keys (exact
  hash, LSH band key, sampled fingerprint), each bucket paired the way the local code pairs it (members
  in corpus order, each with its next ``MAX_BUCKET_PAIRS_SPAN``), then the same sketch filters;
- groups: connected components of the verified pairs by min-label propagation, then ``build_groups``
  per component;
- stories: time-window blocking. Dated articles more than ``WINDOW_DAYS`` apart can never share a
  story (the stream only scores stories inside the window), so the date line is cut at such gaps;
  blocks joined by a reuse group are merged, and undated articles (which may join any story) make the
  whole corpus one block. Each block runs the local ``pipeline.group_stories`` in a task.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from storylens import graph, pipeline
from storylens.clean import clean_document
from storylens.model import Article, Document, ReuseGroup, ReusePair, Skipped, from_dict, to_dict
from storylens.reuse.candidates import MAX_BUCKET_PAIRS_SPAN, PIECE_JACCARD, band_keys
from storylens.reuse.pairs import precedence, verify
from storylens.reuse.provenance import Candidate, build_groups
from storylens.reuse.sketch import ReuseSettings, sketch_texts
from storylens.spark.inputs import InputFile, input_files, read_input, unique_ids
from storylens.spark.settings import SparkSettings
from storylens.spark.templates import find_template_lines
from storylens.stories.decision import WINDOW_DAYS
from storylens.stories.features import parse_day

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import DataFrame, SparkSession

StageCallback = Callable[[str, float], None]
MAX_LABEL_ROUNDS = 50  # connected components: reuse graphs are shallow (a wire text and its copies)


STAGES = ("read", "clean", "sketch", "candidates", "verify", "groups", "stories", "write")


@dataclass
class SparkReport:
    output: str
    articles: int = 0
    usable: int = 0
    skipped: int = 0
    candidates: int = 0
    reuse_pairs: int = 0
    reuse_groups: int = 0
    blocks: int = 0
    stories: int = 0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    resumed: list[str] = field(default_factory=list)  # stages read back from the checkpoint folder
    checkpoint_seconds: dict[str, float] = field(default_factory=dict)  # writing each stage's checkpoint


def session(settings: SparkSettings) -> SparkSession:
    """A SparkSession for storylens (reuses a running one; the settings apply to a new one)."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    if settings.master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.master(settings.master) if settings.master else SparkSession.builder
    return (
        builder.appName("storylens")
        .config("spark.sql.shuffle.partitions", str(settings.shuffle_partitions))
        .config("spark.default.parallelism", str(settings.shuffle_partitions))
        .config("spark.driver.memory", settings.driver_memory)
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate()
    )


class _Stages:
    """Times each stage (its Spark jobs carry its name as job group, for shuffle figures) and, with a
    checkpoint folder, saves each stage's result there as Parquet or reads it back when already saved."""

    def __init__(
        self, spark: SparkSession, report: SparkReport, checkpoint: str | None, on_stage: StageCallback | None
    ) -> None:
        self.spark, self.report, self.checkpoint, self.on_stage = spark, report, checkpoint, on_stage

    def run(self, name: str, step: Any, *args: Any) -> Any:
        self.spark.sparkContext.setJobGroup(name, f"storylens {name}")
        started = time.perf_counter()
        result = step(*args)
        self.report.stage_seconds[name] = round(time.perf_counter() - started, 3)
        if self.on_stage is not None:
            self.on_stage(name, self.report.stage_seconds[name])
        return result

    def saved(self, name: str) -> DataFrame | None:
        """The stage's result from an earlier run, if the checkpoint folder holds it complete."""
        if self.checkpoint is None or not Path(self.checkpoint, name, "_SUCCESS").exists():
            return None
        self.report.resumed.append(name)
        return self.spark.read.parquet(f"{self.checkpoint}/{name}").persist()

    def frame(self, name: str, step: Any, *args: Any) -> DataFrame:
        """The stage's result: read back from the checkpoint folder, or computed (and saved there)."""
        found = self.saved(name)
        if found is not None:
            return found
        frame = self.run(name, step, *args)
        if self.checkpoint is not None:
            started = time.perf_counter()
            frame.write.mode("overwrite").parquet(f"{self.checkpoint}/{name}")
            self.report.checkpoint_seconds[name] = round(time.perf_counter() - started, 3)
            if self.on_stage is not None:
                self.on_stage(f"{name} checkpoint", self.report.checkpoint_seconds[name])
        return frame


def run(
    paths: Sequence[str | Path],
    output: str | Path,
    settings: SparkSettings | None = None,
    spark: Any = None,
    checkpoint: str | Path | None = None,
    until: str = "write",
    on_stage: StageCallback | None = None,
) -> SparkReport:
    """Run the heavy stages over ``paths`` on Spark and write Parquet (articles, reuse groups, stories).

    With ``checkpoint`` (a folder on a file system the driver sees, shared with the executors) each
    stage's result is saved there and a later run with the same folder resumes after the last saved
    stage; ``until`` stops after the named stage (one of ``STAGES`` after read; only ``write`` writes
    the output); ``on_stage(name, seconds)`` is called as each stage (and each checkpoint write,
    named "<stage> checkpoint") ends.
    """
    if until not in STAGES[1:]:
        raise ValueError(f"until: one of {', '.join(STAGES[1:])}, not {until!r}")
    settings = settings or SparkSettings()
    spark = spark or session(settings)
    report = SparkReport(str(output))
    stages = _Stages(spark, report, None if checkpoint is None else str(checkpoint), on_stage)
    frames: dict[str, DataFrame] = {}
    skipped = stages.saved("skipped")
    articles = stages.saved("clean")
    if articles is None or skipped is None:
        documents, skipped_inputs = stages.run("read", _read, spark, paths, settings)
        skipped = stages.frame("skipped", _skipped_frame, spark, skipped_inputs)
        articles = stages.frame("clean", _clean, spark, documents)
        documents.unpersist()
    frames["clean"] = articles
    steps = {
        "sketch": lambda: _sketch(spark, articles, settings.reuse),
        "candidates": lambda: _candidates(frames["sketch"], settings.reuse),
        "verify": lambda: _verify(spark, frames["candidates"], articles, frames["sketch"], settings.reuse),
        "groups": lambda: _groups(spark, frames["verify"], articles, frames["sketch"]),
        "stories": lambda: _stories(spark, articles, frames["groups"], settings.time_blocks),
    }
    for name, step in steps.items():
        if STAGES.index(name) > STAGES.index(until):
            break
        frames[name] = stages.frame(name, step)
    if until == "write":
        stages.run("write", _write, Path(output), articles, frames["groups"], frames["stories"], skipped)
    _count(report, frames, skipped)
    for frame in frames.values():
        frame.unpersist()
    return report


def _count(report: SparkReport, frames: dict[str, DataFrame], skipped: DataFrame) -> None:
    articles = frames["clean"]
    report.articles, report.skipped = articles.count(), skipped.count()
    report.usable = articles.where("status = 'ok'").count()
    if "candidates" in frames:
        report.candidates = frames["candidates"].count()
    if "verify" in frames:
        report.reuse_pairs = frames["verify"].count()
    if "groups" in frames:
        report.reuse_groups = frames["groups"].count()
    if "stories" in frames:
        report.stories = frames["stories"].count()
        report.blocks = frames["stories"].select("block").distinct().count()


# --- read -------------------------------------------------------------------------------------------


def _read_files(numbered: Iterable[tuple[int, InputFile]], max_bytes: int) -> Iterator[tuple[tuple[int, int], Any]]:
    for file_number, item in numbered:
        for position, found in enumerate(read_input(item, max_bytes)):
            yield (file_number, position), found


def _read(spark: SparkSession, paths: Sequence[str | Path], settings: SparkSettings) -> tuple[RDD, list[Skipped]]:
    """(index, Document) in reading order with the ingest's unique ids, and the skipped inputs."""
    sc = spark.sparkContext
    files, skipped = input_files(paths)
    max_bytes = settings.max_bytes
    numbered = list(enumerate(files))
    items = sc.parallelize(numbered, max(1, min(len(numbered), 2 * sc.defaultParallelism))).mapPartitions(
        lambda part: _read_files(part, max_bytes)
    )
    items.persist()
    skipped += [item for _, item in sorted(items.filter(lambda kv: isinstance(kv[1], Skipped)).collect())]
    # Files are numbered in reading order and each partition reads its files in turn: the RDD is in reading order.
    ordered = items.filter(lambda kv: isinstance(kv[1], Document)).values().zipWithIndex().map(_swap)
    renamed = sc.broadcast(unique_ids([doc_id for _, doc_id in sorted(ordered.mapValues(_id_of).collect())]))
    documents = ordered.map(lambda pair: (pair[0], _renamed(pair[1], renamed.value.get(pair[0])))).persist()
    documents.count()
    items.unpersist()
    return documents, skipped


def _swap(pair: tuple[Any, int]) -> tuple[int, Any]:
    return pair[1], pair[0]


def _id_of(document: Document) -> str:
    return document.id


def _renamed(document: Document, new_id: str | None) -> Document:
    if new_id is not None:
        document.id = new_id
    return document


# --- clean ------------------------------------------------------------------------------------------


def _clean(spark: SparkSession, documents: RDD) -> DataFrame:
    """Articles as rows: idx, id, status, published, outlet, body, article (the full Article as JSON)."""
    template = spark.sparkContext.broadcast(find_template_lines(spark.sparkContext, documents))
    rows = documents.map(lambda pair: article_row(pair[0], clean_document(pair[1], template.value)))
    frame = spark.createDataFrame(rows, ARTICLE_SCHEMA).persist()
    frame.count()
    return frame


ARTICLE_SCHEMA = (
    "idx long, id string, status string, published string, outlet string, title string, body string, article string"
)


def article_row(index: int, article: Article) -> tuple[Any, ...]:
    meta = article.meta
    document = json.dumps(to_dict(article), ensure_ascii=False)
    return index, article.id, article.status, meta.published, meta.outlet, meta.title, article.body, document


def article_from_row(document: str) -> Article:
    return from_dict(Article, json.loads(document))


# --- sketch -----------------------------------------------------------------------------------------

_SKETCH_SCHEMA = "idx long, exact long, words long, minhash array<long>, bands array<long>, fingerprints array<long>"


def _sketch_partition(rows: Iterable[Any], settings: ReuseSettings) -> Iterator[tuple[Any, ...]]:
    rows = list(rows)
    if not rows:
        return
    sketches = sketch_texts([row.body for row in rows], settings)
    keys = band_keys(sketches.minhash, settings).view(np.int64)
    exact = sketches.exact.view(np.int64)
    for i, row in enumerate(rows):
        fingerprints = sketches.fingerprints_of(i).view(np.int64).tolist()
        minhash = sketches.minhash[i].astype(np.int64).tolist()
        yield row.idx, int(exact[i]), int(sketches.word_counts[i]), minhash, keys[i].tolist(), fingerprints


def _sketch(spark: SparkSession, articles: DataFrame, settings: ReuseSettings) -> DataFrame:
    usable = articles.where("status = 'ok'").select("idx", "body")
    rows = usable.rdd.mapPartitions(lambda part: _sketch_partition(part, settings))
    frame = spark.createDataFrame(rows, _SKETCH_SCHEMA).persist()
    frame.count()
    return frame


# --- candidates -------------------------------------------------------------------------------------


def _bucket_pairs(keyed: DataFrame, keys: Sequence[str], span: int | None = MAX_BUCKET_PAIRS_SPAN) -> DataFrame:
    """(a, b) for members sharing a key: sorted by corpus index, each paired with its next ``span``
    (None: all the others), as ``reuse.candidates`` pairs a bucket."""
    from pyspark.sql import functions as F

    buckets = keyed.groupBy(*keys).agg(F.sort_array(F.collect_list("idx")).alias("m")).where(F.size("m") >= 2)
    starts = buckets.select("m", F.explode(F.sequence(F.lit(0), F.size("m") - 2)).alias("i"))
    last = F.size("m") - 1 if span is None else F.least(F.col("i") + span, F.size("m") - 1)
    ends = starts.select("m", "i", F.explode(F.sequence(F.col("i") + 1, last)).alias("j"))
    return ends.select(F.element_at("m", F.col("i") + 1).alias("a"), F.element_at("m", F.col("j") + 1).alias("b"))


def _exact_pairs(sketches: DataFrame) -> DataFrame:
    return _bucket_pairs(sketches.where("words > 0").select("idx", "exact"), ["exact"]).distinct()


def _passing(pairs: DataFrame, signatures: DataFrame, min_jaccard: float) -> DataFrame:
    """The pairs whose MinHash estimate of Jaccard reaches ``min_jaccard``."""
    from pyspark.sql import functions as F

    joined = pairs.join(signatures.toDF("a", "ma"), "a").join(signatures.toDF("b", "mb"), "b")
    equal = F.aggregate(
        F.zip_with("ma", "mb", lambda x, y: (x == y).cast("long")), F.lit(0).cast("long"), lambda s, v: s + v
    )
    return joined.where(equal / F.size("ma") >= min_jaccard).select("a", "b")


def _lsh_pairs(sketches: DataFrame, settings: ReuseSettings) -> DataFrame:
    """``reuse.candidates.lsh_pairs``: passing pairs that share a band key or lie in one piece (texts
    chained by bucket neighbours with an estimate of at least ``PIECE_JACCARD``)."""
    from pyspark.sql import functions as F

    eligible = sketches.where(F.col("words") >= settings.min_words)
    banded = eligible.select("idx", F.posexplode("bands").alias("band", "key"))
    signatures = eligible.select("idx", "minhash")
    neighbours = _bucket_pairs(banded, ["band", "key"], span=1).distinct()
    links = _passing(neighbours, signatures, max(settings.min_jaccard, PIECE_JACCARD))
    pieces = components(links).withColumnRenamed("id", "idx")
    in_pieces = _bucket_pairs(pieces, ["component"], span=None)
    shared_key = _bucket_pairs(banded, ["band", "key"], span=None)
    return _passing(shared_key.union(in_pieces).distinct(), signatures, settings.min_jaccard)


def _fingerprint_pairs(sketches: DataFrame, settings: ReuseSettings) -> DataFrame:
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    eligible = sketches.where(F.col("words") >= settings.min_words)
    postings = eligible.select("idx", F.explode("fingerprints").alias("fp"))
    frequency = F.count("idx").over(Window.partitionBy("fp"))
    common = postings.withColumn("n", frequency).where((F.col("n") >= 2) & (F.col("n") <= settings.max_posting))
    shared = _bucket_pairs(common.select("idx", "fp"), ["fp"]).groupBy("a", "b").count()
    counts = sketches.select("idx", F.size("fingerprints").alias("n"))
    joined = shared.join(counts.toDF("a", "na"), "a").join(counts.toDF("b", "nb"), "b")
    enough = (F.col("count") >= settings.min_shared_fingerprints) & (
        F.col("count") >= settings.min_fingerprint_containment * F.least("na", "nb")
    )
    return joined.where(enough).select("a", "b")


def _candidates(sketches: DataFrame, settings: ReuseSettings) -> DataFrame:
    """Unique (a, b) index pairs, a < b: exact, near (LSH) and partial (fingerprint) candidates."""
    parts = _exact_pairs(sketches).union(_lsh_pairs(sketches, settings)).union(_fingerprint_pairs(sketches, settings))
    frame = parts.distinct().persist()
    frame.count()
    return frame


# --- verify -----------------------------------------------------------------------------------------

_PAIR_SCHEMA = "a string, b string, pair string"


def _verify_row(row: Any, settings: ReuseSettings) -> tuple[str, str, str] | None:
    first = (Candidate(row.a_id, row.a_published, row.a_words), row.a_body, row.a_exact)
    second = (Candidate(row.b_id, row.b_published, row.b_words), row.b_body, row.b_exact)
    if precedence(second[0]) < precedence(first[0]):
        first, second = second, first
    pair = verify(first[0].id, first[1], second[0].id, second[1], first[2] == second[2], settings)
    if pair is None:
        return None
    return pair.a, pair.b, json.dumps(to_dict(pair), ensure_ascii=False)


def _verify(
    spark: SparkSession, candidates: DataFrame, articles: DataFrame, sketches: DataFrame, settings: ReuseSettings
) -> DataFrame:
    """Align each candidate pair with ``reuse.pairs.verify``; the side published first is ``a``."""
    sides = articles.join(sketches, "idx").select("idx", "id", "published", "body", "words", "exact")

    def side(name: str) -> DataFrame:
        return sides.toDF(name, *(f"{name}_{column}" for column in ("id", "published", "body", "words", "exact")))

    joined = candidates.join(side("a"), "a").join(side("b"), "b")
    rows = joined.rdd.map(lambda row: _verify_row(row, settings)).filter(lambda row: row is not None)
    frame = spark.createDataFrame(rows, _PAIR_SCHEMA).persist()
    frame.count()
    return frame


# --- groups -----------------------------------------------------------------------------------------

_GROUP_SCHEMA = "id string, original string, members array<string>, group string"


def components(edges: DataFrame) -> DataFrame:
    """(id, component) for every node of the (a, b) edges; component = the smallest id connected to it."""
    from pyspark.sql import functions as F

    both = edges.select(F.col("a").alias("src"), F.col("b").alias("dst")).union(edges.select("b", "a"))
    labels = both.select(F.col("src").alias("id")).distinct().withColumn("component", F.col("id")).localCheckpoint()
    for _ in range(MAX_LABEL_ROUNDS):
        offered = both.join(labels, both.src == labels.id).select(F.col("dst").alias("id"), "component")
        updated = offered.union(labels).groupBy("id").agg(F.min("component").alias("component")).localCheckpoint()
        changed = updated.join(labels.withColumnRenamed("component", "old"), "id").where("component != old").count()
        labels = updated
        if changed == 0:
            break
    return labels


def _build_component(rows: Iterable[Any]) -> list[tuple[str, str, list[str], str]]:
    infos: dict[str, Candidate] = {}
    pairs: list[ReusePair] = []
    for kind, value in rows:
        if kind == "info":
            infos[value[0]] = Candidate(*value)
        else:
            pairs.append(from_dict(ReusePair, json.loads(value)))
    return [
        (group.id, group.original, group.members, json.dumps(to_dict(group), ensure_ascii=False))
        for group in build_groups(infos, pairs)
    ]


def _groups(spark: SparkSession, pairs: DataFrame, articles: DataFrame, sketches: DataFrame) -> DataFrame:
    """Reuse groups: connected components of the verified pairs, each built by ``build_groups``."""
    labels = components(pairs.select("a", "b"))
    info = articles.join(sketches, "idx").select("id", "published", "words").join(labels, "id")
    tagged_info = info.rdd.map(lambda r: (r.component, ("info", (r.id, r.published, r.words))))
    tagged_pairs = pairs.join(labels.withColumnRenamed("id", "a"), "a").rdd.map(
        lambda r: (r.component, ("pair", r.pair))
    )
    rows = tagged_info.union(tagged_pairs).groupByKey().flatMap(lambda kv: _build_component(kv[1]))
    frame = spark.createDataFrame(rows, _GROUP_SCHEMA).persist()
    frame.count()
    return frame


# --- stories ----------------------------------------------------------------------------------------

_STORY_SCHEMA = "block int, position int, id string, label string, members array<string>, story string"


def time_blocks(days: dict[str, float | None], groups: Iterable[Sequence[str]]) -> dict[str, int]:
    """Block number per article: dated articles cut at gaps over ``WINDOW_DAYS``, blocks sharing a reuse
    group merged. An undated article in a reuse group with a dated member goes with that group (the
    story stream puts it in its group's story); any other undated article may join any story, so then
    the whole corpus is block 0."""
    groups = [list(members) for members in groups]
    grouped = {member for members in groups if any(days.get(m) is not None for m in members) for member in members}
    if any(day is None and article_id not in grouped for article_id, day in days.items()):
        return dict.fromkeys(days, 0)
    ordered = sorted(day for day in days.values() if day is not None)
    starts = [
        day
        for previous, day in zip([None, *ordered], ordered, strict=False)
        if previous is None or day - previous > WINDOW_DAYS
    ]
    block = {article_id: bisect_right(starts, day) - 1 for article_id, day in days.items() if day is not None}
    dated_members = [[member for member in members if member in block] for members in groups]
    edges = [(block[a], block[b]) for dated in dated_members for a, b in itertools.pairwise(dated)]
    merged = {number: group[0] for group in graph.components(range(len(starts)), edges) for number in group}
    group_block: dict[str, int] = {}
    for members, dated in zip(groups, dated_members, strict=True):
        if dated:
            group_block.update(dict.fromkeys(members, merged[block[dated[0]]]))
    return {
        article_id: merged[block[article_id]] if article_id in block else group_block[article_id] for article_id in days
    }


def _block_stories(block: int, rows: Iterable[Any]) -> list[tuple[Any, ...]]:
    articles: list[tuple[int, Article]] = []
    groups: list[ReuseGroup] = []
    for kind, value in rows:
        if kind == "article":
            articles.append((value[0], article_from_row(value[1])))
        else:
            groups.append(from_dict(ReuseGroup, json.loads(value)))
    ordered = [article for _, article in sorted(articles, key=lambda item: item[0])]
    found = pipeline.group_stories(ordered, sorted(groups, key=lambda group: group.id))
    return [
        (block, position, story.id, story.label, story.article_ids, json.dumps(to_dict(story), ensure_ascii=False))
        for position, story in enumerate(found)
    ]


def _stories(spark: SparkSession, articles: DataFrame, groups: DataFrame, by_period: bool) -> DataFrame:
    """Stories per time block (one block unless ``by_period``), each grouped by ``pipeline.group_stories`` in a task."""
    usable = articles.where("status = 'ok'")
    days = {row.id: parse_day(row.published) for row in usable.select("id", "published").toLocalIterator()}
    if by_period:
        block_of = time_blocks(days, (row.members for row in groups.select("members").toLocalIterator()))
    else:
        block_of = dict.fromkeys(days, 0)
    blocks = spark.sparkContext.broadcast(block_of)
    tagged_articles = usable.select("idx", "id", "article").rdd.map(
        lambda r: (blocks.value[r.id], ("article", (r.idx, r.article)))
    )
    tagged_groups = groups.select("members", "group").rdd.map(
        lambda r: (blocks.value[r.members[0]], ("group", r.group))
    )
    rows = tagged_articles.union(tagged_groups).groupByKey().flatMap(lambda kv: _block_stories(kv[0], kv[1]))
    frame = spark.createDataFrame(rows, _STORY_SCHEMA).persist()
    frame.count()
    return frame


# --- write ------------------------------------------------------------------------------------------


def _skipped_frame(spark: SparkSession, skipped: list[Skipped]) -> DataFrame:
    rows = [(position, item.origin, item.reason, item.detail) for position, item in enumerate(skipped)]
    return spark.createDataFrame(rows, "position int, origin string, reason string, detail string").coalesce(1)


def _write(output: Path, articles: DataFrame, groups: DataFrame, found: DataFrame, skipped: DataFrame) -> None:
    target = str(output)
    articles.drop("body").orderBy("idx").write.mode("overwrite").parquet(f"{target}/articles")
    groups.orderBy("id").write.mode("overwrite").parquet(f"{target}/reuse_groups")
    found.orderBy("block", "position").write.mode("overwrite").parquet(f"{target}/stories")
    skipped.orderBy("position").coalesce(1).write.mode("overwrite").parquet(f"{target}/skipped")
