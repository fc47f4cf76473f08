"""A lure's shape as evidence when the link or number is missing: a brand or an office named, a
threat, and a request to act through a link, a number, an attachment or a crypto payment; and
never on a brand's own link, an announcement warning about lures, a support answer or a notice
that asks nothing. Notices written for the project."""

from __future__ import annotations

import pytest
from written_notices import judged, weights

from bot.content.model import Library
from bot.notices import Analysis
from bot.notices.lure import CUT_LINK, MASKED_PHONE, is_placeholder


def reason(a: Analysis, code: str) -> tuple[str, str]:
    found = next(r for r in a.reasons if r.code == code)
    return found.text.get("ja"), found.text.get("en")


# -- the parts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "お手続きはこちら https://....",
        "詳しくは http://xxxx.xxx/ から",
        "ご確認ください https://・・・・・・。",
        "再配達は[URL削除]から",
        "本人確認はこちら（リンク）",
        "Pay here: <link>",
        "Update it here: [link removed]",
        "納付ページ：○○○○.com",
        "下記よりご確認ください。URL",
    ],
)
def test_the_marks_left_where_a_link_was_cut_out_are_recognised(text: str) -> None:
    assert CUT_LINK.search(text.lower()), text


@pytest.mark.parametrize(
    "text",
    [
        "https://x.com/home",
        "記載されたURLにアクセスしないでください",
        "url: https://www.example.co.jp/",
        "https://xn--eckwd4c7c.xn--zckzah/",
    ],
)
def test_real_addresses_and_the_word_url_in_a_sentence_are_not_cut_links(text: str) -> None:
    assert not CUT_LINK.search(text.lower()), text


def test_a_placeholder_host_is_not_a_host() -> None:
    assert is_placeholder("") and is_placeholder("****") and is_placeholder("xxxx.xxx")
    assert not is_placeholder("x.com") and not is_placeholder("example.jp")


def test_masked_numbers_are_found_and_masked_references_are_not() -> None:
    for text in ("080-xxxx-xxxx", "050xxxxxxxx", "call 1-8xx-xxx-xxxx now"):
        assert MASKED_PHONE.search(text), text
    for text in ("注文番号 xxxxxxxxxx", "〒●●●-●●●●", "03-1234-5678"):
        assert not MASKED_PHONE.search(text), text


# -- the shape as a verdict --------------------------------------------------------------------

CUT_LURES = [
    # (brand or office, threat, how the link was cut)
    "【ドコモ】ご利用料金のお支払いが確認できておりません。本日中にお手続きください。https://....",
    "【ゆうちょ銀行】お客様の口座のご利用を制限しました。解除はこちら（リンク）",
    "【佐川急便】お荷物の宛先不明のため、配達できませんでした。住所の確認はこちら [URL]",
    "【国税庁】未納の税金について、差押えの手続きに入ります。納付はこちら http://xxxx.xxx/",
    "PayPal: your account has been limited. Restore access here: https://...",
    "DHL: your parcel will be returned to the sender. Confirm your address: [link removed]",
]


@pytest.mark.parametrize("text", CUT_LURES)
def test_a_brand_a_threat_and_a_cut_link_is_the_commonest_shape_of_phishing(
    lib: Library, text: str
) -> None:
    a = judged(lib, text)
    assert a.verdict == "likely_phishing", weights(a)
    assert weights(a)["lure"] == 4.0
    ja, en = reason(a, "lure")
    assert "commonest shape of phishing" in en and "don't use the link" in en
    assert "フィッシング" in ja
    # The cut link is not a link: no reason claims it goes anywhere.
    assert not any(lk.host in ("", "....", "xxxx.xxx") for lk in a.links)
    assert "link_foreign_action" not in weights(a)


def test_the_reason_names_the_brand_and_the_threat_it_makes(lib: Library) -> None:
    a = judged(lib, CUT_LURES[0])
    ja, en = reason(a, "lure")
    assert "docomo" in en.lower() and "overdue" in en
    assert "ドコモ" in ja and "支払い" in ja


def test_a_text_message_that_names_nobody_is_judged_by_its_shape(lib: Library) -> None:
    a = judged(lib, "ご不在のためお荷物を持ち帰りました。再配達のお手続きは下記URLより。URL")
    assert a.verdict == "likely_phishing", weights(a)
    assert "lure_unnamed" in weights(a)
    assert "no company I know" in reason(a, "lure_unnamed")[1]


def test_a_masked_mobile_number_to_call_is_a_personal_number(lib: Library) -> None:
    a = judged(
        lib,
        "【イオンカード】不正利用の可能性があるため、カードのご利用を停止しました。"
        "090-XXXX-XXXX までご連絡ください。",
    )
    assert a.verdict == "likely_phishing", weights(a)
    assert weights(a)["lure"] == 3.0 and "phone_personal" in weights(a)


