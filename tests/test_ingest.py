import gzip
import importlib.util
import io
import os
import random
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storylens.ingest import read
from storylens.model import Document, Skipped

ARTICLE = (
    "Harbour strike ends after “marathon” talks\n\n"
    "Dock workers in Port Calloway returned to work on Tuesday after union leaders and the port "
    "authority agreed a new pay deal, ending a naïve standoff that had lasted nine days.\n\n"
    "“We got what we came for,” union chair Odile Brannagh said."
)
PAGE = (
    "<!DOCTYPE html><html><head><title>Strike ends</title>"
    '<link rel="canonical" href="https://harbourpost.example/strike-ends">'
    "<script>var tracking = 1;</script></head>"
    "<body><nav>Home | News</nav><article><p>Dock workers returned to work.</p></article></body></html>"
)


def read_all(*paths: Path | str, **options: int) -> list[Document | Skipped]:
    return list(read([str(path) for path in paths], **options))


def only_document(items: list[Document | Skipped]) -> Document:
    assert len(items) == 1, items
    assert isinstance(items[0], Document), items[0]
    return items[0]


def only_skip(items: list[Document | Skipped]) -> Skipped:
    assert len(items) == 1, items
    assert isinstance(items[0], Skipped), items[0]
    return items[0]


def write_warc(path: Path, pages: list[tuple[str, str, str, bytes]], compress: bool) -> None:
    """Write a WARC with a warcinfo record, then one response (and its request) per page."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "storylens-tests"}))
        for url, status, content_type, body in pages:
            request = writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
            writer.write_record(request)
            http_headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=http_headers,
                warc_headers_dict={"WARC-Date": "2025-03-04T09:10:00Z"},
            )
            writer.write_record(record)


WARC_PAGES = [
    ("https://harbourpost.example/strike", "200 OK", "text/html; charset=utf-8", PAGE.encode()),
    ("https://harbourpost.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
    ("https://harbourpost.example/gone", "404 Not Found", "text/html", b"<html><body>Not found</body></html>"),
    (
        "https://harbourpost.example/latin",
        "200 OK",
        "text/html; charset=iso-8859-1",
        "<html><body><p>Café talks résumé</p></body></html>".encode("latin-1"),
    ),
]


# --- plain text -------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_text_is_decoded_in_any_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "000_strike.txt"
    path.write_bytes(ARTICLE.encode(encoding))
    document = only_document(read_all(path))
    assert document.content == ARTICLE
    assert document.kind == "text"
    assert document.id == "000_strike"
    assert document.origin.path == str(path)
    assert document.hints == {}


LEGACY_TEXTS = {
    "cp1251": "Полиция задержала 27 человек после столкновений у ворот порта. «Мы не отдадим гавань», — сказала она.",
    "koi8_r": "Президент заявил, что переговоры о порте начнутся в четверг, после столкновений у ворот порта.",
    "cp1253": "Η αστυνομία συνέλαβε 27 άτομα μετά τις συγκρούσεις στο λιμάνι, δήλωσε η πρόεδρος του συνδικάτου.",
    "cp1250": "Policja zatrzymała 27 osób po starciach przed bramą portu. „Nie oddamy naszego portu”, powiedziała.",
    "iso8859_2": "Policie zadržela 27 lidí po střetech před branou přístavu. Smlouva byla podepsána v pátek.",
    "cp1254": "Polis, liman kapısı önündeki çatışmaların ardından 27 kişiyi gözaltına aldı, dedi sözcü.",
    "shift_jis": "港の労働者たちは火曜日に抗議した。警察は二十七人を逮捕した。",
    "gb2312": "港口工人周二举行抗议，警方逮捕了二十七人。",
    "euc_kr": "항구 노동자들이 화요일에 시위를 벌였다. 경찰은 27명을 체포했다.",
}


@pytest.mark.parametrize("encoding", sorted(LEGACY_TEXTS))
def test_legacy_code_pages_are_detected(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(LEGACY_TEXTS[encoding].encode(encoding))
    assert only_document(read_all(path)).content == LEGACY_TEXTS[encoding]


def test_text_quoting_markup_stays_text(tmp_path: Path) -> None:
    text = "Readers saw <script>alert(1)</script> and <img src=x onerror=alert(1)> in the comments."
    (tmp_path / "note.txt").write_text(text)
    document = only_document(read_all(tmp_path / "note.txt"))
    assert document.kind == "text"
    assert document.content == text


def test_gzipped_text(tmp_path: Path) -> None:
    path = tmp_path / "strike.txt.gz"
    path.write_bytes(gzip.compress(ARTICLE.encode("cp1252")))
    document = only_document(read_all(path))
    assert (document.id, document.kind, document.content) == ("strike", "text", ARTICLE)


# --- HTML -------------------------------------------------------------------------------------


def test_html_file_keeps_markup_and_finds_canonical_url(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE)
    document = only_document(read_all(tmp_path / "page.html"))
    assert document.kind == "html"
    assert document.content == PAGE
    assert document.hints == {"url": "https://harbourpost.example/strike-ends"}


def test_html_is_sniffed_by_content_and_og_url(tmp_path: Path) -> None:
    page = (
        '<html><head><meta property="og:url" content="https://tide.example/a"></head><body><p>Story</p></body></html>'
    )
    (tmp_path / "saved.txt").write_text(page)
    document = only_document(read_all(tmp_path / "saved.txt"))
    assert (document.kind, document.hints) == ("html", {"url": "https://tide.example/a"})


def test_html_declared_charset_is_used_for_legacy_bytes(tmp_path: Path) -> None:
    page = '<html><head><meta charset="windows-1251"></head><body><p>Новости порта</p></body></html>'
    (tmp_path / "ru.html").write_bytes(page.encode("cp1251"))
    assert only_document(read_all(tmp_path / "ru.html")).content == page


def test_html_without_visible_text_is_no_text(tmp_path: Path) -> None:
    (tmp_path / "shell.html").write_text("<html><head><script>app()</script></head><body> </body></html>")
    skip = only_skip(read_all(tmp_path / "shell.html"))
    assert (skip.origin, skip.reason) == (str(tmp_path / "shell.html"), "no_text")


# --- JSONL ------------------------------------------------------------------------------------


def test_jsonl_records_with_and_without_ids(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"id": "tide-17", "text": "Dock workers returned.", "url": "https://tide.example/17", '
        '"title": "Strike ends", "source": "The Tide", "published": "2025-03-04", "author": ["A. Roe", "B. Lin"]}\n'
        "\n"
        '{"html": "<html><body><p>Talks resumed.</p></body></html>", "published": 20250305}\n'
    )
    first, second = read_all(path)
    assert isinstance(first, Document) and isinstance(second, Document)
    assert (first.id, first.kind, first.content) == ("tide-17", "text", "Dock workers returned.")
    assert first.hints == {
        "url": "https://tide.example/17",
        "title": "Strike ends",
        "source": "The Tide",
        "published": "2025-03-04",
        "author": "A. Roe, B. Lin",
    }
    assert (first.origin.path, first.origin.line) == (str(path), 1)
    assert (second.id, second.kind, second.origin.line) == ("feed:3", "html", 3)
    assert second.hints == {"published": "20250305"}


def test_jsonl_bad_lines_skip_only_themselves(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"text": "First story."}\n'
        '{"text": "Broken story.\n'
        '["not", "an", "object"]\n'
        '{"title": "Headline only"}\n'
        '{"text": "Last story."}\n'
    )
    items = read_all(path)
    assert [(type(item).__name__, str(getattr(item, "origin", ""))) for item in items] == [
        ("Document", f"{path}:1"),
        ("Skipped", f"{path}:2"),
        ("Skipped", f"{path}:3"),
        ("Skipped", f"{path}:4"),
        ("Document", f"{path}:5"),
    ]
    assert [item.reason for item in items if isinstance(item, Skipped)] == [
        "malformed_jsonl",
        "malformed_jsonl",
        "no_text",
    ]
    assert "line 4" in items[3].detail.lower()


def test_jsonl_is_sniffed_without_extension(tmp_path: Path) -> None:
    (tmp_path / "dump").write_text('{"id": 7, "text": "Port reopens."}\n')
    document = only_document(read_all(tmp_path / "dump"))
    assert (document.id, document.content) == ("7", "Port reopens.")


def test_pretty_printed_json_is_one_skip(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text('{\n  "text": "Port reopens."\n}\n')
    assert only_skip(read_all(tmp_path / "one.json")).reason == "malformed_jsonl"


# --- WARC -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "compress"), [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_warc_yields_successful_text_responses(tmp_path: Path, name: str, compress: bool) -> None:
    path = tmp_path / name
    write_warc(path, WARC_PAGES, compress)
    items = read_all(path)
    assert all(isinstance(item, Document) for item in items), items
    # records: 1 warcinfo, then request + response per page; the image and the 404 are passed over
    assert [(item.id, item.origin.record) for item in items] == [("crawl#3", "3"), ("crawl#9", "9")]
    page, latin = items
    assert (page.kind, page.content) == ("html", PAGE)
    assert page.hints == {"url": "https://harbourpost.example/strike", "crawled": "2025-03-04T09:10:00Z"}
    assert "Café talks résumé" in latin.content
    assert str(page.origin) == f"{path}#3"


def test_truncated_warc_gz_keeps_earlier_records(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, WARC_PAGES, compress=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 60])
    items = read_all(path)
    assert isinstance(items[0], Document) and items[0].id == "crawl#3"
    assert isinstance(items[-1], Skipped)
    assert items[-1].reason == "truncated_gzip"
    assert items[-1].origin == f"{path}#9"


def test_truncated_and_garbled_warc_are_warc_errors(tmp_path: Path) -> None:
    truncated = tmp_path / "cut.warc"
    write_warc(truncated, WARC_PAGES[:1], compress=False)
    truncated.write_bytes(truncated.read_bytes()[:-40])
    garbled = tmp_path / "garbled.warc"
    garbled.write_bytes(b"WARC/1.0\r\nthis is not a header\r\n\r\nrandom bytes")
    cut_skip = only_skip(read_all(truncated))
    assert (cut_skip.reason, cut_skip.origin) == ("warc_error", f"{truncated}#3")
    assert "truncated" in cut_skip.detail
    garbled_skip = only_skip(read_all(garbled))
    assert (garbled_skip.reason, garbled_skip.origin) == ("warc_error", f"{garbled}#1")


def test_warc_record_over_limit_is_too_large(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, WARC_PAGES[:1], compress=True)
    skip = only_skip(read_all(path, max_bytes=100))
    assert (skip.reason, skip.origin) == ("too_large", f"{path}#3")


# --- folders, ids, order ----------------------------------------------------------------------


def test_folder_recursion_order_ids_and_hidden_files(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "b_outlet").mkdir(parents=True)
    (corpus / ".cache").mkdir()
    (corpus / "b_outlet" / "story.txt").write_text("Second outlet story.")
    (corpus / "a_story.html").write_text(PAGE)
    (corpus / "c.jsonl").write_text('{"text": "Feed story."}\n')
    (corpus / ".DS_Store").write_bytes(b"\x00\x01junk")
    (corpus / ".cache" / "old.txt").write_text("Hidden story.")
    items = read_all(corpus)
    assert [(item.id, str(item.origin)) for item in items] == [
        ("a_story", f"{corpus}/a_story.html"),
        ("b_outlet/story", f"{corpus}/b_outlet/story.txt"),
        ("c:1", f"{corpus}/c.jsonl:1"),
    ]
    assert read_all(corpus) == items


def test_a_single_path_is_not_read_letter_by_letter(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(ARTICLE)
    assert [item.id for item in read(str(tmp_path))] == ["story"]


def test_colliding_ids_get_deterministic_suffixes(tmp_path: Path) -> None:
    (tmp_path / "strike.txt").write_text("Plain story.")
    (tmp_path / "strike.html").write_text(PAGE)
    (tmp_path / "feed.jsonl").write_text('{"id": "strike", "text": "A"}\n{"id": "strike", "text": "B"}\n')
    ids = [item.id for item in read_all(tmp_path) if isinstance(item, Document)]
    assert ids == ["strike", "strike-2", "strike-3", "strike-4"]


# --- bad input --------------------------------------------------------------------------------


def test_empty_and_whitespace_files(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\t\n")
    (tmp_path / "empty.txt.gz").write_bytes(gzip.compress(b""))
    items = read_all(tmp_path)
    assert [(Path(item.origin).name, item.reason) for item in items] == [
        ("blank.txt", "empty"),
        ("empty.txt", "empty"),
        ("empty.txt.gz", "empty"),
    ]
    assert all(item.detail for item in items)


def test_binary_files(tmp_path: Path) -> None:
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "junk.bin").write_bytes(random.Random(3).randbytes(3000))
    (tmp_path / "zeros.txt").write_bytes(bytes(500))
    items = read_all(tmp_path)
    assert [item.reason for item in items] == ["binary", "binary", "binary"]
    assert "PNG" in items[1].detail


def test_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "mangled.txt"
    # high bytes only, no NUL: not binary by its look, yet no code page makes sense of them
    rng = random.Random(7)
    path.write_bytes(bytes(rng.randrange(0x80, 0x100) for _ in range(2000)))
    skip = only_skip(read_all(path))
    assert (skip.reason, skip.origin) == ("undecodable", str(path))


def test_truncated_gzip(tmp_path: Path) -> None:
    path = tmp_path / "story.txt.gz"
    path.write_bytes(gzip.compress(ARTICLE.encode() * 20)[:-30])
    skip = only_skip(read_all(path))
    assert skip.reason == "truncated_gzip"
    assert "truncated" in skip.detail


def test_too_large_on_disk_and_after_decompression(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("word " * 500)
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"word " * 100_000))
    assert (tmp_path / "bomb.txt.gz").stat().st_size < 1000
    items = read_all(tmp_path, max_bytes=1000)
    assert [(Path(item.origin).name, item.reason) for item in items] == [
        ("big.txt", "too_large"),
        ("bomb.txt.gz", "too_large"),
    ]
    assert "decompresses" in items[1].detail


def test_missing_path_is_unreadable(tmp_path: Path) -> None:
    skip = only_skip(read_all(tmp_path / "nowhere.txt"))
    assert (skip.reason, skip.origin) == ("unreadable", str(tmp_path / "nowhere.txt"))
    assert "No such file" in skip.detail


def test_fifo_is_unreadable_not_a_hang(tmp_path: Path) -> None:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    skip = only_skip(read_all(tmp_path))
    assert (skip.reason, skip.detail) == ("unreadable", "The path is not a regular file.")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without permission")
def test_file_without_permission_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(ARTICLE)
    path.chmod(0)
    assert only_skip(read_all(path)).reason == "unreadable"


def test_bad_input_does_not_stop_the_run(tmp_path: Path) -> None:
    (tmp_path / "a.txt.gz").write_bytes(b"\x1f\x8b\x08\x00broken")
    (tmp_path / "b.txt").write_text(ARTICLE)
    items = read_all(tmp_path / "missing", tmp_path)
    assert [type(item).__name__ for item in items] == ["Skipped", "Skipped", "Document"]
    assert items[1].reason == "truncated_gzip"


# --- the demo corpus --------------------------------------------------------------------------

DEMO = Path(__file__).resolve().parents[1] / "demo"


def test_demo_corpus_reads_every_format() -> None:
    items = read_all(DEMO / "corpus")
    assert [(item.id, item.kind, str(item.origin).removeprefix(f"{DEMO}/corpus/")) for item in items] == [
        ("courier-port-clashes", "text", "courier-port-clashes.txt"),
        ("courier-rovers-cup", "text", "courier-rovers-cup.txt"),
        ("ledger-halvard-shares", "text", "feed.jsonl:1"),
        ("wirebeat-port-defacement", "text", "feed.jsonl:2"),
        ("observer-port-march", "html", "observer-port-march.html"),
        ("rsi-port-talks#2", "html", "rsi-port-talks.warc.gz#2"),
        ("sentinel-port-riots", "text", "sentinel-port-riots.txt"),
    ]
    by_id = {item.id: item for item in items}
    assert "<script>alert(1)</script>" in by_id["wirebeat-port-defacement"].content
    assert by_id["wirebeat-port-defacement"].hints["source"] == "Wirebeat"
    assert by_id["rsi-port-talks#2"].hints["crawled"] == "2025-03-05T15:02:11Z"
    assert "“Officers were attacked" in by_id["sentinel-port-riots"].content


def test_demo_generated_files_are_up_to_date(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_demo", DEMO / "make_demo.py")
    assert spec is not None and spec.loader is not None
    make_demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_demo)
    make_demo.main(tmp_path)
    generated = sorted(path.name for path in tmp_path.iterdir())
    assert generated == ["observer-port-march.html", "rsi-port-talks.warc.gz"]
    for name in generated:
        assert (tmp_path / name).read_bytes() == (DEMO / "corpus" / name).read_bytes(), name
