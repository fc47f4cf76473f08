"""Mail nobody vouches for: weak marks named one by one, a verdict when marks of several kinds
stand together, money offered out of nowhere, and the support answers and system mail that
must not be caught. Mail written for the project; made-up addresses."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from written_notices import aligned, judged, mail, weights

from bot.content.model import Library
from bot.content.readerlists import WEAK_MARKS
from bot.notices import Analysis
from bot.notices.unvouched import (
    FAMILIES,
    disguised_word,
    name_elsewhere,
    offer_of,
    random_local,
)


def text_of(a: Analysis, code: str) -> str:
    return next(r.text.get("en") for r in a.reasons if r.code == code)


NO_AUTH = "spf=none smtp.mailfrom={d}; dkim=none; dmarc=none"


# -- the marks, each on its own evidence -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "\U0001d405\U0001d411\U0001d404\U0001d404 gift for you",  # styled bold letters
        "Your P\u0430yPal account",  # a Cyrillic a inside a Latin word
        "E\u034fx\u034fc\u034fl\u034fu\u034fs\u034fi\u034fv\u034fe offer",  # marks between letters
        "Final notice from the lRS",  # a small l for a capital I in an office's initials
        "Your MlCROSOFT account",
    ],
)
def test_letters_dressed_up_to_dodge_filters_are_found(text: str) -> None:
    assert disguised_word(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ваш заказ отправлен",
        "ご利用ありがとうございます",
        "Café au lait",
        "naïve résumé",
        "Your APPLE ID and HTML mail",
        "Total GLOBAL sales, 5 mL",
    ],
)
def test_ordinary_words_of_any_language_are_not_dressed_up(text: str) -> None:
    assert disguised_word(text) == ""


def test_machine_made_addresses_are_told_from_peoples() -> None:
    for made in ("jFEdZXNAcRZTIfk@x.example", "qzxkvbnm7@x.example", "a8f3k2p9x@x.example"):
        assert random_local(made), made
    for person in ("john.smith@x.example", "noreply@x.example", "JohnSmith@x.example"):
        assert not random_local(person), person


def test_an_organisations_name_its_domain_does_not_bear_is_named() -> None:
    assert name_elsewhere("McAfee", "abenicotinic.quest", False) == "McAfee"
    assert name_elsewhere("Norton Support", "slave.socialou.com", True) == "Norton Support"
    # Two words and nothing saying it is a company: it may be a person's name.
    assert name_elsewhere("Tractor Supply", "mail.arands.shop", False) == ""
    assert name_elsewhere("Hillside Tea Company", "hillsidetea.com", False) == ""
    assert name_elsewhere("Customer Support", "example-corp.jp", True) == ""
    assert name_elsewhere("Kenji Sato", "example-corp.jp", False) == ""  # a person


@pytest.mark.parametrize(
    ("text", "offer"),
    [
        ("congratulations, you have been selected to receive $500", "prize"),
        ("the late client left usd 4.5 million without a next of kin", "inheritance"),
        ("your mining balance of 0.51 btc is ready", "crypto"),
        ("guaranteed returns of 40% every month", "investment"),
        ("our agents recover your lost funds from fake brokers", "recovery"),
        ("200 free spins and a welcome bonus", "casino"),
        ("スマホで月収50万円も可能です", "investment"),
        (
            "i am ill and wish to use my funds for charity, and two million for yourself",
            "inheritance",
        ),
        ("私の財産をあなたに譲りたいと考えています", "inheritance"),
        ("you're one of the fortunate few granted an early pass", "prize"),
        ("stake your tokens and earn aprs up to 300% every year", "investment"),
    ],
)
def test_money_offered_out_of_nowhere_is_named_by_what_it_is(text: str, offer: str) -> None:
    assert offer_of(text) == offer


def test_everyday_mail_offers_no_money() -> None:
    for text in (
        "your order has shipped",
        "the meeting moved to 3pm",
        "ご注文ありがとうございます",
        "we raised two million for charity this year: thank you for your donations",
        "our savings account pays 4% apr",
        "you're lucky to live near the coast, where the hike begins",
    ):
        assert offer_of(text) == ""


# -- the verdict -------------------------------------------------------------------------------


def test_marks_of_several_kinds_together_make_a_verdict_and_are_each_named(lib: Library) -> None:
    a = judged(
        lib,
        mail(
            "Weekly Deals <deals@hot-deals-4u.xyz>",
            "Your coupon expires tonight",
            "<p>Open your coupon before midnight.</p>"
            "<p><a href='https://bit.ly/4zzq9Ex'>Open coupon</a></p>",
            auth=NO_AUTH.format(d="hot-deals-4u.xyz"),
            html=True,
        ),
    )
    w = weights(a)
    assert {"auth_none", "sender_throwaway", "link_shortener", "marks_together"} <= set(w)
    said = text_of(a, "marks_together")
    assert "no digital seal" in said and "a URL shortener" in said
    assert a.verdict == "likely_phishing"


def test_one_weak_mark_alone_is_not_a_verdict(lib: Library) -> None:
    # A shop that signs its own mail and links a short link: only one kind of mark.
    a = judged(
        lib,
        mail(
            "Kobo Bakery <hello@kobo-bakery.example>",
            "New bread this weekend",
            "Our spring loaf is out this Saturday. Menu: https://bit.ly/kobo-spring\n",
            auth=aligned("kobo-bakery.example"),
        ),
    )
    assert "marks_together" not in weights(a)
    assert a.verdict != "likely_phishing"


def test_money_offered_by_a_sender_nobody_vouches_for_is_fraud(lib: Library) -> None:
    a = judged(
        lib,
        mail(
            "Mrs. Helen Carter <helen.carter.1957@gmail.com>",
            "Donation for you",
            "I am a widow with a terminal illness and I wish to donate USD 2.5 million to you. "
            "Reply so my lawyer can release the funds to your account.",
            auth=aligned("gmail.com"),
        ),
    )
    assert weights(a)["money_offer"] == 4.0
    assert a.verdict == "likely_phishing"
    assert "nobody gives strangers money" in text_of(a, "money_offer")


def test_the_same_offer_from_a_vouched_for_shop_is_only_a_hint(lib: Library) -> None:
    a = judged(
        lib,
        mail(
            "Hillside Tea Company <news@hillsidetea.com>",
            "Spring raffle",
            "Every order this month enters our raffle: claim your prize if you are drawn. "
            "Details: https://hillsidetea.com/raffle\n",
            auth=aligned("hillsidetea.com"),
        ),
    )
    assert "money_offer" not in weights(a)
    assert weights(a).get("money_offer_vouched") == 1.0
    assert a.verdict != "likely_phishing"


def test_an_impossible_sender_address_in_a_mail_file_is_named(lib: Library) -> None:
    raw = mail(
        "Parcel Service <notice@parcel-service>",
        "Delivery pending",
        "Your delivery is pending. Pay the fee at https://parcel-fee.example.top/p\n",
        auth="spf=none; dkim=none; dmarc=none",
    )
    assert weights(judged(lib, raw))["sender_invalid"] == 3.0
    # Pasted, the same line may have been shortened by whoever copied it.
    pasted = "From: Parcel Service <notice@parcel-service>\nSubject: Delivery\n\nPending."
    assert "sender_invalid" not in weights(judged(lib, pasted))


def test_a_stranger_starting_a_romance_unvouched_is_a_scams_opening(lib: Library) -> None:
    a = judged(
        lib,
        mail(
            "Olga <olga1996@mail-dating.example.top>",
            "hello dear",
            "Hello dear, I am Olga from Kyiv. I saw you and would like to meet you. "
            "Write to me and I will send my private photos.",
            auth=NO_AUTH.format(d="mail-dating.example.top"),
        ),
    )
    assert "romance_lure" in weights(a)
    assert a.verdict == "likely_phishing"


# -- what must not be caught -------------------------------------------------------------------


def test_a_mail_services_own_postmaster_is_the_service_not_a_members_mailbox(
    lib: Library,
) -> None:
    a = judged(
        lib,
        mail(
            "Microsoft Outlook <postmaster@outlook.com>",
            "Undeliverable: Meeting notes",
            "Your message couldn't be delivered. Your account has been blocked from sending "
            "mail because it was suspected of sending spam. Contact your email admin.\n",
            auth=aligned("outlook.com"),
        ),
    )
    assert "sender_mailbox" not in weights(a)
    assert a.verdict != "likely_phishing"


def test_a_member_mailbox_on_the_same_service_posing_as_the_company_is_still_named(
    lib: Library,
) -> None:
    a = judged(
        lib,
        mail(
            "Microsoft Security <ms.security.desk@outlook.com>",
            "Microsoft account locked",
            "Your Microsoft account has been locked. Verify your identity at "
            "https://ms-verify.example.top/\n",
            auth=aligned("outlook.com"),
        ),
    )
    assert weights(a)["sender_mailbox"] == 3.0
    assert a.verdict == "likely_phishing"


@pytest.mark.parametrize(
    "body",
    [
        "Thank you for securing your account. We have lifted the sending restriction, and you "
        "can send mail again.",
        "We reviewed your mailbox and reinstated your ability to send messages.",
        "The outgoing mail limit is no longer in place, so your messages will leave normally.",
        "We have removed the outbound email restriction on your mailbox after your password reset.",
    ],
)
def test_english_support_answers_read_as_a_lifted_restriction(lib: Library, body: str) -> None:
    a = judged(lib, f"Subject: Re: I cannot send mail [#20418]\n\nHello,\n\n{body}\n\nSupport")
    assert a.kind == "restriction_lifted", (a.kind, a.runner_up)
    assert a.verdict != "likely_phishing"


def test_bulk_mail_marks_are_named(lib: Library) -> None:
    a = judged(
        lib,
        mail(
            "hims.com Health Partner <eTZhJSSyGq@love.smartwatch-ly.example>",
            "[username], your free quote is ready",
            "Limited-time offer: save up to 40% today. "
            "qwrtzpsdfghjklxcvbnmqwrtzpsdfgh\nhttps://bit.ly/3qQz8Ab\n",
            auth="spf=none; dkim=none; dmarc=none",
        ),
    )
    w = weights(a)
    assert {"sender_display_domain", "template_left", "random_string", "sales_pitch"} <= set(w)
    assert a.verdict == "likely_phishing"


def test_a_company_notice_from_a_personal_mailbox_is_named(lib: Library) -> None:
    a = judged(
        lib,
        mail(
            "Billing Dept <billing.dept.8841@gmail.com>",
            "Your subscription has been renewed",
            "Your antivirus subscription has been renewed and $399.99 will be charged. If you "
            "did not authorise this, call our billing team at +1 805 555 0142 to cancel.",
            auth=aligned("gmail.com"),
        ),
    )
    assert "notice_from_mailbox" in weights(a)
    assert a.verdict == "likely_phishing"


def test_a_huge_sum_from_a_signed_domain_is_still_fraud(lib: Library) -> None:
    a = judged(
        lib,
        mail(
            "Prof. Ana Ruiz <a.ruiz@uni-sample.example>",
            "Shares in your name",
            "You have been selected: 18,000 shares worth $4,100,000.00 are held in your name. "
            "Reply to receive them.",
            auth=aligned("uni-sample.example"),
        ),
    )
    assert weights(a)["money_offer"] == 4.0


def test_a_stranger_giving_a_fortune_away_is_an_offer_out_of_nowhere(lib: Library) -> None:
    a = judged(
        lib,
        mail(
            "Mrs. Helen Marsh <office@harbour-clinic.example>",
            "Re: my last wish",
            "I am very ill and have little time left. I wish to use my funds for charity: eight "
            "million for the poor and one million for yourself. Reply if you are honest.\n",
            auth=NO_AUTH.format(d="harbour-clinic.example"),
            reply_to="helen.marsh.1950@gmail.com",
        ),
    )
    assert "money_offer" in weights(a), a.reasons
    assert a.verdict == "likely_phishing", a.reasons


def test_invisible_marks_between_the_letters_of_the_senders_name_are_hidden_text(
    lib: Library,
) -> None:
    joined = "\u034f".join("Cloud Team")
    body = "Your storage is full. Photos will be removed today.\nhttps://bit.ly/9xQ2mZk\n"
    auth = NO_AUTH.format(d="lottery-news.example")
    a = judged(lib, mail(f"{joined} <qzxkvbnm7@lottery-news.example>", "Storage", body, auth=auth))
    w = weights(a)
    assert w["hidden_text"] > 0 and "marks_together" in w
    assert a.verdict == "likely_phishing"
    plain = judged(
        lib, mail("Cloud Team <qzxkvbnm7@lottery-news.example>", "Storage", body, auth=auth)
    )
    assert "hidden_text" not in weights(plain)


def test_a_web_address_for_a_name_on_a_free_mailbox_claims_its_owner(lib: Library) -> None:
    body = "Your wallet needs to be synchronised. <a href='https://sync-now.example/w'>Sync</a>"
    a = judged(
        lib,
        mail(
            "hoshi-wallet.com <hana.k1987@gmail.com>",
            "",
            body,
            auth=aligned("gmail.com"),
            html=True,
        ),
    )
    assert weights(a)["sender_display_domain"] == 2.0
    assert "anyone can have an address" in text_of(a, "sender_display_domain")
    # The same name on a company's own domain is the weaker mark it was.
    other = judged(
        lib,
        mail(
            "hoshi-wallet.com <news@wallet-mailer.example>",
            "",
            body,
            auth=aligned("wallet-mailer.example"),
            html=True,
        ),
    )
    assert weights(other)["sender_display_domain"] == 1.5


def test_a_shop_signing_a_free_mailbox_with_its_web_address_alone_is_not_a_verdict(
    lib: Library,
) -> None:
    a = judged(
        lib,
        mail(
            "hoshi-bakery.jp <hoshi.bakery.shop@gmail.com>",
            "今週のパン",
            "今週は桜あんぱんを焼きます。土曜日の朝9時からです。",
            auth=aligned("gmail.com"),
        ),
    )
    assert "sender_display_domain" in weights(a)
    assert a.verdict != "likely_phishing"


def test_every_weak_mark_has_a_family_and_a_name_for_the_list() -> None:
    # The reader groups the marks (FAMILIES); the flows name each one (mark_* texts).
    assert set(FAMILIES) == set(WEAK_MARKS)


def _raw_mail(sender_line: str, subject: str, body: str) -> bytes:
    return (
        "Received: from relay.sender.invalid ([198.51.100.23]) by mx.google.com\r\n"
        "Authentication-Results: mx.google.com; spf=pass smtp.mailfrom=office-mail.example; "
        "dkim=pass header.d=office-mail.example; dmarc=none\r\n"
        f"From: {sender_line}\r\nTo: yuki.tanaka@example-isp.jp\r\nSubject: {subject}\r\n"
        "Date: Tue, 10 Mar 2026 09:41:00 +0900\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{body}\r\n"
    ).encode()


def test_a_mail_whose_from_line_has_a_name_and_no_address_hides_its_sender(lib: Library) -> None:
    body = "Are you at your desk? I need a quick favour before my meeting. Reply when you can."
    a = judged(lib, _raw_mail("Director Ken Mori", "Urgent: are you available", body))
    assert weights(a)["sender_no_address"] == 2.0
    assert "Director Ken Mori" in text_of(a, "sender_no_address")
    # The same lines with the address are a person writing from a domain nobody vouches against.
    with_address = _raw_mail(
        "Director Ken Mori <ken.mori@office-mail.example>", "Urgent: are you available", body
    )
    assert "sender_no_address" not in weights(judged(lib, with_address))


def test_a_pasted_notice_naming_only_its_sender_is_not_hiding_one(lib: Library) -> None:
    # Someone copying a notice by hand often writes the sender's name alone.
    a = judged(lib, "From: Ken Mori\nSubject: lunch\n\nAre we still on for lunch on Friday?")
    assert "sender_no_address" not in weights(a)


def test_an_insurers_name_in_another_language_on_an_unrelated_domain_is_named(lib: Library) -> None:
    for name in ("Sonnen Versicherung", "Seguros Horizonte", "Kundenservice Nordbank"):
        assert name_elsewhere(name, "camping-site.example", True), name
    a = judged(
        lib,
        mail(
            "Sonnen Versicherung <info@camping-site.example>",
            "Ihre Prämie",
            "Sie wurden ausgewählt: beantworten Sie drei Fragen und erhalten Sie ein Geschenk.",
            auth=aligned("camping-site.example"),
        ),
    )
    assert "sender_name_elsewhere" in weights(a)


def test_a_free_mailbox_mail_sent_by_another_member_of_that_service_is_named(lib: Library) -> None:
    body = "Hello dear, how is your day? My name is Sara and I saw your profile. Write to me."
    raw = mail(
        "Sara Lin <sara.lin.4471@gmail.com>",
        "hello dear",
        body,
        auth=aligned("gmail.com"),
        return_path="k.obi.8823@gmail.com",
    )
    a = judged(lib, raw)
    assert weights(a)["envelope_other_member"] == 1.5
    assert "k.obi.8823@gmail.com" in text_of(a, "envelope_other_member")
    assert a.verdict == "likely_phishing"  # with the stranger's romance


@pytest.mark.parametrize(
    "envelope", ["sara.lin.4471@gmail.com", "saralin4471+news@gmail.com", "bounce@mailer.example"]
)
def test_the_same_mailbox_as_its_envelope_is_not_another_member(
    lib: Library, envelope: str
) -> None:
    raw = mail(
        "Sara Lin <sara.lin.4471@gmail.com>",
        "photos from Sunday",
        "Here are the photos from Sunday's picnic.",
        auth=aligned("gmail.com"),
        return_path=envelope,
    )
    assert "envelope_other_member" not in weights(judged(lib, raw))


@pytest.mark.parametrize(
    "name", ["Parcel Desk \u2714\ufe0f", "\u2705 Bonus Club", "Secure \U0001f512 Mail"]
)
def test_a_verified_mark_written_into_the_senders_name_is_named(lib: Library, name: str) -> None:
    a = judged(
        lib,
        mail(
            f"{name} <news@bonus-club.example>",
            "Your reward",
            "Your reward is waiting. Claim it here: https://bonus-club.example/r",
            auth=NO_AUTH.format(d="bonus-club.example"),
        ),
    )
    assert weights(a)["sender_badge"] == 1.0
    assert "says nothing about who really sent" in text_of(a, "sender_badge")


def test_a_picture_instead_of_words_from_a_sender_nobody_vouches_for_is_a_weak_mark(
    lib: Library,
) -> None:
    msg = EmailMessage()
    msg["Received"] = "from relay.sender.invalid ([198.51.100.23]) by mx.google.com"
    msg["Authentication-Results"] = "mx.google.com; " + NO_AUTH.format(d="promo-mail.example")
    msg["From"] = "Parcel Desk \u2714 <qzxkvbnm7@promo-mail.example>"
    msg["To"] = "yuki.tanaka@example-isp.jp"
    msg["Subject"] = "Delivery pending"
    msg.set_content("<img src='cid:p1'>", subtype="html")
    msg.add_related(b"\x89PNG\r\n\x1a\n" + bytes(64), maintype="image", subtype="png", cid="p1")
    a = judged(lib, msg.as_bytes())
    w = weights(a)
    assert w["image_only"] == 0.5 and w["sender_badge"] == 1.0 and "marks_together" in w


@pytest.mark.parametrize("to", ["Undisclosed recipients:;", "undisclosed-recipients:"])
def test_a_mail_sent_to_a_hidden_list_of_many_is_named(lib: Library, to: str) -> None:
    body = "Your protection plan ends today. Renew now: https://renew-plan.example/r"
    auth = NO_AUTH.format(d="renew-plan.example")
    a = judged(lib, mail("Plan Desk <desk@renew-plan.example>", "Renewal", body, auth=auth, to=to))
    assert weights(a)["undisclosed_recipients"] == 1.0
    assert "hidden list" in text_of(a, "undisclosed_recipients")
    addressed = mail("Plan Desk <desk@renew-plan.example>", "Renewal", body, auth=auth)
    assert "undisclosed_recipients" not in weights(judged(lib, addressed))


def test_a_pass_the_receiving_service_contradicts_with_a_failed_check_vouches_for_nothing(
    lib: Library,
) -> None:
    def judged_with(auth: str) -> dict[str, float]:
        raw = mail(
            "Parcel Desk \u2714 <desk@parcel-desk.example>",
            "Delivery pending",
            "Your delivery is pending. Confirm it here: https://bit.ly/3pQz8Ab",
            auth=auth,
            to="Undisclosed recipients:;",
        )
        return weights(judged(lib, raw))

    spf = "spf=pass smtp.mailfrom=parcel-desk.example"
    mixed = judged_with(f"{spf}; dkim=fail header.d=parcel-desk.example; dmarc=pass")
    assert "auth_fail" in mixed and "marks_together" in mixed
    clean = judged_with(f"{spf}; dkim=pass header.d=parcel-desk.example; dmarc=pass")
    assert "marks_together" not in clean


def test_a_check_the_senders_broken_record_stopped_is_not_called_failed(lib: Library) -> None:
    def said(auth: str) -> str:
        raw = mail("Desk <desk@plan-desk.example>", "Hello", "Our plans for you.", auth=auth)
        return text_of(judged(lib, raw), "auth_fail")

    spf = "spf=pass smtp.mailfrom=plan-desk.example; dkim=none"
    assert "broken DMARC record" in said(f"{spf}; dmarc=permerror")
    assert "DMARC failed" not in said(f"{spf}; dmarc=permerror")
    assert "DKIM failed" in said("spf=pass smtp.mailfrom=plan-desk.example; dkim=fail; dmarc=none")


def test_an_unencrypted_link_to_press_is_a_weak_mark_of_its_own_kind(lib: Library) -> None:
    a = judged(
        lib,
        mail(
            "Foot Care <info@foot-care.example>",
            "Tired legs?",
            "<p>Relief for tired legs.</p><a href='http://foot-care.example/a'>See the offer</a>",
            auth="spf=fail smtp.mailfrom=foot-care.example; dkim=none; dmarc=none",
            html=True,
        ),
    )
    w = weights(a)
    assert w["link_http"] == 1.5 and "marks_together" in w
    assert "an unencrypted link" in text_of(a, "marks_together")
