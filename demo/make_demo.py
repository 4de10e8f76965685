"""Build the generated files of the demo corpus: one HTML page and one WARC.gz capture.

The articles are fictional. Run ``python demo/make_demo.py``; the output is byte-for-byte the same
on every run (fixed record ids and dates, gzip without timestamps), so the files can be committed.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

CORPUS = Path(__file__).resolve().parent / "corpus"

OBSERVER = {
    "file": "observer-port-march.html",
    "site": "The Brannock Observer",
    "url": "https://brannockobserver.example/news/2025/03/05/thousands-march-on-port",
    "title": "Thousands of demonstrators march on Brannock port as anger over deal boils over",
    "author": "Katja Orsolic",
    "published": "2025-03-05T09:10:00+01:00",
    "published_label": "March 5, 2025, 9:10 a.m.",
    "caption": "Demonstrators fill Quay Street on their way to the port gates. (Observer/Nils Brekke)",
    "paragraphs": [
        "Thousands of demonstrators marched on the gates of the port of Brannock Bay yesterday in the "
        "biggest show of anger the city has seen in a decade, as dock workers, fishermen and shop owners "
        "turned out against the government's 30-year port concession.",
        "Organisers put the crowd at more than 5,000; police said about 3,000 people took part. By early "
        "afternoon demonstrators filled Quay Street from the fish market to the harbour office, many "
        "carrying the union's blue flags.",
        "The concession, which hands the container terminal and ferry berths to Halvard Maritime Group, "
        "was signed on Saturday at a closed ceremony in Selmar. Neither the union nor the city council "
        "was invited.",
        "“They signed it behind our backs,” Mirela Dastova, head of the Brannock Dockworkers' Union, "
        "told the Observer. “Now they will have to explain it to us in the street.”",
        "Emil Kovarik, a 52-year-old crane operator who has worked at the port since he was 19, marched "
        "with his two sons. “Nobody here wants violence,” Kovarik said, “but nobody here was asked "
        "either.”",
        "The march was peaceful until shortly after 3 p.m., when a group of young men at the front threw "
        "flares over the port fence. Police answered with tear gas and water cannon, and the crowd "
        "scattered into the side streets around St Aldric's church. An Observer reporter saw at least "
        "six people being treated for breathing problems.",
        "Mayor Greta Holm said that the city had asked the government for a meeting “this week, not "
        "next month,” and called on both sides to stay off the streets until then.",
        "Transport Minister Ilse Varkonen, who signed the deal, has defended it as the only way to pay "
        "for dredging the harbour channel. According to her ministry, Halvard has promised to keep all "
        "1,200 current jobs for at least five years.",
        "The union says it will march again on Friday.",
    ],
    "related": [
        "Port concession: the questions nobody answered",
        "Letters: Brannock Bay deserves a say on its harbour",
        "Fish market traders count the cost of the strike",
    ],
}

RSI = {
    "file": "rsi-port-talks.warc.gz",
    "site": "RSI News – Radio Selmar International",
    "url": "https://rsi.example/english/news/2025-03-05/brannock-bay-talks",
    "title": "Government offers talks after Brannock Bay clashes; 41 detained",
    "author": "RSI English Service",
    "published": "2025-03-05T14:30:00+01:00",
    "published_label": "05.03.2025 14:30",
    "crawled": "2025-03-05T15:02:11Z",
    "record_id": "<urn:uuid:6f1c2a3e-0b7d-4c55-9a1e-3d2f8c9b7e10>",
    "warcinfo_id": "<urn:uuid:0a4b6c8d-1e2f-4a3b-8c5d-6e7f8091a2b3>",
    "caption": "",
    "paragraphs": [
        "The Corvenian government on Wednesday invited the Brannock Dockworkers' Union to talks, a day "
        "after clashes between protesters and police outside the port of Brannock Bay left dozens "
        "injured.",
        "Police detained 41 people during Tuesday's unrest, police spokesman Aurel Fenwick told RSI.",
        "Transport Minister Ilse Varkonen said that she would meet union leaders in Selmar on Thursday, "
        "but that the concession itself, signed last week with Halvard Maritime Group, was “not on the "
        "table.”",
        "“We will listen to every concern about jobs, pensions and safety,” Varkonen said in a "
        "statement. “What we will not do is tear up a signed contract.”",
        "Union leader Mirela Dastova called the invitation “a first step” and said that the strike would "
        "continue at least until parliament votes on Friday on an opposition motion to suspend the "
        "agreement.",
        "The Brannock Observer reported that more than 5,000 people had joined Tuesday's march, "
        "according to its organisers. According to the Meridian Press Agency, 11 police officers were "
        "injured.",
        "Protesters were back outside the port gates on Wednesday morning, but the gathering was small "
        "and peaceful, an RSI correspondent said. Cargo handling resumed at two of the port's five "
        "terminals.",
        "The opposition Civic Renewal party, which tabled the motion, said the clashes showed the deal "
        "had been “rushed through parliament without asking the people who work there.”",
    ],
    "related": [
        "Listen: Morning Report, March 5",
        "Explainer: who is Halvard Maritime Group?",
    ],
}

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} | {site}</title>
<link rel="canonical" href="{url}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="author" content="{author}">
<meta property="og:site_name" content="{site}">
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{published}">
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"section": "news"}});</script>
<style>body {{ font-family: Georgia, serif; }} .cookie {{ position: fixed; bottom: 0; }}</style>
</head>
<body>
<div class="cookie">We use cookies to measure our audience and improve the site.
<button>Accept all</button> <button>Settings</button></div>
<header>
<a class="logo" href="/">{site}</a>
<nav><ul>
<li><a href="/news">News</a></li><li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/opinion">Opinion</a></li><li><a href="/subscribe">Subscribe</a></li>
</ul></nav>
</header>
<main>
<article>
<h1>{title}</h1>
<p class="byline">By <span class="author">{author}</span> · <time datetime="{published}">{published_label}</time></p>
{figure}{paragraphs}
<div class="share">Share: <a href="#">Facebook</a> <a href="#">X</a> <a href="#">Email</a></div>
</article>
<aside class="related"><h2>Related</h2><ul>{related}</ul></aside>
</main>
<footer>
<p>© 2025 {site}. All rights reserved.</p>
<p><a href="/about">About us</a> · <a href="/privacy">Privacy</a> · <a href="/contact">Contact</a></p>
</footer>
</body>
</html>
"""


