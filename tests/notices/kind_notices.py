"""Notices written for the kind tests: each common lure (and each genuine notice it is confused
with) in Japanese and English, as a mail (pasted with its From and Subject lines) and as a text
message. Names, numbers, addresses and domains are made up; lookalike domains are invented.

Each notice is written from the general shape of its lure (what it claims happened, what it asks,
the pressure it applies), in words of our own, so that a test passing here says the reader knows
the shape, not one message.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KindNotice:
    name: str  # what the test shows
    kind: str  # the kind the reader must name
    lang: str
    channel: str  # mail | sms
    text: str  # what the person pastes: a mail with its From and Subject lines, or the SMS

    @property
    def id(self) -> str:
        return f"{self.kind}-{self.lang}-{self.channel}-{self.name}"


NOTICES: list[KindNotice] = [
    # -- parcel_delivery: a carrier could not deliver, the address is wrong, a fee is due --------
    KindNotice(
        "sagawa-missed",
        "parcel_delivery",
        "ja",
        "sms",
        "佐川急便よりお荷物のお届けに伺いましたが、ご不在でしたので持ち戻りました。"
        "再配達のご希望はこちら https://sagawa-re.example-track.top/a8",
    ),
    KindNotice(
        "yamato-address",
        "parcel_delivery",
        "ja",
        "sms",
        "【ヤマト運輸】ご依頼のお荷物は、お届け先住所に不備があるため配達できませんでした。"
        "住所の確認・修正をお願いします。https://kuroneko-adr.example.icu/",
    ),
    KindNotice(
        "japanpost-fee",
        "parcel_delivery",
        "ja",
        "mail",
        """From: 日本郵便 <notice@jp-yubin-center.example.shop>
Subject: 【日本郵便】郵便物のお預かりについて

お客様宛ての小包を郵便局でお預かりしております。
お届け先の番地が確認できないため、現在配達を保留しております。
保管期限は3日間です。期限を過ぎますと差出人へ返送されます。
下記のページで配送先をご入力のうえ、再配送手数料220円をお支払いください。
https://jp-yubin-center.example.shop/redeliver
""",
    ),
    KindNotice(
        "appointment",
        "parcel_delivery",
        "ja",
        "sms",
        "本日は、お客様がご指定になった配達日です。お届け時間とご住所を確認してください。"
        "http://deliv-check.example.xyz/k",
    ),
    KindNotice(
        "usps-address",
        "parcel_delivery",
        "en",
        "sms",
        "USPS: Your package is on hold at our facility because the shipping address is "
        "incomplete. Please update your address within 12 hours: "
        "https://usps.track-help.example.top",
    ),
    KindNotice(
        "dhl-customs",
        "parcel_delivery",
        "en",
        "mail",
        """From: DHL Express <noreply@dhl-parcel-service.example.live>
Subject: Shipment 7731 90 2284 - action needed

Dear customer,

Your shipment 7731 90 2284 has arrived at our depot. Before it can go out for delivery,
an import duty of $1.99 must be settled.

Pay the customs charge here: https://dhl-parcel-service.example.live/pay

If we do not receive payment within 48 hours, the parcel will be returned to the sender.

DHL Express Customer Care
""",
    ),
    KindNotice(
        "courier-failed",
        "parcel_delivery",
        "en",
        "mail",
        """From: Parcel Desk <desk@courier-updates.example.click>
Subject: We missed you today

Our courier tried to deliver your package today but no one was available to sign for it.
Your item is waiting at the local depot. Reschedule your delivery using the link below.

Reschedule delivery
""",
    ),
    # -- sextortion: "I recorded you", a password as proof, pay in bitcoin -------------------
    KindNotice(
        "webcam-bitcoin",
        "sextortion",
        "en",
        "mail",
        """From: Unknown <x9k2@mailer.example.net>
Subject: your account was hacked

I am a hacker who got into your computer a few months ago. You opened one of my links and my
software has been running on your device since then, with full control of the camera and the
microphone.

I have a video of you while you were on adult websites. One click and it goes to every contact
in your address book and your social networks.

Your password is sunflower77, so you know I am serious.

Send $1350 in Bitcoin to this wallet: bc1qexamplewalletaddress0000. You have 48 hours from
the moment you open this mail. I will see when you read it. After payment I delete everything.
""",
    ),
    KindNotice(
        "disguised-letters",
        "sextortion",
        "en",
        "mail",
        """From: Someone <noreply@example.org>
Subject: We need to talk

Hellо. I have reсorded уou through your own webсam while you watched pоrn.
I will send the video tо all your friends unless you pay 950 USD in BTC to my wallet.
""",
    ),
    KindNotice(
        "own-address",
        "sextortion",
        "ja",
        "mail",
        """From: taro@example-isp.jp
Subject: あなたのアカウントはハッキングされました

