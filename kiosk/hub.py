"""The office hub: the one object that owns the office's store (composition root).

Every way in (the HTTP API, the in-process client, the CLI, the simulator) goes through these
methods, so authorisation, the unit of work and the day rollover are applied the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select

from kiosk import __version__
from kiosk.calls import CallFeed
from kiosk.clock import Clock, HybridLogicalClock, SystemClock
from kiosk.config import DataDir, OfficeConfig, validate_office_code
from kiosk.errors import CacError, Conflict, Forbidden, InvalidInput, Unauthorized
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.permissions import Role, authorize
from kiosk.services import (
    attachments,
    audit,
    catalogue,
    documents,
    expediente_stats,
    expedientes,
    history,
    payments,
    printjobs,
    queries,
    queue,
    ratings,
    registry,
    report,
    search,
    stats,
    supervisor,
    sync_status,
    tupa,
    users,
)
from kiosk.services.devices import DeviceIdentity, add_device, identify
from kiosk.services.expediente_views import (
    ActaInput,
    ActaView,
    AttachmentFile,
    AttachmentView,
    BusinessView,
    CashClosing,
    ClerkSession,
    DocumentInput,
    ExpedienteInput,
    ExpedienteSummary,
    ExpedienteView,
    LoginInput,
    PaymentInput,
    PaymentView,
    PersonView,
    PublicStatus,
    TransitionInput,
    UserView,
)
from kiosk.services.supervisor_views import (
    ExpedienteStats,
    PeriodReport,
    RatingView,
    SatisfactionStats,
    SupervisorLive,
    TicketHistory,
)
from kiosk.services.sync_status import SyncAttentionItem, SyncStatusView
from kiosk.services.unit_of_work import OfficeContext, UnitOfWork
from kiosk.services.views import (
    AlertView,
    CallsPage,
    CatalogueImported,
    CounterView,
    DayClosed,
    DeviceView,
    HealthView,
    IssuedTicket,
    PrintJobReport,
    PrintJobView,
    ProcedureView,
    QueueSnapshot,
    ServiceView,
    StatsReport,
    TicketView,
)
from kiosk.storage.migrate import upgrade_database
from kiosk.storage.store import Store
from kiosk.storage.tables import Event

log = logging.getLogger(__name__)

T = TypeVar("T")

# The hub's own work (rollover, CLI administration) is done as this identity.
SYSTEM = DeviceIdentity(id="system", name="sistema", role=Role.ADMIN)

MAX_LONG_POLL_S = 60.0


class OfficeHub:
    def __init__(self, data_dir: DataDir, clock: Clock | None = None) -> None:
        self.data_dir = data_dir
        self.config: OfficeConfig = data_dir.load_config()
        self.clock = clock or SystemClock()
        data_dir.create()
        upgrade_database(data_dir.database, data_dir.backups, self.config.backups_kept)
        self.store = Store(data_dir.database)
        with self.store.write_session() as session:
            office = catalogue.ensure_office(
                session, self.config.office_code, self.config.office_name, self.clock.now()
            )
            session.commit()
            last_hlc = session.scalar(select(Event.hlc).order_by(Event.seq.desc()).limit(1))
        self.office = OfficeContext(
            office_id=office.id,
            office_code=office.code,
            tz=self.config.tz,
            default_service_minutes=self.config.default_service_minutes,
            missed_reinstate_minutes=self.config.missed_reinstate_minutes,
        )
        self.hlc = HybridLogicalClock(office.code, self.clock)
        if last_hlc:
            self.hlc.observe(last_hlc)  # never stamp below what this office already wrote
        with self.store.read_session() as session:
            self.calls = CallFeed(queries.latest_call_seq(session))
        self._checked_day: date | None = None

    # --- creation ------------------------------------------------------------------------

    @classmethod
    def initialise(cls, data_dir: DataDir, office_code: str, name: str, *, demo: bool = False,
                   clock: Clock | None = None) -> OfficeHub:
        if data_dir.exists():
            raise Conflict("office_exists", f"Ya hay una oficina en {data_dir.root}.")
        name = name.strip()
        if not name:
            raise InvalidInput("invalid_name", "Indique el nombre de la oficina.")
        data_dir.save_config(OfficeConfig(office_code=validate_office_code(office_code),
                                          office_name=name))
        hub = cls(data_dir, clock)
        if demo:
            with hub.unit_of_work() as uow:
                catalogue.load_catalogue(uow, catalogue.DEMO_CATALOGUE)
                users.seed_demo_users(uow)
                tupa.import_catalogue(uow, tupa.DEMO_TUPA, None)
                registry.load_demo_actas(uow)
                uow.commit()
        return hub

    def close(self) -> None:
        self.store.dispose()

    # --- plumbing ------------------------------------------------------------------------

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.store, self.clock, self.hlc, self.office)

    def authenticate(self, token: str, clerk_session: str | None = None) -> DeviceIdentity:
        """The device behind a credential and, with a clerk session, the clerk using it."""
        with self.store.read_session() as session:
            device = identify(session, token)
            if clerk_session:
                device = users.resolve(session, device, clerk_session, self.clock.now())
            return device

    def _write(self, device: DeviceIdentity, action: str, work: Callable[[UnitOfWork], T]) -> T:
        authorize(device.role, action)
        if device.clerk is not None and device.clerk.must_change and action != "sessions.login":
            raise Conflict("secret_change_required",
                           f"{device.clerk.full_name}: antes de atender cambie su PIN inicial.")
        with self.unit_of_work() as uow:
            uow.clerk_id = device.clerk.user_id if device.clerk else None
            if uow.today != self._checked_day and queue.needs_rollover(uow):
                closed = queue.close_day(uow, uow.today - timedelta(days=1), None)
                log.info("cierre automático del día anterior: %s", closed)
            result = work(uow)
            uow.commit()
            self._checked_day = uow.today
            if uow.last_call_seq is not None:
                self.calls.publish(uow.last_call_seq)
        return result

    def _device_id(self, device: DeviceIdentity) -> str | None:
        return None if device is SYSTEM else device.id

    # --- reads ---------------------------------------------------------------------------

    def health(self) -> HealthView:
        return HealthView(status="ok", office=self.office.office_code,
                          name=self.config.office_name, version=__version__,
                          time=self.clock.now())

    def services(self, device: DeviceIdentity) -> list[ServiceView]:
        authorize(device.role, "services.read")
        with self.store.read_session() as session:
            return catalogue.list_services(session)

    def counters(self, device: DeviceIdentity) -> list[CounterView]:
        authorize(device.role, "counters.read")
        with self.store.read_session() as session:
            return catalogue.list_counters(session)

    def queue(self, device: DeviceIdentity) -> QueueSnapshot:
        authorize(device.role, "queue.read")
        now = self.clock.now()
        with self.store.read_session() as session:
            return queries.queue_snapshot(session, now, self.office.business_date(now),
                                          self.office.missed_reinstate_minutes)

    def ticket(self, device: DeviceIdentity, ticket_id: str) -> TicketView:
        authorize(device.role, "tickets.read")
        with self.store.read_session() as session:
            return queries.get_ticket(session, self.office.office_id, ticket_id)

    def calls_after(self, device: DeviceIdentity, after: int, wait: float = 0.0) -> CallsPage:
        authorize(device.role, "calls.read")
        after = _check_after(after)
        if wait > 0:
            self.calls.wait(after, min(wait, MAX_LONG_POLL_S))
        with self.store.read_session() as session:
            return queries.calls_after(session, after)

    async def calls_after_async(self, device: DeviceIdentity, after: int, wait: float
                                ) -> CallsPage:
        authorize(device.role, "calls.read")
        after = _check_after(after)
        if wait > 0:
            await self.calls.wait_async(after, min(wait, MAX_LONG_POLL_S))
        with self.store.read_session() as session:
            return queries.calls_after(session, after)

    def stats(self, device: DeviceIdentity, date_from: date, date_to: date) -> StatsReport:
        authorize(device.role, "stats.read")
        with self.store.read_session() as session:
            return stats.stats_report(session, self.office.office_code, self.office.tz,
                                      date_from, date_to)

    def export_tickets(self, device: DeviceIdentity, date_from: date, date_to: date) -> str:
        authorize(device.role, "tickets.export")
        with self.store.read_session() as session:
            return stats.export_csv(session, self.office.tz, date_from, date_to)

    def procedures(self, device: DeviceIdentity) -> list[ProcedureView]:
        """The TUPA in force today (office local date), by category then name."""
        authorize(device.role, "procedures.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            return tupa.list_procedures(session, self.office.office_id, today)

    def procedure(self, device: DeviceIdentity, code: str) -> ProcedureView:
        authorize(device.role, "procedures.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            return tupa.get_procedure(session, self.office.office_id, code, today)

    def working_calendar(self) -> WorkingCalendar:
        """The office's working days (national holidays and its extra non-working days)."""
        with self.store.read_session() as session:
            return tupa.office_calendar(session, self.office.tz)

    def print_jobs(self, device: DeviceIdentity, state: str | None = None, limit: int = 50
                   ) -> list[PrintJobView]:
        authorize(device.role, "prints.read")
        with self.store.read_session() as session:
            return printjobs.list_jobs(session, state, limit)

    def alerts(self, device: DeviceIdentity) -> list[AlertView]:
        authorize(device.role, "alerts.read")
        now = self.clock.now()
        with self.store.read_session() as session:
            return printjobs.printer_alerts(session, self.office.business_date(now),
                                            self.office.tz)

    # --- the supervisor's dashboard and the period report -------------------------------

    def supervisor_live(self, device: DeviceIdentity) -> SupervisorLive:
        """Queues against their targets, each counter and its clerk, today's figures, alerts."""
        authorize(device.role, "stats.read")
        now = self.clock.now()
        today = self.office.business_date(now)
        with self.store.read_session() as session:
            return supervisor.supervisor_live(
                session, office=self.office.office_code, now=now, today=today,
                missed_minutes=self.office.missed_reinstate_minutes,
                idle_alert_minutes=self.config.idle_counter_alert_minutes,
                printer_alerts=printjobs.printer_alerts(session, today, self.office.tz),
                sync=sync_status.sync_status(session, now, self.config.central_url,
                                             self.config.sync_alert_minutes))

    def ticket_history(self, device: DeviceIdentity, date_from: date, date_to: date
                       ) -> TicketHistory:
        authorize(device.role, "stats.read")
        with self.store.read_session() as session:
            return history.ticket_history(session, self.office.office_code, self.office.tz,
                                          date_from, date_to)

    def expediente_stats(self, device: DeviceIdentity, date_from: date, date_to: date
                         ) -> ExpedienteStats:
        authorize(device.role, "stats.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            return expediente_stats.expediente_stats(
                session, self.office.office_code, self.office.tz, date_from, date_to, today,
                tupa.office_calendar(session, self.office.tz))

    def satisfaction_stats(self, device: DeviceIdentity, date_from: date, date_to: date
                           ) -> SatisfactionStats:
        authorize(device.role, "stats.read")
        with self.store.read_session() as session:
            return ratings.satisfaction_stats(session, self.office.office_code, date_from,
                                              date_to)

    def period_report(self, device: DeviceIdentity, date_from: date, date_to: date
                      ) -> PeriodReport:
        """Tickets, expedientes and satisfaction of a period: what the exports and the
        mayor's PDF are made of."""
        authorize(device.role, "stats.read")
        return self._period_report(date_from, date_to)

    def export_report_table(self, device: DeviceIdentity, name: str, date_from: date,
                            date_to: date) -> str:
        """One table of the period report as CSV (report.TABLE_NAMES)."""
        authorize(device.role, "reports.export")
        report.check_table_name(name)
        return report.table_csv(report.report_table(self._period_report(date_from, date_to),
                                                    name))

    def _period_report(self, date_from: date, date_to: date) -> PeriodReport:
        with self.store.read_session() as session:
            return report.period_report(
                session, office=self.office.office_code, office_name=self.config.office_name,
                municipality=self.config.municipality, tz=self.office.tz,
                date_from=date_from, date_to=date_to, now=self.clock.now(),
                calendar=tupa.office_calendar(session, self.office.tz))

    def rate_ticket(self, device: DeviceIdentity, ticket: str, score: int) -> RatingView:
        """A citizen's 1-5 rating of the ticket just finished (kiosk or counter screen)."""
        counter = device.clerk.counter if device.clerk else None
        return self._write(device, "ratings.submit", lambda uow: ratings.rate_ticket(
            uow, ticket, score, self._device_id(device), counter,
            self.config.rating_window_minutes))

    # --- tickets -------------------------------------------------------------------------

    def _serve(self, device: DeviceIdentity, work: Callable[[UnitOfWork, str | None], T]) -> T:
        return self._write(device, "tickets.serve", lambda uow: work(uow, self._device_id(device)))

    def issue_ticket(self, device: DeviceIdentity, service: str, preferential: str | None = None
                     ) -> IssuedTicket:
        return self._write(device, "tickets.issue", lambda uow: queue.issue_ticket(
            uow, service, preferential, self._device_id(device)))

    def call_next(self, device: DeviceIdentity, counter: int) -> TicketView | None:
        return self._serve(device, lambda uow, by: queue.call_next(uow, counter, by))

    def call_ticket(self, device: DeviceIdentity, counter: int, ticket_id: str,
                    reason: str | None = None) -> TicketView:
        return self._serve(device, lambda uow, by: queue.call_ticket(
            uow, counter, ticket_id, reason, by))

    def recall(self, device: DeviceIdentity, ticket_id: str) -> TicketView:
        return self._serve(device, lambda uow, by: queue.recall(uow, ticket_id, by))

    def start(self, device: DeviceIdentity, ticket_id: str) -> TicketView:
        return self._serve(device, lambda uow, by: queue.start(uow, ticket_id, by))

    def finish(self, device: DeviceIdentity, ticket_id: str, outcome: str = "atendido"
               ) -> TicketView:
        return self._serve(device, lambda uow, by: queue.finish(uow, ticket_id, outcome, by))

    def no_show(self, device: DeviceIdentity, ticket_id: str) -> TicketView:
        return self._serve(device, lambda uow, by: queue.no_show(uow, ticket_id, by))

    def reinstate(self, device: DeviceIdentity, ticket_id: str) -> TicketView:
        return self._serve(device, lambda uow, by: queue.reinstate(uow, ticket_id, by))

    def transfer(self, device: DeviceIdentity, ticket_id: str, service: str) -> TicketView:
        return self._serve(device, lambda uow, by: queue.transfer(uow, ticket_id, service, by))

    # --- counters and the day ------------------------------------------------------------

    def _operate(self, device: DeviceIdentity, number: int,
                 work: Callable[[UnitOfWork, str | None], object]) -> CounterView:
        def run(uow: UnitOfWork) -> CounterView:
            work(uow, self._device_id(device))
            return next(c for c in catalogue.list_counters(uow.session) if c.number == number)
        return self._write(device, "counters.operate", run)

    def open_counter(self, device: DeviceIdentity, number: int) -> CounterView:
        return self._operate(device, number, lambda uow, by: queue.open_counter(uow, number, by))

    def pause_counter(self, device: DeviceIdentity, number: int, reason: str | None
                      ) -> CounterView:
        return self._operate(device, number, lambda uow, by: queue.pause_counter(
            uow, number, reason, by))

    def resume_counter(self, device: DeviceIdentity, number: int) -> CounterView:
        return self._operate(device, number, lambda uow, by: queue.resume_counter(
            uow, number, by))

    def close_counter(self, device: DeviceIdentity, number: int) -> CounterView:
        return self._operate(device, number, lambda uow, by: queue.close_counter(
            uow, number, by))

    def close_day(self, device: DeviceIdentity) -> DayClosed:
        return self._write(device, "day.close", lambda uow: queue.close_day(
            uow, uow.today, self._device_id(device)))

    # --- printing ------------------------------------------------------------------------

    def report_print(self, device: DeviceIdentity, report: PrintJobReport) -> PrintJobView:
        return self._write(device, "prints.report", lambda uow: printjobs.report(
            uow, report, device.id, device.name))

    # --- administration ------------------------------------------------------------------

    def import_catalogue(self, device: DeviceIdentity, path: Path) -> CatalogueImported:
        """Load a TUPA catalogue file (procedures, UIT, non-working days); idempotent."""
        return self._write(device, "catalogue.manage", lambda uow: tupa.import_catalogue(
            uow, path, self._device_id(device)))

    def add_device(self, device: DeviceIdentity, name: str, role: str
                   ) -> tuple[DeviceView, str]:
        return self._write(device, "devices.manage", lambda uow: add_device(uow, name, role))

    # --- clerks (sessions) ---------------------------------------------------------------

    def add_user(self, device: DeviceIdentity, username: str, full_name: str, role: str,
                 secret: str | None = None) -> tuple[UserView, str]:
        """A new clerk; returns the PIN (generated when none is given) to hand over once."""
        return self._write(device, "devices.manage", lambda uow: users.add_user(
            uow, username, full_name, role, secret, self._device_id(device)))

    def users(self, device: DeviceIdentity) -> list[UserView]:
        authorize(device.role, "devices.manage")
        with self.store.read_session() as session:
            return users.list_users(session)

    def login(self, device: DeviceIdentity, request: LoginInput) -> ClerkSession:
        limits = users.LoginLimits(self.config.login_attempts,
                                   self.config.login_lockout_minutes,
                                   self.config.idle_lock_minutes * 60)
        outcome = self._write(device, "sessions.login",
                              lambda uow: users.login(uow, device, request, limits))
        if isinstance(outcome, CacError):
            raise outcome  # after the commit: the failed attempt stays counted
        return outcome

    def change_secret(self, device: DeviceIdentity, current: str, new: str) -> UserView:
        """The logged-in clerk's new PIN or password (forced for an initial one)."""
        return self._write(device, "sessions.login",
                           lambda uow: users.change_secret(uow, device, current, new))

    def logout(self, device: DeviceIdentity, clerk_session: str | None) -> None:
        authorize(device.role, "sessions.login")
        if clerk_session:
            self._write(device, "sessions.login",
                        lambda uow: users.logout(uow, device, clerk_session))

    # --- citizens, civil registry and search ---------------------------------------------

    def find_persons(self, device: DeviceIdentity, query: str, limit: int = 20
                     ) -> list[PersonView]:
        """Citizens by document or by name in any usual order (kiosk/services/search.py)."""
        authorize(device.role, "persons.read")
        with self.store.read_session() as session:
            return search.find_persons(session, query, limit)

    def find_businesses(self, device: DeviceIdentity, query: str, limit: int = 20
                        ) -> list[BusinessView]:
        authorize(device.role, "persons.read")
        with self.store.read_session() as session:
            return search.find_businesses(session, query, limit)

    def search_actas(self, device: DeviceIdentity, query: str, kind: str | None = None,
                     limit: int = 20) -> list[ActaView]:
        authorize(device.role, "actas.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            return registry.search_actas(session, query, kind, limit, today=today)

    def add_acta(self, device: DeviceIdentity, acta: ActaInput) -> ActaView:
        return self._write(device, "actas.manage", lambda uow: registry.add_acta(
            uow, acta, self._device_id(device)))

    def import_actas(self, device: DeviceIdentity, path: Path) -> registry.ActasImported:
        """Load actas from a CSV file of the registry's books: whole or not at all."""
        return self._write(device, "actas.manage", lambda uow: registry.import_actas(
            uow, path, self._device_id(device)))

    def search_expedientes(self, device: DeviceIdentity, query: str, limit: int = 20
                           ) -> list[ExpedienteSummary]:
        """By number, tracking code, or the applicant's document or name; newest first."""
        authorize(device.role, "expedientes.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            return search.search_expedientes(session, query, limit,
                                             office_code=self.office.office_code, today=today)

    # --- expedientes, payments, attachments ----------------------------------------------

    def _actor(self, device: DeviceIdentity) -> expedientes.Actor:
        """Who acts (the logged-in clerk) and where (their counter, or the device)."""
        clerk = device.clerk
        if clerk is None:
            return expedientes.Actor(device_id=self._device_id(device), device_name=device.name)
        return expedientes.Actor(device_id=self._device_id(device), device_name=device.name,
                                 user_id=clerk.user_id, username=clerk.username,
                                 full_name=clerk.full_name, counter=clerk.counter)

    def _clerk_write(self, device: DeviceIdentity, action: str,
                     work: Callable[[UnitOfWork, expedientes.Actor, WorkingCalendar], T]) -> T:
        """A write on expedientes: the device may do it, and a clerk is logged in on it."""
        authorize(device.role, action)
        if device.clerk is None and device is not SYSTEM:
            raise Unauthorized("clerk_required",
                               "Inicie sesión con su usuario para registrar trámites.")
        actor = self._actor(device)
        return self._write(device, action, lambda uow: work(
            uow, actor, tupa.office_calendar(uow.session, self.office.tz)))

    def file_expediente(self, device: DeviceIdentity, request: ExpedienteInput
                        ) -> ExpedienteView:
        """Receive a request at the counter (mesa de partes): a new expediente number."""
        return self._clerk_write(device, "expedientes.write", lambda uow, actor, calendar:
                                 expedientes.file_expediente(uow, request, actor, calendar))

    def expediente(self, device: DeviceIdentity, number: str) -> ExpedienteView:
        """One expediente by number or tracking code, with its history (staff only)."""
        authorize(device.role, "expedientes.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            return expedientes.get_expediente(session, self.office.office_id, number, today)

    def transition(self, device: DeviceIdentity, number: str, change: TransitionInput
                   ) -> ExpedienteView:
        return self._clerk_write(device, "expedientes.write", lambda uow, actor, calendar:
                                 expedientes.transition(uow, number, change, actor, calendar))

    def pay(self, device: DeviceIdentity, number: str, payment: PaymentInput) -> PaymentView:
        return self._clerk_write(device, "payments.take", lambda uow, actor, _calendar:
                                 payments.pay(uow, number, payment, actor))

    def attach(self, device: DeviceIdentity, number: str, file_name: str, media_type: str,
               content: bytes) -> AttachmentView:
        limit = self.config.attachment_max_mb * attachments.MB
        return self._clerk_write(device, "expedientes.write", lambda uow, actor, _calendar:
                                 attachments.attach(uow, number, file_name, media_type, content,
                                                    actor, self.data_dir.root, limit))

    def attachment_file(self, device: DeviceIdentity, number: str, attachment_id: str
                        ) -> AttachmentFile:
        """A stored scan of an expediente, to open at the counter (staff only)."""
        authorize(device.role, "attachments.read")
        with self.store.read_session() as session:
            return attachments.attachment_content(session, self.office.office_id, number,
                                                  attachment_id, self.data_dir.root)

    def record_document(self, device: DeviceIdentity, number: str, issue: DocumentInput
                        ) -> ExpedienteView:
        """A cargo, receipt or certified copy the counter issued: the next one is a reprint."""
        return self._clerk_write(device, "documents.record", lambda uow, actor, _calendar:
                                 documents.record_document(uow, number, issue, actor))

    def cash_closing(self, device: DeviceIdentity, day: date | None = None,
                     username: str | None = None) -> CashClosing:
        """Cierre de caja of one clerk and day: a clerk sees their own, a supervisor anyone's."""
        authorize(device.role, "cash.read")
        clerk = device.clerk
        manager = (clerk.role if clerk else device.role) in (Role.SUPERVISOR, Role.ADMIN)
        if username is None or not username.strip():
            if clerk is None:
                if manager:
                    raise InvalidInput("username_required",
                                       "Indique el usuario cuyo cierre de caja quiere ver.")
                raise Unauthorized("clerk_required",
                                   "Inicie sesión con su usuario para ver su cierre de caja.")
            username = clerk.username
        elif not manager:
            if clerk is None:
                raise Unauthorized("clerk_required",
                                   "Inicie sesión con su usuario para ver su cierre de caja.")
            if username.strip().lower() != clerk.username:
                raise Forbidden("forbidden",
                                "Solo puede ver su propio cierre de caja; el de otro usuario lo "
                                "ve un supervisor.")
        now = self.clock.now()
        with self.store.read_session() as session:
            return payments.cash_closing(session, self.office.office_id,
                                         day or self.office.business_date(now), username, now)

    def public_status(self, device: DeviceIdentity, number: str) -> PublicStatus:
        """What the kiosk and the tracking QR may show: status and dates, never whose it is."""
        authorize(device.role, "expedientes.public")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            return expedientes.public_status(session, self.office.office_id, number, today,
                                             tupa.office_calendar(session, self.office.tz))


    def verify_audit(self, device: DeviceIdentity) -> audit.AuditReport:
        """Walk the hash chain of the office's events (`cac audit verify`)."""
        authorize(device.role, "audit.verify")
        with self.store.read_session() as session:
            return audit.verify_chain(session, self.office.tz)

    # --- the link with central (the sync worker itself lives in sync/) ---------------------

    def sync_status(self, device: DeviceIdentity) -> SyncStatusView:
        """Last successful sync and what waits: every window shows it (no personal data)."""
        authorize(device.role, "sync.status")
        with self.store.read_session() as session:
            return sync_status.sync_status(session, self.clock.now(), self.config.central_url,
                                           self.config.sync_alert_minutes)

    def sync_attention(self, device: DeviceIdentity) -> list[SyncAttentionItem]:
        """What central refused and what it sent that could not be applied (supervisors)."""
        authorize(device.role, "sync.attention")
        with self.store.read_session() as session:
            return sync_status.attention(session)

def _check_after(after: int) -> int:
    if after < 0:
        raise InvalidInput("invalid_after", "El parámetro «after» no puede ser negativo.")
    return after
