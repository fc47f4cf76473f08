"""Reading what people send: .eml files in Japanese charsets, HTML mails, forwards, odd input."""

from __future__ import annotations

import random
from email.header import Header
from email.message import EmailMessage
from email.mime.text import MIMEText

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.model import Library
from bot.notices import Analysis, Unreadable, analyse, render_explanation
from bot.notices.html import html_to_text
from bot.notices.intake import MAX_BYTES, Refused, parse_address, read
from bot.notices.text import invisible_count, normalize

NOTICE_JA = """山田様

いつもご利用いただき、ありがとうございます。
お客様のメールアカウントから大量のメールが送信されたため、メールの送信を一時的に制限しております。
ウイルスチェックとパスワードの変更をお願いいたします。
"""


def analysed(lib: Library, raw: bytes | str, **kw: str) -> Analysis:
    a = analyse(lib, raw, **kw)
    assert isinstance(a, Analysis), a
    return a


def refused(lib: Library, raw: bytes | str) -> str:
    a = analyse(lib, raw)
    assert isinstance(a, Unreadable), a
    assert a.message.get("ja") and a.message.get("en")
    return a.reason


# -- .eml files -------------------------------------------------------------------------------


def test_iso_2022_jp_mail_is_decoded_body_and_subject(lib: Library) -> None:
    # The classic Japanese mail: ISO-2022-JP body and RFC 2047 words in the same charset.
    msg = MIMEText(NOTICE_JA, "plain", "iso-2022-jp")
    msg["From"] = Header("DTIサポート", "iso-2022-jp").encode() + " <support@dti.ne.jp>"
    msg["Subject"] = Header("【重要】メール送信制限のお知らせ", "iso-2022-jp")
    raw = msg.as_bytes()
    assert b"\x1b$B" in raw and b"=?iso-2022-jp?" in raw  # really ISO-2022-JP on the wire
    doc = read(raw, filename="notice.eml")
    assert doc.subject == "【重要】メール送信制限のお知らせ"
    assert doc.sender is not None and doc.sender.address == "support@dti.ne.jp"
    assert doc.sender.name == "DTIサポート"
    assert "大量のメールが送信" in doc.body
    assert analysed(lib, raw).kind == "outbound_spam_restriction"


def test_shift_jis_and_euc_jp_mails_are_decoded(lib: Library) -> None:
    for charset in ("shift_jis", "euc-jp"):
        msg = EmailMessage()
        msg["From"] = "support@dti.ne.jp"
        msg["Subject"] = "notice"
        msg.set_content(NOTICE_JA, charset=charset)
        assert "送信を一時的に制限" in read(msg.as_bytes()).body, charset


def test_japanese_text_files_in_legacy_charsets_are_decoded() -> None:
    for encoding in ("shift_jis", "euc_jp", "iso2022_jp", "utf-16"):
        assert "送信を一時的に制限" in read(NOTICE_JA.encode(encoding)).body, encoding


def _raw_headers(sender: bytes, subject: bytes) -> bytes:
    return (
        b"From: "
        + sender
        + b"\r\nTo: yuki@example-isp.jp\r\nSubject: "
        + subject
        + b"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe body of the notice.\r\n"
    )


def test_headers_written_in_raw_8bit_bytes_are_decoded_not_replaced() -> None:
    # UTF-8 straight in the header (RFC 6532), and Shift_JIS as older mailers write it.
    doc = read(
        _raw_headers(
            "Paket Dienst \u2714 <info@parcel.example>".encode(), "お荷物のお知らせ".encode("cp932")
        ),
        None,
        "notice.eml",
    )
    assert doc is not None and doc.sender is not None
    assert doc.sender.name == "Paket Dienst \u2714"
    assert doc.subject == "お荷物のお知らせ"


def test_plain_words_between_encoded_words_keep_their_letters() -> None:
    # '"✔ "=?UTF-8?B?...?=' : the standard library hands the plain part back escaped.
    raw = _raw_headers(
        '"\u2714 "=?UTF-8?B?U3UgcGFxdWV0ZQ==?= <info@parcel.example>'.encode(), b"Hello"
    )
    doc = read(raw, None, "notice.eml")
    assert doc is not None and doc.sender is not None
    assert doc.sender.name == "\u2714 Su paquete"


