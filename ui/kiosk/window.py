"""The citizen's touch kiosk: a ticket in one or two touches, procedures, four languages.

Every hub call runs off the GUI thread (HubCaller); while the hub is unreachable the kiosk
shows a calm "Un momento…" page and retries by itself. «Listo» on the ticket (or the ticket's
20 s, or 30 s without a touch) goes back to the start page in Spanish, ready for the next person.
The printed ticket speaks the language the person chose (`ticket_words`).
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QScroller,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.client.base import HubClient
from kiosk.clock import Clock, SystemClock
from kiosk.errors import CacError, HubUnavailable, NotFound
from kiosk.rules.queue import PREFERENTIAL_CATEGORIES
from kiosk.services.cita_views import (
    CheckInInput,
    CitaCancel,
    CitaChange,
    CitaCheckIn,
    CitaDayView,
    CitaInput,
    CitaPlanView,
    CitaProof,
    CitaView,
)
from kiosk.services.expediente_views import PublicStatus
from kiosk.services.reclamo_views import (
    ReclamoDraftInput,
    ReclamoInput,
    ReclamoView,
    SuggestionInput,
)
from kiosk.services.signing_views import StatementCheck
from kiosk.services.views import HealthView, IssuedTicket, ProcedureView, ServiceView
from printing.layout import TicketWords
from ui.hub_calls import HubCaller
from ui.kiosk.booking_page import BookingPage, Step
from ui.kiosk.cita_page import CitaPage
from ui.kiosk.i18n import LANGUAGES, SOURCE_LANGUAGE, LanguageSwitcher
from ui.kiosk.printer_port import KioskPrinter, PrintOutcome
from ui.kiosk.reclamo_page import ReclamoPage
from ui.kiosk.status_page import StatusPage
from ui.kiosk.style import KIOSK_STYLE
from ui.kiosk.widgets import (
    BigButton,
    ButtonGrid,
    WrappingList,
    connect_click,
    page_button,
    page_label,
)
from ui.sync_status import SyncStatusLabel

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

IDLE_MS = 30_000
# «Reservar cita»: the days looked at from tomorrow, and the most offered.
BOOKING_DAYS_LOOKED = 14
BOOKING_DAYS_SHOWN = 6
# The hub's refusals of a change that are about the hour chosen: the hours are shown again.
HOUR_GONE = frozenset({"slot_full", "slot_past", "no_such_slot", "cita_day_closed",
                       "invalid_cita_day"})
TICKET_SHOWN_MS = 20_000
RETRY_MS = 3_000

RECLAMOS_WORD = "Reclamos"
HELP_SERVICE = "orientacion"  # where a clerk helps to file a reclamo at the counter

PREFERENTIAL = tuple(PREFERENTIAL_CATEGORIES)  # the categories of Ley 28683, in law's order


def preferential_word(category: str) -> str:
    words = {
        "gestante": translate("Kiosk", "Gestante"),
        "adulto_mayor": translate("Kiosk", "Adulto mayor"),
        "discapacidad": translate("Kiosk", "Discapacidad"),
        "nino": translate("Kiosk", "Con niño"),
    }
    return words.get(category, category)


def service_word(service: ServiceView) -> str:
    """One short word per known service; other services keep the name the office gave them."""
    words = {
        "partidas": translate("Kiosk", "Partidas"),
        "licencias": translate("Kiosk", "Licencias"),
        "caja": translate("Kiosk", "Caja"),
        "orientacion": translate("Kiosk", "Informes"),
        "mesa": translate("Kiosk", "Documentos"),
    }
    return words.get(service.code, service.name)


def wait_text(low: int, high: int) -> str:
    if high <= 0:
        return translate("Kiosk", "Será atendido en breve")
    return translate("Kiosk", "Espera aproximada: %1 a %2 minutos").replace(
        "%1", str(low)).replace("%2", str(high))


def no_counter_text() -> str:
    return translate("Kiosk", "En este momento ninguna ventanilla atiende este servicio.")


def ticket_words() -> TicketWords:
    """The printed ticket's words in the kiosk's current language (read on the GUI thread)."""
    return TicketWords(
        people_ahead=translate("Kiosk", "Personas delante: %1"),
        wait_range=translate("Kiosk", "Espera estimada: %1–%2 min"),
        wait_minutes=translate("Kiosk", "Espera estimada: %1 min"),
        wait_short=translate("Kiosk", "Espera estimada: pocos minutos"),
        no_counter=no_counter_text(),
        preferential=translate("Kiosk", "ATENCIÓN PREFERENCIAL – %1"),
        categories={category: preferential_word(category) for category in PREFERENTIAL},
        call=translate("Kiosk", "Espere su llamado en la pantalla"),
        reprint=translate("Kiosk", "REIMPRESIÓN"),
    )


def free_days(client: HubClient, service: str, first: date) -> list[CitaDayView]:
    """The next days from `first` with a free place of `service` (off the GUI thread)."""
    found: list[CitaDayView] = []
    for offset in range(BOOKING_DAYS_LOOKED):
        day = client.cita_slots(service, first + timedelta(days=offset))
        if any(slot.free for slot in day.slots):
            found.append(day)
        if len(found) == BOOKING_DAYS_SHOWN:
            break
    return found


def fee_text(fee: Decimal | None) -> str:
    if fee is None:  # a fee in % of this year's UIT, not published yet
        return translate("Kiosk", "Tasa por confirmar")
    if fee == 0:
        return translate("Kiosk", "Gratuito")
    return translate("Kiosk", "Costo: S/ %1").replace("%1", f"{fee:,.2f}")


def appeals_text(procedure: ProcedureView) -> str:
    """Who decides and the appeals, small under the requirements; "" when not in the TUPA."""
    if not procedure.authority:
        return ""
    parts = [translate("Kiosk", "Resuelve: %1").replace("%1", procedure.authority)]
    if procedure.appeals:
        days = translate("Kiosk", "%1 días hábiles")
        parts.append(translate("Kiosk", "Recursos: %1").replace("%1", ", ".join(
            f"{a.name} ({days.replace('%1', str(a.filing_working_days))})"
            for a in procedure.appeals)))
    return f"<p><small>{'<br>'.join(parts)}</small></p>"


def deadline_text(days: int) -> str:
    if days == 0:
        return translate("Kiosk", "Se entrega el mismo día")
    return translate("Kiosk", "Plazo: %1 días hábiles").replace("%1", str(days))


class StartPage(QWidget):
    """Services (one touch for a ticket), preferential choice, procedures, languages."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        # Tight margins: at 1024x768 every pixel of height goes to pictograms and words.
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(10)
        languages = QHBoxLayout()
        self.office = page_label("office", wrap=False)
        self.office.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        languages.addWidget(self.office, 1)
        self.language_buttons: dict[str, QPushButton] = {}
        for language in LANGUAGES:
            button = page_button("language")
            button.setText(language.label)
            button.setCheckable(True)
            self.language_buttons[language.code] = button
            languages.addWidget(button)
        layout.addLayout(languages)
        self.title = page_label("title")
        layout.addWidget(self.title)
        self.services = ButtonGrid()
        layout.addWidget(self.services, 5)
        self.preferential_title = page_label("preferentialTitle")
        layout.addWidget(self.preferential_title)
        row = QHBoxLayout()
        row.setSpacing(12)
        self.preferential_buttons: dict[str, BigButton] = {}
        for category in PREFERENTIAL:
            pictogram = BigButton(category, "preferential", font_px=26)
            self.preferential_buttons[category] = pictogram
            row.addWidget(pictogram)
        BigButton.share_arrangement(list(self.preferential_buttons.values()))
        layout.addLayout(row, 2)
        self.law = page_label("law")
        layout.addWidget(self.law)
        bottom = QHBoxLayout()
        bottom.setSpacing(12)
        self.procedures = BigButton("tramites", "secondary", font_px=30, icon_share=0.8,
                                    beside=True)
        self.procedures.setMaximumHeight(150)
        bottom.addWidget(self.procedures)
        self.consult = BigButton("consultar", "secondary", font_px=30, icon_share=0.8,
                                 beside=True)
        self.consult.setMaximumHeight(150)
        bottom.addWidget(self.consult)
        # The Libro de Reclamaciones and the suggestions box (ui/kiosk/reclamo_page.py); its
        # word is the same in every language: the hoja is a legal document in Spanish.
        self.reclamos = BigButton("reclamos", "secondary", font_px=30, icon_share=0.8,
                                  beside=True)
        self.reclamos.setMaximumHeight(150)
        bottom.addWidget(self.reclamos)
        self.cita = BigButton("cita", "secondary", font_px=30, icon_share=0.8, beside=True)
        self.cita.setMaximumHeight(150)
        bottom.addWidget(self.cita)
        BigButton.share_arrangement([self.procedures, self.consult, self.reclamos, self.cita])
        layout.addLayout(bottom, 1)

    def retranslate(self) -> None:
        self.title.setText(translate("Kiosk", "Toque su trámite para sacar turno"))
        self.preferential_title.setText(translate("Kiosk", "Atención preferencial"))
        self.law.setText(translate(
            "Kiosk", "Ley 28683: gestantes, adultos mayores, personas con discapacidad y "
                     "niños o quienes los cargan son atendidos primero."))
        for category, button in self.preferential_buttons.items():
            button.setText(preferential_word(category))
        self.procedures.setText(translate("Kiosk", "Trámites"))
        self.consult.setText(translate("Kiosk", "Consultar"))
        self.reclamos.setText(RECLAMOS_WORD)
        self.cita.setText(translate("Kiosk", "Tengo cita"))


