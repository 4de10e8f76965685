"""Time expressions: recognition and TIMEX3 normalization against a publication date."""

from __future__ import annotations

from pathlib import Path

import pytest

from storylens.analysis.timex import find_timexes
from storylens.model import Article, Timex

TUESDAY = "2016-12-06"  # seed 000 and the AFP copies 003/004 were published on Tuesday, Dec 6 2016
WEDNESDAY = "2016-12-07"


def only(text: str, reference: str | None, expression: str) -> Timex:
    """The one time expression whose text is ``expression``; its span must point at that text."""
    found = [timex for timex in find_timexes(text, reference) if timex.text == expression]
    assert len(found) == 1, find_timexes(text, reference)
    timex = found[0]
    assert text[timex.span.start : timex.span.end] == expression
    return timex


@pytest.mark.parametrize(
    ("text", "reference", "expression", "value", "mod"),
    [
        ("Russia's top diplomat today accused Washington of backtracking.", TUESDAY, "today", TUESDAY, None),
        ("Lavrov yesterday said that experts were to meet.", TUESDAY, "yesterday", "2016-12-05", None),
        ("Kerry on Tuesday rejected Russian charges.", WEDNESDAY, "Tuesday", TUESDAY, None),
        ("Kerry on Tuesday rejected Russian charges.", TUESDAY, "Tuesday", TUESDAY, None),
        ("The talks will resume on Tuesday in Geneva.", WEDNESDAY, "Tuesday", "2016-12-13", None),
        ("On Friday, Kerry submitted a proposal to Russia.", TUESDAY, "Friday", "2016-12-02", None),
        ("Talks, initially scheduled to begin on Wednesday, are off.", TUESDAY, "Wednesday", WEDNESDAY, None),
        # the names between a fronted date and its verb carry no tense
        (
            "On Tuesday, the National Abortion and Reproductive Rights Action League plans to hold a news conference.",
            "1998-10-26",
            "Tuesday",
            "1998-10-27",
            None,
        ),
        # a plan in the pluperfect is over: the Friday before
        ("The offer had been scheduled to expire Friday.", "1989-10-30", "Friday", "1989-10-27", None),
        # "be paid" is a participle: "will" gives the tense
        ("The increased dividend will be paid Dec. 14 to holders.", "1989-03-01", "Dec. 14", "1989-12-14", None),
        # "a planned rally" is still to come; "soon after" is not the future; "would put" is not "put" the past
        ("She noted a planned Cruz rally on Saturday in Sioux City.", "2016-01-27", "Saturday", "2016-01-30", None),
        ("Soon after Sunday's massacre in Orlando he tweeted about it.", "2016-06-14", "Sunday", "2016-06-12", None),
        ("The bill would put a measure on the November ballot.", "2016-03-10", "November", "2016-11", None),
        # "unspecified" is an adjective, not a past verb
        ("A dividend will be paid on a still unspecified date in January.", "1989-10-26", "January", "1990-01", None),
        # a past verb reaches back 300 days
        ("In January, American Medical brought in a new chief executive.", "1989-10-27", "January", "1989-01", None),
        ("Lavrov said the talks would start on Monday.", "2016-12-03", "Monday", "2016-12-05", None),
        ("A proposal put forward by Kerry last week was withdrawn.", TUESDAY, "last week", "2016-W48", None),
        ("Kerry has finally presented proposals on Aleppo, Dec 3, he said.", TUESDAY, "Dec 3", "2016-12-03", None),
        ("The same thing happened with our agreement of September 9.", TUESDAY, "September 9", "2016-09-09", None),
        ("An operation to recapture the city started in mid-November.", TUESDAY, "mid-November", "2016-11", "MID"),
        ("Moscow hopes to resolve it by the end of the year.", TUESDAY, "the end of the year", "2016", "END"),
        ("Published: December 6, 2016 9:28 PM IST", None, "December 6, 2016", TUESDAY, None),
        ("Sales rose in the third quarter.", TUESDAY, "the third quarter", "2016-Q3", None),
        ("Profit fell in the fourth quarter.", "2017-02-01", "the fourth quarter", "2016-Q4", None),
        ("Earnings fell 5% from a year earlier.", TUESDAY, "a year earlier", "2015", None),
        ("He was elected two weeks ago.", TUESDAY, "two weeks ago", "2016-W47", None),
        ("The plant closed 10 days ago.", TUESDAY, "10 days ago", "2016-11-26", None),
        ("Prices soared last month.", TUESDAY, "last month", "2016-11", None),
        ("Prices soared earlier this month.", TUESDAY, "earlier this month", "2016-12", "START"),
        ("They hope to finish early next year.", TUESDAY, "early next year", "2017", "START"),
        ("The drought began last fall.", TUESDAY, "last fall", "2016-FA", None),
        ("Inflation was high in the 1990s.", TUESDAY, "the 1990s", "199", None),
        ("The hostages may be home by Christmas, he said.", TUESDAY, "Christmas", "2016-12-25", None),
        ("Trump won the election in November.", TUESDAY, "November", "2016-11", None),
        ("Trump will be inaugurated on January 20.", TUESDAY, "January 20", "2017-01-20", None),
        ("The court ruled in 1998, its first ruling.", TUESDAY, "1998", "1998", None),
    ],
)
def test_dates_resolve_against_the_publication_date(
    text: str, reference: str | None, expression: str, value: str, mod: str | None
) -> None:
    timex = only(text, reference, expression)
    assert (timex.value, timex.type, timex.mod) == (value, "DATE", mod)


