"""The web UI and HTTP API through FastAPI's TestClient, on a store built from the demo corpus."""

from __future__ import annotations

import json
import re
import sqlite3
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from storylens import clean, ingest
from storylens.model import Span
from storylens.report import render_html
from storylens.store import Store
from storylens.web import DEFAULT_HOST, WebSettings, create_app
from storylens.web.render import Highlight, paragraphs, parse_span, pieces
from storylens.web.upload import UploadLimits, safe_names
from web_helpers import demo_store

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo" / "corpus"
INJECTION_ID = "wirebeat-port-defacement"


@pytest.fixture(scope="module")
def demo_db() -> Path:
    return demo_store()


@pytest.fixture(scope="module")
def client(demo_db: Path) -> TestClient:
    return TestClient(create_app(demo_db))


@pytest.fixture(scope="module")
def digests(demo_db: Path) -> list:
    with Store(demo_db) as store:
        return store.digests()


class Links(HTMLParser):
    """Every href and id on a page, and any script element or on* attribute (there must be none)."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.active: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("href"):
            self.hrefs.append(values["href"])
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "script" or any(name.startswith("on") for name in values):
            self.active.append(tag)


def parse(html: str) -> Links:
    links = Links()
    links.feed(html)
    return links


def test_story_list_shows_every_story_with_size_outlets_and_sources(client: TestClient, digests: list) -> None:
    response = client.get("/")
    assert response.status_code == 200
    for digest in digests:
        assert f'href="/stories/{digest.story.id}"' in response.text
    api = client.get("/api/stories").json()
    assert api["total"] == len(digests)
    by_id = {d.story.id: d for d in digests}
    for row in api["stories"]:
        digest = by_id[row["id"]]
        assert row["articles"] == len(digest.story.members)
        assert row["outlets"] == digest.outlets
        assert row["independent_sources"] == digest.story.independent_sources
    latest = [row["latest"] or "" for row in api["stories"]]
    assert latest == sorted(latest, reverse=True)


def test_search_finds_the_story_of_a_matching_article(client: TestClient, digests: list) -> None:
    found = client.get("/api/stories", params={"q": "tear gas"}).json()
    assert found["total"] >= 1
    assert any(article["id"] for article in found["matching_articles"])
    hits = {article["id"] for article in found["matching_articles"]}
    stories = {row["id"] for row in found["stories"]}
    assert stories == {d.story.id for d in digests if hits & set(d.story.article_ids)}
    assert client.get("/api/stories", params={"q": "zzyzxnonexistentword"}).json()["total"] == 0
    # FTS5 syntax in the query is read as words, never as a query-language error
    assert client.get("/", params={"q": 'port" OR (NEAR'}).status_code == 200


def test_filters_by_outlet_entity_and_dates(client: TestClient, digests: list) -> None:
    outlet = digests[0].outlets[0]
    rows = client.get("/api/stories", params={"outlet": outlet}).json()["stories"]
    assert rows and all(outlet in row["outlets"] for row in rows)
    assert {row["id"] for row in rows} == {d.story.id for d in digests if outlet in d.outlets}

    entity = next(name for d in digests for name in d.story.entities)
    rows = client.get("/api/stories", params={"entity": entity.upper()}).json()["stories"]
    assert rows and all(entity in row["entities"] for row in rows)

    assert client.get("/api/stories", params={"from": "2099-01-01"}).json()["total"] == 0
    dated = client.get("/api/stories", params={"from": "2000-01-01", "to": "2099-12-31"}).json()
    assert dated["total"] == sum(1 for d in digests if d.story.start)


def test_a_bad_date_is_explained_not_crashed_on(client: TestClient) -> None:
    page = client.get("/", params={"from": "March 4"})
    assert page.status_code == 200
    assert "must be a date as YYYY-MM-DD" in page.text
    assert client.get("/api/stories", params={"from": "March 4"}).status_code == 422


def test_story_page_has_every_section_and_links_citations_to_their_spans(client: TestClient, digests: list) -> None:
    digest = max(digests, key=lambda d: len(d.articles))
    page = client.get(f"/stories/{digest.story.id}")
    assert page.status_code == 200
    for heading in ("Summary", "Timeline", "Quotes", "Claims", "Contradictions", "Framing", "Outlets", "Wire copies"):
        assert heading in page.text
    links = parse(page.text)
    cited = [href for href in links.hrefs if "mark=" in href]
    assert cited, "summary citations link to the cited span"
    for article in digest.articles:
        assert f"/articles/{article.id}" in unquote(page.text)
    for href in cited[:5]:
        target = client.get(href)
        assert target.status_code == 200
        assert 'id="mark"' in target.text


def test_report_and_web_story_page_render_the_same_sections(client: TestClient, digests: list, demo_db: Path) -> None:
    digest = max(digests, key=lambda d: len(d.reuse))
    with Store(demo_db) as store:
        articles = store.articles(digest.story.article_ids)
    report = parse(render_html(digest, articles))
    web = parse(client.get(f"/stories/{digest.story.id}").text)
    sections = {"summary", "timeline", "quotes", "claims", "contradictions", "framing", "reuse"}
    assert sections <= report.ids and sections <= web.ids
    assert report.hrefs and all(href.startswith("#") or href == "index.html" for href in report.hrefs)
    assert {href[1:] for href in report.hrefs if href.startswith("#")} <= report.ids, "report links stay on the page"
    assert any(href.startswith("/compare?") for href in web.hrefs) and any("mark=" in href for href in web.hrefs)


def test_a_story_without_a_fresh_digest_gets_one_on_first_view(tmp_path: Path, demo_db: Path) -> None:
    db = tmp_path / "stale.db"
    with sqlite3.connect(demo_db) as source, sqlite3.connect(db) as copy:
        source.backup(copy)
    with Store(db) as store:
        story = store.stories()[0]
        store.db.execute("UPDATE stories SET basis = 'changed since' WHERE id = ?", (story.id,))
        assert store.digest(story.id) is None
    client = TestClient(create_app(db))
    assert client.get(f"/api/stories/{story.id}").json()["story"]["id"] == story.id
    with Store(db) as store:
        assert store.stale_stories() == [] and store.digest(story.id) is not None


def test_article_page_links_every_extracted_item_to_its_span(client: TestClient, digests: list) -> None:
    article_id = digests[0].story.article_ids[0]
    page = client.get(f"/articles/{article_id}")
    assert page.status_code == 200
    links = parse(page.text)
    fragments = [href[1:] for href in links.hrefs if href.startswith("#")]
    assert any(fragment.startswith("q-") for fragment in fragments) or any(
        fragment.startswith("e-") for fragment in fragments
    )
    assert set(fragments) <= links.ids
    article = client.get(f"/api/articles/{article_id}").json()
    assert len([f for f in fragments if f.startswith("e-")]) == len(article["analysis"]["entities"])


def test_removed_clutter_is_struck_through_on_request(client: TestClient) -> None:
    article = client.get("/api/articles/courier-port-clashes").json()
    removed = article["removed"]
    assert removed
    clean = client.get("/articles/courier-port-clashes").text
    assert "We use cookies" not in clean
    shown = client.get("/articles/courier-port-clashes", params={"clutter": "1"}).text
    assert re.search(r'<del class="removed">[^<]*We use cookies', shown)


def test_metadata_shows_where_each_field_came_from(client: TestClient) -> None:
    article = client.get("/api/articles/courier-port-clashes").json()
    page = client.get("/articles/courier-port-clashes").text
    for name, source in article["meta"]["sources"].items():
        assert source["method"] in page, name
        if source["span"]:
            shown = client.get("/articles/courier-port-clashes", params={"clutter": "1", "field": name}).text
            assert 'id="mark"' in shown


def test_article_text_is_escaped_and_scripts_are_forbidden(client: TestClient) -> None:
    page = client.get(f"/articles/{INJECTION_ID}")
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text
    assert parse(page.text).active == []
    assert "script-src" not in page.headers["content-security-policy"]
    assert "default-src 'none'" in page.headers["content-security-policy"]
    for raw in (
        client.get(f"/articles/{INJECTION_ID}", params={"clutter": "1"}),
        client.get("/", params={"q": "<script>"}),
    ):
        assert parse(raw.text).active == []


def test_compare_marks_word_level_differences(client: TestClient, digests: list) -> None:
    pair = next(p for d in digests for g in d.reuse for p in g.pairs if p.edits)
    page = client.get("/compare", params={"a": pair.a, "b": pair.b})
    assert page.status_code == 200
    assert 'class="aligned"' in page.text
    edit = next(e for e in pair.edits if e.a_text and e.b_text)
    assert re.search(r"<del class=\"del\">[^<]*" + re.escape(edit.a_text.split()[0]), page.text)
    assert re.search(r"<ins class=\"ins\">[^<]*" + re.escape(edit.b_text.split()[0]), page.text)
    api = client.get("/api/compare", params={"a": pair.a, "b": pair.b}).json()
    assert api["passages"] and api["edits"]


def test_unknown_ids_are_404_in_pages_and_api(client: TestClient) -> None:
    assert client.get("/stories/nope").status_code == 404
    assert client.get("/articles/..%2F..%2Fetc%2Fpasswd").status_code == 404
    response = client.get("/api/articles/nope")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("No article")
    assert client.get("/compare", params={"a": "nope", "b": "nope"}).status_code == 404


def test_openapi_spec_lists_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/compare"):
        assert path in spec["paths"]
    assert "post" in spec["paths"]["/api/ingest"]


def test_ingest_jsonl_body_updates_stories_and_keeps_their_ids(tmp_path: Path) -> None:
    db = tmp_path / "grow.db"
    Store(db).close()
    client = TestClient(create_app(db))
    lines = (DEMO / "feed.jsonl").read_text(encoding="utf-8")
    first = client.post("/api/ingest", content=lines, headers={"content-type": "application/x-ndjson"})
    assert first.status_code == 200, first.text
    assert len(first.json()["added"]) == 2
    stories_before = {row["id"]: row for row in client.get("/api/stories").json()["stories"]}
    assert stories_before

    files = [("files", ("sentinel-port-riots.txt", (DEMO / "sentinel-port-riots.txt").read_bytes(), "text/plain"))]
    second = client.post("/api/ingest", files=files)
    assert second.status_code == 200, second.text
    assert second.json()["added"] == ["sentinel-port-riots"]
    changed = second.json()["changed_stories"]
    assert changed and set(changed) <= {row["id"] for row in client.get("/api/stories").json()["stories"]}
    with Store(db) as store:
        assert store.stale_stories() == [], "the changed stories' digests are made at ingest"
    after = client.get("/api/stories").json()["stories"]
    assert sum(row["articles"] for row in after) == 3
    assert set(stories_before) & {row["id"] for row in after}, "earlier stories keep their ids"
    origin = client.get("/api/articles/sentinel-port-riots").json()["origin"]["path"]
    assert origin == "upload/sentinel-port-riots.txt"

    again = client.post("/api/ingest", files=files).json()
    assert again["added"] == [] and again["duplicates"]


def test_articles_ingested_from_the_command_line_are_placed_when_the_app_starts(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    with Store(db) as store:
        added = store.ingest(ingest.read([DEMO / "feed.jsonl"]), clean.clean).added
        assert added and store.stories() == []
    rows = TestClient(create_app(db)).get("/api/stories").json()["stories"]
    assert sum(row["articles"] for row in rows) == len(added)


def test_uploads_are_bounded_in_size_count_and_type(tmp_path: Path) -> None:
    db = tmp_path / "small.db"
    Store(db).close()
    limits = UploadLimits(max_body_bytes=2000, max_files=2)
    client = TestClient(create_app(db, WebSettings(upload=limits)))
    big = client.post("/api/ingest", content=b"x" * 5000, headers={"content-type": "application/x-ndjson"})
    assert big.status_code == 413
    many = [("files", (f"a{n}.txt", b"Some words here.", "text/plain")) for n in range(3)]
    assert client.post("/api/ingest", files=many).status_code == 400
    assert client.post("/api/ingest", content=b"hello", headers={"content-type": "text/html"}).status_code == 415
    empty = client.post("/api/ingest", content=b"", headers={"content-type": "application/x-ndjson"})
    assert empty.status_code == 400
    page = client.post("/ingest", content=b"x" * 5000, headers={"content-type": "application/x-ndjson"})
    assert page.status_code == 413 and "limit" in page.text


def test_upload_names_never_leave_the_upload_folder() -> None:
    names = safe_names(["../../etc/passwd", "..\\win.ini", ".hidden", "", "a b?.txt", "A B?.txt"])
    assert names == ["passwd", "win.ini", "hidden", "upload-4", "a_b_.txt", "2-A_B_.txt"]
    assert all("/" not in name and not name.startswith(".") for name in names)


def test_serves_on_loopback_by_default() -> None:
    from storylens.cli import _parser

    assert DEFAULT_HOST == "127.0.0.1"
    assert _parser().parse_args(["serve", "--db", "x.db"]).host == "127.0.0.1"


def test_pieces_cut_text_at_every_highlight_boundary() -> None:
    text = "Ana said hello.\n\nBo left."
    marks = [Highlight(Span(0, 3), "entity", "e-0"), Highlight(Span(9, 22), "quote", "q-0")]
    cut = pieces(text, marks)
    assert "".join(piece.text for piece in cut) == text
    assert [p.kinds for p in cut] == [("entity",), (), ("quote",), ()]
    blocks = paragraphs(text, marks)
    assert [p.kinds for p in blocks[0] if p.text == "hello."] == [("quote",)]
    assert ["".join(p.text for p in block) for block in blocks] == ["Ana said hello.", "Bo left."]
    assert blocks[1][0].kinds == ("quote",) and blocks[1][0].anchors == ()
    assert parse_span("3-9", 10) == Span(3, 9)
    assert parse_span("9-3", 10) is None and parse_span("3-90", 10) is None and parse_span("../x", 10) is None


def test_json_api_returns_the_digest(client: TestClient, digests: list) -> None:
    digest = digests[0]
    data = client.get(f"/api/stories/{digest.story.id}").json()
    assert data["story"]["id"] == digest.story.id
    assert json.dumps(data)


def test_invalid_parameters_are_explained_in_the_page_or_as_json(client: TestClient) -> None:
    page = client.get("/", params={"page": "two"})
    assert page.status_code == 422
    assert "text/html" in page.headers["content-type"] and "page" in page.text
    api = client.get("/api/stories", params={"page_size": "0"})
    assert api.status_code == 422 and api.json()["detail"][0]["loc"][-1] == "page_size"


def test_serve_refuses_a_store_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from storylens.cli import main

    assert main(["serve", "--db", str(tmp_path / "missing.db")]) == 1
    assert "no store at" in capsys.readouterr().err
    assert not (tmp_path / "missing.db").exists()
