"""The image worker process: images in on stdin, what they show out on stdout, one at a time.

Started by `ImageReader` as `python -m bot.images.worker LIMITS_JSON`. It loads the OCR models
once, says it is ready, then answers every image frame with one JSON frame, until stdin closes.
Nothing it reads is written anywhere else, and it logs no text it read.
"""

from __future__ import annotations

import json
import os
import sys
from typing import BinaryIO

# One thread everywhere, set before numpy, OpenCV or onnxruntime start their pools.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from bot.images.model import ImageLimits, Refusal  # noqa: E402
from bot.images.protocol import HEADER, READY, encode, page_answer, refusal_answer  # noqa: E402


def read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    chunks: list[bytes] = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def main(argv: list[str]) -> int:
    limits = ImageLimits(**json.loads(argv[0])) if argv else ImageLimits()
    # Frames go to a private copy of stdout; anything a library prints lands on stderr instead.
    answers = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    images = sys.stdin.buffer

    from bot.images.vision import Vision

    vision = Vision(limits)
    answers.write(encode({READY: os.getpid()}))
    while True:
        head = read_exactly(images, HEADER.size)
        if head is None:
            return 0
        data = read_exactly(images, HEADER.unpack(head)[0])
        if data is None:
            return 0
        try:
            result = vision.read(data)
        except MemoryError:
            result = Refusal("too_big", "the worker ran out of memory")
        except Exception as e:  # a decoder's bug must cost one image, not the worker
            result = Refusal("unreadable", f"the image could not be decoded ({type(e).__name__})")
        if isinstance(result, Refusal):
            answers.write(encode(refusal_answer(result)))
        else:
            answers.write(encode(page_answer(result)))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