@pytest.mark.parametrize(
    ("text", "expression", "value", "kind"),
    [
        ("The war has lasted three years.", "three years", "P3Y", "DURATION"),
        ("Fighting intensified over the past two weeks.", "the past two weeks", "P2W", "DURATION"),
        ("The flight took about 5 1/2 hours.", "about 5 1/2 hours", "PT5H30M", "DURATION"),
        ("Rebels have held the district for years.", "years", "PXY", "DURATION"),
        ("Diplomats meet every week in Geneva.", "every week", "P1W", "SET"),
        ("The paper is published daily.", "daily", "P1D", "SET"),
        ("Published: December 6, 2016 9:28 PM IST", "9:28 PM IST", "2016-12-06T21:28", "TIME"),
        ("The talks are now in their third day.", "now", "PRESENT_REF", "DATE"),
        ("He recently returned from Moscow.", "recently", "PAST_REF", "DATE"),
        ("Prices may rise in the future.", "the future", "FUTURE_REF", "DATE"),
    ],
)
def test_durations_sets_times_and_references(text: str, expression: str, value: str, kind: str) -> None:
    timex = only(text, TUESDAY, expression)
    assert (timex.value, timex.type) == (value, kind)
    assert timex.anchor == TUESDAY


@pytest.mark.parametrize(
    ("text", "expression", "value"),
    [
        ("Lavrov yesterday said that experts were to meet.", "yesterday", "XXXX-XX-XX"),
        ("Kerry on Tuesday rejected Russian charges.", "Tuesday", "XXXX-WXX-2"),
        ("A proposal put forward last week was withdrawn.", "last week", "XXXX-WXX"),
        ("Kerry presented proposals on Dec 3.", "Dec 3", "XXXX-12-03"),
        ("The operation started in mid-November.", "mid-November", "XXXX-11"),
        ("Kerry and Lavrov met in Rome on Dec 2, 2016.", "Dec 2, 2016", "2016-12-02"),
    ],
)
def test_without_a_date_relative_expressions_stay_unresolved(text: str, expression: str, value: str) -> None:
    timex = only(text, None, expression)
    assert timex.value == value
    assert timex.anchor is None


@pytest.mark.parametrize(
    "text",
    [
        "May I ask whether the fall of Aleppo changes anything?",
        "A 6-year-old boy was rescued from the rubble.",
        "The fund paid $1990 to each of 1,995 families.",
        "Three-quarters of the district is held by the army.",
        "The March on Washington drew thousands.",
        "Intel chips power many of today's personal computers.",
        "The wall would run along 2000 miles of the border.",
    ],
)
def test_words_that_only_look_like_dates_are_left_alone(text: str) -> None:
    assert [timex.text for timex in find_timexes(text, TUESDAY)] == []


