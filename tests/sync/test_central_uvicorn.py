"""`cac central` runs uvicorn with its C HTTP parser and event loop where they are installed
(httptools, uvloop), and with h11 and asyncio's loop where they are not (uvloop has no Windows
build): sync/central/app.py `central_server`."""

from __future__ import annotations

import importlib.util
import sys

import pytest
import requests

from sync.central.app import central_server
from sync.central.server import CentralServer
from tests.conftest import start_uvicorn, stop_server


def _serves(central: CentralServer, http: str, loop: str) -> None:
    server = central_server(central, lifespan="off", timeout_graceful_shutdown=2)
    assert (server.config.http, server.config.loop) == (http, loop)
    running = start_uvicorn(server)
    try:
        answer = requests.get(f"{running.url}/api/v1/health", timeout=10)
        assert answer.status_code == 200 and answer.json()["status"] == "ok"
        refused = requests.post(f"{running.url}/api/v1/sync/push", data=b"x", timeout=10)
        assert refused.status_code == 401 and refused.json()["error"]["code"]
    finally:
        stop_server(running)


@pytest.mark.skipif(not importlib.util.find_spec("httptools")
                    or not importlib.util.find_spec("uvloop"),
                    reason="httptools and uvloop are not installed (uvloop: not on Windows)")
def test_central_runs_uvicorn_s_c_parser_and_loop_where_installed(central: CentralServer
                                                                  ) -> None:
    _serves(central, "httptools", "uvloop")


def test_without_them_central_falls_back_to_h11_and_asyncio(
        central: CentralServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "httptools", None)  # as on a machine without them
    monkeypatch.setitem(sys.modules, "uvloop", None)
    _serves(central, "h11", "asyncio")
