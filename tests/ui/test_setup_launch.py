"""Opening the program (`cac` alone, `cac start`): on a PC with no office «Configurar esta PC»,
then the window the PC became, started as a program of its own; on a PC set up already, that
window at once. The hub PC whose hub runs as a service opens its admin window as a client."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.cli import build_parser, main
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.hub import OfficeHub
from kiosk.service_install import this_program
from kiosk.storage.lock import HubLock
from tests.conftest import START, DemoOffices, RunningHub
from ui.pairing import load_paired
from ui.setup_wizard import launch
from ui.setup_wizard.context import SetupContext
from ui.setup_wizard.steps import (
    AdminForm,
    OfficeForm,
    PrinterForm,
    ThisPC,
    create_office,
    load_this_pc,
    save_this_pc,
    window_argv,
)


def _start_args(data_dir: DataDir) -> argparse.Namespace:
    return build_parser().parse_args(["start", "--data-dir", str(data_dir.root)])


def test_the_program_alone_opens_this_pc(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[argparse.Namespace] = []

    def start(args: argparse.Namespace) -> int:
        seen.append(args)
        return 0

    monkeypatch.setattr(launch, "cmd_start", start)
    assert main([]) == 0
    assert [args.command for args in seen] == ["start"]


def test_a_pc_with_no_office_gets_the_wizard_then_its_window(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = DataDir(tmp_path / "pc")
    kiosk = ThisPC("kiosk", "https://192.168.1.10:8470")

    def wizard(folder: DataDir, root: Path | None) -> SetupContext:
        save_this_pc(folder, kiosk)
        context = SetupContext.of_this_pc(folder, root)
        context.this_pc = kiosk
        return context

    monkeypatch.setattr(launch, "run_setup", wizard)
    spawned: list[Sequence[str]] = []
    assert launch.cmd_start(_start_args(data_dir), spawned.append) == 0
    assert spawned == [[*this_program(), "kiosk", "--data-dir", str(data_dir.root.resolve()),
                        "--hub", "https://192.168.1.10:8470", "--restart"]]
    # Next time: no wizard, the window itself.
    opened: list[ThisPC] = []

    def window(this_pc: ThisPC, folder: DataDir) -> int:
        opened.append(this_pc)
        return 0

    monkeypatch.setattr(launch, "open_window", window)
    assert launch.cmd_start(_start_args(data_dir)) == 0
    assert opened == [kiosk]


def test_a_cancelled_wizard_leaves_the_pc_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
        ) -> None:
    monkeypatch.setattr(launch, "run_setup", SetupContext.of_this_pc)
    spawned: list[Sequence[str]] = []
    assert launch.cmd_start(_start_args(DataDir(tmp_path / "pc")), spawned.append) == 0
    assert spawned == [] and "sigue sin oficina" in capsys.readouterr().out


def test_an_office_made_with_cac_init_is_the_hub_pc(tmp_path: Path,
                                                    demo_offices: DemoOffices) -> None:
    data_dir = DataDir(tmp_path / "office")
    demo_offices.initialise(data_dir, VirtualClock(START)).close()
    assert launch.this_pc_of(data_dir) == ThisPC("hub")
    assert load_this_pc(data_dir) == ThisPC("hub")


def test_the_hub_pc_opens_its_admin_window_as_a_client_when_the_hub_is_a_service(
        tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "pc")
    this_pc = create_office(data_dir, OfficeForm("CAJ", "CAC Cajamarca", "Municipalidad"),
                            AdminForm("maria.perez", "María Pérez", "24681357", "24681357"),
                            PrinterForm("file", "impresiones"), port=8471)
    root = str(data_dir.root.resolve())
    assert window_argv(this_pc, data_dir) == ["app", "--windows", "admin", "--windowed",
                                              "--data-dir", root]
    with HubLock(data_dir.root).acquire("prueba"):  # `cac hub`, started with the PC
        words = window_argv(this_pc, data_dir)
    # Just told to start (the service may not hold its lock yet): the same.
    assert window_argv(this_pc, data_dir, hub_service=True) == words
    assert words == ["admin", "--hub", "https://127.0.0.1:8471", "--data-dir", root,
                     "--windowed"]
    paired = load_paired(data_dir)["admin"]
    assert paired["hub"] == "https://127.0.0.1:8471"
    assert Path(paired["ca"]) == data_dir.tls / "ca.pem" and Path(paired["ca"]).is_file()
    args = build_parser().parse_args(words)
    assert args.window.role == "admin"
    hub = OfficeHub(data_dir)
    try:
        assert hub.authenticate(paired["token"]).role == "admin"
    finally:
        hub.close()


def test_the_program_alone_without_the_window_layer_still_asks_for_a_command(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli, "_register_plugin_commands", lambda sub: None)
    with pytest.raises(SystemExit) as ended:
        main([])
    assert ended.value.code == 2 and "Error en los argumentos" in capsys.readouterr().err


def test_the_hub_pcs_own_credential_reaches_its_hub_served_on_the_office_network(
        tmp_path: Path) -> None:
    from tests.conftest import stop_server
    from tests.office_tls import TODAY, serve_lan
    from ui.connect import remote_client

    data_dir = DataDir(tmp_path / "pc")
    create_office(data_dir, OfficeForm("CAJ", "CAC Cajamarca", "Municipalidad"),
                  AdminForm("maria.perez", "María Pérez", "24681357", "24681357"),
                  PrinterForm("file", "impresiones"), clock=VirtualClock(TODAY))
    assert data_dir.load_config().hub_host == "0.0.0.0"  # the other PCs can reach it
    paired = load_paired(data_dir)["admin"]
    hub = OfficeHub(data_dir, VirtualClock(TODAY))
    running = serve_lan(hub)  # as `cac hub` serves it (HTTPS, the office CA)
    try:
        client = remote_client(running.url.replace("127.0.0.1", "localhost"),
                               paired["token"], paired["ca"])
        assert client.health().name == "CAC Cajamarca"
        assert client.services() == []  # a new office: the admin adds its services
        client.close()  # type: ignore[attr-defined]
    finally:
        stop_server(running)
        hub.close()


@pytest.mark.system
def test_opening_the_program_on_the_hub_pc_opens_its_office(tmp_path: Path) -> None:
    """`cac` alone, as a double click runs it: this user's data folder holds the office the
    wizard made, so the admin window opens with the hub in its process (then quits: the
    benchmark's variable, ui/first_window.py)."""
    import os
    import subprocess
    import sys

    from tests.ui.setup_wizard_support import free_port

    data_dir = DataDir.default()  # under the test's own home (tests/conftest.py)
    create_office(data_dir, OfficeForm("CAJ", "CAC Cajamarca", "Municipalidad"),
                  AdminForm("maria.perez", "María Pérez", "24681357", "24681357"),
                  PrinterForm("file", "impresiones"), port=free_port())
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-m", "kiosk"], capture_output=True, text=True, timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "CAC_APP_QUIT_AFTER_SHOWN": "0",
             "PYTHONPATH": str(root)})
    assert done.returncode == 0, done.stderr
    assert "cac-app: first window shown" in done.stdout
    log = (data_dir.logs / "hub.log").read_text("utf-8")
    assert "Windows shut down: adminWindow" in log and "Hub closed" in log