def test_bad_input_never_crashes() -> None:
    assert find_timexes("", TUESDAY) == []
    unreadable = find_timexes("He left yesterday.", "sometime in 2016")
    assert [(timex.value, timex.anchor) for timex in unreadable] == [("XXXX-XX-XX", None)]
    assert find_timexes("He left yesterday.", "2016-12-06T21:28:00+05:30")[0].value == "2016-12-05"
    beyond_the_calendar = find_timexes("The cave was sealed 5000 years ago, and will open tomorrow.", "9999-12-31")
    assert "tomorrow" not in [timex.text for timex in beyond_the_calendar]
    impossible_dateline = find_timexes("WASHINGTON, Feb. 30 (AP) -- He left today.", "2016-03-02")
    assert [(timex.value, timex.anchor) for timex in impossible_dateline if timex.text == "today"] == [
        ("2016-03-02", "2016-03-02")
    ]


def test_discourse_anchors_follow_the_last_named_date() -> None:
    text = (
        "Kerry arrived in Rome on Dec 2, 2016. The next day he met Lavrov. "
        "In the third quarter, sales rose; the quarter was strong."
    )
    assert only(text, TUESDAY, "The next day").value == "2016-12-03"
    assert only(text, TUESDAY, "the quarter").value == "2016-Q3"


def test_discourse_months_and_appositions() -> None:
    text = (
        "The plan was announced in March 2015. The following month it was revised, and later that month "
        "it was dropped. Trading stopped on Oct. 12, the day before the crash."
    )
    assert only(text, TUESDAY, "The following month").value == "2015-04"
    assert (only(text, TUESDAY, "later that month").value, only(text, TUESDAY, "later that month").mod) == (
        "2015-04",
        "END",
    )
    assert only(text, TUESDAY, "the day before").value == "2016-10-12"


