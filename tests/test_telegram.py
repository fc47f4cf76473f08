"""End to end: the real python-telegram-bot Application, over HTTP, against the loopback fake."""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from bot.channels.telegram import TelegramChannel, split_text
from bot.cli.flows import load_library
from bot.cli.run import telegram_app
from bot.cli.settings import Settings
from bot.notices import MAX_NOTICE_BYTES
from fakebot import ChatMessage, FakeBotApi
from fakebot.ptb import polling

ROOT = Path(__file__).resolve().parent.parent
FLOWS = ROOT / "flows"
SAMPLES = ROOT / "bot" / "samples"
USER = 1001
ADMIN = 9001

PHISHING_EN = """\
From: Account Security <security-alert@mail-verify-center.top>
Subject: Urgent: your mailbox will be suspended

Dear customer,

We detected unusual activity on your mail account. Your account will be suspended within 24 hours
unless you verify your identity.

Sign in here to keep your account: http://192.0.2.7/login/verify

Reply to this message with your password if the link does not work.

Security Team
"""


class Clock:
    """A clock the test moves by hand; reminders fall due when it says so."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class Bot:
    """One running bot: the fake server, the Application, and helpers to act as a person."""

    def __init__(self, api: FakeBotApi, channel: Callable[[], TelegramChannel | None]) -> None:
        self.api = api
        self._channel = channel

    @property
    def channel(self) -> TelegramChannel:
        made = self._channel()
        assert made is not None
        return made

    async def reply(self, chat: int = USER, timeout: float = 10) -> ChatMessage:  # noqa: ASYNC109
        return await self.api.next_message(chat, timeout=timeout)

    async def replies_until_buttons(
        self,
        chat: int = USER,
        timeout: float = 10,  # noqa: ASYNC109 - reads best as a plain number in tests
    ) -> list[ChatMessage]:
        """Messages up to and including the next one that carries buttons to go on with (the
        "this verdict looks wrong" under an explanation is not one)."""
        out = []
        while True:
            msg = await self.reply(chat, timeout)
            out.append(msg)
            if any(not b["callback_data"].startswith("f.") for b in msg.buttons):
                return out

    async def quiet(self, chat: int = USER, gap: float = 0.3) -> None:
        """Read messages until the bot has said nothing for `gap` seconds."""
        while True:
            try:
                await self.reply(chat, timeout=gap)
            except AssertionError:
                return

    async def showing(self, button_id: str, chat: int = USER) -> ChatMessage:
        """Wait for the newest message offering this button, and return it."""

        def newest() -> ChatMessage | None:
            for m in reversed(self.api.messages(chat)):
                if any(b["callback_data"].rsplit(".", 1)[-1] == button_id for b in m.buttons):
                    return m
            return None

        return await self.api.wait_for(newest, timeout=10)

    async def press(self, msg: ChatMessage, button_id: str, chat: int = USER) -> list[ChatMessage]:
        data = next(
            b["callback_data"]
            for b in msg.buttons
            if b["callback_data"].rsplit(".", 1)[-1] == button_id
        )
        self.api.press(chat, msg.message_id, data)
        return await self.replies_until_buttons(chat)


def data_of(msg: ChatMessage, button_id: str) -> str:
    return next(b["callback_data"] for b in msg.buttons if b["callback_data"].endswith(button_id))


def settings_for(api: FakeBotApi, db: Path, flows: Path = FLOWS) -> Settings:
    return Settings(
        token=api.token,
        api_base=api.base_url,
        db=db,
        flows=flows,
        admin_ids=frozenset({ADMIN}),
        lang="ja",
        ocr=False,  # photos answered as a text-only bot does; screenshots: test_telegram_images
    )


async def start_bot(
    api: FakeBotApi, settings: Settings, clock: Clock, **options: Any
) -> tuple[Any, Bot]:
    """The Application for `settings`, quick to remind, join and pace; `options` override the
    channel's TelegramOptions."""
    library, issues = load_library(settings.flows)
    assert library is not None, [str(i) for i in issues]
    quick = {"reminder_interval": 0.05, "join_window": 0.3, "pace": 1000.0}
    app, channel = telegram_app(settings, library, clock=clock, **{**quick, **options})
    return app, Bot(api, channel)


