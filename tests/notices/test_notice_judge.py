"""The verdict and its reasons on adversarial notices: each reason names its evidence."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from bot.content.model import Library
from bot.notices import Analysis, analyse


def judged(lib: Library, raw: bytes | str) -> Analysis:
    a = analyse(lib, raw)
    assert isinstance(a, Analysis)
    return a


def reason(a: Analysis, code: str) -> str:
    r = next((r for r in a.reasons if r.code == code), None)
    assert r is not None, (code, a.reason_codes())
    return r.text.get("en") + " / " + r.text.get("ja")


def mail(sender: str, subject: str, html: str, auth: str) -> bytes:
    msg = EmailMessage()
    msg["Received"] = "from out.sender.example (out.sender.example [203.0.113.9]) by mx.google.com"
    msg["Authentication-Results"] = f"mx.google.com; {auth}"
    msg["From"] = sender
    msg["To"] = "hanako@kyoto.dti.ne.jp"
    msg["Subject"] = subject
    msg.set_content(html, subtype="html")
    return msg.as_bytes()


DTI_PASS = "spf=pass smtp.mailfrom=dti.ne.jp; dkim=pass header.d=dti.ne.jp; " + (
    "dmarc=pass header.from=dti.ne.jp"
)
BLOCKED = "<p>お客様のメールアカウントから大量のメールが送信されたため、\n" + (
    "メールの送信を一時的に制限しております。</p>"
)


def test_genuine_notice_with_one_foreign_link_stays_genuine(lib: Library) -> None:
    html = (
        BLOCKED
        + """
    <p>パスワードの変更は <a href="https://dream.jp/support/password/">会員サポート</a>
    から行えます。</p>
    <p>ウイルスチェックには、お使いのセキュリティソフトのほか
    <a href="https://www.f-secure.com/ja/home/free-tools/online-scanner">オンラインスキャン</a>
    もご利用いただけます。</p>
    <p>作業が終わりましたら <a href="https://dream.jp/support/form/">お問い合わせフォーム</a>
    からご連絡ください。</p>"""
    )
    a = judged(lib, mail("DTI <support@dti.ne.jp>", "メール送信制限のお知らせ", html, DTI_PASS))
    assert a.kind == "outbound_spam_restriction"
    assert a.verdict == "likely_genuine", [(r.code, r.weight) for r in a.reasons]
    assert "f-secure.com" in reason(a, "link_foreign")
    assert "dream.jp" in reason(a, "links_official")
    assert a.reply_channel == "web_form"


def test_a_lookalike_link_in_an_otherwise_genuine_looking_mail_is_phishing(lib: Library) -> None:
    html = (
        BLOCKED
        + """
    <p>制限の解除は <a href="https://dti-ne-jp.support-desk.top/unlock">こちら</a> から。</p>"""
    )
    a = judged(
        lib,
        mail(
            "DTI <support@dti.ne.jp>",
            "メール送信制限のお知らせ",
            html,
            "spf=fail smtp.mailfrom=dti.ne.jp; dmarc=fail header.from=dti.ne.jp",
        ),
    )
    assert a.verdict == "likely_phishing"
    assert "support-desk.top" in reason(a, "link_lookalike")
    assert "SPF" in reason(a, "auth_fail") and "DMARC" in reason(a, "auth_fail")


def test_punycode_and_confusable_domains(lib: Library) -> None:
    fake = "https://www.xn--pypal-4ve.com/signin"  # pаypal.com, with a Cyrillic a
    a = judged(
        lib,
        f"From: PayPal <service@paypal.com>\nSubject: Account limited\n\n"
        f"Your account has been limited. Sign in to restore access: {fake}\n",
    )
    assert a.verdict == "likely_phishing"
    assert "pаypal.com" in reason(a, "link_punycode")
    assert "paypal.com" in reason(a, "link_lookalike")
    b = judged(
        lib,
        "From: Microsoft <security@rnicrosoft-support.com>\nSubject: Unusual sign-in\n\n"
        "We detected an unusual sign-in to your Microsoft account.",
    )
    assert "rnicrosoft-support.com" in reason(b, "sender_lookalike")
    assert b.verdict == "likely_phishing"


def test_asking_to_reply_with_a_password_is_phishing_in_both_languages(lib: Library) -> None:
    en = judged(
        lib,
        "Your mailbox will be closed. Reply to this email with your username and password "
        "to keep it.",
    )
    assert en.verdict == "likely_phishing" and "reply_with_credentials" in en.asks_for
    assert en.reply_channel == "email"
    ja = judged(
        lib,
        "アカウントの確認のため、ログインIDとパスワードをご記入の上、このメールにご返信ください。",
    )
    assert ja.verdict == "likely_phishing" and "reply_with_credentials" in ja.asks_for


def test_saying_it_never_asks_for_a_password_is_not_an_ask(lib: Library) -> None:
    a = judged(
        lib,
        "We will never ask you to send your password by email. Your password was changed today.",
    )
    assert "reply_with_credentials" not in a.asks_for
    assert "asks_credentials" not in a.reason_codes()


def test_a_name_that_shows_an_address_is_a_trick(lib: Library) -> None:
    a = judged(
        lib,
        "From: Chase <no.reply.alerts@chase.com> <info-x81@shop-supply.example>\n"
        "Subject: Account blocked\n\nYour account has been blocked. Verify your account.",
    )
    text = reason(a, "sender_display_address")
    assert "no.reply.alerts@chase.com" in text and "shop-supply.example" in text
    assert a.verdict == "likely_phishing"


def test_reply_to_elsewhere_and_failing_dmarc_with_a_copied_body(lib: Library) -> None:
    # A perfect copy of a real notice: only the headers give it away.
    a = judged(
        lib,
        """From: "PayPal" <service@paypal.com>
