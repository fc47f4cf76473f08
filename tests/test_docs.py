"""The admin's guide keeps up with the flow language: every key the schema accepts is in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli.flowtests import MOVE_KEYS, TEST_KEYS
from bot.content import (
    blocks,
    drafts,
    glossary,
    intents,
    kinds,
    library,
    providers,
    readerlists,
    walkthroughs,
)
from bot.content.model import COMMON_FACTS, EXPLANATION_PARTS

GUIDE = Path(__file__).resolve().parent.parent / "flows" / "README.md"

SCHEMA = {
    "file": library.FILE_KEYS,
    "settings": library.SETTINGS_KEYS,
    "provider": providers.PROVIDER_KEYS,
    "provider channel": providers.CHANNEL_KEYS,
    "kind": kinds.KIND_KEYS,
    "signal": kinds.SIGNAL_KEYS,
    "gloss": kinds.GLOSS_KEYS,
    "explanation": EXPLANATION_PARTS,
    "draft": drafts.DRAFT_KEYS,
    "walkthrough": walkthroughs.WALKTHROUGH_KEYS,
    "block": blocks.BLOCK_KEYS,
    "glossary term": glossary.TERM_KEYS,
    "include": blocks.INCLUDE_KEYS,
    "fact": walkthroughs.FACT_KEYS,
    "choice": walkthroughs.CHOICE_KEYS,
    "step": walkthroughs.STEP_KEYS,
    "button": walkthroughs.BUTTON_KEYS,
    "input": walkthroughs.INPUT_KEYS,
    "route": walkthroughs.ROUTE_KEYS,
    "remind": walkthroughs.REMIND_KEYS,
    "condition": walkthroughs.CONDITION_WORDS,
    "reader": readerlists.LIST_KEYS,
    "receiver": readerlists.RECEIVER_KEYS,
    "listed host": readerlists.HOST_KEYS,
    "cheap endings": readerlists.CHEAP_KEYS,
    "intents": intents.INTENTS_KEYS,
    "meaning": intents.MEANING_KEYS,
    "answer": intents.ANSWER_KEYS,
    "flow test": TEST_KEYS,
    "flow test step": MOVE_KEYS,
}


def documented() -> set[str]:
    """Keys written in backticks anywhere in the guide: `key` or `key:`."""
    text = GUIDE.read_text(encoding="utf-8")
    return {m.group(1) for m in re.finditer(r"`([a-z_]+):?[^`]*`", text)}


@pytest.mark.parametrize(("what", "keys"), SCHEMA.items())
def test_every_key_the_schema_accepts_is_documented(what: str, keys: tuple[str, ...]) -> None:
    missing = sorted(set(keys) - documented())
    assert not missing, f"{what} keys missing from flows/README.md: {missing}"


def test_every_common_fact_is_documented() -> None:
    missing = sorted(set(COMMON_FACTS) - documented())
    assert not missing, f"common facts missing from flows/README.md: {missing}"


def test_every_yaml_example_in_the_guide_parses() -> None:
    from bot.cli.yamlio import load_text

    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 10
    for i, block in enumerate(blocks):
        data, problems = load_text(block, f"flows/README.md example {i + 1}")
        assert data is not None and not problems, [str(p) for p in problems]
