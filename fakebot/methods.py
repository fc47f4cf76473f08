"""The Bot API methods the fake implements: typed parameters, Telegram's checks and errors."""

from __future__ import annotations

import enum
import json
import mimetypes
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from .html import EntityParseError, parse_html
from .http import Upload
from .world import (
    ChatMessage,
    JsonObject,
    StoredFile,
    Webhook,
    World,
    inline_markup,
    scope_key,
)

# Telegram counts text in UTF-16 code units after entity parsing (an emoji outside the BMP is
# two), the same units as entity offsets.
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_ANSWER = 200  # answerCallbackQuery text
MAX_CALLBACK_DATA = 64  # bytes
MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile refuses bigger files for bots

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# An inline button needs exactly one of these besides its text.
BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
QUERY_EXPIRED = "query is too old and response timeout expired or query ID is invalid"


class ApiError(Exception):
    """A Bot API failure, answered as {"ok": false, ...} with error_code as the HTTP status."""

    def __init__(self, error_code: int, description: str, *, retry_after: int | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def to_api(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


def fake_limitation(detail: str) -> ApiError:
    """A request Telegram would accept but this fake does not model; fail loudly, not wrongly."""
    return bad_request(f"the fake Bot API does not support {detail}")


# -- parameter typing --------------------------------------------------------------------------


class Kind(enum.Enum):
    """How a parameter is typed. Form and multipart bodies carry only strings, so the method
    decides what a string means, the way Telegram does."""

    INTEGER = "integer"
    NUMBER = "number"
    STRING = "string"
    BOOLEAN = "boolean"
    OBJECT = "object"
    ARRAY = "array"
    CHAT_ID = "chat_id"
    FILE = "file"


def _coerce(kind: Kind, name: str, raw: object, uploads: Mapping[str, object]) -> object:
    if kind is Kind.FILE:
        if isinstance(raw, str) and raw.startswith("attach://"):
            attached = uploads.get(raw.removeprefix("attach://"))
            if not isinstance(attached, Upload):
                raise bad_request(f"file {raw!r} was not found in the request")
            return attached
        if isinstance(raw, Upload | str):
            return raw
        raise bad_request(f"{name} must be a file or a string")
    if isinstance(raw, Upload):
        raise bad_request(f"{name} must not be a file")
    if kind is Kind.STRING:
        if isinstance(raw, str):
            return raw
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return str(raw)
        raise bad_request(f"{name} must be a String")
    if kind in (Kind.INTEGER, Kind.CHAT_ID):
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            stripped = raw.strip()
            if re.fullmatch(r"[+-]?\d+", stripped):
                return int(stripped)
            if kind is Kind.CHAT_ID and stripped.startswith("@"):
                return stripped
        if kind is Kind.CHAT_ID:
            raise bad_request("chat not found")
        raise bad_request(f"{name} must be an Integer")
    if kind is Kind.NUMBER:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return raw
        try:
            return float(str(raw))
        except ValueError:
            raise bad_request(f"{name} must be a Number") from None
    if kind is Kind.BOOLEAN:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int):
            return raw != 0
        if isinstance(raw, str) and raw.strip().lower() in ("true", "1", "false", "0", ""):
            return raw.strip().lower() in ("true", "1")
        raise bad_request(f"{name} must be a Boolean")
    value = raw
    if isinstance(raw, str):
        try:
            value = json.loads(raw)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None
    expected = dict if kind is Kind.OBJECT else list
    if not isinstance(value, expected):
        raise bad_request(f"can't parse {name} JSON object")
    return value


class Params:
    """A method's parameters after typing, with Telegram's complaint for a missing one."""

    def __init__(self, values: Mapping[str, object]) -> None:
        self.values = values

    def get(self, name: str) -> object | None:
        return self.values.get(name)

    def integer(self, name: str, *, missing: str | None = None) -> int:
        value = self.values.get(name)
        if value is None:
            raise bad_request(missing or f"{name} is empty")
        assert isinstance(value, int)
        return value

    def optional_integer(self, name: str) -> int | None:
        value = self.values.get(name)
        assert value is None or isinstance(value, int)
        return value

    def optional_number(self, name: str) -> float | None:
        value = self.values.get(name)
        assert value is None or isinstance(value, int | float)
        return value

    def string(self, name: str, *, missing: str | None = None) -> str:
        value = self.values.get(name)
        if value is None or value == "":
            raise bad_request(missing or f"{name} is empty")
        assert isinstance(value, str)
        return value

    def optional_string(self, name: str) -> str | None:
        value = self.values.get(name)
        assert value is None or isinstance(value, str)
        return value

    def flag(self, name: str) -> bool:
        return bool(self.values.get(name))

    def optional_object(self, name: str) -> JsonObject | None:
        value = self.values.get(name)
        assert value is None or isinstance(value, dict)
        return value

    def optional_array(self, name: str) -> list[Any] | None:
        value = self.values.get(name)
        assert value is None or isinstance(value, list)
        return value


Handler = Callable[[World, Params], object]


@dataclass(frozen=True)
class Method:
    name: str
    parameters: Mapping[str, Kind]
    handler: Handler

    def typed(self, raw: Mapping[str, object]) -> dict[str, object]:
        """Type the known parameters; keep unknown ones as sent, as Telegram ignores them."""
        typed: dict[str, object] = {}
        for name, value in raw.items():
            kind = self.parameters.get(name)
            if kind is None or value is None:
                typed[name] = value
            else:
                typed[name] = _coerce(kind, name, value, raw)
        return typed


METHODS: dict[str, Method] = {}


def _method(name: str, **parameters: Kind) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        # Telegram matches method names case-insensitively.
        METHODS[name.lower()] = Method(name, parameters, handler)
        return handler

    return register


def find_method(name: str) -> Method | None:
    return METHODS.get(name.lower())


# -- shared checks -----------------------------------------------------------------------------


def _chat(world: World, params: Params) -> int:
    """The private chat a method targets; Telegram's errors when the bot can't write there."""
    chat_id = params.get("chat_id")
    if chat_id is None or chat_id == "":
        raise bad_request("chat_id is empty")
    if isinstance(chat_id, str):
        matches = [u.user_id for u in world.users.values() if u.username == chat_id[1:]]
        if not matches:
            raise bad_request("chat not found")
        chat_id = matches[0]
    assert isinstance(chat_id, int)
    if chat_id not in world.users:
        raise bad_request("chat not found")
    if chat_id in world.blocked:
        raise ApiError(403, "Forbidden: bot was blocked by the user")
    return chat_id


@dataclass(frozen=True)
class Formatted:
    text: str
    entities: tuple[JsonObject, ...]
    source: str
    parse_mode: str | None


def _formatted(params: Params, text_name: str, entities_name: str) -> Formatted | None:
    """Parse text or caption per parse_mode; None when the parameter is absent or empty."""
    source = params.optional_string(text_name)
    if not source:
        return None
    explicit = params.optional_array(entities_name)
    parse_mode = params.optional_string("parse_mode") or None
    if explicit is not None:
        # Telegram uses explicit entities and ignores parse_mode when both are given.
        return Formatted(source, tuple(explicit), source, None)
    if parse_mode is None:
        return Formatted(source, (), source, None)
    mode = parse_mode.lower()
    if mode == "html":
        try:
            text, entities = parse_html(source)
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
        return Formatted(text, tuple(entities), source, parse_mode)
    if mode in ("markdown", "markdownv2"):
        raise fake_limitation(f"parse_mode {parse_mode}; use HTML")
    raise bad_request("unsupported parse_mode")


def _message_text(params: Params) -> Formatted:
    formatted = _formatted(params, "text", "entities")
    # Telegram trims surrounding whitespace, so markup that renders to nothing is empty text.
    if formatted is None or not formatted.text.strip():
        raise bad_request("message text is empty")
    return formatted


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _check_length(formatted: Formatted | None, limit: int, complaint: str) -> None:
    if formatted is not None and utf16_units(formatted.text) > limit:
        raise bad_request(complaint)


def _reply_markup(params: Params) -> JsonObject | None:
    markup = params.optional_object("reply_markup")
    if markup is None or "inline_keyboard" not in markup:
        return markup
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('can\'t parse inline keyboard: field "inline_keyboard" must be an Array')
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad_request("can't parse inline keyboard button: Text must be a String")
            actions = BUTTON_ACTIONS & button.keys()
            if not actions:
                raise bad_request(
                    "can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                    raise bad_request("BUTTON_DATA_INVALID")
    return markup


def _reply_target(world: World, params: Params, chat_id: int) -> int | None:
    reply = params.optional_object("reply_parameters")
    message_id: object = params.optional_integer("reply_to_message_id")
    allow_missing = params.flag("allow_sending_without_reply")
    if reply is not None:
        message_id = reply.get("message_id")
        allow_missing = bool(reply.get("allow_sending_without_reply"))
        if reply.get("chat_id") not in (None, chat_id):
            raise fake_limitation("replying to a message in another chat")
    if message_id is None:
        return None
    if not isinstance(message_id, int) or world.live_message(chat_id, message_id) is None:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    return message_id


def _store_upload(world: World, upload: Upload, folder: str) -> StoredFile:
    if not upload.data:
        raise bad_request("file must be non-empty")
    mime_type = upload.content_type
    if mime_type == "application/octet-stream":
        mime_type = mimetypes.guess_type(upload.filename)[0] or mime_type
    return world.store_file(
        upload.data, filename=upload.filename, mime_type=mime_type, folder=folder
    )


def _input_file(world: World, params: Params, name: str, folder: str) -> StoredFile:
    value = params.get(name)
    if value is None or value == "":
        raise bad_request(f"there is no {name} in the request")
    if isinstance(value, Upload):
        return _store_upload(world, value, folder)
    assert isinstance(value, str)
    if value.startswith(("http://", "https://")):
        # The fake has no network; Telegram says this when it cannot fetch the URL.
        raise bad_request("failed to get HTTP URL content")
    stored = world.files.get(value)
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return stored


def _editable(world: World, params: Params) -> ChatMessage:
    if params.get("inline_message_id") is not None:
        raise fake_limitation("inline messages")
    chat_id = _chat(world, params)
    message_id = params.integer("message_id", missing="message identifier is not specified")
    message = world.live_message(chat_id, message_id)
    if message is None:
        raise bad_request("message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return message


def _not_modified() -> ApiError:
    return bad_request(
        "message is not modified: specified new message content and reply markup are exactly "
        "the same as a current content and reply markup of the message"
    )


def _edited(world: World, before: ChatMessage, **changes: Any) -> dict[str, Any]:
    after = replace(
        before,
        history=(*before.history, before.current()),
        edit_date=world.now(),
        **changes,
    )
    world.add_message(after)
    return world.message_api(after)


def _commands_key(params: Params) -> tuple[str, str]:
    scope = params.optional_object("scope")
    if scope is not None and not isinstance(scope.get("type"), str):
        raise bad_request("can't parse BotCommandScope JSON object")
    return scope_key(scope), params.optional_string("language_code") or ""


# -- methods -----------------------------------------------------------------------------------


@_method("getMe")
def get_me(world: World, params: Params) -> object:
    return {
        **world.bot_api(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@_method(
    "getUpdates",
    offset=Kind.INTEGER,
    limit=Kind.INTEGER,
    timeout=Kind.NUMBER,
    allowed_updates=Kind.ARRAY,
)
def get_updates(world: World, params: Params) -> object:
    """Answer at once; the server repeats this while a long poll waits for updates."""
    if world.webhook is not None:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    allowed = params.optional_array("allowed_updates")
    if allowed is not None:
        world.allowed_updates = frozenset(allowed)
    world.confirm(params.optional_integer("offset") or 0)
    limit = min(max(params.optional_integer("limit") or 100, 1), 100)
    return [{"update_id": u.update_id, **u.payload} for u in world.deliverable(limit)]


_SEND_COMMON = {
    "chat_id": Kind.CHAT_ID,
    "parse_mode": Kind.STRING,
    "reply_markup": Kind.OBJECT,
    "reply_parameters": Kind.OBJECT,
    "reply_to_message_id": Kind.INTEGER,
    "allow_sending_without_reply": Kind.BOOLEAN,
    "disable_notification": Kind.BOOLEAN,
    "protect_content": Kind.BOOLEAN,
    "message_thread_id": Kind.INTEGER,
}


def _bot_message(world: World, chat_id: int, **fields: Any) -> ChatMessage:
    """Store a new message from the bot in the chat, numbered and dated like Telegram's."""
    return world.add_message(
        ChatMessage(
            chat_id=chat_id,
            message_id=world.next_message_id(chat_id),
            from_bot=True,
            sender_id=world.bot.user_id,
            date=world.now(),
            **fields,
        )
    )


@_method(
    "sendMessage",
    **_SEND_COMMON,
    text=Kind.STRING,
    entities=Kind.ARRAY,
    link_preview_options=Kind.OBJECT,
)
def send_message(world: World, params: Params) -> object:
    formatted = _message_text(params)
    chat_id = _chat(world, params)
    markup = _reply_markup(params)
    reply_to = _reply_target(world, params, chat_id)
    _check_length(formatted, MAX_TEXT, "message is too long")
    message = _bot_message(
        world,
        chat_id,
        text=formatted.text,
        entities=formatted.entities,
        source=formatted.source,
        parse_mode=formatted.parse_mode,
        reply_markup=markup,
        link_preview_options=params.optional_object("link_preview_options"),
        reply_to_message_id=reply_to,
    )
    return world.message_api(message)


@_method(
    "sendDocument",
    **_SEND_COMMON,
    document=Kind.FILE,
    thumbnail=Kind.FILE,
    caption=Kind.STRING,
    caption_entities=Kind.ARRAY,
    disable_content_type_detection=Kind.BOOLEAN,
)
def send_document(world: World, params: Params) -> object:
    caption = _formatted(params, "caption", "caption_entities")
    chat_id = _chat(world, params)
    markup = _reply_markup(params)
    reply_to = _reply_target(world, params, chat_id)
    _check_length(caption, MAX_CAPTION, "message caption is too long")
    document = _input_file(world, params, "document", "documents")
    message = _bot_message(
        world,
        chat_id,
        caption=caption.text if caption else None,
        caption_entities=caption.entities if caption else (),
        source=caption.source if caption else None,
        parse_mode=caption.parse_mode if caption else None,
        document=document,
        reply_markup=markup,
        reply_to_message_id=reply_to,
    )
    return world.message_api(message)


@_method(
    "editMessageText",
    chat_id=Kind.CHAT_ID,
    message_id=Kind.INTEGER,
    inline_message_id=Kind.STRING,
    text=Kind.STRING,
    parse_mode=Kind.STRING,
    entities=Kind.ARRAY,
    reply_markup=Kind.OBJECT,
    link_preview_options=Kind.OBJECT,
)
def edit_message_text(world: World, params: Params) -> object:
    formatted = _message_text(params)
    message = _editable(world, params)
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    # Omitting reply_markup removes the inline keyboard, exactly like on Telegram.
    markup = inline_markup(_reply_markup(params))
    unchanged = (formatted.text, list(formatted.entities), markup) == (
        message.text,
        list(message.entities),
        inline_markup(message.reply_markup),
    )
    if unchanged:
        raise _not_modified()
    _check_length(formatted, MAX_TEXT, "message is too long")
    return _edited(
        world,
        message,
        text=formatted.text,
        entities=formatted.entities,
        source=formatted.source,
        parse_mode=formatted.parse_mode,
        reply_markup=markup,
        link_preview_options=params.optional_object("link_preview_options"),
    )


@_method(
    "editMessageReplyMarkup",
    chat_id=Kind.CHAT_ID,
    message_id=Kind.INTEGER,
    inline_message_id=Kind.STRING,
    reply_markup=Kind.OBJECT,
)
def edit_message_reply_markup(world: World, params: Params) -> object:
    message = _editable(world, params)
    markup = inline_markup(_reply_markup(params))
    if markup == inline_markup(message.reply_markup):
        raise _not_modified()
    return _edited(world, message, reply_markup=markup)


@_method(
    "answerCallbackQuery",
    callback_query_id=Kind.STRING,
    text=Kind.STRING,
    show_alert=Kind.BOOLEAN,
    url=Kind.STRING,
    cache_time=Kind.INTEGER,
)
def answer_callback_query(world: World, params: Params) -> object:
    query_id = params.string("callback_query_id", missing=QUERY_EXPIRED)
    query = world.callback_queries.get(query_id)
    if query is None or query.answer is not None:
        raise bad_request(QUERY_EXPIRED)
    text = params.optional_string("text")
    if text is not None and utf16_units(text) > MAX_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")
    answer = {k: v for k, v in params.values.items() if k != "callback_query_id"}
    world.callback_queries[query_id] = replace(query, answer=answer)
    return True


@_method("getFile", file_id=Kind.STRING)
def get_file(world: World, params: Params) -> object:
    stored = world.files.get(params.string("file_id"))
    if stored is None:
        raise bad_request("invalid file_id")
    if len(stored.data) > MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
        "file_path": stored.file_path,
    }


@_method("deleteMessage", chat_id=Kind.CHAT_ID, message_id=Kind.INTEGER)
def delete_message(world: World, params: Params) -> object:
    chat_id = _chat(world, params)
    message = world.live_message(chat_id, params.integer("message_id"))
    if message is None:
        raise bad_request("message to delete not found")
    world.add_message(replace(message, deleted=True))
    return True


@_method("setMyCommands", commands=Kind.ARRAY, scope=Kind.OBJECT, language_code=Kind.STRING)
def set_my_commands(world: World, params: Params) -> object:
    commands = params.optional_array("commands")
    if commands is None:
        raise bad_request("commands is empty")
    pairs: list[tuple[str, str]] = []
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand JSON object")
        name, description = command.get("command"), command.get("description")
        if not isinstance(name, str) or not COMMAND_NAME.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        pairs.append((name, description))
    key = _commands_key(params)
    if pairs:
        world.commands[key] = tuple(pairs)
    else:
        world.commands.pop(key, None)
    return True


@_method("getMyCommands", scope=Kind.OBJECT, language_code=Kind.STRING)
def get_my_commands(world: World, params: Params) -> object:
    pairs = world.commands.get(_commands_key(params), ())
    return [{"command": name, "description": description} for name, description in pairs]


@_method("deleteMyCommands", scope=Kind.OBJECT, language_code=Kind.STRING)
def delete_my_commands(world: World, params: Params) -> object:
    world.commands.pop(_commands_key(params), None)
    return True


@_method(
    "setWebhook",
    url=Kind.STRING,
    certificate=Kind.FILE,
    ip_address=Kind.STRING,
    max_connections=Kind.INTEGER,
    allowed_updates=Kind.ARRAY,
    drop_pending_updates=Kind.BOOLEAN,
    secret_token=Kind.STRING,
)
def set_webhook(world: World, params: Params) -> object:
    url = params.optional_string("url") or ""
    if params.flag("drop_pending_updates"):
        world.updates.clear()
    if not url:
        world.webhook = None
        return True
    if not url.startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    allowed = params.optional_array("allowed_updates") or []
    world.webhook = Webhook(
        url=url,
        allowed_updates=tuple(allowed),
        max_connections=params.optional_integer("max_connections") or 40,
        secret_token=params.optional_string("secret_token"),
    )
    return True


@_method("deleteWebhook", drop_pending_updates=Kind.BOOLEAN)
def delete_webhook(world: World, params: Params) -> object:
    if params.flag("drop_pending_updates"):
        world.updates.clear()
    world.webhook = None
    return True


@_method("getWebhookInfo")
def get_webhook_info(world: World, params: Params) -> object:
    info: dict[str, Any] = {
        "url": world.webhook.url if world.webhook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(world.updates),
    }
    if world.webhook is not None:
        info["max_connections"] = world.webhook.max_connections
        if world.webhook.allowed_updates:
            info["allowed_updates"] = list(world.webhook.allowed_updates)
    return info


@_method(
    "sendChatAction",
    chat_id=Kind.CHAT_ID,
    action=Kind.STRING,
    message_thread_id=Kind.INTEGER,
)
def send_chat_action(world: World, params: Params) -> object:
    _chat(world, params)
    if params.optional_string("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


@_method("close")
def close(world: World, params: Params) -> object:
    return True


@_method("logOut")
def log_out(world: World, params: Params) -> object:
    return True
