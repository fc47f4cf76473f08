"""In the image worker: decode an image safely, read its text (RapidOCR) and QR codes (zxing-cpp).

Only the worker process imports this module: onnxruntime, OpenCV, numpy and Pillow stay out of
the bot. Everything runs offline; the models ship inside the rapidocr wheel.
"""

from __future__ import annotations

import io
import time
from typing import Any

import numpy as np
import zxingcpp
from PIL import Image, ImageOps, UnidentifiedImageError

from bot.images.model import Box, ImageLimits, Page, Refusal, Seen

try:  # HEIC/HEIF, the iPhone camera's format; optional, so the rest works without it.
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF = True
except ImportError:  # pragma: no cover - depends on the install
    HEIF = False

FORMATS = frozenset({"PNG", "JPEG", "MPO", "WEBP", "HEIF", "GIF", "BMP", "TIFF"})

# Settings measured on phone screenshots: the direction classifier only helps upside-down text
# (a screenshot never is); detection on the longest side at 960 px reads a phone screen's text
# and is twice as fast as the default; one thread, because the bot's machine has few cores.
# Recognising one line at a time instead of six padded to the widest is faster (0.73 s of CPU
# per phone screenshot instead of 0.94) and holds less memory (a peak of 380 MB, not 575).
OCR_PARAMS: dict[str, Any] = {
    "Global.use_cls": False,
    "Global.log_level": "error",
    "Det.limit_type": "max",
    "Det.limit_side_len": 960,
    "Rec.rec_batch_num": 1,
    "EngineConfig.onnxruntime.intra_op_num_threads": 1,
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
}

# A screenshot taller than this (height / width) is a scrolled capture of a long mail: read it in
# overlapping slices, else detection would shrink its text to nothing.
TALL = 2.4
SLICE = 2.0  # a slice's height, in widths
MIN_SLICE = 960  # pixels: a narrow strip is not cut finer than this
MAX_SLICES = 10  # about 10 s of reading; a longer capture is refused as too big
OVERLAP = 0.15  # of a slice, read twice; each line is kept from the slice that holds it whole
MAX_QR = 8
MAX_QR_CHARS = 4096
LARGE_JPEG = 16_000_000  # pixels past which a JPEG is decoded at half size (text stays legible)