async def eventually(check: Callable[[], bool], timeout: float = 20.0) -> None:  # noqa: ASYNC109
    """Wait until check() holds, for changes the fake cannot wake us for (a flows swap, a log
    line)."""
    async with asyncio.timeout(timeout):
        while not check():  # noqa: ASYNC110 - nothing to wait on but the check itself
            await asyncio.sleep(0.05)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as fake:
        yield fake


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def bot(api: FakeBotApi, tmp_path: Path, clock: Clock) -> AsyncIterator[Bot]:
    app, running = await start_bot(api, settings_for(api, tmp_path / "anshin.db"), clock)
    async with polling(app):
        yield running


def hidden_origin(name: str) -> dict[str, Any]:
    return {"type": "hidden_user", "sender_user_name": name, "date": 1764115200}


STORIES = {
    "ja": {
        "sample": "isp_notice_ja.txt",
        "first": "ステップ 1 /",
        "asked_twice": "どう書かれていますか",
        "devices_prompt": "調べた機器",
        # An answer that says what was done: it must go in as a value, never before a verb.
        "devices": "Windowsセキュリティで調べました",
        "password": "パスワード",
        "today": "今日",
        "name_prompt": "お名前",
        "name": "山田太郎",
        "account_line": "メールアドレス taro.yamada@example.dti.ne.jp を利用しております",
        "devices_line": "検査した機器：Windowsセキュリティで調べました",
        "doubled": ("ましたを", "を検査しました（"),
        "finished": "おつかれさまでした",
    },
    "en": {
        "sample": "isp_notice_en.txt",
        "first": "Step 1 of",
        "asked_twice": "What does your notice say?",
        "devices_prompt": "devices you scanned",
        "devices": "I scanned my laptop with Windows Security",
        "password": "password",
        "today": "today",
        "name_prompt": "Your name",
        "name": "Taro Yamada",
        "account_line": "I use the mail address taro.yamada@example.dti.ne.jp",
        "devices_line": "Devices scanned: I scanned my laptop with Windows Security",
        "doubled": ("scanned I scanned",),
        "finished": "Well done",
    },
}