@pytest.mark.system
def test_opening_the_program_on_a_joined_counter_pc_opens_its_window(
        tmp_path: Path, hub: OfficeHub, server: RunningHub) -> None:
    import os
    import subprocess
    import sys

    from kiosk.hub import SYSTEM
    from kiosk.services.admin_views import PairingInput
    from ui.setup_wizard.steps import JoinForm, join_office

    data_dir = DataDir(tmp_path / "pc")
    code = hub.create_pairing(SYSTEM, PairingInput(name="Ventanilla 2", role="counter",
                                                   counter=2)).code
    join_office(data_dir, JoinForm(server.url, code, "counter", "2"))
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "start", "--data-dir", str(data_dir.root)],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "CAC_APP_QUIT_AFTER_SHOWN": "0",
             "PYTHONPATH": str(root)})
    assert done.returncode == 0, done.stderr
    # The counter window, with the credential the pairing kept (without one it would not
    # have opened: «Falta la credencial del dispositivo»).
    assert "cac-app: first window shown" in done.stdout and "Error" not in done.stderr


def test_an_office_is_never_made_twice_in_one_folder(tmp_path: Path) -> None:
    from kiosk.errors import InvalidInput

    data_dir = DataDir(tmp_path / "pc")
    forms = (OfficeForm("CAJ", "CAC Cajamarca", "Municipalidad"),
             AdminForm("maria.perez", "María Pérez", "24681357", "24681357"),
             PrinterForm("file", "impresiones"))
    create_office(data_dir, *forms)
    before = sorted(p.name for p in data_dir.root.iterdir())
    with pytest.raises(InvalidInput) as refused:
        create_office(data_dir, *forms)
    assert refused.value.code == "office_exists"
    assert sorted(p.name for p in data_dir.root.iterdir()) == before  # nothing removed


def test_a_damaged_record_of_this_pc_is_no_record(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "pc")
    data_dir.create()
    for text in ("{", "[]", '{"role": "impresora"}', '{"role": "counter", "counter": "x"}'):
        (data_dir.root / "this-pc.json").write_text(text, "utf-8")
        assert load_this_pc(data_dir) is None, text
    save_this_pc(data_dir, ThisPC("rating", "https://192.168.1.10:8470", 4))
    assert load_this_pc(data_dir) == ThisPC("rating", "https://192.168.1.10:8470", 4)
