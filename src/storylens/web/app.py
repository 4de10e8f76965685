"""The FastAPI app: server-rendered pages and a JSON API over one store, on the same functions as the CLI.

Every page is rendered by Jinja with autoescaping, and every response carries a Content-Security-Policy that
allows no script at all, so article text that holds ``<script>`` or an ``onerror=`` attribute is shown as
text and could not run even if it were not escaped. No request parameter is ever used as a file path.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from storylens import pipeline
from storylens.model import Analysis, Article, StoryDigest, to_dict
from storylens.report.edits import tally_edits
from storylens.report.glance import at_a_glance
from storylens.store import Store
from storylens.web import render
from storylens.web.upload import UploadError, UploadLimits, ingest_uploads, read_uploads
from storylens.web.views import StoreView, StoryFilter, StoryRow

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

OptionalText = Annotated[str | None, Query(max_length=500)]


@dataclass(frozen=True)
class WebSettings:
    upload: UploadLimits = field(default_factory=UploadLimits)
    max_bytes: int = pipeline.DEFAULT_MAX_BYTES  # per uploaded file, as for `storylens ingest --max-bytes`


def create_app(db: str | Path, settings: WebSettings | None = None) -> FastAPI:
    """The app for one store (which must exist; create it with ``storylens ingest --db``).

    Articles stored since the stories were last updated (by ``storylens ingest``) are placed first; their
    stories' digests are made when first viewed.
    """
    settings = settings or WebSettings()
    with Store(db) as store:
        if store.unsketched():
            pipeline.update_store(store, pipeline.Settings())
    view = StoreView(db)
    templates = _templates()
    ingest_lock = threading.Lock()
    analysis_turn = asyncio.Lock()
    app = FastAPI(
        title="storylens",
        version=version("storylens"),
        description="Stories, articles and their comparison from a storylens store.",
        docs_url=None,  # the interactive docs need scripts from a CDN; the spec is at /openapi.json
        redoc_url=None,
    )
    app.state.view = view

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if is_api(request):
            return JSONResponse({"detail": error.detail}, status_code=error.status_code)
        page = templates.get_template("error.html").render(status=error.status_code, message=error.detail)
        return HTMLResponse(page, status_code=error.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        if is_api(request):
            return JSONResponse({"detail": jsonable_encoder(error.errors())}, status_code=422)
        problems = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in error.errors())
        page = templates.get_template("error.html").render(status=422, message=f"Invalid request: {problems}.")
        return HTMLResponse(page, status_code=422)

    def html(name: str, **context: Any) -> HTMLResponse:
        return HTMLResponse(templates.get_template(name).render(**context))

    # pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def story_list(
        request: Request,
        q: OptionalText = None,
        date_from: Annotated[str | None, Query(alias="from", max_length=10)] = None,
        date_to: Annotated[str | None, Query(alias="to", max_length=10)] = None,
        outlet: OptionalText = None,
        entity: OptionalText = None,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    ) -> HTMLResponse:
        error = None
        try:
            wanted = story_filter(q, date_from, date_to, outlet, entity)
        except ValueError as problem:
            error, wanted = str(problem), StoryFilter()
        found = view.story_page(wanted, page)
        return html("stories.html", found=found, wanted=wanted, error=error, view=view, args=request.query_params)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    async def story_page(story_id: str) -> HTMLResponse:
        digest = await found_digest(story_id)
        return await run_in_threadpool(
            html, "story.html", d=digest, outlet_of={a.id: a.outlet or a.id for a in digest.articles}
        )

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    async def article_page(
        article_id: str,
        clutter: bool = False,
        mark: OptionalText = None,
        meta_field: Annotated[str | None, Query(alias="field", max_length=40)] = None,
    ) -> HTMLResponse:
        article = await run_in_threadpool(found_article, article_id)
        analysis = await analysed(article)
        return await run_in_threadpool(render_article, article, analysis, clutter, mark, meta_field)

    def render_article(
        article: Article, analysis: Analysis | None, clutter: bool, mark: str | None, meta_field: str | None
    ) -> HTMLResponse:
        highlights = render.analysis_highlights(analysis)
        cited = render.parse_span(mark, len(article.body))
        if cited is not None:
            highlights.append(render.Highlight(cited, "cited", "mark"))
        if clutter:
            blocks = [render.pieces(article.raw, render.raw_highlights(article, highlights, meta_field))]
        else:
            blocks = render.paragraphs(article.body, highlights)
        return html(
            "article.html",
            a=article,
            analysis=analysis,
            clutter=clutter,
            mark=mark if cited else None,
            blocks=blocks,
            story=view.story_of(article.id),
        )

    async def analysed(article: Article) -> Analysis | None:
        """The article's analysis; requests waiting for one to be computed wait here, not in worker threads."""
        stored = await run_in_threadpool(view.stored_analysis, article)
        if stored is not None or article.status != "ok":
            return stored
        async with analysis_turn:
            return await run_in_threadpool(view.analysis, article)

    async def found_digest(story_id: str) -> StoryDigest:
        """The story's stored digest, made now (and stored) when the story changed since it was made."""
        digest = view.digest(story_id)
        if digest is not None:
            return digest
        if not view.has_story(story_id):
            raise HTTPException(404, f"No story with id {story_id!r}.")
        async with analysis_turn:
            digest = await run_in_threadpool(view.make_digest, story_id)
        if digest is None:  # removed by an ingest meanwhile
            raise HTTPException(404, f"No story with id {story_id!r}.")
        return digest

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_page(
        a: Annotated[str, Query(max_length=500)],
        b: Annotated[str, Query(max_length=500)],
    ) -> HTMLResponse:
        left, right = found_article(a), found_article(b)
        alignment, rows = render.compare_rows(left, right)
        return html("compare.html", a=left, b=right, alignment=alignment, rows=rows)

    @app.get("/ingest", response_class=HTMLResponse, include_in_schema=False)
    def ingest_form() -> HTMLResponse:
        return html("ingest.html", limits=settings.upload, outcome=None, error=None)

    @app.post("/ingest", response_class=HTMLResponse, include_in_schema=False)
    async def ingest_submit(request: Request) -> HTMLResponse:
        try:
            outcome = await ingest_request(request)
        except UploadError as problem:
            page = html("ingest.html", limits=settings.upload, outcome=None, error=problem.message)
            page.status_code = problem.status
            return page
        return html("ingest.html", limits=settings.upload, outcome=outcome, error=None)

    @app.get("/static/style.css", include_in_schema=False)
    def stylesheet() -> Response:
        return Response(STYLE, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    # API

    @app.get("/api/stories", tags=["stories"])
    def api_stories(
        q: OptionalText = None,
        date_from: Annotated[str | None, Query(alias="from", max_length=10, description="YYYY-MM-DD")] = None,
        date_to: Annotated[str | None, Query(alias="to", max_length=10, description="YYYY-MM-DD")] = None,
        outlet: OptionalText = None,
        entity: OptionalText = None,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        page_size: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> dict[str, Any]:
        """Stories matching a full-text query and filters, latest activity first."""
        try:
            wanted = story_filter(q, date_from, date_to, outlet, entity)
        except ValueError as problem:
            raise HTTPException(422, str(problem)) from problem
        found = view.story_page(wanted, page, page_size)
        return {
            "total": found.total,
            "page": found.page,
            "pages": found.pages,
            "stories": [row_dict(row) for row in found.rows],
            "matching_articles": [to_dict(entry) for entry in found.matching_articles],
        }

    @app.get("/api/stories/{story_id}", tags=["stories"])
    async def api_story(story_id: str) -> dict[str, Any]:
        """One story's digest: summary, timeline, quotes, claims, contradictions, framing, reuse."""
        return to_dict(await found_digest(story_id))

    @app.get("/api/articles/{article_id:path}", tags=["articles"])
    async def api_article(article_id: str) -> dict[str, Any]:
        """One article: raw and clean text, removed clutter, metadata with sources, analysis (spans into body)."""
        article = await run_in_threadpool(found_article, article_id)
        article.analysis = await analysed(article)
        story = view.story_of(article.id)
        return {**to_dict(article), "story": story.id if story else None}

    @app.get("/api/compare", tags=["articles"])
    def api_compare(
        a: Annotated[str, Query(max_length=500)], b: Annotated[str, Query(max_length=500)]
    ) -> dict[str, Any]:
        """Two articles aligned: passages (spans into each body) and word-level edits."""
        left, right = found_article(a), found_article(b)
        alignment, _ = render.compare_rows(left, right)
        return {
            "a": left.id,
            "b": right.id,
            "similarity": alignment.similarity,
            "containment_a_in_b": alignment.containment_a_in_b,
            "containment_b_in_a": alignment.containment_b_in_a,
            "passages": to_dict(alignment.passages),
            "edits": to_dict(alignment.edits),
        }

    @app.get("/api/skipped", tags=["articles"])
    def api_skipped() -> list[dict[str, Any]]:
        """Inputs that could not be used, with the reason."""
        return [to_dict(skip) for skip in view.store().skipped()]

    @app.post("/api/ingest", tags=["ingest"], openapi_extra=INGEST_BODY)
    async def api_ingest(request: Request) -> dict[str, Any]:
        """Add articles (multipart field ``files``, or a JSONL body) and update the stories incrementally."""
        try:
            return await ingest_request(request)
        except UploadError as problem:
            raise HTTPException(problem.status, problem.message) from problem

    async def ingest_request(request: Request) -> dict[str, Any]:
        uploads = await read_uploads(request, settings.upload)
        return await run_in_threadpool(ingest_and_update, uploads)

    def ingest_and_update(uploads: list) -> dict[str, Any]:
        with ingest_lock:
            report = ingest_uploads(view.store(), uploads, settings.max_bytes)
            changed = update_stories() if report.added else []
            return {
                "added": report.added,
                "duplicates": [list(pair) for pair in report.duplicates],
                "skipped": [to_dict(skip) for skip in report.skipped],
                "stored": view.store().count(),
                "stories": len(view.snapshot.rows),
                "changed_stories": changed,
            }

    def update_stories() -> list[str]:
        """Place the new articles in stories (earlier ones stay), remake the changed digests, reload the view."""
        with view.analysis_lock:  # one spaCy pipeline; and no digest is made from a story while it changes
            update = pipeline.update_store(view.store(), pipeline.Settings())
            pipeline.refresh_digests(view.store(), pipeline.Settings(), update.changed)
        view.reload()
        return update.changed

    def found_article(article_id: str) -> Article:
        article = view.article(article_id)
        if article is None:
            raise HTTPException(404, f"No article with id {article_id!r}.")
        return article

    return app


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def story_filter(
    query: str | None, date_from: str | None, date_to: str | None, outlet: str | None, entity: str | None
) -> StoryFilter:
    """The list's filters from query parameters; ValueError names a date that is not YYYY-MM-DD."""
    return StoryFilter(
        query=(query or "").strip(),
        date_from=_date(date_from, "from"),
        date_to=_date(date_to, "to"),
        outlet=(outlet or "").strip(),
        entity=(entity or "").strip(),
    )


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"'{name}' must be a date as YYYY-MM-DD, not {value!r}") from error


def row_dict(row: StoryRow) -> dict[str, Any]:
    fields = to_dict(row)
    fields["articles"] = fields.pop("size")
    return fields


def article_url(article_id: str, **parameters: str) -> str:
    query = "&".join(f"{key}={quote(value, safe='')}" for key, value in parameters.items())
    return f"/articles/{quote(article_id, safe='')}" + (f"?{query}" if query else "")


def compare_url(a: str, b: str) -> str:
    return f"/compare?a={quote(a, safe='')}&b={quote(b, safe='')}"


def page_url(parameters: Mapping[str, str], page: int) -> str:
    """The story list's URL with the same filters on another page."""
    return "/?" + urlencode({**{key: value for key, value in parameters.items() if key != "page"}, "page": page})


def cited_url(citation: Any) -> str:
    """Where a citation points: the article page with the cited span marked, when the span is known."""
    if citation.span is None:
        return article_url(citation.article_id)
    return article_url(citation.article_id, mark=f"{citation.span.start}-{citation.span.end}") + "#mark"


def _templates() -> Environment:
    env = Environment(  # the story sections come from the report's templates (sections.html)
        loader=ChoiceLoader(
            [PackageLoader("storylens.web", "templates"), PackageLoader("storylens.report", "templates")]
        ),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        article_url=article_url,
        compare_url=compare_url,
        cite_href=cited_url,
        article_href=article_url,
        compare_href=compare_url,
        story_url=lambda story_id: f"/stories/{quote(story_id, safe='')}",
        page_url=page_url,
        version=version("storylens"),
        at_a_glance=at_a_glance,
        tally_edits=tally_edits,
    )
    return env


def _style() -> str:
    shared = resources.files("storylens.report").joinpath("templates/style.css").read_text(encoding="utf-8")
    own = resources.files("storylens.web").joinpath("static/web.css").read_text(encoding="utf-8")
    return shared + "\n" + own


STYLE = _style()

INGEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                }
            },
            "application/x-ndjson": {"schema": {"type": "string", "description": "one JSON object per line"}},
        },
    }
}
