"""Render the counter's screens to PNG files (for `make screenshots` and for review).

The window runs against a throwaway demo office in-process, logged in as the demo clerk, with
a printer that only records; each screen is reached the way a clerk would reach it. The cargo,
receipt and cierre the window would print are saved too, made by the counter's real printing
code on a PC with an empty data folder (the office's name, municipality and public address are
what its administrator saved in the hub) and previewed by the printing package
(`ventanilla-impresion-*.png`, 80 mm paper).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from functools import partial
from pathlib import Path

from PySide6.QtWidgets import QWidget

from kiosk.config import DataDir
from kiosk.demo_office import DemoOffice, Staging
from kiosk.services.admin_views import OfficeSettingsChange
from kiosk.services.expediente_views import (
    BusinessInput,
    CashClosing,
    EdificacionDetails,
    ExpedienteInput,
    ExpedienteView,
    FuncionamientoDetails,
    PartidaDetails,
    PaymentView,
    PersonInput,
)
from kiosk.services.reclamo_views import ReclamoView
from printing.preview import save_preview
from ui.capture import shooter
from ui.counter.printer import HubCounterPrinter
from ui.counter.window import CounterOptions, CounterWindow
from ui.files import set_file_dialogs
from ui.kiosk.printer_adapter import printer_config
from ui.kiosk.printer_port import PrintOutcome
from ui.qt_app import application, process_events_until

SIZE = (1366, 768)
PAPER_MM = 80
DEMO_CLERK = ("ana", "2468")
COUNTER = 3

# The window's screens (1366×768), in the order they are taken.
SCREENS = ("ingreso", "turno", "turno-transferir", "turno-finalizar", "nuevo-expediente",
           "nuevo-expediente-licencia", "nuevo-expediente-edificacion", "expediente",
           "observar", "derivar", "cobro", "adjuntos", "vincular-acta", "inspeccion", "dictamen",
           "buscar", "cierre-caja", "reclamo", "pausa", "bloqueo")
# What the counter's printer puts on paper (PAPER_MM wide previews).
PRINTS = ("cargo", "recibo", "cierre")


def screen_file(directory: Path, name: str) -> Path:
    return directory / f"ventanilla-{name}.png"


def print_file(directory: Path, name: str) -> Path:
    return directory / f"ventanilla-impresion-{name}.png"


class _ChosenFiles:
    """The file dialog's stand-in: the scans the clerk «chooses», one per call."""

    def __init__(self, files: list[Path]) -> None:
        self.files = files

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> Path | None:
        return self.files.pop(0) if self.files else None

    def save_file(self, parent: QWidget | None, title: str, suggested: str, filters: str
                  ) -> Path | None:
        return None  # the counter saves into its data dir, never through a dialog


class _RecordingPrinter:
    def __init__(self) -> None:
        self.printed: list[str] = []

    def print_cargo(self, expediente: ExpedienteView, reprint: bool = False) -> PrintOutcome:
        self.printed.append(f"cargo {expediente.number}")
        return PrintOutcome(ok=True)

    def save_cargo_pdf(self, expediente: ExpedienteView, reprint: bool = False) -> Path:
        return Path(tempfile.gettempdir()) / f"cargo-{expediente.number}.pdf"

    def save_partida_pdf(self, expediente: ExpedienteView, reprint: bool = False) -> Path:
        return Path(tempfile.gettempdir()) / f"copia-{expediente.number}.pdf"

    def save_constancia_pdf(self, expediente: ExpedienteView, reprint: bool = False) -> Path:
        return Path(tempfile.gettempdir()) / f"constancia-{expediente.number}.pdf"

    def print_receipt(self, payment: PaymentView, expediente: ExpedienteView | None,
                      reprint: bool = False) -> PrintOutcome:
        self.printed.append(f"recibo {payment.receipt_number}")
        return PrintOutcome(ok=True)

    def print_closing(self, closing: CashClosing, reprint: bool = False) -> PrintOutcome:
        self.printed.append("cierre")
        return PrintOutcome(ok=True)

    def closing_pdf(self, closing: CashClosing) -> bytes:
        return b""

    def print_reclamo(self, reclamo: ReclamoView) -> PrintOutcome:
        self.printed.append(f"hoja {reclamo.number}")
        return PrintOutcome(ok=True)


