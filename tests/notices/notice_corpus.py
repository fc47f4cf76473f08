"""Notices written for these tests: for every shipped kind, Japanese and English, a genuine one
and a phishing lookalike. Addresses are made up; the phishing domains are invented lookalikes.

Each sample has headers (sender, subject, and optionally Reply-To) and a body. The tests use each
sample three ways: the body alone, pasted with a header block, and as an .eml file built with
Python's email package (with the receiving server's Authentication-Results).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    kind: str
    lang: str
    genuine: bool
    sender: str  # the From header
    subject: str
    body: str
    provider: str | None = None  # the directory provider it is (or pretends to be) from
    reply_to: str | None = None

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.lang}-{'genuine' if self.genuine else 'phish'}"


SAMPLES: list[Sample] = [
    # -- outbound_spam_restriction -----------------------------------------------------------
    Sample(
        "outbound_spam_restriction",
        "ja",
        True,
        "DTIサポートセンター <support@dti.ne.jp>",
        "【DTI】メール送信の一時停止について",
        """山田 花子 様

DTIサポートセンターです。
いつもDTIをご利用いただき、ありがとうございます。

本日、お客様のメールアカウント（hanako.y@kyoto.dti.ne.jp）から、
短時間に大量のメールが送信されていることを当社システムで確認いたしました。
送信されたメールの多くは迷惑メールと判断されています。

他の会員様への影響を避けるため、該当アカウントのメール送信を一時的に制限させていただいております。
メールの受信は、これまでどおりご利用いただけます。

お手数ですが、次の2点をお願いいたします。
1. ご利用中のパソコン・スマートフォンのウイルスチェック
2. メールパスワードの変更（会員サポートページ https://dream.jp/support/ から行えます）

作業が終わりましたら、会員サポートページのお問い合わせフォームからご連絡ください。
確認でき次第、送信制限を解除いたします。
""",
        provider="dti",
    ),
    Sample(
        "outbound_spam_restriction",
        "ja",
        False,
        "DTIサポート <support@dti.ne.jp>",
        "【緊急】メール送信停止のお知らせ",
        """お客様各位

お客様のメールアカウントから大量の迷惑メールが送信されたため、送信を停止しました。
24時間以内に下記のリンクから送信制限の解除手続きをしてください。
手続きがない場合、アカウントは削除されます。

送信制限の解除はこちら
http://dti-mail-support.top/unlock?id=88213

DTIサポートセンター
""",
        provider="dti",
    ),
    Sample(
        "outbound_spam_restriction",
        "en",
        True,
        "Comcast Security Assurance <security@alerts.comcast.net>",
        "Outgoing email from your account has been limited",
        """Hello,

Our systems detected an unusually high volume of email being sent from your account
(j.miller@comcast.net) over the last few hours. Much of it was reported as spam.

To protect other customers, we have temporarily restricted outgoing email from this account.
You can still receive email normally.

Please do the following:
- Run a virus scan on every computer and phone that uses this account
- Change your email password at https://www.xfinity.com/password

Once you have done both, contact us through the support form at https://www.xfinity.com/support
and we will remove the restriction.

Comcast Security Assurance
""",
        provider="comcast",
    ),
    Sample(
        "outbound_spam_restriction",
        "en",
        False,
        "Xfinity Mail Team <no-reply@xfinity-mailcenter.net>",
        "URGENT: your sending has been suspended",
        """Dear Customer,

Spam was sent from your mailbox and your outgoing mail has been suspended.
To restore sending you must verify your account within 24 hours, or your mailbox will be
permanently deleted.

Click here to verify and unblock sending: https://xfinity-mailcenter.net/restore

Xfinity Mail Team
""",
        provider="comcast",
    ),
    # -- restriction_lifted ------------------------------------------------------------------
    Sample(
        "restriction_lifted",
        "ja",
        True,
        "DTIサポートセンター <support@dti.ne.jp>",
        "Re: メール送信制限の解除について",
        """山田 花子 様

DTIサポートセンターでございます。
このたびは、ウイルスチェックとパスワードのご変更にご協力いただき、ありがとうございます。

パスワードが変更されたことを当社でも確認しましたので、メールの送信制限は解除いたしました。
お手数ですが、メールの送信状況をご確認いただけますでしょうか。

