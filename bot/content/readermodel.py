"""The content model's part for the notice reader: the lists of mail and web services under
flows/reader/ (receiving services, shared hosts, shorteners, trackers, brands that send links,
kinds that are fraud whoever sends them)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.where import NOWHERE, Where


@dataclass(frozen=True)
class Receiver:
    """A mail service whose receiving servers' Authentication-Results the reader may trust."""

    id: str
    name: str
    authserv_ids: tuple[str, ...]  # exact ids, or "*.example.com" for any host under it
    hosts: tuple[str, ...]  # domains its receiving servers are under (the Received "by" host)
    no_authserv_id: bool  # writes its results without an authserv-id (Exchange Online does)
    source: str
    where: Where = NOWHERE


@dataclass(frozen=True)
class ListedHost:
    """A domain on one of the reader's lists, what kind of service it is, and who says so."""

    domain: str  # the host or the domain it is a suffix of (storage.googleapis.com, bit.ly)
    what: str  # the kind of service: a key of READER_LIST_KINDS for its list
    name: str  # the service's name as people know it
    source: str
    where: Where = NOWHERE


@dataclass(frozen=True)
class LinkSender:
    """A brand that says on its own page that it sends messages with a link to act on (a card
    company's usage check by SMS): a copy of such a message that lost its link is not judged
    by its shape alone."""

    provider: str
    by: tuple[str, ...]  # sms | mail
    source: str
    where: Where = NOWHERE


@dataclass(frozen=True)
class ScamKind:
    """A kind of notice that is fraud whoever sends it (the "I recorded you" extortion mail)."""

    kind: str
    source: str
    where: Where = NOWHERE


@dataclass(frozen=True)
class ReaderLists:
    """Facts about mail and web services the notice reader uses (flows/reader/*.yaml)."""

    receivers: tuple[Receiver, ...] = ()
    shared_hosts: tuple[ListedHost, ...] = ()  # where anyone can publish a page or a file
    shorteners: tuple[ListedHost, ...] = ()  # URL shorteners: where they lead is hidden
    trackers: tuple[ListedHost, ...] = ()  # click-tracking domains of known mail platforms
    cheap_tlds: tuple[str, ...] = ()  # endings sold so cheaply that throwaway sites favour them
    cheap_tlds_source: str = ""
    link_senders: tuple[LinkSender, ...] = ()  # brands that send messages with links to act on
    scam_kinds: tuple[ScamKind, ...] = ()  # kinds that are fraud whoever sends them