def test_quoted_printable_and_base64_bodies_are_decoded() -> None:
    for cte in ("quoted-printable", "base64"):
        msg = EmailMessage()
        msg["From"] = "Google <no-reply@accounts.google.com>"
        msg["Subject"] = "Security alert"
        msg.set_content("Someone just signed in to your account from a new device.=20\n", cte=cte)
        assert "signed in to your account" in read(msg.as_bytes()).body, cte


def test_html_only_mail_keeps_link_addresses_and_visible_text(lib: Library) -> None:
    html = """<html><head><style>p {color: red}</style><title>x</title></head><body>
    <p>Your Amazon account has been <b>locked</b>.</p>
    <p>To restore access, sign in here:
    <a href="http://amazon-account-restore.top/signin">https://www.amazon.co.jp/ap/signin</a></p>
    <div style="display:none">lorem ipsum filler text to fool spam filters, many words here</div>
    <p>Amazon&nbsp;Customer&nbsp;Service</p></body></html>"""
    msg = EmailMessage()
    msg["From"] = "Amazon <no-reply@amazon-account-restore.top>"
    msg["Subject"] = "Your account is locked"
    msg.set_content(html, subtype="html")
    a = analysed(lib, msg.as_bytes())
    assert "has been locked" in a.text
    assert "filler" not in a.text and "color" not in a.text
    link = next(lk for lk in a.links if lk.domain == "amazon-account-restore.top")
    assert link.text == "https://www.amazon.co.jp/ap/signin"
    assert "text_mismatch" in link.flags
    assert {"link_text_mismatch", "hidden_text"} <= set(a.reason_codes())
    assert a.verdict == "likely_phishing"


def test_multipart_mail_with_attachments_reads_the_text_and_names_the_files(lib: Library) -> None:
    msg = EmailMessage()
    msg["From"] = "Billing <billing@example-shop.jp>"
    msg["Subject"] = "Invoice"
    msg.set_content("Please see the attached invoice for your recent order. Order number: 55-2210")
    msg.add_alternative(
        "<p>Please see the attached invoice for your recent order.</p>", subtype="html"
    )
    msg.add_attachment(
        b"%PDF-1.4 fake", maintype="application", subtype="pdf", filename="invoice.pdf"
    )
    msg.add_attachment(
        b"PK\x03\x04 fake", maintype="application", subtype="zip", filename="details.zip"
    )
    doc = read(msg.as_bytes())
    assert doc.attachments == ("invoice.pdf", "details.zip")
    assert "attached invoice" in doc.body
    a = analysed(lib, msg.as_bytes())
    assert "attachment_risky" in a.reason_codes()
    assert any("details.zip" in r.text.get("en") for r in a.reasons)


def test_a_notice_forwarded_as_an_attachment_is_read_from_the_attachment(lib: Library) -> None:
    inner = EmailMessage()
    inner["From"] = "DTIサポート <support@dti.ne.jp>"
    inner["Subject"] = "メール送信制限のお知らせ"
    inner.set_content(NOTICE_JA)
    outer = EmailMessage()
    outer["From"] = "me@example.jp"
    outer["Subject"] = "Fwd: メール送信制限のお知らせ"
    outer.set_content("これ本物？")
    outer.add_attachment(inner)
    doc = read(outer.as_bytes(), filename="fwd.eml")
    assert doc.forwarded
    assert doc.sender is not None and doc.sender.address == "support@dti.ne.jp"
    assert analysed(lib, outer.as_bytes()).kind == "outbound_spam_restriction"


def test_broken_mime_does_not_raise(lib: Library) -> None:
    raw = (
        b"MIME-Version: 1.0\nFrom: x@example.jp\nSubject: =?ISO-2022-JP?B?broken?=\n"
        b'Content-Type: multipart/mixed; boundary="zzz"\n\n--zzz\nContent-Type: text/plain; '
        b"charset=no-such-charset\nContent-Transfer-Encoding: base64\n\n%%%not base64%%%\n--zz"
    )
    result = analyse(lib, raw)
    assert isinstance(result, (Analysis, Unreadable))


# -- pasted text ------------------------------------------------------------------------------

GMAIL_FORWARD = """これ本物ですか？

---------- Forwarded message ---------
From: OCN <info@ocn.ne.jp>
Date: 2026年3月14日(土) 9:12
Subject: 【OCN】メール送信の一時停止について
To: <hanako@example.ocn.ne.jp>

お客様のメールアカウントから大量のメールが送信されていることを確認しました。
メールの送信を一時的に停止しております。
"""

