"""`anshin feeds import|list|stats|remove|check` and `anshin mark`: the admin's lists.

A list of phishing addresses is read from a file the admin (or a timer) downloaded; nothing is
fetched here. Two shapes are read, told apart by the first line: CSV whose header names a URL
column (the JPCERT/CC phishurl-list shape, `date,URL,description`), or plain text with one address
a line (the OpenPhish shape; blank lines and lines starting with # are skipped). Addresses
written defanged (hxxp://, example[.]com) are read as the address they stand for.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO

from bot.notices.domains import host_of, is_ip
from bot.notices.known import is_whole_host, url_key
from bot.storage.lists import FeedEntry

MAX_PROBLEMS_SHOWN = 10
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DEFANGED = (("[.]", "."), ("(.)", "."), ("{.}", "."), ("[:]", ":"), ("[://]", "://"))
_SOURCE = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}")


@dataclass
class FeedFile:
    """A list as read: its entries and the lines that could not be read, with why."""

    entries: list[FeedEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    shape: str = "text"  # text | csv


def source_name(text: str) -> str | None:
    """A list's name as stored: lower case letters, digits, '_', '-' and '.', up to 40."""
    name = text.strip().lower()
    return name if _SOURCE.fullmatch(name) else None


def day_of(text: str) -> str:
    """YYYY-MM-DD from a date as lists write it (2025/10/01 12:00:00, 2025-10-01T...); "" when
    there is none or it is not a real day."""
    m = _DATE.search(text)
    if m is None:
        return ""
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return ""


def refanged(address: str) -> str:
    out = address.strip().strip("\"'<>")
    for written, meant in _DEFANGED:
        out = out.replace(written, meant)
    if out[:4].lower() == "hxxp":
        out = "http" + out[4:]
    return out


def entry_of(address: str, reported: str, description: str = "") -> FeedEntry | None:
    address = refanged(address)
    key = url_key(address)
    host = host_of(address)
    if not key or not ("." in host.strip(".") or is_ip(host)):
        return None
    return FeedEntry(key, host, is_whole_host(key), reported, description.strip()[:200])


def read_feed(path: Path, default_day: str) -> FeedFile:
    """Every entry of the list at `path`; `default_day` dates a plain list's entries."""
    with open(path, "rb") as f:
        head = f.read(4096)
        if b"\x00" in head:
            return FeedFile(
                problems=[f"{path}:1: this is not a text file; give a CSV or text list"]
            )
        f.seek(0)
        text = io.TextIOWrapper(f, encoding="utf-8-sig", errors="replace", newline="")
        first = head.decode("utf-8-sig", errors="replace").splitlines()[:1]
        header = [c.strip().lower() for c in next(csv.reader(first), [])] if first else []
        if "url" in header:
            return _read_csv(path, text, header)
        return _read_text(path, text, default_day)


def _read_csv(path: Path, text: IO[str], header: list[str]) -> FeedFile:
    out = FeedFile(shape="csv")
    url_at = header.index("url")
    date_at = header.index("date") if "date" in header else None
    about_at = header.index("description") if "description" in header else None
    rows = csv.reader(text)
    next(rows, None)
    for line, row in enumerate(rows, start=2):
        if not row or not "".join(row).strip():
            continue
        if len(row) <= url_at:
            out.problems.append(f"{path}:{line}: no URL column in this row; fix or remove the row")
            continue
        reported = day_of(row[date_at]) if date_at is not None and len(row) > date_at else ""
        about = row[about_at] if about_at is not None and len(row) > about_at else ""
        found = entry_of(row[url_at], reported, about)
        if found is None:
            out.problems.append(_not_an_address(path, line, row[url_at]))
        else:
            out.entries.append(found)
    return out


def _read_text(path: Path, text: IO[str], default_day: str) -> FeedFile:
    out = FeedFile()
    for line, raw in enumerate(text, start=1):
        written = raw.strip()
        if not written or written.startswith("#"):
            continue
        found = entry_of(written.split()[0], default_day)
        if found is None:
            out.problems.append(_not_an_address(path, line, written))
        else:
            out.entries.append(found)
    return out


def _not_an_address(path: Path, line: int, written: str) -> str:
    shown = written if len(written) <= 60 else written[:57] + "..."
    return (
        f"{path}:{line}: {shown!r} is not a web address; each entry needs a host name "
        "(https://host/path or host/path)"
    )


def file_day(path: Path) -> str:
    """The day a list was downloaded, as its file says (when the list itself gives no date)."""
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).date().isoformat()


def report_problems(problems: list[str], out: IO[str] | None = None) -> None:
    out = out or sys.stderr
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        print(problem, file=out)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        print(f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more lines skipped", file=out)
