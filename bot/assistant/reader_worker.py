"""The notice reader's worker process: `main()` in a Python of its own, with the database as its
argument when there are lists to use (bot/assistant/readers.py starts it).

It reads framed requests on standard input and answers each on standard output, in order
(bot/assistant/readers.py is the other end). A frame is a 4-byte big-endian length and a pickle.
Requests: ("library", [(field, value or [(key, pickled item)...])...]) replaces the flows the
worker reads with (no answer); ("read", raw, origin, filename, seconds) reads one notice within
`seconds` (the reader's Budget asks the clock) and answers ("ok", Analysis or Unreadable) or
("error", the exception's name); ("call", name, args) answers ("ok", OFFLOADED[name](*args)),
parsing the bot would otherwise do in a thread of its own. With DB, the admin's lists in that
database are used.

Both ends are this program, so pickles cross only between processes of one bot.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import os
import pickle
import struct
import sys
import time
from collections.abc import Callable
from email.message import EmailMessage
from importlib.resources import files
from typing import IO, Any

from bot.assistant.pictures import mail_images, mail_with_text
from bot.notices.budget import Budget

HEADER = struct.Struct(">I")
MAX_FRAME = 256 * 1024 * 1024
# What a worker runs besides reading (by name): pure functions of the bytes a person sent.
OFFLOADED: dict[str, Callable[..., object]] = {f.__name__: f for f in (mail_images, mail_with_text)}


def warm_samples() -> list[tuple[bytes, str]]:
    """Notices to read once at start-up, so every pattern and index the reader builds on first
    use is built before the first person's notice: the sample notices, and one of them as a
    mail with an HTML part (the mail parser's and the HTML reader's first use)."""
    samples = files("bot") / "samples"
    texts = [(samples / f"isp_notice_{lang}.txt").read_bytes() for lang in ("ja", "en")]
    head, _, body = texts[1].decode("utf-8").partition("\n\n")
    mail = EmailMessage()
    for line in head.splitlines():
        name, _, value = line.partition(":")
        mail[name.strip()] = value.strip()
    mail.set_content(body)
    mail.add_alternative(f"<html><body><p>{html.escape(body)}</p></body></html>", subtype="html")
    return [(texts[0], "sample.txt"), (texts[1], "sample.txt"), (mail.as_bytes(), "sample.eml")]


def write_frame(out: IO[bytes], value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(HEADER.pack(len(data)) + data)
    out.flush()


def read_frame(inp: IO[bytes]) -> Any:
    """The next request, or None at the end of input."""
    head = inp.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    if size > MAX_FRAME:
        raise ValueError(f"a frame of {size} bytes is over the limit")
    data = inp.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)


def pack_library(lib: object) -> list[tuple[str, object]]:
    """The library as fields, each mapping pickled item by item: every pickle call is short, so
    a thread doing this lets the event loop run in between (one call for the whole library
    would hold the interpreter for tens of milliseconds)."""
    packed: list[tuple[str, object]] = []
    for f in dataclasses.fields(lib):  # type: ignore[arg-type]
        value = getattr(lib, f.name)
        if isinstance(value, dict):
            packed.append((f.name, [(k, pickle.dumps(v)) for k, v in value.items()]))
        else:
            packed.append((f.name, pickle.dumps(value)))
    return packed


def unpack_library(packed: list[tuple[str, Any]]) -> Any:
    from bot.content.model import Library

    fields: dict[str, Any] = {}
    for name, value in packed:
        if isinstance(value, list):
            fields[name] = {k: pickle.loads(v) for k, v in value}
        else:
            fields[name] = pickle.loads(value)
    return Library(**fields)


def deadline_budget(seconds: float) -> Budget:
    """A budget whose deadline is `seconds` from now."""
    deadline = time.monotonic() + seconds
    return Budget(expired=lambda: time.monotonic() > deadline)


def serve(inp: IO[bytes], out: IO[bytes], db: str | None) -> None:
    from bot.notices import analyse, prepare

    known = None
    if db:
        from bot.assistant.known import StoreLists

        known = StoreLists(db)
    lib = None
    write_frame(out, ("ready", os.getpid()))
    while True:
        request = read_frame(inp)
        if request is None:
            return
        if request[0] == "library":
            lib = unpack_library(request[1])
            prepare(lib)
            continue
        if request[0] == "call":
            _, name, args = request
            try:
                write_frame(out, ("ok", OFFLOADED[name](*args)))
            except Exception as e:  # never the bytes, only what went wrong
                write_frame(out, ("error", f"{name}: {type(e).__name__}"))
            continue
        _, raw, origin, filename, seconds = request
        budget = deadline_budget(seconds)
        try:
            if lib is None:
                raise RuntimeError("no library was sent before a notice")
            result = analyse(lib, raw, origin=origin, filename=filename, budget=budget, known=known)
            write_frame(out, ("ok", result))
        except Exception as e:  # the reader never raises; if it does, say what, never the text
            write_frame(out, ("error", type(e).__name__))


def main() -> None:
    # Reading is background work: where the cores are busy, the bot's event loop goes first.
    with contextlib.suppress(OSError, AttributeError):
        os.nice(5)
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # nothing but frames may reach the parent's pipe
    db = sys.argv[1] if len(sys.argv) > 1 else None
    serve(sys.stdin.buffer, out, db)
