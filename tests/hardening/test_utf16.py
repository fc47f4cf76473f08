"""Item 5 of issue #17: what goes to Telegram is measured in UTF-16 code units, as Telegram
counts, with room for HTML escaping."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.telegram import split_text
from bot.channels.telegram.outbound import SPLIT_AT, Outbox
from bot.core.messages import Message
from bot.core.units import cut_units, units
from fakebot import FakeBotApi
from fakebot.ptb import polling
from tests.test_telegram import Bot, Clock, settings_for, start_bot

USER = 1001


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    async with FakeBotApi() as api:
        app, running = await start_bot(api, settings_for(api, tmp_path / "a.db"), Clock())
        async with polling(app):
            yield running


async def test_a_notice_whose_sender_name_is_3000_emoji_is_explained_not_refused(
    bot: Bot,
) -> None:
    name = "\U0001f600" * 3000  # 3,000 code points, 6,000 UTF-16 units
    notice = (
        "We detected unusual activity on your mail account.\n"
        "Sign in within 24 hours to keep it: http://192.0.2.7/verify\n"
    )
    origin = {"type": "hidden_user", "sender_user_name": name, "date": 1764115200}
    bot.api.send_text(USER, notice, language_code="en", forward_origin=origin)
    # The first reply may wait for a reader worker to start (slow on a busy machine).
    await bot.api.wait_for(lambda: bool(bot.api.calls_to("sendMessage")), timeout=30)
    await bot.quiet(gap=1.5)
    sends = bot.api.calls_to("sendMessage")
    assert sends and all(c.status == 200 for c in sends), [c.status for c in sends]
    said = [m.text or "" for m in bot.api.messages(USER)]
    assert not any("went wrong" in t for t in said), said
    assert any("phishing" in t.lower() for t in said), [t[:80] for t in said]


_CHUNK = st.text(
    alphabet=st.sampled_from(["a", " ", "\n", "<", "&", '"', "\U0001f600", "漢", "\u200f"]),
    min_size=1,
    max_size=600,
)
# 3,000 to 12,000 characters, built from generated pieces (hypothesis refuses to draw that many
# characters one by one): a piece repeated to length, then another piece at the end.
_TEXT = st.builds(
    lambda a, b, n: (a * (3_000 // len(a) + n) + b)[:12_000],
    _CHUNK,
    _CHUNK,
    st.integers(min_value=0, max_value=9_000),
)


@settings(max_examples=60, deadline=None)
@given(_TEXT)
def test_split_parts_fit_in_utf16_units_after_escaping_and_lose_no_text(text: str) -> None:
    parts = split_text(text)
    for part in parts:
        assert units(html.escape(part)) <= SPLIT_AT
    # Only the separators where it split may go.
    assert "".join(parts).replace("\n", "") == text.replace("\n", "") or text.strip() == ""


def test_emoji_text_under_the_old_character_limit_is_still_split() -> None:
    text = "\U0001f600" * 3000  # 3,000 characters, 6,000 units
    parts = split_text(text)
    assert len(parts) == 2 and "".join(parts) == text


@given(st.text(max_size=300), st.integers(min_value=1, max_value=250))
def test_a_cut_fits_its_units_and_never_splits_a_character(text: str, limit: int) -> None:
    cut = cut_units(text, limit)
    assert units(cut) <= limit
    assert cut == text or cut.endswith("…")
    assert text.startswith(cut.removesuffix("…")) or cut == text


async def test_a_long_message_with_a_quote_under_it_is_split_to_fit_telegrams_limit(
    tmp_path: Path,
) -> None:
    text = "\U0001f600" * 1850  # 3,700 units: one part alone, but not with the quote
    quote = "漢\U0001f600<" * 600  # 2,400 units as Telegram counts them, more than can fit
    async with FakeBotApi() as api:
        api.add_user(USER, language_code="en")
        app, _ = await start_bot(api, settings_for(api, tmp_path / "a.db"), Clock())
        async with polling(app):
            await Outbox().send_message(app.bot, USER, Message(text, quote=quote))
        sends = api.calls_to("sendMessage")
        said = [m.text or "" for m in api.messages(USER)]
    assert len(sends) == 2 and all(c.status == 200 for c in sends), [c.status for c in sends]
    assert "".join(said).count("\U0001f600") >= 1850  # none of the text lost
    assert all(units(t) <= 4096 for t in said)
    assert said[-1].rstrip().endswith("…")  # the quote cut, and said to be
