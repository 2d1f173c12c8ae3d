"""The queue: what kiosks, counters and the TV read, tickets served, counters and the day.

Most methods hand one service call of kiosk/services/queue.py to the write gate; they stay
named here because every way in (API, clients, CLI) calls the hub by these names.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.errors import Forbidden, InvalidInput
from kiosk.hub.core import SYSTEM, HubCore, T
from kiosk.rules.text import checked_text_arguments
from kiosk.services import catalogue, queries, queue, ratings
from kiosk.services.devices import DeviceIdentity
from kiosk.services.supervisor_views import RatingView
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.services.views import (
    CallsPage,
    CounterView,
    DayClosed,
    IssuedTicket,
    QueueSnapshot,
    ServiceView,
    TicketView,
)

MAX_LONG_POLL_S = 60.0  # the longest a reader of the calls waits for a new one


@checked_text_arguments  # no control characters in any text argument; names cleaned
class TicketsFacade(HubCore):
    """Tickets, calls, counters and the end of the day."""

    # --- what the kiosks, counters and the TV read ----------------------------------------

    def services(self, device: DeviceIdentity) -> list[ServiceView]:
        self.allow(device, "services.read")
        with self.store.read_session() as session:
            return catalogue.list_services(session)

    def counters(self, device: DeviceIdentity) -> list[CounterView]:
        self.allow(device, "counters.read")
        with self.store.read_session() as session:
            return catalogue.list_counters(session)

    def queue(self, device: DeviceIdentity) -> QueueSnapshot:
        self.allow(device, "queue.read")
        now = self.clock.now()
        with self.store.read_session() as session:
            return queries.queue_snapshot(session, now, self.office.business_date(now),
                                          self.office.missed_reinstate_minutes)

    def ticket(self, device: DeviceIdentity, ticket_id: str) -> TicketView:
        self.allow(device, "tickets.read")
        with self.store.read_session() as session:
            found = queries.get_ticket(session, self.office.office_id, ticket_id)
        if device.clerk is None and device is not SYSTEM and found.counter != device.counter:
            raise Forbidden("other_counter",  # a rating screen sees its own counter's only
                            f"Este equipo es de la ventanilla {device.counter}: el turno "
                            f"{found.number} no es de esa ventanilla.")
        return found

    def calls_after(self, device: DeviceIdentity, after: int, wait: float = 0.0) -> CallsPage:
        self.allow(device, "calls.read")
        after = _check_after(after)
        if wait > 0:
            self.calls.wait(after, min(wait, MAX_LONG_POLL_S))
        with self.store.read_session() as session:
            return queries.calls_after(session, after)

    async def calls_after_async(self, device: DeviceIdentity, after: int, wait: float
                                ) -> CallsPage:
        self.allow(device, "calls.read")
        after = _check_after(after)
        if wait > 0:
            await self.calls.wait_async(after, min(wait, MAX_LONG_POLL_S))
        with self.store.read_session() as session:
            return queries.calls_after(session, after)

    # --- tickets --------------------------------------------------------------------------

    def _serve(self, device: DeviceIdentity, work: Callable[[UnitOfWork, str | None], T],
               counter: int | None = None, operation: str = "tickets.serve") -> T:
        return self._write(device, operation, lambda uow: work(uow, self._device_id(device)),
                           counter)

    def issue_ticket(self, device: DeviceIdentity, service: str, preferential: str | None = None
                     ) -> IssuedTicket:
        return self._write(device, "tickets.issue", lambda uow: queue.issue_ticket(
            uow, service, preferential, self._device_id(device)))

    def call_next(self, device: DeviceIdentity, counter: int) -> TicketView | None:
        return self._serve(device, lambda uow, by: queue.call_next(uow, counter, by), counter)

    def call_ticket(self, device: DeviceIdentity, counter: int, ticket_id: str,
                    reason: str | None = None) -> TicketView:
        return self._serve(device, lambda uow, by: queue.call_ticket(
            uow, counter, ticket_id, reason, by), counter)

    def recall(self, device: DeviceIdentity, ticket_id: str) -> TicketView:
        return self._serve(device, lambda uow, by: queue.recall(uow, ticket_id, by))

    def start(self, device: DeviceIdentity, ticket_id: str) -> TicketView:
        return self._serve(device, lambda uow, by: queue.start(uow, ticket_id, by))

    def finish(self, device: DeviceIdentity, ticket_id: str, outcome: str = "atendido"
               ) -> TicketView:
        return self._serve(device, lambda uow, by: queue.finish(uow, ticket_id, outcome, by))

    def no_show(self, device: DeviceIdentity, ticket_id: str) -> TicketView:
        return self._serve(device, lambda uow, by: queue.no_show(uow, ticket_id, by))

    def reinstate(self, device: DeviceIdentity, ticket_id: str) -> TicketView:
        """A missed ticket back into its queue: any clerk at a counter, where the citizen
        turns up."""
        return self._serve(device, lambda uow, by: queue.reinstate(uow, ticket_id, by),
                           operation="tickets.reinstate")

    def transfer(self, device: DeviceIdentity, ticket_id: str, service: str) -> TicketView:
        return self._serve(device, lambda uow, by: queue.transfer(uow, ticket_id, service, by))

    def rate_ticket(self, device: DeviceIdentity, ticket: str, score: int) -> RatingView:
        """A citizen's 1-5 rating of the ticket just finished at the caller's counter (a
        rating screen bound to it, or the clerk's own PC)."""
        return self._write(device, "ratings.submit", lambda uow: ratings.rate_ticket(
            uow, ticket, score, self._device_id(device), uow.counter,
            self.config.rating_window_minutes))

    # --- counters and the day -------------------------------------------------------------

    def _operate(self, device: DeviceIdentity, number: int,
                 work: Callable[[UnitOfWork, str | None], object]) -> CounterView:
        def run(uow: UnitOfWork) -> CounterView:
            work(uow, self._device_id(device))
            return next(c for c in catalogue.list_counters(uow.session) if c.number == number)
        return self._write(device, "counters.operate", run, number)

    def open_counter(self, device: DeviceIdentity, number: int) -> CounterView:
        return self._operate(device, number, lambda uow, by: queue.open_counter(uow, number, by))

    def pause_counter(self, device: DeviceIdentity, number: int, reason: str | None
                      ) -> CounterView:
        return self._operate(device, number, lambda uow, by: queue.pause_counter(
            uow, number, reason, by))

    def resume_counter(self, device: DeviceIdentity, number: int) -> CounterView:
        return self._operate(device, number, lambda uow, by: queue.resume_counter(
            uow, number, by))

    def close_counter(self, device: DeviceIdentity, number: int) -> CounterView:
        return self._operate(device, number, lambda uow, by: queue.close_counter(
            uow, number, by))

    def close_day(self, device: DeviceIdentity) -> DayClosed:
        return self._write(device, "day.close", lambda uow: queue.close_day(
            uow, uow.today, self._device_id(device)))


def _check_after(after: int) -> int:
    if after < 0:
        raise InvalidInput("invalid_after", "El parámetro «after» no puede ser negativo.")
    return after
