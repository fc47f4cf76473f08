"""Item 4 of issue #17: a send that fails after the step was saved never leaves the person with
a false message: the undelivered step comes when Telegram answers again, an old button shows the
current step, and a send that only timed out is not followed by an apology."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from fakebot import ChatMessage, FakeBotApi
from fakebot.ptb import polling
from tests.test_telegram import Clock, settings_for, start_bot

USER = 1001
FAULTS = ["429", "500", "502", "403", "dropped", "timeout"]


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as fake:
        yield fake


def button(message: ChatMessage, ending: str) -> str:
    return next(b["callback_data"] for b in message.buttons if b["callback_data"].endswith(ending))


def steps_shown(api: FakeBotApi, n: int) -> list[ChatMessage]:
    return [m for m in api.messages(USER) if (m.text or "").startswith(f"Step {n} of")]


async def inject(api: FakeBotApi, fault: str) -> None:
    """Telegram fails the next send of the step (and the edit of the pressed message)."""
    if fault == "429":
        for _ in range(4):  # the rate limiter retries 3 times, then gives up
            api.fail_next("sendMessage", 429, retry_after=1)
            api.fail_next("editMessageText", 429, retry_after=1)
    elif fault == "dropped":
        api.drop_next("sendMessage")
        api.drop_next("editMessageText")
    elif fault == "timeout":
        api.slow_down("sendMessage", 2.5)  # longer than the bot waits; delivered all the same
        api.fail_next("editMessageText", 500)
    else:
        api.fail_next("sendMessage", int(fault))
        api.fail_next("editMessageText", int(fault))


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_failed_send_after_the_step_was_saved_leaves_no_false_message(
    api: FakeBotApi, tmp_path: Path, fault: str
) -> None:
    app, bot = await start_bot(
        api, settings_for(api, tmp_path / "a.db"), Clock(), request_timeout=1.0
    )
    async with polling(app):
        api.send_command(USER, "/start mail_spam_block", language_code="en")
        first = (await bot.replies_until_buttons())[-1]
        await inject(api, fault)
        api.press(USER, first.message_id, button(first, "._next"))
        if fault == "timeout":
            await api.wait_for(lambda: api.peak_in_flight >= 1, timeout=10)
            api.slow_down("sendMessage", 0)
        if fault != "403":
            # Delivered once Telegram answers again (or, timed out, it was delivered anyway).
            await api.wait_for(lambda: steps_shown(api, 2), timeout=20, what="step 2")
        await bot.quiet(gap=2.5 if fault in ("429", "500", "502", "dropped") else 1.0)
        person = await bot.channel.assistant.store.load(USER)
        incident = person.current_incident()
        assert incident is not None and incident.progress.step == "real_or_fake"

        # The old step still shows its buttons (the edit failed too): pressing again shows
        # where the person is, rather than saying the step is finished or over.
        api.press(USER, first.message_id, button(first, "._next"))
        await api.wait_for(lambda: len(steps_shown(api, 2)) >= (2 if fault != "403" else 1))
        await bot.quiet()
    said = [m.text or "" for m in api.messages(USER)]
    assert not any("went wrong" in t for t in said), said
    assert not any("finished" in t.lower() for t in said), said
    answers = [c.params.get("text") or "" for c in api.calls_to("answerCallbackQuery")]
    assert not any("finished" in str(a).lower() for a in answers), answers
    shown = steps_shown(api, 2)
    assert len(shown) == (2 if fault != "403" else 1), [m.text[:40] for m in shown]