APPLE_FORWARD_JA = """転送されたメッセージ:

差出人: Amazon.co.jp <account-update@amazon.co.jp>
件名: アカウントを一時的に保留しました
日付: 2026年3月14日 10:02:11 JST
宛先: hanako@example.jp

お客様のアカウントを一時的に保留しました。保留中はご注文ができません。
"""

OUTLOOK_REPLY = """Is this real?

-----Original Message-----
From: PayPal <service@paypal.com>
Sent: Saturday, March 14, 2026 10:12 AM
To: me@example.com
Subject: Your password was changed

The password for your PayPal account was changed. If you didn't make this change, reset it.
"""


@pytest.mark.parametrize(
    ("text", "address", "kind"),
    [
        (GMAIL_FORWARD, "info@ocn.ne.jp", "outbound_spam_restriction"),
        (APPLE_FORWARD_JA, "account-update@amazon.co.jp", "account_locked"),
        (OUTLOOK_REPLY, "service@paypal.com", "password_reset"),
    ],
)
def test_pasted_forwards_take_the_sender_from_the_forwarded_headers(
    lib: Library, text: str, address: str, kind: str
) -> None:
    doc = read(text)
    assert doc.forwarded
    assert doc.sender is not None and doc.sender.address == address
    assert "これ本物" not in doc.body and "Is this real" not in doc.body
    assert analysed(lib, text).kind == kind


def test_quote_markers_are_removed_before_reading() -> None:
    quoted = "\n".join("> " + line for line in GMAIL_FORWARD.splitlines())
    doc = read(quoted)
    assert doc.sender is not None and doc.sender.address == "info@ocn.ne.jp"
    assert doc.body.startswith("お客様のメールアカウントから")


def test_pasted_header_block_is_parsed() -> None:
    text = """Return-Path: <bounce@mailer.example-esp.com>
Authentication-Results: mx.example.jp; spf=pass smtp.mailfrom=mailer.example-esp.com;
 dkim=fail header.d=paypal.com; dmarc=fail header.from=paypal.com
Received: from mailer.example-esp.com (mailer.example-esp.com [198.51.100.7])
From: "PayPal" <service@paypal.com>
Reply-To: helpdesk.paypal@gmail.com
Subject: Account limited
Date: Sat, 14 Mar 2026 10:12:00 +0000

Your account has been limited.
"""
    doc = read(text)
    assert doc.return_path == "mailer.example-esp.com"
    assert doc.reply_to is not None and doc.reply_to.address == "helpdesk.paypal@gmail.com"
    auth = [v for name, v in doc.trace if name == "authentication-results"]
    assert "dmarc=fail" in auth[0]  # the folded line is joined
    assert any(name == "received" for name, _ in doc.trace)
    assert doc.date.startswith("Sat, 14 Mar 2026")
    assert doc.body == "Your account has been limited."


def test_a_header_quoted_inside_a_notice_is_not_taken_for_the_notice_headers() -> None:
    text = (
        "A virus was found in a mail to you and removed.\n\n"
        "From: x@example.net\nSubject: Invoice\n\nNo action is needed."
    )
    doc = read(text)
    assert doc.sender is None
    assert doc.body.startswith("A virus was found")


@pytest.mark.parametrize(
    ("value", "name", "address", "shown"),
    [
        ('"Amazon.co.jp" <verify@twitter.example>', "Amazon.co.jp", "verify@twitter.example", ()),
        (
            "Bank <alerts@bank.example> <x@elsewhere.example>",
            "Bank",
            "x@elsewhere.example",
            ("alerts@bank.example",),
        ),
        ("三井住友カード (server@shop.example)", "三井住友カード", "server@shop.example", ()),
        ("Windows Live メンバーサービス", "Windows Live メンバーサービス", "", ()),
        ("Mail Delivery Subsystem <MAILER-DAEMON>", "Mail Delivery Subsystem", "mailer-daemon", ()),
        ("a@one.example(又はb@two.example)", "", "a@one.example", ()),
    ],
)
def test_sender_names_and_addresses(
    value: str, name: str, address: str, shown: tuple[str, ...]
) -> None:
    a = parse_address(value)
    assert a is not None
    assert (a.name, a.address, a.shown) == (name, address, shown)


# -- normalizing ------------------------------------------------------------------------------


