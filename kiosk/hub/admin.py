"""The admin window (docs/admin.md): the catalogue (TUPA, services, counters), users, and
the office settings. Writes go through HubCore._admin_write (an admin logged in, audited);
the settings reload itself is HubCore._reload_settings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from kiosk.hub.core import HubCore
from kiosk.rules.calendar import check_day
from kiosk.rules.text import checked_text_arguments
from kiosk.services import (
    admin_catalogue,
    admin_users,
    calendar_admin,
    calendar_days,
    catalogue,
    expedientes,
    office_settings,
    tupa,
    users,
)
from kiosk.services.admin_audit import AdminActor
from kiosk.services.admin_views import (
    AdminUserView,
    CounterSetup,
    OfficeSettings,
    OfficeSettingsChange,
    ServiceChange,
    ServiceInput,
    UserChange,
    UserCreated,
    UserInput,
)
from kiosk.services.calendar_views import (
    CalendarChanged,
    NonWorkingDayView,
    OfficeDayChange,
    OfficeDayInput,
)
from kiosk.services.devices import DeviceIdentity
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.services.views import CatalogueImported, CounterView, ServiceView


@checked_text_arguments  # no control characters in any text argument; names cleaned
class AdminFacade(HubCore):
    """Catalogue, users and office settings, as the admin changes them."""

    # --- the catalogue: TUPA, services, counters ------------------------------------------

    def import_catalogue(self, device: DeviceIdentity, path: Path) -> CatalogueImported:
        """Load a TUPA catalogue file (procedures, UIT, non-working days); idempotent."""
        def run(uow: UnitOfWork) -> CatalogueImported:
            before = calendar_days.office_calendar(uow.session, self.office)
            result = tupa.import_catalogue(uow, path, self._device_id(device))
            if result.non_working_days_set:  # deadlines already running move with the calendar
                expedientes.redate_for_new_calendar(
                    uow, before, calendar_days.office_calendar(uow.session, self.office))
            return result

        return self._write(device, "catalogue.manage", run)

    # --- the office's calendar (kiosk/services/calendar_admin.py) --------------------------

    def non_working_days(self, device: DeviceIdentity, year: int | None = None
                         ) -> list[NonWorkingDayView]:
        """Every extra non-working day the office holds, and whether it counts here."""
        if year is not None:
            check_day(date(year, 1, 1), "año")
        return self._admin_read(device, lambda session: calendar_days.list_days(
            session, self.office, year))

    def add_office_day(self, device: DeviceIdentity, new: OfficeDayInput) -> CalendarChanged:
        return self._calendar_write(device, lambda uow, actor: calendar_admin.add_office_day(
            uow, actor, new))

    def correct_office_day(self, device: DeviceIdentity, day: date, change: OfficeDayChange
                           ) -> CalendarChanged:
        return self._calendar_write(device, lambda uow, actor: (
            calendar_admin.correct_office_day(uow, actor, day, change)))

    def remove_office_day(self, device: DeviceIdentity, day: date) -> CalendarChanged:
        return self._calendar_write(device, lambda uow, actor: (
            calendar_admin.remove_office_day(uow, actor, day)))

    def _calendar_write(self, device: DeviceIdentity,
                        work: Callable[[UnitOfWork, AdminActor], CalendarChanged]
                        ) -> CalendarChanged:
        actor = self._admin(device, "catalogue.manage")
        return self._write(device, "catalogue.manage", lambda uow: work(uow, actor))

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

    # --- users ----------------------------------------------------------------------------

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

    # --- the office settings and its logo -------------------------------------------------

    def office_settings(self, device: DeviceIdentity) -> OfficeSettings:
        self._admin(device, "admin.read")
        return office_settings.settings_view(self.config, self._boot_config,
                                             self.data_dir.root)

    def change_office_settings(self, device: DeviceIdentity, change: OfficeSettingsChange
                               ) -> OfficeSettings:
        def run(uow: UnitOfWork, actor: AdminActor) -> None:
            changed = office_settings.change_settings(uow, actor, self.config, change,
                                                      self.data_dir)
            if changed:
                uow.after_commit(self._reload_settings)
            if "ubigeo" in changed:  # other regional days count here now: deadlines move
                moved_to = replace(uow.office, ubigeo=changed["ubigeo"])
                expedientes.redate_for_new_calendar(
                    uow, calendar_days.office_calendar(uow.session, uow.office),
                    calendar_days.office_calendar(uow.session, moved_to))

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
