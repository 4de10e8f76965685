"""The Spark run agrees with the local pipeline (articles, reuse groups, stories) and digest reads it back.

Tests that start Spark are marked slow: ``pytest -m slow tests/test_spark.py`` (needs scripts/setup-spark.sh).
"""

from __future__ import annotations

import copy
import importlib.util
import json
import shutil
import sys
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from storylens import ingest, pipeline
from storylens.clean import find_template_lines
from storylens.model import Document, ReuseGroup, to_dict
from storylens.spark import job, output, templates
from storylens.spark.inputs import input_files, unique_ids
from storylens.stories.features import parse_day

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo" / "corpus"
SEEDS = ROOT.parent / "shared" / "corpora" / "seeds"
BENCH = ROOT.parent / "shared" / "bench"
GENERATED_ARTICLES = 120
BLOCK_ARTICLES = 80
LATER = timedelta(days=200)  # far beyond the stories' time window: a block of its own


def _generate(count: int) -> list:
    """Syndicated variants with their originals and negatives, from the reuse benchmark's generator."""
    spec = importlib.util.spec_from_file_location("syndicate", ROOT / "benchmarks" / "syndicate.py")
    assert spec is not None and spec.loader is not None
    syndicate = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = syndicate  # dataclasses look their module up there
    spec.loader.exec_module(syndicate)
    items, _ = syndicate.generate(count, seed=11, bench=BENCH)
    return items


def _syndicated_corpus(target: Path) -> Path:
    path = target / "syndicated.jsonl"
    path.write_text("".join(json.dumps(asdict(item)) + "\n" for item in _generate(GENERATED_ARTICLES)), "utf-8")
    return path


def _dated_in_two_periods(target: Path) -> Path:
    """Generated articles, every other family (a base and its copies) moved 200 days later."""
    lines = []
    for item in _generate(BLOCK_ARTICLES):
        if item.published and sum(map(ord, item.family)) % 2:
            item.published = (datetime.fromisoformat(item.published) + LATER).isoformat()
        lines.append(json.dumps({"id": item.id, "text": item.text, "published": item.published}) + "\n")
    path = target / "two-periods.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    if not SEEDS.is_dir() or not BENCH.is_dir():
        pytest.skip("seed folder or bench data not found next to the project")
    return [DEMO, SEEDS, _syndicated_corpus(tmp_path_factory.mktemp("spark-input"))]


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime: run scripts/setup-spark.sh")
    session = job.session(job.SparkSettings(master="local[2]", shuffle_partitions=2, driver_memory="1g"))
    yield session
    session.stop()


@pytest.fixture(scope="module")
def spark_run(spark, inputs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, job.SparkReport]:
    target = tmp_path_factory.mktemp("spark-output") / "run"
    report = job.run(inputs, target, job.SparkSettings(shuffle_partitions=2), spark)
    return target, report


def _local(paths: list[Path]):
    corpus = pipeline.load_corpus(paths)
    groups = pipeline.find_reuse(corpus.usable)
    return corpus, groups, pipeline.group_stories(copy.deepcopy(corpus.usable), groups)


@pytest.fixture(scope="module")
def local_run(inputs: list[Path]):
    return _local(inputs)