@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_the_story_from_forwarded_notice_to_the_last_step(bot: Bot, lang: str) -> None:
    story = STORIES[lang]
    notice = (SAMPLES / story["sample"]).read_text(encoding="utf-8")
    bot.api.send_text(USER, notice, forward_origin=hidden_origin("DTI"), language_code=lang)
    first = await bot.replies_until_buttons()
    library, _ = load_library(FLOWS)
    assert library is not None
    # The explanation names the provider and says what kind of notice it is.
    assert "DTI" in first[0].text
    assert library.kinds["outbound_spam_restriction"].title.get(lang) in first[0].text
    step = first[-1]
    assert step.text.startswith(story["first"])
    assert step.parse_mode == "HTML"

    msgs = await bot.press(step, "_next")
    # The notice says DTI stopped the sending: the bot does not ask what the notice says.
    assert story["asked_twice"] not in msgs[-1].text
    msgs = await bot.press(msgs[-1], "_next")
    assert story["devices_prompt"] in msgs[-1].text  # the step that asks which devices
    bot.api.send_text(USER, story["devices"], language_code=lang)
    msgs = await bot.replies_until_buttons()
    msgs = await bot.press(msgs[-1], "clean")
    assert story["password"] in msgs[-1].text
    bot.api.send_text(USER, story["today"], language_code=lang)
    msgs = await bot.replies_until_buttons()
    msgs = await bot.press(msgs[-1], "_next")
    bot.api.press(USER, msgs[-1].message_id, data_of(msgs[-1], ".changed"))
    # The draft needs the person's name, which the notice does not hold: the bot asks for it.
    await bot.replies_until_buttons()
    ask = await bot.reply()
    assert story["name_prompt"] in ask.text
    bot.api.send_text(USER, story["name"], language_code=lang)
    ask_replies = await bot.replies_until_buttons()
    letters = [m for m in ask_replies if m.source and m.source.startswith("<pre>")]
    assert letters, [m.text for m in ask_replies]
    letter = letters[0].text or ""
    assert story["name"] in letter and "{{" not in letter
    # The account is the person's own, read from the part of the notice addressed to them.
    assert story["account_line"] in letter
    # The devices answer is a value on its labelled line; no verb is said twice.
    assert story["devices_line"] in [line.strip() for line in letter.splitlines()]
    assert not any(twice in letter for twice in story["doubled"]), letter
    assert not re.search(r"\b(\w+) \1\b", letter, re.IGNORECASE), letter
    assert bot.api.documents(USER), "the draft also comes as a .txt file"
    await bot.quiet()
    msgs = await bot.press(await bot.showing("form"), "form")
    msgs = await bot.press(msgs[-1], "lifted")
    msgs = await bot.press(msgs[-1], "works")
    bot.api.press(USER, msgs[-1].message_id, msgs[-1].buttons[0]["callback_data"])
    done = await bot.reply()
    while story["finished"] not in (done.text or ""):
        done = await bot.reply()

    presses = [c for c in bot.api.calls if c.method.lower() == "answercallbackquery"]
    queries = {c.params.get("callback_query_id") for c in presses}
    assert len(presses) == len(queries), "every press is answered exactly once"
    edited = [m for m in bot.api.messages(USER) if m.edited]
    assert edited and all(not m.buttons for m in edited), "pressed messages lose their buttons"
    assert any("→" in (m.text or "") for m in edited), "and show the choice"
    failed = [c for c in bot.api.calls if c.method.lower().startswith("edit") and not c.ok]
    assert failed == [], "no edit Telegram refuses"


async def test_a_phishing_lookalike_in_english_is_called_out(bot: Bot) -> None:
    bot.api.send_text(USER, PHISHING_EN, language_code="en")
    first = await bot.reply()
    assert "phishing" in (first.text or "").lower()


async def test_a_double_press_changes_nothing_twice(bot: Bot, tmp_path: Path) -> None:
    bot.api.send_command(USER, "/start mail_spam_block", language_code="en")
    msgs = await bot.replies_until_buttons()
    step = msgs[-1]
    data = next(b["callback_data"] for b in step.buttons if b["callback_data"].endswith("._next"))
    bot.api.press(USER, step.message_id, data)
    bot.api.press(USER, step.message_id, data)
    await bot.replies_until_buttons()
    # Both presses are answered once each handled; the second turn is the one that changes nothing.
    await bot.api.wait_for(lambda: len(bot.api.calls_to("answerCallbackQuery")) >= 2, timeout=5)
    rows = await bot.channel.assistant.store.timeline(USER, 1)
    assert [r.step for r in rows if r.outcome == "done"] == ["what_happened"]
    answers = [c for c in bot.api.calls if c.method.lower() == "answercallbackquery"]
    assert len(answers) == 2
    assert any(c.params.get("text") for c in answers), "the second press hears 'already done'"


async def test_the_next_step_does_not_wait_for_the_press_to_be_answered_and_shown(
    bot: Bot,
) -> None:
    bot.api.send_command(USER, "/start mail_spam_block", language_code="en")
    step = (await bot.replies_until_buttons())[-1]
    bot.api.slow_down("answerCallbackQuery", 1.0)
    bot.api.slow_down("editMessageText", 1.0)
    data = next(b["callback_data"] for b in step.buttons if b["callback_data"].endswith("._next"))
    bot.api.press(USER, step.message_id, data)

    await bot.replies_until_buttons()
    # Sent one after the other, the next step would come two slow round trips later.
    assert not bot.api.calls_to("answerCallbackQuery")
    assert not bot.api.calls_to("editMessageText")
    await bot.api.wait_for(
        lambda: bot.api.message(USER, step.message_id).buttons == [] or None, timeout=5
    )
    assert len(bot.api.calls_to("answerCallbackQuery")) == 1
    assert (bot.api.message(USER, step.message_id).text or "").endswith("→ Next")


