"""Checks on what the provider directory claims: categories, support phone numbers and web forms,
the dates they were read, and official domains that anyone could publish on.

Each check returns None when the value is fine, or (what is wrong, how to fix it) for the admin.
The Public Suffix List comes with the `publicsuffixlist` package; nothing is fetched.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

CATEGORIES = (
    "isp",
    "mail",
    "carrier",
    "card",
    "bank",
    "payment",
    "crypto",
    "securities",
    "shop",
    "marketplace",
    "delivery",
    "transport",
    "government",
    "utility",
    "media",
    "platform",
    "other",
)

# Hosts where anyone can publish a page, and which the Public Suffix List does not already mark
# as shared (its private section covers github.io, web.app, azurewebsites.net and the like).
# A provider's official domain can never be one of these or under one: a page there proves
# nothing about who made it.
SHARED_HOSTING = (
    "sites.google.com",
    "docs.google.com",
    "forms.gle",
    "storage.googleapis.com",
    "firebasestorage.googleapis.com",
    "googleusercontent.com",
    "blob.core.windows.net",
    "web.core.windows.net",
    "sharepoint.com",
    "1drv.ms",
    "wixsite.com",
    "weebly.com",
    "wordpress.com",
    "blogspot.com",
    "jimdofree.com",
    "jimdosite.com",
    "webnode.page",
    "square.site",
    "studio.site",
    "notion.site",
    "fc2.com",
    "ameblo.jp",
    "hatenablog.com",
    "note.com",
    "r2.dev",
    "ipfs.io",
    "dweb.link",
)

_HTTPS_HOST = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+")
_DIGITS_AND_SEPARATORS = re.compile(r"\+?[0-9]+([- ][0-9]+)*")

# The shapes a support page may print, named in every phone error so the admin sees them all.
PHONE_SHAPES = (
    "0120-123-456, 0570-123-456, 03-1234-5678, 090-1234-5678, 0800-123-4567, "
    "a carrier number such as 0077-7-111 or 0088-22-1234, a 3-digit short number "
    'such as 151 or 157, a #-number such as "#9110", or +81-3-1234-5678 '
    "(quote a number starting with '#' or '+')"
)


@lru_cache(maxsize=1)
def _lists() -> tuple[PublicSuffixList, PublicSuffixList]:
    """The whole Public Suffix List, and its ICANN part alone (no private hosting suffixes)."""
    return PublicSuffixList(), PublicSuffixList(only_icann=True)


def phone_problem(value: str) -> tuple[str, str] | None:
    """A support phone number as printed on a Japanese page: 0120-xxx-xxx, 0570-xxx-xxx,
    03-xxxx-xxxx, 090-xxxx-xxxx, a carrier's 0077-/0088- number, a carrier's 3-digit short
    number (151, 157), a #-number (#9110), or an international +country form."""
    fix = f"write the number as the page prints it, digits with '-' between groups: {PHONE_SHAPES}"
    if re.fullmatch(r"#[0-9]+", value):
        # #-numbers (#9110, #7119, #8000) are four digits after the '#'.
        if len(value) != 5:
            return f"'{value}' has {len(value) - 1} digits after '#'; #-numbers have 4", fix
        return None
    if not _DIGITS_AND_SEPARATORS.fullmatch(value):
        return f"'{value}' is not a phone number", fix
    digits = re.sub(r"[- ]", "", value)
    if digits.startswith("+"):
        if digits.startswith("+0") or not 8 <= len(digits) - 1 <= 15:
            return (
                f"'{value}' is not an international number (+, country code, 8 to 15 digits)",
                fix,
            )
        return None
    if digits == value and len(digits) == 3 and digits.startswith("1"):
        return None  # a 3-digit short number: 151, 157, 113 (carriers' own desks)
    if re.match(r"00(77|88)", digits):
        # Carrier-prefixed numbers (0077-7-111, 0088-22-1234): the prefix and 3 to 7 digits.
        if not 7 <= len(digits) <= 11:
            return f"'{value}' has {len(digits)} digits; 0077 and 0088 numbers have 7 to 11", fix
        return None
    if not digits.startswith("0") or digits.startswith("00"):
        return (
            f"'{value}' is neither a Japanese number (0..., 0077-, 0088-, a 3-digit 1xx, "
            "#xxxx) nor an international one (+...)",
            fix,
        )
    # Japanese numbering plan: free dial 0800, mobile 070/080/090 and IP phone 050 have eleven
    # digits; free dial 0120, navi dial 0570 and fixed lines have ten.
    expected = 11 if re.match(r"0800|0[5789]0", digits) else 10
    if len(digits) != expected:
        kind = "0800, 050, 070, 080 and 090" if expected == 11 else "0120, 0570 and fixed-line"
        return f"'{value}' has {len(digits)} digits; {kind} numbers have {expected}", fix
    return None


def web_form_problem(value: str) -> tuple[str, str] | None:
    """A web form address: a full https:// URL on a named host, nothing hidden in it."""
    parts = urlsplit(value)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https":
        return "a web form address must use https", "write the full https:// address"
    if (
        any(ch.isspace() for ch in value)
        or parts.username is not None
        or parts.password is not None
        or parts.port is not None
        or not _HTTPS_HOST.fullmatch(host)
    ):
        return (
            f"'{value}' is not a plain web address",
            "write it as https://host.example.jp/path, with no spaces, '@' or port",
        )
    return None


def read_date_problem(value: Any) -> tuple[str, str] | None:
    """The day the page was read: an ISO date such as 2026-12-03."""
    fix = "write the day you read the page as YYYY-MM-DD, e.g. read: 2026-12-03"
    if isinstance(value, datetime.datetime):
        return f"'read' {value} has a time", fix
    if isinstance(value, datetime.date):
        return None
    if isinstance(value, str):
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return f"'read' {value!r} is not a date", fix
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return None
    return f"'read' {value!r} is not a date", fix


def domain_problem(domain: str) -> tuple[str, str] | None:
    """An official domain must belong to the provider alone: not a public suffix (co.jp, ne.jp)
    and not a host where anyone can publish (github.io, sites.google.com)."""
    full, icann = _lists()
    if icann.is_public(domain):
        return (
            f"'{domain}' is a public suffix: anyone can register a name under it",
            "list the provider's own registered domain (example.co.jp), not the suffix",
        )
    shared = full.publicsuffix(domain) or ""
    if shared != (icann.publicsuffix(domain) or ""):
        return (
            f"'{domain}' is on '{shared}', where anyone can publish a site",
            "list only domains the provider itself owns; a page on a hosting service "
            "proves nothing about who made it",
        )
    for host in SHARED_HOSTING:
        if domain == host or domain.endswith("." + host):
            return (
                f"'{domain}' is on '{host}', where anyone can publish a page",
                "list only domains the provider itself owns; a page on a hosting service "
                "proves nothing about who made it",
            )
    return None
