"""Ingest: read files, folders, JSONL and WARC into ``Document`` items (or ``Skipped`` reasons)."""

from storylens.ingest.readers import DEFAULT_MAX_BYTES, read

__all__ = ["DEFAULT_MAX_BYTES", "read"]
