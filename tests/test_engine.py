"""The walkthrough engine: events in, progress and actions out, with no I/O and no surprises.

Most tests use tests/fixtures/flows_engine/walkthroughs/demo.yaml, loaded through the real
validator with the shipped UI texts, so they read like a person tapping through it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli.yamlio import load_file
from bot.content.issues import Issue
from bot.content.library import assemble
from bot.content.model import (
    ALWAYS,
    Button,
    Condition,
    FactSpec,
    Input,
    Library,
    Reminder,
    Route,
    Step,
    Text,
    Walkthrough,
)
from bot.core import engine
from bot.core.buttons import StepButton
from bot.core.engine import (
    BACK,
    CONTINUE,
    SKIP,
    Cancelled,
    CancelReminder,
    EngineError,
    Finish,
    MarkDone,
    NoticeArrived,
    OfferDraft,
    Outcome,
    Progress,
    RemindAt,
    Reshown,
    Say,
    Skipped,
    Started,
    Typed,
    WentBack,
    advance,
    begin,
    parse_date,
    parse_fact,
)
from bot.core.messages import Pressed

REPO = Path(__file__).resolve().parent.parent
DEMO = Path(__file__).resolve().parent / "fixtures" / "flows_engine" / "walkthroughs" / "demo.yaml"
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


def pressed(button: str) -> Pressed:
    """A press of this step's button; the incident and rev on it are the dialogue's business."""
    return Pressed(StepButton(1, 0, button))


def load_demo() -> Library:
    """The shipped settings and UI texts, plus the demo walkthrough, through the validator."""
    docs = []
    for path in [*sorted((REPO / "flows").glob("*.yaml")), DEMO]:
        data, problems = load_file(path, path.name)
        assert problems == []
        if path == DEMO or (isinstance(data, dict) and set(data) <= {"settings", "texts"}):
            docs.append((path.name, data))
    issues: list[Issue] = []
    lib = assemble(docs, issues)
    assert [str(i) for i in issues] == []
    assert lib is not None
    return lib


LIB = load_demo()
W = LIB.walkthroughs["demo"]


def t(key: str, lang: str = "en", **values: object) -> str:
    return LIB.text(key, lang, **values)


def step(
    events: Iterable[engine.Event],
    p: Progress | None = None,
    w: Walkthrough = W,
    lang: str = "en",
    now: datetime = NOW,
) -> tuple[Progress, Outcome]:
    """Send events one by one; the progress after them, and the outcome of the last."""
    p = p or begin(w)
    out = None
    for event in events:
        out = advance(LIB, w, p, event, now, lang)
        p = out.progress
    assert out is not None
    return p, out


START: list[engine.Event] = [Started({"account": "taro@example.jp"})]
TO_PICK: list[engine.Event] = [*START, pressed(CONTINUE)]
TO_CHANGED: list[engine.Event] = [*TO_PICK, pressed("red")]
TO_AGREE: list[engine.Event] = [*TO_CHANGED, Typed("today")]
TO_COLOUR: list[engine.Event] = [*TO_AGREE, pressed("c:yes")]
TO_MAIL: list[engine.Event] = [*TO_COLOUR, Typed("red")]
TO_NOTE: list[engine.Event] = [*TO_MAIL, Typed("taro@example.jp")]


def says(out: Outcome) -> list[str]:
    return [a.text for a in out.actions if isinstance(a, Say)]


def shown(out: Outcome) -> Say:
    """The step the person now looks at (the last Say that carries a step)."""
    return [a for a in out.actions if isinstance(a, Say) and a.step][-1]


def button_ids(out: Outcome) -> list[str]:
    return [b.id for b in shown(out).buttons]


def of_type(out: Outcome, kind: type) -> list[object]:
    return [a for a in out.actions if isinstance(a, kind)]


# --- starting and showing ------------------------------------------------------------------------


def test_started_enters_the_first_step_with_facts_from_the_notice() -> None:
    p, out = step(START)
    assert p.step == "intro"
    assert p.facts == {"account": "taro@example.jp"}
    assert p.status == "active"
    assert out.changed
    assert out.actions == (
        Say(
            "Hello taro@example.jp, let's start.",
            (engine.ButtonView(CONTINUE, t("continue")),),
            "intro",
            (1, 8),
        ),
    )


def test_a_fact_nobody_gave_yet_reads_as_not_known_never_as_its_field() -> None:
    _, out = step([Started({})])
    assert shown(out).text == f"Hello {t('fact_missing')}, let's start."
    _, out = step([Started({})], lang="ja")
    assert shown(out).text == f"{t('fact_missing', 'ja')} さん、はじめます。"
    assert "{" not in shown(out).text


def test_started_speaks_the_persons_language() -> None:
    _, out = step(START, lang="ja")
    assert shown(out).text == "taro@example.jp さん、はじめます。"
    assert shown(out).buttons[0].label == t("continue", "ja")


def test_started_drops_empty_notice_facts() -> None:
    p, _ = step([Started({"account": "", "reference": "R-1"})])
    assert p.facts == {"reference": "R-1"}


def test_a_language_without_texts_falls_back() -> None:
    _, out = step(START, lang="fr")
    assert shown(out).text == "Hello taro@example.jp, let's start."


def test_started_again_restarts_a_finished_walkthrough() -> None:
    p, _ = step([*TO_PICK, Cancelled()])
    assert p.status == "cancelled"
    p, out = step(START, p)
    assert (p.status, p.step, p.trail) == ("active", "intro", ())
    assert shown(out).step == "intro"


def test_the_position_counts_steps_on_the_usual_path_without_the_end() -> None:
    _, out = step(TO_PICK)
    assert shown(out).position == (2, 8)


def test_reshown_shows_the_step_again_and_changes_nothing() -> None:
    p, _ = step(TO_PICK)
    _, out = step([Reshown()], p)
    assert out.progress == p
    assert not out.changed
    assert [shown(out).step] == ["pick"]
    assert button_ids(out) == ["red", "blue", "later", BACK]


# --- buttons, and what is not a button -----------------------------------------------------------


def test_continue_marks_the_step_done_and_enters_the_next() -> None:
    p, _ = step(START)
    p2, out = step([pressed(CONTINUE)], p)
    assert p2.step == "pick"
    assert p2.done == (("intro", "2026-01-05T09:00:00+00:00"),)
    assert p2.trail == ("intro",)
    assert out.actions[0] == MarkDone("intro", NOW)
    assert shown(out).step == "pick"


def test_pressing_a_button_sets_its_facts_and_moves_on() -> None:
    p, out = step(TO_CHANGED)
    assert p.step == "changed"
    assert p.facts["colour"] == "red"
    assert shown(out).text == "The colour is Red. When did you change it?"


def test_a_fact_shows_the_label_of_its_choice_in_the_persons_language() -> None:
    _, out = step(TO_CHANGED, lang="ja")
    assert shown(out).text == "色は赤です。いつ変えましたか？"


def test_an_unknown_button_reprompts_and_changes_nothing() -> None:
    p, _ = step(TO_PICK)
    out = advance(LIB, W, p, pressed("purple"), NOW, "en")
    assert out.progress == p
    assert not out.changed
    assert says(out)[0] == t("reprompt_buttons")
    assert shown(out).step == "pick"


def test_continue_on_a_step_without_next_reprompts() -> None:
    p, _ = step(TO_PICK)
    out = advance(LIB, W, p, pressed(CONTINUE), NOW, "en")
    assert (out.progress, out.changed) == (p, False)
    assert says(out)[0] == t("reprompt_buttons")


def test_a_hidden_button_cannot_be_pressed() -> None:
    p, out = step(TO_PICK)
    assert "shortcut" not in button_ids(out)
    out = advance(LIB, W, p, pressed("shortcut"), NOW, "en")
    assert (out.progress, out.changed) == (p, False)


def test_a_button_shows_when_its_condition_holds() -> None:
    p = dataclasses.replace(begin(W), step="pick", facts={"agreed": "yes"})
    out = advance(LIB, W, p, Reshown(), NOW, "en")
    assert "shortcut" in button_ids(out)
    out = advance(LIB, W, p, pressed("shortcut"), NOW, "en")
    assert out.progress.status == "finished"


def test_text_where_buttons_are_expected_reprompts_and_changes_nothing() -> None:
    p, _ = step(TO_PICK)
    out = advance(LIB, W, p, Typed("I think red?"), NOW, "en")
    assert (out.progress, out.changed) == (p, False)
    # The hint names what the step expects: its buttons, by their words.
    assert says(out)[0] == t("reprompt_typed", choices='Make it red", "Make it blue", "Later')


@pytest.mark.parametrize("typed", ["Make it red", "make it RED", "  Ｍａｋｅ ｉｔ ｒｅｄ  "])
def test_typing_the_label_of_a_button_presses_it(typed: str) -> None:
    p, _ = step(TO_PICK)
    out = advance(LIB, W, p, Typed(typed), NOW, "en")
    assert (out.progress.step, out.progress.facts["colour"]) == ("changed", "red")


@pytest.mark.parametrize("typed", ["ok", "OK", "next", "Next"])
def test_typing_ok_or_next_continues(typed: str) -> None:
    p, _ = step(START)
    assert advance(LIB, W, p, Typed(typed), NOW, "en").progress.step == "pick"


def test_typing_the_continue_label_in_japanese_continues() -> None:
    p, _ = step(START, lang="ja")
    assert advance(LIB, W, p, Typed(t("continue", "ja")), NOW, "ja").progress.step == "pick"


# --- reminders -----------------------------------------------------------------------------------


def test_entering_a_step_with_remind_sets_a_reminder() -> None:
    _, out = step(TO_CHANGED)
    assert of_type(out, RemindAt) == [
        RemindAt("changed", NOW + timedelta(days=1), "Still about Red?")
    ]


def test_leaving_a_step_with_remind_cancels_its_reminder() -> None:
    p, _ = step(TO_CHANGED)
    out = advance(LIB, W, p, Typed("today"), NOW, "en")
    assert out.actions[:2] == (MarkDone("changed", NOW), CancelReminder("changed"))


def test_going_back_from_a_step_with_remind_cancels_its_reminder() -> None:
    p, _ = step(TO_CHANGED)
    out = advance(LIB, W, p, WentBack(), NOW, "en")
    assert out.progress.step == "pick"
    assert CancelReminder("changed") in out.actions


def test_a_step_without_reminders_cancels_nothing_when_left() -> None:
    p, _ = step(START)
    out = advance(LIB, W, p, pressed(CONTINUE), NOW, "en")
    assert of_type(out, CancelReminder) == []


def test_snooze_reminds_later_and_stays_on_the_step() -> None:
    p, _ = step(TO_PICK)
    out = advance(LIB, W, p, pressed("later"), NOW, "en")
    assert out.changed
    assert out.progress.step == "pick"
    assert out.progress.done == p.done
    assert of_type(out, RemindAt) == [RemindAt("pick", NOW + timedelta(hours=2), "Pick a colour.")]
    assert of_type(out, MarkDone) == []
    assert t("snoozed") in says(out)
    assert shown(out).step == "pick"


def test_leaving_a_snoozed_step_cancels_the_snoozed_reminder() -> None:
    p, _ = step([*TO_PICK, pressed("later")])
    out = advance(LIB, W, p, pressed("blue"), NOW, "en")
    assert CancelReminder("pick") in out.actions


def test_cancelling_cancels_the_reminder_of_the_current_step() -> None:
    p, _ = step(TO_CHANGED)
    out = advance(LIB, W, p, Cancelled(), NOW, "en")
    assert out.actions == (CancelReminder("changed"), Say(t("cancelled")), Finish("cancelled"))
    assert out.progress.status == "cancelled"


# --- typed input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("today", "2026-01-05"),
        ("Today", "2026-01-05"),
        ("今日", "2026-01-05"),
        ("きょう", "2026-01-05"),
        ("本日", "2026-01-05"),
        ("yesterday", "2026-01-04"),
        ("昨日", "2026-01-04"),
        ("2026-01-03", "2026-01-03"),
        ("2026/1/5", "2026-01-05"),
        ("2026.1.2", "2026-01-02"),
        ("2026年1月2日", "2026-01-02"),
        ("２０２６／１／２", "2026-01-02"),
        ("1/5", "2026-01-05"),
        ("11/28", "2025-11-28"),
        ("11月28日", "2025-11-28"),
        ("１１月２８日", "2025-11-28"),
        (" 12/31 ", "2025-12-31"),
    ],
)
def test_a_typed_date_is_read_in_many_forms(typed: str, stored: str) -> None:
    p, _ = step(TO_CHANGED)
    out = advance(LIB, W, p, Typed(typed), NOW, "en")
    assert out.progress.facts["changed_on"] == stored
    assert out.progress.step == "agree"


@pytest.mark.parametrize(
    "typed", ["sometime last week", "2026-02-30", "13/45", "2026-1", "0/0", "2026-13-01", "明日?"]
)
def test_a_date_that_does_not_read_reprompts_and_changes_nothing(typed: str) -> None:
    p, _ = step(TO_CHANGED)
    out = advance(LIB, W, p, Typed(typed), NOW, "en")
    assert (out.progress, out.changed) == (p, False)
    assert says(out)[0] == t("bad_date")
    assert shown(out).step == "changed"


def test_an_empty_answer_reprompts() -> None:
    p, _ = step(TO_CHANGED)
    out = advance(LIB, W, p, Typed("   "), NOW, "en")
    assert (out.progress, out.changed) == (p, False)
    assert says(out)[0] == t("reprompt_input")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("yes", "yes"),
        ("Y", "yes"),
        ("はい", "yes"),
        ("うん", "yes"),
        ("ｙｅｓ", "yes"),
        ("no", "no"),
        ("No", "no"),
        ("いいえ", "no"),
        ("n", "no"),
    ],
)
def test_yes_and_no_are_read_in_japanese_and_english(typed: str, stored: str) -> None:
    p, _ = step(TO_AGREE)
    assert advance(LIB, W, p, Typed(typed), NOW, "en").progress.facts["agreed"] == stored


def test_something_that_is_not_yes_or_no_reprompts() -> None:
    p, _ = step(TO_AGREE)
    out = advance(LIB, W, p, Typed("maybe"), NOW, "en")
    assert (out.progress, out.changed) == (p, False)
    assert says(out)[0] == t("bad_choice")


def test_a_yes_no_step_shows_yes_and_no_buttons() -> None:
    _, out = step(TO_AGREE, lang="ja")
    assert [(b.id, b.label) for b in shown(out).buttons] == [
        ("c:yes", t("yes", "ja")),
        ("c:no", t("no", "ja")),
        (BACK, t("back", "ja")),
    ]


@pytest.mark.parametrize("press", ["c:yes", "c:no"])
def test_the_yes_and_no_buttons_answer(press: str) -> None:
    p, _ = step(TO_AGREE)
    assert advance(LIB, W, p, pressed(press), NOW, "en").progress.facts["agreed"] == press[2:]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Red", "red"),
        ("赤", "red"),
        ("blue", "blue"),
        ("BLUE", "blue"),
        ("1", "red"),
        ("2", "blue"),
        ("２", "blue"),
        ("青", "blue"),
    ],
)
def test_a_choice_is_read_by_label_value_or_number(typed: str, stored: str) -> None:
    p, _ = step(TO_COLOUR)
    assert advance(LIB, W, p, Typed(typed), NOW, "en").progress.facts["colour"] == stored


@pytest.mark.parametrize("typed", ["green", "3", "0", "-1", "red blue"])
def test_something_that_is_not_a_choice_reprompts(typed: str) -> None:
    p, _ = step(TO_COLOUR)
    out = advance(LIB, W, p, Typed(typed), NOW, "en")
    assert (out.progress, out.changed) == (p, False)
    assert says(out)[0] == t("bad_choice")


def test_a_choice_step_shows_numbered_buttons() -> None:
    _, out = step(TO_COLOUR)
    assert [(b.id, b.label) for b in shown(out).buttons][:2] == [("c:1", "Red"), ("c:2", "Blue")]


def test_a_choice_button_answers_with_its_value() -> None:
    p, _ = step(TO_COLOUR)
    assert advance(LIB, W, p, pressed("c:2"), NOW, "en").progress.facts["colour"] == "blue"


@pytest.mark.parametrize("press", ["c:3", "c:0", "c:red", "c:yes", "c:"])
def test_a_choice_button_that_was_never_shown_reprompts(press: str) -> None:
    p, _ = step(TO_COLOUR)
    out = advance(LIB, W, p, pressed(press), NOW, "en")
    assert (out.progress, out.changed) == (p, False)
    assert says(out)[0] == t("reprompt_buttons")


def test_a_choice_button_on_a_step_that_takes_any_text_is_not_an_answer() -> None:
    p, _ = step(TO_NOTE)
    out = advance(LIB, W, p, pressed("c:hello"), NOW, "en")
    assert (out.progress, out.changed) == (p, False)


def test_an_email_is_stored_in_lower_case() -> None:
    p, _ = step(TO_MAIL)
    out = advance(LIB, W, p, Typed("Taro@Example.JP"), NOW, "en")
    assert out.progress.facts["mail"] == "taro@example.jp"


@pytest.mark.parametrize("typed", ["taro@", "not an email", "a@b", "taro@example", "@example.jp"])
def test_something_that_is_not_an_email_reprompts(typed: str) -> None:
    p, _ = step(TO_MAIL)
    out = advance(LIB, W, p, Typed(typed), NOW, "en")
    assert (out.progress, out.changed) == (p, False)
    assert says(out)[0] == t("bad_email")


def test_a_text_answer_is_kept_as_typed() -> None:
    p, _ = step(TO_NOTE)
    out = advance(LIB, W, p, Typed("  ok, done "), NOW, "en")
    assert out.progress.facts["note"] == "ok, done"


def test_a_text_answer_over_the_limit_reprompts_with_the_limit() -> None:
    p, _ = step(TO_NOTE)
    out = advance(LIB, W, p, Typed("x" * 11), NOW, "en")
    assert (out.progress, out.changed) == (p, False)
    assert says(out)[0] == t("too_long", limit=10)


def test_a_text_answer_at_the_limit_is_taken() -> None:
    p, _ = step(TO_NOTE)
    assert advance(LIB, W, p, Typed("x" * 10), NOW, "en").progress.facts["note"] == "x" * 10


def test_a_custom_reprompt_replaces_the_standard_one() -> None:
    changed = W.steps["changed"]
    assert changed.input is not None
    custom = dataclasses.replace(changed.input, reprompt=Text({"en": "Type a date, please."}))
    w = dataclasses.replace(
        W, steps={**W.steps, "changed": dataclasses.replace(changed, input=custom)}
    )
    p, _ = step(TO_CHANGED, w=w)
    out = advance(LIB, w, p, Typed("whenever"), NOW, "en")
    assert says(out)[0] == "Type a date, please."


# --- skipping, going back, routes, finishing -----------------------------------------------------


def test_an_optional_step_shows_a_skip_button() -> None:
    _, out = step(TO_MAIL)
    assert SKIP in button_ids(out)


def test_skip_on_an_optional_step_goes_to_skip_to_and_records_it_as_skipped() -> None:
    p, _ = step(TO_MAIL)
    out = advance(LIB, W, p, Skipped(), NOW, "en")
    assert out.progress.step == "note"
    assert MarkDone("mail", NOW, "skipped") in out.actions
    assert "mail" not in out.progress.done_ids()


def test_the_skip_button_skips_like_the_command() -> None:
    p, _ = step(TO_MAIL)
    assert advance(LIB, W, p, pressed(SKIP), NOW, "en").progress.step == "note"


def test_skip_without_skip_to_takes_the_main_way_on() -> None:
    p, _ = step([*TO_COLOUR, Typed("blue"), Skipped(), Typed("hi")])
    assert p.step == "blue_tail"
    p, out = step([Skipped()], p)
    assert p.status == "finished"
    assert Finish("finished") in out.actions


def test_skip_on_a_step_that_is_not_optional_reprompts() -> None:
    p, _ = step(TO_PICK)
    out = advance(LIB, W, p, Skipped(), NOW, "en")
    assert (out.progress, out.changed) == (p, False)
    assert says(out)[0] == t("cannot_skip")


def test_back_returns_to_the_previous_step() -> None:
    p, _ = step(TO_CHANGED)
    out = advance(LIB, W, p, WentBack(), NOW, "en")
    assert out.progress.step == "pick"
    assert out.progress.trail == ("intro",)
    assert shown(out).step == "pick"


def test_the_back_button_goes_back_like_the_command() -> None:
    p, _ = step(TO_CHANGED)
    assert advance(LIB, W, p, pressed(BACK), NOW, "en").progress.step == "pick"


def test_back_twice_returns_two_steps() -> None:
    p, _ = step([*TO_CHANGED, WentBack(), WentBack()])
    assert (p.step, p.trail) == ("intro", ())


def test_back_on_the_first_step_reprompts() -> None:
    p, out = step(START)
    assert BACK not in button_ids(out)
    out = advance(LIB, W, p, WentBack(), NOW, "en")
    assert (out.progress, out.changed) == (p, False)
    assert says(out)[0] == t("cannot_go_back")


def test_a_route_is_followed_at_once_and_never_shown() -> None:
    p, out = step([*TO_NOTE, Typed("hi")])
    assert p.step == "red_tail"
    assert [a.step for a in out.actions if isinstance(a, Say) and a.step] == ["red_tail"]
    assert p.trail[-1] == "note"


def test_a_route_falls_back_to_otherwise() -> None:
    p, _ = step([*TO_COLOUR, Typed("blue"), Skipped(), Typed("hi")])
    assert p.step == "blue_tail"


def test_reaching_the_end_marks_it_done_and_finishes() -> None:
    p, _ = step([*TO_NOTE, Typed("hi")])
    p, out = step([pressed(CONTINUE)], p)
    assert p.status == "finished"
    assert p.step == "done"
    assert out.actions == (
        MarkDone("red_tail", NOW),
        Say("All done", (), "done", None),
        MarkDone("done", NOW),
        Say(t("finished")),
        Finish("finished"),
    )


def test_every_step_of_the_way_is_recorded_once() -> None:
    p, _ = step([*TO_NOTE, Typed("hi"), pressed(CONTINUE)])
    assert [s for s, _ in p.done] == [
        "intro",
        "pick",
        "changed",
        "agree",
        "colour_again",
        "mail",
        "note",
        "red_tail",
        "done",
    ]


@pytest.mark.parametrize(
    "event",
    [
        pressed(CONTINUE),
        Typed("hello"),
        WentBack(),
        Skipped(),
        Reshown(),
        Cancelled(),
        NoticeArrived("support_reply"),
    ],
)
def test_after_the_end_every_event_says_it_is_done_and_changes_nothing(
    event: engine.Event,
) -> None:
    p, _ = step([*TO_NOTE, Typed("hi"), pressed(CONTINUE)])
    out = advance(LIB, W, p, event, NOW, "en")
    assert (out.progress, out.changed) == (p, False)
    assert out.actions == (Say(t("already_done")),)


def test_cancel_closes_the_walkthrough() -> None:
    p, out = step([*TO_PICK, Cancelled()])
    assert p.status == "cancelled"
    assert out.actions[-1] == Finish("cancelled")


# --- notices and corrected facts -----------------------------------------------------------------


def waiting() -> Walkthrough:
    """The demo, with red_tail waiting for support's reply."""
    red = dataclasses.replace(W.steps["red_tail"], waits_for=("support_reply",), on_notice="done")
    return dataclasses.replace(W, steps={**W.steps, "red_tail": red})


