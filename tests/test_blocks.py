"""Shared step blocks: written once under flows/shared/, included by walkthroughs, with their
parameters bound, their facts added, and every mistake reported at the include and the block."""

from __future__ import annotations

from pathlib import Path

from test_flow_language import play
from test_validator import SHIPPED, make_flows

from bot.cli.flows import load_library
from bot.content.model import Library

B = "flows/shared/b.yaml"
W = "flows/walkthroughs/w.yaml"

BLOCK = """\
block:
  id: checks
  params:
    then: null
    money: paid
  facts:
    did_pay: {type: yesno}
  steps:
    - id: ask
      text: {ja: 何かしましたか？, en: Did you do anything?}
      buttons:
        - {id: nothing, label: {ja: いいえ, en: Nothing}, goto: $then}
        - {id: paid, label: {ja: 払った, en: I paid}, set: {did_pay: yes}, goto: $money}
    - id: paid
      text: {ja: 銀行に連絡します。, en: Call your bank.}
      next: $then
"""

WALK = """\
walkthrough:
  id: w
  title: {ja: テスト, en: Test}
  steps:
    - id: intro
      text: {ja: はじめ, en: Intro}
    - include: checks
      with: {then: after}
    - id: after
      text: {ja: あと, en: After}
      route:
        - when: {did_pay: yes}
          goto: police
      otherwise: done
    - id: police
      text: {ja: 警察, en: Police}
    - id: done
      text: {ja: 完了, en: Done}
      end: true
"""


def load(
    tmp_path: Path, walk: str = WALK, block: str = BLOCK, **more: str
) -> tuple[Library | None, list[str]]:
    files = {W: walk, B: block, **more}
    flows = make_flows(tmp_path, {k.removeprefix("flows/"): v for k, v in files.items()})
    lib, issues = load_library(flows)
    return lib, [str(i) for i in issues]


def test_an_included_block_puts_its_steps_in_place_with_parameters_bound(tmp_path: Path) -> None:
    lib, issues = load(tmp_path)
    assert issues == [] and lib is not None
    w = lib.walkthroughs["w"]
    assert list(w.steps) == ["intro", "ask", "paid", "after", "police", "done"]
    ask = w.steps["ask"]
    assert [(b.id, b.goto) for b in ask.buttons] == [("nothing", "after"), ("paid", "paid")]
    assert w.steps["paid"].next == "after"
    assert w.steps["intro"].next == "ask"  # the step below it is the block's first
    assert (ask.block, str(ask.where), str(ask.included_at)) == ("checks", f"{B}:9", f"{W}:7")
    assert "did_pay" in w.facts


def test_a_person_walks_through_the_included_steps(tmp_path: Path) -> None:
    lib, _ = load(tmp_path)
    assert lib is not None
    moves = (
        "      - press: next\n      - expect_step: ask\n      - press: paid\n"
        "      - expect_text: Call your bank.\n      - press: next\n"
        "      - expect_step: police\n      - expect_fact: {did_pay: yes}\n"
    )
    assert play(lib, moves) == []


def test_a_step_id_in_both_the_walkthrough_and_the_block_names_both_places(
    tmp_path: Path,
) -> None:
    walk = WALK.replace("    - id: police\n", "    - id: paid\n").replace(
        "goto: police", "goto: paid"
    )
    _, issues = load(tmp_path, walk)
    assert issues == [
        f"{W}:15: walkthrough 'w' step 'paid': is a step of this walkthrough (line 15) and also "
        f"a step of block 'checks' ({B}:14, included at line 7); rename the walkthrough's step, "
        "or list it under the include's 'leave_out' to keep your own"
    ]


def test_leave_out_lets_the_walkthrough_write_its_own_step(tmp_path: Path) -> None:
    walk = (
        WALK.replace(
            "      with: {then: after}\n", "      with: {then: after}\n      leave_out: [paid]\n"
        )
        .replace("    - id: police\n", "    - id: paid\n")
        .replace("goto: police", "goto: paid")
    )
    lib, issues = load(tmp_path, walk)
    assert issues == [] and lib is not None
    paid = lib.walkthroughs["w"].steps["paid"]
    assert (paid.block, paid.text.get("en")) == (None, "Police")


def test_an_unknown_block_suggests_the_nearest(tmp_path: Path) -> None:
    _, issues = load(tmp_path, WALK.replace("include: checks", "include: chekcs"))
    assert f"{W}:7: walkthrough 'w' include: unknown block 'chekcs'; did you mean 'checks'?" in (
        issues
    )


def test_a_missing_parameter_is_reported_at_the_include(tmp_path: Path) -> None:
    _, issues = load(tmp_path, WALK.replace("      with: {then: after}\n", ""))
    assert issues[0] == (
        f"{W}:7: walkthrough 'w' include 'checks': missing parameter 'then'; add "
        "'with: {then: STEP}': the step of this walkthrough it leads to"
    )


def test_a_parameter_leading_nowhere_is_reported_at_its_line(tmp_path: Path) -> None:
    _, issues = load(tmp_path, WALK.replace("with: {then: after}", "with: {then: aftre}"))
    assert issues[0] == (
        f"{W}:8: walkthrough 'w' include 'checks': '$then' leads to unknown step 'aftre' "
        "('with: {then: ...}'); did you mean 'after'?"
    )
    assert not any("unknown step 'aftre'" in i and i.startswith(B) for i in issues)


def test_an_unknown_parameter_name_is_reported(tmp_path: Path) -> None:
    _, issues = load(tmp_path, WALK.replace("with: {then: after}", "with: {then: after, thne: x}"))
    assert issues == [
        f"{W}:8: walkthrough 'w' include 'checks' with: unknown key 'thne'; did you mean 'then'?"
    ]