def test_an_attached_file_to_open_on_a_threat_is_the_shape_too(lib: Library) -> None:
    a = judged(
        lib,
        "Subject: お荷物について（日本郵便）\n\n"
        "お届け先の住所に不備があり、お荷物は配達できませんでした。"
        "添付の伝票を印刷して、郵便局までお持ちください。",
    )
    assert a.verdict == "likely_phishing", weights(a)
    assert "attached file" in reason(a, "lure")[1]


# -- where it must not fire --------------------------------------------------------------------


def test_never_on_a_notice_that_links_the_brands_own_site(lib: Library) -> None:
    a = judged(
        lib,
        "【三井住友カード】カードのご利用を一時的に制限しました。"
        "ご確認は https://www.smbc-card.com/mem/ から。URL省略はありません。",
    )
    assert "lure" not in weights(a) and a.verdict != "likely_phishing"


def test_never_on_an_announcement_warning_about_such_messages(lib: Library) -> None:
    a = judged(
        lib,
        "【重要】当行を装った偽のSMSにご注意ください。「口座を凍結しました」「こちらから"
        "本人確認を」などと書かれたSMSのURL（https://....）にはアクセスしないでください。",
    )
    assert "lure" not in weights(a) and a.verdict != "likely_phishing"


def test_never_on_a_support_answer(lib: Library) -> None:
    a = judged(
        lib,
        "Subject: Re: account locked\n\nThank you for contacting us. Your account was locked "
        "after several failed sign-ins. To unlock it, use the link below.\n[link]\n\nSupport",
    )
    assert "lure" not in weights(a) and "lure_unnamed" not in weights(a)


def test_never_on_a_notice_that_asks_nothing(lib: Library) -> None:
    a = judged(
        lib,
        "【みずほ銀行】システムメンテナンスのため、3月22日1時から6時まで、"
        "インターネットバンキングのご利用を停止します。",
    )
    assert "lure" not in weights(a) and a.verdict != "likely_phishing"


def test_a_brand_name_in_a_signature_is_not_a_link(lib: Library) -> None:
    a = judged(
        lib,
        "プライム会費のお支払いができず、会員資格を一時停止しました。\n\n"
        "お支払い方法を更新する\n\nAmazon.co.jp カスタマーサービス",
    )
    assert weights(a).get("lure") == 4.0, weights(a)


# -- what the reader's lists change ------------------------------------------------------------


def test_a_brand_that_sends_such_messages_with_links_weighs_the_shape_lightly(
    lib: Library,
) -> None:
    # Sumitomo Mitsui Card says it sends usage checks by SMS with a link: the same message with
    # its link cut out cannot be told from the real one by its shape.
    a = judged(
        lib,
        "【三井住友カード】高額のご利用がありました。ご本人のご利用か確認のため、"
        "取引を一時保留しています。こちらからご確認ください https://....",
    )
    assert weights(a)["lure"] == 2.0
    assert a.verdict == "unsure"


USAGE_CHECK = (
    "【三井住友カード】高額のご利用がありました。ご本人のご利用か確認のため、"
    "取引を一時保留しています。こちらからご確認ください https://...."
)


@pytest.mark.parametrize("sender", ["Vpass", "SMBCCARD", "0120-000-000", "三井住友カード"])
def test_such_a_message_under_the_brands_name_or_a_number_is_still_weighed_lightly(
    lib: Library, sender: str
) -> None:
    a = judged(lib, f"Subject: (SMS)\nFrom: {sender}\n\n{USAGE_CHECK}")
    assert weights(a)["lure"] == 2.0


@pytest.mark.parametrize("sender", ["kkdinfo", "Notice-Center"])
def test_such_a_message_under_a_name_that_is_not_the_brands_is_not_the_brands(
    lib: Library, sender: str
) -> None:
    # The brand sends its SMS under its own name; a sender ID bearing none of its words is
    # someone else's.
    a = judged(lib, f"Subject: (SMS)\nFrom: {sender}\n\n{USAGE_CHECK}")
    assert weights(a)["lure"] == 4.0
    assert a.verdict == "likely_phishing"


def test_a_japanese_lure_that_writes_the_card_in_latin_letters_is_a_threat(lib: Library) -> None:
    a = judged(lib, "お客様のmeiji cardが一時停止されております。ご確認ください https://..../")
    assert {"lure", "lure_unnamed"} & set(weights(a)), weights(a)


def test_a_kind_that_is_fraud_whoever_sends_it_is_judged_so(lib: Library) -> None:
    a = judged(
        lib,
        "Subject: I know what you did\n\nI got into your computer months ago and recorded you "
        "through your webcam while you were visiting adult sites. Send $900 in bitcoin to my "
        "wallet within 48 hours or I will send the video to all your contacts and family.",
    )
    assert a.kind == "sextortion"
    assert weights(a)["scam_kind"] == 4.0
    assert a.verdict == "likely_phishing"
    assert "well-known scam" in reason(a, "scam_kind")[1]


