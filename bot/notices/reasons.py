"""Reasons for a verdict: each names its evidence and carries a weight (> 0 points at phishing,
< 0 at the real provider). One reason per code, the heaviest kept."""

from __future__ import annotations

from bot.content.model import Library, Text, fill
from bot.notices.analysis import Reason


class Reasons:
    """Collects reasons, one per code, keeping the heaviest.

    `verified` is set when the person's own receiving service confirmed the sender's domain is
    the provider's: the only evidence that can make a notice "likely genuine".
    """

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.by_code: dict[str, Reason] = {}
        self.verified = False

    def text(self, key: str) -> Text:
        """A text of the library, or its key when it is missing (flows validation requires it)."""
        return self.lib.texts.get(key) or Text.same(key)

    def add(self, code: str, weight: float, key: str | None = None, **fields: object) -> None:
        text = self.text(key or f"reason_{code}")
        filled = Text({lang: _fill(v, lang, fields) for lang, v in text.by_lang.items()})
        old = self.by_code.get(code)
        if old is None or abs(weight) > abs(old.weight):
            self.by_code[code] = Reason(code, filled, weight)

    def add_text(self, code: str, weight: float, text: Text) -> None:
        old = self.by_code.get(code)
        if old is None or weight > old.weight:
            self.by_code[code] = Reason(code, text, weight)

    def drop(self, code: str) -> None:
        self.by_code.pop(code, None)

    def has(self, code: str) -> bool:
        return code in self.by_code

    def danger(self) -> float:
        return sum(r.weight for r in self.by_code.values() if r.weight > 0)

    def trust(self) -> float:
        return -sum(r.weight for r in self.by_code.values() if r.weight < 0)


def _fill(template: str, lang: str, fields: dict[str, object]) -> str:
    values = {k: v.get(lang) if isinstance(v, Text) else v for k, v in fields.items()}
    return fill(template, {k: v for k, v in values.items() if v is not None})
