"""Inputs for a Spark run: the files behind the given paths, each read by the ingest stage in a task.

Files are listed in the order ``ingest.read`` walks them (folders recursively, sorted, hidden entries
left out) and keep the same origin labels and id stems, so a Spark run names its articles exactly as
the local pipeline does. Ids are made unique afterwards, in reading order, by the ingest's own rule.
Parquet files are read row by row as JSONL records (the same fields: id, text or html, url, title,
source, published, author).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from storylens.ingest.formats import parse_jsonl_line
from storylens.ingest.readers import UniqueIds, id_stem, read_file
from storylens.model import Document, Origin, Skipped

PARQUET_EXTENSION = ".parquet"


@dataclass(frozen=True)
class InputFile:
    path: str
    label: str  # the origin path articles from this file carry
    stem: str  # the id prefix articles from this file get


def input_files(paths: Sequence[str | Path]) -> tuple[list[InputFile], list[Skipped]]:
    """The files under ``paths`` in ingest order, plus a skip for each path that cannot be listed."""
    files: list[InputFile] = []
    skipped: list[Skipped] = []
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            files.append(InputFile(str(path), str(given), id_stem(Path(path.name))))
            continue
        errors: list[OSError] = []
        found: list[Path] = []
        for folder, subfolders, names in os.walk(path, onerror=errors.append):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            found.extend(Path(folder, name).relative_to(path) for name in names if not name.startswith("."))
        skipped.extend(
            Skipped(str(e.filename), "unreadable", f"The folder cannot be listed: {e.strerror}.") for e in errors
        )
        for relative in sorted(found, key=lambda item: item.parts):
            files.append(
                InputFile(str(path / relative), os.path.join(str(given), relative.as_posix()), id_stem(relative))
            )
    return files, skipped


def read_input(item: InputFile, max_bytes: int) -> Iterator[Document | Skipped]:
    """Documents (and skips) of one file, as the ingest stage reads it."""
    if item.path.lower().endswith(PARQUET_EXTENSION):
        yield from _read_parquet(item)
    else:
        yield from read_file(Path(item.path), item.label, item.stem, max_bytes)


def _read_parquet(item: InputFile) -> Iterator[Document | Skipped]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(item.path)
    except (OSError, ValueError) as error:
        yield Skipped(item.label, "unreadable", f"The Parquet file cannot be read: {error}")
        return
    for number, record in enumerate(table.to_pylist(), start=1):
        line = json.dumps(record, ensure_ascii=False, default=str)
        yield from parse_jsonl_line(line, item.stem, Origin(item.label, line=number))


def unique_ids(ids_in_order: Sequence[str]) -> dict[int, str]:
    """The ingest rule (a repeat gets -2, -3, ...) over ids in reading order: {position: new id} per repeat."""
    claims = UniqueIds()
    renamed: dict[int, str] = {}
    for position, proposed in enumerate(ids_in_order):
        claimed = claims.claim(proposed)
        if claimed != proposed:
            renamed[position] = claimed
    return renamed
