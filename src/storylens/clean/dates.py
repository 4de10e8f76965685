"""Publication dates in the forms news pages print them, to ISO 8601.

Handles "December 6, 2016 9:28 PM IST", "Dec 3, 2016", "6 December 2016", "2016-12-06T21:28:00Z",
"GMT 18:34 2016 Thursday ,29 September", "Updated 10:32 AM ET, Tue December 6, 2016". A time is
kept only with a zone (an offset or a known abbreviation); without one the date alone is returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

# Fixed offsets in minutes; US and European zone names without a season go through zoneinfo.
FIXED_ZONES = {
    "GMT": 0, "UTC": 0, "UT": 0, "Z": 0, "IST": 330, "PKT": 300, "MSK": 180, "EET": 120, "EEST": 180,
    "CET": 60, "CEST": 120, "BST": 60, "WET": 0, "WEST": 60, "EST": -300, "EDT": -240, "CST": -360,
    "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "JST": 540, "KST": 540,
    "HKT": 480, "SGT": 480, "AEST": 600, "AEDT": 660, "SAST": 120, "WIB": 420, "AST": 180, "GST": 240,
    "TRT": 180, "NZDT": 780, "NZST": 720, "PHT": 480, "ICT": 420,
}  # fmt: skip
REGION_ZONES = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!:)(?:,?\s*{_YEAR}\b)?", re.IGNORECASE)
_DAY_MONTH = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b(?:,?\s*{_YEAR}\b)?", re.IGNORECASE)
_ISO = re.compile(
    r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)"
    r"(?:[T ](?P<hour>[0-2]\d):(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d)(?:\.\d+)?)?"
    r"\s*(?P<zone>Z|[+-][01]\d:?[0-5]\d)?)?"
)
_ANY_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_TIME = re.compile(
    r"\b(?P<hour>[0-2]?\d)[:.](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?\s*(?P<ampm>[ap]\.?\s?m\b\.?)?",
    re.IGNORECASE,
)
_ZONE = re.compile(
    r"(?<![\w+-])(?P<abbr>" + "|".join(sorted([*FIXED_ZONES, *REGION_ZONES], key=len, reverse=True)) + r")\b"
    r"(?:\s*(?P<offset>[+-]\d{1,2}(?::?\d\d)?))?"
    r"|(?P<bare>(?:UTC|GMT)?[+-][01]?\d:?[0-5]\d)\b"
)

_MIN_YEAR, _MAX_YEAR = 1990, 2100


@dataclass(frozen=True)
class FoundDate:
    iso: str
    start: int  # character range of the date expression in the searched text
    end: int


def find_date(text: str, default_year: int | None = None) -> FoundDate | None:
    """The first full date in ``text`` (with time and zone when both follow or precede it)."""
    iso = _ISO.search(text)
    if iso:
        return _from_iso(iso)
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        match = pattern.search(text)
        if match:
            found = _from_words(text, match, default_year)
            if found:
                return found
    return None


def _from_iso(match: re.Match[str]) -> FoundDate | None:
    try:
        day = date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None
    if match["hour"] is None or match["zone"] is None:
        return FoundDate(day.isoformat(), match.start(), match.end())
    offset = _parse_offset(match["zone"])
    moment = datetime(day.year, day.month, day.day, int(match["hour"]), int(match["minute"]),
                      int(match["second"] or 0), tzinfo=offset)  # fmt: skip
    return FoundDate(moment.isoformat(), match.start(), match.end())


def _from_words(text: str, match: re.Match[str], default_year: int | None) -> FoundDate | None:
    year_text = match["year"]
    start, end = match.start(), match.end()
    if year_text is None:
        # "GMT 18:34 2016 Thursday ,29 September": the year may stand before the day and month.
        nearby = _ANY_YEAR.search(text, max(0, start - 30), start)
        if nearby:
            year_text, start = nearby.group(), min(start, nearby.start())
    year = int(year_text) if year_text else default_year
    if year is None or not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        day = date(year, MONTHS[match["month"][:3].lower()], int(match["day"]))
    except ValueError:
        return None
    window_start, window_end = max(0, start - 40), min(len(text), end + 40)
    timed = _time_near(text, window_start, window_end, day)
    if timed is None:
        return FoundDate(day.isoformat(), start, end)
    moment, time_start, time_end = timed
    return FoundDate(moment.isoformat(), min(start, time_start), max(end, time_end))


def _time_near(text: str, window_start: int, window_end: int, day: date) -> tuple[datetime, int, int] | None:
    """The time and zone printed within the window around a date, with their extent in ``text``."""
    window = text[window_start:window_end]
    time_match = _TIME.search(window)
    zone_match = _ZONE.search(window)
    if not time_match or not zone_match:
        return None
    hour, minute = int(time_match["hour"]), int(time_match["minute"])
    ampm = (time_match["ampm"] or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    if hour > 23:
        return None
    naive = datetime(day.year, day.month, day.day, hour, minute, int(time_match["second"] or 0))
    zone = _zone_of(zone_match, naive)
    if zone is None:
        return None
    first = min(time_match.start(), zone_match.start())
    last = max(time_match.end(), zone_match.end())
    return naive.replace(tzinfo=zone), window_start + first, window_start + last


def _zone_of(match: re.Match[str], naive: datetime) -> timezone | ZoneInfo | None:
    if match["bare"]:
        return _parse_offset(match["bare"].removeprefix("UTC").removeprefix("GMT"))
    abbr = match["abbr"].upper()
    if abbr in REGION_ZONES:
        local = naive.replace(tzinfo=ZoneInfo(REGION_ZONES[abbr]))
        offset = local.utcoffset() or timedelta()
        return timezone(offset)
    base = timedelta(minutes=FIXED_ZONES[abbr])
    if match["offset"]:
        base += _parse_offset(match["offset"]).utcoffset(None) or timedelta()
    return timezone(base)


def _parse_offset(value: str) -> timezone:
    if value.upper() == "Z":
        return UTC
    sign = -1 if value.startswith("-") else 1
    digits = value[1:].replace(":", "")
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def normalize_date(value: str) -> str | None:
    """A hint or meta value ("2016-12-06", "Tue, 06 Dec 2016 14:00:00 GMT") as ISO 8601."""
    found = find_date(value)
    return found.iso if found else None
