"""The small things people notice (issue 16): the step counter, /export, /explain, verdict
feedback, the console."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.flows import load_library
from bot.content.model import Library
from bot.core import engine
from bot.core.buttons import StepButton
from bot.core.messages import Pressed

FLOWS = Path(__file__).resolve().parent.parent / "flows"
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def lib() -> Library:
    library, issues = load_library(FLOWS)
    assert library is not None, [str(i) for i in issues]
    return library


def _counter(out: engine.Outcome) -> tuple[int, int] | None:
    says = [a for a in out.actions if isinstance(a, engine.Say) and a.step]
    return says[-1].position if says else None


def _press(button: str) -> Pressed:
    return Pressed(StepButton(1, 0, button))


@pytest.mark.parametrize(
    ("walkthrough", "way"),
    [
        ("mail_spam_block", ["_next", "server", "_next", "laptop", "clean", "today", "_next"]),
        ("card_fraud_alert", ["_next", "nothing", "_next"]),
    ],
)
def test_the_step_counter_counts_the_persons_own_path_and_never_jumps_going_back(
    lib: Library, walkthrough: str, way: list[str]
) -> None:
    w = lib.walkthroughs[walkthrough]
    out = engine.advance(lib, w, engine.begin(w), engine.Started(), NOW, "en")
    counters = [_counter(out)]
    for move in way:
        event = (
            engine.Typed(move)
            if re.fullmatch(r"[a-z]+", move) and move not in ("server", "clean", "nothing")
            else _press(move)
        )
        out = engine.advance(lib, w, out.progress, event, NOW, "en")
        counters.append(_counter(out))
    numbered = [c for c in counters if c is not None]
    total = numbered[0][1]
    assert [n for n, _ in numbered] == list(range(1, len(numbered) + 1))
    assert all(t == total for _, t in numbered), numbered
    # Back, step by step, to the start: each step counts one less, and the total stays.
    back = []
    for _ in range(len(numbered) - 1):
        out = engine.advance(lib, w, out.progress, engine.WentBack(), NOW, "en")
        back.append(_counter(out))
    backs = [c for c in back if c is not None]
    assert [n for n, _ in backs] == list(range(len(numbered) - 1, 0, -1))[: len(backs)], backs
    assert all(t == total for _, t in backs), backs


SAMPLES = Path(__file__).resolve().parent.parent / "bot" / "samples"


async def _story_export(tmp_path: Path, lang: str, timezone: str | None) -> str:
    """Walk the story from the sample notice to the contact step on a real store; /export."""
    import shutil

    from bot.assistant import Assistant, LibraryHolder
    from bot.assistant.reading import read_notice
    from bot.cli.flows import load_flows
    from bot.cli.settings import load_settings
    from bot.core.messages import Command, Document, FileSent, Message, Said
    from bot.storage.sqlite import SqliteStore

    flows = tmp_path / "flows"
    shutil.copytree(FLOWS, flows)
    library, _ = load_flows(flows)
    assert library is not None
    settings = load_settings({"ANSHIN_TZ": timezone} if timezone else {})
    assert settings.problems == ()
    store = await SqliteStore.open(tmp_path / "a.db")
    try:
        assistant = Assistant(
            LibraryHolder(library),
            store,
            read_notice,
            clock=lambda: datetime(2026, 11, 26, 9, 8, tzinfo=UTC),
            timezone=settings.timezone,
        )
        sample = (SAMPLES / f"isp_notice_{lang}.txt").read_bytes()
        replies = await assistant.handle(1, FileSent(sample, "notice.txt"), lang_hint=lang)
        for answer in ["_next", "_next", "my laptop", "clean", "today", "_next", "changed"]:
            step = [r for r in replies if isinstance(r, Message) and r.buttons][-1]
            data = [b.data for row in step.buttons for b in row if b.data.encode().endswith(answer)]
            said = Pressed(data[0]) if data else Said(answer)
            replies = await assistant.handle(1, said, lang_hint=lang)
        replies = await assistant.handle(1, Said("Taro Yamada"), lang_hint=lang)
        step = [r for r in replies if isinstance(r, Message) and r.buttons][-1]
        form = [b.data for row in step.buttons for b in row if b.data.encode().endswith("form")]
        await assistant.handle(1, Pressed(form[0]), lang_hint=lang)
        replies = await assistant.handle(1, Command("export"), lang_hint=lang)
        return next(r.content for r in replies if isinstance(r, Document))
    finally:
        await store.close()


@pytest.mark.parametrize(
    ("lang", "restriction", "contact"),
    [("ja", "メールの送信", "お問い合わせフォーム"), ("en", "sending mail", "Web form")],
)
async def test_export_shows_local_time_and_the_labels_people_saw(
    tmp_path: Path, lang: str, restriction: str, contact: str
) -> None:
    text = await _story_export(tmp_path, lang, None)
    assert "2026-11-26 18:08" in text and "+00:00" not in text and "T09:08" not in text
    assert "Asia/Tokyo" in text
    assert restriction in text and "outgoing_mail" not in text
    assert contact in text and "web_form" not in text
    assert not re.search(r"^- [a-z_]+: ", text, re.MULTILINE), text


async def test_export_time_follows_the_time_zone_setting(tmp_path: Path) -> None:
    text = await _story_export(tmp_path, "en", "Europe/London")
    assert "2026-11-26 09:08" in text and "Europe/London" in text


# --- /explain and the glossary ---------------------------------------------------------------

ASKED = [
    "SMTP認証",
    "OP25B",
    "フィッシング",
    "二段階認証",
    "送信制限",
    "2FA",
    "port 25",
    "DKIM",
    "DMARC",
    "SPF",
    "two-factor",
    "ポート587",
    "smtp auth",
    "Ｄｍａｒｃ",
]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_explain_knows_at_least_forty_terms_typed_in_either_language(
    lib: Library, lang: str
) -> None:
    from test_dialogue import Person

    from bot.core.messages import Command

    assert len(lib.glossary) >= 40
    for asked in ASKED:
        p = Person(lib, lang)
        p.send(Command("explain", asked))
        term = next(t for t in lib.glossary if p.texts() == t.text.get(lang))
        assert term.text.get(lang), asked
    p = Person(lib, lang)
    p.send(Command("explain", "no-such-word-at-all"))
    assert lib.text("explain_unknown", lang, word="no-such-word-at-all") in p.texts()


def test_explain_lists_the_words_in_the_persons_language(lib: Library) -> None:
    from test_dialogue import Person

    from bot.core.messages import Command

    listed = {}
    for lang in ("ja", "en"):
        p = Person(lib, lang)
        p.send(Command("explain"))
        listed[lang] = p.texts()
    assert "フィッシング" in listed["ja"] and "phishing" not in listed["ja"]
    assert "phishing" in listed["en"] and "フィッシング" not in listed["en"]
    assert all(t.words["ja"][0] in listed["ja"] for t in lib.glossary)
    assert all(t.words["en"][0] in listed["en"] for t in lib.glossary)


DKIM_FAIL = """\
Received: from mail.examplebank-secure.example (mail.examplebank-secure.example [203.0.113.9])
 by mx.google.com with ESMTPS id a1si1.2026.12.01.08.00.00; Tue, 01 Dec 2026 08:00:00 -0800
