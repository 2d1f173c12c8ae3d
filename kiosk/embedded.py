"""`cac app`'s hub: the office hub in the windows' own process, its LAN API served too so
other PCs (a TV, a second counter) can join.

Each window acts as a device of the office, like a remote one would: its credential is
created on first start and kept in the data dir (`app-devices.json`, readable only by this
user), and the window gets a client of that device, never the hub (pyproject's import
contract keeps `ui` to the client).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from datetime import tzinfo
from typing import Any

from kiosk.client.base import HubClient
from kiosk.client.inprocess import InProcessHubClient
from kiosk.config import DataDir
from kiosk.heap import settle_heap
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.lan import plain_off_loopback
from kiosk.plugins import Stoppable, start_hub_services, stop_hub_services
from kiosk.private_files import write_private
from kiosk.storage.lock import HubLock

log = logging.getLogger(__name__)

# The device each window of this PC is, by role.
DEVICE_NAMES = {"kiosk": "Quiosco (este equipo)", "display": "Pantalla (este equipo)",
                "counter": "Ventanilla (este equipo)",
                "supervisor": "Supervisión (este equipo)",
                "admin": "Administración (este equipo)"}
DEVICES_FILE = "app-devices.json"


def app_tokens(hub: OfficeHub, data_dir: DataDir, roles: Iterable[str]) -> dict[str, str]:
    """This PC's credential per window role, created once and reused."""
    path = data_dir.root / DEVICES_FILE
    tokens: dict[str, str] = {}
    if path.exists():
        try:
            loaded = json.loads(path.read_text("utf-8"))
            tokens = {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}
        except (ValueError, UnicodeDecodeError):
            log.warning("%s is damaged: new credentials are created", path)
    missing = [role for role in roles if role not in tokens]
    for role in missing:
        _device, tokens[role] = hub.add_device(SYSTEM, DEVICE_NAMES[role], role)
    if missing:
        write_private(path, json.dumps(tokens, indent=2).encode("utf-8"))
    return tokens


def _serve_lan(hub: OfficeHub, host: str, port: int, insecure_http: bool) -> Any:
    from kiosk.api.app import hub_server

    server = hub_server(hub, host=host, port=port, lifespan="off", insecure_http=insecure_http)
    # uvicorn installs no signal handlers off the main thread: Qt keeps them.
    thread = threading.Thread(target=server.run, name="hub-lan", daemon=True)
    thread.start()
    return server, thread


class _Background:
    """What the hub runs besides the windows: the LAN API and its services (sync with central,
    scheduled backups). Started after the first window (FastAPI and the sync worker take about
    half a second to load), stopped when the app ends."""

    def __init__(self, hub: OfficeHub, lan: tuple[str, int] | None,
                 insecure_http: bool = False) -> None:
        self._hub, self._lan, self._insecure_http = hub, lan, insecure_http
        self._started = False
        self._server: Any = None
        self._services: list[Stoppable] = []

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        if self._lan is not None:
            from kiosk.cli import say_lan

            host, port = self._lan
            self._server = _serve_lan(self._hub, host, port, self._insecure_http)
            print(f"Hub de {self._hub.config.office_name} en {self._server[0].lan_url}",
                  flush=True)
            say_lan(self._hub, self._server[0].lan_url)
        self._services = start_hub_services(self._hub)
        settle_heap()  # the windows, the hub and its API are built: kiosk/heap.py

    def stop(self) -> None:
        if self._server is not None:
            self._server[0].should_exit = True
            self._server[1].join(timeout=10)
        stop_hub_services(self._services)


class EmbeddedHub:
    """The office hub of `data_dir` for the windows `roles` of this process: `client(role)`
    for each, `start_background()` once one is on screen, `stop_calls()` then `close()` at
    the end (after the windows shut down)."""

    def __init__(self, data_dir: DataDir, roles: Iterable[str], *, lan: bool,
                 host: str | None, port: int | None, insecure_http: bool = False) -> None:
        data_dir.create()
        self._lock = HubLock(data_dir.root).acquire("ciérrelo antes de abrir otro")
        hub = self._hub = OfficeHub(data_dir)
        self._tokens = app_tokens(hub, data_dir, roles)
        lan_at = (host or hub.config.hub_host, port or hub.config.hub_port) if lan else None
        self._background = _Background(hub, lan_at, insecure_http)
        # Known before the windows ask /health (the LAN API itself starts after the first one).
        hub.lan_insecure = lan_at is not None and plain_off_loopback(
            lan_at[0], own_certificate=bool(hub.config.tls_cert_file),
            insecure_http=insecure_http)

    @property
    def tz(self) -> tzinfo:
        return self._hub.config.tz

    def client(self, role: str) -> HubClient:
        return InProcessHubClient(self._hub, self._tokens[role])

    def start_background(self) -> None:
        self._background.start()

    def stop_calls(self) -> None:
        """The display's long-poll in flight would otherwise hold the exit for its whole
        wait."""
        self._hub.calls.close()

    def close(self) -> None:
        self._background.stop()
        self._lock.release()
        self._hub.close()
        log.info("Hub closed")
