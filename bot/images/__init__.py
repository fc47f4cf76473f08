"""Screenshots and QR codes, read offline in a worker process and turned into notice text.

`reader.ImageReader.read(image_bytes)` gives a `model.ImageReading` (the text in reading order,
the QR payloads, and which part came from where) or a `model.Refusal` (too_big, unreadable,
busy, timeout, failed, unavailable). `model`, `layout`, `formats` and `protocol` are pure;
`reader` is the bot's asyncio side; `worker` and `vision` run in the worker process only, so the
bot never imports the OCR libraries. This file imports nothing, to keep the pure parts pure.
"""
