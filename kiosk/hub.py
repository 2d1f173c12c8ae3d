"""The office hub: the one object that owns the office's store (composition root).

Every way in (the HTTP API, the in-process client, the CLI, the simulator) goes through these
methods, so authorisation, the unit of work and the day rollover are applied the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk import __version__
from kiosk.calls import CallFeed
from kiosk.clock import Clock, HybridLogicalClock, SystemClock
from kiosk.config import DataDir, OfficeConfig, validate_office_code
from kiosk.errors import (
    CacError,
    Conflict,
    Forbidden,
    InvalidInput,
    StorageError,
)
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.permissions import (
    OPERATIONS,
    RANK,
    ROLE_NAMES,
    Binding,
    Role,
    Rule,
    authorize,
    check_counter,
)
from kiosk.rules.text import checked_text_arguments
from kiosk.services import (
    access_log,
    admin_catalogue,
    admin_users,
    attachments,
    audit,
    catalogue,
    daily_stats,
    documents,
    expediente_stats,
    expedientes,
    history,
    office_settings,
    pairing,
    payments,
    printjobs,
    queries,
    queue,
    ratings,
    registry,
    report,
    retention,
    search,
    stats,
    supervisor,
    sync_status,
    tupa,
    users,
)
from kiosk.services.admin_audit import AdminActor
from kiosk.services.admin_views import (
    AdminDeviceView,
    AdminUserView,
    CounterSetup,
    DeviceBinding,
    OfficeSettings,
    OfficeSettingsChange,
    PairedDevice,
    PairingCode,
    PairingInput,
    PrinterTestResult,
    ServiceChange,
    ServiceInput,
    UserChange,
    UserCreated,
    UserInput,
)
from kiosk.services.devices import DeviceIdentity, add_device, identify
from kiosk.services.display_health import DisplayBoard, DisplayHealthReport
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
    LoginCounter,
    LoginInput,
    PaymentInput,
    PaymentView,
    PersonView,
    PublicStatus,
    TransitionInput,
    UserView,
)
from kiosk.services.login_throttle import FailureThrottle, ThrottleLimits
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
from kiosk.storage.legacy_secrets import move_legacy_credential
from kiosk.storage.migrate import upgrade_database
from kiosk.storage.store import Store
from kiosk.storage.tables import Event

if TYPE_CHECKING:
    from kiosk.tls import OfficeCA

log = logging.getLogger(__name__)


class TestPagePrinter(Protocol):
    """Prints the admin's test page on the hub PC's printer and tells how it went (the job's
    outcome, as a device reports it). `printing.hub_test_page.print_test_page` is one."""

    def __call__(self, config: OfficeConfig, data_dir: Path, logo: bytes | None
                 ) -> PrintJobReport: ...


T = TypeVar("T")

# The hub's own work (rollover, CLI administration) is done as this identity.
SYSTEM = DeviceIdentity(id="system", name="sistema", role=Role.ADMIN)

MAX_LONG_POLL_S = 60.0
# What a clerk with an initial PIN may do: log in and out, and replace it.
SESSION_OPERATIONS = ("sessions.login", "sessions.secret")
DAILY_STATS_BATCH = 10  # closed days aggregated per write transaction
# How often a write also ends the clerk sessions past their hours (and leaves their counters).
SESSION_SWEEP = timedelta(minutes=1)


@checked_text_arguments  # no control characters in any text argument; names cleaned
class OfficeHub:
    # Set by kiosk.api.app.hub_server when it serves plain HTTP off loopback (--insecure-http):
    # /health says so and the admin and supervisor windows show a warning.
    lan_insecure = False

    def __init__(self, data_dir: DataDir, clock: Clock | None = None) -> None:
        self.data_dir = data_dir
        # A damaged config.toml must not stop the queue: serve with the last good one, and say so.
        self.config: OfficeConfig
        self.config, self.config_warning = data_dir.load_serving_config()
        self.clock = clock or SystemClock()
        data_dir.make_private()  # an office made by an older version is tightened (issue 14)
        data_dir.create()
        if move_legacy_credential(data_dir):  # out of the store and its backups (issue 14)
            self.config = replace(self.config, central_credential=data_dir.central_credential())
        upgrade_database(data_dir.database, data_dir.backups, self.config.backups_kept)
        self.store = Store(data_dir.database)
        # Settings changed from the admin window (office store) on top of config.toml.
        self._file_config = self.config
        with self.store.read_session() as session:
            self.config = office_settings.overlay(self.config, office_settings.stored(session))
        self._boot_config = self.config  # what running services took at start
        # Prints the admin's test page (set by the printing layer: the core can't import it).
        self.test_page_printer: TestPagePrinter | None = None
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
            cap_preferential_calls=self.config.cap_preferential_calls,
        )
        self.hlc = HybridLogicalClock(office.code, self.clock)
        if last_hlc:
            self.hlc.observe(last_hlc)  # never stamp below what this office already wrote
        with self.store.read_session() as session:
            self.calls = CallFeed(queries.latest_call_seq(session))
        self._checked_day: date | None = None
        self._swept_at: datetime | None = None  # the last look for expired clerk sessions
        self.displays = DisplayBoard()  # what each display last said of its voice
        self.login_throttle = FailureThrottle(self.office.tz)

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

    def allow(self, device: DeviceIdentity, operation: str, counter: int | None = None
               ) -> Rule:
        """The one gate (kiosk/rules/permissions.py): the device's role, a person logged in
        where one is needed, and, for `counter`, the counter that person opened. The hub's
        own work (SYSTEM: the CLI, the rollover) passes."""
        if device is SYSTEM:
            return OPERATIONS[operation]
        clerk = device.clerk
        rule = authorize(operation, device.role, person=clerk is not None)
        if clerk is not None and RANK[clerk.role] < RANK[device.role]:
            raise Forbidden("wrong_device",  # the user's role was lowered since the login
                            f"{clerk.full_name} ya no puede trabajar en un equipo de "
                            f"{ROLE_NAMES[device.role]}: cierre sesión.")
        if clerk is not None and clerk.must_change and operation not in SESSION_OPERATIONS:
            raise Conflict("secret_change_required",
                           f"{clerk.full_name}: antes de continuar cambie su PIN inicial.")
        if rule.bound in (Binding.COUNTER, Binding.SCREEN):
            check_counter(operation, counter, self._bound_counter(device),
                          person=clerk is not None)
        return rule

    @staticmethod
    def _bound_counter(device: DeviceIdentity) -> int | None:
        """The counter a caller acts on: the one its clerk opened, or, for a device alone
        (a rating screen), the one the admin bound the device to."""
        return device.clerk.counter if device.clerk is not None else device.counter

    def _write(self, device: DeviceIdentity, operation: str, work: Callable[[UnitOfWork], T],
               counter: int | None = None) -> T:
        rule = self.allow(device, operation, counter)
        with self.unit_of_work() as uow:
            uow.clerk_id = device.clerk.user_id if device.clerk else None
            if rule.bound is Binding.COUNTER and device is not SYSTEM:
                # Tickets acted on by id must be held by this counter (kiosk/services/queue.py).
                uow.counter = self._bound_counter(device)
            if uow.today != self._checked_day and queue.needs_rollover(uow):
                closed = queue.close_day(uow, uow.today - timedelta(days=1), None)
                log.info("cierre automático del día anterior: %s", closed)
            sweep = self._swept_at is None or uow.now - self._swept_at >= SESSION_SWEEP
            if sweep and users.end_expired_sessions(uow):
                log.info("sesiones vencidas cerradas; sus ventanillas quedaron sin atender")
            result = work(uow)
            uow.commit()
            self._checked_day = uow.today
            if sweep:
                self._swept_at = uow.now
            if uow.last_call_seq is not None:
                self.calls.publish(uow.last_call_seq)
        return result

    def _device_id(self, device: DeviceIdentity) -> str | None:
        return None if device is SYSTEM else device.id

    # --- reads ---------------------------------------------------------------------------

    def health(self) -> HealthView:
        return HealthView(status="ok", office=self.office.office_code,
                          name=self.config.office_name, version=__version__,
                          time=self.clock.now(), insecure_http=self.lan_insecure,
                          municipality=self.config.municipality,
                          public_url=self.config.public_address)

    @cached_property
    def office_ca(self) -> OfficeCA:
        """The office's certificate authority (HTTPS on the LAN), made now for an office
        created by an older version."""
        from kiosk.tls import office_ca

        return office_ca(self.data_dir.tls, self.office.office_code, self.config.office_name,
                         self.clock.now())

    def services(self, device: DeviceIdentity) -> list[ServiceView]:
        self.allow(device, "services.read")
        with self.store.read_session() as session:
            return catalogue.list_services(session)

    def counters(self, device: DeviceIdentity) -> list[CounterView]:
        self.allow(device, "counters.read")
        with self.store.read_session() as session:
            return catalogue.list_counters(session)

    def queue(self, device: DeviceIdentity) -> QueueSnapshot:
        self.allow(device, "queue.read")
        now = self.clock.now()
        with self.store.read_session() as session:
            return queries.queue_snapshot(session, now, self.office.business_date(now),
                                          self.office.missed_reinstate_minutes)

    def ticket(self, device: DeviceIdentity, ticket_id: str) -> TicketView:
        self.allow(device, "tickets.read")
        with self.store.read_session() as session:
            found = queries.get_ticket(session, self.office.office_id, ticket_id)
        if device.clerk is None and device is not SYSTEM and found.counter != device.counter:
            raise Forbidden("other_counter",  # a rating screen sees its own counter's only
                            f"Este equipo es de la ventanilla {device.counter}: el turno "
                            f"{found.number} no es de esa ventanilla.")
        return found

    def calls_after(self, device: DeviceIdentity, after: int, wait: float = 0.0) -> CallsPage:
        self.allow(device, "calls.read")
        after = _check_after(after)
        if wait > 0:
            self.calls.wait(after, min(wait, MAX_LONG_POLL_S))
        with self.store.read_session() as session:
            return queries.calls_after(session, after)

    async def calls_after_async(self, device: DeviceIdentity, after: int, wait: float
                                ) -> CallsPage:
        self.allow(device, "calls.read")
        after = _check_after(after)
        if wait > 0:
            await self.calls.wait_async(after, min(wait, MAX_LONG_POLL_S))
        with self.store.read_session() as session:
            return queries.calls_after(session, after)

    def stats(self, device: DeviceIdentity, date_from: date, date_to: date) -> StatsReport:
        self.allow(device, "stats.read")
        with self.store.read_session() as session:
            blocks = self._stat_blocks(session, date_from, date_to)
            if blocks is None:
                return stats.stats_report(session, self.office.office_code, self.office.tz,
                                          date_from, date_to)
            return history.stats_report_of_blocks(self.office.office_code, self.office.tz,
                                                  date_from, date_to, blocks)

    def export_tickets(self, device: DeviceIdentity, date_from: date, date_to: date) -> str:
        self.allow(device, "tickets.export")
        with self.store.read_session() as session:
            return stats.export_csv(session, self.office.tz, date_from, date_to)

    def procedures(self, device: DeviceIdentity) -> list[ProcedureView]:
        """The TUPA in force today (office local date), by category then name."""
        self.allow(device, "procedures.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            return tupa.list_procedures(session, self.office.office_id, today)

    def procedure(self, device: DeviceIdentity, code: str) -> ProcedureView:
        self.allow(device, "procedures.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            return tupa.get_procedure(session, self.office.office_id, code, today)

    def working_calendar(self) -> WorkingCalendar:
        """The office's working days (national holidays and its extra non-working days)."""
        with self.store.read_session() as session:
            return tupa.office_calendar(session, self.office.tz)

    def print_jobs(self, device: DeviceIdentity, state: str | None = None, limit: int = 50
                   ) -> list[PrintJobView]:
        self.allow(device, "prints.read")
        with self.store.read_session() as session:
            return printjobs.list_jobs(session, state, limit)

    def alerts(self, device: DeviceIdentity) -> list[AlertView]:
        self.allow(device, "alerts.read")
        now = self.clock.now()
        with self.store.read_session() as session:
            alerts = printjobs.printer_alerts(session, self.office.business_date(now),
                                              self.office.tz)
        alerts += self.displays.alerts(now)
        if self.config_warning:
            alerts.append(AlertView(code="config_fallback", message=self.config_warning))
        return alerts

    # --- the supervisor's dashboard and the period report -------------------------------

    def supervisor_live(self, device: DeviceIdentity) -> SupervisorLive:
        """Queues against their targets, each counter and its clerk, today's figures, alerts."""
        self.allow(device, "stats.read")
        now = self.clock.now()
        today = self.office.business_date(now)
        with self.store.read_session() as session:
            return supervisor.supervisor_live(
                session, office=self.office.office_code, now=now, today=today,
                missed_minutes=self.office.missed_reinstate_minutes,
                idle_alert_minutes=self.config.idle_counter_alert_minutes,
                printer_alerts=printjobs.printer_alerts(session, today, self.office.tz),
                sync=sync_status.sync_status(session, now, self.config.central_url,
                                             self.config.sync_alert_minutes),
                config_warning=self.config_warning, display_alerts=self.displays.alerts(now))

    def report_display_health(self, device: DeviceIdentity, report: DisplayHealthReport
                              ) -> None:
        """A display says whether it can speak the calls (a device alone, its own state)."""
        self.allow(device, "displays.health")
        if self.displays.report(device, report, self.clock.now()):
            log.log(logging.INFO if report.voice == "ok" else logging.WARNING,
                    "voz de la pantalla %s: %s", device.name, report.voice)

    def ticket_history(self, device: DeviceIdentity, date_from: date, date_to: date
                       ) -> TicketHistory:
        self.allow(device, "stats.read")
        with self.store.read_session() as session:
            blocks = self._stat_blocks(session, date_from, date_to)
            if blocks is None:
                return history.ticket_history(session, self.office.office_code,
                                              self.office.tz, date_from, date_to)
            return history.ticket_history_of_blocks(
                self.office.office_code, self.office.tz, date_from, date_to, blocks,
                history.Names.load(session))

    def expediente_stats(self, device: DeviceIdentity, date_from: date, date_to: date
                         ) -> ExpedienteStats:
        self.allow(device, "stats.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            return expediente_stats.expediente_stats(
                session, self.office.office_code, self.office.tz, date_from, date_to, today,
                tupa.office_calendar(session, self.office.tz))

    def satisfaction_stats(self, device: DeviceIdentity, date_from: date, date_to: date
                           ) -> SatisfactionStats:
        self.allow(device, "stats.read")
        with self.store.read_session() as session:
            blocks = self._stat_blocks(session, date_from, date_to)
            if blocks is None:
                return ratings.satisfaction_stats(session, self.office.office_code, date_from,
                                                  date_to)
            return ratings.satisfaction_of_blocks(self.office.office_code, date_from, date_to,
                                                  blocks, history.Names.load(session))

    def period_report(self, device: DeviceIdentity, date_from: date, date_to: date
                      ) -> PeriodReport:
        """Tickets, expedientes and satisfaction of a period: what the exports and the
        mayor's PDF are made of."""
        self.allow(device, "stats.read")
        return self._period_report(date_from, date_to)

    def export_report_table(self, device: DeviceIdentity, name: str, date_from: date,
                            date_to: date) -> str:
        """One table of the period report as CSV (report.TABLE_NAMES)."""
        self.allow(device, "reports.export")
        report.check_table_name(name)
        return report.table_csv(report.report_table(self._period_report(date_from, date_to),
                                                    name))

    def _period_report(self, date_from: date, date_to: date) -> PeriodReport:
        with self.store.read_session() as session:
            return report.period_report(
                session, office=self.office.office_code, office_name=self.config.office_name,
                municipality=self.config.municipality, tz=self.office.tz,
                date_from=date_from, date_to=date_to, now=self.clock.now(),
                calendar=tupa.office_calendar(session, self.office.tz),
                blocks=self._stat_blocks(session, date_from, date_to))

    def refresh_daily_stats(self) -> int:
        """Aggregate the closed days not aggregated yet (kiosk/services/daily_stats.py);
        how many. Done before every statistics read that needs it and by the daily job."""
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            if not daily_stats.pending(session, self.office.office_id, today):
                return 0
        built = 0
        while True:  # a few days per transaction: tickets keep being issued meanwhile
            with self.store.write_session() as session:
                batch = daily_stats.refresh(session, self.office.office_id, self.office.tz,
                                            today, self.clock.now(), DAILY_STATS_BATCH)
                session.commit()
            built += batch
            if batch < DAILY_STATS_BATCH:
                return built

    def purge_ticket_data(self, device: DeviceIdentity) -> retention.Purged:
        """Remove the ticket data older than `ticket_retention_days` (kiosk/services/
        retention.py), after aggregating every closed day; an audited event says what went.
        The daily job (kiosk/retention_schedule.py) and `cac datos purgar` call it."""
        self.allow(device, "admin.write")
        self.refresh_daily_stats()

        def work(uow: UnitOfWork) -> retention.Purged:
            found = retention.purge(uow.session, self.office.office_id, uow.today,
                                    self.config.ticket_retention_days)
            if found.through is not None:
                uow.record("office", self.office.office_id, "ticket_data_purged",
                           {"through": found.through.isoformat(), "tickets": found.tickets,
                            "ratings": found.ratings,
                            "expediente_links": found.expediente_links,
                            "retention_days": self.config.ticket_retention_days},
                           self._device_id(device))
            return found

        return self._write(device, "admin.write", work)

    def _stat_blocks(self, session: Session, date_from: date, date_to: date
                     ) -> list[daily_stats.Block] | None:
        """The period's figures by closed day and month, today from its tickets; None when no
        aggregated day is in the period (the caller reads the tickets). After aggregating,
        `session` starts a fresh snapshot that sees the new rows."""
        stats.check_period(date_from, date_to)
        try:
            if self.refresh_daily_stats():
                session.rollback()  # a fresh snapshot, with the rows just written
        except StorageError as exc:  # a full or read-only disk: the figures are still read
            log.warning("no se pudieron guardar las estadísticas diarias: %s", exc)
        newest = daily_stats.newest_day(session, self.office.office_id)
        if newest is None or newest < date_from:
            return None  # only days not aggregated (today): read from the tickets, as ever
        return daily_stats.blocks(session, self.office.office_id, self.office.tz, date_from,
                                  date_to)

    def rate_ticket(self, device: DeviceIdentity, ticket: str, score: int) -> RatingView:
        """A citizen's 1-5 rating of the ticket just finished at the caller's counter (a
        rating screen bound to it, or the clerk's own PC)."""
        return self._write(device, "ratings.submit", lambda uow: ratings.rate_ticket(
            uow, ticket, score, self._device_id(device), uow.counter,
            self.config.rating_window_minutes))

    # --- tickets -------------------------------------------------------------------------

    def _serve(self, device: DeviceIdentity, work: Callable[[UnitOfWork, str | None], T],
               counter: int | None = None, operation: str = "tickets.serve") -> T:
        return self._write(device, operation, lambda uow: work(uow, self._device_id(device)),
                           counter)

    def issue_ticket(self, device: DeviceIdentity, service: str, preferential: str | None = None
                     ) -> IssuedTicket:
        return self._write(device, "tickets.issue", lambda uow: queue.issue_ticket(
            uow, service, preferential, self._device_id(device)))

    def call_next(self, device: DeviceIdentity, counter: int) -> TicketView | None:
        return self._serve(device, lambda uow, by: queue.call_next(uow, counter, by), counter)

    def call_ticket(self, device: DeviceIdentity, counter: int, ticket_id: str,
                    reason: str | None = None) -> TicketView:
        return self._serve(device, lambda uow, by: queue.call_ticket(
            uow, counter, ticket_id, reason, by), counter)

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
        """A missed ticket back into its queue: any clerk at a counter, where the citizen
        turns up."""
        return self._serve(device, lambda uow, by: queue.reinstate(uow, ticket_id, by),
                           operation="tickets.reinstate")

    def transfer(self, device: DeviceIdentity, ticket_id: str, service: str) -> TicketView:
        return self._serve(device, lambda uow, by: queue.transfer(uow, ticket_id, service, by))

    # --- counters and the day ------------------------------------------------------------

    def _operate(self, device: DeviceIdentity, number: int,
                 work: Callable[[UnitOfWork, str | None], object]) -> CounterView:
        def run(uow: UnitOfWork) -> CounterView:
            work(uow, self._device_id(device))
            return next(c for c in catalogue.list_counters(uow.session) if c.number == number)
        return self._write(device, "counters.operate", run, number)

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
            uow, report, device.id, device.name,
            own_only=device.clerk is None and device is not SYSTEM))

    # --- administration ------------------------------------------------------------------

    def import_catalogue(self, device: DeviceIdentity, path: Path) -> CatalogueImported:
        """Load a TUPA catalogue file (procedures, UIT, non-working days); idempotent."""
        def run(uow: UnitOfWork) -> CatalogueImported:
            before = tupa.office_calendar(uow.session, self.office.tz)
            result = tupa.import_catalogue(uow, path, self._device_id(device))
            if result.non_working_days_set:  # deadlines already running move with the calendar
                expedientes.redate_for_new_calendar(
                    uow, before, tupa.office_calendar(uow.session, self.office.tz))
            return result

        return self._write(device, "catalogue.manage", run)

    def add_device(self, device: DeviceIdentity, name: str, role: str,
                   counter: int | None = None) -> tuple[DeviceView, str]:
        """A device and its token (shown once); a counter device may be bound to `counter`."""
        return self._write(device, "devices.manage", lambda uow: add_device(
            uow, name, role, counter))

    # --- clerks (sessions) ---------------------------------------------------------------

    def add_user(self, device: DeviceIdentity, username: str, full_name: str, role: str,
                 secret: str | None = None) -> tuple[UserView, str]:
        """A new clerk; returns the PIN (generated when none is given) to hand over once."""
        self.allow(device, "devices.manage")
        new = users.new_secret(secret)  # hashed before the write: scrypt is slow
        return self._write(device, "devices.manage", lambda uow: users.add_user(
            uow, username, full_name, role, new, self._device_id(device)))

    def users(self, device: DeviceIdentity) -> list[UserView]:
        self.allow(device, "devices.manage")
        with self.store.read_session() as session:
            return users.list_users(session)

    def _throttle_limits(self) -> ThrottleLimits:
        config = self.config
        return ThrottleLimits(config.login_failures_per_device, config.login_failures_office,
                              timedelta(minutes=config.login_failure_window_minutes))

    def login(self, device: DeviceIdentity, request: LoginInput) -> ClerkSession:
        """Throttled per device and office-wide; the PIN is verified with no transaction open
        (kiosk/services/users.py), then the outcome is written."""
        self.allow(device, "sessions.login")
        limits = users.LoginLimits(self.config.login_attempts,
                                   self.config.login_lockout_minutes,
                                   self.config.idle_lock_minutes * 60)
        if device.counter is not None:  # a PC the admin bound to its counter
            if request.counter is None:
                request = request.model_copy(update={"counter": device.counter})
            elif request.counter != device.counter:
                raise Forbidden("other_counter",
                                f"Este equipo es de la ventanilla {device.counter}: ingrese en "
                                "esa ventanilla o use el equipo de la otra.")
        with self.login_throttle.attempt(device.id, self.clock.now(),
                                         self._throttle_limits()) as attempt:
            with self.store.read_session() as session:
                stored = users.stored_secret(session, request.username)
            verified = users.verify_login(request.secret, stored)
            outcome = self._write(device, "sessions.login", lambda uow: users.login(
                uow, device, request, stored, verified, limits))
            if isinstance(outcome, CacError):
                if outcome.code == "invalid_login":
                    attempt.failed()
                raise outcome  # after the commit: the failed attempt stays counted
            return outcome

    def change_secret(self, device: DeviceIdentity, current: str, new: str) -> UserView:
        """The logged-in clerk's new PIN or password (forced for an initial one). A wrong
        current PIN counts as a failed login (it is a guess at the clerk's PIN)."""
        self.allow(device, "sessions.secret")
        users.check_change(current, new)
        with self.login_throttle.attempt(device.id, self.clock.now(),
                                         self._throttle_limits()) as attempt:
            with self.store.read_session() as session:
                stored = users.own_secret(session, device)
            if not users.verify_secret(current, stored.secret_hash):
                attempt.failed()
                raise users.wrong_current_secret()
        fresh = users.new_secret(new)
        return self._write(device, "sessions.secret",
                           lambda uow: users.change_secret(uow, device, stored, fresh))

    def login_counter(self, device: DeviceIdentity) -> LoginCounter:
        """The counter this PC's login offers: the one the admin bound it to (the only one),
        else the counter of the last session on it (a restart, a power cut: the clerk comes
        back to the same window, and the TV sends people to the right one)."""
        self.allow(device, "counters.read")
        if device.counter is not None:
            return LoginCounter(counter=device.counter, bound=True)
        with self.store.read_session() as session:
            return LoginCounter(counter=users.last_counter(session, device.id), bound=False)

    def logout(self, device: DeviceIdentity, clerk_session: str | None) -> None:
        self.allow(device, "sessions.login")
        if clerk_session:
            self._write(device, "sessions.login",
                        lambda uow: users.logout(uow, device, clerk_session))

    # --- citizens, civil registry and search ---------------------------------------------

    def find_persons(self, device: DeviceIdentity, query: str, limit: int = 20
                     ) -> list[PersonView]:
        """Citizens by document or by name in any usual order (kiosk/services/search.py)."""
        self.allow(device, "persons.read")
        with self.store.read_session() as session:
            found = search.find_persons(session, query, limit)
        if found:
            self._log_access(device, access_log.Access(
                "persons", query=query, persons=tuple(p.id for p in found), count=len(found)))
        return found

    def find_businesses(self, device: DeviceIdentity, query: str, limit: int = 20
                        ) -> list[BusinessView]:
        self.allow(device, "persons.read")
        with self.store.read_session() as session:
            found = search.find_businesses(session, query, limit)
        if found:
            self._log_access(device, access_log.Access(
                "businesses", query=query, records=tuple(b.id for b in found),
                count=len(found)))
        return found

    def search_actas(self, device: DeviceIdentity, query: str, kind: str | None = None,
                     limit: int = 20) -> list[ActaView]:
        self.allow(device, "actas.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            found = registry.search_actas(session, query, kind, limit, today=today)
        if found:
            self._log_access(device, access_log.Access(
                "actas", query=query, records=tuple(a.id for a in found), count=len(found)))
        return found

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
        self.allow(device, "expedientes.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            found = search.search_expedientes(session, query, limit,
                                              office_code=self.office.office_code, today=today)
            persons = access_log.applicants(session, (e.id for e in found))
        if found:
            self._log_access(device, access_log.Access(
                "expedientes", query=query, persons=persons,
                records=tuple(e.number for e in found), count=len(found)))
        return found

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
        """A write on expedientes: a clerk logged in on a device that may do it."""
        self.allow(device, action)
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
        self.allow(device, "expedientes.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            view = expedientes.get_expediente(session, self.office.office_id, number, today)
        self._log_access(device, access_log.Access(
            "expediente", persons=(view.person.id,) if view.person else (),
            records=(view.number,), count=1))
        return view

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
        self.allow(device, "attachments.read")
        with self.store.read_session() as session:
            found = attachments.attachment_content(session, self.office.office_id, number,
                                                   attachment_id, self.data_dir.root)
            expediente = expedientes.find_expediente(session, self.office.office_id, number)
            owner, filed = expediente.person_id, expediente.number
        self._log_access(device, access_log.Access(
            "attachment", persons=(owner,) if owner else (), records=(filed, found.attachment_id),
            count=1))
        return found

    def record_document(self, device: DeviceIdentity, number: str, issue: DocumentInput
                        ) -> ExpedienteView:
        """A cargo, receipt or certified copy the counter issued: the next one is a reprint."""
        return self._clerk_write(device, "documents.record", lambda uow, actor, _calendar:
                                 documents.record_document(uow, number, issue, actor))

    def cash_closing(self, device: DeviceIdentity, day: date | None = None,
                     username: str | None = None) -> CashClosing:
        """Cierre de caja of one clerk and day: a clerk sees their own, a supervisor anyone's."""
        self.allow(device, "cash.read")
        clerk = device.clerk
        if clerk is None:  # SYSTEM (the CLI): anyone's, named
            if username is None or not username.strip():
                raise InvalidInput("username_required",
                                   "Indique el usuario cuyo cierre de caja quiere ver.")
        elif username is None or not username.strip():
            username = clerk.username
        elif clerk.role not in (Role.SUPERVISOR, Role.ADMIN) and (
                username.strip().lower() != clerk.username):
            raise Forbidden("forbidden",
                            "Solo puede ver su propio cierre de caja; el de otro usuario lo ve "
                            "un supervisor.")
        now = self.clock.now()
        with self.store.read_session() as session:
            return payments.cash_closing(session, self.office.office_id,
                                         day or self.office.business_date(now), username, now)

    def public_status(self, device: DeviceIdentity, number: str) -> PublicStatus:
        """What the kiosk and the tracking QR may show: status and dates, never whose it is."""
        self.allow(device, "expedientes.public")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            return expedientes.public_status(session, self.office.office_id, number, today,
                                             tupa.office_calendar(session, self.office.tz))


    def _log_access(self, device: DeviceIdentity, access: access_log.Access) -> None:
        """The audited event of a read that showed personal data (Ley 29733), written before
        the answer leaves the hub: an access that cannot be logged is not served."""
        clerk = device.clerk
        who = access_log.Accessor(device_id=self._device_id(device), device_name=device.name,
                                  user_id=clerk.user_id if clerk else None,
                                  username=clerk.username if clerk else None)
        with self.unit_of_work() as uow:
            access_log.log_access(uow, who, access)
            uow.commit()

    def audit_access(self, device: DeviceIdentity, *, person: str | None = None,
                     user: str | None = None, date_from: date | None = None,
                     date_to: date | None = None, limit: int = 200
                     ) -> list[access_log.AccessEntry]:
        """Who opened whose personal data, newest first (`cac audit access`; admins only)."""
        self.allow(device, "audit.access")
        with self.store.read_session() as session:
            return access_log.access_log(session, self.office.tz, person=person, user=user,
                                         date_from=date_from, date_to=date_to, limit=limit)

    def verify_audit(self, device: DeviceIdentity) -> audit.AuditReport:
        """Walk the hash chain of the office's events and compare every ticket, expediente and
        payment with its events (`cac audit verify`)."""
        self.allow(device, "audit.verify")
        with self.store.read_session() as session:
            return audit.verify(session, self.office.tz)

    # --- the link with central (the sync worker itself lives in sync/) ---------------------

    def sync_status(self, device: DeviceIdentity) -> SyncStatusView:
        """Last successful sync and what waits: every window shows it (no personal data)."""
        self.allow(device, "sync.status")
        with self.store.read_session() as session:
            return sync_status.sync_status(session, self.clock.now(), self.config.central_url,
                                           self.config.sync_alert_minutes)

    def sync_attention(self, device: DeviceIdentity) -> list[SyncAttentionItem]:
        """What central refused and what it sent that could not be applied (supervisors)."""
        self.allow(device, "sync.attention")
        with self.store.read_session() as session:
            return sync_status.attention(session)

    # --- the admin window (issue 7, docs/admin.md) ----------------------------------

    def _admin(self, device: DeviceIdentity, action: str) -> AdminActor:
        """An admin device with an admin user logged in on it (the hub itself for the CLI):
        the user logged in on an admin device is an admin (kiosk/services/users.py RANK)."""
        self.allow(device, action)
        clerk = device.clerk
        if clerk is None:
            return AdminActor(device_id=None, device_name=SYSTEM.name)
        return AdminActor(device_id=device.id, device_name=device.name, user_id=clerk.user_id,
                          username=clerk.username)

    def _admin_read(self, device: DeviceIdentity, work: Callable[[Session], T]) -> T:
        self._admin(device, "admin.read")
        with self.store.read_session() as session:
            return work(session)

    def _admin_write(self, device: DeviceIdentity,
                     work: Callable[[UnitOfWork, AdminActor], T]) -> T:
        actor = self._admin(device, "admin.write")
        return self._write(device, "admin.write", lambda uow: work(uow, actor))

    def admin_services(self, device: DeviceIdentity) -> list[ServiceView]:
        return self._admin_read(device, admin_catalogue.list_all_services)

    def add_service(self, device: DeviceIdentity, service: ServiceInput) -> ServiceView:
        return self._admin_write(device, lambda uow, actor: admin_catalogue.add_service(
            uow, actor, service))

    def change_service(self, device: DeviceIdentity, code: str, change: ServiceChange
                       ) -> ServiceView:
        return self._admin_write(device, lambda uow, actor: admin_catalogue.change_service(
            uow, actor, code, change))

    def admin_counters(self, device: DeviceIdentity) -> list[CounterView]:
        return self._admin_read(device, catalogue.list_counters)

    def add_counter(self, device: DeviceIdentity, counter: CounterSetup) -> CounterView:
        return self._admin_write(device, lambda uow, actor: admin_catalogue.add_counter(
            uow, actor, counter))

    def change_counter(self, device: DeviceIdentity, number: int, counter: CounterSetup
                       ) -> CounterView:
        return self._admin_write(device, lambda uow, actor: admin_catalogue.change_counter(
            uow, actor, number, counter))

    def admin_users(self, device: DeviceIdentity) -> list[AdminUserView]:
        now = self.clock.now()
        return self._admin_read(device, lambda session: admin_users.list_users(session, now))

    def add_admin_user(self, device: DeviceIdentity, user: UserInput) -> UserCreated:
        self._admin(device, "admin.write")
        new = users.new_secret(None)  # hashed before the write: scrypt is slow
        return self._admin_write(device, lambda uow, actor: admin_users.add_user(
            uow, actor, user, new))

    def change_user(self, device: DeviceIdentity, username: str, change: UserChange
                    ) -> AdminUserView:
        return self._admin_write(device, lambda uow, actor: admin_users.change_user(
            uow, actor, username, change))

    def reset_user_secret(self, device: DeviceIdentity, username: str) -> UserCreated:
        self._admin(device, "admin.write")
        new = users.new_secret(None)  # hashed before the write: scrypt is slow
        return self._admin_write(device, lambda uow, actor: admin_users.reset_secret(
            uow, actor, username, new))

    def unlock_user(self, device: DeviceIdentity, username: str) -> AdminUserView:
        return self._admin_write(device, lambda uow, actor: admin_users.unlock(
            uow, actor, username))

    def admin_devices(self, device: DeviceIdentity) -> list[AdminDeviceView]:
        return self._admin_read(device, pairing.list_devices)

    def create_pairing(self, device: DeviceIdentity, request: PairingInput) -> PairingCode:
        fingerprint = self.office_ca.fingerprint
        return self._admin_write(device, lambda uow, actor: pairing.create_pairing(
            uow, actor, request, fingerprint))

    def pairings(self, device: DeviceIdentity) -> list[PairingCode]:
        now = self.clock.now()
        return self._admin_read(device, lambda session: pairing.pending(session, now))

    def cancel_pairing(self, device: DeviceIdentity, pairing_id: str) -> None:
        self._admin_write(device, lambda uow, actor: pairing.cancel_pairing(
            uow, actor, pairing_id))

    def bind_device(self, device: DeviceIdentity, device_id: str, binding: DeviceBinding
                    ) -> AdminDeviceView:
        return self._admin_write(device, lambda uow, actor: pairing.bind_device(
            uow, actor, device_id, binding))

    def revoke_device(self, device: DeviceIdentity, device_id: str) -> AdminDeviceView:
        return self._admin_write(device, lambda uow, actor: pairing.revoke_device(
            uow, actor, device_id))

    def pair(self, code: str) -> PairedDevice:
        """A new PC redeems its one-time code (no credential yet). Wrong codes are counted
        and committed before the refusal is raised, like failed logins."""
        with self.unit_of_work() as uow:
            outcome = pairing.pair(uow, code, self.config.login_attempts,
                                   self.config.login_lockout_minutes)
            uow.commit()
        if isinstance(outcome, CacError):
            raise outcome
        return outcome

    def office_settings(self, device: DeviceIdentity) -> OfficeSettings:
        self._admin(device, "admin.read")
        return office_settings.settings_view(self.config, self._boot_config,
                                             self.data_dir.root)

    def change_office_settings(self, device: DeviceIdentity, change: OfficeSettingsChange
                               ) -> OfficeSettings:
        def run(uow: UnitOfWork, actor: AdminActor) -> None:
            if office_settings.change_settings(uow, actor, self.config, change, self.data_dir):
                uow.after_commit(self._reload_settings)

        self._admin_write(device, run)
        return office_settings.settings_view(self.config, self._boot_config,
                                             self.data_dir.root)

    def learn_central_public_url(self, url: object) -> bool:
        """Keep the public address central announced (sync hello); whether it changed. The
        one the admin set, when there is one, still wins (OfficeConfig.public_address)."""
        with self.store.write_session() as session:
            changed = office_settings.store_central_public_url(session, url, self.clock.now())
            session.commit()
        if changed:
            self._reload_settings()
        return changed

    def _reload_settings(self) -> None:
        with self.store.read_session() as session:
            self.config = replace(
                office_settings.overlay(self._file_config, office_settings.stored(session)),
                central_credential=self.data_dir.central_credential())

    def set_logo(self, device: DeviceIdentity, png: bytes) -> OfficeSettings:
        """The office's logo (PNG), printed at the top of every ticket."""
        self._admin_write(device, lambda uow, actor: office_settings.set_logo(
            uow, actor, self.data_dir.root, png))
        return office_settings.settings_view(self.config, self._boot_config,
                                             self.data_dir.root)

    def office_logo(self, device: DeviceIdentity) -> bytes | None:
        """The logo the kiosks and counters print on tickets (None: the office has none)."""
        self.allow(device, "services.read")
        return office_settings.read_logo(self.data_dir.root)

    def test_print(self, device: DeviceIdentity) -> PrinterTestResult:
        """A Spanish test page on this PC's printer (config), recorded as a print job."""
        self._admin(device, "admin.write")
        printer = self.test_page_printer or _installed_test_page_printer()
        if printer is None:
            raise Conflict("no_printing",
                           "Este hub no tiene instalado el módulo de impresión: no se puede "
                           "imprimir la página de prueba.")
        try:
            report = printer(self.config, self.data_dir.root,
                             office_settings.read_logo(self.data_dir.root))
        except Exception as exc:  # the printing layer's bug must not become a 500
            log.exception("la página de prueba falló")
            return PrinterTestResult(ok=False, job=None,
                                     message="No se pudo imprimir la página de prueba "
                                             f"({type(exc).__name__}).")
        job = self._write(device, "admin.write", lambda uow: printjobs.report(
            uow, report, device.id, device.name))
        if report.state == "printed":
            return PrinterTestResult(ok=True, message="Se imprimió la página de prueba.",
                                     job=job)
        return PrinterTestResult(
            ok=False, job=job,
            message=f"No se pudo imprimir la página de prueba: {report.error_message or ''}"
                    .rstrip(": "))


def _check_after(after: int) -> int:
    if after < 0:
        raise InvalidInput("invalid_after", "El parámetro «after» no puede ser negativo.")
    return after


def _installed_test_page_printer() -> TestPagePrinter | None:
    """The test page of the installed printing layer (entry point `cac_kiosk.test_page`)."""
    from importlib.metadata import entry_points

    for entry in entry_points(group="cac_kiosk.test_page"):
        try:
            found: TestPagePrinter = entry.load()
        except Exception:
            log.exception("no se pudo cargar la página de prueba %s", entry.name)
            continue
        return found
    return None
