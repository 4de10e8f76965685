"""WARC and WARC.gz: one document per successful HTML (or plain-text) response record."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from storylens.ingest.encoding import DecodeError, declared_html_charset, decode
from storylens.ingest.formats import parse_html, parse_text
from storylens.model import Document, Origin, Skipped

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain",)
_CHUNK = 1 << 16


def parse_warc(
    path: Path, origin_path: str, stem: str, max_bytes: int, compressed: bool
) -> Iterator[Document | Skipped]:
    """Stream the records of a WARC file; ``max_bytes`` limits each record's payload.

    Requests, metadata, redirects, error pages and non-text payloads (images, scripts) are not
    articles and are passed over without a ``Skipped`` entry.
    """
    number = 0
    try:
        with path.open("rb") as stream:
            for number, record in enumerate(ArchiveIterator(stream), start=1):
                if not _has_valid_header(record):
                    origin = str(Origin(origin_path, record=str(number)))
                    detail = f"Record {number} has no valid WARC header (WARC-Type and Content-Length)."
                    yield Skipped(origin, "warc_error", detail)
                    return
                items = list(_parse_record(record, number, origin_path, stem, max_bytes))
                if _ends_early(record):
                    yield _truncated(origin_path, number, compressed)
                    return
                yield from items
    except (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError) as error:
        origin = Origin(origin_path, record=str(number + 1))
        yield Skipped(str(origin), "warc_error", f"The WARC file cannot be read past record {number}: {error}")


def _has_valid_header(record: ArcWarcRecord) -> bool:
    # warcio is lenient: a garbled header comes back as a record without a type or a length.
    length = record.rec_headers.get_header("Content-Length") or ""
    return record.rec_type is not None and length.isdigit()


def _ends_early(record: ArcWarcRecord) -> bool:
    """Whether the file ended before the record's declared length."""
    while record.raw_stream.read(_CHUNK):
        pass
    return getattr(record.raw_stream, "limit", 0) > 0


def _truncated(origin_path: str, number: int, compressed: bool) -> Skipped:
    origin = str(Origin(origin_path, record=str(number)))
    if compressed:
        return Skipped(origin, "truncated_gzip", f"The WARC.gz file is truncated inside record {number}.")
    return Skipped(origin, "warc_error", f"The WARC file is truncated inside record {number}.")


def _parse_record(
    record: ArcWarcRecord, number: int, origin_path: str, stem: str, max_bytes: int
) -> Iterator[Document | Skipped]:
    content_type = _content_type(record)
    if content_type is None:
        return
    kind = "html" if content_type.startswith(_HTML_TYPES) else "text"
    origin = Origin(origin_path, record=str(number))
    payload = record.content_stream().read(max_bytes + 1)
    if len(payload) > max_bytes:
        yield Skipped(str(origin), "too_large", f"The record payload is larger than {max_bytes} bytes.")
        return
    if not payload.strip():
        yield Skipped(str(origin), "empty", "The WARC record has an empty payload.")
        return
    declared = _charset(content_type) or (declared_html_charset(payload) if kind == "html" else None)
    try:
        content = decode(payload, declared)
    except DecodeError as error:
        yield Skipped(str(origin), error.reason, error.detail)
        return
    hints = _record_hints(record)
    doc_id = f"{stem}#{number}"
    if kind == "html":
        yield from parse_html(content, doc_id, origin, hints)
    else:
        yield from parse_text(content, doc_id, origin, hints)


def _content_type(record: ArcWarcRecord) -> str | None:
    """The payload's media type when the record holds a successfully fetched text page."""
    if record.rec_type == "response" and record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    elif record.rec_type in ("response", "resource"):
        content_type = record.rec_headers.get_header("Content-Type") or ""
    else:
        return None
    content_type = content_type.strip().lower()
    return content_type if content_type.startswith(_HTML_TYPES + _TEXT_TYPES) else None


def _charset(content_type: str) -> str | None:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _record_hints(record: ArcWarcRecord) -> dict[str, str]:
    hints = {}
    if url := record.rec_headers.get_header("WARC-Target-URI"):
        hints["url"] = url
    if crawled := record.rec_headers.get_header("WARC-Date"):
        hints["crawled"] = crawled
    return hints
