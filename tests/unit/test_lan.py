"""Where the hub listens decides how it serves (plain HTTP only on loopback or on purpose), which
names its certificate carries, and how a pairing code vouches for the office CA."""

from __future__ import annotations

import ipaddress

import pytest

from kiosk.lan import HubNames, hub_url, is_loopback, lan_scheme, plain_off_loopback
from kiosk.rules import pairing_codes


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True),
    ("localhost", True), ("LOCALHOST", True), ("hub.localhost", True),
    ("0.0.0.0", False), ("::", False), ("", False), ("192.168.1.10", False),
    ("fd00::10", False), ("cac-hub", False), ("hub.muni.local", False),
])
def test_only_loopback_addresses_count_as_this_pc_alone(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_off_loopback_the_hub_serves_https_unless_told_otherwise() -> None:
    for host in ("0.0.0.0", "::", "192.168.1.10", "cac-hub"):
        assert lan_scheme(host, own_certificate=False, insecure_http=False) == "https"
        assert lan_scheme(host, own_certificate=False, insecure_http=True) == "http"
        assert plain_off_loopback(host, own_certificate=False, insecure_http=True)
        assert not plain_off_loopback(host, own_certificate=False, insecure_http=False)
        # The administrator's own certificate always wins, the flag does not undo it.
        assert lan_scheme(host, own_certificate=True, insecure_http=True) == "https"
        assert not plain_off_loopback(host, own_certificate=True, insecure_http=True)
    for host in ("127.0.0.1", "localhost", "::1"):
        assert lan_scheme(host, own_certificate=False, insecure_http=False) == "http"
        assert not plain_off_loopback(host, own_certificate=False, insecure_http=True)
        assert lan_scheme(host, own_certificate=True, insecure_http=False) == "https"


def test_certificate_names_keep_what_a_client_can_write() -> None:
    names = HubNames.of(["localhost", "CAC-Hub", "cac-hub.muni.local.", "mal_nombre", "ñandú",
                         "192.168.1.10"],
                        ["127.0.0.1", "::1", "192.168.1.10", "fe80::1%eth0", "0.0.0.0",
                         "224.0.0.1", "fd00::10", "no es una dirección"])
    assert names.dns == {"localhost", "cac-hub", "cac-hub.muni.local"}
    assert names.ips == {ipaddress.ip_address(a)
                         for a in ("127.0.0.1", "::1", "192.168.1.10", "fd00::10")}
    assert names.lan_host() == "192.168.1.10"
    assert hub_url("https", "0.0.0.0", 8470, names) == "https://192.168.1.10:8470"
    assert hub_url("https", "fd00::10", 8470, names) == "https://[fd00::10]:8470"
    assert hub_url("http", "127.0.0.1", 8470) == "http://127.0.0.1:8470"


def test_this_pcs_names_include_loopback_its_host_name_and_a_specific_host() -> None:
    import socket

    found = HubNames.discover("192.168.77.5")
    assert {"localhost", socket.gethostname().lower()} <= found.dns
    assert {ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1"),
            ipaddress.ip_address("192.168.77.5")} <= found.ips
    assert "hub.muni.local" in HubNames.discover("hub.muni.local").dns


def test_a_pairing_code_is_bound_to_one_ca_by_its_secret() -> None:
    secret = "ABCDEFGH"
    real, other = "AB:" * 31 + "CD", "AB:" * 31 + "CE"
    check = pairing_codes.check(secret, real)
    assert len(check) == pairing_codes.CHECK_LENGTH
    assert set(check) <= set(pairing_codes.ALPHABET)
    assert pairing_codes.check(secret.lower(), real.replace(":", "").lower()) == check
    assert pairing_codes.check(secret, other) != check  # another CA: another check
    assert pairing_codes.check("ABCDEFGJ", real) != check  # another secret: another check
    shown = pairing_codes.grouped(secret + check)
    assert shown == f"ABCD-EFGH-{check}"
    assert pairing_codes.split(shown.lower()) == (secret, check)
    assert pairing_codes.split("abcd efgh") == (secret, "")  # the secret alone
