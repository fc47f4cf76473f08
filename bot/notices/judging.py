"""The judge step of the reader: who the notice claims to be, where its links go, what it asks,
what its sender and headers show, and the verdict with its reasons."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise

from bot.content.model import Library, NoticeKind, Provider, Text, fill
from bot.notices import facts as F
from bot.notices import lure, marks, office
from bot.notices.analysis import Link
from bot.notices.budget import Budget
from bot.notices.domains import find_links, host_of, redirect_target, registrable, scheme_of
from bot.notices.fingerprint import fingerprint
from bot.notices.index import LibraryIndex
from bot.notices.intake import Address, Document
from bot.notices.judge import claim, judge_headers, judge_sender, provider_text, verdict
from bot.notices.known import Known, known_evidence
from bot.notices.links import FOOTER_WORDS, footer_pointers, judge_links, role_of, with_action
from bot.notices.reasons import Reasons
from bot.notices.recognise import CONFIDENT, PHRASE_WINDOW, Hits, Recognition

LINK_ASKS = ("click_link_login", "verify_identity", "update_payment_info")
_RISKY_ATTACHMENT = re.compile(
    r"\.(?:html?|shtml|svg|zip|rar|7z|exe|scr|js|vbs|bat|cmd|iso|img|lnk|hta|docm|xlsm|pptm|jar|"
    r"msi|ps1)$",
    re.IGNORECASE,
)
# A short line that is a button whose link the copy lost: "[SECURE YOUR ACCOUNT]", "UPDATE NOW",
# "Reactivate Your Account", "ご利用確認はこちら".
BUTTON = re.compile(
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
# The first line of a message without a sender or subject is where it says who it is from
# (【ヤマト運輸】..., "DHL: your parcel..."), up to this many characters.
_LEAD = 80
# The last this-many characters of a short notice are its signature.
_SIGNATURE = 120
# A run of letters and digits in a subject, long enough to be a random string added to slip
# past spam filters (mixed case and digits, checked by _mixed).
_RANDOM_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{10,40}(?![A-Za-z0-9])")


def _mixed(token: str) -> bool:
    """Upper case, lower case and digits shuffled together, as no word or order number is."""
    switches = sum(1 for a, b in pairwise(token) if a.isupper() != b.isupper())
    has = (any(c.isupper() for c in token), any(c.islower() for c in token))
    return all(has) and any(c.isdigit() for c in token) and switches >= 4


WEIGHT_IMAGE_ONLY = 0.5
# Links past this many are not read: a real notice has far fewer.
_MAX_LINKS = 500


@dataclass
class Judged:
    """What the judge step decided: the claim, the links as judged, the asks and the verdict."""

    provider: Provider | None
    links: list[Link]
    accounts: list[str]
    phones: list[str]
    asks: list[str]
    buttons: bool
    reasons: Reasons
    verdict: str
    fingerprint: str = ""  # the wording's fingerprint (hex), "" when it has too few words


def in_scope(owner: str, kind: NoticeKind | None, idx: LibraryIndex) -> bool:
    return (kind is not None and owner == kind.id) or any(c.id == owner for c in idx.common)


def _sentence(text: str, pos: int) -> tuple[int, int]:
    start = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, pos - 200), pos)), default=0)
    end_match = _SENTENCE_END.search(text, pos)
    return start, end_match.start() if end_match else len(text)


def _asks(idx: LibraryIndex, rec: Recognition) -> list[str]:
    """What the notice asks, leaving out sentences that rule it out ("we will never ask...")
    and the footer's ("click here to unsubscribe")."""
    asks: list[str] = []
    for pos, ask, owner in sorted(rec.hits.asks, key=lambda t: t[0]):
        if ask.ask in asks or not in_scope(owner, rec.kind, idx):
            continue
        start, end = _sentence(rec.lowered, pos)
        if _NEGATED.search(rec.lowered, start, end) or FOOTER_WORDS.search(rec.lowered, start, end):
            continue
        asks.append(ask.ask)
    return asks


def _link(url: str, text: str, role: str, kind: str) -> Link:
    host = host_of(url)
    return Link(
        url=url,
        host=host,
        domain=registrable(host) if host else "",
        text=text,
        scheme=scheme_of(url),
        role=role,
        kind=kind,
    )


def _bare(address: str) -> str:
    """An address as written, without its scheme, "www." or the slash at its end, lower-case."""
    bare = address.strip().lower().removeprefix("https://").removeprefix("http://")
    return bare.removeprefix("www.").rstrip("/")


