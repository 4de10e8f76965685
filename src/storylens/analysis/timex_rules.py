"""The rules of the time-expression tagger: one regular expression and one normalizer each.

A normalizer reads the match and the ``Context`` (the text, the reference date, the quarter, day
and year last named) and returns the TIMEX3 value, type and modifier, or None to reject the match
("May" the verb, "the fall of Aleppo", an age like "6-year-old"). Rules register themselves in
``RULES`` in file order; on equal spans the earlier rule wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from storylens.analysis import timex_calendar as cal
from storylens.analysis.timex_tense import tense_around

_MONTH = (
    r"(?-i:(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)(?![a-z])\.?)(?![a-z]))"
)
_WEEKDAY = r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)(?!\d|,\d)"
_NUMBER = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:\s+1/2)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven"
    r"|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|a\s+hundred|hundred|a\s+couple\s+of|a\s+couple|a\s+dozen|a\s+quarter(?=[\s-]centur)|an?|half\s+an?)"
    r"(?:\s+and\s+a\s+half)?"
)
_VAGUE = r"(?:several|a\s+few|few|many|some|recent|the\s+past\s+few|the\s+last\s+few|the\s+next\s+few)"
_UNIT = (
    r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|months?|quarters?|years?|decades?|century"
    r"|centuries)"
)
_PLURAL_UNIT = r"(?:seconds|minutes|hours|days|nights|weeks|months|years|decades|centuries)"
_UNIT_WORD = r"\b(?:second|minute|hour|day|night|week|month|quarter|year|decade|centur)"
_MOD = (
    r"(?:(?P<mod>early|late|earlier|later|mid|middle|the\s+(?:end|beginning|start|middle|close|turn)"
    r"\s+of)[\s-]+)?"
)
# "earlier in the year", "late in the month"
_MOD_IN = _MOD.removesuffix(")?") + r"(?:in\s+)?)?"
_PART = r"(?:\s+(?P<part>morning|afternoon|evening|night))?"
_POSSESSIVE = re.compile(r"['’]s\b")
_CLOCK_DAY = (
    rf"(?:,?\s+(?:on\s+)?(?:(?P<day>{_WEEKDAY}|today|yesterday|tomorrow)|(?P<mon>{_MONTH})\s+(?P<dom>{_DAY})"
    rf"(?:,\s*(?P<cy>{_YEAR}))?))?"
)
_MOD_VALUES = {
    "early": "START", "earlier": "START", "beginning": "START", "start": "START", "mid": "MID",
    "middle": "MID", "late": "END", "later": "END", "end": "END", "close": "END", "turn": "START",
}  # fmt: skip
_APPROX_MODS = {
    "about": "APPROX", "around": "APPROX", "roughly": "APPROX", "approximately": "APPROX", "some": "APPROX",
    "nearly": "LESS_THAN", "almost": "LESS_THAN", "less than": "LESS_THAN", "under": "LESS_THAN",
    "more than": "MORE_THAN", "over": "MORE_THAN", "at least": "EQUAL_OR_MORE", "up to": "EQUAL_OR_LESS",
    "at most": "EQUAL_OR_LESS", "no more than": "EQUAL_OR_LESS",
}  # fmt: skip
_APPROX = (
    r"(?:(?P<approx>"
    + "|".join(key.replace(" ", r"\s+") + (r"(?!\s+the\b)" if key == "over" else "") for key in _APPROX_MODS)
    + r")\s+)?"
)
_SET_ADVERBS = {
    "hourly": "PT1H", "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W",
    "monthly": "P1M", "yearly": "P1Y",
}  # fmt: skip
_REFS = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF", "nowadays": "PRESENT_REF",
    "these days": "PRESENT_REF", "at present": "PRESENT_REF", "the present": "PRESENT_REF",
    "current": "PRESENT_REF", "at the moment": "PRESENT_REF", "recently": "PAST_REF", "lately": "PAST_REF",
    "the past": "PAST_REF", "the future": "FUTURE_REF", "the near future": "FUTURE_REF",
    "then current": "PAST_REF", "more recently": "PAST_REF",
}  # fmt: skip
_FOLLOWING_DAY = re.compile(rf"\s+{_DAY}\b(?!\s*(?:%|percent|million|billion))")
_SEASON_PREPOSITION = re.compile(r"\b(?:in|during|this|by|until|into|through|throughout|over|since)\s+$")
_SEASON_EVENT = re.compile(r"\s+(?:olympics|games|school|session|camp|training|break)\b", re.I)
_SEASON_AS_NAME = re.compile(r"\s+(?-i:[A-Z])|" + _SEASON_EVENT.pattern, re.I)
_NAME_AFTER = re.compile(r"\s+(?-i:[A-Z])")
_TITLE_WORD_BEFORE = re.compile(r"(?:^|[^.!?\s])\s*\b[A-Z][A-Za-z]*\s+$")
_QUOTE_OPEN_BEFORE = re.compile(r"\w['’]?\s+[\"“‘']$")
_QUOTE_CLOSE_AFTER = re.compile(r"[,.]?[\"”’']")
# "a quarter of Americans" (not "the first two quarters of 1990", "of the year")
_FRACTION_OF = re.compile(r"\s+of\s+(?!(?:(?:the|this|last|next|fiscal)\s+)*(?:(?:19|20)\d\d|year))", re.I)
_MEASURE_AFTER = re.compile(
    r"[\s-]+(?:kilomet(?:er|re)s?|met(?:er|re)s?|km|miles?|foot|feet|yards?|acres?|hectares?|tons?|tonnes?"
    r"|pounds?|kilograms?|kg|barrels?|gallons?|litres?|liters?|dollars?|euros?|yen|yuan|rubles?)\b",
    re.I,
)
_SHARED_YEAR = re.compile(rf"(?:\s+(?:and|or)\s+{_DAY}|\s*[-–]\s*{_DAY})?,?\s+(?P<y>{_YEAR})")
_MODAL_BEFORE = re.compile(r"\b(?:will|would|could|may|might|can|shall)\s+$", re.I)
_APPOSITION_BEFORE = re.compile(rf"(?:\d|{_WEEKDAY}),\s*$")
_PRECEDING_MONTH_CONTEXT = re.compile(
    r"(?:\b(?:in|since|until|till|by|of|through|during|before|after|from|to|last|next|this|early|late|mid)"
    r"[\s-]*|\d\s*)$",
    re.I,
)


@dataclass(frozen=True)
class Norm:
    value: str
    type: str = "DATE"
    mod: str | None = None
    names_quarter: bool = False  # a quarter the text itself names: later "the quarter" means it


@dataclass
class Context:
    text: str
    reference: date | None
    last_quarter: date | None = None  # the quarter last named, for "the quarter", "year-earlier"
    last_day: date | None = None  # the day last named, for "that day", "the next day", "at 9 a.m."
    last_year: int | None = None  # the year last named, for "that year", "the following year"
    last_month: date | None = None  # the month last named (its first day), for "later that month"


Normalizer = Callable[[re.Match[str], Context], Norm | None]


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    normalize: Normalizer
    # a word every match contains: the pattern then only runs near its occurrences (speed)
    trigger: re.Pattern[str] | None = None


RULES: list[Rule] = []


def _rule(pattern: str, trigger: str | None = None) -> Callable[[Normalizer], Normalizer]:
    def register(normalize: Normalizer) -> Normalizer:
        compiled_trigger = re.compile(trigger, re.I) if trigger else None
        RULES.append(Rule(re.compile(pattern, re.I), normalize, compiled_trigger))
        return normalize

    return register


def _mod(match: re.Match[str]) -> str | None:
    word = (match.groupdict().get("mod") or "").lower().split()
    return _MOD_VALUES.get(word[1] if len(word) > 1 else word[0]) if word else None


def _approx(match: re.Match[str]) -> str | None:
    words = match.groupdict().get("approx")
    return _APPROX_MODS.get(" ".join(words.lower().split())) if words else None


def _in_title(match: re.Match[str], ctx: Context) -> bool:
    """A capitalized expression after a capitalized word mid-sentence, or quoted on its own mid-sentence:
    a name ("USA Today", ABC's "This Week")."""
    if not all(word[0].isupper() for word in match.group(0).split()):
        return False
    before = ctx.text[max(0, match.start() - 30) : match.start()]
    if _TITLE_WORD_BEFORE.search(before):
        return True
    return bool(_QUOTE_OPEN_BEFORE.search(before) and _QUOTE_CLOSE_AFTER.match(ctx.text, match.end()))


def _tense(match: re.Match[str], ctx: Context) -> str | None:
    return tense_around(ctx.text, match.start(), match.end())


def _unit(word: str) -> str:
    word = word.lower()
    return "century" if word.startswith("centur") else word.removesuffix("s")


def _day_value(day: date | None, part: str | None) -> Norm:
    if part:
        return Norm(f"{cal.format_day(day)}T{cal.PARTS_OF_DAY[part.lower()]}", "TIME")
    return Norm(cal.format_day(day))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# --- absolute calendar dates ------------------------------------------------------------------


@_rule(rf"\b(?:{_WEEKDAY},?\s+)?(?P<m>{_MONTH})\s+(?P<d>{_DAY})(?:,\s*|\s+)(?P<y>{_YEAR})")
@_rule(rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR})")
@_rule(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b")
@_rule(r"\b(?P<m>0?[1-9]|1[0-2])/(?P<d>0?[1-9]|[12]\d|3[01])/(?P<y>(?:19|20)\d\d)\b")
def _full_date(match: re.Match[str], ctx: Context) -> Norm | None:
    month = match["m"]
    month_value = int(month) if month.isdigit() else cal.month_number(month)
    day = _safe_date(int(match["y"]), month_value, int(re.sub(r"\D", "", match["d"])))
    return Norm(day.isoformat()) if day else None


@_rule(rf"\b(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<m>{_MONTH})\s+(?P<d>{_DAY})\b")
@_rule(rf"\b(?:the\s+)?(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH})")
@_rule(rf"\b(?P<m>{_MONTH})\s+{_DAY}\s+(?:and|or)\s+(?P<core>(?P<d>{_DAY}))\b(?!\s*(?:%|percent|million|billion))")
def _month_day(match: re.Match[str], ctx: Context) -> Norm | None:
    month = cal.month_number(match["m"])
    day_number = int(re.sub(r"\D", "", match["d"]))
    shared = _SHARED_YEAR.match(ctx.text, match.end())
    if shared:  # "July 8 and 9, 2016", "Dec. 6-9, 2015": the year after the second day
        day = _safe_date(int(shared["y"]), month, day_number)
        return Norm(day.isoformat()) if day else None
    if ctx.reference is None:
        return Norm(f"XXXX-{month:02d}-{day_number:02d}") if day_number <= 31 else None
    year = _year_of_weekday(match, ctx.reference, month, day_number)
    year = year or cal.nearest_year(ctx.reference, month, day_number, _tense(match, ctx))
    day = _safe_date(year, month, day_number)
    return Norm(day.isoformat()) if day else None


def _year_of_weekday(match: re.Match[str], reference: date, month: int, day_number: int) -> int | None:
    """ "Sunday, April 20": the one year next to the reference in which that day is that weekday."""
    weekday = match.groupdict().get("wd")
    if not weekday:
        return None
    fitting = [
        year
        for year in (reference.year - 1, reference.year, reference.year + 1)
        if (day := _safe_date(year, month, day_number)) and day.isoweekday() == cal.weekday_number(weekday)
    ]
    return fitting[0] if len(fitting) == 1 else None


@_rule(rf"\b{_MOD}(?P<m>{_MONTH})(?:,|\s+of)?\s+(?P<y>{_YEAR})")
def _month_of_year(match: re.Match[str], ctx: Context) -> Norm | None:
    return Norm(f"{match['y']}-{cal.month_number(match['m']):02d}", mod=_mod(match))


@_rule(
    rf"\b{_MOD}(?:(?P<rel>last|next|this|this\s+past|this\s+coming)\s+)?(?P<m>{_MONTH})"
    r"(?:\s+(?P<ry>this|last|next)\s+year)?(?![\w-])",
    trigger=_MONTH,
)
def _month(match: re.Match[str], ctx: Context) -> Norm | None:
    name = match["m"]
    bare = not (match["mod"] or match["rel"] or match["ry"])
    ambiguous = name.rstrip(".") in ("May", "March", "Mar", "Jan", "Jun", "Sep", "Oct", "Dec")
    preceding = ctx.text[max(0, match.start() - 12) : match.start()]
    if bare and ambiguous and not _PRECEDING_MONTH_CONTEXT.search(preceding):
        return None
    if _FOLLOWING_DAY.match(ctx.text, match.end()):
        return None  # "last Oct. 23": the day rule takes "Oct. 23"
    month = cal.month_number(name)
    if ctx.reference is None:
        return Norm(f"XXXX-{month:02d}", mod=_mod(match))
    ref = ctx.reference
    relation = (match["ry"] and f"{match['ry']} year") or " ".join((match["rel"] or "").lower().split())
    offsets = {"last year": -1, "next year": 1, "this year": 0}
    if relation in offsets:
        year = ref.year + offsets[relation]
    elif relation in ("last", "this past"):
        year = ref.year if month < ref.month else ref.year - 1
    elif relation in ("next", "this coming"):
        year = ref.year if month > ref.month else ref.year + 1
    elif relation == "this":
        year = ref.year
    else:
        year = cal.nearest_year(ref, month, 15, _tense(match, ctx))
    return Norm(f"{year:04d}-{month:02d}", mod=_mod(match))


@_rule(
    rf"\b{_MOD}(?:(?P<fiscal>(?:fiscal|calendar)(?:\s+year)?|FY)\s*)?(?P<y>{_YEAR})\b"
    r"(?!\s*%|-(?!(?:19|20)\d\d\b)\d|\.\d|'?s\b)",
    trigger=r"\d{4}",
)
def _year(match: re.Match[str], ctx: Context) -> Norm | None:
    before = ctx.text[max(0, match.start() - 2) : match.start()]
    after = ctx.text[match.end() : match.end() + 8]
    year_range = re.match(rf"[-–]{_YEAR}", after)  # "the 2008-2009 recession": two years
    if re.search(r"(?:[$£€#]\s?|[\d.,])$", before):
        return None
    if not year_range and re.match(r"\s*(?:[-–]\s*\d|[ap]\.?m\b|GMT|UTC)", after):
        return None
    if _MEASURE_AFTER.match(ctx.text, match.end()):
        return None  # "2000 miles", "1500 feet": a quantity (HeidelTime's date_r3c_negative)
    return Norm(match["y"], mod=_mod(match))


@_rule(
    rf"\b(?:the\s+)?{_MOD}(?:(?P<decade>(?:1[5-9]|20)\d0)'?s|'(?P<short>[3-9]0)s"
    r"|(?P<word>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b",
    trigger=r"0'?s\b|ties\b",
)
def _decade(match: re.Match[str], ctx: Context) -> Norm | None:
    if match["word"] and not match.group(0).lower().startswith("the"):
        return None  # "in his sixties" is an age
    if match["decade"]:
        # "the 1800s" is a century, "the 2000s" the decade after the 1990s
        century = match["decade"].endswith("00") and match["decade"] != "2000"
        value = match["decade"][:2] if century else match["decade"][:3]
    elif match["short"]:
        value = "19" + match["short"][0]
    else:
        value = f"19{cal.DECADE_WORDS[match['word'].lower()]}"
    return Norm(value, mod=_mod(match))


@_rule(
    r"\b(?:the\s+)?" + _MOD + r"(?P<ord>\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh"
    r"|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth"
    r"|eighteenth|nineteenth|twentieth|twenty-first)[\s-]+century\b",
    trigger="century",
)
def _century(match: re.Match[str], ctx: Context) -> Norm | None:
    number = cal.ORDINALS.get(match["ord"].lower()) or int(re.sub(r"\D", "", match["ord"]))
    return Norm(f"{number - 1:02d}", mod=_mod(match))


# --- quarters, halves, seasons ----------------------------------------------------------------


@_rule(
    rf"\b(?:(?:the|this\s+year's|last\s+year's|next\s+year's|(?P<yp>{_YEAR})'s|the\s+(?P<yb>{_YEAR}))\s+)?"
    r"(?:(?P<ago>year-ago|year-earlier)\s+)?(?:fiscal\s+)?"
    r"(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?(?P<kind>quarter|half)(?![\w-])"
    rf"(?:\s+of\s+(?:(?:fiscal|the)\s+)?(?:(?P<ys>{_YEAR})|(?P<yrel>this|last|next|the)\s+(?:fiscal\s+)?year))?"
)
def _quarter(match: re.Match[str], ctx: Context) -> Norm | None:
    number = cal.ORDINALS[match["q"].lower()]
    letter = "Q" if match["kind"].lower() == "quarter" else "H"
    if letter == "H" and number > 2:
        return None
    explicit = match["yp"] or match["yb"] or match["ys"]
    text = match.group(0).lower()
    if explicit:
        return Norm(f"{explicit}-{letter}{number}", names_quarter=True)
    if ctx.reference is None:
        return Norm(f"XXXX-{letter}{number}")
    year = ctx.reference.year
    if "last year" in text or match["yrel"] == "last" or match["ago"]:
        year -= 1
    elif "next year" in text or match["yrel"] == "next":
        year += 1
    elif letter == "Q" and number > (ctx.reference.month - 1) // 3 + 1 and _tense(match, ctx) != "future":
        year -= 1  # a quarter not yet begun, spoken of in the past: last year's
    return Norm(f"{year}-{letter}{number}", names_quarter=not match["ago"])


@_rule(r"\bQ(?P<q>[1-4])(?:\s+(?P<y>(?:19|20)\d\d))?\b")
def _quarter_code(match: re.Match[str], ctx: Context) -> Norm | None:
    if match.group(0)[0] != "Q":
        return None
    year = match["y"] or (str(ctx.reference.year) if ctx.reference else "XXXX")
    return Norm(f"{year}-Q{match['q']}", names_quarter=True)


@_rule(
    r"\b(?P<det>the|this|last|next|that)\s+(?P<adj>(?:(?:latest|current|recent|most\s+recent|same"
    r"|previous|prior|year-ago|year-earlier|comparable|just-ended|fiscal|first|second|third|fourth)\s+)*)"
    r"(?P<kind>quarter|period)(?!s|ly)\b(?![\s-]+centur)"
)
def _relative_quarter(match: re.Match[str], ctx: Context) -> Norm | None:
    adjectives = set(match["adj"].lower().split())
    kind, det = match["kind"].lower(), match["det"].lower()
    if adjectives & {"first", "second", "third", "fourth"}:
        return None
    if kind == "period" and not adjectives & {"latest", "year-ago", "year-earlier", "comparable", "same"}:
        return None
    if ctx.reference is None:
        return Norm("XXXX-QX")
    current = cal.shift(ctx.reference, "quarter", 0)
    if det == "this" or "current" in adjectives:
        anchor = current
    elif det == "next":
        anchor = cal.shift(current, "quarter", 1)
    elif det == "last" or adjectives & {"previous", "prior"}:
        anchor = cal.shift(current, "quarter", -1)
    else:
        anchor = ctx.last_quarter or cal.shift(current, "quarter", -1)
    if adjectives & {"year-ago", "year-earlier"}:
        return Norm(cal.format_quarter(cal.shift(anchor, "year", -1)))
    return Norm(cal.format_quarter(anchor), names_quarter=True)


@_rule(
    rf"\b(?:last\s+year['’]s|the\s+(?P<y>{_YEAR}))\s+(?:(?:same|corresponding|comparable|fiscal)\s+)?"
    r"(?:quarter|period)(?![\w-])"
)
@_rule(
    r"\bthe\s+(?:(?:same|corresponding|comparable|year-ago|year-earlier)\s+)?(?:quarter|period)\s+"
    rf"(?:a\s+year\s+(?:ago|earlier)|(?:of\s+)?last\s+year|(?:of|in)\s+(?P<y>{_YEAR}))\b"
)
def _year_ago_quarter(match: re.Match[str], ctx: Context) -> Norm | None:
    """ "the quarter a year ago", "last year's quarter", "the 1988 period": the quarter under report,
    in the earlier year."""
    if ctx.reference is None:
        return Norm("XXXX-QX")
    anchor = ctx.last_quarter or cal.shift(ctx.reference, "quarter", -1)
    year = int(match["y"]) if match["y"] else anchor.year - 1
    return Norm(f"{year}-Q{(anchor.month - 1) // 3 + 1}")


@_rule(r"\b(?P<w>year-earlier|year-ago)\b(?![\s-]+(?:quarter|period))")
def _year_earlier(match: re.Match[str], ctx: Context) -> Norm | None:
    if ctx.reference is None:
        return Norm("XXXX")
    if ctx.last_quarter:
        return Norm(cal.format_quarter(cal.shift(ctx.last_quarter, "year", -1)))
    return Norm(str(ctx.reference.year - 1))


@_rule(
    rf"\b{_MOD}(?:(?P<rel>last|this|next|this\s+past|this\s+coming|the)\s+)?(?P<s>spring|summer|fall|autumn|winter)"
    rf"(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?\b",
    trigger=r"spring|summer|fall|autumn|winter",
)
def _season(match: re.Match[str], ctx: Context) -> Norm | None:
    code = cal.SEASONS[match["s"].lower()]
    relation = " ".join((match["rel"] or "").lower().split())
    if match["y"]:
        return Norm(f"{match['y']}-{code}", mod=_mod(match))
    named = match["s"][0].isupper() and _NAME_AFTER.match(ctx.text, match.end())
    if named or _SEASON_EVENT.match(ctx.text, match.end()):
        return None  # "the start of the Summer Olympics", "spring training"
    preceding = ctx.text[max(0, match.start() - 12) : match.start()].lower()
    unambiguous = relation == "the" and code in ("SU", "WI") and not _SEASON_AS_NAME.match(ctx.text, match.end())
    if relation in ("", "the") and not (match["mod"] or unambiguous or _SEASON_PREPOSITION.search(preceding)):
        return None  # "the fall of Aleppo", "fall" the verb, "spring" the noun
    if ctx.reference is None:
        return Norm(f"XXXX-{code}", mod=_mod(match))
    return Norm(f"{_season_year(ctx, code, relation, match):04d}-{code}", mod=_mod(match))


def _season_year(ctx: Context, code: str, relation: str, match: re.Match[str]) -> int:
    ref = ctx.reference
    assert ref is not None
    start_month = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
    this_year = ref.year - 1 if code == "WI" and ref.month <= 2 else ref.year
    season_start = date(this_year, start_month, 1)
    current_month = 12 if ref.month in (12, 1, 2) else (ref.month // 3) * 3
    current_start = date(ref.year - (ref.month <= 2), current_month, 1)
    if relation in ("last", "this past"):
        return this_year if season_start < current_start else this_year - 1
    if relation in ("next", "this coming"):
        return this_year if season_start > current_start else this_year + 1
    if relation == "this":
        return this_year
    tense = _tense(match, ctx)
    if tense == "past" and season_start > ref:
        return this_year - 1
    if tense == "future" and cal.add_months(season_start, 3) <= ref:
        return this_year + 1
    return this_year


# --- relative to the reference date -----------------------------------------------------------


@_rule(
    rf"\b{_MOD}(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|yesterday|tomorrow"
    rf"|tonight|last\s+night){_PART}\b",
    trigger=r"today|yesterday|tomorrow|tonight|night",
)
def _relative_day(match: re.Match[str], ctx: Context) -> Norm | None:
    word = " ".join(match["w"].lower().split())
    preceding = ctx.text[max(0, match.start() - 5) : match.start()].lower()
    if word == "today" and _POSSESSIVE.match(ctx.text, match.end()) and re.search(r"\b(?:in|of|for)\s+$", preceding):
        return None  # "in today's world", "the chips of today's computers": the present in general
    if _in_title(match, ctx):
        return None  # "USA Today", "VOA Today"
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "last night": -1, "tomorrow": 1}.get(word)
    if offset is None:
        offset = -2 if "yesterday" in word else 2
    day = cal.shift(ctx.reference, "day", offset) if ctx.reference else None
    part = match["part"] or ("night" if word == "last night" else None)
    return replace(_day_value(day, part), mod=_mod(match))


@_rule(r"\bthis\s+(?P<part>morning|afternoon|evening)\b")
def _this_part_of_day(match: re.Match[str], ctx: Context) -> Norm | None:
    return _day_value(ctx.reference, match["part"])


@_rule(
    r"\b(?:(?P<mod>early|late|mid)[\s-]?)?(?P<part>morning|afternoon|evening)\s+(?:of\s+)?"
    rf"(?P<w>yesterday|today|tomorrow|{_WEEKDAY})\b",
    trigger=r"morning|afternoon|evening",
)
def _part_of_named_day(match: re.Match[str], ctx: Context) -> Norm | None:
    """ "mid-afternoon yesterday", "early morning Friday": that day's part (undated: left to the day rules)."""
    day = _named_day(match["w"], match, ctx)
    return _day_value(day, match["part"]) if day else None


@_rule(
    rf"\b{_MOD}(?:(?P<rel>last|next|this|this\s+past|this\s+coming|coming|past)\s+)?(?P<wd>{_WEEKDAY})"
    rf"(?!s\b){_PART}\b",
    trigger=_WEEKDAY,
)
def _weekday(match: re.Match[str], ctx: Context) -> Norm | None:
    weekday = cal.weekday_number(match["wd"])
    if match["part"] and match["part"][0].isupper():
        return None  # a title: "Saturday Night Live", "Monday Night Football"
    if ctx.reference is None:
        return Norm(f"XXXX-WXX-{weekday}", mod=_mod(match))
    part = match["part"] if match["part"] and match["part"].lower() != "night" else None
    return replace(_day_value(_weekday_date(match, ctx, weekday), part), mod=_mod(match))


def _weekday_date(match: re.Match[str], ctx: Context, weekday: int) -> date:
    ref = ctx.reference
    assert ref is not None
    relation = " ".join((match["rel"] or "").lower().split())
    if relation in ("last", "past", "this past"):
        return cal.weekday_date(ref - timedelta(days=1), weekday, -1)
    if relation in ("next", "coming", "this coming"):
        return cal.weekday_date(ref + timedelta(days=1), weekday, 1)
    if relation == "this":
        return cal.shift(ref, "day", weekday - ref.isoweekday())
    direction = 1 if _tense(match, ctx) == "future" else -1
    return cal.weekday_date(ref, weekday, direction)


@_rule(
    rf"\b{_MOD_IN}(?P<rel>last|this\s+past|this\s+coming|this|next|past|coming|previous|current|the\s+past"
    r"|the\s+last|the\s+coming|the\s+next|the\s+previous|the\s+current|the\s+following|the)\s+(?:fiscal\s+)?"
    r"(?P<u>week|weekend|month|year|decade"
    r"|century)\b(?![\s-](?:old|long|ago|earlier|later)\b|s|-)",
    trigger=r"week|month|year|decade|century",
)
def _relative_unit(match: re.Match[str], ctx: Context) -> Norm | None:
    relation = match["rel"].lower().split()[-1]
    unit = match["u"].lower()
    if _in_title(match, ctx):
        return None
    if relation in ("the", "following") and not (match["mod"] or unit == "weekend"):
        return None  # "the year", "the following week": anchored on the story, not on the date
    if unit in ("decade", "century") and re.match(r"the\s+(?:past|last)\b", match["rel"], re.I) and not match["mod"]:
        return Norm(_duration_value(1, unit), "DURATION")  # "over the past decade": the ten years up to now
    offset = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}.get(relation, 0)
    if unit == "weekend" and relation == "the":
        offset = _weekend_offset(match, ctx)
    anchor = cal.shift(ctx.reference, unit, offset) if ctx.reference else None
    return Norm(cal.format_unit(anchor, unit), mod=_mod(match))


