"""A new PC pairs with an HTTPS hub: it learns the office CA from the hub, trusts it only when
the code's last group vouches for it, keeps it with its token and verifies the hub with it on
every later start. Someone on the office network answering in the hub's place gets no code."""

from __future__ import annotations

import argparse
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.cli import build_parser
from kiosk.client.http import HttpHubClient
from kiosk.client.pairing import hub_ca_for_code
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.errors import HubUnavailable, InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.admin_views import PairedDevice, PairingInput
from tests.conftest import DemoOffices, RunningHub, stop_server
from tests.office_tls import TODAY, serve_lan
from ui.cli import _device_token
from ui.connect import remote_client
from ui.pairing import device_credentials, load_paired


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(TODAY)


@pytest.fixture
def https_hub(hub: OfficeHub) -> Iterator[RunningHub]:
    running = serve_lan(hub)
    yield running
    stop_server(running)


@pytest.fixture
def impostor(demo_offices: DemoOffices, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[OfficeHub, list[str]]]:
    """Another PC on the office network with a hub of its own (the same office code and name),
    which notes every pairing code it is sent."""
    office = demo_offices.initialise(DataDir(tmp_path / "impostor"), VirtualClock(TODAY))
    heard: list[str] = []

    def pair(code: str) -> PairedDevice:
        heard.append(code)
        raise AssertionError("the impostor got a pairing code")

    monkeypatch.setattr(office, "pair", pair)
    yield office, heard
    office.close()


def _code(hub: OfficeHub, role: str = "kiosk") -> str:
    return hub.create_pairing(SYSTEM, PairingInput(name="Quiosco de la entrada",
                                                   role=role)).code


def _args(url: str, pc: Path, *extra: str) -> argparse.Namespace:
    return build_parser().parse_args(["kiosk", "--hub", url, "--data-dir", str(pc), *extra])


def test_a_new_pc_learns_the_ca_when_pairing_and_verifies_the_hub_ever_after(
        hub: OfficeHub, https_hub: RunningHub, tmp_path: Path) -> None:
    pc = tmp_path / "pc"
    said: list[str] = []
    paired = device_credentials(_args(https_hub.url, pc, "--pair", _code(hub)), "kiosk",
                                say=said.append)
    assert hub.authenticate(paired.token).role == "kiosk"
    assert paired.ca_file is not None
    ca_file = Path(paired.ca_file)
    assert ca_file.parent == pc and ca_file.read_text() == hub.office_ca.pem
    assert stat.S_IMODE(ca_file.stat().st_mode) == 0o600
    assert load_paired(DataDir(pc))["kiosk"]["ca"] == str(ca_file)
    assert said and "emparejado" in said[0]

    # The next start: only --hub; the window verifies the hub with the CA it learned.
    args = _args(https_hub.url, pc)
    _device_token(args, "kiosk")  # what `cac kiosk` does before opening its window
    assert (args.token, args.ca) == (paired.token, str(ca_file))
    client = remote_client(https_hub.url, paired.token, str(ca_file))
    assert isinstance(client, HttpHubClient)
    try:
        assert client.services()
    finally:
        client.close()
    # The same token on a PC that never learned the CA: the hub is not trusted.
    stranger = remote_client(https_hub.url, paired.token)
    assert isinstance(stranger, HttpHubClient)
    try:
        with pytest.raises(HubUnavailable) as refused:
            stranger.services()
        assert refused.value.code == "hub_certificate"
    finally:
        stranger.close()
    ca_file.unlink()
    with pytest.raises(InvalidInput) as missing:
        remote_client(https_hub.url, paired.token, str(ca_file))
    assert missing.value.code == "missing_ca" and "--pair" in missing.value.message


def test_an_impostor_with_a_ca_of_its_own_never_gets_the_code(
        hub: OfficeHub, https_hub: RunningHub, impostor: tuple[OfficeHub, list[str]],
        tmp_path: Path) -> None:
    office, heard = impostor
    fake = serve_lan(office)
    code = _code(hub)
    try:
        with pytest.raises(HubUnavailable) as refused:
            device_credentials(_args(fake.url, tmp_path / "pc", "--pair", code), "kiosk")
    finally:
        stop_server(fake)
    assert refused.value.code == "hub_certificate"
    assert "no corresponde al código de emparejamiento" in refused.value.message
    assert "no se envió" in refused.value.message
    assert heard == [] and load_paired(DataDir(tmp_path / "pc")) == {}
    # The code is still good at the real hub.
    paired = device_credentials(_args(https_hub.url, tmp_path / "pc", "--pair", code), "kiosk")
    assert hub.authenticate(paired.token).role == "kiosk"


def test_an_impostor_showing_the_real_ca_cannot_prove_it_is_the_hub(
        hub: OfficeHub, https_hub: RunningHub, impostor: tuple[OfficeHub, list[str]],
        tmp_path: Path) -> None:
    office, heard = impostor
    fake = serve_lan(office)  # its own certificate, of its own CA …
    office.__dict__["office_ca"] = hub.office_ca  # … while it hands out the real CA (public)
    code = _code(hub)
    try:
        assert hub_ca_for_code(fake.url, code) == hub.office_ca.pem  # the code vouches for it
        with pytest.raises(HubUnavailable) as refused:
            device_credentials(_args(fake.url, tmp_path / "pc", "--pair", code), "kiosk")
    finally:
        stop_server(fake)
    assert refused.value.code == "hub_certificate"  # the TLS handshake failed: nothing sent
    assert heard == [] and "kiosk" not in load_paired(DataDir(tmp_path / "pc"))


def test_a_code_without_its_check_or_mistyped_is_refused_before_it_is_sent(
        hub: OfficeHub, https_hub: RunningHub, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    code = _code(hub)
    received: list[str] = []
    real_pair = hub.pair

    def pair(typed: str) -> PairedDevice:
        received.append(typed)
        return real_pair(typed)

    monkeypatch.setattr(hub, "pair", pair)
    with pytest.raises(InvalidInput) as short:
        device_credentials(_args(https_hub.url, tmp_path / "pc", "--pair", code[:9]), "kiosk")
    assert short.value.code == "pairing_code_incomplete" and "12 caracteres" in \
        short.value.message
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    with pytest.raises(HubUnavailable) as mistyped:
        device_credentials(_args(https_hub.url, tmp_path / "pc", "--pair", wrong), "kiosk")
    assert "Revise los 4 últimos caracteres" in mistyped.value.message
    assert received == []  # the hub never saw the secret part either
    paired = device_credentials(_args(https_hub.url, tmp_path / "pc", "--pair", code), "kiosk")
    assert received == [code] and hub.authenticate(paired.token).role == "kiosk"
