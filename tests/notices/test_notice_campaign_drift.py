"""How far a marked campaign's wording may drift and still be recognised, measured on two
campaigns written for this test (one English, one Japanese) and three kinds of drift a
campaign's later copies show: words swapped, sentences in another order, new sentences added.

Each figure is the largest drift at which at least 45 of 50 drifted copies still match the
marked one (fingerprint similarity >= SAME_CAMPAIGN); the run prints them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import pytest

from bot.notices.fingerprint import SAME_CAMPAIGN, Fingerprint, fingerprint, similarity

ACCOUNT_EN = (
    "We noticed a sign-in to your account from a device we do not recognise. For your "
    "protection we have paused outgoing payments until you confirm that it was you. Please "
    "review the recent activity and confirm your details on the secure page below. If we do "
    "not hear from you within two days, your account will stay limited and the pending "
    "transfers will be cancelled. We are sorry for the trouble and thank you for helping us "
    "keep your account safe."
)
TAX_JA = (
    "所得税の還付金についてのお知らせです。お客様には未受け取りの還付金があることが確認されました。"
    "受け取りの手続きは、下記のページから口座情報を登録するだけで完了します。"
    "手続きの期限は本日から三日以内となっております。期限を過ぎますと還付金を受け取る権利が"
    "なくなりますので、お早めにお手続きください。ご不明な点はページ内のよくある質問をご覧ください。"
)
# Words and phrases new sentences are made of, each sentence a new random mix of them (so the
# added wording is really new, not the same few sentences again).
_WORDS_EN = (
    "our team works around the clock to keep customers safe while security stays the top "
    "priority so remember to use a strong password and read the help pages for more tips "
    "because this notice was generated automatically please keep it for your records "
    "branches open weekdays from nine until five except national holidays when mobile banking "
    "remains available savings interest rates changed last quarter following regulatory "
    "guidance mortgage applicants receive a decision within ten working days eligible "
    "students may request fee waivers community grants support local libraries gardens "
    "museums concerts marathons volunteers nominate charities annually sustainability report "
    "describes emissions targets renewable electricity recycled packaging paperless statements "
    "partners include airlines hotels supermarkets cinemas pharmacies bookstores florists"
)
_WORDS_JA = (
    "当社は お客様の 安全を 第一に 考えて おります パスワードは 定期的に 変更して ください "
    "この メールは 自動で 送信されて います 内容は 大切に 保管して 詳しくは ヘルプページを ご覧 "
    "営業時間 平日 窓口 担当者 ご利用 ありがとう 毎月 請求 明細 会員 特典 ポイント 店舗 "
    "駐車場 季節 限定 商品 桜 紅葉 温泉 旅館 新幹線 空港 映画館 図書館 美術館 公園 花火 "
    "祭り 地域 清掃 活動 寄付 環境 報告書 再生 可能 電力 包装 削減 提携先 航空会社 薬局 書店"
)
FILLER_EN, FILLER_JA = _WORDS_EN.split(), _WORDS_JA.split()
SWAPS_EN = ["urgent", "profile", "billing", "verify", "notice", "service", "member", "today"]
SWAPS_JA = ["確認", "手続", "会員", "至急", "案内", "更新", "登録", "連絡"]
SENTENCE = re.compile(r"(?<=[.。])\s*")


def printed(text: str) -> Fingerprint:
    f = fingerprint(text)
    assert f is not None
    return f


def swap_words(text: str, share: float, rng: random.Random, ja: bool) -> str:
    """`share` of the words (in Japanese, of the runs of three characters) replaced."""
    parts = [text[i : i + 3] for i in range(0, len(text), 3)] if ja else text.split(" ")
    for i in rng.sample(range(len(parts)), round(share * len(parts))):
        parts[i] = rng.choice(SWAPS_JA if ja else SWAPS_EN)
    return ("" if ja else " ").join(parts)


def reorder(text: str, share: float, rng: random.Random, ja: bool) -> str:
    """`share` of the sentences moved to other places."""
    sentences = [s for s in SENTENCE.split(text) if s]
    moved = rng.sample(range(len(sentences)), round(share * len(sentences)))
    kept = [s for i, s in enumerate(sentences) if i not in moved]
    for i in moved:
        kept.insert(rng.randrange(len(kept) + 1), sentences[i])
    return ("" if ja else " ").join(kept)


def add_sentences(text: str, share: float, rng: random.Random, ja: bool) -> str:
    """New sentences worth `share` of the text's length, put in at random places."""
    filler = FILLER_JA if ja else FILLER_EN
    sentences = [s for s in SENTENCE.split(text) if s]
    added = 0
    while added < share * len(text):
        words = rng.sample(filler, 8)
        sentence = ("" if ja else " ").join(words) + ("。" if ja else ".")
        sentences.insert(rng.randrange(len(sentences) + 1), sentence)
        added += len(sentence)
    return ("" if ja else " ").join(sentences)


Drift = Callable[[str, float, random.Random, bool], str]
SHARES = (0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.40, 0.50, 0.75, 1.0)
MORE = (*SHARES, 1.25, 1.5, 2.0, 3.0)  # added wording can be longer than the text


def tolerated(text: str, drift: Drift, ja: bool) -> float:
    rng = random.Random(29)
    base = printed(text)
    found = 0.0
    for share in MORE if drift is add_sentences else SHARES:
        hits = sum(
            similarity(base, printed(drift(text, share, rng, ja))) >= SAME_CAMPAIGN
            for _ in range(50)
        )
        if hits < 45:
            break
        found = share
    return found


@pytest.mark.parametrize(
    ("name", "text", "ja", "drift", "low", "high"),
    [
        ("en, words swapped", ACCOUNT_EN, False, swap_words, 0.10, 0.40),
        ("ja, words swapped", TAX_JA, True, swap_words, 0.05, 0.40),
        ("en, sentences reordered", ACCOUNT_EN, False, reorder, 0.75, 1.0),
        ("ja, sentences reordered", TAX_JA, True, reorder, 0.75, 1.0),
        ("en, sentences added", ACCOUNT_EN, False, add_sentences, 0.30, 2.0),
        ("ja, sentences added", TAX_JA, True, add_sentences, 0.30, 2.0),
    ],
)
def test_how_far_a_campaigns_wording_may_drift_and_still_be_recognised(
    name: str, text: str, ja: bool, drift: Drift, low: float, high: float
) -> None:
    share = tolerated(text, drift, ja)
    print(f"\n{name}: still recognised with {share:.0%} drift")
    assert low <= share <= high


def test_two_different_lures_of_the_same_kind_are_not_one_campaign() -> None:
    other = (
        "Your account has been limited because we could not verify a recent payment. To restore "
        "full access, log in and upload a photo of your ID card. Accounts that are not verified "
        "within 72 hours will be closed and the balance held for 180 days."
    )
    assert similarity(printed(ACCOUNT_EN), printed(other)) < SAME_CAMPAIGN / 2
