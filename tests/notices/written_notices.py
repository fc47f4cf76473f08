"""Notices written for the second judgement pass, before any tuning: the shapes the verdict must
get right when the deciding evidence is missing or weak, in Japanese and English.

- lures whose link or number was cut out of the copy (a brand or an office named, a threat, and
  a request to act through a link, a number or an attachment);
- genuine notices with and without links: a brand's own link, an announcement warning about
  lures, support answers, statements that ask nothing, marketing mail with aligned checks;
- unsolicited offers and mail nobody vouches for (prize, inheritance, crypto, casino, dating),
  each with the weak marks such mail carries.

Names, numbers, addresses and lookalike domains are made up. Official domains are the ones in
the provider directory. Each notice is written from the general shape of its kind in words of
our own; none is a copy of a real message.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

from bot.content.model import Library
from bot.notices import Analysis, analyse

PHISHING = "likely_phishing"
NOT_PHISHING = "not_phishing"  # unsure or likely_genuine: anything but a false alarm
GENUINE = "likely_genuine"


@dataclass(frozen=True)
class Written:
    name: str
    lang: str
    shape: str  # the general pattern it stands for
    expect: str  # PHISHING, NOT_PHISHING or GENUINE
    raw: bytes | str
    kind: str | None = None  # the kind the reader must name, where that is the point

    @property
    def id(self) -> str:
        return f"{self.shape}-{self.lang}-{self.name}"


def mail(
    sender: str,
    subject: str,
    body: str,
    *,
    auth: str,
    html: bool = False,
    reply_to: str | None = None,
    return_path: str | None = None,
    to: str = "yuki.tanaka@example-isp.jp",
    outlook: bool = False,
) -> bytes:
    """A mail file as the person's receiving service hands it over: its Received and
    Authentication-Results headers on top."""
    msg = EmailMessage()
    if outlook:
        msg["Received"] = (
            "from MW4PR02MB1111.namprd02.prod.outlook.com by BY5PR02MB2222.outlook.com"
        )
        msg["Authentication-Results"] = auth
    else:
        msg["Received"] = "from relay.sender.invalid ([198.51.100.23]) by mx.google.com"
        msg["Authentication-Results"] = f"mx.google.com; {auth}"
    if return_path:
        msg["Return-Path"] = f"<{return_path}>"
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = "Tue, 10 Mar 2026 09:41:00 +0900"
    if reply_to:
        msg["Reply-To"] = reply_to
    msg.set_content(body, subtype="html" if html else "plain", charset="utf-8")
    return msg.as_bytes()


def judged(lib: Library, raw: bytes | str) -> Analysis:
    a = analyse(lib, raw)
    assert isinstance(a, Analysis), a
    return a


def weights(a: Analysis) -> dict[str, float]:
    return {r.code: r.weight for r in a.reasons}


def aligned(domain: str) -> str:
    return (
        f"spf=pass smtp.mailfrom=bounce.{domain}; dkim=pass header.d={domain}; "
        f"dmarc=pass header.from={domain}"
    )


NOTICES: list[Written] = [
    # == lures whose link, number or attachment is not in the copy ===========================
    Written(
        "carrier-arrears-cut-link",
        "ja",
        "lure_redacted",
        PHISHING,
        "Subject: (SMS)\n\n【ソフトバンク】ご利用料金のお支払いが確認できないため、まもなく回線を"
        "停止いたします。お支払い手続きはこちら https://****",
    ),
    Written(
        "bank-frozen-url-removed",
        "ja",
        "lure_redacted",
        PHISHING,
        "【三井住友銀行】お客様の口座で不審なお取引を確認したため、口座のご利用を一時的に凍結"
        "しました。凍結の解除は下記URLより本人確認をお願いします。[URL削除]",
    ),
    Written(
        "prime-payment-button-lost",
        "ja",
        "lure_redacted",
        PHISHING,
        """Subject: Amazonプライムの会員資格を保留しました

Amazonをご利用いただきありがとうございます。
登録されているお支払い方法で、プライム会費の請求ができませんでした。
このため、お客様のプライム会員資格を一時的に保留しております。
3日以内にお支払い情報を更新いただけない場合、会員特典はすべて停止されます。

お支払い方法を更新する