今後とも、DTIをよろしくお願いいたします。
""",
        provider="dti",
    ),
    Sample(
        "restriction_lifted",
        "ja",
        False,
        "DTIサポート <info@dti-support-desk.com>",
        "送信制限を解除しました",
        """お客様のメール送信制限を解除しました。
引き続きご利用いただくには、24時間以内にこちらからログインして、パスワードを再入力してください。
https://dti-support-desk.com/login

DTIサポート
""",
        provider="dti",
    ),
    Sample(
        "restriction_lifted",
        "en",
        True,
        "Comcast Security Assurance <security@alerts.comcast.net>",
        "Your outgoing email restriction has been lifted",
        """Hello,

Thank you for scanning your devices and changing your password.

We have confirmed the password change, and the restriction on your outgoing email has been
lifted. You can now send email again. Please send a test message to make sure it works.

Comcast Security Assurance
""",
        provider="comcast",
    ),
    Sample(
        "restriction_lifted",
        "en",
        False,
        "Xfinity <support@xfinity-restore.info>",
        "Restriction removed - action required",
        """The block on your account has been removed.
To keep sending, confirm your password within 12 hours at https://xfinity-restore.info/keep
or your mailbox will be closed.
""",
        provider="comcast",
    ),
    # -- suspicious_login --------------------------------------------------------------------
    Sample(
        "suspicious_login",
        "ja",
        True,
        "Google <no-reply@accounts.google.com>",
        "セキュリティ通知: 新しいデバイスからのログイン",
        """お使いの Google アカウント (ken.sato@gmail.com) に、
新しいデバイスからのログインがありました。

デバイス: Windows パソコン
場所: 大阪府, 日本
日時: 2026年3月14日 21:05

このログインに心当たりがある場合は、何もする必要はありません。
心当たりがない場合は、アカウントを保護するため、セキュリティ診断を行ってください。
https://myaccount.google.com/notifications
""",
        provider="google",
    ),
    Sample(
        "suspicious_login",
        "ja",
        False,
        "Googleアカウント <security@google-jp-alert.com>",
        "不審なログインを検知しました",
        """お客様のアカウントに、不審なログインがありました。

ログイン日時：2026/03/14 03:12
場所：ロシア
IPアドレス：185.220.101.7

ご本人でない場合は、24時間以内に以下のリンクからログインして本人確認を行ってください。
確認されない場合、アカウントは永久に停止されます。
https://google-jp-alert.com/verify
""",
        provider="google",
    ),
    Sample(
        "suspicious_login",
        "en",
        True,
        "Microsoft account team <account-security-noreply@accountprotection.microsoft.com>",
        "Microsoft account unusual sign-in activity",
        """We detected something unusual about a recent sign-in to the Microsoft account
to**@outlook.com.

Sign-in details
Country/region: Brazil
IP address: 177.54.10.22
Date: 3/14/2026 4:10 AM (GMT)

If this was you, you can safely ignore this message.
If this wasn't you, review your recent activity at https://account.live.com/activity
and we'll help you secure your account.

Thanks,
The Microsoft account team
""",
        provider="microsoft",
    ),
    Sample(
        "suspicious_login",
        "en",
        False,
        "Microsoft Account <alert@rnicrosoft-security.com>",
        "Unusual sign-in detected on your account",
        """Dear User,

Someone just logged into your account from a new device.

Location: Lagos, Nigeria
IP: 102.89.3.44

If this wasn't you, please verify your account immediately at
https://rnicrosoft-security.com/verify or your account will be suspended.
""",
        provider="microsoft",
    ),
    # -- password_reset ----------------------------------------------------------------------
    Sample(
        "password_reset",
        "ja",
        True,
        "楽天会員サービス <info@rakuten.co.jp>",
        "【楽天会員】パスワード再設定のご案内",
        """楽天会員 各位

パスワード再設定のお手続きを受け付けました。
以下のURLから、24時間以内に新しいパスワードを設定してください。
https://member.id.rakuten.co.jp/rms/nid/reset

