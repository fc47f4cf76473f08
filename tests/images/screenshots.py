"""The screenshot fixtures with their ground truth, and the character error rate (tests, bench)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "fixtures" / "screenshots"


@dataclass(frozen=True)
class Fixture:
    """One image with what it shows: its text, line by line, and its QR payloads."""

    path: Path
    truth: str
    qr: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def data(self) -> bytes:
        return self.path.read_bytes()

    @property
    def phone_screenshot(self) -> bool:
        """A full-size phone screen capture (what the time target is about)."""
        return self.name.startswith(("sms-", "mail-", "album-")) and "half" not in self.name


def fixtures() -> list[Fixture]:
    found = []
    for path in sorted(FOLDER.iterdir()):
        if path.suffix not in (".png", ".jpg"):
            continue
        truth = path.with_suffix(".txt").read_text(encoding="utf-8").strip()
        qr_file = path.with_suffix(".qr.txt")
        qr = qr_file.read_text(encoding="utf-8").split("\n") if qr_file.exists() else []
        found.append(Fixture(path, truth, tuple(q for q in qr if q)))
    return found


def fixture(name: str) -> Fixture:
    return next(f for f in fixtures() if f.name == name)


def comparable(text: str) -> str:
    """Text as the error rate compares it: width-folded (NFKC), without any whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def distance(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions of characters."""
    if len(a) < len(b):
        a, b = b, a
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def error_rate(truth: str, read: str) -> tuple[int, int]:
    """Character errors and characters of truth, on comparable text (see `comparable`)."""
    want, got = comparable(truth), comparable(read)
    return distance(want, got), len(want)
