"""The guard's cheap first looks (a digit run long enough for a card, a label word) never change
what it finds: the same secrets as trying the full patterns at every position."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core import guard

PIECES = st.sampled_from(
    [
        "4012 8888 8888 1881",
        "4012-8888-8888-1881",
        "378282246310005",
        "3782 822463 10005",
        " ",
        "-",
        "\n",
        "12",
        "0000",
        "Password: Golf77!Hotel",
        "pw=Tango55#x",
        "PIN 4821",
        "暗証番号は1234",
        "パスワード：Abc123!!",
        "call 03-1234-5678",
        "https://x1.example/p2",
        "a",
        "カード",
    ]
)


def without_first_looks(text: str) -> guard.Redacted:
    """The guard with its first looks switched off: the full patterns over the whole text."""
    run, words = guard._CARD_RUN, guard._LABEL_WORDS
    guard._CARD_RUN = re.compile(r"(?s).+")
    guard._LABEL_WORDS = {kind: ("",) for kind in words}
    try:
        return guard._redact(text)
    finally:
        guard._CARD_RUN, guard._LABEL_WORDS = run, words


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=12).map("".join))
def test_the_first_looks_find_what_the_full_patterns_find(text: str) -> None:
    assert guard._redact(text) == without_first_looks(text)
