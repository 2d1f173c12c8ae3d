"""The servers a bench starts the way an office runs them: a `cac` command in a process of its
own, ready when its health answers, stopped as Ctrl+C would stop it (hub_load.py, sync_push.py).
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY_WITHIN_S = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def cac_server(args: list[str], port: int, log_path: Path, stop_timeout_s: float = 10.0
               ) -> Iterator[subprocess.Popen[bytes]]:
    """`cac <args> --host 127.0.0.1 --port <port>`, its output in `log_path`."""
    command = [sys.executable, "-m", "kiosk", *args, "--host", "127.0.0.1", "--port", str(port)]
    name = f"cac {args[0]}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        try:
            deadline = time.monotonic() + READY_WITHIN_S
            while True:  # bounded by the deadline
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited ({process.returncode}): "
                                       f"{log_path.read_text(errors='replace')[-2000:]}")
                with contextlib.suppress(OSError, http.client.HTTPException):
                    probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    probe.request("GET", "/api/v1/health")
                    if probe.getresponse().status == 200:
                        probe.close()
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not answer within {READY_WITHIN_S} s")
                time.sleep(0.1)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=stop_timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
