"""The flow language's shorthands: a step or button without a way on goes to the step below,
`snooze:` alone stays and is not done, bare yes/no, and flow tests that press the bot's own
buttons by the id a reply shows. Each test loads a real flows/ folder and plays a real flow test
through the dialogue."""

from __future__ import annotations

from pathlib import Path

from test_validator import make_flows

from bot.cli.flows import load_library
from bot.cli.flowtests import read_tests, run_test
from bot.cli.yamlio import load_text
from bot.content.model import Library

SHORT = """\
walkthrough:
  id: w
  title: {ja: テスト, en: Test}
  facts:
    scanned: {type: yesno}
    mode:
      type: choice
      choices:
        - {value: "on", label: {ja: オン, en: On}}
        - {value: "off", label: {ja: オフ, en: Off}}
  steps:
    - id: intro
      text: {ja: はじめ, en: Intro}
    - id: scan
      text: {ja: 調べましたか？, en: Did you scan?}
      buttons:
        - id: scanned
          label: {ja: 調べた, en: Yes}
          set: {scanned: yes}
        - id: later
          label: {ja: あとで, en: Later}
          snooze: 2h
        - id: skip_it
          label: {ja: しない, en: No}
          set: {scanned: no, mode: off}
          goto: done
    - id: mode
      text: {ja: 設定, en: Setting}
      buttons:
        - id: turn_on
          label: {ja: オン, en: On}
          set: {mode: on}
          when: {scanned: yes}
    - id: done
      text: {ja: 完了, en: Done}
      end: true
"""


def load(tmp_path: Path, walkthrough: str) -> Library:
    lib, issues = load_library(make_flows(tmp_path, {"walkthroughs/w.yaml": walkthrough}))
    assert [str(i) for i in issues] == []
    assert lib is not None
    return lib


def shape(lib: Library) -> list[object]:
    """What each step of w does, leaving out where it was written."""
    return [
        (s.id, s.next, [(b.id, b.goto, dict(b.sets), b.done, b.snooze, b.when) for b in s.buttons])
        for s in lib.walkthroughs["w"].steps.values()
    ]


def play(lib: Library, moves: str) -> list[str]:
    """Run one flow test on walkthrough w; return its failures as printed."""
    text = "tests:\n  - name: t\n    lang: en\n    start: w\n    steps:\n" + moves
    data, problems = load_text(text, "flows/tests/t.yaml")
    assert problems == []
    issues: list[object] = []
    tests = read_tests(data, "flows/tests/t.yaml", lib, issues)  # type: ignore[arg-type]
    assert issues == []
    return [str(f) for f in run_test(lib, tests[0]).failures]


def test_a_step_without_a_way_on_continues_to_the_step_written_below(tmp_path: Path) -> None:
    lib = load(tmp_path, SHORT)
    step = lib.walkthroughs["w"].steps["intro"]
    assert step.next == "scan"
    assert (
        play(
            lib, "      - expect_buttons: [next]\n      - press: next\n      - expect_step: scan\n"
        )
        == []
    )


def test_a_button_without_goto_goes_to_the_step_below(tmp_path: Path) -> None:
    lib = load(tmp_path, SHORT)
    buttons = {b.id: b for b in lib.walkthroughs["w"].steps["scan"].buttons}
    assert buttons["scanned"].goto == "mode"
    assert buttons["skip_it"].goto == "done"


def test_snooze_alone_stays_on_the_step_and_leaves_it_not_done(tmp_path: Path) -> None:
    lib = load(tmp_path, SHORT)
    later = next(b for b in lib.walkthroughs["w"].steps["scan"].buttons if b.id == "later")
    assert (later.goto, later.done, str(later.snooze)) == (None, False, "2:00:00")
    moves = (
        "      - press: next\n      - press: later\n      - expect_step: scan\n"
        "      - command: /status\n      - expect_text: '✓ Intro'\n"
        "      - expect_text: '▶ Did you scan?'\n      - expect_no_text: '✓ Did you scan?'\n"
    )
    assert play(lib, moves) == []


def test_bare_yes_and_no_set_and_compare_yes_no_facts(tmp_path: Path) -> None:
    lib = load(tmp_path, SHORT)
    moves = (
        "      - press: next\n      - press: scanned\n      - expect_fact: {scanned: yes}\n"
        "      - expect_buttons: [turn_on]\n      - press: turn_on\n"
        "      - expect_fact: {mode: on}\n      - expect_status: finished\n"
    )
    assert play(lib, moves) == []


def test_bare_on_and_off_keep_their_word_for_a_choice_fact(tmp_path: Path) -> None:
    lib = load(tmp_path, SHORT)
    skip = next(b for b in lib.walkthroughs["w"].steps["scan"].buttons if b.id == "skip_it")
    assert dict(skip.sets) == {"scanned": "no", "mode": "off"}
    turn_on = lib.walkthroughs["w"].steps["mode"].buttons[0]
    assert dict(turn_on.sets) == {"mode": "on"}


def test_a_bare_word_that_is_no_value_of_a_choice_fact_is_named_as_written(
    tmp_path: Path,
) -> None:
    text = SHORT.replace("set: {mode: on}", "set: {mode: yes}")
    lib, issues = load_library(make_flows(tmp_path, {"walkthroughs/w.yaml": text}))
    assert lib is None
    assert [str(i) for i in issues] == [
        "flows/walkthroughs/w.yaml:32: walkthrough 'w' step 'mode' button 'turn_on' set: "
        "'yes' is not a value of fact 'mode'; use one of on, off"
    ]


def test_a_button_without_goto_on_the_last_step_says_what_to_write(tmp_path: Path) -> None:
    last = "      text: {ja: 完了, en: Done}\n      end: true\n"
    button = (
        "      text: {ja: 完了, en: Done}\n      end: true\n"
        "      buttons:\n        - {id: again, label: {ja: もう一度, en: Again}}\n"
    )
    lib, issues = load_library(
        make_flows(tmp_path, {"walkthroughs/w.yaml": SHORT.replace(last, button)})
    )
    assert lib is None
    assert [str(i) for i in issues] == [
        "flows/walkthroughs/w.yaml:38: walkthrough 'w' step 'done' button 'again': has no "
        "'goto' and there is no step below it; add 'goto: STEP', or 'goto: null' to stay on "
        "this step"
    ]


def test_old_spellings_still_load_and_mean_the_same(tmp_path: Path) -> None:
    old = (
        SHORT.replace("set: {scanned: yes}", 'set: {scanned: "yes"}\n          goto: mode')
        .replace("snooze: 2h", "goto: null\n          done: false\n          snooze: 2h")
        .replace(
            "      text: {ja: はじめ, en: Intro}\n",
            "      text: {ja: はじめ, en: Intro}\n      next: scan\n",
        )
    )
    (tmp_path / "new").mkdir()
    (tmp_path / "old").mkdir()
    new_lib, old_lib = load(tmp_path / "new", SHORT), load(tmp_path / "old", old)
    assert shape(new_lib) == shape(old_lib)
    assert play(old_lib, "      - press: _next\n      - expect_step: scan\n") == []


def test_pressing_a_missing_button_lists_the_visible_ids(tmp_path: Path) -> None:
    lib = load(tmp_path, SHORT)
    failures = play(lib, "      - press: nowhere\n")
    assert failures == [
        "flows/tests/t.yaml:6: test 't': no button 'nowhere' (shown last: next (Next))"
    ]
