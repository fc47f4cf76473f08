"""OCR as installed: part of the normal install, pinned, offline, and switched off by a setting."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bot.cli.settings import load_settings
from bot.images.model import Refusal
from bot.images.reader import ImageReader, ocr_installed
from tests.images.screenshots import fixture

ROOT = Path(__file__).resolve().parents[2]


def test_the_ocr_extra_pins_the_versions_it_was_measured_with() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pinned = {
        r.split("==")[0]: r.split("==")[1]
        for r in project["optional-dependencies"]["ocr"]
        if "==" in r
    }
    assert {"rapidocr", "onnxruntime", "zxing-cpp"} <= set(pinned)


def test_make_and_the_container_install_ocr_by_default() -> None:
    assert "-e '.[ocr]'" in (ROOT / "Makefile").read_text(encoding="utf-8")
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert "ARG EXTRAS=ocr" in dockerfile and "[${EXTRAS}]" in dockerfile


@pytest.mark.parametrize(
    ("value", "on"), [("", True), ("1", True), ("0", False), ("off", False), ("no", False)]
)
def test_anshin_ocr_switches_screenshots_off(value: str, on: bool) -> None:
    settings = load_settings({"ANSHIN_OCR": value})
    assert settings.ocr is on and settings.problems == ()


def test_an_unknown_anshin_ocr_value_is_a_problem_and_ocr_stays_on() -> None:
    settings = load_settings({"ANSHIN_OCR": "maybe"})
    assert settings.ocr is True
    assert settings.problems == ("ANSHIN_OCR: 'maybe' should be 1 or 0",)


async def test_a_reader_built_with_ocr_off_refuses_every_image_as_unavailable() -> None:
    reader = ImageReader(enabled=load_settings({"ANSHIN_OCR": "0"}).ocr)
    result = await reader.read(fixture("sms-parcel-ja-light.png").data)
    assert isinstance(result, Refusal) and result.reason == "unavailable"
    assert reader.worker_pid is None


@pytest.mark.skipif(not ocr_installed(), reason="OCR is not installed")
def test_screenshots_are_read_with_the_network_closed() -> None:
    """The models ship in the wheel: nothing is fetched at run time. The reader runs in a network
    namespace of its own, with no interface up but a loopback that is down."""
    unshare = shutil.which("unshare")
    probe = subprocess.run([unshare or "unshare", "-rn", "true"], capture_output=True, check=False)
    if unshare is None or probe.returncode != 0:
        pytest.skip("cannot make a network namespace here (unshare -rn)")
    script = (
        "import asyncio, socket\n"
        "from bot.images.model import ImageReading\n"
        "from bot.images.reader import ImageReader\n"
        "try:\n"
        "    socket.create_connection(('1.1.1.1', 443), timeout=2)\n"
        "    raise SystemExit('the network is open')\n"
        "except OSError:\n"
        "    pass\n"
        f"data = open({str(fixture('sms-post-ja-dark.png').path)!r}, 'rb').read()\n"
        "async def main():\n"
        "    reader = ImageReader(enabled=True)\n"
        "    reading = await reader.read(data)\n"
        "    await reader.close()\n"
        "    assert isinstance(reading, ImageReading), reading\n"
        "    print(reading.text)\n"
        "asyncio.run(main())\n"
    )
    done = subprocess.run(
        [unshare, "-rn", sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "https://japanpost-jp.address-check.icu/p/7Kx2m" in done.stdout


@pytest.mark.skipif(not ocr_installed(), reason="OCR is not installed")
def test_an_admin_can_read_screenshots_from_the_command_line() -> None:
    card = fixture("qr-parcel-ja-card.png").path
    done = subprocess.run(
        [sys.executable, "-m", "bot.images", str(card), str(ROOT / "README.md")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "--- image 1, text",
        "再配達受付",
        "--- image 1, QR code",
        "https://yamato-redelivery.qr-track.top/k/5521",
        "--- image 2 not read: unreadable (not an image)",
    ]
