"""A lure's shape as evidence when the deciding evidence is missing.

Theory of operation: the commonest phishing message names a brand or an office, tells the person
something bad has happened or will happen (the account or card is stopped, money is overdue,
property will be seized, a parcel is coming back, a bill is unusually high, points will lapse),
and presses them to act through something the message carries: a link, a number to call, an
attached file, a crypto payment. Copies people forward often lose the link ("https://...",
"[URL削除]", a button's words alone), so the link itself cannot be judged. When all three parts
stand together and nothing in the notice confirms the brand (no passing check from the person's
own mail server, no link to the brand's own domains), that shape is evidence in itself, and the
reason says so and says what to do instead.

It never fires on a notice that links the brand's own site, on an announcement warning about such
lures, on a support answer, on a notice that asks nothing, or (at full weight) where the brand
says it does send such messages with links (a list in flows/reader).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.content.model import Provider, Text, fill
from bot.notices import prefilter as quick
from bot.notices.analysis import Link
from bot.notices.reasons import Reasons
from bot.notices.unvouched import borne_by, own_words

# -- a link that was cut out of the copy ------------------------------------------------------

# Matched in lower-cased text. An address whose name is only dots, stars, x's or circles
# ("https://....", "http://xxxx.xxx/", "https://・・・"), a bracketed word standing for the link
# ("[URL削除]", "(リンク)", "<link>", "[link removed]"), a masked domain ("○○○○.com"), or "URL"
# standing alone where the address was.
_MASK = r"[.・…。○〇●◯*＊x×_/~〜\-]"
CUT_LINK = re.compile(
    rf"https?:/*+{_MASK}{{2,}}(?![a-z0-9])"
    r"|https?:/*+[○〇●◯*＊]{2,}"
    r"|[\[［(（<＜【]\s*(?:url|link|リンク|ｕｒｌ)[^\]］)）>＞】\n]{0,12}[\]］)）>＞】]"
    r"|[○〇●◯*＊]{2,}\.[a-z.]{2,6}\b|(?<![a-z0-9])x{3,}\.(?:com|net|jp|co\.jp|xxx)\b"
    r"|(?:^|(?<=[\s。、:：]))url(?=$|[\s。.)）])"
)
_PLACEHOLDER_HOST = re.compile(r"[.・…。○〇●◯*＊x×_~〜\-]*")

# Words that point at a link or button the copy should carry.
POINTS_AT_LINK = re.compile(
    r"(?:下記|以下|こちら|次|本メール)の?(?:url|リンク|ボタン|ページ|サイト)"
    r"|(?:こちら|下記|以下)(?:から|より|へ|に)(?:アクセス|ログイン|ご?確認|手続|お手続|ご?登録|更新|ご?入力)?"
    r"|(?:はこちら|こちらをクリック|こちらをタップ)"
    r"|\b(?:click|tap|press|follow|use|visit|open) (?:here|below|the (?:link|button)|this link)"
    r"|\b(?:link|button) below|\bhere:\s*$",
    re.MULTILINE,
)
# A short line that reads as a button whose link the copy lost ("お支払い方法を更新する",
# "本人確認はこちら", "UPDATE PAYMENT", "Verify now").
_BUTTON_JA = re.compile(
    r"^[ \t]*[^\n。、！？!?「」『』《》【】]{2,18}"
    r"(?:する|はこちら|ログイン|サインイン|を確認|を更新|を解除|手続き|を行う|を再開)[ \t]*$",
    re.MULTILINE,
)

# -- a number to call, an attachment to open, money to send ------------------------------------

# A phone number with its digits masked ("080-XXXX-XXXX", "050xxxxxxxx", "1-8XX-XXX-XXXX").
MASKED_PHONE = re.compile(
    r"(?<![\w])(?=[0-9x×＊*●○]{1,4}(?:[-‐－ ]?[0-9x×＊*●○]{2,5}){1,3}(?![\w]))"
    r"(?=[^\s]*\d)(?=(?:[^\s]*[x×＊*●○]){3})[0-9x×＊*●○\-‐－ ]{9,16}"
)
CALL = re.compile(
    r"電話|お?かけ|ご?連絡|問い?合わ?せ|\bcall\b|\bdial\b|\bring\b|\bphone\b|\bcontact\b"
)
ATTACHED = re.compile(
    r"添付(?:され(?:て|た)|の|した)[^。\n]{0,24}(?:印刷|開|ご?確認|ダウンロード|ご覧|お持ち|保存)"
    r"|\b(?:open|see|print|download|review|check) (?:the )?attached"
    r"|\battached (?:invoice|label|document|file|form|waybill|receipt|statement)"
)
PAY_CRYPTO = re.compile(
    r"(?:bitcoin|\bbtc\b|\busdt\b|crypto|ビットコイン|仮想通貨|暗号資産|gift ?cards?|ギフトカード|"
    r"電子マネー|プリペイドカード)[^.\n。]{0,40}"
    r"(?:pay|send|transfer|wallet|address|buy|purchase|送金|支払|払|振り?込|購入|アドレス)"
    r"|(?:pay|send|transfer|送金|支払|払|振り?込|購入)[^.\n。]{0,40}"
    r"(?:bitcoin|\bbtc\b|\busdt\b|crypto|ビットコイン|仮想通貨|暗号資産|gift ?cards?|ギフトカード|"
    r"電子マネー|プリペイドカード)"
)

# -- the threat ---------------------------------------------------------------------------------

# Matched in lower-cased text, per sentence. What the notice says happened to the person's
# account, money or parcel: not what happened to somebody else ("we blocked a sign-in").
THREATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "seizure",
        re.compile(
            r"差し?押さ?え|差押|強制執行|法的(?:措置|手続)|財産[^。\n]{0,6}(?:差|没収)|訴訟|逮捕"
            r"|違法(?:な)?(?:取引|行為)?に(?:関与|関わ)|犯罪に(?:関与|関わ|使われ)|捜査|事件に関与"
            r"|\bseiz(?:e|ed|ure)\b|enforcement action|legal action|arrest warrant|bailiff|garnish"
            r"|money laundering|(?:linked|connected) to (?:a |an )?(?:crime|criminal|fraud|illegal)"
            r"|criminal (?:case|investigation|charges)|under investigation"
        ),
    ),
    (
        "arrears",
        re.compile(
            r"未払|未納|滞納|延滞|督促|催告|支払い?期限を過ぎ|(?:お?支払い?|ご?入金|納付)[^。\n]{0,8}"
            r"(?:確認(?:が|は)?(?:でき|とれ|取れ)て(?:い|お)?(?:ません|りません)|確認できません)"
            r"|\boverdue\b|\bunpaid\b|past due|\barrears\b|final (?:notice|reminder)"
            r"|outstanding (?:balance|amount|payment|invoice|tax|bill|debt)"
            r"|payment (?:failed|was declined|has been declined|could not be processed)"
            r"|(?:お?支払い?|決済|ご?請求)(?:方法)?(?:に|で)(?:問題|不備|エラー)|(?:お?支払い?|決済)"
            r"(?:が|に)?(?:失敗|できませんでした)|problem with your (?:payment|billing)"
            r"|payment (?:method|details|information) (?:has |have |is )?(?:a problem|an issue|"
            r"expired|failed|declined|invalid|outdated)"
            r"|(?:couldn't|could not|were unable to|was unable to|unable to) "
            r"(?:process|charge|collect)"
        ),
    ),
    (
        "returned",
        re.compile(
            r"持ち(?:帰|戻)り|持ち戻|返送(?:され|いた|し|と)|宛先不明|住所[^。\n]{0,4}不備"
            r"|(?:配達|配送|お届け)(?:が)?でき(?:ません|ず)|保管期限"
            r"|(?:could not|couldn't|unable to|failed to|cannot) (?:be )?deliver|undeliverable"
            r"|returned to (?:the )?sender|will be returned|(?:incomplete|invalid|incorrect|wrong) "
            r"(?:shipping |delivery |street )?address|on hold at|held at (?:our|the) "
            r"(?:facility|warehouse|depot)|delivery attempt (?:failed|was unsuccessful)"
        ),
    ),
    (
        "high_bill",
        re.compile(
            r"高額(?:の|な)?(?:ご?利用|請求|料金|決済|お?取引)|(?:ご?利用|請求|料金)[^。\n]{0,10}高額"
            r"|不正(?:利用|使用|な(?:お?取引|ご?利用|決済))|不審な(?:お?取引|ご?利用|決済|請求)"
            r"|身に覚えのない(?:請求|ご?利用|決済)"
            r"|(?:unusual|suspicious|unauthori[sz]ed|fraudulent) (?:charge|transaction|purchase|"
            r"payment|activity on your (?:card|account))|(?:unusually )?high (?:bill|charge)"
        ),
    ),
    (
        "restriction",
        re.compile(
            # Japanese lures often write the account or card in Latin letters ("Amazon account
            # が停止", "rakuten cardが一時停止").
            r"(?:アカウント|口座|カード|回線|サービス|ご?利用|お?取引|会員資格|ログイン|メール|id|"
            r"account|card)"
            r"[^。\n]{0,20}(?:停止|制限|凍結|ロック|保留|無効|閉鎖|強制解約|削除され|利用できなく)"
            r"|(?:account|card|access|service|membership|mailbox|line|banking|subscription|profile|"
            r"apple id|id)\b[^.\n]{0,40}\b(?:(?:has|have|is|was|were|will) )?(?:been |be )?"
            r"(?:suspended|restricted|limited|locked|disabled|deactivated|frozen|on hold|"
            r"blocked|closed|terminated)"
            r"|(?:suspend|restrict|limit|lock|disable|deactivate|freeze|close|terminate)(?:d|ed)? "
            r"(?:your|the) (?:account|card|access|service|membership|mailbox)"
            r"|(?:can|will|may) no longer (?:send|receive|access|use)|(?:unable|not be able) to "
            r"(?:send|receive|access|use)|(?:送受信|受信|送信|ご?利用)(?:が)?できなくな"
        ),
    ),
    (
        "expiry",
        re.compile(
            r"(?:ポイント|給付|還付|特典|会員資格)[^。\n]{0,20}(?:失効|保留|期限切れ|消滅)"
            r"|(?:points|reward|membership|benefit|refund)[^.\n]{0,30}"
            r"(?:expire|expiring|on hold|will be lost|forfeit)"
        ),
    ),
)

# A text message about a parcel that names no carrier and asks the person to check or give the
# delivery time or their address through it. Every carrier's own messages say who they are
# ("ヤマト運輸です", "佐川急便より"), so an unnamed one standing in for them is the lure itself,
# even with nothing bad said.
DELIVERY_CHECK = re.compile(
    r"(?:住所|配送時間|配達時間|お届け(?:日時|時間|先)|受け?取り?(?:日時|時間)|再配達|配送先)"
    r"[^。\n]{0,24}(?:確認|入力|指定|更新|変更|登録)"
    r"|(?:confirm|update|verify|enter|choose|reschedule)[^.\n]{0,20}"
    r"(?:address|delivery (?:time|date|slot|details)|redelivery)"
)
DELIVERY_KINDS = frozenset({"parcel_delivery"})

# -- what rules the shape out ------------------------------------------------------------------

# A notice that warns about such messages, or a support answer to the person's own request.
_WARNING = re.compile(
    r"(?:を装った|になりすま|偽の?|不審な|フィッシング)[^。\n]{0,6}(?:sms|メール|ショートメッセージ|"
    r"メッセージ|サイト|電話)|(?:fake|phishing|fraudulent|scam|spoofed|suspicious) "
    r"(?:text |e-?mail |sms )?(?:messages|e-?mails|texts|sites|websites|calls)"
)
_SUPPORT_ANSWER = re.compile(
    r"thank(?:s| you) for (?:contacting|reaching out|your (?:inquiry|enquiry|request|e-?mail|"
    r"message|reply|patience))|お問い?合わ?せ(?:いただ|頂)|ご連絡(?:いただ|頂)き|ご依頼(?:いただ|頂)き"
)
# Kinds the shape is never evidence for: announcements, lifted restrictions, bounces.
NOT_LURES = frozenset({"provider_announcement", "restriction_lifted", "bounce_backscatter"})
# Offices a notice may invoke without being in the provider directory.
AUTHORITY = re.compile(
    r"警察|警視庁|検察|裁判所|税務署|国税|市役所|区役所|役場|年金機構|入国管理|総務省|厚生労働省"
    r"|\bpolice\b|\bcourt\b|\bsheriff\b|tax (?:office|authority|agency|department)"
    r"|revenue (?:service|agency)|\bcustoms\b|\bimmigration\b|\bfbi\b|\birs\b|\bhmrc\b"
)
# A text message (no sender, no subject but the paste's own marker) is short.
_SHORT = 400

WEIGHT_CUT = 4.0  # a brand, a threat and a link cut out of the copy: the commonest shape
WEIGHT_SENDS_SUCH = 2.0  # the same, for a brand that says it sends such messages with links
WEIGHT_LIVE = 1.0  # the link is there and judged on its own; the shape only adds to it
WEIGHT_PHONE = 3.0
WEIGHT_ATTACHMENT = 4.0
WEIGHT_CRYPTO = 4.0
WEIGHT_UNNAMED_SMS = 4.0
WEIGHT_UNNAMED = 3.0
WEIGHT_SCAM_KIND = 4.0  # a kind that is fraud whoever sends it, read with confidence


# The codes of the reasons that judge a notice by its shape alone (a brand, a threat, a way to
# act), not by evidence: a genuine mark takes them back, and a lost link can overturn them.
SHAPE_CODES = frozenset({"lure", "lure_unnamed"})
# The reason for a named threat whose link or number the copy does not carry (weight 0): it asks
# the person for the link.
NO_ACT_CODE = "lure_no_act"


@dataclass(frozen=True)
class Shape:
    """The parts of a lure found in a notice."""

    threat: str  # seizure | arrears | returned | high_bill | restriction | expiry
    act: str  # link | cut_link | phone | attachment | crypto


def is_placeholder(host: str) -> bool:
    """A link's host that is only the marks someone put where the address was."""
    return _PLACEHOLDER_HOST.fullmatch(host) is not None


