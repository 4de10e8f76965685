"""Turn raw bytes into text: BOMs, declared charsets, detection, and telling binary files apart."""

from __future__ import annotations

import codecs
import re

import chardet
from charset_normalizer import from_bytes


class DecodeError(Exception):
    """Bytes that are not text; ``reason`` is the machine code (``binary`` or ``undecodable``)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


# UTF-32 first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Magic numbers of common non-text formats that may sit in a scraped folder.
_BINARY_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE document (old Office format)"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "a Zstandard archive"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"ID3", "an MP3 file"),
)

# WHATWG: these labels are decoded as windows-1252 by every browser.
_WINDOWS_1252_ALIASES = {"ascii", "latin_1", "iso8859_1"}

# A declared charset, in an HTTP header or near the top of an HTML page.
_CHARSET_PATTERN = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

# Share of control characters above which a decoded "text" is really binary data.
_MAX_CONTROL_SHARE = 0.01
# Control characters (Unicode category Cc) other than tab, line feed, vertical tab, form feed, CR.
_BINARY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def binary_format(head: bytes) -> str | None:
    """Name the non-text format whose magic number ``head`` starts with, if any."""
    for magic, name in _BINARY_MAGIC:
        if head.startswith(magic):
            return name
    return None


def declared_html_charset(head: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag within its first bytes."""
    match = _CHARSET_PATTERN.search(head[:4096])
    return match.group(1).decode("ascii") if match else None


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode ``data``: BOM, else UTF-8, else the declared charset, else detection.

    Raises ``DecodeError`` when the bytes are binary or fit no encoding.
    """
    text = _decode_with_bom(data)
    # Bytes that are valid UTF-8 are UTF-8 whatever the page declares: saved pages are often
    # re-encoded to UTF-8 while keeping their original <meta charset>.
    if text is None:
        text = _decode_utf8(data)
    if text is None and declared:
        text = _decode_declared(data, declared)
    if text is None:
        text = _decode_detected(data)
    if text is None:
        if b"\x00" in data:
            raise DecodeError("binary", "The file holds binary data (NUL bytes), not text.")
        raise DecodeError("undecodable", "The bytes fit no known text encoding.")
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise DecodeError("binary", "The file holds binary data (control characters), not text.")
    return text


def _decode_with_bom(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _decode_declared(data: bytes, declared: str) -> str | None:
    try:
        encoding = codecs.lookup(declared).name
    except LookupError:
        return None
    if encoding in _WINDOWS_1252_ALIASES:
        encoding = "cp1252"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _decode_utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _decode_detected(data: bytes) -> str | None:
    """Decode with chardet's guess, once charset-normalizer agrees the bytes are text at all.

    chardet names the code page of real news text far more often (benchmarks/ingest_encoding.py:
    charset-normalizer reads English windows-1252 text as cp775 or cp850), while charset-normalizer
    rejects bytes that are text in no encoding, where chardet still names one.
    """
    guess = chardet.detect(data)
    if guess["encoding"] is None and guess.get("mime_type") == "application/octet-stream":
        raise DecodeError("binary", "The file holds binary data, not text.")
    best = from_bytes(data).best()
    if best is None:
        return None
    if guess["encoding"]:
        try:
            return data.decode(guess["encoding"])
        except (UnicodeDecodeError, LookupError):
            pass
    return str(best)


def _control_share(text: str) -> float:
    sample = text[:20000]
    return len(_BINARY_CONTROLS.findall(sample)) / len(sample) if sample else 0.0
