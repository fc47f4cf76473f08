"""The admin's lists, as the notice reader asks for them: the SQLite file's feeds and marks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.notices.fingerprint import Fingerprint
from bot.notices.known import Listing, Mark
from bot.storage.lists import ListsReader


class StoreLists:
    """A `bot.notices.known.Known` on the database file, with a connection of its own (safe from
    any thread: the reader runs off the event loop)."""

    def __init__(self, db: str | Path) -> None:
        self.db = Path(db)
        self._reader = ListsReader(db)

    def listed(self, keys: Sequence[str], hosts: Sequence[str]) -> Sequence[Listing]:
        return [
            Listing(r.key, r.host, r.whole_host, r.source, r.reported[:10])
            for r in self._reader.listed(keys, hosts)
        ]

    def marked(self, fingerprint: Fingerprint) -> Sequence[Mark]:
        return [
            Mark(m.verdict, Fingerprint.from_hex(m.fingerprint), m.marked[:10])
            for m in self._reader.near(fingerprint.hashes)
        ]

    def close(self) -> None:
        self._reader.close()
