"""The heavy stages on Spark: read -> clean -> sketch -> candidates -> verify -> groups -> stories -> Parquet.

Every stage calls the local pipeline's own functions inside Spark tasks (``ingest`` readers,
``clean.clean_document``, ``reuse.sketch.sketch_texts`` and ``band_keys``, ``reuse.pairs.verify``,
``reuse.provenance.build_groups``, ``pipeline.group_stories``); Spark only moves data between them:

- clean: template lines are found once over the whole corpus (as ``clean.clean`` does) from the plain
  text documents, then each document is cleaned in a task with them;
- candidates: the three candidate sources of ``reuse.candidates`` as joins/groupings on keys (exact
  hash, LSH band key, sampled fingerprint), each bucket paired the way the local code pairs it (members
  in corpus order, each with its next ``MAX_BUCKET_PAIRS_SPAN``), then the same sketch filters;
- groups: connected components of the verified pairs by min-label propagation, then ``build_groups``
  per component;
- stories: time-window blocking. Dated articles more than ``WINDOW_DAYS`` apart can never share a
  story (the stream only scores stories inside the window), so the date line is cut at such gaps;
  blocks joined by a reuse group are merged, and undated articles (which may join any story) make the
  whole corpus one block. Each block runs the local ``group_stories`` in a task.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from storylens import graph, pipeline
from storylens.clean import clean_document, find_template_lines
from storylens.ingest import DEFAULT_MAX_BYTES
from storylens.model import Article, Document, ReuseGroup, ReusePair, Skipped, from_dict, to_dict
from storylens.reuse.candidates import MAX_BUCKET_PAIRS_SPAN, band_keys
from storylens.reuse.pairs import precedence, verify
from storylens.reuse.provenance import Candidate, build_groups
from storylens.reuse.sketch import ReuseSettings, sketch_texts
from storylens.spark.inputs import InputFile, input_files, read_input, unique_ids
from storylens.stories.decision import WINDOW_DAYS
from storylens.stories.features import parse_day

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import DataFrame, SparkSession

MAX_LABEL_ROUNDS = 50  # connected components: reuse graphs are shallow (a wire text and its copies)


@dataclass(frozen=True)
class SparkSettings:
    master: str = "local[2]"  # "" leaves it to spark-submit
    shuffle_partitions: int = 4
    driver_memory: str = "4g"
    max_bytes: int = DEFAULT_MAX_BYTES
    reuse: ReuseSettings = field(default_factory=ReuseSettings)


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
    """Times each stage; the stage's Spark jobs carry its name as job group (for shuffle figures)."""

    def __init__(self, spark: SparkSession, report: SparkReport) -> None:
        self.spark, self.report = spark, report

    def run(self, name: str, step: Any, *args: Any) -> Any:
        self.spark.sparkContext.setJobGroup(name, f"storylens {name}")
        started = time.perf_counter()
        result = step(*args)
        self.report.stage_seconds[name] = round(time.perf_counter() - started, 3)
        return result


def run(
    paths: Sequence[str | Path], output: str | Path, settings: SparkSettings | None = None, spark: Any = None
) -> SparkReport:
    """Run the heavy stages over ``paths`` on Spark and write Parquet (articles, reuse groups, stories)."""
    settings = settings or SparkSettings()
    spark = spark or session(settings)
    report = SparkReport(str(output))
    stages = _Stages(spark, report)
    documents, skipped = stages.run("read", _read, spark, paths, settings)
    articles = stages.run("clean", _clean, spark, documents)
    sketches = stages.run("sketch", _sketch, spark, articles, settings.reuse)
    candidates = stages.run("candidates", _candidates, sketches, settings.reuse)
    pairs = stages.run("verify", _verify, spark, candidates, articles, sketches, settings.reuse)
    groups = stages.run("groups", _groups, spark, pairs, articles, sketches)
    found = stages.run("stories", _stories, spark, articles, groups)
    stages.run("write", _write, spark, Path(output), articles, groups, found, skipped)
    report.articles, report.skipped = articles.count(), len(skipped)
    report.usable = articles.where("status = 'ok'").count()
    report.candidates, report.reuse_pairs = candidates.count(), pairs.count()
    report.reuse_groups, report.stories = groups.count(), found.count()
    report.blocks = found.select("block").distinct().count()
    for frame in (documents, articles, sketches, candidates, pairs, groups, found):
        frame.unpersist()
    return report


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


def _template_view(document: Document) -> Document:
    """What template detection reads of a document: HTML pages only count, so their content stays behind."""
    if document.kind == "text":
        return document
    return Document(document.id, document.origin, document.kind, "", document.hints)


