"""Property test: whatever a person does, the engine never raises and never loses its place.

For every shipped walkthrough, random sequences of presses (real and made-up button ids), typed
text (good answers and unicode junk), back, skip, reshow, cancel, restarts and notices must
leave the progress on a defined step, and a re-prompt must leave it exactly as it was.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.cli.flows import load_library
from bot.content.graph import check_graph
from bot.content.issues import Issue
from bot.content.model import Library, Step, Walkthrough
from bot.core import engine
from bot.core.buttons import StepButton
from bot.core.messages import Pressed

FLOWS = Path(__file__).resolve().parent.parent / "flows"
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
STATUSES = {"active", "finished", "cancelled"}


def pressed(button: str) -> Pressed:
    """A press of this step's button; the incident and rev on it are the dialogue's business."""
    return Pressed(StepButton(1, 0, button))


@functools.cache
def shipped() -> Library:
    lib, issues = load_library(FLOWS)
    assert lib is not None, "\n".join(str(i) for i in issues)
    return lib


def walkthrough_ids() -> list[str]:
    lib, _ = load_library(FLOWS)
    return sorted(lib.walkthroughs) if lib is not None else ["(flows do not load)"]


def good_answers(w: Walkthrough) -> list[str]:
    """Text that some step of `w` accepts, so random runs get deep into the walkthrough."""
    answers = ["today", "今日", "11/28", "2026-01-03", "yes", "いいえ", "1", "2", "ok", "next"]
    answers += ["taro@example.jp", "my laptop", "次へ"]
    for spec in w.facts.values():
        for choice in spec.choices:
            answers += [choice.value, *choice.label.by_lang.values()]
    for step in w.steps.values():
        for button in step.buttons:
            answers += list(button.label.by_lang.values())
    return answers


def events(w: Walkthrough) -> st.SearchStrategy[engine.Event]:
    button_ids = sorted({b.id for s in w.steps.values() for b in s.buttons})
    specials = [engine.CONTINUE, engine.SKIP, engine.BACK, "c:1", "c:2", "c:9", "c:yes", "c:no"]
    kinds = [*sorted({k for s in w.steps.values() for k in s.waits_for}), "unknown_kind"]
    facts = st.dictionaries(
        st.sampled_from(["account", "reference", *w.facts]), st.text(max_size=20), max_size=3
    )
    # Any unicode but lone surrogates, which Telegram never delivers.
    junk = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
    return st.one_of(
        st.builds(pressed, st.sampled_from(button_ids + specials)),
        st.builds(pressed, st.sampled_from(button_ids + specials)),
        st.builds(pressed, st.text(max_size=20)),
        st.builds(engine.Typed, st.sampled_from(good_answers(w))),
        st.builds(engine.Typed, st.sampled_from(good_answers(w))),
        st.builds(engine.Typed, junk),
        st.just(engine.WentBack()),
        st.just(engine.Skipped()),
        st.just(engine.Reshown()),
        st.builds(engine.NoticeArrived, st.sampled_from(kinds), facts),
        # Rarer: closing and restarting, so most of a run is spent inside the walkthrough.
        st.sampled_from([engine.Cancelled(), engine.Started({})]),
    )


def check(
    w: Walkthrough, before: engine.Progress, out: engine.Outcome, history: Collection[str] = ()
) -> None:
    """Invariants of every outcome. A closed incident may keep a step id from `history`."""
    p = out.progress
    assert p.walkthrough == w.id
    if p.status == "active" or p.step not in history:
        assert p.step in w.steps, f"left on undefined step {p.step!r}"
    assert p.status in STATUSES
    if p.status == "active":
        here = w.steps[p.step]
        assert not here.is_route, f"standing on route step {p.step!r}"
        assert not here.end, f"active on end step {p.step!r}"
    assert {s for s, _ in p.done} <= set(w.steps)
    assert set(p.trail) <= set(w.steps)
    assert len(p.trail) <= engine.MAX_TRAIL
    assert all(isinstance(v, str) for v in p.facts.values())
    if not out.changed and before.version == w.version:
        assert p == before, "a re-prompt changed the progress"
    elif not out.changed:
        # The walkthrough changed but nobody had to move: the new version is stored later.
        assert (p.facts, p.status) == (before.facts, before.status)
        assert p.step == before.step or p.status != "active"
    for action in out.actions:
        if isinstance(action, engine.Say):
            assert isinstance(action.text, str)
            for button in action.buttons:
                assert len(button.id.encode()) <= 16 or button.id.startswith("c:")


@pytest.mark.parametrize("walkthrough", walkthrough_ids())
def test_random_events_never_raise_and_always_leave_a_defined_step(walkthrough: str) -> None:
    lib = shipped()
    w = lib.walkthroughs[walkthrough]

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(
        st.lists(events(w), max_size=40),
        st.sampled_from(["ja", "en", "fr"]),
    )
    def run(sequence: list[engine.Event], lang: str) -> None:
        now = START
        p = engine.begin(w)
        out = engine.advance(lib, w, p, engine.Started({"account": "taro@example.jp"}), now, lang)
        check(w, p, out)
        p = out.progress
        for event in sequence:
            now += timedelta(minutes=7)
            out = engine.advance(lib, w, p, event, now, lang)
            check(w, p, out)
            p = out.progress

    run()


# --- the walkthrough changes under the person ----------------------------------------------------


def retarget(w: Walkthrough, old: str, new: str) -> dict[str, Step]:
    """Every step of `w`, with each way to `old` now leading to `new`."""

    def fix(target: str | None) -> str | None:
        return new if target == old else target

    steps: dict[str, Step] = {}
    for sid, s in w.steps.items():
        steps[sid] = replace(
            s,
            buttons=tuple(replace(b, goto=fix(b.goto)) for b in s.buttons),
            input=replace(s.input, goto=fix(s.input.goto) or "") if s.input else None,
            routes=tuple(replace(r, goto=fix(r.goto) or "") for r in s.routes),
            otherwise=fix(s.otherwise),
            next=fix(s.next),
            skip_to=fix(s.skip_to),
            on_notice=fix(s.on_notice),
        )
    return steps


def renamed(w: Walkthrough, sid: str) -> Walkthrough:
    steps = retarget(w, sid, f"{sid}_v2")
    moved = {k if k != sid else f"{sid}_v2": s for k, s in steps.items()}
    moved[f"{sid}_v2"] = replace(steps[sid], id=f"{sid}_v2", renamed_from=(sid,))
    start = f"{sid}_v2" if w.start == sid else w.start
    return replace(w, steps=moved, start=start, version=f"{w.version}-renamed-{sid}")


def removed(w: Walkthrough, sid: str) -> Walkthrough | None:
    """`w` without step `sid`, its ways in leading where it led; None when that is not valid."""
    past = engine._main_target(w.steps[sid])
    if w.steps[sid].end or past is None or past == sid:
        return None
    steps = retarget(w, sid, past)
    del steps[sid]
    start = past if w.start == sid else w.start
    w2 = replace(w, steps=steps, start=start, version=f"{w.version}-without-{sid}")
    issues: list[Issue] = []
    check_graph(w2, issues)
    return None if issues else w2


@pytest.mark.parametrize("walkthrough", walkthrough_ids())
def test_renaming_or_removing_a_step_never_strands_anyone(walkthrough: str) -> None:
    lib = shipped()
    w = lib.walkthroughs[walkthrough]

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(events(w), max_size=25),
        st.sampled_from(sorted(w.steps)),
        st.booleans(),
        st.lists(events(w), max_size=10),
    )
    def run(
        before: list[engine.Event], changed: str, rename: bool, after: list[engine.Event]
    ) -> None:
        now = START
        p = engine.advance(lib, w, engine.begin(w), engine.Started({}), now, "en").progress
        for event in before:
            p = engine.advance(lib, w, p, event, now, "en").progress
        w2 = renamed(w, changed) if rename else removed(w, changed)
        assume(w2 is not None)
        assert w2 is not None
        for event in [engine.Reshown(), *after]:
            now += timedelta(hours=1)
            out = engine.advance(lib, w2, p, event, now, "en")
            check(w2, p, out, set(w.steps))
            assert out.progress.version == w2.version
            if out.changed:  # as the dialogue does: keep what was stored
                p = out.progress

    run()
