"""Benchmark the reader on real phishing links: SMS-style messages that name a brand and carry a
URL reported as phishing in Japan, and the same messages carrying the brand's official address.

The URLs and brand names are read at run time from ../shared/data/phishing-urls-jp-2019-2023.csv
(`date,URL,description`); nothing from it is kept in the project. The message templates are the
project's own: several shapes (parcel, card, bank, tax, carrier, shop), in Japanese and English.

Targets: phishing caught >= 95%; none of the official versions called phishing.

Run: make bench SUITES=linkset   (or .venv/bin/python -m bench.linkset [--limit N])
"""

from __future__ import annotations

import collections
import csv
import sys
import time
from pathlib import Path

from bot.cli.flows import load_library
from bot.content.model import Library
from bot.notices import Analysis, analyse

ROOT = Path(__file__).resolve().parent.parent
FLOWS = ROOT / "flows"
DATA = ROOT.parent / "shared" / "data" / "phishing-urls-jp-2019-2023.csv"

TEMPLATES: dict[str, tuple[str, str]] = {
    "parcel": (
        "【{brand}】お荷物のお届けにあがりましたが不在のため持ち帰りました。"
        "再配達のお手続きはこちら {url}",
        "{brand}: we could not deliver your parcel today. Arrange a new delivery here: {url}",
    ),
    "card": (
        "【{brand}】カードのご利用に不審な点があったため、ご利用を一時停止しました。"
        "ご本人確認はこちら {url}",
        "{brand}: unusual activity was detected on your card and it has been suspended. "
        "Verify your identity: {url}",
    ),
    "bank": (
        "【{brand}】お客様の口座で取引制限を行いました。解除するには下記よりログインしてください。{url}",
        "{brand}: access to your account has been limited. Sign in to restore it: {url}",
    ),
    "tax": (
        "【{brand}】未払いの税金があります。期限までにお支払いがない場合、差し押さえとなります。"
        "お支払いはこちら {url}",
        "{brand}: you have an unpaid balance. Pay now to avoid further action: {url}",
    ),
    "carrier": (
        "【{brand}】ご利用料金のお支払いが確認できておりません。ご確認ください。{url}",
        "{brand}: your phone bill is overdue. Check your payment here: {url}",
    ),
    "shop": (
        "【{brand}】お客様のアカウントに異常なログインがありました。"
        "アカウントを確認してください。{url}",
        "{brand}: we noticed a sign-in to your account from a new device. Review it here: {url}",
    ),
}
_SHAPES = (
    ("tax", ("国税", "税務", "総務省", "日本銀行", "年金", "市役所", "マイナ", "警察")),
    ("parcel", ("運輸", "郵便", "佐川", "ヤマト", "DHL", "FedEx", "UPS", "USPS", "宅急便", "配送")),
    ("card", ("カード", "card", "Card", "CARD", "JCB", "VISA", "Vpass", "NICOS", "Orico", "JACCS")),
    ("bank", ("銀行", "Bank", "bank", "信託", "信金", "CIBC", "ゆうちょ")),
    (
        "carrier",
        ("au", "docomo", "softbank", "SoftBank", "ahamo", "UQ", "モバイル", "BIGLOBE", "ぷらら"),
    ),
)


def shape_of(brand: str) -> str:
    for shape, words in _SHAPES:
        if any(w in brand for w in words):
            return shape
    return "shop"


def rows(limit: int | None) -> list[tuple[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as f:
        found = [(r["URL"].strip(), r["description"].strip()) for r in csv.DictReader(f)]
    found = [(u, b) for u, b in found if u and b]
    if limit and limit < len(found):
        step = len(found) / limit
        found = [found[int(i * step)] for i in range(limit)]
    return found


def message(brand: str, url: str, n: int) -> str:
    ja, en = TEMPLATES[shape_of(brand)]
    return (ja if n % 2 == 0 else en).format(brand=brand, url=url)


def official_address(lib: Library, provider: str) -> str:
    return f"https://www.{lib.providers[provider].domains[0]}/"


def verdict_of(lib: Library, text: str) -> Analysis:
    a = analyse(lib, text)
    assert isinstance(a, Analysis)
    return a


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    limit = int(args[args.index("--limit") + 1]) if "--limit" in args else None
    if not DATA.exists():
        print(f"linkset: {DATA} is not there; nothing to measure")
        return
    lib, issues = load_library(FLOWS)
    if lib is None:
        raise SystemExit("\n".join(map(str, issues)))
    data = rows(limit)
    started = time.perf_counter()
    caught = 0
    known = known_caught = 0
    official_n = official_phishing = 0
    by_brand: collections.Counter[str] = collections.Counter()
    missed: collections.Counter[str] = collections.Counter()
    for n, (url, brand) in enumerate(data):
        a = verdict_of(lib, message(brand, url, n))
        hit = a.verdict == "likely_phishing"
        caught += hit
        by_brand[brand] += 1
        if not hit:
            missed[brand] += 1
        if a.provider is None:
            continue
        known += 1
        known_caught += hit
        b = verdict_of(lib, message(brand, official_address(lib, a.provider), n))
        official_n += 1
        if b.verdict == "likely_phishing":
            official_phishing += 1
            print(f"  official called phishing: {brand} -> {official_address(lib, a.provider)}")
    took = time.perf_counter() - started
    total = len(data)
    print(f"messages: {total} ({len(by_brand)} brands), {took:.1f} s")
    print(f"phishing caught (likely_phishing): {caught}/{total} = {caught / total:.1%}")
    if known:
        print(
            f"  of those naming a brand in the provider directory: {known_caught}/{known} = "
            f"{known_caught / known:.1%}; naming a brand not in it: {caught - known_caught}/"
            f"{total - known} = {(caught - known_caught) / max(1, total - known):.1%}"
        )
    print(f"official addresses called phishing: {official_phishing}/{official_n} (target 0)")
    print("most missed brands: " + ", ".join(f"{b} {n}" for b, n in missed.most_common(12)))
    ok = caught / total >= 0.95 and official_phishing == 0
    print(
        f"{'PASS' if ok else 'FAIL'}: caught {caught / total:.1%} (target >= 95%), "
        f"official called phishing {official_phishing} (target 0)"
    )


if __name__ == "__main__":
    main()
