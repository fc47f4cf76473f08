"""The terminal channel: the same assistant, with buttons as numbered choices."""

from __future__ import annotations

import asyncio
import shlex
import sys
from pathlib import Path
from typing import TextIO

from bot.assistant import Assistant
from bot.core.messages import (
    Button,
    Command,
    DeleteIncoming,
    Document,
    FileSent,
    ImagesSent,
    Inbound,
    Message,
    Outbound,
    PressAnswer,
    Pressed,
    Said,
)

CONSOLE_USER = 0
PASTE_END = "."
IMAGE = "/image"
SHOWN_NOTICE_CHARS = 4000  # of the notice the console reads at start, shown before its reading


class Console:
    """Reads lines, prints replies. Numbers press buttons; /paste takes a multi-line notice."""

    def __init__(self, assistant: Assistant, out: TextIO, lang: str | None = None) -> None:
        self.assistant = assistant
        self.out = out
        self.lang = lang
        self.buttons: list[Button] = []

    def print(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    async def send(self, inbound: Inbound) -> None:
        replies = await self.assistant.handle(CONSOLE_USER, inbound, lang_hint=self.lang)
        self.show(replies)
        # Between turns, as the Telegram channel does in the background: reminders and retention.
        await self.assistant.upkeep.round(self.deliver)

    async def deliver(self, user_id: int, message: Message) -> float | None:
        self.show([message])
        return None

    def show(self, replies: list[Outbound]) -> None:
        """Print the replies. The buttons of one answer are numbered on from each other, so a
        draft's "correct a detail" keeps its number under the step shown again below it."""
        fresh = True
        for r in replies:
            if isinstance(r, Message):
                self.print()
                self.print(r.text)
                for line in r.quote.splitlines():
                    self.print(f"  | {line}")
                if r.buttons:
                    if fresh:
                        self.buttons, fresh = [], False
                    for b in (b for row in r.buttons for b in row):
                        self.buttons.append(b)
                        self.print(f"  [{len(self.buttons)}] {b.label}")
            elif isinstance(r, Document):
                self.print()
                self.print(f"--- {r.filename} ---")
                self.print(r.content.rstrip("\n"))
                self.print("---")
            elif isinstance(r, PressAnswer) and r.notice:
                self.print(f"({r.notice})")
            elif isinstance(r, PressAnswer) and r.chosen:
                self.print(f"> {r.chosen}")
            elif isinstance(r, DeleteIncoming):
                self.print("(message not kept)")

    def parse(self, line: str, lines: list[str]) -> Inbound | None:
        text = line.strip()
        if not text:
            return None
        if text.isdigit() and self.buttons:
            n = int(text)
            if 1 <= n <= len(self.buttons):
                return Pressed(self.buttons[n - 1].data)
        if text == "/paste":
            body = []
            while lines and lines[0].rstrip("\n") != PASTE_END:
                body.append(lines.pop(0).rstrip("\n"))
            if lines:
                lines.pop(0)
            return Said("\n".join(body), notice=True)
        if text == IMAGE or text.startswith(IMAGE + " "):
            return self.images(text[len(IMAGE) :].strip())
        if text.startswith("/"):
            name, _, args = text[1:].partition(" ")
            return Command(name, args)
        return Said(text)

    def images(self, args: str) -> ImagesSent | None:
        """`/image PATH...`: picture files read as the bot reads screenshots (several as one
        album, in order). Files that are missing or over the image limit are said so here."""
        try:
            names = shlex.split(args)
        except ValueError:
            names = []
        if not names:
            self.print("usage: /image PATH [PATH...]  (screenshots; several are read as one)")
            return None
        paths = [Path(name).expanduser() for name in names]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            self.print(f"no such file: {', '.join(missing)}")
            return None
        limit = self.assistant.image_limit
        for path in paths:
            size = path.stat().st_size
            if self.assistant.reads_images and size > limit:
                self.print(self.assistant.image_refusal("too_big", size, self.lang))
                return None
        if self.assistant.reads_images:
            self.print(self.assistant.text("image_reading", self.lang))
        return ImagesSent(tuple(path.read_bytes() for path in paths))


async def run_console(
    assistant: Assistant,
    notice: Path | None,
    lang: str | None,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
) -> int:
    console = Console(assistant, out, lang)
    console.print(assistant.text("console_banner", lang))
    if notice is not None:
        data = await asyncio.to_thread(notice.read_bytes)
        # The notice first, then what the bot makes of it.
        console.print()
        console.print(assistant.text("console_notice", lang).replace("{name}", notice.name))
        shown = data.decode("utf-8", errors="replace")
        console.print(shown[:SHOWN_NOTICE_CHARS].rstrip("\n"))
        console.print("---")
        await console.send(FileSent(data, notice.name))
    else:
        await console.send(Command("start"))
    loop = asyncio.get_running_loop()
    pending: list[str] = []
    while True:
        if not pending:
            console.out.write("\n> ")
            console.out.flush()
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                console.print()
                return 0
            pending.append(line)
        inbound = console.parse(pending.pop(0), pending)
        if inbound is not None and inbound_is_paste_start(inbound):
            # /paste typed interactively: gather the following lines first.
            inbound = await _gather_paste(loop, stdin)
        if inbound is not None:
            await console.send(inbound)
        if isinstance(inbound, Command) and inbound.name == "help":
            console.print(assistant.text("console_help", lang))


def inbound_is_paste_start(inbound: Inbound) -> bool:
    return isinstance(inbound, Said) and inbound.notice and not inbound.text


async def _gather_paste(loop: asyncio.AbstractEventLoop, stdin: TextIO) -> Said | None:
    body: list[str] = []
    while True:
        line = await loop.run_in_executor(None, stdin.readline)
        if not line or line.rstrip("\n") == PASTE_END:
            break
        body.append(line.rstrip("\n"))
    return Said("\n".join(body), notice=True) if body else None
