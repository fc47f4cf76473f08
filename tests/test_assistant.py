"""The assistant, as every channel gets it: effects carried out after the commit, reminders and
retention between turns, reloads that never replace live flows with broken ones. Real flows, a
real SQLite file."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.assistant import MAX_NOTICE_BYTES, Assistant, LibraryHolder
from bot.assistant.reading import read_notice
from bot.cli.flows import FlowsFolder, load_flows
from bot.core.buttons import Answer
from bot.core.messages import Command, Document, FileSent, Message, Pressed
from bot.storage.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parent.parent
FLOWS = ROOT / "flows"
USER = 5


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def assistant(tmp_path: Path, clock: Clock) -> AsyncIterator[Assistant]:
    flows = tmp_path / "flows"
    shutil.copytree(FLOWS, flows)
    library, issues = load_flows(flows)
    assert library is not None, [str(i) for i in issues]
    store = await SqliteStore.open(tmp_path / "anshin.db", clock=clock)
    made = Assistant(
        LibraryHolder(library),
        store,
        read_notice,
        clock=clock,
        default_lang="en",
        admin_ids=frozenset({9}),
        retention_days=30,
        flows=FlowsFolder(flows),
    )
    yield made
    await made.close()


class Inbox:
    """A channel's side of reminders: what it was handed, and what it answers."""

    def __init__(self, answer: float | None = None) -> None:
        self.got: list[tuple[int, str]] = []
        self.answer = answer

    async def deliver(self, user_id: int, message: Message) -> float | None:
        self.got.append((user_id, message.text))
        return self.answer


async def start_walk(assistant: Assistant) -> None:
    """Open the story and go on to the scan step, whose reminder falls due a day later."""
    replies = await assistant.handle(USER, Command("start", "mail_spam_block"), lang_hint="en")
    for button in ("_next", "server"):
        step = next(r for r in reversed(replies) if isinstance(r, Message) and r.buttons)
        data = next(b.data for row in step.buttons for b in row if b.data.encode().endswith(button))
        replies = await assistant.handle(USER, Pressed(data), lang_hint="en")


async def test_a_due_reminder_goes_out_once_in_the_persons_language(
    assistant: Assistant, clock: Clock
) -> None:
    await start_walk(assistant)
    inbox = Inbox()
    await assistant.upkeep.round(inbox.deliver)
    assert inbox.got == []
    clock.now += timedelta(days=1, minutes=1)
    await assistant.upkeep.round(inbox.deliver)
    await assistant.upkeep.round(inbox.deliver)
    assert [user for user, _ in inbox.got] == [USER]
    assert "Have you scanned your devices yet?" in inbox.got[0][1]


async def test_a_reminder_the_channel_could_not_send_yet_stays_due(
    assistant: Assistant, clock: Clock
) -> None:
    await start_walk(assistant)
    clock.now += timedelta(days=1, minutes=1)
    slowed = Inbox(answer=0.0)  # "wait, then try again"
    await assistant.upkeep.round(slowed.deliver)
    taken = Inbox()
    await assistant.upkeep.round(taken.deliver)
    assert len(slowed.got) == 1 and len(taken.got) == 1


async def test_closed_incidents_past_retention_are_purged_at_most_hourly(
    assistant: Assistant, clock: Clock
) -> None:
    await assistant.handle(USER, Command("start", "mail_spam_block"), lang_hint="en")
    await assistant.handle(USER, Command("cancel"), lang_hint="en")
    await assistant.handle(USER, Pressed(Answer("cancel", "yes")), lang_hint="en")
    inbox = Inbox()
    await assistant.upkeep.round(inbox.deliver)  # the first purge: nothing is old enough
    clock.now += timedelta(days=31)
    await assistant.upkeep.round(inbox.deliver)
    assert (await assistant.store.load(USER)).incidents == {}


async def test_the_purge_waits_an_hour_between_runs(assistant: Assistant, clock: Clock) -> None:
    inbox = Inbox()
    await assistant.upkeep.round(inbox.deliver)
    await assistant.handle(USER, Command("start", "mail_spam_block"), lang_hint="en")
    await assistant.handle(USER, Command("cancel"), lang_hint="en")
    await assistant.handle(USER, Pressed(Answer("cancel", "yes")), lang_hint="en")
    clock.now += timedelta(days=31)
    assistant.upkeep.last_purge = clock.now - timedelta(minutes=59)
    await assistant.upkeep.round(inbox.deliver)
    assert (await assistant.store.load(USER)).incidents != {}
    clock.now += timedelta(minutes=2)
    await assistant.upkeep.round(inbox.deliver)
    assert (await assistant.store.load(USER)).incidents == {}


async def test_export_is_carried_out_after_the_commit_as_a_document(
    assistant: Assistant,
) -> None:
    await start_walk(assistant)
    replies = await assistant.handle(USER, Command("export"), lang_hint="en")
    documents = [r for r in replies if isinstance(r, Document)]
    assert len(documents) == 1 and documents[0].filename == "anshin-1.txt"
    assert "Done: Understand what happened" in documents[0].content


async def test_forget_is_carried_out_after_the_commit(assistant: Assistant) -> None:
    await start_walk(assistant)
    await assistant.handle(USER, Command("forget"), lang_hint="en")
    replies = await assistant.handle(USER, Pressed(Answer("forget", "yes")), lang_hint="en")
    assert any("Everything is deleted" in r.text for r in replies if isinstance(r, Message))
    assert (await assistant.store.load(USER)).incidents == {}


async def test_a_broken_reload_keeps_the_live_flows_and_a_good_one_swaps_them(
    assistant: Assistant, tmp_path: Path
) -> None:
    live = assistant.library.current
    texts = tmp_path / "flows" / "texts.yaml"
    good = texts.read_text(encoding="utf-8")
    texts.write_text("texts: [this is not\n", encoding="utf-8")
    refused = await assistant.admin("reload")
    assert refused.startswith("Reload refused") and "texts.yaml" in refused
    assert assistant.library.current is live
    texts.write_text(good.replace('en: "Next"', 'en: "Go on"'), encoding="utf-8")
    assert (await assistant.admin("reload")).startswith("Reloaded.")
    assert assistant.library.current.text("continue", "en") == "Go on"


async def test_a_file_over_the_limit_gets_the_readers_own_refusal(assistant: Assistant) -> None:
    replies = await assistant.handle(
        USER, FileSent(b"a" * (MAX_NOTICE_BYTES + 1), "big.txt"), lang_hint="en"
    )
    said = [r.text for r in replies if isinstance(r, Message)]
    assert said == [assistant.too_big_text("en")]
    assert "1 MiB" in said[0]


async def test_only_admins_are_admins_and_stats_come_from_the_store(
    assistant: Assistant,
) -> None:
    await start_walk(assistant)
    assert assistant.is_admin(9) and not assistant.is_admin(USER)
    stats = await assistant.admin("stats")
    assert "people: 1" in stats and "incidents: 1" in stats
    assert await assistant.whereabouts(USER) == ("mail_spam_block", "scan_devices")
    assert await assistant.whereabouts(404) is None
