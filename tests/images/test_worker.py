"""The image worker's life: started on first use, one image at a time, a bounded queue, a time
limit, restarted when it dies, stopped when idle, and the bot's event loop never held up."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from bot.images.model import ImageLimits, ImageReading, Refusal
from bot.images.reader import ImageReader, ocr_installed
from tests.images.screenshots import fixture

pytestmark = pytest.mark.skipif(not ocr_installed(), reason="OCR is not installed")

ROOT = Path(__file__).resolve().parents[2]
LONG = "mail-isp-ja-long.png"  # the slowest fixture: a scrolling capture read in slices
LONG_URL_FREE_LINE = "メールパスワードを変更してください"
PARCEL_URL = "https://sagawa-redelivery.parcel-jp.top/re?no=48213"


def limits(**changes: float) -> ImageLimits:
    return replace(ImageLimits(idle_seconds=0), **changes)


async def until(condition: object, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not callable(condition) or not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        await asyncio.sleep(0.02)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped) is not alive either.
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return stat.read().split(") ")[1][0] != "Z"


async def test_the_worker_starts_on_first_use_and_stops_on_close(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:" + "A" * 35)
    reader = ImageReader(limits(), enabled=True)
    assert reader.worker_pid is None
    reading = await reader.read(fixture("sms-parcel-ja-light.png").data)
    assert isinstance(reading, ImageReading) and PARCEL_URL in reading.text
    pid = reader.worker_pid
    assert pid is not None and pid != os.getpid() and alive(pid)
    with open(f"/proc/{pid}/environ", "rb") as environ:  # noqa: ASYNC230
        assert b"TELEGRAM_BOT_TOKEN" not in environ.read()  # the worker is given no secrets
    await reader.close()
    assert reader.worker_pid is None and not alive(pid)


async def test_a_worker_killed_mid_image_is_restarted_and_the_image_still_read() -> None:
    reader = ImageReader(limits(), enabled=True)
    await reader.read(fixture("qr-parcel-ja-card.png").data)  # started and warm
    first = reader.worker_pid
    assert first is not None
    task = asyncio.create_task(reader.read(fixture(LONG).data))
    await asyncio.sleep(0.5)  # the worker is now reading the long mail
    assert not task.done()
    os.kill(first, signal.SIGKILL)
    reading = await task
    assert isinstance(reading, ImageReading) and LONG_URL_FREE_LINE in reading.text
    assert reader.worker_pid not in (None, first)
    assert reader.stats.restarts == 1 and reader.stats.starts == 2
    await reader.close()


async def test_an_image_over_the_time_limit_is_refused_and_the_next_one_read() -> None:
    reader = ImageReader(limits(), enabled=True)
    await reader.read(fixture("qr-parcel-ja-card.png").data)
    slow = reader.worker_pid
    reader.limits = replace(reader.limits, seconds_per_image=0.2)
    result = await reader.read(fixture(LONG).data)
    assert isinstance(result, Refusal) and result.reason == "timeout"
    assert slow is not None and not alive(slow)
    reader.limits = replace(reader.limits, seconds_per_image=60)
    reading = await reader.read(fixture("sms-parcel-ja-light.png").data)
    assert isinstance(reading, ImageReading) and PARCEL_URL in reading.text
    await reader.close()


async def test_a_full_queue_answers_busy_at_once_and_the_others_are_read_in_turn() -> None:
    reader = ImageReader(limits(queue=1), enabled=True)
    data = fixture("qr-parcel-ja-card.png").data
    first = asyncio.create_task(reader.read(data))  # being read
    second = asyncio.create_task(reader.read(data))  # waiting its turn
    await asyncio.sleep(0)
    started = time.monotonic()
    third = await reader.read(data)
    assert isinstance(third, Refusal) and third.reason == "busy"
    assert time.monotonic() - started < 0.1
    for task in (first, second):
        reading = await task
        assert isinstance(reading, ImageReading) and reading.from_qr()
    again = await reader.read(data)  # room again once they are done
    assert isinstance(again, ImageReading)
    await reader.close()


async def test_an_idle_worker_stops_and_the_next_image_starts_another() -> None:
    reader = ImageReader(limits(idle_seconds=0.3), enabled=True)
    data = fixture("qr-parcel-ja-card.png").data
    assert isinstance(await reader.read(data), ImageReading)
    pid = reader.worker_pid
    assert pid is not None
    await until(lambda: reader.worker_pid is None and not alive(pid))
    assert isinstance(await reader.read(data), ImageReading)
    assert reader.stats.starts == 2
    await reader.close()


async def test_a_worker_that_cannot_start_gives_a_refusal_not_an_exception() -> None:
    reader = ImageReader(limits(), enabled=True, python="/nonexistent/python3")
    result = await reader.read(fixture("qr-parcel-ja-card.png").data)
    assert isinstance(result, Refusal) and result.reason == "failed"


def test_the_bot_process_never_imports_the_ocr_libraries() -> None:
    """The reader in a fresh interpreter with the whole bot imported (channels, wiring, doctor),
    as the bot runs it: after a real reading, none of the worker's libraries is loaded in the
    bot."""
    script = (
        "import asyncio, sys\n"
        "import bot.channels.telegram, bot.channels.console, bot.cli.run, bot.cli.doctor\n"
        "from bot.images.model import ImageReading\n"
        "from bot.images.reader import ImageReader\n"
        f"data = open({str(fixture('sms-usps-en-light.png').path)!r}, 'rb').read()\n"
        "async def main():\n"
        "    reader = ImageReader(enabled=True)\n"
        "    assert isinstance(await reader.read(data), ImageReading)\n"
        "    await reader.close()\n"
        "asyncio.run(main())\n"
        "heavy = {'onnxruntime', 'rapidocr', 'cv2', 'numpy', 'PIL', 'zxingcpp', 'pillow_heif'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