class Vision:
    """Loaded models and the limits they work within."""

    def __init__(self, limits: ImageLimits) -> None:
        import cv2
        from rapidocr import RapidOCR

        cv2.setNumThreads(1)
        self.limits = limits
        # `load` checks the size from the header itself, before decoding, and says what it is.
        Image.MAX_IMAGE_PIXELS = None
        self.ocr = RapidOCR(params=OCR_PARAMS)
        self.warm_up()

    def warm_up(self) -> None:
        """Load the detection and recognition models now, so the first person does not wait."""
        canvas = np.full((64, 256, 3), 255, np.uint8)
        canvas[24:40, 16:240] = 0
        self.ocr(canvas)

    def read(self, data: bytes) -> Page | Refusal:
        started = time.perf_counter()
        image = load(data, self.limits)
        if isinstance(image, Refusal):
            return image
        height, width = image.shape[:2]
        if slices(width, height) > MAX_SLICES:
            return Refusal("too_big", f"{width}x{height} pixels: too long to read in one go")
        seen = [*self.text(image), *qr_codes(image)]
        return Page(width, height, tuple(seen), time.perf_counter() - started)

    def text(self, image: np.ndarray) -> list[Seen]:
        height, width = image.shape[:2]
        if height <= TALL * width:
            return self._lines(image, 0)
        size, step = _slicing(width)
        half = (size - step) / 2
        found: list[Seen] = []
        for top in range(0, height, step):
            bottom = min(top + size, height)
            for line in self._lines(image[top:bottom], top):
                # Each line from the one slice where it is away from the cut.
                upper_ok = top == 0 or line.box.middle >= top + half
                lower_ok = bottom == height or line.box.middle < bottom - half
                if upper_ok and lower_ok:
                    found.append(line)
            if bottom == height:
                break
        return found

    def _lines(self, image: np.ndarray, offset: int) -> list[Seen]:
        result = self.ocr(np.ascontiguousarray(image))
        boxes, texts, scores = (getattr(result, k, None) for k in ("boxes", "txts", "scores"))
        if boxes is None or texts is None or scores is None:
            return []
        quads = level(np.asarray(boxes, dtype=np.float64).reshape(-1, 4, 2))
        lines = []
        for quad, text, score in zip(quads, texts, scores, strict=True):
            xs, ys = quad[:, 0], quad[:, 1] + offset
            box = Box(float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
            lines.append(Seen(str(text).strip(), box, "text", float(score)))
        return [line for line in lines if line.text]


def _slicing(width: int) -> tuple[int, int]:
    """The height of a slice of a tall capture, and how far apart slices start."""
    size = max(int(SLICE * width), MIN_SLICE)
    return size, int(size * (1 - OVERLAP))


def slices(width: int, height: int) -> int:
    """How many slices a capture is read in (1 for an image that is not tall)."""
    if height <= TALL * width:
        return 1
    size, step = _slicing(width)
    return 1 + max(0, -(-(height - size) // step))


def level(quads: np.ndarray) -> np.ndarray:
    """Turn the text boxes of a photo taken at an angle so that their lines run level, so rows
    can be told apart by height. The angle is the median slope of the longer lines' top edges
    (corners come clockwise from the top left)."""
    if not len(quads):
        return quads
    top = quads[:, 1] - quads[:, 0]
    length = np.hypot(top[:, 0], top[:, 1])
    height = np.hypot(*(quads[:, 3] - quads[:, 0]).T)
    long = length > 2 * height
    if not long.any():
        return quads
    angle = float(np.median(np.arctan2(top[long, 1], top[long, 0])))
    if abs(angle) < np.radians(1):
        return quads
    cos, sin = np.cos(-angle), np.sin(-angle)
    turn = np.array([[cos, -sin], [sin, cos]])
    levelled: np.ndarray = quads @ turn.T
    return levelled


def load(data: bytes, limits: ImageLimits) -> np.ndarray | Refusal:
    """The image upright (EXIF orientation applied) as a BGR array, or why not."""
    if len(data) > limits.max_bytes:
        return Refusal("too_big", f"{len(data)} bytes; the limit is {limits.max_bytes}")
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in FORMATS:
            return Refusal("unreadable", f"{image.format} images are not read")
        width, height = image.size
        if width * height > limits.max_pixels:
            return Refusal("too_big", f"{width}x{height} pixels; the limit is {limits.max_pixels}")
        if image.format == "JPEG" and width * height > LARGE_JPEG:
            image.draft("RGB", (width // 2, height // 2))
        image.load()
        return _bgr(ImageOps.exif_transpose(image))
    except UnidentifiedImageError:
        return Refusal("unreadable", "not an image")
    except (OSError, ValueError, SyntaxError, EOFError) as e:
        return Refusal("unreadable", f"the image is damaged ({type(e).__name__})")


def _bgr(image: Image.Image) -> np.ndarray:
    """Three 8-bit channels, blue first (what OpenCV and RapidOCR expect). A transparent
    background becomes white under dark text and black under light text, so text keeps its
    contrast either way."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = np.asarray(image.convert("RGBA"), dtype=np.float32)
        alpha = rgba[..., 3:] / 255.0
        visible = rgba[..., 3] > 0
        rgb = rgba[..., :3]
        light = bool(visible.any()) and float((rgb[visible] @ [0.299, 0.587, 0.114]).mean()) > 128
        background = 0.0 if light else 255.0
        rgb = (rgb * alpha + background * (1 - alpha)).astype(np.uint8)
    else:
        rgb = np.asarray(image.convert("RGB"))
    return np.ascontiguousarray(rgb[..., ::-1])


def qr_codes(image: np.ndarray) -> list[Seen]:
    """The QR codes in the image (any angle, blurred, light on dark), top to bottom."""
    formats = zxingcpp.BarcodeFormat.QRCode | zxingcpp.BarcodeFormat.MicroQRCode
    codes = zxingcpp.read_barcodes(image, formats=formats)
    found: list[Seen] = []
    for code in codes[:MAX_QR]:
        text = code.text.strip()[:MAX_QR_CHARS]
        if not text or not code.valid:
            continue
        p = code.position
        xs = [p.top_left.x, p.top_right.x, p.bottom_right.x, p.bottom_left.x]
        ys = [p.top_left.y, p.top_right.y, p.bottom_right.y, p.bottom_left.y]
        found.append(Seen(text, Box(min(xs), min(ys), max(xs), max(ys)), "qr"))
    return sorted(found, key=lambda s: (s.box.top, s.box.left))
