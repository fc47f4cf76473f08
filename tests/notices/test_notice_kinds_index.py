"""The phrase index over all kinds: rebuilt on every reload, from mostly the same patterns."""

from __future__ import annotations

from pathlib import Path

from bot.cli.flows import load_library
from bot.content.model import Library
from bot.notices.index import LibraryIndex
from bot.notices.phrases import PhraseIndex, _prepare

FLOWS = Path(__file__).resolve().parents[2] / "flows"


def test_a_reload_of_the_same_flows_prepares_no_pattern_twice(lib: Library) -> None:
    LibraryIndex(lib)
    again, _ = load_library(FLOWS)
    assert again is not None and again is not lib
    before = _prepare.cache_info()
    LibraryIndex(again)
    after = _prepare.cache_info()
    assert after.misses == before.misses
    assert after.hits > before.hits


def test_prepared_patterns_shared_between_indexes_cannot_be_changed() -> None:
    one = PhraseIndex(["大量(の)?(メール|送信)", "(?<![a-z0-9-])au(?![a-z0-9-])"])
    two = PhraseIndex(["大量(の)?(メール|送信)"])
    assert one.groups[0] is two.groups[0]
    assert isinstance(one.groups[0], tuple) and all(isinstance(g, tuple) for g in one.groups[0])
    assert one.search("大量のメールを送信しました") and two.search("大量の送信")
