"""A public window (kiosk, TV, rating screen) that died and was started again by its
watchdog (`cac kiosk --restart`, ui/watchdog.py) says so to the hub: an event of the device's
history, and an alert for the supervisor while it is the same day. A window that keeps dying
is a PC to look at before the citizens find the kiosk dark."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.services.devices import DeviceIdentity
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.services.views import AlertView
from kiosk.storage.tables import Device, Event
from kiosk.wire import WindowRestartReport

RESTARTED = "window_restarted"


def record_restart(uow: UnitOfWork, device: DeviceIdentity, report: WindowRestartReport
                   ) -> None:
    uow.record("device", device.id, RESTARTED,
               {"device": device.name, "exit_code": report.exit_code}, device.id)


def restart_alerts(session: Session, since: datetime, tz: ZoneInfo) -> list[AlertView]:
    """One alert per device whose window was restarted since `since` (the day's start)."""
    rows = session.execute(select(Event.stream_id, Event.occurred_at).where(
        Event.kind == RESTARTED, Event.occurred_at >= since).order_by(Event.seq)).all()
    if not rows:
        return []
    counts = Counter(stream_id for stream_id, _ in rows)
    last = {stream_id: at for stream_id, at in rows}
    names = {device_id: name for device_id, name in session.execute(
        select(Device.id, Device.name).where(Device.id.in_(list(counts))))}
    alerts = []
    for device_id, times in sorted(counts.items(), key=lambda item: last[item[0]],
                                   reverse=True):
        when = last[device_id].astimezone(tz).strftime("%H:%M")
        veces = "1 vez" if times == 1 else f"{times} veces"
        alerts.append(AlertView(code=RESTARTED, message=(
            f"La ventana de «{names.get(device_id, 'un equipo retirado')}» se cerró sola "
            f"{veces} hoy y se volvió a abrir (la última a las {when}). Revise esa PC.")))
    return alerts
