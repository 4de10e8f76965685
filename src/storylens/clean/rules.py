"""Wording that marks a block as page clutter, each pattern with the reason it reports.

Patterns only look at short blocks (clutter is short; a long paragraph that happens to mention
"cookies" or "subscribe" is article text).
"""

from __future__ import annotations

import re
from functools import lru_cache

MAX_CLUTTER_CHARS = 400

_I = re.IGNORECASE


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), _I)


COMMENT_FORM = _any(
    r"^leave a (?:reply|comment)",
    r"your email address will not be published",
    r"required fields are marked",
    r"^(?:post|add|send|submit|write) (?:a |your )?comments?\b",
    r"^your comment\b",
    r"^comments? (?:are|is) closed",
    r"^(?:log ?in|sign ?in|register) to (?:comment|reply|post)",
    r"^(?:join|start) the (?:conversation|discussion)",
    r"^cancel reply$",
    r"^notify me of (?:follow-up|new)",
    r"^save my name, email",
)

# Comment counters and links also sit in headers, so unlike the form they do not end the article.
COMMENT_LINK = _any(
    r"^\d+\s+(?:comments?|responses?|replies)\b",
    r"^(?:view|show|hide|load|read) (?:all |more )?comments",
    r"^comments?\s*(?:\(\d+\))?\s*$",
)

COOKIE_NOTICE = _any(
    r"\bcookies?\b.{0,80}\b(?:accept|consent|agree|policy|settings|preferences|storing|use of|we use)",
    r"\b(?:accept|reject|manage)(?: all)? cookies\b",
    r"^we (?:care about|value) your privacy",
)

SHARE_PROMPT = _any(
    r"^(?:share|tweet|email|print|pin|whatsapp|facebook|twitter|linkedin|reddit|telegram|copy link)"
    r"(?:\s*(?:this|article|story|on \w+|page))?(?:\W+(?:share|tweet|email|print|pin|whatsapp|facebook|"
    r"twitter|linkedin|reddit|telegram|copy link|messenger))*\W*$",
    r"\b(?:like|follow) us on (?:facebook|twitter|instagram|linkedin|telegram|google news|youtube)",
    r"^share (?:this|on|via)\b",
    r"\bfor (?:breaking|the latest) news\b.{0,60}\b(?:follow|like|subscribe)",
    r"^(?:sign up|subscribe)\b.{0,80}\b(?:newsletter|updates|email|alerts|daily|weekly)",
    r"\bnewsletter\b.{0,60}\b(?:sign up|subscribe|inbox)",
    r"^(?:download|get) (?:our|the) (?:free )?app\b",
    r"^click here\b",
    r"^(?:follow|subscribe to) (?:us|our|the)\b",
    r"^read more on\b",
)

RELATED_HEADER = re.compile(
    r"^(?:also read|read also|also see|see also|read more|related(?: articles?| stories| posts| news|"
    r" coverage| content| topics| links)?|recommended(?: for you| stories| articles)?|more (?:from|on|"
    r"stories|news|in)\b.*|you (?:may|might) (?:also )?(?:like|be interested in|have missed)|recent posts|"
    r"popular posts|most (?:read|popular|viewed|shared)|trending(?: now| stories)?|top stories|"
    r"further reading|latest(?: news| stories| posts)?|more news|what to read next|editor'?s picks|"
    r"don'?t miss|in case you missed it|read next|up next|next article|previous article|"
    r"next post|previous post)\s*[:»›>-]?\s*$",
    _I,
)

NAVIGATION = _any(
    r"^(?:skip to (?:main )?content|skip navigation|jump to|back to top|go to top|toggle navigation)\b",
    r"^(?:home|menu|search|close|open|login|log in|sign in|sign up|register|subscribe|contact us|about us|"
    r"about|contact|privacy policy|privacy|terms of (?:use|service)|terms|sitemap|advertise(?: with us)?|"
    r"careers|newsletters?|translate|more|next|previous|prev|loading\.*|advertisement|sponsored|"
    r"continue reading|read full article|go|submit)\s*[»›>|]?\s*$",
    r"start typing and press enter",
    r"^press (?:enter|return) to search",
    r"^search (?:for|this site)",
    r"we'?re not around right now",
    r"^you are here\b",
    r"^(?:home|news)\s*[»›>/|]",
)

COPYRIGHT = _any(
    r"^©|©\s*(?-i:\d{4}|[A-Z])",  # not the "Ã©" of mis-decoded UTF-8
    r"\(c\)\s*(?:\d{4}|copyright)",
    r"all rights reserved\b",
    r"^copyright\b",
    r"maintained and developed by\b",
    r"^powered by\b",
)

