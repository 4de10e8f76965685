"""Uploads for the ingest endpoint: bounded in size and count, never stored under a name the request chose.

The request body is read up to a byte limit (a larger one is refused before it is all read), then split into
files (multipart) or taken whole (a JSONL body). Each file is written under a sanitized name into a fresh
temporary folder, read by the same ingest code as the CLI, and its origin relabelled ``upload/<name>``.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.types import Message

from storylens import ingest, pipeline
from storylens.model import Document, Skipped
from storylens.store import IngestReport, Store

UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/json")
MAX_NAME = 80


@dataclass(frozen=True)
class UploadLimits:
    max_body_bytes: int = 16 * 1024 * 1024
    max_files: int = 20


class UploadError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


async def read_uploads(request: Request, limits: UploadLimits) -> list[Upload]:
    """The files a request carries: multipart parts, or the whole body as one JSONL file."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "multipart/form-data" and content_type not in JSONL_TYPES:
        raise UploadError(415, "send multipart/form-data (field 'files') or a JSONL body (application/x-ndjson)")
    body = await _bounded_body(request, limits.max_body_bytes)
    if content_type in JSONL_TYPES:
        uploads = [Upload("request.jsonl", body)]
    else:
        uploads = await _multipart_files(request, body, limits.max_files)
    if not any(upload.data for upload in uploads):
        raise UploadError(400, "no content: the request holds no file or an empty body")
    return uploads


async def _bounded_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise UploadError(413, f"the request is {declared} bytes, over the {limit}-byte limit")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise UploadError(413, f"the request is over the {limit}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


async def _multipart_files(request: Request, body: bytes, max_files: int) -> list[Upload]:
    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(request.scope, replay).form(max_files=max_files, max_fields=max_files)
    except Exception as error:  # starlette raises its own HTTPException or a parse error for bad multipart
        raise UploadError(400, f"the multipart body cannot be read: {getattr(error, 'detail', error)}") from error
    files = [value for _, value in form.multi_items() if isinstance(value, UploadFile)]
    uploads = [Upload(file.filename or "", await file.read()) for file in files]
    await form.close()
    return uploads


def safe_names(names: Iterable[str]) -> list[str]:
    """File names made of letters, digits, dot, dash and underscore only, unique, never hidden or empty."""
    used: set[str] = set()
    result = []
    for number, name in enumerate(names, start=1):
        base = UNSAFE.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).lstrip(".")[-MAX_NAME:] or f"upload-{number}"
        candidate, copy = base, 1
        while candidate.casefold() in used:
            copy += 1
            candidate = f"{copy}-{base}"
        used.add(candidate.casefold())
        result.append(candidate)
    return result


def ingest_uploads(store: Store, uploads: list[Upload], max_bytes: int) -> IngestReport:
    """Store the uploaded articles (cleaned), as ``storylens ingest`` would store the same files."""
    with tempfile.TemporaryDirectory(prefix="storylens-upload-") as folder:
        for upload, name in zip(uploads, safe_names(upload.name for upload in uploads), strict=True):
            Path(folder, name).write_bytes(upload.data)
        items = _relabelled(ingest.read([folder], max_bytes=max_bytes), folder)
        return store.ingest(items, lambda documents: pipeline.clean_documents(documents, pipeline.Settings()))


def _relabelled(items: Iterable[Document | Skipped], folder: str) -> Iterator[Document | Skipped]:
    """Origins as ``upload/<name>``: the temporary folder is an implementation detail."""
    for item in items:
        if isinstance(item, Skipped):
            item.origin = _upload_path(item.origin, folder)
        else:
            item.origin.path = _upload_path(item.origin.path, folder)
        yield item


def _upload_path(path: str, folder: str) -> str:
    return "upload/" + path.removeprefix(folder).lstrip("/\\") if path.startswith(folder) else path
