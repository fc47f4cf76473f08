"""Links judged on their own evidence: a message with no headers (a pasted SMS) still gets a
verdict from where its link goes; each reason names the general pattern it found."""

from __future__ import annotations

import threading

import pytest

from bot.content.model import Library
from bot.notices import Analysis, analyse
from bot.notices.hosts import random_looking


def judged(lib: Library, raw: bytes | str) -> Analysis:
    a = analyse(lib, raw)
    assert isinstance(a, Analysis), a
    return a


def reason(a: Analysis, code: str) -> str:
    r = next((r for r in a.reasons if r.code == code), None)
    assert r is not None, (code, a.reason_codes())
    return r.text.get("en")


@pytest.mark.parametrize(
    ("sms", "code", "shown"),
    [
        # a random-looking name
        (
            "Your parcel could not be delivered. Reschedule: https://qxvbtrmz.example/p",
            "link_random_host",
            "qxvbtrmz.example",
        ),
        # an ending sold for next to nothing
        (
            "Your parcel could not be delivered. Reschedule: https://parcel-desk.top/p",
            "link_throwaway_tld",
            ".top",
        ),
        # an unusual port
        (
            "Your parcel could not be delivered. Reschedule: https://parcel-desk.example:8443/p",
            "link_port",
            "8443",
        ),
        # a program to download
        (
            "Your invoice is ready: https://files.parcel-desk.example/invoice.exe",
            "link_download",
            "invoice.exe",
        ),
        # a bare address
        (
            "Your parcel could not be delivered. Reschedule: http://192.0.2.44/p",
            "link_ip",
            "192.0.2.44",
        ),
        # a listed shortener
        (
            "Your parcel could not be delivered. Reschedule: https://bit.ly/3AbCdEf",
            "link_shortener",
            "bit.ly",
        ),
        # the shape of a short link on a name not on my list
        (
            "Your parcel could not be delivered. Reschedule: https://qz.gy/Ab3dE",
            "link_shortener_shape",
            "qz.gy",
        ),
        # the start of the address dressed as another site's name
        (
            "Your parcel could not be delivered. Reschedule: https://smbc.co.jp.parcel-desk.example/p",
            "link_fake_suffix",
            "smbc.co.jp",
        ),
        # a dynamic DNS name anyone can register
        (
            "Your parcel could not be delivered. Reschedule: https://track.ddns.net/p",
            "link_shared_host",
            "No-IP",
        ),
    ],
)
def test_a_link_alone_says_what_it_is(lib: Library, sms: str, code: str, shown: str) -> None:
    a = judged(lib, sms)
    assert shown in reason(a, code)


@pytest.mark.parametrize(
    "link",
    [
        "https://amazon-co-jp.account-check.example/signin",  # brand in a subdomain of another
        "https://amaz0n.co.jp.example/signin",  # a letter swapped for a digit
        "https://arnazon-jp.example/signin",  # rn for m, and an extra word
        "https://www.amazon.co.jp@login-check.example/signin",  # the brand as a user name
        "https://login-check.example/amazon.co.jp/signin",  # the brand in the path
        "https://amazom.co.jp/signin",  # one letter off
    ],
)
def test_a_brand_named_with_a_link_elsewhere_is_phishing(lib: Library, link: str) -> None:
    a = judged(lib, f"Amazon: your order is on hold. Sign in to confirm: {link}")
    assert a.provider == "amazon"
    assert a.verdict == "likely_phishing", [(r.code, r.weight) for r in a.reasons]


def test_a_brand_named_with_a_link_anywhere_outside_its_domains_is_phishing(lib: Library) -> None:
    # Nothing about the host is odd; it just is not the brand's.
    a = judged(lib, "PayPal: a payment is on hold. Review it here: https://payment-review.example/")
    assert "payment-review.example" in reason(a, "link_foreign_action")
    assert a.verdict == "likely_phishing"


def test_the_brands_own_link_is_not_phishing(lib: Library) -> None:
    a = judged(lib, "PayPal: a payment is on hold. Review it here: https://www.paypal.com/activity")
    assert a.verdict != "likely_phishing"
    assert a.links[0].official


def test_a_mail_platforms_click_tracking_is_neutral(lib: Library) -> None:
    a = judged(
        lib,
        "From: PayPal <service@paypal.com>\nSubject: Your receipt\n\n"
        "Your receipt is ready. View it: https://u1234.ct.sendgrid.net/ls/click?upn=abc\n",
    )
    assert "SendGrid" in reason(a, "link_tracker")
    assert "link_foreign_action" not in a.reason_codes()
    assert a.verdict != "likely_genuine"


def test_the_link_it_wants_pressed_is_the_one_that_counts(lib: Library) -> None:
    a = judged(
        lib,
        "From: PayPal <service@paypal.com>\nSubject: Action needed\n\n"
        "Your account is limited. Confirm your details here:\n"
        "https://paypal-resolution.example/confirm\n\n"
        "Help: https://www.paypal.com/help\n",
    )
    pressed = [lk for lk in a.links if lk.role == "action"]
    assert [lk.domain for lk in pressed] == ["paypal-resolution.example"]
    assert a.verdict == "likely_phishing"


@pytest.mark.parametrize(
    ("label", "random"),
    [
        ("qxvbtrmz", True),
        ("hqiylea", True),
        ("a8k2d9x1", True),
        ("kuronekoyamato", False),
        ("mercari", False),
        ("rakuten", False),
        ("sagawa-exp", False),
        ("jpbank", False),  # an acronym joined to a word is not random
        ("xfinity", False),
    ],
)
def test_random_looking_names(label: str, random: bool) -> None:
    assert random_looking(label) is random


def test_names_under_restricted_endings_are_not_judged_by_their_look(lib: Library) -> None:
    a = judged(lib, "詳しくは https://www.jpcert.or.jp/at/ をご覧ください。")
    assert "link_random_host" not in a.reason_codes()


def test_the_reader_gives_the_same_answers_from_many_threads(lib: Library) -> None:
    notices = [
        f"Amazon: your order {i} is on hold. Confirm: https://shop{i}-check.example/a"
        for i in range(40)
    ]
    expected = [judged(lib, n).reason_codes() for n in notices]
    results: dict[int, tuple[str, ...]] = {}

    def work(k: int) -> None:
        for i in range(k, len(notices), 4):
            results[i] = judged(lib, notices[i]).reason_codes()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [results[i] for i in range(len(notices))] == expected