このメールに心当たりがない場合は、お手数ですが破棄してください。
パスワードは変更されていません。
""",
        provider="rakuten",
    ),
    Sample(
        "password_reset",
        "ja",
        False,
        "楽天 <no-reply@rakuten-member-info.top>",
        "パスワードの有効期限のお知らせ",
        """楽天会員様

お客様のパスワードの有効期限がまもなく切れます。
現在のパスワードを引き続き使用するには、下記のボタンから手続きをしてください。

[パスワードを維持する]
https://rakuten-member-info.top/keep
""",
        provider="rakuten",
    ),
    Sample(
        "password_reset",
        "en",
        True,
        "PayPal <service@paypal.com>",
        "Your PayPal password was changed",
        """Hello Emma Clarke,

The password for your PayPal account was changed on March 14, 2026.

If you made this change, you don't need to do anything.
If you didn't make this change, reset your password at https://www.paypal.com/signin
and review your recent activity.

PayPal
""",
        provider="paypal",
    ),
    Sample(
        "password_reset",
        "en",
        False,
        "PayPal Support <support@paypa1-service.com>",
        "Your password expires today",
        """Your PayPal password is expiring today.

To keep using your current password, click the button below. If you do nothing, a new
password will be generated and you will be signed out within 3 hours.

Keep Current Password
https://paypa1-service.com/keep-password
""",
        provider="paypal",
    ),
    # -- account_locked ----------------------------------------------------------------------
    Sample(
        "account_locked",
        "ja",
        True,
        "Amazon.co.jp <account-update@amazon.co.jp>",
        "Amazonアカウントを一時的に保留しました",
        """Amazonをご利用いただきありがとうございます。

お客様のアカウントで、通常と異なる操作が確認されたため、安全のためにアカウントを一時的に保留しました。
保留中は、ご注文や出品ができません。

Amazon.co.jp にサインインし、表示される案内に従って手続きをしてください。
https://www.amazon.co.jp/ap/signin

Amazon.co.jp カスタマーサービス
""",
        provider="amazon",
    ),
    Sample(
        "account_locked",
        "ja",
        False,
        "Amazon.co.jp <security@amazon-co-jp-account.xyz>",
        "【重要】Amazonアカウントの利用制限",
        """お客様のアカウントはロックされました。

第三者による不正なアクセスが検出されたため、アカウントの利用を制限しています。
24時間以内に情報を更新しない場合、アカウントは永久にロックされます。

アカウントの制限を解除するには、こちらからログインしてください。
https://amazon-co-jp-account.xyz/signin
""",
        provider="amazon",
    ),
    Sample(
        "account_locked",
        "en",
        True,
        "Apple <noreply@email.apple.com>",
        "Your Apple Account has been locked",
        """Dear Olivia Grant,

Your Apple Account (o.grant@icloud.com) was locked for security reasons because of several
incorrect password attempts.

To unlock your account, go to https://iforgot.apple.com and follow the steps, or open
Settings on your iPhone.

Apple Support
""",
        provider="apple",
    ),
    Sample(
        "account_locked",
        "en",
        False,
        "Apple ID <support@appleid-locked.help>",
        "Your Apple ID has been disabled",
        """Dear Customer,

Your Apple ID has been disabled due to unusual activity.
To restore access you need to verify your account within 48 hours, otherwise it will be
permanently deleted.

Unlock your account: http://appleid-locked.help/unlock
""",
        provider="apple",
    ),
    # -- account_verification ----------------------------------------------------------------
    Sample(
        "account_verification",
        "ja",
        True,
        "三井住友カード <info@smbc-card.com>",
        "【三井住友カード】ご登録情報のご確認のお願い",
        """三井住友カードをご利用いただき、ありがとうございます。

法令に基づき、定期的にお客様のご登録情報の確認をお願いしております。
Vpass（会員向けサービス）にログインのうえ、ご登録情報をご確認ください。
https://www.smbc-card.com/mem/index.jsp

ご不明な点は、カード裏面の電話番号までお問い合わせください。
""",
        provider="smbc_card",
    ),
    Sample(
        "account_verification",
        "ja",
        False,
        "三井住友カード <support@smbc-card-kakunin.com>",
        "【重要】本人確認のお願い",
        """三井住友カード会員様

