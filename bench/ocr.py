"""Benchmark reading screenshots: time per image, the worker's memory, the bot's memory, and the
character error rate on the project's screenshot fixtures.

Run `.venv/bin/python -m bench.ocr` (BENCH_QUICK=1 reads each image once instead of three times).

The "bot" is a child process that imports the bot (its assistant and Telegram channel) and reads
every fixture through `ImageReader`, as the bot does: its resident memory is taken before the
first image and after the last. Then the whole bot (Application, assistant, SQLite) runs in that
process against the fake Bot API and is sent every fixture as a photo: its resident memory after
a text notice and after the screenshots, and the time from a photo to its verdict.

Time per image is the bot's wait for `await reader.read(...)`, the worker's CPU time for it (from
/proc, which load from other processes does not inflate), and the character error rate compares
what was read with the ground truth beside each image (whitespace removed, width folded).
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench._table import print_aligned

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def bot(rounds: int) -> dict[str, Any]:
    """The child: the bot's imports, then every fixture read `rounds` times."""
    import bot.assistant
    import bot.channels.telegram  # noqa: F401
    from bot.images.model import ImageLimits, ImageReading
    from bot.images.reader import ImageReader
    from tests.images.screenshots import error_rate, fixtures

    before = rss_mb()
    reader = ImageReader(ImageLimits(idle_seconds=0), enabled=True)
    shots = fixtures()
    started = time.perf_counter()
    first = await reader.read(shots[0].data)
    start_seconds = time.perf_counter() - started
    assert isinstance(first, ImageReading), first
    images: list[dict[str, Any]] = []
    for shot in shots:
        walls, cpus = [], []
        for _ in range(rounds):
            pid = reader.worker_pid
            assert pid is not None
            cpu = cpu_seconds(pid)
            t = time.perf_counter()
            reading = await reader.read(shot.data)
            walls.append(time.perf_counter() - t)
            cpus.append(cpu_seconds(pid) - cpu)
        assert isinstance(reading, ImageReading), (shot.name, reading)
        text = "\n".join(reading.text[s.start : s.end] for s in reading.spans if s.source == "text")
        errors, characters = error_rate(shot.truth, text)
        images.append(
            {
                "name": shot.name,
                "phone": shot.phone_screenshot,
                "bytes": len(shot.data),
                "walls": walls,
                "cpus": cpus,
                "errors": errors,
                "characters": characters,
                "qr_wanted": len(shot.qr),
                "qr_read": sum(1 for q in reading.from_qr() if q in shot.qr),
            }
        )
    after = rss_mb()
    telegram = await through_telegram(reader, shots)
    stats = reader.stats
    await reader.close()
    return {
        "rss_before": before,
        "rss_after": after,
        "telegram": telegram,
        "start_seconds": start_seconds,
        "worker_rss": stats.rss_mb,
        "worker_peak": stats.peak_mb,
        "images": images,
    }


async def through_telegram(reader: Any, shots: list[Any]) -> dict[str, Any]:
    """Every fixture sent as a photo to the whole bot (Application, assistant, SQLite) over
    HTTP to the fake Bot API, in this process: the bot's RSS after a text notice and after the
    screenshots, and each screenshot's time from sending to the verdict."""
    import gc
    import tempfile
    from dataclasses import replace

    from bot.cli.flows import load_library
    from bot.cli.run import telegram_app
    from fakebot import FakeBotApi
    from fakebot.ptb import polling
    from tests.test_telegram import settings_for

    library, _ = load_library(ROOT / "flows")
    assert library is not None
    notice = (ROOT / "bot" / "samples" / "isp_notice_ja.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        async with FakeBotApi() as api:
            settings = replace(settings_for(api, Path(folder) / "bench.db"), ocr=True)
            quick = {"pace": 1000.0, "rate_limiter": False}
            app, _ = telegram_app(settings, library, images=lambda: reader, **quick)
            async with polling(app):
                api.send_text(1, notice)
                await api.wait_for(lambda: len(api.messages(1)) >= 2, timeout=60)
                gc.collect()
                before = rss_mb()
                seconds = []
                for n, shot in enumerate(shots, start=2):
                    t = time.perf_counter()
                    api.send_photo(n, shot.data)
                    await api.wait_for(lambda n=n: len(api.messages(n)) >= 2, timeout=120)
                    seconds.append(time.perf_counter() - t)
                gc.collect()
                after = rss_mb()
                held = sum(len(f.data) for f in api.world.files.values()) / (1024 * 1024)
    return {"before": before, "after": after, "held_by_fake": held, "seconds": seconds}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    if sys.argv[1:] == ["--child"]:
        rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
        print(json.dumps(asyncio.run(bot(rounds))))
        return
    quick = os.environ.get("BENCH_QUICK") == "1"
    env = {**os.environ, "BENCH_ROUNDS": "1" if quick else "3"}
    load = os.getloadavg()[0]
    done = subprocess.run(
        [sys.executable, "-m", "bench.ocr", "--child"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    lines = [("image", "KiB", "median s", "worker CPU s", "CER %", "QR")]
    for image in result["images"]:
        qr = f"{image['qr_read']}/{image['qr_wanted']}" if image["qr_wanted"] else ""
        lines.append(
            (
                image["name"],
                f"{image['bytes'] / 1024:.0f}",
                f"{statistics.median(image['walls']):.2f}",
                f"{statistics.median(image['cpus']):.2f}",
                f"{100 * image['errors'] / max(image['characters'], 1):.1f}",
                qr,
            )
        )
    print_aligned(lines)
    phone = [i for i in result["images"] if i["phone"]]
    walls = [w for i in phone for w in i["walls"]]
    cpus = [c for i in phone for c in i["cpus"]]
    errors = sum(i["errors"] for i in result["images"])
    characters = sum(i["characters"] for i in result["images"])
    qr_read = sum(i["qr_read"] for i in result["images"])
    qr_wanted = sum(i["qr_wanted"] for i in result["images"])
    print()
    print(f"load average when started: {load:.1f} on {os.cpu_count()} cores")
    print(
        f"phone screenshots ({len(phone)} images x {len(walls) // max(len(phone), 1)}): "
        f"median {statistics.median(walls):.2f} s, p95 {percentile(walls, 0.95):.2f} s "
        f"(worker CPU median {statistics.median(cpus):.2f} s, p95 {percentile(cpus, 0.95):.2f} s)"
        "  [target: median <= 1.5 s]"
    )
    print(f"worker start (first image included): {result['start_seconds']:.1f} s")
    print(
        f"worker RSS after the last image {result['worker_rss']:.0f} MB, "
        f"peak {result['worker_peak']:.0f} MB  [target: <= 600 MB]"
    )
    print(
        f"bot RSS before the first image {result['rss_before']:.1f} MB, "
        f"after the last {result['rss_after']:.1f} MB  [target: unchanged]"
    )
    telegram = result["telegram"]
    print(
        f"whole bot over Telegram (fake Bot API in-process): RSS after a text notice "
        f"{telegram['before']:.1f} MB, after {len(telegram['seconds'])} screenshots "
        f"{telegram['after']:.1f} MB (the fake holds {telegram['held_by_fake']:.1f} MB of "
        f"them); photo to verdict median {statistics.median(telegram['seconds']):.2f} s"
        "  [target: unchanged]"
    )
    print(
        f"character error rate, all fixtures: {100 * errors / characters:.2f} % "
        f"({errors} of {characters}); QR codes read {qr_read}/{qr_wanted}"
    )


if __name__ == "__main__":
    main()