@pytest.mark.parametrize(
    ("text", "reference", "expression", "value", "kind"),
    [
        ("Results include a charge in the 1988 second quarter.", "1989-11-02", "the 1988 second quarter",
         "1988-Q2", "DATE"),
        ("Profit rose in the third quarter. For the quarter a year ago, it earned $5 million.", "1989-10-26",
         "the quarter a year ago", "1988-Q3", "DATE"),
        ("Sales rose in the third quarter. U.K. sales for last year's quarter were $3 million.", "1989-11-01",
         "last year's quarter", "1988-Q3", "DATE"),
        ("Profit rose in the third quarter from $14 million in the 1988 quarter.", "1989-10-30", "the 1988 quarter",
         "1988-Q3", "DATE"),
        ("He was shot to death last Oct. 23 at his home.", "1999-04-19", "Oct. 23", "1998-10-23", "DATE"),
        ("He met police leaders Friday morning, the FBI chief said.", "1998-08-21", "Friday morning",
         "1998-08-21TMO", "TIME"),
        ("Protesters rallied in a plaza Friday night.", "2000-01-07", "Friday night", "2000-01-07", "DATE"),
        ("In London at mid-afternoon yesterday, the shares were up.", "1989-11-02", "mid-afternoon yesterday",
         "1989-11-01TAF", "TIME"),
        ("He is to appear before a judge at midday.", "1999-10-08", "midday", "1999-10-08T12:00", "TIME"),
        ("The bank plans to cut 6,000 jobs by year end.", "1989-10-26", "year end", "1989", "DATE"),
        ("Herbicide use was delayed earlier in the year by rain.", "1989-10-26", "earlier in the year", "1989",
         "DATE"),
        ("Shortages made it hard to meet demand well into the summer.", "1989-10-26", "the summer", "1989-SU",
         "DATE"),
        ("Attacks had become routine over the past decade.", "1998-10-25", "the past decade", "P10Y", "DURATION"),
        ("The Fed may lower rates in coming weeks.", "1989-10-27", "coming weeks", "PXW", "DURATION"),
        ("Eight trading days after the crash, the index recovered.", "1989-10-30", "Eight trading days", "P8D",
         "DURATION"),
        ("The government called the 14-day waiting period a concession.", "2000-01-15", "14-day", "P14D",
         "DURATION"),
        ("In September, it announced plans to buy a fruit company.", "1989-10-30", "September", "1989-09", "DATE"),
        ("The ministry said in a statement late Tuesday that talks would continue.", "2013-03-22", "late Tuesday",
         "2013-03-19", "DATE"),
        ("The blast happened at 2:45 p.m. local time (1845 GMT).", "2013-03-22", "1845 GMT", "2013-03-22T18:45",
         "TIME"),
        ("The market opens twice a week.", "2013-03-22", "twice a week", "P1W", "SET"),
        ("Revenue rose in fiscal year 2013.", "2013-03-22", "fiscal year 2013", "2013", "DATE"),
        ("It was the worst quarter since the 2008-2009 recession.", "2013-03-22", "2008", "2008", "DATE"),
        ("The firm was founded in the 1800s.", "2013-03-22", "the 1800s", "18", "DATE"),
        ("She flew home on Sunday, April 20, with her husband.", "2015-06-06", "Sunday, April 20", "2014-04-20",
         "DATE"),
        ("An explosion roughly 13,800 years ago left a crater.", TUESDAY, "roughly 13,800 years ago", "PAST_REF",
         "DATE"),
        ("January nineteen ninety-seven. Atlanta again.", "1998-02-27", "January nineteen ninety-seven", "1997-01",
         "DATE"),
        ("The company issued shares at 50% of the then current market price.", "1989-10-26", "then current",
         "PAST_REF", "DATE"),
        ("Democrats hope to win on Election Day.", "2016-10-20", "Election Day", "2016-11-08", "DATE"),
        ("The doors opened at 6:30 a.m. on March 19, 2002, for the vote.", TUESDAY, "6:30 a.m. on March 19, 2002",
         "2002-03-19T06:30", "TIME"),
        ("Prices rose in the early 2000s.", TUESDAY, "the early 2000s", "200", "DATE"),
        ("Bloomberg settled the question years ago.", TUESDAY, "years ago", "PAST_REF", "DATE"),
        ("The summit meets on April 24 and 25.", "1999-02-10", "25", "1999-04-25", "DATE"),
        ("A few days later, the company announced lower earnings.", "1989-10-27", "A few days", "PXD", "DURATION"),
        ("The vote will be held at 3:30 p.m. ET on Friday.", "2013-03-20", "3:30 p.m. ET on Friday", "2013-03-22T15:30",
         "TIME"),
        ("He campaigned in Ohio this past weekend.", "2013-03-20", "this past weekend", "2013-W11-WE", "DATE"),
        ("Such a test may one day be used to detect Alzheimer's.", "2013-03-20", "one day", "FUTURE_REF", "DATE"),
        ("It comes just before Super Tuesday, when 11 states vote.", "2016-01-31", "Super Tuesday", "2016-03-01",
         "DATE"),
        ("He was shot on Oct. 23, 1998. That night, police searched the woods.", "1999-10-24", "That night",
         "1998-10-23TNI", "TIME"),
        ("The committee meets in Orlando July 8 and 9, 2016.", "2015-12-01", "July 8", "2016-07-08", "DATE"),
        # a present-tense modal points ahead ("must win in November"), unless a perfect follows
        ("Voters Mrs. Clinton must not only win in November.", "2016-03-04", "November", "2016-11", "DATE"),
        ("He said he may not have met her in November.", "2016-03-04", "November", "2015-11", "DATE"),
        ("Unlike in May, on Tuesday the Senate passed the bill.", "2016-06-09", "Tuesday", "2016-06-07", "DATE"),
        # an open condition lies ahead; a past verb nearer the date still wins
        ("If Cruz wins Wisconsin's contest Tuesday, Trump needs 57 percent.", "2016-04-02", "Tuesday", "2016-04-05",
         "DATE"),
        ("He was asked if they met on Tuesday.", "2016-04-02", "Tuesday", "2016-03-29", "DATE"),
        # "N years later" counts from the year last named, not from the last day
        ("Trump won Tuesday. Obama won the state in 2008 but lost it to Mitt Romney four years later.",
         "2016-03-16", "four years later", "2012", "DATE"),
        ("The plan was announced in March 2015. Two months later it was dropped.", TUESDAY, "Two months later",
         "2015-05", "DATE"),
        # fractions of a century
        ("It is no longer the party he reinvented a quarter-century ago.", "2016-07-27", "a quarter-century ago",
         "1991", "DATE"),
        ("The law was passed half a century ago.", "2016-07-27", "half a century ago", "1966", "DATE"),
        ("He has ruled for a quarter century.", "2016-07-27", "a quarter century", "P25Y", "DURATION"),
    ],
)  # fmt: skip
def test_news_and_business_forms(text: str, reference: str, expression: str, value: str, kind: str) -> None:
    timex = only(text, reference, expression)
    assert (timex.value, timex.type) == (value, kind)