async def test_a_press_too_old_to_answer_still_moves_on_without_an_apology(bot: Bot) -> None:
    bot.api.send_command(USER, "/start mail_spam_block", language_code="en")
    step = (await bot.replies_until_buttons())[-1]
    bot.api.fail_next(
        "answerCallbackQuery",
        400,
        description="Bad Request: query is too old and response timeout expired or query ID is "
        "invalid",
    )
    bot.api.fail_next("editMessageText", 500, description="Internal Server Error")
    data = next(b["callback_data"] for b in step.buttons if b["callback_data"].endswith("._next"))
    bot.api.press(USER, step.message_id, data)

    next_step = (await bot.replies_until_buttons())[-1]
    assert next_step.text.startswith("Step 2 of")
    await bot.quiet()
    said = [m.text or "" for m in bot.api.messages(USER)[-3:] if m.from_bot]
    assert not any("went wrong" in text for text in said), said
    assert [c.status for c in bot.api.calls_to("answerCallbackQuery")] == [400]
    assert [c.status for c in bot.api.calls_to("editMessageText")] == [500]


async def test_requests_share_the_configured_number_of_connections(
    api: FakeBotApi, tmp_path: Path, clock: Clock
) -> None:
    settings = replace(settings_for(api, tmp_path / "anshin.db"), connections=2)
    app, running = await start_bot(api, settings, clock)
    api.slow_down("sendMessage", 0.3)
    people = range(USER, USER + 6)
    async with polling(app):
        for person in people:
            api.send_command(person, "/help", language_code="en")
        for person in people:
            await running.reply(person)
    assert api.peak_in_flight == 2


async def test_a_long_notice_split_in_three_messages_is_read_once(bot: Bot) -> None:
    body = (SAMPLES / "isp_notice_en.txt").read_text(encoding="utf-8")
    filler = "This paragraph is part of a long notice and explains our policies in detail. " * 45
    parts = [body[:400] + "\n\n" + filler, filler, body[400:]]
    assert len(parts[0]) >= 3000
    for part in parts:
        bot.api.send_text(USER, part, language_code="en")
    msgs = await bot.replies_until_buttons()
    # A part read on its own would be answered within the join window: wait until all is quiet.
    await bot.quiet(gap=0.6)
    explanations = [
        m for m in bot.api.messages(USER) if m.from_bot and "Step 1 of" not in (m.text or "")
    ]
    steps = [m for m in bot.api.messages(USER) if m.from_bot and "Step 1 of" in (m.text or "")]
    assert len(steps) == 1, [m.text[:60] for m in bot.api.messages(USER) if m.from_bot and m.text]
    assert explanations and msgs


async def test_an_eml_upload_is_read_like_a_pasted_notice(bot: Bot) -> None:
    mail = EmailMessage()
    mail["From"] = "DTI Support <support@dti.ne.jp>"
    mail["To"] = "taro@example.jp"
    mail["Subject"] = "メール送信制限のお知らせ"
    mail.set_content(
        (SAMPLES / "isp_notice_ja.txt").read_text(encoding="utf-8").split("\n\n", 1)[1],
        charset="iso-2022-jp",
    )
    bot.api.send_document(USER, "notice.eml", mail.as_bytes(), mime_type="message/rfc822")
    msgs = await bot.replies_until_buttons()
    assert msgs[-1].text.startswith("ステップ 1 /")


