"""The word lists in ``lexicon.json``: actor designations, loaded words and event verb classes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Designation:
    """One kind of actor and the terms outlets use for it, each term with its compiled pattern."""

    actor: str
    neutral: str
    patterns: dict[str, re.Pattern[str]]


def _load() -> dict:
    return json.loads(resources.files("storylens.compare").joinpath("lexicon.json").read_text(encoding="utf-8"))


def _designations(data: dict) -> list[Designation]:
    designations = []
    for actor, entry in data["designations"].items():
        patterns = {
            term: re.compile(r"\b(?:" + "|".join(variants) + r")\b", re.IGNORECASE)
            for term, variants in entry["terms"].items()
        }
        designations.append(Designation(actor, entry["neutral"], patterns))
    return designations


_DATA = _load()
DESIGNATIONS: list[Designation] = _designations(_DATA)
LOADED_WORDS: frozenset[str] = frozenset(_DATA["loaded"])
EVENT_CLASSES: dict[str, str] = {verb: name for name, verbs in _DATA["event_verbs"].items() for verb in verbs}
