"""The `storylens` command: one subcommand per stage, each a thin layer over storylens.pipeline.

Exit status: 0 when at least one article was processed; 1 when nothing could be (a one-line message names
the cause); 2 for a usage error. Parsing needs no heavy imports, so `storylens --help` answers at once; the
pipeline loads when a command runs (storylens.cli.commands).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from storylens.ingest import DEFAULT_MAX_BYTES
from storylens.spark import cli as spark_cli

EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if not args.paths and args.db is None:
        parser.error(f"{args.command}: give files or folders, or --db FILE")
    from storylens.cli import commands

    return commands.run(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="storylens", description="One news story through every outlet that covered it."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    helps = {
        "ingest": "add articles to the store (--db), skipping content already stored",
        "clean": "clean text and metadata per article",
        "reuse": "wire copies and reused text, with word-level edits",
        "stories": "group articles into stories",
        "quotes": "quotes and reported speech with speakers",
        "timeline": "dated events per story",
        "digest": "everything: stories with summary, reuse, timeline, quotes, claims, framing",
        "show": "print one story or article (by id) as text",
        "serve": "serve the web pages and JSON API over a store (--db), on 127.0.0.1 unless --host",
        "spark": "run clean, reuse and stories on Apache Spark, writing Parquet that digest reads back",
    }
    for name, help_text in helps.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        if name == "show":
            sub.add_argument("item", help="a story id or an article id")
        sub.add_argument("paths", nargs="*", type=Path, help="files or folders (txt, html, jsonl, warc, gz)")
        sub.add_argument("--db", type=Path, help="SQLite store to read from (and add PATHS to)")
        sub.add_argument("--json", action="store_true", help="one JSON object per line on stdout")
        sub.add_argument("-q", "--quiet", action="store_true", help="print only errors")
        sub.add_argument(
            "--max-bytes",
            type=int,
            default=DEFAULT_MAX_BYTES,
            help="skip input files larger than this (default %(default)s)",
        )
        if name in {"quotes", "timeline", "digest", "show"}:
            sub.add_argument("--ref-date", help="resolve relative dates against this date (YYYY-MM-DD)")
        if name == "serve":
            sub.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
            sub.add_argument("--port", type=int, default=8000, help="port (default %(default)s)")
        if name == "spark":
            spark_cli.add_arguments(sub)
        if name == "digest":
            sub.add_argument("-o", "--out", type=Path, help="write stories.json, Markdown and HTML reports here")
            sub.add_argument("--sentences", type=int, default=6, help="summary length in sentences")
    return parser


if __name__ == "__main__":
    sys.exit(main())