DISCLAIMER = _any(
    r"publication of articles on (?:our|this) site does not mean",
    r"views expressed (?:in this|here|by)",
    r"do(?:es)? not (?:necessarily )?reflect the (?:views|opinions?|editorial)",
)

AUTHOR_BIO = _any(
    r"\bpreviously worked (?:for|at|as)\b",
    r"\b(?:is|was) an? (?:senior |staff |freelance |contributing |political |foreign )?"
    r"(?:reporter|correspondent|journalist|writer|editor|columnist|contributor) (?:for|at|with|based|who|covering)\b",
    r"\bcontact \w+ (?:by|via|at) (?:e-?mail|twitter)",
    r"\bfollow (?:him|her|them) on (?:twitter|x)\b",
    r"\bspeciali[sz]es in\b",
    r"^about the author\b",
)

CAPTION = _any(
    r"\((?:[^()]*\b(?:photo|photograph|image|picture|file|credit|afp|reuters|ap|getty|epa|xinhua|tass|"
    r"sputnik|anadolu|shutterstock)\b[^()]*)\)\s*$",
    r"^(?:photo|image|picture|file photo|pictured|caption|illustration)\s*[:|]",
    r"\b(?:photo|image|picture)\s*(?:credit)?\s*[:/]\s*[A-Z][\w. ]+$",
    r"^\[?(?:image|photo|video|gallery)\]?$",
)

BYLINE = re.compile(
    r"^(?i:by|written by|reporting by|reported by|posted by|author|words by|story by|edited by)\s*[:\-]?\s+"
    r"(?P<name>[A-Z][\w.'’-]*(?:(?:[ ,]+(?:and|&|of|de|del|da|van|von|al|bin|the))*[ ,]+[A-Z][\w.'’-]*){0,7})"
    r"\s*(?:[|,;–—-].{0,60})?$",
)

SOURCE_LINE = re.compile(r"^(?:source|sources|via|courtesy(?: of)?)\s*[:\-–—]\s*(?P<name>[^\n]{2,60}?)\s*\.?$", _I)

DATE_LABEL = re.compile(
    r"^(?:published|updated|posted|last updated|first published|date|modified|created)"
    r"(?:\s+(?:on|at))?\s*[:\-–—]?\s*",
    _I,
)

PATTERN_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (COMMENT_FORM, "comment_form"),
    (COMMENT_LINK, "comment_link"),
    (COOKIE_NOTICE, "cookie_notice"),
    (DISCLAIMER, "disclaimer"),
    (SHARE_PROMPT, "share_prompt"),
    (RELATED_HEADER, "related_links"),
    (NAVIGATION, "navigation"),
    (COPYRIGHT, "copyright"),
    (AUTHOR_BIO, "author_bio"),
)

# After one of these the rest of the page is not the article, when at most this share of the body
# mass would be lost: a comment form ends an article for sure; "Related" boxes also sit mid-article.
TERMINAL_REASONS = {
    "comment_form": 0.5,
    "related_links": 0.2,
    "copyright": 0.2,
    "disclaimer": 0.2,
    "author_bio": 0.2,
}


# Disclaimers and author bios run longer than other clutter.
LONG_CLUTTER = ((DISCLAIMER, "disclaimer"), (AUTHOR_BIO, "author_bio"))
MAX_LONG_CLUTTER_CHARS = 1000


@lru_cache(maxsize=65536)
def pattern_reason(text: str) -> str | None:
    """The clutter reason whose wording the block matches, if any."""
    if len(text) <= MAX_CLUTTER_CHARS:
        for pattern, reason in PATTERN_REASONS:
            if pattern.search(text):
                return reason
    elif len(text) <= MAX_LONG_CLUTTER_CHARS:
        for pattern, reason in LONG_CLUTTER:
            if pattern.search(text):
                return reason
    return None


@lru_cache(maxsize=65536)
def is_caption(text: str) -> bool:
    """Photo-caption wording; a caption inside the article is kept (once), elsewhere it is clutter."""
    return len(text) <= MAX_CLUTTER_CHARS and bool(CAPTION.search(text))


@lru_cache(maxsize=65536)
def byline_name(text: str) -> str | None:
    if len(text) > 120:
        return None
    match = BYLINE.match(text)
    return match.group("name").strip(" ,") if match else None


@lru_cache(maxsize=65536)
def source_name(text: str) -> str | None:
    match = SOURCE_LINE.match(text)
    return match.group("name").strip() if match else None
