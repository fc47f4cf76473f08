"""Settings from the environment (and an optional KEY=value file), checked in one place."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta, timezone, tzinfo
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

TOKEN_SHAPE = re.compile(r"\d{5,16}:[A-Za-z0-9_-]{30,60}")

# Every setting, with what it means; the README's table and .env.example follow this list.
DOCUMENTED: dict[str, str] = {
    "TELEGRAM_BOT_TOKEN": "Bot token from @BotFather. Without it, `anshin run` starts the console.",
    "TELEGRAM_API_BASE": "Another Bot API server, e.g. http://127.0.0.1:8081 (self-hosted).",
    "ANSHIN_CONFIG": "A file of KEY=value lines read before the environment (env wins).",
    "ANSHIN_DB": "SQLite database path. Default: $XDG_DATA_HOME/anshin/anshin.db.",
    "ANSHIN_FLOWS": "The flows folder. Default: ./flows.",
    "ANSHIN_ADMIN_IDS": "Comma-separated Telegram user ids allowed to /reload, /stats, /flows.",
    "ANSHIN_ADMIN_CHAT": "A chat id that hears about errors. Optional.",
    "ANSHIN_LANG": "Language for people whose Telegram language is neither ja nor en (ja|en).",
    "ANSHIN_KEEP_NOTICE": "1 to keep the raw notice text with the incident. Default 0: facts only.",
    "ANSHIN_SYNCHRONOUS": "SQLite synchronous mode: NORMAL (default) or FULL (power-loss safe).",
    "ANSHIN_RETENTION_DAYS": "Closed incidents are deleted after this many days. Default 90.",
    "ANSHIN_LOG_FORMAT": "plain (default) or json.",
    "ANSHIN_WEBHOOK_SECRET": "Secret token Telegram sends with webhook requests (webhook mode).",
    "ANSHIN_DOMAIN": "Public domain for the compose webhook profile (Caddy gets its certificate).",
    "ANSHIN_CONNECTIONS": "Keep-alive connections to the Bot API, 1 to 256. Default 8.",
    "ANSHIN_OCR": "0 to leave screenshots unread (the bot asks for the text). Default 1.",
    "ANSHIN_TZ": "Time zone of the times people read (/export, /status). Default Asia/Tokyo.",
    "ANSHIN_READERS": "Worker processes reading notices, 0 to 8; 0 reads in a thread. Default 1.",
}
DEFAULT_TZ = "Asia/Tokyo"
# Japan has kept UTC+9 without summer time since 1951: the default holds even where the system
# has no time zone database.
_TOKYO = timezone(timedelta(hours=9), "JST")


def zone(name: str) -> tzinfo | None:
    """The time zone called `name` (IANA, such as Asia/Tokyo), or None when unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return _TOKYO if name == DEFAULT_TZ else None


# Each connection carries one request per round trip: at 50 ms (a server near Telegram's) 8 carry
# about 160 requests a second, at 250 ms about 30, some 10 presses a second (a press is answered,
# edited and followed by a step). httpcore looks at every pooled connection on every request, so
# a pool larger than the traffic needs only costs CPU; raise it for a busier bot.
DEFAULT_CONNECTIONS = 8


def _whole(text: str) -> bool:
    """Plain ASCII digits: str.isdigit() also takes "²", which int() refuses."""
    return text.isascii() and text.isdigit()


def default_db_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "anshin" / "anshin.db"


@dataclass(frozen=True)
class Settings:
    token: str | None = None
    api_base: str | None = None
    db: Path = field(default_factory=default_db_path)
    flows: Path = Path("flows")
    admin_ids: frozenset[int] = frozenset()
    admin_chat: int | None = None
    lang: str = "ja"
    keep_notice: bool = False
    synchronous: Literal["NORMAL", "FULL"] = "NORMAL"
    retention_days: int = 90
    log_format: str = "plain"
    webhook_secret: str | None = None
    connections: int = DEFAULT_CONNECTIONS
    ocr: bool = True  # read screenshots and QR codes (when the OCR extra is installed)
    timezone: tzinfo = field(default_factory=lambda: zone(DEFAULT_TZ) or _TOKYO)
    readers: int = 1  # notice reader worker processes; 0 reads in a thread of the bot
    problems: tuple[str, ...] = ()  # what was wrong with the values given


