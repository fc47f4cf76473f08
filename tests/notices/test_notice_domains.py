"""Domains: registrable names from the bundled Public Suffix List, links in text, lookalikes."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cli.flows import load_library
from bot.content.model import Library
from bot.notices.domains import (
    find_links,
    has_userinfo,
    host_of,
    is_ip,
    registrable,
    scheme_of,
    to_ascii,
    to_unicode,
)
from bot.notices.html import RawLink
from bot.notices.index import index_for
from bot.notices.lookalike import Lookalikes, distance, lookalike, skeleton

OFFICIAL = ("paypal.com", "amazon.co.jp", "ocn.ne.jp", "google.com", "smbc-card.com")


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("mypage.ocn.ne.jp", "ocn.ne.jp"),
        ("www.amazon.co.jp", "amazon.co.jp"),
        ("a.b.example.co.uk", "example.co.uk"),
        ("WWW.PayPal.COM.", "paypal.com"),
        ("mypage-ocn.example.top", "example.top"),
        ("203.0.113.7", "203.0.113.7"),
        ("someone.github.io", "someone.github.io"),  # a private suffix: the user's own site
    ],
)
def test_registrable_domain(host: str, expected: str) -> None:
    assert registrable(host) == expected


def test_punycode_round_trip() -> None:
    fake = "pаypal.com"  # the second letter is Cyrillic
    ascii_form = to_ascii(fake)
    assert ascii_form.startswith("xn--")
    assert to_unicode(ascii_form) == fake


@pytest.mark.parametrize(
    ("host", "official", "how"),
    [
        ("paypa1.com", "paypal.com", "confusable"),
        ("arnazon.co.jp", "amazon.co.jp", "confusable"),
        ("amazom.co.jp", "amazon.co.jp", "typo"),
        ("amazon.top", "amazon.co.jp", "other_ending"),
        ("smbc-card.net", "smbc-card.com", "other_ending"),
        ("mypage-ocn.example.top", "ocn.ne.jp", "brand_inside"),
        ("ocn.ne.jp.account-check.top", "ocn.ne.jp", "brand_inside"),
        ("g00gle-account-review.com", "google.com", "brand_inside"),
    ],
)
def test_lookalikes_are_found(host: str, official: str, how: str) -> None:
    brands = ("paypal", "amazon", "ocn", "google", "smbc-card")
    look = lookalike(to_ascii(host), OFFICIAL, brands)
    assert look is not None
    assert (look.official, look.how) == (official, how)


def test_punycode_lookalike_is_found() -> None:
    look = lookalike(to_ascii("pаypal.com"), OFFICIAL, ())
    assert look is not None and look.official == "paypal.com" and look.how == "punycode"


@pytest.mark.parametrize(
    "host",
    [
        "www.paypal.com",
        "mypage.ocn.ne.jp",
        "example.org",
        "pineapple.com",
        "ocean-view.jp",
        "googleapis.example",
    ],
)
def test_ordinary_and_official_domains_are_not_lookalikes(host: str) -> None:
    assert lookalike(host, OFFICIAL, ("paypal", "ocn", "apple")) is None


def test_skeleton_and_distance() -> None:
    assert skeleton("rnicrosoft") == skeleton("microsoft")
    assert skeleton("paypa1") == skeleton("paypal")
    assert distance("amazon", "amazom", 2) == 1
    assert distance("amazon", "amzaon", 2) == 1  # a swap counts once
    assert distance("amazon", "ebay", 2) == 3  # gave up above the limit


def test_ip_addresses_in_every_spelling() -> None:
    assert is_ip("203.0.113.7") and is_ip("[2001:db8::1]") and is_ip("3232235777")
    assert is_ip("0xc0.0xa8.0x1.0x1")
    assert not is_ip("example.com")


def test_links_from_text_anchors_angles_and_markdown() -> None:
    body = (
        "Sign in: https://www.amazon.co.jp/ap/signin.\n"
        "Reactivate Your Account<https://dsgo.example/abc>\n"
        "[Click here](http://evil.example/login)\n"
        "Or visit mypage-ocn.example.top/login now, or www.dti.ne.jp\n"
        "Unusual sign.in activity. See readme.md and file.zip.\n"
        "Mail us: <mailto:help@desk.example?subject=hi>\n"
    )
    anchors = (RawLink("https://real.example/x", "https://shown.example/"),)
    found = {f.url: f.text for f in find_links(body, anchors)}
    assert found["https://real.example/x"] == "https://shown.example/"
    assert found["https://www.amazon.co.jp/ap/signin"] == ""
    assert found["https://dsgo.example/abc"] == "Reactivate Your Account"
    assert found["http://evil.example/login"] == "Click here"
    assert "mypage-ocn.example.top/login" in found
    assert "www.dti.ne.jp" in found
    assert "mailto:help@desk.example?subject=hi" in found
    assert not any("sign.in" in u or "readme" in u or "file.zip" in u for u in found)


def test_where_a_link_really_goes() -> None:
    assert host_of("https://www.dti.ne.jp@evil.example/login") == "evil.example"
    assert has_userinfo("https://www.dti.ne.jp@evil.example/login")
    assert host_of("hxxps://Evil.Example/x") == "evil.example"
    assert host_of("mailto:Help@Desk.Example?cc=x") == "desk.example"
    assert host_of("www.dti.ne.jp/support") == "www.dti.ne.jp"
    assert host_of("http://[::1") == ""
    assert scheme_of("HTTPS://x.example") == "https"
    assert scheme_of("mailto:a@b.example") == "mailto"
    assert scheme_of("www.x.example") == ""


# -- the typo check looks only at official names of a near length ----------------------------------


@cache
def _library() -> Library:
    library, issues = load_library(Path(__file__).resolve().parents[2] / "flows")
    assert library is not None, issues
    return library


def _typo_first(lk: Lookalikes, shown: str) -> str | None:
    """The first official name (in the directory's order) one typo from `shown`, checking
    every name: what the check gives, however it narrows its search."""
    for o, o_label, _, _ in lk.labels:
        if len(o_label) < 5 or abs(len(o_label) - len(shown)) > 2:
            continue
        limit = 2 if len(o_label) >= 8 else 1
        if distance(shown, o_label, limit) <= limit:
            return o
    return None


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_typo_check_finds_the_first_official_name_one_typo_away(data: st.DataObject) -> None:
    lk = index_for(_library()).lookalikes
    label = data.draw(st.sampled_from([e[1] for e in lk.labels]))
    # One or two letters changed or put in: near some official name, maybe near several.
    edits = st.tuples(st.integers(0, 20), st.sampled_from("aeiolrnx-"))
    word = label
    for at, ch in data.draw(st.lists(edits, max_size=2)):
        at = min(at, len(word))
        word = word[:at] + ch + word[at + 1 :] if at % 2 else word[:at] + ch + word[at:]
    if len(word) < 4 or lk.by_label.get(word) or lk.by_skeleton.get(skeleton(word)):
        return
    found = lk._name(word + ".com")
    expected = _typo_first(lk, word)
    assert (found.official if found is not None else None) == expected
