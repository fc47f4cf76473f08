"""Judge a notice: who it claims to be from, what its sender and headers show, and the verdict.

Theory of operation: every piece of evidence becomes a Reason with a weight. Positive weights point
at phishing (a link to a lookalike domain, a sender on someone else's domain, a request to reply
with a password, threat words); negative weights point at the real provider, and only evidence a
phisher cannot simply write can carry them. The claim (which provider the notice says it is
from) comes from what the notice says about itself: the sender's name and address, the subject,
the brand named in its first line or body, the domains it links to; never from the person's own
address. The verdict follows from the two sums:

    likely_phishing  danger >= 4 and danger >= trust + 2
    likely_genuine   the person's receiving service confirmed the sender's domain is the
                     provider's (aligned DMARC or DKIM), trust >= 3 and danger <= 1.5, or with
                     more trust (>= 5), danger <= trust - 4
    unsure           everything else

A sender address on the provider's own domain without that confirmation is a claim, not trust:
anyone can write it. A genuine verdict is never a promise; the explanation always sends the
person to the official site or number from the provider directory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.content.model import Library, Provider, Text
from bot.notices.analysis import Reason
from bot.notices.authres import Checked, receiver_results
from bot.notices.domains import registrable, to_unicode, under
from bot.notices.hosts import random_subdomain
from bot.notices.index import LibraryIndex
from bot.notices.intake import Document
from bot.notices.reasons import Reasons

# A sender's name that says it is an organisation, not a person: in English and Japanese, and
# the same words in the European languages lures are most often written in (German, French,
# Spanish, Portuguese, Italian), where a name such as "Kundenservice" or "Equipe de suporte"
# plays the part "Customer Service" does.
ORGANISATION = re.compile(
    r"(?i:\b(support|service|services|team|security|bank|banking|notification|notifications|"
    r"admin|administrator|customer|account|accounts|billing|center|centre|desk|department|"
    r"official|helpdesk|verification|compliance|alert|alerts|delivery|post|courier|"
    r"insurance|insurer|"
    r"kundenservice|kundendienst|versicherung|krankenkasse|sparkasse|"
    r"banque|assurance|assurances|équipe|colis|"
    r"banco|seguro|seguros|soporte|suporte|atención|atendimento|equipo|equipe|servicio|serviço|"
    r"correos|correios|assicurazioni|assistenza)\b)|"
    r"株式会社|サポート|センター|事務局|銀行|カード|運営|お客様窓口|カスタマー|配送|郵便"
)
PHISHING_AT = 4.0
MARGIN = 2.0
GENUINE_AT = 3.0
GENUINE_MAX_DANGER = 1.5
_FAILED = ("fail", "softfail", "permerror")


@dataclass(frozen=True)
class Claim:
    """Which provider the notice says it comes from, and how loudly."""

    provider: Provider | None
    strong: (
        bool  # named in the sender's name, the subject or the first line, or sent from its domain
    )
    score: float


def provider_text(provider: Provider | None, lib: Library) -> Text:
    """The provider's name in every language, or "the sender" when it is not known."""
    if provider is not None:
        return provider.names
    return lib.texts.get("notice_someone") or Text.same("?")


# -- claims -----------------------------------------------------------------------------------


def claim(
    idx: LibraryIndex,
    doc: Document,
    name_hits: dict[str, tuple[bool, bool, int]],
    link_hosts: Iterable[str],
) -> Claim:
    """The provider the notice is about: named in the From name, subject or first line, its
    domains used by the sender or the links, or imitated by them."""
    scores: dict[str, float] = {}
    strong: set[str] = set()

    def add(pid: str, score: float, loud: bool) -> None:
        scores[pid] = scores.get(pid, 0.0) + score
        if loud:
            strong.add(pid)

    for pid, (in_name, in_subject, body_count) in name_hits.items():
        # The body alone may mention brands it is not from.
        add(pid, 3.0 * in_name + 2.0 * in_subject + min(body_count, 3), in_name or in_subject)
    sender = doc.sender
    if sender is not None and sender.domain and not idx.is_mailbox(sender.domain):
        if (owner := idx.owner_of(sender.domain)) is not None:
            add(owner, 3.0, True)
        for shown in sender.shown:
            if (o := idx.owner_of(shown.rpartition("@")[2])) is not None:
                add(o, 3.0, True)
    counted: dict[str, int] = {}
    sender_host = sender.domain if sender is not None else ""
    for host in [*link_hosts, sender_host]:
        if not host or (host == sender_host and idx.is_mailbox(host)):
            continue
        facts = idx.hosts.facts(host)
        if facts.shared is not None:
            continue  # anyone can publish there: the page's host says nothing of who made it
        if facts.owner is not None:
            if counted.get(facts.owner, 0) < 2 and host != sender_host:
                counted[facts.owner] = counted.get(facts.owner, 0) + 1
                add(facts.owner, 1.0, False)
        elif facts.look is not None and facts.look.how != "regional":
            # A lookalike of a provider's domain claims that provider as loudly as its name would.
            o = idx.owner_of(facts.look.official)
            if o is not None:
                add(o, 2.0, True)
    if not scores:
        return Claim(None, False, 0.0)
    best = max(sorted(scores), key=lambda p: scores[p])
    if scores[best] < 1.5:
        return Claim(None, False, scores[best])
    return Claim(idx.providers[best], best in strong, scores[best])