def threat_of(text: str, negated: Callable[[int], bool]) -> str | None:
    """The first threat the notice makes about the person's own account, money or parcel,
    leaving out sentences that rule it out (`negated` says so for a position)."""
    for name, pattern in THREATS:
        for m in quick.finditer(pattern, text):
            if not negated(m.start()):
                return name
    return None


@dataclass(frozen=True)
class Evidence:
    """What the judge step found that the shape is weighed against."""

    text: str  # the lower-cased wording window (sender name, subject, body)
    kind: str | None
    provider: Provider | None
    links: tuple[Link, ...]
    cut: bool  # a link was cut out of the copy (a placeholder stands where it was)
    pasted: bool  # no sender address: a text message or a paste without headers
    phones: tuple[str, ...]
    attachments: bool
    asks: tuple[str, ...]
    buttons: bool


def _address(lk: Link) -> bool:
    """A link written as an address to open, not a domain named in passing ("Amazon.co.jp
    カスタマーサービス" signs a notice; it links nowhere)."""
    if lk.scheme in ("http", "https"):
        return True
    return lk.scheme == "" and "/" in lk.url.rstrip("/")


def act_of(e: Evidence, official_phone: Callable[[str], bool]) -> str | None:
    """How the notice presses the person to act: through its link (there, or cut out of the
    copy), a number to call, an attachment, or a crypto or gift-card payment."""
    pressed = [
        lk for lk in e.links if lk.role in ("action", "form") and lk.scheme not in ("mailto", "tel")
    ]
    # A link to some known company's own site is not a phisher's page, whoever it belongs to.
    if any(not lk.official and lk.provider is None for lk in pressed):
        return "link"
    if quick.search(PAY_CRYPTO, e.text):
        return "crypto"
    web = [lk for lk in e.links if lk.host and _address(lk)]
    if e.cut or (
        not web and (e.buttons or quick.search(POINTS_AT_LINK, e.text) or _BUTTON_JA.search(e.text))
    ):
        return "cut_link"
    if e.attachments or quick.search(ATTACHED, e.text):
        return "attachment"
    if CALL.search(e.text) and (
        MASKED_PHONE.search(e.text) or any(not official_phone(p) for p in e.phones)
    ):
        return "phone"
    return None


