"""Triage in the pure dialogue, with the real flows and the real notice reader: which questions
a pasted notice gets, how each answer joins the notice, what is kept and when it goes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.assistant import Assistant, LibraryHolder
from bot.assistant.reading import looks_like_notice, read_notice
from bot.cli.flows import load_library
from bot.content.model import Library
from bot.core.buttons import Answer
from bot.core.dialogue import Context, respond
from bot.core.dialogue.triage import evidence_text, might_be_evidence
from bot.core.messages import (
    Command,
    Message,
    NoticeRead,
    Outbound,
    PressAnswer,
    Pressed,
    Said,
    TextSent,
)
from bot.core.state import Commit, HeldNotice, PersonState, Triage
from bot.storage.sqlite import SqliteStore

FLOWS = Path(__file__).resolve().parent.parent / "flows"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

# Written for the project. A parcel text with its link left behind; a mail pasted without its
# header; a short text that names no link and no sender; two stories in one (locked, signed in).
PARCEL = (
    "Japan Post: we could not deliver your parcel today because the address is incomplete.\n"
    "Please update your delivery details here to arrange redelivery."
)
LOCKED = (
    "Your account has been temporarily restricted.\nSign-in time: 2026-02-14 09:12\n"
    "IP address: 198.51.100.23"
)


@pytest.fixture(scope="module")
def lib() -> Library:
    library, issues = load_library(FLOWS)
    assert library is not None, [str(i) for i in issues]
    return library


class Person:
    """One person's state from turn to turn, with notices read as the assistant reads them."""

    def __init__(self, lib: Library, keep_notice: bool = False) -> None:
        self.lib = lib
        self.keep_notice = keep_notice
        self.state = PersonState(7, lang="en")
        self.commit = Commit(self.state)
        self.replies: list[Outbound] = []

    def send(self, incoming: TextSent | Pressed | Command) -> None:
        ctx = Context(self.lib, NOW, keep_notice=self.keep_notice)
        self.commit, response = respond(ctx, self.state, incoming)
        self.state = self.commit.state
        self.replies = list(response.replies)

    def paste(self, text: str) -> None:
        """Text typed or pasted; an answer to a question about a notice joins the notice."""
        pending = self.state.pending
        if isinstance(pending, Triage) and (joined := evidence_text(pending, text)):
            self.send(TextSent(text, reread=self.read(joined)))
        elif looks_like_notice(text):
            self.send(TextSent(text, self.read(text)))
        else:
            self.send(TextSent(text))

    def read(self, text: str) -> NoticeRead:
        read = read_notice(self.lib, text, None, None)
        assert isinstance(read, NoticeRead)
        return read

    def answer(self, data: str) -> None:
        question, _, answer = data.partition(".")
        self.send(Pressed(Answer(question, answer)))

    def texts(self) -> str:
        return "\n".join(r.text for r in self.replies if isinstance(r, Message))

    def buttons(self) -> list[str]:
        return [
            b.data.encode() for r in self.replies if isinstance(r, Message) for row in r.buttons
            for b in row
        ]  # fmt: skip

    def step(self) -> str | None:
        incident = self.state.current_incident()
        return incident.progress.step if incident else None


def test_a_link_answer_is_joined_as_written_defanged_or_bare() -> None:
    t = Triage(HeldNotice("k", "w", text="the notice"), "link")
    assert evidence_text(t, "https://a.example/x") == "the notice\n\nhttps://a.example/x"
    assert evidence_text(t, "it was hxxps://bad[.]example[.]top/p") == (
        "the notice\n\nhttps://bad.example.top/p"
    )
    assert evidence_text(t, "parcel-check.top/jp") == "the notice\n\nparcel-check.top/jp"
    assert evidence_text(t, "I don't know") is None


def test_a_sender_answer_becomes_the_notice_s_sender_line() -> None:
    t = Triage(HeldNotice("k", "w", text="the notice"), "sender")
    assert evidence_text(t, "It's info@post-jp.top") == "From: info@post-jp.top\n\nthe notice"
    assert evidence_text(t, "Japan Post") is None


