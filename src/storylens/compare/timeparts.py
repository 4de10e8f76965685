"""When two time expressions name different days.

Relative expressions are resolved by the analysis stage against each article's own date, which may be
missing or guessed; a weekday name is what the outlet actually wrote. So two expressions conflict only when
both name a day and either their weekdays differ or both are written as explicit calendar dates that differ.
Weeks, months, "last week" or "mid-November" never conflict: they are too coarse to tell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from storylens.model import Timex

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
EXPLICIT_DATE = re.compile(rf"\b({MONTHS})[a-z]*\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\s+({MONTHS})|\d{{4}}-\d\d-\d\d", re.I)


@dataclass(frozen=True)
class Day:
    weekday: int | None  # 0 = Monday
    date: dt.date | None
    explicit: bool  # written as a calendar date, not relative to the article's date


def day_of(timex: Timex) -> Day | None:
    """The day a time expression names, or None when it names no single day."""
    if timex.type not in {"DATE", "TIME"} or timex.mod in {"BEFORE", "AFTER", "APPROX"}:
        return None
    date = _iso_day(timex.value)
    named = [index for index, name in enumerate(WEEKDAYS) if re.search(rf"\b{name}\b", timex.text, re.I)]
    if len(named) > 1:
        return None  # "Tuesday or Wednesday"
    weekday = named[0] if named else (date.weekday() if date else None)
    if weekday is None:
        return None
    return Day(weekday, date, explicit=bool(date and EXPLICIT_DATE.search(timex.text)))


def days_conflict(a: Day, b: Day) -> bool:
    if a.explicit and b.explicit:
        return a.date != b.date
    return a.weekday != b.weekday


def dates_conflict(a: Sequence[Timex], b: Sequence[Timex]) -> bool:
    """True when both sides name exactly one day and the days differ."""
    days_a = {day for day in map(day_of, a) if day}
    days_b = {day for day in map(day_of, b) if day}
    if len(days_a) != 1 or len(days_b) != 1:
        return False
    return days_conflict(next(iter(days_a)), next(iter(days_b)))


def _iso_day(value: str) -> dt.date | None:
    match = re.match(r"(\d{4})-(\d\d)-(\d\d)", value or "")
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None
