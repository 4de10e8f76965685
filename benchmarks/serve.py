"""Web benchmark: concurrent readers on loopback against `storylens serve` over a store of distinct articles.

The store is built once from ``syndicate.generate`` (every usable article of the bench set: PolNeAR, ECB+,
Multi-News, plus edited wire copies of them, each text distinct) by the real pipeline: ingest and clean,
then ``pipeline.update_store`` (reuse and stories). Digests and analyses are not precomputed for the whole
store: a sample of ``--warm`` stories gets them in the build step (``pipeline.refresh_digests``), the rest
are made on first view, as the server does. The store is cached under out/serve-cache (git-ignored) for
later runs.

The readers (asyncio + httpx) each walk through every page type in turn, on the warm sample; in their
first round ``--cold`` of them also open one story and one article never viewed before ("story_cold", "article_cold"):
the first-view cost (spaCy analysis of the members, then the digest) under the same load. The server runs
as ``storylens serve`` in its own process. The anchor is the server's own static stylesheet, served in the
same run by the same process: the floor of the framework and the loopback network on this machine, so
each page type's latency is also given as a multiple of it.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import IO, TypeVar
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import syndicate
from storylens import pipeline
from storylens.store import Store

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "bench"
CACHE = HERE.parent / "out" / "serve-cache"
OUTLETS = ["Agence Nord", "Harbour Herald", "Daily Courier", "The Sentinel", "Radio Selmar", "Coastline Ledger"]
PAGE_TYPES = (
    "list", "search", "filter", "story", "article", "compare", "api_stories", "api_story", "api_article", "static"
)  # fmt: skip
COLD_TYPES = ("story_cold", "article_cold")
T = TypeVar("T")


def first_distinct(items: list[syndicate.Item], count: int) -> list[syndicate.Item]:
    """The first ``count`` items whose texts differ, in generation order."""
    by_text: dict[str, syndicate.Item] = {}
    for item in items:
        by_text.setdefault(item.text, item)
    return list(by_text.values())[:count]


def build_store(data: Path, articles: int, warm: int, seed: int) -> Path:
    """The cached store for these settings; built (and timed, on stderr) when missing."""
    key = hashlib.sha256(f"{data.resolve()}|{articles}|{warm}|{seed}|3".encode()).hexdigest()[:12]
    db = CACHE / f"serve-{articles}-{key}.db"
    if db.exists():
        return db
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = db.with_suffix(".partial.db")
    partial.unlink(missing_ok=True)
    generated, stats = syndicate.generate(articles * 11 // 10, seed, data)
    items = first_distinct(generated, articles)  # the store drops copies whose text is identical
    settings = pipeline.Settings()
    with tempfile.TemporaryDirectory() as folder, Store(partial) as store:
        feed = Path(folder, "feed.jsonl")
        write_feed(feed, items)
        timed("ingest and clean", lambda: pipeline.ingest_paths(store, [feed], settings))
        update = timed("reuse and stories", lambda: pipeline.update_store(store, settings))
        sample = random.Random(seed).sample(sorted(update.stories, key=lambda s: s.id), min(warm, len(update.stories)))
        timed("warm sample", lambda: pipeline.refresh_digests(store, settings, [story.id for story in sample]))
        print(f"{store.count()} articles ({stats}), {len(update.stories)} stories", file=sys.stderr)
    partial.rename(db)
    return db


def timed(step: str, work: Callable[[], T]) -> T:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    print(f"{step}: {time.perf_counter() - wall:.0f} s wall, {time.process_time() - cpu:.0f} s CPU", file=sys.stderr)
    return result


def write_feed(feed: Path, items: list) -> None:
    with feed.open("w", encoding="utf-8") as handle:
        for number, item in enumerate(items):
            record = {"id": item.id, "text": item.text, "source": OUTLETS[number % len(OUTLETS)]}
            if item.published:
                record["published"] = item.published
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def sample_targets(db: Path, seed: int) -> dict[str, list[str]]:
    """URLs for each page type, drawn from what the store holds: warm pages from the stories with a stored
    digest, cold ones (each used once) from stories and articles never analysed."""
    rng = random.Random(seed)
    with Store(db) as store:
        stories = store.stories()
        digests = store.digests()
        analysed = {row[0] for row in store.db.execute("SELECT article_id FROM analyses")}
        ids = [row[0] for row in store.db.execute("SELECT id FROM articles WHERE status = 'ok' ORDER BY id")]
    warm_ids = sorted(analysed)
    warm_stories = [digest.story.id for digest in digests]
    cold_stories = sorted({story.id for story in stories} - set(warm_stories))
    words = Counter(word.lower() for story in stories for word in story.label.split() if len(word) > 4)
    terms = [word for word, _ in words.most_common(200)]
    pairs = [(p.a, p.b) for d in digests for g in d.reuse for p in g.pairs][:2000] or [(ids[0], ids[1])]
    entities = [name for story in stories for name in story.entities][:500] or ["x"]

    def article(article_id: str) -> str:
        return quote(article_id, safe="")

    return {
        "list": ["/", *[f"/?page={n}" for n in range(2, 6)]],
        "search": [f"/?q={quote(term)}" for term in terms],
        "filter": [f"/?outlet={quote(o)}&entity={quote(rng.choice(entities))}" for o in OUTLETS],
        "story": [f"/stories/{story_id}" for story_id in warm_stories],
        "article": [f"/articles/{article(a)}" for a in warm_ids],
        "compare": [f"/compare?a={article(a)}&b={article(b)}" for a, b in pairs],
        "api_stories": [f"/api/stories?q={quote(term)}" for term in terms[:50]],
        "api_story": [f"/api/stories/{story_id}" for story_id in warm_stories],
        "api_article": [f"/api/articles/{article(a)}" for a in warm_ids],
        "static": ["/static/style.css"],
        "story_cold": [f"/stories/{story_id}" for story_id in rng.sample(cold_stories, len(cold_stories))],
        "article_cold": [
            f"/articles/{article(a)}"
            for a in rng.sample(sorted(set(ids) - analysed), min(1000, len(ids) - len(analysed)))
        ],
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db: Path, port: int, log: IO[bytes]) -> subprocess.Popen:
    entry = "import sys; from storylens.cli import main; sys.exit(main())"  # the `storylens` console script
    command = [sys.executable, "-c", entry, "serve", "--db", str(db), "--port", str(port), "-q"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, env={**os.environ})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the server exited: {log.read().decode(errors='replace')}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/static/style.css", timeout=1).raise_for_status()
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start within 120 s")


def stop(server: subprocess.Popen) -> None:
    """SIGTERM, and SIGKILL when a request still running keeps the server from stopping within 30 s."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