def _weekend_offset(match: re.Match[str], ctx: Context) -> int:
    if _tense(match, ctx) == "future":
        return 1
    return 0 if ctx.reference and ctx.reference.isoweekday() >= 6 else -1


@_rule(r"\b(?P<y>year|month)(?:['’]s\s+|[\s-])end\b", trigger=r"end\b")
def _unit_end(match: re.Match[str], ctx: Context) -> Norm | None:
    """ "by year-end", "at month's end": the end of the current year or month."""
    return Norm(cal.format_unit(ctx.reference, match["y"].lower()), mod="END")


@_rule(
    rf"\b{_APPROX}(?:(?P<n>{_NUMBER}|{_VAGUE})[\s-]+|(?={_PLURAL_UNIT}))(?P<u>{_UNIT})\s+"
    r"(?P<dir>ago|earlier|later|from\s+now|hence)\b",
    trigger=r"\b(?:ago|earlier|later|from\s+now|hence)\b",
)
def _ago(match: re.Match[str], ctx: Context) -> Norm | None:
    unit = _unit(match["u"])
    direction = -1 if match["dir"].lower() in ("ago", "earlier") else 1
    amount = cal.parse_number(match["n"]) if match["n"] else None
    if amount is not None and unit in ("decade", "century"):
        unit, amount = "year", amount * (10 if unit == "decade" else 100)  # "a quarter-century ago": 25 years
    if amount is None or amount != int(amount):
        # "(several) years ago" is simply the past; "several days later" counts from an event, not from today
        return Norm("PAST_REF") if match["dir"].lower() == "ago" else None
    if unit in ("second", "minute", "hour"):
        return None
    mod = "APPROX" if _approx(match) else None
    if unit == "year" and amount == 1 and direction < 0 and ctx.last_quarter:
        return Norm(cal.format_quarter(cal.shift(ctx.last_quarter, "year", -1)), mod=mod)
    # "ago" counts from the publication date; "three days later" from the day the story last named
    origin = _later_origin(ctx, unit) if match["dir"].lower() == "later" else ctx.reference
    if origin is None and match["dir"].lower() == "later":
        return None
    try:
        anchor = cal.shift(origin, unit, direction * int(amount)) if origin else None
    except (ValueError, OverflowError):
        return Norm("PAST_REF") if direction < 0 else None  # "13,800 years ago": before the calendar
    return Norm(cal.format_unit(anchor, unit), mod=mod)