def test_an_awaited_notice_moves_the_person_on_with_its_facts() -> None:
    w = waiting()
    p, _ = step([*TO_NOTE, Typed("hi")], w=w)
    out = advance(LIB, w, p, NoticeArrived("support_reply", {"reference": "R-9"}), NOW, "en")
    assert out.progress.status == "finished"
    assert out.progress.facts["reference"] == "R-9"
    assert out.actions[0] == MarkDone("red_tail", NOW)


def test_a_notice_the_step_does_not_wait_for_reshows_it() -> None:
    w = waiting()
    p, _ = step([*TO_NOTE, Typed("hi")], w=w)
    out = advance(LIB, w, p, NoticeArrived("something_else", {"reference": "R-9"}), NOW, "en")
    assert (out.progress, out.changed) == (p, False)
    assert shown(out).step == "red_tail"


def test_a_step_with_a_draft_offers_it() -> None:
    pick = dataclasses.replace(W.steps["pick"], draft="mail_block_done")
    w = dataclasses.replace(W, steps={**W.steps, "pick": pick})
    _, out = step(TO_PICK, w=w)
    assert OfferDraft("mail_block_done") in out.actions


# --- a walkthrough that changed under the person -------------------------------------------------


def new_version(w: Walkthrough, steps: dict[str, Step]) -> Walkthrough:
    return dataclasses.replace(w, steps=steps, start=next(iter(steps)), version=w.version + "+")


