"""A serving process collects and freezes what start-up built (kiosk/heap.py), so the
collector's full passes stop walking it: `cac hub`, `cac central` and `cac app` do it once they
are built and before they serve."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

import pytest

from kiosk import cli
from kiosk.heap import settle_heap
from kiosk.hub import OfficeHub


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_settling_collects_the_garbage_and_freezes_the_rest() -> None:
    garbage = _Node()
    gone = weakref.ref(garbage)
    del garbage
    kept = [_Node() for _ in range(3)]
    gc.unfreeze()
    frozen = settle_heap()
    assert gone() is None  # start-up's leftovers were collected first
    assert frozen == gc.get_freeze_count() > len(kept)
    assert all(not any(node is tracked for tracked in gc.get_objects()) for node in kept)


@pytest.fixture
def collections(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The collector's full passes, counted and skipped: over a whole test session's heap
    each takes seconds (the first test above runs a real one)."""
    passes: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: passes.append(generation) or 0)
    return passes


class _FakeServer:
    frozen_when_run: int | None = None
    lan_url = "http://127.0.0.1:0"

    def run(self) -> None:
        _FakeServer.frozen_when_run = gc.get_freeze_count()


def test_cac_hub_settles_its_heap_after_start_up_and_before_serving(
        hub: OfficeHub, monkeypatch: pytest.MonkeyPatch, collections: list[int]) -> None:
    built: list[int] = []

    def hub_server(_hub: OfficeHub, **_config: Any) -> _FakeServer:
        built.append(gc.get_freeze_count())
        return _FakeServer()

    monkeypatch.setattr("kiosk.api.app.hub_server", hub_server)
    monkeypatch.setattr("kiosk.plugins.start_hub_services", lambda _hub: [])
    gc.unfreeze()
    cli.serve(hub, "127.0.0.1", 0)
    assert built == [0]  # nothing frozen while the server was being built
    assert _FakeServer.frozen_when_run is not None and _FakeServer.frozen_when_run > 0
    assert collections == [2]  # collected once, fully, before freezing


def test_cac_central_settles_its_heap_before_serving(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      collections: list[int]) -> None:
    monkeypatch.setattr("sync.central.app.central_server",
                        lambda *_args, **_config: _FakeServer())
    _FakeServer.frozen_when_run = None
    gc.unfreeze()
    assert cli.main(["central", "--database-url", f"sqlite:///{tmp_path / 'central.db'}"]) == 0
    assert _FakeServer.frozen_when_run is not None and _FakeServer.frozen_when_run > 0
    assert collections == [2]


def test_cac_app_settles_its_heap_once_its_windows_and_services_are_up(
        hub: OfficeHub, monkeypatch: pytest.MonkeyPatch, collections: list[int]) -> None:
    from kiosk import embedded

    monkeypatch.setattr(embedded, "start_hub_services", lambda _hub: [])
    gc.unfreeze()
    background = embedded._Background(hub, None)  # no LAN API: the services only
    background.start()
    assert gc.get_freeze_count() > 0 and collections == [2]
    background.stop()
