"""The hub's LAN API over TLS with a certificate the administrator installs; clients (and the
sync client, towards central) check the certificate and say so in Spanish when it is wrong."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import trustme

from kiosk.client.http import HttpHubClient
from kiosk.errors import ConfigError, HubUnavailable
from kiosk.hub import OfficeHub
from tests.conftest import RunningHub, start_server, stop_server


@pytest.fixture
def office_ca(tmp_path: Path) -> trustme.CA:
    return trustme.CA(organization_name="Municipalidad (pruebas)")


@pytest.fixture
def tls_server(hub: OfficeHub, office_ca: trustme.CA, tmp_path: Path) -> Iterator[RunningHub]:
    cert = office_ca.issue_cert("127.0.0.1", "hub.oficina.local")
    cert_file, key_file = tmp_path / "hub.pem", tmp_path / "hub.key"
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    hub.config = replace(hub.config, tls_cert_file=str(cert_file), tls_key_file=str(key_file))
    running = start_server(hub)
    running.url = running.url.replace("http://", "https://")
    yield running
    stop_server(running)


def test_clients_reach_a_tls_hub_with_its_ca(tls_server: RunningHub, tokens: dict[str, str],
                                             office_ca: trustme.CA, tmp_path: Path) -> None:
    ca_file = tmp_path / "ca.pem"
    office_ca.cert_pem.write_to_path(str(ca_file))
    client = HttpHubClient(tls_server.url, tokens["kiosk"], verify=str(ca_file))
    try:
        assert client.health().status == "ok"
        assert client.issue_ticket("partidas").number
    finally:
        client.close()


def test_an_unknown_certificate_is_refused_in_spanish(tls_server: RunningHub,
                                                      tokens: dict[str, str],
                                                      tmp_path: Path) -> None:
    stranger = trustme.CA(organization_name="Otra autoridad")
    ca_file = tmp_path / "otra.pem"
    stranger.cert_pem.write_to_path(str(ca_file))
    for verify in (True, str(ca_file)):  # the system's CAs, or the wrong one
        client = HttpHubClient(tls_server.url, tokens["kiosk"], verify=verify)
        try:
            with pytest.raises(HubUnavailable) as refused:
                client.health()
            assert refused.value.code == "hub_certificate"
            assert "certificado del hub" in refused.value.message
        finally:
            client.close()


def test_the_sync_client_checks_centrals_certificate(office_ca: trustme.CA,
                                                     tmp_path: Path) -> None:
    from sync.central.app import central_server
    from sync.central.server import CentralServer
    from sync.client import CentralClient, CentralUnavailable
    from tests.conftest import start_uvicorn

    cert = office_ca.issue_cert("127.0.0.1")
    cert.cert_chain_pems[0].write_to_path(str(tmp_path / "central.pem"))
    cert.private_key_pem.write_to_path(str(tmp_path / "central.key"))
    office_ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    central = CentralServer(f"sqlite:///{tmp_path / 'central.sqlite3'}")
    running = start_uvicorn(central_server(
        central, lifespan="off", ssl_certfile=str(tmp_path / "central.pem"),
        ssl_keyfile=str(tmp_path / "central.key")))
    url = running.url.replace("http://", "https://")
    try:
        trusted = CentralClient(url, "x", verify=str(tmp_path / "ca.pem"), timeout_s=5)
        assert trusted.health()["status"] == "ok"
        trusted.close()
        unknown = CentralClient(url, "x", timeout_s=5)  # the system's CAs do not know it
        with pytest.raises(CentralUnavailable) as refused:
            unknown.health()
        assert refused.value.code == "central_certificate"
        assert "certificado de la central" in refused.value.message
        unknown.close()
    finally:
        stop_server(running)
        central.close()


def test_half_a_tls_configuration_is_a_clear_error(hub: OfficeHub, tmp_path: Path) -> None:
    config_file = hub.data_dir.config_file
    config_file.write_text(config_file.read_text("utf-8").replace(
        'tls_cert_file = ""', f'tls_cert_file = "{tmp_path / "hub.pem"}"'), "utf-8")
    (tmp_path / "hub.pem").write_text("certificado sin su clave")
    with pytest.raises(ConfigError) as refused:
        hub.data_dir.load_config()
    assert "tls_key_file" in refused.value.message
