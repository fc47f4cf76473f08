"""Channels: the edges where people talk to Anshin (Telegram, the terminal)."""