async def test_other_files_photos_and_big_files_get_a_clear_answer(bot: Bot) -> None:
    bot.api.send_document(USER, "scan.pdf", b"%PDF-1.4")
    assert ".eml" in (await bot.reply()).text
    bot.api.send_photo(USER)
    assert ".eml" in (await bot.reply()).text
    bot.api.send_document(USER, "big.txt", b"a" * (MAX_NOTICE_BYTES + 1))
    assert "大きすぎて読めません（1 MiB まで）" in (await bot.reply()).text


async def test_a_pasted_password_is_deleted_and_warned_about(bot: Bot) -> None:
    bot.api.send_text(USER, "My password is Hunter2Hunter2!", language_code="en")
    warning = await bot.reply()
    assert "Never send" in warning.text
    await bot.api.wait_for(lambda: bot.api.user_messages(USER)[-1].deleted, timeout=3)


async def test_admin_reload_with_a_broken_flow_keeps_the_live_flows(
    api: FakeBotApi, tmp_path: Path, clock: Clock
) -> None:
    flows = tmp_path / "flows"
    shutil.copytree(FLOWS, flows)
    app, bot = await start_bot(api, settings_for(api, tmp_path / "a.db", flows), clock)
    async with polling(app):
        story = flows / "walkthroughs" / "mail_spam_block.yaml"
        story.write_text(
            story.read_text(encoding="utf-8").replace("goto: check_sent", "goto: check_snet"),
            encoding="utf-8",
        )
        api.send_command(USER, "/reload", language_code="en")
        assert "only the bot's admins" in (await bot.reply()).text
        api.send_command(ADMIN, "/reload", language_code="en")
        refusal = await bot.reply(ADMIN)
        assert "Reload refused" in refusal.text
        assert (
            "mail_spam_block.yaml" in refusal.text and "did you mean 'check_sent'?" in refusal.text
        )
        api.send_command(USER, "/start mail_spam_block", language_code="en")
        msgs = await bot.replies_until_buttons()
        assert msgs[-1].text.startswith("Step 1 of")

        story.write_text(
            story.read_text(encoding="utf-8").replace("goto: check_snet", "goto: check_sent"),
            encoding="utf-8",
        )
        (flows / "texts.yaml").write_text(
            (flows / "texts.yaml").read_text(encoding="utf-8").replace('en: "Next"', 'en: "Go on"'),
            encoding="utf-8",
        )
        api.send_command(ADMIN, "/reload", language_code="en")
        assert "Reloaded" in (await bot.reply(ADMIN)).text
        api.send_command(USER, "/status", language_code="en")
        msgs = await bot.replies_until_buttons()
        assert any(b["text"] == "Go on" for b in msgs[-1].buttons)


async def test_watch_reloads_a_changed_flow_and_keeps_the_live_flows_when_broken(
    api: FakeBotApi, tmp_path: Path, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="anshin.reload")
    flows = tmp_path / "flows"
    shutil.copytree(FLOWS, flows)
    settings = settings_for(api, tmp_path / "w.db", flows)
    app, bot = await start_bot(api, settings, clock, watch=0.05)
    texts = flows / "texts.yaml"

    async def next_button_after_start() -> str:
        api.send_command(USER, "/start mail_spam_block", language_code="en")
        step = (await bot.replies_until_buttons())[-1]
        return next(b["text"] for b in step.buttons if b["callback_data"].endswith("._next"))

    async with polling(app):
        live = bot.channel.assistant.library
        first = live.current
        assert await next_button_after_start() == "Next"
        texts.write_text(
            texts.read_text(encoding="utf-8").replace('en: "Next"', 'en: "Go on"'),
            encoding="utf-8",
        )
        await eventually(lambda: live.current is not first)
        assert await next_button_after_start() == "Go on"

        reloaded = live.current
        good = texts.read_text(encoding="utf-8")
        texts.write_text("texts: [this is not\n", encoding="utf-8")
        await eventually(lambda: "Reload refused" in caplog.text)
        assert live.current is reloaded
        assert await next_button_after_start() == "Go on"

        # Still watching after a refusal: the repaired file is taken up.
        texts.write_text(good.replace('en: "Go on"', 'en: "Carry on"'), encoding="utf-8")
        await eventually(lambda: live.current is not reloaded)
        assert await next_button_after_start() == "Carry on"


