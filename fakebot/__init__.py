"""Test support: a loopback fake of the Telegram Bot API, for end-to-end tests and benchmarks of
the real python-telegram-bot Application. Imported as `fakebot` by tests and bench alike."""

from .http import Upload
from .methods import ApiError
from .server import FakeBotApi
from .world import Call, CallbackQuery, ChatMessage, Revision, StoredFile, User, Webhook

__all__ = [
    "ApiError",
    "Call",
    "CallbackQuery",
    "ChatMessage",
    "FakeBotApi",
    "Revision",
    "StoredFile",
    "Upload",
    "User",
    "Webhook",
]
