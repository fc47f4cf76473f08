"""The simulated Telegram: users, private chats, messages, files and the update queue."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

JsonObject = Mapping[str, Any]

# getUpdates delivers these only when asked for by name in allowed_updates.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass(frozen=True)
class User:
    user_id: int
    first_name: str
    language_code: str | None = "ja"
    username: str | None = None

    def to_api(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "id": self.user_id,
            "is_bot": False,
            "first_name": self.first_name,
        }
        if self.username is not None:
            result["username"] = self.username
        if self.language_code is not None:
            result["language_code"] = self.language_code
        return result


@dataclass(frozen=True)
class StoredFile:
    """A file Telegram holds, whether a user sent it or the bot uploaded it."""

    file_id: str
    file_unique_id: str
    file_path: str
    filename: str | None
    mime_type: str | None
    data: bytes
    width: int | None = None
    height: int | None = None

    def __repr__(self) -> str:
        return f"StoredFile({self.file_id!r}, {self.filename!r}, {len(self.data)} bytes)"

    def document_api(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
        }
        if self.filename is not None:
            result["file_name"] = self.filename
        if self.mime_type is not None:
            result["mime_type"] = self.mime_type
        return result

    def photo_size_api(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "width": self.width or 0,
            "height": self.height or 0,
        }


@dataclass(frozen=True)
class Revision:
    """What a message showed before an edit replaced it."""

    text: str | None
    entities: tuple[JsonObject, ...]
    source: str | None
    parse_mode: str | None
    reply_markup: JsonObject | None
    edit_date: int | None


@dataclass(frozen=True)
class ChatMessage:
    """A message in a private chat, sent by the user or by the bot.

    `text` is what the user sees (markup parsed away); `source` is what the bot sent.
    """

    chat_id: int
    message_id: int
    from_bot: bool
    sender_id: int
    date: int
    text: str | None = None
    entities: tuple[JsonObject, ...] = ()
    source: str | None = None
    parse_mode: str | None = None
    caption: str | None = None
    caption_entities: tuple[JsonObject, ...] = ()
    document: StoredFile | None = None
    photo: StoredFile | None = None
    # The smaller sizes Telegram makes of a photo, smallest first (`photo` is the largest).
    thumbnails: tuple[StoredFile, ...] = ()
    media_group_id: str | None = None  # the pictures of one album share it
    reply_markup: JsonObject | None = None
    link_preview_options: JsonObject | None = None
    reply_to_message_id: int | None = None
    forward_origin: JsonObject | None = None
    edit_date: int | None = None
    history: tuple[Revision, ...] = ()
    deleted: bool = False

    @property
    def edited(self) -> bool:
        return bool(self.history)

    @property
    def inline_keyboard(self) -> list[list[JsonObject]]:
        """The inline keyboard rows, or [] when the message has none."""
        if self.reply_markup is None:
            return []
        return list(self.reply_markup.get("inline_keyboard", []))

    @property
    def buttons(self) -> list[JsonObject]:
        """Inline buttons in reading order, for assertions like `[b["text"] for b in ...]`."""
        return [button for row in self.inline_keyboard for button in row]

    def current(self) -> Revision:
        return Revision(
            self.text,
            self.entities,
            self.source,
            self.parse_mode,
            self.reply_markup,
            self.edit_date,
        )


@dataclass(frozen=True)
class CallbackQuery:
    query_id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    answer: JsonObject | None = None


@dataclass(frozen=True)
class Call:
    """One Bot API request as the fake understood it, with the HTTP status it answered."""

    method: str
    params: JsonObject
    status: int
    description: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass(frozen=True)
class Webhook:
    url: str
    allowed_updates: tuple[str, ...] = ()
    max_connections: int = 40
    secret_token: str | None = None


@dataclass(frozen=True)
class PendingUpdate:
    update_id: int
    kind: str
    payload: JsonObject


def inline_markup(markup: JsonObject | None) -> JsonObject | None:
    """The part of reply_markup Telegram keeps on a message: inline keyboards only."""
    if markup is None or not markup.get("inline_keyboard"):
        return None
    return markup


def scope_key(scope: JsonObject | None) -> str:
    return json.dumps(scope or {"type": "default"}, sort_keys=True, separators=(",", ":"))


@dataclass
class World:
    """All state of the fake, mutated only from the event loop's thread."""

    bot: User
    clock: Callable[[], float]
    users: dict[int, User] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    messages: dict[tuple[int, int], ChatMessage] = field(default_factory=dict)
    updates: list[PendingUpdate] = field(default_factory=list)
    allowed_updates: frozenset[str] = frozenset()
    files: dict[str, StoredFile] = field(default_factory=dict)
    callback_queries: dict[str, CallbackQuery] = field(default_factory=dict)
    commands: dict[tuple[str, str], tuple[tuple[str, str], ...]] = field(default_factory=dict)
    webhook: Webhook | None = None
    calls: list[Call] = field(default_factory=list)
    _message_ids: dict[int, Iterator[int]] = field(default_factory=dict)
    _update_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _file_numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _query_numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def now(self) -> int:
        return int(self.clock())

    # -- users and chats ----------------------------------------------------------------------

    def user(self, user_id: int, *, language_code: str | None = None) -> User:
        """The user with this id, created on first contact like a person starting the bot."""
        known = self.users.get(user_id)
        if known is None:
            known = User(user_id, f"User{user_id}", language_code or "ja")
        elif language_code is not None and language_code != known.language_code:
            known = replace(known, language_code=language_code)
        self.users[user_id] = known
        return known

    def chat_api(self, chat_id: int) -> dict[str, Any]:
        user = self.users[chat_id]
        chat: dict[str, Any] = {"id": chat_id, "type": "private", "first_name": user.first_name}
        if user.username is not None:
            chat["username"] = user.username
        return chat

    # -- messages -----------------------------------------------------------------------------

    def add_message(self, message: ChatMessage) -> ChatMessage:
        self.messages[(message.chat_id, message.message_id)] = message
        return message

    def next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def live_message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        message = self.messages.get((chat_id, message_id))
        return None if message is None or message.deleted else message

    def bot_messages(self, chat_id: int) -> list[ChatMessage]:
        found = [m for (chat, _), m in self.messages.items() if chat == chat_id and m.from_bot]
        return sorted(found, key=lambda m: m.message_id)

    def message_api(self, message: ChatMessage, *, with_reply: bool = True) -> dict[str, Any]:
        sender = self.bot if message.from_bot else self.users[message.sender_id]
        result: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self.bot_api() if message.from_bot else sender.to_api(),
            "chat": self.chat_api(message.chat_id),
            "date": message.date,
        }
        if message.edit_date is not None:
            result["edit_date"] = message.edit_date
        if message.forward_origin is not None:
            result["forward_origin"] = dict(message.forward_origin)
        if with_reply and message.reply_to_message_id is not None:
            replied = self.messages.get((message.chat_id, message.reply_to_message_id))
            if replied is not None:
                # Telegram never nests a reply inside reply_to_message.
                result["reply_to_message"] = self.message_api(replied, with_reply=False)
        if message.text is not None:
            result["text"] = message.text
            if message.entities:
                result["entities"] = [dict(e) for e in message.entities]
        if message.link_preview_options is not None:
            result["link_preview_options"] = dict(message.link_preview_options)
        if message.document is not None:
            result["document"] = message.document.document_api()
        if message.photo is not None:
            sizes = [*message.thumbnails, message.photo]
            result["photo"] = [size.photo_size_api() for size in sizes]
        if message.media_group_id is not None:
            result["media_group_id"] = message.media_group_id
        if message.caption is not None:
            result["caption"] = message.caption
            if message.caption_entities:
                result["caption_entities"] = [dict(e) for e in message.caption_entities]
        markup = inline_markup(message.reply_markup)
        if markup is not None:
            result["reply_markup"] = markup
        return result

    def bot_api(self) -> dict[str, Any]:
        return {**self.bot.to_api(), "is_bot": True}

    # -- files --------------------------------------------------------------------------------

    def store_file(
        self,
        data: bytes,
        *,
        filename: str | None,
        mime_type: str | None,
        folder: str,
        width: int | None = None,
        height: int | None = None,
    ) -> StoredFile:
        number = next(self._file_numbers)
        suffix = ""
        if filename and "." in filename:
            suffix = "." + filename.rsplit(".", 1)[1]
        stored = StoredFile(
            file_id=f"fake-file-{number}",
            file_unique_id=f"fake-unique-{number}",
            file_path=f"{folder}/file_{number}{suffix}",
            filename=filename,
            mime_type=mime_type,
            data=data,
            width=width,
            height=height,
        )
        self.files[stored.file_id] = stored
        return stored

    def file_at(self, file_path: str) -> StoredFile | None:
        return next((f for f in self.files.values() if f.file_path == file_path), None)

    # -- updates ------------------------------------------------------------------------------

    def enqueue(self, kind: str, payload: JsonObject) -> int:
        update_id = next(self._update_ids)
        self.updates.append(PendingUpdate(update_id, kind, payload))
        return update_id

    def new_query_id(self) -> str:
        # Telegram's ids are opaque numeric strings; a fixed prefix keeps them recognisable.
        return f"7000{next(self._query_numbers)}"

    def confirm(self, offset: int) -> None:
        """Forget updates the bot confirmed, as getUpdates does with its offset."""
        if offset > 0:
            self.updates = [u for u in self.updates if u.update_id >= offset]
        elif offset < 0:
            self.updates = self.updates[offset:]

    def deliverable(self, limit: int) -> Sequence[PendingUpdate]:
        return [u for u in self.updates if self._wanted(u.kind)][:limit]

    def _wanted(self, kind: str) -> bool:
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in OPT_IN_UPDATES
