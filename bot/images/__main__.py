"""Read screenshots from the command line, as the bot would: `python -m bot.images FILE...`.

Several files are read as one album, in order. Prints the text with where each part came from,
or why the images were not read (exit status 1). For admins checking what the bot makes of a
screenshot, offline.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.images.model import ImageReading, Refusal
from bot.images.reader import ImageReader


async def read(paths: list[Path]) -> ImageReading | Refusal:
    reader = ImageReader()
    try:
        return await reader.read_album([path.read_bytes() for path in paths])
    finally:
        await reader.close()


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv else 2
    paths = [Path(a) for a in argv]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    result = asyncio.run(read(paths))
    if isinstance(result, Refusal):
        print(f"not read: {result.reason} ({result.detail})", file=sys.stderr)
        return 1
    for span in result.spans:
        where = "QR code" if span.source == "qr" else "text"
        print(f"--- image {span.image + 1}, {where}")
        print(result.text[span.start : span.end])
    for refusal in result.skipped:
        print(f"--- image {refusal.image + 1} not read: {refusal.reason} ({refusal.detail})")
    print(f"--- {result.images} image(s) read in {result.seconds:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