def test_a_new_version_with_the_same_step_moves_nobody_and_says_nothing() -> None:
    p, _ = step(TO_PICK)
    w2 = new_version(W, dict(W.steps))
    out = advance(LIB, w2, p, Reshown(), NOW, "en")
    assert out.progress.version == w2.version
    assert out.progress.step == "pick"
    assert says(out) == ["Pick a colour."]


def renamed_changed() -> Walkthrough:
    """`changed` is now `changed_at`, with `renamed_from: [changed]`."""
    steps: dict[str, Step] = {}
    for sid, s in W.steps.items():
        if sid == "changed":
            s = dataclasses.replace(s, id="changed_at", renamed_from=("changed",))
        if sid == "pick":
            s = dataclasses.replace(
                s,
                buttons=tuple(
                    dataclasses.replace(b, goto="changed_at") if b.goto == "changed" else b
                    for b in s.buttons
                ),
            )
        steps[s.id] = s
    return new_version(W, steps)


def test_a_renamed_step_moves_the_person_with_a_note() -> None:
    p, _ = step(TO_CHANGED)
    w2 = renamed_changed()
    out = advance(LIB, w2, p, Reshown(), NOW, "en")
    assert out.progress.step == "changed_at"
    assert out.progress.version == w2.version
    assert out.changed
    assert out.actions[0] == CancelReminder("changed")
    assert says(out)[0] == t("step_moved")
    assert shown(out).step == "changed_at"