def test_only_text_with_an_address_is_worth_loading_the_question_for() -> None:
    assert might_be_evidence("sagawa-check.top/r") and might_be_evidence("a@b.example")
    assert not might_be_evidence("I clicked the link") and not might_be_evidence("今日")


def test_a_japanese_text_message_counts_as_long_as_it_shows() -> None:
    sms = (
        "佐川急便より、お荷物をお届けにあがりましたが不在のため持ち帰りました。"
        "下記よりご確認ください。"
    )
    assert len(sms) < 80 and looks_like_notice(sms)
    assert not looks_like_notice("リンクを押してしまいました")


def test_an_answer_that_settles_it_says_the_verdict_again_and_starts_the_walkthrough(
    lib: Library,
) -> None:
    p = Person(lib)
    p.paste(PARCEL)
    assert "q.how.sms" in p.buttons()
    assert isinstance(p.state.pending, Triage) and p.state.pending.notice.text == PARCEL
    p.answer("how.sms")
    assert p.buttons() == ["q.link.none", "q.link.skip"]
    p.paste("https://japanpost-redeliver.top/jp")
    assert "Now that I can see the link" in p.texts()
    assert "most likely phishing" in p.texts() and "japanpost-redeliver.top" in p.texts()
    assert p.step() == "about" and p.state.pending is None
    incident = p.state.current_incident()
    assert incident is not None and incident.notice is None


# Written for the project: a carrier's name and an overdue bill, with nothing to act through.
OVERDUE = (
    "【ソフトバンク】ご利用料金の未払いがあります。お支払い期限を過ぎています。ご確認ください。"
)


def test_a_named_threat_with_nothing_to_act_through_asks_for_the_link_it_came_with(
    lib: Library,
) -> None:
    p = Person(lib)
    p.paste(OVERDUE)
    assert isinstance(p.state.pending, Triage) and "link" in p.state.pending.missing
    p.answer("how.sms")
    assert "q.link.none" in p.buttons()
    p.paste("https://softbank-pay.top/bill")
    assert "most likely phishing" in p.texts()


def test_the_admin_s_keep_notice_keeps_the_text_with_the_incident(lib: Library) -> None:
    p = Person(lib, keep_notice=True)
    p.paste(PARCEL)
    p.answer("how.skip")
    incident = p.state.current_incident()
    assert incident is not None and incident.notice == PARCEL


def test_no_link_then_a_mail_sender_is_asked_and_read(lib: Library) -> None:
    p = Person(lib)
    p.paste(PARCEL)
    p.answer("how.mail")
    p.answer("link.none")
    assert "send me the sender's email address" in p.texts()
    p.paste("info@japanpost-notice.top")
    assert "Now that I can see the sender's address" in p.texts()
    assert p.step() == "about"


def test_a_phone_call_gets_the_call_advice_and_no_question_it_cannot_answer(
    lib: Library,
) -> None:
    p = Person(lib)
    p.paste(PARCEL)
    p.answer("how.call")
    assert "the number shown and the name given can be faked" in p.texts()
    assert p.step() == "about" and p.state.pending is None


def test_a_notice_with_a_password_in_it_is_not_kept_to_be_asked_about(lib: Library) -> None:
    p = Person(lib)
    p.paste(PARCEL + "\nMy password is Hunter2Hunter2!")
    assert p.state.pending is None and p.step() == "about"


def test_urgent_words_during_a_question_start_the_walkthrough_at_the_urgent_step(
    lib: Library,
) -> None:
    p = Person(lib)
    p.paste(PARCEL)
    p.paste("I typed my card number")
    assert p.state.pending is None and p.step() == "urgent_card"


def test_anything_else_typed_asks_the_question_again(lib: Library) -> None:
    p = Person(lib)
    p.paste(PARCEL)
    p.paste("hmm")
    assert "choose how it reached you" in p.texts() and "q.how.sms" in p.buttons()


def test_a_command_that_moves_on_drops_the_question_and_its_text(lib: Library) -> None:
    p = Person(lib)
    p.paste(PARCEL)
    p.send(Command("help"))
    assert isinstance(p.state.pending, Triage)
    p.send(Command("status"))
    assert p.state.pending is None and p.state.incidents == {}


