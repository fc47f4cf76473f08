"""The notice reader: read, recognize, pull out facts, judge. `analyse` is the one entry point."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from bot.content.model import AskPhrase, Gloss, Library, NoticeKind, RedFlag, Restriction, Text
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
from bot.notices.text import language_of

# Below this confidence the reader says it does not know the kind.
THRESHOLD = 0.35
# Wording, dates, phone numbers and addresses are read in the first this-many characters (about
# two pages): a notice says what it is about up front, and what follows (footers, quoted mail,
# legal text) adds noise. Links and hidden text are looked for in all of it. It also bounds the
# time one huge notice can take.
PHRASE_WINDOW = 4000
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
# A line break inside a sentence: notices are often wrapped at a fixed width. Japanese joins with
# nothing, English with a space.
_WRAPPED = re.compile(r"(?<=[\u3040-\u30ff\u3400-\u9fff、])\n(?=[\u3040-\u30ff\u3400-\u9fff])")
_WRAPPED_EN = re.compile(r"(?<=[a-z0-9,;])\n(?=[a-z0-9+(])")


@dataclass
class _Hits:
    """Phrase matches sorted by what they stand for."""

    score: dict[str, float]
    required: set[str]
    excluded: set[str]
    asks: list[tuple[int, AskPhrase, str]]  # (position, phrase, owner kind)
    red_flags: list[tuple[RedFlag, str]]
    restrictions: list[tuple[int, Restriction, str]]
    glosses: list[tuple[int, int, Gloss, str]]  # (start, end, gloss, owner)
    names: dict[str, int]  # provider id -> first position


# A signal found in the sender's name or the subject counts this much more: they name the topic.
HEAD_BONUS = 1.5


def _collect(
    idx: LibraryIndex,
    lowered: str,
    head: int,
    found: tuple[set[str], set[int]],
    only: Collection[int],
    h: _Hits,
) -> _Hits:
    for i, m in idx.phrases.search(lowered, found[0], only, found[1]).items():
        e = idx.entries[i]
        if e.category == "signal":
            weight = e.item.weight * (HEAD_BONUS if m.start() < head and e.item.weight > 0 else 1)
            h.score[e.owner] = h.score.get(e.owner, 0.0) + weight
        elif e.category == "required":
            h.required.add(e.owner)
        elif e.category == "excluded":
            h.excluded.add(e.owner)
        elif e.category == "ask":
            h.asks.append((m.start(), e.item, e.owner))
        elif e.category == "red_flag":
            h.red_flags.append((e.item, e.owner))
        elif e.category == "restriction":
            h.restrictions.append((m.start(), e.item, e.owner))
        elif e.category == "gloss":
            h.glosses.append((m.start(), m.end(), e.item, e.owner))
        elif e.category == "name":
            h.names[e.owner] = min(h.names.get(e.owner, m.start()), m.start())
    return h


def recognize(idx: LibraryIndex, h: _Hits) -> tuple[NoticeKind | None, float, str | None]:
    """The best kind with a confidence in [0, 1], and the runner-up's id."""
    scored: list[tuple[float, str, NoticeKind]] = []
    for kind in idx.kinds:
        s = h.score.get(kind.id, 0.0)
        if s <= 0 or kind.id in h.excluded or (kind.required and kind.id not in h.required):
            continue
        scored.append((s, kind.id, kind))
    if not scored:
        return None, 0.0, None
    scored.sort(key=lambda t: (-t[0], t[1]))
    best, _, kind = scored[0]
    second = scored[1][0] if len(scored) > 1 else 0.0
    strength = best / (best + 3.0)
    margin = (best - second) / best
    confidence = strength * (0.55 + 0.45 * margin)
    runner_up = scored[1][1] if len(scored) > 1 else None
    if confidence < THRESHOLD:
        return None, confidence, kind.id
    return kind, confidence, runner_up