このメールは、あなた自身のアカウントから送っています。
私は数か月前からあなたのパソコンに入り込み、カメラを遠隔で操作しています。
あなたがアダルトサイトを見ている様子を録画しました。
48時間以内に、10万円分のビットコインを下記のアドレスに送金してください。
送金がなければ、その動画をあなたの連絡先すべてに送ります。
警察に相談しても無駄です。
""",
    ),
    KindNotice(
        "short-threat",
        "sextortion",
        "ja",
        "sms",
        "あなたがアダルトサイトを見ているところを録画しました。48時間以内に5万円分のビットコインを"
        "送らなければ、動画を連絡先の全員に送ります。",
    ),
    # -- advance_fee: prize, inheritance, crypto giveaway, "recover your funds" ---------------
    KindNotice(
        "lottery",
        "advance_fee",
        "en",
        "mail",
        """From: Claims Office <claims.office2025@example-mail.com>
Subject: WINNING NOTIFICATION

Attention Beneficiary,

Your e-mail address has won the sum of USD 2,500,000.00 in our international online draw.
To release your prize, reply with your full name, address, phone number and occupation to our
claims agent. A small processing fee is required before the transfer can be completed.
""",
    ),
    KindNotice(
        "inheritance",
        "advance_fee",
        "en",
        "mail",
        """From: Barrister K. Mensah <k.mensah.chambers@example-mail.com>
Subject: Confidential

Good day. I am the attorney to a late client who left an unclaimed deposit of 8.4 million
dollars with no next of kin. As you share his surname, I propose to present you as the
beneficiary. The transaction is risk free and mutually beneficial. Reply to me urgently.
""",
    ),
    KindNotice(
        "crypto-airdrop",
        "advance_fee",
        "en",
        "mail",
        """From: Token Foundation <rewards@tokenfoundation-drop.example.app>
Subject: You're eligible: claim your airdrop

Congratulations! Your wallet qualifies for our community airdrop of 4,000 tokens.
Connect your wallet before the pool runs out to claim your allocation.

Claim now
""",
    ),
    KindNotice(
        "recovery",
        "advance_fee",
        "en",
        "sms",
        "Lost money to an online investment scam? Our agents recover stolen funds within 7 days. "
        "Contact our recovery desk on WhatsApp today.",
    ),
    KindNotice(
        "prize-ja",
        "advance_fee",
        "ja",
        "mail",
        """From: 懸賞事務局 <info@present-kensho.example.jp>
Subject: 【当選のお知らせ】50万円が当選しました

おめでとうございます。厳正な抽選の結果、お客様が当選者に選ばれました。
賞金を受け取るには、受け取り手数料3,000円を先にお支払いいただく必要があります。
下記のページから手続きをしてください。
""",
    ),
    KindNotice(
        "investment-ja",
        "advance_fee",
        "ja",
        "sms",
        "【限定】元本保証で月利10%。誰でも確実に稼げる投資のご案内です。"
        "LINEで担当者にご連絡ください。",
    ),
    # -- fake_invoice: a renewal you never made, "call us to cancel" -------------------------
    KindNotice(
        "antivirus-renewal",
        "fake_invoice",
        "en",
        "mail",
        """From: Billing Team <billing.desk771@example-mail.com>
Subject: Invoice #88412 - subscription renewed

Hello,

Thank you for renewing your Total Shield Antivirus plan. Your subscription has been renewed
for 3 years and $489.99 will be charged to your account within 24 hours.

Invoice number: 88412
Payment method: automatic renewal

If you did not authorize this renewal, call our billing department at +1 (808) 555-0143
to cancel and get a full refund.
""",
    ),
    KindNotice(
        "callback-sms",
        "fake_invoice",
        "en",
        "sms",
        "Your annual membership renewed: $299.00 charged today. Not you? Call 1-888-555-0172 "
        "to cancel within 24h.",
    ),
    KindNotice(
        "renewal-ja",
        "fake_invoice",
        "ja",
        "mail",
        """From: サポートセンター <order-info@secure-license.example.jp>
Subject: 年間ライセンス自動更新のお知らせ

セキュリティソフトの年間ライセンスが自動更新され、49,800円が請求されました。
お心当たりがない場合は、本日中にサポートセンター（050-1234-5678）までお電話ください。
返金の手続きをご案内いたします。
""",
    ),
    KindNotice(
        "renewal-sms-ja",
        "fake_invoice",
        "ja",
        "sms",
        "【自動更新完了】年間サポートプラン 39,800円を決済しました。解約をご希望の方は "
        "050-5555-0188 へお電話ください。",
    ),
    # -- government_impersonation: tax, benefits, police, courts ----------------------------
    KindNotice(
        "tax-arrears",
        "government_impersonation",
        "ja",
        "sms",
        "【国税庁】所得税の未納があります。本日中に納付されない場合、財産の差押えを行います。"
        "納付はこちら https://nta-nofu.example.top/",
    ),
    KindNotice(
        "benefit-points",
        "government_impersonation",
        "ja",
        "mail",
        """From: 給付金受付センター <kyufu@mynapoint-office.example.net>
Subject: 【重要】給付金の受け取り手続きが完了していません

あなたは臨時給付金の支給対象です。
登録情報に不備があるため、現在、支給を保留しています。
期限までに下記から口座情報とマイナンバーカードの情報を登録してください。
""",
    ),
    KindNotice(
        "police-crypto",
        "government_impersonation",
        "ja",
        "sms",
        "こちらは○○警察署です。あなたの口座が犯罪に使われた疑いがあり、捜査を進めています。"
        "逮捕を避けるには、指定の口座に保証金を振り込んでください。",
    ),
    KindNotice(
        "irs-refund",
        "government_impersonation",
        "en",
        "mail",
        """From: Internal Revenue Service <refunds@irs-gov-refund.example.info>