def _wait(done: Callable[[], bool], what: str) -> None:
    if not process_events_until(done, 15_000):
        raise RuntimeError(f"counter screenshot: gave up waiting for {what}")


def save_counter_screenshots(directory: Path) -> list[Path]:
    """Every screen of SCREENS and every print of PRINTS, in that order of the list."""
    application()
    directory.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        office = DemoOffice.create(Path(tmp))
        office.staging.change_office_settings(OfficeSettingsChange(  # as the admin window does
            municipality="Municipalidad Provincial de Cajamarca",
            public_url="https://tramites.cajamarca.gob.pe"))
        token = office.device("Ventanilla 3 (capturas)", "counter")
        counter_pc = DataDir(Path(tmp) / "ventanilla-pc")  # nothing of the office in it
        paper = HubCounterPrinter(office.client(token), replace(
            printer_config(counter_pc), printer_backend="dummy"), counter_pc.root)
        options = CounterOptions(refresh_ms=3_600_000, idle_lock_s=3_600, counter=COUNTER,
                                 open_files=False)
        window = CounterWindow(office.client(token), _RecordingPrinter(), options,
                               tz=office.tz)
        previous_dialogs = set_file_dialogs(_ChosenFiles([]))
        try:
            window.resize(*SIZE)
            window.show()

            shot = shooter(window, partial(screen_file, directory), saved)

            payment, closing = _flow(office.staging, window, shot, Path(tmp), paper)
            saved.extend(_prints(office.staging, paper, payment, closing, directory))
        finally:
            set_file_dialogs(previous_dialogs)
            window.shutdown()
            window.close()
            office.close()
    return saved


