"""The hub and its windows say their versions to each other (issue 19): every request of a
window carries its version and API level, every answer the hub's; a window too old for the
hub is refused naming both versions and what to update; a newer hub it still works with is a
notice, not a stop. Through the real server on loopback."""

from __future__ import annotations

import pytest
import requests

from kiosk import __version__
from kiosk.client.http import HttpHubClient
from kiosk.errors import UpgradeRequired
from kiosk.rules import versions
from kiosk.wire import API_LEVEL_HEADER, MIN_API_LEVEL_HEADER, PREFIX, VERSION_HEADER
from tests.conftest import RunningHub


def test_every_answer_says_the_hub_version_and_the_window_learns_it(
        server: RunningHub, tokens: dict[str, str]) -> None:
    client = HttpHubClient(server.url, tokens["kiosk"])
    try:
        assert (client.hub_version, client.hub_api_level) == (None, None)
        client.services()
        assert (client.hub_version, client.hub_api_level) == (__version__, versions.API_LEVEL)
        assert client.version_notice() is None  # the same program on both sides
        assert client.health().version == __version__
    finally:
        client.close()
    refused = requests.get(server.url + PREFIX + "/services", timeout=10)  # no credential
    assert refused.status_code == 401
    assert (refused.headers[VERSION_HEADER], refused.headers[API_LEVEL_HEADER],
            refused.headers[MIN_API_LEVEL_HEADER]) == (
        __version__, str(versions.API_LEVEL), str(versions.MIN_CLIENT_API_LEVEL))


def test_a_window_too_old_for_the_hub_is_told_what_to_update(
        server: RunningHub, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    auth = {"Authorization": f"Bearer {tokens['kiosk']}"}
    old = requests.get(server.url + PREFIX + "/services", timeout=10,
                       headers={**auth, VERSION_HEADER: "0.0.9", API_LEVEL_HEADER: "0"})
    assert old.status_code == 426
    assert old.json() == {"error": {"code": "client_outdated", "message": (
        f"Esta PC tiene CAC Kiosk 0.0.9 y el hub de la oficina tiene la versión {__version__}, "
        "que ya no atiende ventanas tan antiguas. Actualice CAC Kiosk en esta PC a la versión "
        f"{__version__} (o más nueva) y vuelva a abrir la ventana. Lo registrado en la oficina "
        "está a salvo en el hub.")}}
    # A window from before the handshake says nothing: it spoke level 1, still served.
    silent = requests.get(server.url + PREFIX + "/services", timeout=10, headers=auth)
    assert silent.status_code == 200 and silent.json()
    # A hub that no longer serves this program's level: the window's own client is refused
    # (it said its version), with the same message; /health still answers, to say the version.
    monkeypatch.setattr(versions, "MIN_CLIENT_API_LEVEL", versions.API_LEVEL + 1)
    client = HttpHubClient(server.url, tokens["kiosk"])
    try:
        with pytest.raises(UpgradeRequired) as caught:
            client.services()
        assert caught.value.code == "client_outdated"
        assert f"Esta PC tiene CAC Kiosk {__version__} y el hub" in caught.value.message
        health = requests.get(server.url + PREFIX + "/health", timeout=10)
        assert health.status_code == 200 and health.json()["version"] == __version__
        assert health.headers[MIN_API_LEVEL_HEADER] == str(versions.API_LEVEL + 1)
        newer = requests.get(server.url + PREFIX + "/services", timeout=10, headers={
            **auth, VERSION_HEADER: "9.0.0", API_LEVEL_HEADER: str(versions.API_LEVEL + 1)})
        assert newer.status_code == 200
    finally:
        client.close()


def test_a_newer_hub_the_window_still_works_with_is_a_notice(
        server: RunningHub, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk.api.versions
    import kiosk.hub.status

    for module in (kiosk.api.versions, kiosk.hub.status):
        monkeypatch.setattr(module, "__version__", "9.1.0")
    client = HttpHubClient(server.url, tokens["kiosk"])
    try:
        assert client.services()  # keeps working
        assert client.hub_version == "9.1.0"
        assert client.version_notice() == (
            f"El hub de la oficina tiene CAC Kiosk 9.1.0 y esta PC la {__version__}. Todo "
            "sigue funcionando; actualice esta PC cuando pueda.")
        assert client.health().version == "9.1.0"
    finally:
        client.close()


def test_which_hub_is_newer() -> None:
    assert versions.newer_hub_notice("0.2.0", "0.1.0") is not None
    assert versions.newer_hub_notice("0.10.0", "0.9.0") is not None  # not compared as text
    assert versions.newer_hub_notice("0.1.0", "0.1.0") is None
    assert versions.newer_hub_notice("0.1.0", "0.2.0") is None  # an older hub
    assert versions.newer_hub_notice("no-es-versión", "0.1.0") is None
    assert versions.client_refusal(None, None) is None
    refusal = versions.client_refusal(None, 0, minimum=1)
    assert refusal is not None and "CAC Kiosk anterior a la 0.1.0" in refusal.message
