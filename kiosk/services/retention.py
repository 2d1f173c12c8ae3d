"""Retention of ticket data (Ley 29733): `ticket_retention_days` after their day, the office's
ticket rows are removed from the hub's store. 0 (the default) keeps them forever.

What goes, for every business day older than the retention and already in the daily
statistics (kiosk/services/daily_stats.py), so the supervisor's history of those days stays
exactly what it was:

- the tickets themselves (times, counter, clerk, preferential category),
- the citizens' ratings of them (score, rating device),
- the links between those tickets and expedientes (the expediente keeps its own history).

What stays, and why (docs/decisions.md, 19 «Daily statistics and ticket retention»):

- the daily statistics, now `frozen`: the only record of those days' figures;
- the events: the hash-chained audit trail (`cac audit verify`) cannot lose rows without
  breaking; ticket events carry numbers, times, counters and device/clerk ids, never a
  citizen's name or document;
- central's copy: the purge is local and does not replicate (it runs with the outbox capture
  off, like applying what central sent); central is the municipality's archive, with its own
  retention. Changes still in the outbox carry their row's data and are pushed as usual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Delete, delete, select, update
from sqlalchemy.orm import Session

from kiosk.errors import InvalidInput
from kiosk.services import daily_stats
from kiosk.storage.tables import (
    DailyTicketStats,
    ExpedienteTicket,
    Rating,
    SyncControl,
    Ticket,
)

MAX_RETENTION_DAYS = 366 * 20


@dataclass(frozen=True)
class Purged:
    through: date | None  # the last business day removed; None: nothing to remove
    tickets: int
    ratings: int
    expediente_links: int

    def message(self) -> str:
        if self.through is None:
            return "No hay datos de turnos más antiguos que el plazo de conservación."
        return (f"Se eliminaron los datos de turnos hasta el {self.through:%d/%m/%Y}: "
                f"{self.tickets} turnos, {self.ratings} calificaciones y "
                f"{self.expediente_links} vínculos con expedientes. Las estadísticas de esos "
                "días se conservan.")


def check_retention_days(days: object) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not (
            0 <= days <= MAX_RETENTION_DAYS):
        raise InvalidInput("invalid_retention",
                           "El plazo de conservación de los turnos debe ser un número de días "
                           f"entre 0 (conservar siempre) y {MAX_RETENTION_DAYS}.")
    return days


def purge_through(session: Session, office_id: str, today: date, retention_days: int
                  ) -> date | None:
    """The last business day whose tickets may go: older than the retention (a ticket of
    `today - retention_days` is kept) and already in the daily statistics."""
    if check_retention_days(retention_days) == 0:
        return None
    newest = daily_stats.newest_day(session, office_id)
    if newest is None:
        return None
    return min(today - timedelta(days=retention_days + 1), newest)


def purge(session: Session, office_id: str, today: date, retention_days: int) -> Purged:
    """Remove the ticket data older than the retention; the caller commits. Call
    `daily_stats.refresh` first (the hub does): days not aggregated yet are never removed."""
    through = purge_through(session, office_id, today, retention_days)
    if through is None:
        return Purged(None, 0, 0, 0)
    old = select(Ticket.id).where(Ticket.office_id == office_id,
                                  Ticket.business_date <= through)
    if session.scalar(old.limit(1)) is None:
        return Purged(None, 0, 0, 0)
    # A local purge: the outbox capture is off for this transaction (kiosk/storage/
    # replication.py), so central keeps its copy; it is switched back on before the commit.
    capturing = session.scalar(select(SyncControl.applying)) or 0
    session.execute(update(SyncControl).values(applying=1))
    try:
        links = _deleted(session, delete(ExpedienteTicket).where(
            ExpedienteTicket.ticket_id.in_(old)))
        ratings = _deleted(session, delete(Rating).where(
            Rating.office_id == office_id, Rating.business_date <= through))
        tickets = _deleted(session, delete(Ticket).where(
            Ticket.office_id == office_id, Ticket.business_date <= through))
        # Those days' figures are now all that is left of them: never rebuilt, always used.
        session.execute(update(DailyTicketStats).where(
            DailyTicketStats.office_id == office_id, DailyTicketStats.start <= through)
            .values(frozen=True))
    finally:
        session.execute(update(SyncControl).values(applying=capturing))
    return Purged(through, tickets, ratings, links)


def _deleted(session: Session, statement: Delete) -> int:
    result = session.execute(statement)
    return int(cast(CursorResult[Any], result).rowcount)