お客様の本人確認が完了していません。
下記リンクより本人確認を行い、会員情報を更新してください。
期限内に確認できない場合、カードのご利用を停止させていただきます。

https://smbc-card-kakunin.com/verify
""",
        provider="smbc_card",
    ),
    Sample(
        "account_verification",
        "en",
        True,
        "Netflix <info@account.netflix.com>",
        "Please confirm your email address",
        """Hi Daniel,

Please confirm the email address for your Netflix account so we can keep you informed.

Confirm email: https://www.netflix.com/verifyemail

If you didn't ask for this, you can ignore this email.

The Netflix team
""",
        provider="netflix",
    ),
    Sample(
        "account_verification",
        "en",
        False,
        "Netflix <billing@netflix-accounts-verify.com>",
        "Account verification required",
        """Dear Customer,

We need to verify your account information. Your membership will be suspended unless you
confirm your details within 24 hours.

Verify now: https://netflix-accounts-verify.com/confirm
""",
        provider="netflix",
    ),
    # -- card_fraud_alert --------------------------------------------------------------------
    Sample(
        "card_fraud_alert",
        "ja",
        True,
        "JCB <mail@jcb.co.jp>",
        "【JCB】カードご利用確認のお願い",
        """JCBカードをご利用いただき、ありがとうございます。

お客様のカードで、不正利用の可能性があるお取引を検知したため、ご利用を一時的に保留しております。

ご利用日時：2026年3月14日 02:41
ご利用金額：48,900円
加盟店：海外オンラインストア

お心当たりがない場合は、カード裏面に記載の電話番号までご連絡ください。
MyJCB からもご利用明細を確認いただけます。https://my.jcb.co.jp/
""",
        provider="jcb",
    ),
    Sample(
        "card_fraud_alert",
        "ja",
        False,
        "JCBカード <security@jcb-co-jp.net>",
        "【JCB】不正利用の疑いのある取引を検知しました",
        """お客様のクレジットカードで第三者による不正利用の可能性があります。

検知日時：2026/03/14 02:41
利用金額：98,000円

至急、下記のリンクからカード番号と有効期限、セキュリティコードを入力し、ご利用確認を完了してください。
https://jcb-co-jp.net/check
""",
        provider="jcb",
    ),
    Sample(
        "card_fraud_alert",
        "en",
        True,
        "American Express <AmericanExpress@welcome.aexp.com>",
        "Fraud alert: please confirm a recent charge",
        """Dear Card Member,

We noticed an unusual charge on your Card ending in 41008 and declined it to protect you.

Merchant: ONLINE ELECTRONICS LTD
Amount: $1,249.00
Date: March 14, 2026

If you recognise this charge, you can try again. If not, please call the number on the back of
your Card, or review it in the American Express App.
""",
        provider="amex",
    ),
    Sample(
        "card_fraud_alert",
        "en",
        False,
        "Amex Fraud Department <alerts@amex-fraud-center.com>",
        "Suspicious transaction on your card",
        """Dear Customer,

A suspicious transaction of $1,249.00 was flagged on your credit card.
To cancel the charge, confirm your card number, expiration date and security code here:
https://amex-fraud-center.com/secure

Your card will be blocked if you do not respond within 24 hours.
""",
        provider="amex",
    ),
    # -- purchase_alert ----------------------------------------------------------------------
    Sample(
        "purchase_alert",
        "ja",
        True,
        "Amazon.co.jp <auto-confirm@amazon.co.jp>",
        "Amazon.co.jp ご注文の確認",
        """Amazon.co.jp をご利用いただき、ありがとうございます。

ご注文を承りました。お届け予定は3月16日です。

注文番号：250-3318826-1120741
商品：ワイヤレスイヤホン
合計：6,980円

注文の詳細は、アカウントサービスの注文履歴でご確認いただけます。
https://www.amazon.co.jp/gp/css/order-history
""",
        provider="amazon",
    ),
    Sample(
        "purchase_alert",
        "ja",
        False,
        "Amazon注文センター <order@amazon-support-jp.shop>",
        "ご注文ありがとうございます（iPhone 16 Pro）",
        """ご注文ありがとうございます。

商品：iPhone 16 Pro 256GB
金額：189,800円

