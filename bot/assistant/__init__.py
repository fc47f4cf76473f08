"""The assistant: the one seam between channels and the core, and the only way to the store."""

from bot.assistant.seam import Assistant, LibraryHolder

__all__ = ["Assistant", "LibraryHolder"]
