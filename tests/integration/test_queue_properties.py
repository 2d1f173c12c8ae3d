"""Property-based (hypothesis, stateful): any sequence of counter actions — legal or not — on a
real office store keeps the queue's rules. Refused actions change nothing; numbers are never
duplicated or skipped; a counter holds one ticket at most; a preferential ticket waiting in a
counter's services is called before any regular one (Ley 28683)."""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
)
from sqlalchemy import func, select

from kiosk.clock import VirtualClock
from kiosk.errors import CacError
from kiosk.hub import SYSTEM
from kiosk.rules.queue import PREFERENTIAL_CATEGORIES
from kiosk.storage.tables import Event, Ticket
from tests.conftest import START, DemoOffices, copy_office

SERVICES = ["partidas", "licencias", "caja", "orientacion", "mesa"]
COUNTERS = [1, 2, 3, 4, 5]


class QueueMachine(RuleBasedStateMachine):
    tickets = Bundle("tickets")
    template: Path  # a demo office made once, copied for each example
    # What the whole run did, across examples: a run that never heard both answers proves nothing.
    accepted = 0
    refused = 0

    def __init__(self) -> None:
        super().__init__()
        self.clock = VirtualClock(START)
        self.root, self.hub = copy_office(self.template, "cac-queue-", self.clock)

    def teardown(self) -> None:
        try:
            # `cac audit verify` rebuilds the rows from the events: the services wrote the same.
            report = self.hub.verify_audit(SYSTEM)
            assert report.ok, [p.message for p in report.rows or []]
        finally:
            self.hub.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def _events(self) -> int:
        with self.hub.store.read_session() as session:
            return int(session.scalar(select(func.count()).select_from(Event)) or 0)

    def _attempt(self, action: object, *args: object) -> object | None:
        """Run an action; when refused, check it changed nothing."""
        before = self._events()
        try:
            done = action(SYSTEM, *args)  # type: ignore[operator]
        except CacError as refused:
            assert refused.message  # a Spanish reason, never a crash
            assert self._events() == before
            QueueMachine.refused += 1
            return None
        QueueMachine.accepted += 1
        return done

    @rule(target=tickets, service=st.sampled_from(SERVICES),
          preferential=st.none() | st.sampled_from(list(PREFERENTIAL_CATEGORIES)))
    def issue(self, service: str, preferential: str | None) -> str:
        issued = self.hub.issue_ticket(SYSTEM, service, preferential)
        self.clock.advance(timedelta(seconds=40))
        return issued.id

    @rule(counter=st.sampled_from(COUNTERS))
    def open_counter(self, counter: int) -> None:
        self._attempt(self.hub.open_counter, counter)

    @rule(counter=st.sampled_from(COUNTERS))
    def call_next(self, counter: int) -> None:
        queue = self.hub.queue(SYSTEM)
        mine = next(c for c in queue.counters if c.number == counter)
        preferential_waiting = any(s.preferential_waiting for s in queue.services
                                   if s.service in mine.services)
        called = self._attempt(self.hub.call_next, counter)
        if called is not None and preferential_waiting:
            assert called.preferential is not None  # type: ignore[attr-defined]

    @rule(ticket=tickets, action=st.sampled_from(["recall", "start", "finish", "no_show",
                                                  "reinstate"]))
    def act(self, ticket: str, action: str) -> None:
        self.clock.advance(timedelta(minutes=2))
        self._attempt(getattr(self.hub, action), ticket)

    @rule(ticket=tickets, service=st.sampled_from(SERVICES))
    def transfer(self, ticket: str, service: str) -> None:
        self._attempt(self.hub.transfer, ticket, service)

    @rule(counter=st.sampled_from(COUNTERS), reason=st.sampled_from(["Refrigerio", ""]))
    def pause(self, counter: int, reason: str) -> None:
        self._attempt(self.hub.pause_counter, counter, reason)

    @rule(counter=st.sampled_from(COUNTERS), close=st.booleans())
    def resume_or_close(self, counter: int, close: bool) -> None:
        self._attempt(self.hub.close_counter if close else self.hub.resume_counter, counter)

    @invariant()
    def numbers_are_unique_and_without_gaps(self) -> None:
        with self.hub.store.read_session() as session:
            rows = session.execute(select(Ticket.series, Ticket.seq, Ticket.number)).all()
        by_series: dict[str, list[int]] = {}
        for series, seq, _ in rows:
            by_series.setdefault(series, []).append(seq)
        for seqs in by_series.values():
            assert sorted(seqs) == list(range(1, len(seqs) + 1))
        assert len({number for _, _, number in rows}) == len(rows)

    @invariant()
    def a_counter_holds_one_ticket_at_most(self) -> None:
        counters = self.hub.counters(SYSTEM)
        held = [c.current_ticket_id for c in counters if c.current_ticket_id]
        assert len(held) == len(set(held))
        for counter in counters:
            if counter.state == "closed":
                assert counter.current_ticket_id is None


QueueMachine.TestCase.settings = settings(
    max_examples=int(os.environ.get("CAC_PROPERTY_EXAMPLES", "20")), stateful_step_count=30,
    deadline=None,
    suppress_health_check=list(HealthCheck))


def test_the_queue_rules_hold_under_any_sequence_of_actions(
        demo_offices: DemoOffices) -> None:
    QueueMachine.template = demo_offices.template(START)  # copied for each example
    QueueMachine.accepted = QueueMachine.refused = 0
    QueueMachine.TestCase().runTest()
    # The machine really acted: the hub said yes and no. (How many steps hypothesis runs varies
    # from run to run, so a fixed count of steps would fail now and then.)
    assert QueueMachine.accepted > 0 and QueueMachine.refused > 0