# "We will never ask for your password": a sentence that rules an action out is not an ask.
_NEGATED = re.compile(
    r"never ask|will never|won't ask|will not ask|do not need to|don't need to|no need to|"
    r"not (necessary|required)|決して|ことはありません|ことはございません|必要はありません|"
    r"必要はございません|ことは一切"
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
    idx: LibraryIndex, h: _Hits, head_name: int, head_subject: int, full: str
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
    if "reply_with_credentials" in asks or (links and all(lk.scheme == "mailto" for lk in links)):
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
    return _analyse(lib, index_for(lib), doc)


def _analyse(lib: Library, idx: LibraryIndex, doc: Document) -> Analysis:
    sender_name = doc.sender.name if doc.sender else ""
    head_name = len(sender_name) + 1
    head_subject = head_name + len(doc.subject) + 1
    body = _WRAPPED_EN.sub(" ", _WRAPPED.sub("", doc.body[: PHRASE_WINDOW + 200]))
    full = f"{sender_name}\n{doc.subject}\n{body}"[:PHRASE_WINDOW]
    lowered = full.lower()
    quote_src = full if len(lowered) == len(full) else lowered
    literals = idx.phrases.occurring(lowered)
    found = (literals, idx.phrases.candidates_of(literals))
    h = _collect(
        idx,
        lowered,
        head_subject,
        found,
        idx.first_pass,
        _Hits({}, set(), set(), [], [], [], [], {}),
    )
    kind, confidence, runner_up = recognize(idx, h)
    # Red flags count for the kinds the notice could well be, not only the winner.
    best = max(h.score.values(), default=0.0)
    flag_scope = {k for k, v in h.score.items() if best > 0 and v >= 0.6 * best}
    owners = flag_scope | {c.id for c in idx.common} | ({kind.id} if kind else set())
    rest = [i for owner in owners for i in idx.second_pass.get(owner, ())]
    h = _collect(idx, lowered, head_subject, found, rest, h)
    language = language_of(full)

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
    if kind is not None and kind.id == "bounce_backscatter":
        # A bounce names mail servers in its transcript; only real addresses are links there.
        links = [lk for lk in links if lk.scheme]
    exclude = {a.address for a in (doc.sender, doc.reply_to) if a is not None}
    exclude |= {lk.url[7:].split("?")[0].lower() for lk in links if lk.scheme == "mailto"}
    accounts = F.accounts(body, exclude, doc.to)
    c = claim(
        idx,
        doc,
        _name_hits(idx, h, head_name, head_subject, full),
        [lk.host for lk in links if lk.host],
        accounts[0] if accounts else None,
    )
    provider = c.provider
    pname = provider_text(provider, lib)

    asks: list[str] = []
    for pos, ask, owner in sorted(h.asks, key=lambda t: t[0]):
        if _in_scope(owner, kind, idx) and ask.ask not in asks and not _negated(lowered, pos):
            asks.append(ask.ask)
    buttons = bool(_BUTTON.search(doc.body))
    wants_action = any(a in asks for a in _LINK_ASKS) or buttons

    r = Reasons(lib)
    bounce = kind is not None and kind.id == "bounce_backscatter"
    links = judge_links(
        idx,
        links,
        provider,
        wants_action,
        r,
        pname,
        real_links=doc.source == "eml",
    )
    judge_sender(idx, doc, c, accounts, bounce, r, pname)
    judge_headers(idx, doc, provider, r, pname)
    for flag, owner in h.red_flags:
        if owner in flag_scope or _in_scope(owner, kind, idx):
            r.add_text(flag.code, flag.weight, flag.text)
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
    v = verdict(r)

    restriction = None
    for _, x, owner in sorted(h.restrictions, key=lambda t: t[0]):
        if _in_scope(owner, kind, idx):
            restriction = x
            break
    notice_date = F.header_date(doc.date)
    all_dates = F.dates(full)
    phones = F.phones(body)
    refs = F.references(full)
    values: dict[str, str] = {
        "account": accounts[0] if accounts else "",
        "accounts": ", ".join(accounts[:5]),
        "notice_date": notice_date or (all_dates[0] if all_dates else ""),
        "dates": ", ".join(all_dates[:8]),
        "restriction": restriction.id if restriction else "",
        "reference": refs[0] if refs else "",
        "amount": next(iter(F.amounts(full)), ""),
        "sign_in_ip": F.sign_in_ip(full) or "",
        "notice_phones": ", ".join(phones[:5]),
    }
    wanted = set(kind.facts) if kind is not None and kind.facts else set(values)
    facts = {k: v for k, v in values.items() if k in wanted and v}
    if provider is not None:
        facts["provider"] = provider.id
        facts["provider_name"] = provider.names.get(language)
        phone = provider.channel("phone")
        form = provider.channel("web_form")
        if phone is not None:
            facts["support_phone"] = phone.value
        if form is not None:
            facts["support_form"] = form.value

    return Analysis(
        kind=kind.id if kind else UNKNOWN_KIND,
        confidence=confidence,
        verdict=v,
        reasons=ordered(r, v),
        provider=provider.id if provider else None,
        facts=facts,
        asks_for=tuple(asks),
        reply_channel=_reply_channel(asks, links, buttons),
        links=tuple(links),
        phones=tuple(phones),
        walkthrough=(kind.walkthrough if kind and kind.walkthrough else UNKNOWN_WALKTHROUGH),
        language=language,
        title=kind.title if kind else Text({}),
        runner_up=runner_up,
        restriction=restriction.text if restriction else None,
        glosses=_glosses(idx, h, kind, body, quote_src, head_subject),
        sender=doc.sender.address if doc.sender else "",
        subject=doc.subject,
        text=doc.body,
    )


def _glosses(
    idx: LibraryIndex,
    h: _Hits,
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