def _clean(spark: SparkSession, documents: RDD) -> DataFrame:
    """Articles as rows: idx, id, status, published, outlet, body, article (the full Article as JSON)."""
    views = [view for _, view in sorted(documents.mapValues(_template_view).collect(), key=lambda kv: kv[0])]
    template = spark.sparkContext.broadcast(find_template_lines(views))
    rows = documents.map(lambda pair: _article_row(pair[0], clean_document(pair[1], template.value)))
    frame = spark.createDataFrame(rows, _ARTICLE_SCHEMA).persist()
    frame.count()
    return frame


_ARTICLE_SCHEMA = (
    "idx long, id string, status string, published string, outlet string, title string, body string, article string"
)


def _article_row(index: int, article: Article) -> tuple[Any, ...]:
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


def _bucket_pairs(keyed: DataFrame, keys: Sequence[str]) -> DataFrame:
    """(a, b) for members sharing a key: sorted by corpus index, each paired with its next 64 (as locally)."""
    from pyspark.sql import functions as F

    buckets = keyed.groupBy(*keys).agg(F.sort_array(F.collect_list("idx")).alias("m")).where(F.size("m") >= 2)
    starts = buckets.select("m", F.explode(F.sequence(F.lit(0), F.size("m") - 2)).alias("i"))
    last = F.least(F.col("i") + MAX_BUCKET_PAIRS_SPAN, F.size("m") - 1)
    ends = starts.select("m", "i", F.explode(F.sequence(F.col("i") + 1, last)).alias("j"))
    return ends.select(F.element_at("m", F.col("i") + 1).alias("a"), F.element_at("m", F.col("j") + 1).alias("b"))


def _exact_pairs(sketches: DataFrame) -> DataFrame:
    return _bucket_pairs(sketches.where("words > 0").select("idx", "exact"), ["exact"]).distinct()


def _lsh_pairs(sketches: DataFrame, settings: ReuseSettings) -> DataFrame:
    from pyspark.sql import functions as F

    eligible = sketches.where(F.col("words") >= settings.min_words)
    banded = eligible.select("idx", F.posexplode("bands").alias("band", "key"))
    pairs = _bucket_pairs(banded, ["band", "key"]).distinct()
    signatures = eligible.select("idx", "minhash")
    joined = pairs.join(signatures.toDF("a", "ma"), "a").join(signatures.toDF("b", "mb"), "b")
    equal = F.aggregate(
        F.zip_with("ma", "mb", lambda x, y: (x == y).cast("long")), F.lit(0).cast("long"), lambda s, v: s + v
    )
    return joined.where(equal / F.size("ma") >= settings.min_jaccard).select("a", "b")


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
    group merged; all in block 0 when any article is undated."""
    if any(day is None for day in days.values()):
        return dict.fromkeys(days, 0)
    ordered = sorted(day for day in days.values() if day is not None)
    starts = [
        day
        for previous, day in zip([None, *ordered], ordered, strict=False)
        if previous is None or day - previous > WINDOW_DAYS
    ]
    block = {article_id: bisect_right(starts, day) - 1 for article_id, day in days.items() if day is not None}
    edges = [
        (block[first], block[second])
        for members in groups
        for first, second in itertools.pairwise(members)
        if first in block and second in block
    ]
    merged = {number: group[0] for group in graph.components(range(len(starts)), edges) for number in group}
    return {article_id: merged[number] for article_id, number in block.items()}


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


def _stories(spark: SparkSession, articles: DataFrame, groups: DataFrame) -> DataFrame:
    """Stories per time block, each block grouped by the local ``group_stories`` in one task."""
    usable = articles.where("status = 'ok'")
    days = {row.id: parse_day(row.published) for row in usable.select("id", "published").toLocalIterator()}
    blocks = spark.sparkContext.broadcast(
        time_blocks(days, (row.members for row in groups.select("members").toLocalIterator()))
    )
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


def _write(
    spark: SparkSession,
    output: Path,
    articles: DataFrame,
    groups: DataFrame,
    found: DataFrame,
    skipped: list[Skipped],
) -> None:
    target = str(output)
    articles.drop("body").orderBy("idx").write.mode("overwrite").parquet(f"{target}/articles")
    groups.orderBy("id").write.mode("overwrite").parquet(f"{target}/reuse_groups")
    found.orderBy("block", "position").write.mode("overwrite").parquet(f"{target}/stories")
    rows = [(item.origin, item.reason, item.detail) for item in skipped]
    spark.createDataFrame(rows, "origin string, reason string, detail string").coalesce(1).write.mode(
        "overwrite"
    ).parquet(f"{target}/skipped")
