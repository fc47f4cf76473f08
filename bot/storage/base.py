"""The Store protocol: what the assistant needs from storage, whatever the database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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
    # (kinds offered, comma-separated and best first; kind picked): how often, for admins to
    # see which kinds the reader confuses.
    kind_picks: dict[tuple[str, str], int] = field(default_factory=dict)
    feed_entries: int = 0  # known phishing addresses imported (bot/storage/lists.py)
    feed_sources: int = 0
    marks_phishing: int = 0  # campaigns an admin marked
    marks_genuine: int = 0


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

    async def drop_stale_questions(self, before: datetime) -> int: ...

    async def count_unknown_notice(self) -> None: ...

    async def count_verdict(self, ref: str, key: str) -> None:
        """Count a verdict shown: `key` is its kind, verdict and reason codes (never text)."""

    async def count_feedback(self, ref: str) -> None:
        """Count a "this looks wrong" about the verdict `ref` names."""

    async def feedback(self) -> list[tuple[str, int, int]]:
        """(verdict key, times questioned, times shown) for each verdict questioned."""
        ...

    async def stats(self) -> Stats: ...

    async def add_mark(self, verdict: str, fingerprint: str, hashes: Sequence[int], by: str) -> int:
        """Keep an admin's mark of a notice (its wording fingerprint, never its text)."""
        ...

    async def close(self) -> None: ...
