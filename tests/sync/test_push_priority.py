"""Central applies batches in threads of a lower priority than the requests it answers on its
event loop and for citizens (sync/central/app.py `PUSH_NICE`): under a busy CPU the kernel runs
a page or /health before the rest of a batch."""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

import pytest

from kiosk.hub import OfficeHub
from sync.central.app import PUSH_NICE
from sync.central.server import CentralServer
from tests.conftest import RunningHub
from tests.sync.conftest import connect_sync

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="a thread's own nice level is Linux's")


def _nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_batches_are_applied_at_a_lower_priority_than_the_rest(
        central: CentralServer, central_http: RunningHub,
        make_office: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    office: OfficeHub = make_office("CAJ", "CAC Cajamarca")
    token = central.add_office("CAJ", "CAC Cajamarca")[1]
    seen: dict[str, list[int]] = {"push": [], "pull": []}
    push, pull = central.push, central.pull

    def pushing(*args: Any, **kwargs: Any) -> dict[str, Any]:
        seen["push"].append(_nice())
        return push(*args, **kwargs)

    def pulling(*args: Any, **kwargs: Any) -> dict[str, Any]:
        seen["pull"].append(_nice())
        return pull(*args, **kwargs)

    monkeypatch.setattr(central, "push", pushing)
    monkeypatch.setattr(central, "pull", pulling)
    base = _nice()
    report = connect_sync(office, central_http.url, token).run_round()
    assert report.ok and report.pushed > 0
    assert seen["push"] and all(n == min(19, base + PUSH_NICE) for n in seen["push"]), seen
    # Everything else keeps the process's own priority (the threads are not shared).
    assert seen["pull"] and all(n == base for n in seen["pull"]), seen
    assert PUSH_NICE > 0
