"""The clerk's counter window (ventanilla): login, queue panel, expedientes, payments, closing.

`CounterWindow(client, printer)` works with any HubClient (in-process in `cac app`, HTTP in
`cac counter --hub URL --token T`). Every hub call and every print runs on the window's worker
thread (HubCaller); results come back on the GUI thread. When the hub cannot be reached the
window says so calmly and retries; forms keep what the clerk typed.
"""

from __future__ import annotations

import argparse
import logging
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.client.base import HubClient
from kiosk.errors import CacError, HubUnavailable, InvalidInput, Unauthorized
from kiosk.services.expediente_views import (
    ActaView,
    AttachmentView,
    BusinessView,
    CashClosing,
    ClerkSession,
    DocumentInput,
    ExpedienteSummary,
    ExpedienteView,
    LoginCounter,
    PaymentView,
    PersonView,
)
from kiosk.services.queue import UNSTAFFED_REASON
from kiosk.services.views import (
    CounterView,
    ProcedureView,
    QueueSnapshot,
    ServiceView,
    TicketView,
)
from ui.clerk_session import SESSION_ENDED, ClerkSignOut
from ui.counter import texts
from ui.counter.expediente_form import ExpedienteForm
from ui.counter.expediente_view import ExpedientePanel
from ui.counter.forms import PaymentForm, TransitionForm
from ui.counter.idle import IdleLock
from ui.counter.lists import CashPanel, SearchPanel
from ui.counter.login import ChangeSecretPage, LockPage, LoginPage
from ui.counter.printer import CounterPrinter
from ui.counter.queue_panel import QueuePanel
from ui.counter.state import CounterState
from ui.counter.style import COUNTER_STYLE
from ui.counter.widgets import Notice, button, label
from ui.files import file_dialogs
from ui.hub_calls import HubCaller
from ui.kiosk.printer_port import PrintOutcome
from ui.messages import message_boxes
from ui.sync_status import SyncStatusLabel

log = logging.getLogger(__name__)

TITLE = "CAC — Ventanilla"
# The hub's answers meaning "this clerk is no longer logged in here" (not a wrong PIN).
QUEUE_WIDTH = 440
# What the file dialog offers; the hub checks the content itself (kiosk/services/attachments.py).
ATTACHMENT_FILTER = "Documentos escaneados (*.pdf *.png *.jpg *.jpeg);;Todos los archivos (*)"
ATTACHMENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg",
                    "jpeg": "image/jpeg"}
# Far more than any office allows (config: attachment_max_mb ≤ 100): never read into memory.
ATTACHMENT_READ_LIMIT = 100 * 1024 * 1024


@dataclass(frozen=True)
class CounterOptions:
    refresh_ms: int = 5_000  # waiting counts and the counter's state
    retry_ms: int = 3_000  # after the hub could not be reached
    idle_lock_s: int | None = None  # None: the clerk session's (the office's setting)
    counter: int | None = None  # the counter preselected on the login screen
    open_files: bool = True  # open the saved cargo PDF with the PC's viewer


@dataclass(frozen=True)
class Poll:
    """One look at the hub: the queue, this counter, the ticket it holds."""

    queue: QueueSnapshot
    counter: CounterView | None
    ticket: TicketView | None


