"""Item 1 of issue #17: every text a person sends passes the guard first, whatever path it takes
next; a secret is never stored, and a notice that holds one is read without it."""

from __future__ import annotations

import asyncio
import random
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.guard import redact, secret_kind
from bot.core.messages import Command, DeleteIncoming, FileSent, Inbound, Said
from fakebot import FakeBotApi
from fakebot.ptb import polling
from tests.hardening.seam_driver import SAMPLES, Driver
from tests.test_telegram import Bot, Clock, settings_for, start_bot

USER = 1001
NOTICE_EN = (SAMPLES / "isp_notice_en.txt").read_text(encoding="utf-8")

# --- generated secrets --------------------------------------------------------------------

_BRANDS = [("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("34", 15), ("37", 15),
           ("35", 16), ("36", 14), ("6011", 16), ("4", 19)]  # fmt: skip
_SYMBOLS = "!#$%&*+-=?^_~"


def luhn_complete(partial: str) -> str:
    """`partial` with the check digit that makes it pass the Luhn check."""
    for check in "0123456789":
        digits = partial + check
        total = 0
        for i, ch in enumerate(reversed(digits)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")


@st.composite
def cards(draw: st.DrawFn) -> tuple[str, list[str]]:
    """(as written, forms that must never be stored) for a Luhn-valid card number."""
    prefix, length = draw(st.sampled_from(_BRANDS))
    body = prefix + "".join(
        draw(st.lists(st.sampled_from("0123456789"), min_size=length - len(prefix) - 1,
                      max_size=length - len(prefix) - 1))
    )  # fmt: skip
    digits = luhn_complete(body)
    sep = draw(st.sampled_from(["", " ", "-"]))
    if length == 15:
        written = sep.join([digits[:4], digits[4:10], digits[10:]]) if sep else digits
    elif sep:
        written = sep.join(digits[i : i + 4] for i in range(0, length, 4))
    else:
        written = digits
    if draw(st.booleans()):  # typed on a Japanese keyboard: full-width digits
        written = written.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    return written, [digits, written, digits[:4] + " " + digits[4:8] + " " + digits[8:12]]


@st.composite
def passwords(draw: st.DrawFn) -> str:
    """A made-up password: lower and upper letters, digits and symbols, mixed."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    size = draw(st.integers(8, 24))
    chars = [rng.choice("abcdefghijkmnpqrstuvwxyz"), rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ"),
             rng.choice("23456789"), rng.choice(_SYMBOLS)]  # fmt: skip
    pool = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789" + _SYMBOLS
    chars += [rng.choice(pool) for _ in range(size - 4)]
    rng.shuffle(chars)
    return "".join(chars)


_LABELS = ["password: {}", "My password is {}", "パスワードは {} です", "pw={}",
           "パスワード：{}", "the new passcode is {}"]  # fmt: skip
_AROUND = ["", "ok", "thanks", "ありがとう", "my laptop and iPhone", "今日", "here it is"]
_AROUND_ONE_WORD = ["", "ok", "thanks", "ありがとう", "今日"]


@st.composite
def secret_texts(draw: st.DrawFn) -> tuple[str, list[str], bool]:
    """(text, forms that must never be stored, lone): a secret in a form the guard promises to
    catch, with words around it. A `lone` password (no label) counts only in a short message."""
    lone = False
    if draw(st.booleans()):
        written, forms = draw(cards())
        core = written if draw(st.booleans()) else f"my card is {written}"
    else:
        pw = draw(passwords())
        forms = [pw]
        lone = draw(st.booleans())
        core = pw if lone else draw(st.sampled_from(_LABELS)).format(pw)
    around = _AROUND_ONE_WORD if lone else _AROUND
    before = draw(st.sampled_from(around))
    after = draw(st.sampled_from(around))
    text = " ".join(x for x in (before, core, after) if x)
    return text, forms, lone


def in_notice(secret_line: str, url: bool) -> str:
    """The sample ISP notice with the secret as one more line of its body."""
    head, body = NOTICE_EN.split("\n\n", 1)
    link = "\nSign in: https://member.dti.ne.jp/login\n" if url else ""
    return f"{head}\n\n{secret_line}\n{link}{body}"


# --- the property ---------------------------------------------------------------------------

PLACES = ["fresh", "button step", "input step", "fact question"]
WAYS = ["typed", "forwarded", "pasted as notice", "long text", "with a link", "file", "caption"]


async def walk_to(d: Driver, place: str) -> None:
    if place == "fresh":
        return
    await d.send(Command("start", "mail_spam_block"))
    if place == "fact question":
        await d.send(Command("draft"))  # the draft asks for the person's name
        return
    await d.press("_next")
    if place == "input step":
        await d.press("server")
        await d.press("_next")


def inbound_for(way: str, text: str) -> Inbound:
    if way == "typed":
        return Said(text)
    if way == "forwarded":
        return Said(in_notice(text, url=False), forwarded_from="DTI")
    if way == "pasted as notice":
        return Said(in_notice(text, url=False), notice=True)
    if way == "long text":
        return Said(f"{text} " + "and I also wanted to say that everything else is fine " * 2)
    if way == "with a link":
        return Said(f"{text} see https://member.dti.ne.jp/")
    if way == "file":
        return FileSent(in_notice(text, url=True).encode("utf-8"), "notice.txt")
    return FileSent(NOTICE_EN.encode("utf-8"), "notice.txt", caption=text)


async def send_secret(place: str, way: str, keep: bool, text: str) -> tuple[Driver, list[object]]:
    d = await Driver.open(Path(tempfile.mkdtemp()) / "anshin.db", keep_notice=keep)
    await walk_to(d, place)
    replies = await d.send(inbound_for(way, text))
    await d.send(Command("status"))
    return d, list(replies)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    secret_texts(),
    st.sampled_from(PLACES),
    st.sampled_from(WAYS),
    st.booleans(),
)
def test_a_secret_sent_at_any_step_in_any_way_never_reaches_the_database_files(
    secret: tuple[str, list[str], bool], place: str, way: str, keep: bool
) -> None:
    text, forms, lone = secret
    if lone and way in ("forwarded", "pasted as notice", "long text", "with a link", "file"):
        way = "typed"  # an unlabelled word is a password only in a short message

    async def run() -> None:
        d, replies = await send_secret(place, way, keep, text)
        try:
            assert any(isinstance(r, DeleteIncoming) for r in replies), (way, place, replies)
            while_open = d.file_bytes()
        finally:
            await d.close()
        after_close = d.file_bytes()
        for form in forms:
            needle = form.encode("utf-8")
            assert needle not in while_open, (form, way, place)
            assert needle not in after_close, (form, way, place)

    asyncio.run(run())


# --- the cases of the issue, end to end over Telegram -----------------------------------------


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    async with FakeBotApi() as api:
        app, running = await start_bot(api, settings_for(api, tmp_path / "a.db"), Clock())
        async with polling(app):
            yield running


@pytest.mark.parametrize(
    "answer",
    [
        # 80+ characters at a free-text step: was read as a possible notice first
        "I scanned my laptop and the family iPad with the security software. "
        "By the way my mail password is Golf77!Hotel",
        # an answer with a link: the same
        "my laptop, see https://example.jp/help, my card 4012 8888 8888 1881",
    ],
)
async def test_a_long_or_linked_answer_with_a_secret_is_warned_deleted_and_not_stored(
    bot: Bot, tmp_path: Path, answer: str
) -> None:
    bot.api.send_command(USER, "/start mail_spam_block", language_code="en")
    msgs = await bot.replies_until_buttons()
    msgs = await bot.press(msgs[-1], "_next")
    msgs = await bot.press(msgs[-1], "server")
    msgs = await bot.press(msgs[-1], "_next")
    assert "names of the devices" in msgs[-1].text
    bot.api.send_text(USER, answer, language_code="en")
    warning = await bot.reply()
    assert "Never send" in warning.text
    await bot.api.wait_for(lambda: bot.api.user_messages(USER)[-1].deleted, timeout=5)
    person = await bot.channel.assistant.store.load(USER)
    current = person.current_incident()
    assert current is not None and current.progress.step == "devices"
    assert "devices" not in current.progress.facts
    files = await asyncio.to_thread(database_bytes, tmp_path)
    for secret in redact(answer).found:
        assert secret.encode() not in files


def database_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.iterdir() if p.name.startswith("a.db"))


def test_notices_that_mention_passwords_are_not_taken_for_secrets() -> None:
    for harmless in (
        "Please change your password regularly.",
        "パスワードは定期的に変更してください。",
        "Password: ********",
        "Your password expires!",
        "Reset it at https://example.jp/password/reset",
        "Order 250-1234567-1234567 has shipped",
        "DESKTOP-7F3K2LQ",
        "iPhone15",
    ):
        assert secret_kind(harmless) is None, harmless
    assert secret_kind("暗証番号は 4821 です") == "password"
    assert secret_kind("cvv 123") == "password"
