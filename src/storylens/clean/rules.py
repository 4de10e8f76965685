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
    r"^tell us what you think\b",
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
    r"^(?:sign up|subscribe)\b.{0,80}\b(?:newsletter|updates|email|alerts|daily|weekly|inbox|brief(?:ing)?|digest)",
    r"\bnewsletter\b.{0,60}\b(?:sign up|subscribe|inbox)",
    r"\b(?:in|to) your inbox\b.{0,60}\b(?:sign up|subscribe)\W*$",
    r"^(?:order|buy) reprints\b|^reprints? (?:&|and) permissions\b|^print (?:this )?(?:article|story|page)\W*$",
    r"^this copy is for your personal,? non-commercial use",
    r"\bclick here (?:for|to) (?:more information|subscribe|sign up|order)\W*$",
    r"^(?:download|get) (?:our|the) (?:free )?app\b",
    r"^click here\b",
    r"^(?:follow|subscribe to) (?:us|our|the)\b",
    r"^read more on\b",
    r"\bshare (?:it|this)(?: story| article| post)? with (?:a friend|your friends)",
    r"^follow @?\w+(?: \w+)? on (?:instagram|facebook|twitter|x|youtube|linkedin|telegram|tiktok)\b",
    r"^(?:listen|watch|download|subscribe|itunes|spotify)\s*:\s*https?://\S+$",
)

# A related article's headline behind a label ("READ MORE: ...", "Also on rt.com ...") or with a
# section tag after it ("Plague fears: holidaymakers die [INSIGHT]").
RELATED_LINK = _any(
    r"^(?:read|see|watch) (?:more|also|next)\s*[:|»›>-]\s*\S",
    r"^also (?:read|see|watch|on \w+\.\w+)\b",
    r"^\S.{10,}\s(?-i:\[[A-Z]{3,12}\])\s*\|?\s*$",
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
    r"^an error (?:has )?occurred\b",
    r"^(?:this|the) (?:article|story|link) (?:has been|was) (?:sent|shared)\b",
    r"^(?:tags?|topics|keywords|filed under|categories)\s*:",
    r"^\[\w+(?:\s[^\]]*)?\].*\[/\w+\]$",  # shortcode markup left by the CMS
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
    r"^(?:write|e-?mail|contact) (?:to )?[A-Z]\w+(?: [A-Z][\w.'-]+){0,3} at \S+@\S+",
)

# An editor's or publisher's note on the page: what the site thinks of the article, not the article.
EDITOR_NOTE = _any(
    r"^(?:editor['’]?s|editors['’]|publisher['’]?s) note\b",
    r"^(?:\(|\[)?ed(?:itor)?\.? note\b",
    r"^note (?:by|from) (?:the )?[A-Z]",
)

CAPTION = _any(
    r"\((?:[^()]*\b(?:photo|photograph|image|picture|file|credit|getty|shutterstock|"
    r"(?-i:AFP|AP|EPA|Reuters|REUTERS|Xinhua|TASS|Sputnik|Anadolu))\b[^()]*)\)\s*$",
    r"^(?:photo|image|picture|file photo|pictured|caption|illustration)\s*[:|]",
    r"\b(?:photo|image|picture)\s*(?:credit)?\s*[:/]\s*[A-Z][\w. ]+$",
    r"^\[?(?:image|photo|video|gallery)\]?$",
    # a credit in the agency/photographer form: "... port gates. (MPA/Ivo Sandrel)"
    r"[.!?”\"]\s*\((?-i:[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}) ?/ ?(?-i:[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3})\)\s*$",
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
    (RELATED_LINK, "related_headline"),  # inline, so unlike a "Related" header it does not end the article
    (NAVIGATION, "navigation"),
    (COPYRIGHT, "copyright"),
    (AUTHOR_BIO, "author_bio"),
    (EDITOR_NOTE, "editor_note"),
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
LONG_CLUTTER = ((DISCLAIMER, "disclaimer"), (AUTHOR_BIO, "author_bio"), (EDITOR_NOTE, "editor_note"))
MAX_LONG_CLUTTER_CHARS = 1000


_BULLET = re.compile(r"^[-–•*·]\s+")


@lru_cache(maxsize=65536)
def pattern_reason(text: str) -> str | None:
    """The clutter reason whose wording the block matches, if any (a list bullet in front is ignored)."""
    text = _BULLET.sub("", text)
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
