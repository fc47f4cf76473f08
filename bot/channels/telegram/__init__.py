"""The Telegram channel, over python-telegram-bot v22: inbound handlers, outbound sending, and the
Application that wires them."""

from bot.channels.telegram.app import (
    ADMIN_COMMANDS,
    CONCURRENT_UPDATES,
    POOL_WAIT,
    USER_COMMANDS,
    TelegramOptions,
    build_application,
)
from bot.channels.telegram.inbound import TelegramChannel
from bot.channels.telegram.outbound import split_text

__all__ = [
    "ADMIN_COMMANDS",
    "CONCURRENT_UPDATES",
    "POOL_WAIT",
    "USER_COMMANDS",
    "TelegramChannel",
    "TelegramOptions",
    "build_application",
    "split_text",
]