Subject: Your tax refund is pending

Our records show you are eligible for a tax refund of $812.40.
To receive it, complete the attached form with your bank details and return it within 5 days.
""",
    ),
    KindNotice(
        "toll-fine",
        "government_impersonation",
        "en",
        "sms",
        "State DMV notice: you have an unpaid traffic fine of $6.50. Pay by Friday to avoid "
        "suspension of your license: https://dmv-fines.example.top",
    ),
    # -- carrier_billing: a phone company's unpaid charges -----------------------------------
    KindNotice(
        "docomo-unpaid",
        "carrier_billing",
        "ja",
        "sms",
        "【NTTドコモ】ご利用料金のお支払いが確認できておりません。本日中にお手続きがない場合、"
        "回線を停止いたします。https://docomo-pay.example.top",
    ),
    KindNotice(
        "callback-unpaid",
        "carrier_billing",
        "ja",
        "sms",
        "携帯電話料金の未納があります。本日中に 03-5555-0123 au料金センター迄ご連絡下さい。",
    ),
    KindNotice(
        "phone-bill-en",
        "carrier_billing",
        "en",
        "sms",
        "Mobile account alert: your phone bill of $84.20 is overdue and your line will be "
        "suspended today. Pay now: https://carrier-bill.example.top",
    ),
    KindNotice(
        "carrier-mail-en",
        "carrier_billing",
        "en",
        "mail",
        """From: Skyline Wireless Billing <billing@skyline-wireless-pay.example.site>
Subject: Final reminder: your wireless account balance

We were unable to collect your last monthly payment. Your wireless account balance of $96.48
is past due, and your service will be suspended within 24 hours unless it is paid.

Update your payment details here to keep your number active.
""",
    ),
    # -- utility_bill: power, gas, water cut off unless you pay ------------------------------
    KindNotice(
        "power-unpaid",
        "utility_bill",
        "ja",
        "sms",
        "【電力会社】電気料金が未払いのため、明日電気の供給を停止します。"
        "お支払いはこちら https://denki-pay.example.top",
    ),
    KindNotice(
        "water-ja-mail",
        "utility_bill",
        "ja",
        "mail",
        """From: 水道局料金センター <center@suido-ryokin.example.net>
Subject: 水道料金のお支払いについて

水道料金のお支払いが確認できておりません。
このままお支払いがない場合、給水を停止させていただきます。
下記のページからお支払い方法をご登録ください。
""",
    ),
    KindNotice(
        "electric-en",
        "utility_bill",
        "en",
        "mail",
        """From: City Power & Light <billing@citypower-accounts.example.live>
Subject: Final notice: service disconnection

Your electricity bill is past due. Unless payment of $212.35 is received today, your power
will be disconnected at 5 pm. Pay your balance here to avoid the shut off.
""",
    ),
    KindNotice(
        "water-sms-en",
        "utility_bill",
        "en",
        "sms",
        "Water Dept: your account is 2 months past due. Service will be shut off tomorrow unless "
        "you pay at https://water-dept-pay.example.top",
    ),
    # -- provider_announcement: the provider warns everyone, or tells of a change ------------
    KindNotice(
        "bank-warning",
        "provider_announcement",
        "ja",
        "mail",
        """From: みらい銀行 <info@mirai-bank.example.jp>
Subject: 【注意喚起】当行を装った不審なSMSにご注意ください

当行の名をかたり、「口座を凍結しました」「お取引を制限しました」などと書かれた
偽のSMSやメールが多数確認されています。
本文のリンクから偽サイトへ誘導し、ログインIDやパスワード、暗証番号を入力させる手口です。

当行から、SMSやメールで暗証番号の入力をお願いすることはございません。
不審なメッセージを受け取られた場合は、リンクを開かずに削除してください。
""",
    ),
    KindNotice(
        "isp-warning",
        "provider_announcement",
        "ja",
        "mail",
        """From: さくらネット <news@sakura-net.example.jp>
Subject: 弊社を装ったフィッシングメールについて

現在、弊社からのお知らせを装い、「メールの送信を停止しました」「アカウントがロックされました」
という件名で、偽のログインページへ誘導するメールが出回っております。
弊社のお知らせは、必ず会員ページでもご確認いただけます。
メールに記載されたURLにはアクセスしないようお願いいたします。
""",
    ),
    KindNotice(
        "policy-change",
        "provider_announcement",
        "ja",
        "mail",
        """From: さくらネット <news@sakura-net.example.jp>
Subject: 大量メール送信の制限についてのお知らせ

お客様各位

迷惑メール対策の一環として、2026年4月1日より、一定時間に大量のメールを送信された場合に
送信を一時的に制限する仕組みを導入することといたしましたのでお知らせいたします。
通常のご利用の範囲では影響はございません。
何卒ご理解とご協力をお願い申し上げます。
""",
    ),
    KindNotice(
        "carrier-news",
        "provider_announcement",
        "ja",
        "sms",
        "はるかモバイルです。5月の通信エリア改善情報をお知らせします。新しい基地局の一覧は"
        "こちら https://haruka-mobile.example.jp/news ※このSMSには返信できません。",
    ),
    KindNotice(
        "scam-warning-en",
        "provider_announcement",
        "en",
        "mail",
        """From: Northwind Bank <alerts@northwindbank.example.com>