def _links(doc: Document, bounce: bool) -> tuple[list[Link], bool]:
    """The notice's links, and whether one was cut out of the copy (an address that is only
    the marks put where it was: "https://....", "http://xxxx.xxx/"): such a mark is not a link."""
    links = []
    cut = False
    # "click here to remove yourself from our list": the link's words only point, its sentence
    # is the footer's.
    footers = footer_pointers(doc.body, doc.links[: _MAX_LINKS * 4])
    # The words shown on an HTML link ("socialsecurity.gov" on a link to elsewhere) are read
    # with that link, not again as an address of their own.
    shown = {_bare(a.text) for a in doc.links[: _MAX_LINKS * 4] if a.href and a.text}
    for f in find_links(doc.body, doc.links)[:_MAX_LINKS]:
        if f.kind == "text" and _bare(f.url) in shown:
            continue
        link = _link(f.url, f.text, "footer" if f.url in footers else role_of(f), f.kind)
        if link.scheme in ("http", "https", "") and lure.is_placeholder(link.host):
            cut = True
            continue
        links.append(link)
        # A link that passes through a redirect (a search engine's, a tracker's) goes on to the
        # address it carries: that one is judged too, for the same role.
        target = redirect_target(f.url)
        if target:
            via = replace(_link(target, "", link.role, "redirect"), flags=(f"via:{link.domain}",))
            links.append(via)
    # A bounce names mail servers in its transcript; only real addresses are links there.
    return ([lk for lk in links if lk.scheme] if bounce else links), cut


def name_hits(
    idx: LibraryIndex,
    h: Hits,
    head_name: int,
    head_subject: int,
    full: str,
    signed_from: int | None = None,
) -> dict[str, tuple[bool, bool, int]]:
    """Per provider named: (in the sender's name, in the subject, lead line or signature, times
    in the body). The signature is the text from `signed_from` on (the end of a short notice).

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
    # A name inside a mail or web address (the person's own hotmail.com, a sender's gmail.com,
    # a link's host) is an address, not the notice naming a company.
    in_address = _address_spans(full)
    out: dict[str, tuple[bool, bool, int]] = {}
    for start, end, owner in found:
        if any(a <= start < b for a, b in in_address):
            continue
        if any(
            o != owner and s <= start and end <= e and (e - s) > (end - start) for s, e, o in found
        ):
            continue
        if _impersonated(lowered, start, end):
            continue
        in_name, in_subject, count = out.get(owner, (False, False, 0))
        if start < head_name:
            in_name = True
        elif start < head_subject or (signed_from is not None and start >= signed_from):
            in_subject = True
        else:
            count += 1
        out[owner] = (in_name, in_subject, count)
    return out


# A name written as the one being imitated ("国税庁をかたるメール", "fake Amazon e-mails",
# "messages impersonating PayPal"): a warning about the brand's impostors, not a claim to be it.
_IMITATED_AFTER = re.compile(
    r"\s?(?:を|に|の名を|の名前を)?(?:装|よそお|かた|騙|名乗|なりすま|偽|詐称)"
)
_IMITATED_BEFORE = re.compile(
    r"(?:偽の?|\b(?:fake|phony|spoofed|impersonating|pretending to be|posing as|claiming to be|"
    r"purporting to be)(?: from)?(?: an?| the)?)\s?$"
)


def _impersonated(lowered: str, start: int, end: int) -> bool:
    return (
        _IMITATED_AFTER.match(lowered, end) is not None
        or _IMITATED_BEFORE.search(lowered, max(0, start - 40), start) is not None
    )


_URL_SPAN = re.compile(r"(?:https?://|www\.)[^\s<>\"'）」]+", re.IGNORECASE)


def _address_spans(text: str) -> list[tuple[int, int]]:
    """Where the mail and web addresses in `text` are: the word around each "@", and each
    written address (a brand's name inside docs.google.com is a host, not the notice naming
    the brand)."""
    spans: list[tuple[int, int]] = (
        [m.span() for m in _URL_SPAN.finditer(text)]
        if "://" in text or "www." in text.lower()
        else []
    )
    at = text.find("@")
    while at >= 0:
        start = max(text.rfind(c, 0, at) for c in " \n\t<(:") + 1
        ends = [e for e in (text.find(c, at) for c in " \n\t>)") if e >= 0]
        end = min(ends) if ends else len(text)
        spans.append((start, end))
        at = text.find("@", end)
    return spans


def _lead_end(doc: Document, rec: Recognition) -> int:
    """Where the part of the text that says who the notice is from ends: the subject, or, for a
    message with neither sender nor subject (a pasted SMS), its first line."""
    if doc.sender is not None or doc.subject:
        return rec.head_subject
    start = rec.head_subject
    line_end = rec.full.find("\n", start, start + _LEAD)
    return line_end if line_end >= 0 else min(len(rec.full), start + _LEAD)


def judge(
    lib: Library,
    idx: LibraryIndex,
    doc: Document,
    rec: Recognition,
    budget: Budget,
    known: Known | None = None,
) -> Judged:
    """Who the notice claims to be, where its links go, what it asks, and the verdict; with
    what the admin's lists (`known`) say about its links and wording, when given."""
    bounce = rec.kind is not None and rec.kind.id == "bounce_backscatter"
    asks = _asks(idx, rec)
    buttons = bool(BUTTON.search(doc.body))
    wants_action = any(a in asks for a in LINK_ASKS) or buttons
    found, cut = _links(doc, bounce)
    links = with_action(found, wants_action)
    exclude = {a.address for a in (doc.sender, doc.reply_to) if a is not None}
    exclude |= {lk.url[7:].split("?")[0].lower() for lk in links if lk.scheme == "mailto"}
    accounts = F.accounts(rec.body, exclude, doc.to)
    # A short notice signs off with who it is from ("Amazon.co.jp カスタマーサービス").
    signed = len(rec.full) - _SIGNATURE if len(doc.body) < PHRASE_WINDOW else None
    names = name_hits(idx, rec.hits, rec.head_name, _lead_end(doc, rec), rec.full, signed)
    c = claim(idx, doc, names, _claiming_hosts(idx, links))
    pname = provider_text(c.provider, lib)
    r = Reasons(lib)
    real = doc.source == "eml"
    links = judge_links(idx, links, c.provider, r, pname, real, budget)
    judge_sender(idx, doc, c, accounts, bounce, r, pname)
    checked = judge_headers(idx, doc, c.provider, r, pname)
    wording = _red_flags(idx, rec, r)
    _document_reasons(doc, asks, links, r)
    phones = F.phones(rec.body)
    if c.provider is not None:
        _phone_reason(c.provider, phones, rec.lowered, r, pname)
    if not r.verified:
        evidence = lure.Evidence(
            text=rec.lowered,
            kind=rec.kind.id if rec.kind else None,
            provider=c.provider,
            links=tuple(links),
            cut=cut or lure.CUT_LINK.search(rec.lowered) is not None,
            pasted=doc.sender is None or not doc.sender.domain,
            phones=tuple(phones),
            attachments=bool(doc.attachments),
            asks=tuple(asks),
            buttons=buttons,
        )
        _lure(idx, evidence, rec, r, pname, doc.sender)
        office.weigh(idx, doc, evidence, names, r, lambda p: _official_phone(evidence.provider, p))
    marks.judge_marks(idx, doc, rec, checked, r)
    printed = fingerprint(doc.body)
    if known is not None:
        # The lure's shape rests on the words alone too: a genuine mark takes it back as well.
        wording |= {code for code in lure.SHAPE_CODES if r.has(code)}
        links = known_evidence(idx, known, links, printed, wording, r)
    hexed = printed.to_hex() if printed is not None else ""
    return Judged(c.provider, links, accounts, phones, asks, buttons, r, verdict(r), hexed)


