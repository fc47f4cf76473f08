"""Screenshots and QR codes, read offline in a worker process and turned into notice text.

`ImageReader.read(image_bytes)` gives an `ImageReading` (the text in reading order, the QR
payloads, and which part came from where) or a `Refusal` (too_big, unreadable, busy, timeout,
failed, unavailable). The bot's process imports none of the OCR libraries: `vision` and
`worker` run in the worker only.
"""

from bot.images.model import ImageLimits, ImageReading, Refusal, RefusalReason, Source, Span
from bot.images.reader import ImageReader, ocr_installed, ocr_wanted

__all__ = [
    "ImageLimits",
    "ImageReader",
    "ImageReading",
    "Refusal",
    "RefusalReason",
    "Source",
    "Span",
    "ocr_installed",
    "ocr_wanted",
]
