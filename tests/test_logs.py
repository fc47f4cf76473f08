"""Logs: plain or JSON lines, and a bot token never reaches them."""

from __future__ import annotations

import json
import logging

import pytest

from bot.cli.logs import JsonFormatter, PlainFormatter, redact, setup_logging

TOKEN = "123456789:AAHfakefakefakefakefakefakefakefake12"


def _record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("anshin.test", logging.INFO, __file__, 1, message, args, None)


def test_a_token_inside_a_url_is_redacted() -> None:
    line = redact(f"POST https://api.telegram.org/bot{TOKEN}/getUpdates failed")
    assert TOKEN not in line and "<token>" in line


def test_json_lines_carry_time_level_logger_and_redacted_message() -> None:
    out = JsonFormatter().format(_record("calling %s", f"/bot{TOKEN}/sendMessage"))
    entry = json.loads(out)
    assert entry["level"] == "INFO" and entry["logger"] == "anshin.test"
    assert entry["message"] == "calling /bot<token>/sendMessage"
    assert entry["time"].endswith("+00:00")


def test_plain_lines_are_redacted_too() -> None:
    out = PlainFormatter("%(message)s").format(_record(f"token {TOKEN}"))
    assert out == "token <token>"


@pytest.mark.parametrize("fmt", ["plain", "json"])
def test_setup_keeps_httpx_request_lines_out(fmt: str) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging(fmt)
        assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING
        formatter = root.handlers[0].formatter
        assert isinstance(formatter, JsonFormatter if fmt == "json" else PlainFormatter)
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
