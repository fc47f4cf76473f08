"""Drafts: golden letters for the story, hostile facts stay text, unsafe templates fail."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli.flows import flow_files, load_library
from bot.cli.yamlio import load_file, load_text
from bot.content import templates
from bot.content.library import assemble
from bot.content.model import Library
from bot.core import drafting
from bot.core.engine import Progress

FLOWS = Path(__file__).resolve().parent.parent / "flows"

STORY_FACTS = {
    "account": "taro@example.jp",
    "provider_name": "DTI",
    "notice_date": "2026-11-20",
    "your_name": "山田太郎",
    "devices": "パソコンとiPhone",
    "virus_found": "no",
    "password_changed_on": "2026-11-21",
    "other_accounts": "changed",
}
STORY_DONE = (
    ("what_happened", "2026-11-20T09:00:00+00:00"),
    ("scan_result", "2026-11-21T10:00:00+00:00"),
)

GOLDEN_JA = """\
メール送信制限の解除のお願い（taro@example.jp）

DTI サポートご担当者様

いつもお世話になっております。
メールアドレス taro@example.jp を利用しております、山田太郎と申します。

2026年11月20日にいただいた、メールの大量送信と送信制限についてのご連絡を受け、次の対応をいたしました。

1. ウイルスチェック（2026年11月21日）
   検査した機器：パソコンとiPhone
   ウイルスは検出されませんでした。
2. メールパスワードの変更
   2026年11月21日に、メールパスワードを変更しました。
3. 同じパスワードを使用していたほかのサービスについても、パスワードを変更しました。

つきましては、メール送信制限の解除をお願いできますでしょうか。
解除後、メールが送信できることを確認いたします。

お手数をおかけいたしますが、どうぞよろしくお願いいたします。

山田太郎
taro@example.jp
"""

GOLDEN_EN = """\
Request to lift the outgoing mail restriction (taro@example.jp)

Dear DTI Support,

My name is 山田太郎, and I use the mail address taro@example.jp.

Following your notice of 20 November 2026 about mass mail sent from my account and the \
restriction on my outgoing mail, I have done the following:

1. Virus check (21 November 2026)
   Devices scanned: パソコンとiPhone
   No virus was found.
2. Mail password
   I changed my mail password on 21 November 2026.
3. I also changed the password of other services that used the same one.

Could you please lift the restriction on my outgoing mail? I will check that sending works \
once it is lifted.

Thank you for your help.

