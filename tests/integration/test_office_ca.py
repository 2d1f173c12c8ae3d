"""The office's own certificate authority (kiosk/tls.py): made at `cac init`, the hub's
certificate issued for its names and addresses and renewed before it expires, HTTPS whenever the
hub listens off loopback, and `cac device add` gives a new PC the CA it verifies the hub with."""

from __future__ import annotations

import json
import socket
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from ipaddress import ip_address
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from kiosk.api.app import HubServer, hub_server
from kiosk.cli import main
from kiosk.client.http import HttpHubClient
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.errors import ConfigError, HubUnavailable
from kiosk.hub import OfficeHub
from kiosk.lan import HubNames
from kiosk.tls import (
    CA_CERT,
    CA_KEY,
    HUB_CERT,
    HUB_KEY,
    LEAF_VALID,
    HubCertificate,
    fingerprint,
    office_ca,
    renewal_reason,
)
from tests.conftest import DemoOffices, RunningHub, stop_server
from tests.office_tls import TODAY, serve_lan, served_certificate

T0 = datetime(2026, 11, 20, 13, 0, tzinfo=UTC)


def _san(certificate: x509.Certificate) -> HubNames:
    san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return HubNames(frozenset(san.get_values_for_type(x509.DNSName)),
                    frozenset(san.get_values_for_type(x509.IPAddress)))  # type: ignore[arg-type]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_cac_init_makes_the_office_ca_and_a_certificate_for_this_pc(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "caj"
    assert main(["init", "--data-dir", str(root), "--office", "CAJ", "--name", "CAC Caj"]) == 0
    folder = DataDir(root).tls
    assert _mode(folder) == 0o700
    for name in (CA_CERT, CA_KEY, HUB_CERT, HUB_KEY):
        assert _mode(folder / name) == 0o600, name  # keys (and all the rest) this user's only
    ca = x509.load_pem_x509_certificate((folder / CA_CERT).read_bytes())
    assert f"Certificado de la oficina (SHA-256): {fingerprint(ca)}" in capsys.readouterr().out
    constraints = ca.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca
    assert ca.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    assert ca.issuer == ca.subject and "CAJ" in ca.subject.rfc4514_string()
    assert ca.not_valid_after_utc - ca.not_valid_before_utc > timedelta(days=19 * 365)

    leaf = x509.load_pem_x509_certificates((folder / HUB_CERT).read_bytes())
    assert [c.subject for c in leaf[1:]] == [ca.subject]  # the chain carries the CA
    hub_cert = leaf[0]
    hub_cert.verify_directly_issued_by(ca)
    assert not hub_cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert ExtendedKeyUsageOID.SERVER_AUTH in hub_cert.extensions.get_extension_for_class(
        x509.ExtendedKeyUsage).value
    assert hub_cert.not_valid_after_utc - hub_cert.not_valid_before_utc \
        == LEAF_VALID + timedelta(hours=1)
    names = _san(hub_cert)
    assert {"localhost", socket.gethostname().lower()} <= names.dns
    assert {ip_address("127.0.0.1"), ip_address("::1")} <= names.ips
    assert names == HubNames.discover()  # every name and address this PC is reached by


@pytest.fixture
def names() -> HubNames:
    return HubNames.of(["localhost", "cac-hub"], ["127.0.0.1", "::1", "192.168.1.10"])


def test_the_hub_certificate_is_renewed_before_it_expires_and_when_it_moves(
        tmp_path: Path, names: HubNames) -> None:
    folder = tmp_path / "tls"
    ca = office_ca(folder, "CAJ", "CAC Cajamarca", T0)
    found = [names]
    certificate = HubCertificate(folder, ca, lambda: found[-1])
    assert certificate.ensure(T0)
    first = certificate.current()
    assert first is not None and _san(first) == names
    assert first.not_valid_after_utc == T0 + LEAF_VALID
    assert not certificate.ensure(T0 + timedelta(days=1))  # nothing changed
    assert not certificate.ensure(T0 + LEAF_VALID - timedelta(days=31))
    # Thirty days before it expires, a new one for another 397 days.
    due = T0 + LEAF_VALID - timedelta(days=29)
    assert renewal_reason(first, ca, names, due) == "expires soon"
    assert certificate.ensure(due)
    second = certificate.current()
    assert second is not None and second.serial_number != first.serial_number
    assert second.not_valid_after_utc == due + LEAF_VALID
    assert _mode(certificate.key_file) == 0o600
    # The PC got another address (DHCP): the certificate follows it.
    found.append(HubNames.of(["localhost", "cac-hub"], ["127.0.0.1", "192.168.1.23"]))
    assert certificate.ensure(due + timedelta(days=1))
    third = certificate.current()
    assert third is not None and ip_address("192.168.1.23") in _san(third).ips
    # An address no longer in use does not need a new one.
    found.append(HubNames.of(["localhost"], ["127.0.0.1"]))
    assert not certificate.ensure(due + timedelta(days=2))
    # A clock put back before the certificate began: a new one it is valid by.
    assert renewal_reason(third, ca, found[-1], T0) == "not valid yet"


def test_a_certificate_of_another_ca_or_a_damaged_one_is_replaced(
        tmp_path: Path, names: HubNames) -> None:
    folder = tmp_path / "tls"
    ca = office_ca(folder, "CAJ", "CAC Cajamarca", T0)
    certificate = HubCertificate(folder, ca, lambda: names)
    certificate.ensure(T0)
    other = office_ca(tmp_path / "otra", "LIM", "CAC Lima", T0)
    HubCertificate(tmp_path / "otra", other, lambda: names).ensure(T0)
    stranger = x509.load_pem_x509_certificates(
        (tmp_path / "otra" / HUB_CERT).read_bytes())[0]
    assert renewal_reason(stranger, ca, names, T0) == "not signed by the office CA"
    (folder / HUB_KEY).write_text("dañada")
    assert certificate.current() is None
    assert certificate.ensure(T0)
    current = certificate.current()
    assert current is not None
    current.verify_directly_issued_by(ca.certificate)