# -- sender -----------------------------------------------------------------------------------

# A mail's own From line with a name and no address: no mail system writes one (RFC 5322
# section 3.6.2 wants a mailbox there), and a mail program then shows the name alone, hiding
# where the mail came from.
WEIGHT_NO_ADDRESS = 2.0


def _name_without_address(doc: Document) -> bool:
    """The From line of a mail file (its own headers, not a forwarded or pasted copy, where a
    sender is often shortened to a name) names someone and gives no address."""
    sender = doc.sender
    return (
        sender is not None
        and bool(sender.name)
        and not sender.address
        and doc.source == "eml"
        and bool(doc.trace)
        and not doc.forwarded
    )


# Mailboxes every mail domain keeps for its own mail system (RFC 5321 section 4.5.1, RFC 3464):
# no member of a free mail service can have them, so at the service's own domain they are the
# service writing (its bounces and delivery reports).
_SYSTEM_MAILBOXES = frozenset({"postmaster", "mailer-daemon"})


def system_mailbox(address: str) -> bool:
    return address.rpartition("@")[0].lower() in _SYSTEM_MAILBOXES


def _nameless(doc: Document, provider: Provider | None, r: Reasons) -> None:
    """A sender without a domain: a mail's From line with no address, or a pasted name or
    number only."""
    sender = doc.sender
    if _name_without_address(doc):
        r.add("sender_no_address", WEIGHT_NO_ADDRESS, name=sender.name if sender else "")
    elif sender is not None and sender.name and provider is not None:
        # A text message's sender is often a number: it is not a name anyone chose.
        number = sum(c.isdigit() for c in sender.name) >= 6
        key = "reason_sender_number_only" if number else None
        r.add("sender_name_only", 0.0, key, name=sender.name)


def judge_sender(
    idx: LibraryIndex,
    doc: Document,
    c: Claim,
    accounts: list[str],
    bounce: bool,
    r: Reasons,
    pname: Text,
) -> None:
    sender = doc.sender
    provider = c.provider
    if doc.senders > 1:
        r.add("sender_twice", 4.0)
    if sender is None or not sender.domain:
        if not bounce:
            _nameless(doc, provider, r)
        return
    domain = registrable(sender.domain)
    owner = idx.owner_of(sender.domain)
    for shown in sender.shown:
        if registrable(shown.rpartition("@")[2]) != domain:
            r.add("sender_display_address", 4.0, shown=shown, domain=domain)
    if doc.sender_header and registrable(doc.sender_header.rpartition("@")[2]) != domain:
        r.add("sender_header_mismatch", 2.0, domain=domain, sender=doc.sender_header)
    if sender.address in accounts[:1] and not bounce:
        r.add("sender_self", 2.0)
    # A mail service's own postmaster is the service writing, whatever the notice names.
    system = system_mailbox(sender.address) and (provider is None or owner == provider.id)
    if idx.is_mailbox(sender.domain) and (provider is None or owner == provider.id) and not system:
        # A notice in a company's name sent from an address anyone can open (a Gmail address
        # signed "Google Security") is not the company writing.
        loud = provider is not None and c.strong and not bounce
        key = None if provider is not None else "reason_sender_mailbox_person"
        r.add("sender_mailbox", 3.0 if loud else 0.0, key, domain=sender.domain, provider=pname)
        if provider is None and ORGANISATION.search(sender.name) and not bounce:
            r.add("sender_org_on_mailbox", 2.0, name=sender.name, domain=sender.domain)
        return
    if provider is not None and owner == provider.id:
        return  # a claim: judge_headers says whether the receiving service confirmed it
    if owner is None:
        look = idx.lookalikes_of(provider.id).check(sender.domain) if provider else None
        if look is None or look.how == "regional":
            look = idx.hosts.facts(sender.domain).look
        if look is not None and look.how != "regional":
            r.add("sender_lookalike", 4.0, domain=to_unicode(domain), official=look.official)
            return
    if provider is not None and not bounce:
        # Every real link going to the provider softens it: providers send from second domains.
        weight = 4.0 if c.strong else 2.0
        if "links_official" in r.by_code and r.by_code["links_official"].weight <= -2.0:
            weight = 2.0
        r.add("sender_foreign", weight, domain=domain, provider=pname)
    elif provider is None and owner is None and not bounce:
        r.add("sender_unchecked", 0.0, domain=domain)
    if owner is None and not bounce:
        _throwaway(idx, sender.domain, r)


