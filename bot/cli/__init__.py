"""The command line, on top of everything: settings, files on disk, and the wiring of a bot."""

from bot.cli.main import main

__all__ = ["main"]