Subject: Beware of text messages pretending to be from us

We are aware of fake text messages impersonating Northwind Bank that say your account has
been locked and ask you to sign in through a link. These messages are phishing.

We will never ask for your password or one-time code by text or e-mail. If you receive one,
do not click the link; delete it.
""",
    ),
    KindNotice(
        "service-change-en",
        "provider_announcement",
        "en",
        "mail",
        """From: Bluewave Internet <news@bluewave.example.net>
Subject: Changes to our e-mail service

Dear customers,

Starting on 1 June, we are retiring the old webmail interface and moving all accounts to the
new one. You don't need to do anything: your mail, contacts and settings will move with you.
""",
    ),
    KindNotice(
        "agency-windfall",
        "government_impersonation",
        "en",
        "mail",
        """From: FBI Office <fbi.office@example-mail.com>
Subject: Federal Bureau of Investigation - payment notice

Dear Beneficiary,

This office has been informed that an overdue payment of 4.2 million dollars is held in your
name. To have it released, contact our payment officer with your full name and address.
""",
    ),
    # -- the same lures in other languages: customs fees, prizes, tax refunds, fines -----------
    KindNotice(
        "customs-pt",
        "parcel_delivery",
        "pt",
        "mail",
        """From: Central de Entregas <avisos@entregas-rapidas.example.com>
Subject: Sua encomenda foi retida

Olá, sua encomenda está retida na alfândega por falta de pagamento da taxa de importação.
Para liberar a entrega, pague a taxa em até 2 dias.
""",
    ),
    KindNotice(
        "customs-de",
        "parcel_delivery",
        "de",
        "sms",
        "Ihr Paket wurde im Verteilzentrum angehalten: ausstehende Zollgebühr 1,99 EUR. "
        "Jetzt bezahlen: https://paket-zoll.example.top",
    ),
    KindNotice(
        "voucher-de",
        "advance_fee",
        "de",
        "mail",
        """From: Kundenteam <team@gutschein-aktion.example.net>
Subject: Herzlichen Glückwunsch!

Sie wurden für unser Gewinnspiel ausgewählt! Ihr Gutschein im Wert von 500 Euro wartet auf Sie.
Bestätigen Sie jetzt Ihre Teilnahme.
""",
    ),
    KindNotice(
        "prize-pt",
        "advance_fee",
        "pt",
        "sms",
        "Parabéns! Você ganhou R$ 5.000 no sorteio do mês. Resgate seu "
        "prêmio: https://premio.example.top",
    ),
    KindNotice(
        "tax-refund-de",
        "government_impersonation",
        "de",
        "mail",
        """From: Finanzamt Online <info@finanzamt-erstattung.example.com>
Subject: Ihre Steuererstattung

Ihre Steuererstattung von 412,60 EUR wurde zurückgestellt. Bitte füllen Sie das Formular aus,
damit die Auszahlung erfolgen kann.
""",
    ),
    KindNotice(
        "traffic-fine-pt",
        "government_impersonation",
        "pt",
        "mail",
        """From: Detran Notificações <alerta@detran-multas.example.com>
Subject: Infração vinculada à sua CNH

Identificamos uma infração grave vinculada à sua CNH. Evite a suspensão: regularize hoje.
""",
    ),
    KindNotice(
        "lifted-de",
        "restriction_lifted",
        "de",
        "mail",
        """From: Postmaster Team <postmaster@mail-dienst.example.de>
Subject: Re: Blockierung Ihrer IP-Adresse

Ihre IP-Adresse wurde entsperrt. Bitte beachten Sie, dass erneute Beschwerden wieder zu einer
Sperre führen können.
""",
    ),
    # -- rewards, surveys and wallets: the honeypot's everyday lures, in our own words ----------
    KindNotice(
        "survey-reward",
        "advance_fee",
        "en",
        "mail",
        """From: Loyalty Team <rewards@shopper-survey.example.click>
Subject: Your reward has arrived!

Answer 3 quick questions and claim your reward: a brand new cordless drill set.
Only 5 rewards left today.
""",
    ),
    KindNotice(
        "mystery-box-de",
        "advance_fee",
        "de",
        "mail",
        """From: Geschenk-Team <box@ueberraschung.example.net>
Subject: Glückwunsch! Du hast die Überraschungsbox gewonnen

Hallo! Du hast heute die große Überraschungsbox gewonnen. Bestätige jetzt deinen Versand.
""",
    ),
    KindNotice(
        "points-pt",
        "advance_fee",
        "pt",
        "sms",
        "Seus 48.200 pontos expiram hoje! Resgate seus pontos em dinheiro: https://pontos.example.top",
    ),
    KindNotice(
        "winner-fr",
        "advance_fee",
        "fr",
        "mail",
        """From: Service Clients <clients@cadeau-gagnant.example.com>
Subject: Vous avez été sélectionné

Félicitations, tu es notre gagnant ! Réponds à 3 questions pour recevoir ton cadeau.
""",
    ),
    KindNotice(
        "kyc-update",
        "account_verification",
        "en",
        "mail",
        """From: Harbor Bank Alerts <alerts@harborbank-kyc.example.live>