Amazon.co.jp カスタマーサービス
""",
    ),
    Written(
        "japanpost-returned-link-omitted",
        "ja",
        "lure_redacted",
        PHISHING,
        "日本郵便です。お届けに伺いましたがご不在のため持ち戻りました。保管期限を過ぎると"
        "差出人様へ返送となります。再配達のご依頼はこちら（URLは省略）",
    ),
    Written(
        "tax-seizure-link-masked",
        "ja",
        "lure_redacted",
        PHISHING,
        """Subject: 【国税庁】未納税額のお知らせ（最終催告）

あなたの令和7年度分の所得税について、納付期限を過ぎても納付が確認できていません。
本通知から2日以内に納付いただけない場合、給与や預金などの財産を差し押さえる手続きに入ります。
下記の納付専用ページからお手続きください。
納付専用ページ：http://xxxx.xxx/
国税庁 徴収課
""",
    ),
    Written(
        "carrier-high-bill-dots",
        "ja",
        "lure_redacted",
        PHISHING,
        "Subject: (SMS)\n\n【au】今月のご利用料金が大変高額になっております。"
        "至急ご確認ください。https://......",
    ),
    Written(
        "card-stopped-call-mobile",
        "ja",
        "lure_phone",
        PHISHING,
        "【楽天カード】お客様のカードに不正利用の疑いがあるため、ご利用を一時停止しました。"
        "至急、カード不正対策室 080-XXXX-XXXX までお電話ください。",
    ),
    Written(
        "usps-returned-link-removed",
        "en",
        "lure_redacted",
        PHISHING,
        "USPS: Your package could not be delivered because the address is incomplete and "
        "will be returned to the sender in 48 hours. Update your address here: [link removed]",
    ),
    Written(
        "chase-suspended-dots",
        "en",
        "lure_redacted",
        PHISHING,
        "Chase Alert: Your online banking access has been suspended after unusual activity. "
        "Restore your access now: https://...",
    ),
    Written(
        "netflix-on-hold-button",
        "en",
        "lure_redacted",
        PHISHING,
        """Subject: Your membership is on hold

Hi,

We were unable to process the payment for your next billing cycle, so your Netflix
membership has been put on hold. Update your payment details within 24 hours to keep
watching, or your account will be closed.

UPDATE PAYMENT

The Netflix Team
""",
    ),
    Written(
        "hmrc-arrears-link",
        "en",
        "lure_redacted",
        PHISHING,
        "HMRC: Our records show an outstanding tax balance of GBP 412.60 on your account. "
        "Unless it is paid today, enforcement action will be taken. Pay here: <link>",
    ),
    Written(
        "apple-locked-call",
        "en",
        "lure_phone",
        PHISHING,
        "Apple Support: your Apple ID has been locked because of a suspicious purchase. "
        "To unlock it, call our security team now at 1-8XX-XXX-XXXX.",
    ),
    Written(
        "unnamed-parcel-returned",
        "ja",
        "lure_unnamed",
        PHISHING,
        "Subject: (SMS)\n\nお客様宛のお荷物をお届けにあがりましたが、宛先不明のため持ち帰り"
        "ました。下記よりご確認ください。URL",
    ),
    Written(
        "unnamed-account-suspended",
        "en",
        "lure_unnamed",
        PHISHING,
        "Your account has been suspended due to a billing problem. To avoid permanent closure, "
        "verify your details here: https://...",
    ),
    Written(
        "police-bitcoin",
        "en",
        "lure_authority_crypto",
        PHISHING,
        "This is the City Police Cyber Unit. Your bank account has been linked to a money "
        "laundering case. To clear your name, transfer your savings in Bitcoin to the secure "
        "case wallet bc1qexamplecasewallet0000000 within 24 hours.",
    ),
    Written(
        "yamato-attached-waybill",
        "ja",
        "lure_attachment",
        PHISHING,
        """Subject: お荷物のお届けについて（ヤマト運輸）

お客様のお荷物は、ご登録の電話番号に誤りがあったため、配達できず営業所へ返送されました。
このメールに添付されている送り状を印刷して、お近くの営業所までお持ちください。
ヤマト運輸株式会社
""",
    ),
    Written(
        "mercari-restricted-link-placeholder",
        "ja",
        "lure_redacted",
        PHISHING,
        """Subject: 【メルカリ】アカウント利用制限のお知らせ