def _later_origin(ctx: Context, unit: str) -> date | None:
    """What "N units later" counts from: the year last named for years ("won in 2008 but lost it four
    years later"), the month last named for months, else the day last named."""
    if unit == "year" and ctx.last_year is not None:
        return date(ctx.last_year, 1, 1)
    if unit == "month" and ctx.last_month is not None:
        return ctx.last_month
    return ctx.last_day


# --- durations, sets, clock times, vague references ---------------------------------------------


@_rule(
    rf"\b(?:every|each)\s+(?:other\s+)?(?:(?P<n>{_NUMBER})\s+)?(?P<u>{_UNIT}|{_WEEKDAY}|{_MONTH}"
    r"|morning|afternoon|evening|night)\b"
)
@_rule(rf"\b(?:on\s+)?(?P<wd>{_WEEKDAY})s\b")
@_rule(r"\b(?P<adv>hourly|daily|nightly|weekly|biweekly|monthly|yearly)\b")
@_rule(r"(?:\d|million|billion|percent|%)\s+(?P<core>(?:a|per|an)\s+(?P<pu>year|month|week|day|hour))\b")
@_rule(
    r"\b(?:once|twice|(?:two|three|four|five|several|\d+)\s+times)\s+(?:a|an|per)\s+(?P<pu>year|month|week|day|hour)\b"
)
def _set(match: re.Match[str], ctx: Context) -> Norm | None:
    groups = match.groupdict()
    if groups.get("adv"):
        before = ctx.text[max(0, match.start() - 8) : match.start()].lower()
        if _NAME_AFTER.match(ctx.text, match.end()) or before.endswith("average ") or _in_title(match, ctx):
            return None  # "the Party daily Granma", "average daily volume", "Breitbart News Daily": a name, an average
        return Norm(_SET_ADVERBS[groups["adv"].lower()], "SET")
    if groups.get("pu"):
        return Norm(_duration_value(1, groups["pu"].lower()), "SET")
    if groups.get("wd"):
        return Norm(f"XXXX-WXX-{cal.weekday_number(groups['wd'])}", "SET")
    word = groups["u"]
    if re.fullmatch(_WEEKDAY, word):
        return Norm(f"XXXX-WXX-{cal.weekday_number(word)}", "SET")
    if re.fullmatch(_MONTH, word):
        return Norm(f"XXXX-{cal.month_number(word):02d}", "SET")
    if word.lower() in cal.PARTS_OF_DAY:
        return Norm(f"TX{cal.PARTS_OF_DAY[word.lower()]}", "SET")
    amount = cal.parse_number(groups["n"]) if groups.get("n") else 1
    return Norm(_duration_value(amount or 1, _unit(word)), "SET")


