"""The small things people notice (issue 16): the step counter, /export, /explain, verdict
feedback, the console."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.flows import load_library
from bot.content.model import Library
from bot.core import engine
from bot.core.buttons import StepButton
from bot.core.messages import Pressed

FLOWS = Path(__file__).resolve().parent.parent / "flows"
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def lib() -> Library:
    library, issues = load_library(FLOWS)
    assert library is not None, [str(i) for i in issues]
    return library


def _counter(out: engine.Outcome) -> tuple[int, int] | None:
    says = [a for a in out.actions if isinstance(a, engine.Say) and a.step]
    return says[-1].position if says else None


def _press(button: str) -> Pressed:
    return Pressed(StepButton(1, 0, button))


@pytest.mark.parametrize(
    ("walkthrough", "way"),
    [
        ("mail_spam_block", ["_next", "server", "_next", "laptop", "clean", "today", "_next"]),
        ("card_fraud_alert", ["_next", "nothing", "_next"]),
    ],
)
def test_the_step_counter_counts_the_persons_own_path_and_never_jumps_going_back(
    lib: Library, walkthrough: str, way: list[str]
) -> None:
    w = lib.walkthroughs[walkthrough]
    out = engine.advance(lib, w, engine.begin(w), engine.Started(), NOW, "en")
    counters = [_counter(out)]
    for move in way:
        event = (
            engine.Typed(move)
            if re.fullmatch(r"[a-z]+", move) and move not in ("server", "clean", "nothing")
            else _press(move)
        )
        out = engine.advance(lib, w, out.progress, event, NOW, "en")
        counters.append(_counter(out))
    numbered = [c for c in counters if c is not None]
    total = numbered[0][1]
    assert [n for n, _ in numbered] == list(range(1, len(numbered) + 1))
    assert all(t == total for _, t in numbered), numbered
    # Back, step by step, to the start: each step counts one less, and the total stays.
    back = []
    for _ in range(len(numbered) - 1):
        out = engine.advance(lib, w, out.progress, engine.WentBack(), NOW, "en")
        back.append(_counter(out))
    backs = [c for c in back if c is not None]
    assert [n for n, _ in backs] == list(range(len(numbered) - 1, 0, -1))[: len(backs)], backs
    assert all(t == total for _, t in backs), backs


SAMPLES = Path(__file__).resolve().parent.parent / "bot" / "samples"


async def _story_export(tmp_path: Path, lang: str, timezone: str | None) -> str:
    """Walk the story from the sample notice to the contact step on a real store; /export."""
    import shutil

    from bot.assistant import Assistant, LibraryHolder
    from bot.assistant.reading import read_notice
    from bot.cli.flows import load_flows
    from bot.cli.settings import load_settings
    from bot.core.messages import Command, Document, FileSent, Message, Said
    from bot.storage.sqlite import SqliteStore

    flows = tmp_path / "flows"
    shutil.copytree(FLOWS, flows)
    library, _ = load_flows(flows)
    assert library is not None
    settings = load_settings({"ANSHIN_TZ": timezone} if timezone else {})
    assert settings.problems == ()
    store = await SqliteStore.open(tmp_path / "a.db")
    try:
        assistant = Assistant(
            LibraryHolder(library),
            store,
            read_notice,
            clock=lambda: datetime(2026, 11, 26, 9, 8, tzinfo=UTC),
            timezone=settings.timezone,
        )
        sample = (SAMPLES / f"isp_notice_{lang}.txt").read_bytes()
        replies = await assistant.handle(1, FileSent(sample, "notice.txt"), lang_hint=lang)
        for answer in ["_next", "_next", "my laptop", "clean", "today", "_next", "changed"]:
            step = [r for r in replies if isinstance(r, Message) and r.buttons][-1]
            data = [b.data for row in step.buttons for b in row if b.data.encode().endswith(answer)]
            said = Pressed(data[0]) if data else Said(answer)
            replies = await assistant.handle(1, said, lang_hint=lang)
        replies = await assistant.handle(1, Said("Taro Yamada"), lang_hint=lang)
        step = [r for r in replies if isinstance(r, Message) and r.buttons][-1]
        form = [b.data for row in step.buttons for b in row if b.data.encode().endswith("form")]
        await assistant.handle(1, Pressed(form[0]), lang_hint=lang)
        replies = await assistant.handle(1, Command("export"), lang_hint=lang)
        return next(r.content for r in replies if isinstance(r, Document))
    finally:
        await store.close()


@pytest.mark.parametrize(
    ("lang", "restriction", "contact"),
    [("ja", "メールの送信", "お問い合わせフォーム"), ("en", "sending mail", "Web form")],
)
async def test_export_shows_local_time_and_the_labels_people_saw(
    tmp_path: Path, lang: str, restriction: str, contact: str
) -> None:
    text = await _story_export(tmp_path, lang, None)
    assert "2026-11-26 18:08" in text and "+00:00" not in text and "T09:08" not in text
    assert "Asia/Tokyo" in text
    assert restriction in text and "outgoing_mail" not in text
    assert contact in text and "web_form" not in text
    assert not re.search(r"^- [a-z_]+: ", text, re.MULTILINE), text


async def test_export_time_follows_the_time_zone_setting(tmp_path: Path) -> None:
    text = await _story_export(tmp_path, "en", "Europe/London")
    assert "2026-11-26 09:08" in text and "Europe/London" in text
