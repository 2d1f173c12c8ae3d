"""A PC joins an office whose hub serves HTTPS with the office CA (as the wizard's hub PC
does): the CA is learnt with the code's check, kept, and the link test verifies the hub
with it. A wrong check group gets nothing from the hub."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.errors import CacError
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.rules.pairing_codes import ALPHABET
from kiosk.services.admin_views import PairingInput
from tests.conftest import RunningHub, stop_server
from tests.office_tls import TODAY, serve_lan
from ui.setup_wizard.steps import JoinForm, check_link, join_office, load_this_pc


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(TODAY)


@pytest.fixture
def https_hub(hub: OfficeHub) -> Iterator[RunningHub]:
    running = serve_lan(hub)
    running.url = running.url.replace("127.0.0.1", "localhost")
    yield running
    stop_server(running)


def _code(hub: OfficeHub) -> str:
    return hub.create_pairing(SYSTEM, PairingInput(name="Pantalla de la sala",
                                                   role="display")).code


def test_joining_an_https_hub_learns_and_keeps_its_ca(tmp_path: Path, hub: OfficeHub,
                                                      https_hub: RunningHub) -> None:
    data_dir = DataDir(tmp_path / "tv")
    joined = join_office(data_dir, JoinForm(https_hub.url, _code(hub), "display"))
    assert joined.ca_file is not None and Path(joined.ca_file).parent == data_dir.root
    assert Path(joined.ca_file).read_text("ascii") == hub.office_ca.pem
    assert joined.device_name == "Pantalla de la sala"
    health = check_link(https_hub.url, joined.token, joined.ca_file)
    assert health.name == "CAC Cajamarca"
    assert load_this_pc(data_dir) == joined.this_pc


def test_a_code_whose_check_group_is_wrong_gets_nothing(tmp_path: Path, hub: OfficeHub,
                                                        https_hub: RunningHub) -> None:
    code = _code(hub)
    last = code[-1]
    wrong = code[:-1] + next(c for c in ALPHABET if c != last)
    data_dir = DataDir(tmp_path / "tv")
    with pytest.raises(CacError) as refused:
        join_office(data_dir, JoinForm(https_hub.url, wrong, "display"))
    assert refused.value.code == "hub_certificate", refused.value.message
    assert load_this_pc(data_dir) is None
    joined = join_office(data_dir, JoinForm(https_hub.url, code, "display"))  # still valid
    assert joined.token
