"""Logging set-up: plain lines or JSON lines, and never a token or a person's words."""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import traceback
from datetime import UTC, datetime
from types import TracebackType

_TOKEN = re.compile(r"\d{5,16}:[A-Za-z0-9_-]{30,60}")
_SHORTEST_SECRET = 6  # a configured value shorter than this is not hunted for in every line

# Values known to be secret in this process (the configured bot token, say), whatever their
# shape: a token that does not look like one is still the token.
_secrets: set[str] = set()


def add_secret(value: str | None) -> None:
    """Hide `value` (and, for a token, its part after the colon) wherever text is redacted."""
    if not value:
        return
    for part in (value, value.partition(":")[2]):
        if len(part) >= _SHORTEST_SECRET:
            _secrets.add(part)


def redact(text: str) -> str:
    """Bot tokens hide in URLs of error messages; cut them out wherever they appear."""
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, "<token>")
    return _TOKEN.sub("<token>", text)


class PlainFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message (and the exception, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(fmt: str = "plain", level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(PlainFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and the bot token is part of each URL.
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    # Warnings (PTB's among them) go through the redacting handler, not straight to stderr.
    logging.captureWarnings(True)


def print_redacted(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    """The last resort for an exception nobody caught: its traceback, redacted."""
    text = "".join(traceback.format_exception(kind, value, tb))
    sys.stderr.write(redact(text))


def guard_tracebacks() -> None:
    """Route tracebacks that would bypass logging (uncaught, in threads) through `redact`."""
    sys.excepthook = print_redacted

    def in_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            print_redacted(args.exc_type, args.exc_value, args.exc_traceback)

    threading.excepthook = in_thread
