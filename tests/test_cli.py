"""The `storylens` command end to end: the seed folder, every stage subcommand, bad input, exit codes."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from storylens.cli import main
from storylens.schema import load_schema


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_digest_on_seeds_writes_all_outputs(tmp_path: Path, seeds_dir: Path, capsys) -> None:
    out = tmp_path / "out"
    code, stdout, _ = run(capsys, "digest", seeds_dir, "-o", out)
    assert code == 0
    document = json.loads((out / "stories.json").read_text())
    jsonschema.validate(document, load_schema())
    assert len(document["stories"]) == 1
    story = document["stories"][0]
    assert len(story["members"]) == 5
    digest = document["digests"][0]
    assert len(digest["outlets"]) == 5
    groups = [sorted(m[:3] for m in group["members"]) for group in document["reuse"]]
    assert groups == [["003", "004"]]
    assert story["independent_sources"] == 4
    html = (out / f"story-{story['id']}.html").read_text()
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    assert "<script" not in html
    assert (out / f"story-{story['id']}.md").read_text().startswith("# ")
    assert (out / "index.html").exists() and (out / "skipped.jsonl").read_text() == ""
    assert "1 stories" in stdout or "1 story" in stdout


def test_stage_subcommands_print_json_lines(seeds_dir: Path, capsys) -> None:
    code, stdout, _ = run(capsys, "clean", seeds_dir, "--json")
    rows = json_lines(stdout)
    assert code == 0 and len(rows) == 5
    assert {"id", "origin", "title", "outlet", "author", "published", "language", "body", "removed"} <= rows[0].keys()

    code, stdout, _ = run(capsys, "reuse", seeds_dir, "--json")
    (group,) = json_lines(stdout)
    assert code == 0 and len(group["members"]) == 2 and group["pairs"][0]["edits"]

    code, stdout, _ = run(capsys, "stories", seeds_dir, "--json")
    rows = json_lines(stdout)
    assert code == 0 and len(rows) == 5 and len({row["story"] for row in rows}) == 1 and rows[0]["label"]

    code, stdout, _ = run(capsys, "quotes", seeds_dir, "--json")
    assert code == 0 and any("Lavrov" in (row["speaker"] or "") for row in json_lines(stdout))

    code, stdout, _ = run(capsys, "timeline", seeds_dir, "--json", "--ref-date", "2016-12-06")
    assert code == 0 and all(row["value"] for row in json_lines(stdout))


def test_bad_inputs_are_skipped_with_reasons_and_the_run_goes_on(tmp_path: Path, seeds_dir: Path, capsys) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seed_text = sorted(seeds_dir.iterdir())[0].read_text()
    (corpus / "good.txt").write_text(seed_text)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 8)
    compressed = gzip.compress(seed_text.encode())
    (corpus / "truncated.txt.gz").write_bytes(compressed[: len(compressed) // 2])
    (corpus / "records.jsonl").write_text('{"text": "ok but short"}\n{not json\n')
    (corpus / "nothing.html").write_text("<html><body><nav>Home</nav></body></html>")
    (corpus / "huge.txt").write_text("word " * 5000)
    out = tmp_path / "out"
    code, _, stderr = run(capsys, "digest", corpus, "-o", out, "--max-bytes", "20000")
    assert code == 0
    skipped = json_lines((out / "skipped.jsonl").read_text())
    reasons = {Path(row["origin"].split(":")[0]).name: row["reason"] for row in skipped}
    assert reasons["empty.txt"] == "empty"
    assert reasons["binary.txt"] == "binary"
    assert reasons["truncated.txt.gz"] == "truncated_gzip"
    assert reasons["huge.txt"] == "too_large"
    assert "records.jsonl" in reasons and "nothing.html" in reasons
    assert "empty" in stderr and "too_large" in stderr


def test_nothing_usable_exits_non_zero_with_one_line(tmp_path: Path, capsys) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    code, _, stderr = run(capsys, "digest", tmp_path)
    assert code == 1
    assert stderr.strip().splitlines()[-1].startswith("storylens: no usable article")


def test_missing_path_is_reported(tmp_path: Path, capsys) -> None:
    code, _, stderr = run(capsys, "clean", tmp_path / "missing")
    assert code == 1 and "unreadable" in stderr


def test_ingest_then_digest_from_store(tmp_path: Path, seeds_dir: Path, capsys) -> None:
    db = tmp_path / "news.db"
    code, _, stderr = run(capsys, "ingest", seeds_dir, "--db", db)
    assert code == 0 and "added 5" in stderr and "in 1 stories (1 new or changed)" in stderr
    code, _, stderr = run(capsys, "ingest", seeds_dir, "--db", db)
    assert code == 0 and "added 0, already stored 5" in stderr and "(0 new or changed)" in stderr
    code, stdout, _ = run(capsys, "digest", "--db", db, "--json")
    (digest,) = json_lines(stdout)
    assert code == 0 and len(digest["articles"]) == 5
    code, stdout, _ = run(capsys, "show", digest["story"]["id"], "--db", db)
    assert code == 0 and stdout.startswith("# ")


def test_usage_error_without_input(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["digest"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize("code", ["import storylens", "from storylens.cli import _parser; _parser().parse_args([])"])
def test_import_and_help_do_not_load_the_pipeline(code: str) -> None:
    """`import storylens` and `storylens --help` stay fast: no spaCy, scikit-learn or pipeline until a command runs."""
    probe = (
        f"{code}; import sys; print(sorted(m for m in ('spacy', 'sklearn', 'storylens.pipeline') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
