"""The pure dialogue: commands, questions, stale presses, several incidents, secrets never kept."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.flows import load_library
from bot.content.model import Library
from bot.core.buttons import parse
from bot.core.dialogue import Context, respond
from bot.core.guard import secret_kind
from bot.core.messages import (
    Command,
    DeleteIncoming,
    Effect,
    Export,
    Forget,
    Incoming,
    Message,
    NoticeRead,
    Outbound,
    PressAnswer,
    Pressed,
    TextSent,
)
from bot.core.state import Commit, PersonState
from bot.notices import UNKNOWN_KIND

FLOWS = Path(__file__).resolve().parent.parent / "flows"
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def lib() -> Library:
    library, issues = load_library(FLOWS)
    assert library is not None, [str(i) for i in issues]
    return library


class Person:
    """One person's state, carried from turn to turn as the store would."""

    def __init__(self, lib: Library, lang: str = "en") -> None:
        self.lib = lib
        self.state = PersonState(42, lang=lang)
        self.commit: Commit | None = None
        self.replies: list[Outbound] = []
        self.effects: list[Effect] = []

    def send(self, incoming: Incoming) -> list[Outbound]:
        self.commit, response = respond(Context(self.lib, NOW), self.state, incoming)
        self.state = self.commit.state
        self.replies, self.effects = list(response.replies), list(response.effects)
        return self.replies

    def texts(self) -> str:
        return "\n".join(r.text for r in self.replies if isinstance(r, Message))

    def buttons(self) -> list[str]:
        """The data of the buttons shown, as Telegram would carry it, but the "this verdict
        looks wrong" under an explanation (tests/test_chat_small.py presses that one)."""
        return [
            b.data.encode()
            for r in self.replies
            if isinstance(r, Message)
            for row in r.buttons
            for b in row
            if not b.data.encode().startswith("f.")
        ]


def press(data: str) -> Pressed:
    """A press of the button whose data Telegram echoes back as `data`."""
    return Pressed(parse(data))


def notice(
    walkthrough: str = "mail_spam_block", kind: str = "outbound_spam_restriction"
) -> NoticeRead:
    return NoticeRead(
        kind,
        walkthrough,
        "dti",
        {"account": "a@example.jp"},
        lambda lang: f"explained:{lang}",
        recognised=kind != UNKNOWN_KIND,
    )


def test_a_notice_opens_an_incident_with_explanation_then_first_step(lib: Library) -> None:
    p = Person(lib)
    p.send(TextSent("...", notice(), forwarded=True))
    assert p.texts().startswith("explained:en")
    incident = p.state.current_incident()
    assert incident is not None and incident.progress.step == "what_happened"
    assert incident.progress.facts["account"] == "a@example.jp"
    assert p.commit is not None and [row.outcome for row in p.commit.log] == ["started"]
    assert "Step 1 of" in p.texts()


def test_a_second_notice_while_one_is_open_asks_to_switch_or_keep(lib: Library) -> None:
    p = Person(lib)
    p.send(TextSent("...", notice(), forwarded=True))
    p.send(TextSent("...", notice("unknown_notice", UNKNOWN_KIND), forwarded=True))
    assert p.buttons() == ["q.switch.new", "q.switch.keep"]
    assert len(p.state.incidents) == 1
    p.send(press("q.switch.new"))
    assert len(p.state.incidents) == 2
    assert p.state.current == 2
    current = p.state.current_incident()
    assert current is not None and current.progress.walkthrough == "unknown_notice"


def test_keeping_the_current_incident_shows_its_step_again(lib: Library) -> None:
    p = Person(lib)
    p.send(TextSent("...", notice(), forwarded=True))
    p.send(TextSent("...", notice("unknown_notice", UNKNOWN_KIND), forwarded=True))
    p.send(press("q.switch.keep"))
    assert len(p.state.incidents) == 1
    assert "Your provider saw" in p.texts()