async def reader(
    client: httpx.AsyncClient, targets: dict[str, list[str]], rounds: int, seed: int, results: dict, cold: bool
) -> None:
    rng = random.Random(seed)
    for round_number in range(rounds):
        order = list(PAGE_TYPES) + (list(COLD_TYPES) if cold and round_number == 0 else [])
        rng.shuffle(order)
        for page_type in order:
            url = targets[page_type].pop() if page_type in COLD_TYPES else rng.choice(targets[page_type])
            started = time.perf_counter()
            try:
                response = await client.get(url)
                problem = None if response.status_code == 200 else f"HTTP {response.status_code}"
            except httpx.HTTPError as error:
                problem = type(error).__name__
            results[page_type].append(time.perf_counter() - started)
            if problem:
                results["errors"].append(f"{page_type} {url}: {problem}")


async def load(base: str, targets: dict[str, list[str]], readers: int, rounds: int, cold: int) -> tuple[dict, float]:
    results: dict[str, list] = defaultdict(list)
    limits = httpx.Limits(max_connections=readers, max_keepalive_connections=readers)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=600) as client:
        started = time.perf_counter()
        await asyncio.gather(*(reader(client, targets, rounds, n, results, n < cold) for n in range(readers)))
        elapsed = time.perf_counter() - started
    return results, elapsed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def summarize(results: dict, elapsed: float, server_cpu: float, articles: int, readers: int) -> dict:
    static_p50 = statistics.median(results["static"])
    pages = {}
    for page_type in (*PAGE_TYPES, *COLD_TYPES):
        times = results[page_type]
        pages[page_type] = {
            "requests": len(times),
            "p50_ms": 1000 * statistics.median(times),
            "p95_ms": 1000 * percentile(times, 0.95),
            "p99_ms": 1000 * percentile(times, 0.99),
            "p50_vs_static": statistics.median(times) / static_p50,
        }
    total = sum(row["requests"] for row in pages.values())
    return {
        "articles": articles,
        "readers": readers,
        "requests": total,
        "seconds": elapsed,
        "server_cpu_seconds": server_cpu,
        "requests_per_second": total / elapsed,
        "errors": len(results["errors"]),
        "error_examples": results["errors"][:5],
        "pages": pages,
    }