@_rule(
    rf"\b{_APPROX}(?:the\s+(?![\w.]+-{_UNIT}\b))?(?:(?:past|last|next|coming|first|previous|following|final|other|remaining"
    rf"|latest)\s+)?(?P<n>{_NUMBER})(?:\s+more)?[\s-]+(?:(?:trading|business|working|calendar)\s+)?(?P<u>{_UNIT})(?:-long)?\b(?![\s-]old\b|\s+and\s+age\b)",
    trigger=_UNIT_WORD,
)
def _duration(match: re.Match[str], ctx: Context) -> Norm | None:
    amount = cal.parse_number(match["n"])
    unit = _unit(match["u"])
    if amount is None or amount <= 0 or (amount == 1 and unit == "second"):
        return None
    if re.fullmatch(_YEAR, match["n"]) and not match["u"].lower().endswith("s"):
        return None  # "the 1988 quarter", "the 1988 second quarter": a year, not a count
    if match["u"][0].isupper():
        return None  # a title: "60 Minutes", "48 Hours"
    preceding = ctx.text[max(0, match.start() - 10) : match.start()]
    if match.group(0).lower() == "one day" and _MODAL_BEFORE.search(preceding):
        return Norm("FUTURE_REF")  # "it may one day be used": some time to come
    if unit == "quarter" and (
        re.search(r"-quarters?$", match.group(0), re.I)
        or _FRACTION_OF.match(ctx.text, match.end())
        or match["n"].lower() in ("a", "an")
    ):
        return None  # "three-quarters", "a quarter of Americans", "by between a quarter and a third": a fraction
    return Norm(_duration_value(amount, unit), "DURATION", _approx(match))


