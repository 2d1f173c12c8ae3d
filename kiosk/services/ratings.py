"""Citizens' ratings (1-5) of the service they just received, and the satisfaction figures.

A rating is given on the kiosk or on a counter-facing screen right after the ticket is
finished: one per ticket, within `rating_window_minutes` of the finish. It keeps the ticket's
service, counter and clerk, and counts in the ticket's business day. Each rating is also an
event of the ticket's stream («rated»), like every other fact of the ticket.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.errors import Conflict, InvalidInput, NotFound
from kiosk.ids import new_id
from kiosk.rules.queue import TicketStatus
from kiosk.services import daily_stats
from kiosk.services.daily_stats import Block, RatedKey
from kiosk.services.history import NO_CLERK_LABEL, Names
from kiosk.services.stats import check_period, of_offices
from kiosk.services.supervisor_views import RatingView, SatisfactionGroup, SatisfactionStats
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.storage.tables import Rating, Service, Ticket

SCORES = (1, 2, 3, 4, 5)
SATISFIED = (4, 5)


def check_score(score: object) -> int:
    if isinstance(score, bool) or not isinstance(score, int) or score not in SCORES:
        raise InvalidInput("invalid_score", "La calificación debe ser un número del 1 al 5.")
    return score


def _ticket(uow: UnitOfWork, reference: str) -> Ticket:
    """By id, or by today's number («A-023», «a-023»): the number on the citizen's paper."""
    text = reference.strip() if isinstance(reference, str) else ""
    if not text:
        raise InvalidInput("invalid_ticket", "Indique el turno que se califica.")
    ticket = uow.session.get(Ticket, text)
    if ticket is None:
        ticket = uow.session.scalar(select(Ticket).where(
            Ticket.number == text.upper(), Ticket.business_date == uow.today))
    if ticket is None or ticket.office_id != uow.office.office_id:
        raise NotFound("unknown_ticket", f"No hay un turno «{text[:36]}» de hoy.")
    return ticket


def rate_ticket(uow: UnitOfWork, reference: str, score: int, device_id: str | None,
                counter: int | None, window_minutes: int) -> RatingView:
    """Record a rating. `counter`: the counter the rating device is bound to (None: the hub
    itself); a counter's screen rates only the ticket that counter finished last."""
    score = check_score(score)
    ticket = _ticket(uow, reference)
    if ticket.status != TicketStatus.FINISHED or ticket.finished_at is None:
        raise Conflict("ticket_not_finished",
                       f"El turno {ticket.number} no ha terminado su atención: se califica "
                       "al terminar.")
    if counter is not None:
        if ticket.counter_number != counter:
            raise Conflict("rating_other_counter",
                           f"El turno {ticket.number} no se atendió en la ventanilla {counter}.")
        later = uow.session.scalar(select(Ticket.number).where(
            Ticket.office_id == ticket.office_id, Ticket.counter_number == counter,
            Ticket.finished_at > ticket.finished_at).limit(1))
        if later is not None:  # only the citizen who just left the counter rates
            raise Conflict("rating_not_latest",
                           f"Después del turno {ticket.number} la ventanilla {counter} ya "
                           f"atendió el {later}: se califica solo la última atención.")
    if uow.session.scalar(select(Rating.id).where(Rating.ticket_id == ticket.id)) is not None:
        raise Conflict("already_rated", f"El turno {ticket.number} ya fue calificado. Gracias.")
    if uow.now - ticket.finished_at > timedelta(minutes=window_minutes):
        raise Conflict("rating_window_passed",
                       f"La atención del turno {ticket.number} terminó hace más de "
                       f"{window_minutes} minutos: ya no se puede calificar.")
    service = uow.session.get(Service, ticket.service_id)
    assert service is not None
    rating = Rating(id=new_id(), office_id=uow.office.office_id, ticket_id=ticket.id,
                    business_date=ticket.business_date, score=score,
                    service_id=ticket.service_id, counter_number=ticket.counter_number,
                    user_id=ticket.user_id, device_id=device_id, created_at=uow.now)
    uow.session.add(rating)
    uow.session.flush()
    if ticket.business_date < uow.today:  # rated just after midnight: a closed day changed
        daily_stats.invalidate_from(uow.session, uow.office.office_id, ticket.business_date)
    uow.record("ticket", ticket.id, "rated",
               {"number": ticket.number, "score": score, "rating_id": rating.id}, device_id)
    return RatingView(id=rating.id, ticket_id=ticket.id, number=ticket.number, score=score,
                      service=service.code, counter=ticket.counter_number,
                      created_at=uow.now)


# --- satisfaction figures --------------------------------------------------------------------


class _Tally:
    def __init__(self) -> None:
        self.distribution = [0] * len(SCORES)
        self.served = 0

    def group(self, key: str, label: str) -> SatisfactionGroup:
        count = sum(self.distribution)
        total = sum(score * n for score, n in zip(SCORES, self.distribution, strict=True))
        satisfied = sum(self.distribution[s - 1] for s in SATISFIED)
        return SatisfactionGroup(
            key=key, label=label, ratings=count,
            mean=round(total / count, 2) if count else None,
            distribution=list(self.distribution),
            satisfied_pct=round(100 * satisfied / count, 1) if count else None,
            served=self.served,
            response_pct=round(100 * count / self.served, 1) if self.served else None)