def _claiming_hosts(idx: LibraryIndex, links: list[Link]) -> list[str]:
    """The hosts whose owners the links claim. A mail address at a free mail service is
    nobody's claim to be the service."""
    return [
        lk.host
        for lk in links[:200]
        if lk.host and not (lk.scheme == "mailto" and idx.is_mailbox(lk.host))
    ]


def _red_flags(idx: LibraryIndex, rec: Recognition, r: Reasons) -> set[str]:
    """The wording's red flags for the kinds the notice could be; their codes, which a genuine
    mark may take back."""
    wording: set[str] = set()
    for flag, owner, quote in rec.hits.red_flags:
        if owner in rec.flag_scope or in_scope(owner, rec.kind, idx):
            # A flag's text may quote the words that raised it ("Dear user") as written.
            said = Text({lang: fill(v, {"quote": quote}) for lang, v in flag.text.by_lang.items()})
            r.add_text(flag.code, flag.weight, said)
            wording.add(flag.code)
    return wording


def _lure(
    idx: LibraryIndex,
    e: lure.Evidence,
    rec: Recognition,
    r: Reasons,
    pname: Text,
    sender: Address | None,
) -> None:
    """The lure's shape, when the deciding evidence is missing (lure.py)."""

    def negated(pos: int) -> bool:
        start, end = _sentence(rec.lowered, pos)
        return _NEGATED.search(rec.lowered, start, end) is not None

    def official_phone(phone: str) -> bool:
        return _official_phone(e.provider, phone)

    scams = {s.kind for s in idx.lists.scam_kinds}
    if rec.kind is not None and rec.confidence >= CONFIDENT and rec.kind.id in scams:
        r.add("scam_kind", lure.WEIGHT_SCAM_KIND, title=rec.kind.title)
    shape = lure.shape_of(e, negated, official_phone)
    if shape is not None:
        provider = e.provider.id if e.provider is not None else ""
        sends = any(s.provider == provider for s in idx.lists.link_senders)
        # The brand sends such messages under its own name: one shown under another name
        # (an SMS's sender ID that is not the brand's) is not one of them.
        if sends and e.provider is not None and sender is not None and not sender.domain:
            sends = not lure.named_otherwise(sender.name, e.provider)
        lure.weigh(e, shape, r, pname, sends_such=sends)
    elif (threat := lure.threat_alone(e, negated, official_phone)) is not None:
        name = pname if e.provider is not None else lure.authority_name(e.text, r)
        r.add(lure.NO_ACT_CODE, 0.0, provider=name, threat=r.text(f"lure_threat_{threat}"))
        r.drop("no_evidence")  # this reason says what is missing, and what to send instead


