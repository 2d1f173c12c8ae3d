"""A hub started with `--insecure-http` off loopback says so in /health, and the admin and
supervisor windows show a red warning above every page; a hub reached safely shows none."""

from __future__ import annotations

from pathlib import Path

import requests
from pytestqt.qtbot import QtBot

from kiosk.client.http import HttpHubClient
from kiosk.hub import OfficeHub
from tests.conftest import stop_server
from tests.office_tls import serve_lan
from tests.ui.admin_support import make_admin
from tests.ui.supervisor_support import hub_client, make_supervisor
from ui.lan_warning import INSECURE_HTTP


def test_plain_http_on_the_lan_is_a_warning_in_the_admin_and_supervisor_windows(
        qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str], tmp_path: Path) -> None:
    running = serve_lan(hub, insecure_http=True)  # `cac hub --host 0.0.0.0 --insecure-http`
    clients = [HttpHubClient(running.url, tokens[role]) for role in ("admin", "supervisor")]
    try:
        health = requests.get(running.url + "/api/v1/health", timeout=10).json()
        assert health["insecure_http"] is True
        admin = make_admin(qtbot, clients[0])
        supervisor = make_supervisor(qtbot, clients[1])
        for window in (admin, supervisor):
            qtbot.waitUntil(window.lan_warning.isVisible, timeout=10_000)
            assert window.lan_warning.text() == INSECURE_HTTP
            assert "sin cifrar" in INSECURE_HTTP and "--insecure-http" in INSECURE_HTTP
            # Above the page, across the whole window: not a line one can miss.
            assert window.lan_warning.width() >= window.width() - 40
            assert window.lan_warning.mapTo(window, window.lan_warning.rect().topLeft()).y() \
                < 120
            assert window.grab().save(str(tmp_path / f"{window.objectName()}.png"))
        admin.shutdown()
        supervisor.shutdown()
    finally:
        for client in clients:
            client.close()
        stop_server(running)


def test_a_hub_reached_safely_shows_no_warning(qtbot: QtBot, hub: OfficeHub,
                                               tokens: dict[str, str]) -> None:
    admin = make_admin(qtbot, hub_client(hub, tokens["admin"]))
    supervisor = make_supervisor(qtbot, hub_client(hub, tokens["supervisor"]))
    assert not hub.health().insecure_http
    for window in (admin, supervisor):
        assert not window.lan_warning.isVisible() and window.lan_warning.text() == ""
    admin.shutdown()
    supervisor.shutdown()
