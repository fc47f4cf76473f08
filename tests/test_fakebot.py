"""The fake Bot API, proven against the real python-telegram-bot Application over loopback HTTP."""

from __future__ import annotations

import asyncio
import datetime as dtm
import html
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    MessageOriginHiddenUser,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from fakebot import FakeBotApi
from fakebot.html import EntityParseError, parse_html
from fakebot.methods import METHODS, Method
from fakebot.ptb import application_builder, polling

App = Application[Any, Any, Any, Any, Any, Any]
USER = 4242
AGAIN = InlineKeyboardMarkup([[InlineKeyboardButton("Again", callback_data="again")]])


# -- a small echo bot --------------------------------------------------------------------------


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    await message.reply_html(
        f"Echo: <b>{html.escape(message.text)}</b>", reply_markup=AGAIN, do_quote=True
    )


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Done")
    # No reply_markup: Telegram drops the keyboard, and so must the fake.
    await query.edit_message_text(f"Pressed {query.data}")


async def document_received(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.document is not None
    file = await message.document.get_file()
    data = await file.download_as_bytearray()
    await message.reply_text(f"Got {message.document.file_name}: {data.decode()}")


async def report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_document(
        b"line 1\nline 2\n",
        filename="report.txt",
        caption="Your <i>report</i>",
        parse_mode=ParseMode.HTML,
    )


def echo_bot(api: FakeBotApi) -> App:
    app = application_builder(api).build()
    app.add_handler(CommandHandler("report", report))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(MessageHandler(filters.Document.ALL, document_received))
    app.add_handler(CallbackQueryHandler(pressed))
    return app


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as fake:
        yield fake


@pytest.fixture
async def app(api: FakeBotApi) -> AsyncIterator[App]:
    # A 30 s long poll that still answers in milliseconds is the proof the poll wakes on enqueue.
    async with polling(echo_bot(api), poll_timeout=30) as running:
        yield running


# -- end to end through PTB polling ------------------------------------------------------------


async def test_text_is_echoed_as_html_reply_with_inline_button(api: FakeBotApi, app: App) -> None:
    api.send_text(USER, "hello <you>")

    reply = await api.next_message(USER, timeout=3)

    assert reply.text == "Echo: hello <you>"
    assert reply.source == "Echo: <b>hello &lt;you&gt;</b>"
    assert reply.parse_mode == "HTML"
    assert reply.entities == ({"type": "bold", "offset": 6, "length": 11},)
    assert [(b["text"], b["callback_data"]) for b in reply.buttons] == [("Again", "again")]
    [asked] = api.user_messages(USER)
    assert reply.reply_to_message_id == asked.message_id


async def test_press_is_answered_once_and_message_edited_without_keyboard(
    api: FakeBotApi, app: App
) -> None:
    api.send_text(USER, "hi")
    shown = await api.next_message(USER, timeout=3)

    query_id = api.press(USER, shown.message_id, "again")
    edited = await api.next_edit(USER, shown.message_id, timeout=3)

    assert edited.text == "Pressed again"
    assert edited.buttons == []
    assert [r.text for r in edited.history] == ["Echo: hi"]
    answers = api.calls_to("answerCallbackQuery")
    assert [c.params["callback_query_id"] for c in answers] == [query_id]
    assert api.callback_query(query_id).answer == {"text": "Done"}


async def test_answering_a_query_twice_is_refused(api: FakeBotApi, app: App) -> None:
    api.send_text(USER, "hi")
    shown = await api.next_message(USER, timeout=3)
    query_id = api.press(USER, shown.message_id, "again")
    await api.wait_for(lambda: api.callback_query(query_id).answer, timeout=3)

    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await app.bot.answer_callback_query(query_id)


async def test_pressing_a_button_the_bot_never_showed_is_a_test_error(
    api: FakeBotApi, app: App
) -> None:
    api.send_text(USER, "hi")
    shown = await api.next_message(USER, timeout=3)

    with pytest.raises(ValueError, match="no button with callback_data 'nope'"):
        api.press(USER, shown.message_id, "nope")


async def test_user_document_is_downloaded_through_get_file(api: FakeBotApi, app: App) -> None:
    api.send_document(USER, "notice.txt", b"your bill is late", mime_type="text/plain")

    reply = await api.next_message(USER, timeout=3)

    assert reply.text == "Got notice.txt: your bill is late"
    assert len(api.calls_to("getFile")) == 1
    assert api.downloads == ("documents/file_1.txt",)


async def test_bot_upload_records_filename_bytes_and_caption(api: FakeBotApi, app: App) -> None:
    api.send_command(USER, "/report now")

    sent = await api.next_message(USER, timeout=3)

    [document] = api.documents(USER)
    assert (document.filename, document.data) == ("report.txt", b"line 1\nline 2\n")
    assert document.mime_type == "text/plain"
    assert sent.caption == "Your report"
    assert sent.caption_entities == ({"type": "italic", "offset": 5, "length": 6},)


# -- Telegram's errors, raised by PTB on direct calls ------------------------------------------


async def test_bad_html_is_refused_with_telegrams_wording(api: FakeBotApi, app: App) -> None:
    api.add_user(USER)

    with pytest.raises(BadRequest) as refused:
        await app.bot.send_message(USER, "Line one<br>line two", parse_mode=ParseMode.HTML)

    # PTB strips "Bad Request: " and capitalizes; the raw description is on the recorded call.
    assert "can't parse entities" in refused.value.message.lower()
    [call] = api.calls_to("sendMessage")
    assert call.description == (
        'Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 8'
    )
    assert api.messages(USER) == []


async def test_unclosed_tag_is_refused(api: FakeBotApi, app: App) -> None:
    api.add_user(USER)

    with pytest.raises(BadRequest, match=r"(?i)can't find end tag corresponding to start tag"):
        await app.bot.send_message(USER, "<b>bold", parse_mode=ParseMode.HTML)


async def test_length_limit_counts_text_after_markup_is_parsed(api: FakeBotApi, app: App) -> None:
    api.add_user(USER)

    await app.bot.send_message(USER, f"<b>{'a' * 4096}</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await app.bot.send_message(USER, "a" * 4097)

    assert [len(m.text or "") for m in api.messages(USER)] == [4096]


async def test_empty_text_is_refused(api: FakeBotApi, app: App) -> None:
    api.add_user(USER)

    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await app.bot.send_message(USER, "<b> </b>", parse_mode=ParseMode.HTML)


async def test_callback_data_over_64_bytes_is_refused(api: FakeBotApi, app: App) -> None:
    api.add_user(USER)
    # 22 characters but 66 UTF-8 bytes: the limit is in bytes.
    button = InlineKeyboardButton("Go", callback_data="あ" * 22)

    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await app.bot.send_message(USER, "choose", reply_markup=InlineKeyboardMarkup([[button]]))


async def test_editing_to_identical_content_is_not_modified(api: FakeBotApi, app: App) -> None:
    api.add_user(USER)
    sent = await app.bot.send_message(USER, "same", reply_markup=AGAIN)

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await app.bot.edit_message_text("same", USER, sent.message_id, reply_markup=AGAIN)


async def test_unknown_message_ids_are_refused(api: FakeBotApi, app: App) -> None:
    api.add_user(USER)

    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await app.bot.edit_message_text("x", USER, 999)
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await app.bot.delete_message(USER, 999)


async def test_deleted_message_stays_visible_to_the_test_flagged(api: FakeBotApi, app: App) -> None:
    api.add_user(USER)
    sent = await app.bot.send_message(USER, "temporary")

    assert await app.bot.delete_message(USER, sent.message_id)

    assert [(m.text, m.deleted) for m in api.messages(USER)] == [("temporary", True)]


async def test_unknown_and_blocking_chats_are_refused(api: FakeBotApi, app: App) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await app.bot.send_message(777, "hello?")

    api.block(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await app.bot.send_message(USER, "still there?")


async def test_injected_flood_control_raises_retry_after_once(
    api: FakeBotApi, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without the opt-in, PTB 22 warns on reading retry_after, and warnings are errors here.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    api.add_user(USER)
    api.fail_next("sendMessage", error_code=429, retry_after=3)

    with pytest.raises(RetryAfter) as flood:
        await app.bot.send_message(USER, "first")
    await app.bot.send_message(USER, "second")

    assert flood.value.retry_after == dtm.timedelta(seconds=3)
    assert [c.status for c in api.calls_to("sendMessage")] == [429, 200]
    assert [m.text for m in api.messages(USER)] == ["second"]


async def test_a_slowed_method_answers_late_while_others_answer_at_once(
    api: FakeBotApi, app: App
) -> None:
    api.add_user(USER)
    api.slow_down("sendMessage", 1.0)

    slow = asyncio.create_task(app.bot.send_message(USER, "slow"))
    await api.wait_for(lambda: api.peak_in_flight == 1, timeout=2)  # the fake holds it
    await app.bot.send_chat_action(USER, "typing")
    assert not slow.done()
    assert api.calls[-1].method == "sendChatAction"
    assert not api.calls_to("sendMessage")
    await slow
    api.slow_down("sendMessage", 0)
    # Well under the 1 s it took when slowed.
    await asyncio.wait_for(app.bot.send_message(USER, "quick"), 0.9)
    assert [m.text for m in api.messages(USER)] == ["slow", "quick"]


async def test_set_my_commands_is_recorded_per_language(api: FakeBotApi, app: App) -> None:
    await app.bot.set_my_commands([("start", "Begin"), ("help", "How it works")])
    await app.bot.set_my_commands([("start", "はじめる")], language_code="ja")

    assert api.commands == {
        "": [("start", "Begin"), ("help", "How it works")],
        "ja": [("start", "はじめる")],
    }
    fetched = await app.bot.get_my_commands(language_code="ja")
    assert [(c.command, c.description) for c in fetched] == [("start", "はじめる")]


async def test_invalid_command_name_is_refused(api: FakeBotApi, app: App) -> None:
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await app.bot.set_my_commands([("Start", "capital letters are not allowed")])


async def test_wrong_token_is_unauthorized(api: FakeBotApi) -> None:
    stranger = application_builder(api).token("999:WRONG").build()

    with pytest.raises(InvalidToken):
        await stranger.bot.initialize()
    await stranger.bot.shutdown()


async def test_reply_markup_edit_removes_keyboard_then_reports_not_modified(
    api: FakeBotApi, app: App
) -> None:
    api.add_user(USER)
    sent = await app.bot.send_message(USER, "choose", reply_markup=AGAIN)

    await app.bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=None)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await app.bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=None)

    edited = api.message(USER, sent.message_id)
    assert (edited.text, edited.buttons) == ("choose", [])
    assert [len(r.reply_markup["inline_keyboard"]) for r in edited.history if r.reply_markup] == [1]


async def test_link_preview_options_and_chat_actions_are_recorded(
    api: FakeBotApi, app: App
) -> None:
    api.add_user(USER)

    await app.bot.send_chat_action(USER, ChatAction.TYPING)
    await app.bot.send_message(
        USER, "see https://example.com", link_preview_options=LinkPreviewOptions(is_disabled=True)
    )
    with pytest.raises(BadRequest, match=r"(?i)wrong parameter action"):
        await app.bot.send_chat_action(USER, "juggling")

    [action, _] = api.calls_to("sendChatAction")
    assert action.params == {"chat_id": USER, "action": "typing"}
    assert api.messages(USER)[0].link_preview_options == {"is_disabled": True}


async def test_active_webhook_blocks_get_updates_until_deleted(api: FakeBotApi) -> None:
    bot = application_builder(api).build().bot
    async with bot:
        await bot.set_webhook("https://bot.example/hook", secret_token="s3cret")
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        info = await bot.get_webhook_info()
        assert api.webhook is not None and api.webhook.secret_token == "s3cret"

        await bot.delete_webhook()
        assert await bot.get_updates(timeout=0) == ()
    assert info.url == "https://bot.example/hook"


async def test_scripted_updates_parse_as_ptb_objects(api: FakeBotApi) -> None:
    bot = application_builder(api).build().bot
    dti = {"type": "hidden_user", "sender_user_name": "DTI", "date": 1_700_000_000}
    api.add_user(USER, first_name="Hanako", language_code="ja", username="hanako")
    api.send_text(USER, "本日中にお支払いください", forward_origin=dti)
    api.send_photo(USER, caption="screenshot")
    api.send_document(USER, "bill.pdf", b"%PDF-1.4", mime_type="application/pdf")
    api.send_command(USER, "/start from-ad", language_code="en")
    async with bot:
        shown = await bot.send_message(USER, "ok?", reply_markup=AGAIN)
    api.press(USER, shown.message_id, "again")

    forwarded, photo, document, command, press = (
        Update.de_json(dict(payload), bot) for payload in api.pending_updates
    )

    assert forwarded.message is not None and forwarded.message.forward_origin is not None
    assert isinstance(forwarded.message.forward_origin, MessageOriginHiddenUser)
    assert forwarded.message.forward_origin.sender_user_name == "DTI"
    assert forwarded.message.from_user is not None
    assert forwarded.message.from_user.language_code == "ja"
    assert photo.message is not None and photo.message.photo[-1].width == 1280
    assert photo.message.caption == "screenshot"
    assert document.message is not None and document.message.document is not None
    assert document.message.document.file_name == "bill.pdf"
    assert command.message is not None and command.message.from_user is not None
    assert command.message.parse_entities(["bot_command"]) != {}
    assert command.message.from_user.language_code == "en"
    assert press.callback_query is not None and press.callback_query.data == "again"
    assert press.callback_query.message is not None
    assert press.callback_query.message.message_id == shown.message_id


async def test_an_album_is_one_photo_update_each_sharing_a_group_largest_size_last(
    api: FakeBotApi,
) -> None:
    bot = application_builder(api).build().bot
    api.send_album(USER, [b"first picture", b"second picture"], caption="both")
    api.send_album(USER, [b"another album"])
    first, second, other = (Update.de_json(dict(p), bot) for p in api.pending_updates)
    assert first.message is not None and second.message is not None and other.message is not None
    assert first.message.media_group_id == second.message.media_group_id is not None
    assert other.message.media_group_id != first.message.media_group_id
    assert first.message.caption == "both" and second.message.caption is None
    sizes = first.message.photo
    assert len(sizes) == 2 and sizes[0].width < sizes[-1].width
    async with bot:
        largest = await (await bot.get_file(sizes[-1].file_id)).download_as_bytearray()
        thumbnail = await (await bot.get_file(sizes[0].file_id)).download_as_bytearray()
    assert bytes(largest) == b"first picture" and bytes(thumbnail) != b"first picture"


# -- the HTTP surface directly -----------------------------------------------------------------


@pytest.fixture
async def client(api: FakeBotApi) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{api.base_url}/bot{api.token}") as http:
        yield http


async def test_get_updates_honours_limit_and_forgets_confirmed_updates(
    api: FakeBotApi, client: httpx.AsyncClient
) -> None:
    ids = [api.send_text(USER, f"m{n}") for n in range(3)]

    first = (await client.post("/getUpdates", json={"limit": 2})).json()
    # Form encoding carries only strings; the method types the offset itself.
    second = (await client.post("/getUpdates", data={"offset": str(ids[1] + 1)})).json()

    assert [u["update_id"] for u in first["result"]] == ids[:2]
    assert [u["message"]["text"] for u in second["result"]] == ["m2"]
    assert [u["update_id"] for u in api.pending_updates] == ids[2:]


async def test_parked_long_poll_answers_as_soon_as_an_update_arrives(
    api: FakeBotApi, client: httpx.AsyncClient
) -> None:
    poll = asyncio.create_task(client.post("/getUpdates", json={"timeout": 30}))
    await api.wait_for(lambda: api.parked_polls, timeout=3)

    update_id = api.send_text(USER, "wake up")

    async with asyncio.timeout(3):
        response = await poll
    assert [u["update_id"] for u in response.json()["result"]] == [update_id]


async def test_newer_poll_terminates_the_parked_one_with_409(
    api: FakeBotApi, client: httpx.AsyncClient
) -> None:
    older = asyncio.create_task(client.post("/getUpdates", json={"timeout": 30}))
    await api.wait_for(lambda: api.parked_polls, timeout=3)

    newer = await client.post("/getUpdates", json={"timeout": 0})

    async with asyncio.timeout(3):
        terminated = (await older).json()
    assert newer.json() == {"ok": True, "result": []}
    assert terminated["error_code"] == 409
    assert terminated["description"].startswith("Conflict: terminated by other getUpdates")


async def test_unknown_method_is_not_found_and_fails_a_strict_fake() -> None:
    with pytest.raises(AssertionError, match="does not implement: sendHologram"):
        async with FakeBotApi() as fake:
            async with httpx.AsyncClient() as http:
                response = await http.post(f"{fake.base_url}/bot{fake.token}/sendHologram")
            assert response.status_code == 404
            assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_chunked_json_body_is_accepted(api: FakeBotApi, client: httpx.AsyncClient) -> None:
    api.add_user(USER)

    async def body() -> AsyncIterator[bytes]:
        # An async iterator makes httpx send Transfer-Encoding: chunked.
        yield b'{"chat_id": %d, ' % USER
        yield '"text": "チャンク"}'.encode()

    response = await client.post(
        "/sendMessage", content=body(), headers={"Content-Type": "application/json"}
    )

    assert response.json()["result"]["text"] == "チャンク"


async def test_upload_keeps_unusual_filenames_intact(api: FakeBotApi, app: App) -> None:
    api.add_user(USER)
    name = '請求書 "final"\\v2.pdf'

    await app.bot.send_document(USER, b"%PDF-1.4 body", filename=name)

    [document] = api.documents(USER)
    assert (document.filename, document.data) == (name, b"%PDF-1.4 body")
    assert document.mime_type == "application/pdf"


async def test_a_bug_in_the_fake_answers_500_and_fails_the_test(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(world: object, params: object) -> object:
        raise KeyError("oops")

    monkeypatch.setitem(METHODS, "getme", Method("getMe", {}, broken))

    with pytest.raises(AssertionError, match="bug of its own") as failed:
        async with FakeBotApi() as fake, httpx.AsyncClient() as http:
            response = await http.get(f"{fake.base_url}/bot{fake.token}/getMe")
            assert response.status_code == 500
    assert isinstance(failed.value.__cause__, KeyError)


async def test_method_names_are_case_insensitive(
    api: FakeBotApi, client: httpx.AsyncClient
) -> None:
    response = await client.get("/GETME")

    assert response.json()["result"]["username"] == "anshin_test_bot"


# -- the HTML parser against Telegram's documented behaviour ----------------------------------


@pytest.mark.parametrize(
    ("markup", "text", "entities"),
    [
        ("&lt;&gt;&amp;&quot;&laquo;", '<>&"&laquo;', []),
        ("AT&T &#x1F600;", "AT&T 😀", []),
        ("😀<b>x</b>", "😀x", [{"type": "bold", "offset": 2, "length": 1}]),
        ("<i>a</>", "a", [{"type": "italic", "offset": 0, "length": 1}]),
        ('<span class="tg-spoiler">s</span>', "s", [{"type": "spoiler", "offset": 0, "length": 1}]),
        (
            '<pre><code class="language-python">x</code></pre>',
            "x",
            [{"type": "pre", "offset": 0, "length": 1, "language": "python"}],
        ),
        (
            "<a href='example.com'>site</a>",
            "site",
            [{"type": "text_link", "offset": 0, "length": 4, "url": "http://example.com/"}],
        ),
        (
            "<blockquote expandable>q</blockquote>",
            "q",
            [{"type": "expandable_blockquote", "offset": 0, "length": 1}],
        ),
    ],
)
def test_html_markup_parses_to_text_and_entities(
    markup: str, text: str, entities: list[dict[str, Any]]
) -> None:
    assert parse_html(markup) == (text, entities)


@pytest.mark.parametrize(
    ("markup", "error"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("x <b", "Unclosed start tag at byte offset 2"),
        ("<a href", 'Unclosed start tag "a" at byte offset 0'),
        ("é</b>", "Unexpected end tag at byte offset 2"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<i =x>y</i>", 'Empty attribute name in the tag "i" at byte offset 0'),
    ],
)
def test_bad_markup_is_refused_with_telegrams_message(markup: str, error: str) -> None:
    with pytest.raises(EntityParseError) as refused:
        parse_html(markup)
    assert str(refused.value) == error