_SMALLER_UNIT = {"Y": (12, "M", False), "M": (30, "D", False), "W": (7, "D", False), "D": (24, "H", True),
                 "H": (60, "M", True), "M_time": (60, "S", True)}  # fmt: skip


def _duration_value(amount: float, unit: str) -> str:
    """P3Y, PT5H30M, P2Y6M: a fractional amount carries into the next smaller unit."""
    letter, is_time, multiplier = cal.DURATION_UNITS[unit]
    amount *= multiplier
    if letter == "Q":
        letter, amount = "M", amount * 3
    whole = int(amount)
    parts = [(whole, letter, is_time)] if whole else []
    if amount != whole:
        factor, smaller, smaller_is_time = _SMALLER_UNIT["M_time" if is_time and letter == "M" else letter]
        parts.append((round((amount - whole) * factor), smaller, smaller_is_time))
    date_part = "".join(f"{n}{u}" for n, u, time_unit in parts if not time_unit)
    time_part = "".join(f"{n}{u}" for n, u, time_unit in parts if time_unit)
    return f"P{date_part}{'T' + time_part if time_part else ''}"


@_rule(
    r"\b(?:the\s+)?(?:(?:past|last|next|coming|previous|following)\s+)?(?P<v>several|a\s+few|few|many|some"
    rf"|recent|coming|the\s+past\s+few|the\s+last\s+few|the\s+next\s+few)\s+(?P<u>{_PLURAL_UNIT})\b(?!\s+ago)",
    trigger=_PLURAL_UNIT,
)
@_rule(rf"\b(?:for|over|within|in)\s+(?P<core>(?P<u>{_PLURAL_UNIT}))\b(?!\s+(?:ago|later|earlier|of))")
def _vague_duration(match: re.Match[str], ctx: Context) -> Norm | None:
    letter, is_time, _ = cal.DURATION_UNITS[_unit(match["u"])]
    return Norm(f"P{'T' if is_time else ''}X{letter}", "DURATION")


