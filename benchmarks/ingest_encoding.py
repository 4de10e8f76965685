"""Encoding detection of the ingest stage: real news texts re-encoded, then decoded blind.

Each document of the data set that holds non-ASCII characters (curly quotes, dashes, accents) is
encoded in every listed encoding that can represent it, at full length (up to 5,000 characters) and
as a short 300-character window around its first non-ASCII character (documents holding C1
control characters, mojibake in the source, are left out). A decoder scores when its
output equals the original text exactly. storylens (``storylens.ingest.encoding.decode``) is
measured against charset-normalizer's best guess, chardet, and the naive "UTF-8, else
windows-1252" rule, all run here on the same bytes. Usage:

    python benchmarks/ingest_encoding.py [--data FILE] [--json] [--limit N]

The data is JSON Lines with either a ``docs`` list (Multi-News) or a ``text`` field per line.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import chardet
from charset_normalizer import from_bytes

from storylens.ingest.encoding import DecodeError, decode

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared/bench/summarization/multinews-dev.jsonl"
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252", "iso-8859-1")
FULL_LENGTH = 5000
WINDOW = 300
_C1_CONTROLS = re.compile("[\x80-\x9f]")


def load_texts(path: Path, limit: int) -> list[str]:
    texts = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            docs = record.get("docs") or [record.get("text", "")]
            texts.extend(doc for doc in docs if isinstance(doc, str) and _has_plain_non_ascii(doc))
    return texts[:limit]


def _has_plain_non_ascii(text: str) -> bool:
    """Non-ASCII text without C1 control characters: those are mojibake already in the source, and
    no decoder can give them back from ISO-8859-1 bytes (browsers read 0x80-0x9F as windows-1252)."""
    return not text.isascii() and not _C1_CONTROLS.search(text)


def samples(texts: list[str]) -> list[tuple[str, str, str]]:
    """(length class, encoding, text) for every encoding that can represent the text."""
    result = []
    for text in texts:
        first = next(index for index, char in enumerate(text) if not char.isascii())
        start = max(0, first - WINDOW // 2)
        for size, piece in (("full", text[:FULL_LENGTH]), ("short", text[start : start + WINDOW])):
            for encoding in ENCODINGS:
                try:
                    piece.encode(encoding)
                except UnicodeEncodeError:
                    continue
                result.append((size, encoding, piece))
    return result


def storylens_decode(data: bytes) -> str | None:
    try:
        return decode(data)
    except DecodeError:
        return None


def charset_normalizer_decode(data: bytes) -> str | None:
    best = from_bytes(data).best()
    return str(best) if best is not None else None


def chardet_decode(data: bytes) -> str | None:
    encoding = chardet.detect(data)["encoding"]
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def naive_decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


DECODERS: dict[str, Callable[[bytes], str | None]] = {
    "storylens": storylens_decode,
    "charset-normalizer": charset_normalizer_decode,
    "chardet": chardet_decode,
    "utf-8 else cp1252": naive_decode,
}


def measure(cases: list[tuple[str, str, str]]) -> dict[str, dict]:
    encoded = [(size, encoding, text, text.encode(encoding)) for size, encoding, text in cases]
    results: dict[str, dict] = {}
    for name, decoder in DECODERS.items():
        correct: dict[str, list[int]] = {}
        started = time.process_time()
        for size, encoding, text, data in encoded:
            counts = correct.setdefault(f"{size} {encoding}", [0, 0])
            counts[0] += decoder(data) == text
            counts[1] += 1
        seconds = time.process_time() - started
        total = sum(right for right, _ in correct.values()), sum(count for _, count in correct.values())
        results[name] = {
            "accuracy": {key: right / count for key, (right, count) in sorted(correct.items())},
            "samples": {key: count for key, (_, count) in sorted(correct.items())},
            "overall": total[0] / total[1],
            "cpu_seconds": seconds,
        }
    return results


def print_table(results: dict[str, dict], cases: int) -> None:
    counts = next(iter(results.values()))["samples"]
    keys = list(counts)
    base = results["storylens"]["cpu_seconds"]
    header = ["decoder", *(f"{key} (n={counts[key]})" for key in keys), "overall", "CPU time ×"]
    print(f"exact round-trip accuracy on {cases} encoded samples")
    print(" | ".join(header))
    for name, row in results.items():
        cells = [f"{row['accuracy'][key]:.3f}" for key in keys]
        print(" | ".join([name, *cells, f"{row['overall']:.3f}", f"{row['cpu_seconds'] / base:.2f}"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--limit", type=int, default=300, help="number of documents used")
    args = parser.parse_args(argv)
    cases = samples(load_texts(args.data, args.limit))
    results = measure(cases)
    if args.json:
        json.dump({"samples": len(cases), "decoders": results}, sys.stdout, indent=2)
        print()
    else:
        print_table(results, len(cases))
    return 0


if __name__ == "__main__":
    sys.exit(main())
