"""The clerk's counter window (ventanilla): login, queue panel, expedientes, payments, closing.

`CounterWindow(client, printer)` works with any HubClient (in-process in `cac app`, HTTP in
`cac counter --hub URL --token T`). Every hub call and every print runs on the window's worker
thread (HubCaller); results come back on the GUI thread. When the hub cannot be reached the
window says so calmly and retries; forms keep what the clerk typed.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeyEvent
from PySide6.QtWidgets import (
    QStackedWidget,
)

from kiosk.client.base import HubClient
from kiosk.errors import CacError, HubUnavailable, InvalidInput
from kiosk.rules.versions import newer_hub_notice
from kiosk.services.cita_views import CitaInput, CitaPlanView, CitaView
from kiosk.services.expediente_views import (
    AttachmentView,
    CashClosing,
    ClerkSession,
    ExpedienteView,
    LoginCounter,
    NoticeWithdrawal,
    PaymentView,
)
from kiosk.services.reclamo_views import ReclamoInput, ReclamoView
from kiosk.services.signing_views import SigningUnlock
from kiosk.services.views import CounterView, HealthView, TicketView
from ui.counter import texts
from ui.counter.cash_control import CashControl
from ui.counter.cita_control import CitaControl
from ui.counter.document_control import ATTACHMENT_FILTER, DocumentControl, print_text
from ui.counter.expediente_control import ExpedienteControl, Paid
from ui.counter.login import ChangeSecretPage, LockPage, LoginPage
from ui.counter.printer import CounterPrinter
from ui.counter.queue_control import Poll, QueueControl
from ui.counter.state import CounterState
from ui.counter.style import COUNTER_STYLE
from ui.counter.widgets import Notice
from ui.counter.work_page import WorkPage
from ui.files import file_dialogs
from ui.hub_calls import HubCaller
from ui.kiosk.printer_port import PrintOutcome
from ui.messages import message_boxes
from ui.staff_window import StaffWindow, run_window

log = logging.getLogger(__name__)

TITLE = "CAC — Ventanilla"


@dataclass(frozen=True)
class CounterOptions:
    refresh_ms: int = 5_000  # waiting counts and the counter's state
    retry_ms: int = 3_000  # after the hub could not be reached
    idle_lock_s: int | None = None  # None: the clerk session's (the office's setting)
    counter: int | None = None  # the counter preselected on the login screen
    open_files: bool = True  # open the saved cargo PDF with the PC's viewer


class CounterWindow(StaffWindow):
    """The pages and what the clerk sees. The work is the controllers', each owning its hub
    calls: `shift` (the queue, ui/counter/queue_control.py), `expedientes`, `documents` and
    `cash_control` (`cash` is the cierre's page)."""

    sign_out_question = "¿Cerrar su sesión en esta ventanilla?"
    offline_text = texts.OFFLINE

    def __init__(self, client: HubClient, printer: CounterPrinter | None = None,
                 options: CounterOptions | None = None, *, tz: tzinfo | None = None,
                 caller: HubCaller | None = None) -> None:
        options = options or CounterOptions()
        super().__init__(client, tz=tz, caller=caller, retry_ms=options.retry_ms)
        self.options = options
        self.setObjectName("counterWindow")
        self.setWindowTitle(TITLE)
        self.setStyleSheet(COUNTER_STYLE)
        self.idle_lock_s = self.options.idle_lock_s
        self.counter_number: int | None = None
        self.shift = QueueControl(client, self._call, self)
        self.documents = DocumentControl(client, printer, self._call)
        self.expedientes = ExpedienteControl(client, self.documents, self._call)
        self.cash_control = CashControl(client, printer, self._call)
        self.cita_control = CitaControl(client, self._call)

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.login = LoginPage()
        self.lock = LockPage()
        self.change_secret = ChangeSecretPage()
        self.work = WorkPage(self.tz)
        for page in (self.login, self.lock, self.change_secret, self.work):
            self.stack.addWidget(page)
        self.banner = self.work.offline
        self.queue = self.work.queue
        self.area = self.work.area
        self.form = self.area.form
        self.search = self.area.search_panel
        self.expediente = self.area.expediente
        self.transition_form = self.area.transition
        self.payment_form = self.area.payment
        self.appeal_form = self.area.appeal
        self.cash = self.area.cash_panel
        self.citas = self.area.citas_panel
        self.work.bar.insertWidget(1, self.sync_line)
        self.refresh_timer = self._timer(self.options.refresh_ms, self.refresh)

        self._connect()
        self.stack.setCurrentWidget(self.login)
        self.load_login()

    # What the tests and the screenshots read: the controllers' state.
    @property
    def state(self) -> CounterState:
        return self.shift.state

    @property
    def last_finished(self) -> TicketView | None:
        return self.shift.last_finished

    @property
    def last_payment(self) -> PaymentView | None:
        return self.expedientes.last_payment

    def _connect(self) -> None:
        self.idle.idle.connect(self.lock_screen)
        self.shift.catalogue.connect(self._catalogue_loaded)
        self.shift.polled.connect(self._show_poll)
        self.shift.new_ticket.connect(self._new_ticket)
        self.shift.handled_changed.connect(self.queue.show_handled)
        self.shift.started.connect(self._shift_started)
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
        self.work.reclamo.clicked.connect(self.open_reclamo)
        self.area.reclamo_form.filing_requested.connect(self.file_reclamo)
        self.area.reclamo_form.draft_requested.connect(self.bring_reclamo_draft)
        self.area.reclamo_form.cancelled.connect(lambda: self.area.show_page(self.area.welcome))
        self.area.citas.clicked.connect(self.open_citas)
        self.citas.slots_requested.connect(self.load_cita_slots)
        self.citas.day_requested.connect(self.load_day_citas)
        self.citas.booking_requested.connect(self.book_cita)
        self.citas.cancel_requested.connect(self.cancel_cita)
        self.citas.change_requested.connect(self.change_cita)
        self.form.filing_requested.connect(self.file_expediente)
        self.form.person_lookup.connect(self.find_persons)
        self.form.business_lookup.connect(self.find_businesses)
        self.form.partida.acta_search.connect(self.search_actas)
        self.search.search_requested.connect(self.search_expedientes)
        self.search.open_requested.connect(self.open_expediente)
        self.expediente.action_requested.connect(self.ask_transition)
        self.expediente.pay_requested.connect(self.ask_payment)
        self.expediente.appeal_requested.connect(self.ask_appeal)
        self.expediente.print_cargo.connect(self.print_cargo)
        self.expediente.save_pdf.connect(self.save_cargo_pdf)
        self.expediente.save_copy.connect(self.save_certified_copy)
        self.expediente.save_constancia.connect(self.save_constancia)
        self.expediente.reprint_receipt.connect(self.reprint_receipt)
        self.expediente.attach_requested.connect(self.attach_file)
        self.expediente.withdraw_notices.connect(self.withdraw_notices)
        self.transition_form.acta_picker.search_requested.connect(self.search_actas_to_link)
        self.transition_form.submitted.connect(self.transition)
        self.transition_form.cancelled.connect(self._back_to_expediente)
        self.payment_form.submitted.connect(self.pay)
        self.payment_form.cancelled.connect(self._back_to_expediente)
        self.appeal_form.submitted.connect(self.file_appeal)
        self.appeal_form.cancelled.connect(self._back_to_expediente)
        self.cash.closing_requested.connect(self.load_cash_closing)
        self.cash.print_requested.connect(self.print_cash_closing)
        self.cash.save_requested.connect(self.save_cash_closing)

    # --- the shell's hooks ----------------------------------------------------------------

    def _retry_work(self) -> None:
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

    @staticmethod
    def _refusal(error: CacError) -> str:
        """What a form says when the hub refused it, or could not be reached."""
        return texts.OFFLINE if isinstance(error, HubUnavailable) else error.message

    # --- login, lock, logout ----------------------------------------------------------

    def load_login(self) -> None:
        client = self._client
        self._call(lambda: (client.health(), client.counters(), self._login_counter()),
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

    def _login_loaded(self, result: tuple[HealthView, list[CounterView], LoginCounter]
                      ) -> None:
        health, counters, offered = result
        office = health.name
        newer_hub = newer_hub_notice(health.version)  # a small line; the login goes on
        if newer_hub is not None and not self.login.notice.text():
            self.login.notice.show_message(newer_hub, "info")
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
                   lambda error: self.login.refused(self._refusal(error)))

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
        self.shift.start(self.counter_number)

    def _secret_saved(self) -> None:
        assert self.session is not None
        self._signed_in(self.session, self.counter_number or 0)

    def _secret_refusal(self, error: CacError) -> str:
        return self._refusal(error)

    def _catalogue_loaded(self) -> None:
        self.queue.set_services(self.shift.services)
        self.form.set_procedures(self.shift.procedures)

    def _shift_started(self) -> None:
        self.refresh_timer.start()
        self.sync_line.start()
        self.queue.call.setFocus()

    def refresh(self) -> None:
        if self.session is not None:
            self.shift.refresh()

    def _show_poll(self, poll: Poll) -> None:
        self.queue.show_state(self.shift.state)
        self.queue.show_queue(poll.queue.services)

    def _new_ticket(self, ticket: TicketView) -> None:
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
                   self._unlocked, lambda error: self.lock.refused(self._refusal(error)))

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
        self.shift.stop()
        self.expedientes.last_payment = None
        self.documents.clear()
        self.form.reset()
        self.search.query.clear()
        self.search.model.set_rows([])
        self.expediente.expediente = None
        self.queue.show_state(self.shift.state)
        self.queue.notice.clear_message()
        self.area.show_page(self.area.welcome)
        self.stack.setCurrentWidget(self.login)

    # --- queue ----------------------------------------------------------------------

    def queue_action(self, action: str, value: str) -> None:
        number = self.counter_number
        if number is None or action not in self.shift.state.legal():
            return
        if action == "close" and not message_boxes().confirm(
                self, "Cerrar ventanilla",
                f"¿Cerrar la ventanilla {number}? No se le llamarán más turnos."):
            return
        self.queue.notice.clear_message()
        self.shift.act(action, value, self._after_queue_action)

    def _after_queue_action(self, action: str, answer: object) -> None:
        notice = self.queue.notice
        if action == "call" and answer is None:
            notice.show_message(texts.NO_ONE_WAITING, "info")
        elif action == "finish" and isinstance(answer, TicketView):
            linked = answer.expedientes or self.shift.handled
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
        self.shift.citizen_done()
        self.form.reset()
        self.expedientes.last_payment = None
        self.expediente.expediente = None
        self.area.show_page(self.area.welcome)
        self.queue.call.setFocus()

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
        if not self.shift.procedures:
            self.shift.load_procedures(self.form.set_procedures)
        ticket = self.shift.state.held_ticket
        if ticket is not None and not self.form.doc_number.text():
            self.form.choose_for_service(ticket.service)
        self.form.procedure.setFocus()

    def find_persons(self, query: str) -> None:
        self.expedientes.find_persons(query, self.form.show_persons,
                                      lambda error: self.form.person_hint.setText(error.message))

    def find_businesses(self, ruc: str) -> None:
        self.expedientes.find_businesses(ruc, self.form.show_businesses, self._form_refused)

    def search_actas(self, query: str, kind: str) -> None:
        self.expedientes.search_actas(query, kind, self.form.show_actas, self._form_refused)

    def _form_refused(self, error: CacError) -> None:
        self.form.notice.show_message(error.message, "error")

    def search_actas_to_link(self, query: str, kind: str) -> None:
        """The acta search of «Vincular acta» (a partida filed without its acta)."""
        form = self.transition_form
        self.expedientes.search_actas(query, kind, form.show_actas,
                                      lambda error: form.notice.show_message(error.message,
                                                                             "error"))

    def file_expediente(self) -> None:
        try:
            request = self.form.build_input(self.shift.ticket_id())
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
        self.expedientes.file(request, self._filed,
                              lambda error: self.form.show_error(self._refusal(error)))

    def _filed(self, expediente: ExpedienteView) -> None:
        self.form.reset()
        self.shift.add_handled(expediente.number)
        self.show_expediente(expediente, f"Expediente {expediente.number} registrado. "
                                         "Cobre el derecho o imprima el cargo.")

    # --- expedientes: search and view -------------------------------------------------

    def open_search(self) -> None:
        self.area.show_page(self.search)
        self.search.query.setFocus()
        self.search.query.selectAll()

    def search_expedientes(self, query: str) -> None:
        self.expedientes.search(query, self.search.show_results,
                                lambda error: self.search.notice.show_message(error.message,
                                                                              "error"))

    def open_expediente(self, number: str) -> None:
        self.expedientes.open(number, self.show_expediente)

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

    def withdraw_notices(self) -> None:
        """The citizen no longer wants notices (Ley 29733): confirmed, then withdrawn."""
        expediente = self.expediente.expediente
        if expediente is None or expediente.notices is None or not message_boxes().confirm(
                self, "Retirar avisos",
                f"¿El ciudadano retira su autorización de avisos del expediente "
                f"{expediente.number}? Se borra su celular y correo y no se le envía nada "
                "más."):
            return
        number = expediente.number

        def done(result: tuple[NoticeWithdrawal, ExpedienteView]) -> None:
            withdrawal, view = result
            cancelled = (f" {withdrawal.cancelled} aviso(s) pendiente(s) anulado(s)."
                         if withdrawal.cancelled else "")
            self.show_expediente(view, f"Avisos retirados del expediente {number}."
                                       f"{cancelled}")

        self.expedientes.withdraw_notices(
            number, done, lambda error: self.expediente.notice.show_message(
                self._refusal(error), "error"))

    # --- expedientes: transitions and payments ---------------------------------------

    def ask_transition(self, action: str) -> None:
        expediente = self.expediente.expediente
        if expediente is None:
            return
        self.area.show_page(self.transition_form)
        self.transition_form.open_for(expediente, action, datetime.now(self.tz).date())

    def transition(self) -> None:
        form = self.transition_form
        try:
            if form.action == "inspect":  # with its certificate (kiosk/services/itse.py)
                itse = form.build_itse()
            else:
                change = form.build(self.shift.ticket_id())
        except InvalidInput as exc:
            form.show_error(exc.message)
            return
        form.set_busy(True)
        if form.action == "inspect":
            self.expedientes.record_itse(form.number, itse, self._transitioned,
                                         lambda error: form.show_error(self._refusal(error)))
            return
        self.expedientes.transition(form.number, change, self._transitioned,
                                    lambda error: form.show_error(self._refusal(error)))

    def _transitioned(self, expediente: ExpedienteView) -> None:
        self.transition_form.set_busy(False)
        self.shift.add_handled(expediente.number)
        self.show_expediente(expediente, f"Expediente {expediente.number}: "
                                         f"{expediente.status_text.lower()}.")

    def ask_appeal(self) -> None:
        expediente = self.expediente.expediente
        if expediente is None or not expediente.appeal_kinds:
            return
        self.area.show_page(self.appeal_form)
        self.appeal_form.open_for(expediente)

    def file_appeal(self) -> None:
        form = self.appeal_form
        try:
            appeal = form.build(self.shift.ticket_id())
        except InvalidInput as exc:
            form.show_error(exc.message)
            return
        form.set_busy(True)
        self.expedientes.file_appeal(form.number, appeal, self._appeal_filed,
                                     lambda error: form.show_error(self._refusal(error)))

    def _appeal_filed(self, expediente: ExpedienteView) -> None:
        self.appeal_form.set_busy(False)
        self.shift.add_handled(expediente.number)
        appeal = expediente.appeals[-1]
        self.show_expediente(expediente, f"Recurso de {appeal.kind_text.lower()} registrado: "
                                         f"resuelve {appeal.authority} hasta el "
                                         f"{texts.day_text(appeal.due_date)}.")

    def ask_payment(self) -> None:
        expediente = self.expediente.expediente
        if expediente is None or expediente.balance <= 0:
            return
        self.area.show_page(self.payment_form)
        self.payment_form.open_for(expediente)

    def pay(self) -> None:
        form = self.payment_form
        try:
            payment = form.build(self.shift.ticket_id())
        except InvalidInput as exc:
            form.show_error(exc.message)
            return
        form.set_busy(True)
        self.expedientes.pay(form.number, payment, self._paid,
                             lambda error: form.show_error(self._refusal(error)))

    def _paid(self, result: Paid) -> None:
        payment, expediente, outcome = result
        self.payment_form.set_busy(False)
        self.shift.add_handled(expediente.number)
        message = f"Pago registrado: recibo {payment.receipt_number} por " \
                  f"{texts.soles(payment.amount)}."
        if payment.change is not None and payment.change > 0:
            message += f" Vuelto: {texts.soles(payment.change)}."
        message += " " + print_text(outcome, "el recibo")
        self.show_expediente(expediente, message,
                             "info" if outcome is None or outcome.ok else "error")

    # --- documents: printed, saved, attached -------------------------------------------

    def _issue(self, start: Callable[[str, Callable[[Any, ExpedienteView], None],
                                      Callable[[CacError], None]], bool],
               shown: Callable[[Any], None],
               answers: dict[str, Callable[[], None]] | None = None) -> None:
        """A document of the expediente on screen, printed or saved by `start` (a
        DocumentControl method); the history shows it once the hub recorded it."""
        expediente = self.expediente.expediente
        if expediente is None:
            return
        if self.documents.printer is None:
            self.expediente.notice.show_message(print_text(None, ""), "error")
            return

        def issued(result: Any, fresh: ExpedienteView) -> None:
            current = self.expediente.expediente
            if current is not None and current.id == fresh.id:
                self.expediente.show_expediente(fresh)  # the history shows the document
            shown(result)

        def failed(error: CacError) -> None:
            if answers and error.code in answers:  # a refusal the window resolves (a password)
                answers[error.code]()
            elif not isinstance(error, HubUnavailable):
                self.show_error(error.message)

        if not start(expediente.number, issued, failed):
            self.expediente.notice.show_message("Un momento: ese documento se está emitiendo.",
                                                "info")

    def _printed(self, what: str) -> Callable[[PrintOutcome | None], None]:
        def show(outcome: PrintOutcome | None) -> None:
            ok = outcome is not None and outcome.ok
            self.expediente.notice.show_message(print_text(outcome, what),
                                                "info" if ok else "error")
        return show

    def _saved(self, what: str) -> Callable[[Path], None]:
        def show(path: Path) -> None:
            self.expediente.notice.show_message(f"{what} en {path}", "info")
            if self.options.open_files:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return show

    def print_cargo(self) -> None:
        self._issue(self.documents.print_cargo, self._printed("el cargo de recepción"))

    def save_cargo_pdf(self) -> None:
        self._issue(self.documents.save_cargo_pdf, self._saved("Cargo A4 guardado"),
                    {"signing_locked": lambda: self.unlock_signing(self.save_cargo_pdf)})

    def save_certified_copy(self) -> None:
        """Signed by the registrar (issue 18): the first signed document of a session asks
        for the certificate's password, unlocks it at the hub and saves the document."""
        self._issue(self.documents.save_certified_copy, self._saved("Copia certificada guardada"),
                    {"signing_locked": lambda: self.unlock_signing(self.save_certified_copy)})

    def unlock_signing(self, then: Callable[[], None], notice: Notice | None = None) -> None:
        password = message_boxes().secret(
            self, "Firma digital", "Contraseña del certificado de firma de la municipalidad "
                                   "(se pide una vez por sesión; no se guarda):")
        if password is None:
            (notice or self.expediente.notice).show_message(
                "El documento no se emitió: sin la contraseña del certificado no se puede "
                "firmar.", "error")
            return
        client = self._client
        self._call(lambda: client.unlock_signing(SigningUnlock(password=password)),
                   lambda _status: then(), lambda error: self.show_error(error.message))

    def save_constancia(self) -> None:
        self._issue(self.documents.save_constancia,
                    self._saved("Constancia de silencio positivo guardada"))

    def reprint_receipt(self) -> None:
        expediente = self.expediente.expediente
        if expediente is None or not expediente.payments:
            return
        receipt = expediente.payments[-1].receipt_number
        self._issue(lambda number, issued, failed: self.documents.reprint_receipt(
            number, receipt, issued, failed), self._printed(f"el recibo {receipt}"))

    def attach_file(self) -> None:
        """Pick a scanned file and add it to the expediente on screen; the hub checks it."""
        expediente = self.expediente.expediente
        if expediente is None:
            return
        path = file_dialogs().open_file(self, "Adjuntar archivo al expediente "
                                              f"{expediente.number}", ATTACHMENT_FILTER)
        if path is None:
            return
        panel = self.expediente
        notice = panel.attachments_notice
        panel.tabs.setCurrentWidget(panel.attachments_tab)
        notice.show_message(f"Adjuntando «{path.name}»…", "info")

        def attached(added: AttachmentView, fresh: ExpedienteView) -> None:
            current = panel.expediente
            if current is not None and current.id == fresh.id:
                panel.show_expediente(fresh)
            notice.show_message(f"Adjuntado «{added.file_name}» "
                                f"({texts.size_text(added.size)}).", "info")

        self.documents.attach(expediente.number, path, attached,
                              lambda error: notice.show_message(self._refusal(error), "error"))

    # --- cierre de caja ---------------------------------------------------------------

    def open_cash(self) -> None:
        """Today's closing by the hub's calendar (this PC's clock may be wrong)."""
        self.area.show_page(self.cash)
        self.load_cash_closing(None)
        self.cash.day.setFocus()

    # --- citas (ui/counter/citas_panel.py) ------------------------------------------------

    def open_citas(self) -> None:
        self.area.show_page(self.citas)
        self.cita_control.services(self._cita_services_loaded, self._cita_refused)
        self.citas.document.setFocus()

    def _cita_services_loaded(self, loaded: tuple[list[CitaPlanView], date]) -> None:
        plans, today = loaded
        self.citas.set_services(plans, today)
        self.citas.request_slots()

    def load_cita_slots(self, service: str, day: date) -> None:
        self.cita_control.slots(service, day, self.citas.show_slots_of, self._cita_refused)

    def load_day_citas(self, day: date) -> None:
        self.cita_control.day(day, self.citas.show_day, self._cita_refused)

    def book_cita(self, request: CitaInput) -> None:
        def booked(cita: CitaView) -> None:
            self.citas.show_booked(cita)
            self.citas.request_slots()  # the place it took, and the day's list

        self.cita_control.book(request, booked, self._cita_refused)

    def cancel_cita(self, code: str) -> None:
        def cancelled(cita: CitaView) -> None:
            self.citas.notice.show_message(f"Cita {cita.code} cancelada: su hora quedó libre.",
                                           "info")
            self.citas.request_slots()

        self.cita_control.cancel(code, cancelled, self._cita_refused)

    def change_cita(self, code: str, start: datetime) -> None:
        def changed(cita: CitaView) -> None:
            self.citas.show_changed(cita)
            self.citas.request_slots()  # both places, and the day's list

        self.cita_control.change(code, start, changed, self._cita_refused)

    def _cita_refused(self, error: CacError) -> None:
        self.citas.notice.show_message(error.message, "error")

    def load_cash_closing(self, day: date | None) -> None:
        self.cash_control.load(day, self.cash.show_closing, self._cash_refused)

    def print_cash_closing(self) -> None:
        closing = self.cash.closing
        if closing is None:
            return

        def printed(result: tuple[PrintOutcome | None, CashClosing]) -> None:
            outcome, fresh = result
            self.cash.show_closing(fresh)
            ok = outcome is not None and outcome.ok
            self.cash.notice.show_message(print_text(outcome, "el cierre de caja"),
                                          "info" if ok else "error")

        self.cash_control.print(closing, printed, self._cash_refused)

    def save_cash_closing(self, path: Path | None = None) -> None:
        """The A4 cierre as a PDF where the clerk chooses, signed by the hub when the clerk
        signs (issue 18): the password is asked once per session, then the same file saved."""
        closing = self.cash.closing
        if closing is None:
            return
        if path is None:
            path = file_dialogs().save_file(
                self, "Guardar cierre de caja",
                f"cierre-caja-{closing.business_date.isoformat()}-{closing.username}.pdf",
                "Documento PDF (*.pdf)")
            if path is None:
                return
        chosen = path

        def saved(done: Path) -> None:
            self.cash.notice.show_message(f"Cierre de caja guardado en {done}", "info")
            if self.options.open_files:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(done)))

        def failed(error: CacError) -> None:
            if error.code == "signing_locked":
                self.unlock_signing(lambda: self.save_cash_closing(chosen), self.cash.notice)
            else:
                self._cash_refused(error)

        self.cash_control.save_pdf(closing, chosen, saved, failed)

    def _cash_refused(self, error: CacError) -> None:
        self.cash.notice.show_message(error.message, "error")

    # --- the Libro de Reclamaciones -----------------------------------------------------

    def open_reclamo(self) -> None:
        form = self.area.reclamo_form
        self.area.show_page(form)
        form.doc_number.setFocus()
        held = self.state.held_ticket  # the citizen at the counter now, maybe from the kiosk
        if held is not None and not form.from_ticket.text():
            form.from_ticket.setText(held.number)

    def bring_reclamo_draft(self, ticket: str) -> None:
        """What the citizen with that ticket typed at the kiosk (the hub keeps it today)."""
        form, client = self.area.reclamo_form, self._client
        self._call(lambda: client.reclamo_draft(ticket), lambda draft: form.fill(ticket, draft),
                   lambda error: form.show_error(self._refusal(error)))

    def file_reclamo(self, hoja: ReclamoInput) -> None:
        """File the citizen's reclamo and print the hoja on this counter's printer."""
        printer, form = self.documents.printer, self.area.reclamo_form

        def work() -> tuple[ReclamoView, PrintOutcome | None]:
            reclamo = self._client.file_reclamo(hoja)
            return reclamo, printer.print_reclamo(reclamo) if printer is not None else None

        self._call(work, lambda done: form.show_filed(
            done[0], print_text(done[1], "la hoja de reclamación")),
            lambda error: form.show_error(self._refusal(error)))

    # --- lifecycle ------------------------------------------------------------------------

    def _at_shutdown(self) -> None:
        """End the clerk's session. The hub then closes the counter (pauses it when a ticket
        is still held there): the TV sends nobody to an empty window, and this PC's next
        login offers the same counter."""
        session, self.session = self.session, None
        if session is None:
            return
        try:
            self._client.logout()
        except Exception as exc:  # nothing may stop the exit; the hub's sweep is the net
            log.warning("logout at shutdown failed: %s", getattr(exc, "code", type(exc)))


def run_counter(args: argparse.Namespace) -> int:
    from kiosk.config import DataDir
    from ui.connect import remote_client
    from ui.counter.printer import counter_printer_for

    def build() -> CounterWindow:
        client = remote_client(args.hub, args.token, getattr(args, "ca", None))
        printer = counter_printer_for(client, DataDir.from_option(args.data_dir))
        return CounterWindow(client, printer,
                             CounterOptions(counter=getattr(args, "counter", None)))

    return run_window(build, args.windowed)
