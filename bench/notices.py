"""Benchmark the notice reader: a 20 KB notice read, recognized, judged and explained, with 50
notice kinds loaded (the shipped ones plus synthetic kinds built like them).

Run: .venv/bin/python -m bench.notices
"""

from __future__ import annotations

import os
import random
import statistics
import time
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

from bot.cli.flows import load_library
from bot.content.model import Gloss, Library, NoticeKind, RedFlag, Signal, Text
from bot.notices import Analysis, analyse, render_explanation
from bot.notices.index import LibraryIndex

FLOWS = Path(__file__).resolve().parent.parent / "flows"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
TARGET_KINDS = 50
TARGET_BYTES = 20 * 1024
RUNS = 300

# Words real notices use, to build synthetic kinds that look (and cost) like the real ones.
JA_NOUNS = [
    "契約",
    "請求書",
    "ポイント",
    "会員登録",
    "配送",
    "クーポン",
    "定期便",
    "予約",
    "解約",
    "保険",
    "口座",
    "ローン",
    "回線",
    "工事",
    "端末",
    "修理",
    "保証",
    "住所",
    "名義",
    "料金プラン",
]
JA_VERBS = ["変更", "確認", "更新", "完了", "失効", "停止", "受付", "発行", "付与", "延長"]
EN_NOUNS = [
    "subscription",
    "invoice",
    "points",
    "membership",
    "shipment",
    "coupon",
    "reservation",
    "contract",
    "insurance",
    "loan",
    "plan",
    "warranty",
    "repair",
    "device",
    "address",
    "statement",
    "refund",
    "voucher",
    "renewal",
    "trial",
]
EN_VERBS = [
    "changed",
    "confirmed",
    "updated",
    "completed",
    "expired",
    "suspended",
    "received",
    "issued",
    "granted",
    "extended",
]


def synthetic_kind(n: int, rng: random.Random) -> NoticeKind:
    """A kind shaped like the shipped ones: a dozen signals in two languages, glosses, flags."""
    signals = []
    for _ in range(6):
        noun, verb = rng.choice(JA_NOUNS), rng.choice(JA_VERBS)
        signals.append(
            Signal(
                f"{noun}(の|を|が)?[^。\\n]{{0,10}}{verb}(されました|しました|のお知らせ)",
                rng.choice((1.0, 2.0, 3.0)),
                "ja",
            )
        )
        noun, verb = rng.choice(EN_NOUNS), rng.choice(EN_VERBS)
        signals.append(
            Signal(
                f"(your |the )?{noun} (has been |was |is )?{verb}\\b",
                rng.choice((1.0, 2.0, 3.0)),
                "en",
            )
        )
    glosses = tuple(
        Gloss(
            f"{rng.choice(JA_NOUNS)}{rng.choice(JA_VERBS)}", Text({"ja": "説明", "en": "meaning"})
        )
        for _ in range(4)
    )
    flags = (
        RedFlag(
            f"synthetic_{n}",
            f"{rng.choice(EN_NOUNS)}[^.\\n]{{0,30}}(click|link|here)",
            2.0,
            Text({"ja": "理由", "en": "reason"}),
            "en",
        ),
    )
    return NoticeKind(
        id=f"synthetic_{n:02d}",
        title=Text({"ja": f"合成 {n}", "en": f"Synthetic {n}"}),
        signals=tuple(signals),
        explanation={"happened": Text({"ja": "何か", "en": "something"})},
        glosses=glosses,
        walkthrough="unknown_notice",
        red_flags=flags,
    )


def with_fifty_kinds(lib: Library) -> Library:
    rng = random.Random(3)
    kinds = dict(lib.kinds)
    n = 0
    while sum(1 for k in kinds.values() if not k.common) < TARGET_KINDS:
        kind = synthetic_kind(n, rng)
        kinds[kind.id] = kind
        n += 1
    return replace(lib, kinds=kinds, version=lib.version + "+bench")


JA_NOTICE = """DTIサポートセンターです。いつもDTIをご利用いただき、ありがとうございます。

本日、お客様のメールアカウント（hanako.y@kyoto.dti.ne.jp）から、短時間に大量のメールが送信されていることを
当社システムで確認いたしました。他の会員様への影響を避けるため、該当アカウントのメール送信を一時的に
制限させていただいております。メールの受信は、これまでどおりご利用いただけます。

お手数ですが、ご利用中のすべての機器のウイルスチェックと、メールパスワードの変更をお願いいたします。
パスワードの変更は会員サポートページ https://dream.jp/support/ から行えます。作業が終わりましたら、
お問い合わせフォームからご連絡ください。確認でき次第、送信制限を解除いたします。
"""
JA_FOOTER = """
■ご注意
本メールは送信専用です。ご返信いただいてもお答えできませんので、あらかじめご了承ください。
会員規約第{n}条に基づき、当社は会員のメール送信を制限することがあります。詳しくは
https://dream.jp/agreement/ をご覧ください。お問い合わせ窓口の受付時間は平日10時から18時までです。
"""
EN_FOOTER = """
This message was sent to the address registered for your account (section {n}). To manage your
notification settings, sign in to the member support page from your bookmark. Please do not reply
to this message; replies are not monitored. Copyright DTI. All rights reserved.
"""


