"""The installed program starts: the console script answers, and `cac hub` serves."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

CAC = str(Path(sys.executable).with_name("cac"))


def test_the_console_script_and_module_answer() -> None:
    for command in ([CAC, "--version"], [sys.executable, "-m", "kiosk", "--version"]):
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and result.stdout.startswith("cac ")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_cac_hub_starts_and_serves(tmp_path: Path) -> None:
    office = str(tmp_path / "office")
    subprocess.run([CAC, "init", "--data-dir", office, "--office", "CAJ", "--name", "CAC",
                    "--demo"], check=True, capture_output=True, timeout=60)
    token = json.loads(subprocess.run(
        [CAC, "device", "add", "--data-dir", office, "--role", "kiosk", "--name", "Q",
         "--json"], check=True, capture_output=True, text=True, timeout=60).stdout)["token"]
    port = _free_port()
    stderr_path = tmp_path / "hub-stderr.txt"
    with stderr_path.open("wb") as stderr, subprocess.Popen(
        [CAC, "hub", "--data-dir", office, "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=stderr,
    ) as hub:
        _exercise_hub(hub, port, token, stderr_path)
    assert (tmp_path / "office" / "logs" / "hub.log").exists()


def _wait_for_health(process: subprocess.Popen[bytes], url: str, stderr: Path) -> dict[str, str]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            return dict(requests.get(f"{url}/health", timeout=1).json())
        except requests.ConnectionError:
            time.sleep(0.1)  # the server is still starting: poll, bounded by the deadline
    raise AssertionError(stderr.read_text("utf-8"))


def _exercise_hub(hub: subprocess.Popen[bytes], port: int, token: str, stderr: Path) -> None:
    try:
        url = f"http://127.0.0.1:{port}/api/v1"
        assert _wait_for_health(hub, url, stderr)["office"] == "CAJ"
        ticket = requests.post(f"{url}/tickets", json={"service": "partidas"}, timeout=5,
                               headers={"Authorization": f"Bearer {token}"})
        assert ticket.status_code == 201 and ticket.json()["number"] == "A-001"
    finally:
        hub.terminate()
        hub.wait(timeout=20)


def test_cac_app_opens_its_windows_and_serves_the_lan(tmp_path: Path) -> None:
    office = tmp_path / "office"
    subprocess.run([CAC, "init", "--data-dir", str(office), "--office", "CAJ", "--name", "CAC",
                    "--demo"], check=True, capture_output=True, timeout=60)
    port = _free_port()
    stderr_path = tmp_path / "app-stderr.txt"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with stderr_path.open("wb") as stderr, subprocess.Popen(
        [CAC, "app", "--data-dir", str(office), "--port", str(port), "--windowed"],
        stdout=subprocess.DEVNULL, stderr=stderr, env=env,
    ) as app:
        try:
            health = _wait_for_health(app, f"http://127.0.0.1:{port}/api/v1", stderr_path)
            assert health["office"] == "CAJ"
            # The windows registered themselves as this PC's kiosk and display devices.
            devices = json.loads((office / "app-devices.json").read_text("utf-8"))
            assert set(devices) == {"kiosk", "display"}
            assert app.poll() is None
        finally:
            app.terminate()
            app.wait(timeout=20)


def test_window_commands_refuse_a_bad_hub_address(tmp_path: Path) -> None:
    result = subprocess.run([CAC, "kiosk", "--hub", "192.168.1.10", "--token", "x"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 2 and "no es válida" in result.stderr
