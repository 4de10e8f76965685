"""End to end in real headless Chromium (Debian's package, driven by Playwright), with an axe-core pass.

`scripts/setup-browser.sh` installs chromium, playwright and axe-core; without them these tests are skipped
with the reason. Screenshots of every page go to tests/screenshots/.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from storylens.store import Store
from storylens.web import create_app
from web_helpers import demo_store

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo" / "corpus"
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "tests" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE_RUN = """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
    .then(result => ({violations: result.violations, passes: result.passes.length}))"""

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed: run scripts/setup-browser.sh")
if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium: run scripts/setup-browser.sh", allow_module_level=True)
if not AXE.exists():
    pytest.skip("no node_modules/axe-core: run scripts/setup-browser.sh", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(db: Path) -> Iterator[str]:
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def demo_db() -> Path:
    return demo_store()


@pytest.fixture(scope="module")
def base_url(demo_db: Path) -> Iterator[str]:
    yield from _serve(demo_db)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def contexts(browser: object, base_url: str) -> Iterator[dict[str, object]]:
    """Two browser contexts: one as a reader has it, and one that ignores the pages' Content-Security-Policy
    (to inject axe-core, and to show that escaping alone keeps article text from running)."""
    opened = {
        "reader": browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900}),
        "no-csp": browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900}, bypass_csp=True),
    }
    yield opened
    for context in opened.values():
        context.close()


def _page(context: object) -> Iterator[object]:
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    opened.close()
    assert dialogs == [], "a page opened a dialog: some text ran as script"


@pytest.fixture
def page(contexts: dict[str, object]) -> Iterator[object]:
    yield from _page(contexts["reader"])


@pytest.fixture
def unprotected_page(contexts: dict[str, object]) -> Iterator[object]:
    yield from _page(contexts["no-csp"])


def shot(page: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def story_ids(db: Path) -> dict[str, list[str]]:
    with Store(db) as store:
        return {story.id: story.article_ids for story in store.stories()}


def test_story_list_search_and_filters(page: object, demo_db: Path) -> None:
    page.goto("/")
    rows = page.locator("tbody tr")
    assert rows.count() == len(story_ids(demo_db))
    shot(page, "01-stories")

    page.get_by_label("Search the articles").fill("tear gas")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/?q=tear+gas*")
    assert page.locator("#matching").is_visible()
    assert 1 <= rows.count() < len(story_ids(demo_db)) + 1
    shot(page, "02-search")

    page.goto("/")
    outlet = page.locator("#outlet option").nth(1).inner_text()
    page.get_by_label("Outlet").select_option(outlet)
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**outlet=*")
    assert rows.count() >= 1
    for cell in page.locator("tbody tr td:nth-child(5)").all_inner_texts():
        assert outlet in cell

    page.goto("/")
    page.get_by_label("From").fill("2099-01-01")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**from=2099-01-01*")
    assert rows.count() == 0
    assert "No story matches" in page.content()


def test_story_page_links_to_articles_and_compare(page: object, demo_db: Path) -> None:
    page.goto("/")
    biggest = max(story_ids(demo_db).items(), key=lambda item: len(item[1]))[0]
    page.locator(f'a[href="/stories/{biggest}"]').click()
    page.wait_for_url(f"**/stories/{biggest}")
    for heading in ("Summary", "Timeline", "Quotes and reported speech", "Claims and their support"):
        assert page.get_by_role("heading", name=heading).is_visible()
    shot(page, "03-story")

    page.locator("#summary .cite a").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator("mark#mark, #mark").count() >= 1 or page.locator(".cited").count() >= 1
    shot(page, "04-article-cited")

    page.go_back()
    page.get_by_role("button", name="Compare side by side").click()
    page.wait_for_url("**/compare?**")
    assert page.get_by_role("heading", name="Compare two articles").is_visible()
    shot(page, "05-compare-form")


def test_wire_copy_compare_view_marks_edits(page: object, demo_db: Path) -> None:
    biggest = max(story_ids(demo_db).items(), key=lambda item: len(item[1]))[0]
    page.goto(f"/stories/{biggest}")
    link = page.locator("#reuse a", has_text="side by side").first
    if link.count() == 0:
        pytest.fail("the demo story has no wire-copy pair to compare")
    link.click()
    page.wait_for_url("**/compare?**")
    assert page.locator("tr.aligned").count() >= 1
    assert page.locator("td del.del").count() >= 1
    assert page.locator("td ins.ins").count() >= 1
    shot(page, "06-compare-wire")


def test_article_page_items_and_removed_clutter(page: object) -> None:
    page.goto("/articles/courier-port-clashes")
    assert page.get_by_role("heading", name="Clean text").is_visible()
    assert "We use cookies" not in page.locator(".article-text").inner_text()
    item_links = page.locator("#h-items ~ details a[href^='#']")
    if item_links.count():
        target = item_links.first.get_attribute("href")
        item_links.first.click()
        assert page.url.endswith(target)
        assert page.locator(target).count() == 1
    shot(page, "07-article")

    page.get_by_role("link", name="Show the removed clutter").click()
    page.wait_for_url("**clutter=1*")
    assert page.locator("del.removed", has_text="We use cookies").count() >= 1
    shot(page, "08-article-clutter")


@pytest.mark.parametrize("protection", ["csp-and-escaping", "escaping-alone"])
def test_script_injection_article_does_not_run(page: object, unprotected_page: object, protection: str) -> None:
    reader = page if protection == "csp-and-escaping" else unprotected_page
    for url in ("/articles/wirebeat-port-defacement", "/articles/wirebeat-port-defacement?clutter=1"):
        reader.goto(url)
        reader.wait_for_load_state("load")
        assert "<script>alert(1)</script>" in reader.locator(".article-text").inner_text()
        assert "<img src=x onerror=alert(1)>" in reader.locator(".article-text").inner_text()
        assert reader.locator("script").count() == 0
        assert reader.locator("[onerror]").count() == 0
    shot(reader, f"09-injection-{protection}")


PAGES = {
    "stories": "/",
    "search": "/?q=port",
    "story": None,
    "article": "/articles/courier-port-clashes",
    "article-clutter": "/articles/courier-port-clashes?clutter=1",
    "compare": "/compare?a=courier-port-clashes&b=sentinel-port-riots",
    "ingest": "/ingest",
}


def test_accessibility_with_axe(unprotected_page: object, demo_db: Path) -> None:
    """axe-core's WCAG 2.1 A/AA and best-practice rules (landmarks, headings, labels, contrast) on every page."""
    problems = []
    for name, url in PAGES.items():
        unprotected_page.goto(url or f"/stories/{next(iter(story_ids(demo_db)))}")
        unprotected_page.add_script_tag(path=str(AXE))  # a script the pages' own policy rightly forbids
        result = unprotected_page.evaluate(AXE_RUN, AXE_TAGS)
        assert result["passes"] > 10, name
        problems += [
            f"{name}: {violation['id']} ({violation['impact']}): {violation['help']} — {node['target']}"
            for violation in result["violations"]
            for node in violation["nodes"][:3]
        ]
    assert problems == []


def test_upload_form_adds_articles(page: object, tmp_path: Path) -> None:
    db = tmp_path / "upload.db"
    Store(db).close()
    for base in _serve(db):
        page.goto(f"{base}/ingest")
        page.get_by_label("Files").set_input_files([str(DEMO / "feed.jsonl"), str(DEMO / "sentinel-port-riots.txt")])
        page.get_by_role("button", name="Add").click()
        page.wait_for_selector("#h-outcome")
        assert "Added 3" in page.locator("#h-outcome").inner_text()
        shot(page, "10-ingest")
        page.get_by_role("link", name="See the stories").click()
        assert page.locator("tbody tr").count() >= 1