async def test_forget_asks_then_deletes_everything(bot: Bot) -> None:
    bot.api.send_command(USER, "/start mail_spam_block", language_code="en")
    await bot.replies_until_buttons()
    bot.api.send_command(USER, "/forget", language_code="en")
    question = (await bot.replies_until_buttons())[-1]
    bot.api.press(USER, question.message_id, "q.forget.yes")
    confirmation = await bot.reply()
    assert "Everything is deleted" in confirmation.text
    person = await bot.channel.assistant.store.load(USER)
    assert person.incidents == {} and person.lang is None


async def test_state_and_reminders_survive_a_restart(
    api: FakeBotApi, tmp_path: Path, clock: Clock
) -> None:
    settings = settings_for(api, tmp_path / "r.db")
    app, bot = await start_bot(api, settings, clock)
    async with polling(app):
        api.send_command(USER, "/start mail_spam_block", language_code="en")
        msgs = await bot.replies_until_buttons()
        msgs = await bot.press(msgs[-1], "_next")
        msgs = await bot.press(msgs[-1], "server")
        assert "Scan every device" in msgs[-1].text
    # A new process on the same database: the person is still on the scan step, and its
    # one-day reminder still falls due.
    app, bot = await start_bot(api, settings, clock)
    async with polling(app):
        api.send_command(USER, "/status", language_code="en")
        status = await bot.replies_until_buttons()
        assert any("▶ Scan your devices for viruses" in (m.text or "") for m in status)
        clock.now += timedelta(days=1, minutes=1)
        reminder = await bot.reply(timeout=5)
        assert "Have you scanned your devices yet?" in reminder.text


async def test_commands_are_registered_in_japanese_and_english(bot: Bot) -> None:
    commands = await bot.api.wait_for(
        lambda: {"ja", "en"} <= set(bot.api.commands) and bot.api.commands
    )
    assert {"ja", "en"} <= set(commands)
    assert ("status", "今の進み具合") in commands["ja"]
    assert ("forget", "Delete everything about you") in commands["en"]


def test_split_text_breaks_at_paragraphs_below_the_limit() -> None:
    text = "\n\n".join(f"paragraph {i} " + "x" * 900 for i in range(12))
    parts = split_text(text)
    assert all(len(p) <= 3800 for p in parts)
    assert "\n\n".join(parts) == text
    assert all(p.startswith("paragraph") for p in parts)


async def test_export_sends_the_timeline_as_a_file(bot: Bot) -> None:
    bot.api.send_command(USER, "/start mail_spam_block", language_code="en")
    msgs = await bot.replies_until_buttons()
    await bot.press(msgs[-1], "_next")
    bot.api.send_command(USER, "/export", language_code="en")
    await bot.api.wait_for(lambda: bot.api.documents(USER), timeout=10)
    doc = bot.api.documents(USER)[-1]
    text = doc.data.decode("utf-8")
    assert text.startswith(
        '#1 "Your outgoing mail was blocked (account misused)": what I did and when'
    )
    assert "Done: Understand what happened" in text


