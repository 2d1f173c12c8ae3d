"""Tests that drive a system program or library for real (PostgreSQL, Chromium, libpulse).

On a developer's machine a missing one skips the test with the command that installs it; on CI
(`.ci/run` sets CAC_REQUIRE_SYSTEM=1 after installing `.ci/system-packages`) it fails instead, so
a path can never go untested there without anyone noticing.
"""

from __future__ import annotations

import os

import pytest


def require_system(available: bool, what: str, install: str) -> None:
    """Skip (or, on CI, fail) unless `what` is available; `install` says how to get it."""
    if available:
        return
    message = f"{what} is not available here ({install})"
    if os.environ.get("CAC_REQUIRE_SYSTEM") == "1":
        pytest.fail(message)
    pytest.skip(message)
