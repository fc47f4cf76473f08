"""A loopback fake of the Telegram Bot API for end-to-end tests of the real PTB Application."""

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
