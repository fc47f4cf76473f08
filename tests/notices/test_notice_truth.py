"""Every reason true: each false reason seen on real mail, pinned on a notice written for the
project. The claim comes from what the notice says about itself; the link it wants pressed is its
call to action; a brand's own family of domains is its own; a page anyone can publish is called
that; a mail whose words are all in a picture is still judged."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from written_notices import judged, mail

from bot.content.model import Library
from bot.notices import Analysis


def all_reasons(a: Analysis) -> str:
    return " ".join(r.text.get("en") + " " + r.text.get("ja") for r in a.reasons)


def html_mail(sender: str, to: str, subject: str, html: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(html, subtype="html")
    return msg.as_bytes()


def test_the_persons_own_free_mailbox_is_never_taken_for_the_sender(lib: Library) -> None:
    # A prize lure from an unknown shop, sent to a Hotmail and a Gmail address: neither Microsoft
    # nor Google is who the notice says it is from.
    for to in ("taro.yamada@hotmail.com", "hanako.suzuki@gmail.com"):
        a = judged(
            lib,
            html_mail(
                "Lucky Draw Desk <desk@prize-center.example>",
                to,
                "You have been selected",
                f"<p>Dear {to}, your account was selected for a reward.</p>"
                "<p><a href='https://claim.prize-center.example/r'>Claim now</a></p>",
            ),
        )
        assert a.provider is None, (to, a.provider)
        text = all_reasons(a)
        for brand in ("Microsoft", "マイクロソフト", "Google", "グーグル"):
            assert brand not in text, (to, text)


def test_unsubscribe_and_footer_links_are_not_what_the_notice_asks_to_press(
    lib: Library,
) -> None:
    # A shop's plain announcement: its only foreign links are in the footer.
    a = judged(
        lib,
        html_mail(
            "Amazon.co.jp <store-news@amazon.co.jp>",
            "me@example-isp.jp",
            "Amazon.co.jp のお知らせ",
            "<p>Amazon.co.jp をご利用いただきありがとうございます。"
            "年末年始の配送についてのお知らせです。</p>"
            "<p>詳しくは <a href='https://www.amazon.co.jp/gp/help/'>ヘルプ</a>"
            " をご覧ください。</p><hr><p>"
            "<a href='https://mail-prefs.example/unsub?u=1'>配信停止はこちらをクリック</a> | "
            "<a href='https://mail-prefs.example/privacy'>Privacy policy</a></p>",
        ),
    )
    codes = a.reason_codes()
    assert "asks_login_link" not in codes
    assert "link_foreign_action" not in codes
    footer = [lk for lk in a.links if lk.domain == "mail-prefs.example"]
    assert footer and all(lk.role == "footer" for lk in footer)
    assert a.verdict != "likely_phishing"


def test_click_here_to_unsubscribe_is_not_an_ask_to_sign_in(lib: Library) -> None:
    a = judged(
        lib,
        "From: Netflix <info@mailer.netflix.com>\nSubject: New this month\n\n"
        "Here is what is new on Netflix this month.\n\n"
        "If you no longer want these emails, click here to unsubscribe: "
        "https://mailer.netflix.com/unsub?id=7\n",
    )
    assert "click_link_login" not in a.asks_for
    assert "asks_login_link" not in a.reason_codes()


def test_a_here_link_inside_a_sentence_about_leaving_the_list_is_the_footer(
    lib: Library,
) -> None:
    # The link's words only point ("here"); the sentence says it takes you off the list.
    a = judged(
        lib,
        html_mail(
            "Prize Desk <desk@prize-desk.example>",
            "me@example-isp.jp",
            "You are a winner",
            "<p>You have been chosen for a weekend for two.</p>"
            "<p><a href='https://prize-desk.example/claim'>Claim my weekend</a></p>"
            "<p>To remove yourself from our emails list, click "
            "<a href='http://list-tools.example/oop/77'>here</a>.</p>",
        ),
    )
    footer = next(lk for lk in a.links if lk.domain == "list-tools.example")
    assert footer.role == "footer"
    assert "click_link_login" not in a.asks_for
    assert "asks_login_link" not in a.reason_codes()


@pytest.mark.parametrize(
    "sentence",
    [
        "Um sich abzumelden, klicken Sie",
        "Pour vous désinscrire, cliquez",
        "Para darse de baja, haga clic",
    ],
)
def test_leaving_the_list_in_other_languages_is_the_footer_too(lib: Library, sentence: str) -> None:
    a = judged(
        lib,
        html_mail(
            "Shop <news@shop-news.example>",
            "me@example-isp.jp",
            "News",
            f"<p>Our news.</p><p>{sentence} <a href='https://list-tools.example/u'>hier</a>.</p>",
        ),
    )
    assert next(lk for lk in a.links if lk.domain == "list-tools.example").role == "footer"


def test_a_brands_regional_domain_is_its_own_not_a_lookalike(lib: Library) -> None:
    # google.co.uk for Google, americanexpress.com.br for American Express.
    for sender, link in (
        ("Google <no-reply@google.com>", "https://myaccount.google.co.uk/security"),
        ("American Express <alerts@americanexpress.com>", "https://www.americanexpress.com.br/"),
    ):
        a = judged(
            lib,
            f"From: {sender}\nSubject: Security check\n\n"
            f"Review your security settings here: {link}\n",
        )
        assert "link_lookalike" not in a.reason_codes(), (link, a.reason_codes())
        assert "link_foreign_action" not in a.reason_codes(), (link, a.reason_codes())
        assert all(lk.official for lk in a.links if lk.url == link)


def test_the_same_name_under_a_general_purpose_ending_is_still_a_lookalike(lib: Library) -> None:
    a = judged(lib, "Your PayPal account is limited. Restore it now: https://paypal.co/restore")
    assert "paypal.co" in all_reasons(a) and "link_lookalike" in a.reason_codes()
    assert a.verdict == "likely_phishing"


def test_a_page_on_cloud_storage_is_named_as_such_not_as_a_google_lookalike(lib: Library) -> None:
    a = judged(
        lib,
        "From: Mail Admin <admin@mail-notice.example>\nSubject: Mailbox full\n\n"
        "Your mailbox is full. Sign in to keep your messages: "
        "https://storage.googleapis.com/mbx-7741/index.html\n",
    )
    codes = a.reason_codes()
    assert "link_lookalike" not in codes
    shared = next(r for r in a.reasons if r.code == "link_shared_host")
    assert "Google Cloud Storage" in shared.text.get("en")
    assert "google.com" not in all_reasons(a)


def test_a_brand_named_page_on_a_free_host_says_both(lib: Library) -> None:
    a = judged(
        lib,
        "Your Amazon order is on hold. Confirm your details: https://amazon-jp-verify.web.app/\n",
    )
    r = next(r for r in a.reasons if r.code == "link_brand_on_shared_host")
    assert "amazon" in r.text.get("en") and "Firebase" in r.text.get("en")
    assert a.verdict == "likely_phishing"


def test_an_image_only_mail_is_read_for_its_sender_and_links(lib: Library) -> None:
    raw = html_mail(
        "Rakuten <info@rakuten-card-notice.example>",
        "me@example-isp.jp",
        "",
        "<a href='https://rakuten-card-notice.example/login'><img src='cid:banner' width=600></a>",
    )
    a = judged(lib, raw)
    assert "image_only" in a.reason_codes()
    assert a.links and a.links[0].domain == "rakuten-card-notice.example"
    assert a.verdict == "likely_phishing"


def test_an_sms_names_its_sender_in_its_first_line(lib: Library) -> None:
    a = judged(
        lib,
        "【ヤマト運輸】お荷物をお届けに伺いましたが不在のため持ち帰りました。"
        "再配達のご依頼はこちら http://kqzvtrwx.top/yamato\n",
    )
    assert a.provider == "yamato"
    assert a.verdict == "likely_phishing"
    assert "kqzvtrwx.top" in all_reasons(a)


def test_the_same_sms_with_the_brands_own_address_is_not_phishing(lib: Library) -> None:
    a = judged(
        lib,
        "【ヤマト運輸】お荷物をお届けに伺いましたが不在のため持ち帰りました。"
        "再配達のご依頼はこちら https://www.kuronekoyamato.co.jp/ytc/customer/\n",
    )
    assert a.provider == "yamato"
    assert a.verdict != "likely_phishing", [(r.code, r.weight) for r in a.reasons]


def test_a_name_it_merely_mentions_is_not_who_it_is_from(lib: Library) -> None:
    # A card notice that mentions Apple Pay in passing is from the card company.
    a = judged(
        lib,
        "From: JCB <info@qa.jcb.co.jp>\nSubject: ご利用のお知らせ\n\n"
        "JCBカードをご利用いただきありがとうございます。Apple Pay でのご利用分も含みます。\n",
    )
    assert a.provider == "jcb"


def test_a_brands_alias_alone_as_a_domain_is_not_called_a_lookalike_of_another(
    lib: Library,
) -> None:
    # "Vpass" is a name of the SMBC card service: vpass.jp is not made to look like anything
    # else, and least of all like a provider the notice never names.
    a = judged(lib, "三井住友カードのご利用確認です。詳細はこちら https://s.vpass.jp/x")
    for r in a.reasons:
        if r.code == "link_lookalike":
            assert "smbc" in r.text.get("en"), r.text.get("en")
    assert "dti.ne.jp" not in all_reasons(a)


def test_a_short_notice_is_claimed_by_the_name_it_signs_with(lib: Library) -> None:
    a = judged(
        lib,
        "お客様のアカウントで不審なログインがありました。"
        "下記より確認してください。https://acct-check-center.example/login\n\n"
        "Amazon.co.jp カスタマーサービス",
    )
    assert a.provider == "amazon"
    assert a.verdict == "likely_phishing"


def test_a_domain_that_is_exactly_another_name_of_the_brand_is_weighed_lightly(
    lib: Library,
) -> None:
    # Vpass is a name of the SMBC card service; vpass.jp is not on my list of its domains.
    a = judged(lib, "三井住友カードです。ご利用確認はこちら https://www.vpass.jp/x")
    assert a.provider == "smbc_card"
    assert a.verdict != "likely_phishing", [(r.code, r.weight) for r in a.reasons]
    cheap = judged(lib, "三井住友カードです。ご利用確認はこちら https://www.vpass.top/x")
    assert cheap.verdict == "likely_phishing"


def test_a_shared_document_link_does_not_make_the_mail_claim_the_hosting_company(
    lib: Library,
) -> None:
    # A friend writes from Outlook.com with a link to a shared document: Google hosts the
    # page, but the mail does not say it comes from Google, and its sender is not "foreign".
    msg = EmailMessage()
    msg["From"] = "Emma Clarke <emma.clarke77@outlook.com>"
    msg["To"] = "yuki@example-isp.jp"
    msg["Subject"] = "Trip plan"
    msg.set_content(
        "Hi Yuki, here is the plan for our trip:\n"
        "https://docs.google.com/document/d/1aBcD-eFgHiJkLmNoPqRsTuVwXyZ/edit\nEmma\n"
    )
    a = judged(lib, msg.as_bytes())
    assert a.provider is None
    assert "sender_foreign" not in a.reason_codes()
    assert "link_foreign_action" not in a.reason_codes()
    # Google is named only as the service the page is on, never as who the mail is from.
    assert "Google" not in all_reasons(a).replace("Google Docs", "")
    assert "links_unchecked" not in a.reason_codes()
    assert a.verdict != "likely_phishing"


def test_the_hidden_inbox_preview_line_is_not_called_a_trick_but_hidden_words_are(
    lib: Library,
) -> None:
    preview = (
        "<div style='display:none;max-height:0;overflow:hidden'>Three new teas this week."
        + "&zwnj;&nbsp;" * 80
        + "</div>"
    )
    visible = (
        "<p>Hi Mia, our spring teas are here.</p><p><a href='https://tea.example/'>See</a></p>"
    )
    a = judged(
        lib, html_mail("Tea <news@tea.example>", "me@example.jp", "Spring", preview + visible)
    )
    assert "hidden_text" not in a.reason_codes()
    salad = "<div style='display:none'>" + "river garden piano window coffee " * 8 + "</div>"
    b = judged(lib, html_mail("Tea <news@tea.example>", "me@example.jp", "Spring", visible + salad))
    assert "hidden_text" in b.reason_codes()


def test_a_pasted_copy_without_headers_is_not_said_to_have_failed_its_checks(
    lib: Library,
) -> None:
    a = judged(
        lib,
        "From: Microsoft <account-security@microsoft.com>\nSubject: Sign-in\n\n"
        "We noticed a new sign-in to your Microsoft account.",
    )
    said = all_reasons(a)
    assert "doesn't carry the receiving server's record" in said
    assert "no receiving server confirmed" not in said


def test_a_text_message_shown_under_a_number_is_not_said_to_have_chosen_a_name(
    lib: Library,
) -> None:
    a = judged(
        lib,
        "Subject: (SMS)\nFrom: +44 7911 123456\n\n"
        "【エポスカード】ご利用を一時停止しました。こちらからご確認ください https://....",
    )
    said = all_reasons(a)
    assert 'only the number "+44 7911 123456"' in said
    assert "Anyone can choose any name" not in said


def test_an_address_shown_as_a_links_words_is_not_a_second_link(lib: Library) -> None:
    a = judged(
        lib,
        html_mail(
            "Benefits Office <notice@benefit-review.example>",
            "me@example-isp.jp",
            "Your statement",
            "<p>Review your statement at "
            "<a href='https://review-fn.example/statement'>socialsecurity.gov/review</a>.</p>",
        ),
    )
    assert [lk.domain for lk in a.links] == ["review-fn.example"]
    assert "link_text_mismatch" in a.reason_codes()


def test_a_seal_that_fails_while_dmarc_passes_is_not_called_a_faked_sender(lib: Library) -> None:
    raw = mail(
        "Shop <news@shop-mail.example>",
        "News",
        "Our news this week.",
        auth="spf=pass smtp.mailfrom=shop-mail.example; dkim=fail header.d=shop-mail.example; "
        "dmarc=pass",
    )
    said = all_reasons(judged(lib, raw))
    assert "DKIM failed, though DMARC" in said and "may be faked" not in said
