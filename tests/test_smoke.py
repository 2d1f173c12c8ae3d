"""The installed program starts: the console script answers, and `cac hub` serves."""

from __future__ import annotations

import json
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


def _exercise_hub(hub: subprocess.Popen[bytes], port: int, token: str, stderr: Path) -> None:
    try:
        url = f"http://127.0.0.1:{port}/api/v1"
        deadline = time.monotonic() + 30
        health = None
        while time.monotonic() < deadline and hub.poll() is None:
            try:
                health = requests.get(f"{url}/health", timeout=1).json()
                break
            except requests.ConnectionError:
                time.sleep(0.1)  # the server is still starting: poll, bounded by the deadline
        assert health is not None and health["office"] == "CAJ", stderr.read_text("utf-8")
        ticket = requests.post(f"{url}/tickets", json={"service": "partidas"}, timeout=5,
                               headers={"Authorization": f"Bearer {token}"})
        assert ticket.status_code == 201 and ticket.json()["number"] == "A-001"
    finally:
        hub.terminate()
        hub.wait(timeout=20)
