"""The recognition defects of issues #14 and #16, each pinned on a notice written for the project:
what the reader names, what it says the notice asks, and what it refuses to call a notice."""

from __future__ import annotations

import pytest
from kind_notices import NOTICES

from bot.content.model import Library
from bot.notices import Analysis, Unreadable, analyse, render_explanation


def notice(name: str) -> str:
    return next(n.text for n in NOTICES if n.name == name)


def read(lib: Library, text: str) -> Analysis:
    a = analyse(lib, text)
    assert isinstance(a, Analysis)
    return a


@pytest.mark.parametrize("name", ["sagawa-missed", "yamato-address", "usps-address"])
def test_a_carriers_text_message_is_a_parcel_notice_not_a_shop_order(
    lib: Library, name: str
) -> None:
    a = read(lib, notice(name))
    assert a.kind == "parcel_delivery"
    assert a.walkthrough != lib.kinds["purchase_alert"].walkthrough
    for lang in ("ja", "en"):
        said = render_explanation(lib, a, lang)
        assert lib.kinds["parcel_delivery"].title.get(lang) in said
        assert lib.text("explain_unknown_kind", lang) not in said


def test_a_card_hold_text_is_a_card_alert_not_a_locked_account(lib: Library) -> None:
    a = read(lib, notice("card-hold-sms"))
    assert a.kind == "card_fraud_alert"
    assert a.walkthrough != lib.kinds["account_locked"].walkthrough


def test_a_reply_yes_or_no_text_asks_for_an_answer(lib: Library) -> None:
    a = read(lib, notice("reply-yes-no"))
    assert a.kind == "card_fraud_alert"
    assert "reply_message" in a.asks_for
    assert a.reply_channel != "none"
    said = render_explanation(lib, a, "en")
    assert lib.text("channel_none", "en") not in said
    assert lib.text("ask_reply_message", "en") in said


@pytest.mark.parametrize("name", ["webcam-bitcoin", "own-address", "disguised-letters"])
def test_sextortion_is_not_a_password_reset_or_a_card_alert(lib: Library, name: str) -> None:
    a = read(lib, notice(name))
    assert a.kind == "sextortion"
    assert "pay_money" in a.asks_for
    assert "extortion_in_crypto" in a.reason_codes()


@pytest.mark.parametrize("name", ["lifted-ja", "lifted-en"])
def test_supports_block_lifted_thank_you_asks_for_nothing(lib: Library, name: str) -> None:
    a = read(lib, notice(name))
    assert a.kind == "restriction_lifted"
    assert lib.kinds[a.kind].replies_to == "mail_spam_block"
    assert a.asks_for == ()
    for lang in ("ja", "en"):
        said = render_explanation(lib, a, lang)
        asks_line = lib.texts["explain_asks"].get(lang).split("{asks}")[0]
        assert asks_line not in said
        assert lib.text("channel_none", lang) in said


def test_a_thank_you_for_what_was_done_is_not_a_request_but_a_request_still_is(
    lib: Library,
) -> None:
    thanks = read(lib, "Thank you for changing your password. Your mailbox works again.")
    assert "change_password" not in thanks.asks_for
    ask = read(lib, "We noticed unusual activity. Please change your password today.")
    assert "change_password" in ask.asks_for


def test_the_generic_greeting_is_quoted_as_the_notice_wrote_it(lib: Library) -> None:
    for greeting in ("Dear user", "Dear Valued Customer", "Hello member"):
        a = read(
            lib,
            f"{greeting},\n\nYour mailbox is full. Sign in here to increase your storage: "
            "https://mailbox-upgrade.example.top/",
        )
        reason = next(r for r in a.reasons if r.code == "generic_greeting")
        assert f'"{greeting}"' in reason.text.get("en")
        assert f"「{greeting}」" in reason.text.get("ja")


@pytest.mark.parametrize(
    "text",
    ["x" * 4096, "x " * 2000, "1234567890 " * 50, "!!!! ???? ----", "ああああああああ"],
    ids=["x-run", "x-spaced", "digits", "symbols", "one-kana"],
)
def test_text_with_no_words_is_not_a_notice(lib: Library, text: str) -> None:
    a = analyse(lib, text)
    assert isinstance(a, Unreadable)
    assert a.reason == "no_words"
    for lang in ("ja", "en"):
        assert a.message.get(lang) and "{" not in a.message.get(lang)


@pytest.mark.parametrize(
    "text", ["Is this real? https://bit.ly/3xAmPl", "お荷物のお届け", "ok thanks"]
)
def test_a_link_or_any_real_word_is_still_read(lib: Library, text: str) -> None:
    assert isinstance(analyse(lib, text), Analysis)


@pytest.mark.parametrize(
    "text",
    [
        "Subject: RE: Outgoing mail blocked on my account\n"
        'From: "Support" <help@example-mail.net>\n\n'
        "Hello,\n\nThanks for cleaning up your computer. The sending limit is no longer in "
        "place, so mail should go out normally again.\n",
        "Subject: Re: Account suspended - outgoing spam detected\n"
        'From: "Mail Team" <team@example-host.com>\n\n'
        "Hi there,\n\nWe've removed the block. You're able to send emails again.\n",
    ],
)
def test_a_reply_is_read_by_its_answer_not_by_the_subject_the_person_wrote(
    lib: Library, text: str
) -> None:
    # "Re: my mail is blocked" repeats the person's own words; the answer says it was lifted.
    assert read(lib, text).kind == "restriction_lifted"


def test_a_faked_reply_whose_body_says_little_is_still_read_by_its_subject(lib: Library) -> None:
    # Lures put "Re:" before a threat to look like an ongoing conversation: with nothing in the
    # body to name a kind, the subject still does.
    a = read(
        lib,
        "Subject: Re: Your account has been suspended\n"
        "From: Service <no-reply@acct-review.top>\n\n"
        "Details here: https://acct-review.top/v\n",
    )
    assert a.kind == "account_locked"
    assert a.verdict == "likely_phishing"


def test_a_first_notice_is_still_read_by_its_subject(lib: Library) -> None:
    a = read(
        lib,
        "Subject: Outgoing mail suspended on your account\n"
        'From: "Postmaster" <postmaster@example-net.jp>\n\n'
        "We noticed a large volume of spam sent with your password and suspended sending.\n"
        "Please scan your devices and change your password, then contact support.\n",
    )
    assert a.kind == "outbound_spam_restriction"
