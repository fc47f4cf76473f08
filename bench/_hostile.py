"""Hostile notices built the way attackers build them, for the fuzz benchmark: forged
Authentication-Results where a sender can put them, broken encodings, deep or broken MIME, HTML
with every way of sending a person somewhere, lookalike and script links, invisible and
reversing characters, and random damage to all of it. Every input carries at least one
malicious element, so none may be judged likely genuine."""

from __future__ import annotations

import random

BRANDS = [
    ("PayPal", "paypal.com"),
    ("Amazon", "amazon.co.jp"),
    ("三井住友カード", "smbc-card.com"),
    ("ヤマト運輸", "kuronekoyamato.co.jp"),
    ("DTI", "dti.ne.jp"),
    ("Apple", "apple.com"),
]
BAD_LINKS = [
    "https://{label}-verify.example/login",
    "http://198.51.100.{n}/{label}/",
    "https://www.{domain}@evil.example/",
    "https://evil.example\\@www.{domain}/",
    "https://p\u0430ypal.com/signin",
    "javascript:location='https://evil.example'",
    "data:text/html;base64,PGgxPnBheTwvaDE+",
    "blob:https://evil.example/{n}",
    "vbscript:msgbox({n})",
    "https://{domain}.account-check.top/",
    "https://storage.googleapis.com/b{n}/{label}.html",
    "https://bit.ly/{n}Ab",
    "https://qxzvb{n}.cn/{label}",
    "https://{label}.web.app/login",
    "https://evil.example:{port}/{label}",
    "https://evil.example/{label}/invoice.exe",
]
FORGED_AUTH = [
    "Authentication-Results: mx.google.com; dmarc=pass header.from={domain}; dkim=pass "
    "header.d={domain}",
    "Authentication-Results: mx.google.com; dmarc=fail (dmarc=pass) header.from={domain}",
    "Authentication-Results: spf=pass (sender IP is 203.0.113.9) smtp.mailfrom={domain}; "
    "dkim=pass header.d={domain};dmarc=pass action=none header.from={domain}",
    "Authentication-Results: mx.unknown.example; dmarc=pass header.from={domain}",
    "Authentication-Results: (((((dmarc=pass header.from={domain}",
    "Authentication-Results: mx.google.com; dmarc=pass header.from={domain}; dmarc=fail",
]
TRICKS = ["\u200b", "\u202e", "\u2066", "\ufeff", "\u00ad", "\u202d", "\U000e0041"]
TAGS = [
    "<a href='{bad}'>{word}</a>",
    "<form action='{bad}'><input type=password name=p><button>{word}</button></form>",
    "<meta http-equiv='refresh' content='0; url={bad}'>",
    "<iframe src='{bad}'></iframe>",
    "<img usemap='#m'><map name=m><area href='{bad}'></map>",
    "<svg><a xlink:href='{bad}'><text>{word}</text></a></svg>",
    "<base href='{bad}'><a href='x'>{word}</a>",
    "<div style='display:none'>{junk}</div>",
    "<span style='font-size:0'>{junk}</span>",
    "<object data='{bad}'></object>",
    "<p>{word} {trick}{word}</p>",
    "<a href='{bad}'><img src='cid:x'></a>",
    "<!-- {junk} --><p",
    "<table><tr><td><div><div><div>{word}",
]
WORDS = [
    "Sign in",
    "今すぐ確認",
    "Verify your account",
    "ご本人確認はこちら",
    "Unlock",
    "再配達のお手続き",
    "Update payment",
]


def _bad(rng: random.Random, brand: tuple[str, str]) -> str:
    domain = brand[1]
    label = domain.split(".")[0]
    return rng.choice(BAD_LINKS).format(
        label=label, domain=domain, n=rng.randrange(1, 250), port=rng.choice([8080, 8443, 2083])
    )


def _html(rng: random.Random, brand: tuple[str, str]) -> str:
    parts = [f"<p>{brand[0]}: your account needs attention.</p>"]
    for _ in range(rng.randrange(1, 12)):
        parts.append(
            rng.choice(TAGS).format(
                bad=_bad(rng, brand),
                word=rng.choice(WORDS),
                junk="x" * rng.randrange(0, 300),
                trick=rng.choice(TRICKS),
            )
        )
    if rng.random() < 0.1:
        parts.append("<div>" * rng.randrange(100, 3000))
    parts.append(f"<a href='{_bad(rng, brand)}'>{rng.choice(WORDS)}</a>")
    return "".join(parts)


