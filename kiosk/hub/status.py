"""What every window shows of the office's state: health, alerts, the displays' voice and
the link with central (the sync worker itself lives in sync/). No personal data here.
"""

from __future__ import annotations

import logging

from kiosk import __version__
from kiosk.hub.core import HubCore, log
from kiosk.rules.text import checked_text_arguments
from kiosk.services import printjobs, sync_status
from kiosk.services.devices import DeviceIdentity
from kiosk.services.display_health import DisplayHealthReport
from kiosk.services.sync_status import SyncAttentionItem, SyncStatusView
from kiosk.services.views import AlertView, HealthView


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
