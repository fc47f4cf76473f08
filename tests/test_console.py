"""The console channel, driven through stdin as a person would, from the notice to the last step."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.images.reader import ocr_installed

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "bot" / "samples"
SCREENSHOTS = ROOT / "tests" / "fixtures" / "screenshots"

# Each line is what the person types: numbers press the numbered buttons, numbered on through
# one answer (the verdict's "this looks wrong" is [1] under the explanation).
STORY_JA = [
    "2",  # Next (the notice says the sending was stopped: no question what it says)
    "1",  # Next (scan)
    "パソコンとiPhone、ウイルスバスターで",
    "1",  # nothing found
    "今日",  # the password was changed today
    "1",  # Next (mail apps)
    "1",  # changed the other accounts too
    "山田太郎",  # the draft asks for the account holder's name
    "2",  # sent the form (the step is shown again below the draft's [1] "correct a detail")
    "1",  # the block was lifted
    "1",  # the test mail arrived
    "1",  # Next (harden)
]


def chat(
    tmp_path: Path, lines: list[str], *extra: str, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), **(env_extra or {})}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--db", str(tmp_path / "console.db"), *extra],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
        check=False,
    )


def test_console_walks_the_story_from_notice_to_done_with_a_complete_draft(tmp_path: Path) -> None:
    done = chat(tmp_path, STORY_JA, "--notice", str(SAMPLES / "isp_notice_ja.txt"), "--lang", "ja")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "メールの送信が止められた" in out  # the notice was recognised
    assert "ステップ 1 / " in out
    assert "検査した機器：パソコンとiPhone、ウイルスバスターで\n" in out
    assert "でを検査" not in out
    assert "メール送信制限の解除のお願い（taro.yamada@example.dti.ne.jp）" in out
    assert "山田太郎と申します" in out
    assert "{{" not in out and "}}" not in out
    assert "メールでの返信はしないでください" in out
    assert out.rstrip().endswith(">")
    assert "おつかれさまでした。この件はこれで完了です。" in out
    assert "Traceback" not in done.stderr


def test_console_remembers_progress_between_sessions(tmp_path: Path) -> None:
    first = chat(
        tmp_path, STORY_JA[:2], "--notice", str(SAMPLES / "isp_notice_en.txt"), "--lang", "en"
    )
    assert first.returncode == 0, first.stderr
    assert "Scan every device" in first.stdout
    again = chat(tmp_path, ["/status"], "--lang", "en")
    assert again.returncode == 0, again.stderr
    assert "✓ Understand what happened" in again.stdout
    assert "▶ Note which devices you scanned (you are here)" in again.stdout


def test_console_paste_reads_a_multi_line_notice(tmp_path: Path) -> None:
    notice = (SAMPLES / "isp_notice_en.txt").read_text(encoding="utf-8").splitlines()
    done = chat(tmp_path, ["/paste", *notice, ".", "/status"], "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "Step 1 of" in done.stdout
    assert "▶ Understand what happened (you are here)" in done.stdout
    # A paste is read as a notice, but nobody forwarded it: no origin to speak of.
    assert "on Telegram" not in done.stdout


def test_console_answers_bad_input_without_a_traceback(tmp_path: Path) -> None:
    junk = ["", "99", "/nosuchcommand", "\x00\x01binary", "ｚｅｒｏ\u200bwidth", "/paste", "", "."]
    done = chat(tmp_path, junk, "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "I don't know that command" in done.stdout


@pytest.mark.skipif(not ocr_installed(), reason="OCR is not installed (text-only bot)")
def test_console_image_reads_a_screenshot_as_telegram_does(tmp_path: Path) -> None:
    shot = SCREENSHOTS / "sms-usps-en-light.png"
    done = chat(tmp_path, [f"/image {shot}", "/status"], "--lang", "en")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Reading your screenshot" in out
    assert "Here is what I read from your screenshot" in out
    assert "  | USPS: Your package is on hold" in out
    assert "https://usps-redelivery.track-info.live/us?c=HK39" in out
    assert "Verdict: this is most likely phishing" in out
    assert "I read the link to usps-redelivery.track-info.live from the text in the picture" in out
    assert "(you are here)" in out  # the walkthrough opened, as for a pasted notice


def test_console_image_without_ocr_or_with_a_wrong_path_says_so(tmp_path: Path) -> None:
    shot = SCREENSHOTS / "sms-usps-en-light.png"
    lines = [f"/image {shot}", f"/image {tmp_path / 'missing.png'}", "/image"]
    done = chat(tmp_path, lines, "--lang", "en", env_extra={"ANSHIN_OCR": "0"})
    assert done.returncode == 0, done.stderr
    assert "I can't read text in pictures" in done.stdout
    assert f"no such file: {tmp_path / 'missing.png'}" in done.stdout
    assert "usage: /image PATH" in done.stdout
    assert "Traceback" not in done.stderr


def test_console_speaks_the_persons_language_and_shows_the_notice_before_its_reading(
    tmp_path: Path,
) -> None:
    for lang, banner, reading in (
        ("ja", "コンソールです", "【判定】"),
        ("en", "console", "Verdict:"),
    ):
        done = chat(
            tmp_path, ["/help"], "--notice", str(SAMPLES / f"isp_notice_{lang}.txt"), "--lang", lang
        )
        assert done.returncode == 0, done.stderr
        out = done.stdout
        assert banner in out.splitlines()[0]
        subject = "メール送信制限のお知らせ" if lang == "ja" else "Subject:"
        assert out.index(subject) < out.index(reading)
        assert "/paste" in out[out.rindex("/status") :]  # /help names /paste in the console


def test_console_the_drafts_correct_button_is_reachable_below_the_step(tmp_path: Path) -> None:
    upto_name = STORY_JA[: STORY_JA.index("山田太郎") + 1]
    done = chat(
        tmp_path, [*upto_name, "1"], "--notice", str(SAMPLES / "isp_notice_ja.txt"), "--lang", "ja"
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "  [1] 内容を直す" in out and "  [2] フォームで送った" in out
    assert (
        out.rstrip().endswith(">") and "どこを直しますか？" in out[out.rindex("[1] 内容を直す") :]
    )
