"""Fixtures for the notice reader's tests: the shipped flows, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.flows import load_library
from bot.content.model import Library

FLOWS = Path(__file__).resolve().parents[2] / "flows"


@pytest.fixture(scope="session")
def lib() -> Library:
    library, issues = load_library(FLOWS)
    assert library is not None, "\n".join(map(str, issues))
    assert not issues, "\n".join(map(str, issues))
    return library
