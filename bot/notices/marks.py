"""The judge step's weak marks of mail nobody vouches for: what the sender line, the headers and
the text show, money offered out of nowhere, and the marks together (the rules are in
unvouched.py; this reads the notice for them)."""

from __future__ import annotations

from bot.notices import prefilter as quick
from bot.notices import suite, unvouched
from bot.notices.authres import Checked
from bot.notices.domains import domains_in, registrable
from bot.notices.hosts import random_subdomain
from bot.notices.index import LibraryIndex
from bot.notices.intake import Document
from bot.notices.judge import ORGANISATION
from bot.notices.reasons import Reasons
from bot.notices.recognise import Recognition

# Kinds of notice a company sends from its own domain, never from a personal mailbox.
_NOT_COMPANY_NOTICES = frozenset(
    {"bounce_backscatter", "restriction_lifted", "sextortion", "advance_fee", "abuse_report"}
)
WEIGHT_OTHER_SIGNER = 0.5
WEIGHT_MARK = 1.0
WEIGHT_STRONGER_MARK = 1.5
WEIGHT_PITCH = 0.5
WEIGHT_NAME_ON_MAILBOX = 2.0


def judge_marks(
    idx: LibraryIndex, doc: Document, rec: Recognition, checked: Checked, r: Reasons
) -> None:
    """Weak marks, money offered out of nowhere, and the marks together."""
    s = _sender(idx, doc)
    is_vouched = unvouched.vouched(checked, s)
    _header_marks(idx, doc, checked, s, r)
    _text_marks(doc, rec, r)
    _sender_marks(idx, doc, rec, s, r)
    # A domain that signs its mail vouches for the mail, not for a name it does not bear, an
    # address made by a machine, or answers sent elsewhere.
    # Nor does a pass the receiving service contradicts with a failed check of its own (a DKIM
    # signature that does not verify, a DMARC record that fails or is broken).
    disowned = ("sender_random_local", "sender_name_elsewhere", "reply_to_mismatch", "auth_fail")
    if any(r.has(c) for c in (*disowned, "sender_display_domain")):
        is_vouched = False
    _content(rec, is_vouched, r)
    suite.weigh(doc, rec, s.mailbox, is_vouched, r)
    unvouched.together(r, is_vouched)


def _sender(idx: LibraryIndex, doc: Document) -> unvouched.Sender:
    sender = doc.sender
    domain = sender.domain.lower().rstrip(".") if sender is not None and sender.domain else ""
    facts = idx.hosts.facts(domain) if domain else None
    throwaway = facts is not None and (
        bool(facts.random or facts.cheap_tld or facts.fake_suffix)
        or random_subdomain(domain, facts.domain)
    )
    return unvouched.Sender(domain, bool(domain) and idx.is_mailbox(domain), throwaway)


def _header_marks(
    idx: LibraryIndex, doc: Document, checked: Checked, s: unvouched.Sender, r: Reasons
) -> None:
    """What the From line and the receiving service's checks show, in a mail file."""
    sender = doc.sender
    if sender is None or not s.domain or doc.source != "eml" or r.verified:
        return
    # In pasted text a sender may have been shortened or masked by whoever copied it; only a
    # mail file's From line is what the mail really carried.
    if unvouched.invalid_domain(s.domain):
        r.add("sender_invalid", unvouched.WEIGHT_INVALID, address=sender.address)
        return
    signer = unvouched.other_signer(checked, s.domain) if checked.receiver else ""
    # A known mail platform's seal says one of its customers sent it: common for honest small
    # senders, so not a mark.
    if signer and not idx.hosts.facts(signer).tracker:
        r.add("auth_other_signer", WEIGHT_OTHER_SIGNER, signer=signer, domain=registrable(s.domain))
    if doc.undisclosed and not doc.forwarded:
        # One copy to a hidden list of many: a notice about the person's own account is
        # addressed to them.
        r.add("undisclosed_recipients", WEIGHT_MARK)
    if idx.owner_of(s.domain) is not None or s.mailbox:
        return
    if unvouched.random_local(sender.address):
        r.add("sender_random_local", WEIGHT_MARK, address=sender.address)
    org = ORGANISATION.search(sender.name) is not None
    named = unvouched.name_elsewhere(sender.name, s.domain, org)
    if named:
        r.add("sender_name_elsewhere", WEIGHT_MARK, name=named, domain=s.domain)


def _text_marks(doc: Document, rec: Recognition, r: Reasons) -> None:
    """Tricks in the words: dressed-up letters, the address as a name, a template's blank,
    random letters."""
    word = unvouched.disguised_word(rec.full)
    if word:
        r.add("disguised_letters", WEIGHT_STRONGER_MARK, word=word)
    if unvouched.address_greeting(doc.subject, tuple(a.lower() for a in doc.to)):
        r.add("address_as_name", WEIGHT_MARK)
    if (m := unvouched.TEMPLATE_LEFT.search(f"{doc.subject}\n{rec.body}")) is not None:
        r.add("template_left", WEIGHT_MARK, blank=m.group(0))
    if ids := unvouched.filler_ids(doc.body):
        r.add("filler_ids", WEIGHT_STRONGER_MARK, count=ids)
    run = unvouched.random_string(rec.lowered)
    if run:
        r.add("random_string", WEIGHT_MARK, token=run)


def _sender_marks(
    idx: LibraryIndex, doc: Document, rec: Recognition, s: unvouched.Sender, r: Reasons
) -> None:
    """A domain in the sender's name that is not where it writes from, and a company's kind
    of notice from a mailbox anyone can open."""
    sender = doc.sender
    if sender is None or not s.domain or r.verified:
        return
    mine = registrable(s.domain)
    if (badge := unvouched.badge_in(sender.name)) and idx.owner_of(s.domain) is None:
        r.add("sender_badge", WEIGHT_MARK, badge=badge, name=sender.name)
    for named in domains_in(sender.name):
        owner = idx.owner_of(named)
        if named != mine and (owner is None or owner != idx.owner_of(mine)):
            if s.mailbox:
                # A web address for a name on a mailbox anyone can open claims its owner, as a
                # company's name on such a mailbox does (sender_org_on_mailbox).
                key = "reason_sender_display_domain_mailbox"
                r.add(
                    "sender_display_domain", WEIGHT_NAME_ON_MAILBOX, key, shown=named, domain=mine
                )
            else:
                r.add("sender_display_domain", WEIGHT_STRONGER_MARK, shown=named, domain=mine)
            break
    kind = rec.kind
    company = kind is not None and kind.id not in _NOT_COMPANY_NOTICES
    if s.mailbox and company and kind is not None and not doc.forwarded:
        r.add("notice_from_mailbox", WEIGHT_STRONGER_MARK, title=kind.title, domain=s.domain)


def _content(rec: Recognition, is_vouched: bool, r: Reasons) -> None:
    """Money offered out of nowhere, a stranger's romance, a sales pitch nobody asked for."""
    if r.verified:
        return
    offer = unvouched.offer_of(rec.lowered)
    if offer:
        big = unvouched.BIG_SUM.search(rec.lowered) is not None
        unvouched.weigh_offer(offer, is_vouched, big, r)
    elif not is_vouched and unvouched.romance(rec.lowered):
        r.add("romance_lure", unvouched.WEIGHT_ROMANCE)
    if not is_vouched and quick.search(unvouched.SALES_PITCH, rec.lowered):
        r.add("sales_pitch", WEIGHT_PITCH)
