"""The subcommands, each a thin layer over storylens.pipeline (loaded only once a command runs)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from rich.console import Console

from storylens import pipeline, report
from storylens.model import Article, Result, Skipped, to_dict
from storylens.spark import cli as spark_cli
from storylens.store import Store, StoreError

EXIT_OK, EXIT_NOTHING = 0, 1


def run(args: argparse.Namespace) -> int:
    """Run the parsed command; errors that leave nothing to process become exit status 1 with one line."""
    console = Console(stderr=True, quiet=args.quiet)
    settings = pipeline.Settings(
        max_bytes=args.max_bytes,
        reference_date=getattr(args, "ref_date", None),
        progress=not args.quiet and not args.json,
    )
    try:
        return COMMANDS[args.command](args, settings, console)
    except (pipeline.NothingToProcess, StoreError) as error:
        print(f"storylens: {error}", file=sys.stderr)
        return EXIT_NOTHING


def _emit(rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))


def _report_skipped(skipped: Sequence[Skipped], console: Console) -> None:
    for skip in skipped:
        console.print(f"[yellow]skipped[/] {skip.origin}: {skip.reason} — {skip.detail}", markup=True, highlight=False)


def _corpus(args: argparse.Namespace, settings: pipeline.Settings, console: Console) -> pipeline.Corpus:
    corpus = pipeline.load_corpus(args.paths, args.db, settings)
    _report_skipped(pipeline.unusable(corpus), console)
    if not corpus.usable:
        raise pipeline.NothingToProcess(pipeline.nothing_message(corpus))
    return corpus


def cmd_ingest(args: argparse.Namespace, settings: pipeline.Settings, console: Console) -> int:
    if args.db is None:
        raise SystemExit("storylens ingest: --db FILE is required")
    with Store(args.db) as store:
        result = pipeline.ingest_paths(store, args.paths, settings)
        update = pipeline.update_store(store, settings)
        total = store.count()
    if args.json:
        _emit(
            [
                {
                    "added": result.added,
                    "duplicates": [list(d) for d in result.duplicates],
                    "skipped": [to_dict(s) for s in result.skipped],
                    "stored": total,
                    "stories_changed": update.changed,
                }
            ]
        )
    console.print(
        f"added {len(result.added)}, already stored {len(result.duplicates)}, "
        f"skipped {len(result.skipped)}; the store holds {total} articles in {len(update.stories)} stories "
        f"({len(update.changed)} new or changed)",
        soft_wrap=True,
    )
    for new_id, known in result.duplicates:
        console.print(f"[dim]already stored[/] {new_id} (same content as {known})")
    _report_skipped(result.skipped, console)
    if not result.added and not result.duplicates:
        print("storylens: nothing ingested: every input was skipped", file=sys.stderr)
        return EXIT_NOTHING
    return EXIT_OK


def clean_row(article: Article) -> dict[str, Any]:
    meta = article.meta
    return {
        "id": article.id,
        "origin": str(article.origin),
        "status": article.status,
        "title": meta.title,
        "outlet": meta.outlet,
        "author": meta.author,
        "dateline": meta.dateline,
        "published": meta.published,
        "language": meta.language,
        "body": article.body,
        "removed": [
            {
                "start": r.span.start,
                "end": r.span.end,
                "reason": r.reason,
                "text": article.raw[r.span.start : r.span.end],
            }
            for r in article.removed
        ],
        "sources": to_dict(meta.sources),
    }


def cmd_clean(args: argparse.Namespace, settings: pipeline.Settings, console: Console) -> int:
    corpus = _corpus(args, settings, console)
    if args.json:
        _emit(clean_row(article) for article in corpus.articles)
        return EXIT_OK
    for article in corpus.usable:
        console.print(
            f"[bold]{article.id}[/] {article.meta.title or ''} — {article.meta.outlet or 'unknown outlet'}, "
            f"{article.meta.published or 'undated'}; {len(article.body.split())} words, "
            f"{len(article.removed)} spans removed",
            highlight=False,
        )
    return EXIT_OK


def cmd_reuse(args: argparse.Namespace, settings: pipeline.Settings, console: Console) -> int:
    corpus = _corpus(args, settings, console)
    groups = pipeline.find_reuse(corpus.usable)
    if args.json:
        _emit(to_dict(group) for group in groups)
        return EXIT_OK
    console.print(f"{len(groups)} reuse groups among {len(corpus.usable)} articles")
    for group in groups:
        console.print(f"[bold]{group.id}[/]: {', '.join(group.members)} (original: {group.original})", highlight=False)
        for pair in group.pairs:
            for edit in pair.edits:
                console.print(
                    f"  {pair.a} → {pair.b} {edit.category}: {edit.a_text!r} → {edit.b_text!r}",
                    highlight=False,
                    markup=False,
                )
    return EXIT_OK


def cmd_stories(args: argparse.Namespace, settings: pipeline.Settings, console: Console) -> int:
    corpus = _corpus(args, settings, console)
    found = pipeline.group_stories(corpus.usable, pipeline.find_reuse(corpus.usable), corpus.previous_stories)
    if args.json:
        _emit(
            {"id": m.article_id, "story": s.id, "label": s.label, "score": m.score, "undated": m.undated}
            for s in found
            for m in s.members
        )
        return EXIT_OK
    for story in found:
        console.print(
            f"[bold]{story.id}[/] {story.label} — {len(story.members)} articles, "
            f"{story.independent_sources} independent sources",
            highlight=False,
        )
        for member in story.members:
            console.print(f"  {member.article_id} ({member.score:.2f}){' undated' if member.undated else ''}")
    return EXIT_OK


def cmd_quotes(args: argparse.Namespace, settings: pipeline.Settings, console: Console) -> int:
    corpus = _corpus(args, settings, console)
    pipeline.analyze(corpus.usable, settings, corpus.store)
    rows = [{"article": a.id, "outlet": a.meta.outlet, **to_dict(q)} for a in corpus.usable for q in a.analysis.quotes]
    if args.json:
        _emit(rows)
        return EXIT_OK
    for row in rows:
        kind = "" if row["direct"] else " (reported)"
        console.print(
            f"[bold]{row['speaker'] or row['source_text'] or '?'}[/]{kind} [{row['outlet'] or row['article']}]: "
            f"{row['content_text']}",
            highlight=False,
        )
    return EXIT_OK


def cmd_timeline(args: argparse.Namespace, settings: pipeline.Settings, console: Console) -> int:
    result = _digest(args, settings, console)
    if args.json:
        _emit({"story": d.story.id, **to_dict(entry)} for d in result.digests for entry in d.timeline)
        return EXIT_OK
    for digest in result.digests:
        console.print(f"[bold]{digest.story.label}[/]", highlight=False)
        for entry in digest.timeline:
            sources = ", ".join(c.outlet or c.article_id for c in entry.sources)
            console.print(f"  {entry.value}  {entry.description}  [{sources}]", highlight=False, markup=False)
        for article_id in digest.undated_articles:
            console.print(f"  undated: {article_id} (no publication date; relative dates not resolved)")
    return EXIT_OK


def _digest(args: argparse.Namespace, settings: pipeline.Settings, console: Console) -> Result:
    corpus = _corpus(args, settings, console)
    return pipeline.run(corpus, settings)


def cmd_digest(args: argparse.Namespace, settings: pipeline.Settings, console: Console) -> int:
    settings.summary_sentences = args.sentences
    result = _digest(args, settings, console)
    if args.out is not None:
        report.write_outputs(result, args.out)
    if args.json:
        _emit(to_dict(digest) for digest in result.digests)
    else:
        report.print_summary(result, Console(quiet=args.quiet))
        if args.out is not None:
            console.print(f"report: {(args.out / 'index.html').resolve()}")
    return EXIT_OK


def cmd_show(args: argparse.Namespace, settings: pipeline.Settings, console: Console) -> int:
    result = _digest(args, settings, console)
    for digest in result.digests:
        if args.item == digest.story.id:
            print(to_json_line(digest) if args.json else report.render_markdown(digest))
            return EXIT_OK
    for article in result.articles:
        if args.item == article.id:
            print(
                json.dumps(clean_row(article), ensure_ascii=False)
                if args.json
                else f"{article.meta.title or article.id}\n\n{article.body}"
            )
            return EXIT_OK
    print(f"storylens show: no story or article with id {args.item!r}", file=sys.stderr)
    return EXIT_NOTHING


def cmd_serve(args: argparse.Namespace, settings: pipeline.Settings, console: Console) -> int:
    if args.db is None:
        raise SystemExit("storylens serve: --db FILE is required")
    if not args.paths and not args.db.exists():
        print(f"storylens serve: no store at {args.db}; give files to add to it", file=sys.stderr)
        return EXIT_NOTHING
    if args.paths:
        with Store(args.db) as store:
            _report_skipped(pipeline.ingest_paths(store, args.paths, settings).skipped, console)
            pipeline.update_store(store, settings)  # digests are made on first view
    from storylens import web

    console.print(f"storylens: serving {args.db} on http://{args.host}:{args.port}/")
    web.serve(args.db, args.host, args.port, max_bytes=args.max_bytes)
    return EXIT_OK


def to_json_line(value: Any) -> str:
    return json.dumps(to_dict(value), ensure_ascii=False)


COMMANDS: dict[str, Callable[[argparse.Namespace, pipeline.Settings, Console], int]] = {
    "ingest": cmd_ingest,
    "clean": cmd_clean,
    "reuse": cmd_reuse,
    "stories": cmd_stories,
    "quotes": cmd_quotes,
    "timeline": cmd_timeline,
    "digest": cmd_digest,
    "show": cmd_show,
    "serve": cmd_serve,
    "spark": spark_cli.command,
}