def test_a_stale_button_press_changes_nothing(lib: Library) -> None:
    p = Person(lib)
    p.send(TextSent("...", notice(), forwarded=True))
    first = p.buttons()[0]
    p.send(press(first))
    before = p.state
    replies = p.send(press(first))
    assert p.state.incidents == before.incidents
    assert any(isinstance(r, PressAnswer) and r.notice for r in replies)


def test_forget_asks_first_and_only_yes_forgets(lib: Library) -> None:
    p = Person(lib)
    p.send(Command("forget"))
    assert p.buttons() == ["q.forget.yes", "q.forget.no"]
    assert p.effects == []
    p.send(press("q.forget.no"))
    assert p.effects == []
    p.send(Command("forget"))
    p.send(press("q.forget.yes"))
    assert p.effects == [Forget()]


def test_an_answer_to_a_question_no_longer_asked_is_stale(lib: Library) -> None:
    p = Person(lib)
    replies = p.send(press("q.forget.yes"))
    assert p.effects == []
    assert any(isinstance(r, PressAnswer) and r.notice for r in replies)


def test_cancel_asks_then_closes_the_incident(lib: Library) -> None:
    p = Person(lib)
    p.send(TextSent("...", notice(), forwarded=True))
    p.send(Command("cancel"))
    assert p.buttons() == ["q.cancel.yes", "q.cancel.no"]
    p.send(press("q.cancel.yes"))
    incident = p.state.current_incident()
    assert incident is not None and incident.status == "cancelled" and incident.closed


def test_status_lists_done_steps_with_dates_and_what_is_next(lib: Library) -> None:
    p = Person(lib)
    p.send(TextSent("...", notice(), forwarded=True))
    p.send(press(p.buttons()[0]))
    p.send(Command("status"))
    text = p.texts()
    assert "✓ Understand what happened (2026-11-28)" in text
    assert "▶ Check whether your account was really used (you are here)" in text
    assert "· Scan your devices for viruses" in text


def test_incidents_lists_each_with_a_switch_button(lib: Library) -> None:
    p = Person(lib)
    p.send(TextSent("...", notice(), forwarded=True))
    p.send(TextSent("...", notice("unknown_notice", UNKNOWN_KIND), forwarded=True))
    p.send(press("q.switch.new"))
    p.send(Command("incidents"))
    assert p.buttons() == ["i.2", "i.1"]
    p.send(press("i.1"))
    assert p.state.current == 1


def test_lang_switches_language_by_button(lib: Library) -> None:
    p = Person(lib, lang="en")
    p.send(Command("lang"))
    assert p.buttons() == ["l.ja", "l.en"]
    p.send(press("l.ja"))
    assert p.state.lang == "ja"
    assert "日本語" in p.texts()


def test_language_comes_from_the_telegram_hint_for_a_new_person(lib: Library) -> None:
    state = PersonState(7)
    _, response = respond(Context(lib, NOW, lang_hint="ja-JP"), state, Command("start"))
    assert "こんにちは" in response.replies[0].text  # type: ignore[union-attr]
    _, response = respond(Context(lib, NOW, lang_hint="en-GB"), state, Command("start"))
    assert "Hello" in response.replies[0].text  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "secret",
    [
        "My password is Hunter2Hunter2!",
        "パスワードは abcd1234XYZ です",
        "4111 1111 1111 1111",
        "Tr0ub4dor&3xyz",
    ],
)
def test_a_secret_is_deleted_warned_about_and_never_stored(lib: Library, secret: str) -> None:
    p = Person(lib)
    p.send(TextSent("...", notice(), forwarded=True))
    p.send(press(p.buttons()[0]))
    before = p.state
    replies = p.send(TextSent(secret))
    assert any(isinstance(r, DeleteIncoming) for r in replies)
    assert "Never send" in p.texts()
    assert p.state == before
    assert secret not in json.dumps(repr(p.commit))


