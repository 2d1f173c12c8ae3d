"""The hub's core: the store, the clocks, the one write gate, the day rollover, the access log.

Every way in (the HTTP API, the in-process client, the CLI, the simulator) goes through the
hub's methods, so authorisation, the unit of work and the day rollover are applied the same
way. The facades per area (kiosk/hub/*.py) build on `HubCore`; `OfficeHub` composes them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol, Self, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.calls import CallFeed
from kiosk.clock import Clock, HybridLogicalClock, SystemClock
from kiosk.config import DataDir, OfficeConfig, validate_office_code
from kiosk.errors import Conflict, Forbidden, InvalidInput
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
    calendar_days,
    catalogue,
    expedientes,
    office_settings,
    queries,
    queue,
    registry,
    tupa,
    users,
)
from kiosk.services.admin_audit import AdminActor
from kiosk.services.devices import DeviceIdentity, identify
from kiosk.services.display_health import DisplayBoard
from kiosk.services.login_throttle import FailureThrottle
from kiosk.services.unit_of_work import OfficeContext, UnitOfWork
from kiosk.services.views import PrintJobReport
from kiosk.storage.legacy_secrets import move_legacy_credential
from kiosk.storage.migrate import upgrade_database
from kiosk.storage.store import Store
from kiosk.storage.tables import Event

# One logger for the whole hub, named as before the split (hub.log lines keep "kiosk.hub").
log = logging.getLogger("kiosk.hub")


class TestPagePrinter(Protocol):
    """Prints the admin's test page on the hub PC's printer and tells how it went (the job's
    outcome, as a device reports it). `printing.hub_test_page.print_test_page` is one."""

    def __call__(self, config: OfficeConfig, data_dir: Path, logo: bytes | None
                 ) -> PrintJobReport: ...


T = TypeVar("T")

# The hub's own work (rollover, CLI administration) is done as this identity.
SYSTEM = DeviceIdentity(id="system", name="sistema", role=Role.ADMIN)

# What a clerk with an initial PIN may do: log in and out, and replace it.
SESSION_OPERATIONS = ("sessions.login", "sessions.secret")
# How often a write also ends the clerk sessions past their hours (and leaves their counters).
SESSION_SWEEP = timedelta(minutes=1)


@checked_text_arguments  # no control characters in any text argument; names cleaned
class HubCore:
    """What every facade builds on: the office's store and clocks, the gate every call passes
    (`allow`, `_write`), the access log, and the settings reload."""

    # Set by kiosk.api.app.hub_server when it serves plain HTTP off loopback (--insecure-http):
    # /health says so and the admin and supervisor windows show a warning.
    lan_insecure = False

    # --- creation -------------------------------------------------------------------------

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
        self.office = OfficeContext.of(office.id, office.code, self.config)
        self.hlc = HybridLogicalClock(office.code, self.clock)
        if last_hlc:
            self.hlc.observe(last_hlc)  # never stamp below what this office already wrote
        with self.store.read_session() as session:
            self.calls = CallFeed(queries.latest_call_seq(session))
        self._checked_day: date | None = None
        self._swept_at: datetime | None = None  # the last look for expired clerk sessions
        self.displays = DisplayBoard()  # what each display last said of its voice
        self.login_throttle = FailureThrottle(self.office.tz)

    @classmethod
    def initialise(cls, data_dir: DataDir, office_code: str, name: str, *, demo: bool = False,
                   clock: Clock | None = None) -> Self:
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

    # --- the gate: who may, and the unit of work every write runs in ----------------------

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

    # --- a clerk acting on expedientes (the expedientes' and the ITSE's facades) -----------

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
            uow, actor, calendar_days.office_calendar(uow.session, self.office)))

    # --- the admin's gate (an admin logged in, or the hub itself) -------------------------

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

    # --- the access log of personal data (Ley 29733) --------------------------------------

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

    # --- settings changed while running (config.toml under the office store's settings) ---

    def _reload_settings(self) -> None:
        with self.store.read_session() as session:
            self.config = replace(
                office_settings.overlay(self._file_config, office_settings.stored(session)),
                **self.data_dir.secret_settings())
        self.office = self.office.with_settings(self.config)  # what services read, too
