"""`make screenshots`: the public tracking page as a phone shows it (Debian's Chromium).

A throwaway demo office files an edificación, derives it to the area and syncs it to a
throwaway SQLite central served on loopback; Chromium, headless and cut off from the outside,
photographs `/t/<code>`, an unknown code's page, the root page where a code is typed and its
answer to an expediente number at 390×844.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.expediente_views import (
    EdificacionDetails,
    ExpedienteInput,
    PersonInput,
    TransitionInput,
)
from sync.central.app import central_server
from sync.central.server import CentralServer
from sync.client import CentralClient
from sync.hub_sync import HubSync

PHONE = (390, 844)
NOW = datetime(2026, 11, 20, 10, 5, tzinfo=ZoneInfo("America/Lima"))


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def run_chromium(url: str, profile: Path, *extra: str, check: bool = True
                 ) -> subprocess.CompletedProcess[str]:
    """Debian's Chromium, headless, with nothing that reaches outside the machine."""
    binary = chromium()
    assert binary is not None
    return subprocess.run(
        [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-quic", f"--user-data-dir={profile}", *extra, url],
        check=check, capture_output=True, text=True, timeout=120)


def _photograph(url: str, target: Path, profile: Path) -> None:
    run_chromium(url, profile, "--hide-scrollbars", f"--window-size={PHONE[0]},{PHONE[1]}",
                 f"--screenshot={target}")


def _sample_office(root: Path, clock: VirtualClock) -> tuple[OfficeHub, str]:
    hub = OfficeHub.initialise(DataDir(root / "office"), "CAJ", "CAC Cajamarca", demo=True,
                               clock=clock)
    filed = hub.file_expediente(SYSTEM, ExpedienteInput(
        procedure="LE-B", requirements_presented=[1, 4, 5], pages=42,
        person=PersonInput(doc_number="10117410", given_names="Juan Carlos",
                           paternal_surname="Quispe", maternal_surname="Mamani"),
        details=EdificacionDetails(modalidad="B", work_address="Jr. Amalia Puga 455",
                                   description="Vivienda unifamiliar de dos pisos",
                                   professional_name="Arq. Lucía Cabrera Vega",
                                   professional_registration="CAP 12345")))
    hub.transition(SYSTEM, filed.number, TransitionInput(
        action="derive", area="Subgerencia de Obras Privadas"))
    return hub, filed.tracking_code


@contextmanager
def central_beside(hub: OfficeHub, root: Path, clock: VirtualClock) -> Iterator[str]:
    """A central on a free loopback port that has had one sync round with `hub`: its address.
    The server, central and the hub are closed however the block ends."""
    central = CentralServer(f"sqlite:///{root / 'central.sqlite3'}", clock)
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = central_server(central, lifespan="off",
                            municipality="Municipalidad Provincial de Cajamarca")
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        client = CentralClient(url, token)
        try:
            HubSync(hub, client).run_round()
        finally:
            client.close()
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        central.close()
        hub.close()


def save_tracking_screenshots(folder: Path) -> list[Path]:
    """The page of a known code and of an unknown one; none without Chromium."""
    if chromium() is None:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cac-tracking-") as tmp:
        root = Path(tmp)
        clock = VirtualClock(NOW)
        hub, code = _sample_office(root, clock)
        with central_beside(hub, root, clock) as url:
            saved = [folder / "pagina-publica-tramite.png",
                     folder / "pagina-publica-no-encontrado.png",
                     folder / "pagina-publica-consulta.png",
                     folder / "pagina-publica-codigo-erroneo.png"]
            _photograph(f"{url}/t/{code}", saved[0], root / "chromium")
            _photograph(f"{url}/t/ABCDE-FGHJK-MNP", saved[1], root / "chromium")
            _photograph(f"{url}/", saved[2], root / "chromium")
            _photograph(f"{url}/t/?codigo=CAJ-2026-000123", saved[3], root / "chromium")
    return saved
