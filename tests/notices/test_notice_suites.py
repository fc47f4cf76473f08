"""A security suite's renewal, expiry, charge or infection notice from a domain that is not its
maker's and that nothing confirms: the call-back scam's dress. Not for the maker's own signed
mail, a shop's signed receipt, a newsletter comparing suites, or a friend's note from a mailbox.
Notices written for the project; made-up names, addresses and numbers."""

from __future__ import annotations

import pytest
from written_notices import aligned, judged, mail

from bot.content.model import Library
from bot.notices import Analysis
from bot.notices.suite import bears, suite_named

NO_AUTH = "spf=none smtp.mailfrom={d}; dkim=none; dmarc=none"


def codes(a: Analysis) -> set[str]:
    return {r.code for r in a.reasons}


@pytest.mark.parametrize(
    ("text", "suite"),
    [
        ("norton 360 deluxe", "norton"),
        ("【マカフィー】更新のお知らせ", "マカフィー"),
        ("trend micro maximum security", "trend micro"),
        ("ウイルスバスター クラウド", "ウイルスバスター"),
    ],
)
def test_a_suite_is_found_by_its_name(text: str, suite: str) -> None:
    named = suite_named(text)
    assert named is not None and named[0] == suite


@pytest.mark.parametrize("text", ["anton street bakery", "preset values", "the avg. price"])
def test_words_that_only_contain_a_suite_s_letters_name_no_suite(text: str) -> None:
    assert suite_named(text) is None


def test_a_maker_s_domain_bears_its_name_and_another_does_not() -> None:
    assert bears("mail.nortonlifelock.com", ("norton", "lifelock"))
    assert not bears("renewal-desk.example.net", ("norton", "lifelock"))


# -- renewal stories from elsewhere: caught --------------------------------------------------

RENEWED_EN = mail(
    "Norton Billing Desk <billing@renewal-desk.example.net>",
    "Your Norton 360 subscription has been renewed",
    "Dear customer,\nYour Norton 360 subscription has been renewed for 3 years. "
    "Amount charged: $389.99.\nIf you did not authorise this, call our billing team at "
    "+1 (808) 555-0143 within 24 hours for a refund.\n",
    auth=NO_AUTH.format(d="renewal-desk.example.net"),
)
INVOICE_MAILBOX_EN = mail(
    "Accounts Team <invoice.team.4471@gmail.com>",
    "Invoice INV-20931",
    "Hello,\nYour annual membership for McAfee Total Protection has been successfully renewed.\n"
    "Invoice number: INV-20931\nAmount: $449.00\nPayment method: auto debit\n"
    "To cancel and get a refund, call our helpline +1 (888) 555-0179.\n",
    auth="spf=pass smtp.mailfrom=gmail.com; dkim=pass header.d=gmail.com; dmarc=pass",
)
EXPIRED_JA = mail(
    "ノートン更新センター <info@koushin-center.example.com>",
    "【重要】ノートン ライセンスの有効期限が切れました",
    "お客様のノートンのライセンスの有効期限が切れました。お使いのパソコンはウイルスに"
    "感染している可能性があります。\n本日中に更新のお手続きをお願いいたします。\n"
    "更新のご案内：050-5555-0192\n",
    auth=NO_AUTH.format(d="koushin-center.example.com"),
)
INFECTED_JA = mail(
    "マカフィー セキュリティ <alert@pc-hogo.example.org>",
    "お使いのパソコンは保護されていません",
    "マカフィーのご契約の期限が切れたため、お使いのパソコンは保護されていません。\n"
    "下のボタンから今すぐ更新してください。\nhttps://pc-hogo.example.org/renew\n",
    auth=NO_AUTH.format(d="pc-hogo.example.org"),
)