Authentication-Results: mx.google.com; spf=fail smtp.mailfrom=examplebank-secure.example;
 dkim=fail header.d=examplebank-secure.example; dmarc=fail header.from=examplebank-secure.example
From: Example Bank <info@examplebank-secure.example>
Subject: Please confirm your account

Your account has been locked. Sign in within 24 hours to confirm your details:
http://198.51.100.23/login
"""


LOOKALIKE = """\
From: Rakuten Card <info@rakuten-card-check.example>
Subject: Card use check

We noticed unusual use of your card. Confirm it here: https://rakuten-card-check.example/verify
"""


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("name", ["isp_notice_ja.txt", "isp_notice_en.txt", "dkim_fail", "look"])
def test_the_explanation_of_a_notice_glosses_each_technical_word_it_uses(
    lib: Library, lang: str, name: str
) -> None:
    from bot.assistant.reading import read_notice
    from bot.content.glossary import unglossed
    from bot.core.messages import NoticeRead

    written = {"dkim_fail": DKIM_FAIL, "look": LOOKALIKE}
    raw = written[name].encode() if name in written else (SAMPLES / name).read_bytes()
    read = read_notice(lib, raw, None, "notice.eml" if name in written else None)
    assert isinstance(read, NoticeRead)
    said = read.explanation(lang)
    assert unglossed(lib.glossary, said, lang, set()) == [], said
    wanted = {"dkim_fail": ("dkim", "dmarc", "spf"), "look": ("domain",)}.get(name, ())
    for term in (t for t in lib.glossary if t.id in wanted):
        assert term.gloss is not None and term.gloss.get(lang) in said, (term.id, said)


def test_a_glossary_mistake_is_reported_with_file_and_line(tmp_path: Path) -> None:
    import shutil

    from bot.cli.flows import load_library as load

    flows = tmp_path / "flows"
    shutil.copytree(FLOWS, flows)
    (flows / "more.yaml").write_text(
        "glossary:\n"
        "  - id: dkim_again\n"
        "    words: {ja: [DKIM], en: [DKIM check]}\n"
        "    gloss: {ja: 印鑑, en: seal}\n"
        "    text: {ja: 説明, en: explained}\n"
        "  - id: no_gloss\n"
        "    words: {ja: [なにか], en: [something odd]}\n"
        "    text: {ja: 説明, en: explained}\n",
        encoding="utf-8",
    )
    library, issues = load(flows)
    said = [str(i) for i in issues]
    assert library is None
    assert any(
        s.startswith("flows/more.yaml:2: glossary term 'dkim_again'") and "'DKIM'" in s
        for s in said
    ), said
    assert any(
        s.startswith("flows/more.yaml:6: glossary term 'no_gloss'") and "gloss" in s for s in said
    ), said


def test_the_shipped_walkthroughs_gloss_every_technical_word_where_they_first_use_it(
    tmp_path: Path,
) -> None:
    import shutil

    from bot.cli.flows import load_library as load

    library, issues = load(FLOWS)
    assert library is not None
    assert [str(i) for i in issues if "without a gloss" in i.what] == []
    flows = tmp_path / "flows"
    shutil.copytree(FLOWS, flows)
    story = flows / "walkthroughs" / "mail_spam_block.yaml"
    story.write_text(
        story.read_text(encoding="utf-8").replace(
            "「SMTP認証」（送るときにもIDとパスワードで本人か確かめるしくみ）", "「SMTP認証」"
        ),
        encoding="utf-8",
    )
    _, issues = load(flows)
    assert any("uses 'SMTP認証' without a gloss" in str(i) for i in issues)


def test_a_gloss_uses_no_technical_word_that_would_need_a_gloss_itself(lib: Library) -> None:
    from bot.content.glossary import unglossed

    for term in lib.glossary:
        others = [t for t in lib.glossary if t is not term]
        for lang, gloss in (term.gloss.by_lang if term.gloss else {}).items():
            assert unglossed(others, gloss, lang, set()) == [], (term.id, gloss)


# --- "this looks wrong" on every verdict ----------------------------------------------------


@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_every_verdict_offers_a_this_looks_wrong_button_that_records_codes_only(
    tmp_path: Path, lang: str
) -> None:
    import shutil

    from bot.assistant import Assistant, LibraryHolder
    from bot.assistant.reading import read_notice
    from bot.cli.flows import load_flows
    from bot.core.messages import Message, NoticeRead, Said
    from bot.storage.sqlite import SqliteStore

    flows = tmp_path / "flows"
    shutil.copytree(FLOWS, flows)
    library, _ = load_flows(flows)
    assert library is not None
    store = await SqliteStore.open(tmp_path / "f.db")
    try:
        assistant = Assistant(LibraryHolder(library), store, read_notice, admin_ids=frozenset({9}))
        replies = await assistant.handle(1, Said(LOOKALIKE, "Rakuten Card"), lang_hint=lang)
        verdict = next(r for r in replies if isinstance(r, Message) and r.buttons)
        assert verdict.text.startswith(library.text("verdict_likely_phishing", lang)[:6])
        button = verdict.buttons[-1][-1]
        assert button.label == library.text("feedback_button", lang)
        replies = await assistant.handle(1, Pressed(button.data), lang_hint=lang)
        said = "\n".join(r.text for r in replies if isinstance(r, Message))
        assert library.text("feedback_thanks", lang) in said
        listed = await assistant.admin("feedback")
        read = read_notice(library, LOOKALIKE, "Rakuten Card", None)
        assert isinstance(read, NoticeRead) and read.verdict == "likely_phishing"
        codes = ",".join(r.code for r in read.reasons)
        assert f"{read.kind} likely_phishing {codes}: 1 / 1" in listed
        assert "link_lookalike" in listed
        assert "rakuten-card-check" not in listed and "unusual use" not in listed
    finally:
        await store.close()


US_ORDER = """\
From: "Amazon.com" <shipment-tracking@amazon.com>
Subject: Your Amazon.com order of "Garden hose, 50 ft" has shipped
Date: Tue, 24 Nov 2026 18:02:00 -0800

