"""`anshin explain FILE|-`: what it prints and how it exits."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from notice_corpus import SAMPLES
from notice_forms import eml

from bot.cli.explain import run_explain

FLOWS = Path(__file__).resolve().parents[2] / "flows"
JSON_KEYS = {
    "kind",
    "confidence",
    "verdict",
    "reasons",
    "provider",
    "facts",
    "asks_for",
    "reply_channel",
    "walkthrough",
}


def test_json_output_has_the_promised_fields(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = next(
        s for s in SAMPLES if s.kind == "outbound_spam_restriction" and s.genuine and s.lang == "ja"
    )
    f = tmp_path / "notice.eml"
    f.write_bytes(eml(sample))
    assert run_explain(str(f), "en", True, FLOWS) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= JSON_KEYS
    assert out["kind"] == "outbound_spam_restriction"
    assert out["walkthrough"] == "mail_spam_block"
    assert out["provider"] == "dti"
    assert out["facts"]["account"] == "hanako.y@kyoto.dti.ne.jp"
    assert out["facts"]["restriction"] == "outgoing_mail"
    assert out["facts"]["notice_date"] == "2026-03-14"
    assert {"virus_scan", "change_password", "contact_support_form"} <= set(out["asks_for"])
    assert out["reply_channel"] == "web_form"
    assert all(set(r) == {"code", "text"} for r in out["reasons"])
    assert out["verdict"] == "likely_genuine"


def test_text_output_in_japanese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "n.txt"
    f.write_text(
        "Your Apple ID has been disabled. Verify within 24 hours: http://appleid-check.example/x"
    )
    assert run_explain(str(f), "ja", False, FLOWS) == 0
    out = capsys.readouterr().out
    assert out.startswith("【判定】詐欺（フィッシング）の可能性が高い")
    assert "【確かめ方】" in out


def test_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = "アカウントの利用を制限しました。こちらからログインして解除してください。".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert run_explain("-", "en", True, FLOWS) == 0
    assert json.loads(capsys.readouterr().out)["kind"] == "account_locked"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"a" * (1024 * 1024 + 1), "too_big"),
    ],
)
def test_unreadable_input_exits_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, reason: str
) -> None:
    f = tmp_path / "x.bin"
    f.write_bytes(content)
    assert run_explain(str(f), "en", True, FLOWS) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out)["error"] == reason
    assert captured.err.startswith("anshin explain: ") and "Traceback" not in captured.err


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_explain(str(tmp_path / "nope.eml"), "en", False, FLOWS) == 2
    assert "cannot read" in capsys.readouterr().err


def test_broken_flows_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.yaml").write_text("kind: [\n")
    f = tmp_path / "n.txt"
    f.write_text("hello")
    assert run_explain(str(f), "en", False, tmp_path) == 2
    assert "have errors" in capsys.readouterr().err


def test_a_batch_prints_one_line_per_file_in_order_with_refusals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    sample = next(s for s in SAMPLES if s.kind == "suspicious_login" and not s.genuine)
    (folder / "001.eml").write_bytes(eml(sample))
    (folder / "002.txt").write_text(
        "Your Apple ID is locked. Unlock: http://appleid-check.example/x"
    )
    (folder / "003.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    other = tmp_path / "004.txt"
    other.write_text("【ヤマト運輸】お荷物のお届けについて https://www.kuronekoyamato.co.jp/")
    assert (
        run_explain([str(folder), str(other), str(tmp_path / "gone.txt")], "en", True, FLOWS) == 2
    )
    lines = capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    assert [Path(r["file"]).name for r in records] == [
        "001.eml",
        "002.txt",
        "003.txt",
        "004.txt",
        "gone.txt",
    ]
    assert records[0]["kind"] == "suspicious_login" and records[0]["verdict"] == "likely_phishing"
    assert records[1]["verdict"] == "likely_phishing"
    assert records[2]["error"] == "binary" and "verdict" not in records[2]
    assert records[3]["provider"] == "yamato"
    assert records[4]["error"] == "cannot_read"


def test_the_scorer_reads_a_batch_from_one_process(tmp_path: Path) -> None:
    import subprocess

    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "a.txt").write_text("Your Apple ID is locked. Unlock: http://appleid-check.example/x")
    (folder / "b.txt").write_text("Your PayPal receipt: https://www.paypal.com/activity")
    exe = Path(sys.executable).with_name("anshin")
    done = subprocess.run(
        [str(exe), "explain", "--json", "--flows", str(FLOWS), str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = done.stdout.splitlines()
    assert len(lines) == 2, done.stderr
    names = [Path(json.loads(line)["file"]).name for line in lines]
    assert names == ["a.txt", "b.txt"]
