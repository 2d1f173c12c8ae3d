"""`cac supervisor`, `cac rating` and `cac app --windows supervisor`: the options reach the
windows, bad addresses are refused in Spanish, and the one-PC office gets a supervisor
device of its own."""

from __future__ import annotations

import importlib

import pytest

from kiosk.cli import build_parser
from kiosk.config import DataDir
from kiosk.embedded import DEVICES_FILE, app_tokens
from kiosk.errors import InvalidInput
from kiosk.hub import OfficeHub
from tests.conftest import SUPERVISOR, person_on
from ui.app import parse_windows
from ui.cli import WINDOW_COMMANDS
from ui.supervisor.central import central_reports
from ui.supervisor.window import run_supervisor


def test_the_commands_and_their_options() -> None:
    parser = build_parser()
    args = parser.parse_args(["supervisor", "--hub", "http://192.168.1.10:8470", "--token",
                              "T", "--central", "https://central.muni.gob.pe",
                              "--central-token", "C", "--windowed"])
    assert (args.hub, args.token, args.central, args.central_token, args.windowed) == (
        "http://192.168.1.10:8470", "T", "https://central.muni.gob.pe", "C", True)
    assert args.window.name == "supervisor"
    args = parser.parse_args(["rating", "--hub", "http://h:8470", "--token", "T",
                              "--counter", "3"])
    assert (args.counter, args.window.name, args.window.role) == (3, "rating", "counter")
    with pytest.raises(SystemExit):  # the counter it faces is required
        parser.parse_args(["rating", "--hub", "http://h:8470", "--token", "T"])
    assert parse_windows("counter,supervisor") == ["counter", "supervisor"]


def test_every_window_command_starts_a_window_of_its_own() -> None:
    """Each command's runner exists, and no two commands start the same window."""
    runners = []
    for command in WINDOW_COMMANDS:
        module, function = command.runner.split(":")
        runners.append(getattr(importlib.import_module(module), function))
    assert all(callable(run) for run in runners)
    assert len(set(runners)) == len(WINDOW_COMMANDS)
    assert {c.name for c in WINDOW_COMMANDS} == {"kiosk", "display", "counter", "supervisor",
                                                 "admin", "rating"}


def test_bad_addresses_are_refused_in_spanish() -> None:
    with pytest.raises(InvalidInput) as caught:
        central_reports("central.muni.gob.pe", "C")
    assert caught.value.message.startswith("La dirección de la central «central.muni.gob.pe»")
    with pytest.raises(InvalidInput) as caught:
        central_reports("https://central.muni.gob.pe", " ")
    assert caught.value.message == "Falta la credencial de la central (--central-token)."
    args = build_parser().parse_args(["supervisor", "--hub", "192.168.1.10", "--token", "T"])
    with pytest.raises(InvalidInput) as caught:
        run_supervisor(args)
    assert caught.value.code == "invalid_hub_url"


def test_the_one_pc_office_makes_a_supervisor_device(hub: OfficeHub, data_dir: DataDir
                                                     ) -> None:
    tokens = app_tokens(hub, data_dir, ["counter", "supervisor"])
    device = hub.authenticate(tokens["supervisor"])
    assert (device.role, device.name) == ("supervisor", "Supervisión (este equipo)")
    # It may read the dashboard once a supervisor logs in on it.
    assert hub.supervisor_live(person_on(hub, tokens["supervisor"], SUPERVISOR)).office == "CAJ"
    assert (data_dir.root / DEVICES_FILE).exists()
    assert app_tokens(hub, data_dir, ["supervisor"]) == {"counter": tokens["counter"],
                                                         "supervisor": tokens["supervisor"]}
