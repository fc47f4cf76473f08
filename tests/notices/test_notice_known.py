"""The admin's lists as evidence: a link on a list of phishing addresses, a site listed whole, a
campaign an admin marked. Notices written for these tests; the lists are a small in-memory
`Known` (the bot's own, on SQLite, is tested in tests/storage and tests/test_campaigns.py)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.content.model import Library
from bot.notices import Analysis, analyse
from bot.notices.fingerprint import Fingerprint, fingerprint
from bot.notices.known import Listing, Mark, is_whole_host, url_key

PARCEL = (
    "Your parcel could not be delivered today. Please choose a new delivery time here: "
    "https://parcel-slot.example.net/t/8812"
)
# A lure with the shape of a real campaign: a held parcel, a small fee, a deadline.
CAMPAIGN = (
    "Dear {name}, we tried to bring your package {ref} on {date} but nobody was at home, so it "
    "went back to our depot. It will be kept there for five days only. To choose a new delivery "
    "slot, confirm your address and settle the small handling charge of {amount} on our "
    "delivery page: {url} After five days the package goes back to the shop that sent it. "
    "Thank you for using our service."
)
CAMPAIGN_REWORDED = (
    "Dear {name}, we tried to deliver your package {ref} on {date} but nobody was at home, so "
    "it was taken back to our depot. It will be kept there for five days only. To pick a new "
    "delivery slot, confirm your address and pay the small handling charge of {amount} on our "
    "delivery page: {url} After five days the package is returned to the shop that sent it. "
    "Thank you for using our service."
)
FIRST = {
    "name": "Aiko",
    "ref": "5512-0931",
    "date": "3 May",
    "amount": "$1.99",
    "url": "https://depot-slots.example.com/a",
}
LATER = {
    "name": "Hiro",
    "ref": "7730-4418",
    "date": "9 June",
    "amount": "$2.49",
    "url": "https://new-slot.example.org/q/19",
}
UNRELATED = (
    "Hello Aiko, the meeting notes from Tuesday are attached to the project page. Please add "
    "your comments before Friday so that we can send the final version to the client next week."
)
# Wording a phishing kit copies from a real notice: urgency that a real provider uses too.
STATEMENT = (
    "Notice: your account statement for {month} is ready. Review it here today: {url} or your "
    "access will be limited within 24 hours. This message was sent to the address registered "
    "with your account."
)


class Lists:
    """An in-memory Known: the entries and marks a test gives it, looked up as the bot does."""

    def __init__(self, entries: Sequence[Listing] = (), marks: Sequence[Mark] = ()) -> None:
        self.entries = list(entries)
        self.marks = list(marks)
        self.asked: list[tuple[list[str], list[str]]] = []

    def listed(self, keys: Sequence[str], hosts: Sequence[str]) -> Sequence[Listing]:
        self.asked.append((list(keys), list(hosts)))
        return [e for e in self.entries if e.key in keys or e.host in hosts]

    def marked(self, fingerprint: Fingerprint) -> Sequence[Mark]:
        return self.marks


def entry(url: str, source: str = "jpcert", reported: str = "2025-10-01") -> Listing:
    key = url_key(url)
    return Listing(key, key.split("/", 1)[0].split(":")[0], is_whole_host(key), source, reported)


def read(lib: Library, text: str, lists: Lists | None = None) -> Analysis:
    a = analyse(lib, text, known=lists)
    assert isinstance(a, Analysis)
    return a


def reason(a: Analysis, code: str) -> str:
    return next(r.text.get("en") for r in a.reasons if r.code == code)


def printed(text: str) -> Fingerprint:
    f = fingerprint(text)
    assert f is not None
    return f


# -- the normal form of an address ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("https://Parcel-Slot.EXAMPLE.net/t/8812", "parcel-slot.example.net/t/8812"),
        ("http://parcel-slot.example.net/t/8812/", "parcel-slot.example.net/t/8812"),
        ("hxxps://parcel-slot.example.net/t/8812#top", "parcel-slot.example.net/t/8812"),
        ("parcel-slot.example.net/t/8812", "parcel-slot.example.net/t/8812"),
        ("https://www.bank.example@parcel-slot.example.net/x", "parcel-slot.example.net/x"),
        ("https://parcel-slot.example.net:8443/x", "parcel-slot.example.net:8443/x"),
        ("https://parcel-slot.example.net/%E8%8D%B7", "parcel-slot.example.net/荷"),
        ("https://ПАРСЕЛ.example/", "парсел.example".encode("idna").decode() + "/"),
        ("mailto:help@parcel-slot.example.net", ""),
        ("javascript:alert(1)", ""),
    ],
)
def test_every_way_of_writing_an_address_has_one_normal_form(written: str, key: str) -> None:
    assert url_key(written) == key


def test_an_entry_without_a_path_names_the_whole_site() -> None:
    assert is_whole_host(url_key("https://parcel-slot.example.net/"))
    assert is_whole_host(url_key("http://parcel-slot.example.net"))
    assert not is_whole_host(url_key("https://parcel-slot.example.net/t/1"))
    assert not is_whole_host(url_key("https://parcel-slot.example.net/?id=1"))


# -- links on a list ---------------------------------------------------------------------------


def test_a_link_on_a_list_turns_an_unsure_notice_into_likely_phishing_naming_the_list(
    lib: Library,
) -> None:
    assert read(lib, PARCEL).verdict == "unsure"
    a = read(lib, PARCEL, Lists([entry("http://parcel-slot.example.net/t/8812/")]))
    assert a.verdict == "likely_phishing"
    assert a.reasons[0].code == "listed_url"
    said = reason(a, "listed_url")
    assert "reported as phishing on 2025-10-01" in said and "list: jpcert" in said
    assert "parcel-slot.example.net" in said
    assert "listed_url" in a.links[0].flags
    assert "2025-10-01" in a.reasons[0].text.get("ja") and "jpcert" in a.reasons[0].text.get("ja")


def test_a_site_listed_whole_catches_every_page_and_subdomain_of_it(lib: Library) -> None:
    lists = Lists([entry("https://parcel-slot.example.net/", source="openphish", reported="")])
    for link in ("https://parcel-slot.example.net/t/8812", "https://m.parcel-slot.example.net/p"):
        a = read(lib, PARCEL.replace("https://parcel-slot.example.net/t/8812", link), lists)
        assert a.verdict == "likely_phishing"
        said = reason(a, "listed_host")
        assert "as a whole" in said and "date not given" in said and "openphish" in said


def test_another_page_of_the_same_site_on_a_list_is_weaker_evidence_and_says_so(
    lib: Library,
) -> None:
    a = read(lib, PARCEL, Lists([entry("https://parcel-slot.example.net/login/verify")]))
    said = reason(a, "listed_site")
    assert "Another page" in said and "This page itself is not on it" in said
    weights = {r.code: r.weight for r in a.reasons}
    assert 0 < weights["listed_site"] < 4


def test_a_listed_page_on_a_service_anyone_publishes_on_never_condemns_the_service(
    lib: Library,
) -> None:
    page = "https://storage.googleapis.com/bkt-7781/delivery.html"
    other = "https://storage.googleapis.com/docs-team/handbook.html"
    lists = Lists([entry(page), entry("https://storage.googleapis.com/")])
    listed = read(lib, PARCEL.replace("https://parcel-slot.example.net/t/8812", page), lists)
    assert listed.reasons[0].code == "listed_url"
    clean = read(lib, PARCEL.replace("https://parcel-slot.example.net/t/8812", other), lists)
    assert not any(c.startswith("listed_") for c in clean.reason_codes())
    # The service's own name is never asked about as a site: only the page's address is.
    assert all("storage.googleapis.com" not in hosts for _, hosts in lists.asked)


def test_a_providers_own_site_put_on_a_list_by_mistake_is_not_condemned_as_a_site(
    lib: Library,
) -> None:
    notice = "Amazon: your order has shipped. Track it at https://www.amazon.co.jp/gp/your-orders"
    lists = Lists([entry("https://www.amazon.co.jp/")])
    assert not any(c.startswith("listed_") for c in read(lib, notice, lists).reason_codes())


def test_lists_that_fail_leave_the_reading_as_it_was(lib: Library) -> None:
    class Broken(Lists):
        def listed(self, keys: Sequence[str], hosts: Sequence[str]) -> Sequence[Listing]:
            raise OSError("disk gone")

        def marked(self, fingerprint: Fingerprint) -> Sequence[Mark]:
            raise OSError("disk gone")

    plain = read(lib, PARCEL)
    broken = read(lib, PARCEL, Broken())
    assert (broken.verdict, broken.reason_codes()) == (plain.verdict, plain.reason_codes())


# -- marked campaigns ---------------------------------------------------------------------------


def test_a_reworded_copy_of_a_campaign_marked_phishing_is_recognised(lib: Library) -> None:
    marks = [Mark("phishing", printed(CAMPAIGN.format(**FIRST)), "2026-05-03")]
    a = read(lib, CAMPAIGN_REWORDED.format(**LATER), Lists(marks=marks))
    assert a.verdict == "likely_phishing"
    said = reason(a, "marked_phishing")
    assert "marked as phishing on 2026-05-03" in said
    percent = int(said.split("about ")[1].split("%")[0])
    assert 35 <= percent < 100
    other = read(lib, UNRELATED, Lists(marks=marks))
    assert "marked_phishing" not in other.reason_codes()


def test_a_genuine_mark_takes_back_wording_reasons_only_and_never_vouches(lib: Library) -> None:
    real = STATEMENT.format(month="March", url="https://statement-view.example.com/s/77")
    copy = STATEMENT.format(month="April", url="http://198.51.100.7/s/statement")
    before = read(lib, copy)
    assert "urgency" in before.reason_codes() and "link_ip" in before.reason_codes()
    marks = [Mark("genuine", printed(real), "2026-03-02")]
    after = read(lib, copy, Lists(marks=marks))
    assert "urgency" not in after.reason_codes()
    assert "link_ip" in after.reason_codes()  # where the link goes is still judged
    assert "marked as genuine on 2026-03-02" in reason(after, "marked_genuine")
    assert after.verdict != "likely_genuine"
    assert read(lib, real, Lists(marks=marks)).verdict != "likely_genuine"


def test_wording_marked_both_ways_decides_nothing(lib: Library) -> None:
    text = CAMPAIGN.format(**FIRST)
    marks = [
        Mark("phishing", printed(text), "2026-05-03"),
        Mark("genuine", printed(text), "2026-05-04"),
    ]
    a = read(lib, text, Lists(marks=marks))
    assert "marked_both" in a.reason_codes()
    assert "marked_phishing" not in a.reason_codes()
    assert {r.code: r.weight for r in a.reasons}["marked_both"] == 0.0


def test_the_analysis_carries_the_wording_fingerprint_and_never_the_text_in_it(
    lib: Library,
) -> None:
    a = read(lib, CAMPAIGN.format(**FIRST))
    assert Fingerprint.from_hex(a.fingerprint) == printed(CAMPAIGN.format(**FIRST))
    assert "package" not in a.fingerprint
    assert read(lib, "Hi, call me https://x.example").fingerprint == ""


def test_a_genuine_mark_takes_back_a_lures_shape_too(lib: Library) -> None:
    # A brand, a stop and a way to act, with the link cut out of the copy: judged by its shape
    # alone. An admin who marked the campaign genuine has said that shape is the real notice's.
    real = (
        "【みどり銀行】お客様の口座のお取引を一時的に制限しました。"
        "ご本人確認のため、下記より手続きをお願いします。（URL省略）\n"
        "本メールは送信専用です。"
    )
    copy = real.replace("お取引", "お振込みとお引き出し")
    before = read(lib, copy)
    shape = {"lure", "lure_unnamed"} & set(before.reason_codes())
    assert shape, before.reason_codes()
    after = read(lib, copy, Lists(marks=[Mark("genuine", printed(real), "2026-03-02")]))
    assert not shape & set(after.reason_codes()), after.reason_codes()
    assert "marked_genuine" in after.reason_codes()