def test_after_a_rename_the_event_applies_to_the_new_step() -> None:
    p, _ = step(TO_CHANGED)
    out = advance(LIB, renamed_changed(), p, Typed("today"), NOW, "en")
    assert out.progress.step == "agree"
    assert out.progress.facts["changed_on"] == "2026-01-05"
    assert says(out)[0] == t("step_moved")


def test_finished_steps_and_the_trail_follow_a_rename() -> None:
    p, _ = step([*TO_AGREE])
    w2 = renamed_changed()
    out = advance(LIB, w2, p, Reshown(), NOW, "en")
    assert out.progress.step == "agree"
    assert "changed_at" in out.progress.done_ids()
    assert "changed" not in out.progress.done_ids()
    assert out.progress.trail[-1] == "changed_at"
    assert not out.changed  # nobody moved; the new version is stored on the next real change


def without(sid: str) -> Walkthrough:
    """The demo with step `sid` removed, and what led to it leading past it."""
    past = engine._main_target(W.steps[sid])
    assert past is not None
    steps: dict[str, Step] = {}
    for k, s in W.steps.items():
        if k == sid:
            continue
        if s.input and s.input.goto == sid:
            s = dataclasses.replace(s, input=dataclasses.replace(s.input, goto=past))
        steps[k] = s
    return new_version(W, steps)