class WorkArea(QWidget):
    """Nav buttons over the pages of the right side (form, search, expediente, …)."""

    def __init__(self, tz: tzinfo | None) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        nav = QHBoxLayout()
        self.new = button("Nuevo expediente", "Ctrl+N", "nav")
        self.search = button("Buscar expediente", "Ctrl+F", "nav")
        self.cash = button("Cierre de caja", "Ctrl+J", "nav")
        self.group = QButtonGroup(self)
        for widget in (self.new, self.search, self.cash):
            widget.setCheckable(True)
            self.group.addButton(widget)
            nav.addWidget(widget)
        nav.addStretch(1)
        layout.addLayout(nav)
        self.stack = QStackedWidget()
        self.welcome = label(
            "<h2>Atajos de teclado</h2>"
            "<p><b>F2</b> o <b>Espacio</b>: llamar siguiente · <b>F3</b> rellamar · "
            "<b>F4</b> iniciar atención · <b>F6</b> no se presentó · <b>F7</b> transferir · "
            "<b>F9</b> finalizar · <b>F10</b> pausa / reanudar · <b>F12</b> cerrar ventanilla"
            "</p><p><b>Ctrl+N</b> nuevo expediente · <b>Ctrl+F</b> buscar expediente · "
            "<b>Ctrl+J</b> cierre de caja · <b>Ctrl+L</b> bloquear</p>"
            "<p>En los formularios: <b>Tab</b> pasa al siguiente campo, <b>Enter</b> busca o "
            "confirma, <b>Esc</b> vuelve.</p>", "hint")
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.welcome.setMargin(16)
        self.form = ExpedienteForm()
        self.search_panel = SearchPanel()
        self.expediente = ExpedientePanel(tz)
        self.transition = TransitionForm()
        self.payment = PaymentForm()
        self.cash_panel = CashPanel(tz)
        for page in (self.welcome, self.form, self.search_panel, self.expediente,
                     self.transition, self.payment, self.cash_panel):
            self.stack.addWidget(page)
        layout.addWidget(self.stack, 1)

    def show_page(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        nav = {self.form: self.new, self.search_panel: self.search, self.cash_panel: self.cash}
        checked = nav.get(page)
        self.group.setExclusive(checked is not None)
        for widget in (self.new, self.search, self.cash):
            widget.setChecked(widget is checked)
        self.group.setExclusive(True)


class WorkPage(QWidget):
    def __init__(self, tz: tzinfo | None) -> None:
        super().__init__()
        self.setObjectName("page")
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        self.top = QWidget()
        self.top.setObjectName("topBar")
        self.top.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.bar = bar = QHBoxLayout(self.top)
        bar.setContentsMargins(14, 6, 10, 6)
        self.office = label("", "topTitle", wrap=False)
        self.clerk = label("", wrap=False)
        self.lock = button("Bloquear", "Ctrl+L", "topButton")
        self.sign_out = QPushButton("Cerrar sesión")
        self.sign_out.setObjectName("topButton")
        bar.addWidget(self.office)
        bar.addStretch(1)
        bar.addWidget(self.clerk)
        bar.addSpacing(12)
        bar.addWidget(self.lock)
        bar.addWidget(self.sign_out)
        root.addWidget(self.top)
        self.offline = Notice()
        root.addWidget(self.offline)
        body = QHBoxLayout()
        body.setContentsMargins(10, 8, 10, 10)
        body.setSpacing(12)
        self.queue = QueuePanel()
        self.queue.tz = tz
        self.queue.setFixedWidth(QUEUE_WIDTH)
        self.area = WorkArea(tz)
        body.addWidget(self.queue)
        body.addWidget(self.area, 1)
        root.addLayout(body, 1)
        for widget in (self.lock, self.sign_out):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)


def local_timezone() -> tzinfo:
    return datetime.now().astimezone().tzinfo or ZoneInfo("America/Lima")