def twenty_kb_notice() -> str:
    parts = [
        "From: DTIサポートセンター <support@dti.ne.jp>",
        "Subject: 【DTI】メール送信の一時停止について",
        "",
        JA_NOTICE,
    ]
    n = 1
    while len("\n".join(parts).encode()) < TARGET_BYTES:
        parts.append((JA_FOOTER if n % 2 else EN_FOOTER).format(n=n))
        n += 1
    return "\n".join(parts)


def as_eml(text: str) -> bytes:
    body = text.partition("\n\n")[2]
    msg = EmailMessage()
    msg["From"] = "DTIサポートセンター <support@dti.ne.jp>"
    msg["Subject"] = "【DTI】メール送信の一時停止について"
    msg["Received"] = "from out.dti.ne.jp (out.dti.ne.jp [203.0.113.9]) by mx.google.com"
    msg["Authentication-Results"] = (
        "mx.google.com; spf=pass smtp.mailfrom=dti.ne.jp; dmarc=pass header.from=dti.ne.jp"
    )
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    msg.set_content(body)
    msg.add_alternative(f"<html><body>{paragraphs}</body></html>", subtype="html")
    return msg.as_bytes()


def median_ms(lib: Library, raw: bytes | str, runs: int = RUNS) -> tuple[float, Analysis]:
    times = []
    result = analyse(lib, raw)  # the first call builds the library's index
    assert isinstance(result, Analysis)
    for _ in range(runs):
        start = time.perf_counter()
        a = analyse(lib, raw)
        assert isinstance(a, Analysis)
        render_explanation(lib, a, "ja")
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def main() -> None:
    base, issues = load_library(FLOWS)
    if base is None:
        raise SystemExit("\n".join(map(str, issues)))
    lib = with_fifty_kinds(base)
    kinds = sum(1 for k in lib.kinds.values() if not k.common)
    signals = sum(len(k.signals) for k in lib.kinds.values())

    start = time.perf_counter()
    LibraryIndex(lib)
    build_ms = (time.perf_counter() - start) * 1000

    text = twenty_kb_notice()
    ms, a = median_ms(lib, text)
    print(
        f"kinds loaded: {kinds} ({signals} signals, {len(lib.providers)} providers); "
        f"index built once in {build_ms:.1f} ms"
    )
    print(
        f"20 KB Japanese notice, pasted text ({len(text.encode()):,} bytes): "
        f"median {ms:.2f} ms per notice (read, recognize, judge, explain); "
        f"kind={a.kind} verdict={a.verdict}"
    )
    eml = as_eml(text)
    ms_eml, a_eml = median_ms(lib, eml, RUNS // 3)
    print(
        f"same notice as a multipart .eml with HTML ({len(eml):,} bytes): median {ms_eml:.2f} ms; "
        f"verdict={a_eml.verdict}"
    )
    en = (
        "Your account was used to send a large volume of spam, so we have restricted outgoing "
        "mail. Please scan your devices and change your password at https://dream.jp/support/ .\n"
    ) * 120
    en = en[:TARGET_BYTES]
    ms_en, _ = median_ms(lib, en)
    print(f"20 KB English text ({len(en.encode()):,} bytes): median {ms_en:.2f} ms")
    verdict = "PASS" if ms < 5 else "FAIL"
    print(f"{verdict}: 20 KB notice in {ms:.2f} ms median with {kinds} kinds (target < 5 ms)")
    real_mail(base)


def real_mail(lib: Library) -> None:
    """Every real notice in the shared folders (read at run time, never kept), one by one:
    median, p99 and max per notice, against the targets p99 <= 30 ms and max <= 200 ms."""
    folders = [SHARED / name for name in ("notices", "notices-pot") if (SHARED / name).is_dir()]
    files = [p for f in folders for p in sorted(f.iterdir()) if p.suffix in (".eml", ".txt")]
    if not files:
        print("real mail: ../shared/notices not found; skipped")
        return
    analyse(lib, "warm up")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    times: list[tuple[float, str]] = []
    cpu: list[float] = []
    for path in files:
        raw = path.read_bytes()
        start, start_cpu = time.perf_counter(), time.thread_time()
        analyse(lib, raw, filename=path.name)
        times.append((time.perf_counter() - start, path.name))
        cpu.append((time.thread_time() - start_cpu) * 1000)
    times.sort()
    ms = [t * 1000 for t, _ in times]
    p99 = _at(ms, 0.99)
    slowest = times[-1][1]
    print(
        f"real mail ({len(files)} notices from {', '.join(f.name for f in folders)}; "
        f"load average {load:.1f} while measuring): median {statistics.median(ms):.1f} ms, "
        f"p95 {_at(ms, 0.95):.1f} ms, p99 {p99:.1f} ms, max {ms[-1]:.1f} ms ({slowest})"
    )
    # The machine is shared: the time this thread was on a core tells the reader's own cost
    # apart from the time it waited for one.
    cpu.sort()
    print(
        f"  the same, time on a core only: median {statistics.median(cpu):.1f} ms, "
        f"p95 {_at(cpu, 0.95):.1f} ms, p99 {_at(cpu, 0.99):.1f} ms, max {cpu[-1]:.1f} ms"
    )
    ok = p99 <= 30 and ms[-1] <= 200
    print(
        f"{'PASS' if ok else 'FAIL'}: real mail p99 {p99:.1f} ms (target <= 30), "
        f"max {ms[-1]:.1f} ms (target <= 200)"
    )


def _at(ordered: list[float], share: float) -> float:
    """The value at `share` of a sorted list (0.99: the 99th percentile)."""
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


if __name__ == "__main__":
    main()
