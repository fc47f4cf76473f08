"""The notice reader: read, recognise, judge, extract. `analyse` is the one entry point.

Theory of operation: the intake reads the bytes into a Document (intake.py); the recognise step
names the kind from the wording (recognise.py); the judge step weighs the claim, the links, the
sender and the headers into a verdict with reasons (judging.py); the extract step pulls out the
facts a walkthrough needs. No exception escapes: what cannot be read becomes a note ("I could not
read part of this") beside what could, and a notice that cannot be read at all a friendly refusal.
The work is bounded by a Budget the caller may give a deadline through.
"""

from __future__ import annotations

from dataclasses import replace

from bot.content.model import Library, NoticeKind, Text
from bot.notices import facts as F
from bot.notices.analysis import (
    UNKNOWN_KIND,
    UNKNOWN_WALKTHROUGH,
    Analysis,
    Glossed,
    Link,
    Unreadable,
)
from bot.notices.budget import Budget
from bot.notices.decode import decode_text
from bot.notices.index import LibraryIndex, index_for
from bot.notices.intake import MAX_BYTES, Document, Refused, read
from bot.notices.judge import ordered
from bot.notices.judging import LINK_ASKS, Judged, in_scope, judge
from bot.notices.known import Known
from bot.notices.pasted import from_text
from bot.notices.recognise import Hits, Recognition, has_words, recognise

MAX_GLOSSES = 8


def _reply_channel(asks: list[str], links: list[Link], buttons: bool) -> str:
    web = any(lk.scheme != "mailto" for lk in links)
    replies = "reply_with_credentials" in asks or "reply_message" in asks
    if replies or (links and all(lk.scheme == "mailto" for lk in links)):
        return "email"
    if "contact_support_form" in asks:
        return "web_form"
    if any(a in asks for a in LINK_ASKS):
        return "link"
    if "contact_phone" in asks:
        return "phone"
    if buttons or (asks and web):
        return "link"
    return "none"


def unreadable(lib: Library, reason: str) -> Unreadable:
    text = lib.texts.get(f"unreadable_{reason}")
    if text is None:
        text = Text.same(reason)
    limit = f"{MAX_BYTES // (1024 * 1024)} MiB"
    filled = Text({lang: v.replace("{limit}", limit) for lang, v in text.by_lang.items()})
    return Unreadable(reason, filled)


def analyse(
    lib: Library,
    raw: bytes | str,
    *,
    origin: str | None = None,
    filename: str | None = None,
    budget: Budget | None = None,
    known: Known | None = None,
) -> Analysis | Unreadable:
    """Read one notice and say what it is, whether it looks genuine, and what it asks.

    Never raises on any input: a notice it cannot read at all is an Unreadable with a message
    for the person; one it can read only in part is judged from that part, with a note.
    `known` is the admin's lists of phishing links and marked campaigns, when there are any."""
    budget = budget or Budget()
    doc: Document | None
    try:
        doc = read(raw, origin, filename)
    except Refused as e:
        return unreadable(lib, e.reason)
    except Exception:  # the intake's own fallbacks failed: read the bytes as plain words
        doc = _as_plain_text(raw, origin)
    if doc is None:
        return unreadable(lib, "unreadable")
    if not has_words(doc):
        return unreadable(lib, "no_words")
    idx = index_for(lib)
    try:
        return _analyse(lib, idx, doc, budget, known)
    except Exception:  # whatever went wrong, judge the plain words rather than say nothing
        plain = _as_plain_text(raw, origin)
        if plain is None:
            return unreadable(lib, "unreadable")
        try:
            left = Budget(budget.left if budget.left > 0 else 1000)
            return _analyse(lib, idx, plain, left, known)
        except Exception:
            return unreadable(lib, "unreadable")


def _as_plain_text(raw: bytes | str, origin: str | None) -> Document | None:
    """The notice read as words only (no MIME, no markup), marked as partly unreadable."""
    try:
        text = raw if isinstance(raw, str) else decode_text(raw[:MAX_BYTES])
        doc = from_text(
            text[:MAX_BYTES], "telegram" if origin is not None else "text", origin or ""
        )
    except Exception:
        return None
    if not doc.body.strip() and doc.sender is None:
        return None
    return replace(doc, broken=(*doc.broken, "reader"))


def _analyse(
    lib: Library, idx: LibraryIndex, doc: Document, budget: Budget, known: Known | None
) -> Analysis:
    rec = recognise(idx, doc)
    j = judge(lib, idx, doc, rec, budget, known)
    return _extract(idx, doc, rec, j)


