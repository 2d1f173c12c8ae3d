"""Devices: the office's certificate authority, pairing a PC, binding and revoking it, and
what the printers report (print jobs, the admin's test page).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from kiosk.errors import CacError, Conflict
from kiosk.hub.core import SYSTEM, HubCore, TestPagePrinter, log
from kiosk.rules.text import checked_text_arguments
from kiosk.services import office_settings, pairing, printjobs
from kiosk.services.admin_views import (
    AdminDeviceView,
    DeviceBinding,
    PairedDevice,
    PairingCode,
    PairingInput,
    PrinterTestResult,
)
from kiosk.services.devices import DeviceIdentity, add_device
from kiosk.services.views import DeviceView, PrintJobReport, PrintJobView

if TYPE_CHECKING:
    from kiosk.tls import OfficeCA


@checked_text_arguments  # no control characters in any text argument; names cleaned
class DevicesFacade(HubCore):
    """PCs of the office and their printers."""

    # --- the office's certificate authority and pairing -----------------------------------

    @cached_property
    def office_ca(self) -> OfficeCA:
        """The office's certificate authority (HTTPS on the LAN), made now for an office
        created by an older version."""
        from kiosk.tls import office_ca

        return office_ca(self.data_dir.tls, self.office.office_code, self.config.office_name,
                         self.clock.now())

    def add_device(self, device: DeviceIdentity, name: str, role: str,
                   counter: int | None = None) -> tuple[DeviceView, str]:
        """A device and its token (shown once); a counter device may be bound to `counter`."""
        return self._write(device, "devices.manage", lambda uow: add_device(
            uow, name, role, counter))

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

    # --- printers -------------------------------------------------------------------------

    def print_jobs(self, device: DeviceIdentity, state: str | None = None, limit: int = 50
                   ) -> list[PrintJobView]:
        self.allow(device, "prints.read")
        with self.store.read_session() as session:
            return printjobs.list_jobs(session, state, limit)

    def report_print(self, device: DeviceIdentity, report: PrintJobReport) -> PrintJobView:
        return self._write(device, "prints.report", lambda uow: printjobs.report(
            uow, report, device.id, device.name,
            own_only=device.clerk is None and device is not SYSTEM))

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
