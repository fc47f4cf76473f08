"""Trust only what the person's own mail server wrote: Authentication-Results read by the RFC 8601
grammar, only from the receiving service's own headers at the top of the mail, never from the
body, a forwarded block or a quoted mail; an official sender without that is only a claim."""

from __future__ import annotations

from dataclasses import replace

import pytest
from written_notices import judged

from bot.content.model import Library
from bot.content.readermodel import Receiver
from bot.notices import Analysis
from bot.notices.authres import parse, receiver_results, strip_comments

GMAIL_TOP = (
    "Received: from out.paypal.example (out.paypal.example [203.0.113.5]) by mx.google.com\n"
)
OUTLOOK_TOP = (
    "Received: from AB1PR01MB0001.prod.outlook.com by CD2PR02MB0002.prod.outlook.com with HTTPS\n"
)
BODY = (
    "Subject: Your statement is ready\nMIME-Version: 1.0\nContent-Type: text/plain\n\n"
    "Your monthly statement is ready. View it at https://www.paypal.com/myaccount/statements\n"
)


def weights(a: Analysis) -> list[tuple[str, float]]:
    return [(r.code, r.weight) for r in a.reasons]


# -- the grammar ------------------------------------------------------------------------------


def test_comments_are_removed_nested_and_quoted_strings_kept() -> None:
    assert strip_comments('a (b (c) d) "x (y)" e') == 'a   "x (y)" e'
    assert strip_comments("a (never closed") is None


def test_one_result_per_method_with_its_properties() -> None:
    h = parse(
        "mx.google.com; dkim=pass header.i=@paypal.com header.s=k1 header.b=abc; "
        "spf=pass (google.com: domain of x designates 1.2.3.4) smtp.mailfrom=paypal.com; "
        "dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=paypal.com"
    )
    assert h is not None and h.authserv_id == "mx.google.com"
    methods = {r.method: r for r in h.results}
    assert methods["dmarc"].prop("header.from") == "paypal.com"
    assert methods["dkim"].prop("header.i") == "paypal.com"
    assert methods["spf"].result == "pass"


def test_a_result_inside_a_comment_is_not_read() -> None:
    h = parse("mx.google.com; spf=fail (helo=dmarc=pass) smtp.mailfrom=evil.example")
    assert h is not None
    assert [r.method for r in h.results] == ["spf"]


def test_exchange_online_writes_its_results_without_an_authserv_id() -> None:
    h = parse(
        "spf=pass (sender IP is 203.0.113.7) smtp.mailfrom=shop.example; dkim=pass "
        "(signature was verified) header.d=shop.example;dmarc=pass action=none "
        "header.from=shop.example;compauth=pass reason=100"
    )
    assert h is not None and h.authserv_id == ""
    assert {r.method for r in h.results} == {"spf", "dkim", "dmarc", "compauth"}


def test_a_header_that_is_not_results_is_not_read() -> None:
    assert parse("mx.google.com; this is not a result") is None


# -- whose results count ----------------------------------------------------------------------


def receivers(lib: Library) -> tuple[Receiver, ...]:
    return lib.reader.receivers


def test_results_from_the_receiving_service_count(lib: Library) -> None:
    trace = [
        ("received", "from a.example by mx.google.com with ESMTPS"),
        ("authentication-results", "mx.google.com; dmarc=pass header.from=shop.example"),
    ]
    checked = receiver_results(trace, receivers(lib))
    assert checked.receiver.startswith("Gmail")
    assert checked.first("dmarc") is not None


def test_results_below_a_server_outside_the_service_are_the_senders_own(lib: Library) -> None:
    # The sender put a "pass" in its mail before sending it; the receiver's own says nothing.
    trace = [
        ("received", "from relay.evil.example by mx.google.com with ESMTPS"),
        ("received", "from localhost by relay.evil.example"),
        ("authentication-results", "mx.google.com; dmarc=pass header.from=paypal.com"),
    ]
    checked = receiver_results(trace, receivers(lib))
    assert checked.first("dmarc") is None


def test_results_from_an_unknown_server_are_not_believed(lib: Library) -> None:
    trace = [
        ("received", "from a.example by mx.small-isp.example"),
        ("authentication-results", "mx.small-isp.example; dmarc=pass header.from=paypal.com"),
    ]
    checked = receiver_results(trace, receivers(lib))
    assert checked.receiver == "" and checked.untrusted == "mx.small-isp.example"


def test_a_check_said_two_ways_is_a_conflict(lib: Library) -> None:
    trace = [
        ("authentication-results", "mx.google.com; dmarc=pass header.from=paypal.com"),
        ("authentication-results", "mx.google.com; dmarc=fail header.from=paypal.com"),
        ("received", "from out.evil.example by mx.google.com"),
    ]
    checked = receiver_results(trace, receivers(lib))
    assert checked.conflicts == ("dmarc",)
    assert checked.first("dmarc") is None