@_rule(
    r"\b(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>(?-i:a\.m\.?|p\.m\.?|am|pm|AM|PM|A\.M\.|P\.M\.))"
    r"(?:\s+(?P<tz>(?-i:[ECMP][SD]?T|GMT|UTC|IST|BST|CET|CEST|EET|MSK)))?"
    rf"{_CLOCK_DAY}(?!\w)"
)
@_rule(
    r"\b(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)\s*(?P<tz>(?-i:[ECMP][SD]?T|GMT|UTC|IST|BST|CET|CEST|EET|MSK))"
    rf"{_CLOCK_DAY}\b"
)
@_rule(r"\b(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)\s*(?P<tz>(?-i:GMT|UTC))\b")  # wire style: "1845 GMT"
@_rule(rf"\b(?P<noon>noon|midday|midnight){_CLOCK_DAY}\b")
def _clock_time(match: re.Match[str], ctx: Context) -> Norm | None:
    groups = match.groupdict()
    if groups.get("noon"):
        hour, minute = (24 if groups["noon"].lower() == "midnight" else 12), 0
    else:
        hour, minute = int(groups["h"]), int(groups.get("mi") or 0)
        meridian = (groups.get("ap") or "").lower()
        if meridian.startswith("p") and hour < 12:
            hour += 12
        elif meridian.startswith("a") and hour == 12:
            hour = 0
    day = _clock_day(match, ctx, groups)
    return Norm(f"{cal.format_day(day)}T{hour:02d}:{minute:02d}", "TIME")


