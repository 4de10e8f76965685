"""A cheap tense guess around a time expression: is "on Tuesday" the last or the next Tuesday?

The governing verb in news prose is usually just before the expression ("was handed over on
Saturday", "are expected to begin on Tuesday") or just after a fronted one ("Lavrov on Monday
said", "On Friday, Kerry submitted"), so the nearest tense cue before it wins, then the nearest after.
A reporting verb right next to the expression ("said Friday that ...") or earlier in its clause
("said in a statement late Tuesday that ...") dates the saying, so it counts as past; after the
expression it counts only when the expression opens the clause ("In September, it announced ...").
A past-looking form after an auxiliary is a participle or a bare verb ("will be paid", "would put"),
so the auxiliary gives the tense.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
_CLAUSE_END = re.compile(r"[.!?;\n]\s")
_BEFORE_TOKENS = 10
_AFTER_TOKENS = 8

_FUTURE_WORDS = frozenset(
    """will 'll shall would wo won't scheduled expected due plans plan planning upcoming intends intend
    hopes hope aims tomorrow next soon""".split()  # noqa: SIM905 - a word list reads better as prose
)
# present-tense modals point ahead unless a perfect follows ("must win in November", "may have met")
_MODALS = frozenset(["can", "may", "might", "must", "should"])
_COPULA = frozenset(["is", "are", "was", "were", "am", "be"])
# after these a past-looking form is a participle or a bare verb ("be paid", "would put", "to hit")
_AUXILIARIES = frozenset(
    ["be", "been", "being", "to", "will", "would", "could", "should", "can", "may", "might", "must", "shall"]
)
_DETERMINERS = frozenset(["a", "an", "the", "its", "his", "her", "their", "our", "this"])
_IRREGULAR_PAST = frozenset(
    """was were had has have did met took made came went gave told held left won lost began saw sent
    spoke fell rose struck hit led brought bought sold paid found thought knew became got put ran kept
    stood wrote fought broke chose drove flew forgot grew hung heard laid lay meant rode rang shot
    sang sat slept stole swore swam taught threw understood woke wore withdrew""".split()  # noqa: SIM905
)
_REPORTING = frozenset(
    ["said", "told", "added", "noted", "stated", "announced", "reported", "says", "tells", "predicted"]
)
_REPORTING_PAST = _REPORTING - {"says", "tells"}
_REPORTED_BEFORE = re.compile(r"\b(?:" + "|".join(_REPORTING) + r")\s+(?:on\s+)?$", re.I)
_REPORTED_AFTER = re.compile(r"\s+(?:" + "|".join(_REPORTING) + r")\b", re.I)
# -ed words that are not past verbs: adjectives before a noun ("an unspecified date") and stems
_NOT_PAST = frozenset(
    """need speed indeed proceed exceed succeed embed planned unspecified undisclosed unidentified unnamed
    unexpected unprecedented unchanged unconfirmed unrelated unlimited unemployed unarmed unsolicited
    unexplained""".split()  # noqa: SIM905
)


def _cue(tokens: list[str], index: int) -> str | None:
    """The tense a token signals."""
    token = tokens[index].replace("’", "'")
    word = token.lower()
    following = tokens[index + 1].lower() if index + 1 < len(tokens) else ""
    previous = tokens[index - 1].lower() if index > 0 else ""
    if word in _REPORTING:
        return None
    if word == "soon" and following == "after":
        return None  # "soon after Sunday's massacre": after it, not in the future
    if word == "planned" and previous in _DETERMINERS:
        return "future"  # "a planned rally on Saturday"; the verb "planned" dates nothing
    if word == "if":
        return "future"  # "if Cruz wins Wisconsin's contest Tuesday": an open condition lies ahead
    if word in _MODALS and token[0].islower() and "have" not in (t.lower() for t in tokens[index + 1 : index + 3]):
        return "future"  # "must (not) win in November"; not "may (not) have met", not the month May
    if word in _FUTURE_WORDS or word.endswith("'ll"):
        return "future"
    if following == "to" and (word in _COPULA or word in ("going", "set", "supposed")):
        return "future"
    if word == "as" and following in ("soon", "early"):
        return "future"  # "as soon as Tuesday"
    if previous in _AUXILIARIES:
        # "will be paid Dec. 14", "would put it on the November ballot": the auxiliary before has the tense
        return None
    if word in _IRREGULAR_PAST:
        return "past"
    if word.endswith("ed") and len(word) > 4 and token[0].islower() and word not in _NOT_PAST:
        return "past"
    return None


def _clause_window(text: str, start: int, end: int) -> tuple[str, str]:
    before = text[max(0, start - 200) : start]
    boundaries = list(_CLAUSE_END.finditer(before))
    if boundaries:
        before = before[boundaries[-1].end() :]
    after = text[end : end + 160]
    boundary = _CLAUSE_END.search(after)
    if boundary:
        after = after[: boundary.start()]
    return before, after


def _pluperfect(tokens: list[str], index: int) -> bool:
    """ "had been scheduled to expire Friday", "had planned to": a plan already in the past."""
    earlier = [token.lower() for token in tokens[max(0, index - 2) : index]]
    return earlier[-1:] == ["had"] or earlier == ["had", "been"]


def tense_around(text: str, start: int, end: int) -> str | None:
    """ "past", "future" or None for the clause around ``text[start:end]``."""
    before, after = _clause_window(text, start, end)
    before_tokens = _TOKEN.findall(before)[-_BEFORE_TOKENS:]
    # names carry no tense: "On Tuesday, the National Abortion Rights Action League plans to ..."
    after_tokens = [token for token in _TOKEN.findall(after) if not token[0].isupper()][:_AFTER_TOKENS]
    if _REPORTED_BEFORE.search(before) or _REPORTED_AFTER.match(after):
        return "past"
    for index in range(len(before_tokens) - 1, -1, -1):
        if before_tokens[index].lower() in _REPORTING_PAST:
            return "past"  # "said in a statement late Tuesday that talks would continue": the saying's date
        cue = _cue(before_tokens, index)
        if cue == "future" and _pluperfect(before_tokens, index):
            return "past"
        if cue:
            return cue
    fronted = len(before_tokens) <= 1  # "In September, it announced plans ...": the verb after is the date's own
    for index in range(len(after_tokens)):
        if fronted and after_tokens[index].lower() in _REPORTING_PAST:
            return "past"
        cue = _cue(after_tokens, index)
        if cue:
            return cue
    return None