@pytest.mark.parametrize(
    "text",
    [
        # a payment problem
        "Amazonプライムのお支払い方法に問題があります。詳細はこちら https://..../",
        # an accusation from an office, paid in crypto
        "こちらは警察です。あなたが違法取引に関与していることが判明しました。"
        "捜査に協力するため、ビットコインを次のアドレスに送金してください: bc1qxxxxxxxx",
        # a parcel that could not be brought, in the other common word for delivery
        "佐川急便：お荷物を配送できませんでした。住所を更新してください https://~",
        # mail that will stop
        "Subject: Mailbox full\n\nYour mailbox is full and you will no longer receive messages."
        "\n\nUPDATE NOW\n",
    ],
)
def test_more_threats_of_the_same_shape(lib: Library, text: str) -> None:
    a = judged(lib, text)
    assert {"lure", "lure_unnamed"} & set(weights(a)), weights(a)
    assert a.verdict == "likely_phishing", weights(a)


def test_a_link_to_another_known_companys_own_site_is_not_a_phishers_page(lib: Library) -> None:
    a = judged(
        lib,
        "【au】ご利用料金のお支払いが確認できておりません。ご確認ください。"
        "https://www.amazon.co.jp/",
    )
    assert "lure" not in weights(a)
    assert a.verdict != "likely_phishing"


@pytest.mark.parametrize(
    "text",
    [
        "明日お届け予定のお荷物があります。お届け日時とご住所をこちらからご確認ください http://****",
        "Your parcel is on its way. Confirm your delivery address here: https://....",
    ],
)
def test_a_parcel_text_that_names_no_carrier_and_asks_for_the_address_is_the_lure(
    lib: Library, text: str
) -> None:
    a = judged(lib, f"Subject: (SMS)\n\n{text}")
    assert weights(a).get("lure_unnamed") == 4.0, weights(a)
    assert a.verdict == "likely_phishing"


@pytest.mark.parametrize(
    "text",
    [
        # the carrier says who it is: its own messages ask for a delivery time too
        "ヤマト運輸です。明日お届け予定のお荷物があります。お届け日時をこちらからご指定ください "
        "http://****",
        # a shipping note that asks nothing of the person
        "ご注文の商品を発送しました。配送状況はこちら http://****",
    ],
)
def test_a_named_carrier_or_a_plain_shipping_note_is_not_that_lure(lib: Library, text: str) -> None:
    a = judged(lib, f"Subject: (SMS)\n\n{text}")
    assert "lure_unnamed" not in weights(a), weights(a)


def test_a_named_threat_with_nothing_to_act_through_says_what_to_send(lib: Library) -> None:
    a = judged(
        lib, "Subject: (SMS)\n\n【ソフトバンク】ご利用料金の未払いがあります。ご確認ください。"
    )
    w = weights(a)
    assert w.get("lure_no_act") == 0.0 and "no_evidence" not in w
    assert a.verdict == "unsure"
    assert "copy it without opening it" in reason(a, "lure_no_act")[1]


@pytest.mark.parametrize(
    "text",
    [
        # its link is there, and judged on its own
        "【ソフトバンク】ご利用料金の未払いがあります。https://softbank-pay.top/bill",
        # nobody named: nothing to check a link against but the link itself
        "ご利用料金の未払いがあります。ご確認ください。",
        # no threat
        "【ソフトバンク】今月のご利用料金が確定しました。",
    ],
)
def test_no_such_reason_with_a_link_without_a_name_or_without_a_threat(
    lib: Library, text: str
) -> None:
    assert "lure_no_act" not in weights(judged(lib, f"Subject: (SMS)\n\n{text}"))


def test_an_unnamed_lure_with_a_sender_address_does_not_say_it_has_none(lib: Library) -> None:
    a = judged(
        lib,
        "From: admin@parcel-notice.example\nSubject: Delivery\n\n"
        "Your parcel could not be delivered and will be returned. Reschedule here: https://....",
    )
    en = reason(a, "lure_unnamed")[1]
    assert "no sender address" not in en and "belongs to none" in en


def test_a_tilde_left_where_the_address_was_is_a_cut_link_not_a_host(lib: Library) -> None:
    assert is_placeholder("~")
    a = judged(lib, "【エポスカード】ご利用を一時停止しました。こちらからご確認ください https://~")
    assert not any(lk.host == "~" for lk in a.links)


def test_the_hurry_reason_quotes_the_words_the_notice_used(lib: Library) -> None:
    a = judged(
        lib,
        "Subject: Account notice\n\nYour account will be suspended. Verify it immediately: "
        "https://acct-check.example/v",
    )
    assert '("immediately")' in reason(a, "urgency")[1]
