"""`cac admin`, `cac app --windows admin` and `--pair CÓDIGO` for the window commands: the
options reach the windows, bad input is refused in Spanish, a paired PC keeps its token."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import build_parser
from kiosk.config import DataDir
from kiosk.embedded import DEVICES_FILE, app_tokens
from kiosk.errors import CacError, InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.admin_views import PairingInput
from tests.conftest import RunningHub
from ui.admin.window import run_admin
from ui.app import WINDOWED_SIZES, WINDOWS, parse_windows
from ui.first_window import MARKER, QUIT_AFTER_SHOWN_ENV
from ui.pairing import PAIRED_FILE, device_token, load_paired


def test_the_admin_command_and_its_options() -> None:
    parser = build_parser()
    args = parser.parse_args(["admin", "--hub", "https://192.168.1.10:8470", "--token", "T",
                              "--ca", "hub.pem", "--windowed"])
    assert (args.hub, args.token, args.ca, args.windowed) == (
        "https://192.168.1.10:8470", "T", "hub.pem", True)
    assert args.window.name == "admin"
    for command in ("kiosk", "display", "counter", "supervisor", "admin"):
        args = parser.parse_args([command, "--hub", "http://h:8470", "--pair", "ABCD-EFGH",
                                  "--data-dir", "/tmp/equipo"])
        assert (args.pair, args.token, args.data_dir) == ("ABCD-EFGH", None, "/tmp/equipo")


def test_bad_addresses_and_missing_credentials_are_refused_in_spanish(
        tmp_path: Path) -> None:
    parser = build_parser()
    args = parser.parse_args(["admin", "--hub", "192.168.1.10", "--token", "T"])
    with pytest.raises(InvalidInput) as caught:
        run_admin(args)
    assert caught.value.code == "invalid_hub_url"
    assert caught.value.message.startswith("La dirección del hub «192.168.1.10» no es válida")
    args = parser.parse_args(["admin", "--hub", "http://192.168.1.10:8470",
                              "--data-dir", str(tmp_path)])
    with pytest.raises(InvalidInput) as caught:
        args.func(args)  # no --token, nothing paired on this PC: nothing opens
    assert caught.value.code == "missing_token"
    assert "--pair CÓDIGO" in caught.value.message
    args = parser.parse_args(["admin", "--hub", "http://h:8470", "--token", "T",
                              "--pair", "ABCD-EFGH"])
    with pytest.raises(InvalidInput) as caught:
        device_token(args, "admin")
    assert caught.value.message == "Use --token o --pair, no los dos a la vez."


def _code(hub: OfficeHub, name: str, role: str) -> str:
    return hub.create_pairing(SYSTEM, PairingInput(name=name, role=role)).code


def test_a_new_pc_pairs_with_the_code_and_keeps_its_token(
        hub: OfficeHub, server: RunningHub, tmp_path: Path) -> None:
    parser = build_parser()
    said: list[str] = []
    code = _code(hub, "Quiosco de la entrada", "kiosk")
    args = parser.parse_args(["kiosk", "--hub", server.url + "/", "--pair", code,
                              "--data-dir", str(tmp_path)])
    token = device_token(args, "kiosk", say=said.append)
    device = hub.authenticate(token)
    assert (device.name, device.role) == ("Quiosco de la entrada", "kiosk")
    data_dir = DataDir.from_option(str(tmp_path))
    path = data_dir.root / PAIRED_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # this user only
    assert load_paired(data_dir) == {"kiosk": {"hub": server.url, "token": token,
                                               "device": "Quiosco de la entrada"}}
    assert said == [f"Equipo «Quiosco de la entrada» emparejado. Su credencial quedó "
                    f"guardada en {path}; la próxima vez basta con: cac kiosk --hub "
                    f"{server.url}"]
    # The next start needs only the hub's address.
    again = parser.parse_args(["kiosk", "--hub", server.url, "--data-dir", str(tmp_path)])
    assert device_token(again, "kiosk") == token
    # The code was single use.
    with pytest.raises(CacError) as caught:
        device_token(args, "kiosk", say=said.append)
    assert caught.value.message  # the hub's Spanish reason


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_a_client_pc_s_data_folder_is_its_user_s_alone(
        hub: OfficeHub, server: RunningHub, tmp_path: Path) -> None:
    """The paired devices' tokens on a counter PC (issue 14): the folder pairing creates is
    0700 and the file 0600, whatever the desktop's umask."""
    folder = tmp_path / "pc" / "cac-kiosk"
    args = build_parser().parse_args(["counter", "--hub", server.url, "--pair",
                                      _code(hub, "Ventanilla 4", "counter"),
                                      "--data-dir", str(folder)])
    previous = os.umask(0o022)
    try:
        device_token(args, "counter", say=lambda _text: None)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert [(p.name, stat.S_IMODE(p.stat().st_mode)) for p in folder.iterdir()] == [
        (PAIRED_FILE, 0o600)]


def test_a_code_for_another_role_is_kept_for_that_role(
        hub: OfficeHub, server: RunningHub, tmp_path: Path) -> None:
    code = _code(hub, "TV de la sala", "display")
    args = build_parser().parse_args(["kiosk", "--hub", server.url, "--pair", code,
                                      "--data-dir", str(tmp_path)])
    with pytest.raises(InvalidInput) as caught:
        device_token(args, "kiosk", say=lambda _text: None)
    assert caught.value.code == "pairing_other_role"
    assert f"cac display --hub {server.url}" in caught.value.message
    stored = load_paired(DataDir.from_option(str(tmp_path)))
    assert hub.authenticate(stored["display"]["token"]).role == "display"
    display = build_parser().parse_args(["display", "--hub", server.url,
                                         "--data-dir", str(tmp_path)])
    assert device_token(display, "display") == stored["display"]["token"]


def test_the_one_pc_office_opens_the_admin_window(hub: OfficeHub, data_dir: DataDir) -> None:
    assert parse_windows("kiosk,admin") == ["kiosk", "admin"]
    assert "admin" in WINDOWS and WINDOWED_SIZES["adminWindow"] == (1366, 768)
    tokens = app_tokens(hub, data_dir, ["admin"])
    device = hub.authenticate(tokens["admin"])
    assert (device.role, device.name) == ("admin", "Administración (este equipo)")
    assert (data_dir.root / DEVICES_FILE).exists()
    args = build_parser().parse_args(["app", "--windows", "counter,admin"])
    assert parse_windows(args.windows) == ["counter", "admin"]


def test_cac_app_opens_the_admin_window(tmp_path: Path) -> None:
    """The one-PC office with `--windows admin` starts, shows the window and quits (the app's
    own first-window report, as bench/app_start.py uses it)."""
    data_dir = DataDir(tmp_path / "oficina")
    OfficeHub.initialise(data_dir, "CAJ", "CAC Cajamarca", demo=True).close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", QUIT_AFTER_SHOWN_ENV: "0"}
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "app", "--data-dir", str(data_dir.root),
         "--windows", "admin", "--windowed", "--no-lan"],
        capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert MARKER in done.stdout
    tokens = json.loads((data_dir.root / DEVICES_FILE).read_text("utf-8"))
    hub = OfficeHub(data_dir)
    try:
        assert hub.authenticate(tokens["admin"]).role == "admin"
    finally:
        hub.close()
