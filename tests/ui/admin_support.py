"""Fixtures and helpers for the admin window's tests.

The window talks to the `hub` fixture's demo office through the in-process client of an
admin device (wrapped in the counter tests' `ScriptedClient`, so a test can make chosen calls
fail), or over HTTP on loopback. Every expectation is read back from the hub itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from pytestqt.qtbot import QtBot

from kiosk.client.base import HubClient
from kiosk.client.inprocess import InProcessHubClient
from kiosk.hub import SYSTEM, OfficeHub
from tests.conftest import START
from tests.ui.counter_support import ScriptedClient
from ui.admin.widgets import AdminTab
from ui.admin.window import AdminOptions, AdminWindow

ADMIN = ("admin", "97531")  # the demo office's administrator (kiosk/services/users.py)
# Nothing fires on its own during a test: tests emit the timers' `timeout` themselves.
QUIET = AdminOptions(retry_ms=3_600_000, sync_refresh_ms=3_600_000, idle_lock_s=3_600)


@pytest.fixture
def admin_client(hub: OfficeHub, tokens: dict[str, str]) -> ScriptedClient:
    return ScriptedClient(InProcessHubClient(hub, tokens["admin"]))


def make_admin(qtbot: QtBot, client: HubClient | ScriptedClient,
               options: AdminOptions = QUIET) -> AdminWindow:
    window = AdminWindow(client, options, tz=START.tzinfo)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)  # shortcuts need an active window
    qtbot.waitUntil(lambda: bool(window.office_name), timeout=10_000)
    return window


@pytest.fixture
def admin_window(qtbot: QtBot, admin_client: ScriptedClient) -> Iterator[AdminWindow]:
    window = make_admin(qtbot, admin_client)
    yield window
    window.shutdown()


def log_in(qtbot: QtBot, window: AdminWindow, user: tuple[str, str] = ADMIN) -> None:
    """Type the user and PIN and press Enter; wait for the first tab's answer."""
    qtbot.keyClicks(window.login.username, user[0])
    qtbot.keyClicks(window.login.secret, user[1])
    qtbot.keyClick(window.login.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work
                    and window.services.loads > 0, timeout=10_000)


@pytest.fixture
def admin_in(qtbot: QtBot, admin_window: AdminWindow) -> AdminWindow:
    log_in(qtbot, admin_window)
    return admin_window


def open_tab(qtbot: QtBot, window: AdminWindow, name: str) -> AdminTab:
    """Reach a tab by its keyboard shortcut (Ctrl+N) and wait for the hub's answer."""
    from ui.admin.window import TABS

    qtbot.keyClick(window, str((TABS.index(name) + 1) % 10),  # the tenth tab: Ctrl+0
                   Qt.KeyboardModifier.ControlModifier)
    page = window.pages[name]
    qtbot.waitUntil(lambda: window.current_tab() == name and page.loads > 0, timeout=10_000)
    return page


def answered(qtbot: QtBot, page: AdminTab, before: int) -> None:
    """Wait until the tab received one more answer of the hub than `before`."""
    qtbot.waitUntil(lambda: page.loads > before, timeout=10_000)


def cells(model: QAbstractItemModel) -> list[list[str]]:
    return [[str(model.index(row, column).data(Qt.ItemDataRole.DisplayRole))
             for column in range(model.columnCount())] for row in range(model.rowCount())]


class HubAsSystem:
    """The hub's own admin methods, called as the hub itself (`SYSTEM`, as `cac` commands
    do): what the hub holds, read back for the assertions without logging the administrator
    in anywhere else (one open session per user: a second login would end the window's)."""

    def __init__(self, hub: OfficeHub) -> None:
        self._hub = hub

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._hub, name)
        return lambda *args, **kwargs: method(SYSTEM, *args, **kwargs)


def admin_session(hub: OfficeHub) -> Any:
    return HubAsSystem(hub)