def _facts(
    rec: Recognition, doc: Document, j: Judged, restriction: str, phones: list[str]
) -> dict[str, str]:
    kind, full, accounts = rec.kind, rec.full, j.accounts
    if kind is not None and kind.id == "bounce_backscatter":
        # A bounce's text names the addresses the failed mail went to (a spammer's targets when
        # the address was faked): only the address the bounce itself came to is the person's.
        accounts = [a for a in accounts if a in doc.to]
    notice_date = F.header_date(doc.date)
    all_dates = F.dates(full)
    refs = F.references(full)
    values: dict[str, str] = {
        "account": accounts[0] if accounts else "",
        "accounts": ", ".join(accounts[:5]),
        "notice_date": notice_date or (all_dates[0] if all_dates else ""),
        "dates": ", ".join(all_dates[:8]),
        "restriction": restriction,
        "reference": refs[0] if refs else "",
        "amount": next(iter(F.amounts(full)), ""),
        "sign_in_ip": F.sign_in_ip(full) or "",
        "notice_phones": ", ".join(phones[:5]),
    }
    wanted = set(kind.facts) if kind is not None and kind.facts else set(values)
    facts = {k: v for k, v in values.items() if k in wanted and v}
    provider = j.provider
    if provider is None:
        # Not a provider in the directory: the name it gives itself, so that a draft about it
        # (a lure report) never asks the person for a name the notice already gave.
        named = F.named_sender(doc.sender.name if doc.sender else "", doc.subject, doc.body)
        if named:
            facts["provider_name"] = named
    if provider is not None:
        facts["provider"] = provider.id
        facts["provider_name"] = provider.names.get(rec.language)
        phone = provider.channel("phone")
        form = provider.channel("web_form")
        if phone is not None:
            facts["support_phone"] = phone.value
        if form is not None:
            facts["support_form"] = form.value
    return facts


def _extract(idx: LibraryIndex, doc: Document, rec: Recognition, j: Judged) -> Analysis:
    """The facts a walkthrough needs, the glosses, and the whole analysis as one value."""
    kind = rec.kind
    restriction = None
    for _, x, owner in sorted(rec.hits.restrictions, key=lambda t: t[0]):
        if in_scope(owner, kind, idx):
            restriction = x
            break
    phones = j.phones
    quote_src = rec.full if len(rec.lowered) == len(rec.full) else rec.lowered
    return Analysis(
        kind=kind.id if kind else UNKNOWN_KIND,
        confidence=rec.confidence,
        verdict=j.verdict,
        reasons=ordered(j.reasons, j.verdict),
        provider=j.provider.id if j.provider else None,
        facts=_facts(rec, doc, j, restriction.id if restriction else "", phones),
        asks_for=tuple(j.asks),
        reply_channel=_reply_channel(j.asks, j.links, j.buttons),
        links=tuple(j.links),
        phones=tuple(phones),
        walkthrough=(kind.walkthrough if kind and kind.walkthrough else UNKNOWN_WALKTHROUGH),
        language=rec.language,
        title=kind.title if kind else Text({}),
        runner_up=rec.runner_up,
        candidates=rec.candidates,
        restriction=restriction.text if restriction else None,
        glosses=_glosses(idx, rec.hits, kind, rec.body, quote_src, rec.head_subject),
        sender=doc.sender.address if doc.sender else "",
        subject=doc.subject,
        text=doc.body,
        fingerprint=j.fingerprint,
    )


def _glosses(
    idx: LibraryIndex,
    h: Hits,
    kind: NoticeKind | None,
    body: str,
    quote_src: str,
    body_at: int,
) -> tuple[Glossed, ...]:
    spans = F.paragraphs(body)
    hits = sorted(
        (start, end, g, owner) for start, end, g, owner in h.glosses if in_scope(owner, kind, idx)
    )
    out: list[Glossed] = []
    seen: set[str] = set()
    covered: list[tuple[int, int]] = []
    for start, end, g, _owner in hits:
        quote = " ".join(quote_src[start:end].split())
        if len(quote) > 60:
            quote = quote[:58] + "…"
        # One reading per phrase: two glosses of overlapping words would say the same thing twice.
        if quote in seen or any(a < end and start < b for a, b in covered):
            continue
        seen.add(quote)
        covered.append((start, end))
        para = -1
        if start >= body_at:
            pos = start - body_at
            para = next((i for i, (a, b) in enumerate(spans) if a <= pos < b + 1), len(spans))
        out.append(Glossed(para, quote, g.text))
        if len(out) >= MAX_GLOSSES:
            break
    return tuple(out)