def print_table(summary: dict) -> None:
    print(
        f"{summary['readers']} readers, {summary['articles']} articles: {summary['requests']} requests in "
        f"{summary['seconds']:.1f} s wall (server CPU {summary['server_cpu_seconds']:.1f} s) = "
        f"{summary['requests_per_second']:.1f} req/s, {summary['errors']} errors"
    )
    print(f"{'page type':<15} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'p50 / static':>12}")
    for page_type, row in summary["pages"].items():
        label = "static (anchor)" if page_type == "static" else page_type
        print(
            f"{label:<15} {row['requests']:>8} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{row['p99_ms']:>8.1f} {row['p50_vs_static']:>12.1f}"
        )
    for example in summary["error_examples"]:
        print(f"error: {example}")
    sys.stdout.flush()


def print_ingest(ingest: dict) -> None:
    print(
        f"ingest of {ingest['sent']} new wire copies (copy of the store): HTTP {ingest['status']}, "
        f"{ingest['added']} added, {ingest['changed_stories']} stories changed, {ingest['seconds']:.1f} s; "
        f"changed story pages (ms): {ingest['changed_story_page_ms']}"
    )


def measure_ingest(db: Path, data: Path, seed: int, count: int, log: IO[bytes]) -> dict:
    """One POST /api/ingest of ``count`` new wire copies of stored articles into a copy of the store (the
    cached store stays as built), then the pages of the stories it changed."""
    items, _ = syndicate.generate(None, seed + 1, data)
    fresh = [item for item in items if not item.is_base][:count]
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder, "copy.db")
        with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        feed = Path(folder, "new.jsonl")
        write_feed(feed, fresh)
        port = free_port()
        server = start_server(copy, port, log)
        try:
            base = f"http://127.0.0.1:{port}"
            headers = {"content-type": "application/x-ndjson"}
            started = time.perf_counter()
            response = httpx.post(f"{base}/api/ingest", content=feed.read_bytes(), headers=headers, timeout=1800)
            seconds = time.perf_counter() - started
            body = response.json() if response.status_code == 200 else {}
            pages = []
            for story_id in body.get("changed_stories", []):
                started = time.perf_counter()
                ok = httpx.get(f"{base}/stories/{story_id}", timeout=600).status_code == 200
                pages.append((time.perf_counter() - started, ok))
        finally:
            stop(server)
    return {
        "status": response.status_code,
        "sent": len(fresh),
        "added": len(body.get("added", [])),
        "changed_stories": len(body.get("changed_stories", [])),
        "seconds": seconds,
        "changed_story_page_ms": [round(1000 * elapsed) for elapsed, _ in pages],
        "changed_story_pages_ok": all(ok for _, ok in pages),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the bench folder syndicate.py reads")
    parser.add_argument("--articles", type=int, default=10_000, help="about how many articles the store holds")
    parser.add_argument("--warm", type=int, default=60, help="stories given digests in the build step")
    parser.add_argument("--db", type=Path, help="measure this existing store instead of building one")
    parser.add_argument("--readers", type=int, default=50, help="concurrent readers")
    parser.add_argument("--rounds", type=int, default=4, help="rounds per reader, each over every page type")
    parser.add_argument("--cold", type=int, default=10, help="readers that also open a never-viewed story and article")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--ingest", type=int, default=5, help="new articles posted to a copy of the store after")
    parser.add_argument("--build-only", action="store_true", help="build (or find) the cached store and stop")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()

    db = args.db or build_store(args.data, args.articles, args.warm, args.seed)
    if args.build_only:
        print(db)
        return 0
    with Store(db) as store:
        articles = store.count()
    targets = sample_targets(db, args.seed)
    port = free_port()
    with tempfile.TemporaryFile() as log:
        server = start_server(db, port, log)
        try:
            cpu_before = cpu_seconds(server.pid)
            base = f"http://127.0.0.1:{port}"
            results, elapsed = asyncio.run(load(base, targets, args.readers, args.rounds, args.cold))
            server_cpu = cpu_seconds(server.pid) - cpu_before
        finally:
            stop(server)
        summary = summarize(results, elapsed, server_cpu, articles, args.readers)
        if not args.json:
            print_table(summary)
        summary["ingest"] = measure_ingest(db, args.data, args.seed, args.ingest, log) if args.ingest else None
    ingest = summary["ingest"]
    if args.json:
        print(json.dumps(summary))
    elif ingest:
        print_ingest(ingest)
    failed = summary["errors"] or (ingest and (ingest["status"] != 200 or not ingest["changed_story_pages_ok"]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