def test_a_removed_step_moves_the_person_to_the_first_unfinished_step_with_a_note() -> None:
    p, _ = step(TO_AGREE)
    w2 = without("agree")
    out = advance(LIB, w2, p, Reshown(), NOW, "en")
    assert out.progress.step == "colour_again"
    assert out.changed
    assert out.actions[0] == CancelReminder("agree")
    assert says(out)[0] == t("step_removed")
    assert shown(out).step == "colour_again"


def test_a_removed_step_moves_along_the_persons_own_branch_not_the_file_order() -> None:
    blue = [*TO_COLOUR, Typed("blue"), Typed("taro@example.jp"), Typed("a note")]
    p, out = step(blue)
    assert p.step == "blue_tail"
    steps = {k: s for k, s in W.steps.items() if k != "blue_tail"}
    steps["branch"] = dataclasses.replace(steps["branch"], otherwise="done")
    w2 = new_version(W, steps)
    out = advance(LIB, w2, p, Reshown(), NOW, "en")
    # red_tail comes first in the file and is unfinished, but it was never this person's way.
    assert out.progress.step == "done"
    assert out.progress.status == "finished"
    assert says(out)[0] == t("step_removed")


def _pick_leading_to(red: str, blue: str, record: bool) -> Walkthrough:
    """The demo without `changed`; `pick`'s red and blue buttons lead to `red` and `blue`, and
    say which was pressed in the facts only when `record`."""
    pick = W.steps["pick"]
    buttons = tuple(
        dataclasses.replace(
            b,
            goto={"red": red, "blue": blue}.get(b.id, b.goto),
            sets=b.sets if record else {},
        )
        for b in pick.buttons
    )
    steps = {k: s for k, s in W.steps.items() if k != "changed"}
    steps["pick"] = dataclasses.replace(pick, buttons=buttons)
    return new_version(W, steps)


