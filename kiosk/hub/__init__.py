"""The office hub: the one object that owns the office's store (composition root).

`OfficeHub` is the core (kiosk/hub/core.py: store, clocks, the write gate, rollover, access
log) with one facade per area composed on top; every way in calls it by its method names.
"""

from kiosk.hub.admin import AdminFacade
from kiosk.hub.citas import CitasFacade
from kiosk.hub.core import SESSION_OPERATIONS, SESSION_SWEEP, SYSTEM, HubCore, TestPagePrinter
from kiosk.hub.devices import DevicesFacade
from kiosk.hub.expedientes import ExpedientesFacade
from kiosk.hub.itse import ItseFacade
from kiosk.hub.notices import NoticesFacade
from kiosk.hub.reclamos import ReclamosFacade
from kiosk.hub.records import RecordsFacade
from kiosk.hub.sessions import SessionsFacade
from kiosk.hub.signing import SigningFacade
from kiosk.hub.statistics import DAILY_STATS_BATCH, StatisticsFacade
from kiosk.hub.status import StatusFacade
from kiosk.hub.tickets import MAX_LONG_POLL_S, TicketsFacade

__all__ = [
    "DAILY_STATS_BATCH",
    "MAX_LONG_POLL_S",
    "SESSION_OPERATIONS",
    "SESSION_SWEEP",
    "SYSTEM",
    "HubCore",
    "OfficeHub",
    "TestPagePrinter",
]


class OfficeHub(TicketsFacade, CitasFacade, SessionsFacade, ExpedientesFacade, ItseFacade,
                NoticesFacade, RecordsFacade, StatisticsFacade, StatusFacade, DevicesFacade,
                AdminFacade, ReclamosFacade, SigningFacade):
    """The office's hub: every area's methods on one object (no method is defined twice)."""
