"""The dateline: the day a news story says it was filed ("WASHINGTON, March 12 (Xinhua) --").

Wire copy is often stamped, scraped or archived a day or more after the story was written; its
"today", "yesterday" and "on Tuesday" are then relative to the dateline, not to the stamp. HeidelTime
and the TimeML guidelines resolve deictic expressions against the document's own time; a dateline
that the text states is that time when it is just before the stamp.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from storylens.analysis import timex_calendar as cal
from storylens.analysis.timex_rules import _DAY, _MONTH, _WEEKDAY, _YEAR

# a dateline opens a line within the head of the text: the place, then the day, then the agency or a dash
DATELINE_SEARCH_CHARS = 600
# a dateline further back than this from the given date is a story about an earlier day, not a stamp delay
DATELINE_MAX_DAYS = 7
_PLACE = r"(?-i:[A-Z][\w.'’-]*)(?:[ \t]+[\w.'’-]+){0,3}(?:,[ \t]*(?-i:[A-Z])[\w.'’-]*(?:[ \t]+[\w.'’-]+){0,2})?"
_DATELINE = re.compile(
    rf"^[ \t]*{_PLACE},[ \t]+(?:{_WEEKDAY},?[ \t]+)?(?P<m>{_MONTH})[ \t]+(?P<d>{_DAY})(?:,[ \t]*(?P<y>{_YEAR}))?"
    r"[ \t]*(?:\([^()\n]{1,30}\)[ \t]*)?(?:--|[-—–_:])",
    re.M,
)


def dateline_day(text: str, reference: date | None) -> date | None:
    """The dateline's day when it falls in the ``DATELINE_MAX_DAYS`` before ``reference``; with no
    reference, the dateline's day when it states its year. Otherwise None."""
    match = _DATELINE.search(text, 0, DATELINE_SEARCH_CHARS)
    if match is None:
        return None
    month, day_number = cal.month_number(match["m"]), int(re.sub(r"\D", "", match["d"]))
    if match["y"]:
        year = int(match["y"])
    elif reference is not None:
        year = cal.nearest_year(reference, month, day_number)
    else:
        return None
    try:
        day = date(year, month, day_number)
    except ValueError:
        return None
    if reference is None or reference - timedelta(days=DATELINE_MAX_DAYS) <= day < reference:
        return day
    return None