def test_a_removed_step_follows_the_choice_the_persons_facts_record() -> None:
    p, _ = step([*TO_PICK, pressed("blue")])
    assert p.step == "changed"
    w2 = _pick_leading_to(red="agree", blue="colour_again", record=True)
    out = advance(LIB, w2, p, Reshown(), NOW, "en")
    assert out.progress.step == "colour_again"


def test_a_removed_step_after_a_choice_nothing_records_never_guesses_the_first_button() -> None:
    p, _ = step([*TO_PICK, pressed("blue")])
    w2 = _pick_leading_to(red="done", blue="colour_again", record=False)
    out = advance(LIB, w2, p, Reshown(), NOW, "en")
    # The first button now ends the walkthrough; guessing it would close this person's incident.
    assert out.progress.status == "active"
    assert out.progress.step == "agree"  # the first unfinished step, as before


def test_a_removed_step_never_strands_the_person_on_an_end_step() -> None:
    p, _ = step([*TO_NOTE])  # everything before `note` is done
    steps = {
        k: s for k, s in W.steps.items() if k not in ("note", "branch", "red_tail", "blue_tail")
    }
    mail = steps["mail"]
    assert mail.input is not None
    steps["mail"] = dataclasses.replace(
        mail, skip_to="done", input=dataclasses.replace(mail.input, goto="done")
    )
    w2 = new_version(W, steps)
    out = advance(LIB, w2, p, Reshown(), NOW, "en")
    assert out.progress.status == "finished"
    assert out.progress.step == "done"
    assert Finish("finished") in out.actions