@pytest.mark.parametrize("raw", [RENEWED_EN, INVOICE_MAILBOX_EN, EXPIRED_JA, INFECTED_JA])
def test_a_suite_s_renewal_story_from_a_domain_not_its_maker_s_is_likely_phishing(
    lib: Library, raw: bytes
) -> None:
    a = judged(lib, raw)
    assert "suite_elsewhere" in codes(a), a.reasons
    assert a.verdict == "likely_phishing", a.reasons


def test_the_reason_names_the_suite_and_the_domain_it_came_from(lib: Library) -> None:
    a = judged(lib, RENEWED_EN)
    said = next(r.text for r in a.reasons if r.code == "suite_elsewhere")
    for lang in ("ja", "en"):
        assert "norton" in said.get(lang).lower()
        assert "renewal-desk.example.net" in said.get(lang)


# -- the maker's own mail, shops' receipts, newsletters, friends: not caught -----------------

MAKER_EN = mail(
    "Norton <noreply@mail.norton.com>",
    "Your Norton 360 subscription has been renewed",
    "Thanks for staying protected. Your Norton 360 subscription has been renewed for one year "
    "and $94.99 was charged to your card ending 4402.\nManage your subscription in your "
    "account: https://my.norton.com/\n",
    auth=aligned("norton.com"),
)
SHOP_JA = mail(
    "PCショップ星 <order@pcshop-hoshi.example.jp>",
    "【PCショップ星】ウイルスバスター 更新版 ご購入ありがとうございます",
    "ご注文ありがとうございます。ウイルスバスター クラウド 3年版（ダウンロード）のご購入により、"
    "ご契約の有効期限が更新されました。\nご注文番号：H-20240311-0087\nお支払い金額：12,980円\n",
    auth=aligned("pcshop-hoshi.example.jp"),
)
NEWSLETTER_EN = mail(
    "PC Weekly <news@pcweekly.example>",
    "Norton vs McAfee: which is worth the renewal price?",
    "This week we compare the big security suites. Before your subscription renews, check "
    "whether a cheaper plan covers your devices.\nRead the review: "
    "https://pcweekly.example/suites-2026\nUnsubscribe: https://pcweekly.example/unsub\n",
    auth="spf=pass smtp.mailfrom=bounce.mailplatform.example; dkim=pass "
    "header.d=mailplatform.example; dmarc=none",
)
FRIEND_JA = mail(
    "佐藤 健 <ken.sato.1972@gmail.com>",
    "ノートンのこと",
    "こんばんは。この前見たら、お母さんのパソコンのノートン、ライセンスの有効期限が切れてたよ。"
    "週末に一緒に更新しようか。\n健\n",
    auth="spf=pass smtp.mailfrom=gmail.com; dkim=pass header.d=gmail.com; dmarc=pass",
)
FRIEND_EN = mail(
    "Sam Carter <sam.carter.home@outlook.com>",
    "your Norton",
    "Hi Mum, your Norton subscription expired last week, so I renewed it from my account. "
    "Nothing to do on your side.\nSam\n",
    auth="spf=pass smtp.mailfrom=outlook.com; dkim=pass header.d=outlook.com; dmarc=pass",
)


@pytest.mark.parametrize("raw", [MAKER_EN, SHOP_JA, NEWSLETTER_EN, FRIEND_JA, FRIEND_EN])
def test_the_maker_s_mail_shops_newsletters_and_friends_are_not_caught(
    lib: Library, raw: bytes
) -> None:
    a = judged(lib, raw)
    assert "suite_elsewhere" not in codes(a), a.reasons
    assert a.verdict != "likely_phishing", a.reasons


def test_a_warning_about_fake_renewals_is_not_caught(lib: Library) -> None:
    raw = mail(
        "Town Safety Mail <alerts@safety-mail.example.org>",
        "Norton renewal scam: your subscription has not expired",
        "Fake e-mails say your Norton subscription has expired or was charged and ask you to "
        "call a number. Do not call; check in the software itself.\n",
        auth=NO_AUTH.format(d="safety-mail.example.org"),
    )
    a = judged(lib, raw)
    assert "suite_elsewhere" not in codes(a), a.reasons