class ServicesPage(QWidget):
    """The second touch of a preferential ticket: the service, under a clear banner."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 24, 36, 24)
        layout.setSpacing(18)
        self.banner = page_label("banner")
        layout.addWidget(self.banner)
        self.title = page_label("title")
        layout.addWidget(self.title)
        self.services = ButtonGrid()
        layout.addWidget(self.services, 5)
        self.back = page_button("back")
        layout.addWidget(self.back)
        self.category = ""

    def retranslate(self) -> None:
        self.banner.setText(translate("Kiosk", "Atención preferencial: %1").replace(
            "%1", preferential_word(self.category)))
        self.title.setText(translate("Kiosk", "Toque su trámite"))
        self.back.setText(translate("Kiosk", "Volver"))


class TicketPage(QWidget):
    """The number, very large: also what the person copies down when the printer failed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 36, 36, 36)
        self.heading = page_label("heading")
        self.number = page_label("ticketNumber", wrap=False)
        self.service = page_label("ticketService")
        self.ahead = page_label("ticketInfo")
        self.wait = page_label("ticketInfo")
        self.printed = page_label("printStatus")
        self.done = page_button("primary")
        self.reprint = page_button("back")
        self.reprint.hide()
        for widget in (self.heading, self.number, self.service, self.ahead, self.wait,
                       self.printed):
            layout.addWidget(widget)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reprint)
        buttons.addWidget(self.done)
        layout.addLayout(buttons)
        self.ticket: IssuedTicket | None = None
        self.service_name = ""
        self.outcome: PrintOutcome | None = None
        self.note: str | None = None  # a cita's: when it is called, instead of the estimate

    def show_ticket(self, ticket: IssuedTicket, service_name: str,
                    outcome: PrintOutcome | None, note: str | None = None) -> None:
        self.ticket, self.service_name, self.outcome = ticket, service_name, outcome
        self.note = note
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(translate("Kiosk", "Su turno"))
        self.done.setText(translate("Kiosk", "Listo"))
        self.reprint.setText(translate("Kiosk", "Imprimir de nuevo"))
        self.reprint.setVisible(self.outcome is not None and not self.outcome.ok
                                and self.outcome.job_id is not None)
        ticket = self.ticket
        if ticket is None:
            return
        self.number.setText(ticket.number)
        service = self.service_name
        if ticket.preferential:
            service += " · " + preferential_word(ticket.preferential)
        self.service.setText(service)
        self.ahead.setText(translate("Kiosk", "Personas delante: %1").replace(
            "%1", str(ticket.ahead)) if self.note is None else self.note)
        # With no counter open the estimate would promise what nobody keeps: say it plainly.
        nobody = ticket.counters_open == 0
        self.wait.setText(no_counter_text() if nobody else wait_text(*ticket.estimated_wait_min))
        self.wait.setVisible(self.note is None)
        self.wait.setProperty("notice", nobody)
        self.wait.style().unpolish(self.wait)
        self.wait.style().polish(self.wait)
        if self.outcome is None:
            self.printed.setText(translate("Kiosk", "Imprimiendo…"))
            self.printed.setProperty("failed", False)
        elif self.outcome.ok:
            self.printed.setText(translate("Kiosk", "Retire su ticket y espere su llamado en "
                                                    "la pantalla"))
            self.printed.setProperty("failed", False)
        else:
            self.printed.setText(translate("Kiosk", "No se pudo imprimir el ticket. Recuerde "
                                                    "su número y espere su llamado en la "
                                                    "pantalla."))
            self.printed.setProperty("failed", True)
        self.printed.style().unpolish(self.printed)
        self.printed.style().polish(self.printed)


