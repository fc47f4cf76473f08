"""How much work the reader may do on one notice, so that no notice can stall the others.

The reader is pure: it reads no clock. A caller that wants a deadline passes `expired`, a
callable that says whether time is up; the reader asks it every so often (every `check_every`
units of work). Past the budget, the reader stops taking on new work and gives its verdict from
what it has read, with a note saying so.
"""

from __future__ import annotations

from collections.abc import Callable

# Enough for any real notice many times over: about 20,000 links, or 200 MIME parts.
DEFAULT_UNITS = 40_000


class Budget:
    """Work units left, and an optional deadline asked through a callable."""

    def __init__(
        self,
        units: int = DEFAULT_UNITS,
        expired: Callable[[], bool] | None = None,
        check_every: int = 64,
    ) -> None:
        self.left = units
        self.expired = expired
        self.check_every = max(1, check_every)
        self._until_check = self.check_every
        self.exhausted = False

    def spend(self, units: int = 1) -> bool:
        """Take `units` of work; False (from then on) when the budget is used up."""
        if self.exhausted:
            return False
        self.left -= units
        self._until_check -= units
        if self.left < 0:
            self.exhausted = True
        elif self.expired is not None and self._until_check <= 0:
            self._until_check = self.check_every
            self.exhausted = self.expired()
        return not self.exhausted
