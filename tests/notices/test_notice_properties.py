"""Properties over hostile mail: whatever the MIME, headers and HTML, the reader answers (never
raises), stays within its budget, and never calls a crafted malicious mail likely genuine."""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cli.flows import load_library
from bot.content.model import Library
from bot.notices import Analysis, Unreadable, analyse
from bot.notices.budget import Budget

BRAND_DOMAINS = ["paypal.com", "amazon.co.jp", "dti.ne.jp", "smbc-card.com"]
MALICIOUS_LINKS = st.sampled_from(
    [
        "https://{label}-verify.example/login",
        "http://203.0.113.{n}/login",
        "https://www.{domain}@evil.example/",
        "https://evil.example\\@www.{domain}/",
        "javascript:void(location='https://evil.example')",
        "data:text/html;base64,PHA+aGk8L3A+",
        "blob:https://evil.example/{n}",
        "vbscript:msgbox({n})",
        "https://{domain}.login-check.top/",
        "https://{label}.web.app/",
        "https://evil.example:8443/{label}",
    ]
)
MARKUP = st.sampled_from(
    [
        "<a href='{bad}'>Sign in</a>",
        "<form action='{bad}'><input type=password></form>",
        "<meta http-equiv=refresh content='0;url={bad}'>",
        "<iframe src='{bad}'>",
        "<map><area href='{bad}'></map>",
        "<svg><a href='{bad}'>x</a></svg>",
        "<base href='{bad}'><a href=x>Verify</a>",
    ]
)
FORGED = st.sampled_from(
    [
        "Authentication-Results: mx.google.com; dmarc=pass header.from={domain}",
        "Authentication-Results: mx.google.com; dmarc=fail (dmarc=pass) header.from={domain}",
        "Authentication-Results: spf=pass smtp.mailfrom={domain};dmarc=pass header.from={domain}",
        "Authentication-Results: mx.google.com; dkim=pass header.d={domain}; dkim=fail",
        "Authentication-Results: x; dmarc=pass (((",
    ]
)
JUNK = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80
) | st.sampled_from(["\u202e", "\u200b" * 5, "=?utf-8?B?abcde?=", "<<<>>>", "--b0", "\r\n\r\n"])


@cache
def library() -> Library:
    """The shipped flows, loaded once (not a test argument: Hypothesis would print all of it
    with a failing example)."""
    lib, issues = load_library(Path(__file__).resolve().parents[2] / "flows")
    assert lib is not None, issues
    return lib


@st.composite
def hostile_mail(draw: st.DrawFn) -> bytes:
    domain = draw(st.sampled_from(BRAND_DOMAINS))
    label = domain.split(".")[0]
    n = draw(st.integers(1, 250))

    def bad() -> str:
        return draw(MALICIOUS_LINKS).format(domain=domain, label=label, n=n)

    # What the person's receiving service wrote on delivery: the attacker controls everything
    # below it, and the damage below only touches that part.
    receiver = (
        "Received: from relay.evil.example by mx.google.com with ESMTPS\n"
        "Authentication-Results: mx.google.com; spf=fail smtp.mailfrom=relay.evil.example; "
        f"dkim=none; dmarc=fail header.from={domain}\n"
    ).encode()
    headers = ["Received: from localhost by relay.evil.example"]
    headers += [draw(FORGED).format(domain=domain) for _ in range(draw(st.integers(0, 3)))]
    headers.append(f"From: {draw(JUNK)} <service@{domain}>".replace("\n", " "))
    if draw(st.booleans()):
        headers.append("From: other <other@evil.example>")
    headers.append(f"Subject: {draw(JUNK)}".replace("\n", " "))
    headers.append("MIME-Version: 1.0")
    depth = draw(st.integers(0, 60))
    for i in range(depth):
        headers.append(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}')
    html = "".join(
        draw(MARKUP).format(bad=bad()) + draw(JUNK) for _ in range(draw(st.integers(1, 6)))
    )
    headers.append(f"Content-Type: text/html; charset={draw(st.sampled_from(['utf-8', 'x', '']))}")
    raw = ("\n".join(headers) + "\n\n" + html).encode("utf-8", "surrogatepass")
    cut = draw(st.integers(0, 3))
    for _ in range(cut):  # damage: bytes dropped from random places
        at = draw(st.integers(0, max(0, len(raw) - 1)))
        raw = raw[:at] + raw[at + draw(st.integers(1, 20)) :]
    return receiver + raw


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=hostile_mail())
def test_hostile_mail_is_answered_within_budget_and_never_genuine(raw: bytes) -> None:
    budget = Budget(units=400)
    started = time.perf_counter()
    a = analyse(library(), raw, budget=budget)
    assert time.perf_counter() - started < 3.0
    assert isinstance(a, (Analysis, Unreadable))
    assert budget.left >= -8  # the last piece of work taken is the only one past the limit
    if isinstance(a, Analysis):
        assert a.verdict != "likely_genuine", [(r.code, r.weight) for r in a.reasons]


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=4000) | st.text(max_size=4000))
def test_any_bytes_or_text_at_all_get_an_answer(raw: bytes | str) -> None:
    a = analyse(library(), raw)
    assert isinstance(a, (Analysis, Unreadable))
