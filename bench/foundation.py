"""Benchmark the foundation: loading and validating flows, and stepping the engine.

Run with `python -m bench.foundation`. Three figures, each beside its target:

- the shipped flows/ folder, loaded and validated (median of several runs);
- 200 generated walkthroughs of 30 steps each, written as real YAML files and loaded the same way
  (target: under a second);
- one engine `advance` call on the story walkthrough (median over many; target: under 50 µs).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.cli.flows import flow_files, load_library
from bot.cli.yamlio import load_file
from bot.content.model import Library
from bot.core import engine
from bot.core.buttons import StepButton
from bot.core.messages import Pressed

FLOWS = Path(__file__).resolve().parent.parent / "flows"
STORY = "mail_spam_block"
GENERATED_WALKTHROUGHS = 200
GENERATED_STEPS = 30
GENERATED_TARGET_S = 1.0
ADVANCE_TARGET_US = 50.0


def pressed(button: str) -> Pressed:
    """A press of this step's button; the incident and rev on it are the dialogue's business."""
    return Pressed(StepButton(1, 0, button))


def _median_seconds(run: Callable[[], object], times: int) -> float:
    spans = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        spans.append(time.perf_counter() - start)
    return statistics.median(spans)


def _load_checked(root: Path) -> Library:
    lib, issues = load_library(root)
    if lib is None or issues:
        shown = "\n".join(str(i) for i in issues[:20])
        raise SystemExit(f"{root} does not validate:\n{shown}")
    return lib


# --- generated walkthroughs --------------------------------------------------------------


def _step_yaml(w: int, i: int, last: int) -> str:
    """Step `i` of walkthrough `w`: a mix of next, buttons, inputs, routes and reminders."""
    sid = f"s{i:02d}"
    nxt = f"s{i + 1:02d}"
    if i == last:
        return (
            f"    - id: {sid}\n"
            f'      text:\n        ja: "完了しました（{w}）"\n        en: "All done ({w})"\n'
            f"      end: true\n"
        )
    text = (
        f"      title: {{ja: ステップ{i}, en: Step {i}}}\n"
        f"      text:\n"
        f"        ja: |-\n"
        f"          {{account}} の手順 {i} です。色は {{colour}}、日付は {{when}}。\n"
        f"          説明の二行目です。\n"
        f"        en: |-\n          Step {i} for {{account}}. Colour {{colour}}, date {{when}}.\n"
        f"          A second line of explanation.\n"
    )
    remind = (
        "      remind:\n        after: 1d12h\n"
        '        text: {ja: "まだですか？", en: "Not done yet?"}\n'
        if i % 5 == 1
        else ""
    )
    kind = i % 6
    if kind == 0:
        way = f"      next: {nxt}\n"
    elif kind == 1:
        alt = f"s{min(i + 2, last):02d}"
        way = (
            "      buttons:\n"
            f"        - id: red\n          label: {{ja: 赤, en: Red}}\n"
            f"          set: {{colour: red}}\n          goto: {nxt}\n"
            f"        - id: blue\n          label: {{ja: 青, en: Blue}}\n"
            f"          set: {{colour: blue}}\n          goto: {alt}\n"
            "        - id: later\n          label: {ja: あとで, en: Later}\n"
            "          goto: null\n          done: false\n          snooze: 2h\n"
        )
    elif kind == 2:
        way = f"      input:\n        fact: when\n        goto: {nxt}\n"
    elif kind == 3:
        way = f"      input:\n        fact: agreed\n        goto: {nxt}\n      optional: true\n"
    elif kind == 4:
        alt = f"s{min(i + 2, last):02d}"
        way = (
            "      route:\n"
            f'        - when: {{colour: red, agreed: "yes"}}\n          goto: {nxt}\n'
            f"        - when: {{any: [{{set: [note]}}, {{not: {{colour: blue}}}}]}}\n"
            f"          goto: {alt}\n"
            f"      otherwise: {nxt}\n"
        )
        return f"    - id: {sid}\n{way}"
    else:
        way = f"      input:\n        fact: note\n        goto: {nxt}\n"
    return f"    - id: {sid}\n{text}{remind}{way}"


def _walkthrough_yaml(w: int, steps: int) -> str:
    head = (
        f"# Generated walkthrough {w} for the benchmark.\n"
        "walkthrough:\n"
        f"  id: gen_{w:03d}\n"
        f"  title: {{ja: 生成された手順 {w}, en: Generated walkthrough {w}}}\n"
        "  summary:\n"
        f"    ja: ベンチマーク用の手順 {w} です。\n"
        f"    en: Walkthrough {w}, made for the benchmark.\n"
        "  facts:\n"
        "    when: {type: date, label: {ja: 日付, en: Date}}\n"
        "    agreed: {type: yesno, label: {ja: 同意, en: Agreed}}\n"
        "    note: {type: text, max_length: 200}\n"
        "    colour:\n"
        "      type: choice\n"
        "      label: {ja: 色, en: Colour}\n"
        "      choices:\n"
        "        - {value: red, label: {ja: 赤, en: Red}}\n"
        "        - {value: blue, label: {ja: 青, en: Blue}}\n"
        "  steps:\n"
    )
    return head + "".join(_step_yaml(w, i, steps - 1) for i in range(steps))


def write_generated(root: Path, walkthroughs: int, steps: int) -> None:
    """A flows/ folder with the shipped settings and UI texts, and generated walkthroughs."""
    (root / "walkthroughs").mkdir(parents=True)
    for path in sorted(FLOWS.glob("*.y*ml")):
        data, _ = load_file(path)
        if isinstance(data, dict) and data and set(data) <= {"settings", "texts"}:
            shutil.copy(path, root / path.name)
    for w in range(walkthroughs):
        path = root / "walkthroughs" / f"gen_{w:03d}.yaml"
        path.write_text(_walkthrough_yaml(w, steps), encoding="utf-8")


# --- the engine --------------------------------------------------------------------------


def story_calls(lib: Library) -> list[tuple[engine.Progress, engine.Event, datetime]]:
    """Every (progress, event, now) of the story's happy path, to time `advance` on."""
    w = lib.walkthroughs[STORY]
    moves: list[engine.Event] = [
        engine.Started({"account": "taro@example.jp"}),
        pressed(engine.CONTINUE),
        pressed("server"),
        pressed(engine.CONTINUE),
        engine.Typed("パソコンとiPhone"),
        pressed("clean"),
        engine.Typed("sometime"),  # a re-prompt is a step too
        engine.Typed("今日"),
        pressed(engine.CONTINUE),
        pressed("changed"),
        pressed("form"),
        pressed("later"),
        engine.Reshown(),
        pressed("lifted"),
        pressed("works"),
        engine.WentBack(),
        pressed("works"),
        pressed(engine.CONTINUE),
    ]
    now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    p = engine.begin(w)
    calls = []
    for event in moves:
        calls.append((p, event, now))
        p = engine.advance(lib, w, p, event, now, "ja").progress
        now += timedelta(minutes=3)
    if p.status != "finished":
        raise SystemExit(f"the story did not finish (at step '{p.step}')")
    return calls