class CounterWindow(ClerkSignOut, QMainWindow):
    sign_out_question = "¿Cerrar su sesión en esta ventanilla?"

    def __init__(self, client: HubClient, printer: CounterPrinter | None = None,
                 options: CounterOptions | None = None, *, tz: tzinfo | None = None,
                 caller: HubCaller | None = None) -> None:
        super().__init__()
        self.setObjectName("counterWindow")
        self.setWindowTitle(TITLE)
        self.setStyleSheet(COUNTER_STYLE)
        self._client = client
        self._printer = printer
        self.options = options or CounterOptions()
        self.tz = tz or local_timezone()
        self._caller = caller or HubCaller(self)

        self.session: ClerkSession | None = None
        self.counter_number: int | None = None
        self.state = CounterState()
        self.services: list[ServiceView] = []
        self.procedures: list[ProcedureView] = []
        self.handled: list[str] = []  # expedientes of the current ticket
        self.last_payment: PaymentView | None = None
        self.last_finished: TicketView | None = None  # with the expedientes it linked
        self.last_error: CacError | None = None
        self.offline = False
        self._generation = 0  # polls started before an action are stale after it
        self._polling = False
        # Documents being printed or saved now: a second press waits for the hub's count.
        self._issuing: set[tuple[str, str, str | None]] = set()

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.login = LoginPage()
        self.lock = LockPage()
        self.change_secret = ChangeSecretPage()
        self.work = WorkPage(self.tz)
        for page in (self.login, self.lock, self.change_secret, self.work):
            self.stack.addWidget(page)
        self.queue = self.work.queue
        self.area = self.work.area
        self.form = self.area.form
        self.search = self.area.search_panel
        self.expediente = self.area.expediente
        self.transition_form = self.area.transition
        self.payment_form = self.area.payment
        self.cash = self.area.cash_panel
        # The link with central, in the top bar (own caller: never delays the clerk's work).
        self.sync_line = SyncStatusLabel(client.sync_status)
        self.work.bar.insertWidget(1, self.sync_line)

        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(self.options.refresh_ms)
        self.refresh_timer.timeout.connect(self.refresh)
        self.retry_timer = QTimer(self)
        self.retry_timer.setSingleShot(True)
        self.retry_timer.setInterval(self.options.retry_ms)
        self.retry_timer.timeout.connect(self._retry)
        self.idle = IdleLock(self)
        self.idle.idle.connect(self.lock_screen)

        self._connect()
        self.stack.setCurrentWidget(self.login)
        self.load_login()

    def _connect(self) -> None:
        self.login.submitted.connect(self.sign_in)
        self.lock.unlock.connect(self.unlock)
        self.lock.logout.connect(self.sign_out)
        self.change_secret.submitted.connect(self.save_secret)
        self.change_secret.logout.connect(self.sign_out)
        self.work.lock.clicked.connect(lambda: self.lock_screen(idle=False))
        self.work.sign_out.clicked.connect(self._confirm_sign_out)
        self.queue.requested.connect(self.queue_action)
        self.area.new.clicked.connect(self.open_form)
        self.area.search.clicked.connect(self.open_search)
        self.area.cash.clicked.connect(self.open_cash)
        self.form.filing_requested.connect(self.file_expediente)
        self.form.person_lookup.connect(self.find_persons)
        self.form.business_lookup.connect(self.find_businesses)
        self.form.partida.acta_search.connect(self.search_actas)
        self.search.search_requested.connect(self.search_expedientes)
        self.search.open_requested.connect(self.open_expediente)
        self.expediente.action_requested.connect(self.ask_transition)
        self.expediente.pay_requested.connect(self.ask_payment)
        self.expediente.print_cargo.connect(self.print_cargo)
        self.expediente.save_pdf.connect(self.save_cargo_pdf)
        self.expediente.save_copy.connect(self.save_certified_copy)
        self.expediente.reprint_receipt.connect(self.reprint_receipt)
        self.expediente.attach_requested.connect(self.attach_file)
        self.transition_form.acta_picker.search_requested.connect(self.search_actas_to_link)
        self.transition_form.submitted.connect(self.transition)
        self.transition_form.cancelled.connect(self._back_to_expediente)
        self.payment_form.submitted.connect(self.pay)
        self.payment_form.cancelled.connect(self._back_to_expediente)
        self.cash.closing_requested.connect(self.load_cash_closing)
        self.cash.print_requested.connect(self.print_cash_closing)

    # --- hub calls --------------------------------------------------------------------

    def _call(self, work: Callable[[], Any], on_result: Callable[[Any], None],
              on_error: Callable[[CacError], None] | None = None) -> None:
        def done(result: Any) -> None:
            self._set_offline(False)
            on_result(result)

        def failed(error: CacError) -> None:
            self.last_error = error
            if isinstance(error, HubUnavailable):
                self._set_offline(True)
            elif isinstance(error, Unauthorized) and error.code in SESSION_ENDED \
                    and self.session is not None:
                self._session_ended(error.message)
                return
            if on_error is not None:
                on_error(error)
            elif not isinstance(error, HubUnavailable):
                self.show_error(error.message)

        self._caller.call(work, done, failed)

    def _set_offline(self, offline: bool) -> None:
        self.offline = offline
        if offline:
            self.work.offline.show_message(texts.OFFLINE, "offline")
            self.login.notice.show_message(texts.OFFLINE, "offline")
            self.retry_timer.start()
        else:
            self.work.offline.clear_message("offline")
            self.login.notice.clear_message("offline")

    def _retry(self) -> None:
        if self.stack.currentWidget() is self.login:
            self.load_login()
        elif self.session is not None:
            self.refresh()

    def show_error(self, message: str) -> None:
        """A refusal of the hub (already in Spanish), where the clerk is looking."""
        if self.stack.currentWidget() is self.work:
            page = self.area.stack.currentWidget()
            notice = getattr(page, "notice", None)
            if isinstance(notice, Notice) and page is not self.area.welcome:
                notice.show_message(message, "error")
            else:
                self.queue.notice.show_message(message, "error")
        elif self.stack.currentWidget() is self.login:
            self.login.show_error(message)
        else:
            self.lock.notice.show_message(message, "error")

    # --- login, lock, logout ----------------------------------------------------------

    def load_login(self) -> None:
        client = self._client
        self._call(lambda: (client.health().name, client.counters(), self._login_counter()),
                   self._login_loaded, self._login_load_failed)

    def _login_counter(self) -> LoginCounter:
        """On the worker thread: the counter the hub says this PC's login offers (none from a
        hub too old to say)."""
        try:
            return self._client.login_counter()
        except HubUnavailable:
            raise
        except CacError as exc:
            log.info("the hub offers no counter for this PC: %s", exc.code)
            return LoginCounter(counter=None, bound=False)

    def _login_loaded(self, result: tuple[str, list[CounterView], LoginCounter]) -> None:
        office, counters, offered = result
        self.login.office.setText(office)
        self.work.office.setText(office)
        if offered.bound:  # the hub lets this PC log in there only
            self.login.set_counters(counters, offered.counter, locked=True)
        else:
            wanted = self.options.counter
            self.login.set_counters(counters, offered.counter if wanted is None else wanted)
        if not self.login.username.text():
            self.login.username.setFocus()

    def _login_load_failed(self, error: CacError) -> None:
        if not isinstance(error, HubUnavailable):
            self.login.show_error(error.message)

    def sign_in(self, username: str, secret: str, counter: int) -> None:
        self.login.set_busy(True)
        client = self._client
        self._call(lambda: client.login(username, secret, counter),
                   lambda session: self._signed_in(session, counter),
                   lambda error: self.login.refused(
                       texts.OFFLINE if isinstance(error, HubUnavailable) else error.message))

    def _signed_in(self, session: ClerkSession, counter: int) -> None:
        self.session = session
        self.counter_number = session.counter if session.counter is not None else counter
        self.login.reset()
        self.work.clerk.setText(f"{session.user.full_name} · Ventanilla {self.counter_number}")
        if session.user.must_change:  # the hub refuses any work until it is changed
            self.change_secret.show_for(session.user.full_name)
            self.stack.setCurrentWidget(self.change_secret)
            return
        self.stack.setCurrentWidget(self.work)
        self.area.show_page(self.area.welcome)
        self._arm_idle()
        self.start_shift()

    def save_secret(self, current: str, new: str) -> None:
        client = self._client

        def saved(user: Any) -> None:
            assert self.session is not None
            self.session = self.session.model_copy(update={"user": user})
            self._signed_in(self.session, self.counter_number or 0)

        self._call(lambda: client.change_secret(current, new), saved,
                   lambda error: self.change_secret.refused(
                       texts.OFFLINE if isinstance(error, HubUnavailable) else error.message))

    def _arm_idle(self) -> None:
        seconds = self.options.idle_lock_s
        if seconds is None and self.session is not None:
            seconds = self.session.idle_lock_s
        self.idle.arm(seconds or 0)

    def start_shift(self) -> None:
        """Services, procedures, this counter (opened if closed), its ticket, the queue."""
        client, number = self._client, self.counter_number
        assert number is not None
        self._generation += 1
        generation = self._generation

        def work() -> tuple[list[ServiceView], list[ProcedureView], Poll]:
            services = client.services()
            procedures = client.procedures()
            counter = next((c for c in client.counters() if c.number == number), None)
            if counter is not None and counter.state == "closed":
                client.open_counter(number)
            elif counter is not None and counter.state == "paused" and \
                    counter.pause_reason == UNSTAFFED_REASON:
                client.resume_counter(number)  # paused when the last session ended: back
            return services, procedures, self._poll(number)

        def started(result: tuple[list[ServiceView], list[ProcedureView], Poll]) -> None:
            services, procedures, poll = result
            self.services = [s for s in services if s.active]
            self.procedures = procedures
            self.queue.set_services(self.services)
            self.form.set_procedures(procedures)
            self._apply_poll(poll, generation)
            self.refresh_timer.start()
            self.sync_line.start()
            self.queue.call.setFocus()

        self._call(work, started)

    def _poll(self, number: int) -> Poll:
        """On the worker thread: the queue, this counter and the ticket it holds."""
        client = self._client
        queue = client.queue()
        counter = next((c for c in queue.counters if c.number == number), None)
        ticket = None
        if counter is not None and counter.current_ticket_id:
            ticket = client.ticket(counter.current_ticket_id)
        return Poll(queue, counter, ticket)

    def refresh(self) -> None:
        number = self.counter_number
        if number is None or self.session is None or self._polling:
            return
        self._polling = True
        generation = self._generation

        def polled(poll: Poll) -> None:
            self._polling = False
            self._apply_poll(poll, generation)

        def failed(error: CacError) -> None:
            self._polling = False
            if not isinstance(error, HubUnavailable):
                log.info("refresh refused: %s", error.code)

        self._call(lambda: self._poll(number), polled, failed)

    def _apply_poll(self, poll: Poll, generation: int) -> None:
        if generation != self._generation:
            return  # an action changed the counter after this poll started
        previous = self.state.held_ticket
        self.state = CounterState(poll.counter, poll.ticket)
        held = self.state.held_ticket
        if held is not None and (previous is None or previous.id != held.id):
            self._new_ticket(held)
        self.queue.show_state(self.state)
        self.queue.show_queue(poll.queue.services)

    def _new_ticket(self, ticket: TicketView) -> None:
        self.handled = list(ticket.expedientes)
        self.queue.show_handled(self.handled)
        if self.form.doc_number.text() == "":
            self.form.choose_for_service(ticket.service)

    def lock_screen(self, idle: bool = True) -> None:
        if self.session is None or self.stack.currentWidget() is not self.work:
            return
        self.idle.disarm()
        self.refresh_timer.stop()
        self.sync_line.stop()
        self.queue.prompt.close_prompt()
        self.lock.show_for(f"{self.session.user.full_name} · Ventanilla {self.counter_number}",
                           idle)
        self.stack.setCurrentWidget(self.lock)

    def unlock(self, secret: str) -> None:
        session, number = self.session, self.counter_number
        if session is None:
            return
        self.lock.set_busy(True)
        client = self._client
        self._call(lambda: client.login(session.user.username, secret, number),
                   self._unlocked,
                   lambda error: self.lock.refused(
                       texts.OFFLINE if isinstance(error, HubUnavailable) else error.message))

    def _unlocked(self, session: ClerkSession) -> None:
        self.session = session
        self.stack.setCurrentWidget(self.work)
        self._arm_idle()
        self.refresh_timer.start()
        self.sync_line.start()
        self.refresh()

    def _clear_work(self) -> None:
        """Back to the login: nothing of the last citizen stays on screen."""
        self.session = None
        self.idle.disarm()
        self.refresh_timer.stop()
        self.sync_line.stop()
        self._generation += 1
        self.state = CounterState()
        self.handled = []
        self.last_payment = None
        self._issuing.clear()
        self.form.reset()
        self.search.query.clear()
        self.search.model.set_rows([])
        self.expediente.expediente = None
        self.queue.show_state(self.state)
        self.queue.show_handled([])
        self.queue.notice.clear_message()
        self.area.show_page(self.area.welcome)
        self.stack.setCurrentWidget(self.login)

    # --- queue ----------------------------------------------------------------------

    def queue_action(self, action: str, value: str) -> None:
        number = self.counter_number
        if number is None or action not in self.state.legal():
            return
        if action == "close" and not message_boxes().confirm(
                self, "Cerrar ventanilla",
                f"¿Cerrar la ventanilla {number}? No se le llamarán más turnos."):
            return
        client = self._client
        ticket = self.state.held_ticket
        ticket_id = ticket.id if ticket is not None else ""
        calls: dict[str, Callable[[], object]] = {
            "call": lambda: client.call_next(number),
            "recall": lambda: client.recall(ticket_id),
            "start": lambda: client.start(ticket_id),
            "no_show": lambda: client.no_show(ticket_id),
            "transfer": lambda: client.transfer(ticket_id, value),
            "finish": lambda: client.finish(ticket_id, value),
            "pause": lambda: client.pause_counter(number, value),
            "resume": lambda: client.resume_counter(number),
            "open": lambda: client.open_counter(number),
            "close": lambda: client.close_counter(number),
        }
        self._generation += 1
        generation = self._generation
        self.queue.notice.clear_message()

        def work() -> tuple[object, Poll]:
            return calls[action](), self._poll(number)

        def done(result: tuple[object, Poll]) -> None:
            answer, poll = result
            self._apply_poll(poll, generation)
            self._after_queue_action(action, answer)

        self._call(work, done)

    def _after_queue_action(self, action: str, answer: object) -> None:
        notice = self.queue.notice
        if action == "call" and answer is None:
            notice.show_message(texts.NO_ONE_WAITING, "info")
        elif action == "finish" and isinstance(answer, TicketView):
            self.last_finished = answer
            linked = answer.expedientes or self.handled
            extra = f" Expedientes: {', '.join(linked)}." if linked else ""
            notice.show_message(f"Turno {answer.number} finalizado.{extra}", "info")
            self._citizen_done()
        elif action == "no_show" and isinstance(answer, TicketView):
            notice.show_message(f"Turno {answer.number}: no se presentó.", "info")
            self._citizen_done()
        elif action == "transfer" and isinstance(answer, TicketView):
            notice.show_message(f"Turno {answer.number} transferido a "
                                f"{self.queue.service_name(answer.service)}.", "info")
            self._citizen_done()
        elif action == "recall" and isinstance(answer, TicketView):
            notice.show_message(f"Turno {answer.number} llamado de nuevo.", "info")

    def _citizen_done(self) -> None:
        """The citizen left the counter: their data leaves the screen."""
        self.handled = []
        self.queue.show_handled([])
        self.form.reset()
        self.last_payment = None
        self.expediente.expediente = None
        self.area.show_page(self.area.welcome)
        self.queue.call.setFocus()

    def _handled(self, number: str) -> None:
        if self.state.held_ticket is not None and number not in self.handled:
            self.handled.append(number)
            self.queue.show_handled(self.handled)

    def _ticket_id(self) -> str | None:
        ticket = self.state.held_ticket
        return ticket.id if ticket is not None else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Space calls the next ticket when no field or button wants it."""
        if event.key() == Qt.Key.Key_Space and event.modifiers() == Qt.KeyboardModifier.NoModifier \
                and self.stack.currentWidget() is self.work and self.queue.call.isEnabled() \
                and not self.queue.prompt.isVisible():
            self.queue.call.click()
            return
        super().keyPressEvent(event)

    # --- expedientes: new -----------------------------------------------------------------

    def open_form(self) -> None:
        self.area.show_page(self.form)
        if not self.procedures:
            client = self._client
            self._call(client.procedures, self._procedures_loaded)
        ticket = self.state.held_ticket
        if ticket is not None and not self.form.doc_number.text():
            self.form.choose_for_service(ticket.service)
        self.form.procedure.setFocus()

    def _procedures_loaded(self, procedures: list[ProcedureView]) -> None:
        self.procedures = procedures
        self.form.set_procedures(procedures)

    def find_persons(self, query: str) -> None:
        client = self._client
        self._call(lambda: client.find_persons(query, 10), self._persons_found,
                   lambda error: self.form.person_hint.setText(error.message))

    def _persons_found(self, persons: list[PersonView]) -> None:
        self.form.show_persons(persons)

    def find_businesses(self, ruc: str) -> None:
        client = self._client
        self._call(lambda: client.find_businesses(ruc, 10), self._businesses_found,
                   lambda error: self.form.notice.show_message(error.message, "error"))

    def _businesses_found(self, businesses: list[BusinessView]) -> None:
        self.form.show_businesses(businesses)

    def search_actas(self, query: str, kind: str) -> None:
        client = self._client
        self._call(lambda: client.search_actas(query, kind or None, 20), self._actas_found,
                   lambda error: self.form.notice.show_message(error.message, "error"))

    def _actas_found(self, actas: list[ActaView]) -> None:
        self.form.show_actas(actas)

    def search_actas_to_link(self, query: str, kind: str) -> None:
        """The acta search of «Vincular acta» (a partida filed without its acta)."""
        client, form = self._client, self.transition_form
        self._call(lambda: client.search_actas(query, kind or None, 20), form.show_actas,
                   lambda error: form.notice.show_message(error.message, "error"))

    def file_expediente(self) -> None:
        try:
            request = self.form.build_input(self._ticket_id())
        except InvalidInput as exc:
            self.form.show_error(exc.message)
            return
        missing = self.form.requirements.missing_mandatory()
        if missing and not message_boxes().confirm(
                self, "Requisitos incompletos",
                "Faltan requisitos obligatorios: " + ", ".join(map(str, missing)) +
                ". ¿Registrar el expediente de todos modos? Quedará observado y el ciudadano "
                "tendrá 2 días hábiles para completarlos."):
            return
        self.form.set_busy(True)
        self.form.notice.clear_message()
        client = self._client
        self._call(lambda: client.file_expediente(request), self._filed,
                   lambda error: self.form.show_error(
                       texts.OFFLINE if isinstance(error, HubUnavailable) else error.message))

    def _filed(self, expediente: ExpedienteView) -> None:
        self.form.reset()
        self._handled(expediente.number)
        self.show_expediente(expediente, f"Expediente {expediente.number} registrado. "
                                         "Cobre el derecho o imprima el cargo.")

    # --- expedientes: search and view -------------------------------------------------

    def open_search(self) -> None:
        self.area.show_page(self.search)
        self.search.query.setFocus()
        self.search.query.selectAll()

    def search_expedientes(self, query: str) -> None:
        client = self._client
        self._call(lambda: client.search_expedientes(query, 50), self._expedientes_found,
                   lambda error: self.search.notice.show_message(error.message, "error"))

    def _expedientes_found(self, results: list[ExpedienteSummary]) -> None:
        self.search.show_results(results)

    def open_expediente(self, number: str) -> None:
        client = self._client
        self._call(lambda: client.expediente(number), self.show_expediente)

    def show_expediente(self, expediente: ExpedienteView, message: str = "",
                        kind: str = "info") -> None:
        self.expediente.show_expediente(expediente)
        if message:
            self.expediente.notice.show_message(message, kind)
        else:
            self.expediente.notice.clear_message()
        self.area.show_page(self.expediente)
        focus = self.expediente.pay if self.expediente.pay.isEnabled() else \
            self.expediente.cargo
        focus.setFocus()

    def _back_to_expediente(self) -> None:
        if self.expediente.expediente is not None:
            self.area.show_page(self.expediente)
        else:
            self.area.show_page(self.area.welcome)

    # --- expedientes: transitions and payments ---------------------------------------

    def ask_transition(self, action: str) -> None:
        expediente = self.expediente.expediente
        if expediente is None:
            return
        self.area.show_page(self.transition_form)
        self.transition_form.open_for(expediente, action)

    def transition(self) -> None:
        form = self.transition_form
        try:
            change = form.build(self._ticket_id())
        except InvalidInput as exc:
            form.show_error(exc.message)
            return
        form.set_busy(True)
        client, number = self._client, form.number
        self._call(lambda: client.transition(number, change), self._transitioned,
                   lambda error: form.show_error(
                       texts.OFFLINE if isinstance(error, HubUnavailable) else error.message))

    def _transitioned(self, expediente: ExpedienteView) -> None:
        self.transition_form.set_busy(False)
        self._handled(expediente.number)
        self.show_expediente(expediente, f"Expediente {expediente.number}: "
                                         f"{expediente.status_text.lower()}.")

    def ask_payment(self) -> None:
        expediente = self.expediente.expediente
        if expediente is None or expediente.balance <= 0:
            return
        self.area.show_page(self.payment_form)
        self.payment_form.open_for(expediente)

    def pay(self) -> None:
        form = self.payment_form
        try:
            payment = form.build(self._ticket_id())
        except InvalidInput as exc:
            form.show_error(exc.message)
            return
        form.set_busy(True)
        client, printer, number = self._client, self._printer, form.number

        def work() -> tuple[PaymentView, ExpedienteView, PrintOutcome | None]:
            paid = client.pay(number, payment)
            expediente = client.expediente(number)
            outcome = printer.print_receipt(paid, expediente) if printer else None
            if outcome is not None and outcome.ok:
                expediente = self._record(expediente, DocumentInput(
                    document="receipt", receipt_number=paid.receipt_number))
            return paid, expediente, outcome

        self._call(work, self._paid, lambda error: form.show_error(
            texts.OFFLINE if isinstance(error, HubUnavailable) else error.message))

    def _paid(self, result: tuple[PaymentView, ExpedienteView, PrintOutcome | None]) -> None:
        payment, expediente, outcome = result
        self.payment_form.set_busy(False)
        self.last_payment = payment
        self._handled(expediente.number)
        message = f"Pago registrado: recibo {payment.receipt_number} por " \
                  f"{texts.soles(payment.amount)}."
        if payment.change is not None and payment.change > 0:
            message += f" Vuelto: {texts.soles(payment.change)}."
        message += " " + self._print_text(outcome, "el recibo")
        self.show_expediente(expediente, message,
                             "info" if outcome is None or outcome.ok else "error")

    @staticmethod
    def _print_text(outcome: PrintOutcome | None, what: str) -> str:
        if outcome is None:
            return "Esta ventanilla no tiene impresora configurada."
        if outcome.ok:
            return f"Se imprimió {what}."
        return f"No se pudo imprimir {what}: {outcome.message or 'error de la impresora'}."

    # --- printing -----------------------------------------------------------------------

    def _printed(self, what: str) -> Callable[[PrintOutcome | None], None]:
        def show(outcome: PrintOutcome | None) -> None:
            ok = outcome is not None and outcome.ok
            self.expediente.notice.show_message(self._print_text(outcome, what),
                                                "info" if ok else "error")
        return show

    def _record(self, expediente: ExpedienteView, issue: DocumentInput) -> ExpedienteView:
        """On the worker thread, after a document came out: tell the hub (the next one is a
        reprint). The paper is out already, so a hub that cannot be reached is only logged."""
        try:
            return self._client.record_document(expediente.number, issue)
        except CacError as exc:
            log.warning("document %s of %s not recorded: %s", issue.document,
                        expediente.number, exc.code)
            return expediente

    def _issue(self, document: str, medium: str,
               produce: Callable[[ExpedienteView, bool], Any],
               shown: Callable[[Any], None], receipt_number: str | None = None) -> None:
        """Print or save a document of the expediente on screen. Whether it is a reprint is
        the hub's knowledge (any counter, any day), read fresh just before."""
        expediente, printer, client = self.expediente.expediente, self._printer, self._client
        if expediente is None:
            return
        if printer is None:
            self.expediente.notice.show_message(self._print_text(None, ""), "error")
            return
        number = expediente.number
        key = (number, document, receipt_number)
        if key in self._issuing:
            self.expediente.notice.show_message("Un momento: ese documento se está emitiendo.",
                                                "info")
            return
        self._issuing.add(key)

        def work() -> tuple[Any, ExpedienteView]:
            fresh = client.expediente(number)
            reprint = fresh.times_issued(document, receipt_number, medium) > 0
            result = produce(fresh, reprint)
            if not isinstance(result, PrintOutcome) or result.ok:
                fresh = self._record(fresh, DocumentInput(
                    document=document, medium=medium, receipt_number=receipt_number,
                    reprint=reprint))
            return result, fresh

        def done(answer: tuple[Any, ExpedienteView]) -> None:
            self._issuing.discard(key)
            result, fresh = answer
            current = self.expediente.expediente
            if current is not None and current.id == fresh.id:
                self.expediente.show_expediente(fresh)  # the history shows the document
            shown(result)

        def failed(error: CacError) -> None:
            self._issuing.discard(key)
            if not isinstance(error, HubUnavailable):
                self.show_error(error.message)

        self._call(work, done, failed)

    def print_cargo(self) -> None:
        """A second cargo of an expediente on the same paper (thermal or A4, from any
        counter) says REIMPRESIÓN; the A4 one after a thermal one is not a reprint."""
        printer = self._printer
        self._issue("cargo", "termica", lambda fresh, reprint: printer.print_cargo(
            fresh, reprint) if printer else None, self._printed("el cargo de recepción"))

    def save_cargo_pdf(self) -> None:
        printer = self._printer
        self._issue("cargo", "pdf", lambda fresh, reprint: printer.save_cargo_pdf(
            fresh, reprint) if printer else None, self._pdf_saved)

    def save_certified_copy(self) -> None:
        """A second copia certificada of the same expediente says DUPLICADO."""
        printer = self._printer
        self._issue("copia", "pdf", lambda fresh, reprint: printer.save_partida_pdf(
            fresh, reprint) if printer else None, self._copy_saved)

    def _copy_saved(self, path: Path) -> None:
        self.expediente.notice.show_message(f"Copia certificada guardada en {path}", "info")
        if self.options.open_files:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _pdf_saved(self, path: Path) -> None:
        self.expediente.notice.show_message(f"Cargo A4 guardado en {path}", "info")
        if self.options.open_files:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def reprint_receipt(self) -> None:
        expediente, printer = self.expediente.expediente, self._printer
        if expediente is None or not expediente.payments:
            return
        receipt = expediente.payments[-1].receipt_number

        def produce(fresh: ExpedienteView, reprint: bool) -> PrintOutcome | None:
            payment = next(p for p in fresh.payments if p.receipt_number == receipt)
            return printer.print_receipt(payment, fresh, reprint) if printer else None

        self._issue("receipt", "termica", produce, self._printed(f"el recibo {receipt}"),
                    receipt)

    # --- attachments ----------------------------------------------------------------------

    def attach_file(self) -> None:
        """Pick a scanned file and add it to the expediente on screen; the hub checks it."""
        expediente = self.expediente.expediente
        if expediente is None:
            return
        path = file_dialogs().open_file(self, "Adjuntar archivo al expediente "
                                              f"{expediente.number}", ATTACHMENT_FILTER)
        if path is None:
            return
        panel, client, number = self.expediente, self._client, expediente.number
        notice = panel.attachments_notice
        panel.tabs.setCurrentWidget(panel.attachments_tab)
        notice.show_message(f"Adjuntando «{path.name}»…", "info")

        def work() -> tuple[AttachmentView, ExpedienteView]:
            try:
                size = path.stat().st_size
                if size > ATTACHMENT_READ_LIMIT:
                    raise InvalidInput("attachment_too_large",
                                       f"El archivo «{path.name}» pesa "
                                       f"{texts.size_text(size)}: es demasiado grande para "
                                       "adjuntarlo. Escanéelo con menor resolución.")
                content = path.read_bytes()
            except OSError:
                raise InvalidInput("unreadable_file",
                                   f"No se pudo leer el archivo «{path.name}». Revise que "
                                   "exista y que no esté abierto en otro programa.") from None
            extension = path.suffix.lower().lstrip(".")
            media_type = ATTACHMENT_TYPES.get(extension) or \
                mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            added = client.attach(number, path.name, media_type, content)
            return added, client.expediente(number)

        def done(result: tuple[AttachmentView, ExpedienteView]) -> None:
            added, fresh = result
            current = panel.expediente
            if current is not None and current.id == fresh.id:
                panel.show_expediente(fresh)
            notice.show_message(f"Adjuntado «{added.file_name}» "
                                f"({texts.size_text(added.size)}).", "info")

        self._call(work, done, lambda error: notice.show_message(
            texts.OFFLINE if isinstance(error, HubUnavailable) else error.message, "error"))

    # --- cierre de caja ---------------------------------------------------------------

    def open_cash(self) -> None:
        """Today's closing by the hub's calendar (this PC's clock may be wrong)."""
        self.area.show_page(self.cash)
        self.load_cash_closing(None)
        self.cash.day.setFocus()

    def load_cash_closing(self, day: date | None) -> None:
        client = self._client
        self._call(lambda: client.cash_closing(day), self.cash.show_closing,
                   lambda error: self.cash.notice.show_message(error.message, "error"))

    def print_cash_closing(self) -> None:
        """A second print of the same day's cierre of the same clerk says REIMPRESIÓN: the
        hub counts the cierre jobs reported as printed (any counter)."""
        closing, printer, client = self.cash.closing, self._printer, self._client
        if closing is None:
            return

        def work() -> tuple[PrintOutcome | None, CashClosing]:
            fresh = client.cash_closing(closing.business_date, closing.username)
            if printer is None:
                return None, fresh
            outcome = printer.print_closing(fresh, fresh.printed > 0)
            return outcome, client.cash_closing(closing.business_date, closing.username)

        def printed(result: tuple[PrintOutcome | None, CashClosing]) -> None:
            outcome, fresh = result
            self.cash.show_closing(fresh)
            ok = outcome is not None and outcome.ok
            self.cash.notice.show_message(self._print_text(outcome, "el cierre de caja"),
                                          "info" if ok else "error")

        self._call(work, printed,
                   lambda error: self.cash.notice.show_message(error.message, "error"))

    # --- lifecycle ------------------------------------------------------------------------

    def shutdown(self) -> None:
        """The window ends (closed, `cac app`/`cac counter` stopped, SIGTERM, Ctrl+C): stop
        the timers and the work in flight, then end the clerk's session. The hub then closes
        the counter (pauses it when a ticket is still held there): the TV sends nobody to an
        empty window, and this PC's next login offers the same counter."""
        self.refresh_timer.stop()
        self.retry_timer.stop()
        self.sync_line.stop()
        self.idle.disarm()
        self._caller.wait_idle()
        self.sync_line.wait_idle()
        session, self.session = self.session, None
        if session is None:
            return
        try:
            self._client.logout()
        except Exception as exc:  # nothing may stop the exit; the hub's sweep is the net
            log.warning("logout at shutdown failed: %s", getattr(exc, "code", type(exc)))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)


def run_counter(args: argparse.Namespace) -> int:
    from kiosk.config import DataDir
    from ui.connect import remote_client
    from ui.counter.printer import counter_printer_for
    from ui.qt_app import application

    app = application()
    client = remote_client(args.hub, args.token, getattr(args, "ca", None))
    data_dir = DataDir.from_option(args.data_dir)
    printer = counter_printer_for(client, data_dir)
    options = CounterOptions(counter=getattr(args, "counter", None))
    window = CounterWindow(client, printer, options)
    if args.windowed:
        window.resize(1366, 768)
        window.show()
    else:
        window.showMaximized()
    code = int(app.exec())
    window.shutdown()
    QCoreApplication.processEvents()
    return code