def named_otherwise(name: str, provider: Provider) -> bool:
    """A sender shown by a name alone (an SMS's sender ID, "amlainfo") in Latin letters that
    bears none of the brand's own words (from its English name, aliases and domains). A number
    or a name in another script says nothing either way."""
    if not name.isascii() or not any(ch.isalpha() for ch in name) or any(c.isdigit() for c in name):
        return False
    names = [
        provider.names.get("en"),
        *provider.aliases,
        *(d.split(".")[0] for d in provider.domains),
    ]
    words = {w for n in names if n.isascii() for w in own_words(n.replace("-", " "))}
    return bool(words) and not borne_by(name, sorted(words))


def warns_or_answers(text: str) -> bool:
    """A warning about lures, or a support answer to the person's own request."""
    return (
        quick.search(_WARNING, text) is not None or quick.search(_SUPPORT_ANSWER, text) is not None
    )


def _ruled_out(e: Evidence) -> bool:
    return (
        e.kind in NOT_LURES
        or any(lk.official and _address(lk) for lk in e.links)
        or warns_or_answers(e.text)
    )


def threat_alone(
    e: Evidence, negated: Callable[[int], bool], official_phone: Callable[[str], bool]
) -> str | None:
    """A copy with a brand's or an office's name and a threat but nothing to act through (no
    link, no number, no attachment): the part the person could still send is what would decide
    it. The threat, or None."""
    if not e.pasted or e.links or _ruled_out(e) or act_of(e, official_phone) is not None:
        return None
    if e.provider is None and AUTHORITY.search(e.text) is None:
        return None
    return threat_of(e.text, negated)


