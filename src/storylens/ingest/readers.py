"""Walk the given paths and hand each file to the reader its content calls for."""

from __future__ import annotations

import gzip
import os
import stat
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from storylens.ingest.encoding import DecodeError, binary_format, declared_html_charset, decode
from storylens.ingest.formats import (
    JSONL_EXTENSIONS,
    looks_like_html,
    looks_like_jsonl,
    parse_html,
    parse_jsonl,
    parse_text,
)
from storylens.ingest.warc import parse_warc
from storylens.model import Document, Origin, Skipped

DEFAULT_MAX_BYTES = 64 * 1024 * 1024

_GZIP_MAGIC = b"\x1f\x8b"
_WARC_MAGIC = b"WARC/"


class _Skip(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def read(paths: Sequence[str | Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Document | Skipped]:
    """Yield a ``Document`` for every article in ``paths`` and a ``Skipped`` for every bad input.

    Folders are read recursively in sorted order, hidden files and folders left out. Files over
    ``max_bytes`` (or decompressing to more) are skipped; WARC files are streamed, and the limit
    applies to each record. Ids are unique within the call.
    """
    if isinstance(paths, str | Path):  # one path, not a sequence of one-letter paths
        paths = [paths]
    ids = UniqueIds()
    for given in paths:
        for item in _read_given(Path(given), str(given), max_bytes):
            if isinstance(item, Document):
                item.id = ids.claim(item.id)
            yield item


class UniqueIds:
    """Keeps ids unique by suffixing a repeat with -2, -3, ... in reading order."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def claim(self, proposed: str) -> str:
        candidate, number = proposed, 1
        while candidate in self._used:
            number += 1
            candidate = f"{proposed}-{number}"
        self._used.add(candidate)
        return candidate


def _read_given(path: Path, label: str, max_bytes: int) -> Iterator[Document | Skipped]:
    if path.is_dir():
        yield from _read_folder(path, label, max_bytes)
    else:
        yield from read_file(path, label, id_stem(Path(path.name)), max_bytes)


def _read_folder(root: Path, label: str, max_bytes: int) -> Iterator[Document | Skipped]:
    errors: list[OSError] = []
    files: list[Path] = []
    for folder, subfolders, names in os.walk(root, onerror=errors.append):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        files.extend(Path(folder, name).relative_to(root) for name in names if not name.startswith("."))
    for error in errors:
        yield Skipped(str(error.filename), "unreadable", f"The folder cannot be listed: {error.strerror}.")
    for relative in sorted(files, key=lambda path: path.parts):
        yield from read_file(root / relative, os.path.join(label, relative.as_posix()), id_stem(relative), max_bytes)


def id_stem(relative: Path) -> str:
    """The id a file gives its article: its relative path without the (.gz and) format extension."""
    if relative.suffix.lower() == ".gz":
        relative = relative.with_suffix("")
    return relative.with_suffix("").as_posix()


def read_file(path: Path, origin_path: str, stem: str, max_bytes: int) -> Iterator[Document | Skipped]:
    try:
        yield from _read_checked_file(path, origin_path, stem, max_bytes)
    except _Skip as skip:
        yield Skipped(origin_path, skip.reason, skip.detail)


def _read_checked_file(path: Path, origin_path: str, stem: str, max_bytes: int) -> Iterator[Document | Skipped]:
    size = _regular_file_size(path)
    if size == 0:
        raise _Skip("empty", "The file is empty (0 bytes).")
    head, compressed = _read_head(path)
    if head.startswith(_WARC_MAGIC):
        yield from parse_warc(path, origin_path, stem, max_bytes, compressed)
        return
    if size > max_bytes:
        raise _Skip("too_large", f"The file is {size} bytes, over the {max_bytes}-byte limit.")
    data = _load(path, compressed, max_bytes)
    extension = Path(path.name.removesuffix(".gz").removesuffix(".GZ")).suffix.lower()
    yield from _parse_content(data, extension, stem, origin_path)


def _regular_file_size(path: Path) -> int:
    try:
        status = path.stat()
    except OSError as error:
        raise _Skip("unreadable", f"The path cannot be read: {error.strerror}.") from error
    if not stat.S_ISREG(status.st_mode):
        raise _Skip("unreadable", "The path is not a regular file.")
    return status.st_size


def _read_head(path: Path) -> tuple[bytes, bool]:
    """The first bytes of the file (decompressed when it is gzip) and whether it is gzip."""
    with _reading(path):
        with path.open("rb") as stream:
            head = stream.read(len(_WARC_MAGIC))
        if not head.startswith(_GZIP_MAGIC):
            return head, False
        with gzip.open(path) as stream:
            return stream.read(len(_WARC_MAGIC)), True


def _load(path: Path, compressed: bool, max_bytes: int) -> bytes:
    with _reading(path):
        if not compressed:
            return path.read_bytes()
        with gzip.open(path) as stream:
            data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _Skip("too_large", f"The file decompresses to more than the {max_bytes}-byte limit.")
    return data


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Turn the errors of reading (and decompressing) a file into skip reasons."""
    try:
        yield
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise _Skip("truncated_gzip", f"The gzip stream is truncated or corrupt: {error}.") from error
    except OSError as error:
        raise _Skip("unreadable", f"The file cannot be read: {error.strerror or error}.") from error


def _parse_content(data: bytes, extension: str, stem: str, origin_path: str) -> Iterator[Document | Skipped]:
    if not data:
        raise _Skip("empty", "The file decompresses to nothing.")
    if binary := binary_format(data[:16]):
        raise _Skip("binary", f"The file is {binary}, not text.")
    try:
        content = decode(data, declared_html_charset(data))
    except DecodeError as error:
        raise _Skip(error.reason, error.detail) from error
    if not content.strip():
        raise _Skip("empty", "The file holds only whitespace.")
    if extension in JSONL_EXTENSIONS or looks_like_jsonl(content):
        yield from parse_jsonl(content, stem, origin_path)
    elif looks_like_html(content, extension):
        yield from parse_html(content, stem, Origin(origin_path))
    else:
        yield from parse_text(content, stem, Origin(origin_path))
