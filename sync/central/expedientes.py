"""The expedientes' figures at central, added up by PostgreSQL.

A region's year holds two million expedientes: the hub's function (kiosk/services/
expediente_stats.py) reads each into Python. Here four aggregate statements, grouped by office,
procedure and area, give the same counts (received, resolved, cancelled, the open ones by
state and due date), and the working days to resolve each come from a calendar of the period
joined in SQL (the office's days, cumulative working-day counts, each day's next working
day): `kiosk.services.expediente_stats.Tally` then makes the very same figures, per office and
for all together. On SQLite (trials) the hub's function is used as it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.expedientes import Status
from kiosk.services import expediente_stats
from kiosk.services.expediente_stats import OPEN, Tally, backlog, stats_of
from kiosk.services.stats import check_period
from kiosk.services.supervisor_views import ExpedienteStats

_LOCAL = "(({column} AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s)::date"
# A semi-join (hashed), not `= ANY(array)`, which compares each row with each office.
_MINE = "e.office_id IN (SELECT unnest(%(offices)s::text[]))"
_RECEIVED = (
    "SELECT e.office_id, p.code, e.area, count(*) FROM expedientes e JOIN procedures p "
    f"ON p.id = e.procedure_id WHERE e.filed_at >= %(start)s AND e.filed_at < %(end)s "
    f"AND {_MINE} GROUP BY 1, 2, 3")
_CANCELLED = (
    "SELECT e.office_id, p.code, e.area, count(*) FROM events ev JOIN expedientes e "
    "ON e.id = ev.stream_id JOIN procedures p ON p.id = e.procedure_id "
    "WHERE ev.kind = 'cancelled' AND ev.stream = 'expediente' AND ev.occurred_at >= %(start)s "
    f"AND ev.occurred_at < %(end)s AND {_MINE} GROUP BY 1, 2, 3")
# The open ones as of today: whether late or not is all the rules look at of a due date.
_OPEN = (
    "SELECT e.office_id, p.code, e.area, e.status, e.calificacion, e.due_date < %(today)s, "
    "count(*) FROM expedientes e JOIN procedures p ON p.id = e.procedure_id "
    f"WHERE e.status = ANY(%(open)s) AND {_MINE} GROUP BY 1, 2, 3, 4, 5, 6")
_FIRST_FILED = (
    f"SELECT min({_LOCAL.format(column='e.filed_at')}) FROM expedientes e JOIN procedures p "
    "ON p.id = e.procedure_id WHERE e.decided_at >= %(start)s AND e.decided_at < %(end)s "
    f"AND {_MINE}")
# Working days to resolve: from the effective filing day (the filing's local date, or the next
# working day) to the decision's local date, as WorkingDayCounter counts them.
_RESOLVED = (
    "WITH cal(day, cum, eff, eff_cum) AS (SELECT * FROM unnest(%(days)s::date[], "
    "%(cum)s::int[], %(eff)s::date[], %(eff_cum)s::int[])) "
    "SELECT e.office_id, p.code, e.area, e.status = 'denegado', count(*), "
    "sum((d.day <= e.due_date)::int), "
    "sum(CASE WHEN f.eff <= d.day THEN greatest(0, d.cum - f.eff_cum) ELSE 0 END) "
    "FROM expedientes e JOIN procedures p ON p.id = e.procedure_id "
    f"JOIN cal f ON f.day = {_LOCAL.format(column='e.filed_at')} "
    f"JOIN cal d ON d.day = {_LOCAL.format(column='e.decided_at')} "
    f"WHERE e.decided_at >= %(start)s AND e.decided_at < %(end)s AND {_MINE} "
    "GROUP BY 1, 2, 3, 4")


@dataclass
class _Groups:
    total: Tally = field(default_factory=Tally)
    by_procedure: dict[str, Tally] = field(default_factory=dict)
    by_area: dict[str, Tally] = field(default_factory=dict)

    def of(self, procedure: str, area: str) -> tuple[Tally, ...]:
        return (self.total, self.by_procedure.setdefault(procedure, Tally()),
                self.by_area.setdefault(area, Tally()))


def expediente_figures(connection: Connection, scopes: Mapping[str, Sequence[str]],
                       names: Mapping[str, str], tz: ZoneInfo, date_from: date,
                       date_to: date, today: date, calendar: WorkingCalendar
                       ) -> dict[str, ExpedienteStats]:
    """Each scope's (a name: its offices' ids) figures, as `expediente_stats` gives them."""
    check_period(date_from, date_to)
    if connection.dialect.name != "postgresql":
        session = Session(bind=connection)
        return {scope: expediente_stats.expediente_stats(
            session, names[scope], tz, date_from, date_to, today, calendar, ids)
            for scope, ids in scopes.items()}
    offices = sorted({office for ids in scopes.values() for office in ids})
    params: dict[str, Any] = {
        "offices": offices, "tz": str(tz), "open": [str(s) for s in OPEN], "today": today,
        "start": _utc(datetime.combine(date_from, time(0), tzinfo=tz)),
        "end": _utc(datetime.combine(date_to + timedelta(days=1), time(0), tzinfo=tz))}
    by_office: dict[str, _Groups] = {}
    # Compiling these few aggregates (JIT) costs more than running them.
    connection.exec_driver_sql("SET LOCAL jit = off")

    def groups(office: str, procedure: str, area: str) -> tuple[Tally, ...]:
        return by_office.setdefault(office, _Groups()).of(procedure, area)

    for office, procedure, area, count in connection.exec_driver_sql(_RECEIVED, params):
        for tally in groups(office, procedure, area):
            tally.received += count
    first = connection.exec_driver_sql(_FIRST_FILED, params).scalar()
    if first is not None:
        params.update(_calendar(calendar, min(first, date_from), date_to))
        for office, procedure, area, denied, count, on_time, days in \
                connection.exec_driver_sql(_RESOLVED, params):
            for tally in groups(office, procedure, area):
                if denied:
                    tally.denied += count
                else:
                    tally.approved += count
                tally.on_time += on_time
                tally.days += days
                tally.resolved_days += count
    for office, procedure, area, count in connection.exec_driver_sql(_CANCELLED, params):
        for tally in groups(office, procedure, area):
            tally.cancelled += count
    for office, procedure, area, status, calificacion, late, count in \
            connection.exec_driver_sql(_OPEN, params):
        due = today - timedelta(days=1) if late else today  # a due date as late as that
        for tally in groups(office, procedure, area):
            backlog(tally, Status(status), calificacion, due, today, count)
    titles = _procedure_names(connection, offices)
    found = {}
    for scope, ids in scopes.items():
        merged = _Groups()
        for office in ids:
            one = by_office.get(office)
            if one is None:
                continue
            merged.total.add(one.total)
            for code, tally in one.by_procedure.items():
                merged.by_procedure.setdefault(code, Tally()).add(tally)
            for area, tally in one.by_area.items():
                merged.by_area.setdefault(area, Tally()).add(tally)
        found[scope] = stats_of(names[scope], date_from, date_to, today, merged.total,
                                merged.by_procedure, merged.by_area,
                                {code: titles[code] for code in merged.by_procedure
                                 if code in titles})
    return found


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)  # the columns hold naive UTC


def _calendar(calendar: WorkingCalendar, first: date, last: date) -> dict[str, list[Any]]:
    """Each day from `first` to `last`: working days so far, its next working day and theirs
    (a month more at the end, for filings on the last non-working days)."""
    days: list[date] = []
    cumulative: dict[date, int] = {}
    count = 0
    day = first
    while day <= last + timedelta(days=31):
        count += calendar.is_working_day(day)
        cumulative[day] = count
        days.append(day)
        day += timedelta(days=1)
    effective = [calendar.next_working_day(d) for d in days]
    return {"days": days, "cum": [cumulative[d] for d in days], "eff": effective,
            "eff_cum": [cumulative.get(e, count) for e in effective]}


def _procedure_names(connection: Connection, offices: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for code, name in connection.exec_driver_sql(
            "SELECT code, name FROM procedures WHERE office_id = ANY(%(offices)s) "
            "ORDER BY code", {"offices": offices}):
        names.setdefault(code, name)
    return names