def render_page(article: dict) -> str:
    escaped = {key: html.escape(value) for key, value in article.items() if isinstance(value, str)}
    caption = article["caption"]
    figure = (
        f'<figure><img src="/img/quay-street.jpg" alt="{html.escape(caption)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>\n"
        if caption
        else ""
    )
    paragraphs = "\n".join(f"<p>{html.escape(text)}</p>" for text in article["paragraphs"])
    related = "".join(f'<li><a href="#">{html.escape(item)}</a></li>' for item in article["related"])
    return PAGE.format(**escaped, figure=figure, paragraphs=paragraphs, related=related)


def write_warc(path: Path, article: dict, page: str) -> None:
    """One warcinfo record and one HTTP response record, gzip-compressed per record."""
    body = page.encode("utf-8")
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        info = writer.create_warcinfo_record(
            path.name,
            {"software": "storylens demo/make_demo.py", "format": "WARC File Format 1.1"},
        )
        info.rec_headers.replace_header("WARC-Record-ID", article["warcinfo_id"])
        info.rec_headers.replace_header("WARC-Date", article["crawled"])
        writer.write_record(info)
        http_headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
            protocol="HTTP/1.1",
        )
        response = writer.create_warc_record(
            article["url"],
            "response",
            payload=io.BytesIO(body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Record-ID": article["record_id"], "WARC-Date": article["crawled"]},
        )
        writer.write_record(response)


def main(corpus: Path = CORPUS) -> None:
    (corpus / OBSERVER["file"]).write_text(render_page(OBSERVER), encoding="utf-8")
    write_warc(corpus / RSI["file"], RSI, render_page(RSI))


if __name__ == "__main__":
    main()