def test_a_step_that_became_an_end_step_finishes_instead_of_stranding() -> None:
    p, _ = step(TO_PICK)
    pick = dataclasses.replace(W.steps["pick"], buttons=(), end=True)
    w2 = new_version(W, {**W.steps, "pick": pick})
    out = advance(LIB, w2, p, pressed("red"), NOW, "en")
    assert out.progress.status == "finished"
    assert out.changed


def test_a_step_that_became_a_route_is_followed() -> None:
    p, _ = step(TO_PICK)
    pick = dataclasses.replace(
        W.steps["pick"], buttons=(), routes=(Route(ALWAYS, "changed"),), otherwise="changed"
    )
    w2 = new_version(W, {**W.steps, "pick": pick})
    out = advance(LIB, w2, p, Typed("anything"), NOW, "en")
    assert out.progress.step == "changed"


def test_a_closed_walkthrough_is_not_told_about_a_new_version() -> None:
    p, _ = step([*TO_AGREE, Cancelled()])
    out = advance(LIB, without("agree"), p, Reshown(), NOW, "en")
    assert out.actions == (Say(t("already_done")),)
    assert not out.changed


# --- purity and values ---------------------------------------------------------------------------


def test_the_same_inputs_give_the_same_outcome() -> None:
    p, _ = step(TO_PICK)
    assert advance(LIB, W, p, pressed("red"), NOW, "en") == advance(
        LIB, W, p, pressed("red"), NOW, "en"
    )


def test_advance_never_changes_the_progress_it_was_given() -> None:
    p, _ = step(TO_PICK)
    before = dataclasses.replace(p)
    advance(LIB, W, p, pressed("red"), NOW, "en")
    assert p == before


def test_progress_and_events_are_frozen() -> None:
    p = begin(W)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.step = "pick"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        pressed("a").button = "b"  # type: ignore[misc]


def test_times_come_from_now() -> None:
    later = NOW + timedelta(days=3, hours=2)
    p, _ = step(START, now=later)
    out = advance(LIB, W, p, pressed(CONTINUE), later, "en")
    assert out.progress.done == (("intro", "2026-01-08T11:00:00+00:00"),)


# --- parse_fact and parse_date directly ----------------------------------------------------------