def read_env_file(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        out[key.strip()] = value.strip().strip('"').strip("'")
    return out


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read settings; unusable values are reported in `problems`, never silently used."""
    v = _Values(dict(os.environ if env is None else env))
    config = v.source.get("ANSHIN_CONFIG")
    if config:
        try:
            v.source = {**read_env_file(Path(config)), **v.source}
        except OSError as e:
            v.problems.append(f"ANSHIN_CONFIG: cannot read {config} ({e.strerror})")
    unknown = [k for k in v.source if k.startswith("ANSHIN_") and k not in DOCUMENTED]
    v.problems += [f"{k}: unknown setting (typo?)" for k in sorted(unknown)]
    admin_ids = _admin_ids(v)
    token = v.get("TELEGRAM_BOT_TOKEN")
    if token and not TOKEN_SHAPE.fullmatch(token):
        v.problems.append("TELEGRAM_BOT_TOKEN: does not look like a bot token (digits:letters)")
    lang = v.choice("ANSHIN_LANG", ("ja", "en"))
    sync = v.choice("ANSHIN_SYNCHRONOUS", ("NORMAL", "FULL"), upper=True)
    retention = v.number("ANSHIN_RETENTION_DAYS", 90, 1, None, "a whole number of days")
    log_format = v.choice("ANSHIN_LOG_FORMAT", ("plain", "json"))
    connections = v.number(
        "ANSHIN_CONNECTIONS", DEFAULT_CONNECTIONS, 1, 256, "a number from 1 to 256"
    )
    readers = v.number("ANSHIN_READERS", 1, 0, 8, "a number from 0 to 8")
    ocr = (v.get("ANSHIN_OCR") or "1").lower()
    if ocr not in ("0", "1", "true", "false", "yes", "no", "on", "off"):
        v.problems.append(f"ANSHIN_OCR: {ocr!r} should be 1 or 0")
        ocr = "1"
    admin_chat = v.get("ANSHIN_ADMIN_CHAT")
    if admin_chat and not _whole(admin_chat.removeprefix("-")):
        v.problems.append(f"ANSHIN_ADMIN_CHAT: {admin_chat!r} is not a chat id")
        admin_chat = None
    api_base = _api_base(v, token)
    db = v.get("ANSHIN_DB")
    tz_name = v.get("ANSHIN_TZ") or DEFAULT_TZ
    tz = zone(tz_name)
    if tz is None:
        v.problems.append(f"ANSHIN_TZ: {tz_name!r} is not a time zone (such as Asia/Tokyo)")
    return Settings(
        token=token,
        api_base=api_base.rstrip("/") if api_base else None,
        db=Path(db) if db else default_db_path(),
        flows=Path(v.get("ANSHIN_FLOWS") or "flows"),
        admin_ids=admin_ids,
        admin_chat=int(admin_chat) if admin_chat else None,
        lang=lang,
        keep_notice=(v.get("ANSHIN_KEEP_NOTICE") or "0").lower() in ("1", "true", "yes"),
        synchronous="FULL" if sync == "FULL" else "NORMAL",
        retention_days=retention,
        log_format=log_format,
        webhook_secret=v.get("ANSHIN_WEBHOOK_SECRET"),
        connections=connections,
        ocr=ocr in ("1", "true", "yes", "on"),
        timezone=tz or zone(DEFAULT_TZ) or _TOKYO,
        readers=readers,
        problems=tuple(_hide_token(p, token) for p in v.problems),
    )


def _hide_token(problem: str, token: str | None) -> str:
    """A problem quotes the value it is about; a token pasted into the wrong setting is not
    quoted back (nor its part after the colon), whatever its shape."""
    for secret in (token, (token or "").partition(":")[2]):
        if secret and len(secret) >= 6:
            problem = problem.replace(secret, "<token>")
    return TOKEN_SHAPE.sub("<token>", problem)


def _api_base(v: _Values, token: str | None) -> str | None:
    """The Bot API server's address, or None (with the problem noted) when unusable."""
    api_base = v.get("TELEGRAM_API_BASE")
    if api_base and (
        TOKEN_SHAPE.search(api_base) or "/bot" in api_base or (token and token in api_base)
    ):
        # Not echoed: what was pasted here may be the token itself.
        v.problems.append(
            "TELEGRAM_API_BASE: holds a bot token or a /bot path; give only the server's address "
            "(such as http://127.0.0.1:8081) and put the token in TELEGRAM_BOT_TOKEN"
        )
        return None
    if api_base and not re.match(r"https?://", api_base):
        v.problems.append(f"TELEGRAM_API_BASE: {api_base!r} should start with http:// or https://")
        return None
    return api_base


class _Values:
    """The raw KEY=value settings, and the problems found while reading them."""

    def __init__(self, source: dict[str, str]) -> None:
        self.source = source
        self.problems: list[str] = []

    def get(self, key: str) -> str | None:
        value = self.source.get(key, "").strip()
        return value or None

    def number(self, key: str, default: int, low: int, high: int | None, should: str) -> int:
        raw = self.get(key) or str(default)
        if _whole(raw) and low <= int(raw) and (high is None or int(raw) <= high):
            return int(raw)
        self.problems.append(f"{key}: {raw!r} should be {should}")
        return default

    def choice(self, key: str, allowed: tuple[str, str], upper: bool = False) -> str:
        """One of two words; the first when unset or wrong."""
        raw = self.get(key) or allowed[0]
        value = raw.upper() if upper else raw
        if value in allowed:
            return value
        self.problems.append(f"{key}: {value!r} should be {allowed[0]} or {allowed[1]}")
        return allowed[0]


def _admin_ids(v: _Values) -> frozenset[int]:
    admin_ids: set[int] = set()
    for part in (v.get("ANSHIN_ADMIN_IDS") or "").split(","):
        if part.strip():
            if _whole(part.strip().removeprefix("-")):
                admin_ids.add(int(part))
            else:
                v.problems.append(f"ANSHIN_ADMIN_IDS: {part.strip()!r} is not a Telegram user id")
    return frozenset(admin_ids)
