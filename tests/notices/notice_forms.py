"""Build the forms a notice arrives in: its body alone, pasted with headers, or an .eml file."""

from __future__ import annotations

import re
from email.message import EmailMessage

from notice_corpus import Sample

# The person reads their mail at Gmail, whose receiving servers the reader trusts
# (flows/reader/receivers.yaml).
RECEIVER = "mx.google.com"


def pasted(s: Sample) -> str:
    lines = [f"From: {s.sender}", f"Subject: {s.subject}"]
    if s.reply_to:
        lines.append(f"Reply-To: {s.reply_to}")
    return "\n".join(lines) + "\n\n" + s.body


def eml(s: Sample, auth: str | None = None, charset: str = "utf-8") -> bytes:
    """An .eml file with the receiving server's checks. `auth` defaults to what a real receiver
    would say: pass for the domain the mail really came from."""
    found = re.findall(r"@([\w.-]+)", s.sender)
    domain = found[-1].rstrip(">") if found else "unknown.invalid"
    msg = EmailMessage()
    if auth is None:
        auth = (
            f"spf=pass smtp.mailfrom={domain}; dkim=pass header.d={domain}; "
            f"dmarc=pass header.from={domain}"
        )
    msg["Authentication-Results"] = f"{RECEIVER}; {auth}"
    msg["Received"] = f"from out.{domain} (out.{domain} [203.0.113.9]) by {RECEIVER}"
    msg["From"] = s.sender
    msg["To"] = "me@example-isp.jp"
    msg["Subject"] = s.subject
    msg["Date"] = "Sat, 14 Mar 2026 10:12:00 +0900"
    if s.reply_to:
        msg["Reply-To"] = s.reply_to
    msg.set_content(s.body, charset=charset)
    return msg.as_bytes()


def forms(s: Sample) -> dict[str, bytes | str]:
    return {"body": s.body, "pasted": pasted(s), "eml": eml(s)}
