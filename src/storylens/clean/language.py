"""Language of a text from stop-word hits, using jusText's stop lists (100 languages, shipped with it)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import justext
from babel import Locale

_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE_WORDS = 400
_MIN_HITS = 5

# Scripts whose presence decides the language family without stop words.
_SCRIPTS = (
    (re.compile(r"[\u0600-\u06ff]"), "ar"),
    (re.compile(r"[\u3040-\u30ff]"), "ja"),
    (re.compile(r"[\uac00-\ud7af]"), "ko"),
    (re.compile(r"[\u4e00-\u9fff]"), "zh"),
    (re.compile(r"[\u0590-\u05ff]"), "he"),
    (re.compile(r"[\u0e00-\u0e7f]"), "th"),
)


@lru_cache(maxsize=1)
def _stop_index() -> dict[str, tuple[str, ...]]:
    """word -> languages whose stop list holds it."""
    index: dict[str, list[str]] = {}
    for name in sorted(justext.get_stoplists()):
        for word in justext.get_stoplist(name):
            index.setdefault(word, []).append(name)
    return {word: tuple(names) for word, names in index.items()}


@lru_cache(maxsize=1)
def _codes_by_name() -> dict[str, str]:
    """English language name -> shortest code, from Babel's CLDR data."""
    codes: dict[str, str] = {}
    for code, name in sorted(Locale("en").languages.items(), key=lambda item: (len(item[0]), item[0])):
        codes.setdefault(name.lower(), code)
    return codes


def _code(name: str) -> str:
    readable = name.replace("_", " ").lower()
    return _codes_by_name().get(readable, readable)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code (or the closest langcodes gives), None when the text gives too little to tell."""
    sample = text[:20000]
    for script, code in _SCRIPTS:
        if len(script.findall(sample)) > 20:
            return code
    words = [word.lower() for word in _WORD.findall(sample)[:_SAMPLE_WORDS]]
    index = _stop_index()
    hits: Counter[str] = Counter()
    for word in words:
        for name in index.get(word, ()):
            hits[name] += 1
    if not hits:
        return None
    best, count = min(hits.items(), key=lambda item: (-item[1], item[0]))
    return _code(best) if count >= _MIN_HITS else None
