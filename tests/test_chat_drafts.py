"""Drafts in the dialogue (issue 16): thanks only with the draft after it, the draft offered only
where writing to someone is a step, a lure reported and never answered, the sources of the
channels it names."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from test_dialogue import Person

from bot.cli.flows import load_library
from bot.content.model import Library
from bot.core.buttons import DraftButton, parse
from bot.core.messages import Command, Message, Pressed, TextSent

FLOWS = Path(__file__).resolve().parent.parent / "flows"

STORY = {
    "account": "taro@example.jp",
    "provider_name": "DTI",
    "notice_date": "2026-11-20",
    "devices": "my laptop",
    "virus_found": "no",
    "password_changed_on": "2026-11-21",
    "other_accounts": "changed",
}
STORY_DONE = (("what_happened", "2026-11-20T09:00:00+00:00"), ("scan_result", "2026-11-21"))


@pytest.fixture(scope="module")
def lib() -> Library:
    library, issues = load_library(FLOWS)
    assert library is not None, [str(i) for i in issues]
    return library


def at_step(lib: Library, walkthrough: str, step: str, facts: dict[str, str], lang: str) -> Person:
    """A person whose one incident stands at `step` with `facts`, as if they had walked there."""
    p = Person(lib, lang)
    p.send(Command("start", walkthrough))
    incident = p.state.current_incident()
    assert incident is not None
    progress = replace(incident.progress, step=step, facts=facts, done=STORY_DONE)
    moved = replace(incident, progress=progress, rev=incident.rev + 1)
    p.state = replace(p.state, incidents={incident.no: moved})
    return p


def messages(p: Person) -> list[Message]:
    return [r for r in p.replies if isinstance(r, Message)]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_thanks_for_a_detail_comes_only_with_the_draft_right_after_it(
    lib: Library, lang: str
) -> None:
    thanks = lib.text("draft_fixed", lang)
    p = at_step(lib, "mail_spam_block", "contact_support", dict(STORY), lang)
    p.send(Command("draft"))
    assert lib.text("fact_your_name", lang) in p.texts()
    p.send(TextSent("Taro Yamada"))
    said = messages(p)
    at = next(i for i, m in enumerate(said) if m.text == thanks)
    assert said[at + 1].preformatted and "Taro Yamada" in said[at + 1].text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_an_answer_that_leaves_the_draft_wanting_is_not_called_put_in(
    lib: Library, lang: str
) -> None:
    facts = {k: v for k, v in STORY.items() if k != "account"}
    p = at_step(lib, "mail_spam_block", "contact_support", facts, lang)
    p.send(Command("draft"))
    p.send(TextSent("taro@example.jp"))
    # The account is in; the name is still missing, so no draft comes yet and no "put it in".
    assert lib.text("draft_fixed", lang) not in p.texts()
    assert not any(m.preformatted for m in messages(p))
    assert lib.text("fact_your_name", lang) in p.texts()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_correcting_a_detail_to_the_same_value_says_nothing_changed(
    lib: Library, lang: str
) -> None:
    p = at_step(lib, "mail_spam_block", "contact_support", {**STORY, "your_name": "Taro"}, lang)
    p.send(Command("draft"))
    incident = p.state.current_incident()
    assert incident is not None
    p.send(Pressed(DraftButton(incident.no, "mail_block_done", "devices")))
    p.send(TextSent("my laptop"))
    assert lib.text("draft_fixed", lang) not in p.texts()
    assert lib.text("draft_unchanged", lang) in p.texts()
    p.send(Pressed(DraftButton(incident.no, "mail_block_done", "devices")))
    p.send(TextSent("my laptop and my phone"))
    said = messages(p)
    at = next(i for i, m in enumerate(said) if m.text == lib.text("draft_fixed", lang))
    assert said[at + 1].preformatted and "my laptop and my phone" in said[at + 1].text


def _walk_first_ways(lib: Library, walkthrough: str) -> list[tuple[str, bool]]:
    """Walk `walkthrough` by its first button (typing a plain answer where it asks), asking for
    /draft on every step: (step, whether the draft was refused) for each."""
    p = Person(lib, "en")
    p.send(Command("start", walkthrough))
    seen: list[tuple[str, bool]] = []
    for _ in range(40):
        incident = p.state.current_incident()
        if incident is None or not incident.is_open:
            break
        step = incident.progress.step
        p.send(Command("draft"))
        p.state = replace(p.state, pending=None)
        seen.append((step, lib.text("draft_unavailable", "en") in p.texts()))
        p.send(Command("status"))
        data = [d for d in p.buttons() if d.startswith("s") and not d.endswith("._back")]
        p.send(Pressed(parse(data[0])) if data else TextSent("2026-11-28"))
    return seen


def test_a_draft_is_offered_only_on_a_way_with_a_step_that_writes_to_someone(
    lib: Library,
) -> None:
    for w in lib.walkthroughs.values():
        seen = _walk_first_ways(lib, w.id)
        on_way = [s for s, _ in seen if w.steps[s].draft]
        if not any(s.draft for s in w.steps.values()):
            assert all(refused for _, refused in seen), w.id
        if on_way:
            reached = [s for s, _ in seen].index(on_way[0])
            assert not any(refused for _, refused in seen[reached:]), w.id
    sign_in = _walk_first_ways(lib, "suspicious_login")
    assert sign_in and all(refused for _, refused in sign_in)


FAKE_BLOCK = """\
From: DTI Support <support@dti-secure-mail.example>
Subject: Your outgoing mail has been restricted

