"""The Spark run agrees with the local pipeline (articles, reuse groups, stories) and digest reads it back.

Tests that start Spark are marked slow: ``pytest -m slow tests/test_spark.py`` (needs scripts/setup-spark.sh).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

from storylens import pipeline
from storylens.model import ReuseGroup, to_dict
from storylens.spark import job, output
from storylens.spark.inputs import input_files, unique_ids

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo" / "corpus"
SEEDS = ROOT.parent / "shared" / "corpora" / "seeds"
BENCH = ROOT.parent / "shared" / "bench"
GENERATED_ARTICLES = 120


def _syndicated_corpus(target: Path) -> Path:
    """Syndicated variants with their originals and negatives, from the reuse benchmark's generator."""
    spec = importlib.util.spec_from_file_location("syndicate", ROOT / "benchmarks" / "syndicate.py")
    assert spec is not None and spec.loader is not None
    syndicate = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = syndicate  # dataclasses look their module up there
    spec.loader.exec_module(syndicate)
    items, _ = syndicate.generate(GENERATED_ARTICLES, seed=11, bench=BENCH)
    path = target / "syndicated.jsonl"
    path.write_text("".join(json.dumps(asdict(item)) + "\n" for item in items), encoding="utf-8")
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


@pytest.fixture(scope="module")
def local_run(inputs: list[Path]):
    corpus = pipeline.load_corpus(inputs)
    groups = pipeline.find_reuse(corpus.usable)
    return corpus, groups, pipeline.group_stories(corpus.usable, groups)


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
    assert report.blocks == 1  # undated copies may join any story: one block
    assert [to_dict(s) for s in found] == [to_dict(s) for s in stories]


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
    assert set(job.time_blocks({**days, "f": None}, []).values()) == {0}


def test_inputs_follow_ingest_order_and_ids(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / ".hidden").write_text("x", encoding="utf-8")
    files, skipped = input_files([tmp_path])
    assert [(Path(f.path).name, f.stem) for f in files] == [("a.txt", "a"), ("b.txt", "sub/b")]
    assert skipped == []
    assert unique_ids(["a", "b", "a", "a"]) == {2: "a-2", 3: "a-3"}