def test_parse_date_reads_month_and_day_as_the_latest_such_day_not_in_the_future() -> None:
    assert parse_date("1/6", date(2026, 1, 5)) == date(2025, 1, 6)
    assert parse_date("1/5", date(2026, 1, 5)) == date(2026, 1, 5)


def test_parse_date_refuses_february_29_in_a_year_without_it() -> None:
    assert parse_date("2/29", date(2026, 3, 1)) is None
    assert parse_date("2/29", date(2024, 3, 1)) == date(2024, 2, 29)


def test_parse_fact_checks_the_length_before_the_type() -> None:
    spec = FactSpec("d", "date", Text({}), max_length=5)
    assert parse_fact(spec, "2026-01-05", TODAY, "en") == (None, "too_long")


def test_parse_fact_names_the_reprompt_for_each_type() -> None:
    def problem(kind: str) -> str | None:
        return parse_fact(FactSpec("f", kind, Text({})), "???", TODAY, "en")[1]

    assert [problem(k) for k in ("date", "email", "yesno", "choice")] == [
        "bad_date",
        "bad_email",
        "bad_choice",
        "bad_choice",
    ]
    assert parse_fact(FactSpec("f", "text", Text({})), "???", TODAY, "en") == ("???", None)


# --- a walkthrough broken in a way the validator would have caught -------------------------------


def hand_built(*steps: Step, facts: dict[str, FactSpec] | None = None) -> Walkthrough:
    return Walkthrough(
        id="broken",
        title=Text({"en": "Broken"}),
        summary=Text({}),
        facts=facts or {},
        steps={s.id: s for s in steps},
        start=steps[0].id,
        version="v1",
    )


def test_a_step_leading_nowhere_raises_an_error_naming_walkthrough_step_and_event() -> None:
    w = hand_built(Step("a", Text({"en": "A"}), next="nowhere"))
    p, _ = step([Started()], w=w)
    with pytest.raises(EngineError) as caught:
        advance(LIB, w, p, pressed(CONTINUE), NOW, "en")
    assert str(caught.value) == (
        "walkthrough 'broken' step 'a' (event Pressed): leads to unknown step 'nowhere'"
    )


def test_a_route_loop_raises_an_error_naming_walkthrough_step_and_event() -> None:
    w = hand_built(
        Step("a", Text({"en": "A"}), next="r1"),
        Step("r1", Text({}), routes=(Route(ALWAYS, "r2"),), otherwise="r2"),
        Step("r2", Text({}), routes=(Route(ALWAYS, "r1"),), otherwise="r1"),
    )
    p, _ = step([Started()], w=w)
    with pytest.raises(
        EngineError, match=r"^walkthrough 'broken' step 'r\d' \(event Typed\): routes loop$"
    ):
        advance(LIB, w, p, Typed("ok"), NOW, "en")


def test_an_input_of_an_undeclared_fact_raises_an_error_naming_walkthrough_step_and_event() -> None:
    w = hand_built(Step("a", Text({"en": "A"}), input=Input("ghost", "a", Text({}))))
    with pytest.raises(EngineError) as caught:
        advance(LIB, w, begin(w), Started(), NOW, "en")
    assert str(caught.value) == (
        "walkthrough 'broken' step 'a' (event Started): input asks for undeclared fact 'ghost'"
    )


def test_a_fact_of_an_unknown_type_raises_an_error_naming_walkthrough_step_and_event() -> None:
    w = hand_built(
        Step("a", Text({"en": "A"}), input=Input("f", "a", Text({}))),
        facts={"f": FactSpec("f", "colour", Text({}))},
    )
    p, _ = step([Started()], w=w)
    with pytest.raises(EngineError) as caught:
        advance(LIB, w, p, Typed("red"), NOW, "en")
    assert str(caught.value) == (
        "walkthrough 'broken' step 'a' (event Typed): fact 'f' has unknown type 'colour'"
    )


def test_progress_for_another_walkthrough_raises_an_error() -> None:
    other = dataclasses.replace(begin(W), walkthrough="other")
    with pytest.raises(EngineError) as caught:
        advance(LIB, W, other, Reshown(), NOW, "en")
    assert str(caught.value) == (
        "progress is for walkthrough 'other', not 'demo' (step 'intro', event Reshown)"
    )


def test_a_reminder_and_buttons_built_by_hand_work_like_loaded_ones() -> None:
    w = hand_built(
        Step(
            "a",
            Text({"en": "A"}),
            buttons=(Button("go", Text({"en": "Go"}), "b", sets={}, when=Condition()),),
            remind=Reminder(timedelta(hours=3), Text({"en": "Go on"})),
        ),
        Step("b", Text({"en": "B"}), end=True),
    )
    p, out = step([Started()], w=w)
    assert of_type(out, RemindAt) == [RemindAt("a", NOW + timedelta(hours=3), "Go on")]
    p, out = step([pressed("go")], p, w=w)
    assert p.status == "finished"
    assert CancelReminder("a") in out.actions