def shape_of(
    e: Evidence, negated: Callable[[int], bool], official_phone: Callable[[str], bool]
) -> Shape | None:
    """The lure's shape, when the notice has it and nothing rules it out."""
    if _ruled_out(e):
        return None
    act = act_of(e, official_phone)
    if act is None:
        return None
    threat = threat_of(e.text, negated)
    if threat is None and _unnamed_delivery_check(e):
        threat = "delivery_check"
    if threat is None:
        return None
    return Shape(threat, act)


def _unnamed_delivery_check(e: Evidence) -> bool:
    """A short text message about a delivery that names no carrier, shop or office and asks for
    the delivery time or the address (DELIVERY_CHECK)."""
    return (
        e.kind in DELIVERY_KINDS
        and e.provider is None
        and e.pasted
        and len(e.text) <= _SHORT
        and AUTHORITY.search(e.text) is None
        and DELIVERY_CHECK.search(e.text) is not None
    )


def weigh(
    e: Evidence,
    shape: Shape,
    r: Reasons,
    pname: Text,
    sends_such: bool,
) -> None:
    """The reason for the shape, weighed by who it names and how it wants the person to act."""
    threat = r.text(f"lure_threat_{shape.threat}")
    act = r.text(f"lure_act_{shape.act}")
    advice = r.text(f"lure_advice_{shape.act}")
    named = e.provider is not None or quick.search(AUTHORITY, e.text) is not None
    if not named:
        short = e.pasted and len(e.text) <= _SHORT
        weight = WEIGHT_UNNAMED_SMS if short else WEIGHT_UNNAMED
        if shape.act == "link":
            weight = WEIGHT_LIVE
        # With a sender address, the reason says it is nobody's I know, not that there is none.
        key = None if e.pasted else "reason_lure_unnamed_sender"
        r.add("lure_unnamed", weight, key, threat=threat, act=act, advice=advice)
        return
    weight = {
        "link": WEIGHT_LIVE,
        "cut_link": WEIGHT_SENDS_SUCH if sends_such else WEIGHT_CUT,
        "phone": WEIGHT_PHONE,
        "attachment": WEIGHT_ATTACHMENT,  # brands and offices don't send files to act on
        "crypto": WEIGHT_CRYPTO,
    }[shape.act]
    if e.provider is None:
        pname = authority_name(e.text, r)
    r.add("lure", weight, provider=pname, threat=threat, act=act, advice=advice)


def authority_name(text: str, r: Reasons) -> Text:
    """The office a notice invokes, as the reasons name it ("an office (警察)")."""
    m = AUTHORITY.search(text)
    office = m.group(0) if m is not None else ""
    said = r.text("lure_authority").by_lang.items()
    return Text({lang: fill(v, {"name": office}) for lang, v in said})