いつもメルカリをご利用いただきありがとうございます。
お客様のアカウントで規約に反する可能性のある取引が確認されたため、アカウントのご利用を制限しました。
制限を解除するには、以下から本人確認を行ってください。
本人確認はこちら（リンク）
""",
    ),
    # == genuine notices: the lure's shape must not fire ======================================
    Written(
        "card-usage-check-own-link",
        "ja",
        "genuine_link",
        NOT_PHISHING,
        "【三井住友カード】カードのご利用確認のお願い。本日、海外で高額のご利用がありました。"
        "お心当たりがない場合は、Vpassアプリまたは https://www.smbc-card.com/mem/ からご確認"
        "ください。",
    ),
    Written(
        "warning-about-fake-sms",
        "ja",
        "genuine_announce",
        NOT_PHISHING,
        """Subject: 【注意喚起】当社を装った偽のSMSにご注意ください

ソフトバンクをご利用いただきありがとうございます。
当社を装い、「ご利用料金が未払いです」「回線を停止します」などと書いて偽のサイトへ誘導するSMSが確認されています。
このようなSMSに記載されたURLにはアクセスせず、IDやパスワードを入力しないでください。
ご利用料金は、My SoftBankでいつでもご確認いただけます。
""",
    ),
    Written(
        "lifted-thank-you-securing",
        "en",
        "genuine_support",
        NOT_PHISHING,
        """Subject: Re: My mail cannot be sent [Case 4471902]

Hello Ms. Tanaka,

Thank you for securing your account and for letting us know. We have lifted the sending
restriction on your mailbox, and you can send mail again from now on.

If you see any further problem, just reply to this message.

Best regards,
Kenji
Customer Support
""",
        kind="restriction_lifted",
    ),
    Written(
        "lifted-block-removed",
        "en",
        "genuine_support",
        NOT_PHISHING,
        """Subject: Your outgoing mail block has been removed

Dear customer,

We checked your account after your password change. The block on outgoing mail has now
been removed, and messages you send will be delivered normally again.

Thank you for your patience.
Mail Support Team
""",
        kind="restriction_lifted",
    ),
    Written(
        "lifted-ability-restored",
        "en",
        "genuine_support",
        NOT_PHISHING,
        """Subject: Update on your support request

Hi Alex,

Good news: we've restored your ability to send email. Our review found no further spam
coming from your account, so the temporary limit is no longer in place.

Thanks for cleaning up your computer so quickly.
Support
""",
        kind="restriction_lifted",
    ),
    Written(
        "lifted-restriction-no-longer",
        "en",
        "genuine_support",
        NOT_PHISHING,
        """Subject: Account restriction removed

Hello,

Following your request, the restriction on your account has been lifted. You are able to
send messages again. Please keep your password private and your security software up to date.

Regards,
Abuse Desk
""",
        kind="restriction_lifted",
    ),
    Written(
        "maintenance-no-link",
        "ja",
        "genuine_nolink",
        NOT_PHISHING,
        """Subject: 【みずほ銀行】システムメンテナンスに伴うサービス休止のお知らせ

いつもみずほ銀行をご利用いただき、ありがとうございます。
システムメンテナンスのため、下記の日時はインターネットバンキングをご利用いただけません。
休止日時：3月22日（日）午前1時～午前6時
ご不便をおかけしますが、ご理解のほどよろしくお願いいたします。
""",
    ),
    Written(
        "bank-limit-use-official-app",
        "ja",
        "genuine_nolink",
        NOT_PHISHING,
        """Subject: 【重要】お取引の一部制限について

いつもりそな銀行をご利用いただきありがとうございます。
お客様のお届け情報の確認が取れていないため、お取引の一部を制限しております。
このメールにはリンクを記載しておりません。りそなグループアプリにログインのうえ、お客様情報をご確認ください。
""",
    ),
    Written(
        "statement-ready-asks-nothing",
        "ja",
        "genuine_nolink",
        NOT_PHISHING,
        """Subject: 【JCB】カードご利用代金明細確定のお知らせ

