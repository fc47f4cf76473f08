"""The notice reader: read, recognize, pull out facts, judge. `analyse` is the one entry point."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.content.model import Library, NoticeKind, Provider, Text, fill
from bot.notices import facts as F
from bot.notices.analysis import (
    UNKNOWN_KIND,
    UNKNOWN_WALKTHROUGH,
    Analysis,
    Glossed,
    Link,
    Unreadable,
)
from bot.notices.domains import find_links, host_of, registrable, scheme_of
from bot.notices.index import LibraryIndex, index_for
from bot.notices.intake import MAX_BYTES, Document, Refused, read
from bot.notices.judge import (
    Reasons,
    claim,
    judge_headers,
    judge_links,
    judge_sender,
    ordered,
    provider_text,
    verdict,
)
from bot.notices.recognise import Hits, Recognition, has_words, recognise

MAX_GLOSSES = 8
_LINK_ASKS = ("click_link_login", "verify_identity", "update_payment_info")
_RISKY_ATTACHMENT = re.compile(
    r"\.(?:html?|shtml|svg|zip|rar|7z|exe|scr|js|vbs|bat|cmd|iso|img|lnk|hta|docm|xlsm|pptm|jar|"
    r"msi|ps1)$",
    re.IGNORECASE,
)
# A short line that is a button whose link the copy lost: "[SECURE YOUR ACCOUNT]", "UPDATE NOW",
# "Reactivate Your Account", "ご利用確認はこちら".
_BUTTON = re.compile(
    r"^[ \t]*(?:\[[^\]\n]{0,40}[A-Za-z\u3040-\u30ff\u4e00-\u9fff][^\]\n]{0,40}\]"
    r"|[A-Z]{2,}(?: [A-Z']{2,}){1,5}"
    r"|(?i:sign in|log ?in|verify|confirm|update|review|secure|fix|reactivate|restore|unlock|go to|"
    r"keep|report|click|deliver|release|continue|view|check|manage)\b[^.!?\n:]{0,30}"
    r"|[^\n。.!?]{1,24}(?:はこちら|>|→|»))[ \t]*$",
    re.MULTILINE,
)


# "We will never ask for your password": a sentence that rules an action out is not an ask. Nor
# is one that thanks the person for what they already did ("thank you for scanning your
# computer", 「ウイルスチェックにご協力いただき、ありがとうございました」), nor one that tells
# what fake messages ask ("these messages ask you to sign in through a link").
_NEGATED = re.compile(
    r"never ask|will never|won't ask|will not ask|do not need to|don't need to|no need to|"
    r"not (necessary|required)|決して|ことはありません|ことはございません|必要はありません|"
    r"必要はございません|ことは一切|"
    r"thank(?:s| you) for (?:changing|scanning|updating|resetting|completing|checking|taking|"
    r"confirming|verifying|your (?:help|cooperation|patience))|"
    r"(?:いただき|頂き|くださり|下さり|いただいて|頂いて)[、,]?\s?(?:誠に|まことに|大変)?(?:ありがとう|感謝|御礼|お礼)|"
    r"(?:these|such|fake|phishing|fraudulent|scam)(?: text| e-?mail| sms)? "
    r"(?:messages|e-?mails|texts)|"
    r"(?:do not|don't|never) (?:click|tap|open|follow|reply|respond|call|enter|sign|log)|"
    r"(?:クリック|タップ|アクセス|開か|開け|入力|返信|電話)[^。\n]{0,4}(?:しないで|せず|ないで|ないよう)|"
    r"(?:このような|こうした|偽の|不審な|フィッシング)(?:メール|sms|ショートメッセージ|メッセージ)"
)
_SENTENCE_END = re.compile(r"[。.!?\n]")


def _negated(text: str, pos: int) -> bool:
    start = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, pos - 200), pos)), default=0)
    end_match = _SENTENCE_END.search(text, pos)
    end = end_match.start() if end_match else len(text)
    return bool(_NEGATED.search(text, start, end))


def _in_scope(owner: str, kind: NoticeKind | None, idx: LibraryIndex) -> bool:
    return (kind is not None and owner == kind.id) or any(c.id == owner for c in idx.common)


def _name_hits(
    idx: LibraryIndex, h: Hits, head_name: int, head_subject: int, full: str
) -> dict[str, tuple[bool, bool, int]]:
    """Per provider named: (in the sender's name, in the subject, times in the body).

    A name inside a longer name of another provider counts for the longer one only
    ("Yahoo" in "Yahoo! JAPAN").
    """
    if not h.names:
        return {}
    lowered = full.lower()
    found: list[tuple[int, int, str]] = []
    for owner in h.names:
        for i in idx.names_of.get(owner, ()):
            found += [
                (m.start(), m.end(), owner) for m in idx.phrases.patterns[i].finditer(lowered)
            ]
    out: dict[str, tuple[bool, bool, int]] = {}
    for start, end, owner in found:
        if any(
            o != owner and s <= start and end <= e and (e - s) > (end - start) for s, e, o in found
        ):
            continue
        in_name, in_subject, count = out.get(owner, (False, False, 0))
        if start < head_name:
            in_name = True
        elif start < head_subject:
            in_subject = True
        else:
            count += 1
        out[owner] = (in_name, in_subject, count)
    return out


def _reply_channel(asks: list[str], links: list[Link], buttons: bool) -> str:
    web = any(lk.scheme != "mailto" for lk in links)
    replies = "reply_with_credentials" in asks or "reply_message" in asks
    if replies or (links and all(lk.scheme == "mailto" for lk in links)):
        return "email"
    if "contact_support_form" in asks:
        return "web_form"
    if any(a in asks for a in _LINK_ASKS):
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
) -> Analysis | Unreadable:
    """Read one notice and say what it is, whether it looks genuine, and what it asks."""
    try:
        doc = read(raw, origin, filename)
    except Refused as e:
        return unreadable(lib, e.reason)
    if not has_words(doc):
        return unreadable(lib, "no_words")
    return _analyse(lib, index_for(lib), doc)


def _analyse(lib: Library, idx: LibraryIndex, doc: Document) -> Analysis:
    rec = recognise(idx, doc)
    j = _judge(lib, idx, doc, rec)
    return _extract(lib, idx, doc, rec, j)


@dataclass
class _Judged:
    """What the judge step decided: the claim, the links as judged, the asks and the verdict."""

    provider: Provider | None
    links: list[Link]
    accounts: list[str]
    asks: list[str]
    buttons: bool
    reasons: Reasons
    verdict: str


def _asks(idx: LibraryIndex, rec: Recognition) -> list[str]:
    asks: list[str] = []
    for pos, ask, owner in sorted(rec.hits.asks, key=lambda t: t[0]):
        fresh = ask.ask not in asks and _in_scope(owner, rec.kind, idx)
        if fresh and not _negated(rec.lowered, pos):
            asks.append(ask.ask)
    return asks


def _links(doc: Document, bounce: bool) -> list[Link]:
    links = [
        Link(
            url=f.url,
            host=(host := host_of(f.url)),
            domain=registrable(host) if host else "",
            text=f.text,
            scheme=scheme_of(f.url),
        )
        for f in find_links(doc.body, doc.links)
    ]
    # A bounce names mail servers in its transcript; only real addresses are links there.
    return [lk for lk in links if lk.scheme] if bounce else links


def _judge(lib: Library, idx: LibraryIndex, doc: Document, rec: Recognition) -> _Judged:
    """Who the notice claims to be, where its links go, what it asks, and the verdict."""
    bounce = rec.kind is not None and rec.kind.id == "bounce_backscatter"
    links = _links(doc, bounce)
    exclude = {a.address for a in (doc.sender, doc.reply_to) if a is not None}
    exclude |= {lk.url[7:].split("?")[0].lower() for lk in links if lk.scheme == "mailto"}
    accounts = F.accounts(rec.body, exclude, doc.to)
    names = _name_hits(idx, rec.hits, rec.head_name, rec.head_subject, rec.full)
    hosts = [lk.host for lk in links if lk.host]
    c = claim(idx, doc, names, hosts, accounts[0] if accounts else None)
    pname = provider_text(c.provider, lib)
    asks = _asks(idx, rec)
    buttons = bool(_BUTTON.search(doc.body))
    wants_action = any(a in asks for a in _LINK_ASKS) or buttons
    r = Reasons(lib)
    real = doc.source == "eml"
    links = judge_links(idx, links, c.provider, wants_action, r, pname, real_links=real)
    judge_sender(idx, doc, c, accounts, bounce, r, pname)
    judge_headers(idx, doc, c.provider, r, pname)
    for flag, owner, quote in rec.hits.red_flags:
        if owner in rec.flag_scope or _in_scope(owner, rec.kind, idx):
            # A flag's text may quote the words that raised it ("Dear user") as written.
            said = Text({lang: fill(v, {"quote": quote}) for lang, v in flag.text.by_lang.items()})
            r.add_text(flag.code, flag.weight, said)
    if "reply_with_credentials" in asks:
        r.add("asks_credentials", 5.0)
    if "click_link_login" in asks and not any(lk.official for lk in links):
        r.add("asks_login_link", 1.0)
    if doc.hidden_chars >= 3:
        r.add("hidden_text", 2.0, count=doc.hidden_chars)
    risky = [a for a in doc.attachments if _RISKY_ATTACHMENT.search(a)]
    if risky:
        r.add("attachment_risky", 3.0, name=risky[0])
    if doc.origin:
        r.add("telegram_origin", 0.0, origin=doc.origin)
    if doc.sender is None and not links:
        r.add("no_evidence", 0.0)
    return _Judged(c.provider, links, accounts, asks, buttons, r, verdict(r))


def _facts(
    rec: Recognition, doc: Document, j: _Judged, restriction: str, phones: list[str]
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


def _extract(
    lib: Library, idx: LibraryIndex, doc: Document, rec: Recognition, j: _Judged
) -> Analysis:
    """The facts a walkthrough needs, the glosses, and the whole analysis as one value."""
    kind = rec.kind
    restriction = None
    for _, x, owner in sorted(rec.hits.restrictions, key=lambda t: t[0]):
        if _in_scope(owner, kind, idx):
            restriction = x
            break
    phones = F.phones(rec.body)
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
        (start, end, g, owner) for start, end, g, owner in h.glosses if _in_scope(owner, kind, idx)
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
