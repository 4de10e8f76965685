"""Outlet display names: from a URL host, a source line, or an agency named in a byline or dateline."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

_HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.", "edition.", "en.", "english.")
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "news"})


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, str]]:
    return json.loads(resources.files(__package__).joinpath("outlets.json").read_text("utf-8"))


def host_of(url: str) -> str | None:
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    if not host:
        return None
    for prefix in _HOST_PREFIXES:
        host = host.removeprefix(prefix)
    return host


def registered_domain(host: str) -> str:
    """``news.bbc.co.uk`` -> ``bbc.co.uk`` (good enough for outlet names; no public-suffix list)."""
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def outlet_from_url(url: str) -> str | None:
    host = host_of(url)
    if not host:
        return None
    hosts = _table()["hosts"]
    return hosts.get(host) or hosts.get(registered_domain(host)) or registered_domain(host)


def agency_name(name: str) -> str | None:
    """Canonical name when ``name`` is a news agency ("PTI" -> "Press Trust of India")."""
    return _table()["agencies"].get(name.strip(" .()").casefold())


def display_name(name: str) -> str:
    """A source line's outlet as a display name (agencies and known hosts canonicalised)."""
    name = name.strip(" .")
    if agency := agency_name(name):
        return agency
    if "." in name and " " not in name:
        return outlet_from_url(name) or name
    return name
