"""Drive the whole assistant through its seam, on a real SQLite file, as a channel would."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.assistant import Assistant, LibraryHolder
from bot.assistant.reading import read_notice
from bot.cli.flows import load_library
from bot.content.model import Library
from bot.core.messages import Button, Inbound, Message, Outbound, Pressed
from bot.storage.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parents[2]
FLOWS = ROOT / "flows"
SAMPLES = ROOT / "bot" / "samples"
T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def library() -> Library:
    lib, issues = load_library(FLOWS)
    assert lib is not None, [str(i) for i in issues]
    return lib


LIB = library()


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=7)
        return self.now


@dataclass
class Driver:
    """One person talking to an assistant on a database file; the buttons they can see."""

    assistant: Assistant
    db: Path
    user: int = 7
    update_id: int = 0
    buttons: list[Button] = field(default_factory=list)
    replies: list[Outbound] = field(default_factory=list)

    @classmethod
    async def open(cls, db: Path, *, keep_notice: bool = False) -> Driver:
        store = await SqliteStore.open(db, keep_notice=keep_notice)
        assistant = Assistant(
            LibraryHolder(LIB), store, read_notice, clock=Clock(), keep_notice=keep_notice
        )
        return cls(assistant, db)

    async def send(self, inbound: Inbound, lang: str = "en") -> list[Outbound]:
        self.update_id += 1
        got = await self.assistant.handle(
            self.user, inbound, update_id=self.update_id, lang_hint=lang
        )
        self.replies = got
        shown = [b for r in got if isinstance(r, Message) for row in r.buttons for b in row]
        if shown:
            self.buttons = shown
        return got

    async def press(self, ending: str) -> list[Outbound]:
        """Press the button on screen whose data ends with `ending`."""
        for b in self.buttons:
            if b.data.encode().endswith(ending):
                return await self.send(Pressed(b.data))
        raise AssertionError(f"no button ending {ending!r} among {self.buttons}")

    def texts(self) -> list[str]:
        return [r.text for r in self.replies if isinstance(r, Message)]

    def file_bytes(self) -> bytes:
        """Every byte of the database's files as they are now: .db, -wal and -shm."""
        out = b""
        for suffix in ("", "-wal", "-shm", "-journal"):
            path = Path(f"{self.db}{suffix}")
            if path.exists():
                out += path.read_bytes()
        return out

    async def close(self) -> None:
        await self.assistant.close()