いつもJCBカードをご利用いただき、ありがとうございます。
3月分のご利用代金明細が確定しました。お支払い日は4月10日です。
ご利用明細はMyJCBでご確認いただけます。
""",
    ),
    Written(
        "order-shipped-pasted",
        "en",
        "genuine_nolink",
        NOT_PHISHING,
        """Subject: Your Amazon.com order has shipped

Hello Sam,

Your package with 2 items is on its way and should arrive on Thursday, March 12.
You can check its progress in Your Orders.

Thanks for shopping with us.
Amazon.com
""",
    ),
    Written(
        "japanpost-delivery-own-link",
        "ja",
        "genuine_link",
        NOT_PHISHING,
        mail(
            "日本郵便 <noreply@mail.post.japanpost.jp>",
            "【日本郵便】ゆうパックお届け予定のお知らせ",
            "ご依頼主 ○○ストア様からのゆうパックを、3月12日午前中にお届けする予定です。\n"
            "お届け日時の変更は、郵便局のホームページから行えます。\n"
            "https://trackings.post.japanpost.jp/services/srv/search/\n",
            auth=aligned("japanpost.jp"),
        ),
    ),
    Written(
        "rakuten-newsletter-aligned",
        "ja",
        "genuine_marketing",
        GENUINE,
        mail(
            "楽天市場 <ichiba-news@mail.rakuten.co.jp>",
            "【楽天市場】週末限定ポイント10倍キャンペーン",
            "<p>いつも楽天市場をご利用いただきありがとうございます。</p>"
            "<p>今週末はエントリーでポイント10倍！</p>"
            "<p><a href='https://event.rakuten.co.jp/campaign/point-up/'>エントリーはこちら</a></p>"
            "<hr><p><a href='https://emagazine.rakuten.co.jp/unsubscribe'>配信停止</a></p>",
            auth=aligned("rakuten.co.jp"),
            html=True,
            return_path="bounce-8812@mail.rakuten.co.jp",
        ),
    ),
    Written(
        "small-shop-newsletter-esp",
        "en",
        "genuine_marketing",
        NOT_PHISHING,
        mail(
            "Hillside Tea Company <news@hillsidetea.com>",
            "Spring blends are here",
            "<p>Hi Mia,</p><p>Our spring blends just arrived: three green teas from small farms."
            "</p><p><a href='https://hillsidetea.com/collections/spring'>See the blends</a></p>"
            "<hr><p>You signed up at hillsidetea.com. "
            "<a href='https://hillsidetea.com/account/unsubscribe'>Unsubscribe</a> | "
            "<a href='https://hillsidetea.com/privacy'>Privacy policy</a></p>",
            auth=(
                "spf=pass smtp.mailfrom=bounces.mailer-esp.net; dkim=pass header.d=hillsidetea.com;"
                " dkim=pass header.d=mailer-esp.net; dmarc=pass header.from=hillsidetea.com"
            ),
            html=True,
            return_path="bounce-mc.us7_1234.55@bounces.mailer-esp.net",
            to="mia.w@example-mail.net",
        ),
    ),
    Written(
        "google-alert-aligned",
        "en",
        "genuine_link",
        GENUINE,
        mail(
            "Google <no-reply@accounts.google.com>",
            "Security alert",
            "A new sign-in on Windows\n\nsam.w@gmail.com\n\nWe noticed a new sign-in to your "
            "Google Account on a Windows device. If this was you, you don't need to do "
            "anything. If not, we'll help you secure your account.\n\nCheck activity\n"
            "https://myaccount.google.com/notifications\n",
            auth=aligned("accounts.google.com").replace(
                "header.d=accounts.google.com", "header.d=google.com"
            ),
            to="sam.w@gmail.com",
        ),
    ),
    Written(
        "shop-sale-aligned-en",
        "en",
        "genuine_marketing",
        GENUINE,
        mail(
            "Netflix <info@mailer.netflix.com>",
            "New this week on Netflix",
            "<p>Hi Sam, here is what's new this week.</p>"
            "<p><a href='https://www.netflix.com/browse'>Watch now</a></p>"
            "<hr><p><a href='https://www.netflix.com/EmailUnsubscribe'>Unsubscribe</a></p>",
            auth=aligned("mailer.netflix.com").replace(
                "header.d=mailer.netflix.com", "header.d=netflix.com"
            ),
            html=True,
        ),
    ),
    Written(
        "person-writes-from-gmail",
        "en",
        "genuine_nolink",
        NOT_PHISHING,
        mail(
            "Tom Baker <tom.baker.1984@gmail.com>",
            "Dinner on Saturday?",
            "Hi Yuki,\n\nAre you still free on Saturday? We could try the new ramen place near "
            "the station at 7.\n\nTom\n",
            auth=aligned("gmail.com"),
        ),
    ),
    # == more genuine mail, written before the unvouched-mail rules ===========================
    Written(
        "newsletter-via-click-tracking",
        "en",
        "genuine_marketing",
        NOT_PHISHING,
        mail(
            "Riverside Books <hello@riversidebooks.co.uk>",
            "Five new novels for the long weekend",
            "<p>Hello Priya,</p><p>Our booksellers picked five new novels for you.</p>"
            "<p><a href='https://riversidebooks.us4.list-manage.com/track/click?u=a1&id=b2'>"
            "Browse the picks</a></p><hr><p><a href='https://riversidebooks.us4.list-manage.com"
            "/unsubscribe?u=a1'>Unsubscribe</a> | <a href='https://riversidebooks.co.uk/privacy'>"
            "Privacy</a></p>",
            auth=(
                "spf=pass smtp.mailfrom=mail123.atl91.mcsv.net; dkim=pass header.d=mcsv.net; "
                "dkim=pass header.d=riversidebooks.co.uk; "
                "dmarc=pass header.from=riversidebooks.co.uk"
            ),
            html=True,
            return_path="bounce-mc.us4_991.2231-priya=example-mail.net@mail123.atl91.mcsv.net",
            to="priya@example-mail.net",
        ),
    ),
    Written(
        "shop-order-confirmation-ja",
        "ja",
        "genuine_link",
        NOT_PHISHING,
        mail(
            "やまびこ雑貨店 <order@yamabiko-zakka.jp>",
            "【やまびこ雑貨店】ご注文ありがとうございます（注文番号 20260310-0042）",
            "田中 様\n\nこのたびは、やまびこ雑貨店をご利用いただき、ありがとうございます。\n"
            "以下のご注文を承りました。\n\n注文番号：20260310-0042\n商品：手ぬぐい（藍）×2\n"
            "合計：2,640円（税込）\n\nご注文の状況は、マイページからご確認いただけます。\n"
            "https://yamabiko-zakka.jp/mypage/orders\n",
            auth=aligned("yamabiko-zakka.jp"),
        ),
    ),
    Written(
        "saas-receipt-esp-signed",
        "en",
        "genuine_link",
        NOT_PHISHING,
        mail(
            "Tallyboard Billing <billing@tallyboard.io>",
            "Your receipt from Tallyboard #4821-3390",
            "Thanks for your payment.\n\nAmount paid: $12.00\nPlan: Solo (monthly)\n"
            "Date: March 10, 2026\n\nView your invoices: https://app.tallyboard.io/billing\n",
            auth=(
                "spf=pass smtp.mailfrom=em4471.tallyboard.io; dkim=pass header.d=sendgrid.net; "
                "dmarc=pass header.from=tallyboard.io"
            ),
            return_path="bounces+1188-ab12@em4471.tallyboard.io",
        ),
    ),
    Written(
        "friend-shares-a-document",
        "en",
        "genuine_link",
        NOT_PHISHING,
        mail(
            "Emma Clarke <emma.clarke77@outlook.com>",
            "Trip plan for April",
            "Hi Yuki,\n\nHere is the plan for our April trip. Add anything you like:\n"
            "https://docs.google.com/document/d/1aBcD-eFgHiJkLmNoPqRsTuVwXyZ/edit\n\nEmma\n",
            auth=aligned("outlook.com"),
        ),
    ),
    Written(
        "brand-sweepstakes-aligned",
        "en",
        "genuine_marketing",
        NOT_PHISHING,
        mail(
            "Uber <uber@uber.com>",
            "Win a year of free rides",
            "<p>Ride with us this month and you are automatically entered to win a year of "
            "free rides. Terms apply.</p><p><a href='https://www.uber.com/us/en/ride/'>"
            "See how to enter</a></p><hr><p><a href='https://www.uber.com/unsubscribe'>"
            "Unsubscribe</a></p>",
            auth=aligned("uber.com"),
            html=True,
        ),
    ),
    Written(
        "library-newsletter-no-dmarc",
        "en",
        "genuine_marketing",
        NOT_PHISHING,
        mail(
            "Maple Grove Library <news@maplegrovelibrary.org>",
            "March events at the library",
            "Story time is back on Saturdays at 10am, and the book sale runs March 20-22.\n"
            "All events: https://maplegrovelibrary.org/events\n\n"
            "To stop these emails, reply with UNSUBSCRIBE.\n",
            auth=(
                "spf=pass smtp.mailfrom=mcsv.net; dkim=pass header.d=mcsv.net; dmarc=none "
                "header.from=maplegrovelibrary.org"
            ),
            return_path="bounce@mcsv.net",
        ),
    ),
    Written(
        "image-newsletter-ja-aligned",
        "ja",
        "genuine_marketing",
        NOT_PHISHING,
        mail(
            "ヨドバシ・ドット・コム <info@mail.yodobashi.com>",
            "春の新生活応援セール開催中",
            "<p><a href='https://www.yodobashi.com/category/sale/'>"
            "<img src='https://image.yodobashi.com/mail/2603/banner.jpg' alt=''></a></p>",
            auth=aligned("mail.yodobashi.com").replace(
                "header.d=mail.yodobashi.com", "header.d=yodobashi.com"
            ),
            html=True,
        ),
    ),
    Written(
        "colleague-plain-mail",
        "ja",
        "genuine_nolink",
        NOT_PHISHING,
        mail(
            "佐藤 健 <k.sato@kitamachi-sekkei.co.jp>",
            "来週の打ち合わせについて",
            "田中さん\n\nお疲れさまです。来週の打ち合わせですが、水曜の14時からでいかがでしょうか。"
            "\n場所は3階の会議室を押さえてあります。\n\n佐藤\n",
            auth=aligned("kitamachi-sekkei.co.jp"),
        ),
    ),
    # == unsolicited offers and mail nobody vouches for =======================================
    Written(
        "inheritance-gmail-reply-elsewhere",
        "en",
        "spam_offer",
        PHISHING,
        mail(
            "Barrister Daniel Okafor <daniel.okafor.chambers@gmail.com>",
            "Confidential: unclaimed estate of your late relative",
            "Dear Friend,\n\nI am the personal attorney to a late client who shares your surname "
            "and died without a will. His deposit of USD 8,400,000 remains unclaimed at the bank, "
            "and I propose to present you as the next of kin so that the funds can be released "
            "to you. Kindly send your full name, address and phone number so we can begin.\n\n"
            "Barrister Daniel Okafor\n",
            auth=aligned("gmail.com"),
            reply_to="okafor.legal.office@outlook-mail.example",
        ),
    ),
    Written(
        "crypto-giveaway-shortener",
        "en",
        "spam_offer",
        PHISHING,
        mail(
            "Token Rewards <rewards@claim-hub-9x.top>",
            "Your 2,500 USDT allocation is ready",
            "<p>Congratulations! Your wallet was selected for the spring token distribution.</p>"
            "<p>Connect your wallet to receive 2,500 USDT before the window closes.</p>"
            "<p><a href='https://bit.ly/3xAmpLe'>Claim tokens</a></p>",
            auth="spf=pass smtp.mailfrom=claim-hub-9x.top; dkim=none; dmarc=none",
            html=True,
        ),
    ),
    Written(
        "casino-spins-throwaway",
        "en",
        "spam_offer",
        PHISHING,
        mail(
            "Lucky Spins <Mara_Stone_55120@qxzvbn7.kettlespin.best>",
            "150 FREE SPINS are waiting for you",
            "<p>Sign up today and get 150 free spins plus a 300% welcome bonus!</p>"
            "<p><a href='https://qxzvbn7.kettlespin.best/go?c=884'>PLAY NOW</a></p>",
            auth=(
                "spf=pass smtp.mailfrom=qxzvbn7.kettlespin.best; dkim=none; "
                "dmarc=bestguesspass header.from=qxzvbn7.kettlespin.best"
            ),
            html=True,
        ),
    ),
    Written(
        "recover-lost-funds",
        "en",
        "spam_offer",
        PHISHING,
        mail(
            "Asset Recovery Desk <recovery.desk.global@outlook.com>",
            "We can recover your lost crypto funds",
            "Hello,\n\nHave you lost money to a fake investment or trading platform? Our "
            "certified recovery agents have returned over $40 million to victims. Reply with "
            "the amount you lost and the platform's name, and we will start your case today.\n",
            auth=aligned("outlook.com"),
        ),
    ),
    Written(
        "side-job-income-cheap-domain",
        "ja",
        "spam_offer",
        PHISHING,
        mail(
            "副業サポート事務局 <info@fukugyo-shien.click>",
            "【当選】スマホだけで月収100万円の権利が当たりました",
            "おめでとうございます。あなたは今月の特別モニターに当選しました。\n"
            "スマホで1日5分の作業だけで、月収100万円以上も可能です。\n"
            "受け取り可能の報酬は本日中に登録された方のみです。\n"
            "今すぐ登録 https://fukugyo-shien.click/entry\n",
            auth="spf=none smtp.mailfrom=fukugyo-shien.click; dkim=none; dmarc=none",
        ),
    ),
    Written(
        "mining-balance-free-mailbox",
        "en",
        "spam_offer",
        PHISHING,
        mail(
            "Lorena Fisk <lorenafisk.wq83@gmail.com>",
            "Your_mining_balance_0.8412_BTC",
            "Your cloud mining account has accumulated 0.8412 BTC. The balance can be withdrawn "
            "to your wallet today. Sign in to your dashboard to confirm the withdrawal.\n"
            "https://btc-dash-cloud.example.top/login\n",
            auth=aligned("gmail.com"),
        ),
    ),
    Written(
        "dating-hidden-text-no-auth",
        "en",
        "unvouched",
        PHISHING,
        mail(
            "Anna <anna@lovely-match.xyz>",
            "I saw your profile yesterday Qk7ZpL2mXv9",
            "<p>Hi dear, I am Anna, 27, and I am new in your city. I would like to meet you.</p>"
            "<p><a href='https://lovely-match.xyz/p/anna'>See my photos</a></p>"
            "<div style='display:none'>weather garden river piano coffee window</div>",
            auth="spf=none smtp.mailfrom=lovely-match.xyz; dkim=none; dmarc=none",
            html=True,
        ),
    ),
    Written(
        "investment-returns",
        "en",
        "spam_offer",
        PHISHING,
        mail(
            "Wealth Insider <editor@insider-gains.example.site>",
            "Turn $250 into $5,000 in 7 days - guaranteed",
            "Our trading system doubles your money every week with guaranteed returns and no "
            "risk. Spaces are limited: deposit $250 today and start earning tomorrow.\n"
            "https://insider-gains.example.site/start\n",
            auth="spf=softfail smtp.mailfrom=insider-gains.example.site; dkim=none; dmarc=none",
        ),
    ),
    Written(
        "styled-letters-reward",
        "en",
        "unvouched",
        PHISHING,
        mail(
            "Reward Center <promo_7781@vbnq2.outlet-deals.live>",
            "\U0001d418\U0001d40e\U0001d414\U0001d411 \U0001d411\U0001d404\U0001d416\U0001d400"
            "\U0001d411\U0001d403 \U0001d408\U0001d412 \U0001d416\U0001d400\U0001d408\U0001d413"
            "\U0001d408\U0001d40d\U0001d406",
            "<p>You were chosen to receive an exclusive gift card. Answer three questions to "
            "collect it.</p><p><a href='https://tinyurl.com/gift-7781'>Start</a></p>",
            auth=(
                "spf=pass smtp.mailfrom=vbnq2.outlet-deals.live; dkim=none; "
                "dmarc=bestguesspass header.from=vbnq2.outlet-deals.live"
            ),
            html=True,
            outlook=True,
        ),
    ),
    Written(
        "benefit-waiting-free-mailbox",
        "ja",
        "spam_offer",
        PHISHING,
        mail(
            "給付金受付センター <kyufu.uketsuke2026@gmail.com>",
            "未受け取りの給付金10万円があります",
            "あなたには、まだ受け取られていない給付金10万円があります。\n"
            "受け取りの手続きは、下記のリンクから3日以内に行ってください。\n"
            "https://kyufu-uketori.example.top/form\n",
            auth=aligned("gmail.com"),
        ),
    ),
]