async def test_a_failing_turn_gets_a_friendly_message_and_keeps_the_progress(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot.api.send_command(USER, "/start mail_spam_block", language_code="en")
    msgs = await bot.replies_until_buttons()
    step = msgs[-1]

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr("bot.assistant.seam.respond", broken)
    bot.api.press(USER, step.message_id, step.buttons[0]["callback_data"])
    sorry = await bot.reply()
    assert "Sorry, something went wrong" in sorry.text
    monkeypatch.undo()
    person = await bot.channel.assistant.store.load(USER)
    current = person.current_incident()
    assert current is not None and current.progress.step == "what_happened"


async def test_webhook_mode_refuses_requests_without_the_secret_token(
    api: FakeBotApi, tmp_path: Path, clock: Clock
) -> None:
    import socket

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    api.add_user(USER, language_code="en")
    app, bot = await start_bot(api, settings_for(api, tmp_path / "w.db"), clock)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    await app.start()
    assert app.updater is not None
    await app.updater.start_webhook(
        listen="127.0.0.1",
        port=port,
        url_path="telegram",
        webhook_url="https://bot.example/telegram",
        secret_token="s3cret-token",
    )
    try:
        update = {
            "update_id": 5,
            "message": {
                "message_id": 1,
                "date": 1764115200,
                "text": "/start",
                "chat": {"id": USER, "type": "private"},
                "from": {"id": USER, "is_bot": False, "first_name": "A", "language_code": "en"},
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
        async with httpx.AsyncClient() as http:
            url = f"http://127.0.0.1:{port}/telegram"
            refused = await http.post(url, json=update)
            wrong = await http.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"}
            )
            taken = await http.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
            )
        assert refused.status_code == 403 and wrong.status_code == 403
        assert taken.status_code == 200
        welcome = await bot.reply()
        assert "Hello, I'm Anshin" in welcome.text
        assert api.webhook is not None and api.webhook.secret_token == "s3cret-token"
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        assert app.post_shutdown is not None
        await app.post_shutdown(app)


async def test_an_older_copy_of_the_current_step_still_does_what_it_says(bot: Bot) -> None:
    bot.api.send_command(USER, "/start mail_spam_block", language_code="en")
    first = (await bot.replies_until_buttons())[-1]
    # Typing a detail the draft needs shows the step again below the answer.
    bot.api.send_command(USER, "/draft", language_code="en")
    await bot.reply()
    bot.api.send_text(USER, "taro@example.jp", language_code="en")
    again = (await bot.replies_until_buttons())[-1]
    assert again.message_id != first.message_id and again.text == first.text
    bot.api.press(USER, first.message_id, data_of(first, "._next"))
    moved = (await bot.replies_until_buttons())[-1]
    assert moved.text.startswith("Step 2 of"), moved.text
    await bot.quiet()
    # The newer copy is now behind the person: its press says so, and only that.
    bot.api.press(USER, again.message_id, data_of(again, "._next"))
    answered = await bot.api.wait_for(
        lambda: (
            [c for c in bot.api.calls_to("answerCallbackQuery") if c.params.get("text")] or None
        ),
        timeout=5,
    )
    told = str(answered[-1].params["text"])
    assert "You're on step 2" in told and "closed" not in told, told
    person = await bot.channel.assistant.store.load(USER)
    current = person.current_incident()
    assert current is not None and current.progress.step == "real_or_fake"


async def test_double_taps_and_old_copies_cause_no_failed_edits(bot: Bot) -> None:
    bot.api.send_command(USER, "/start mail_spam_block", language_code="en")
    step = (await bot.replies_until_buttons())[-1]
    for button in ("._next", ".server", "._next"):
        data = data_of(step, button)
        bot.api.press(USER, step.message_id, data)
        bot.api.press(USER, step.message_id, data)
        step = (await bot.replies_until_buttons())[-1]
        await bot.quiet()
    bot.api.send_command(USER, "/status", language_code="en")
    shown = (await bot.replies_until_buttons())[-1]
    bot.api.send_text(USER, "my laptop", language_code="en")
    step = (await bot.replies_until_buttons())[-1]
    bot.api.press(USER, shown.message_id, shown.buttons[0]["callback_data"])
    bot.api.press(USER, step.message_id, data_of(step, ".clean"))
    bot.api.press(USER, step.message_id, data_of(step, ".clean"))
    await bot.replies_until_buttons()
    await bot.quiet()
    edits = [c for c in bot.api.calls if c.method.lower().startswith("editmessage")]
    failed = [c.description for c in edits if not c.ok]
    assert edits and failed == []
    person = await bot.channel.assistant.store.load(USER)
    current = person.current_incident()
    assert current is not None and current.progress.step == "change_password"
