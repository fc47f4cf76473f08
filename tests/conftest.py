"""Settings for every test: property tests draw the same examples on every run (CI must not fail on
a new random draw; a case found by exploring is pinned as its own test). HYPOTHESIS_PROFILE=explore
draws fresh examples, for looking for new cases by hand."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
