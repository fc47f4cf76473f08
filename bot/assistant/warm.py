"""Start-up work: what the bot's process would otherwise build while someone waits.

Much is built on first use: the reader worker and its indexes, the templates of drafts, the
patterns of typed phrases, the explanation's glossary. Built while the bot serves, each of these
held the event loop (or the interpreter, from a thread) for tens of milliseconds in the middle
of everyone's conversations. `warm_up` builds them before the first update is taken; `settle`
then puts everything loaded so far out of the garbage collector's reach.
"""

from __future__ import annotations

import gc
import logging
import time

from bot.content.glossary import gloss_first_uses
from bot.content.model import Library
from bot.content.templates import compiled, names_in
from bot.core import meanings
from bot.notices.domains import registrable

log = logging.getLogger("anshin.warm")


def build_library(lib: Library) -> None:
    """Compile every draft template, typed phrase and glossary word of `lib`, and load the
    public suffix list explanations name domains by (in a thread, before the bot takes updates,
    or as reloaded flows load)."""
    for draft in lib.drafts.values():
        for part in (draft.subject, draft.body, draft.phone_script):
            for source in part.by_lang.values() if part is not None else ():
                compiled(source)
                names_in(source)
    meanings.prepare(lib.intents)
    for lang in lib.settings.languages:
        gloss_first_uses(lib.glossary, "", lang)  # each word's pattern, whatever the text
    registrable("www.example.co.jp")


def settle() -> float:
    """Collect once, then freeze what is left: the flows, the libraries and the bot's own
    objects, loaded once and kept for the process's life, are never looked at by a collection
    again. A full collection of them took 50 to 240 ms on the event loop, at random moments
    under load. Returns the seconds the collection took."""
    started = time.perf_counter()
    gc.collect()
    gc.freeze()
    seconds = time.perf_counter() - started
    log.debug("%d objects frozen in %.0f ms", gc.get_freeze_count(), seconds * 1000)
    return seconds