def advance_median_us(lib: Library, rounds: int) -> float:
    w = lib.walkthroughs[STORY]
    calls = story_calls(lib)
    clock = time.perf_counter_ns
    spans: list[int] = []
    for _ in range(rounds):
        for p, event, now in calls:
            start = clock()
            engine.advance(lib, w, p, event, now, "ja")
            spans.append(clock() - start)
    return statistics.median(spans) / 1000


# --- report ------------------------------------------------------------------------------


def main() -> None:
    files = len(flow_files(FLOWS))
    shipped = _median_seconds(lambda: _load_checked(FLOWS), 9)

    with tempfile.TemporaryDirectory(prefix="anshin-bench-") as tmp:
        root = Path(tmp) / "flows"
        write_generated(root, GENERATED_WALKTHROUGHS, GENERATED_STEPS)
        lib = _load_checked(root)
        assert len(lib.walkthroughs) == GENERATED_WALKTHROUGHS
        generated = _median_seconds(lambda: _load_checked(root), 3)

    story = _load_checked(FLOWS)
    advance_us = advance_median_us(story, 400)
    calls = len(story_calls(story))

    rows = [
        (f"load + validate flows/ ({files} files)", f"{shipped * 1000:.1f} ms", "-", ""),
        (
            f"load + validate {GENERATED_WALKTHROUGHS} x {GENERATED_STEPS} steps",
            f"{generated * 1000:.0f} ms",
            f"< {GENERATED_TARGET_S * 1000:.0f} ms",
            "ok" if generated < GENERATED_TARGET_S else "MISSED",
        ),
        (
            f"engine advance, story ({calls} calls x 400)",
            f"{advance_us:.1f} µs",
            f"< {ADVANCE_TARGET_US:.0f} µs",
            "ok" if advance_us < ADVANCE_TARGET_US else "MISSED",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'median':>10}  {'target':>10}")
    for name, figure, target, verdict in rows:
        print(f"{name:<{width}}  {figure:>10}  {target:>10}  {verdict}")
    print(f"(python {sys.version.split()[0]}; steps/s on the story: {1e6 / advance_us:,.0f})")


if __name__ == "__main__":
    main()
