"""Links judged on their own evidence: a message with no headers (a pasted SMS) still gets a
verdict from where its link goes; each reason names the general pattern it found."""

from __future__ import annotations

import threading

import pytest
from written_notices import judged

from bot.content.model import Library
from bot.notices import Analysis
from bot.notices.hosts import random_looking


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


def test_a_redirect_is_followed_to_the_address_it_carries(lib: Library) -> None:
    a = judged(
        lib,
        "PayPal: your account is limited. Restore it: "
        "https://www.google.com/url?q=https://account-restore.example/l&sa=D\n",
    )
    assert "account-restore.example" in reason(a, "link_redirect")
    assert "account-restore.example" in reason(a, "link_foreign_action")
    assert a.verdict == "likely_phishing"


def test_a_company_name_on_a_free_mailbox_is_named(lib: Library) -> None:
    a = judged(
        lib,
        "From: Billing Support Team <billing.team.4471@gmail.com>\nSubject: Invoice overdue\n\n"
        "Your invoice is overdue. Pay today to keep your service.",
    )
    assert "gmail.com" in reason(a, "sender_org_on_mailbox")


def test_a_brand_writing_from_a_free_mailbox_is_suspicious(lib: Library) -> None:
    a = judged(
        lib,
        "From: Google Security <google.security.alerts7@gmail.com>\n"
        "Subject: Google: someone has your password\n\n"
        "Someone has your password. Review your account activity.",
    )
    assert a.provider == "google"
    r = next(r for r in a.reasons if r.code == "sender_mailbox")
    assert r.weight > 0


def test_a_random_string_in_the_subject_is_named(lib: Library) -> None:
    a = judged(lib, "From: x <x@shop.example>\nSubject: Your credit is ready-HDvRq7TkW2mZb\n\nHi")
    assert "HDvRq7TkW2mZb" in reason(a, "subject_token")
    plain = judged(lib, "From: x <x@shop.example>\nSubject: Order 249-1234567-7654321\n\nHi")
    assert "subject_token" not in plain.reason_codes()


def test_a_sender_on_a_throwaway_name_is_named(lib: Library) -> None:
    a = judged(lib, "From: Notice <report@qxvbtrmz.top>\nSubject: Tax refund\n\nYour refund.")
    assert "qxvbtrmz.top" in reason(a, "sender_throwaway")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Claim your reward now: 500 USDT airdrop for early users.", "prize_lure"),
        (
            "おめでとうございます。高額当選のお知らせです。賞金の受け取り手続きをしてください。",
            "prize_lure",
        ),
        (
            "To keep your wallet, enter your 12-word recovery phrase on the sync page.",
            "wallet_secret",
        ),
        ("ウォレットを保護するため、シードフレーズを入力してください。", "wallet_secret"),
    ],
)
def test_lures_for_money_and_wallet_secrets_are_named(lib: Library, text: str, code: str) -> None:
    assert code in judged(lib, text).reason_codes()


def test_a_notice_that_says_it_never_asks_for_the_recovery_phrase_is_not_flagged(
    lib: Library,
) -> None:
    a = judged(lib, "Reminder: we will never ask for your recovery phrase. Keep it offline.")
    assert "wallet_secret" not in a.reason_codes()


def test_a_brand_asking_to_call_a_mobile_or_internet_phone_number_is_named(lib: Library) -> None:
    a = judged(
        lib,
        "【ソフトバンク】ご利用料金のお支払いが確認できません。本日中に 050-1234-5678 まで"
        "お電話ください。",
    )
    assert a.provider == "softbank"
    assert "050-1234-5678" in reason(a, "phone_personal")
    landline = judged(
        lib, "【ソフトバンク】ご利用料金のお知らせです。お問い合わせは 0800-919-0157 まで。"
    )
    assert "phone_personal" not in landline.reason_codes()