このご注文に身に覚えがない場合は、至急下記の番号までお電話ください。
サポートセンター：050-3188-2740
""",
        provider="amazon",
    ),
    Sample(
        "purchase_alert",
        "en",
        True,
        "Apple <no_reply@email.apple.com>",
        "Your receipt from Apple",
        """Thank you for your purchase.

Order number: MV8XJ21LQ
Item: iCloud+ 200 GB (monthly)
Total: $2.99

You can review your purchases at https://reportaproblem.apple.com
If you have questions about this order, visit https://support.apple.com
""",
        provider="apple",
    ),
    Sample(
        "purchase_alert",
        "en",
        False,
        "Apple Store <receipts@apple-orders-billing.com>",
        "Thank you for your order #A8829311",
        """Thank you for your order.

Item: MacBook Pro 16-inch
Amount: $2,899.00

If you did not make this purchase, call our billing department immediately at
+1 (808) 555-0147 to cancel the order and get a refund.
""",
        provider="apple",
    ),
    # -- payment_update ----------------------------------------------------------------------
    Sample(
        "payment_update",
        "ja",
        True,
        "ソフトバンク <info@softbank.jp>",
        "【ソフトバンク】ご利用料金のお支払いについて",
        """いつもソフトバンクをご利用いただき、ありがとうございます。

ご登録のクレジットカードで、3月分のご利用料金のお支払いが確認できませんでした。
カードの有効期限が切れている可能性があります。

My SoftBank にログインし、お支払い方法の変更をお願いいたします。
https://my.softbank.jp/msb/
""",
        provider="softbank",
    ),
    Sample(
        "payment_update",
        "ja",
        False,
        "ソフトバンク <billing@softbank-pay.info>",
        "【重要】お支払い情報の更新が必要です",
        """お客様のお支払いが完了していません。
本日中に下記からお支払い情報を更新しない場合、サービスを停止いたします。

お支払い情報の更新はこちら
https://softbank-pay.info/update
""",
        provider="softbank",
    ),
    Sample(
        "payment_update",
        "en",
        True,
        "Netflix <info@account.netflix.com>",
        "Update your payment information",
        """Hi Daniel,

We couldn't process your payment for your next billing period. Your card may have expired.

To keep watching, update your payment method in your account: https://www.netflix.com/youraccount

The Netflix team
""",
        provider="netflix",
    ),
    Sample(
        "payment_update",
        "en",
        False,
        "Netflix <noreply@netflix-billing-update.com>",
        "Your payment was declined",
        """Dear Customer,

We were unable to process your recent payment. To avoid interruption of your membership,
please update your billing information within 24 hours.

Update now: https://netflix-billing-update.com/billing
""",
        provider="netflix",
    ),
    # -- bounce_backscatter ------------------------------------------------------------------
    Sample(
        "bounce_backscatter",
        "ja",
        True,
        "MAILER-DAEMON@biglobe.ne.jp",
        "エラー通知: 配信できませんでした",
        """次の宛先にメールを配信できませんでした。

宛先: tanaka.j@example.co.jp
理由: 宛先のメールアドレスが見つかりません (550 5.1.1 User unknown)

------ 元のメッセージ ------
件名: 会議の件
""",
        provider="biglobe",
    ),
    Sample(
        "bounce_backscatter",
        "ja",
        False,
        "メール配信システム <postmaster@biglobe-mailcenter.com>",
        "配信エラー: メールが届きませんでした",
        """お客様が送信したメール3通が配信できませんでした。

メールを再送信するには、こちらからログインしてください。
https://biglobe-mailcenter.com/resend

BIGLOBE メールセンター
""",
        provider="biglobe",
    ),
    Sample(
        "bounce_backscatter",
        "en",
        True,
        "Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
        "Delivery Status Notification (Failure)",
        """Address not found

Your message wasn't delivered to old.colleague@example.org because the address couldn't be
found, or is unable to receive mail.

The response from the remote server was:
550 5.1.1 The email account that you tried to reach does not exist.
""",
        provider=None,  # googlemail.com: anyone may have an address there
    ),
    Sample(
        "bounce_backscatter",
        "en",
        False,
        "Mail Delivery System <postmaster@mail-delivery-notice.com>",
        "Undelivered Mail Returned to Sender",
        """Your message could not be delivered to 4 recipients.

