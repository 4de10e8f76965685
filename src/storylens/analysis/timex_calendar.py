"""Calendar arithmetic and TIMEX3 value formatting for the time-expression normalizer.

Every formatter takes ``None`` for an unknown anchor and then returns the TIMEX3 form with the
unknown digits written as ``X`` (``XXXX-XX-XX``, ``XXXX-WXX``), so nothing is guessed.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from dateutil.easter import easter

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}
TENSE_REACH_DAYS = 300
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a hundred": 100, "a couple of": 2, "a couple": 2, "couple of": 2, "a dozen": 12,
    "dozen": 12, "a half": 0.5, "half a": 0.5, "half an": 0.5, "a quarter": 0.25,
}  # fmt: skip
ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
    "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
    "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21,
}  # fmt: skip
DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
    "seventies": 7, "eighties": 8, "nineties": 9,
}  # fmt: skip
# unit -> (TIMEX3 duration letter, is a time unit, multiplier into that letter)
DURATION_UNITS = {
    "second": ("S", True, 1), "minute": ("M", True, 1), "hour": ("H", True, 1), "day": ("D", False, 1),
    "night": ("D", False, 1), "week": ("W", False, 1), "month": ("M", False, 1),
    "quarter": ("Q", False, 1), "year": ("Y", False, 1), "decade": ("Y", False, 10),
    "century": ("Y", False, 100),
}  # fmt: skip


def parse_number(word: str) -> float | None:
    """'three' -> 3, '24' -> 24, 'twenty-four' -> 24, '2 1/2' -> 2.5; None for vague counts."""
    word = " ".join(word.lower().replace(",", "").split())
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    if word.endswith(" and a half"):
        whole = parse_number(word.removesuffix(" and a half"))
        return None if whole is None else whole + 0.5
    if word.endswith(" 1/2"):
        whole = parse_number(word.removesuffix(" 1/2"))
        return None if whole is None else whole + 0.5
    try:
        return float(word)
    except ValueError:
        pass
    parts = word.replace("-", " ").split()
    if len(parts) == 2 and all(part in NUMBER_WORDS for part in parts):
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return None


def month_number(name: str) -> int:
    return MONTHS[name.lower()[:3]]


def weekday_number(name: str) -> int:
    return WEEKDAYS[name.lower()[:3]]


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def shift(day: date, unit: str, amount: int) -> date:
    """Move a date by whole calendar units (day, week, month, quarter, year, decade, century)."""
    if unit in ("day", "night"):
        return day + timedelta(days=amount)
    if unit in ("week", "weekend"):
        return day + timedelta(weeks=amount)
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}[unit]
    return add_months(day, months * amount)


def format_unit(day: date | None, unit: str) -> str:
    """The TIMEX3 value of the calendar unit containing ``day`` (``None``: the X-filled form)."""
    formatters = {
        "day": format_day, "night": format_day, "week": format_week, "weekend": format_weekend,
        "month": format_month, "quarter": format_quarter, "year": format_year,
        "decade": format_decade, "century": format_century,
    }  # fmt: skip
    return formatters[unit](day)


def format_day(day: date | None) -> str:
    return day.isoformat() if day else "XXXX-XX-XX"


def format_week(day: date | None) -> str:
    if day is None:
        return "XXXX-WXX"
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def format_weekend(day: date | None) -> str:
    return f"{format_week(day)}-WE"


def format_month(day: date | None) -> str:
    return f"{day.year}-{day.month:02d}" if day else "XXXX-XX"


def format_quarter(day: date | None) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}" if day else "XXXX-QX"


def format_year(day: date | None) -> str:
    return f"{day.year:04d}" if day else "XXXX"


def format_decade(day: date | None) -> str:
    return f"{day.year // 10:03d}" if day else "XXX"


def format_century(day: date | None) -> str:
    return f"{day.year // 100:02d}" if day else "XX"


def nearest_year(reference: date, month: int, day: int = 1, tense: str | None = None) -> int:
    """The year putting month/day nearest the reference; on the side the verb's tense says if that
    is within ``TENSE_REACH_DAYS`` ("Oct. 23" said in May is last October, "Jan. 14" said on Jan. 6
    is next week even in the past tense)."""
    candidates = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return reference.year

    def distance(candidate: date) -> int:
        return abs((candidate - reference).days)

    sided = [
        candidate
        for candidate in candidates
        if (tense == "past" and candidate <= reference) or (tense == "future" and candidate >= reference)
    ]
    nearest_sided = min(sided, key=distance) if sided else None
    if nearest_sided and distance(nearest_sided) <= TENSE_REACH_DAYS:
        return nearest_sided.year
    return min(candidates, key=distance).year


def weekday_date(reference: date, weekday: int, direction: int) -> date:
    """The weekday (1=Monday) nearest before (-1) or after (+1) the reference; the same day is 0 away."""
    delta = (weekday - reference.isoweekday()) % 7
    if direction < 0 and delta:
        delta -= 7
    return reference + timedelta(days=delta)


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The nth (1-based; -1 = last) given weekday of a month."""
    days = [
        date(year, month, d)
        for d in range(1, calendar.monthrange(year, month)[1] + 1)
        if date(year, month, d).isoweekday() == weekday
    ]
    return days[nth - 1] if nth > 0 else days[nth]


def holiday(name: str, year: int) -> date | None:
    """Date of a fixed or computable holiday (US and Christian calendar), None if unknown."""
    name = name.lower().replace("'", "").replace("’", "").replace(" jr.", "").replace(" jr", "")
    fixed = {
        "christmas eve": (12, 24), "christmas": (12, 25), "christmas day": (12, 25), "new years eve": (12, 31),
        "new years day": (1, 1), "new years": (1, 1), "independence day": (7, 4), "halloween": (10, 31),
        "valentines day": (2, 14), "veterans day": (11, 11), "inauguration day": (1, 20),
    }  # fmt: skip
    # (month, weekday, nth) of the US holidays that fall on the nth weekday of a month
    nth = {
        "thanksgiving": (11, 4, 4), "thanksgiving day": (11, 4, 4), "labor day": (9, 1, 1),
        "memorial day": (5, 1, -1), "presidents day": (2, 1, 3), "columbus day": (10, 1, 2),
        "mothers day": (5, 7, 2), "fathers day": (6, 7, 3), "martin luther king day": (1, 1, 3),
        "super tuesday": (3, 2, 1),  # the US primaries' big day: the first Tuesday of March since 2012
    }  # fmt: skip
    if name in fixed:
        return date(year, *fixed[name])
    if name in nth:
        month, weekday, count = nth[name]
        return nth_weekday(year, month, weekday, count)
    if name == "election day":
        return nth_weekday(year, 11, 1, 1) + timedelta(days=1)  # the Tuesday after the first Monday
    if name == "easter":
        return easter(year)
    if name == "good friday":
        return easter(year) - timedelta(days=2)
    return None