Subject: Update your KYC now

Dear customer, your KYC details have expired. Update them today to avoid restrictions.
""",
    ),
    KindNotice(
        "wallet-unverified",
        "account_verification",
        "en",
        "mail",
        """From: Wallet Support <support@wallet-verify.example.app>
Subject: Action required

Our records show that your wallet has not yet been verified. Verify your wallet below to keep
access to your funds.
""",
    ),
    KindNotice(
        "wallet-frozen",
        "account_locked",
        "en",
        "sms",
        "Your wallet has been frozen after unusual activity. Unlock it here: https://unlock.example.top",
    ),
    KindNotice(
        "new-browser-pt",
        "suspicious_login",
        "pt",
        "mail",
        """From: Segurança <seguranca@pagamentos.example.com>
Subject: Alerta de segurança

Houve um acesso à sua conta em um novo navegador hoje às 09:14. Se não foi você, proteja sua conta.
""",
    ),
    # -- the shapes of the existing kinds that were missed ------------------------------------
    KindNotice(
        "monitoring-ja",
        "sextortion",
        "ja",
        "mail",
        """From: sato.k@example-isp.jp
Subject: 重要なお知らせ

このメールは、あなた自身のアカウントから送っています。
私はもう何か月も前から、あなたのスマートフォンとパソコンの操作を監視しています。
あなたが開いたページに私のマルウェアが仕込まれていて、それで端末に入り込みました。
""",
    ),
    KindNotice(
        "exposed-keys",
        "suspicious_login",
        "en",
        "mail",
        """From: Cloud Security <security@cloudhost.example.com>
Subject: Action required: exposed credentials

Your API keys for project ember-7 are publicly available on a code-sharing site. Anyone who
finds them can use your account and run up charges. Please rotate the exposed keys and review
recent activity on your account.
""",
    ),
    KindNotice(
        "leaked-password-ja",
        "suspicious_login",
        "ja",
        "mail",
        """From: みどりクラウド <security@midori-cloud.example.jp>
Subject: パスワード流出の可能性について

お客様のIDとパスワードが、外部のサイトから流出した情報の中に含まれていることを確認しました。
第三者によるログインを防ぐため、パスワードを変更してください。
""",
    ),
    KindNotice(
        "token-added",
        "account_change",
        "en",
        "mail",
        """From: CodeHub <noreply@codehub.example.com>
Subject: A new access token was added to your account

Hi hana-dev, a personal access token named deploy-bot was recently added to your account.
If you did this, there is nothing to do. If not, remove the token and change your password.
""",
    ),
    KindNotice(
        "app-linked-ja",
        "account_change",
        "ja",
        "mail",
        """From: そらメール <info@sora-mail.example.jp>
Subject: 新しいアプリが連携されました

お客様のアカウントに、新しいアプリ「Quick Mailer」が連携されました。
お心当たりがない場合は、アカウント設定から連携を解除してください。
""",
    ),
    KindNotice(
        "sending-probation",
        "outbound_spam_restriction",
        "en",
        "mail",
        """From: Mail Relay Service <notices@relay.example.com>
Subject: Your sending is on probation

Your account has been placed on probation because the bounce rate of the mail you send is
too high. If it does not come down within 14 days, you will lose your ability to send.
""",
    ),
    KindNotice(
        "listed-for-spam",
        "outbound_spam_restriction",
        "en",
        "mail",
        """From: Mail Delivery Subsystem <mailer-daemon@mx.example.net>
Subject: Delivery Status Notification (Failure)

Your message to ken@example.org could not be delivered.
The remote server answered: 550 5.7.1 Rejected: your sending IP 198.51.100.24 is listed on a
blocklist for sending spam.
""",
    ),
    KindNotice(
        "content-filter",
        "bounce_backscatter",
        "en",
        "mail",
        """From: Content-filter at example.org <postmaster@example.org>
Subject: Considered UNSOLICITED BULK EMAIL, apparently from you

A message that carried your return address was considered unsolicited bulk e-mail.
Either you sent it, or someone faked your address and we apologize for this notice.
""",
    ),
    KindNotice(
        "server-attack",
        "abuse_report",
        "en",
        "mail",
        """From: Hosting Abuse Team <abuse@hosting.example.com>
Subject: Abuse case 44120: port scan from your server

We have received reports of a port scan coming from your server 203.0.113.55.
Please fix the issue and send us a short statement within 24 hours, or the server may be
blocked.
""",
    ),
    KindNotice(
        "ability-limited",
        "account_locked",
        "en",
        "mail",
        """From: Cloud Platform <no-reply@cloudhost.example.com>
Subject: We limited your account