def test_leaving_out_a_step_the_block_still_leads_to_is_reported(tmp_path: Path) -> None:
    walk = WALK.replace(
        "      with: {then: after}\n", "      with: {then: after}\n      leave_out: [paid]\n"
    )
    _, issues = load(tmp_path, walk)
    assert issues == [
        f"{W}:7: walkthrough 'w' include 'checks': '$money' leads to unknown step 'paid' (block "
        "'checks' leads '$money' to 'paid' unless 'with' says otherwise); steps are: intro, ask, "
        "after, police, done"
    ]


def test_a_block_step_leading_outside_the_block_is_reported_once(tmp_path: Path) -> None:
    block = BLOCK.replace("      next: $then\n", "      next: after\n")
    second = WALK.replace("id: w\n", "id: w2\n")
    _, issues = load(tmp_path, block=block, **{"flows/walkthroughs/w2.yaml": second})
    assert issues == [
        f"{B}:16: block 'checks' step 'paid': unknown step 'after'; a block leads to its own "
        "steps, or to the walkthrough's through a parameter such as '$then'"
    ]


def test_an_unknown_parameter_in_a_block_is_reported(tmp_path: Path) -> None:
    _, issues = load(tmp_path, block=BLOCK.replace("goto: $then}", "goto: $than}"))
    assert issues == [
        f"{B}:12: block 'checks' step 'ask': unknown parameter '$than'; did you mean 'then'?"
    ]


def test_a_mistake_in_a_block_step_is_reported_once_for_all_walkthroughs(tmp_path: Path) -> None:
    block = BLOCK.replace("{ja: 銀行に連絡します。, en: Call your bank.}", "{ja: 銀行}")
    second = WALK.replace("id: w\n", "id: w2\n")
    _, issues = load(tmp_path, block=block, **{"flows/walkthroughs/w2.yaml": second})
    assert issues == [
        f"{B}:15: block 'checks' step 'paid'.text: missing translation 'en'; add 'en: ...' "
        "under 'text'"
    ]


def test_a_graph_problem_in_an_included_step_names_the_include(tmp_path: Path) -> None:
    # Pointing $money elsewhere leaves the block's own 'paid' step with nothing leading to it.
    _, issues = load(
        tmp_path, WALK.replace("with: {then: after}", "with: {then: after, money: police}")
    )
    assert issues == [
        f"{B}:14: walkthrough 'w' step 'paid' (block 'checks', included at {W}:7): is "
        "unreachable; lead to it from another step or delete it (start is 'intro')"
    ]


def test_a_fact_declared_by_both_is_refused(tmp_path: Path) -> None:
    walk = WALK.replace("  steps:\n", "  facts:\n    did_pay: {type: yesno}\n  steps:\n", 1)
    _, issues = load(tmp_path, walk)
    assert issues == [
        f"{W}:5: walkthrough fact 'did_pay': is also declared by the included block 'checks' "
        f"({B}:2); declare it in one place: remove it here to use the block's"
    ]


def test_a_block_cannot_include_another(tmp_path: Path) -> None:
    block = BLOCK + "    - id: more\n      include: checks\n"
    _, issues = load(tmp_path, block=block)
    assert issues == [
        f"{B}:17: block 'checks' step 'more': a block cannot include another block; write the "
        "steps out here, or include both blocks in the walkthrough"
    ]


def test_a_block_no_walkthrough_includes_is_a_warning(tmp_path: Path) -> None:
    lib, issues = load(
        tmp_path,
        WALK.replace("include: checks", "include: checks"),
        block=BLOCK,
        **{"flows/shared/other.yaml": BLOCK.replace("id: checks", "id: unused")},
    )
    assert lib is not None
    assert issues == [
        "flows/shared/other.yaml:2: block 'unused': is included by no walkthrough, so its steps "
        "are not checked (warning); include it in a walkthrough ('- include: unused') or delete it"
    ]


def test_changing_a_block_changes_the_version_of_every_walkthrough_that_includes_it(
    tmp_path: Path,
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    before, _ = load(tmp_path / "a")
    after, _ = load(tmp_path / "b", block=BLOCK.replace("Call your bank.", "Call your bank now."))
    assert before is not None and after is not None
    assert before.walkthroughs["w"].version != after.walkthroughs["w"].version


def shipped() -> Library:
    lib, issues = load_library(SHIPPED)
    assert lib is not None, [str(i) for i in issues]
    return lib


LURES = [
    "parcel_delivery",
    "sextortion",
    "advance_fee",
    "fake_invoice",
    "government_impersonation",
    "unpaid_bill",
    "provider_announcement",
    "account_locked",
    "mailbox_lure",
    "card_fraud_alert",
    "shop_misuse",
    "unknown_notice",
]


def test_every_lure_walkthrough_asks_what_was_already_done_from_the_one_shared_block() -> None:
    lib = shipped()
    for wid in LURES:
        steps = lib.walkthroughs[wid].steps
        assert steps["already_did"].block == "already_did", wid
        assert steps["anything_else"].block == "already_did", wid
        # "Nothing yet" goes straight on to a step the walkthrough names, never into the block.
        nothing = next(b for b in steps["already_did"].buttons if b.id == "nothing")
        assert nothing.goto in steps and not nothing.goto.startswith("urgent_"), wid


def test_the_shared_block_is_written_in_one_file_only() -> None:
    written = [
        p.name
        for p in sorted((SHIPPED / "walkthroughs").glob("*.yaml"))
        if "- id: anything_else" in p.read_text(encoding="utf-8")
    ]
    assert written == []
