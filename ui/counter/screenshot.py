"""Render the counter's screens to PNG files (for `make screenshots` and for review).

The window runs against a throwaway demo office in-process, logged in as the demo clerk, with
a printer that only records; each screen is reached the way a clerk would reach it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from kiosk.client.inprocess import InProcessHubClient
from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.expediente_views import CashClosing, ExpedienteView, PaymentView
from ui.counter.window import CounterOptions, CounterWindow
from ui.kiosk.printer_port import PrintOutcome
from ui.qt_app import application, process_events_until

SIZE = (1366, 768)
DEMO_CLERK = ("ana", "2468")
COUNTER = 3


class _RecordingPrinter:
    def __init__(self) -> None:
        self.printed: list[str] = []

    def print_cargo(self, expediente: ExpedienteView, reprint: bool = False) -> PrintOutcome:
        self.printed.append(f"cargo {expediente.number}")
        return PrintOutcome(ok=True)

    def save_cargo_pdf(self, expediente: ExpedienteView, reprint: bool = False) -> Path:
        return Path(tempfile.gettempdir()) / f"cargo-{expediente.number}.pdf"

    def save_partida_pdf(self, expediente: ExpedienteView) -> Path:
        return Path(tempfile.gettempdir()) / f"copia-{expediente.number}.pdf"

    def print_receipt(self, payment: PaymentView, expediente: ExpedienteView | None,
                      reprint: bool = False) -> PrintOutcome:
        self.printed.append(f"recibo {payment.receipt_number}")
        return PrintOutcome(ok=True)

    def print_closing(self, closing: CashClosing) -> PrintOutcome:
        self.printed.append("cierre")
        return PrintOutcome(ok=True)


def _wait(done: Callable[[], bool], what: str) -> None:
    if not process_events_until(done, 15_000):
        raise RuntimeError(f"counter screenshot: gave up waiting for {what}")


def save_counter_screenshots(directory: Path) -> list[Path]:
    application()
    directory.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        hub = OfficeHub.initialise(DataDir(Path(tmp)), "CAJ", "CAC Cajamarca", demo=True)
        _device, token = hub.add_device(SYSTEM, "Ventanilla 3 (capturas)", "counter")
        options = CounterOptions(refresh_ms=3_600_000, idle_lock_s=3_600, counter=COUNTER,
                                 open_files=False)
        window = CounterWindow(InProcessHubClient(hub, token), _RecordingPrinter(), options,
                               tz=hub.config.tz)
        try:
            window.resize(*SIZE)
            window.show()

            def shot(name: str) -> None:
                QCoreApplication.processEvents()
                path = directory / f"ventanilla-{name}.png"
                window.grab().save(str(path))
                saved.append(path)

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
                hub.issue_ticket(SYSTEM, service, preferential)
            window.queue_action("call", "")
            _wait(lambda: window.state.held_ticket is not None, "the call")
            window.queue_action("start", "")
            _wait(lambda: window.state.held_ticket is not None
                  and window.state.held_ticket.status == "serving", "the start")
            shot("turno")

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
            form.choose("RC-01")
            form.requirements.set_all(True)

            window.file_expediente()
            _wait(lambda: window.expediente.expediente is not None
                  or form.notice.kind == "error", "the filing")
            if window.expediente.expediente is None:
                raise RuntimeError(f"counter screenshot: filing refused: {form.notice.text()}")
            shot("expediente")

            window.ask_transition("observe")
            window.transition_form.note.setText("Falta la carta poder simple del tercero")
            shot("observar")
            window.area.show_page(window.expediente)

            window.ask_payment()
            window.payment_form.cash.setText("10.00")
            shot("cobro")
            window.pay()
            _wait(lambda: window.last_payment is not None, "the payment")

            window.open_search()
            window.search.query.setText("41234567")
            window.search_expedientes("41234567")
            _wait(lambda: window.search.model.rowCount() > 0, "the search")
            shot("buscar")

            window.open_cash()
            _wait(lambda: window.cash.closing is not None, "the cash closing")
            shot("cierre-caja")

            window.lock_screen()
            shot("bloqueo")
        finally:
            window.shutdown()
            window.close()
            hub.close()
    return saved
