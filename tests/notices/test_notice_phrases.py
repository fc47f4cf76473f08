"""The phrase index gives exactly what running every pattern would give, only faster."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.model import Library
from bot.notices.phrases import PhraseIndex, anchors


def test_anchors_are_literals_every_match_contains() -> None:
    assert anchors("パスワード(を|の)?(変更|再設定)") == ["パスワード"]
    assert anchors("(verify|confirm) your account") == ["your account"]
    assert anchors("sign[- ]?in (attempt|details)") == ["attempt", "details"]
    assert anchors("(unusual|suspicious) (sign|log) ?in") == ["suspicious", "unusual"]
    assert anchors("(unusual|new) (sign|log) ?in") is None  # "new" is too common to look for
    assert anchors("a?b?c") is None  # nothing is required: run it every time
    assert anchors("\\d+ ?(mb|gb)") is None
    assert anchors("容量(が|を)?(不足|超過)") == ["容量"]
    # The parser factors out the shared "A"; what is left is still in every match.
    assert anchors("(Amazon|AMAZON)") == ["mazon"]


PATTERNS = [
    "パスワード(を|の)?(変更|再設定)",
    "送信(を|の)?(一時的に)?(制限|停止)",
    "(unusual|suspicious) (sign[- ]?in|activity)",
    "\\bverify your (account|identity)",
    "within (\\d+|one) hours?",
    "\\d+(\\.\\d+)? ?(mb|gb)",
    "メール",
    "ル送信",
    "[a-z]+@[a-z]+",
    "(?<![a-z])au(?![a-z])",
]
WORDS = [
    "パスワード",
    "を",
    "変更",
    "送信",
    "メール",
    "一時的に",
    "制限",
    "unusual",
    "sign-in",
    "suspicious",
    "activity",
    "verify your",
    "account",
    "within 24 hours",
    "3.5 GB",
    "au",
    "x@y",
    " ",
    "\n",
    "。",
    "A",
    "Ver",
    "ify",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40), st.text(max_size=20))
def test_index_agrees_with_searching_every_pattern(words: list[str], noise: str) -> None:
    text = ("".join(words) + noise).lower()
    index = PhraseIndex(PATTERNS)
    naive = {i for i, p in enumerate(PATTERNS) if re.search(p, text, re.IGNORECASE)}
    assert set(index.search(text)) == naive


def test_index_agrees_on_the_shipped_patterns(lib: Library) -> None:
    patterns = [
        s.pattern for k in lib.kinds.values() for s in (*k.signals, *k.required, *k.excluded)
    ]
    patterns += [a.pattern for k in lib.kinds.values() for a in k.asks]
    patterns += [f.pattern for k in lib.kinds.values() for f in k.red_flags]
    index = PhraseIndex(patterns)
    text = (
        "お客様のメールアカウントから大量のメールが送信されたため、送信を一時的に制限しました。"
        "24時間以内にこちらからログインしてください。Your account has been suspended; verify your "
        "account within 24 hours at the link below. Unusual sign-in activity. "
        "550 5.1.1 user unknown"
    ).lower()
    naive = {i for i, p in enumerate(patterns) if re.search(p, text, re.IGNORECASE)}
    assert set(index.search(text)) == naive
    assert len(naive) > 10


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_index_agrees_on_prose_built_from_the_shipped_literals(
    lib: Library, data: st.DataObject
) -> None:
    from bot.notices.index import index_for

    index = index_for(lib).phrases
    literals = sorted(index.by_literal)
    words = data.draw(st.lists(st.sampled_from(literals), min_size=1, max_size=25))
    seps = data.draw(
        st.lists(
            st.sampled_from([" ", "\n", "。", "、", ". ", ": ", "が", "を"]),
            min_size=len(words),
            max_size=len(words),
        )
    )
    text = "".join(w + s for w, s in zip(words, seps, strict=True)).lower()
    naive = {i for i, p in enumerate(index.patterns) if p.search(text)}
    assert set(index.search(text)) == naive
