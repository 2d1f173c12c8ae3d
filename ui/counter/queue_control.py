"""The counter's turn at the queue, without its widgets: this counter, the ticket it holds, the
expedientes handled for that ticket, the periodic look at the hub and the queue actions.

`QueueControl` owns these hub calls and hands them to the window's runner (worker thread, the
offline banner, a session that ended); it says what changed through its signals, which the
window turns into widgets. Tests drive it with a plain runner, no window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from kiosk.client.base import HubClient
from kiosk.errors import CacError, HubUnavailable
from kiosk.services.views import (
    CounterView,
    ProcedureView,
    QueueSnapshot,
    ServiceView,
    TicketView,
)
from kiosk.shared_views import UNSTAFFED_REASON
from ui.counter.state import CounterState
from ui.hub_calls import Runner

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Poll:
    """One look at the hub: the queue, this counter, the ticket it holds."""

    queue: QueueSnapshot
    counter: CounterView | None
    ticket: TicketView | None


class QueueControl(QObject):
    polled = Signal(object)  # Poll: the state and the queue to show
    new_ticket = Signal(object)  # TicketView: a ticket the counter holds now, not before
    handled_changed = Signal(list)  # the expedientes of the held ticket
    catalogue = Signal()  # the shift's services and procedures are known (before its poll)
    started = Signal()  # ... and its first poll is shown

    def __init__(self, client: HubClient, run: Runner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._run = run
        self.number: int | None = None
        self.state = CounterState()
        self.services: list[ServiceView] = []
        self.procedures: list[ProcedureView] = []
        self.handled: list[str] = []  # expedientes of the current ticket
        self.last_finished: TicketView | None = None  # with the expedientes it linked
        self.generation = 0  # polls started before an action are stale after it
        self._polling = False

    def start(self, number: int) -> None:
        """Services, procedures, this counter (opened if closed), its ticket, the queue."""
        client = self._client
        self.number = number
        self.generation += 1
        generation = self.generation

        def work() -> tuple[list[ServiceView], list[ProcedureView], Poll]:
            services = client.services()
            procedures = client.procedures()
            counter = next((c for c in client.counters() if c.number == number), None)
            if counter is not None and counter.state == "closed":
                client.open_counter(number)
            elif counter is not None and counter.state == "paused" and \
                    counter.pause_reason == UNSTAFFED_REASON:
                client.resume_counter(number)  # paused when the last session ended: back
            return services, procedures, self.poll(number)

        def started(result: tuple[list[ServiceView], list[ProcedureView], Poll]) -> None:
            services, procedures, poll = result
            self.services = [s for s in services if s.active]
            self.procedures = procedures
            self.catalogue.emit()
            self.apply(poll, generation)
            self.started.emit()

        self._run(work, started)

    def load_procedures(self, loaded: Callable[[list[ProcedureView]], None]) -> None:
        """The procedures again (the shift's first answer had none)."""
        def keep(procedures: list[ProcedureView]) -> None:
            self.procedures = procedures
            loaded(procedures)

        self._run(self._client.procedures, keep)

    def poll(self, number: int) -> Poll:
        """On the worker thread: the queue, this counter and the ticket it holds."""
        client = self._client
        queue = client.queue()
        counter = next((c for c in queue.counters if c.number == number), None)
        ticket = None
        if counter is not None and counter.current_ticket_id:
            ticket = client.ticket(counter.current_ticket_id)
        return Poll(queue, counter, ticket)

    def refresh(self) -> None:
        number = self.number
        if number is None or self._polling:
            return
        self._polling = True
        generation = self.generation

        def polled(poll: Poll) -> None:
            self._polling = False
            self.apply(poll, generation)

        def failed(error: CacError) -> None:
            self._polling = False
            if not isinstance(error, HubUnavailable):
                log.info("refresh refused: %s", error.code)

        self._run(lambda: self.poll(number), polled, failed)

    def apply(self, poll: Poll, generation: int) -> None:
        if generation != self.generation:
            return  # an action changed the counter after this poll started
        previous = self.state.held_ticket
        self.state = CounterState(poll.counter, poll.ticket)
        held = self.state.held_ticket
        if held is not None and (previous is None or previous.id != held.id):
            self.handled = list(held.expedientes)
            self.handled_changed.emit(self.handled)
            self.new_ticket.emit(held)
        self.polled.emit(poll)

    def act(self, action: str, value: str, done: Callable[[str, object], None]) -> bool:
        """A queue action (state.QUEUE_ACTIONS) the state allows; `done(action, answer)`
        after the fresh poll is shown. False when the state does not allow it."""
        number = self.number
        if number is None or action not in self.state.legal():
            return False
        client = self._client
        ticket = self.state.held_ticket
        ticket_id = ticket.id if ticket is not None else ""
        calls: dict[str, Callable[[], object]] = {
            "call": lambda: client.call_next(number),
            "recall": lambda: client.recall(ticket_id),
            "start": lambda: client.start(ticket_id),
            "no_show": lambda: client.no_show(ticket_id),
            "transfer": lambda: client.transfer(ticket_id, value),
            "finish": lambda: client.finish(ticket_id, value),
            "pause": lambda: client.pause_counter(number, value),
            "resume": lambda: client.resume_counter(number),
            "open": lambda: client.open_counter(number),
            "close": lambda: client.close_counter(number),
        }
        self.generation += 1
        generation = self.generation

        def work() -> tuple[object, Poll]:
            return calls[action](), self.poll(number)

        def answered(result: tuple[object, Poll]) -> None:
            answer, poll = result
            self.apply(poll, generation)
            if action == "finish" and isinstance(answer, TicketView):
                self.last_finished = answer
            done(action, answer)

        self._run(work, answered)
        return True

    def ticket_id(self) -> str | None:
        ticket = self.state.held_ticket
        return ticket.id if ticket is not None else None

    def add_handled(self, number: str) -> None:
        """An expediente filed, changed or paid while a ticket is held: it belongs to it."""
        if self.state.held_ticket is not None and number not in self.handled:
            self.handled.append(number)
            self.handled_changed.emit(self.handled)

    def citizen_done(self) -> None:
        """The citizen left the counter: the expedientes of their ticket are no longer shown."""
        self.handled = []
        self.handled_changed.emit(self.handled)

    def stop(self) -> None:
        """Signed out: answers on their way are dropped, nothing of the last ticket stays."""
        self.generation += 1
        self.state = CounterState()
        self.handled = []
        self.handled_changed.emit(self.handled)
