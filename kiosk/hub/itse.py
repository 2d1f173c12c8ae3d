"""The ITSE of licencias de funcionamiento: the counter records it, the supervisor watches
its due dates and the certificates' expiries (kiosk/services/itse.py)."""

from __future__ import annotations

from kiosk.hub.core import HubCore
from kiosk.rules.text import checked_text_arguments
from kiosk.services import calendar_days, itse
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import ExpedienteView
from kiosk.services.itse_views import ItseInput, ItseOverview


@checked_text_arguments  # no control characters in any text argument; names cleaned
class ItseFacade(HubCore):
    """A clerk's write on an expediente (HubCore's `_clerk_write`), the supervisor's read."""

    def record_itse(self, device: DeviceIdentity, number: str, inspection: ItseInput
                    ) -> ExpedienteView:
        return self._clerk_write(device, "itse.record", lambda uow, actor, calendar:
                                 itse.record_itse(uow, number, inspection, actor, calendar))

    def itse_overview(self, device: DeviceIdentity) -> ItseOverview:
        """Licences whose ITSE posterior is due or late, certificates and their expiries."""
        self.allow(device, "itse.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            return itse.itse_overview(session, self.office.office_id, today,
                                      calendar_days.office_calendar(session, self.office))
