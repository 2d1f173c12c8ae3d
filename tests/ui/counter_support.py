"""Fixtures and helpers for the counter window's tests.

The window talks to a real hub (the `hub` fixture's demo office) through the in-process
client, wrapped in `ScriptedClient`: it can make chosen calls fail (the hub refusing, the hub
unreachable) and stands in for the calls another part of the hub may not have yet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.client.inprocess import InProcessHubClient
from kiosk.config import DataDir
from kiosk.errors import CacError
from kiosk.hub import SYSTEM, OfficeHub
from printing.backends import DummyBackend
from tests.conftest import CLERK
from ui.counter.printer import HubCounterPrinter
from ui.counter.window import CounterOptions, CounterWindow

COUNTER = 3  # ventanilla 3 serves licencias and partidas in the demo office

# Nothing fires on its own during a test: tests emit the timers' `timeout` themselves.
QUIET = CounterOptions(refresh_ms=3_600_000, retry_ms=3_600_000, idle_lock_s=3_600,
                       counter=COUNTER, open_files=False)


@dataclass
class ScriptedClient:
    """The real client, except for the failures a test scripts (`fail(name, error)`) and the
    methods the real client lacks (answered by `stand_ins`)."""

    real: InProcessHubClient
    failures: dict[str, list[CacError]] = field(default_factory=dict)
    stand_ins: dict[str, Callable[..., Any]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def fail(self, name: str, error: CacError, times: int = 1) -> None:
        self.failures.setdefault(name, []).extend([error] * times)

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.real, name, None)
        if target is None:
            target = self.stand_ins.get(name)
        if target is None or not callable(target):
            raise AttributeError(name)

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            pending = self.failures.get(name)
            if pending:
                raise pending.pop(0)
            return target(*args, **kwargs)

        return call


@pytest.fixture
def counter_client(hub: OfficeHub, tokens: dict[str, str]) -> ScriptedClient:
    return ScriptedClient(InProcessHubClient(hub, tokens["counter"]))


@pytest.fixture
def counter_printer(counter_client: ScriptedClient, data_dir: DataDir) -> HubCounterPrinter:
    """The counter's real printing path, into a DummyBackend that keeps the bytes."""
    config = replace(data_dir.load_config(), printer_backend="dummy")
    return HubCounterPrinter(counter_client, config, data_dir.root)  # type: ignore[arg-type]


def make_window(qtbot: QtBot, client: ScriptedClient, printer: HubCounterPrinter | None,
                options: CounterOptions = QUIET) -> CounterWindow:
    window = CounterWindow(client, printer, options)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)  # shortcuts need an active window
    qtbot.waitUntil(lambda: window.login.counter.count() > 0, timeout=10_000)
    return window


@pytest.fixture
def counter_window(qtbot: QtBot, counter_client: ScriptedClient,
                   counter_printer: HubCounterPrinter) -> Iterator[CounterWindow]:
    window = make_window(qtbot, counter_client, counter_printer)
    yield window
    window.shutdown()


def log_in(qtbot: QtBot, window: CounterWindow, user: tuple[str, str] = CLERK) -> None:
    """Type the user and PIN and press Enter; wait for the open counter."""
    qtbot.keyClicks(window.login.username, user[0])
    qtbot.keyClicks(window.login.secret, user[1])
    qtbot.keyClick(window.login.secret, "\r")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work
                    and window.state.counter is not None
                    and window.state.counter.state == "open", timeout=10_000)


@pytest.fixture
def logged_in(qtbot: QtBot, counter_window: CounterWindow) -> CounterWindow:
    log_in(qtbot, counter_window)
    return counter_window


def issue(hub: OfficeHub, service: str = "partidas", preferential: str | None = None) -> str:
    return hub.issue_ticket(SYSTEM, service, preferential).number


def printed_backend(printer: HubCounterPrinter) -> DummyBackend:
    backend = printer.reporting.printer.backend
    assert isinstance(backend, DummyBackend)
    return backend


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type like a person would, accents and «ñ» included (QTest only types ASCII)."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                     char))
