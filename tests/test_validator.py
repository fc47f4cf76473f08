"""The flow validator: every problem in flows/ at once, each as file:line: where: what; fix.

Each test writes a real flows/ folder (the shipped settings and texts, plus the files under test)
and checks the exact messages an admin would read.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot import cli
from bot.assistant.reading import NoticeReader
from bot.cli.flows import load_library
from bot.cli.flowtests import FlowTest, read_tests, run_test
from bot.cli.yamlio import load_file
from bot.content.issues import Issue
from bot.content.model import Library
from bot.notices.index import index_for

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "flows"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
W = "flows/walkthroughs/w.yaml"

# A small valid walkthrough; each test breaks one thing in it. Line numbers matter below.
BASE = """\
walkthrough:
  id: w
  title: {ja: テスト, en: Test}
  facts:
    colour:
      type: choice
      choices:
        - {value: red, label: {ja: 赤, en: Red}}
        - {value: blue, label: {ja: 青, en: Blue}}
    changed_on: {type: date}
  steps:
    - id: start
      text: {ja: はじめ, en: Start}
      next: password
    - id: password
      text: {ja: パスワード, en: Password}
      input: {fact: changed_on, goto: done}
    - id: done
      text: {ja: 完了, en: Done}
      end: true
"""


def shared_files() -> list[Path]:
    """The shipped files that hold only settings and UI texts, which every flows/ folder needs."""
    found = []
    for path in sorted(SHIPPED.glob("*.y*ml")):
        data, _ = load_file(path)
        if isinstance(data, dict) and data and set(data) <= {"settings", "texts"}:
            found.append(path)
    return found


def make_flows(root: Path, files: dict[str, str | bytes], texts: str | None = None) -> Path:
    """A flows/ folder under `root` with the shipped settings and texts, plus `files`.

    `texts` replaces the shipped texts.yaml, for tests about the UI texts themselves.
    """
    flows = root / "flows"
    flows.mkdir()
    for path in shared_files():
        shutil.copy(path, flows / path.name)
    if texts is not None:
        (flows / "texts.yaml").write_text(texts, encoding="utf-8")
    for name, content in files.items():
        path = flows / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return flows


def problems(tmp_path: Path, walkthrough: str | bytes) -> list[str]:
    """Every issue, as printed, for flows/ holding this one walkthrough file."""
    lib, issues = load_library(make_flows(tmp_path, {"walkthroughs/w.yaml": walkthrough}))
    assert (lib is None) == any(i.severity == "error" for i in issues)
    return [str(i) for i in issues]


def broken(old: str, new: str) -> str:
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


def test_the_base_walkthrough_is_valid(tmp_path: Path) -> None:
    assert problems(tmp_path, BASE) == []


# --- files that cannot be read -------------------------------------------------------------------


def test_duplicate_key_reports_both_lines(tmp_path: Path) -> None:
    text = broken("      next: password\n", "      next: password\n      next: done\n")
    assert problems(tmp_path, text) == [
        f"{W}:15: file: duplicate key 'next' (first at line 14); "
        "keep one of them; YAML would silently drop the first"
    ]


def test_alias_is_refused_with_its_line(tmp_path: Path) -> None:
    text = broken("title: {ja: テスト, en: Test}", "title: &t {ja: テスト, en: Test}")
    text = text.replace("text: {ja: 完了, en: Done}", "text: *t")
    assert problems(tmp_path, text) == [
        f"{W}:19: file: alias '*t' is not allowed; "
        "write the value out in full; flows do not use anchors or aliases"
    ]


def test_non_string_key_is_refused_with_its_line(tmp_path: Path) -> None:
    text = broken("    changed_on: {type: date}\n", "    changed_on: {type: date}\n    2026: x\n")
    assert problems(tmp_path, text) == [
        f"{W}:11: file: key '2026' is not a plain string; quote the key, for example '\"404\": ...'"
    ]


def test_file_over_one_mebibyte_is_refused(tmp_path: Path) -> None:
    text = BASE + "# " + "x" * (1024 * 1024) + "\n"
    size = len(text.encode())
    assert problems(tmp_path, text) == [
        f"{W}:0: file: is {size:,} bytes, over the 1 MiB limit; split it into smaller files"
    ]


def test_file_not_in_utf8_is_refused_with_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    assert problems(tmp_path, BASE.encode("shift_jis")) == [
        f"{W}:3: file: is not UTF-8 (invalid start byte); save it as UTF-8"
    ]


def test_invalid_yaml_reports_the_line(tmp_path: Path) -> None:
    text = broken("text: {ja: はじめ, en: Start}", "text: {ja: はじめ, en: Start")
    assert problems(tmp_path, text) == [
        f"{W}:14: file: is not valid YAML: expected ',' or '}}', but got ':'; "
        "check indentation, colons and quotes"
    ]


# --- the shape of a walkthrough ------------------------------------------------------------------


def test_unknown_next_step_reports_file_and_line(tmp_path: Path) -> None:
    assert problems(tmp_path, broken("next: password", "next: pasword")) == [
        f"{W}:14: walkthrough 'w' step 'start': unknown step 'pasword'; did you mean 'password'?",
        f"{W}:15: walkthrough 'w' step 'password': is unreachable; "
        "lead to it from another step or delete it (start is 'start')",
        f"{W}:18: walkthrough 'w' step 'done': is unreachable; "
        "lead to it from another step or delete it (start is 'start')",
    ]


def test_unknown_input_target_reports_the_line_of_the_input(tmp_path: Path) -> None:
    assert problems(tmp_path, broken("goto: done}", "goto: dnoe}")) == [
        f"{W}:17: walkthrough 'w' step 'password' input: unknown step 'dnoe'; did you mean 'done'?",
        f"{W}:18: walkthrough 'w' step 'done': is unreachable; "
        "lead to it from another step or delete it (start is 'start')",
    ]


def test_unknown_target_with_nothing_close_lists_the_steps(tmp_path: Path) -> None:
    assert problems(tmp_path, broken("next: password", "next: zzz"))[0] == (
        f"{W}:14: walkthrough 'w' step 'start': unknown step 'zzz'; "
        "steps are: start, password, done"
    )


def test_unreachable_step_is_reported(tmp_path: Path) -> None:
    orphan = "    - id: orphan\n      text: {ja: 孤立, en: Orphan}\n      next: done\n"
    text = broken("    - id: done\n", orphan + "    - id: done\n")
    assert problems(tmp_path, text) == [
        f"{W}:18: walkthrough 'w' step 'orphan': is unreachable; "
        "lead to it from another step or delete it (start is 'start')"
    ]


def test_a_last_step_with_no_way_on_is_a_dead_end(tmp_path: Path) -> None:
    # Any other step without a way on goes on to the step below it; the last has none below.
    assert problems(tmp_path, broken("      end: true\n", "")) == [
        f"{W}:2: walkthrough 'w': has no end step; mark the last step 'end: true'",
        f"{W}:18: walkthrough 'w' step 'done': is a dead end; "
        "add buttons, an input, 'next:' or mark it 'end: true'",
    ]


def test_a_loop_that_can_never_reach_an_end_is_reported(tmp_path: Path) -> None:
    loop = (
        "      buttons:\n"
        "        - {id: go, label: {ja: 進む, en: Onward}, goto: password}\n"
        "        - {id: spin, label: {ja: 回る, en: Spin}, goto: spin}\n"
        "    - id: spin\n"
        "      text: {ja: 回る, en: Spinning}\n"
        "      buttons:\n"
        "        - {id: again, label: {ja: もう一度, en: Again}, goto: spin}\n"
    )
    assert problems(tmp_path, broken("      next: password\n", loop)) == [
        f"{W}:17: walkthrough 'w' step 'spin': can never reach an end step; "
        "give it a way on to the end"
    ]


def test_a_walkthrough_without_an_end_step_is_reported(tmp_path: Path) -> None:
    text = broken("      end: true\n", "      next: start\n")
    assert problems(tmp_path, text) == [
        f"{W}:2: walkthrough 'w': has no end step; mark the last step 'end: true'"
    ]


def test_duplicate_step_ids_name_the_first_definition(tmp_path: Path) -> None:
    again = "    - id: done\n      text: {ja: 完了, en: Done}\n      end: true\n"
    assert problems(tmp_path, BASE + again) == [
        f"{W}:21: walkthrough 'w' step 'done': duplicate step id; "
        "first defined at line 18; rename one"
    ]


def test_duplicate_button_ids_in_one_step_are_reported(tmp_path: Path) -> None:
    buttons = (
        "      buttons:\n"
        "        - {id: go, label: {ja: 進む, en: Go}, goto: password}\n"
        "        - {id: go, label: {ja: 進む, en: Go on}, goto: password}\n"
    )
    assert problems(tmp_path, broken("      next: password\n", buttons)) == [
        f"{W}:16: walkthrough 'w' step 'start' button 'go': duplicate button id; "
        "give each button of a step its own id"
    ]


def test_more_than_one_way_on_is_reported(tmp_path: Path) -> None:
    text = broken(
        "      input: {fact: changed_on, goto: done}\n",
        "      input: {fact: changed_on, goto: done}\n      next: done\n",
    )
    assert problems(tmp_path, text) == [
        f"{W}:15: walkthrough 'w' step 'password': has more than one of buttons, input, route "
        "and next; keep one way on; use buttons for choices, route for branches on facts"
    ]


def test_an_end_step_that_leads_on_is_reported(tmp_path: Path) -> None:
    text = broken("      end: true\n", "      end: true\n      next: start\n")
    assert problems(tmp_path, text) == [
        f"{W}:20: walkthrough 'w' step 'done': is an end step but also leads on; "
        "remove 'end: true' or the way on"
    ]


def test_a_route_without_otherwise_is_reported(tmp_path: Path) -> None:
    route = "      route:\n        - when: {colour: red}\n          goto: password\n"
    assert problems(tmp_path, broken("      next: password\n", route)) == [
        f"{W}:14: walkthrough 'w' step 'start': a route needs 'otherwise'; "
        "add 'otherwise: STEP' for when no route matches"
    ]


def test_renamed_from_an_id_that_is_still_a_step_is_reported(tmp_path: Path) -> None:
    text = broken("    - id: password\n", "    - id: password\n      renamed_from: [start]\n")
    assert problems(tmp_path, text) == [
        f"{W}:15: walkthrough 'w' step 'password': renamed_from 'start' is still a step of its "
        "own; remove one of them"
    ]


def test_one_old_id_claimed_by_two_steps_is_reported(tmp_path: Path) -> None:
    text = broken("    - id: password\n", "    - id: password\n      renamed_from: [pw]\n")
    text = text.replace("    - id: done\n", "    - id: done\n      renamed_from: [pw]\n")
    assert problems(tmp_path, text) == [
        f"{W}:19: walkthrough 'w' step 'done': renamed_from 'pw' is also claimed by step "
        "'password'; keep it on one step: people on the old step move to one place"
    ]


def test_a_walkthrough_without_steps_is_reported(tmp_path: Path) -> None:
    text = "walkthrough:\n  id: w\n  title: {ja: テスト, en: Test}\n  steps: []\n"
    assert problems(tmp_path, text) == [
        f"{W}:2: walkthrough 'w': has no steps; add at least one step under 'steps:'"
    ]


# --- keys, ids, texts and values -----------------------------------------------------------------


def test_unknown_key_suggests_the_closest_one(tmp_path: Path) -> None:
    text = broken("      next: password\n", "      next: password\n      optinal: true\n")
    assert problems(tmp_path, text) == [
        f"{W}:15: walkthrough 'w' step 'start': unknown key 'optinal'; did you mean 'optional'?"
    ]


def test_unknown_key_with_nothing_close_lists_the_allowed_ones(tmp_path: Path) -> None:
    text = broken("  title:", "  colour: red\n  title:")
    assert problems(tmp_path, text) == [
        f"{W}:3: walkthrough: unknown key 'colour'; allowed keys: id, title, summary, facts, steps"
    ]


def test_unknown_top_level_key_suggests_the_closest_one(tmp_path: Path) -> None:
    text = BASE.replace("walkthrough:", "walkthru:", 1)
    assert problems(tmp_path, text) == [
        f"{W}:1: file: unknown key 'walkthru'; did you mean 'walkthrough'?"
    ]


def test_button_id_over_16_bytes_is_reported(tmp_path: Path) -> None:
    button = (
        "      buttons:\n"
        "        - {id: i_have_finished_it, label: {ja: 済んだ, en: Done}, goto: password}\n"
    )
    assert problems(tmp_path, broken("      next: password\n", button)) == [
        f"{W}:15: walkthrough 'w' step 'start' button: 'id' 'i_have_finished_it' is 18 bytes, "
        "over the limit of 16; shorten it"
    ]


def test_button_id_of_exactly_16_bytes_is_fine(tmp_path: Path) -> None:
    button = (
        "      buttons:\n"
        "        - {id: i_have_done_that, label: {ja: 済んだ, en: Done}, goto: password}\n"
    )
    assert problems(tmp_path, broken("      next: password\n", button)) == []


def test_a_step_id_that_is_not_an_id_is_reported(tmp_path: Path) -> None:
    text = broken("    - id: done\n", "    - id: Done!\n").replace("goto: done}", "goto: Done!}")
    assert problems(tmp_path, text) == [
        f"{W}:18: walkthrough 'w' step: 'id' 'Done!' is not a valid id; "
        "use lower-case letters, digits, '_' or '-', at most 64 bytes"
    ]


def test_missing_translation_is_reported(tmp_path: Path) -> None:
    assert problems(tmp_path, broken("{ja: はじめ, en: Start}", "{ja: はじめ}")) == [
        f"{W}:13: walkthrough 'w' step 'start'.text: missing translation 'en'; "
        "add 'en: ...' under 'text'"
    ]


def test_a_text_written_once_for_all_languages_is_reported(tmp_path: Path) -> None:
    assert problems(tmp_path, broken("{ja: はじめ, en: Start}", "Start")) == [
        f"{W}:13: walkthrough 'w' step 'start'.text: should give one text per language; "
        "write 'text:' then indented 'ja: ...' lines"
    ]


def test_a_missing_text_is_reported(tmp_path: Path) -> None:
    assert problems(tmp_path, broken("      text: {ja: はじめ, en: Start}\n", "")) == [
        f"{W}:12: walkthrough 'w' step 'start': missing 'text'; add 'text:' with ja and en texts"
    ]


def test_unknown_fact_in_a_text_is_reported(tmp_path: Path) -> None:
    text = broken("{ja: はじめ, en: Start}", '{ja: "{colour}から", en: "Start {colr}"}')
    assert problems(tmp_path, text) == [
        f"{W}:13: walkthrough 'w' step 'start'.text.en: unknown fact '{{colr}}'; "
        "did you mean 'colour'?"
    ]


def test_facts_the_notice_reader_fills_may_be_used_without_declaring(tmp_path: Path) -> None:
    text = broken("{ja: はじめ, en: Start}", '{ja: "{account}", en: "{provider_name} {today}"}')
    assert problems(tmp_path, text) == []


def test_unknown_fact_in_a_condition_is_reported(tmp_path: Path) -> None:
    route = (
        "      route:\n"
        "        - when: {colr: red}\n"
        "          goto: password\n"
        "      otherwise: password\n"
    )
    assert problems(tmp_path, broken("      next: password\n", route)) == [
        f"{W}:15: walkthrough 'w' step 'start' route: unknown fact 'colr'; did you mean 'colour'?"
    ]


def test_unknown_fact_deep_in_a_condition_is_reported(tmp_path: Path) -> None:
    route = (
        "      route:\n"
        "        - when:\n"
        "            any:\n"
        "              - {colour: red}\n"
        "              - not: {set: [changed]}\n"
        "          goto: password\n"
        "      otherwise: password\n"
    )
    assert problems(tmp_path, broken("      next: password\n", route)) == [
        f"{W}:18: walkthrough 'w' step 'start' route.any.not: unknown fact 'changed'; "
        "did you mean 'changed_on'?"
    ]


def test_unknown_fact_in_a_button_condition_is_reported(tmp_path: Path) -> None:
    button = (
        "      buttons:\n"
        "        - id: go\n"
        "          label: {ja: 進む, en: Go}\n"
        "          goto: password\n"
        "          when: {color: red}\n"
    )
    assert problems(tmp_path, broken("      next: password\n", button)) == [
        f"{W}:18: walkthrough 'w' step 'start' button 'go' when: unknown fact 'color'; "
        "did you mean 'colour'?"
    ]


def test_unknown_fact_in_set_is_reported(tmp_path: Path) -> None:
    button = (
        "      buttons:\n"
        "        - id: red\n"
        "          label: {ja: 赤, en: Red}\n"
        "          set: {colr: red}\n"
        "          goto: password\n"
    )
    assert problems(tmp_path, broken("      next: password\n", button)) == [
        f"{W}:17: walkthrough 'w' step 'start' button 'red' set: unknown fact 'colr'; "
        "did you mean 'colour'?"
    ]


def test_a_value_that_is_not_one_of_the_choices_is_reported(tmp_path: Path) -> None:
    button = (
        "      buttons:\n"
        "        - id: green\n"
        "          label: {ja: 緑, en: Green}\n"
        "          set: {colour: green}\n"
        "          goto: password\n"
    )
    assert problems(tmp_path, broken("      next: password\n", button)) == [
        f"{W}:17: walkthrough 'w' step 'start' button 'green' set: 'green' is not a value of "
        "fact 'colour'; use one of red, blue"
    ]


def test_a_condition_on_a_value_the_fact_cannot_take_is_reported(tmp_path: Path) -> None:
    route = (
        "      route:\n"
        "        - when: {colour: green}\n"
        "          goto: password\n"
        "      otherwise: password\n"
    )
    assert problems(tmp_path, broken("      next: password\n", route)) == [
        f"{W}:15: walkthrough 'w' step 'start' route: 'green' is not a value of fact 'colour'; "
        "use one of red, blue"
    ]


def test_a_condition_on_a_misspelt_value_suggests_the_closest(tmp_path: Path) -> None:
    route = (
        "      route:\n"
        "        - when: {not: {colour: bleu}}\n"
        "          goto: password\n"
        "      otherwise: password\n"
    )
    assert problems(tmp_path, broken("      next: password\n", route)) == [
        f"{W}:15: walkthrough 'w' step 'start' route.not: 'bleu' is not a value of fact "
        "'colour'; did you mean 'blue'?"
    ]


def test_unknown_fact_in_an_input_is_reported(tmp_path: Path) -> None:
    assert problems(tmp_path, broken("fact: changed_on,", "fact: changed,")) == [
        f"{W}:17: walkthrough 'w' step 'password' input: unknown fact 'changed'; "
        "did you mean 'changed_on'?"
    ]


def test_unknown_fact_type_suggests_the_closest_one(tmp_path: Path) -> None:
    assert problems(tmp_path, broken("{type: date}", "{type: data}")) == [
        f"{W}:10: walkthrough 'w' fact 'changed_on': unknown type 'data'; did you mean 'date'?"
    ]


def test_a_choice_fact_without_choices_is_reported(tmp_path: Path) -> None:
    text = "walkthrough:\n  id: w\n  title: {ja: テ, en: T}\n  facts:\n    c: {type: choice}\n"
    text += "  steps:\n    - {id: a, text: {ja: あ, en: a}, end: true}\n"
    assert problems(tmp_path, text) == [
        f"{W}:5: walkthrough 'w' fact 'c': a choice fact needs 'choices'; "
        "list its values and labels"
    ]


@pytest.mark.parametrize("limit", [".inf", "-1", "0", "2.5"])
def test_a_max_length_that_is_not_a_positive_whole_number_is_reported(
    tmp_path: Path, limit: str
) -> None:
    text = broken("{type: date}", f"{{type: text, max_length: {limit}}}")
    shown = {".inf": "inf"}.get(limit, limit)
    assert problems(tmp_path, text) == [
        f"{W}:10: walkthrough 'w' fact 'changed_on': 'max_length' {shown} is not a whole number "
        "above 0; write a length in characters, such as 300"
    ]


@pytest.mark.parametrize("after", ["2 days", "soon", "0m", "1x"])
def test_a_bad_reminder_duration_is_reported(tmp_path: Path, after: str) -> None:
    remind = f"      remind: {{after: {after}, text: {{ja: まだ？, en: Not yet}}}}\n"
    text = broken("    - id: password\n", "    - id: password\n" + remind)
    assert problems(tmp_path, text) == [
        f"{W}:16: walkthrough 'w' step 'password' remind: 'after' '{after}' is not a duration; "
        "write a number and a unit: 30m, 2h, 1d, 1w or 1d12h"
    ]


def test_a_bad_snooze_duration_is_reported(tmp_path: Path) -> None:
    button = (
        "      buttons:\n"
        "        - {id: later, label: {ja: あとで, en: Later}, goto: null, done: false,"
        " snooze: tomorrow}\n"
        "        - {id: go, label: {ja: 進む, en: Go}, goto: password}\n"
    )
    assert problems(tmp_path, broken("      next: password\n", button)) == [
        f"{W}:15: walkthrough 'w' step 'start' button 'later': 'snooze' 'tomorrow' is not a "
        "duration; write a number and a unit: 30m, 2h, 1d, 1w or 1d12h"
    ]


@pytest.mark.parametrize("after", ["30m", "2h", "1d", "1w", "1d12h", "90m"])
def test_good_durations_are_accepted(tmp_path: Path, after: str) -> None:
    remind = f"      remind: {{after: {after}, text: {{ja: まだ？, en: Not yet}}}}\n"
    assert problems(tmp_path, broken("    - id: password\n", "    - id: password\n" + remind)) == []


def test_a_flag_that_is_not_true_or_false_is_reported(tmp_path: Path) -> None:
    text = broken("      next: password\n", "      next: password\n      optional: maybe\n")
    assert problems(tmp_path, text) == [
        f"{W}:15: walkthrough 'w' step 'start': 'optional' should be true or false; "
        "write true or false"
    ]


def test_a_label_yaml_reads_as_true_or_false_is_kept_as_written(tmp_path: Path) -> None:
    button = "      buttons:\n        - {id: agree, label: {ja: はい, en: Yes}, goto: password}\n"
    lib, issues = load_library(
        make_flows(tmp_path, {"walkthroughs/w.yaml": broken("      next: password\n", button)})
    )
    assert issues == [] and lib is not None
    assert lib.walkthroughs["w"].steps["start"].buttons[0].label.get("en") == "Yes"


def test_an_id_yaml_reads_as_true_or_false_is_kept_as_written(tmp_path: Path) -> None:
    button = "      buttons:\n        - {id: on, label: {ja: 進む, en: Go}, goto: password}\n"
    lib, issues = load_library(
        make_flows(tmp_path, {"walkthroughs/w.yaml": broken("      next: password\n", button)})
    )
    assert issues == [] and lib is not None
    assert lib.walkthroughs["w"].steps["start"].buttons[0].id == "on"


def test_a_comma_in_an_unquoted_text_gets_a_hint_to_quote_it(tmp_path: Path) -> None:
    text = broken("{ja: はじめ, en: Start}", "{ja: はじめ, en: Well, I did}")
    assert problems(tmp_path, text) == [
        f"{W}:13: walkthrough 'w' step 'start'.text: unknown key 'I did'; "
        "a comma inside {...} starts a new key; put the whole text in quotes"
    ]


# --- texts and settings --------------------------------------------------------------------------


def shipped_texts_without(key: str) -> str:
    text = (SHIPPED / "texts.yaml").read_text(encoding="utf-8")
    cut = re.sub(rf"^  {key}:\n(?: {{4}}.*\n)*", "", text, count=1, flags=re.M)
    assert cut != text
    return cut


def test_a_missing_required_text_is_reported(tmp_path: Path) -> None:
    flows = make_flows(tmp_path, {"walkthroughs/w.yaml": BASE}, shipped_texts_without("welcome"))
    _, issues = load_library(flows)
    assert [str(i) for i in issues] == [
        "flows:0: text 'welcome': is missing; add it under 'texts:'"
    ]


def test_a_missing_required_text_names_the_fields_it_may_use(tmp_path: Path) -> None:
    flows = make_flows(tmp_path, {"walkthroughs/w.yaml": BASE}, shipped_texts_without("progress"))
    _, issues = load_library(flows)
    assert [str(i) for i in issues] == [
        "flows:0: text 'progress': is missing; add it under 'texts:' (it may use {n}, {total})"
    ]


def test_unknown_field_in_a_required_text_is_reported(tmp_path: Path) -> None:
    extra = 'texts:\n  progress:\n    ja: "ステップ {n} / {totl}"\n    en: "Step {n} of {total}"\n'
    flows = make_flows(
        tmp_path,
        {"walkthroughs/w.yaml": BASE, "more_texts.yaml": extra},
        shipped_texts_without("progress"),
    )
    _, issues = load_library(flows)
    assert [str(i) for i in issues] == [
        "flows/more_texts.yaml:3: texts.progress.ja: unknown fact '{totl}'; did you mean 'total'?"
    ]


def test_a_text_defined_twice_names_the_first(tmp_path: Path) -> None:
    extra = "texts:\n  welcome:\n    ja: ようこそ\n    en: Welcome\n"
    flows = make_flows(tmp_path, {"walkthroughs/w.yaml": BASE, "more_texts.yaml": extra})
    _, issues = load_library(flows)
    assert [str(i) for i in issues] == [
        "flows/texts.yaml:4: text 'welcome': defined twice; "
        "first at flows/more_texts.yaml:2; keep one"
    ]


def test_duplicate_walkthrough_ids_across_files_are_reported(tmp_path: Path) -> None:
    flows = make_flows(tmp_path, {"walkthroughs/w.yaml": BASE, "walkthroughs/x.yaml": BASE})
    _, issues = load_library(flows)
    assert [str(i) for i in issues] == [
        "flows/walkthroughs/x.yaml:2: walkthrough 'w': duplicate walkthrough id; "
        f"first defined at {W}:2; rename one"
    ]


def test_a_missing_flows_folder_is_reported(tmp_path: Path) -> None:
    lib, issues = load_library(tmp_path / "nowhere")
    assert lib is None
    assert [str(i) for i in issues] == [
        f"{tmp_path / 'nowhere'}:0: flows: is not a folder; point at the flows/ folder"
    ]


# --- everything at once --------------------------------------------------------------------------

BROKEN_ISSUES = [
    "flows/extra.yaml:4: file: alias '*hello' is not allowed; "
    "write the value out in full; flows do not use anchors or aliases",
    "flows/walkthroughs/a.yaml:10: walkthrough 'a' step 'start': unknown step 'pasword'; "
    "did you mean 'password'?",
    "flows/walkthroughs/a.yaml:11: walkthrough 'a' step 'password': is unreachable; "
    "lead to it from another step or delete it (start is 'start')",
    "flows/walkthroughs/a.yaml:14: walkthrough 'a' step 'done': is unreachable; "
    "lead to it from another step or delete it (start is 'start')",
    "flows/walkthroughs/b.yaml:9: file: duplicate key 'text' (first at line 8); "
    "keep one of them; YAML would silently drop the first",
    "flows/walkthroughs/c.yaml:7: walkthrough 'c' step 'start'.text: missing translation 'en'; "
    "add 'en: ...' under 'text'",
    "flows/walkthroughs/c.yaml:10: walkthrough 'c' step 'start' remind: 'after' 'someday' is not "
    "a duration; write a number and a unit: 30m, 2h, 1d, 1w or 1d12h",
    "flows/walkthroughs/c.yaml:20: walkthrough 'c' step 'finish': unknown key 'ned'; "
    "did you mean 'end'?",
    "flows/walkthroughs/c.yaml:18: walkthrough 'c' step 'finish': is a dead end; "
    "add buttons, an input, 'next:' or mark it 'end: true'",
    "flows/walkthroughs/c.yaml:3: walkthrough 'c': has no end step; mark the last step 'end: true'",
]


def broken_fixture(tmp_path: Path) -> Path:
    flows = make_flows(tmp_path, {})
    shutil.copytree(FIXTURES / "flows_broken", flows, dirs_exist_ok=True)
    return flows


def test_errors_in_several_files_are_all_reported_at_once(tmp_path: Path) -> None:
    lib, issues = load_library(broken_fixture(tmp_path))
    assert lib is None
    assert sorted(str(i) for i in issues) == sorted(BROKEN_ISSUES)


def test_issues_come_sorted_by_file_and_line(tmp_path: Path) -> None:
    _, issues = load_library(broken_fixture(tmp_path))
    assert issues == sorted(issues, key=lambda i: (i.file, i.line, i.where, i.what))


# --- anshin validate -----------------------------------------------------------------------------


def test_validate_prints_every_issue_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flows = broken_fixture(tmp_path)
    assert cli.main(["validate", str(flows)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert sorted(lines[:-1]) == sorted(BROKEN_ISSUES)
    assert lines[-1] == f"{len(BROKEN_ISSUES)} error(s), 0 warning(s) in {flows}"


def test_validate_prints_one_summary_line_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flows = make_flows(tmp_path, {"walkthroughs/w.yaml": BASE})
    assert cli.main(["validate", str(flows)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert len(out.splitlines()) == 1
    assert out.startswith("ok: 1 walkthroughs (3 steps)")


def test_validate_checks_the_flow_tests_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    test = "tests:\n  - name: t\n    start: nowhere\n    steps:\n      - press: _next\n"
    flows = make_flows(tmp_path, {"walkthroughs/w.yaml": BASE, "tests/t.yaml": test})
    assert cli.main(["validate", str(flows)]) == 1
    err = capsys.readouterr().err
    assert f"{flows}/tests/t.yaml:3: test 't': unknown walkthrough 'nowhere'; use one of w" in err


def test_validate_on_a_missing_folder_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["validate", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'nowhere'}:0: flows: is not a folder; point at the flows/ folder" in err


def test_anshin_validate_on_the_shipped_flows_succeeds_as_a_command() -> None:
    anshin = Path(sys.executable).parent / "anshin"
    done = subprocess.run(
        [str(anshin), "validate", "flows"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert len(done.stdout.splitlines()) == 1
    assert done.stdout.startswith("ok: ")


# --- providers ----------------------------------------------------------------------------------

P = "flows/providers/cards.yaml"

# A small valid provider; each test breaks one thing in it. Line numbers matter below.
PROVIDER = """\
providers:
  - id: card
    names: {ja: カード, en: Card}
    category: card
    domains: [card.example.jp]
    channels:
      - kind: phone
        value: 0120-123-456
        label: {ja: 紛失・盗難, en: Lost or stolen card}
        source: https://card.example.jp/lost/
        read: 2026-12-03
      - kind: web_form
        value: https://card.example.jp/contact/
        source: https://card.example.jp/contact/
        read: 2026-12-03
    sources: [https://card.example.jp/]
"""


def provider_problems(tmp_path: Path, old: str = "", new: str = "") -> list[str]:
    """Every issue, as printed, for flows/ holding the provider above with `old` made `new`."""
    assert not old or PROVIDER.count(old) == 1, old
    text = PROVIDER.replace(old, new) if old else PROVIDER
    files = {"walkthroughs/w.yaml": BASE, "providers/cards.yaml": text}
    lib, issues = load_library(make_flows(tmp_path, files))
    assert (lib is None) == any(i.severity == "error" for i in issues)
    return [str(i) for i in issues]


def test_the_base_provider_is_valid_and_keeps_category_and_read_date(tmp_path: Path) -> None:
    assert provider_problems(tmp_path) == []
    lib, _ = load_library(tmp_path / "flows")
    assert lib is not None
    card = lib.providers["card"]
    assert card.category == "card"
    assert [(c.kind, c.read) for c in card.channels] == [
        ("phone", "2026-12-03"),
        ("web_form", "2026-12-03"),
    ]


def test_provider_without_category_is_an_error_listing_the_categories(tmp_path: Path) -> None:
    assert provider_problems(tmp_path, "    category: card\n", "") == [
        f"{P}:2: provider 'card': has no 'category'; add 'category:' with one of: isp, mail, "
        "carrier, card, bank, payment, crypto, securities, shop, marketplace, delivery, "
        "transport, government, utility, media, platform, other"
    ]


def test_unknown_category_suggests_the_closest(tmp_path: Path) -> None:
    assert provider_problems(tmp_path, "category: card", "category: cards") == [
        f"{P}:4: provider 'card': unknown category 'cards'; did you mean 'card'?"
    ]


def test_channel_without_read_date_is_reported(tmp_path: Path) -> None:
    assert provider_problems(
        tmp_path, "        read: 2026-12-03\n      - kind: web_form", ("      - kind: web_form")
    ) == [f"{P}:7: provider 'card' channel: missing 'read'; add 'read:'"]


def test_read_that_is_not_an_iso_date_is_reported(tmp_path: Path) -> None:
    old = "        read: 2026-12-03\n      - kind: web_form"
    assert provider_problems(tmp_path, old, "        read: 12/3\n      - kind: web_form") == [
        f"{P}:11: provider 'card' channel: 'read' '12/3' is not a date; "
        "write the day you read the page as YYYY-MM-DD, e.g. read: 2026-12-03"
    ]


PHONE_FIX = (
    "write the number as the page prints it, digits with '-' between groups: 0120-123-456, "
    "0570-123-456, 03-1234-5678, 090-1234-5678, 0800-123-4567, a carrier number such as "
    "0077-7-111 or 0088-22-1234, a 3-digit short number such as 151 or 157, a #-number such "
    "as \"#9110\", or +81-3-1234-5678 (quote a number starting with '#' or '+')"
)


@pytest.mark.parametrize(
    ("number", "what"),
    [
        ("0120-12-345", "'0120-12-345' has 9 digits; 0120, 0570 and fixed-line numbers have 10"),
        (
            "090-1234-567",
            "'090-1234-567' has 10 digits; 0800, 050, 070, 080 and 090 numbers have 11",
        ),
        ('"#91"', "'#91' has 2 digits after '#'; #-numbers have 4"),
        ('"#9110-1"', "'#9110-1' is not a phone number"),
        ("0077-12", "'0077-12' has 6 digits; 0077 and 0088 numbers have 7 to 11"),
        ("0088-1234-56789", "'0088-1234-56789' has 13 digits; 0077 and 0088 numbers have 7 to 11"),
        (
            "123-4567",
            "'123-4567' is neither a Japanese number (0..., 0077-, 0088-, a 3-digit 1xx, #xxxx) "
            "nor an international one (+...)",
        ),
        (
            "251",
            "'251' is neither a Japanese number (0..., 0077-, 0088-, a 3-digit 1xx, #xxxx) "
            "nor an international one (+...)",
        ),
        (
            "1-51",
            "'1-51' is neither a Japanese number (0..., 0077-, 0088-, a 3-digit 1xx, #xxxx) "
            "nor an international one (+...)",
        ),
        ('"+0-123"', "'+0-123' is not an international number (+, country code, 8 to 15 digits)"),
    ],
)
def test_phone_number_that_cannot_be_dialled_is_reported_with_every_accepted_shape(
    tmp_path: Path, number: str, what: str
) -> None:
    assert provider_problems(tmp_path, "value: 0120-123-456", f"value: {number}") == [
        f"{P}:8: provider 'card' channel: {what}; {PHONE_FIX}"
    ]


@pytest.mark.parametrize(
    "number", ["0570-064-107", "03-3282-8111", "0800-123-4567", '"+1-800-555-0100"']
)
def test_navi_dial_fixed_free_and_international_numbers_are_accepted(
    tmp_path: Path, number: str
) -> None:
    assert provider_problems(tmp_path, "value: 0120-123-456", f"value: {number}") == []


@pytest.mark.parametrize(
    "number", ["151", '"157"', '"#9110"', '"#7119"', "0077-7-111", "0077-777", "0088-22-1234"]
)
def test_carrier_short_numbers_hash_numbers_and_carrier_prefixed_numbers_are_accepted(
    tmp_path: Path, number: str
) -> None:
    assert provider_problems(tmp_path, "value: 0120-123-456", f"value: {number}") == []
    lib, _ = load_library(tmp_path / "flows")
    assert lib is not None
    assert lib.providers["card"].channels[0].value == number.strip('"')


def test_channel_with_an_empty_value_is_reported(tmp_path: Path) -> None:
    # "#9110" unquoted is a YAML comment, which leaves the value empty
    assert provider_problems(tmp_path, "value: 0120-123-456", "value: #9110") == [
        f"{P}:8: provider 'card' channel: 'value' is empty; "
        "write the address or number (quote it if it starts with # or +)"
    ]


def test_web_form_must_be_https(tmp_path: Path) -> None:
    old = "value: https://card.example.jp/contact/"
    assert provider_problems(tmp_path, old, "value: http://card.example.jp/contact/") == [
        f"{P}:13: provider 'card' channel: a web form address must use https; "
        "write the full https:// address"
    ]


def test_web_form_with_userinfo_is_reported(tmp_path: Path) -> None:
    old = "value: https://card.example.jp/contact/"
    new = "value: https://card.example.jp@evil.example/contact/"
    assert provider_problems(tmp_path, old, new) == [
        f"{P}:13: provider 'card' channel: 'https://card.example.jp@evil.example/contact/' is "
        "not a plain web address; write it as https://host.example.jp/path, with no spaces, "
        "'@' or port"
    ]


def test_public_suffix_as_official_domain_is_reported(tmp_path: Path) -> None:
    assert provider_problems(tmp_path, "[card.example.jp]", "[card.example.jp, co.jp]") == [
        f"{P}:5: provider 'card': 'co.jp' is a public suffix: anyone can register a name under "
        "it; list the provider's own registered domain (example.co.jp), not the suffix"
    ]


@pytest.mark.parametrize(
    ("domain", "host"),
    [
        ("card-jp.github.io", "github.io"),
        ("card.web.app", "web.app"),
        ("card.azurewebsites.net", "azurewebsites.net"),
    ],
)
def test_domain_on_a_listed_hosting_suffix_is_reported(
    tmp_path: Path, domain: str, host: str
) -> None:
    assert provider_problems(tmp_path, "[card.example.jp]", f"[card.example.jp, {domain}]") == [
        f"{P}:5: provider 'card': '{domain}' is on '{host}', where anyone can publish a site; "
        "list only domains the provider itself owns; a page on a hosting service proves "
        "nothing about who made it"
    ]


def test_domain_on_a_shared_host_the_suffix_list_misses_is_reported(tmp_path: Path) -> None:
    new = "[card.example.jp, sites.google.com]"
    assert provider_problems(tmp_path, "[card.example.jp]", new) == [
        f"{P}:5: provider 'card': 'sites.google.com' is on 'sites.google.com', where anyone can "
        "publish a page; list only domains the provider itself owns; a page on a hosting "
        "service proves nothing about who made it"
    ]


SECOND = """\
providers:
  - id: bank
    names: {ja: 銀行, en: Bank}
    category: bank
    domains: [DOMAINS]
    sources: [https://bank.example.jp/]
"""


def test_a_domain_listed_by_two_providers_is_reported_with_the_first(tmp_path: Path) -> None:
    files = {
        "walkthroughs/w.yaml": BASE,
        "providers/cards.yaml": PROVIDER,
        "providers/zbanks.yaml": SECOND.replace("DOMAINS", "bank.example.jp, card.example.jp"),
    }
    lib, issues = load_library(make_flows(tmp_path, files))
    assert lib is None
    assert [str(i) for i in issues] == [
        "flows/providers/zbanks.yaml:2: provider 'bank': domain 'card.example.jp' is also listed "
        f"by provider 'card'; keep it in one entry (first at {P}:2); a service with a host of "
        "its own below another provider's domain lists that host (bk.mufg.jp beside mufg.jp)"
    ]


def test_a_host_below_another_providers_domain_is_allowed_and_owned_by_its_own_entry(
    tmp_path: Path,
) -> None:
    files = {
        "walkthroughs/w.yaml": BASE,
        "providers/cards.yaml": PROVIDER.replace("[card.example.jp]", "[example.jp]"),
        "providers/zbanks.yaml": SECOND.replace("DOMAINS", "bank.example.jp"),
    }
    lib, issues = load_library(make_flows(tmp_path, files))
    assert [str(i) for i in issues] == []
    assert lib is not None
    idx = index_for(lib)
    assert idx.owner_of("bank.example.jp") == "bank"
    assert idx.owner_of("www.bank.example.jp") == "bank"
    assert idx.owner_of("card.example.jp") == "card"
    assert idx.owner_of("example.jp") == "card"
    assert idx.owner_of("bank.example.jp.evil.example") is None


# --- the shipped flows ---------------------------------------------------------------------------


def test_the_shipped_flows_load_without_any_issue() -> None:
    lib, issues = load_library(SHIPPED)
    assert [str(i) for i in issues] == []
    assert lib is not None
    assert {"mail_spam_block", "unknown_notice"} <= set(lib.walkthroughs)


@functools.cache
def shipped_library() -> Library | None:
    return load_library(SHIPPED)[0]


def shipped_flow_tests() -> tuple[list[FlowTest], list[Issue]]:
    lib = shipped_library()
    tests: list[FlowTest] = []
    issues: list[Issue] = []
    if lib is None:
        return tests, issues
    for path in sorted((SHIPPED / "tests").glob("*.y*ml")):
        shown = str(path.relative_to(REPO))
        data, problems_ = load_file(path, shown)
        issues += problems_
        tests += read_tests(data, shown, lib, issues)
    return tests, issues


def notice_reader() -> NoticeReader | None:
    try:
        from bot.assistant.reading import read_notice
    except ImportError:
        return None
    return read_notice


def test_the_shipped_flow_tests_are_well_formed() -> None:
    tests, issues = shipped_flow_tests()
    assert [str(i) for i in issues] == []
    assert tests


@pytest.mark.parametrize(
    "test", shipped_flow_tests()[0], ids=lambda t: f"{Path(t.file).name}:{t.name}"
)
def test_every_shipped_flow_test_passes(test: FlowTest) -> None:
    lib = shipped_library()
    assert lib is not None
    reader = notice_reader()
    if reader is None and any("notice" in move for move in test.moves):
        pytest.skip("this flow test forwards a notice, and the notice reader is not built yet")
    result = run_test(lib, test, reader)
    assert [str(f) for f in result.failures] == []