We detected a large amount of mail sent from your account and have restricted your outgoing
mail. Sign in within 24 hours to verify your identity and lift the restriction:
http://192.0.2.44/dti/unlock
"""


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_lookalike_of_a_real_notice_gets_the_lure_report_never_an_answer(
    lib: Library, lang: str
) -> None:
    from bot.assistant.reading import read_notice
    from bot.core.messages import NoticeRead

    read = read_notice(lib, FAKE_BLOCK, None, None)
    assert isinstance(read, NoticeRead) and read.verdict == "likely_phishing"
    p = Person(lib, lang)
    p.send(TextSent(FAKE_BLOCK, read, forwarded=True))
    incident = p.state.current_incident()
    assert incident is not None
    p.state = replace(
        p.state,
        incidents={
            incident.no: replace(
                incident,
                progress=replace(
                    incident.progress,
                    facts={**incident.progress.facts, "notice_date": "2026-11-20"},
                ),
            )
        },
    )
    p.send(Command("draft"))
    letters = [m.text for m in messages(p) if m.preformatted]
    assert letters, p.texts()
    assert lib.drafts["lure_report"].subject.get(lang) in letters[0]
    answer = lib.drafts["mail_block_done"].subject.get(lang).split("（")[0].split("(")[0]
    assert answer not in letters[0]


BOUNCE = """\
Subject: Undelivered Mail Returned to Sender

This is the mail system at host mx.example.net.
I'm sorry to have to inform you that your message could not be delivered to one or more
recipients.

<buyer-4471@shop-mail.example>: host mx.shop-mail.example said: 550 5.1.1 user unknown

--- original message ---
To: buyer-4471@shop-mail.example
Subject: Cheap watches
"""


def _bounce_read(lib: Library, to: str | None) -> dict[str, str]:
    from bot.assistant.reading import read_notice
    from bot.core.messages import NoticeRead

    head = f"From: MAILER-DAEMON@mx.example.net\nTo: {to}\n" if to else ""
    read = read_notice(lib, head + BOUNCE, None, "bounce.eml" if to else None)
    assert isinstance(read, NoticeRead) and read.kind == "bounce_backscatter"
    return dict(read.facts)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_bounce_draft_never_takes_the_spam_recipient_for_the_persons_account(
    lib: Library, lang: str
) -> None:
    facts = _bounce_read(lib, None)
    assert "buyer-4471@shop-mail.example" not in facts.values()
    p = at_step(lib, "bounce_backscatter", "tell_provider", {**STORY, **facts}, lang)
    p.state = replace(
        p.state,
        incidents={
            no: replace(i, progress=replace(i.progress, facts={**facts, "notice_date": "x"}))
            for no, i in p.state.incidents.items()
        },
    )
    p.send(Command("draft"))
    assert lib.text("fact_account", lang) in p.texts()
    p.send(TextSent("hanako@example.jp"))
    assert "buyer-4471" not in p.texts()


def test_a_bounce_read_from_a_saved_mail_takes_the_account_it_was_addressed_to(
    lib: Library,
) -> None:
    facts = _bounce_read(lib, "hanako@example.jp")
    assert facts.get("account") == "hanako@example.jp"


LURE_SMS = (
    "【ハッピー急便】お荷物をお届けにあがりましたが、宛先不明のため持ち帰りました。"
    "ハッピー急便の再配達は下記からお申し込みください。https://happy-redeliver.example/a"
)
LURE_MAIL = """\
From: Sunny Fibre Net Billing <billing@sunny-fibre-billing.example>
Subject: Your Sunny Fibre Net account will be closed

Dear customer, your Sunny Fibre Net payment failed. Update your card within 24 hours:
http://192.0.2.9/sunny/pay
"""


@pytest.mark.parametrize(
    ("lang", "notice", "name"),
    [("ja", LURE_SMS, "ハッピー急便"), ("en", LURE_MAIL, "Sunny Fibre Net Billing")],
)
def test_the_company_a_notice_names_itself_is_never_asked_for(
    lib: Library, lang: str, notice: str, name: str
) -> None:
    from bot.assistant.reading import read_notice
    from bot.core.messages import NoticeRead

    read = read_notice(lib, notice, None, None)
    assert isinstance(read, NoticeRead) and read.provider is None
    facts = {**read.facts, "notice_date": "2026-11-20"}
    p = at_step(lib, read.walkthrough, "report", facts, lang)
    p.send(Command("draft"))
    assert lib.text("fact_provider_name", lang) not in p.texts()
    letters = [m.text for m in messages(p) if m.preformatted]
    assert letters and name in letters[0]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_support_channel_a_draft_names_shows_the_page_it_came_from(
    lib: Library, lang: str
) -> None:
    shown = 0
    for provider in lib.providers.values():
        channels = [c for c in provider.channels if c.kind in ("web_form", "phone")]
        if not channels:
            continue
        p = at_step(lib, "mail_spam_block", "contact_support", {**STORY, "your_name": "T"}, lang)
        p.state = replace(
            p.state,
            incidents={no: replace(i, provider=provider.id) for no, i in p.state.incidents.items()},
        )
        p.send(Command("draft"))
        where = next(m.text for m in messages(p) if channels[0].value in m.text)
        for c in channels:
            assert c.value in where and c.source in where, (provider.id, where)
            assert where.find(c.source, where.index(c.value)) > 0
        shown += 1
    assert shown >= 5