@pytest.mark.parametrize(
    "text",
    [
        'Gonzalez said on CBS\'s "60 Minutes" that the boy was abused.',
        "Sun, snapping back after its first quarterly loss, said it earned $5.2 million.",
        "He hosted Saturday Night Live twice.",
        "Only a quarter of Americans agree with him.",
        "The current account deficit widened.",
        "Rallies competed with the start of the Summer Olympics.",
        'He said so in an interview with Sirius XM\'s "Breitbart News Daily."',
        "The number of voters decreased by between a quarter and a third.",
        "Coal will decline over the next quarter century.",
    ],
)
def test_titles_and_adjectives_are_not_time_expressions(text: str) -> None:
    assert [timex.text for timex in find_timexes(text, TUESDAY)] == []


@pytest.mark.parametrize(
    ("text", "reference", "today", "anchor"),
    [
        # wire copy stamped the day after it was filed: "today" and "Friday" are the dateline's day
        ("WASHINGTON, March 12 (Xinhua) --\n\nPoland joined NATO today, on Friday.", "1999-03-13", "1999-03-12",
         "1999-03-12"),
        ("Moscow, Dec 6: Russia's top diplomat today accused Washington.", WEDNESDAY, TUESDAY, TUESDAY),
        ("NAIROBI, Kenya, Tuesday, Dec. 6 (AP) _ Officials said today that ...", "2016-12-08", TUESDAY, TUESDAY),
        # an undated article takes a dateline that states its year
        ("BEIJING, Dec. 6, 2016 (Reuters) - Officials said today that ...", None, TUESDAY, TUESDAY),
        # a dateline more than a week back is a story about that day, not the filing date; after it is neither
        ("WASHINGTON, Nov. 20 (Xinhua) --\nThe talks resumed today.", TUESDAY, TUESDAY, TUESDAY),
        ("WASHINGTON, Dec. 7 (Xinhua) --\nThe talks resumed today.", TUESDAY, TUESDAY, TUESDAY),
        # a date that opens a sentence is not a dateline
        ("On Dec. 5, the talks resumed. Lavrov spoke today.", TUESDAY, TUESDAY, TUESDAY),
        ("Undated, Dec. 5 -- he spoke today.", None, "XXXX-XX-XX", None),
    ],
)  # fmt: skip
def test_the_dateline_anchors_deictic_expressions(
    text: str, reference: str | None, today: str, anchor: str | None
) -> None:
    timex = only(text, reference, "today")
    assert (timex.value, timex.anchor) == (today, anchor)
    assert {found.anchor for found in find_timexes(text, reference)} == {anchor}


def test_the_dateline_resolves_weekdays_of_the_filing_day() -> None:
    text = "WASHINGTON, March 12 (Xinhua) --\n\nPoland, Hungary and the Czech Republic Friday joined NATO."
    assert only(text, "1999-03-19", "Friday").value == "1999-03-12"  # stamped a week later, on a Friday


def seed(articles: dict[str, Article], prefix: str) -> Article:
    return next(article for key, article in articles.items() if key.startswith(prefix))


@pytest.fixture(scope="module")
def seed_articles(seeds_dir: Path) -> dict[str, Article]:
    from storylens.clean import clean
    from storylens.ingest import read
    from storylens.model import Document

    documents = [item for item in read([seeds_dir]) if isinstance(item, Document)]
    return {article.id: article for article in clean(documents)}


def test_seed_000_friday_is_the_friday_before_publication(seed_articles: dict[str, Article]) -> None:
    body = seed(seed_articles, "000").body
    sentence = body.index("On Friday, Kerry submitted a proposal")
    friday = [timex for timex in find_timexes(body, TUESDAY) if timex.span.start == sentence + len("On ")]
    assert [(timex.text, timex.value) for timex in friday] == [("Friday", "2016-12-02")]


def test_seed_wire_copies_resolve_today_and_on_tuesday_alike(seed_articles: dict[str, Article]) -> None:
    """003 says "on Tuesday" where 004 (the same AFP text) says "today": one date, Dec 6."""
    arab_news = seed(seed_articles, "003").body
    pti = seed(seed_articles, "004")
    lead = "top diplomat"

    def date_after_lead(body: str, reference: str) -> str:
        position = body.index(lead) + len(lead)
        return next(t.value for t in find_timexes(body, reference) if t.span.start >= position)

    assert pti.meta.published and pti.meta.published.startswith(TUESDAY)
    assert date_after_lead(arab_news, TUESDAY) == date_after_lead(pti.body, pti.meta.published) == TUESDAY