def _flow(staging: Staging, window: CounterWindow, shot: Callable[[str], None], tmp: Path,
          paper: HubCounterPrinter) -> tuple[PaymentView, CashClosing]:
    """Every screen of SCREENS; returns the payment and the cierre to preview as printed."""
    _wait(lambda: window.login.counter.count() > 0, "the counters")
    window.login.username.setText(DEMO_CLERK[0])
    window.login.secret.setText(DEMO_CLERK[1])
    shot("ingreso")
    window.login.submit()
    _wait(lambda: window.state.counter is not None
          and window.state.counter.state == "open", "the login")

    for service, preferential in (("partidas", "adulto_mayor"), ("partidas", None),
                                  ("partidas", None), ("licencias", None),
                                  ("caja", None), ("mesa", None)):
        staging.issue_ticket(service, preferential)
    window.queue_action("call", "")
    _wait(lambda: window.state.held_ticket is not None, "the call")
    window.queue_action("start", "")
    _wait(lambda: window.state.held_ticket is not None
          and window.state.held_ticket.status == "serving", "the start")
    shot("turno")
    window.queue.ask_transfer()
    shot("turno-transferir")
    window.queue.prompt.close_prompt()
    window.queue.ask_finish()
    shot("turno-finalizar")
    window.queue.prompt.close_prompt()

    form = window.form
    window.open_form()
    _wait(lambda: form.procedure.count() > 0, "the procedures")
    form.choose("RC-01")
    form.doc_number.setText("41234567")
    form.given_names.setText("María Elena")
    form.paternal.setText("Ñahui")
    form.maternal.setText("Quispe")
    form.phone.setText("976123456")
    form.partida.query.setText("Elmer Quispe")
    window.search_actas("Elmer Quispe", "nacimiento")
    _wait(lambda: form.partida.acta is not None, "the acta search")
    form.partida.relation.setCurrentIndex(form.partida.relation.findData("padre_madre"))
    form.requirements.set_all(True)
    form.requirements.setData(form.requirements.index(3), 0, 10)  # one not brought
    form.pages.setValue(2)
    shot("nuevo-expediente")

    form.choose("LF-02")
    form.ruc.setText("20123456786")
    form.business_name.setText("Bodega Doña Rosa S.A.C.")
    form.funcionamiento.address.setText("Jr. Amalia Puga 455, Cajamarca")
    form.funcionamiento.activity.setText("Bodega")
    form.funcionamiento.area.setValue(42.5)
    shot("nuevo-expediente-licencia")

    form.choose("LE-B")
    form.ruc.clear()
    form.business_name.clear()
    form.edificacion.address.setText("Av. Atahualpa 1020, Cajamarca")
    form.edificacion.description.setText("Vivienda de dos pisos y azotea")
    form.edificacion.professional.setText("Arq. Lucía Cabrera Vega")
    form.edificacion.registration.setText("CAP 12345")
    form.requirements.set_all(True)
    shot("nuevo-expediente-edificacion")
    form.choose("RC-01")
    form.requirements.set_all(True)

    window.file_expediente()
    _wait(lambda: window.expediente.expediente is not None
          or form.notice.kind == "error", "the filing")
    filed = window.expediente.expediente
    if filed is None:
        raise RuntimeError(f"counter screenshot: filing refused: {form.notice.text()}")
    shot("expediente")

    window.ask_transition("observe")
    window.transition_form.note.setText("Falta la carta poder simple del tercero")
    shot("observar")
    window.area.show_page(window.expediente)
    window.ask_transition("derive")
    window.transition_form.area.setCurrentText("Archivo Central")
    window.transition_form.note.setText("Para ubicar el libro 12 del año 1990")
    shot("derivar")
    window.area.show_page(window.expediente)

    window.ask_payment()
    window.payment_form.cash.setText("10.00")
    shot("cobro")
    window.pay()
    _wait(lambda: window.last_payment is not None, "the payment")

    scans = [tmp / "Solicitud firmada — Ñahui.pdf", tmp / "Constancia escaneada.png"]
    scans[0].write_bytes(paper.cargo_pdf(filed))
    save_preview(paper.cargo_layout(filed), scans[1], width_mm=58)
    set_file_dialogs(_ChosenFiles(list(scans)))
    def attached(count: int) -> Callable[[], bool]:
        return lambda: window.expediente.expediente is not None \
            and len(window.expediente.expediente.attachments) == count

    for count in range(1, len(scans) + 1):
        window.attach_file()
        _wait(attached(count), "the attachment")
    shot("adjuntos")

    # A partida filed "asking for a search": the archive found the acta; link it.
    searching = staging.file_expediente(ExpedienteInput(
        procedure="RC-01", requirements_presented=[1, 2, 3, 4],
        person=PersonInput(doc_number="41234567", given_names="María Elena",
                           paternal_surname="Ñahui", maternal_surname="Quispe"),
        details=PartidaDetails(search_note="Hijo Elmer, nacido en Cajamarca hacia 2012",
                               relation="padre_madre")))
    window.open_expediente(searching.number)
    _wait(lambda: window.expediente.expediente is not None
          and window.expediente.expediente.number == searching.number, "the search partida")
    window.ask_transition("link_acta")
    picker = window.transition_form.acta_picker
    picker.query.setText("Elmer Quispe")
    window.search_actas_to_link("Elmer Quispe", "nacimiento")
    _wait(lambda: picker.acta is not None, "the acta to link")
    window.transition_form.note.setText("Ubicada por el archivo central")
    shot("vincular-acta")

    licence = _high_risk_licence(staging)
    window.open_expediente(licence.number)
    _wait(lambda: window.expediente.expediente is not None
          and window.expediente.expediente.number == licence.number, "the licence")
    window.ask_transition("inspect")
    window.transition_form.note.setText("Extintor vigente, señalización y luces de emergencia")
    window.transition_form.certificate_number.setText("ITSE-0789-2026")
    shot("inspeccion")

    project = _edificacion_c(staging)  # the Comisión Técnica's dictamen (record 37)
    window.open_expediente(project.number)
    _wait(lambda: window.expediente.expediente is not None
          and window.expediente.expediente.number == project.number, "the edificación C")
    window.ask_transition("review")
    review = window.transition_form
    review.dictamen.setCurrentIndex(review.dictamen.findData("conforme_con_observaciones"))
    review.note.setText("Levantar en obra la observación de la cisterna")
    shot("dictamen")

    window.open_search()
    window.search.query.setText("41234567")
    window.search_expedientes("41234567")
    _wait(lambda: window.search.model.rowCount() > 0, "the search")
    shot("buscar")

    window.open_cash()
    _wait(lambda: window.cash.closing is not None, "the cash closing")
    shot("cierre-caja")
    payment, closing = window.last_payment, window.cash.closing
    if payment is None or closing is None:
        raise RuntimeError("counter screenshot: no payment or cierre to preview")

    window.open_reclamo()
    hoja = window.area.reclamo_form
    hoja.category.setCurrentIndex(hoja.category.findData("trato_profesional"))
    hoja.doc_number.setText("41234567")
    hoja.full_name.setText("José Ñique Chávez")
    hoja.address.setText("Jr. Lima 123, Cajamarca")
    hoja.description.setPlainText("En la ventanilla 2 no me quisieron dar información sobre "
                                  "los requisitos de la licencia.")
    hoja.request.setPlainText("Que me expliquen los requisitos por escrito.")
    shot("reclamo")

    window.queue_action("finish", "atendido")
    _wait(lambda: window.state.held_ticket is None, "the finish")
    window.queue.pause.click()
    _wait(lambda: window.queue.prompt.isVisible(), "the pause prompt")
    shot("pausa")
    window.queue.prompt.close_prompt()

    window.lock_screen()
    shot("bloqueo")
    return payment, closing


