"""Button data: each kind reads back as itself, old data keeps its meaning, anything else is
Unknown, and nothing over Telegram's 64 bytes is ever put on a button."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.buttons import (
    MAX_BYTES,
    Answer,
    ButtonData,
    DraftButton,
    Language,
    StepButton,
    SwitchTo,
    Unknown,
    fits,
    name_of,
    parse,
)
from bot.core.dialogue.steps import step_button
from bot.core.engine import Progress
from bot.core.messages import Button
from bot.core.state import Incident

ids = st.from_regex(r"[a-z_][a-z0-9_:]{0,15}", fullmatch=True)
numbers = st.integers(min_value=0, max_value=10**6)
kinds = st.one_of(
    st.builds(StepButton, numbers, numbers, ids, st.none() | ids),
    st.builds(Answer, st.sampled_from(["forget", "cancel", "switch"]), ids),
    st.builds(DraftButton, numbers, ids, st.none() | ids),
    st.builds(SwitchTo, numbers),
    st.builds(Language, st.sampled_from(["ja", "en"])),
)


@given(kinds)
def test_every_kind_of_button_reads_back_as_itself(data: ButtonData) -> None:
    assert parse(data.encode()) == data


@given(st.text(max_size=80) | st.from_regex(r"[sqdil][.0-9a-z_:]{0,12}", fullmatch=True))
def test_any_text_parses_without_raising_to_a_button_that_reads_back_as_itself(raw: str) -> None:
    parsed = parse(raw)
    assert parse(parsed.encode()) == parsed


@pytest.mark.parametrize(
    ("raw", "data"),
    [
        ("s3.12._next", StepButton(3, 12, "_next")),
        ("s1.0.c:2", StepButton(1, 0, "c:2")),
        ("s3.12.scan_result._next", StepButton(3, 12, "_next", "scan_result")),
        ("q.forget.yes", Answer("forget", "yes")),
        ("q.switch.new", Answer("switch", "new")),
        ("d.2.isp_reply.fix", DraftButton(2, "isp_reply")),
        ("d.2.isp_reply.f.your_name", DraftButton(2, "isp_reply", "your_name")),
        ("i.4", SwitchTo(4)),
        ("l.en", Language("en")),
    ],
)
def test_data_on_buttons_already_in_chats_keeps_its_meaning(raw: str, data: ButtonData) -> None:
    assert parse(raw) == data and data.encode() == raw


@pytest.mark.parametrize("raw", ["", "x.1", "s.1.2", "sa.b.c", "i.four", "d.x.y.fix", "d.1.y.no"])
def test_data_no_kind_claims_is_unknown(raw: str) -> None:
    assert parse(raw) == Unknown(raw)


def test_a_flow_test_presses_a_button_by_the_last_part_of_its_data() -> None:
    assert name_of(StepButton(1, 2, "changed")) == "changed"
    assert name_of(Answer("forget", "yes")) == "yes"


def test_a_button_whose_data_is_over_64_bytes_is_refused() -> None:
    long = DraftButton(1, "d" * 40, "f" * 20)
    assert len(long.encode().encode()) > MAX_BYTES and not fits(long)
    with pytest.raises(ValueError, match="over 64 bytes"):
        Button("label", long)
    assert fits(DraftButton(1, "d", "f"))


def test_a_step_button_names_its_step_only_when_that_fits() -> None:
    incident = Incident(7, None, None, Progress("w", "v", "start"), "t", "t", rev=3)
    assert step_button(incident, "scan", "_next") == StepButton(7, 3, "_next", "scan")
    long = step_button(incident, "s" * 60, "_next")
    assert long == StepButton(7, 3, "_next") and fits(long)
