"""Filler made to slip past filters: a block of bare machine identifiers, one a line, with nothing
said about them, so that each copy of a bulk mail looks different. A weak mark of the "evasion"
kind: with a mark of another kind on mail nobody vouches for, the verdict is phishing. An honest
notice labels the identifiers it needs. Notices written for the project; made-up identifiers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from written_notices import aligned, judged, mail

from bot.content.model import Library
from bot.notices.unvouched import FILLER_LINES, filler_ids

NO_AUTH = "spf=none smtp.mailfrom={d}; dkim=none; dmarc=none"
IDS = [
    "3f2a9c10-4b7e-11ee-9d21-0a58c3e4b7f2",
    "7d0e55b1_92ac_4f03_b6e8_ 1c7f0a9d3e24",
    "a81c4e07+5d3f+4a92+8e61+c0b2f7d19a35",
    "0b9f6d72c4|e1a8|4c3d|9f02| 57e1a0c8d3b6",
    "c5e2b9a4-0f71-4d8e-a3b6-92d4f1e07c58",
    "64d1f0e3_b7a2_49c5_8e0d_ 3a9c7b2e15f4",
]


def test_a_block_of_bare_identifiers_is_counted() -> None:
    assert filler_ids("\n".join(["Hello", *IDS, "bye"])) == len(IDS)


def test_a_few_identifiers_or_labelled_ones_are_not_filler() -> None:
    assert filler_ids("\n".join(IDS[: FILLER_LINES - 1])) == 0
    assert filler_ids("\n".join(f"Resource ID: {i}" for i in IDS)) == 0


def filler_en(lines: list[str]) -> bytes:
    return mail(
        "Mia <mia.w.2291@gmail.com>",
        "Expiring soon",
        "Your reward is waiting: https://bit.ly/4xYz9Qa\n\n" + "\n".join(lines) + "\n",
        auth="spf=pass smtp.mailfrom=gmail.com; dkim=pass header.d=gmail.com; dmarc=pass",
    )


def filler_ja(lines: list[str]) -> bytes:
    return mail(
        "さくら <sakura.m.0417@yahoo.co.jp>",
        "ポイントの有効期限が近づいています",
        "保有ポイントはこちら\nhttps://tinyurl.com/3pt8kq2z\n\n" + "\n".join(lines) + "\n",
        auth="spf=pass smtp.mailfrom=yahoo.co.jp; dkim=pass header.d=yahoo.co.jp; dmarc=pass",
    )


FILLER_EN = filler_en(IDS * 2)


@pytest.mark.parametrize("write", [filler_en, filler_ja])
def test_filler_identifiers_with_another_mark_are_likely_phishing(
    lib: Library, write: Callable[[list[str]], bytes]
) -> None:
    a = judged(lib, write(IDS))
    assert "filler_ids" in {r.code for r in a.reasons}, a.reasons
    assert a.verdict == "likely_phishing", a.reasons
    # The filler is what decides it: the same mail without it is not judged phishing.
    plain = judged(lib, write([]))
    assert plain.verdict != "likely_phishing", plain.reasons


def test_the_reason_says_how_many_lines_of_filler(lib: Library) -> None:
    a = judged(lib, FILLER_EN)
    said = next(r.text for r in a.reasons if r.code == "filler_ids")
    assert str(len(IDS) * 2) in said.get("en") and str(len(IDS) * 2) in said.get("ja")


CLOUD_ALERT_EN = mail(
    "Cloud Alerts <alerts@cloud-host.example>",
    "3 virtual machines stopped in project shop-prod",
    "These virtual machines stopped at 03:12 UTC:\n"
    + "\n".join(f"VM ID: {i}" for i in IDS[:3])
    + "\nSee the console for details: https://console.cloud-host.example/vms\n",
    auth=aligned("cloud-host.example"),
)
ORDER_JA = mail(
    "ネットショップ森 <order@shop-mori.example.jp>",
    "【ネットショップ森】ご注文の確認",
    f"ご注文ありがとうございます。\n注文ID：\n{IDS[0]}\nお届け予定：3月14日\n",
    auth=NO_AUTH.format(d="shop-mori.example.jp"),
)


@pytest.mark.parametrize("raw", [CLOUD_ALERT_EN, ORDER_JA])
def test_labelled_identifiers_in_honest_notices_are_not_filler(lib: Library, raw: bytes) -> None:
    a = judged(lib, raw)
    assert "filler_ids" not in {r.code for r in a.reasons}, a.reasons
    assert a.verdict != "likely_phishing", a.reasons