def _high_risk_licence(staging: Staging) -> ExpedienteView:
    """A licencia de funcionamiento of riesgo alto: the ITSE comes before the licence."""
    procedure = staging.procedure("LF-03")
    return staging.file_expediente(ExpedienteInput(
        procedure="LF-03", requirements_presented=[r.number for r in procedure.requirements],
        person=PersonInput(doc_number="41234567", given_names="María Elena",
                           paternal_surname="Ñahui", maternal_surname="Quispe"),
        business=BusinessInput(ruc="20123456786", name="Restaurante El Cumbe S.A.C.",
                               address="Jr. Del Comercio 640, Cajamarca"),
        details=FuncionamientoDetails(establishment_address="Jr. Del Comercio 640, Cajamarca",
                                      activity="Restaurante con 40 mesas",
                                      area_m2=Decimal("180.00"), risk="alto")))


def _edificacion_c(staging: Staging) -> ExpedienteView:
    """A licencia de edificación C, reviewed by the Comisión Técnica before the licence."""
    procedure = staging.procedure("LE-C")
    return staging.file_expediente(ExpedienteInput(
        procedure="LE-C", requirements_presented=[r.number for r in procedure.requirements],
        person=PersonInput(doc_number="41234567", given_names="María Elena",
                           paternal_surname="Ñahui", maternal_surname="Quispe"),
        details=EdificacionDetails(modalidad="C", work_address="Jr. Amalia Puga 455",
                                   description="Edificio de cinco pisos",
                                   professional_name="Arq. Lucía Cabrera Vega",
                                   professional_registration="CAP 12345")))


def _prints(staging: Staging, paper: HubCounterPrinter, payment: PaymentView,
            closing: CashClosing, directory: Path) -> list[Path]:
    """The cargo, receipt and cierre of the flow, as the counter's 80 mm printer prints them."""
    expediente = staging.expediente(payment.expediente_number)
    layouts = {
        "cargo": paper.cargo_layout(expediente),
        "recibo": paper.receipt_layout(payment, expediente),
        "cierre": paper.closing_layout(closing),
    }
    saved = []
    for name in PRINTS:
        path = print_file(directory, name)
        save_preview(layouts[name], path, width_mm=PAPER_MM)
        saved.append(path)
    return saved
