"""Reading off the event loop: notices read in a worker process as they are in the bot's own,
new flows reaching the worker, the budget's note past the deadline, and a worker that hangs or
dies costing that worker, never the person's answer. Real worker processes; the hanging and
dying ones are small real programs that speak the worker's framing and then misbehave."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.assistant.readers import ProcessReading, ThreadReading
from bot.assistant.reading import read_notice
from bot.cli.flows import load_library
from bot.content.model import Library, Text
from bot.core.messages import NoticeRead
from bot.notices import unreadable

ROOT = Path(__file__).resolve().parent.parent
PHISHING = """\
From: Account Security <security-alert@mail-verify-center.top>
Subject: Urgent: your mailbox will be suspended

Dear customer, we detected unusual activity on your mail account. Your account will be
suspended within 24 hours unless you verify your identity here: http://192.0.2.7/login/verify
"""
# Says it is ready, then never answers.
HANGS = """\
import pickle, struct, sys, time
hello = pickle.dumps(("ready", 0))
sys.stdout.buffer.write(struct.pack(">I", len(hello)) + hello)
sys.stdout.flush()
time.sleep(600)
"""
# Says it is ready, then dies as soon as a request comes.
DIES = """\
import pickle, struct, sys
hello = pickle.dumps(("ready", 0))
sys.stdout.buffer.write(struct.pack(">I", len(hello)) + hello)
sys.stdout.flush()
sys.stdin.buffer.read(4)
sys.exit(3)
"""


@pytest.fixture(scope="module")
def lib() -> Library:
    library, issues = load_library(ROOT / "flows")
    assert library is not None, issues
    return library


def program(tmp_path: Path, name: str, source: str) -> str:
    """An executable standing in for the Python the worker is started with."""
    script = tmp_path / f"{name}.py"
    script.write_text(source, encoding="utf-8")
    launcher = tmp_path / name
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{script}"\n', encoding="utf-8")
    launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR)
    return str(launcher)


@pytest.fixture
async def reading() -> AsyncIterator[ProcessReading]:
    made = ProcessReading()
    yield made
    await made.close()


async def test_a_notice_is_read_in_a_worker_process_as_it_is_in_the_bots_own(
    lib: Library, reading: ProcessReading
) -> None:
    got = await reading.read(lib, PHISHING, "Security", None)
    here = read_notice(lib, PHISHING, "Security", None)
    assert isinstance(got, NoticeRead) and isinstance(here, NoticeRead)
    assert (got.kind, got.verdict, dict(got.facts)) == (here.kind, here.verdict, dict(here.facts))
    assert got.explanation("en") == here.explanation("en")
    worker = reading.workers[0].process
    assert worker is not None and worker.pid != os.getpid()
    again = await reading.read(lib, PHISHING, "Security", None)
    assert isinstance(again, NoticeRead) and reading.workers[0].process is worker


async def test_flows_reloaded_in_the_bot_reach_the_worker(
    lib: Library, reading: ProcessReading
) -> None:
    before = await reading.read(lib, PHISHING, None, None)
    assert isinstance(before, NoticeRead) and before.recognised
    fewer = replace(lib, kinds={k: v for k, v in lib.kinds.items() if k != before.kind})
    after = await reading.read(fewer, PHISHING, None, None)
    assert isinstance(after, NoticeRead) and after.kind != before.kind


async def test_past_its_deadline_the_reader_answers_from_what_it_read_with_a_note(
    lib: Library,
) -> None:
    links = "\n".join(f"https://h{n}.example-{n % 7}.net/p/{n} sign in" for n in range(400))
    notice = f"Your account is on hold. Sign in to keep it:\n{links}\n"
    reading = ProcessReading(seconds=0.0)
    try:
        got = await reading.read(lib, notice, None, None)
    finally:
        await reading.close()
    assert isinstance(got, NoticeRead)
    note = lib.texts["reason_budget"].get("en")
    assert note in got.explanation("en")


async def test_a_worker_that_hangs_is_killed_and_the_person_told_it_took_too_long(
    lib: Library, tmp_path: Path
) -> None:
    reading = ProcessReading(seconds=0.2, python=program(tmp_path, "hangs", HANGS), start_seconds=1)
    try:
        got = await reading.read(lib, PHISHING, None, None)
        assert got == unreadable(lib, "timeout").message
        assert reading.workers[0].process is None  # killed, to be started again
    finally:
        await reading.close()


async def test_a_worker_that_dies_is_started_again_and_the_person_still_gets_an_answer(
    lib: Library, tmp_path: Path
) -> None:
    reading = ProcessReading(python=program(tmp_path, "dies", DIES), start_seconds=5)
    try:
        got = await reading.read(lib, PHISHING, None, None)
    finally:
        await reading.close()
    assert isinstance(got, Text) and got == unreadable(lib, "unreadable").message


async def test_without_a_worker_notices_are_read_in_a_thread_rather_than_not_at_all(
    lib: Library, tmp_path: Path
) -> None:
    reading = ProcessReading(python=str(tmp_path / "no-such-python"))
    try:
        got = await reading.read(lib, PHISHING, None, None)
    finally:
        await reading.close()
    assert isinstance(got, NoticeRead) and got.verdict == "likely_phishing"


async def test_a_thread_reading_gives_the_same_reading(lib: Library) -> None:
    reading = ThreadReading()
    got = await reading.read(lib, PHISHING, None, None)
    await reading.close()
    assert isinstance(got, NoticeRead) and got.verdict == "likely_phishing"
