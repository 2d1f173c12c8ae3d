"""What every window shows of the office's state: health, alerts, the displays' voice and
the link with central (the sync worker itself lives in sync/). No personal data here.
"""

from __future__ import annotations

import logging
from datetime import datetime, time

from kiosk import __version__
from kiosk.hub.core import HubCore, log
from kiosk.rules.text import checked_text_arguments
from kiosk.services import printjobs, sync_status, window_restarts
from kiosk.services.devices import DeviceIdentity
from kiosk.services.display_health import DisplayHealthReport
from kiosk.services.sync_status import SyncAttentionItem, SyncStatusView
from kiosk.services.views import AlertView, HealthView
from kiosk.wire import WindowRestartReport


@checked_text_arguments  # no control characters in any text argument; names cleaned
class StatusFacade(HubCore):
    """Health, alerts and the sync status."""

    def health(self) -> HealthView:
        return HealthView(status="ok", office=self.office.office_code,
                          name=self.config.office_name, version=__version__,
                          time=self.clock.now(), insecure_http=self.lan_insecure,
                          municipality=self.config.municipality,
                          public_url=self.config.public_address)

    def alerts(self, device: DeviceIdentity) -> list[AlertView]:
        self.allow(device, "alerts.read")
        now = self.clock.now()
        with self.store.read_session() as session:
            alerts = printjobs.printer_alerts(session, self.office.business_date(now),
                                              self.office.tz)
        alerts += self.displays.alerts(now)
        with self.store.read_session() as session:
            day = self.office.business_date(now)
            alerts += window_restarts.restart_alerts(
                session, datetime.combine(day, time(0), tzinfo=self.office.tz), self.office.tz)
        if self.config_warning:
            alerts.append(AlertView(code="config_fallback", message=self.config_warning))
        return alerts

    def report_display_health(self, device: DeviceIdentity, report: DisplayHealthReport
                              ) -> None:
        """A display says whether it can speak the calls (a device alone, its own state)."""
        self.allow(device, "displays.health")
        if self.displays.report(device, report, self.clock.now()):
            log.log(logging.INFO if report.voice == "ok" else logging.WARNING,
                    "voz de la pantalla %s: %s", device.name, report.voice)

    def report_window_restart(self, device: DeviceIdentity,
                              report: WindowRestartReport) -> None:
        """A public window's watchdog started it again after it died (a device alone)."""
        self.allow(device, "windows.restarted")
        log.warning("la ventana de %s se cerró sola (código %s) y se volvió a abrir",
                    device.name, report.exit_code)
        self._write(device, "windows.restarted",
                    lambda uow: window_restarts.record_restart(uow, device, report))

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