def test_something_else_starts_the_general_walkthrough_and_is_recorded(lib: Library) -> None:
    p = Person(lib)
    p.paste(LOCKED)
    assert "q.kind.account_locked" in p.buttons() and "q.kind.other" in p.buttons()
    p.answer("kind.other")
    incident = p.state.current_incident()
    assert incident is not None and incident.progress.walkthrough == "unknown_notice"
    (pick,) = p.commit.picks
    assert pick.picked == "other" and pick.offered[:2] == ("account_locked", "suspicious_login")


def test_an_old_kind_button_changes_nothing(lib: Library) -> None:
    p = Person(lib)
    p.paste(LOCKED)
    p.answer("kind.suspicious_login")
    p.answer("kind.account_locked")  # the question was answered already
    assert PressAnswer(notice=lib.text("already_done", "en")) in p.replies
    assert not p.commit.picks
    incident = p.state.current_incident()
    assert incident is not None and incident.kind == "suspicious_login"


def test_a_sender_is_not_asked_for_when_no_company_is_named_to_check_it_against(
    lib: Library,
) -> None:
    p = Person(lib)
    p.paste(LOCKED)
    assert not [b for b in p.buttons() if b.startswith("q.sender")]


def test_a_new_notice_during_a_walkthrough_is_asked_about_then_offered_as_a_switch(
    lib: Library,
) -> None:
    p = Person(lib)
    p.send(Command("start", "mail_spam_block"))
    p.paste(PARCEL)
    p.answer("how.skip")
    assert "q.switch.new" in p.buttons()
    p.answer("switch.new")
    assert p.step() == "about" and len(p.state.incidents) == 2


def test_a_phishing_lookalike_of_the_awaited_answer_keeps_the_walkthrough_and_warns(
    lib: Library,
) -> None:
    p = Person(lib)
    p.send(Command("start", "mail_spam_block"))
    incident = p.state.current_incident()
    assert incident is not None
    w = lib.walkthroughs["mail_spam_block"]
    waiting = next(s.id for s in w.steps.values() if s.waits_for)
    at_wait = replace(incident, progress=replace(incident.progress, step=waiting))
    p.state = replace(p.state, incidents={1: at_wait})
    fake = NoticeRead(
        "restriction_lifted",
        "unknown_notice",
        None,
        {},
        lambda lang: "fake",
        verdict="likely_phishing",
    )
    p.send(TextSent("...", fake, forwarded=True))
    assert "fake made to resemble the answer you're waiting for" in p.texts()
    assert "q.switch.new" not in p.buttons() and p.step() == waiting
    assert len(p.state.incidents) == 1


# --- through the assistant, on a real SQLite file -------------------------------------------


async def test_the_assistant_reads_the_answer_with_the_notice_and_upkeep_drops_a_stale_question(
    lib: Library, tmp_path: Path
) -> None:
    now = [NOW]
    store = await SqliteStore.open(tmp_path / "anshin.db", clock=lambda: now[0])
    assistant = Assistant(
        LibraryHolder(lib), store, read_notice, clock=lambda: now[0], default_lang="en"
    )
    try:
        await assistant.handle(7, Said(PARCEL), lang_hint="en")
        await assistant.handle(7, Pressed(Answer("how", "sms")), lang_hint="en")
        replies = await assistant.handle(7, Said("japanpost-redeliver.top/jp"), lang_hint="en")
        said = "\n".join(r.text for r in replies if isinstance(r, Message))
        assert "Now that I can see the link" in said and "most likely phishing" in said

        await assistant.handle(8, Said(PARCEL), lang_hint="en")
        assert isinstance((await store.load(8)).pending, Triage)
        now[0] += timedelta(days=1, hours=2)

        async def nobody(user_id: int, message: Message) -> float | None:
            return None

        await assistant.upkeep.round(nobody)
        assert (await store.load(8)).pending is None
    finally:
        await assistant.close()


def test_a_typed_word_that_names_one_button_answers_the_question(lib: Library) -> None:
    p = Person(lib)
    p.paste(PARCEL)
    p.paste("SMS")
    assert p.buttons() == ["q.link.none", "q.link.skip"]
    p.paste("skip")
    assert p.step() == "about"
