"""The assistant: the one seam between channels and the core, and the only way to the store."""

from bot.assistant.reading import MAX_NOTICE_BYTES
from bot.assistant.reload import FlowsSource, LibraryHolder
from bot.assistant.seam import Assistant
from bot.assistant.upkeep import Deliver
from bot.storage.faults import WriteRefused

__all__ = [
    "MAX_NOTICE_BYTES",
    "Assistant",
    "Deliver",
    "FlowsSource",
    "LibraryHolder",
    "WriteRefused",
]
