"""A public office speaking from a domain that is no government's: offices send their mail from
their own government domains (go.jp, lg.jp, a city's or prefecture's regional .jp name, .gov,
gov.uk...), so a mail whose sender line or subject speaks as a tax office, a court, the police or
an office's programme (マイナポイント) and that presses the person to act, from any other
domain, is impersonation. Not for a real office's domain, a company writing in its own name
about a government matter, or a warning about such mail. Notices written for the project;
made-up addresses."""

from __future__ import annotations

import pytest
from written_notices import aligned, judged, mail, weights

from bot.content.model import Library
from bot.notices.office import government_domain, office_named

NO_AUTH = "spf=none smtp.mailfrom={d}; dkim=none; dmarc=none"


@pytest.mark.parametrize(
    "domain",
    [
        "e-tax.nta.go.jp",
        "city.yokohama.lg.jp",
        "police.pref.example.jp",
        "city.example.jp",
        "irs.gov",
        "service.gov.uk",
        "receita.fazenda.gov.br",
        "tjsp.jus.br",
    ],
)
def test_government_domains_are_known_by_their_endings(domain: str) -> None:
    assert government_domain(domain)


@pytest.mark.parametrize(
    "domain", ["gov-refund.com", "nta-go.jp.example.net", "govt.example", "pref-example.xyz"]
)
def test_a_government_word_inside_another_domain_is_not_a_government_domain(domain: str) -> None:
    assert not government_domain(domain)


@pytest.mark.parametrize(
    ("header", "office"),
    [
        ("【国税庁】還付金受け取りのお手続きについて", "国税庁"),
        ("税務署 差押予告のお知らせ", "税務署"),
        ("Internal Revenue Service - refund notice", "internal revenue service"),
        ("District Court: summons to appear", "district court"),
        ("Intimação do Tribunal de Justiça", "tribunal"),
        ("kokuzei-center", "kokuzei"),
    ],
)
def test_an_office_named_in_the_sender_line_or_subject_is_found(header: str, office: str) -> None:
    assert office_named(header.lower()) == office


@pytest.mark.parametrize(
    "header", ["Your order has shipped", "Court Street Bakery newsletter", "taxi booking"]
)
def test_ordinary_subjects_name_no_office(header: str) -> None:
    assert office_named(header.lower()) == ""


# -- offices speaking from elsewhere: caught -------------------------------------------------


REFUND_JA = mail(
    "国税庁 還付金センター <info@kanpu-center.example-notice.com>",
    "【国税庁】所得税の還付金を受け取るお手続きのお願い",
    "所得税の還付金 12,400円 のお受け取り手続きが完了していません。\n"
    "3月31日までに下記より口座情報をご登録ください。\n"
    "https://kanpu-center.example-notice.com/entry\n",
    auth=NO_AUTH.format(d="example-notice.com"),
)
SEIZURE_JA = (
    "From: zeimusho-tokusoku@notice-mail.example.net\n"
    "Subject: 【重要】住民税滞納による差押予告\n\n"
    "住民税の滞納が続いているため、財産の差押えを予定しています。\n"
    "本日中に下記の窓口へお電話ください。 03-5555-0192\n"
)
COURT_EN = mail(
    "District Court Notices <clerk@summons-office.example.com>",
    "Summons to appear: case 24-CV-0193",
    "You are required to appear as a witness. Failure to appear will result in a warrant.\n"
    "Open the attached summons and confirm your attendance here:\n"
    "https://summons-office.example.com/confirm\n",
    auth=NO_AUTH.format(d="summons-office.example.com"),
)
TAX_EN = (
    "From: Internal Revenue Service <refunds@taxrefund-update.example>\n"
    "Subject: Your refund is pending\n\n"
    "We could not process your tax refund of $812.40. Confirm your bank details within 48 hours "
    "at the link below or the refund will be cancelled.\nhttps://taxrefund-update.example/claim\n"
)


@pytest.mark.parametrize("raw", [REFUND_JA, SEIZURE_JA, COURT_EN, TAX_EN])
def test_an_office_speaking_from_a_domain_no_government_uses_is_likely_phishing(
    lib: Library, raw: bytes | str
) -> None:
    a = judged(lib, raw)
    assert "office_elsewhere" in weights(a), a.reasons
    assert a.verdict == "likely_phishing", a.reasons


def test_the_reason_names_the_office_and_the_domain_it_wrote_from(lib: Library) -> None:
    a = judged(lib, COURT_EN)
    said = next(r.text for r in a.reasons if r.code == "office_elsewhere")
    assert "district court" in said.get("en").lower()
    assert "summons-office.example.com" in said.get("en")
    assert "summons-office.example.com" in said.get("ja")


# -- real offices, companies in their own name, warnings: not caught -------------------------


ETAX_JA = mail(
    "e-Tax <info@e-tax.nta.go.jp>",
    "【e-Tax】メッセージボックスに新しいお知らせがあります（国税庁）",
    "国税庁 e-Taxです。メッセージボックスに新しいお知らせが届いています。\n"
    "e-Taxにログインしてご確認ください。 https://www.e-tax.nta.go.jp/\n",
    auth=aligned("nta.go.jp"),
)
CITY_JA = (
    "From: 横浜市 市税お知らせメール <zei-info@city.yokohama.lg.jp>\n"
    "Subject: 【横浜市役所】固定資産税の納期限のお知らせ\n\n"
    "固定資産税（第1期）の納期限は4月30日です。納付方法は市のホームページをご覧ください。\n"
    "https://www.city.yokohama.lg.jp/kurashi/\n"
)
COMPANY_JA = (
    "From: 楽天カード <info@mail.rakuten-card.co.jp>\n"
    "Subject: 【楽天カード】マイナポイント事務局への申込はお済みですか\n\n"
    "楽天カードでマイナポイントをお申し込みいただくと、ポイントが付与されます。\n"
    "お申し込みはこちら https://www.rakuten-card.co.jp/campaign/mynapoint/\n"
)
COMPANY_EN = (
    "From: Hillside Tax Services <news@hillsidetax.example>\n"
    "Subject: The IRS filing deadline is two weeks away\n\n"
    "The Internal Revenue Service deadline is April 15. Book a session with one of our "
    "preparers here: https://hillsidetax.example/book\n"
)
WARNING_JA = (
    "From: ひょうご安全メール <anzen@mail.bouhan-net.example.jp>\n"
    "Subject: 国税庁をかたる不審なメールにご注意ください（警察署）\n\n"
    "国税庁を装って還付金の手続きを求める偽のメールが出回っています。"
    "メールのリンクは開かないでください。\n"
)


@pytest.mark.parametrize("raw", [ETAX_JA, CITY_JA, COMPANY_JA, COMPANY_EN, WARNING_JA])
def test_real_offices_companies_in_their_own_name_and_warnings_are_not_caught(
    lib: Library, raw: bytes | str
) -> None:
    a = judged(lib, raw)
    assert "office_elsewhere" not in weights(a), a.reasons
    assert a.verdict != "likely_phishing", a.reasons


@pytest.mark.parametrize(
    "raw",
    [
        WARNING_JA,
        "From: Town Safety Mail <alerts@safety-mail.example.org>\n"
        "Subject: Beware of fake Amazon e-mails about locked accounts\n\n"
        "Messages impersonating Amazon ask you to sign in through a link. Do not click them.\n",
    ],
)
def test_a_brand_named_as_the_one_imitated_is_not_who_the_warning_claims_to_be(
    lib: Library, raw: str
) -> None:
    a = judged(lib, raw)
    assert "sender_foreign" not in weights(a), a.reasons
    assert a.provider is None, a.provider