Hello,
Your order 113-4456021-7734410 has shipped and is on its way.
Track your package: https://www.amazon.com/gp/your-account/order-history
"""
JP_ORDER = """\
From: "Amazon.co.jp" <shipment-tracking@amazon.co.jp>
Subject: Amazon.co.jp ご注文の商品を発送しました
Date: Tue, 24 Nov 2026 18:02:00 +0900

ご注文の商品を発送しました。注文番号 250-1234567-7654321
配送状況の確認：https://www.amazon.co.jp/gp/your-account/order-history
"""


@pytest.mark.parametrize(
    ("notice", "home", "other"),
    [(US_ORDER, "amazon.com", "amazon.co.jp"), (JP_ORDER, "amazon.co.jp", "amazon.com")],
)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_shop_order_is_checked_on_the_official_domain_the_notice_came_from(
    lib: Library, notice: str, home: str, other: str, lang: str
) -> None:
    from bot.assistant.reading import read_notice
    from bot.core.messages import NoticeRead

    read = read_notice(lib, notice.encode(), None, "order.eml")
    assert isinstance(read, NoticeRead) and read.provider == "amazon"
    said = read.explanation(lang)
    check = said[said.index(lib.text("explain_confirm", lang)) :]
    assert f"（{home}）" in check or f"({home})" in check, check
    assert f"（{other}）" not in check and f"({other})" not in check