Click here to resend the undelivered messages:
https://mail-delivery-notice.com/resend?user=you

Failure to resend within 24 hours will delete these messages permanently.
""",
    ),
    # -- mailbox_quota -----------------------------------------------------------------------
    Sample(
        "mailbox_quota",
        "ja",
        True,
        "So-net メールサービス <mailadmin@so-net.ne.jp>",
        "【So-net】メールボックス容量のお知らせ",
        """So-netをご利用いただき、ありがとうございます。

お客様のメールボックスの使用量が、容量の90%（1.8GB / 2GB）に達しました。
容量を超えると、新しいメールを受け取れなくなります。

お使いのメールソフトやWebメールで、不要なメールを削除してください。
このメールは送信専用です。
""",
        provider="so-net",
    ),
    Sample(
        "mailbox_quota",
        "ja",
        False,
        "メール管理者 <admin@so-net-storage.site>",
        "メールボックス容量超過の警告",
        """お客様のメールボックス容量がいっぱいです（4.9GB / 5GB）。
今すぐ容量を追加しないと、メールの送受信ができなくなります。

容量の追加はこちらからログインしてください
https://so-net-storage.site/upgrade
""",
        provider="so-net",
    ),
    Sample(
        "mailbox_quota",
        "en",
        True,
        "iCloud <noreply@email.apple.com>",
        "Your iCloud storage is almost full",
        """Hi Sam,

Your iCloud storage is almost full: you are using 4.8 GB of your 5 GB.

When it is full, new mail to your iCloud Mail address can't be delivered. Delete old messages
or large attachments to free up space, or choose a bigger plan in Settings on your iPhone.
""",
        provider="apple",
    ),
    Sample(
        "mailbox_quota",
        "en",
        False,
        "Mailbox Storage <quota@webmail-quota-center.com>",
        "Mailbox quota exceeded",
        """Your mailbox has reached its storage limit (2 GB of 2 GB).
You will not be able to send or receive messages.

Sign in now to increase your storage quota for free:
https://webmail-quota-center.com/increase
""",
    ),
    # -- held_mail ---------------------------------------------------------------------------
    Sample(
        "held_mail",
        "ja",
        True,
        "@nifty <info@support.nifty.com>",
        "迷惑メールフォルダの保管メールのお知らせ",
        """@niftyをご利用いただき、ありがとうございます。

迷惑メールフィルターにより、次のメッセージが迷惑メールフォルダに保管されています（3通）。
保管されたメッセージは30日後に自動で削除されます。

必要なメールがないか、@nifty メールの迷惑メールフォルダでご確認ください。
""",
        provider="nifty",
    ),
    Sample(
        "held_mail",
        "ja",
        False,
        "@nifty メール <support@nifty-mailbox.top>",
        "受信メールが保留されています",
        """お客様あての受信メール5通が保留中です。
メッセージを受け取るには、下記からログインしてください。

保留中のメールを受け取る
https://nifty-mailbox.top/release
""",
        provider="nifty",
    ),
    Sample(
        "held_mail",
        "en",
        True,
        "Microsoft 365 <quarantine@messaging.microsoft.com>",
        "You have messages in quarantine",
        """Microsoft 365 held 2 messages sent to m.ito@contoso.example because they look like spam.
Held messages are deleted automatically after 30 days.

To review them, sign in to the Microsoft Defender portal the way you usually do.
""",
        provider="microsoft",
    ),
    Sample(
        "held_mail",
        "en",
        False,
        "Mail Admin <noreply@mailbox-quarantine.net>",
        "6 pending incoming messages",
        """You have 6 pending incoming messages that were blocked by our server.

RELEASE MESSAGES
https://mailbox-quarantine.net/release

Messages not released within 48 hours will be deleted.
""",
    ),
    # -- virus_detected ----------------------------------------------------------------------
    Sample(
        "virus_detected",
        "ja",
        True,
        "OCN メールウイルスチェック <virus-check@ocn.ne.jp>",
        "ウイルス検出のお知らせ",
        """OCNメールのウイルスチェックサービスです。

お客様あてのメールの添付ファイルからウイルスが検出されたため、添付ファイルを削除しました。

