"""What the person reads: short, plain, in their language, and always how to check."""

from __future__ import annotations

import pytest
from notice_corpus import SAMPLES, Sample
from notice_forms import eml, pasted

from bot.content.model import Library
from bot.notices import Analysis, analyse, render_explanation


def read(lib: Library, raw: bytes | str) -> Analysis:
    a = analyse(lib, raw)
    assert isinstance(a, Analysis)
    return a


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.name)
def test_explanation_is_short_complete_and_in_the_chosen_language(
    lib: Library, sample: Sample
) -> None:
    a = read(lib, pasted(sample))
    for lang, heading in (("ja", "【判定】"), ("en", "Verdict:")):
        text = render_explanation(lib, a, lang)
        assert text.startswith(heading)
        assert len(text) < 3000
        assert "{" not in text and "}" not in text
        assert lib.text("explain_confirm", lang) in text
        assert lib.kinds[sample.kind].title.get(lang) in text


def test_the_story_notice_is_explained_phrase_by_phrase(lib: Library) -> None:
    story = next(
        s for s in SAMPLES if s.kind == "outbound_spam_restriction" and s.genuine and s.lang == "ja"
    )
    a = read(lib, eml(story))
    text = render_explanation(lib, a, "ja")
    assert "【むずかしい言い回しの意味】" in text
    # The polite "we have restricted" phrase is glossed, quoted as the notice words it.
    restricted = next(g for g in a.glosses if "制限させていただ" in g.quote)
    assert f"「{restricted.quote}」" in text and restricted.quote in story.body
    assert "メールを「送れないように」止めている" in text
    positions = [story.body.find(g.quote) for g in a.glosses if g.quote in story.body]
    assert positions == sorted(positions)  # in the order the notice says them
    assert "dti.ne.jp" in text
    assert lib.text("genuine_not_promise", "ja") in text  # genuine is never a promise


def test_a_genuine_verdict_still_sends_the_person_to_the_directory(lib: Library) -> None:
    sample = next(
        s for s in SAMPLES if s.kind == "suspicious_login" and s.genuine and s.lang == "ja"
    )
    a = read(lib, eml(sample))
    assert a.verdict == "likely_genuine"
    text = render_explanation(lib, a, "en")
    # the official page comes from the directory (the notice may show the same address)
    official = lib.providers["google"].channel("web_form")
    assert official is not None
    assert lib.text("confirm_form", "en", url=official.value) in text
    assert lib.text("genuine_not_promise", "en") in text


def test_unknown_notice_gets_honest_general_advice(lib: Library) -> None:
    a = read(lib, "明日の会議は10時からです。よろしくお願いします。")
    assert a.kind == "unknown" and a.walkthrough == "unknown_notice"
    text = render_explanation(lib, a, "ja")
    assert "この種類のお知らせは、私にはわかりませんでした" in text
    assert "リンクを開かない" in text


def test_phone_numbers_from_the_notice_come_with_a_warning(lib: Library) -> None:
    sample = next(
        s for s in SAMPLES if s.kind == "purchase_alert" and not s.genuine and s.lang == "en"
    )
    a = read(lib, pasted(sample))
    assert a.phones == ("+1 (808) 555-0147",)
    assert a.reply_channel == "phone"
    assert "+1 (808) 555-0147" in render_explanation(lib, a, "en")


def test_json_is_plain_data(lib: Library) -> None:
    a = read(lib, pasted(SAMPLES[1]))
    out = a.to_json("ja")
    assert isinstance(out["confidence"], float) and 0 <= out["confidence"] <= 1
    assert out["verdict"] in ("likely_genuine", "unsure", "likely_phishing")
    assert all(isinstance(r["text"], str) for r in out["reasons"])
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in out["facts"].items())


def test_where_to_check_an_english_notice_is_the_brands_site_outside_japan(lib: Library) -> None:
    a = analyse(
        lib,
        "Subject: Your order\n\nAmazon: your order of an iPad for $899 is confirmed. If you did "
        "not place it, call +1 815 555 0142.",
    )
    assert isinstance(a, Analysis)
    text = render_explanation(lib, a, "en")
    assert "(amazon.com)" in text and "(amazon.co.jp)" not in text
