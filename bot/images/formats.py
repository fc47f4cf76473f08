"""Tell an image from anything else by its first bytes, before it goes to the worker."""

from __future__ import annotations

# ISO base media files (HEIC, AVIF) name their brand at bytes 8-12, after "ftyp".
_HEIF_BRANDS = {
    b"heic": "HEIF",
    b"heix": "HEIF",
    b"hevc": "HEIF",
    b"hevx": "HEIF",
    b"heim": "HEIF",
    b"heis": "HEIF",
    b"mif1": "HEIF",
    b"msf1": "HEIF",
    b"avif": "AVIF",
    b"avis": "AVIF",
}


def sniff(data: bytes) -> str | None:
    """The image format `data` starts like (PNG, JPEG, WEBP, HEIF, AVIF, GIF, BMP, TIFF)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp":
        return _HEIF_BRANDS.get(data[8:12])
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:2] == b"BM" and len(data) > 26:
        return "BMP"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    return None