def _clock_day(match: re.Match[str], ctx: Context, groups: dict[str, str | None]) -> date | None:
    """The day a clock time is on: the one it names, else the day the text last named, else today."""
    word = groups.get("day")
    if groups.get("mon") and groups.get("dom"):
        month, day_number = cal.month_number(groups["mon"]), int(re.sub(r"\D", "", groups["dom"]))
        if groups.get("cy"):
            return _safe_date(int(groups["cy"]), month, day_number)
        year = cal.nearest_year(ctx.reference, month, day_number) if ctx.reference else None
        return _safe_date(year, month, day_number) if year else None
    if not word:
        return ctx.last_day or ctx.reference
    return _named_day(word, match, ctx)


def _named_day(word: str, match: re.Match[str], ctx: Context) -> date | None:
    """The day "today", "yesterday", "tomorrow" or a weekday name (by the tense) stands for."""
    if ctx.reference is None:
        return None
    offsets = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if word.lower() in offsets:
        return cal.shift(ctx.reference, "day", offsets[word.lower()])
    direction = 1 if _tense(match, ctx) == "future" else -1
    return cal.weekday_date(ctx.reference, cal.weekday_number(word), direction)


@_rule(
    r"\b(?P<ref>right\s+now|now|currently|nowadays|these\s+days|at\s+present|the\s+present|at\s+the\s+moment"
    r"|(?:more\s+)?recently|lately|the\s+past|the\s+(?:near\s+)?future"
    r"|(?:then\s+)?current(?!\s+(?:accounts?|affairs|events)\b))\b"
    r"(?!-)"
)
def _reference(match: re.Match[str], ctx: Context) -> Norm | None:
    return Norm(_REFS[" ".join(match["ref"].lower().split())])


