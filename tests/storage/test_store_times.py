"""The stored time text sorts like the times themselves, which the due and purge queries rely on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.storage.times import canonical, iso, parse

offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda m: timezone(timedelta(minutes=m))
)
aware = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(9998, 12, 30), timezones=offsets
)


@given(aware, aware)
def test_text_order_is_time_order(a: datetime, b: datetime) -> None:
    assert (iso(a) < iso(b)) == (a < b)
    assert (iso(a) == iso(b)) == (a == b)


@given(aware)
def test_a_time_reads_back_as_the_same_instant_in_utc(a: datetime) -> None:
    back = parse(iso(a))
    assert back == a and back.tzinfo == UTC
    assert canonical(iso(a)) == iso(a)


def test_a_utc_time_to_the_second_is_stored_as_written() -> None:
    assert canonical("2026-11-28T10:00:00+00:00") == "2026-11-28T10:00:00+00:00"
    assert canonical("2026-11-28T19:00:00+09:00") == "2026-11-28T10:00:00+00:00"


def test_times_without_an_offset_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        iso(datetime(2026, 11, 28, 10, 0))
    with pytest.raises(ValueError, match="no UTC offset"):
        parse("2026-11-28T10:00:00")
