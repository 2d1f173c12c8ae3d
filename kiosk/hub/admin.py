"""The admin window (docs/admin.md): the catalogue (TUPA, services, counters), users, and
the office settings. Writes go through HubCore._admin_write (an admin logged in, audited);
the settings reload itself is HubCore._reload_settings.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.hub.core import HubCore
from kiosk.rules.text import checked_text_arguments
from kiosk.services import (
    admin_catalogue,
    admin_users,
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
            before = tupa.office_calendar(uow.session, self.office.tz)
            result = tupa.import_catalogue(uow, path, self._device_id(device))
            if result.non_working_days_set:  # deadlines already running move with the calendar
                expedientes.redate_for_new_calendar(
                    uow, before, tupa.office_calendar(uow.session, self.office.tz))
            return result

        return self._write(device, "catalogue.manage", run)

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
