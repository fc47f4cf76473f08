"""What a notice asks the person to do (asks_for), in the ways lures and real notices ask: a
request with the link right after it, a button line, a number to call, "reply YES", a fee to pay.
Each case is a short notice written for the project."""

from __future__ import annotations

import pytest
from kind_notices import NOTICES

from bot.content.model import Library
from bot.notices import Analysis, analyse

CASES = [
    # click_link_login: a request with the link right after it, or a button to press
    (
        "click_link_login",
        "お客様のお支払い情報のご確認をお願いします。https://pay-check.example.top/a",
    ),
    ("click_link_login", "アカウントの利用を制限しました。下記よりご登録内容をご確認ください。"),
    (
        "click_link_login",
        "カードのご利用を制限しています。以下のURLへアクセスの上、ご利用確認にご協力ください。",
    ),
    ("click_link_login", "ご利用料金が高額です。ご確認が必要です https://ryokin.example.top"),
    (
        "click_link_login",
        "カードに異常があります。ご確認の上、再開してください:https://x.example.top",
    ),
    ("click_link_login", "You must re-verify your account by clicking on the link below."),
    ("click_link_login", "Your mailbox is on hold until you act.\n\nRestore Access\n\nMail Team"),
    (
        "click_link_login",
        "Your account is limited. Verify your account here: https://v.example.top",
    ),
    # contact_phone: a number to call
    (
        "contact_phone",
        "料金の未納があります。本日中に03-1234-5678 サポートセンター迄ご連絡下さい。",
    ),
    ("contact_phone", "至急お電話ください。電話番号: 0120-111-222"),
    (
        "contact_phone",
        "Your plan renewed. To cancel, please contact our billing team at (808) 555-0143.",
    ),
    ("contact_phone", "We charged $399 for your plan.\nHelpline: +1 808 555 0143"),
    # reply_message: answer the message itself
    ("reply_message", "Bank alert: card ending 0042 used for $88.10. Reply YES if this was you."),
    (
        "reply_message",
        "【ひかり銀行】お取引の確認です。お心当たりがあれば「はい」とご返信ください。",
    ),
    # pay_money: a fee, a fine, a deposit, gift cards
    ("pay_money", "To release your prize, send the processing fee via gift card today."),
    ("pay_money", "捜査のため、保証金を指定の口座に振り込んでください。"),
    # change_password: advised after someone signed in with it
    ("change_password", "Someone knows your password. We recommend that you change it right away."),
    (
        "change_password",
        "第三者がログインした可能性があります。パスワードを変更することをおすすめします。",
    ),
]


def read(lib: Library, text: str) -> Analysis:
    a = analyse(lib, text)
    assert isinstance(a, Analysis)
    return a


@pytest.mark.parametrize(("ask", "text"), CASES, ids=[f"{a}-{i}" for i, (a, _) in enumerate(CASES)])
def test_the_way_a_notice_asks_is_read_as_its_ask(lib: Library, ask: str, text: str) -> None:
    assert ask in read(lib, text).asks_for


# Asks that belong to one kind of notice: they count only when the notice is that kind.
KIND_CASES = [
    (
        "malware_infection",
        "virus_scan",
        "Our network team noticed that one or more of your computers may be infected with a bot.",
    ),
    (
        "suspicious_login",
        "change_password",
        "Your access keys are publicly available online. Please rotate the exposed keys today.",
    ),
    (
        "card_fraud_alert",
        "verify_identity",
        "【みどりカード】カードのご利用を一部制限しております。ご本人のご利用か、確認にご協力ください。",
    ),
    (
        "fake_invoice",
        "contact_phone",
        "Your subscription has been renewed for $349.99.\n\nCustomer Support:\n+1 (808) 555-0188",
    ),
    (
        "utility_bill",
        "update_payment_info",
        "【電力会社】電気料金が未払いのため、明日電気を停止します。https://denki.example.top",
    ),
    (
        "payment_update",
        "update_payment_info",
        "会員費のお支払い方法に問題があります。詳細はこちら https://kaihi.example.top",
    ),
]


@pytest.mark.parametrize(("kind", "ask", "text"), KIND_CASES, ids=[k for k, _, _ in KIND_CASES])
def test_a_kinds_own_way_of_asking_is_read_for_that_kind(
    lib: Library, kind: str, ask: str, text: str
) -> None:
    a = read(lib, text)
    assert a.kind == kind
    assert ask in a.asks_for


def test_a_providers_announcement_with_a_details_link_asks_nothing_of_you(lib: Library) -> None:
    a = read(
        lib,
        "はるかモバイルです。一部の地域で通信エリアを改善しました。詳細はこちら "
        "https://haruka-mobile.example.jp/news ※このSMSには返信できません。",
    )
    assert a.kind == "provider_announcement"
    assert "click_link_login" not in a.asks_for
    assert "asks_login_link" not in a.reason_codes()


def test_a_sentence_that_rules_a_reply_out_is_not_an_ask(lib: Library) -> None:
    a = read(lib, "We will never ask you to reply with your password. Reply YES is never needed.")
    assert "reply_with_credentials" not in a.asks_for


@pytest.mark.parametrize(
    "text",
    [
        "Fake text messages say your account is locked and ask you to sign in through a link.",
        "If you get one, do not click the link; delete it.",
        "偽のSMSは、こちらからログインしてくださいと書いています。",
        "不審なメールのリンクはクリックしないでください。",
    ],
)
def test_what_fake_messages_ask_and_what_you_must_not_do_are_not_asks(
    lib: Library, text: str
) -> None:
    assert "click_link_login" not in read(lib, text).asks_for


def test_a_warning_about_lures_asks_you_for_nothing(lib: Library) -> None:
    for n in NOTICES:
        if n.kind == "provider_announcement":
            a = read(lib, n.text)
            assert not {"click_link_login", "verify_identity", "update_payment_info"} & set(
                a.asks_for
            ), (n.name, a.asks_for)