差出人: invoice@example.net
件名: 請求書の送付
ウイルス名: Trojan.Generic

このお知らせへの返信は不要です。
""",
        provider="ocn",
    ),
    Sample(
        "virus_detected",
        "ja",
        False,
        "OCNセキュリティ <security@ocn-security-check.com>",
        "【警告】ウイルスが検出されました",
        """お使いのパソコンから27件のウイルスが検出されました。
今すぐ下記から駆除ツールをダウンロードしてインストールしてください。
https://ocn-security-check.com/cleaner.exe
""",
        provider="ocn",
    ),
    Sample(
        "virus_detected",
        "en",
        True,
        "Mail Virus Scanner <virus-alert@mail.rakuten.com>",
        "Virus detected in a message to you",
        """A virus was detected in an attachment of a message sent to you, so the attachment was
removed before delivery.

From: accounts@example.net
Subject: Invoice 2291
Virus: W97M.Downloader

You don't need to do anything.
""",
        provider="rakuten",
    ),
    Sample(
        "virus_detected",
        "en",
        False,
        "Security Center <alert@device-protect-scan.com>",
        "Threat detected: 5 viruses found",
        """5 viruses were detected on your device. Your personal data is at risk.

Download the cleaner now to remove them: https://device-protect-scan.com/download
""",
    ),
    # -- malware_infection -------------------------------------------------------------------
    Sample(
        "malware_infection",
        "ja",
        True,
        "BIGLOBEセキュリティ <security@biglobe.ne.jp>",
        "お使いの機器がウイルスに感染している可能性があります",
        """BIGLOBEをご利用いただき、ありがとうございます。

お客様の回線から、ボットに感染した機器が行うような不正な通信が確認されました。
ご家庭のパソコンなどがウイルスに感染している可能性があります。

お使いのセキュリティソフトで、すべての機器のウイルスチェックを行ってください。
詳しい手順は https://support.biglobe.ne.jp/ をご覧ください。
""",
        provider="biglobe",
    ),
    Sample(
        "malware_infection",
        "ja",
        False,
        "BIGLOBEサポート <support@biglobe-pc-help.com>",
        "パソコンがウイルスに感染しています",
        """お客様のパソコンがマルウェアに感染しています。
個人情報が流出するおそれがあります。
すぐにサポートセンターの技術者にお電話ください：050-5212-8841
""",
        provider="biglobe",
    ),
    Sample(
        "malware_infection",
        "en",
        True,
        "Comcast Constant Guard <constantguard@alerts.comcast.net>",
        "Constant Guard alert: a device may be infected",
        """We have detected traffic from your home network that suggests one of your computers
may be infected with a bot. Bots can send spam and steal information.

Please update your operating system and run a full scan with your security software. Steps are
at https://www.xfinity.com/support/internet/bot-detection
""",
        provider="comcast",
    ),
    Sample(
        "malware_infection",
        "en",
        False,
        "Xfinity Security <help@xfinity-virus-alert.com>",
        "Your computer is infected",
        """Your computer is infected with a trojan. Do not turn it off.

Call a certified technician now at +1 888-555-0199 to remove it before your bank details are
stolen.
""",
        provider="comcast",
    ),
    # -- abuse_report ------------------------------------------------------------------------
    Sample(
        "abuse_report",
        "ja",
        True,
        "abuse@ocn.ne.jp",
        "迷惑メールに関する報告の転送",
        """OCN迷惑メール対策担当です。

お客様のメールアドレスから送信されたメールについて、受信者から迷惑メールとして報告（苦情）がありました。
心当たりがない場合は、メールパスワードの変更をおすすめします。
""",
        provider="ocn",
    ),
    Sample(
        "abuse_report",
        "ja",
        False,
        "迷惑メール対策センター <center@spam-report-jp.top>",
        "【通報】迷惑メール送信者として報告されました",
        """あなたのアドレスが迷惑メール送信者として通報されました。
48時間以内に下記で異議申し立てをしない場合、メールアドレスは停止されます。
https://spam-report-jp.top/appeal
""",
    ),
    Sample(
        "abuse_report",
        "en",
        True,
        "Yahoo Feedback Loop <feedbackloop@feedback.yahoo.com>",
        "Email Feedback Report for IP 198.51.100.23",
        """This is an email abuse report for a message received from IP address 198.51.100.23.