Reply-To: paypal.help.desk@gmail.com
Return-Path: <bounce@mailer.badhost.example>
Received: from mailer.badhost.example by mx.google.com with ESMTPS
Authentication-Results: mx.google.com; spf=fail smtp.mailfrom=mailer.badhost.example;
 dkim=none; dmarc=fail header.from=paypal.com
Subject: You added a phone number

You added a phone number to your account. If you made this change, great!
""",
    )
    assert a.kind == "account_change"
    assert "gmail.com" in reason(a, "reply_to_mismatch")
    assert a.verdict == "likely_phishing"


def test_links_to_ip_addresses_shorteners_and_mail_addresses(lib: Library) -> None:
    a = judged(lib, "Your Amazon account is locked. Sign in now: http://198.51.100.23/amazon/login")
    assert "198.51.100.23" in reason(a, "link_ip")
    assert a.verdict == "likely_phishing"
    b = judged(
        lib,
        "From: Amazon <no-reply@amazon.co.jp>\nSubject: Locked\n\n"
        "Your account has been locked. Unlock it here: https://bit.ly/3xYzAbc",
    )
    assert "bit.ly" in reason(b, "link_shortener")
    assert b.verdict != "likely_genuine"
    c = judged(
        lib,
        "From: Microsoft <no-reply@microsoft.com>\nSubject: Unusual sign-in activity\n\n"
        "A user just logged into your account from a new device.\n"
        "Report The User<mailto:report@desk-help.example?subject=report>",
    )
    assert "desk-help.example" in reason(c, "mailto_foreign")
    assert c.reply_channel == "email"
    assert c.verdict == "likely_phishing"


def test_a_plain_http_login_link(lib: Library) -> None:
    a = judged(
        lib,
        "Your mailbox is almost full. Sign in to increase your quota: http://webmail-upgrade.example/login",
    )
    assert "webmail-upgrade.example" in reason(a, "link_http")
    assert a.verdict == "likely_phishing"


def test_deadline_and_threat_words(lib: Library) -> None:
    ja = judged(lib, "24時間以内にご確認いただけない場合、アカウントは永久に停止されます。")
    assert {"urgency", "threat"} <= set(ja.reason_codes())
    en = judged(lib, "Verify within 24 hours or your account will be permanently deleted.")
    assert {"urgency", "threat"} <= set(en.reason_codes())


def test_words_and_names_alone_never_make_a_notice_genuine(lib: Library) -> None:
    a = judged(
        lib,
        "From: Amazon.co.jp\nSubject: ご注文の確認\n\n"
        "Amazon.co.jp をご利用いただき、ありがとうございます。ご注文を承りました。"
        "Amazon.co.jp カスタマーサービス",
    )
    assert a.provider == "amazon"
    assert a.verdict == "unsure"
    assert "sender_name_only" in a.reason_codes()


def test_bare_brand_domains_in_the_text_earn_no_trust(lib: Library) -> None:
    a = judged(
        lib,
        "From: Amazon Help <amz@far-east-shop.example>\nSubject: Account suspended\n\n"
        "Your recent order on AMAZON.COM was cancelled. Your account has been suspended.",
    )
    assert "links_official" not in a.reason_codes()
    assert a.verdict == "likely_phishing"


def test_every_reason_has_both_languages_and_no_unfilled_fields(lib: Library) -> None:
    a = judged(
        lib,
        mail(
            "Amazon <no-reply@amaz0n-security.example>",
            "Account locked",
            '<p>Your account is locked. <a href="http://203.0.113.5/x">https://www.amazon.co.jp/</a>'
            ' or <a href="https://bit.ly/x">here</a></p>',
            "dmarc=fail",
        ),
    )
    assert len(a.reasons) >= 4
    for r in a.reasons:
        for lang in ("ja", "en"):
            text = r.text.get(lang)
            assert text and "{" not in text, (r.code, text)


def test_a_free_mailbox_and_a_shared_document_earn_no_trust(lib: Library) -> None:
    # Sent from a real outlook.com mailbox (so the checks pass) to a page anyone can publish on a
    # Microsoft domain: nothing here is Microsoft speaking.
    raw = mail(
        "Microsoft account team <ms.account.team2026@outlook.com>",
        "Unusual sign-in activity",
        '<p>We detected an unusual sign-in to your Microsoft account.</p><p><a href="'
        'https://contoso-my.sharepoint.com/:b:/g/personal/review">Review recent activity</a></p>',
        "spf=pass smtp.mailfrom=outlook.com; dkim=pass header.d=outlook.com; "
        "dmarc=pass header.from=outlook.com",
    )
    a = judged(lib, raw)
    assert a.provider == "microsoft"
    assert "outlook.com" in reason(a, "sender_mailbox")
    assert "auth_pass" not in a.reason_codes() and "sender_official" not in a.reason_codes()
    assert "sharepoint.com" in reason(a, "link_shared_host")
    assert a.verdict == "likely_phishing"


def test_a_brand_writing_from_a_free_mailbox_is_not_that_brand(lib: Library) -> None:
    a = judged(
        lib,
        "From: Amazon.co.jp <amazon.support.center.jp@gmail.com>\n"
        "Subject: アカウントを一時停止しました\n\nお客様のアカウントを一時停止しました。",
    )
    assert a.provider == "amazon"
    assert "gmail.com" in reason(a, "sender_foreign")


def test_an_isp_writing_from_its_own_support_host_is_not_a_customer_mailbox(lib: Library) -> None:
    # BIGLOBE customers have addresses under *.biglobe.ne.jp, but support.biglobe.ne.jp is where
    # BIGLOBE itself publishes: a pasted notice from there is an unchecked claim, not a mailbox.
    a = judged(
        lib,
        "From: BIGLOBE <notice@support.biglobe.ne.jp>\n"
        "Subject: メール送信の一時停止について\n\n"
        "お客さまのメールアカウントから大量の迷惑メールが送信されていたため、"
        "メールの送信を一時的に停止しました。ウイルスチェックとパスワードの変更をお願いします。\n"
        "https://support.biglobe.ne.jp/\n",
    )
    assert a.provider == "biglobe"
    codes = a.reason_codes()
    assert "sender_mailbox" not in codes and "notice_from_mailbox" not in codes, codes
    assert a.verdict != "likely_phishing"
    customer = judged(
        lib,
        "From: BIGLOBE <security@xyz.biglobe.ne.jp>\n"
        "Subject: メール送信の一時停止について\n\n"
        "お客さまのメールアカウントから大量の迷惑メールが送信されていたため、"
        "メールの送信を一時的に停止しました。\n",
    )
    assert "sender_mailbox" in customer.reason_codes()


@pytest.mark.parametrize("written", ["Yahoo! JAPAN", "Yahoo!JAPAN", "Yahoo JAPAN"])
def test_a_brands_name_inside_a_longer_brand_name_claims_the_longer_one(
    lib: Library, written: str
) -> None:
    text = f"{written}をご利用いただきありがとうございます。{written}からのお知らせです。"
    assert judged(lib, text).provider == "yahoo_japan"


@pytest.mark.parametrize(
    "host", ["nortonfield-law.jp", "ledgerbooks.example.jp", "exodus-tours.jp"]
)
def test_a_brand_that_is_an_ordinary_word_is_no_lookalike_inside_an_honest_name(
    lib: Library, host: str
) -> None:
    a = judged(
        lib, f"From: Office <info@{host}>\nSubject: Meeting notes\n\nThe notes are attached."
    )
    assert a.provider is None
    assert "sender_lookalike" not in a.reason_codes()


def test_an_address_at_a_free_mail_service_to_write_to_is_nobodys_claim(lib: Library) -> None:
    # Buttons that open a mail to a Gmail address do not make the notice Google's.
    a = judged(
        lib,
        mail(
            "Pharma Deals <deals.online2@hotmail.com>",
            "Cheap pills",
            "<p>Best prices.</p><a href='mailto:orders.rx@gmail.com'>Order by mail</a>"
            "<a href='mailto:orders.rx@gmail.com'>Ask us</a>",
            "spf=pass smtp.mailfrom=hotmail.com; dkim=pass header.d=hotmail.com; dmarc=pass",
        ),
    )
    assert a.provider is None
    assert not any(lk.official for lk in a.links)


def test_a_notice_in_a_brands_name_with_a_reply_mailbox_at_its_mail_service_is_not_its_own(
    lib: Library,
) -> None:
    a = judged(
        lib,
        mail(
            "Microsoft Account Team <alerts@acct-team-mail.example>",
            "Unusual sign-in activity",
            "<p>We detected unusual sign-in activity on your Microsoft account.</p>"
            "<a href='mailto:ms.recovery.desk@hotmail.com'>Report the user</a>",
            "spf=pass smtp.mailfrom=acct-team-mail.example; dkim=none; dmarc=none",
        ),
    )
    mailto = next(lk for lk in a.links if lk.url.startswith("mailto:"))
    assert not mailto.official
    assert "anyone can have an address" in reason(a, "mailto_foreign")


def test_another_domains_broken_seal_is_not_the_sender_failing(lib: Library) -> None:
    a = judged(
        lib,
        mail(
            "Shop <news@shop-mail.example>",
            "New arrivals",
            "<p>New arrivals this week.</p>",
            "spf=pass smtp.mailfrom=shop-mail.example; dkim=fail header.d=relay-tenant.example; "
            "dmarc=none",
        ),
    )
    assert "auth_fail" not in a.reason_codes()
