"""The notices written for the second judgement pass (written_notices.py), checked as a set:
no genuine one judged phishing, the kinds named where that is the point, and the lures caught."""

from __future__ import annotations

import pytest
from written_notices import GENUINE, NOT_PHISHING, NOTICES, PHISHING, Written

from bot.content.model import Library
from bot.notices import Analysis, analyse


def judged(lib: Library, n: Written) -> Analysis:
    a = analyse(lib, n.raw)
    assert isinstance(a, Analysis), a
    return a


def ids(n: Written) -> str:
    return n.id


def test_the_set_is_large_and_covers_both_languages_and_all_three_outcomes() -> None:
    assert len(NOTICES) >= 30
    assert {n.lang for n in NOTICES} == {"ja", "en"}
    assert {n.expect for n in NOTICES} == {PHISHING, NOT_PHISHING, GENUINE}


@pytest.mark.parametrize("n", [n for n in NOTICES if n.expect != PHISHING], ids=ids)
def test_a_genuine_notice_is_never_judged_phishing(lib: Library, n: Written) -> None:
    a = judged(lib, n)
    assert a.verdict != "likely_phishing", [(r.code, r.weight) for r in a.reasons]
    if n.expect == GENUINE:
        assert a.verdict == "likely_genuine", [(r.code, r.weight) for r in a.reasons]


@pytest.mark.parametrize("n", [n for n in NOTICES if n.kind], ids=ids)
def test_the_kind_is_named_where_it_is_the_point(lib: Library, n: Written) -> None:
    assert judged(lib, n).kind == n.kind


@pytest.mark.parametrize("n", [n for n in NOTICES if n.expect == PHISHING], ids=ids)
def test_a_lure_is_never_judged_genuine(lib: Library, n: Written) -> None:
    assert judged(lib, n).verdict != "likely_genuine"


def test_the_lures_are_caught(lib: Library) -> None:
    lures = [n for n in NOTICES if n.expect == PHISHING]
    missed = [n.id for n in lures if judged(lib, n).verdict != "likely_phishing"]
    # A lure that gives a real-looking number to call, masked in the copy, may stay unsure:
    # nothing shows the number is not the brand's.
    assert len(missed) <= 0.05 * len(lures), missed
