"""A security suite's renewal, expiry or charge, told by a sender who is not its maker.

Theory of operation: the makers of security software (Norton, McAfee, Kaspersky, ウイルスバスター
and the like) send their renewal reminders and receipts from domains that bear their own name,
signed so the person's mail server can confirm them; a shop that sold the licence sends its
receipt from its own signed domain. The call-back scam dresses up as exactly that notice: it names
the suite where the sender speaks (its name, the subject) or reads as a made-up invoice, tells the
person that their subscription was renewed or charged, has expired, or that their computer is
infected, and comes from a domain that neither bears the suite's name nor is confirmed by the
receiving server. That mismatch is evidence a phisher cannot easily fake; the reason names the
suite and the domain. It never fires on mail the receiving server confirms came from its sender's
own (non-mailbox) domain, on a domain bearing the suite's name, on a warning about such mail, or
on mail that tells no such story about the person's own subscription or computer.
"""

from __future__ import annotations

import re

from bot.notices import lure
from bot.notices.intake import Document
from bot.notices.reasons import Reasons
from bot.notices.recognise import Recognition

# Each suite: how the notice names it (lower-case text), and the words a maker's own domain bears.
SUITES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"norton|lifelock|ノートン"), ("norton", "lifelock")),
    (re.compile(r"mcafee|マカフィー"), ("mcafee",)),
    (re.compile(r"kaspersky|カスペルスキー"), ("kaspersky",)),
    (re.compile(r"\bavast\b|アバスト"), ("avast",)),
    (re.compile(r"\bavg (?:antivirus|internet security|tuneup)"), ("avg",)),
    (re.compile(r"bitdefender"), ("bitdefender",)),
    (re.compile(r"\beset\b"), ("eset",)),
    (re.compile(r"trend ?micro|ウイルスバスター|トレンドマイクロ"), ("trendmicro",)),
    (re.compile(r"malwarebytes"), ("malwarebytes",)),
    (re.compile(r"total ?av\b"), ("totalav",)),
    (re.compile(r"geek ?squad"), ("geeksquad", "bestbuy")),
)
# The person's own subscription renewed, charged or run out, or their computer infected (matched
# in lower-case text).
_STORY = re.compile(
    r"\byour\b[^.\n!]{0,40}\b(?:subscription|licen[cs]e|membership|protection|plan|antivirus)\b"
    r"[^.\n!]{0,60}\b(?:renewed|expired|expires|expiring|ended|cancell?ed|charged|deducted)"
    r"|\byour (?:computer|pc|device|laptop|mac|system)\b[^.\n!]{0,40}\b(?:infected|at risk|"
    r"unprotected|exposed|vulnerable|compromised)"
    r"|ihr (?:computer|pc|gerät)[^.\n!]{0,30}(?:infiziert|gefährdet|ungeschützt)"
    r"|ihr[^.\n!]{0,30}abonnement[^.\n!]{0,30}(?:abgelaufen|verlängert|gekündigt)"
    r"|sua assinatura[^.\n!]{0,40}(?:expirou|expirada|foi renovada|venceu)"
    r"|su suscripci[oó]n[^.\n!]{0,40}(?:ha expirado|ha caducado|ha sido renovada|venci[oó])"
    r"|(?:ご契約|ライセンス|サブスクリプション|有効期限|保護)[^。\n]{0,20}"
    r"(?:切れ|失効|更新され|終了し)|(?:パソコン|pc|端末|デバイス)[^。\n]{0,20}"
    r"(?:感染|保護されていません|危険にさらされ)"
)
# A sum charged ("$389.99", "€ 49,90", "12,980円", "449.00 USD"): what makes a story an invoice.
_CHARGE = re.compile(r"[$€£¥￥]\s?\d[\d,.]*|\d[\d,.]*\s?(?:円|(?:usd|eur|gbp|dollars|euros?)\b)")
WEIGHT = 4.0


def suite_named(text: str) -> tuple[str, tuple[str, ...]] | None:
    """The suite named in lower-case `text` (as written there) and its maker's domain words."""
    for pattern, words in SUITES:
        m = pattern.search(text)
        if m is not None:
            return m.group(0), words
    return None


def bears(domain: str, words: tuple[str, ...]) -> bool:
    """Whether the domain carries one of the maker's names ("norton" in nortonlifelock.com)."""
    letters = re.sub(r"[^a-z]", "", domain.lower())
    return any(w in letters for w in words)


def weigh(doc: Document, rec: Recognition, mailbox: bool, is_vouched: bool, r: Reasons) -> None:
    """The reason, when a suite's renewal story comes from a domain that is not its maker's and
    that the receiving server did not confirm. The suite must be named where the sender speaks
    as itself: its name; the subject, unless it writes from a mailbox anyone can open (a friend
    may well write "your Norton has expired"); or anywhere in what reads as a made-up invoice
    with a sum charged."""
    sender = doc.sender
    if sender is None or not sender.domain or is_vouched or r.verified:
        return
    invoice = rec.kind is not None and rec.kind.id == "fake_invoice"
    invoice = invoice and _CHARGE.search(rec.lowered) is not None
    named = (
        suite_named(sender.name.lower())
        or (None if mailbox else suite_named(doc.subject.lower()))
        or (suite_named(rec.lowered) if invoice else None)
    )
    if named is None or _STORY.search(rec.lowered) is None:
        return
    domain = sender.domain.lower().rstrip(".")
    if bears(domain, named[1]) or lure.warns_or_answers(rec.lowered):
        return
    r.add("suite_elsewhere", WEIGHT, suite=named[0], domain=domain)