def _throwaway(idx: LibraryIndex, host: str, r: Reasons) -> None:
    """A sender's domain nobody owns in the directory that is a throwaway name: random, on a
    cheap ending or a fake suffix, on a shared host, or under machine-made names."""
    facts = idx.hosts.facts(host)
    if facts.random or facts.cheap_tld or facts.fake_suffix or facts.shared is not None:
        r.add("sender_throwaway", 1.5, domain=registrable(host))
    elif random_subdomain(host.lower(), facts.domain):
        r.add("sender_throwaway", 1.5, domain=host.lower())


# -- headers ----------------------------------------------------------------------------------


def _aligned(domain: str, official: tuple[str, ...]) -> bool:
    return bool(domain) and any(under(domain.lower(), o) for o in official)


# A mail from one member's mailbox at a free mail service sent with another member's address as
# its envelope: the account in the From line is not the one that sent it, as when one operator
# sends through many throwaway accounts. Bounces and answers go to someone else.
WEIGHT_OTHER_MEMBER = 1.5


def _other_member(idx: LibraryIndex, address: str, envelope: str) -> bool:
    """Both addresses at the same free mail service, and not the same mailbox (a "+tag" or dots
    in a Gmail name are the same mailbox)."""
    domain = address.rpartition("@")[2]
    if not envelope or envelope.rpartition("@")[2] != domain or not idx.is_mailbox(domain):
        return False
    return _mailbox_key(address) != _mailbox_key(envelope)


def _mailbox_key(address: str) -> str:
    local = address.rpartition("@")[0].lower().partition("+")[0]
    return local.replace(".", "")


def judge_headers(
    idx: LibraryIndex, doc: Document, provider: Provider | None, r: Reasons, pname: Text
) -> Checked:
    """Reply-To and envelope against the sender, and what the receiving service's checks say;
    returns those checks."""
    sender = doc.sender
    sender_domain = registrable(sender.domain) if sender and sender.domain else ""
    official = tuple(provider.domains) if provider else ()
    if doc.reply_to is not None and doc.reply_to.domain and sender_domain:
        rt = registrable(doc.reply_to.domain)
        if rt != sender_domain and not _aligned(doc.reply_to.domain, official):
            r.add("reply_to_mismatch", 2.0, reply_to=doc.reply_to.address, domain=sender_domain)
    if doc.return_path and sender_domain:
        rp = registrable(doc.return_path)
        if rp != sender_domain and not _aligned(doc.return_path, official):
            r.add("return_path_mismatch", 1.0, return_path=rp, domain=sender_domain)
        elif sender is not None and _other_member(idx, sender.address, doc.envelope):
            r.add("envelope_other_member", WEIGHT_OTHER_MEMBER, envelope=doc.envelope)
    if doc.claimed_auth:
        r.add("auth_claimed_in_text", 0.0)
    checked = receiver_results(doc.trace, idx.lists.receivers)
    _judge_checks(idx, doc, checked, provider, r, pname)
    return checked


def _judge_checks(
    idx: LibraryIndex,
    doc: Document,
    checked: Checked,
    provider: Provider | None,
    r: Reasons,
    pname: Text,
) -> None:
    """What the receiving service's checks say, and whether they confirm the claimed sender."""
    sender = doc.sender
    from_domain = sender.domain.lower() if sender is not None else ""
    official = tuple(provider.domains) if provider else ()
    _results(checked, r, from_domain)
    if not from_domain or provider is None or not _aligned(from_domain, official):
        return
    if checked.damaged:
        r.add("partly_unreadable", 0.0)
    if checked.conflicts or checked.damaged:
        # Someone wrote results in the receiving service's name: none of them can vouch.
        r.add("auth_missing", 2.0, domain=registrable(from_domain), provider=pname)
        return
    if idx.is_mailbox(from_domain) and not system_mailbox(sender.address if sender else ""):
        return  # passing checks for a public mailbox say who sent it, not that it is official
    _alignment(checked, from_domain, official, r, pname)


