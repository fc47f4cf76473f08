"""Just enough HTTP/1.1 on asyncio streams for a Bot API client: requests in, responses out."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import parse_qsl, urlsplit

# Bots may upload 50 MB; leave room for the multipart framing around it.
MAX_BODY = 52 * 1024 * 1024
_HEADER_END = b"\r\n\r\n"


class BadHttp(Exception):
    """The bytes on the wire are not a request we can answer; the connection gets closed."""

    def __init__(self, status: HTTPStatus, detail: str) -> None:
        super().__init__(detail)
        self.status = status


class BadBody(ValueError):
    """The request is well-formed HTTP but its body cannot be decoded into parameters."""


@dataclass(frozen=True)
class Request:
    method: str
    target: str
    version: str
    headers: Mapping[str, str]  # names lowercased; repeated headers joined with ", "
    body: bytes

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> str:
        return urlsplit(self.target).query

    @property
    def keep_alive(self) -> bool:
        tokens = {t.strip().lower() for t in self.headers.get("connection", "").split(",")}
        if self.version == "HTTP/1.0":
            return "keep-alive" in tokens
        return "close" not in tokens


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = "application/json"


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart/form-data body."""

    filename: str
    content_type: str
    data: bytes

    def __repr__(self) -> str:
        # The bytes can be megabytes; keep assertion failures readable.
        return f"Upload({self.filename!r}, {self.content_type!r}, {len(self.data)} bytes)"


async def read_request(reader: asyncio.StreamReader) -> Request | None:
    """Read one request; None when the client closed the connection between requests."""
    try:
        head = await reader.readuntil(_HEADER_END)
    except asyncio.IncompleteReadError as error:
        if not error.partial.strip():
            return None
        raise BadHttp(HTTPStatus.BAD_REQUEST, "connection closed inside the request head") from None
    except asyncio.LimitOverrunError:
        too_large = HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
        raise BadHttp(too_large, "request head too large") from None

    lines = head[: -len(_HEADER_END)].decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise BadHttp(HTTPStatus.BAD_REQUEST, f"malformed request line {lines[0]!r}")
    method, target, version = parts
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not name or name != name.strip():
            raise BadHttp(HTTPStatus.BAD_REQUEST, f"malformed header line {line!r}")
        key = name.lower()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()

    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = await _read_chunked(reader)
    else:
        try:
            length = int(headers.get("content-length", "0"))
        except ValueError:
            raise BadHttp(HTTPStatus.BAD_REQUEST, "malformed Content-Length") from None
        if length < 0:
            raise BadHttp(HTTPStatus.BAD_REQUEST, "negative Content-Length")
        if length > MAX_BODY:
            raise BadHttp(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "request body too large")
        body = await _read_exactly(reader, length)
    return Request(method.upper(), target, version, headers, body)


async def _read_exactly(reader: asyncio.StreamReader, size: int) -> bytes:
    try:
        return await reader.readexactly(size)
    except asyncio.IncompleteReadError:
        raise BadHttp(HTTPStatus.BAD_REQUEST, "connection closed inside the body") from None


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    while True:
        try:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";", 1)[0].strip(), 16)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            raise BadHttp(HTTPStatus.BAD_REQUEST, "malformed chunked body") from None
        if size == 0:
            break
        if len(body) + size > MAX_BODY:
            raise BadHttp(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "request body too large")
        body += await _read_exactly(reader, size + 2)
        del body[-2:]
    # Trailer fields are allowed after the last chunk; nothing here needs them.
    while (await _read_line(reader)) != b"\r\n":
        pass
    return bytes(body)


async def _read_line(reader: asyncio.StreamReader) -> bytes:
    try:
        return await reader.readuntil(b"\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        raise BadHttp(HTTPStatus.BAD_REQUEST, "malformed chunked trailer") from None


async def write_response(
    writer: asyncio.StreamWriter, response: Response, *, keep_alive: bool
) -> None:
    phrase = HTTPStatus(response.status).phrase
    head = (
        f"HTTP/1.1 {response.status} {phrase}\r\n"
        f"Content-Type: {response.content_type}\r\n"
        f"Content-Length: {len(response.body)}\r\n"
        f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n"
        "\r\n"
    )
    writer.write(head.encode("latin-1") + response.body)
    await writer.drain()


def decode_parameters(request: Request) -> dict[str, object]:
    """Merge query-string and body parameters, the way the Bot API accepts them.

    Form and multipart values stay strings (files become Upload); JSON bodies keep their types.
    Typing strings is the method's job, because only it knows which parameter is a number.
    """
    parameters: dict[str, object] = dict(parse_qsl(request.query, keep_blank_values=True))
    if not request.body:
        return parameters
    media_type, _, options = request.headers.get("content-type", "").partition(";")
    media_type = media_type.strip().lower()
    if media_type == "application/json":
        try:
            document = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as error:
            raise BadBody(f"can't parse JSON body: {error}") from None
        if not isinstance(document, dict):
            raise BadBody("JSON body must be an object")
        parameters.update(document)
    elif media_type == "application/x-www-form-urlencoded":
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadBody("form body is not UTF-8") from None
        parameters.update(parse_qsl(text, keep_blank_values=True))
    elif media_type == "multipart/form-data":
        parameters.update(_parse_multipart(request.body, _header_options(options)))
    else:
        raise BadBody(f"unsupported Content-Type {media_type!r}")
    return parameters


# name="value" with backslash escapes inside the quotes, or a bare name=value token.
_OPTION = re.compile(r'\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))\s*(?:;|$)')
# Browsers and httpx percent-encode quotes and control characters inside quoted values.
_FORM_ESCAPE = re.compile(r"%(22|0[0-9A-F]|1[0-9A-F])")


def _header_options(text: str) -> dict[str, str]:
    options: dict[str, str] = {}
    for match in _OPTION.finditer(text):
        name, quoted, bare = match.groups()
        if quoted is not None:
            value = re.sub(r"\\(.)", r"\1", quoted)
            value = _FORM_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
        else:
            value = bare.strip()
        options[name.lower()] = value
    return options


def _parse_multipart(body: bytes, options: Mapping[str, str]) -> dict[str, object]:
    boundary = options.get("boundary")
    if not boundary:
        raise BadBody("multipart body without a boundary")
    delimiter = b"--" + boundary.encode("latin-1")
    sections = body.split(delimiter)
    # sections[0] is the preamble; the closing delimiter leaves a section starting with "--".
    if len(sections) < 2 or not sections[-1].startswith(b"--"):
        raise BadBody("multipart body is not terminated")
    fields: dict[str, object] = {}
    for section in sections[1:-1]:
        if not section.startswith(b"\r\n") or not section.endswith(b"\r\n"):
            raise BadBody("malformed multipart section")
        head, separator, content = section[2:-2].partition(_HEADER_END)
        if not separator:
            # A part with no headers cannot carry a name; Telegram would ignore it too.
            continue
        part_headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, _, value = line.partition(":")
            part_headers[name.strip().lower()] = value.strip()
        disposition, _, disposition_options = part_headers.get("content-disposition", "").partition(
            ";"
        )
        if disposition.strip().lower() != "form-data":
            continue
        names = _header_options(disposition_options)
        field_name = names.get("name")
        if field_name is None:
            continue
        if "filename" in names:
            fields[field_name] = Upload(
                filename=names["filename"],
                content_type=part_headers.get("content-type", "application/octet-stream"),
                data=content,
            )
        else:
            fields[field_name] = content.decode("utf-8", "replace")
    return fields
