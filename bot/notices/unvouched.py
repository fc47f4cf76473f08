"""Mail nobody vouches for: weak marks that add up, and money offered out of nowhere.

Theory of operation: a mail is vouched for when the person's own mail server confirmed that the
domain in its From line really sent it (an aligned DKIM or SPF pass), and that domain is neither
a mailbox anyone can open nor a throwaway name. Fraud and spam rarely are: they come with checks
that failed or are missing, tricks to slip past filters (hidden text, random tokens in the
subject, letters dressed up as other letters, a picture instead of words), throwaway senders,
free mailboxes posing as a company, shorteners and redirects, replies going elsewhere, cheap
endings. Each is a weak mark on its own (honest mail has some of them now and then); several
kinds of them together are what such mail looks like, and the reason names each one.

An offer of money out of nowhere (a prize, an inheritance, a crypto giveaway, a mining balance,
guaranteed returns, "we recover your lost funds", a casino bonus) is fraud by its nature when
nobody vouches for the sender; from a vouched-for sender it is only a hint.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

from bot.content.model import Text
from bot.notices import prefilter as quick
from bot.notices.authres import Checked
from bot.notices.domains import registrable
from bot.notices.hosts import random_looking
from bot.notices.reasons import Reasons

# The weak marks, by the kind of thing each shows. Marks of one kind say one thing; the verdict
# grows with the number of kinds.
FAMILIES: dict[str, str] = {
    "auth_fail": "checks",
    "auth_none": "checks",
    "auth_other_signer": "checks",
    "hidden_text": "evasion",
    "subject_token": "evasion",
    "disguised_letters": "evasion",
    "bidi_override": "evasion",
    "image_only_link": "evasion",
    "image_only": "evasion",
    "sender_badge": "sender",
    "sender_throwaway": "sender",
    "sender_org_on_mailbox": "sender",
    "sender_invalid": "sender",
    "address_as_name": "sender",
    "sender_random_local": "sender",
    "sender_name_elsewhere": "sender",
    "sender_display_domain": "sender",
    "sender_no_address": "sender",
    "notice_from_mailbox": "sender",
    "template_left": "sender",
    "random_string": "evasion",
    "filler_ids": "evasion",
    "sales_pitch": "pitch",
    "link_shortener": "links",
    "link_shortener_shape": "links",
    "link_shared_host": "links",
    "link_throwaway_tld": "links",
    "link_random_host": "links",
    "link_ip": "links",
    "link_http": "links",
    "reply_to_mismatch": "reply",
    "sender_header_mismatch": "reply",
    "envelope_other_member": "reply",
    "undisclosed_recipients": "addressing",
}
# Extra weight when marks of this many kinds stand together (and nobody vouches for the mail).
TOGETHER = {2: 1.0, 3: 2.0}
TOGETHER_MAX = 2.5
MAX_LISTED = 4

WEIGHT_INVALID = 3.0  # no mail can come from the sender's address as written
WEIGHT_OFFER_UNVOUCHED = 4.0
WEIGHT_OFFER_VOUCHED = 1.0
WEIGHT_ROMANCE = 3.0

# A sum no one hands a stranger: millions (or written with two thousands separators).
BIG_SUM = re.compile(r"\d{1,3}(?:[,.]\d{3}){2,}|\d{7,}|\bmillions?\b|\bbillions?\b|百万|千万|億")

# A sales pitch nobody asked for (matched in lower-cased text). A weak mark on its own.
SALES_PITCH = re.compile(
    r"free quote|get (?:a|your) (?:free )?quote|cash offer|no obligation|lowest rates?"
    r"|save up to \d+|up to \d+% off|limited[- ]time (?:offer|only|deal)|you (?:may|might) be "
    r"eligible|pre-?approved|compare (?:rates|quotes|prices)|as low as \$|only \$\d+"
    r"|100% free|special (?:offer|promotion)|exclusive (?:offer|deal)|best offer|act now"
    r"|desconto|promoção|oferta exclusiva|condição especial|kostenlos|sonderangebot|angebot"
    r"|gratis|今だけ|限定価格|特別価格|無料プレゼント"
)
# A template's blank the bulk sender forgot to fill ("[username]", "{first_name}", "%NAME%").
TEMPLATE_LEFT = re.compile(
    r"\[(?:user ?name|first ?name|name|email|customer)\]|\{\{?\s*(?:user_?name|first_?name|name|"
    r"email)\s*\}\}?|%(?:first_?name|name|email|user)%",
    re.IGNORECASE,
)
# A long run of letters with hardly a vowel: random text put in to confuse filters.
_RANDOM_RUN = re.compile(r"[a-z]{30,}")
# A line that is nothing but a machine identifier: hexadecimal groups joined by dashes,
# underscores, pluses or bars ("3f2a9c10-4b7e-11ee-9d21-0a58c3e4b7f2"), sometimes broken by a space.
_ID_LINE = re.compile(
    r"^[ \t]*[0-9a-f]{6,12}(?:[-_+|] ?[0-9a-f]{3,14}){3,5}[ \t]*$", re.IGNORECASE | re.MULTILINE
)
# This many identifier lines with nothing said about them: a block of filler.
FILLER_LINES = 5
# An address used as a greeting at the start of the subject ("someone@example.com, your ...").
_ADDRESS_GREETING = re.compile(r"^\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)*\s*[,:!]")

# A stranger starting a romance: how romance scams open (matched in lower-cased text).
ROMANCE = re.compile(
    r"(?:lonely|single|beautiful|hot|pretty|charming) (?:women|girls|ladies|singles|woman|girl)"
    r"|looking for (?:a |my )?(?:man|men|husband|partner|soulmate|serious relationship)"
    r"|(?:would|want|wish|like) to (?:meet|know|get to know) you|my (?:private |new )?photos"
    r"|see my (?:photos|pictures|profile)|\bsingles\b|\bdating\b|my dear|hi dear|hello dear"
    r"|querid[oa]|meine fotos|単身の女性|出会い|素敵な(?:出会い|女性)|友達になりませんか"
)

# Money offered out of nowhere, by what is offered (matched in lower-cased, folded text).
OFFERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "prize",
        re.compile(
            r"you(?:'ve| have)? (?:been )?(?:won|selected|chosen)\b|\bwinner\b|\blottery\b|jackpot"
            r"|(?:e-?mail|address) (?:was|has been) (?:randomly )?(?:selected|chosen)"
            r"|sweepstake|claim (?:your|the) (?:prize|reward|gift|bonus|cash)|free gift card"
            r"|当選(?:しました|されました|のお知らせ|者)|賞金|懸賞金|プレゼント(?:が|を)?(?:当|受け取)"
            r"|ganhou|ganhador|prêmio|premio|sorteio|resgate|gewonnen|gewinner|gewinnspiel"
            r"|ganador|gagné|gagnant|vous avez gagné|belohnung|gutschein|gewinnen|glückwunsch"
            r"|parabéns|você foi selecionad|felicidades|has sido seleccionad|félicitations"
            r"|gefeliciteerd|congratulations!? you(?:'re| are) (?:one of|among)"
            r"|(?:you're|you are) (?:one of )?(?:the )?(?:fortunate|lucky) (?:few|ones?|winners?)"
            r"|(?:you are|you're) (?:now )?rich|[\d,.]+\s?(?:\$|usd|€|btc) (?:on|in|to) your "
            r"(?:balance|account)|(?:credited|added) to your (?:balance|wallet)"
        ),
    ),
    (
        "inheritance",
        re.compile(
            r"\binheritance\b|next of kin|\bbeneficiary\b|late (?:client|husband|father|mother)"
            r"|(?:deceased|dormant) (?:client|account|customer)|unclaimed (?:funds|deposit|estate|"
            r"inheritance)|(?:us\$|usd|\$|€|£)\s?[\d.,]+\s?(?:million|m\b)|business proposal"
            r"|(?:transfer|move) (?:the|these|this) (?:funds|money|sum)|\bprobate\b"
            r"|mutually beneficial|(?:private|confidential) (?:business )?(?:proposal|proposition|"
            r"transaction|deal)|遺産|相続人"
            # a stranger giving a fortune away: "use my funds for charity, two million for you"
            r"|use (?:my|the|this|these) (?:funds?|money|wealth|fortune) (?:for|to)"
            r"|(?:million|\$[\d,.]+|usd [\d,.]+)[^.\n]{0,20} for (?:yourself|you and your family)"
            r"|(?:財産|資産|遺産)を?[^。\n]{0,8}(?:あなたに|貴方に)(?:譲|託|寄付|お渡し)"
        ),
    ),
    (
        "crypto",
        re.compile(
            r"\bairdrop\b|(?:btc|bitcoin|eth|usdt|crypto) (?:balance|transaction|withdrawal|"
            r"reward|giveaway|allocation)|mining (?:balance|account|profit)|claim (?:your )?"
            r"(?:tokens|\$[a-z]{2,6}|rewards)|(?:connect|validate|synchroni[sz]e) (?:your )?wallet"
            r"|_(?:btc|bitcoin)_|\d\.\d+[ _]btc"
        ),
    ),
    (
        "investment",
        re.compile(
            r"guaranteed (?:returns?|profits?|income)|double your (?:money|investment)"
            r"|passive income|(?:earn|make) \$?[\d,]+ (?:a|per) (?:day|week)"
            r"|risk[- ]free (?:profit|return|investment)|trading (?:bot|robot|system)"
            # a yearly return over 100%: no deposit or honest investment pays that
            r"|\b(?:apy|apr|roi)s? (?:of )?(?:up to )?\d{3,}(?:[.,]\d+)? ?%"
            r"|月収\d+万|日給\d+万|高収入|副業で"
            r"|簡単に稼|元本保証|必ず(?:儲|もうか)"
        ),
    ),
    (
        "recovery",
        re.compile(
            r"recover (?:your )?(?:lost |stolen |scammed )?(?:funds|money|crypto|bitcoin|assets)"
            r"|(?:funds?|asset) recovery|scam victims?|compensation (?:fund|payment|program)"
            r"|被害(?:金|額)?(?:を)?(?:取り戻|回収|返金)"
        ),
    ),
    (
        "refund",
        re.compile(
            r"(?:tax )?refund (?:is |of [^.\n]{0,20})?(?:ready|available|waiting|pending) "
            r"(?:for you|to (?:be )?claim)|eligible (?:for|to receive) a (?:tax )?refund"
            r"|unclaimed refund|claim your (?:tax )?refund"
            r"|還付金(?:の)?(?:受け?取り|お手続き|が(?:あります|発生))"
            r"|restituição|à restituir|reembolso pendente"
        ),
    ),
    (
        "job",
        re.compile(
            r"online work|work from home|(?:first|daily) payment within"
            r"|earn (?:money )?(?:from|at) home|part[- ]time job[^.\n]{0,40}(?:\$|usd|per "
            r"(?:day|hour))|在宅(?:ワーク|で稼)"
            r"|スマホだけで(?:稼|月収|日給)"
        ),
    ),
    (
        "casino",
        re.compile(
            r"free spins|welcome bonus|\bcasino\b|deposit bonus|no[- ]deposit|freispiele"
            r"|giros grátis|rodadas grátis|オンラインカジノ|入金不要"
        ),
    ),
)

# Letters of another alphabet inside a Latin word, or "mathematical" styled letters: dressed up
# so filters don't read the word.
_STYLED = re.compile(r"[\U0001d400-\U0001d7ff\u24b6-\u24e9\U0001f130-\U0001f189]")
_WORD = re.compile(r"[^\W\d_]{3,}")
_COMBINING = re.compile(r"[A-Za-z][\u0300-\u036f\u034f\u200b-\u200d]+[A-Za-z]")
# A capital word with a small "l" standing in for a capital "I" ("lRS", "MlCROSOFT"): the two
# look alike in most fonts, and the name no longer matches a filter's list. No real word mixes
# capitals with a small l. Two capitals at least, so "lD" or "mL" are not taken for one.
_L_FOR_I = re.compile(r"(?<![\w+/=-])(?=[A-Z]*l)(?=(?:l*[A-Z]){2})[A-Zl]{3,}(?![\w+/=-])", re.ASCII)
# A domain a mail server would accept: letters, digits, hyphens and dots, with an ending.
_VALID_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}")


@dataclass(frozen=True)
class Sender:
    """What the judge step knows about who sent the mail."""

    domain: str  # the From address's domain, lower-case ("" when there is none)
    mailbox: bool  # a domain where anyone can have an address
    throwaway: bool  # a random, cheap-ending or fake-suffix name


def vouched(checked: Checked, s: Sender) -> bool:
    """The receiving service confirmed the From domain sent it, and that domain is not one
    anyone can write from or a throwaway name."""
    if not s.domain or s.mailbox or s.throwaway or not checked.receiver:
        return False
    return aligned_pass(checked, s.domain)


def aligned_pass(checked: Checked, domain: str) -> bool:
    """A DKIM pass signed by the From domain, or an SPF pass for its envelope (relaxed:
    the same registrable domain)."""
    mine = registrable(domain)
    dkim = any(
        m.result == "pass" and registrable(m.prop("header.d").lower()) == mine
        for m in checked.all("dkim")
    )
    spf = any(
        m.result == "pass" and registrable(m.prop("smtp.mailfrom").rpartition("@")[2]) == mine
        for m in checked.all("spf")
    )
    return dkim or spf


def other_signer(checked: Checked, domain: str) -> str:
    """The domain that signed the mail when only another domain did (a mail platform's or a
    throwaway account's seal), else ""."""
    if not domain or aligned_pass(checked, domain):
        return ""
    signers = [m.prop("header.d").lower() for m in checked.all("dkim") if m.result == "pass"]
    return next((d for d in signers if d), "")


def invalid_domain(domain: str) -> bool:
    """A From domain no mail could come from: no ending, or characters no domain has."""
    return bool(domain) and _VALID_DOMAIN.fullmatch(domain.rstrip(".")) is None


def disguised_word(text: str) -> str:
    """A word dressed up to slip past filters: styled "mathematical" letters, letters of two
    alphabets mixed in one word, or marks squeezed between letters. "" when there is none."""
    m = _STYLED.search(text)
    if m is not None:
        return text[max(0, m.start() - 6) : m.end() + 6].strip()
    if (c := _COMBINING.search(text)) is not None:
        return c.group(0)
    if "l" in text and (c := _L_FOR_I.search(text)) is not None:
        return c.group(0)
    for w in _WORD.finditer(text):
        word = w.group(0)
        if word.isascii():
            continue
        scripts = {_script(ch) for ch in word}
        if "LATIN" in scripts and scripts & {"CYRILLIC", "GREEK"}:
            return word
    return ""


@functools.lru_cache(maxsize=4096)  # a notice repeats its few hundred characters
def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


def offer_of(text: str) -> str:
    """What money the notice offers out of nowhere ("" when none)."""
    for name, pattern in OFFERS:
        if quick.search(pattern, text):
            return name
    return ""


def random_local(address: str) -> bool:
    """Whether the part of an address before the "@" looks made by a machine: letters with
    hardly a vowel, digits shuffled in, or capitals scattered through one run of letters
    ("jFEdZXNAcRZTIfk")."""
    local = address.rpartition("@")[0]
    if len(local) < 7 or not local.isascii():
        return False
    humps = sum(1 for a, b in pairwise(local) if a.islower() and b.isupper())
    if humps >= 2 and local.isalpha():
        return True
    return random_looking(local.replace(".", "-").replace("_", "-"))


NAME_WORD = re.compile(r"[a-z]{3,}")
# Words of a sender's name that name no one in particular.
GENERIC_NAME = frozenset(
    [
        "the",
        "and",
        "for",
        "you",
        "your",
        "our",
        "from",
        "team",
        "support",
        "service",
        "services",
        "customer",
        "customers",
        "center",
        "centre",
        "notification",
        "notifications",
        "security",
        "account",
        "accounts",
        "billing",
        "help",
        "desk",
        "official",
        "info",
        "news",
        "mail",
        "email",
        "admin",
        "department",
        "alert",
        "alerts",
        "update",
        "updates",
        "member",
        "members",
        "online",
        "care",
        "client",
        "delivery",
        "system",
        "no",
        "reply",
        "noreply",
    ]
)


def own_words(name: str, generic: frozenset[str] = GENERIC_NAME) -> list[str]:
    """The words of a sender's name that could name someone ("Hillside" in "Hillside Tax
    Services"), leaving out the `generic` ones."""
    return [w for w in NAME_WORD.findall(name.lower()) if w not in generic]


def borne_by(host: str, words: list[str]) -> bool:
    """Whether any of `words` is spelled in the host's letters (hillsidetax.example)."""
    letters = re.sub(r"[^a-z]", "", host.lower())
    return any(w in letters for w in words)


def name_elsewhere(name: str, host: str, organisation: bool) -> str:
    """The sender's name when it names an organisation (or is one word) none of whose own words
    appear in the host it writes from ("Tractor Supply" at yahya.arands.shop), else ""."""
    if not name.isascii() or not host:
        return ""
    words = NAME_WORD.findall(name.lower())
    if not words or not (organisation or len(words) == 1):
        return ""
    own = own_words(name)
    if not own or borne_by(host, own):
        return ""
    return name.strip()


# A check mark, padlock or shield in a sender's name, put there to look verified or secure
# ("UPS ✔️", "✅ Bonus"): a mail program's own marks of a checked sender are never part of the
# name the sender wrote.
_BADGE = re.compile("[\u2611\u2713\u2714\u2705\U0001f512\U0001f510\U0001f6e1]")


def badge_in(name: str) -> str:
    """The badge in a sender's name, "" when there is none."""
    m = _BADGE.search(name)
    return m.group(0) if m else ""


def romance(text: str) -> bool:
    return quick.search(ROMANCE, text) is not None


def random_string(text: str) -> str:
    """A long run of letters that is no word of any language ("" when there is none)."""
    for m in _RANDOM_RUN.finditer(text):
        run = m.group(0)
        if sum(ch in "aeiouy" for ch in run) / len(run) <= 0.25:
            return run[:24]
    return ""


def filler_ids(text: str) -> int:
    """How many lines of `text` are a bare machine identifier, when there are enough of them to be
    filler put in to make each copy look different to filters (0 otherwise). An honest notice
    labels the one identifier it needs ("Order ID: ...")."""
    count = sum(1 for _ in _ID_LINE.finditer(text))
    return count if count >= FILLER_LINES else 0


def address_greeting(subject: str, to: tuple[str, ...]) -> bool:
    """The subject greets the person by a mail address (theirs, or one a bulk sender had)."""
    lowered = subject.lower()
    return _ADDRESS_GREETING.match(lowered) is not None or any(a and a in lowered for a in to)


def weigh_offer(offer: str, is_vouched: bool, big: bool, r: Reasons) -> None:
    what = r.text(f"offer_{offer}")
    if is_vouched and not big:
        r.add("money_offer_vouched", WEIGHT_OFFER_VOUCHED, what=what)
    else:
        r.add("money_offer", WEIGHT_OFFER_UNVOUCHED, what=what)


def together(r: Reasons, is_vouched: bool) -> None:
    """One more reason when weak marks of several kinds stand together and nobody vouches for
    the mail: it names them."""
    if is_vouched or r.verified:
        return
    present = [c for c in FAMILIES if c in r.by_code and r.by_code[c].weight > 0]
    families = {FAMILIES[c] for c in present}
    if len(families) < 2:
        return
    weight = TOGETHER.get(len(families), TOGETHER_MAX)
    sep = r.text("explain_list_separator")
    names = [r.text(f"mark_{c}") for c in present[:MAX_LISTED]]
    listed = Text({lang: sep.get(lang).join(n.get(lang) for n in names) for lang in sep.by_lang})
    r.add("marks_together", weight, marks=listed)
