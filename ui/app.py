"""`cac app`: the one-PC office. The hub runs in this process and the chosen windows talk to it
directly; the LAN API is served too, so other PCs (a TV, a second counter) can join.

Each window acts as a device of the office, like a remote one would: its credential is created
on first start and kept in the data dir (`app-devices.json`, readable only by this user).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
from typing import Any

from kiosk.client.inprocess import InProcessHubClient
from kiosk.config import DataDir
from kiosk.errors import ConfigError, InvalidInput
from kiosk.heap import settle_heap
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.lan import plain_off_loopback
from kiosk.logs import configure_logging
from kiosk.plugins import Stoppable, start_hub_services, stop_hub_services
from kiosk.private_files import write_private
from kiosk.storage.lock import HubLock

log = logging.getLogger(__name__)

WINDOWS = {"kiosk": "Quiosco (este equipo)", "display": "Pantalla (este equipo)",
           "counter": "Ventanilla (este equipo)", "supervisor": "Supervisión (este equipo)",
           "admin": "Administración (este equipo)"}
# What `cac demo` opens (the supervisor's window is asked for by name).
DEMO_WINDOWS = ["kiosk", "display", "counter"]
DEVICES_FILE = "app-devices.json"
# A portrait kiosk and a landscape TV, both small enough to sit side by side on a laptop;
# the counter at the 1366×768 of a counter PC.
WINDOWED_SIZES = {"kioskWindow": (600, 960), "display": (1024, 576),
                  "counterWindow": (1366, 768), "supervisorWindow": (1366, 768),
                  "adminWindow": (1366, 768)}
# The LAN API starts once a window is on screen, or after this long whatever the screen does.
BACKGROUND_FALLBACK_MS = 3000


def app_tokens(hub: OfficeHub, data_dir: DataDir, roles: list[str]) -> dict[str, str]:
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
        _device, tokens[role] = hub.add_device(SYSTEM, WINDOWS[role], role)
    if missing:
        write_private(path, json.dumps(tokens, indent=2).encode("utf-8"))
    return tokens


def can_show_windows() -> bool:
    """False on a Linux box with no screen (a server): Qt would abort there."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def parse_windows(value: str) -> list[str]:
    names = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [name for name in names if name not in WINDOWS]
    if unknown or not names:
        raise InvalidInput(
            "unknown_window",
            f"Ventanas desconocidas: {', '.join(unknown) or '(ninguna)'}. "
            f"Use: {', '.join(WINDOWS)}.",
        )
    return names


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


def run_app(data_dir: DataDir, windows: list[str], *, windowed: bool, host: str | None,
            port: int | None, lan: bool = True, insecure_http: bool = False) -> int:
    if not can_show_windows():
        raise ConfigError("no_screen", "No hay pantalla disponible para abrir las ventanas. "
                                       "Use «cac hub» en un servidor sin pantalla.")
    from ui.display.announcer import Announcer
    from ui.display.sound import QtSpeaker
    from ui.display.window import DisplayWindow
    from ui.first_window import after_first_window, first_window_report
    from ui.kiosk.printer_adapter import printer_for
    from ui.kiosk.window import KioskWindow
    from ui.qt_app import application

    configure_logging(data_dir.logs)
    data_dir.create()
    lock = HubLock(data_dir.root).acquire("ciérrelo antes de abrir otro")
    hub = OfficeHub(data_dir)
    app = application()
    tokens = app_tokens(hub, data_dir, windows)
    lan_at = (host or hub.config.hub_host, port or hub.config.hub_port) if lan else None
    background = _Background(hub, lan_at, insecure_http)
    # Known before the windows ask /health (the LAN API itself starts after the first one).
    hub.lan_insecure = lan_at is not None and plain_off_loopback(
        lan_at[0], own_certificate=bool(hub.config.tls_cert_file), insecure_http=insecure_http)
    opened: list[Any] = []
    try:
        if "kiosk" in windows:
            client = InProcessHubClient(hub, tokens["kiosk"])
            kiosk = KioskWindow(client, printer_for(client, data_dir))
            opened.append(kiosk)
        if "counter" in windows:
            from ui.counter.printer import counter_printer_for
            from ui.counter.window import CounterWindow

            clerk_client = InProcessHubClient(hub, tokens["counter"])
            opened.append(CounterWindow(clerk_client, counter_printer_for(clerk_client, data_dir),
                                        tz=hub.config.tz))
        if "supervisor" in windows:
            from ui.supervisor.window import SupervisorWindow

            opened.append(SupervisorWindow(InProcessHubClient(hub, tokens["supervisor"]),
                                           tz=hub.config.tz))
        if "admin" in windows:
            from ui.admin.window import AdminWindow

            opened.append(AdminWindow(InProcessHubClient(hub, tokens["admin"]),
                                      tz=hub.config.tz))
        if "display" in windows:
            tv_client = InProcessHubClient(hub, tokens["display"])
            display = DisplayWindow(tv_client, Announcer(QtSpeaker()), tz=hub.config.tz,
                                    sync_status=tv_client.sync_status)
            opened.append(display)
        for window in opened:
            if windowed:
                window.resize(*WINDOWED_SIZES[window.objectName()])
                window.show()
            else:
                window.showFullScreen()
        # The windows first: the LAN API and the hub's services load once one is on screen.
        report = first_window_report(app)  # CAC_APP_QUIT_AFTER_SHOWN: bench/app_start.py

        def on_first_window() -> None:
            if report is not None:
                report()
            background.start()

        after_first_window(app, opened, on_first_window, BACKGROUND_FALLBACK_MS)
        app.exec()
    finally:
        # The display's long-poll in flight would otherwise hold the exit for its whole wait.
        hub.calls.close()
        for window in opened:
            shutdown = getattr(window, "shutdown", None)
            if callable(shutdown):
                shutdown()
        background.stop()
        lock.release()
        hub.close()
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    data_dir = DataDir.from_option(args.data_dir)
    return run_app(data_dir, parse_windows(args.windows), windowed=args.windowed,
                   host=args.host, port=args.port, lan=not args.no_lan,
                   insecure_http=args.insecure_http)


def launch_demo(data_dir: DataDir, port: int) -> int:
    """`cac demo`'s all-in-one start: the kiosk and the TV in windows, the hub on the LAN."""
    return run_app(data_dir, DEMO_WINDOWS, windowed=True, host="127.0.0.1", port=port)