class ProceduresPage(QWidget):
    """Requirements, fee and deadline of each procedure; print the list or take a ticket."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 24, 36, 24)
        layout.setSpacing(14)
        self.title = page_label("title")
        layout.addWidget(self.title)
        body = QHBoxLayout()
        self.list = WrappingList()
        self.list.setObjectName("procedures")
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        body.addWidget(self.list, 2)
        self.detail = QLabel()
        self.detail.setObjectName("procedureDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.detail)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A finger drags the lists like on a phone; no need to hit a thin scroll bar.
        for area in (self.list.viewport(), scroll.viewport()):
            QScroller.grabGesture(area, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        body.addWidget(scroll, 3)
        layout.addLayout(body, 1)
        self.status = page_label("printStatus")
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.back = page_button("back")
        self.print_requirements = page_button("primary")
        self.take_ticket = page_button("primary")
        for button in (self.back, self.print_requirements, self.take_ticket):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.procedures: list[ProcedureView] = []
        self.current: ProcedureView | None = None
        self.list.currentRowChanged.connect(self._select)

    def set_procedures(self, procedures: list[ProcedureView]) -> None:
        self.procedures = procedures
        self.list.clear()
        for procedure in procedures:
            self.list.addItem(QListWidgetItem(procedure.name))
        self.list.fit_items()
        self.list.setCurrentRow(0 if procedures else -1)
        self._select(self.list.currentRow())

    def _select(self, row: int) -> None:
        self.current = self.procedures[row] if 0 <= row < len(self.procedures) else None
        self.status.clear()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(translate("Kiosk", "Trámites: requisitos, costo y plazo"))
        self.back.setText(translate("Kiosk", "Volver"))
        self.print_requirements.setText(translate("Kiosk", "Imprimir requisitos"))
        self.take_ticket.setText(translate("Kiosk", "Sacar turno"))
        procedure = self.current
        self.print_requirements.setEnabled(procedure is not None)
        self.take_ticket.setEnabled(procedure is not None and procedure.service is not None)
        if procedure is None:
            self.detail.setText(translate("Kiosk", "No hay trámites para mostrar."))
            return
        items = "".join(
            f"<li>{req.text}{'' if req.mandatory else ' *'}</li>"
            for req in procedure.requirements)
        optional = any(not req.mandatory for req in procedure.requirements)
        only_some = translate("Kiosk", "Solo en algunos casos")
        requirements = translate("Kiosk", "Requisitos")
        note = f"<p><small>* {only_some}</small></p>" if optional else ""
        self.detail.setText(
            f"<h2>{procedure.name}</h2>"
            f"<p><b>{fee_text(procedure.fee_soles)}</b><br>"
            f"<b>{deadline_text(procedure.deadline_working_days)}</b></p>"
            f"<h3>{requirements}</h3><ol>{items}</ol>{note}{appeals_text(procedure)}")


class WaitPage(QWidget):
    """Shown while the hub cannot be reached: calm, no technical words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title = page_label("waitTitle")
        self.detail = page_label("ticketInfo")
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.title.setText(translate("Kiosk", "Un momento…"))
        self.detail.setText(translate("Kiosk", "Estamos preparando el sistema. Por favor, "
                                               "espere."))


