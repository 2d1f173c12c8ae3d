"""`cac service install|remove` (issue 19): the files that start the hub or a window with the
PC, read back the way the service manager reads them, and undone by `remove`."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from xml.etree import ElementTree

import pytest

from kiosk.cli import main
from kiosk.errors import InvalidInput
from kiosk.service_install import (
    TASK_NAME,
    TASK_NS,
    Places,
    Platform,
    Request,
    install,
    plan,
    remove,
    this_program,
)

HUB_URL = "https://192.168.1.10:8470"


def _ini(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text("utf-8"))
    return parser


def _systemd_words(line: str) -> list[str]:
    """ExecStart= as systemd splits it (C-style quotes, %% for a percent sign)."""
    return [w.replace("%%", "%") for w in shlex.split(line)]


def _desktop_words(line: str) -> list[str]:
    """Exec= as the Desktop Entry Specification reads it: the string escapes first, then the
    quoting, then %% for a percent sign."""
    return [w.replace("%%", "%") for w in shlex.split(line.replace("\\\\", "\\"))]


@pytest.fixture
def office(tmp_path: Path) -> Path:
    folder = tmp_path / "datos de la oficina 100%"
    folder.mkdir()
    return folder


def test_the_hub_as_a_system_unit_that_systemd_accepts(office: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    root = tmp_path / "raiz"
    assert main(["service", "install", "--role", "hub", "--data-dir", str(office), "--system",
                 "--root", str(root), "--platform", "linux"]) == 0
    unit = root / "etc/systemd/system/cac-hub.service"
    parsed = _ini(unit)
    assert _systemd_words(parsed["Service"]["ExecStart"]) == [
        *this_program(), "hub", "--data-dir", str(office.resolve())]
    assert parsed["Service"]["Restart"] == "on-failure"
    assert parsed["Install"]["WantedBy"] == "multi-user.target"
    assert "network-online.target" in parsed["Unit"]["After"]
    said = capsys.readouterr().out
    assert f"Escrito {unit}" in said and "sin activarlo" in said
    if shutil.which("systemd-analyze"):  # systemd's own reading of the file, where it is
        checked = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True,
                                 text=True, timeout=60)
        assert checked.returncode == 0, checked.stderr


def test_a_system_unit_runs_as_the_owner_of_the_office_folder(office: Path) -> None:
    request = Request("hub", Platform.LINUX, ("/opt/cac/cac",), office, system=True,
                      run_as="cac")
    files = plan(request, Places.of_this_pc(office, office / "raiz"))
    text = files[0].content.decode()
    assert "\nUser=cac\n" in text
    assert files[0].enable == (("systemctl", "daemon-reload"),
                               ("systemctl", "enable", "--now", "cac-hub.service"))
    user = plan(Request("hub", Platform.LINUX, ("/opt/cac/cac",), office),
                Places.of_this_pc(office, office / "raiz"))[0]
    assert "User=" not in user.content.decode()
    assert "WantedBy=default.target" in user.content.decode()
    assert user.enable[0] == ("systemctl", "--user", "daemon-reload")


def test_a_window_starts_with_the_session_and_remove_undoes_it(
        office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    root = tmp_path / "raiz"
    assert main(["service", "install", "--role", "counter", "--counter", "3", "--hub", HUB_URL,
                 "--data-dir", str(office), "--root", str(root), "--platform", "linux"]) == 0
    entry = root / config.relative_to("/") / "autostart/cac-counter.desktop"
    parsed = _ini(entry)["Desktop Entry"]
    assert parsed["Type"] == "Application" and parsed["Name"] == "CAC Kiosk: la ventanilla"
    assert _desktop_words(parsed["Exec"]) == [
        *this_program(), "counter", "--data-dir", str(office.resolve()), "--hub", HUB_URL,
        "--counter", "3"]  # a clerk's window: no watchdog (only the public screens have one)

    capsys.readouterr()
    assert main(["service", "remove", "--role", "counter", "--data-dir", str(office),
                 "--root", str(root), "--platform", "linux"]) == 0
    assert not entry.exists()
    assert f"Borrado {entry}" in capsys.readouterr().out
    assert main(["service", "remove", "--role", "counter", "--data-dir", str(office),
                 "--root", str(root), "--platform", "linux"]) == 0
    assert "nada que quitar" in capsys.readouterr().out


def test_on_windows_the_hub_is_a_boot_task_and_a_window_a_startup_entry(
        office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    appdata = tmp_path / "AppData"
    monkeypatch.setenv("APPDATA", str(appdata))
    program = ("C:\\Program Files\\CAC Kiosk\\cac.exe",)
    places = Places.of_this_pc(office)
    task = plan(Request("hub", Platform.WINDOWS, program, office), places)[0]
    assert task.path == office / "service" / "cac-hub.xml"
    xml = task.content.decode("utf-16")
    assert xml.startswith('<?xml version="1.0" encoding="UTF-16"?>')
    tree = ElementTree.fromstring(xml.split("?>", 1)[1])
    ns = {"t": TASK_NS}
    assert tree.findtext("t:Actions/t:Exec/t:Command", namespaces=ns) == program[0]
    assert tree.findtext("t:Actions/t:Exec/t:Arguments", namespaces=ns) == \
        subprocess.list2cmdline(["hub", "--data-dir", str(office)])
    assert tree.find("t:Triggers/t:BootTrigger", ns) is not None
    assert tree.findtext("t:Principals/t:Principal/t:UserId", namespaces=ns) == "S-1-5-18"
    assert tree.findtext("t:Settings/t:RestartOnFailure/t:Interval", namespaces=ns) == "PT1M"
    assert task.enable == (("schtasks", "/Create", "/TN", TASK_NAME, "/XML", str(task.path),
                            "/F"),)
    assert task.disable == (("schtasks", "/Delete", "/TN", TASK_NAME, "/F"),)

    kiosk = plan(Request("kiosk", Platform.WINDOWS, program, office, HUB_URL), places)[0]
    assert kiosk.path == appdata / "Microsoft/Windows/Start Menu/Programs/Startup/cac-kiosk.cmd"
    lines = kiosk.content.decode().split("\r\n")
    assert lines[-2] == 'start "" ' + subprocess.list2cmdline(
        [*program, "kiosk", "--data-dir", str(office), "--hub", HUB_URL, "--restart"])


def test_the_service_manager_is_told_in_order(office: Path, tmp_path: Path) -> None:
    ran: list[Sequence[str]] = []
    files = plan(Request("hub", Platform.LINUX, ("/opt/cac/cac",), office, system=True),
                 Places.of_this_pc(office, tmp_path / "raiz"))
    install(files, True, ran.append)
    assert files[0].path.is_file()
    assert ran == [("systemctl", "daemon-reload"),
                   ("systemctl", "enable", "--now", "cac-hub.service")]
    ran.clear()
    remove(files, True, ran.append)
    assert ran == [("systemctl", "disable", "--now", "cac-hub.service"),
                   ("systemctl", "daemon-reload")]
    assert not files[0].path.exists()


def test_what_a_window_needs_is_asked_before_anything_is_written(
        office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "raiz"
    assert main(["service", "install", "--role", "kiosk", "--data-dir", str(office),
                 "--root", str(root), "--platform", "linux"]) == 2
    assert "Indique la dirección del hub con --hub" in capsys.readouterr().err
    assert main(["service", "install", "--role", "rating", "--hub", HUB_URL, "--data-dir",
                 str(office), "--root", str(root), "--platform", "linux"]) == 2
    assert "indique cuál con --counter" in capsys.readouterr().err
    assert not root.exists()
    with pytest.raises(InvalidInput) as caught:
        plan(Request("tv", Platform.LINUX, ("cac",), office, HUB_URL), Places.of_this_pc(office))
    assert caught.value.message.startswith("No hay un programa «tv»")


def test_a_dry_run_shows_the_file_and_writes_nothing(
        office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "raiz"
    assert main(["service", "install", "--role", "hub", "--data-dir", str(office), "--system",
                 "--root", str(root), "--platform", "windows", "--dry-run"]) == 0
    shown = capsys.readouterr().out
    assert "<BootTrigger>" in shown and "cac-hub.xml" in shown
    assert not root.exists() and not (office / "service").exists()
