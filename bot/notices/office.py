"""A public office speaking from a domain that is no government's.

Theory of operation: tax offices, courts, the police, ministries and the programmes they run
(マイナポイント) send their mail from their own government domains: in Japan go.jp, lg.jp or a
prefecture's or city's regional .jp name (pref.X.jp, city.X.jp); elsewhere .gov, gov.uk,
gov.br, jus.br, gouv.fr and the like. Impersonators cannot send from those, so they write the
office's name where the person looks first (the sender's name, the address's local part, the
subject) and send from anywhere else. A mail that does so and presses the person to act is
impersonation, whatever its wording. It never fires on a government domain, on a company that
writes in its own name about a government matter (its name in its own domain, or a provider of
the directory named in a mail from its own domain), on a warning about such mail, or on mail
that asks nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from bot.notices import lure
from bot.notices.index import LibraryIndex
from bot.notices.intake import Document
from bot.notices.reasons import Reasons
from bot.notices.unvouched import GENERIC_NAME, borne_by, own_words

# The endings of government domains (matched against the whole lower-case host).
_GOVERNMENT = re.compile(
    r"(?:^|\.)(?:"
    r"(?:go|lg)\.jp"  # Japan's national and local government names
    r"|(?:pref|city|town|vill)\.[a-z0-9-]+(?:\.[a-z0-9-]+)?\.jp"  # regional names kept for them
    r"|gov|mil"  # the United States
    r"|(?:gov|gob|gouv|govt|go|gv|jus|mp|leg)\.[a-z]{2}"  # gov.uk, gob.mx, jus.br, go.kr, gv.at
    r"|gc\.ca|canada\.ca|europa\.eu|admin\.ch|bund\.de|police\.uk|nhs\.uk"
    r")$"
)

# An office, or a programme only an office runs, named where a sender names itself (matched in
# lower-case text). Romanised Japanese names appear in made-up addresses ("kokuzei-center@...").
_OFFICE = re.compile(
    r"国税庁|国税局|税務署|市役所|区役所|町役場|村役場|都税事務所|県税事務所|年金機構|年金事務所"
    r"|厚生労働省|総務省|法務省|財務省|警察庁|警視庁|[都道府県]警察|警察署|検察庁|裁判所"
    r"|出入国在留管理庁|入国管理局|デジタル庁|内閣府|消費者庁|税関|マイナポイント事務局"
    r"|マイナンバーカード(?:総合)?(?:事務局|センター)|地方公共団体情報システム機構"
    r"|kokuzei|zeimusho|soumu|nenkin|keisatsu|mynumber|mynapoint|myna-?portal"
    r"|internal revenue(?: service)?|\birs\b|\bhmrc\b|revenue (?:service|agency)"
    r"|tax (?:office|authority|administration|agency|department)"
    r"|social security administration|\bfbi\b|federal bureau of investigation"
    r"|department of (?:justice|the treasury|revenue|motor vehicles|homeland security|labou?r)"
    r"|\bdmv\b|(?:district|supreme|bankruptcy|federal|high|magistrate|county|superior|circuit)"
    r"(?:'s)? court|court of (?:justice|appeals?)|police (?:department|station|headquarters)"
    r"|\bcustoms\b|border protection|ministry of|\binterpol\b|\beuropol\b"
    r"|receita federal|\birpf\b|\btribunal\b|f[oó]rum criminal|minist[eé]rio|corpo de bombeiros"
    r"|pol[ií]cia (?:federal|civil|militar)|\bdetran\b|prefeitura|agencia tributaria|\bhacienda\b"
    r"|finanzamt|bundeszentralamt|\bpolizei\b|amtsgericht|gendarmerie"
)

# Words of a sender's name that say nothing of who writes: generic ones, and an office's own
# words (an office's name inside a made-up domain is the impersonation itself, not a company's).
_NOT_OWN = GENERIC_NAME | frozenset(
    [
        "bureau",
        "court",
        "courts",
        "customs",
        "district",
        "federal",
        "gov",
        "government",
        "internal",
        "investigation",
        "justice",
        "ministry",
        "notice",
        "notices",
        "office",
        "police",
        "refund",
        "refunds",
        "revenue",
        "social",
        "tax",
        "taxes",
        "treasury",
    ]
)


def government_domain(host: str) -> bool:
    """Whether `host` is under a government's own domain."""
    return _GOVERNMENT.search(host.lower().rstrip(".")) is not None


def office_named(header: str) -> str:
    """The office named in a lower-case sender line or subject ("" when none)."""
    m = _OFFICE.search(header)
    return m.group(0) if m is not None else ""


def own_name(name: str, host: str) -> bool:
    """Whether the sender's name is the name its own domain bears ("Hillside Tax Services" at
    hillsidetax.example): a company writing in its own name."""
    return borne_by(host, own_words(name, _NOT_OWN))


WEIGHT = 4.0


def weigh(
    idx: LibraryIndex,
    doc: Document,
    e: lure.Evidence,
    named: Collection[str],
    r: Reasons,
    official_phone: Callable[[str], bool],
) -> None:
    """The reason, when the sender line or subject names an office and the mail comes from a
    domain no government uses, presses the person to act, and is no warning or company's own.
    `named` holds the providers the notice names in its words (not in addresses)."""
    sender = doc.sender
    if sender is None or not sender.domain or r.verified:
        return
    domain = sender.domain.lower().rstrip(".")
    office = office_named(f"{sender.name}\n{sender.local}\n{doc.subject}".lower())
    if not office or government_domain(domain):
        return
    owner = idx.owner_of(domain)
    if (owner is not None and owner in named) or own_name(sender.name, domain):
        return
    if e.kind in lure.NOT_LURES or lure.warns_or_answers(e.text):
        return
    calls = bool(e.phones) and lure.CALL.search(e.text) is not None
    if not (e.asks or calls or lure.act_of(e, official_phone) is not None):
        return
    r.add("office_elsewhere", WEIGHT, office=office, domain=domain)