def test_a_damaged_office_ca_is_refused_in_spanish_and_never_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "tls"
    office_ca(folder, "CAJ", "CAC Cajamarca", T0)
    (folder / CA_KEY).write_text("no es una clave")
    before = (folder / CA_CERT).read_bytes()
    with pytest.raises(ConfigError) as refused:
        office_ca(folder, "CAJ", "CAC Cajamarca", T0)
    assert refused.value.code == "tls_ca_damaged"
    assert "dañados" in refused.value.message and "emparejarse de nuevo" in refused.value.message
    assert (folder / CA_CERT).read_bytes() == before


def test_off_loopback_the_hub_serves_https_and_plain_http_only_on_purpose(
        hub: OfficeHub) -> None:
    """An office made by an older version has no CA: it gets one at the next hub start."""
    assert not hub.data_dir.tls.exists()
    for host in ("0.0.0.0", "192.168.1.10", "cac-hub.muni.local"):
        server = hub_server(hub, host=host, port=8470)
        assert server.lan_url.startswith("https://") and server.lan_url.endswith(":8470")
        assert server.config.ssl_certfile == str(hub.data_dir.tls / HUB_CERT)
        assert server.certificate is not None and not hub.lan_insecure
        leaf = server.certificate.current()
        assert leaf is not None
        leaf.verify_directly_issued_by(hub.office_ca.certificate)
        if host != "0.0.0.0":  # the address it was told to listen on is in it
            assert host in {*map(str, _san(leaf).ips), *_san(leaf).dns}
        assert not hub.health().insecure_http
    loopback = hub_server(hub, host="127.0.0.1", port=8470)
    assert (loopback.lan_url, loopback.config.ssl_certfile) == ("http://127.0.0.1:8470", None)
    plain = hub_server(hub, host="0.0.0.0", port=8470, insecure_http=True)
    assert plain.lan_url.startswith("http://") and plain.config.ssl_certfile is None
    assert hub.lan_insecure and hub.health().insecure_http  # the windows' warning


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(TODAY)


@pytest.fixture
def https_hub(hub: OfficeHub) -> Iterator[RunningHub]:
    running = serve_lan(hub)
    yield running
    stop_server(running)


def test_a_pc_with_the_ca_from_cac_device_add_connects_and_others_are_refused(
        hub: OfficeHub, https_hub: RunningHub, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    ca_file = tmp_path / "hub-ca.pem"
    assert main(["device", "add", "--data-dir", str(hub.data_dir.root), "--role", "kiosk",
                 "--name", "Quiosco 2", "--json", "--ca-out", str(ca_file)]) == 0
    added = json.loads(capsys.readouterr().out)
    assert added["ca_certificate"] == ca_file.read_text() == hub.office_ca.pem
    assert added["ca_fingerprint"] == hub.office_ca.fingerprint
    assert len(added["ca_fingerprint"]) == 95  # 32 bytes, «AB:CD:…»

    trusted = HttpHubClient(https_hub.url, added["token"], verify=str(ca_file))
    try:
        assert trusted.health().office == "CAJ"
        assert trusted.services()  # the device's token, over a verified connection
    finally:
        trusted.close()
    another = tmp_path / "otra"
    office_ca(another, "CAJ", "Impostor", TODAY)
    for verify in (True, str(another / CA_CERT)):  # the system's CAs, another office's CA
        refused = HttpHubClient(https_hub.url, added["token"], verify=verify)
        try:
            with pytest.raises(HubUnavailable) as caught:
                refused.services()
            assert caught.value.code == "hub_certificate"
            assert "certificado del hub" in caught.value.message
        finally:
            refused.close()
    with pytest.raises(requests.ConnectionError):  # no plain HTTP on the same port
        requests.get(https_hub.url.replace("https://", "http://") + "/api/v1/health",
                     timeout=5)

    # Without --json: the fingerprint, and the certificate to carry to the new PC.
    assert main(["device", "add", "--data-dir", str(hub.data_dir.root), "--role", "display",
                 "--name", "TV"]) == 0
    out = capsys.readouterr().out
    assert hub.office_ca.fingerprint in out and hub.office_ca.pem in out


def test_the_hub_renews_its_certificate_while_it_serves(
        demo_offices: DemoOffices, tmp_path: Path) -> None:
    clock = VirtualClock(TODAY - timedelta(days=370))  # its certificate ends in 27 days
    hub = demo_offices.initialise(DataDir(tmp_path / "office"), clock, demo=False)
    running = serve_lan(hub)
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text(hub.office_ca.pem)
    try:
        before = served_certificate(running.url, ca_file)
        assert before.not_valid_after_utc == TODAY - timedelta(days=370) + LEAF_VALID
        server = running.server
        assert isinstance(server, HubServer) and server.renewal is not None
        clock.advance(timedelta(days=1))
        assert not server.renewal.run_once()  # a day later: nothing to do yet
        clock.set(TODAY)  # the daily check, 370 days later
        assert server.renewal.run_once()
        after = served_certificate(running.url, ca_file)
        assert after.serial_number != before.serial_number
        assert after.not_valid_after_utc == TODAY + LEAF_VALID
        client = HttpHubClient(running.url, "sin-credencial", verify=str(ca_file))
        try:
            assert client.health().office == "CAJ"  # the same CA still opens it
        finally:
            client.close()
    finally:
        stop_server(running)
        hub.close()