def test_one_check_per_header_is_read_together(lib: Library) -> None:
    # Some services write one header per check.
    trace = [
        ("authentication-results", "mailin001.protonmail.ch; dkim=pass header.d=shop.example"),
        ("authentication-results", "mailin001.protonmail.ch; dmarc=pass header.from=shop.example"),
        ("authentication-results", "mailin001.protonmail.ch; spf=pass smtp.mailfrom=shop.example"),
        ("received", "from out.shop.example by mailin001.protonmail.ch"),
    ]
    checked = receiver_results(trace, receivers(lib))
    assert {r.method for r in checked.results} == {"dkim", "dmarc", "spf"}


# -- the verdict ------------------------------------------------------------------------------


def test_an_official_sender_with_the_receivers_pass_is_likely_genuine(lib: Library) -> None:
    raw = (
        GMAIL_TOP + "Authentication-Results: mx.google.com; dkim=pass header.d=paypal.com; "
        "spf=pass smtp.mailfrom=paypal.com; dmarc=pass header.from=paypal.com\n"
        "From: PayPal <service@paypal.com>\n" + BODY
    )
    a = judged(lib, raw.encode())
    assert a.verdict == "likely_genuine", weights(a)
    assert "auth_pass" in a.reason_codes()


def test_the_same_pass_from_outlook_is_read_without_an_authserv_id(lib: Library) -> None:
    raw = (
        OUTLOOK_TOP
        + "Authentication-Results: spf=pass (sender IP is 203.0.113.5) smtp.mailfrom=paypal.com; "
        "dkim=pass (signature was verified) header.d=paypal.com;dmarc=pass action=none "
        "header.from=paypal.com;compauth=pass reason=100\n"
        "From: PayPal <service@paypal.com>\n" + BODY
    )
    assert judged(lib, raw.encode()).verdict == "likely_genuine"


def test_an_official_sender_without_checks_is_a_claim_even_with_official_links(
    lib: Library,
) -> None:
    raw = "From: PayPal <service@paypal.com>\n" + BODY.replace(
        "statements\n", "statements and https://www.paypal.com/help\n"
    )
    a = judged(lib, raw.encode())
    assert a.verdict == "unsure", weights(a)
    assert "auth_missing" in a.reason_codes()
    assert "sender_official" not in a.reason_codes()


def test_an_unknown_receivers_pass_does_not_vouch(lib: Library) -> None:
    raw = (
        "Received: from out.paypal.example by mx.small-isp.example\n"
        "Authentication-Results: mx.small-isp.example; dmarc=pass header.from=paypal.com\n"
        "From: PayPal <service@paypal.com>\n" + BODY
    )
    a = judged(lib, raw.encode())
    assert a.verdict == "unsure"
    assert "mx.small-isp.example" in next(
        r.text.get("en") for r in a.reasons if r.code == "auth_untrusted"
    )


def test_an_admin_adds_the_isps_own_receiving_service(lib: Library) -> None:
    isp = Receiver(
        "small-isp",
        "Small ISP mail",
        ("mx.small-isp.example",),
        ("small-isp.example",),
        False,
        "https://small-isp.example/help/headers",
    )
    own = replace(lib, reader=replace(lib.reader, receivers=(*lib.reader.receivers, isp)))
    raw = (
        "Received: from out.paypal.example by mx.small-isp.example\n"
        "Authentication-Results: mx.small-isp.example; spf=pass smtp.mailfrom=paypal.com; "
        "dkim=pass header.d=paypal.com; dmarc=pass header.from=paypal.com\n"
        "From: PayPal <service@paypal.com>\n" + BODY
    )
    assert judged(own, raw.encode()).verdict == "likely_genuine"


@pytest.mark.parametrize(
    "forged",
    [
        # a "pass" written above the receiver's real "fail"
        "Authentication-Results: mx.google.com; dkim=pass header.d=paypal.com; "
        "dmarc=pass header.from=paypal.com\n"
        "Authentication-Results: mx.google.com; dmarc=fail header.from=paypal.com\n" + GMAIL_TOP,
        # dmarc twice, once inside a comment
        "Authentication-Results: mx.google.com; dmarc=fail (dmarc=pass) header.from=paypal.com; "
        "dmarc=pass header.from=paypal.com\n" + GMAIL_TOP,
        # the sender's own "pass", below the receiver's Received
        GMAIL_TOP + "Received: from localhost by relay.evil.example\n"
        "Authentication-Results: mx.google.com; dmarc=pass header.from=paypal.com\n",
    ],
)
def test_forged_results_never_make_a_mail_genuine(lib: Library, forged: str) -> None:
    a = judged(lib, (forged + "From: PayPal <service@paypal.com>\n" + BODY).encode())
    assert a.verdict != "likely_genuine", weights(a)