We noticed activity in your account that breaks our terms. To protect you and other
customers, we have temporarily limited your ability to use some services. To restore access,
contact support.
""",
    ),
    KindNotice(
        "card-suspended",
        "account_locked",
        "ja",
        "sms",
        "お客様のさくらカードが一時停止されております。ご確認ください。https://sakura-card."
        "example.top",
    ),
    KindNotice(
        "payment-method-problem",
        "payment_update",
        "ja",
        "sms",
        "【動画サービス】月額会費のお支払い方法に問題があります。お支払い情報をご確認ください。"
        "https://video-pay.example.top",
    ),
    KindNotice(
        "high-bill",
        "carrier_billing",
        "ja",
        "sms",
        "【ソフトバンク】今月のご利用料金が高額になっています。至急ご確認ください。https://"
        "sb-ryokin.example.top",
    ),
    KindNotice(
        "transfer-made",
        "purchase_alert",
        "en",
        "sms",
        "Lakeside Bank: You made a transfer of $45.00 to J. Park at 10:12 on 03/04. "
        "If unauthorised, call our 24/7 hotline on the back of your card.",
    ),
    KindNotice(
        "area-news",
        "provider_announcement",
        "ja",
        "sms",
        "はるかモバイルをご利用のお客さまへ。一部のAndroid端末で通話がつながりにくい場合は、"
        "端末の再起動をお試しください。詳しくはこちら https://haruka-mobile.example.jp/info",
    ),
    # -- existing kinds, defects from issue #14 and #16 ---------------------------------------
    KindNotice(
        "card-hold-sms",
        "card_fraud_alert",
        "ja",
        "sms",
        "【JCB】お客様のカードのご利用を一部制限しております。ご本人のご利用かどうか"
        "確認させていただきたいお取引があります。https://jcb-kakunin.example.top",
    ),
    KindNotice(
        "card-amount-sms",
        "card_fraud_alert",
        "ja",
        "sms",
        "【ひかりカード】ご利用金額 48,200円 加盟店 APPLE.COM/BILL。"
        "お心当たりがない場合は 0120-555-019 へご連絡ください。",
    ),
    KindNotice(
        "reply-yes-no",
        "card_fraud_alert",
        "en",
        "sms",
        "Harbor Bank Fraud Alert: Did you attempt a purchase of $742.10 at ELECTRO WORLD on card "
        "ending 4417? Reply YES if it was you or NO if not. Msg&data rates may apply.",
    ),
    KindNotice(
        "lifted-en",
        "restriction_lifted",
        "en",
        "mail",
        """From: Bluewave Support <support@bluewave.example.net>
Subject: Re: outgoing mail blocked [case 55120]

Hello,

Thank you for changing your password and for scanning your computer. We have lifted the
restriction on your account, so you can send e-mail again.

Please send a test message to make sure everything works. If your account sends spam again,
we may have to block it again.

Best regards,
Bluewave Support
""",
    ),
    KindNotice(
        "lifted-ja",
        "restriction_lifted",
        "ja",
        "mail",
        """From: さくらネット サポート <support@sakura-net.example.jp>
Subject: Re: メール送信制限の解除について

山田様

ウイルスチェックとパスワードの変更にご協力いただき、ありがとうございました。
本日、メール送信の制限を解除いたしました。
お手数ですが、メールが送信できるかご確認ください。
""",
    ),
    KindNotice(
        "google-blocked-ja",
        "suspicious_login",
        "ja",
        "mail",
        """From: Google <no-reply@accounts.google.com>
Subject: セキュリティ通知

