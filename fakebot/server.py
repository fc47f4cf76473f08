"""FakeBotApi: a loopback Bot API server that tests script as users and inspect as Telegram."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import deque
from collections.abc import Callable, Mapping
from http import HTTPStatus
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import unquote

from .http import (
    BadBody,
    BadHttp,
    Request,
    Response,
    decode_parameters,
    read_request,
    write_response,
)
from .methods import ApiError, Params, find_method
from .world import (
    Call,
    CallbackQuery,
    ChatMessage,
    JsonObject,
    StoredFile,
    User,
    Webhook,
    World,
    scope_key,
)

T = TypeVar("T")

_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: _CONFLICT,
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class _Dropped(Exception):
    """The connection is closed with no answer (a network failure injected by drop_next)."""


def _json_response(status: int, body: Mapping[str, Any]) -> Response:
    return Response(status, json.dumps(body, ensure_ascii=False).encode("utf-8"))


def _error_response(error: ApiError) -> Response:
    return _json_response(error.error_code, error.to_api())


class FakeBotApi:
    """The Bot API on 127.0.0.1, for the real python-telegram-bot Application to talk to.

    Tests act as users (`send_text`, `press`, ...) and observe the bot (`messages`,
    `next_message`, `calls`, ...). Every change wakes waiters at once, so nothing sleeps.
    """

    def __init__(
        self,
        token: str = "123:ABC",
        *,
        bot_username: str = "anshin_test_bot",
        bot_first_name: str = "Anshin",
        clock: Callable[[], float] = time.time,
        strict: bool = True,
    ) -> None:
        bot_id = int(token.split(":", 1)[0])
        self._token = token
        self._strict = strict
        self.world = World(
            bot=User(bot_id, bot_first_name, language_code=None, username=bot_username),
            clock=clock,
        )
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._changed = asyncio.Event()
        self._poll_generation = 0
        self._parked_polls = 0
        self._failures: dict[str, deque[ApiError]] = {}
        self._drops: dict[str, int] = {}
        self._delays: dict[str, float] = {}
        self._in_flight = 0
        self._peak_in_flight = 0
        self._unknown_methods: list[str] = []
        self._internal_errors: list[Exception] = []
        self._downloads: list[str] = []
        self._seen_messages: dict[int, int] = {}
        self._seen_edits: dict[tuple[int, int], int] = {}
        self._albums = itertools.count(1)

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        if self._server is not None:
            raise RuntimeError("FakeBotApi is already running")
        self._server = await asyncio.start_server(self._serve, host="127.0.0.1", port=0)

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        await server.wait_closed()
        # Keep-alive connections and parked long polls outlive the listening socket.
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()
        if self._internal_errors and exc is None:
            raise AssertionError(
                f"the fake Bot API failed {len(self._internal_errors)} request(s) with a bug "
                "of its own; the first is chained below"
            ) from self._internal_errors[0]
        if self._strict and self._unknown_methods and exc is None:
            # The bot got 404 (PTB raises InvalidToken for it); make the real cause visible.
            raise AssertionError(
                "the bot called Bot API methods this fake does not implement: "
                + ", ".join(sorted(set(self._unknown_methods)))
            )

    @property
    def token(self) -> str:
        return self._token

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>`; PTB wants `{base_url}/bot` and `{base_url}/file/bot`."""
        if self._server is None:
            raise RuntimeError("FakeBotApi is not running; use `async with FakeBotApi() as api`")
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}"

    # -- acting as users ----------------------------------------------------------------------

    def add_user(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        language_code: str | None = "ja",
        username: str | None = None,
    ) -> User:
        """Register a user up front; send_* also creates users on first contact."""
        user = User(user_id, first_name or f"User{user_id}", language_code, username)
        self.world.users[user_id] = user
        return user

    def block(self, user_id: int) -> None:
        """The user blocks the bot: sending to them fails with 403 until they write again."""
        self.world.user(user_id)
        self.world.blocked.add(user_id)

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        language_code: str | None = None,
        forward_origin: JsonObject | None = None,
        entities: list[JsonObject] | None = None,
        reply_to_message_id: int | None = None,
    ) -> int:
        """The user sends a text message; returns the update_id."""
        if reply_to_message_id is not None and not self.world.live_message(
            user_id, reply_to_message_id
        ):
            raise ValueError(f"chat {user_id} has no message {reply_to_message_id} to reply to")
        return self._user_message(
            user_id,
            language_code,
            text=text,
            entities=tuple(entities or ()),
            forward_origin=forward_origin,
            reply_to_message_id=reply_to_message_id,
        )

    def send_command(self, user_id: int, command: str, *, language_code: str | None = None) -> int:
        """The user sends `/command payload`, marked with a bot_command entity like Telegram."""
        if not command.startswith("/"):
            raise ValueError(f"a command starts with '/': {command!r}")
        name = command.split(maxsplit=1)[0]
        entity = {"type": "bot_command", "offset": 0, "length": len(name)}
        return self.send_text(user_id, command, language_code=language_code, entities=[entity])

    def send_document(
        self,
        user_id: int,
        filename: str,
        data: bytes,
        *,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
        language_code: str | None = None,
        forward_origin: JsonObject | None = None,
    ) -> int:
        """The user sends a file; the bot can fetch it through getFile and the file URL."""
        stored = self.world.store_file(
            data, filename=filename, mime_type=mime_type, folder="documents"
        )
        return self._user_message(
            user_id,
            language_code,
            document=stored,
            caption=caption,
            forward_origin=forward_origin,
        )

    def send_photo(
        self,
        user_id: int,
        data: bytes = b"\x89PNG\r\n\x1a\n fake photo",
        *,
        caption: str | None = None,
        width: int = 1280,
        height: int = 960,
        language_code: str | None = None,
        forward_origin: JsonObject | None = None,
        media_group_id: str | None = None,
    ) -> int:
        """The user sends a photo; the bot can download it like a document. As Telegram does,
        the update lists a small thumbnail first and `data` as the largest size, last; the
        thumbnail's bytes are no picture, so a bot that reads the wrong size finds out."""
        thumbnail = self.world.store_file(
            b"thumbnail", filename=None, mime_type=None, folder="photos", width=90, height=68
        )
        stored = self.world.store_file(
            data, filename=None, mime_type=None, folder="photos", width=width, height=height
        )
        return self._user_message(
            user_id,
            language_code,
            photo=stored,
            thumbnails=(thumbnail,),
            caption=caption,
            forward_origin=forward_origin,
            media_group_id=media_group_id,
        )

    def send_album(
        self,
        user_id: int,
        pictures: list[bytes],
        *,
        caption: str | None = None,
        language_code: str | None = None,
    ) -> list[int]:
        """The user sends several photos at once: one update each, in order, sharing a
        media_group_id; the caption rides on the first, as Telegram's apps put it."""
        group = f"album-{next(self._albums)}"
        return [
            self.send_photo(
                user_id,
                data,
                caption=caption if i == 0 else None,
                language_code=language_code,
                media_group_id=group,
            )
            for i, data in enumerate(pictures)
        ]

    def press(
        self,
        user_id: int,
        message_id: int,
        callback_data: str,
        *,
        language_code: str | None = None,
    ) -> str:
        """The user taps an inline button the bot showed; returns the callback query id.

        Raises ValueError when no such button is on screen: a test cannot press what the bot
        never offered, which is the point of driving the bot from the user's side.
        """
        message = self.world.live_message(user_id, message_id)
        if message is None or not message.from_bot:
            raise ValueError(f"chat {user_id} shows no bot message {message_id} to press on")
        if not any(b.get("callback_data") == callback_data for b in message.buttons):
            offered = [(b.get("text"), b.get("callback_data")) for b in message.buttons]
            raise ValueError(
                f"message {message_id} in chat {user_id} has no button with callback_data "
                f"{callback_data!r}; it offers {offered}"
            )
        self.world.blocked.discard(user_id)
        user = self.world.user(user_id, language_code=language_code)
        query_id = self.world.new_query_id()
        self.world.callback_queries[query_id] = CallbackQuery(
            query_id, user_id, user_id, message_id, callback_data
        )
        payload = {
            "id": query_id,
            "from": user.to_api(),
            "message": self.world.message_api(message),
            "chat_instance": f"{user_id}00",
            "data": callback_data,
        }
        self.world.enqueue("callback_query", {"callback_query": payload})
        self._notify()
        return query_id

    def _user_message(self, user_id: int, language_code: str | None, **fields: Any) -> int:
        # Writing to the bot again is how a person undoes a block.
        self.world.blocked.discard(user_id)
        self.world.user(user_id, language_code=language_code)
        message = self.world.add_message(
            ChatMessage(
                chat_id=user_id,
                message_id=self.world.next_message_id(user_id),
                from_bot=False,
                sender_id=user_id,
                date=self.world.now(),
                **fields,
            )
        )
        update_id = self.world.enqueue("message", {"message": self.world.message_api(message)})
        self._notify()
        return update_id

    # -- observing the bot --------------------------------------------------------------------

    def messages(self, chat_id: int) -> list[ChatMessage]:
        """The bot's messages in the chat, oldest first, as they are now (edits, deletions)."""
        return self.world.bot_messages(chat_id)

    def user_messages(self, chat_id: int) -> list[ChatMessage]:
        """What the user sent in the chat, oldest first."""
        found = [m for (chat, _), m in self.world.messages.items() if chat == chat_id]
        return sorted((m for m in found if not m.from_bot), key=lambda m: m.message_id)

    def message(self, chat_id: int, message_id: int) -> ChatMessage:
        found = self.world.messages.get((chat_id, message_id))
        if found is None:
            raise KeyError(f"no message {message_id} in chat {chat_id}")
        return found

    def documents(self, chat_id: int) -> list[StoredFile]:
        """Files the bot sent to the chat with sendDocument, oldest first."""
        return [m.document for m in self.messages(chat_id) if m.document is not None]

    @property
    def calls(self) -> tuple[Call, ...]:
        """Every Bot API request so far, failed ones included, in the order they were answered."""
        return tuple(self.world.calls)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.world.calls if c.method.lower() == method.lower()]

    @property
    def commands(self) -> dict[str, list[tuple[str, str]]]:
        """Default-scope commands by language_code ("" for all languages)."""
        default = scope_key(None)
        return {
            language: list(pairs)
            for (scope, language), pairs in self.world.commands.items()
            if scope == default
        }

    def commands_for(
        self, scope: JsonObject | None = None, language_code: str = ""
    ) -> list[tuple[str, str]]:
        return list(self.world.commands.get((scope_key(scope), language_code), ()))

    def callback_query(self, query_id: str) -> CallbackQuery:
        return self.world.callback_queries[query_id]

    @property
    def webhook(self) -> Webhook | None:
        return self.world.webhook

    @property
    def pending_updates(self) -> list[JsonObject]:
        """Updates not yet confirmed by a getUpdates offset."""
        return [{"update_id": u.update_id, **u.payload} for u in self.world.updates]

    @property
    def peak_in_flight(self) -> int:
        """The most slowed calls (see slow_down) the fake was holding at one time."""
        return self._peak_in_flight

    @property
    def parked_polls(self) -> int:
        """getUpdates requests waiting for an update right now."""
        return self._parked_polls

    @property
    def downloads(self) -> tuple[str, ...]:
        """file_path of every file download the bot made."""
        return tuple(self._downloads)

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        *,
        retry_after: int = 1,
        description: str | None = None,
    ) -> None:
        """Make the next call of `method` fail once; calls queue up in order."""
        if error_code == 429:
            error = ApiError(
                429,
                description or f"Too Many Requests: retry after {retry_after}",
                retry_after=retry_after,
            )
        else:
            fallback = _DEFAULT_DESCRIPTIONS.get(error_code) or HTTPStatus(error_code).phrase
            error = ApiError(error_code, description or fallback)
        self._failures.setdefault(method.lower(), deque()).append(error)

    def drop_next(self, method: str, times: int = 1) -> None:
        """Make the next `times` calls of `method` end with the connection closed and no answer,
        before the call is handled (nothing is sent): a dropped connection."""
        self._drops[method.lower()] = self._drops.get(method.lower(), 0) + times

    def slow_down(self, method: str, seconds: float) -> None:
        """Make every call of `method` take `seconds` before it is handled, like a slow round
        trip to Telegram; 0 makes it quick again. `peak_in_flight` counts the slowed calls
        that overlapped."""
        self._delays[method.lower()] = seconds

    async def wait_for(
        self,
        predicate: Callable[[], T | None],
        timeout: float = 5.0,  # noqa: ASYNC109 - the scripting API reads best with a plain number
        *,
        what: str | None = None,
    ) -> T:
        """Wait until predicate() is truthy and return its value.

        The predicate is re-checked whenever the fake's state changes (a request answered, an
        update queued), so it should look at the fake; for state inside the bot, await an
        asyncio primitive the bot sets instead.
        """
        try:
            async with asyncio.timeout(timeout):
                while True:
                    value = predicate()
                    if value:
                        return value
                    await self._changed.wait()
        except TimeoutError:
            calls = self.world.calls
            recent = [f"{c.method}:{c.status}" for c in calls if c.method != "getUpdates"]
            raise AssertionError(
                f"{what or getattr(predicate, '__name__', 'condition')} not met within "
                f"{timeout}s; Bot API calls besides getUpdates: {recent[-10:]}"
            ) from None

    async def next_message(
        self,
        chat_id: int,
        timeout: float = 5.0,  # noqa: ASYNC109 - same convention as wait_for
    ) -> ChatMessage:
        """The next bot message in the chat not yet returned by next_message, waiting if needed.

        A cursor per chat means a reply sent before the test started waiting is still found.
        """
        seen = self._seen_messages.get(chat_id, 0)

        def unseen() -> ChatMessage | None:
            sent = self.world.bot_messages(chat_id)
            return sent[seen] if len(sent) > seen else None

        message = await self.wait_for(
            unseen, timeout, what=f"bot message #{seen + 1} in chat {chat_id}"
        )
        self._seen_messages[chat_id] = seen + 1
        return message

    async def next_edit(
        self,
        chat_id: int,
        message_id: int,
        timeout: float = 5.0,  # noqa: ASYNC109 - same convention as wait_for
    ) -> ChatMessage:
        """The message once it was edited (or re-edited) since next_edit last returned it."""
        key = (chat_id, message_id)
        seen = self._seen_edits.get(key, 0)

        def changed() -> ChatMessage | None:
            message = self.world.messages.get(key)
            return message if message is not None and len(message.history) > seen else None

        message = await self.wait_for(
            changed, timeout, what=f"an edit of message {message_id} in chat {chat_id}"
        )
        self._seen_edits[key] = len(message.history)
        return message

    def _notify(self) -> None:
        # Waiters hold the old event; setting it wakes them, the fresh one parks the next round.
        self._changed.set()
        self._changed = asyncio.Event()

    # -- HTTP ---------------------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # asyncio logs an error when the task it made for this callback ends cancelled, so the
        # conversation runs in a child task that stop() may cancel instead.
        conversation = asyncio.create_task(self._converse(reader, writer))
        self._connections.add(conversation)
        try:
            await conversation
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise
        finally:
            self._connections.discard(conversation)

    async def _converse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    request = await read_request(reader)
                except BadHttp as error:
                    body = str(error).encode()
                    response = Response(error.status, body, "text/plain")
                    await write_response(writer, response, keep_alive=False)
                    return
                if request is None:
                    return
                try:
                    response = await self._respond(request)
                except _Dropped:
                    return  # closed below, with no answer
                except Exception as error:
                    # A bug in the fake must fail the test, not hang it or blame the bot.
                    self._internal_errors.append(error)
                    description = f"Internal Server Error: fake Bot API bug: {error!r}"
                    response = _error_response(ApiError(500, description))
                await write_response(writer, response, keep_alive=request.keep_alive)
                if not request.keep_alive:
                    return
        except ConnectionError:
            # The client hung up, e.g. PTB cancelling a long poll on shutdown.
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _respond(self, request: Request) -> Response:
        path = unquote(request.path)
        if path.startswith("/file/bot"):
            token, _, file_path = path.removeprefix("/file/bot").partition("/")
            if token != self._token:
                return _error_response(ApiError(401, "Unauthorized"))
            return self._download(file_path)
        if path.startswith("/bot"):
            token, _, method_name = path.removeprefix("/bot").partition("/")
            if token != self._token:
                return _error_response(ApiError(401, "Unauthorized"))
            return await self._call(method_name, request)
        return _error_response(ApiError(404, "Not Found"))

    def _download(self, file_path: str) -> Response:
        stored = self.world.file_at(file_path)
        if stored is None:
            return _error_response(ApiError(404, "Not Found"))
        self._downloads.append(file_path)
        self._notify()
        return Response(200, stored.data, stored.mime_type or "application/octet-stream")

    async def _call(self, method_name: str, request: Request) -> Response:
        method = find_method(method_name)
        name = method.name if method else method_name
        params: dict[str, object] = {}
        try:
            if method is None:
                self._unknown_methods.append(method_name)
                raise ApiError(404, "Not Found")
            try:
                raw = decode_parameters(request)
            except BadBody as error:
                raise ApiError(400, f"Bad Request: {error}") from None
            params = raw  # recorded as sent if typing fails
            params = method.typed(raw)
            delay = self._delays.get(method.name.lower())
            if delay:
                self._in_flight += 1
                self._peak_in_flight = max(self._peak_in_flight, self._in_flight)
                self._notify()  # a test may wait for a call to be held
                try:
                    await asyncio.sleep(delay)
                finally:
                    self._in_flight -= 1
            if self._drops.get(method.name.lower()):
                self._drops[method.name.lower()] -= 1
                self._record(Call(name, params, 0, "connection dropped"))
                raise _Dropped
            injected = self._failures.get(method.name.lower())
            if injected:
                raise injected.popleft()
            if method.name == "getUpdates":
                result = await self._long_poll(Params(params))
            else:
                result = method.handler(self.world, Params(params))
        except ApiError as error:
            self._record(Call(name, params, error.error_code, error.description))
            return _error_response(error)
        self._record(Call(name, params, 200))
        return _json_response(200, {"ok": True, "result": result})

    def _record(self, call: Call) -> None:
        self.world.calls.append(call)
        self._notify()

    async def _long_poll(self, params: Params) -> object:
        """getUpdates: answer at once when updates exist, else park until one arrives."""
        get_updates = find_method("getUpdates")
        assert get_updates is not None
        self._poll_generation += 1
        generation = self._poll_generation
        # Wake an older parked poll so it can answer 409 like Telegram does.
        self._notify()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(params.optional_number("timeout") or 0, 0)
        while True:
            result = get_updates.handler(self.world, params)
            remaining = deadline - loop.time()
            if result or remaining <= 0:
                return result
            self._parked_polls += 1
            try:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(remaining):
                        await self._changed.wait()
            finally:
                self._parked_polls -= 1
            if generation != self._poll_generation:
                raise ApiError(409, _CONFLICT)
