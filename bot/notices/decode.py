"""Bytes to text: sniff what is not text, and decode text whose charset may be declared, missing
or wrong (Japanese mail uses ISO-2022-JP, Shift_JIS and EUC-JP as often as UTF-8)."""

from __future__ import annotations

import re

_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"PK\x03\x04",
    b"\x7fELF",
    b"MZ",
    b"\xd0\xcf\x11\xe0",
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x1f\x8b",
    b"OggS",
    b"ID3",
    b"RIFF",
)
_JIS_ESCAPE = re.compile(rb"\x1b[$(][@BJ]")


# Control bytes that text does not hold (tab, line breaks, form feed and escape it does).
_CONTROLS = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def looks_binary(raw: bytes) -> bool:
    head = raw[:8192]
    if head.startswith(_MAGIC):
        return True
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROLS))
    return controls > len(head) * 0.05


def decode_text(raw: bytes, declared: str | None = None) -> str:
    """Decode text whose charset may be declared, missing or wrong; Japanese charsets first."""
    for enc in _candidates(raw, declared):
        try:
            return raw.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("utf-8", errors="replace")


_FAMILIES = {
    "iso-2022-jp": ("iso2022_jp", "iso2022_jp_2004", "iso2022_jp_ext", "iso2022_jp_2"),
    "shift_jis": ("cp932", "shift_jis_2004"),
    "euc-jp": ("euc_jp", "euc_jis_2004"),
}
_ALIASES = {
    "iso2022jp": "iso-2022-jp",
    "iso-2022-jp": "iso-2022-jp",
    "csiso2022jp": "iso-2022-jp",
    "iso-2022-jp-1": "iso-2022-jp",
    "iso-2022-jp-2": "iso-2022-jp",
    "iso-2022-jp-3": "iso-2022-jp",
    "shift_jis": "shift_jis",
    "shift-jis": "shift_jis",
    "sjis": "shift_jis",
    "x-sjis": "shift_jis",
    "cp932": "shift_jis",
    "windows-31j": "shift_jis",
    "ms932": "shift_jis",
    "ms_kanji": "shift_jis",
    "euc-jp": "euc-jp",
    "eucjp": "euc-jp",
    "x-euc-jp": "euc-jp",
    "cp51932": "euc-jp",
}


def _candidates(raw: bytes, declared: str | None) -> list[str]:
    out: list[str] = []
    if declared:
        d = declared.strip().strip('"').lower()
        out += _FAMILIES.get(_ALIASES.get(d, ""), (d,))
    if raw.startswith(b"\xef\xbb\xbf"):
        out.insert(0, "utf-8-sig")
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        out.insert(0, "utf-16")
    if _JIS_ESCAPE.search(raw):  # 7-bit ISO-2022-JP is valid UTF-8 too, so it goes first
        out += _FAMILIES["iso-2022-jp"]
    out.append("utf-8")
    # EUC-JP before Shift_JIS: Shift_JIS lead bytes are invalid in EUC-JP, so a wrong guess fails
    # fast, while EUC-JP bytes often decode as (wrong) half-width katakana in Shift_JIS.
    out += [*_FAMILIES["euc-jp"], *_FAMILIES["shift_jis"], "cp1252"]
    return out


def garbled(text: str) -> bool:
    if not text:
        return False
    bad = text.count("\ufffd") + len(_PRIVATE_USE.findall(text, 0, 20000))
    return bad > max(8, len(text[:20000]) // 20)
