"""The small things people notice (issue 16): the step counter, /export, /explain, verdict
feedback, the console."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.flows import load_library
from bot.content.model import Library
from bot.core import engine
from bot.core.buttons import StepButton
from bot.core.messages import Pressed

FLOWS = Path(__file__).resolve().parent.parent / "flows"
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def lib() -> Library:
    library, issues = load_library(FLOWS)
    assert library is not None, [str(i) for i in issues]
    return library


def _counter(out: engine.Outcome) -> tuple[int, int] | None:
    says = [a for a in out.actions if isinstance(a, engine.Say) and a.step]
    return says[-1].position if says else None


def _press(button: str) -> Pressed:
    return Pressed(StepButton(1, 0, button))


@pytest.mark.parametrize(
    ("walkthrough", "way"),
    [
        ("mail_spam_block", ["_next", "server", "_next", "laptop", "clean", "today", "_next"]),
        ("card_fraud_alert", ["_next", "nothing", "_next"]),
    ],
)
def test_the_step_counter_counts_the_persons_own_path_and_never_jumps_going_back(
    lib: Library, walkthrough: str, way: list[str]
) -> None:
    w = lib.walkthroughs[walkthrough]
    out = engine.advance(lib, w, engine.begin(w), engine.Started(), NOW, "en")
    counters = [_counter(out)]
    for move in way:
        event = (
            engine.Typed(move)
            if re.fullmatch(r"[a-z]+", move) and move not in ("server", "clean", "nothing")
            else _press(move)
        )
        out = engine.advance(lib, w, out.progress, event, NOW, "en")
        counters.append(_counter(out))
    numbered = [c for c in counters if c is not None]
    total = numbered[0][1]
    assert [n for n, _ in numbered] == list(range(1, len(numbered) + 1))
    assert all(t == total for _, t in numbered), numbered
    # Back, step by step, to the start: each step counts one less, and the total stays.
    back = []
    for _ in range(len(numbered) - 1):
        out = engine.advance(lib, w, out.progress, engine.WentBack(), NOW, "en")
        back.append(_counter(out))
    backs = [c for c in back if c is not None]
    assert [n for n, _ in backs] == list(range(len(numbered) - 1, 0, -1))[: len(backs)], backs
    assert all(t == total for _, t in backs), backs