def _official_phone(provider: Provider | None, phone: str) -> bool:
    """A number the provider lists, or any number but a mobile or internet phone's: only a number
    no company's line uses counts as pressing the person to call elsewhere."""
    digits = re.sub(r"\D", "", phone)
    if provider is not None:
        listed = {re.sub(r"\D", "", c.value) for c in provider.channels if c.kind == "phone"}
        if digits in listed:
            return True
    return not (len(digits) == 11 and _PERSONAL_NUMBER.match(digits))


# Japanese numbers no company's support line uses: internet phone (050) and mobile numbers
# (070, 080, 090; 0800 is toll-free).
_PERSONAL_NUMBER = re.compile(r"^0[5-9]0(?!0)")


def _phone_reason(
    provider: Provider, phones: list[str], text: str, r: Reasons, pname: Text
) -> None:
    """A number to call that is a mobile or internet phone, not one of the provider's (also
    when the copy masks its last digits: "080-XXXX-XXXX" is still a mobile number)."""
    official = {re.sub(r"\D", "", c.value) for c in provider.channels if c.kind == "phone"}
    for phone in phones:
        digits = re.sub(r"\D", "", phone)
        if digits not in official and len(digits) == 11 and _PERSONAL_NUMBER.match(digits):
            r.add("phone_personal", 2.0, phone=phone, provider=pname)
            return
    for m in lure.MASKED_PHONE.finditer(text):
        masked = m.group(0).strip()
        if _PERSONAL_NUMBER.match(masked) and len(re.sub(r"[\s\-‐－]", "", masked)) == 11:
            r.add("phone_personal", 2.0, phone=masked, provider=pname)
            return


def _document_reasons(doc: Document, asks: list[str], links: list[Link], r: Reasons) -> None:
    """Reasons from how the notice is made and what it asks, whoever it claims to be."""
    if "reply_with_credentials" in asks:
        r.add("asks_credentials", 5.0)
    if doc.password_field:
        r.add("asks_password_in_mail", 5.0)
    pressed = [lk for lk in links if lk.role == "action"]
    if "click_link_login" in asks and pressed and not any(lk.official for lk in pressed):
        r.add("asks_login_link", 1.0)
    if doc.hidden_chars >= 3:
        r.add("hidden_text", 2.0, count=doc.hidden_chars)
    if doc.bidi_override:
        r.add("bidi_override", 3.0)
    risky = [a for a in doc.attachments if _RISKY_ATTACHMENT.search(a)]
    if risky:
        r.add("attachment_risky", 3.0, name=risky[0])
    if doc.origin:
        r.add("telegram_origin", 0.0, origin=doc.origin)
    token = _RANDOM_TOKEN.search(doc.subject)
    if token is not None and _mixed(token.group(0)):
        r.add("subject_token", 1.5, token=token.group(0))
    if doc.forwarded and doc.sender is not None and not doc.trace:
        r.add("forwarded_block", 0.0)
    if doc.images and len(doc.body.strip()) < 40:
        # Its words are in a picture, which filters (and I) cannot read: a weak mark.
        r.add("image_only", WEIGHT_IMAGE_ONLY)
        if any(lk.role in ("action", "image") and lk.host for lk in links):
            # Its words are in a picture filters cannot read, and the picture is a link.
            r.add("image_only_link", 1.0)
    if doc.broken:
        r.add("partly_unreadable", 0.0)
    if doc.sender is None and not links:
        r.add("no_evidence", 0.0)
