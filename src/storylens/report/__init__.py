"""Outputs: stories.json, skipped.jsonl, a Markdown and a self-contained HTML page per story, an index.

HTML is rendered with autoescaping on and a Content-Security-Policy that forbids scripts and any network
request, so article text can never run or call out.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from importlib import resources
from importlib.metadata import version
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from rich.console import Console
from rich.table import Table

from storylens.model import Article, EntitySummary, Result, StoryDigest, to_dict
from storylens.report.edits import describe_tally, tally_edits
from storylens.report.glance import at_a_glance, counted

QUOTE_MARKS = '“”„«»"'  # stripped from a direct quote's ends before the report adds its own


def write_outputs(result: Result, out_dir: str | Path) -> list[Path]:
    """Write every output file into ``out_dir`` and return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = [_write(out / "stories.json", json.dumps(to_dict(result), ensure_ascii=False, indent=1))]
    skipped_lines = [json.dumps(to_dict(skip), ensure_ascii=False) + "\n" for skip in result.skipped]
    written.append(_write(out / "skipped.jsonl", "".join(skipped_lines)))
    by_id = {article.id: article for article in result.articles}
    for digest in result.digests:
        members = [by_id[article_id] for article_id in digest.story.article_ids]
        written.append(_write(out / f"story-{digest.story.id}.md", render_markdown(digest)))
        written.append(_write(out / f"story-{digest.story.id}.html", render_html(digest, members)))
    written.append(_write(out / "index.html", render_index(result)))
    return written


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@functools.cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("storylens.report", "templates"), autoescape=select_autoescape(["html"]))
    env.filters["anchor"] = anchor
    env.globals.update(
        css=resources.files("storylens.report").joinpath("templates/style.css").read_text(encoding="utf-8"),
        version=version("storylens"),
        schema_version=Result.__dataclass_fields__["schema_version"].default,
        cite_href=lambda citation: f"#a-{anchor(citation.article_id)}",  # one self-contained page per story
        article_href=lambda article_id: f"#a-{anchor(article_id)}",
        compare_href=lambda _a, _b: None,
        at_a_glance=at_a_glance,
        tally_edits=tally_edits,
        counted=counted,
    )
    return env


def anchor(article_id: str) -> str:
    """An HTML id fragment for an article id."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", article_id)


def render_html(digest: StoryDigest, articles: Sequence[Article]) -> str:
    outlet_of = {summary.id: summary.outlet or summary.id for summary in digest.articles}
    return _environment().get_template("story.html").render(d=digest, articles=articles, outlet_of=outlet_of)


def render_index(result: Result) -> str:
    usable = sum(article.status == "ok" for article in result.articles)
    return _environment().get_template("index.html").render(result=result, usable=usable)


def render_markdown(digest: StoryDigest) -> str:
    story = digest.story
    lines = [f"# {story.label}", ""]
    lines.append(
        f"{counted(len(digest.articles), 'article')} · {counted(len(digest.outlets), 'outlet')} · "
        f"{counted(story.independent_sources, 'independent source')} · {story.start or 'undated'}"
        + (f" – {story.end}" if story.end and story.end != story.start else "")
    )
    lines += ["", f"Outlets: {', '.join(digest.outlets)}", "", "## At a glance", ""]
    lines += [f"- {line.text}" for line in at_a_glance(digest)]
    lines += ["", "## Summary", ""]
    lines += [f"- {s.text} {_md_cites(s.citations)}" for s in digest.summary]
    lines += ["", "## Wire copies and reused text", ""]
    outlet_of = {a.id: a.outlet or a.id for a in digest.articles}
    for group in digest.reuse:
        lines.append(
            f"- Group of {', '.join(outlet_of.get(m, m) for m in group.members)}; "
            f"likely original: {outlet_of.get(group.original, group.original)}"
        )
        for pair in group.pairs:
            lines.append(f"  - {outlet_of.get(pair.b, pair.b)} changed from {outlet_of.get(pair.a, pair.a)}:")
            lines += [f"    - {describe_tally(tally)}" for tally in tally_edits(pair.edits)]
    lines += ["", "## Contradictions", ""]
    for c in digest.contradictions:
        lines.append(f"- **{c.slot}**: {c.description}")
        lines += [f"  - **{side.value}**: “{side.citation.text}” {_md_cites([side.citation])}" for side in c.sides]
    lines += ["", "## Timeline", ""]
    lines += [f"- {t.value}: {t.description} {_md_cites(t.sources)}" for t in digest.timeline]
    if digest.undated_articles:
        lines.append(f"- Undated articles, not placed: {', '.join(digest.undated_articles)}")
    lines += ["", "## Quotes", ""]
    for q in digest.quotes:
        kind = "" if q.direct else " (reported)"
        wording = q.wordings[0].text.strip(QUOTE_MARKS + " ")
        cites = _md_cites([w.citation for w in q.wordings])
        lines.append(f"- {q.speaker or 'Unattributed'}{kind}: “{wording}” {cites}")
        lines += [f"  - wording differs: {difference}" for difference in q.differences]
    lines += ["", "## Claims", ""]
    lines += [f"- {c.text} ({c.independent_sources} independent) {_md_cites(c.statements)}" for c in digest.claims]
    lines += ["", "## Framing", ""]
    for framing in digest.framing:
        cells = "; ".join(
            f"{outlet}: {', '.join(f'{u.term} ({u.count})' for u in uses)}"
            for outlet, uses in framing.terms_by_outlet.items()
        )
        lines.append(f"- {framing.actor}: {cells}")
    lines += ["", "## Entities", ""]
    lines += [_md_entity(entity) for entity in digest.entities[:25]]
    return "\n".join(lines) + "\n"


def _md_entity(entity: EntitySummary) -> str:
    counts = f"{counted(entity.mentions, 'mention')} in {counted(entity.articles, 'article')}"
    line = f"- {entity.id} ({entity.label}, {counts})"
    if entity.aliases:
        line += " — also “" + "”, “".join(entity.aliases) + "”"
    return line + (f" — stands for {entity.stands_for}" if entity.stands_for else "")


def _md_cites(citations: Sequence) -> str:
    return "[" + "; ".join(c.outlet or c.article_id for c in citations) + "]"


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def print_summary(result: Result, console: Console) -> None:
    """A compact terminal summary: stories, their outlets and reuse, and what was skipped."""
    usable = sum(article.status == "ok" for article in result.articles)
    console.print(
        f"[bold]{len(result.stories)} stories[/] from {usable} articles; "
        f"{len(result.reuse)} reuse groups; {len(result.skipped)} skipped"
    )
    table = Table("story", "label", "articles", "outlets", "independent", "contradictions")
    for digest in result.digests:
        table.add_row(
            digest.story.id,
            _short(digest.story.label, 60),
            str(len(digest.articles)),
            str(len(digest.outlets)),
            str(digest.story.independent_sources),
            str(len(digest.contradictions)),
        )
    console.print(table)
    for skip in result.skipped:
        console.print(f"[yellow]skipped[/] {skip.origin}: {skip.reason} — {skip.detail}")