class _Tallies:
    """The period's ratings and finished tickets, in total and by service, counter and clerk."""

    def __init__(self, names: Names) -> None:
        self.names = names
        self.total = _Tally()
        self.by_service: dict[str, _Tally] = {}
        self.by_counter: dict[int, _Tally] = {}
        self.by_clerk: dict[str, _Tally] = {}

    def _of(self, service: str, counter: int | None, user_id: str | None) -> list[_Tally]:
        found = [self.total, self.by_service.setdefault(service, _Tally())]
        if counter is not None:
            found.append(self.by_counter.setdefault(counter, _Tally()))
        if user_id is not None:
            found.append(self.by_clerk.setdefault(self.names.clerk(user_id)[0], _Tally()))
        return found

    def rated(self, service: str, counter: int | None, user_id: str | None, score: int,
              count: int = 1) -> None:
        for tally in self._of(service, counter, user_id):
            tally.distribution[score - 1] += count

    def served(self, service: str, counter: int | None, user_id: str | None,
               count: int) -> None:
        for tally in self._of(service, counter, user_id):
            tally.served += count

    def stats(self, office: str, date_from: date, date_to: date) -> SatisfactionStats:
        names = self.names
        full_names = {username: full for username, full in names.clerks.values()}
        order = names.service_order
        by_service, by_counter, by_clerk = self.by_service, self.by_counter, self.by_clerk
        return SatisfactionStats(
            office=office, date_from=date_from, date_to=date_to,
            overall=self.total.group("total", "Total"),
            by_service=[by_service[code].group(code, names.service(code)) for code in
                        sorted(by_service, key=lambda c: (order.get(c, len(order)), c))],
            by_counter=[by_counter[n].group(str(n), names.counter(n))
                        for n in sorted(by_counter)],
            by_clerk=[by_clerk[u].group(u, full_names.get(u, NO_CLERK_LABEL)) for u in
                      sorted(by_clerk, key=lambda u: (full_names.get(u, NO_CLERK_LABEL), u))])


def satisfaction_stats(session: Session, office: str, date_from: date, date_to: date,
                       office_ids: Iterable[str] | None = None, names: Names | None = None
                       ) -> SatisfactionStats:
    """Ratings of the tickets of [date_from, date_to] by service, counter and clerk, next to
    the tickets finished there (the response rate)."""
    check_period(date_from, date_to)
    ids = None if office_ids is None else list(office_ids)
    names = names or Names.load(session, ids)

    ratings = (
        select(Service.code, Rating.counter_number, Rating.user_id, Rating.score)
        .join(Service, Service.id == Rating.service_id)
        .where(Rating.business_date >= date_from, Rating.business_date <= date_to,
               *of_offices(Rating.office_id, ids)))
    served = (
        select(Service.code, Ticket.counter_number, Ticket.user_id, func.count())
        .join(Service, Service.id == Ticket.service_id)
        .where(Ticket.business_date >= date_from, Ticket.business_date <= date_to,
               Ticket.status == TicketStatus.FINISHED, *of_offices(Ticket.office_id, ids))
        .group_by(Service.code, Ticket.counter_number, Ticket.user_id))

    tallies = _Tallies(names)
    for service, counter, user_id, score in session.execute(ratings):
        tallies.rated(service, counter, user_id, score)
    for service, counter, user_id, count in session.execute(served):
        tallies.served(service, counter, user_id, count)
    return tallies.stats(office, date_from, date_to)


def satisfaction_of_counts(office: str, date_from: date, date_to: date,
                           rated: Mapping[RatedKey, Sequence[int]],
                           served: Mapping[RatedKey, int], names: Names) -> SatisfactionStats:
    """`satisfaction_stats` from the period's score counts and finished tickets by (service,
    counter, clerk's user id): what pre-aggregated days keep (kiosk/services/daily_stats.py,
    and central's own)."""
    tallies = _Tallies(names)
    for (service, counter, user_id), dist in rated.items():
        for score, count in zip(SCORES, dist, strict=True):
            tallies.rated(service, counter, user_id, score, count)
    for (service, counter, user_id), count in served.items():
        tallies.served(service, counter, user_id, count)
    return tallies.stats(office, date_from, date_to)


def satisfaction_of_blocks(office: str, date_from: date, date_to: date,
                           blocks: Sequence[Block], names: Names) -> SatisfactionStats:
    """`satisfaction_stats` from pre-aggregated blocks (kiosk/services/daily_stats.py)."""
    rated: dict[RatedKey, list[int]] = {}
    served: dict[RatedKey, int] = {}
    for block in blocks:
        for key, dist in block.rated.items():
            rated[key] = [a + b for a, b in zip(rated.get(key, [0] * 5), dist, strict=True)]
        for key, count in block.served.items():
            served[key] = served.get(key, 0) + count
    return satisfaction_of_counts(office, date_from, date_to, rated, served, names)
