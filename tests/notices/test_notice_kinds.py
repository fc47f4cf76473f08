"""Which kind a notice is: the lures of issue #14 and the defects found in their recognition, on
notices written for the project (kind_notices.py), and the choice offered when the reader is not
sure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from kind_notices import NOTICES, KindNotice

from bot.cli.flows import load_library
from bot.content.model import Library
from bot.notices import Analysis, analyse
from bot.notices.recognise import CONFIDENT, THRESHOLD, fold

FLOWS = Path(__file__).resolve().parents[2] / "flows"


def read(lib: Library, text: str) -> Analysis:
    a = analyse(lib, text)
    assert isinstance(a, Analysis)
    return a


@pytest.mark.parametrize("notice", NOTICES, ids=lambda n: n.id)
def test_each_lure_and_notice_is_named_as_its_kind(lib: Library, notice: KindNotice) -> None:
    a = read(lib, notice.text)
    assert a.kind == notice.kind, (a.kind, a.confidence, a.candidates)
    assert a.confidence >= THRESHOLD
    assert a.walkthrough == (lib.kinds[notice.kind].walkthrough or "unknown_notice")


def test_every_new_kind_has_written_notices_in_both_languages_by_mail_and_text(
    lib: Library,
) -> None:
    lures = {
        "parcel_delivery",
        "sextortion",
        "advance_fee",
        "fake_invoice",
        "government_impersonation",
        "carrier_billing",
        "utility_bill",
    }
    for kind in lures | {"provider_announcement"}:
        assert kind in lib.kinds
        assert {n.lang for n in NOTICES if n.kind == kind} >= {"ja", "en"}, kind
    for kind in lures:
        assert {n.channel for n in NOTICES if n.kind == kind} == {"mail", "sms"}, kind


@pytest.mark.parametrize(
    "notice",
    [n for n in NOTICES if n.kind != "provider_announcement"],
    ids=lambda n: n.id,
)
def test_no_lure_or_alert_reads_as_a_providers_announcement(
    lib: Library, notice: KindNotice
) -> None:
    a = read(lib, notice.text)
    assert "provider_announcement" not in {c.kind for c in a.candidates[:1]}
    assert a.kind != "provider_announcement"


def test_a_providers_warning_quoting_the_mail_block_lure_is_not_the_mail_block_notice(
    lib: Library,
) -> None:
    warning = next(n for n in NOTICES if n.name == "isp-warning")
    a = read(lib, warning.text)
    assert a.kind == "provider_announcement"
    assert a.walkthrough != "mail_spam_block"
    assert a.restriction is None


def test_a_sending_policy_announced_to_everyone_is_not_a_block_on_your_account(
    lib: Library,
) -> None:
    policy = next(n for n in NOTICES if n.name == "policy-change")
    a = read(lib, policy.text)
    assert a.kind == "provider_announcement"


def test_a_lure_in_disguised_letters_reads_as_the_letters_it_imitates(lib: Library) -> None:
    # Cyrillic о, с, у, а and Latin letters with dots and hooks, as filter-dodging mails write.
    assert fold("reсоrded уоu") == "recorded you"
    assert fold("ḟeel sặd ąḅout") == "feel sad about"
    assert fold("お荷物をお届けにあがりました") == "お荷物をお届けにあがりました"
    plain = read(lib, "I recorded you through your webcam. Pay 900 USD in BTC to my wallet.")
    dressed = read(lib, "I reсоrded уоu thrоugh уоur wеbсаm. Pаy 900 USD in BTC tо my wаllеt.")
    assert plain.kind == dressed.kind == "sextortion"


def test_folding_keeps_every_letter_in_its_place(lib: Library) -> None:
    text = "Dеаr usеr, yоur pаrcеl wаs nоt dеlivеrеd. 再配達はこちら"
    assert len(fold(text.lower())) == len(text.lower())


# -- a choice instead of a wrong kind ---------------------------------------------------------


def test_a_notice_the_reader_is_unsure_of_carries_its_likeliest_kinds(lib: Library) -> None:
    # Locked and a sign-in: both stories fit; the person should be asked which it is.
    a = read(
        lib,
        "あなたのアカウントは一時的に制限されています。"
        "ログイン日時: 2026/03/02 IPアドレス: 203.0.113.7",
    )
    assert a.confidence < CONFIDENT
    kinds = [c.kind for c in a.candidates]
    assert 2 <= len(kinds) <= 3
    assert {"account_locked", "suspicious_login"} <= set(kinds)
    shares = [c.share for c in a.candidates]
    assert shares == sorted(shares, reverse=True)
    assert abs(sum(shares) - 1) < 0.01
    assert a.to_json("en")["candidates"][0]["kind"] == kinds[0]


def test_a_notice_the_reader_is_sure_of_carries_no_choice(lib: Library) -> None:
    a = read(lib, next(n for n in NOTICES if n.name == "dhl-customs").text)
    assert a.confidence >= CONFIDENT
    assert a.candidates == ()


def test_every_kind_that_can_be_offered_has_a_short_situation_in_both_languages(
    lib: Library,
) -> None:
    for kind in lib.kinds.values():
        if kind.common:
            assert kind.situation is None
            continue
        assert kind.situation is not None, kind.id
        for lang in ("ja", "en"):
            label = kind.situation.get(lang)
            assert 0 < len(label) <= 40, (kind.id, lang, label)
        assert kind.situation.get("ja") != kind.title.get("ja"), kind.id


def _flows_with(tmp_path: Path, name: str, edit: tuple[str, str]) -> Path:
    flows = tmp_path / "flows"
    shutil.copytree(FLOWS, flows, ignore=shutil.ignore_patterns("tests"))
    path = flows / "kinds" / name
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1]), encoding="utf-8")
    return flows


def test_a_kind_without_a_situation_is_reported_with_file_and_line(tmp_path: Path) -> None:
    flows = _flows_with(
        tmp_path,
        "sextortion.yaml",
        (
            "  situation:\n    ja: 動画をばらまくと脅された\n"
            "    en: a threat to share a video of me\n",
            "",
        ),
    )
    lib, issues = load_library(flows)
    assert lib is None
    [issue] = issues
    assert issue.file.endswith("kinds/sextortion.yaml")
    assert "missing 'situation'" in issue.what


def test_a_situation_too_long_for_a_button_is_reported(tmp_path: Path) -> None:
    long = "a threat from someone who says they filmed me through my camera"
    flows = _flows_with(
        tmp_path, "sextortion.yaml", ("en: a threat to share a video of me", f"en: {long}")
    )
    lib, issues = load_library(flows)
    assert lib is None
    [issue] = issues
    assert issue.where == "kind 'sextortion'.situation.en"
    assert "at most 40" in issue.what and issue.line > 1


def test_a_common_kind_cannot_be_offered_as_a_situation(tmp_path: Path) -> None:
    flows = _flows_with(
        tmp_path,
        "common_requests.yaml",
        ("  common: true\n", "  common: true\n  situation: {ja: 何か, en: something}\n"),
    )
    lib, issues = load_library(flows)
    assert lib is None
    assert any("cannot have 'situation'" in i.what for i in issues)


def test_two_kinds_offering_the_same_situation_are_reported(tmp_path: Path) -> None:
    flows = _flows_with(
        tmp_path,
        "advance_fee.yaml",
        ("en: a prize, inheritance or crypto offer", "en: a delivery notice"),
    )
    lib, issues = load_library(flows)
    assert lib is None
    [issue] = issues
    said = f"{issue.where} {issue.what}"
    assert "situation.en" in issue.where
    assert "'parcel_delivery'" in said and "'advance_fee'" in said
    assert issue.file.endswith(("parcel_delivery.yaml", "advance_fee.yaml")) and issue.line > 0