A recipient marked the message as spam. You receive this report because your domain is enrolled
in the Yahoo feedback loop.
""",
        provider="yahoo",
    ),
    Sample(
        "abuse_report",
        "en",
        False,
        "Abuse Desk <abuse@mail-abuse-review.com>",
        "Abuse report: your email will be shut down",
        """We received several abuse reports about spam sent from your mailbox.
Your email will be shut down within 24 hours unless you sign in to review the complaint:
https://mail-abuse-review.com/review
""",
    ),
    # -- account_change ----------------------------------------------------------------------
    Sample(
        "account_change",
        "ja",
        True,
        "Yahoo! JAPAN <account-security@mail.yahoo.co.jp>",
        "【Yahoo! JAPAN】登録メールアドレスが変更されました",
        """Yahoo! JAPAN IDに登録されているメールアドレスが変更されました。

変更日時：2026年3月14日 10:22

この変更に心当たりがない場合は、Yahoo! JAPANのヘルプページから、ログイン履歴をご確認ください。
https://login.yahoo.co.jp/
""",
        provider="yahoo_japan",
    ),
    Sample(
        "account_change",
        "ja",
        False,
        "Yahoo! JAPAN <security@yahoo-co-jp-id.com>",
        "登録電話番号が変更されました",
        """お客様のアカウントの電話番号が変更されました。
この変更に心当たりがない場合は、24時間以内にこちらからログインして変更を取り消してください。
https://yahoo-co-jp-id.com/cancel
""",
        provider="yahoo_japan",
    ),
    Sample(
        "account_change",
        "en",
        True,
        "Google <no-reply@accounts.google.com>",
        "A recovery phone number was added to your account",
        """Hi Ken,

A recovery phone number was added to your Google Account ken.sato@gmail.com.

If you made this change, you don't need to do anything.
If you didn't, check your account at https://myaccount.google.com/security
""",
        provider="google",
    ),
    Sample(
        "account_change",
        "en",
        False,
        "Google <security@g00gle-account-review.com>",
        "You changed your email address",
        """You changed the email address on your account.

If you did not make this change, sign in here within 12 hours to cancel it:
https://g00gle-account-review.com/cancel
""",
        provider="google",
    ),
    # -- parcel_delivery ---------------------------------------------------------------------
    Sample(
        "parcel_delivery",
        "ja",
        True,
        "ヤマト運輸 <mail@kuronekoyamato.co.jp>",
        "【ヤマト運輸】お荷物お届けのお知らせ",
        """クロネコメンバーズ 佐藤 健 様

お荷物をお届けにうかがいましたが、ご不在のため持ち帰りました。
伝票番号：4312-8876-2210

再配達は、クロネコメンバーズのWebサイトまたはアプリからお申し込みいただけます。
https://www.kuronekoyamato.co.jp/
""",
        provider="yamato",
    ),
    Sample(
        "parcel_delivery",
        "ja",
        False,
        "ヤマト運輸 <info@yamato-redelivery.xyz>",
        "お荷物の配達について",
        """お荷物を配達しましたが、ご不在のため持ち帰りました。
再配達のお申し込みは、こちらから確認してください。
送料330円のお支払いが必要です。
https://yamato-redelivery.xyz/r
""",
        provider="yamato",
    ),
    Sample(
        "parcel_delivery",
        "en",
        True,
        "Japan Post <info@post.japanpost.jp>",
        "Notice of attempted delivery",
        """We attempted to deliver your parcel today but nobody was home.
Tracking number: EJ123456789JP

You can request redelivery on the Japan Post website: https://trackings.post.japanpost.jp/
""",
        provider="japanpost",
    ),
    Sample(
        "parcel_delivery",
        "en",
        False,
        "Japan Post <delivery@japanpost-parcel.top>",
        "Your package could not be delivered",
        """Your package could not be delivered because the address is incomplete.
Please pay the redelivery fee of 200 yen here within 24 hours: https://japanpost-parcel.top/pay
""",
        provider="japanpost",
    ),
]

KINDS = sorted({s.kind for s in SAMPLES})
