"""Typed meanings: the admin's phrase lists read and checked with file:line, and the pure matcher
that never guesses (long text, quotes, requests and negations are never read as done)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.flows import load_library
from bot.content.model import Library
from bot.core.meanings import understood
from tests.test_validator import BASE, make_flows

FILE = "flows/intents.yaml"

# A small intents file over the validator's base walkthrough; line numbers matter below.
INTENTS = """\
intents:
  max_length: 40
  negations:
    - {lang: ja, pattern: 'ない|ません'}
    - {lang: en, pattern: "\\\\bnot\\\\b|n't\\\\b"}
  meanings:
    - id: clicked
      label: {ja: 押した, en: you clicked it}
      buttons: [_next]
      phrases:
        - {lang: ja, pattern: '押し'}
        - {lang: en, pattern: 'clicked'}
      help: {ja: 閉じてください。, en: Close it.}
    - id: lost
      label: {ja: 見つからない, en: you can't find it}
      affirms: false
      phrases:
        - {lang: ja, pattern: '見つからない'}
        - {lang: en, pattern: "can't find"}
      help: {ja: 大丈夫です。, en: That's all right.}
"""


def load(tmp_path: Path, intents: str) -> tuple[Library | None, list[str]]:
    flows = make_flows(tmp_path, {"walkthroughs/w.yaml": BASE, "intents.yaml": intents})
    lib, issues = load_library(flows)
    return lib, [str(i) for i in issues]


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    loaded, issues = load(tmp_path, INTENTS)
    assert loaded is not None, issues
    return loaded


def ids(lib: Library, text: str) -> list[str]:
    return [m.id for m in understood(lib.intents, text)]


def test_a_phrase_is_understood_in_either_language(lib: Library) -> None:
    assert ids(lib, "押しちゃった") == ["clicked"]
    assert ids(lib, "I clicked it") == ["clicked"]


def test_a_negation_after_the_verb_in_japanese_turns_it_around(lib: Library) -> None:
    assert ids(lib, "押していません") == []


def test_a_negation_before_the_verb_in_english_turns_it_around(lib: Library) -> None:
    assert ids(lib, "I have not clicked it") == []
    assert ids(lib, "I didn't, clicked nothing") == ["clicked"]  # another clause


def test_a_negation_in_another_clause_does_not(lib: Library) -> None:
    assert ids(lib, "押したけど、何も入れていない") == ["clicked"]


def test_a_japanese_negation_before_the_words_does_not_count(lib: Library) -> None:
    assert ids(lib, "知らない人のを押した") == ["clicked"]


def test_a_meaning_that_is_itself_a_negation_is_not_ruled_out(lib: Library) -> None:
    assert ids(lib, "見つからない") == ["lost"]
    assert ids(lib, "I can't find it") == ["lost"]


def test_requests_quotes_links_and_long_or_several_lines_are_never_read(lib: Library) -> None:
    assert ids(lib, "押してください") == []
    assert ids(lib, "Please confirm you clicked") == []
    assert ids(lib, "「押しました」") == []
    assert ids(lib, "I clicked https://example.com") == []
    assert ids(lib, "I clicked\nthe link") == []
    assert ids(lib, "I clicked " + "x" * 40) == []
    assert ids(lib, "") == []


def test_full_width_letters_read_as_ordinary_ones(lib: Library) -> None:
    assert ids(lib, "Ｉ ＣＬＩＣＫＥＤ") == ["clicked"]


def test_a_meaning_without_phrases_in_a_language_is_an_error(tmp_path: Path) -> None:
    text = INTENTS.replace("        - {lang: en, pattern: 'clicked'}\n", "")
    _, issues = load(tmp_path, text)
    assert issues == [
        f"{FILE}:10: meaning 'clicked': has no phrases in 'en'; "
        "add phrases with 'lang: en', or people writing en are not understood"
    ]


def test_an_unknown_button_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    _, issues = load(tmp_path, INTENTS.replace("buttons: [_next]", "buttons: [strat.x, nxt]"))
    assert sorted(issues) == [
        f"{FILE}:7: meaning 'clicked': no step of any walkthrough has a button 'nxt'; "
        "name a button id a step shows, or STEP.BUTTON for one step's button",
        f"{FILE}:7: meaning 'clicked': no step of any walkthrough has a button 'strat.x'; "
        "name a button id a step shows, or STEP.BUTTON for one step's button",
    ]


def test_an_answer_no_walkthrough_has_is_an_error(tmp_path: Path) -> None:
    text = INTENTS.replace("buttons: [_next]", "answer: {step: already_did, button: link}")
    _, issues = load(tmp_path, text)
    assert issues == [
        f"{FILE}:7: meaning 'clicked': no walkthrough has a step 'already_did' with a button "
        "'link' that leads on; name a step and one of its buttons with a 'goto', as in "
        "{step: already_did, button: link}"
    ]


def test_a_bad_pattern_and_a_duplicate_id_are_reported_together(tmp_path: Path) -> None:
    text = INTENTS.replace("pattern: '押し'", "pattern: '押し('").replace("id: lost", "id: clicked")
    _, issues = load(tmp_path, text)
    assert len(issues) == 2, issues
    assert issues[0].startswith(
        f"{FILE}:11: meaning 'clicked' phrases: pattern '押し(' is not valid"
    )
    assert issues[1] == (
        f"{FILE}:14: meaning 'clicked': duplicate meaning id; first defined at {FILE}:7; rename one"
    )


def test_shipped_meanings_read_what_people_type_in_both_languages() -> None:
    lib, issues = load_library(Path(__file__).resolve().parent.parent / "flows")
    assert lib is not None, issues
    said = {
        "お金を振り込んでしまいました": "paid",
        "I paid": "paid",
        "カード番号を入力してしまった": "card",
        "I typed my card number": "card",
        "確認コードを教えてしまいました": "code",
        "パスワードを入れちゃった": "password",
        "I entered my password": "password",
        "アプリをインストールしてしまった": "app",
        "書いてある番号に電話しちゃった": "called",
        "リンクを押してしまいました": "link",
        "I tapped the link": "link",
        "電話がかかってきた": "got_call",
        "I got a call": "got_call",
        "もう変えました": "changed",
        "I already changed it": "changed",
        "終わりました": "done",
        "all done!": "done",
        "見つかりません": "cant_find",
        "まだ何もしていない": "nothing",
        "nothing yet": "nothing",
        "助けてください": "help",
        "what should I do?": "help",
    }
    for text, meaning in said.items():
        assert [m.id for m in understood(lib.intents, text)][:1] == [meaning], text
    for text in ("リンクは押していません", "パスワードを入力してください", "I never clicked it"):
        assert not [m for m in understood(lib.intents, text) if m.affirms], text
