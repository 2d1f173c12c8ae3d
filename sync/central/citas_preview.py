"""`make screenshots`: central's public booking page (`/citas`) as a phone shows it.

A throwaway demo office takes citas for licencias, delegates a place of each Monday slot to
a throwaway SQLite central on loopback and syncs; Chromium (sync/central/page_preview.py)
photographs the steps — the office, the service, the form with the free hours — and, saved
as a file, the answer with the booking code (a POST's answer has no address of its own);
then `/citas/mi-cita`: the code and DNI, the booking with the hours to move it to and the
button to cancel it, and the answer once cancelled (decision record 48).
"""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path

import requests

from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.cita_views import CitaDelegationInput, CitaPlanInput
from sync.central.page_preview import NOW, _photograph, central_beside, chromium

MONDAY = date(2026, 11, 23)


def save_citas_screenshots(folder: Path) -> list[Path]:
    """The three steps, the booked answer, and cancelling it; none without Chromium."""
    if chromium() is None:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cac-citas-") as tmp:
        root = Path(tmp)
        clock = VirtualClock(NOW)
        hub = OfficeHub.initialise(DataDir(root / "office"), "CAJ", "CAC Cajamarca",
                                   demo=True, clock=clock)
        hub.set_cita_plan(SYSTEM, "licencias", CitaPlanInput(slot_minutes=60,
                                                             walkin_percent=50))
        hub.delegate_citas(SYSTEM, "licencias", CitaDelegationInput(day=MONDAY, places=1))
        with central_beside(hub, root, clock) as url:
            saved = [folder / f"pagina-publica-citas-{name}.png"
                     for name in ("oficina", "tramite", "horas", "reservada")]
            _photograph(f"{url}/citas", saved[0], root / "chromium")
            _photograph(f"{url}/citas?oficina=CAJ", saved[1], root / "chromium")
            _photograph(f"{url}/citas?oficina=CAJ&servicio=licencias", saved[2],
                        root / "chromium")
            browser = requests.Session()
            form = browser.get(f"{url}/citas?oficina=CAJ&servicio=licencias", timeout=10).text
            token_found = re.search(r'name="token" value="([^"]+)"', form)
            hours = re.findall(r'name="hora" value="([^"]+)"', form)
            assert token_found is not None and hours
            done = browser.post(f"{url}/citas", timeout=10, data={
                "token": token_found.group(1), "oficina": "CAJ", "servicio": "licencias",
                "hora": hours[1], "dni": "10117410", "nombre": "Juan Carlos Quispe Mamani"})
            code = re.search(r'data-code="([^"]+)"', done.text)
            assert code is not None
            mine = [folder / f"pagina-publica-citas-{name}.png"
                    for name in ("mi-cita", "mi-cita-horas", "mi-cita-cancelada")]
            _photograph(f"{url}/citas/mi-cita", mine[0], root / "chromium")
            search = browser.get(f"{url}/citas/mi-cita", timeout=10).text
            token_found = re.search(r'name="token" value="([^"]+)"', search)
            assert token_found is not None
            asked = {"token": token_found.group(1), "codigo": code.group(1), "dni": "10117410"}
            seen = browser.post(f"{url}/citas/mi-cita", timeout=10,
                                data={**asked, "accion": "ver"})
            cancelled = browser.post(f"{url}/citas/mi-cita", timeout=10,
                                     data={**asked, "accion": "cancelar"})
            for answer, name, target in ((done, "reservada", saved[3]),
                                         (seen, "mi-cita-horas", mine[1]),
                                         (cancelled, "mi-cita-cancelada", mine[2])):
                page = root / f"{name}.html"
                page.write_text(answer.text, encoding="utf-8")
                _photograph(page.as_uri(), target, root / "chromium")
    return saved + mine
