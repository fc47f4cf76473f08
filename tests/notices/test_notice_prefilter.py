"""The first look before a costly pattern only ever skips work: wherever a pattern matches, the
first look lets it run. Checked on every pattern the reader has, with texts generated to match
each one, and on patterns written here."""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bot.notices
from bot.cli.flows import load_library
from bot.notices import prefilter
from bot.notices.index import index_for

FLOWS = Path(__file__).resolve().parents[2] / "flows"


def reader_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Every text pattern a module of the reader defines, alone or in a (name, pattern) table."""
    out: list[tuple[str, re.Pattern[str]]] = []
    for info in pkgutil.iter_modules(bot.notices.__path__):
        module = importlib.import_module(f"bot.notices.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                out.append((f"{info.name}.{name}", value))
            elif (
                isinstance(value, tuple)
                and value
                and all(
                    isinstance(x, tuple) and len(x) == 2 and isinstance(x[1], re.Pattern)
                    for x in value
                )
            ):
                out += [(f"{info.name}.{name}[{key}]", p) for key, p in value]
    return out


PATTERNS = [(name, p) for name, p in reader_patterns() if prefilter.needed(p) is not None]


def test_most_of_the_readers_wording_patterns_get_a_first_look() -> None:
    assert len(PATTERNS) >= 30


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[n for n, _ in PATTERNS])
def test_a_text_the_pattern_matches_always_passes_the_first_look(
    name: str, pattern: re.Pattern[str]
) -> None:
    @settings(
        max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(st.from_regex(pattern))
    def check(text: str) -> None:
        if pattern.search(text):
            assert prefilter.may_match(pattern, text)
            assert prefilter.search(pattern, text) is not None

    check()


def phrase_patterns() -> list[re.Pattern[str]]:
    """Every fourteenth phrase pattern of the shipped flows (all of them take a minute)."""
    library, issues = load_library(FLOWS)
    assert library is not None, issues
    patterns = index_for(library).phrases.patterns
    return [p for p in patterns[::14] if prefilter.needed(p) is not None]


PHRASES = phrase_patterns()


def test_most_phrases_of_the_flows_get_a_first_look() -> None:
    assert len(PHRASES) >= 80


@pytest.mark.parametrize("pattern", PHRASES, ids=[str(i) for i in range(len(PHRASES))])
def test_a_text_a_phrase_matches_always_passes_the_first_look(pattern: re.Pattern[str]) -> None:
    @settings(max_examples=8, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(pattern))
    def check(text: str) -> None:
        if pattern.search(text):
            assert prefilter.may_match(pattern, text), (pattern.pattern, text)

    check()


LURE = re.compile(r"you(?:'ve| have)? (?:been )?(?:won|selected)\b|\bjackpot\b|賞金")


def test_a_text_without_the_words_skips_the_pattern() -> None:
    assert not prefilter.may_match(LURE, "your parcel is on its way")
    assert prefilter.search(LURE, "your parcel is on its way") is None
    assert list(prefilter.finditer(LURE, "no such words here")) == []


def test_every_needed_part_of_an_alternative_must_be_there() -> None:
    # "you" alone is not enough: the alternative also needs "won" or "selected".
    assert not prefilter.may_match(LURE, "thank you for your order")
    assert prefilter.may_match(LURE, "you have won a prize")
    assert prefilter.search(LURE, "you have won a prize") is not None
    assert prefilter.may_match(LURE, "賞金をお受け取りください")


@given(st.text(alphabet=st.sampled_from("you havewonselctd jackpot賞金'\n"), max_size=40))
def test_the_first_look_agrees_with_the_pattern_on_near_misses(text: str) -> None:
    if LURE.search(text):
        assert prefilter.may_match(LURE, text)


def test_patterns_whose_words_cannot_be_told_always_run() -> None:
    for p in (
        re.compile(r"winner", re.IGNORECASE),  # any casing may match
        re.compile(r"[a-z]{30,}"),  # no plain word in it
        re.compile(r"(?=\d)\w+"),
        re.compile(r"(?i:prize)|jackpot"),
    ):
        assert prefilter.needed(p) is None
        assert prefilter.may_match(p, "")


def test_building_an_index_works_out_every_first_look_before_any_notice() -> None:
    library, _ = load_library(FLOWS)
    assert library is not None
    prefilter.needed.cache_clear()
    index_for(replace(library, version=library.version + "+fresh"))
    before = prefilter.needed.cache_info()
    for _, pattern in reader_patterns():
        prefilter.needed(pattern)
    # Every pattern of the reader was worked out already: asking again finds each one kept.
    assert prefilter.needed.cache_info().misses == before.misses