def _headers(rng: random.Random, brand: tuple[str, str]) -> list[str]:
    name, domain = brand
    out = []
    if rng.random() < 0.5:
        out.append("Received: from mx.relay.example by mx.google.com with ESMTPS")
        out.append(
            "Authentication-Results: mx.google.com; spf=fail smtp.mailfrom=relay.example; "
            f"dmarc=fail header.from={domain}"
        )
    out.append("Received: from localhost by mx.relay.example")
    for _ in range(rng.randrange(0, 4)):
        out.append(rng.choice(FORGED_AUTH).format(domain=domain))
    senders = [
        f"{name} <service@{domain}>",
        f"=?utf-8?B?{rng.choice(['abcde', '44GC44GE', '!!'])}?= <service@{domain}>",
        f"{name}{rng.choice(TRICKS)} <alerts@{domain.split('.')[0]}-support.example>",
        f'"{name} <service@{domain}>" <x@evil.example>',
    ]
    out.append("From: " + rng.choice(senders))
    if rng.random() < 0.2:
        out.append("From: other <other@evil.example>")
    if rng.random() < 0.2:
        out.append("Sender: bulk@evil.example")
    if rng.random() < 0.3:
        out.append("Reply-To: help@freemail.example")
    out.append(
        "Subject: " + rng.choice(["=?iso-2022-jp?B?GyRCJCIkJBsoQg==?=", "Notice", "=?x?Q?=ZZ?="])
    )
    return out


def _mime(rng: random.Random, brand: tuple[str, str]) -> str:
    html = _html(rng, brand)
    depth = rng.choice([0, 0, 1, 2, 5, 30, 200])
    lines = ["MIME-Version: 1.0"]
    for i in range(depth):
        boundary = f"b{i}" if rng.random() < 0.95 else ""
        lines.append(
            f"Content-Type: multipart/{rng.choice(['mixed', 'alternative', 'related'])};"
            f' boundary="{boundary}"'
        )
        lines.append("")
        lines.append(f"--{boundary}")
    charset = rng.choice(["utf-8", "iso-2022-jp", "x-unknown", "shift_jis", "utf-7", ""])
    encoding = rng.choice(["8bit", "base64", "quoted-printable", "x-weird"])
    lines.append(f"Content-Type: text/html; charset={charset}")
    lines.append(f"Content-Transfer-Encoding: {encoding}")
    lines.append("")
    if encoding == "base64" and rng.random() < 0.7:
        import base64

        lines.append(base64.b64encode(html.encode()).decode()[: rng.randrange(10, 4000)])
    else:
        lines.append(html)
    return "\n".join(lines)


def _forward(rng: random.Random, brand: tuple[str, str]) -> str:
    name, domain = brand
    return (
        "---------- Forwarded message ---------\n"
        f"From: {name} <service@{domain}>\n"
        f"Subject: {rng.choice(WORDS)}\n"
        f"Authentication-Results: mx.google.com; dmarc=pass header.from={domain}\n\n"
        f"{name}: {rng.choice(WORDS)} {_bad(rng, brand)}\n"
    )


def _damage(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randrange(0, 12)):
        if not b:
            break
        at = rng.randrange(len(b))
        op = rng.random()
        if op < 0.4:
            b[at] = rng.randrange(256)
        elif op < 0.7:
            del b[at : at + rng.randrange(1, 40)]
        else:
            b[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
    return bytes(b)


def make(rng: random.Random) -> bytes:
    """One hostile notice as bytes."""
    brand = rng.choice(BRANDS)
    shape = rng.random()
    if shape < 0.55:
        text = "\n".join(_headers(rng, brand)) + "\n" + _mime(rng, brand)
    elif shape < 0.7:
        text = "\n".join(_headers(rng, brand)) + "\n\n" + _forward(rng, brand)
    elif shape < 0.85:
        text = _html(rng, brand)
    else:
        text = f"{brand[0]}{rng.choice(TRICKS)}: {rng.choice(WORDS)} {_bad(rng, brand)}"
    data = text.encode("utf-8", "surrogatepass")
    return _damage(rng, data) if rng.random() < 0.6 else data
