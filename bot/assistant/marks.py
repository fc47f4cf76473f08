"""`/mark phishing|genuine`: an admin marks the campaign of a notice they sent the bot.

The bot never keeps a notice's text, so it keeps what a mark needs instead: when an admin sends
a notice, its wording fingerprint is kept with the message's id for KEEP_FOR, in memory. Replying
to that message with /mark stores the fingerprint as a mark; later near-copies of the campaign
say so in their reasons.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.notices.fingerprint import SAME_CAMPAIGN, Fingerprint
from bot.storage.base import Store

KEEP_FOR = timedelta(hours=24)
MAX_KEPT = 2000
VERDICTS = ("phishing", "genuine")
USAGE = (
    "Reply to a notice you sent me with /mark phishing or /mark genuine. Later notices with much "
    "the same wording will then say that an admin marked it."
)


class RecentPrints:
    """Fingerprints of the notices admins sent lately, by (user, message id)."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock
        self._kept: OrderedDict[tuple[int, int], tuple[str, datetime]] = OrderedDict()

    def keep(self, user_id: int, message_id: int, fingerprint: str) -> None:
        self._kept[(user_id, message_id)] = (fingerprint, self.clock())
        self._kept.move_to_end((user_id, message_id))
        while len(self._kept) > MAX_KEPT:
            self._kept.popitem(last=False)

    def find(self, user_id: int, message_id: int) -> str | None:
        found = self._kept.get((user_id, message_id))
        if found is None or self.clock() - found[1] > KEEP_FOR:
            return None
        return found[0]


async def mark_answer(
    store: Store, prints: RecentPrints, user_id: int, replied_to: int | None, args: str
) -> str:
    """What /mark does and says (to an admin, in English like the other admin commands)."""
    verdict = args.strip().lower()
    if replied_to is None or verdict not in VERDICTS:
        return USAGE
    found = prints.find(user_id, replied_to)
    if found is None:
        hours = int(KEEP_FOR.total_seconds() // 3600)
        return (
            "I don't have that message's fingerprint: I keep one only for a notice an admin sent "
            f"me, for {hours} hours, and only when it has a sentence or two of text. Send the "
            f"notice again, then reply to it with /mark {verdict}."
        )
    mark = await store.add_mark(
        verdict, found, Fingerprint.from_hex(found).hashes, f"telegram:{user_id}"
    )
    return (
        f"Marked as {verdict} (mark {mark}). Notices sharing about {SAME_CAMPAIGN:.0%} or more of "
        "its wording will now say so. No text was kept, only its fingerprint."
    )