@_rule(
    r"\b(?:(?P<rel>last|this|next)\s+)?(?P<h>(?-i:Christmas(?:\s+(?:Eve|Day))?|New\s+Year['’]s(?:\s+(?:Eve|Day))?"
    r"|Thanksgiving(?:\s+Day)?|Easter|Good\s+Friday|Super\s+Tuesday|Halloween|(?:Independence|Labor|Memorial|Election|Veterans['’]?"
    r"|Inauguration|Presidents['’]?|Columbus|Mother['’]s|Father['’]s|Martin\s+Luther\s+King(?:\s+Jr\.?)?)\s+Day))"
    rf"(?:\s+(?P<y>{_YEAR}))?"
)
def _holiday(match: re.Match[str], ctx: Context) -> Norm | None:
    name = " ".join(match["h"].split())
    preceding = ctx.text[max(0, match.start() - 8) : match.start()].lower()
    if name == "Easter" and not re.search(r"\b(?:at|on|by|before|after|since|until|over)\s+$", preceding):
        return None  # "Easter Island", "the Easter Rising"
    if match["y"]:
        day = cal.holiday(name, int(match["y"]))
        return Norm(cal.format_day(day)) if day else None
    if ctx.reference is None:
        return Norm("XXXX-XX-XX") if cal.holiday(name, 2000) else None
    candidates = [cal.holiday(name, ctx.reference.year + offset) for offset in (-1, 0, 1)]
    dated = [day for day in candidates if day]
    relation = (match["rel"] or "").lower()
    tense = {"last": "past", "next": "future"}.get(relation) or _tense(match, ctx)
    if tense == "past":
        dated = [day for day in dated if day <= ctx.reference] or dated
    elif tense == "future":
        dated = [day for day in dated if day >= ctx.reference] or dated
    return Norm(min(dated, key=lambda day: abs((day - ctx.reference).days)).isoformat()) if dated else None


@_rule(
    r"\b(?:(?P<mod>earlier|later)\s+)?(?P<w>that\s+(?:same\s+)?day|the\s+same\s+day|the\s+(?:next|following|previous)"
    r"\s+(?:day|morning)|the\s+day\s+(?:before|after)|that\s+(?:same\s+)?(?P<part>morning|afternoon|evening|night))\b"
)
def _discourse_day(match: re.Match[str], ctx: Context) -> Norm | None:
    if ctx.last_day is None:
        return None  # no day named before: nothing to count from
    words = match["w"].lower()
    offset = 1 if re.search(r"next|following|after", words) else -1 if re.search(r"previous|before", words) else 0
    if words.startswith("the day") and _APPOSITION_BEFORE.search(ctx.text[max(0, match.start() - 12) : match.start()]):
        offset = 0  # "on Oct. 12, the day before the crash": the same day, described
    # "that night": the part of the day last named
    return replace(_day_value(cal.shift(ctx.last_day, "day", offset), match["part"]), mod=_mod(match))


@_rule(
    r"\b(?:(?P<mod>earlier|later)\s+)?(?P<w>that\s+(?:same\s+)?(?P<u>year|month)|the\s+same\s+(?P<u2>year|month)"
    r"|the\s+(?:next|following|previous)\s+(?P<u3>year|month)|the\s+(?P<u4>year|month)\s+(?:before|after))\b"
    r"(?!\s+(?:ago|earlier))"
)
def _discourse_year_or_month(match: re.Match[str], ctx: Context) -> Norm | None:
    """ "later that year", "the following month": counted from the year or month the story last named."""
    unit = (match["u"] or match["u2"] or match["u3"] or match["u4"]).lower()
    words = match["w"].lower()
    offset = 1 if re.search(r"next|following|after", words) else -1 if re.search(r"previous|before", words) else 0
    if unit == "month":
        if ctx.last_month is None:
            return None
        return Norm(cal.format_month(cal.shift(ctx.last_month, "month", offset)), mod=_mod(match))
    if ctx.last_year is None:
        return None
    return Norm(f"{ctx.last_year + offset:04d}", mod=_mod(match))


@_rule(
    rf"\b(?:the\s+year\s+|(?P<m>{_MONTH})\s+)?nineteen[\s-]+"
    r"(?P<tens>twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[\s-](?P<units>one|two|three|four|five|six|seven|eight|nine))?\b"
)
@_rule(r"\bthe\s+year\s+two\s+thousand(?:\s+and\s+(?P<units>one|two|three|four|five|six|seven|eight|nine|ten))?\b")
def _spelled_year(match: re.Match[str], ctx: Context) -> Norm | None:
    """Broadcast transcripts: "nineteen ninety-seven", "January nineteen ninety-seven"."""
    base = 1900 + cal.NUMBER_WORDS[match["tens"].lower()] if match.groupdict().get("tens") else 2000
    year = base + (cal.NUMBER_WORDS[match["units"].lower()] if match["units"] else 0)
    month = match.groupdict().get("m")
    return Norm(f"{year}-{cal.month_number(month):02d}" if month else str(year))


@_rule(r"\b(?P<core>the\s+(?:full\s+|fiscal\s+)?year)(?=\s+(?:ended|ending|ends|that\s+ended|through)\b)")
def _reported_year(match: re.Match[str], ctx: Context) -> Norm | None:
    return Norm("P1Y", "DURATION")  # "the year ended June 30": a fiscal year, a length


@_rule(
    r"\b(?:(?:for|of|during|through|throughout)\s+)?(?P<core>the\s+(?:full\s+)?year)\b"
    r"(?!\s+(?:ago|earlier|before|after|ended|ending|two|\d)|-)"
)
def _current_year(match: re.Match[str], ctx: Context) -> Norm | None:
    if match.group(0) == match["core"] and "full" not in match["core"].lower():
        return None  # a bare "the year" is anchored on the story, not on the date
    return Norm(cal.format_year(ctx.reference))