ログインをブロックしました
あなたのパスワードを使ってアカウントにログインしようとした人がいます。
Google でこのログインをブロックしましたが、アクティビティを確認してください。
""",
    ),
    # -- a second batch, written after the kinds were tuned and then checked as they came ---
    KindNotice(
        "sagawa-date",
        "parcel_delivery",
        "ja",
        "sms",
        "【佐川急便】お荷物の配達予定日の変更が必要です。下記URLより配達日時をご指定くださ"
        "い。http://sgw-time.example.top",
    ),
    KindNotice(
        "japanpost-unknown",
        "parcel_delivery",
        "ja",
        "sms",
        "日本郵便です。お届けに参りましたが宛先不明のため持ち帰りました。再配達の手続きはこ"
        "ちらからお願いします。",
    ),
    KindNotice(
        "royalmail-fee",
        "parcel_delivery",
        "en",
        "sms",
        "Royal Mail: Your parcel has a £1.45 shipping fee outstanding. Pay "
        "now to arrange delivery or it will be returned.",
    ),
    KindNotice(
        "fedex-slot",
        "parcel_delivery",
        "en",
        "sms",
        "FedEx: We were unable to deliver your package 7782-11 because "
        "nobody was home. Book a new delivery slot at "
        "https://fdx-slot.example.top",
    ),
    KindNotice(
        "webcam-btc",
        "sextortion",
        "en",
        "mail",
        "Subject: Your privacy\n\nI gained access to your webcam and "
        "captured you in an intimate moment. Transfer 0.05 BTC within two "
        "days or the clip goes to your family and coworkers.",
    ),
    KindNotice(
        "phone-hacked",
        "sextortion",
        "ja",
        "mail",
        "件名: 最後の警告\n\nあなたのスマホをハッキングしました。カメラで撮影したあなたの恥"
        "ずかしい映像があります。仮想通貨で10万円を支払わなければ、友人と家族に送ります。",
    ),
    KindNotice(
        "philanthropist",
        "advance_fee",
        "en",
        "mail",
        "Subject: Donation\n\nI am a philanthropist and I have chosen you to "
        "receive a grant of $1,500,000. Send me your name, address and phone "
        "number to proceed.",
    ),
    KindNotice(
        "eth-giveaway",
        "advance_fee",
        "en",
        "mail",
        "Subject: Elon giveaway\n\nSend 0.1 ETH to our event wallet and "
        "receive 0.2 ETH back! Giveaway ends tonight.",
    ),
    KindNotice(
        "gift-card-prize",
        "advance_fee",
        "ja",
        "sms",
        "おめでとうございます！あなたは10万円分のギフト券に当選しました。受け取りには登録料"
        "500円が必要です。",
    ),
    KindNotice(
        "side-job",
        "advance_fee",
        "ja",
        "sms",
        "【副業】スマホで1日5分、毎月30万円が確実に稼げます。詳しくはLINEで。",
    ),
    KindNotice(
        "pc-protection",
        "fake_invoice",
        "en",
        "mail",
        "Subject: Order confirmation #55102\n\nYour PC Protection Pro "
        "subscription was auto-renewed. Amount charged: $449.00. If you did "
        "not authorize this charge, call +1 (845) 555-0119 within 24 hours.",
    ),
    KindNotice(
        "pc-support-ja",
        "fake_invoice",
        "ja",
        "mail",
        "件名: ご請求のお知らせ\n\nパソコンサポートの年額プランが自動更新され、39,800円を請"
        "求いたしました。"
        "解約・返金をご希望の場合は、050-5555-0100 までお電話ください。",
    ),
    KindNotice(
        "ministry-lawsuit",
        "government_impersonation",
        "ja",
        "sms",
        "【法務省】あなたの未納料金について訴訟が提起されました。本日中にご連絡がない場合、"
        "財産を差し押さえます。",
    ),
    KindNotice(
        "tax-rebate",
        "government_impersonation",
        "en",
        "sms",
        "HMRC: You are due a tax rebate of £326.50. Claim it now at "
        "https://hmrc-rebate.example.top",
    ),
    KindNotice(
        "point-expiry",
        "government_impersonation",
        "ja",
        "sms",
        "【マイナポイント】申請期限が迫っています。本日中に手続きをしないと、ポイントが失効"
        "します。https://myna-point.example.top",
    ),
    KindNotice(
        "toll-balance",
        "government_impersonation",
        "en",
        "sms",
        "E-ZPass: You have an unpaid toll balance of $4.15. Pay today to "
        "avoid a late fee: https://ezpass-toll.example.top",
    ),
    KindNotice(
        "au-unpaid",
        "carrier_billing",
        "ja",
        "sms",
        "【au】ご利用料金のお支払いが確認できません。至急、下記よりお手続きください。https:"
        "//au-kakunin.example.top",
    ),
    KindNotice(
        "docomo-en",
        "carrier_billing",
        "en",
        "sms",
        "docomo: Your mobile account is past due. Service will be "
        "disconnected tonight unless you pay: https://dcm-pay.example.top",
    ),
    KindNotice(
        "gas-stop",
        "utility_bill",
        "ja",
        "sms",
        "【ガス会社】ガス料金のお支払いが確認できないため、本日ガスの供給を停止します。",
    ),
    KindNotice(
        "gas-en",
        "utility_bill",
        "en",
        "sms",
        "Your gas service account is overdue. Pay $65.20 today to avoid shut off.",
    ),
    KindNotice(
        "fake-staff-calls",
        "provider_announcement",
        "ja",
        "mail",
        "件名: 【重要】当社を名乗る不審な電話にご注意ください\n\n当社の社員を名乗り、暗証番"
        "号を聞き出そうとする電話が確認されています。"
        "当社から暗証番号をお尋ねすることはございません。",
    ),
    KindNotice(
        "scam-warning-support",
        "provider_announcement",
        "en",
        "mail",
        "Subject: Scam warning\n\nWe've seen an increase in phishing emails "
        "claiming to be from our support team. Remember, we will never ask "
        "for your password.",
    ),
    KindNotice(
        "maintenance",
        "provider_announcement",
        "ja",
        "mail",
        "件名: メンテナンスのお知らせ\n\nお客様各位\n4月10日(木)深夜、システムメンテナンス"
        "のため、サービスを一時停止いたします。",
    ),
    KindNotice(
        "card-detected",
        "card_fraud_alert",
        "ja",
        "sms",
        "【ひかりカード】不正利用の可能性があるお取引を検知しました。ご利用日時 3/2 12:04 "
        "ご利用金額 89,800円。お心当たりがない場合はカード裏面の番号までご連絡ください。",
    ),
    KindNotice(
        "card-declined",
        "card_fraud_alert",
        "en",
        "sms",
        "Alert: A charge of $1,203.44 at ELECTRONICS HUB was declined on "
        "your Visa card ending 8812. Was this you?",
    ),
    KindNotice(
        "new-device",
        "suspicious_login",
        "ja",
        "mail",
        "件名: 新しい端末からのログイン\n\nお使いのアカウントに新しい端末からログインがあり"
        "ました。ログイン日時: 2026/03/03 09:12",
    ),
    KindNotice(
        "suspended-en",
        "account_locked",
        "en",
        "mail",
        "Subject: Account suspended\n\nYour account has been suspended due "
        "to suspicious activity. Restore your account within 24 hours.",
    ),
    KindNotice(
        "lifted-removed",
        "restriction_lifted",
        "en",
        "mail",
        "Subject: Re: Case 8812\n\nThe restriction on your outgoing mail has "
        "been removed. You can now send e-mails again.",
    ),
    KindNotice(
        "order-ja",
        "purchase_alert",
        "ja",
        "mail",
        "件名: ご注文ありがとうございます\n\nご注文番号 112-33 商品名: ワイヤレスイヤホン "
        "合計 12,800円 お届け予定 3月5日",
    ),
    KindNotice(
        "verify-email",
        "account_verification",
        "en",
        "mail",
        "Subject: Verify your email address\n\nPlease confirm your email "
        "address to keep using your account.",
    ),
    # -- a third batch, confusable pairs, checked before tuning (14 of 15 right first time) --
    KindNotice(
        "decided-to-stop",
        "outbound_spam_restriction",
        "ja",
        "mail",
        "件名: メール送信停止のお知らせ\n\nお客様のメールアカウント(ken@example-isp.jp)"
        "から短時間に大量の迷惑メールが送信されていることを確認したため、送信を一時的に"
        "停止することといたしました。パスワードを変更のうえ、サポートまでご連絡ください"
        "。",
    ),
    KindNotice(
        "card-check-call",
        "card_fraud_alert",
        "ja",
        "sms",
        "【あおばカード】ご本人様のご利用かどうか確認させていただきたいお取引がございま"
        "す。カード裏面の番号までお電話ください。",
    ),
    KindNotice(
        "shop-shipped",
        "purchase_alert",
        "ja",
        "mail",
        "件名: 商品発送のお知らせ\n\nご注文いただいた商品を本日発送いたしました。ご注文"
        "番号: 5531-22 お届け予定日: 3月8日 配送業者: ヤマト運輸 お問い合わせ伝票番号: "
        "4411-2233-0001",
    ),
    KindNotice(
        "carrier-schedule",
        "parcel_delivery",
        "ja",
        "mail",
        "件名: お荷物お届け予定のお知らせ\n\nクロネコメンバーズのお客様へ。明日、お荷物"
        "をお届けする予定です。お届け予定日時: 3月8日 14時-16時 伝票番号: 4411-2233-000"
        "1",
    ),
    KindNotice(
        "new-windows-device",
        "suspicious_login",
        "en",
        "mail",
        "Subject: New sign-in to your account\n\nYour account was just signed in to fro"
        "m a new Windows device. If this was you, you don't need to do anything. If not"
        ", we'll help you secure your account.",
    ),
    KindNotice(
        "privacy-policy",
        "provider_announcement",
        "en",
        "mail",
        "Subject: We're updating our privacy policy\n\nDear customers, we are making so"
        "me changes to our privacy policy, which will take effect on 1 May. You don't n"
        "eed to do anything.",
    ),
    KindNotice(
        "receipt-refund",
        "purchase_alert",
        "en",
        "mail",
        "Subject: Your receipt\n\nThank you for your purchase. Order number: 8812-55. T"
        "otal: $12.99. If you didn't make this purchase, visit your order history to re"
        "quest a refund.",
    ),
    KindNotice(
        "bank-frozen",
        "account_locked",
        "ja",
        "sms",
        "【さくら銀行】お客様の口座を一時的に凍結しました。本人確認のうえ、凍結を解除し"
        "てください。https://sakura-bk.example.top",
    ),
    KindNotice(
        "overseas-login",
        "suspicious_login",
        "ja",
        "mail",
        "件名: 不正ログインの可能性\n\nお客様のアカウントに、海外からの不審なログインが"
        "ありました。ログイン日時: 2026/03/01 03:12 場所: 不明",
    ),
    KindNotice(
        "yuucho-register",
        "account_verification",
        "ja",
        "sms",
        "【ゆうちょ銀行】お客様の登録情報の確認が必要です。下記よりご確認ください。http"
        "s://yuucho-kakunin.example.top",
    ),
    KindNotice(
        "quota-98",
        "mailbox_quota",
        "en",
        "mail",
        "Subject: Mailbox almost full\n\nYour mailbox has reached 98% of its storage qu"
        "ota. Delete old messages to keep receiving mail.",
    ),
    KindNotice(
        "user-unknown",
        "bounce_backscatter",
        "en",
        "mail",
        "Subject: Undelivered Mail Returned to Sender\n\nYour message to bob@example.or"
        "g could not be delivered.\n550 5.1.1 User unknown",
    ),
    KindNotice(
        "geek-renewal",
        "fake_invoice",
        "en",
        "mail",
        "Subject: Receipt for your Geek Support renewal\n\nThe Geek Support 2-year plan"
        " has been renewed and $499.99 was charged to your card. Call 1-844-555-0110 if"
        " you want to cancel.",
    ),
    KindNotice(
        "police-phone-number",
        "government_impersonation",
        "ja",
        "sms",
        "【警視庁】あなたの携帯電話番号が詐欺事件に使われています。捜査に協力しなければ"
        "逮捕されます。至急ご連絡ください。",
    ),
    KindNotice(
        "spyware-camera",
        "sextortion",
        "en",
        "mail",
        "Subject: I know everything\n\nI installed spyware on your phone and filmed you"
        " through the front camera. Pay $900 in bitcoin or the video goes to all your c"
        "ontacts.",
    ),
]
