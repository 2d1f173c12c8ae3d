"""A window older than the hub it works with (issue 19): the admin and supervisor windows
say so in a small green line above the page, the counter on its login page; all keep
working. One too old for the hub (the kiosk here) says what to update."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk import __version__
from kiosk.client.http import HttpHubClient
from kiosk.hub import OfficeHub
from kiosk.rules import versions
from tests.conftest import start_server, stop_server
from tests.ui.admin_support import make_admin
from tests.ui.counter_support import COUNTER, QUIET, log_in
from tests.ui.supervisor_support import make_supervisor
from tests.ui.test_kiosk import FakePrinter
from ui.counter.window import CounterWindow
from ui.kiosk.window import KioskWindow


def test_a_newer_hub_is_a_small_notice_in_the_admin_and_supervisor_windows(
        qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk.api.versions
    import kiosk.hub.status

    for module in (kiosk.api.versions, kiosk.hub.status):
        monkeypatch.setattr(module, "__version__", "9.1.0")
    running = start_server(hub)
    clients = [HttpHubClient(running.url, tokens[role]) for role in ("admin", "supervisor")]
    try:
        admin = make_admin(qtbot, clients[0])
        supervisor = make_supervisor(qtbot, clients[1])
        for window in (admin, supervisor):
            qtbot.waitUntil(window.lan_warning.isVisible, timeout=10_000)
            assert window.lan_warning.text() == (
                f"El hub de la oficina tiene CAC Kiosk 9.1.0 y esta PC la {__version__}. "
                "Todo sigue funcionando; actualice esta PC cuando pueda.")
            assert window.lan_warning.kind == "info"  # green, not the red of a warning
            assert window.grab().save(str(tmp_path / f"{window.objectName()}.png"))
        admin.shutdown()
        supervisor.shutdown()
    finally:
        for client in clients:
            client.close()
        stop_server(running)


def test_a_counter_older_than_the_hub_says_so_at_login_and_keeps_working(
        qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk.api.versions
    import kiosk.hub.status

    for module in (kiosk.api.versions, kiosk.hub.status):
        monkeypatch.setattr(module, "__version__", "9.1.0")
    running = start_server(hub)
    http = HttpHubClient(running.url, tokens["counter"], timeout=5)
    window = CounterWindow(http, None, QUIET)
    qtbot.addWidget(window)
    try:
        window.resize(1366, 768)
        window.show()
        qtbot.waitUntil(lambda: window.login.counter.count() == 5, timeout=10_000)
        assert window.login.notice.kind == "info"
        assert window.login.notice.text().startswith(
            f"El hub de la oficina tiene CAC Kiosk 9.1.0 y esta PC la {__version__}.")
        assert window.grab().save(str(tmp_path / "counter-login.png"))
        log_in(qtbot, window)  # the notice stops nothing
        assert window.state.counter is not None and window.state.counter.number == COUNTER
    finally:
        window.shutdown()
        http.close()
        stop_server(running)


def test_a_kiosk_too_old_for_the_hub_says_what_to_update(
        qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk.api.versions

    # A hub of 0.2.0 that no longer serves this program's API level.
    monkeypatch.setattr(versions, "MIN_CLIENT_API_LEVEL", versions.API_LEVEL + 1)
    for module in (kiosk.api.versions, versions):
        monkeypatch.setattr(module, "__version__", "0.2.0")
    running = start_server(hub)
    http = HttpHubClient(running.url, tokens["kiosk"], timeout=5)
    window = KioskWindow(http, FakePrinter())
    qtbot.addWidget(window)
    try:
        window.resize(1366, 768)
        window.show()
        qtbot.waitUntil(lambda: window.last_error is not None, timeout=10_000)
        assert window.stack.currentWidget() is window.waiting
        assert window.last_error is not None and window.last_error.code == "client_outdated"
        assert window.waiting.detail.text() == window.last_error.message
        assert window.waiting.detail.text().startswith(
            f"Esta PC tiene CAC Kiosk {__version__} y el hub de la oficina tiene la versión "
            "0.2.0, que ya no atiende ventanas tan antiguas. Actualice CAC Kiosk en esta PC a "
            "la versión 0.2.0")
        assert window.grab().save(str(tmp_path / "kiosk-outdated.png"))
    finally:
        window.close()
        http.close()
        stop_server(running)
