"""Read and check the notice reader's lists (flows/reader/*.yaml): receiving mail services whose
checks it trusts, hosts where anyone can publish, URL shorteners and mail platforms' click
trackers. Each entry names the page its fact comes from."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from bot.content.issues import Issue, LDict, choice_hint, did_you_mean
from bot.content.reader import Reader
from bot.content.readermodel import LinkSender, ListedHost, ReaderLists, Receiver, ScamKind
from bot.content.where import Where

LIST_KEYS = (
    "receivers",
    "shared_hosts",
    "shorteners",
    "trackers",
    "cheap_tlds",
    "link_senders",
    "scam_kinds",
)
LINK_SENDER_KEYS = ("provider", "by", "source")
LINK_SENDER_CHANNELS = ("sms", "mail")
SCAM_KIND_KEYS = ("kind", "source")
CHEAP_KEYS = ("tlds", "source")
RECEIVER_KEYS = ("id", "name", "authserv_ids", "hosts", "no_authserv_id", "source")
HOST_KEYS = ("domain", "what", "name", "source")
# What each list's entries may be. A shared host's kind is said in the reason ("a cloud storage
# service, where anyone can put a page"), so each has a text `host_kind_<what>`.
HOST_KINDS: dict[str, tuple[str, ...]] = {
    "shared_hosts": (
        "cloud_storage",
        "site_builder",
        "form_service",
        "document_sharing",
        "free_hosting",
        "dynamic_dns",
        "tunnel",
        "paste",
    ),
    "shorteners": ("shortener",),
    "trackers": ("click_tracking",),
}

# The parts of a lure's shape the reader names (bot/notices/lure.py), each with its words.
LURE_THREATS = (
    "seizure",
    "arrears",
    "returned",
    "high_bill",
    "restriction",
    "expiry",
    "delivery_check",
)
LURE_ACTS = ("link", "cut_link", "phone", "attachment", "crypto")

# What money offered out of nowhere is, and the weak marks of mail nobody vouches for
# (bot/notices/unvouched.py), each with its words.
OFFERS = ("prize", "inheritance", "crypto", "investment", "recovery", "refund", "job", "casino")
WEAK_MARKS = (
    "auth_fail",
    "auth_none",
    "auth_other_signer",
    "hidden_text",
    "subject_token",
    "disguised_letters",
    "bidi_override",
    "image_only_link",
    "image_only",
    "sender_badge",
    "sender_throwaway",
    "sender_org_on_mailbox",
    "sender_invalid",
    "address_as_name",
    "filler_ids",
    "sender_random_local",
    "sender_name_elsewhere",
    "sender_display_domain",
    "sender_no_address",
    "notice_from_mailbox",
    "template_left",
    "random_string",
    "sales_pitch",
    "link_shortener",
    "link_shortener_shape",
    "link_shared_host",
    "link_throwaway_tld",
    "link_random_host",
    "link_ip",
    "link_http",
    "reply_to_mismatch",
    "sender_header_mismatch",
    "envelope_other_member",
    "undisclosed_recipients",
)

# Texts the notice reader asks for beyond those listed in catalog.REQUIRED_TEXTS, each with the
# {fields} it fills in.
READER_TEXTS: dict[str, tuple[str, ...]] = {
    "unreadable_unreadable": (),
    "unreadable_timeout": (),
    "reason_partly_unreadable": (),
    "reason_budget": (),
    "reason_image_only": (),
    "reason_link_shared_host": ("domain", "what", "service"),
    "reason_link_brand_on_shared_host": ("domain", "official", "service"),
    "reason_link_tracker": ("domain", "service"),
    "reason_link_shortener_shape": ("domain",),
    "reason_link_random_host": ("domain",),
    "reason_link_fake_suffix": ("domain", "shown"),
    "reason_link_redirect": ("domain", "target"),
    "reason_subject_token": ("token",),
    "reason_phone_personal": ("phone", "provider"),
    "reason_sender_throwaway": ("domain",),
    "reason_sender_org_on_mailbox": ("domain", "name"),
    "reason_link_throwaway_tld": ("domain", "tld"),
    "reason_link_brand_in_path": ("domain", "official"),
    "reason_link_port": ("domain", "port"),
    "reason_link_backslash": ("domain", "shown"),
    "reason_link_script": ("scheme",),
    "reason_link_form": ("domain",),
    "reason_link_refresh": ("domain",),
    "reason_link_frame": ("domain",),
    "reason_link_base": ("domain",),
    "reason_link_regional": ("domain", "provider"),
    "reason_bidi_override": (),
    "reason_asks_password_in_mail": (),
    "reason_sender_twice": (),
    "reason_sender_header_mismatch": ("domain", "sender"),
    "reason_auth_untrusted": ("receiver",),
    "reason_auth_conflict": ("checks",),
    "reason_auth_missing": ("domain", "provider"),
    "reason_auth_none": ("receiver",),
    "reason_auth_claimed_in_text": (),
    "reason_forwarded_block": (),
    "listed_when": ("date",),
    "listed_when_unknown": (),
    "reason_listed_url": ("domain", "when", "source"),
    "reason_listed_host": ("domain", "when", "source"),
    "reason_listed_site": ("domain", "when", "source"),
    "reason_marked_phishing": ("date", "percent"),
    "reason_marked_genuine": ("date", "percent"),
    "reason_marked_both": ("bad", "good"),
    "host_kind_private_suffix": (),
    "reason_sender_mailbox_person": ("domain",),
    "reason_lure": ("provider", "threat", "act", "advice"),
    "reason_lure_no_act": ("provider", "threat"),
    "reason_lure_unnamed_sender": ("threat", "act", "advice"),
    "reason_lure_unnamed": ("threat", "act", "advice"),
    "reason_scam_kind": ("title",),
    "reason_office_elsewhere": ("office", "domain"),
    "reason_suite_elsewhere": ("suite", "domain"),
    "reason_auth_other_signer": ("signer", "domain"),
    "reason_sender_invalid": ("address",),
    "reason_disguised_letters": ("word",),
    "reason_address_as_name": (),
    "reason_money_offer": ("what",),
    "reason_money_offer_vouched": ("what",),
    "reason_marks_together": ("marks",),
    "reason_image_only_link": (),
    "reason_sender_random_local": ("address",),
    "reason_sender_name_elsewhere": ("name", "domain"),
    "reason_romance_lure": (),
    "reason_sender_display_domain": ("shown", "domain"),
    "reason_sender_display_domain_mailbox": ("shown", "domain"),
    "reason_sender_no_address": ("name",),
    "reason_sender_badge": ("badge", "name"),
    "reason_envelope_other_member": ("envelope",),
    "reason_mailto_mailbox": ("domain", "provider"),
    "reason_auth_unseen": ("domain", "provider"),
    "reason_auth_fail_dmarc_pass": ("checks",),
    "reason_sender_number_only": ("name",),
    "reason_undisclosed_recipients": (),
    "reason_notice_from_mailbox": ("title", "domain"),
    "reason_template_left": ("blank",),
    "reason_random_string": ("token",),
    "reason_filler_ids": ("count",),
    "reason_sales_pitch": (),
    **{f"offer_{k}": () for k in OFFERS},
    **{f"mark_{k}": () for k in WEAK_MARKS},
    "lure_authority": ("name",),
    **{f"lure_threat_{k}": () for k in LURE_THREATS},
    **{f"lure_act_{k}": () for k in LURE_ACTS},
    **{f"lure_advice_{k}": () for k in LURE_ACTS},
    **{f"host_kind_{k}": () for kinds in HOST_KINDS.values() for k in kinds},
}

_DOMAIN = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+")


class ListsBuilder:
    """Collects the lists from every file that has a `reader:` section."""

    def __init__(self) -> None:
        self.receivers: list[Receiver] = []
        self.hosts: dict[str, list[ListedHost]] = {k: [] for k in HOST_KINDS}
        self.seen: dict[tuple[str, str], Where] = {}
        self.cheap: tuple[str, ...] = ()
        self.cheap_source = ""
        self.link_senders: list[LinkSender] = []
        self.scam_kinds: list[ScamKind] = []

    def read(self, raw: Any, r: Reader) -> None:
        d = r.mapping(raw, "reader", LIST_KEYS)
        if d is None:
            return
        for item in r.items(d, "receivers", "reader"):
            receiver = self._receiver(item, r, d.line_of("receivers"))
            if receiver is not None and self._fresh("receiver", receiver.id, receiver.where, r):
                self.receivers.append(receiver)
        if "cheap_tlds" in d:
            self._cheap(d["cheap_tlds"], r, d.line_of("cheap_tlds"))
        for key, kinds in HOST_KINDS.items():
            for item in r.items(d, key, "reader"):
                host = self._host(item, r, key, kinds, d.line_of(key))
                if host is not None and self._fresh(key, host.domain, host.where, r):
                    self.hosts[key].append(host)
        for item in r.items(d, "link_senders", "reader"):
            sender = self._link_sender(item, r, d.line_of("link_senders"))
            if sender is not None and self._fresh("link sender", sender.provider, sender.where, r):
                self.link_senders.append(sender)
        for item in r.items(d, "scam_kinds", "reader"):
            scam = self._scam_kind(item, r, d.line_of("scam_kinds"))
            if scam is not None and self._fresh("scam kind", scam.kind, scam.where, r):
                self.scam_kinds.append(scam)

    def check(self, providers: Collection[str], kinds: Collection[str]) -> list[Issue]:
        """The providers and kinds the lists name must exist."""
        issues: list[Issue] = []
        named = [(s.provider, s.where, "provider", providers) for s in self.link_senders]
        named += [(k.kind, k.where, "kind", kinds) for k in self.scam_kinds]
        for name, where, what, known in named:
            if name not in known:
                hint = did_you_mean(name, known)
                issues.append(
                    Issue(
                        where.file,
                        where.line,
                        f"reader list entry '{name}'",
                        f"unknown {what} '{name}'",
                        hint or f"name a {what} that is defined in flows/",
                    )
                )
        return issues

    def build(self) -> ReaderLists:
        return ReaderLists(
            receivers=tuple(self.receivers),
            shared_hosts=tuple(self.hosts["shared_hosts"]),
            shorteners=tuple(self.hosts["shorteners"]),
            trackers=tuple(self.hosts["trackers"]),
            cheap_tlds=self.cheap,
            cheap_tlds_source=self.cheap_source,
            link_senders=tuple(self.link_senders),
            scam_kinds=tuple(self.scam_kinds),
        )

    def _link_sender(self, raw: Any, r: Reader, line: int) -> LinkSender | None:
        d = r.mapping(raw, "link_senders", LINK_SENDER_KEYS, line, required=LINK_SENDER_KEYS)
        if d is None:
            return None
        provider = r.string(d, "provider", "link_senders") or "?"
        where = f"link sender '{provider}'"
        by = tuple(r.strings(d, "by", where))
        for channel in by:
            if channel not in LINK_SENDER_CHANNELS:
                r.problem(
                    d.line_of("by"),
                    where,
                    f"unknown channel '{channel}'",
                    choice_hint(channel, LINK_SENDER_CHANNELS),
                )
        return LinkSender(provider, by, _source(d, where, r), Where(r.file, d.line))

    def _scam_kind(self, raw: Any, r: Reader, line: int) -> ScamKind | None:
        d = r.mapping(raw, "scam_kinds", SCAM_KIND_KEYS, line, required=SCAM_KIND_KEYS)
        if d is None:
            return None
        kind = r.string(d, "kind", "scam_kinds") or "?"
        return ScamKind(kind, _source(d, f"scam kind '{kind}'", r), Where(r.file, d.line))

    def _cheap(self, raw: Any, r: Reader, line: int) -> None:
        d = r.mapping(raw, "cheap_tlds", CHEAP_KEYS, line, required=("tlds", "source"))
        if d is None:
            return
        tlds = tuple(t.lower().lstrip(".") for t in r.strings(d, "tlds", "cheap_tlds"))
        for t in tlds:
            if not re.fullmatch(r"[a-z]{2,24}", t):
                r.problem(
                    d.line_of("tlds"),
                    "cheap_tlds",
                    f"'{t}' is not a top-level domain",
                    "write the ending alone, such as top or xyz",
                )
        if self.cheap:
            r.problem(d.line, "cheap_tlds", "given twice", "keep one list of cheap endings")
        self.cheap = tlds
        self.cheap_source = _source(d, "cheap_tlds", r)

    def _fresh(self, what: str, key: str, where: Where, r: Reader) -> bool:
        first = self.seen.get((what, key))
        if first is not None:
            r.problem(where.line, f"{what} '{key}'", "listed twice", f"first at {first}; keep one")
            return False
        self.seen[(what, key)] = where
        return True

    def _receiver(self, raw: Any, r: Reader, line: int) -> Receiver | None:
        d = r.mapping(raw, "receiver", RECEIVER_KEYS, line, required=("id", "name", "source"))
        if d is None:
            return None
        rid = r.ident(d, "id", "receiver") or "?"
        where = f"receiver '{rid}'"
        ids = tuple(x.lower() for x in r.strings(d, "authserv_ids", where))
        hosts = tuple(x.lower() for x in r.strings(d, "hosts", where))
        for value in (*ids, *hosts):
            _check_domain(value.removeprefix("*."), d, "authserv_ids", where, r)
        no_id = r.flag(d, "no_authserv_id", where)
        if not ids and not no_id:
            r.problem(
                d.line,
                where,
                "names no authserv_ids",
                "list the ids its Authentication-Results start with, or set no_authserv_id: true",
            )
        if no_id and not hosts:
            r.problem(
                d.line,
                where,
                "writes no authserv-id but lists no hosts",
                "list the domains its receiving servers are under, so its results can be placed",
            )
        return Receiver(
            id=rid,
            name=r.string(d, "name", where) or rid,
            authserv_ids=ids,
            hosts=hosts,
            no_authserv_id=no_id,
            source=_source(d, where, r),
            where=Where(r.file, d.line),
        )

    def _host(
        self, raw: Any, r: Reader, key: str, kinds: tuple[str, ...], line: int
    ) -> ListedHost | None:
        d = r.mapping(raw, key, HOST_KEYS, line, required=("domain", "name", "source"))
        if d is None:
            return None
        domain = (r.string(d, "domain", key) or "").lower()
        where = f"{key} '{domain}'"
        _check_domain(domain, d, "domain", where, r)
        what = r.string(d, "what", where, default=kinds[0]) or kinds[0]
        if what not in kinds:
            r.problem(d.line_of("what"), where, f"unknown kind '{what}'", choice_hint(what, kinds))
        return ListedHost(
            domain=domain,
            what=what,
            name=r.string(d, "name", where) or domain,
            source=_source(d, where, r),
            where=Where(r.file, d.line),
        )


def _check_domain(value: str, d: LDict, key: str, where: str, r: Reader) -> None:
    if not _DOMAIN.fullmatch(value):
        r.problem(
            d.line_of(key),
            where,
            f"'{value}' is not a domain name",
            "write it as example.com, without scheme or path",
        )


def _source(d: LDict, where: str, r: Reader) -> str:
    source = r.string(d, "source", where) or ""
    if source and not source.startswith("https://"):
        r.problem(
            d.line_of("source"),
            where,
            "the source must be the https:// address of the page the fact comes from",
            "write the full https:// address",
        )
    return source