def test_normalizing_folds_width_and_drops_invisible_characters_but_keeps_lines() -> None:
    raw = "ＤＴＩ　サポート\u200bより\r\n\r\n\r\n\r\nパス\u200dワード\u202eを変更\t\tしてください"
    assert normalize(
        raw
    ) == "DTI サポートより\n\nパス\u200dワード\u202eを変更 してください".replace(
        "\u200d", ""
    ).replace("\u202e", "")
    assert invisible_count(raw) == 2  # the zero-width space and the bidi override; ZWJ is harmless


def test_invisible_letters_between_words_are_a_reason(lib: Library) -> None:
    hidden = "\u034f".join("We are informing you that your order has been processed")
    a = analysed(lib, f"Thank you for your order.\n{hidden}\nCall +1 808 555 0147 to cancel.")
    assert "order has been processed" in a.text
    assert "hidden_text" in a.reason_codes()


def test_html_renderer_survives_broken_markup() -> None:
    r = html_to_text("<div><a href='https://x.example/'>click <b>here</div></p></span><p>after")
    assert "click here" in r.text and "after" in r.text
    assert r.links[0].href == "https://x.example/"


# -- what cannot be read ----------------------------------------------------------------------


def test_empty_input_gets_a_message(lib: Library) -> None:
    for raw in (b"", "", "   \n\t ", "\u200b\u200b", b"\r\n\r\n"):
        assert refused(lib, raw) == "empty"


def test_binary_input_gets_a_message(lib: Library) -> None:
    rng = random.Random(7)
    blobs = [
        b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000)),
        b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(2000)),
        bytes(rng.randrange(256) for _ in range(5000)),
        b"MZ\x90\x00\x03\x00\x00\x00",
    ]
    for blob in blobs:
        assert refused(lib, blob) == "binary"


def test_undecodable_text_gets_a_message(lib: Library) -> None:
    assert refused(lib, bytes(range(0x80, 0x100)) * 200) in ("bad_encoding", "binary")


def test_over_one_mebibyte_is_refused_with_a_message(lib: Library) -> None:
    assert refused(lib, b"a" * (MAX_BYTES + 1)) == "too_big"
    assert refused(lib, "あ" * (MAX_BYTES // 3 + 1)) == "too_big"
    with pytest.raises(Refused):
        read(b"x" * (MAX_BYTES + 10))


def test_one_mebibyte_of_text_is_read(lib: Library) -> None:
    line = (
        "お客様のアカウントから大量のメールが送信されました。https://www.dti.ne.jp/ 0120-000-000\n"
    )
    raw = (line * (MAX_BYTES // len(line.encode()) + 1)).encode()[:MAX_BYTES]
    a = analysed(lib, raw.decode("utf-8", "ignore"))
    assert a.kind == "outbound_spam_restriction"
    assert len(a.links) == 1 and len(a.phones) == 1  # each found once, not once per line


def test_a_notice_that_is_only_a_url(lib: Library) -> None:
    a = analysed(lib, "https://mypage-ocn.example.top/login")
    assert a.kind == "unknown" and a.walkthrough == "unknown_notice"
    assert a.verdict == "likely_phishing"
    assert "link_lookalike" in a.reason_codes()
    b = analysed(lib, "https://www.dti.ne.jp/")
    assert b.kind == "unknown" and b.verdict == "unsure"


def test_telegram_forward_names_its_origin_but_gains_no_trust(lib: Library) -> None:
    a = analysed(lib, "Your account has been suspended. Verify now.", origin="DTI Support")
    assert "telegram_origin" in a.reason_codes()
    assert a.verdict != "likely_genuine"


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=3000),
        st.text(max_size=3000),
        st.builds(
            lambda h, b: h + "\n\n" + b,
            st.sampled_from(
                [
                    "From: a@b.example",
                    "Subject: x\nFrom: <>",
                    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=q",
                    "差出人: \n件名:",
                    "Content-Type: text/html; charset=iso-2022-jp",
                ]
            ),
            st.text(max_size=2000),
        ),
    )
)
def test_any_input_gets_an_answer_and_never_a_traceback(lib: Library, raw: bytes | str) -> None:
    result = analyse(lib, raw)
    if isinstance(result, Analysis):
        for lang in ("ja", "en"):
            assert render_explanation(lib, result, lang)
            assert result.to_json(lang)["verdict"] in (
                "likely_genuine",
                "unsure",
                "likely_phishing",
            )
    else:
        assert result.reason in ("too_big", "empty", "binary", "bad_encoding", "no_words")
