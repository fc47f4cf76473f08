"""The bytes between the bot and its image worker: length-prefixed frames over the worker's pipes.

The bot writes one request frame (the image's bytes) and reads one answer frame (JSON). The image
travels through the pipe only; it is never written to a file.
"""

from __future__ import annotations

import json
import struct
from typing import Any

from bot.images.model import Box, Page, Refusal, Seen

HEADER = struct.Struct(">I")  # the length of the frame that follows
READY = "ready"  # the worker's first answer, once its models are loaded


def frame(payload: bytes) -> bytes:
    return HEADER.pack(len(payload)) + payload


def encode(answer: dict[str, Any]) -> bytes:
    return frame(json.dumps(answer, ensure_ascii=False).encode("utf-8"))


def page_answer(page: Page) -> dict[str, Any]:
    return {
        "width": page.width,
        "height": page.height,
        "seconds": round(page.seconds, 4),
        "seen": [
            [s.text, s.source, round(s.confidence, 4), *(round(v, 1) for v in _corners(s.box))]
            for s in page.seen
        ],
    }


def refusal_answer(refusal: Refusal) -> dict[str, Any]:
    return {"refused": refusal.reason, "detail": refusal.detail}


def decode(data: bytes) -> Page | Refusal:
    """A worker's answer; a malformed one is the worker's fault, reported as `failed`."""
    try:
        answer = json.loads(data.decode("utf-8"))
        if "refused" in answer:
            return Refusal(answer["refused"], str(answer.get("detail", "")))
        seen = tuple(
            Seen(str(text), Box(*map(float, corners)), source, float(confidence))
            for text, source, confidence, *corners in answer["seen"]
            if source in ("text", "qr")
        )
        return Page(int(answer["width"]), int(answer["height"]), seen, float(answer["seconds"]))
    except (ValueError, KeyError, TypeError) as e:
        return Refusal("failed", f"the worker's answer was malformed ({type(e).__name__})")


def _corners(box: Box) -> tuple[float, float, float, float]:
    return (box.left, box.top, box.right, box.bottom)
