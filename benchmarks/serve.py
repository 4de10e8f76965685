"""Web benchmark: concurrent readers on loopback against `storylens serve` over a large store.

The store is built once from a generated corpus (``syndicate.generate``: real articles from the bench set
plus edited wire copies, about ``--articles`` of them) by the same pipeline as ``storylens digest --db``, and
kept in benchmarks/.cache for later runs. The server runs as ``storylens serve`` in its own process; the
readers (asyncio + httpx) each walk through every page type in turn. The anchor is the server's own static
stylesheet, served in the same run by the same process: the floor of the framework and the loopback
network on this machine, so each page type's latency is also given as a multiple of it.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import IO
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import syndicate
from storylens import pipeline
from storylens.model import Story, StoryDigest, from_dict, to_dict
from storylens.store import Store

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "bench"
CACHE = HERE / ".cache"
OUTLETS = ["Agence Nord", "Harbour Herald", "Daily Courier", "The Sentinel", "Radio Selmar", "Coastline Ledger"]
PAGE_TYPES = ("list", "search", "filter", "story", "article", "compare", "api_stories", "api_story", "static")


def build_store(data: Path, articles: int, base: int, seed: int) -> Path:
    """The cached store for these settings; built when missing.

    ``base`` articles go through the whole pipeline (ingest, clean, reuse, stories, analysis, digests). To
    reach ``articles`` without hours of analysis on a small machine, the corpus is stored that many times
    over under renamed ids (each copy cleaned and indexed as its own article) and the stories and digests of
    the first copy are repeated for the others under the copies' ids. ``base == articles`` runs the pipeline
    on everything.
    """
    key = hashlib.sha256(f"{data.resolve()}|{articles}|{base}|{seed}".encode()).hexdigest()[:12]
    db = CACHE / f"serve-{articles}-{key}.db"
    if db.exists():
        return db
    CACHE.mkdir(exist_ok=True)
    partial = db.with_suffix(".partial.db")
    partial.unlink(missing_ok=True)
    items, _ = syndicate.generate(base, seed, data)
    copies = max(1, round(articles / len(items)))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder, Store(partial) as store:
        feed = Path(folder, "feed.jsonl")
        write_feed(feed, items, copies)
        pipeline.ingest_paths(store, [feed], pipeline.Settings())
        first = store.articles([f"{item.id}@0" for item in items])
        result = pipeline.run(pipeline.Corpus(first, [], store), pipeline.Settings())
        stories, digests = repeated(result.stories, result.digests, copies)
        store.save_stories(stories, digests)
        count = store.count()
    print(f"built a store of {count} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    partial.rename(db)
    return db


def write_feed(feed: Path, items: list, copies: int) -> None:
    with feed.open("w", encoding="utf-8") as handle:
        for copy in range(copies):
            for number, item in enumerate(items):
                text = item.text if copy == 0 else f"{item.text}\n\n(Archive copy {copy}.)"
                record = {"id": f"{item.id}@{copy}", "text": text, "source": OUTLETS[number % len(OUTLETS)]}
                if item.published:
                    record["published"] = item.published
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def repeated(stories: list[Story], digests: list[StoryDigest], copies: int) -> tuple[list, list]:
    """The stories and digests of copy 0 again for every other copy, with article and story ids renamed."""
    all_stories, all_digests = list(stories), list(digests)
    for copy in range(1, copies):
        for story in stories:
            all_stories.append(from_dict(Story, json.loads(renamed(json.dumps(to_dict(story)), story.id, copy))))
        for digest in digests:
            text = renamed(json.dumps(to_dict(digest)), digest.story.id, copy)
            all_digests.append(from_dict(StoryDigest, json.loads(text)))
    return all_stories, all_digests


def renamed(text: str, story_id: str, copy: int) -> str:
    return text.replace('@0"', f'@{copy}"').replace(f'"{story_id}"', f'"{story_id}-{copy}"')


def sample_targets(db: Path, seed: int) -> dict[str, list[str]]:
    """URLs for each page type, drawn from what the store holds."""
    rng = random.Random(seed)
    with Store(db) as store:
        stories = store.stories()
        digests = store.digests()
        ids = [row[0] for row in store.db.execute("SELECT id FROM articles WHERE status = 'ok'")]
    words = Counter(word.lower() for story in stories for word in story.label.split() if len(word) > 4)
    terms = [word for word, _ in words.most_common(200)]
    pairs = [(p.a, p.b) for d in digests for g in d.reuse for p in g.pairs][:2000] or [(ids[0], ids[1])]
    entities = [name for story in stories for name in story.entities][:500] or ["x"]
    story_ids = [story.id for story in stories]

    def article(article_id: str) -> str:
        return quote(article_id, safe="")

    return {
        "list": ["/", *[f"/?page={n}" for n in range(2, 6)]],
        "search": [f"/?q={quote(term)}" for term in terms],
        "filter": [f"/?outlet={quote(o)}&entity={quote(rng.choice(entities))}" for o in OUTLETS],
        "story": [f"/stories/{story_id}" for story_id in rng.sample(story_ids, min(500, len(story_ids)))],
        "article": [f"/articles/{article(a)}" for a in rng.sample(ids, min(500, len(ids)))],
        "compare": [f"/compare?a={article(a)}&b={article(b)}" for a, b in rng.sample(pairs, min(300, len(pairs)))],
        "api_stories": [f"/api/stories?q={quote(term)}" for term in terms[:50]],
        "api_story": [f"/api/stories/{story_id}" for story_id in rng.sample(story_ids, min(500, len(story_ids)))],
        "static": ["/static/style.css"],
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db: Path, port: int, log: IO[bytes]) -> subprocess.Popen:
    command = [sys.executable, "-m", "storylens.cli", "serve", "--db", str(db), "--port", str(port), "-q"]
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


async def reader(
    client: httpx.AsyncClient, targets: dict[str, list[str]], rounds: int, seed: int, results: dict
) -> None:
    rng = random.Random(seed)
    order = list(PAGE_TYPES)
    for _ in range(rounds):
        rng.shuffle(order)
        for page_type in order:
            url = rng.choice(targets[page_type])
            started = time.perf_counter()
            try:
                response = await client.get(url)
                problem = None if response.status_code == 200 else f"HTTP {response.status_code}"
            except httpx.HTTPError as error:
                problem = type(error).__name__
            results[page_type].append(time.perf_counter() - started)
            if problem:
                results["errors"].append(f"{page_type} {url}: {problem}")


async def load(base: str, targets: dict[str, list[str]], readers: int, rounds: int) -> tuple[dict, float]:
    results: dict[str, list] = defaultdict(list)
    limits = httpx.Limits(max_connections=readers, max_keepalive_connections=readers)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:
        started = time.perf_counter()
        await asyncio.gather(*(reader(client, targets, rounds, n, results) for n in range(readers)))
        elapsed = time.perf_counter() - started
    return results, elapsed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summarize(results: dict, elapsed: float, articles: int, readers: int) -> dict:
    static_p50 = statistics.median(results["static"])
    pages = {}
    for page_type in PAGE_TYPES:
        times = results[page_type]
        pages[page_type] = {
            "requests": len(times),
            "p50_ms": 1000 * statistics.median(times),
            "p95_ms": 1000 * percentile(times, 0.95),
            "p99_ms": 1000 * percentile(times, 0.99),
            "p50_vs_static": statistics.median(times) / static_p50,
        }
    total = sum(len(results[page_type]) for page_type in PAGE_TYPES)
    return {
        "articles": articles,
        "readers": readers,
        "requests": total,
        "seconds": elapsed,
        "requests_per_second": total / elapsed,
        "errors": len(results["errors"]),
        "error_examples": results["errors"][:5],
        "pages": pages,
    }


def print_table(summary: dict) -> None:
    print(
        f"{summary['readers']} readers, {summary['articles']} articles: {summary['requests']} requests in "
        f"{summary['seconds']:.1f} s = {summary['requests_per_second']:.1f} req/s, {summary['errors']} errors"
    )
    print(f"{'page type':<12} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'p50 / static':>12}")
    for page_type, row in summary["pages"].items():
        label = "static (anchor)" if page_type == "static" else page_type
        print(
            f"{label:<12} {row['requests']:>8} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{row['p99_ms']:>8.1f} {row['p50_vs_static']:>12.1f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the bench folder syndicate.py reads")
    parser.add_argument("--articles", type=int, default=10_000, help="about how many articles the store holds")
    parser.add_argument(
        "--base", type=int, default=100, help="how many of them the pipeline processes (see build_store)"
    )
    parser.add_argument("--db", type=Path, help="measure this existing store instead of building one")
    parser.add_argument("--readers", type=int, default=50, help="concurrent readers")
    parser.add_argument("--rounds", type=int, default=4, help="rounds per reader, each over every page type")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()

    db = args.db or build_store(args.data, args.articles, args.base, args.seed)
    with Store(db) as store:
        articles = store.count()
    targets = sample_targets(db, args.seed)
    port = free_port()
    with tempfile.TemporaryFile() as log:
        server = start_server(db, port, log)
        try:
            results, elapsed = asyncio.run(load(f"http://127.0.0.1:{port}", targets, args.readers, args.rounds))
        finally:
            server.terminate()
            server.wait(timeout=30)
    summary = summarize(results, elapsed, articles, args.readers)
    if args.json:
        print(json.dumps(summary))
    else:
        print_table(summary)
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
