"""The touch kiosk against a real hub on loopback: tickets, preference, languages, procedures."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from kiosk.client.http import HttpHubClient
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.reclamo_views import ReclamoView
from kiosk.services.views import IssuedTicket, ProcedureView
from printing.layout import TicketWords
from tests.conftest import RunningHub, start_server, stop_server
from ui.kiosk.i18n import qm_path
from ui.kiosk.printer_port import PrintOutcome
from ui.kiosk.window import IDLE_MS, KioskWindow


@dataclass
class FakePrinter:
    """Records what the kiosk printed; `fail_with` makes the next prints fail."""

    tickets: list[tuple[str, str]] = field(default_factory=list)
    words: list[TicketWords] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    reclamos: list[str] = field(default_factory=list)
    fail_with: str | None = None

    def print_ticket(self, ticket: IssuedTicket, service_name: str, words: TicketWords
                     ) -> PrintOutcome:
        self.tickets.append((ticket.number, service_name))
        self.words.append(words)
        return self._outcome()

    def print_requirements(self, procedure: ProcedureView) -> PrintOutcome:
        self.requirements.append(procedure.code)
        return self._outcome()

    def print_reclamo(self, reclamo: ReclamoView) -> PrintOutcome:
        self.reclamos.append(reclamo.number)
        return self._outcome()

    def reprint(self, job_id: str) -> PrintOutcome:
        self.tickets.append(("REIMPRESIÓN", job_id))
        return self._outcome()

    def _outcome(self) -> PrintOutcome:
        if self.fail_with:
            return PrintOutcome(ok=False, message=self.fail_with, job_id="job")
        return PrintOutcome(ok=True, job_id="job")


@pytest.fixture
def printer() -> FakePrinter:
    return FakePrinter()


@pytest.fixture
def client(server: RunningHub, tokens: dict[str, str]) -> Iterator[HttpHubClient]:
    http = HttpHubClient(server.url, tokens["kiosk"], timeout=5)
    yield http
    http.close()


@pytest.fixture
def window(qtbot: QtBot, client: HttpHubClient, printer: FakePrinter) -> KioskWindow:
    kiosk = KioskWindow(client, printer)
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    kiosk.show()
    qtbot.waitUntil(lambda: kiosk.stack.currentWidget() is kiosk.start, timeout=10_000)
    return kiosk


def service_button(grid_owner: object, code: str) -> QToolButton:
    grid = grid_owner.services  # type: ignore[attr-defined]
    return next(b for b in grid.buttons() if b.property("service") == code)


def test_start_page_offers_every_active_service_with_its_short_word(
    window: KioskWindow, hub: OfficeHub
) -> None:
    words = {b.property("service"): b.text() for b in window.start.services.buttons()}
    assert set(words) == {s.code for s in hub.services(SYSTEM)}
    assert words["partidas"] == "Partidas" and words["orientacion"] == "Informes"
    assert window.start.office.text() == "CAC Cajamarca"
    assert "28683" in window.start.law.text()


def test_one_touch_gives_a_regular_ticket_and_prints_it(
    qtbot: QtBot, window: KioskWindow, printer: FakePrinter
) -> None:
    qtbot.mouseClick(service_button(window.start, "partidas"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=10_000)
    assert window.ticket.number.text() == "A-001"
    assert window.ticket.ahead.text() == "Personas delante: 0"
    assert printer.tickets == [("A-001", "Partidas")]
    assert "Retire su ticket" in window.ticket.printed.text()


def test_two_touches_give_a_preferential_ticket(
    qtbot: QtBot, window: KioskWindow, hub: OfficeHub, printer: FakePrinter
) -> None:
    qtbot.mouseClick(window.start.preferential_buttons["adulto_mayor"],
                     Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.preferential
    assert window.preferential.banner.text() == "Atención preferencial: Adulto mayor"
    qtbot.mouseClick(service_button(window.preferential, "caja"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=10_000)
    assert window.ticket.number.text() == "PC-001"
    assert "Adulto mayor" in window.ticket.service.text()
    ticket = hub.queue(SYSTEM)
    caja = next(s for s in ticket.services if s.service == "caja")
    assert caja.preferential_waiting == 1


# Ley 28683's four groups, as the kiosk words them (by hand, not from the code's table).
PREFERENTIAL_BUTTONS = {
    "gestante": "Gestante",
    "adulto_mayor": "Adulto mayor",
    "discapacidad": "Discapacidad",
    "nino": "Con niño",
}


def test_the_four_preferential_categories_are_offered(window: KioskWindow) -> None:
    buttons = window.start.preferential_buttons
    assert set(buttons) == set(PREFERENTIAL_BUTTONS)
    for category, word in PREFERENTIAL_BUTTONS.items():
        button = buttons[category]
        assert button.text() == word
        assert button.isVisible() and button.isEnabled(), category


@pytest.mark.parametrize("category", sorted(PREFERENTIAL_BUTTONS))
def test_each_preferential_button_gives_a_ticket_of_its_category(
    qtbot: QtBot, window: KioskWindow, hub: OfficeHub, category: str
) -> None:
    qtbot.mouseClick(window.start.preferential_buttons[category], Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.preferential
    word = PREFERENTIAL_BUTTONS[category]
    assert window.preferential.banner.text() == f"Atención preferencial: {word}"
    qtbot.mouseClick(service_button(window.preferential, "partidas"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=10_000)
    issued = window.ticket.ticket
    assert issued is not None and issued.number == "PA-001"
    assert hub.ticket(SYSTEM, issued.id).preferential == category  # what the hub recorded


def test_a_double_tap_gives_one_ticket(qtbot: QtBot, window: KioskWindow,
                                       printer: FakePrinter, hub: OfficeHub) -> None:
    button = service_button(window.start, "licencias")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=10_000)
    assert window._caller.wait_idle()
    licencias = next(s for s in hub.queue(SYSTEM).services
                     if s.service == "licencias")
    assert licencias.waiting == 1 and len(printer.tickets) == 1


def test_a_failed_print_still_shows_the_number_very_large(
    qtbot: QtBot, window: KioskWindow, printer: FakePrinter
) -> None:
    printer.fail_with = "La impresora no tiene papel"
    qtbot.mouseClick(service_button(window.start, "mesa"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=10_000)
    assert window.ticket.number.text() == "M-001"
    assert window.ticket.printed.property("failed") is True
    assert "Recuerde su número" in window.ticket.printed.text()
    assert window.ticket.number.font().pointSize() != 0  # the style gives it its own size
    assert window.ticket.number.sizeHint().height() > 3 * window.ticket.ahead.sizeHint().height()


@pytest.mark.parametrize(("code", "title", "word"), [
    ("qu", "Turnoykipaq trámiteykita ñit'iy", "Qullqi"),
    ("ay", "Turnomataki trámitema ch'iqt'am", "Qullqi"),
    ("en", "Touch your procedure to get a ticket", "Cashier"),
])
def test_one_touch_changes_the_language_and_idle_brings_spanish_back(
    qtbot: QtBot, window: KioskWindow, code: str, title: str, word: str
) -> None:
    qtbot.mouseClick(window.start.language_buttons[code], Qt.MouseButton.LeftButton)
    assert window.language == code
    assert window.start.title.text() == title
    assert service_button(window.start, "caja").text() == word
    assert window.start.language_buttons[code].isChecked()
    # Nobody touches the screen for the idle time: the next person finds Spanish.
    assert window._idle.interval() == IDLE_MS == 30_000
    window._idle.timeout.emit()
    assert window.language == "es"
    assert window.start.title.text() == "Toque su trámite para sacar turno"


@pytest.mark.parametrize("finish", ["listo", "ticket_time_out"])
def test_finishing_gives_the_next_person_spanish_at_once(
    qtbot: QtBot, window: KioskWindow, finish: str
) -> None:
    qtbot.mouseClick(window.start.language_buttons["qu"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(service_button(window.start, "caja"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=10_000)
    assert window.language == "qu" and window.ticket.done.text() != "Listo"
    window._idle.stop()  # not the 30 s idle reset: finishing alone brings Spanish back
    if finish == "listo":
        qtbot.mouseClick(window.ticket.done, Qt.MouseButton.LeftButton)
    else:
        window._ticket_timer.timeout.emit()  # nobody touched «Listo» in 20 s
    assert window.stack.currentWidget() is window.start
    assert window.language == "es"
    assert window.start.title.text() == "Toque su trámite para sacar turno"
    assert service_button(window.start, "caja").text() == "Caja"
    assert window.start.language_buttons["es"].isChecked()


def test_with_no_counter_open_the_kiosk_promises_no_wait(
    qtbot: QtBot, window: KioskWindow, hub: OfficeHub, printer: FakePrinter
) -> None:
    # Morning, before anyone opens: caja's ventanillas 4 and 5 are closed.
    qtbot.mouseClick(service_button(window.start, "caja"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=10_000)
    nobody = "En este momento ninguna ventanilla atiende este servicio."
    assert window.ticket.wait.text() == nobody
    assert printer.words[-1].no_counter == nobody  # and the ticket says the same
    qtbot.mouseClick(window.ticket.done, Qt.MouseButton.LeftButton)
    hub.open_counter(SYSTEM, 4)
    qtbot.mouseClick(service_button(window.start, "caja"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.ticket.number.text() == "C-002", timeout=10_000)
    assert window.ticket.wait.text().startswith("Espera aproximada: ")


def test_every_translation_file_is_there() -> None:
    from pathlib import Path

    for code in ("qu", "ay", "en"):
        assert Path(qm_path(code)).stat().st_size > 0


def test_a_touch_restarts_the_idle_countdown(qtbot: QtBot, window: KioskWindow) -> None:
    window._idle.stop()
    qtbot.mouseClick(window.start.preferential_buttons["gestante"], Qt.MouseButton.LeftButton)
    assert window._idle.isActive()
    window._idle.timeout.emit()
    assert window.stack.currentWidget() is window.start


def test_browse_a_procedure_and_print_its_requirements(
    qtbot: QtBot, window: KioskWindow, printer: FakePrinter
) -> None:
    qtbot.mouseClick(window.start.procedures, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.procedures, timeout=10_000)
    page = window.procedures
    assert page.list.count() == len(page.procedures) > 5
    row = next(i for i, p in enumerate(page.procedures) if p.category == "partida")
    page.list.setCurrentRow(row)
    chosen = page.procedures[row]
    detail = page.detail.text()
    assert chosen.name in detail and "Requisitos" in detail
    assert chosen.requirements[0].text in detail
    assert f"{chosen.fee_soles:,.2f}" in detail or "Gratuito" in detail
    qtbot.mouseClick(page.print_requirements, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: printer.requirements == [chosen.code], timeout=10_000)
    qtbot.waitUntil(lambda: "Retire" in page.status.text(), timeout=10_000)
    # "Sacar turno" from the procedure gives a ticket of the service that attends it.
    qtbot.mouseClick(page.take_ticket, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=10_000)
    assert window.ticket.ticket is not None
    assert window.ticket.ticket.service == chosen.service


def test_the_procedures_page_gives_the_deadline_in_working_days(
    qtbot: QtBot, window: KioskWindow, hub: OfficeHub
) -> None:
    qtbot.mouseClick(window.start.procedures, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.procedures, timeout=10_000)
    page = window.procedures
    deadlines = {p.code: p.deadline_working_days for p in hub.procedures(SYSTEM)}
    shown = {}
    for row, procedure in enumerate(page.procedures):
        page.list.setCurrentRow(row)
        shown[procedure.code] = page.detail.text()
    assert set(shown) == set(deadlines)
    for code, days in deadlines.items():
        if days:
            assert f"Plazo: {days} días hábiles" in shown[code], code
        else:
            assert "Se entrega el mismo día" in shown[code], code
    assert any(deadlines.values()) and not all(deadlines.values())  # both kinds were seen
    lf01 = next(row for row, p in enumerate(page.procedures) if p.code == "LF-01")
    page.list.setCurrentRow(lf01)
    window.set_language("en")
    try:
        assert f"Time limit: {deadlines['LF-01']} working days" in page.detail.text()
    finally:
        window.reset()  # the translator is the application's: later tests expect Spanish


def test_survives_the_hub_restarting(
    qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str], printer: FakePrinter
) -> None:
    running = start_server(hub)
    port = urlparse(running.url).port or 0
    http = HttpHubClient(running.url, tokens["kiosk"], timeout=2)
    kiosk = KioskWindow(http, printer)
    qtbot.addWidget(kiosk)
    kiosk.show()
    try:
        qtbot.waitUntil(lambda: kiosk.stack.currentWidget() is kiosk.start, timeout=10_000)
        stop_server(running)
        qtbot.mouseClick(service_button(kiosk.start, "partidas"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: kiosk.stack.currentWidget() is kiosk.waiting, timeout=10_000)
        assert kiosk.waiting.title.text() == "Un momento…"
        assert kiosk.last_error is not None and kiosk.last_error.code == "hub_unavailable"
        assert printer.tickets == []
        running = start_server(hub, port)
        kiosk._retry.timeout.emit()  # the retry timer, without waiting its 3 s
        qtbot.waitUntil(lambda: kiosk.stack.currentWidget() is kiosk.start, timeout=10_000)
        qtbot.mouseClick(service_button(kiosk.start, "partidas"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: kiosk.stack.currentWidget() is kiosk.ticket, timeout=10_000)
        assert kiosk.ticket.number.text() == "A-001"
    finally:
        kiosk.close()
        stop_server(running)
        http.close()


def test_every_page_fits_the_small_landscape_panel_without_scrolling(
    window: KioskWindow
) -> None:
    for page in window._pages():
        hint = page.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 768, (type(page).__name__, hint)
