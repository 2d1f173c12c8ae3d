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
from kiosk.errors import Conflict, InvalidInput
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.permissions import Role, authorize
from kiosk.services import catalogue, printjobs, queries, queue, stats, tupa
from kiosk.services.devices import DeviceIdentity, add_device, identify
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
                tupa.import_catalogue(uow, tupa.DEMO_TUPA, None)
                uow.commit()
        return hub

    def close(self) -> None:
        self.store.dispose()

    # --- plumbing ------------------------------------------------------------------------

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.store, self.clock, self.hlc, self.office)

    def authenticate(self, token: str) -> DeviceIdentity:
        with self.store.read_session() as session:
            return identify(session, token)

    def _write(self, device: DeviceIdentity, action: str, work: Callable[[UnitOfWork], T]) -> T:
        authorize(device.role, action)
        with self.unit_of_work() as uow:
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

    # --- citizens, civil registry and search ---------------------------------------------

    # --- expedientes, payments, attachments ----------------------------------------------


def _check_after(after: int) -> int:
    if after < 0:
        raise InvalidInput("invalid_after", "El parámetro «after» no puede ser negativo.")
    return after
