"""The clean stage: seed articles, metadata, repeats, template lines, HTML, and bad input."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from storylens.clean import clean, clean_document, find_template_lines
from storylens.clean.dates import find_date
from storylens.clean.text import label_blocks
from storylens.model import BODY_SEPARATOR, Article, Document, Origin

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "clean"

PARAGRAPHS = (
    "Officials said the talks would resume next week after both delegations consulted their governments, "
    "and that a draft text was already circulating among the participants in the negotiations.\n\n"
    "The spokesman declined to say whether the draft included a timetable, adding that the details would "
    "be settled by the experts who are expected to meet in Geneva on Thursday morning.\n\n"
    "Diplomats from both sides described the atmosphere as businesslike, though they cautioned that "
    "several questions about monitoring and verification had not yet been resolved by the negotiators."
)


def text_document(content: str, doc_id: str = "doc", hints: dict[str, str] | None = None) -> Document:
    return Document(doc_id, Origin(f"{doc_id}.txt"), "text", content, hints or {})


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> dict[str, Article]:
    documents = [
        Document(path.name[:3], Origin(str(path)), "text", path.read_text("utf-8"))
        for path in sorted(seeds_dir.glob("*.txt"))
    ]
    return {article.id: article for article in clean(documents)}


def reasons(article: Article) -> dict[str, str]:
    """Removed text -> reason."""
    return {article.raw[r.span.start : r.span.end]: r.reason for r in article.removed}


def assert_segments_invariant(article: Article) -> None:
    assert article.body == BODY_SEPARATOR.join(article.raw[s.start : s.end] for s in article.segments)
    for segment in article.segments:
        text = article.raw[segment.start : segment.end]
        assert text == text.strip()
    assert all(a.end <= b.start for a, b in zip(article.segments, article.segments[1:], strict=False))


def test_every_seed_keeps_the_segments_invariant_and_is_ok(seeds: dict[str, Article]) -> None:
    assert sorted(seeds) == ["000", "001", "002", "003", "004"]
    for article in seeds.values():
        assert article.status == "ok"
        assert article.meta.language == "en"
        assert_segments_invariant(article)
        removed_or_kept = {*(r.span for r in article.removed), *article.segments}
        assert len(removed_or_kept) == len(article.removed) + len(article.segments)


def test_seed_000_drops_byline_bio_comment_form_and_related(seeds: dict[str, Article]) -> None:
    article = seeds["000"]
    assert article.meta.title == "Washington withdraws proposal for Aleppo solution – Lavrov"
    assert article.meta.author == "Jim Lemuel Wilson"
    assert article.meta.sources["author"].method == "text:byline"
    assert article.body.startswith("The United States has pulled back its proposal")
    assert article.body.endswith("discuss the particular details of the withdrawal of militants on Tuesday.")
    assert "On Friday, Kerry submitted a proposal to Russia" in article.body
    for clutter in ("Written by", "Manila Times", "Leave a Reply", "Your email address", "Air Force", "aleppo syrian"):
        assert clutter not in article.body
    why = reasons(article)
    assert why["Written by Jim Lemuel Wilson"] == "byline"
    assert why["Leave a Reply"] == "comment_form"
    assert why["Syrian army takes five more districts in eastern Aleppo"] == "related_links"
    assert why["Washington withdraws proposal for Aleppo solution – Lavrov"] == "title"
    assert any(reason == "author_bio" for reason in why.values())
    assert any(reason == "caption" and "U.S. Air Force photo" in text for text, reason in why.items())


def test_seed_001_drops_picture_alt_text_and_keeps_the_standfirst(seeds: dict[str, Article]) -> None:
    article = seeds["001"]
    assert article.meta.title == "Russia, US to discuss militant withdrawal from Aleppo"
    assert article.body.startswith("Russia and the United States is set to discuss a possible withdrawal")
    assert "The proposal by Kerry was handed over on Saturday" in article.body
    for clutter in ("Kerry and Lavrov\n", "Aleppo Attack", "Syria Flag Waving Children", "Moscow students"):
        assert clutter not in article.body + "\n"
    assert article.body.endswith("is against the solution being pursued by Russia and the US.")


def test_seed_002_title_date_caption_editor_note_and_related_entries(seeds: dict[str, Article]) -> None:
    article = seeds["002"]
    assert article.meta.title == "Lavrov: Kerry has finally presented proposals on Aleppo in line with Russia’s stance"
    assert article.meta.published == "2016-12-03"
    assert article.meta.sources["published"].method == "text:title-date"
    assert article.meta.outlet is None  # the text names no outlet of its own ("Note by New Cold" is cut off)
    assert article.body.startswith("At a meeting in Rome on December 2, U.S. Secretary of State John Kerry")
    assert article.body.endswith("as was stipulated in September’s ceasefire agreement.")
    assert "Moscow hopes to resolve the situation in Aleppo by the end of the year" in article.body
    for clutter in (
        "In Multipolarity",
        "Note by New Cold",
        "Gregorio Borgia",
        "Deutsche Welle",
        "first sapeurs",
        "EDITOR’S NOTE",
        "Recent Posts",
        "Contact Us",
        "Start typing",
        "Translate",
        "not around right now",
    ):
        assert clutter not in article.body
    why = reasons(article)
    notes = [text for text, reason in why.items() if reason == "editor_note"]
    assert len(notes) == 1 and notes[0].startswith("Note by New Cold We will bring more news")
    captions = [text for text, reason in why.items() if reason == "caption"]
    assert captions and all(text.endswith("(Gregorio Borgia, Reuters)") for text in captions)
    assert why["Kerry and Lavrov meet for fresh talks on calming Syria fighting, Deutsche Welle, Dec 3, 2016"] == (
        "related_links"
    )


def test_seed_003_lead_and_repeated_paragraphs_kept_once(seeds: dict[str, Article]) -> None:
    article = seeds["003"]
    assert article.meta.title is None  # the text has no headline line
    assert article.meta.outlet == "Arab News"
    assert article.meta.sources["outlet"].method == "text:source-line"
    assert article.meta.published is None  # "GMT ... 29 September" dates a related headline, not this text
    assert article.body.count("US Secretary of State John Kerry on Tuesday rejected Russian charges") == 1
    assert article.body.count("Regime forces have so far seized two-thirds") == 1
    assert article.body.count("The assault has raised an international outcry") == 1
    assert article.body.count("Russia and the US are on opposite sides of the conflict") == 1
    assert "“There is something wrong there,” she said." in article.body
    assert "‘Disgrace’ for the West" in article.body
    assert "Moscow has proposed setting up four humanitarian corridors" in article.body
    for clutter in ("Source: Arab News", "GMT", "All rights reserved", "Send your comments", "Your comment as"):
        assert clutter not in article.body
    why = reasons(article)
    assert why["Source: Arab News"] == "metadata_line"
    assert [r.reason for r in article.removed].count("duplicate") >= 4


def test_seed_004_metadata_dateline_and_doubled_lead(seeds: dict[str, Article]) -> None:
    article = seeds["004"]
    meta = article.meta
    assert meta.title == "Russia says US stalling over Aleppo rebel pullout talks"
    assert meta.published == "2016-12-06T21:28:00+05:30"
    assert meta.outlet == "Press Trust of India"
    assert meta.author == "Press Trust of India"
    assert meta.dateline == "Moscow, Dec 6"
    span = meta.sources["dateline"].span
    assert span is not None and article.raw[span.start : span.end].startswith("Moscow, Dec 6:")
    assert article.body.startswith("Russia’s top diplomat today accused Washington")
    assert article.body.count("accused Washington of backtracking") == 1
    for clutter in ("Published:", "By Press Trust", "Also Read", "like us on Facebook", "Accept All Cookies"):
        assert clutter not in article.body
    why = reasons(article)
    assert why["By Press Trust of India"] == "byline"
    assert why["Published: December 6, 2016 9:28 PM IST"] == "metadata_line"
    assert why["Moscow, Dec 6:"] == "dateline"
    assert [r.reason for r in article.removed].count("title") == 2
    assert "cookie_notice" in why.values() and "share_prompt" in why.values()


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Published: December 6, 2016 9:28 PM IST", "2016-12-06T21:28:00+05:30"),
        ("Dec 3, 2016", "2016-12-03"),
        ("GMT 18:34 2016 Thursday ,29 September", "2016-09-29T18:34:00+00:00"),
        ("Updated 10:32 AM ET, Tue December 6, 2016", "2016-12-06T10:32:00-05:00"),
        ("July 4th 2019 at 3:15 p.m. EDT", "2019-07-04T15:15:00-04:00"),
        ("Tue, 06 Dec 2016 14:00:00 GMT", "2016-12-06T14:00:00+00:00"),
        ("2019-11-19T10:00:00+0100", "2019-11-19T10:00:00+01:00"),
        ("December 6, 2016 9:28 PM", "2016-12-06"),  # a time without a zone is not guessed
    ],
)
def test_dates_in_news_forms(text: str, iso: str) -> None:
    found = find_date(text)
    assert found is not None and found.iso == iso


def test_dates_reject_impossible_and_yearless() -> None:
    assert find_date("February 30, 2016") is None
    assert find_date("Moscow, Dec 6:") is None


def test_metadata_cases_match_the_fixture_labels() -> None:
    cases = json.loads((FIXTURES / "meta_cases.json").read_text("utf-8"))
    for case in cases:
        if "content" not in case:
            continue
        article = clean_document(text_document(case["content"], case["id"], case.get("hints")))
        for field, expected in case["expected"].items():
            assert getattr(article.meta, field) == expected, (case["id"], field)


def test_hints_take_precedence_with_method_input() -> None:
    content = f"A headline printed in the page\n\nPublished: Dec 1, 2016\n\n{PARAGRAPHS}"
    hints = {"title": "Feed title", "source": "rt.com", "published": "2016-12-02", "author": "Feed Author"}
    meta = clean_document(text_document(content, hints=hints)).meta
    assert (meta.title, meta.outlet, meta.published, meta.author) == ("Feed title", "RT", "2016-12-02", "Feed Author")
    assert all(meta.sources[name].method == "input" for name in ("title", "outlet", "published", "author"))


def test_template_lines_recurring_in_one_outlet_are_removed() -> None:
    footer = "Subscribe to our daily briefing for the top stories"
    bodies = [
        "Flood waters rose along the river overnight and forced hundreds of families to leave their homes.",
        "The central bank kept interest rates unchanged on Tuesday, citing uncertainty about inflation.",
        "Engineers began repairing the damaged bridge after inspectors found cracks in two of its pillars.",
    ]
    documents = [
        text_document(
            f"{body}\n\nWeekly market outlook and analysis\n\n{body} More details followed.",
            f"d{i}",
            {"source": "Daily Example"},
        )
        for i, body in enumerate(bodies)
    ]
    assert "weekly market outlook and analysis" in find_template_lines(documents)
    for article in clean(documents):
        assert "Weekly market outlook" not in article.body
        assert "template_repeat" in reasons(article).values()
    assert footer not in "".join(article.body for article in clean(documents))


def test_html_path_uses_trafilatura_and_html_metadata() -> None:
    html = (FIXTURES / "article.html").read_text("utf-8")
    article = clean_document(Document("page", Origin("article.html"), "html", html))
    assert article.status == "ok"
    assert article.meta.title == "Aid convoy reaches eastern Aleppo after week of delays"
    assert article.meta.outlet == "Levant Daily"
    assert article.meta.published == "2016-12-07T14:05:00+02:00"
    assert article.meta.sources["outlet"].method == "html:meta"
    assert article.body.startswith("A United Nations aid convoy reached the besieged eastern districts")
    for clutter in ("cookie", "Related", "Privacy Policy", "Hospitals in Aleppo", "Share this"):
        assert clutter not in article.body
    assert_segments_invariant(article)


def test_html_path_keeps_repeated_lines_of_the_article() -> None:
    question = "What inspired you to start cooking for an audience every single week?"
    answers = PARAGRAPHS.split("\n\n")
    interview = "".join(f"<h3>{question}</h3><p>{answer}</p>" for answer in answers)
    html = (
        "<html><head><title>Three cooks on why they write</title></head><body><article>"
        f"<h1>Three cooks on why they write</h1>{interview}</article></body></html>"
    )
    article = clean_document(Document("interview", Origin("interview.html"), "html", html))
    assert article.body.count(question) == len(answers)
    assert all(answer in article.body for answer in answers)
    assert_segments_invariant(article)


def test_a_paragraph_opening_with_the_title_is_body() -> None:
    title = "Seeking a bigger role for a big rocket"
    paragraph = f"{title} by Jeff Foust Monday, November 18, 2019 Earlier this month, NASA announced a milestone."
    article = clean_document(text_document(f"{paragraph}\n\n{PARAGRAPHS}", hints={"title": title}))
    assert article.body.startswith(paragraph)
    assert article.meta.title == title


def test_html_sent_as_text_goes_through_the_html_path() -> None:
    html = (FIXTURES / "article.html").read_text("utf-8")
    article = clean_document(text_document(html))
    assert article.status == "ok"
    assert "<p>" not in article.body and article.meta.outlet == "Levant Daily"


@pytest.mark.parametrize(
    ("content", "status"),
    [
        ("", "no_body"),
        ("   \n\n\t\n", "no_body"),
        ("<div>\n<span class='x'></span>\n</div>", "no_body"),
        ("Home\nNews\nSport\nWeather\nContact us\nPrivacy policy", "not_article"),
        ("Page not found\n\nSorry, the page you are looking for does not exist. Try the search box.", "not_article"),
        ("Latest news\n\nTalks to resume in Geneva\n\nFloods hit the north\n\nBank holds rates\n\nBridge repairs begin",
         "not_article"),
        ("Subscribe to continue reading\n\nThis content is only available to subscribers. Already a subscriber? "
         "Log in to read the full story and our archive.", "not_article"),
        ("Video unavailable\n\nThis video cannot be played on this device at the moment. Please try again later.",
         "not_article"),
        ("These crawls are part of an effort to archive pages as they are created, so that a link made in an "
         "article keeps pointing to the version that was live when the article was written. The capture was made "
         "by a crawler working for the archive, which keeps it for researchers and the public.", "not_article"),
    ],
)  # fmt: skip
def test_pages_without_an_article_get_a_status(content: str, status: str) -> None:
    article = clean_document(text_document(content))
    assert article.status == status
    assert_segments_invariant(article)


def test_html_without_an_article_is_no_body() -> None:
    for html in ("", "<html><body><nav><a href='/'>Home</a></nav></body></html>", "<<<>>>\x00"):
        article = clean_document(Document("p", Origin("p.html"), "html", html))
        assert article.status in {"no_body", "not_article"}


def test_non_english_text_is_cleaned_and_labelled() -> None:
    german = (
        "Gespräche über Aleppo sollen nächste Woche weitergehen\n\n"
        "Die Gespräche zwischen Russland und den USA über die Lage in Aleppo sollen in der kommenden Woche "
        "in Genf fortgesetzt werden, wie ein Sprecher des Außenministeriums am Dienstag mitteilte.\n\n"
        "Beide Seiten hätten sich auf einen Entwurf verständigt, der nun von Experten geprüft werden soll, "
        "sagte der Sprecher. Einzelheiten wurden zunächst nicht bekannt.\n\n"
        "Teilen Sie diesen Artikel\n\nLeave a Reply"
    )
    article = clean_document(text_document(german))
    assert article.status == "ok"
    assert article.meta.language == "de"
    assert "Genf fortgesetzt" in article.body and "Leave a Reply" not in article.body


def test_mixed_encodings_and_control_characters_do_not_crash() -> None:
    mojibake = (
        "Russiaâ€™s top diplomat said on Tuesday that the talks would resume next week in Geneva, according "
        "to Ã©lite sources quoted by the agency, and that both sides had agreed on a draft text.\ufffd\x00"
    )
    article = clean_document(text_document(f"Talks to resume\n\n{PARAGRAPHS}\n\n{mojibake}"))
    assert article.status == "ok"
    assert "Ã©lite sources" in article.body
    assert_segments_invariant(article)


def test_enormous_single_line_is_handled_quickly() -> None:
    sentence = "The committee met again on Tuesday and agreed to publish its report before the end of the year. "
    content = sentence * 20000  # about 2 MB on one line
    started = time.perf_counter()
    article = clean_document(text_document(content))
    assert time.perf_counter() - started < 20
    assert article.status == "ok" and len(article.body) == len(content.strip())


def test_markup_lines_left_in_text_are_removed() -> None:
    content = f'<div class="article-body">\n\n{PARAGRAPHS}\n\n</div>\n\n<script>track();</script>'
    article = clean_document(text_document(content))
    assert article.status == "ok"
    assert "<div" not in article.body and "</div>" not in article.body
    assert "markup" in reasons(article).values()


def test_copyright_footer_names_the_outlet_when_nothing_better_does() -> None:
    content = f"Talks to resume in Geneva\n\n{PARAGRAPHS}\n\n© 2025 Selmar Daily Courier. All rights reserved."
    meta = clean_document(text_document(content)).meta
    assert meta.outlet == "Selmar Daily Courier"
    assert meta.sources["outlet"].method == "text:copyright"


DEMO = Path(__file__).resolve().parent.parent / "demo" / "corpus"


@pytest.fixture(scope="module")
def demo_articles() -> dict[str, Article]:
    paths = sorted(DEMO.glob("*.txt"))
    documents = [Document(path.stem, Origin(str(path)), "text", path.read_text("utf-8")) for path in paths]
    return {article.id: article for article in clean(documents)}


def test_demo_sign_up_line_and_doubled_caption_are_removed(demo_articles: dict[str, Article]) -> None:
    sentinel = demo_articles["sentinel-port-riots"]
    assert "Sign up for the Sentinel Morning Brief" not in sentinel.body
    assert "share_prompt" in {
        r.reason for r in sentinel.removed if sentinel.raw[r.span.start :].startswith("Sign up for the Sentinel")
    }
    for name, credit in (
        ("courier-port-clashes", "(MPA/Ivo Sandrel)"),
        ("courier-rovers-cup", "(Courier/Lise Andvik)"),
    ):
        article = demo_articles[name]
        assert credit not in article.body
        assert [r.reason for r in article.removed if article.raw[r.span.start : r.span.end].endswith(credit)] == [
            "caption",
            "caption",
        ]
    # with the caption gone the first paragraph is the lead, and its dateline moves into the metadata
    for name in ("courier-port-clashes", "sentinel-port-riots"):
        article = demo_articles[name]
        assert article.meta.dateline == "SELMAR, March 4"
        assert article.body.startswith("Police in Corvenia fired tear gas")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("READ MORE: China plague outbreak confirmed: Two diagnosed with disease in Beijing", "related_headline"),
        ("Plane passengers quarantined after BUBONIC PLAGUE outbreak [NEWS]", "related_headline"),
        ("Also on rt.com Journalists threatened with arrest as Bolivia purges socialists", "related_headline"),
        ("Like this story? Share it with a friend!", "share_prompt"),
        ("Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.", "share_prompt"),
        ("- Order Reprints", "share_prompt"),
        ("Write to Al Root at allen.root@dowjones.com", "author_bio"),
        ("Editor's note: This story was updated at 5:45 p.m. ET.", "editor_note"),
        ("Tags: Brannock Bay, ports, strikes", "navigation"),
        ("The port reopened on Friday. (MPA/Ivo Sandrel)", "caption"),
    ],
)
def test_clutter_wording(line: str, reason: str) -> None:
    text = f"{PARAGRAPHS}\n\n{line}\n\n{PARAGRAPHS.split(chr(10))[0]} Still more text follows here."
    article = clean_document(text_document(text))
    assert reasons(article).get(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "Das Thema wird seit Jahren diskutiert: Die elektronische Patientenakte (ePA)",
        "— Robert Maguire (@RobertMaguire_) November 18, 2019",
        "He put the odds at 50/50 (Yes/No)",
    ],
)
def test_body_lines_that_look_like_clutter_stay(line: str) -> None:
    labels = label_blocks(f"{PARAGRAPHS}\n\n{line}\n\n{PARAGRAPHS}", (), None, lambda blocks: [1.0] * len(blocks))
    assert line in [block.text for i, block in enumerate(labels.blocks) if labels.reasons[i] is None]


def test_headlines_after_the_last_paragraph_are_related_links() -> None:
    headlines = [
        "Milan Design Week 2018 | FLOS pays tribute to Achille Castiglioni",
        "Milano Design Week 2018 | Seiko’s ‘The Flow of Time’ at the Triennale",
        "Milano Design Week 2018 | a preview of DOUTDESign at Zona Santambrogio",
    ]
    text = PARAGRAPHS + "\n\n" + PARAGRAPHS + "\n\n" + "\n".join(headlines)
    labels = label_blocks(text, (), None, lambda blocks: [1.0] * len(blocks), drop_repeats=False)
    assert [labels.reasons[i] for i, block in enumerate(labels.blocks) if block.text in headlines] == [
        "related_links"
    ] * 3
    subhead = label_blocks(PARAGRAPHS + "\n\nWhat happens next", (), None, lambda blocks: [1.0] * len(blocks))
    assert subhead.reasons[-1] is None