class KioskWindow(QMainWindow):
    """`clock` is this PC's clock; the office date follows the hub's (see `office_date`)."""

    def __init__(self, client: HubClient, printer: KioskPrinter, office_name: str = "",
                 caller: HubCaller | None = None, *, clock: Clock | None = None,
                 speak: Callable[[str], None] | None = None) -> None:
        """`speak`: this PC's voice for the texts a citizen asks to hear (None: none)."""
        super().__init__()
        self.setObjectName("kioskWindow")
        self.setWindowTitle("CAC Kiosk — Quiosco")
        self.setStyleSheet(KIOSK_STYLE)
        self._client = client
        self._printer = printer
        self._caller = caller or HubCaller(self)
        self._languages = LanguageSwitcher()
        self._services: list[ServiceView] = []
        self._busy = False
        self._clock = clock or SystemClock()
        self._hub_offset = timedelta(0)
        self.office_name = office_name
        self.last_error: CacError | None = None

        self.stack = QStackedWidget()
        # The link with central, small in a corner for the staff (hidden without a central).
        self.sync_line = SyncStatusLabel(client.sync_status, short=True)
        self.sync_line.setAlignment(Qt.AlignmentFlag.AlignRight)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.stack, 1)
        column.addWidget(self.sync_line)
        self.setCentralWidget(body)
        self.start = StartPage()
        self.preferential = ServicesPage()
        self.ticket = TicketPage()
        self.procedures = ProceduresPage()
        self.status_page = StatusPage()
        self.reclamo_page = ReclamoPage(speak=speak)
        self.cita_page = CitaPage()
        self.booking = BookingPage()
        self.waiting = WaitPage()
        self.office_code = ""
        for page in self._pages():
            self.stack.addWidget(page)

        for code, button in self.start.language_buttons.items():
            button.clicked.connect(partial(self.set_language, code))
        for category, big in self.start.preferential_buttons.items():
            connect_click(big, partial(self.choose_preferential, category))
        connect_click(self.start.procedures, self.open_procedures)
        connect_click(self.start.consult, self.open_status)
        connect_click(self.start.reclamos, self.open_reclamos)
        self.reclamo_page.home_requested = self.go_home
        self.reclamo_page.file_requested.connect(self.file_reclamo)
        self.reclamo_page.suggestion_requested.connect(self.submit_suggestion)
        self.reclamo_page.help_requested.connect(self._help_with_reclamo)
        connect_click(self.start.cita, self.open_cita)
        self.cita_page.back.clicked.connect(self.go_home)
        self.cita_page.check_in.clicked.connect(self.check_in_cita)
        self.cita_page.confirm_cancel.clicked.connect(self.cancel_cita)
        self.cita_page.confirm_change.clicked.connect(self.open_change)
        self.cita_page.book.clicked.connect(self.open_booking)
        self.booking.service_chosen.connect(self.load_booking_days)
        self.booking.booking_requested.connect(self.book_cita)
        self.booking.change_requested.connect(self.change_cita)
        self.booking.back.clicked.connect(self._booking_back)
        self.status_page.search.clicked.connect(self.look_up_expediente)
        self.status_page.back.clicked.connect(self.go_home)
        self.status_page.scanned.connect(self.check_scanned)
        self.preferential.back.clicked.connect(self.go_home)
        self.ticket.done.clicked.connect(self.reset)  # «Listo»: the next person starts in Spanish
        self.ticket.reprint.clicked.connect(self.reprint_ticket)
        self.procedures.back.clicked.connect(self.go_home)
        self.procedures.print_requirements.clicked.connect(self.print_requirements)
        self.procedures.take_ticket.clicked.connect(self._ticket_for_procedure)

        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_MS)
        self._idle.timeout.connect(self.reset)
        self._ticket_timer = QTimer(self)
        self._ticket_timer.setSingleShot(True)
        self._ticket_timer.setInterval(TICKET_SHOWN_MS)
        self._ticket_timer.timeout.connect(self.reset)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.load_services)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

        self.retranslate()
        self.stack.setCurrentWidget(self.waiting)
        self.load_services()
        self.sync_line.start()

    # --- language and idle ---------------------------------------------------------------

    def _pages(self) -> tuple[StartPage | ServicesPage | TicketPage | ProceduresPage
                              | StatusPage | ReclamoPage | CitaPage | BookingPage | WaitPage,
                              ...]:
        return (self.start, self.preferential, self.ticket, self.procedures, self.status_page,
                self.reclamo_page, self.cita_page, self.booking, self.waiting)

    def set_language(self, code: str) -> None:
        if not self._languages.switch(code):
            log.warning("translation %s not found", code)
        self.retranslate()

    @property
    def language(self) -> str:
        return self._languages.current

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.start.office.setText(self.office_name)
        for code, button in self.start.language_buttons.items():
            button.setChecked(code == self._languages.current)
        for page in self._pages():
            if not isinstance(page, ReclamoPage):  # in Spanish: see reclamo_page.py
                page.retranslate()
        self._label_services()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin,
                            QEvent.Type.KeyPress):
            self._idle.start()
        return False

    def reset(self) -> None:
        """Back to the start, in Spanish, for the next person."""
        self.set_language(SOURCE_LANGUAGE)
        self.go_home()

    def go_home(self) -> None:
        self._ticket_timer.stop()
        # The next person must not see what the previous one looked up or typed.
        self.status_page.clear(self.office_code, self.office_date().year)
        self.reclamo_page.clear()
        self.cita_page.clear()
        self.booking.start([])  # nobody's DNI or name stays for the next person
        if self.stack.currentWidget() is not self.waiting:
            self.stack.setCurrentWidget(self.start)

    # --- hub ----------------------------------------------------------------------------

    def _call(self, call: Callable[[], Any], on_result: Callable[[Any], None]) -> None:
        self._caller.call(call, on_result, self._on_error)

    def _on_error(self, error: CacError) -> None:
        self._busy = False
        self.last_error = error
        if not (isinstance(error, HubUnavailable) or error.code == "unexpected"):
            # The hub refused (e.g. a service was closed meanwhile): say so, then start over.
            log.info("kiosk request refused: %s", error.code)
            self.waiting.detail.setText(error.message)
        self.stack.setCurrentWidget(self.waiting)
        self._retry.start()

    def office_date(self) -> date:
        """The hub's date, not this PC's: expedientes are numbered by the hub's office year.

        The hub's clock is read from `GET /health` at each (re)connection and kept as an offset,
        so a kiosk left on over New Year's Eve turns the year with the hub.
        """
        return (self._clock.now() + self._hub_offset).astimezone().date()

    def load_services(self) -> None:
        client = self._client
        self._call(lambda: (client.health(), client.services()), self._services_loaded)

    def _services_loaded(self, result: tuple[HealthView, list[ServiceView]]) -> None:
        health, services = result
        self._hub_offset = health.time - self._clock.now()
        self.office_name, self.office_code = health.name, health.office
        self.start.office.setText(self.office_name)
        self.last_error = None
        self._services = [s for s in services if s.active]
        self._label_services(rebuild=True)
        self.waiting.retranslate()
        self.stack.setCurrentWidget(self.start)

    def _label_services(self, rebuild: bool = False) -> None:
        for grid, category in ((self.start.services, None),
                               (self.preferential.services, "preferential")):
            if rebuild:
                buttons = []
                for service in self._services:
                    big = BigButton(service.code, "service", font_px=38)
                    big.setProperty("service", service.code)
                    connect_click(big, partial(self._service_touched, service.code, category))
                    buttons.append(big)
                grid.set_buttons(buttons)
            by_code = {s.code: s for s in self._services}
            for button in grid.buttons():
                found = by_code.get(str(button.property("service")))
                if found is not None:
                    button.setText(service_word(found))

    def _service_word(self, code: str) -> str:
        found = next((s for s in self._services if s.code == code), None)
        return service_word(found) if found is not None else code

    # --- tickets --------------------------------------------------------------------------

    def choose_preferential(self, category: str) -> None:
        self.preferential.category = category
        self.preferential.retranslate()
        self.stack.setCurrentWidget(self.preferential)

    def _service_touched(self, code: str, mode: str | None) -> None:
        category = self.preferential.category if mode == "preferential" else None
        self.issue(code, category)

    def issue(self, service: str, preferential: str | None = None,
              then: Callable[[IssuedTicket], None] | None = None) -> None:
        """`then`: more work with the new ticket, off the GUI thread, before it prints; if
        that fails, the ticket stands (the failure is logged)."""
        if self._busy:
            return  # a double tap must not give two tickets
        self._busy = True
        name = self._service_word(service)
        words = ticket_words()  # the language the person chose, for the whole ticket

        def work() -> tuple[IssuedTicket, PrintOutcome]:
            ticket = self._client.issue_ticket(service, preferential)
            if then is not None:
                try:
                    then(ticket)
                except CacError as exc:
                    log.warning("después del turno %s: %s", ticket.number, exc.message)
            return ticket, self._printer.print_ticket(ticket, name, words)

        self._call(work, self._issued)

    def _issued(self, result: tuple[IssuedTicket, PrintOutcome]) -> None:
        self._busy = False
        ticket, outcome = result
        self.ticket.show_ticket(ticket, self._service_word(ticket.service), outcome)
        self.stack.setCurrentWidget(self.ticket)
        self._ticket_timer.start()

    def reprint_ticket(self) -> None:
        outcome = self.ticket.outcome
        if outcome is None or outcome.job_id is None or self._busy:
            return
        self._busy = True
        ticket, name = self.ticket.ticket, self.ticket.service_name
        job_id = outcome.job_id

        def reprinted(result: PrintOutcome) -> None:
            self._busy = False
            if ticket is not None:
                self.ticket.show_ticket(ticket, name, result)
            self._ticket_timer.start()

        self.ticket.printed.setText(translate("Kiosk", "Imprimiendo…"))
        self._call(partial(self._printer.reprint, job_id), reprinted)

    # --- procedures ------------------------------------------------------------------------

    def open_procedures(self) -> None:
        self._call(self._client.procedures, self._procedures_loaded)

    def _procedures_loaded(self, procedures: list[ProcedureView]) -> None:
        self.procedures.set_procedures(procedures)
        self.stack.setCurrentWidget(self.procedures)

    def print_requirements(self) -> None:
        procedure = self.procedures.current
        if procedure is None:
            return
        self.procedures.status.setText(translate("Kiosk", "Imprimiendo…"))
        self._caller.call(partial(self._printer.print_requirements, procedure),
                          self._requirements_printed, self._on_error)

    def _requirements_printed(self, outcome: PrintOutcome) -> None:
        self.procedures.status.setText(
            translate("Kiosk", "Retire la lista de requisitos") if outcome.ok else
            translate("Kiosk", "No se pudo imprimir. Puede fotografiar la pantalla."))

    def _ticket_for_procedure(self) -> None:
        procedure = self.procedures.current
        if procedure is not None and procedure.service is not None:
            self.issue(procedure.service)

    # --- consultar ------------------------------------------------------------------------

    def open_status(self) -> None:
        self.status_page.clear(self.office_code, self.office_date().year)
        self.stack.setCurrentWidget(self.status_page)

    def look_up_expediente(self) -> None:
        number = self.status_page.number
        if number is None:
            return
        self.status_page.result.setText(translate("Kiosk", "Buscando…"))
        self._caller.call(partial(self._client.public_status, number),
                          self._status_found, self._status_failed)

    def check_scanned(self, text: str) -> None:
        """A signed document's QR, read by a scanner: checked by the hub (decision 46)."""
        self.status_page.result.setText(translate("Kiosk", "Verificando…"))
        self._caller.call(partial(self._client.check_statement, StatementCheck(code=text)),
                          self.status_page.show_verdict, self._status_failed)

    def _status_found(self, status: PublicStatus) -> None:
        self.status_page.show_status(status)

    def _status_failed(self, error: CacError) -> None:
        if isinstance(error, NotFound):
            self.status_page.show_problem(translate(
                "Kiosk", "No encontramos el expediente {0}. Revise el número en su cargo."
            ).format(self.status_page.number))
        elif isinstance(error, HubUnavailable) or error.code == "unexpected":
            self._on_error(error)
        else:
            self.status_page.show_problem(error.message)

    # --- the Libro de Reclamaciones and the suggestions box ---------------------------------

    def open_reclamos(self) -> None:
        self.reclamo_page.clear()
        self.stack.setCurrentWidget(self.reclamo_page)

    def file_reclamo(self, hoja: ReclamoInput) -> None:
        """File the citizen's own hoja and print it (its number and the answer's day)."""

        def work() -> tuple[ReclamoView, PrintOutcome]:
            reclamo = self._client.file_reclamo(hoja)
            return reclamo, self._printer.print_reclamo(reclamo)

        self._caller.call(work, lambda done: self.reclamo_page.show_filed(*done),
                          self._reclamo_failed)

    def submit_suggestion(self, suggestion: SuggestionInput) -> None:
        self._caller.call(partial(self._client.submit_suggestion, suggestion),
                          lambda _received: self.reclamo_page.show_suggested(),
                          self._reclamo_failed)

    def _reclamo_failed(self, error: CacError) -> None:
        if isinstance(error, HubUnavailable) or error.code == "unexpected":
            self.reclamo_page.show_problem("No se pudo enviar: intente de nuevo en un momento. "
                                           "Lo escrito se conserva.")
        else:
            self.reclamo_page.show_problem(error.message)

    def _help_with_reclamo(self) -> None:
        """A clerk files it at the counter: the citizen takes an Orientación ticket, and what
        they typed goes with it to the hub for the clerk who calls it (not kept here)."""
        helper = next((s.code for s in self._services if s.code == HELP_SERVICE), None)
        typed = self.reclamo_page.draft()
        self.reclamo_page.clear()
        if helper is None:
            self.go_home()
            return
        client = self._client

        def keep(ticket: IssuedTicket) -> None:
            if typed is not None:
                client.save_reclamo_draft(ReclamoDraftInput(ticket_id=ticket.id, draft=typed))

        self.issue(helper, then=keep)
    # --- tengo cita -------------------------------------------------------------------------

    def open_cita(self) -> None:
        self.cita_page.clear()
        self.stack.setCurrentWidget(self.cita_page)

    def check_in_cita(self) -> None:
        query = self.cita_page.query
        if query is None or self._busy:
            return
        self._busy = True
        words = ticket_words()

        def work() -> tuple[CitaCheckIn, PrintOutcome]:
            arrival = self._client.check_in_cita(CheckInInput(query=query))
            name = self._service_word(arrival.ticket.service)
            return arrival, self._printer.print_ticket(arrival.ticket, name, words)

        self._caller.call(work, self._checked_in, self._check_in_refused)

    def _checked_in(self, result: tuple[CitaCheckIn, PrintOutcome]) -> None:
        self._busy = False
        arrival, outcome = result
        self.ticket.show_ticket(arrival.ticket, self._service_word(arrival.ticket.service),
                                outcome, note=arrival.message)
        self.stack.setCurrentWidget(self.ticket)
        self._ticket_timer.start()

    def _check_in_refused(self, error: CacError) -> None:
        if isinstance(error, HubUnavailable) or error.code == "unexpected":
            self._on_error(error)
            return
        self._busy = False
        self.cita_page.show_problem(error.message)  # no cita today, another day's, used…

    def cancel_cita(self) -> None:
        """The code and the booking's DNI cancel it (the hub checks both)."""
        page = self.cita_page
        code, document = page.cancel_code, page.document
        if code is None or document is None or self._busy:
            return
        self._busy = True

        def cancelled(cita: CitaView) -> None:
            self._busy = False
            page.show_cancelled(cita)

        self._caller.call(lambda: self._client.cancel_cita(code, CitaCancel(document=document)),
                          cancelled, self._check_in_refused)

    # --- reservar cita (another day) ---------------------------------------------------------

    def open_booking(self) -> None:
        def shown(plans: list[CitaPlanView]) -> None:
            self.booking.start(plans)
            self.stack.setCurrentWidget(self.booking)

        self._caller.call(self._client.cita_services, shown, self._booking_refused)

    def _first_day(self) -> date:
        """Citas are booked and moved at the kiosk from tomorrow by the hub's date."""
        return self.office_date() + timedelta(days=1)

    def load_booking_days(self, service: str) -> None:
        """The next days with a free place (from tomorrow by the hub's date)."""
        first, client = self._first_day(), self._client
        self._caller.call(lambda: free_days(client, service, first), self.booking.show_days,
                          self._booking_refused)

    def book_cita(self) -> None:
        page = self.booking
        if page.service is None or page.slot is None or self._busy:
            return
        self._busy = True
        request = CitaInput(service=page.service.service, start=page.slot.start,
                            document=page.document, name=page.name.strip())

        def booked(cita: CitaView) -> None:
            self._busy = False
            page.show_booked(cita)

        self._caller.call(lambda: self._client.book_cita(request), booked,
                          self._booking_refused)

    def _booking_refused(self, error: CacError) -> None:
        if isinstance(error, HubUnavailable) or error.code == "unexpected":
            self._on_error(error)
            return
        self._busy = False
        self.booking.show_problem(error.message)  # the place was just taken, a wrong DNI…

    def _booking_back(self) -> None:
        if self.booking.step is not Step.DONE and self.booking.go_back():
            return
        if self.booking.moving is not None and self.booking.step is not Step.DONE:
            self.stack.setCurrentWidget(self.cita_page)  # the code and DNI, as typed
            return
        self.reset()

    # --- cambiar la hora de mi cita ------------------------------------------------------

    def open_change(self) -> None:
        """The code and the DNI typed open the booking (the hub checks both, and says in one
        sentence if either is wrong); then its service's free hours on the «Reservar» page."""
        page = self.cita_page
        code, document = page.change_code, page.document
        if code is None or document is None or self._busy:
            return
        self._busy = True
        first, client = self._first_day(), self._client

        def work() -> tuple[CitaView, list[CitaDayView]]:
            cita = client.verify_cita(code, CitaProof(document=document))
            return cita, free_days(client, cita.service, first)

        def opened(result: tuple[CitaView, list[CitaDayView]]) -> None:
            self._busy = False
            page.show_problem(None)  # a refusal said before is over
            self.booking.start_change(result[0], document, result[1])
            self.stack.setCurrentWidget(self.booking)

        self._caller.call(work, opened, self._check_in_refused)

    def change_cita(self) -> None:
        """The hub's change, as the counter's: the booking moves, or stays where it was."""
        page = self.booking
        if page.moving is None or page.slot is None or self._busy:
            return
        self._busy = True
        code = page.moving.code
        change = CitaChange(start=page.slot.start, document=page.document)

        def changed(cita: CitaView) -> None:
            self._busy = False
            page.show_booked(cita)

        self._caller.call(lambda: self._client.change_cita(code, change), changed,
                          self._change_refused)

    def _change_refused(self, error: CacError) -> None:
        moving = self.booking.moving
        if moving is None or error.code not in HOUR_GONE:
            self._booking_refused(error)
            return
        # Taken meanwhile (or past, or closed): say so, and the hours as they are now.
        first, client, service = self._first_day(), self._client, moving.service

        def shown(days: list[CitaDayView]) -> None:
            self._busy = False
            self.booking.show_hours_again(days, error.message)

        self._caller.call(lambda: free_days(client, service, first), shown,
                          self._booking_refused)

    # --- lifecycle ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for timer in (self._idle, self._ticket_timer, self._retry):
            timer.stop()
        self.sync_line.stop()
        self._caller.wait_idle()
        self.sync_line.wait_idle()
        super().closeEvent(event)


def kiosk_voice() -> Callable[[str], None] | None:
    """The PC's Spanish voice for what a citizen asks to hear (ui/display/sound.py), or None
    where it has none (the «Escuchar» button is then not offered)."""
    from ui.display.sound import QtSpeaker

    speaker = QtSpeaker(chime=None)
    if not speaker.has_voice:
        log.info("quiosco sin voz: %s", speaker.voice_problem)
        return None

    def say(text: str) -> None:
        speaker.cancel()  # a second touch starts the reading over
        speaker.speak(text, lambda: None)

    return say


def run_kiosk(args: argparse.Namespace) -> int:

    from kiosk.config import DataDir
    from ui.connect import remote_client
    from ui.kiosk.printer_adapter import printer_for
    from ui.lockdown import show_public
    from ui.qt_app import application

    app = application()
    client = remote_client(args.hub, args.token, getattr(args, "ca", None))
    data_dir = DataDir.from_option(args.data_dir)
    window = KioskWindow(client, printer_for(client, data_dir), speak=kiosk_voice())
    show_public(window, client.unlock_window, windowed=args.windowed,
                size=(1080 // 2, 1920 // 2))
    return int(app.exec())