山田太郎
taro@example.jp
"""


@pytest.fixture(scope="module")
def lib() -> Library:
    library, issues = load_library(FLOWS)
    assert library is not None, [str(i) for i in issues]
    return library


def _story(lib: Library, facts: dict[str, str], lang: str) -> drafting.Rendered | drafting.Missing:
    progress = Progress("mail_spam_block", "v", "contact_support", facts, STORY_DONE)
    draft = lib.drafts["mail_block_done"]
    return drafting.render(draft, drafting.template_values(progress, {}), lang, "en")


@pytest.mark.parametrize(("lang", "golden"), [("ja", GOLDEN_JA), ("en", GOLDEN_EN)])
def test_story_draft_matches_the_golden_letter(lib: Library, lang: str, golden: str) -> None:
    result = _story(lib, STORY_FACTS, lang)
    assert isinstance(result, drafting.Rendered)
    assert result.as_text() == golden


def test_story_phone_script_is_short_and_filled(lib: Library) -> None:
    result = _story(lib, STORY_FACTS, "ja")
    assert isinstance(result, drafting.Rendered)
    assert result.phone_script is not None
    assert "山田太郎" in result.phone_script and "2026年11月21日" in result.phone_script
    assert len(result.phone_script) < 300


def test_missing_facts_are_reported_in_order_instead_of_blanks(lib: Library) -> None:
    facts = {k: v for k, v in STORY_FACTS.items() if k not in ("your_name", "notice_date")}
    result = _story(lib, facts, "ja")
    assert result == drafting.Missing(("your_name", "notice_date"))


@pytest.mark.parametrize(
    "hostile",
    [
        "{{ 7*7 }}",
        "{% for x in range(10) %}loop{% endfor %}",
        "<b>bold</b><script>alert(1)</script>",
        "{{ ''.__class__.__mro__ }}",
    ],
)
def test_facts_holding_template_syntax_or_html_stay_plain_text(lib: Library, hostile: str) -> None:
    result = _story(lib, {**STORY_FACTS, "devices": hostile}, "en")
    assert isinstance(result, drafting.Rendered)
    assert f"Devices scanned: {hostile}\n" in result.body
    assert "49" not in result.body and "looploop" not in result.body


def test_a_ten_thousand_character_fact_is_cut_at_a_boundary(lib: Library) -> None:
    long_text = "My laptop and my phone. " * 420
    assert len(long_text) > 10_000
    result = _story(lib, {**STORY_FACTS, "devices": long_text}, "en")
    assert isinstance(result, drafting.Rendered)
    line = next(x for x in result.body.splitlines() if x.strip().startswith("Devices scanned"))
    assert len(line) < drafting.MAX_FACT_CHARS + 60
    assert "phone.…" in line


def test_cut_prefers_sentence_ends_in_japanese() -> None:
    text = "パソコンを調べました。" * 60
    out = drafting.cut(text, 100)
    assert out.endswith("。…")
    assert len(out) <= 101


def _validate(tmp_path: Path, draft_yaml: str) -> list[str]:
    """Validate the shipped flows plus one extra draft file; return the messages for that file."""
    issues: list = []
    docs = []
    for path in flow_files(FLOWS):
        data, problems = load_file(path, str(path.relative_to(FLOWS.parent)))
        assert not problems
        docs.append((str(path.relative_to(FLOWS.parent)), data))
    data, problems = load_text(draft_yaml, "flows/drafts/extra.yaml")
    assert not problems
    docs.append(("flows/drafts/extra.yaml", data))
    assemble(docs, issues)
    return [str(i) for i in issues if i.file == "flows/drafts/extra.yaml"]


def test_template_reaching_for_dunder_attributes_fails_validation(tmp_path: Path) -> None:
    messages = _validate(
        tmp_path,
        "draft:\n"
        "  id: sneaky\n"
        "  walkthrough: mail_spam_block\n"
        "  subject: {ja: 件名, en: Subject}\n"
        "  body:\n"
        '    ja: "{{ account.__class__ }}"\n'
        "    en: \"{{ account['__init__'] }}\"\n",
    )
    assert messages == [
        "flows/drafts/extra.yaml:6: draft 'sneaky' body.ja: reaches for '__class__'; "
        "templates may only use facts",
        "flows/drafts/extra.yaml:7: draft 'sneaky' body.en: reaches for '__init__'; "
        "templates may only use facts",
    ]


def test_template_syntax_errors_and_unknown_facts_name_file_and_line(tmp_path: Path) -> None:
    messages = _validate(
        tmp_path,
        "draft:\n"
        "  id: broken\n"
        "  walkthrough: mail_spam_block\n"
        '  subject: {ja: "{{ acount }}", en: Subject}\n'
        "  body:\n"
        "    ja: |-\n"
        "      一行目\n"
        "      {% if devices %}\n"
        '    en: "{{ done.scan_reslt }}"\n',
    )
    assert messages[0] == (
        "flows/drafts/extra.yaml:4: draft 'broken' subject.ja: unknown fact 'acount'; "
        "did you mean 'account'?"
    )
    assert messages[1].startswith(
        "flows/drafts/extra.yaml:8: draft 'broken' body.ja: template error:"
    )
    assert messages[2] == (
        "flows/drafts/extra.yaml:9: draft 'broken' body.en: unknown step 'done.scan_reslt'; "
        "did you mean 'scan_result'?"
    )
    assert len(messages) == 3


def test_the_sandbox_refuses_unsafe_access_even_if_validation_were_skipped() -> None:
    from jinja2.exceptions import SecurityError

    env = templates.environment()
    with pytest.raises(SecurityError):
        env.from_string("{{ x.__class__.__mro__ }}").render(x="a")


def test_mail_block_draft_never_offers_mail_as_the_channel(lib: Library) -> None:
    draft = lib.drafts["mail_block_done"]
    assert "email" not in draft.channels


@pytest.mark.parametrize(
    ("lang", "answer", "line", "doubled"),
    [
        (
            "ja",
            "Windowsセキュリティで調べました",
            "検査した機器：Windowsセキュリティで調べました",
            "ましたを",
        ),
        ("en", "I scanned my laptop", "Devices scanned: I scanned my laptop", "scanned I scanned"),
    ],
)
def test_a_devices_answer_that_says_what_was_done_goes_in_as_a_labelled_value(
    lib: Library, lang: str, answer: str, line: str, doubled: str
) -> None:
    result = _story(lib, {**STORY_FACTS, "devices": answer}, lang)
    assert isinstance(result, drafting.Rendered)
    assert line in [x.strip() for x in result.body.splitlines()]
    assert doubled not in result.as_text()


_SENTINEL = "QQTYPEDQQ"


def _filled(lib: Library, draft_id: str) -> dict[str, object]:
    """Every fact a draft uses, with a typed text fact as a sentinel and the rest plausible."""
    draft = lib.drafts[draft_id]
    w = lib.walkthroughs.get(draft.walkthrough or "")
    values: dict[str, object] = {"done": {s: "2026-11-21" for s in (w.steps if w else ())}}
    for lang in ("ja", "en"):
        for name in drafting.facts_used(draft, lang, "en"):
            spec = w.facts.get(name) if w else None
            if spec is not None and spec.type == "text":
                values[name] = _SENTINEL
            elif spec is not None and spec.choices:
                values[name] = spec.choices[0].value
            elif (spec is not None and spec.type == "date") or name.endswith("_date"):
                values[name] = "2026-11-20"
            else:
                values[name] = "x@example.jp" if name == "account" else "Name"
    return values


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_typed_facts_sit_in_every_draft_as_values_never_glued_to_a_verb(
    lib: Library, lang: str
) -> None:
    """A person's own words (a walkthrough's text facts) stand after a label, on a line of their
    own or in quotes: never inside a sentence that goes on with a verb of its own."""
    checked = 0
    for draft_id, draft in lib.drafts.items():
        result = drafting.render(draft, _filled(lib, draft_id), lang, "en")
        assert isinstance(result, drafting.Rendered), (draft_id, result)
        for part in (result.body, result.phone_script or ""):
            for m in re.finditer(_SENTINEL, part):
                before, after = part[: m.start()], part[m.end() :]
                checked += 1
                assert re.search(r"(：|: |「|^|\n)\s*$", before), (draft_id, lang, before[-30:])
                assert re.match(r"(\n|」|\.|。|$)", after), (draft_id, lang, after[:30])
    assert checked >= 4