def test_results_written_in_the_body_or_a_forwarded_block_are_words(lib: Library) -> None:
    raw = (
        GMAIL_TOP + "Authentication-Results: mx.google.com; spf=pass smtp.mailfrom=evil.example; "
        "dmarc=pass header.from=evil.example\n"
        "From: Someone <someone@evil.example>\nSubject: Fwd: notice\n\n"
        "---------- Forwarded message ---------\n"
        "From: DTI <support@dti.ne.jp>\n"
        "Subject: メール送信制限のお知らせ\n"
        "Authentication-Results: mx.google.com; dmarc=pass header.from=dti.ne.jp\n\n"
        "お客様のアカウントから大量のメールが送信されたため、送信を制限しました。"
        "パスワードを変更してください https://dream.jp/support/\n"
    )
    a = judged(lib, raw.encode())
    assert a.provider == "dti"
    assert a.verdict != "likely_genuine", weights(a)
    assert {"auth_claimed_in_text", "forwarded_block"} <= set(a.reason_codes())
    assert "auth_pass" not in a.reason_codes()


def test_a_mail_attached_inside_another_keeps_its_checks_as_claims(lib: Library) -> None:
    from email.message import EmailMessage

    inner = EmailMessage()
    inner["Authentication-Results"] = "mx.google.com; dmarc=pass header.from=paypal.com"
    inner["From"] = "PayPal <service@paypal.com>"
    inner["Subject"] = "Your account"
    inner.set_content("Your account is limited. Sign in at https://www.paypal.com/signin")
    outer = EmailMessage()
    outer["From"] = "Someone <someone@evil.example>"
    outer["Subject"] = "Fwd"
    outer.set_content("see attached")
    outer.add_attachment(inner)
    a = judged(lib, outer.as_bytes())
    assert a.provider == "paypal"
    assert a.verdict != "likely_genuine", weights(a)
    assert "auth_claimed_in_text" in a.reason_codes()


def test_a_mail_nothing_ties_to_any_sender_is_named(lib: Library) -> None:
    raw = (
        "Received: from host.shop-news.example by mx.google.com with ESMTPS\n"
        "Authentication-Results: mx.google.com; spf=none smtp.mailfrom=shop-news.example; "
        "dkim=none; dmarc=none header.from=shop-news.example\n"
        "From: Shop News <news@shop-news.example>\n" + BODY
    )
    a = judged(lib, raw.encode())
    assert "auth_none" in a.reason_codes()
    signed = raw.replace("dkim=none", "dkim=pass header.d=shop-news.example")
    assert "auth_none" not in judged(lib, signed.encode()).reason_codes()


def test_without_the_receivers_own_received_header_nothing_is_believed(lib: Library) -> None:
    # Results at the very top, but no Received header says which service delivered the mail
    # (lost, damaged, or never there): they could have been written by anyone.
    for auth in (
        "Authentication-Results: spf=pass (sender IP is 203.0.113.9) smtp.mailfrom=paypal.com; "
        "dkim=pass header.d=paypal.com;dmarc=pass action=none header.from=paypal.com\n",
        "Authentication-Results: mx.google.com; dmarc=pass header.from=paypal.com\n",
    ):
        for top in ("", "Received: from localhost by\n", "Received: from out.example\n"):
            raw = top + auth + "From: PayPal <service@paypal.com>\n" + BODY
            assert judged(lib, raw.encode()).verdict != "likely_genuine", (top, auth)


def test_a_dmarc_pass_without_an_aligned_spf_or_dkim_pass_does_not_vouch(lib: Library) -> None:
    # DMARC passes only on an aligned SPF or DKIM pass: a bare "pass" is not a receiver's.
    raw = (
        GMAIL_TOP + "Authentication-Results: mx.google.com; spf=none; dkim=none; "
        "dmarc=pass header.from=paypal.com\n"
        "From: PayPal <service@paypal.com>\n" + BODY
    )
    assert judged(lib, raw.encode()).verdict != "likely_genuine"


def test_a_damaged_header_in_the_receivers_name_stops_all_trust(lib: Library) -> None:
    # Found by the fuzz run: the receiver's own results could not be read, and a Received header
    # naming no server sat above a forged "pass".
    raw = (
        GMAIL_TOP + 'Authentication-Results: mx.google.com; spf=fail smtp.mailf header."rom=x\n'
        "Received: from somewhere (((((\n"
        "Authentication-Results: mx.google.com; dmarc=pass header.from=paypal.com; "
        "dkim=pass header.d=paypal.com\n"
        "From: PayPal <service@paypal.com>\n" + BODY
    )
    a = judged(lib, raw.encode())
    assert a.verdict != "likely_genuine", weights(a)


def test_an_internal_hop_named_by_its_address_keeps_the_trusted_zone(lib: Library) -> None:
    raw = (
        "Received: by 2002:a05:6a10:1234:b0:5a1:1234:abcd with SMTP id x1csp1;\n"
        "Received: from out.paypal.example (out.paypal.example [203.0.113.5]) by mx.google.com\n"
        "Authentication-Results: mx.google.com; dkim=pass header.d=paypal.com; "
        "spf=pass smtp.mailfrom=paypal.com; dmarc=pass header.from=paypal.com\n"
        "From: PayPal <service@paypal.com>\n" + BODY
    )
    assert judged(lib, raw.encode()).verdict == "likely_genuine"