def _results(checked: Checked, r: Reasons, from_domain: str) -> None:
    """Conflicting, untrusted, failed or missing checks, whoever the mail claims to be from.
    A DKIM signature counts only when the sender's own domain made it: another domain's broken
    seal (a relay's, a platform's) says nothing about who sent the mail."""
    if checked.conflicts:
        r.add("auth_conflict", 2.0, checks=", ".join(c.upper() for c in checked.conflicts))
    if not checked.receiver and checked.untrusted:
        r.add("auth_untrusted", 0.0, receiver=checked.untrusted)
    failed = [m for m in ("spf", "dkim", "dmarc") if _failed(checked, m, from_domain)]
    names = ", ".join(_check_name(checked, m) for m in failed)
    dmarc = checked.first("dmarc")
    if dmarc is not None and dmarc.result == "fail":
        r.add("auth_fail", 4.0, checks=names)
    elif failed:
        # A check that could not be done because the sender's own record is broken (permerror)
        # did not fail, and one that failed while DMARC, the check of the sender's domain as a
        # whole, passed does not mean the sender was faked: the reason says which it was.
        broken = all(m.result == "permerror" for f in failed for m in checked.all(f))
        passed = dmarc is not None and dmarc.result == "pass"
        key = "reason_auth_broken" if broken else "reason_auth_fail_dmarc_pass" if passed else None
        r.add("auth_fail", 1.5 * len(failed), key, checks=names)
    elif checked.receiver and not any(
        m.result == "pass" for m in (*checked.all("spf"), *checked.all("dkim"))
    ):
        # Neither signed nor sent from a server its domain names: nothing ties the mail to
        # any sender at all. Companies' notices are signed.
        r.add("auth_none", 1.5, receiver=checked.receiver)


def _alignment(
    checked: Checked, from_domain: str, official: tuple[str, ...], r: Reasons, pname: Text
) -> None:
    """Passing checks that confirm the sender's official domain make the notice verified."""
    dmarc = checked.first("dmarc")
    shown = registrable(from_domain)
    header_from = dmarc.prop("header.from") if dmarc is not None else ""
    dkim_aligned = any(
        d.result == "pass" and _aligned(d.prop("header.d"), official) for d in checked.all("dkim")
    )
    spf_aligned = any(
        m.result == "pass" and registrable(m.prop("smtp.mailfrom")) == shown
        for m in checked.all("spf")
    )
    # DMARC passes only on an aligned SPF or DKIM pass (RFC 7489): a "pass" without either is
    # not what a receiving server writes, so it does not vouch.
    if (
        dmarc is not None
        and dmarc.result == "pass"
        and header_from in ("", from_domain)
        and (dkim_aligned or spf_aligned)
    ):
        r.verified = True
        r.add("auth_pass", -4.0, domain=shown, provider=pname)
    elif dkim_aligned:
        r.verified = True
        r.add("auth_pass", -3.0, domain=shown, provider=pname)
    if r.verified:
        r.add("sender_official", -1.0, domain=shown, provider=pname)
    else:
        # The sender's address is the provider's, but nothing the receiver wrote confirms it.
        # Without the receiver's headers (a pasted copy), the checks are not missing: this copy
        # does not show them, and the reason says so.
        weight = 2.0 if checked.receiver else 0.0
        unseen = not checked.receiver and not checked.untrusted
        key = "reason_auth_unseen" if unseen else None
        r.add("auth_missing", weight, key, domain=shown, provider=pname)


def _check_name(checked: Checked, method: str) -> str:
    """A check's name for the reason: "SPF (softfail)" when it only soft-failed (the domain
    says such a server is probably not its own)."""
    if all(m.result == "softfail" for m in checked.all(method)):
        return f"{method.upper()} (softfail)"
    return method.upper()


def _failed(checked: Checked, method: str, from_domain: str = "") -> bool:
    found = checked.all(method)
    if method == "dkim" and from_domain:
        mine = registrable(from_domain)
        # Signatures that name no domain are the sender's as far as anyone can tell.
        found = tuple(
            m for m in found if not (d := m.prop("header.d").lower()) or registrable(d) == mine
        )
    return bool(found) and all(m.result in _FAILED for m in found)


def verdict(r: Reasons) -> str:
    danger, trust = r.danger(), r.trust()
    if danger >= PHISHING_AT and danger >= trust + MARGIN:
        return "likely_phishing"
    if r.verified and trust >= GENUINE_AT and danger <= max(GENUINE_MAX_DANGER, trust - 4.0):
        return "likely_genuine"
    return "unsure"


def ordered(r: Reasons, v: str) -> tuple[Reason, ...]:
    """Reasons in the order that explains the verdict best: its own side first, heaviest first."""
    reasons = list(r.by_code.values())
    if v == "likely_genuine":
        reasons.sort(key=lambda x: (x.weight, x.code))
    else:
        reasons.sort(key=lambda x: (-x.weight, x.code))
    return tuple(reasons)
