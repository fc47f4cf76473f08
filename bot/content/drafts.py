"""Drafts (`draft:`): the reply to support, per language; its templates are checked in
`bot.content.templates` once every walkthrough is known."""

from __future__ import annotations

from typing import Any

from bot.content.issues import LDict, did_you_mean
from bot.content.model import Draft, Text, Where
from bot.content.providers import CHANNEL_KINDS
from bot.content.reader import Reader

DRAFT_KEYS = (
    "id",
    "walkthrough",
    "provider",
    "subject",
    "body",
    "phone_script",
    "channels",
    "note",
    "lure",
)
LURE_USES = ("report", "fits")


def read_draft(raw: Any, r: Reader) -> Draft | None:
    d = r.mapping(raw, "draft", DRAFT_KEYS, required=("id", "subject", "body"))
    if d is None:
        return None
    did = r.ident(d, "id", "draft") or "?"
    where = f"draft '{did}'"
    channels = r.strings(d, "channels", where) or ("web_form", "phone", "email")
    for kind in channels:
        if kind not in CHANNEL_KINDS:
            r.problem(
                d.line_of("channels"),
                where,
                f"unknown channel '{kind}'",
                did_you_mean(kind, CHANNEL_KINDS) or f"use {', '.join(CHANNEL_KINDS)}",
            )
    lure = r.string(d, "lure", where)
    if lure is not None and lure not in LURE_USES:
        r.problem(
            d.line_of("lure"),
            where,
            f"unknown lure use '{lure}'",
            did_you_mean(lure, LURE_USES) or f"use {' or '.join(LURE_USES)}, or leave it out",
        )
    part_lines: dict[str, int] = {}
    for part in ("subject", "body", "phone_script"):
        texts = d.get(part)
        if isinstance(texts, LDict):
            for lang in texts:
                # A block scalar's text starts on the line after its key.
                block = isinstance(texts[lang], str) and "\n" in texts[lang]
                part_lines[f"{part}.{lang}"] = texts.line_of(lang) + (1 if block else 0)
    return Draft(
        id=did,
        walkthrough=r.string(d, "walkthrough", where),
        provider=r.string(d, "provider", where),
        subject=r.text(d, "subject", where) or Text({}),
        body=r.text(d, "body", where) or Text({}),
        phone_script=r.text(d, "phone_script", where, required=False),
        channels=tuple(channels),
        note=r.text(d, "note", where, required=False),
        lure=lure,
        part_lines=part_lines,
        where=Where(r.file, d.line),
    )
