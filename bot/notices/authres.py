"""Authentication-Results (RFC 8601): read the header, and keep only what the person's own
receiving service wrote.

Theory of operation: anyone can write an Authentication-Results header into a mail before
sending it, and anyone can type one into a message's text. What a receiving server writes sits
at the top of the mail, because each server adds its headers above the ones it received. So the
headers are walked from the top: Received headers name the server that added them ("by" host),
and the walk stops at the first one added by a server outside the receiving service. Results
count only when they come before that point, were written by a known receiving service (a list
in flows/reader), and say one thing per check: a check given twice with different results is not
believed. Comments are removed before reading (they are free text: a sender can put "dmarc=pass"
in its HELO name and have it copied into one).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.content.readermodel import Receiver

# A value (RFC 2045 token or quoted string), and the pieces of a result.
_TOKEN = r'[^\s()<>@,;:\\"/\[\]?=]+'
_METHOD = re.compile(rf"^\s*({_TOKEN})(?:\s*/\s*\d+)?\s*=\s*({_TOKEN})", re.ASCII)
_PROP = re.compile(
    rf'({_TOKEN})\s*\.\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s;]+)', re.ASCII | re.DOTALL
)
_BY = re.compile(r"\bby\s+([^\s;()]+)", re.IGNORECASE)
_SINGLE = ("spf", "dmarc", "iprev", "arc")  # one result each per receiving server
_MAX_HEADERS = 64


@dataclass(frozen=True)
class MethodResult:
    """One check and its outcome, with its properties (header.from=example.com, ...)."""

    method: str
    result: str
    props: tuple[tuple[str, str], ...] = ()

    def prop(self, name: str) -> str:
        return next((v for k, v in self.props if k == name), "")


@dataclass(frozen=True)
class AuthHeader:
    authserv_id: str  # "" when the header starts with a result (Exchange Online writes so)
    results: tuple[MethodResult, ...]


@dataclass(frozen=True)
class Checked:
    """What the person's receiving service found: trusted results per check."""

    receiver: str = ""  # the receiving service's name; "" when no result is trusted
    results: tuple[MethodResult, ...] = ()
    conflicts: tuple[str, ...] = ()  # checks given twice with different results
    untrusted: str = ""  # who wrote results that were present but not believed
    damaged: bool = False  # a header in the service's name could not be read

    def first(self, method: str) -> MethodResult | None:
        return next((r for r in self.results if r.method == method), None)

    def all(self, method: str) -> tuple[MethodResult, ...]:
        return tuple(r for r in self.results if r.method == method)


_INNERMOST = re.compile(r"\([^()\\\"]*\)")


def strip_comments(value: str) -> str | None:
    """The value with (nested) comments removed; None when a comment or a quote never ends."""
    if "(" not in value and ")" not in value:
        return None if value.count('"') % 2 else value
    if '"' not in value and "\\" not in value:
        # No quoting to respect: remove innermost comments until none is left.
        while True:
            stripped = _INNERMOST.sub(" ", value)
            if stripped == value:
                break
            value = stripped
        return None if "(" in value else value
    out: list[str] = []
    depth = 0
    quoted = False
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and (quoted or depth):
            if not depth:
                out.append(value[i : i + 2])
            i += 2
            continue
        if quoted:
            out.append(ch)
            quoted = ch != '"'
        elif ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if not depth:
                out.append(" ")
        elif not depth:
            out.append(ch)
            quoted = ch == '"'
        i += 1
    if depth or quoted:
        return None
    return "".join(out)


def _split(value: str) -> list[str]:
    """Split on semicolons outside quoted strings."""
    parts: list[str] = []
    quoted = False
    start = 0
    for i, ch in enumerate(value):
        if ch == '"' and (i == 0 or value[i - 1] != "\\"):
            quoted = not quoted
        elif ch == ";" and not quoted:
            parts.append(value[start:i])
            start = i + 1
    parts.append(value[start:])
    return parts


