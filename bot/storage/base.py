"""The Store protocol: what the assistant needs from storage, whatever the database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from bot.core.state import Commit, DueReminder, LogRow, PersonState

T = TypeVar("T")


@dataclass(frozen=True)
class Stats:
    people: int
    open_by_kind: dict[str, int]
    unknown_notices: int
    incidents: int


class Store(Protocol):
    """A person's state is read, changed and written back in one transaction.

    `transact` loads the person (a fresh PersonState when unknown), calls `decide` with it, and
    commits what `decide` returns before returning its result. `decide` is pure and may run on the
    database's own thread; it must not await or do I/O. When `update_id` was already processed,
    nothing is called or written and `transact` returns None: a repeated delivery changes nothing.
    """

    async def transact(
        self,
        user_id: int,
        update_id: int | None,
        decide: Callable[[PersonState], tuple[Commit, T]],
        *,
        also: Sequence[int] = (),
    ) -> T | None: ...

    # The inbox: an update is kept from its arrival (before the channel confirms it) until the
    # transaction that applies it, or `settle` for one handled without a transaction.
    async def receive(self, update_id: int, payload: str) -> None: ...

    async def inbox(self) -> list[tuple[int, str]]: ...

    async def settle(self, update_id: int) -> None: ...

    async def load(self, user_id: int) -> PersonState: ...

    async def timeline(self, user_id: int, incident: int) -> list[LogRow]: ...

    async def due_reminders(self, now: datetime, limit: int = 100) -> list[DueReminder]: ...

    async def mark_reminder_sent(self, reminder_id: int, at: datetime) -> None: ...

    async def forget(self, user_id: int) -> None: ...

    async def purge_closed(self, before: datetime) -> int: ...

    async def count_unknown_notice(self) -> None: ...

    async def stats(self) -> Stats: ...

    async def close(self) -> None: ...
