"""Render the kiosk's screens to PNG files (for `make screenshots` and for review).

The kiosk runs against a throwaway demo office in-process, with a printer that only records.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from kiosk.client.base import HubClient
from kiosk.demo_office import DemoOffice
from kiosk.services.cita_views import CitaInput, CitaPlanInput
from kiosk.services.expediente_views import ExpedienteInput, PartidaDetails, PersonInput
from kiosk.services.reclamo_views import ReclamoView
from kiosk.services.views import IssuedTicket, ProcedureView
from printing.layout import TicketWords
from ui.capture import shooter
from ui.kiosk.printer_port import PrintOutcome
from ui.kiosk.window import KioskWindow, free_days
from ui.qt_app import application, process_events_until

CITA_SERVICE = "licencias"  # served by two counters in the demo office
# The smallest screen the kiosk ships on too (tests/ui/test_kiosk_layout.py checks all five).
SIZES = {"portrait": (1080, 1920), "landscape": (1366, 768), "small": (1024, 768)}


class _RecordingPrinter:
    def __init__(self) -> None:
        self.fail = False

    def print_ticket(self, ticket: IssuedTicket, service_name: str, words: TicketWords
                     ) -> PrintOutcome:
        if self.fail:
            return PrintOutcome(ok=False, message="La impresora no tiene papel", job_id="j1")
        return PrintOutcome(ok=True)

    def print_requirements(self, procedure: ProcedureView) -> PrintOutcome:
        return PrintOutcome(ok=True)

    def print_reclamo(self, reclamo: ReclamoView) -> PrintOutcome:
        return PrintOutcome(ok=True)

    def reprint(self, job_id: str) -> PrintOutcome:
        return PrintOutcome(ok=True, job_id=job_id)


def save_kiosk_screenshots(directory: Path) -> list[Path]:
    application()
    directory.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        office = DemoOffice.create(Path(tmp))
        token = office.device("Quiosco (capturas)", "kiosk")
        printer = _RecordingPrinter()
        filed = office.staging.file_expediente(ExpedienteInput(
            procedure="RC-01", requirements_presented=[1, 5],
            person=PersonInput(doc_number="45678912", given_names="Rosa Elena",
                               paternal_surname="Chuquimango", maternal_surname="Tafur"),
            details=PartidaDetails(search_note="Nacida en Cajamarca en 1961")))
        # Caja is served (its ticket shows a wait); nobody serves Partidas yet (it says so).
        office.staging.open_counter(4)
        office.staging.set_cita_plan(CITA_SERVICE, CitaPlanInput(slot_minutes=60,
                                                                 walkin_percent=50))
        try:
            for index, (shape, (width, height)) in enumerate(SIZES.items()):
                # A kiosk has one shape: each gets its own window, as a real one starts.
                client = office.client(token)
                window = KioskWindow(client, printer)
                try:
                    window.resize(width, height)
                    window.show()
                    process_events_until(partial(_on_start, window))
                    saved += _shape_shots(window, shape, directory, printer, filed.number)
                    document = f"4567891{index}"
                    saved += _change_shots(window, shape, directory,
                                           _booked(client, document), document)
                finally:
                    window.close()
        finally:
            office.close()
    return saved


def _on_start(window: KioskWindow) -> bool:
    return window.stack.currentWidget() is window.start


def _shape_shots(window: KioskWindow, shape: str, directory: Path,
                 printer: _RecordingPrinter, number: str) -> list[Path]:
    saved: list[Path] = []
    shot = shooter(window, lambda name: directory / f"kiosk-{name}-{shape}.png", saved)

    for language in ("es", "qu", "ay", "en"):
        window.set_language(language)
        shot(f"inicio-{language}")
    window.set_language("es")
    window.choose_preferential("adulto_mayor")
    shot("preferencial")
    window.issue("partidas", "adulto_mayor")
    process_events_until(lambda: window.stack.currentWidget() is window.ticket)
    shot("turno")
    printer.fail = True
    window.issue("caja")
    process_events_until(lambda: window.stack.currentWidget() is window.ticket
            and window.ticket.outcome is not None
            and not window.ticket.outcome.ok)
    shot("turno-sin-papel")
    printer.fail = False
    window.open_procedures()
    process_events_until(lambda: window.stack.currentWidget() is window.procedures)
    page = window.procedures
    row = next((i for i, p in enumerate(page.procedures)
                if p.category == "licencia_funcionamiento"), 0)
    page.list.setCurrentRow(row)
    shot("tramites")
    window.open_status()
    for key in number.rsplit("-", 1)[1].lstrip("0"):
        window.status_page.press(key)
    window.look_up_expediente()
    process_events_until(lambda: window.status_page.found is not None)
    shot("consultar")
    window.go_home()
    window.open_reclamos()
    shot("reclamos")
    reclamos = window.reclamo_page
    reclamos.choose("tiempo_atencion")
    for field, text in ((reclamos.doc_number, "41234567"),
                        (reclamos.full_name, "María Quispe Ñahui"),
                        (reclamos.email, "maria@example.pe")):
        field.setText(text)
    reclamos.description.setPlainText("Esperé dos horas y dos ventanillas estaban cerradas.")
    shot("reclamo-formulario")
    reclamos.send.click()
    process_events_until(lambda: reclamos.filed is not None)
    shot("reclamo-registrado")
    window.open_cita()
    for key in "45678912":
        window.cita_page.press(key)
    shot("cita")
    window.check_in_cita()  # nobody booked: the hub's answer on the page
    process_events_until(lambda: window.cita_page.problem is not None)
    shot("cita-sin-reserva")
    return saved


def _booked(client: HubClient, document: str) -> str:
    """A cita booked at the kiosk at the first free hour from tomorrow: its code."""
    first = free_days(client, CITA_SERVICE, date.today() + timedelta(days=1))[0]
    slot = next(s for s in first.slots if s.free)
    return client.book_cita(CitaInput(service=CITA_SERVICE, start=slot.start,
                                      document=document, name="Rosa Quispe")).code


def _change_shots(window: KioskWindow, shape: str, directory: Path, code: str,
                  document: str) -> list[Path]:
    """«Cambiar la hora de mi cita»: the DNI, the days, the hours, the confirmation, done."""
    saved: list[Path] = []
    shot = shooter(window, lambda name: directory / f"kiosk-{name}-{shape}.png", saved)

    window.go_home()
    window.open_cita()
    for key in code.removeprefix("C-"):
        window.cita_page.press(key)
    window.cita_page.start_change()
    for key in document:
        window.cita_page.press(key)
    shot("cita-cambiar-dni")
    window.open_change()
    hours = window.booking
    process_events_until(lambda: window.stack.currentWidget() is hours)
    shot("cita-cambiar-dia")
    hours._buttons[-1].click()  # the last day offered
    shot("cita-cambiar-hora")
    hours._buttons[-1].click()  # its last free hour
    shot("cita-cambiar-confirmar")
    hours.advance()
    process_events_until(lambda: hours.booked is not None)
    shot("cita-cambiada")
    window.reset()
    return saved
