"""Where a piece of content was written: the file and line every admin-facing message names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Where:
    """Where a piece of content was written, for messages to the admin."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


NOWHERE = Where("<built-in>", 0)