def parse(value: str) -> AuthHeader | None:
    """One Authentication-Results header; None when it cannot be read."""
    bare = strip_comments(" ".join(value.split()))
    if bare is None:
        return None
    parts = _split(bare)
    head = parts[0].strip()
    authserv_id = ""
    if head and not _METHOD.match(head):
        authserv_id = head.split()[0].strip('"').lower()
        parts = parts[1:]
    results: list[MethodResult] = []
    for part in parts:
        m = _METHOD.match(part)
        if m is None:
            if part.strip() and part.strip().lower() != "none":
                return None
            continue
        rest = part[m.end() :]
        props = tuple(
            (f"{p[1].lower()}.{p[2].lower()}", p[3].strip('"').lower().lstrip("@"))
            for p in (_PROP.match(rest, k.start()) for k in re.finditer(r"\S+", rest))
            if p is not None
        )
        results.append(MethodResult(m[1].lower(), m[2].lower(), props))
    return AuthHeader(authserv_id, tuple(results))


def _under(host: str, domains: Sequence[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def _writes(receiver: Receiver, authserv_id: str) -> bool:
    if not authserv_id:
        return receiver.no_authserv_id
    for pattern in receiver.authserv_ids:
        if pattern.startswith("*."):
            if authserv_id.endswith(pattern[1:]):
                return True
        elif authserv_id == pattern:
            return True
    return False


# What _by_host gives for a server named only by its address (a service's internal hop).
AN_ADDRESS = "[address]"


def _by_host(received: str) -> str:
    """The host a Received header says added it; AN_ADDRESS for an address; "" when it names
    none (a damaged or made-up header)."""
    m = _BY.search(received)
    if m is None:
        return ""
    host = m[1].strip("[].").lower()
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host if "." in host else ""
    return AN_ADDRESS


def _delivered_by(
    trace: Sequence[tuple[str, str]], receivers: Sequence[Receiver]
) -> Receiver | None:
    """The service whose server added the topmost Received header that names its server."""
    for name, value in trace:
        if name == "received":
            host = _by_host(strip_comments(value) or value)
            if host and host != AN_ADDRESS:
                return next((r for r in receivers if _under(host, r.hosts)), None)
    return None


def receiver_results(trace: Sequence[tuple[str, str]], receivers: Sequence[Receiver]) -> Checked:
    """The results the person's receiving service wrote. `trace` holds the mail's Received and
    Authentication-Results headers, top first, as (lower-case name, value).

    The receiving service is the one that delivered the mail: the topmost Received header that
    names its server says which. Without one (headers lost or damaged) nothing is believed."""
    trace = trace[: _MAX_HEADERS * 4]
    service = _delivered_by(trace, receivers)
    if service is None:
        return Checked(untrusted=_first_writer(trace))
    kept: list[AuthHeader] = []
    untrusted = ""
    damaged = False
    for name, value in trace:
        if name == "received":
            host = _by_host(strip_comments(value) or value)
            if host == AN_ADDRESS:
                continue  # a hop inside the service, named by its address
            if not host or not _under(host, service.hosts):
                # Added by a server outside the receiving service, or by one it does not name:
                # what lies below may be the sender's own writing.
                break
            continue
        header = parse(value)
        if header is None:
            damaged = damaged or _claims(service, value)
            continue
        if not _writes(service, header.authserv_id):
            untrusted = untrusted or header.authserv_id or "?"
            continue
        kept.append(header)
        if len(kept) >= _MAX_HEADERS:
            break
    if not kept:
        return Checked(untrusted=untrusted)
    results, conflicts = _merge(kept)
    return Checked(service.name, results, conflicts, untrusted, damaged)


def _claims(service: Receiver, value: str) -> bool:
    """Whether a header that could not be read says it is the service's own."""
    first = value.strip().split(";", 1)[0].strip().lower()
    return _writes(service, first) or (service.no_authserv_id and "=" in first)


def _first_writer(trace: Sequence[tuple[str, str]]) -> str:
    """Who wrote the first results in `trace`, to name them as not believed."""
    for name, value in trace:
        if name == "authentication-results":
            header = parse(value)
            return (header.authserv_id or "?") if header is not None else "?"
    return ""


def _merge(headers: list[AuthHeader]) -> tuple[tuple[MethodResult, ...], tuple[str, ...]]:
    """One result per check (per signature for DKIM); a check said two ways is dropped."""
    seen: dict[tuple[str, str], MethodResult] = {}
    conflicts: list[str] = []
    for header in headers:
        for r in header.results:
            key = (r.method, "" if r.method in _SINGLE else r.prop("header.d") + r.prop("header.b"))
            old = seen.get(key)
            if old is None:
                seen[key] = r
            elif old.result != r.result and r.method not in conflicts:
                conflicts.append(r.method)
    results = tuple(r for (method, _), r in seen.items() if method not in conflicts)
    return results, tuple(conflicts)