@pytest.mark.parametrize(
    "harmless",
    [
        "my laptop and iPhone",
        "2026-11-28",
        "taro@example.jp",
        "0120-123-456",
        "Windows Security",
        "はい",
        # a link copied from a text message, without its scheme
        "jp-post.top/a9x",
        "amazon-verify.xyz/4512",
        "rkt-card.cc:8443/Ab3x",
    ],
)
def test_ordinary_answers_are_not_taken_for_secrets(harmless: str) -> None:
    assert secret_kind(harmless) is None


def test_typed_text_goes_to_the_step_input(lib: Library) -> None:
    p = Person(lib)
    p.send(Command("start", "mail_spam_block"))
    for _ in range(3):
        p.send(press(p.buttons()[0]))
    current = p.state.current_incident()
    assert current is not None and current.progress.step == "devices"
    p.send(TextSent("my laptop"))
    current = p.state.current_incident()
    assert current is not None and current.progress.facts["devices"] == "my laptop"


def test_short_text_without_an_incident_asks_for_the_notice(lib: Library) -> None:
    p = Person(lib)
    p.send(TextSent("hello"))
    assert "Forward or paste" in p.texts()
    assert p.state.incidents == {}


def test_export_asks_the_assistant_for_the_timeline(lib: Library) -> None:
    p = Person(lib)
    p.send(TextSent("...", notice(), forwarded=True))
    replies = p.send(Command("export"))
    assert replies == [] and p.effects == [Export(1)]


def test_unknown_command_gets_a_friendly_pointer(lib: Library) -> None:
    p = Person(lib)
    p.send(Command("frobnicate"))
    assert "/help" in p.texts()


def test_every_callback_data_fits_telegram_limit(lib: Library) -> None:
    p = Person(lib)
    p.send(TextSent("...", notice(), forwarded=True))
    for _ in range(12):
        data = p.buttons()
        assert all(len(d.encode()) <= 64 for d in data)
        if not data:
            break
        p.send(press(data[0]))
        if p.state.current_incident() and p.state.current_incident().progress.step == "devices":  # type: ignore[union-attr]
            p.send(TextSent("laptop"))
        if (
            p.state.current_incident()
            and p.state.current_incident().progress.step == "change_password"
        ):  # type: ignore[union-attr]
            p.send(TextSent("today"))


def _at_wait_reply(lib: Library) -> Person:
    p = Person(lib)
    p.send(Command("start", "mail_spam_block"))
    for answer in ["_next", "server", "_next", "laptop", "clean", "today", "_next", "none", "form"]:
        data = [d for d in p.buttons() if d.endswith(f".{answer}")]
        p.send(press(data[0]) if data else TextSent(answer))
    current = p.state.current_incident()
    assert current is not None and current.progress.step == "wait_reply"
    return p


def test_the_awaited_answer_moves_the_person_on(lib: Library) -> None:
    p = _at_wait_reply(lib)
    answer = NoticeRead("restriction_lifted", "unknown_notice", None, {}, lambda lang: "lifted")
    p.send(TextSent("...", answer, forwarded=True))
    current = p.state.current_incident()
    assert current is not None and current.progress.step == "test_sending"
    assert len(p.state.incidents) == 1


def test_a_phishing_lookalike_of_the_awaited_answer_does_not(lib: Library) -> None:
    p = _at_wait_reply(lib)
    fake = NoticeRead(
        "restriction_lifted",
        "unknown_notice",
        None,
        {},
        lambda lang: "fake",
        verdict="likely_phishing",
    )
    p.send(TextSent("...", fake, forwarded=True))
    current = p.state.current_incident()
    assert current is not None and current.progress.step == "wait_reply"
    assert "fake" in p.texts()


def test_long_chatter_mid_walkthrough_is_not_taken_for_a_new_notice(lib: Library) -> None:
    p = Person(lib)
    p.send(Command("start", "mail_spam_block"))
    chatter = notice("unknown_notice", UNKNOWN_KIND)
    p.send(TextSent("I'm not sure what this means, can you tell me what to do first?", chatter))
    assert len(p.state.incidents) == 1
    assert 'please choose one of the buttons below ("Next")' in p.texts()
    assert "explained" not in p.texts()