@pytest.fixture(scope="module")
def blocked_inputs(inputs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """demo/corpus (March 2025) and generated articles of Dec 2016 and mid-2017: three time blocks."""
    return [DEMO, _dated_in_two_periods(tmp_path_factory.mktemp("spark-blocks"))]


@pytest.fixture(scope="module")
def blocked_runs(spark, blocked_inputs: list[Path], tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("spark-blocks-output")
    settings = job.SparkSettings(shuffle_partitions=2, time_blocks=True)
    report = job.run(blocked_inputs, folder / "run", settings, spark, checkpoint=folder / "stages")
    return folder / "run", report, _local(blocked_inputs)


@pytest.mark.slow
def test_articles_equal_local_cleaning(spark_run, local_run) -> None:
    target, report = spark_run
    corpus, _, _ = local_run
    articles, skipped, _ = output.read(target)
    assert [to_dict(a) for a in articles] == [to_dict(a) for a in corpus.articles]
    assert [asdict(s) for s in skipped] == [asdict(s) for s in corpus.skipped]
    assert report.usable == len(corpus.usable) > GENERATED_ARTICLES


@pytest.mark.slow
def test_reuse_groups_equal_local_run(spark_run, local_run) -> None:
    target, _ = spark_run
    _, groups, _ = local_run
    found = output.read_groups(target)
    assert len(groups) >= 20  # the generated copies and seeds 003/004 form groups
    assert [to_dict(g) for g in found] == [to_dict(g) for g in groups]


@pytest.mark.slow
def test_stories_equal_local_run(spark_run, local_run) -> None:
    target, report = spark_run
    _, _, stories = local_run
    found = output.read_stories(target)
    assert report.blocks == 1  # seeds 000 and 001 are undated and copy no dated article: one block
    assert [to_dict(s) for s in found] == [to_dict(s) for s in stories]


@pytest.mark.slow
def test_stories_per_time_block_equal_local_runs_per_block(blocked_runs) -> None:
    target, report, (corpus, groups, _) = blocked_runs
    assert [to_dict(g) for g in output.read_groups(target)] == [to_dict(g) for g in groups]
    days = {article.id: parse_day(article.meta.published) for article in corpus.usable}
    blocks = job.time_blocks(days, [group.members for group in groups])
    assert report.blocks == len(set(blocks.values())) == 3
    expected = []
    for number in sorted(set(blocks.values())):
        articles = [copy.deepcopy(a) for a in corpus.usable if blocks[a.id] == number]
        expected += pipeline.group_stories(articles, [g for g in groups if blocks[g.members[0]] == number])
    assert [to_dict(s) for s in output.read_stories(target)] == [to_dict(s) for s in expected]


@pytest.mark.slow
def test_one_local_run_never_puts_two_time_blocks_in_a_story(blocked_runs) -> None:
    """Blocks are independent in the local run too (the time window); only document frequencies differ."""
    _, _, (corpus, groups, stories) = blocked_runs
    days = {article.id: parse_day(article.meta.published) for article in corpus.usable}
    blocks = job.time_blocks(days, [group.members for group in groups])
    assert len(set(blocks.values())) == 3
    assert all(len({blocks[member] for member in story.article_ids}) == 1 for story in stories)


@pytest.mark.slow
def test_one_story_block_equals_one_local_run(spark, blocked_runs, tmp_path: Path) -> None:
    """``time_blocks=False``: the stories of a corpus over several periods equal one local run exactly."""
    target, _, (_, _, stories) = blocked_runs
    stages = tmp_path / "stages"
    shutil.copytree(target.parent / "stages", stages, ignore=lambda folder, names: ["stories"])
    settings = job.SparkSettings(shuffle_partitions=2, time_blocks=False)
    report = job.run([], tmp_path / "run", settings, spark, checkpoint=stages)
    assert "groups" in report.resumed and report.blocks == 1
    assert [to_dict(s) for s in output.read_stories(tmp_path / "run")] == [to_dict(s) for s in stories]


@pytest.mark.slow
def test_template_lines_equal_local(spark, inputs: list[Path]) -> None:
    documents = [item for item in ingest.read(inputs) if isinstance(item, Document)]
    indexed = spark.sparkContext.parallelize(list(enumerate(documents)), 3)
    found = templates.find_template_lines(spark.sparkContext, indexed)
    assert found  # the generated copies carry repeated clutter lines
    assert found == find_template_lines(documents)


@pytest.mark.slow
def test_digest_reads_spark_output(spark_run, local_run) -> None:
    target, _ = spark_run
    corpus, _, stories = local_run
    loaded = pipeline.load_corpus([target])
    assert [a.id for a in loaded.usable] == [a.id for a in corpus.usable]
    assert [s.id for s in loaded.previous_stories] == [s.id for s in stories]


@pytest.mark.slow
def test_components_join_chains(spark) -> None:
    edges = spark.createDataFrame([("b", "c"), ("a", "b"), ("x", "y"), ("d", "c")], "a string, b string")
    labels = {row.id: row.component for row in job.components(edges).collect()}
    assert labels == {"a": "a", "b": "a", "c": "a", "d": "a", "x": "x", "y": "x"}


def test_time_blocks_cut_at_gaps_and_join_by_reuse() -> None:
    days = {"a": 100.0, "b": 150.0, "c": 300.0, "d": 310.0, "e": 600.0}
    assert job.time_blocks(days, []) == {"a": 0, "b": 0, "c": 1, "d": 1, "e": 2}
    assert job.time_blocks(days, [ReuseGroup("reuse-a", ["a", "e"], "a").members]) == {
        "a": 0,
        "b": 0,
        "c": 1,
        "d": 1,
        "e": 0,
    }
    assert set(job.time_blocks({**days, "f": None}, []).values()) == {0}  # f may join any story
    with_copy = job.time_blocks({**days, "f": None}, [["e", "f"]])  # f is a copy of e: e's story
    assert with_copy == {"a": 0, "b": 0, "c": 1, "d": 1, "e": 2, "f": 2}


def test_inputs_follow_ingest_order_and_ids(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / ".hidden").write_text("x", encoding="utf-8")
    files, skipped = input_files([tmp_path])
    assert [(Path(f.path).name, f.stem) for f in files] == [("a.txt", "a"), ("b.txt", "sub/b")]
    assert skipped == []
    assert unique_ids(["a", "b", "a", "a"]) == {2: "a-2", 3: "a-3"}
