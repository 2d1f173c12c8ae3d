"""The office's own non-working days, as its admin adds, corrects and removes them.

Only days of the office alone (scope «oficina», its code): a day of a wider scope is
central's to change. Every change is an audited event (who, when, which day) that reaches
central with the office's other events, and moves the due dates of open expedientes either
way (kiosk.services.expedientes.redate_for_new_calendar), each move an event too.
"""

from __future__ import annotations

from datetime import date

from kiosk.errors import Conflict, InvalidInput, NotFound
from kiosk.ids import new_id
from kiosk.rules.calendar import DayScope, WorkingCalendar, check_day
from kiosk.services import expedientes
from kiosk.services.admin_audit import AdminActor, record
from kiosk.services.calendar_days import STREAM, day_view, find_day, office_calendar
from kiosk.services.calendar_views import CalendarChanged, OfficeDayChange, OfficeDayInput
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.storage.tables import NonWorkingDay


def _changed(uow: UnitOfWork, before: WorkingCalendar, row: NonWorkingDay | None
             ) -> CalendarChanged:
    uow.session.flush()
    moved = expedientes.redate_for_new_calendar(uow, before,
                                                office_calendar(uow.session, uow.office))
    return CalendarChanged(entry=day_view(row, uow.office) if row is not None else None,
                           moved=moved)


def _own(uow: UnitOfWork, day: date) -> NonWorkingDay:
    row = find_day(uow.session, day, DayScope.OFICINA, uow.office.office_code)
    if row is None:
        raise NotFound("unknown_day",
                       f"La oficina no tiene un día no laborable propio el {day:%d/%m/%Y}. "
                       "Los días nacionales o regionales los corrige la central.")
    return row


def _free(uow: UnitOfWork, day: date) -> None:
    check_day(day, "día no laborable")
    if find_day(uow.session, day, DayScope.OFICINA, uow.office.office_code) is not None:
        raise Conflict("day_exists", f"El {day:%d/%m/%Y} ya es un día no laborable de la "
                                     "oficina: corríjalo en vez de agregarlo otra vez.")


def add_office_day(uow: UnitOfWork, actor: AdminActor, new: OfficeDayInput) -> CalendarChanged:
    _free(uow, new.day)
    before = office_calendar(uow.session, uow.office)
    row = NonWorkingDay(id=new_id(), day=new.day, name=new.name, scope=DayScope.OFICINA,
                        place=uow.office.office_code)
    uow.session.add(row)
    uow.session.flush()
    record(uow, actor, STREAM, row.id, "non_working_day_added",
           {"date": row.day.isoformat(), "name": row.name, "scope": row.scope,
            "place": row.place})
    return _changed(uow, before, row)


def correct_office_day(uow: UnitOfWork, actor: AdminActor, day: date, change: OfficeDayChange
                       ) -> CalendarChanged:
    row = _own(uow, day)
    new_day = change.day if change.day is not None else row.day
    new_name = change.name if change.name is not None else row.name
    if (new_day, new_name) == (row.day, row.name):
        raise InvalidInput("nothing_to_change", "Indique la fecha o el nombre corregidos.")
    if new_day != row.day:
        _free(uow, new_day)
    before = office_calendar(uow.session, uow.office)
    previous = {"previous_date": row.day.isoformat(), "previous_name": row.name}
    row.day, row.name = new_day, new_name
    record(uow, actor, STREAM, row.id, "non_working_day_corrected",
           {"date": new_day.isoformat(), "name": new_name, "scope": row.scope,
            "place": row.place, **previous})
    return _changed(uow, before, row)


def remove_office_day(uow: UnitOfWork, actor: AdminActor, day: date) -> CalendarChanged:
    row = _own(uow, day)
    before = office_calendar(uow.session, uow.office)
    record(uow, actor, STREAM, row.id, "non_working_day_removed",
           {"date": row.day.isoformat(), "name": row.name, "scope": row.scope,
            "place": row.place})
    uow.session.delete(row)
    return _changed(uow, before, None)
