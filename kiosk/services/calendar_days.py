"""The office's calendar of extra non-working days, as stored: which count here.

Central distributes days with their scope (sync/central/server.py); the hub keeps them all
and counts those whose scope takes in the office (kiosk.rules.calendar.applies: its ubigeo,
its code). The office's own days: kiosk/services/calendar_admin.py.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.ids import new_id
from kiosk.rules.calendar import (
    LIMA,
    SCOPE_TEXT,
    DayScope,
    OfficePlace,
    WorkingCalendar,
    applies,
    parse_cutoff,
)
from kiosk.services.calendar_views import NonWorkingDayView
from kiosk.services.unit_of_work import OfficeContext, UnitOfWork
from kiosk.storage.tables import NonWorkingDay

STREAM = "calendar"


def office_place(office: OfficeContext) -> OfficePlace:
    return OfficePlace(office.office_code, office.ubigeo)


def office_calendar(session: Session, office: OfficeContext | None = None) -> WorkingCalendar:
    """The office's working days: national holidays and the extra days that count here, in
    its time zone, with its filing cut-off. None: central's view of no office in particular
    (Lima, the days of the whole country)."""
    place = office_place(office) if office is not None else None
    extra: dict[date, str] = {}
    for row in session.scalars(select(NonWorkingDay).order_by(NonWorkingDay.day)):
        if applies(row.scope, row.place, place):
            extra.setdefault(row.day, row.name)
    if office is None:
        return WorkingCalendar(extra, LIMA)
    return WorkingCalendar(extra, office.tz, parse_cutoff(office.filing_cutoff))


def day_view(row: NonWorkingDay, office: OfficeContext) -> NonWorkingDayView:
    scope = DayScope(row.scope) if row.scope in DayScope.__members__.values() else None
    return NonWorkingDayView(
        day=row.day, name=row.name, scope=row.scope,
        scope_text=SCOPE_TEXT[scope] if scope else row.scope, place=row.place,
        counts=applies(row.scope, row.place, office_place(office)),
        own=row.scope == DayScope.OFICINA and row.place == office.office_code)


def list_days(session: Session, office: OfficeContext, year: int | None = None
              ) -> list[NonWorkingDayView]:
    """Every extra day the office holds (of a year), with whether it counts here."""
    query = select(NonWorkingDay).order_by(NonWorkingDay.day, NonWorkingDay.scope,
                                           NonWorkingDay.place)
    if year is not None:
        query = query.where(NonWorkingDay.day >= date(year, 1, 1),
                            NonWorkingDay.day <= date(year, 12, 31))
    return [day_view(row, office) for row in session.scalars(query)]


def find_day(session: Session, day: date, scope: str, place: str) -> NonWorkingDay | None:
    return session.scalar(select(NonWorkingDay).where(
        NonWorkingDay.day == day, NonWorkingDay.scope == scope, NonWorkingDay.place == place))


def set_day(uow: UnitOfWork, day: date, scope: str, place: str, name: str,
            device_id: str | None) -> bool:
    """A day from a catalogue file or central, as given; False when already so."""
    row = find_day(uow.session, day, scope, place)
    if row is not None and row.name == name:
        return False
    if row is None:
        row = NonWorkingDay(id=new_id(), day=day, name=name, scope=scope, place=place)
        uow.session.add(row)
        uow.session.flush()
    else:
        row.name = name
    uow.record(STREAM, row.id, "non_working_day_set",
               {"date": day.isoformat(), "name": name, "scope": scope, "place": place},
               device_id)
    return True
