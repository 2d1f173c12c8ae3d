"""Every queue rule through the real hub and a real SQLite file, on a virtual clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from kiosk.clock import VirtualClock
from kiosk.errors import CacError, Conflict, InvalidInput, NotFound
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.storage.tables import Event, Ticket
from tests.conftest import START, advance


def snapshot(hub: OfficeHub) -> tuple[int, list[tuple[str, str, str | None]]]:
    """Everything a refused action must leave as it was: the event count and every ticket."""
    with hub.store.read_session() as session:
        events = session.scalar(select(func.count()).select_from(Event)) or 0
        tickets = [(t.number, t.status, t.counter_number and str(t.counter_number))
                   for t in session.scalars(select(Ticket).order_by(Ticket.id))]
    return events, tickets


def refused(hub: OfficeHub, error: type[CacError], code: str, action: object) -> CacError:
    before = snapshot(hub)
    with pytest.raises(error) as caught:
        action()  # type: ignore[operator]
    assert caught.value.code == code
    assert caught.value.message  # a sentence for a person
    assert snapshot(hub) == before, "a refused action changed the store"
    return caught.value


# --- issuing ------------------------------------------------------------------------------


def test_numbers_start_at_001_per_service_and_preferential_series(hub: OfficeHub) -> None:
    numbers = [hub.issue_ticket(SYSTEM, code, pref).number for code, pref in [
        ("partidas", None), ("partidas", None), ("caja", None), ("A", "gestante"),
        ("partidas", "adulto_mayor"), ("C", None)]]
    assert numbers == ["A-001", "A-002", "C-001", "PA-001", "PA-002", "C-002"]


def test_issue_answers_people_ahead_and_a_wait_range(hub: OfficeHub) -> None:
    first = hub.issue_ticket(SYSTEM, "partidas")
    assert first.ahead == 0
    for _ in range(4):
        hub.issue_ticket(SYSTEM, "partidas")
    sixth = hub.issue_ticket(SYSTEM, "partidas")
    assert sixth.ahead == 5
    low, high = sixth.estimated_wait_min
    assert 0 <= low <= high
    assert high > first.estimated_wait_min[1]
    # A preferential citizen has only preferential citizens ahead.
    assert hub.issue_ticket(SYSTEM, "partidas", "gestante").ahead == 0


def test_estimate_calibrates_from_the_days_service_times(hub: OfficeHub, clock: VirtualClock
                                                         ) -> None:
    hub.open_counter(SYSTEM, 1)
    for _ in range(4):  # four 20-minute services today
        ticket = hub.issue_ticket(SYSTEM, "partidas")
        hub.call_next(SYSTEM, 1)
        hub.start(SYSTEM, ticket.id)
        advance(clock, minutes=20)
        hub.finish(SYSTEM, ticket.id)
    for _ in range(3):
        hub.issue_ticket(SYSTEM, "partidas")
    slow = hub.issue_ticket(SYSTEM, "partidas")
    # 3 ahead, one open counter, 20 minutes each: at least 60 minutes, at most 80.
    assert slow.estimated_wait_min == (60, 80)
    # Opening a second counter for the service halves it.
    hub.open_counter(SYSTEM, 2)
    assert hub.issue_ticket(SYSTEM, "partidas").estimated_wait_min == (40, 50)


def test_issue_says_when_no_counter_serves_the_service_now(hub: OfficeHub) -> None:
    # Caja is served by ventanillas 4 and 5, both closed at the start of the day.
    assert hub.issue_ticket(SYSTEM, "caja").counters_open == 0
    hub.open_counter(SYSTEM, 4)
    assert hub.issue_ticket(SYSTEM, "caja").counters_open == 1
    hub.pause_counter(SYSTEM, 4, "Refrigerio")  # a break: nobody serves it right now
    assert hub.issue_ticket(SYSTEM, "caja", "gestante").counters_open == 0


def test_issue_refuses_unknown_service_and_category(hub: OfficeHub) -> None:
    refused(hub, NotFound, "unknown_service", lambda: hub.issue_ticket(SYSTEM, "pasaportes"))
    refused(hub, InvalidInput, "invalid_preferential",
            lambda: hub.issue_ticket(SYSTEM, "caja", "vip"))


# --- calling ------------------------------------------------------------------------------


def test_call_next_takes_preferential_first(hub: OfficeHub, clock: VirtualClock) -> None:
    hub.issue_ticket(SYSTEM, "partidas")
    advance(clock, minutes=1)
    hub.issue_ticket(SYSTEM, "partidas", "adulto_mayor")
    hub.open_counter(SYSTEM, 1)
    called = hub.call_next(SYSTEM, 1)
    assert called is not None and called.number == "PA-001"


def test_call_next_honours_the_counters_order_of_services(hub: OfficeHub, clock: VirtualClock
                                                          ) -> None:
    orientation = hub.issue_ticket(SYSTEM, "orientacion")  # counter 1's second service
    advance(clock, minutes=2)
    hub.issue_ticket(SYSTEM, "partidas")  # counter 1's first service, issued later
    hub.open_counter(SYSTEM, 1)
    called = hub.call_next(SYSTEM, 1)
    assert called is not None and called.number == "A-001"
    assert hub.ticket(SYSTEM, orientation.id).status == "waiting"


def test_someone_past_their_target_is_not_starved_by_the_order(hub: OfficeHub,
                                                               clock: VirtualClock) -> None:
    hub.issue_ticket(SYSTEM, "orientacion")  # target 10 minutes
    advance(clock, minutes=11)
    hub.issue_ticket(SYSTEM, "partidas")
    hub.open_counter(SYSTEM, 1)
    called = hub.call_next(SYSTEM, 1)
    assert called is not None and called.number == "R-001"


def test_call_next_with_nobody_waiting_returns_none(hub: OfficeHub) -> None:
    hub.open_counter(SYSTEM, 4)
    assert hub.call_next(SYSTEM, 4) is None


def test_calling_on_a_closed_or_paused_counter_is_refused(hub: OfficeHub) -> None:
    hub.issue_ticket(SYSTEM, "partidas")
    refused(hub, Conflict, "counter_not_open", lambda: hub.call_next(SYSTEM, 1))
    hub.open_counter(SYSTEM, 1)
    hub.pause_counter(SYSTEM, 1, "Refrigerio")
    refused(hub, Conflict, "counter_not_open", lambda: hub.call_next(SYSTEM, 1))
    hub.resume_counter(SYSTEM, 1)
    assert hub.call_next(SYSTEM, 1) is not None


def test_a_counter_serving_someone_cannot_call_another(hub: OfficeHub) -> None:
    hub.issue_ticket(SYSTEM, "partidas")
    hub.issue_ticket(SYSTEM, "partidas")
    hub.open_counter(SYSTEM, 1)
    hub.call_next(SYSTEM, 1)
    error = refused(hub, Conflict, "counter_busy", lambda: hub.call_next(SYSTEM, 1))
    assert "A-001" in error.message


def test_calling_a_specific_ticket_out_of_order_needs_a_reason(hub: OfficeHub) -> None:
    hub.issue_ticket(SYSTEM, "partidas")
    second = hub.issue_ticket(SYSTEM, "partidas")
    hub.open_counter(SYSTEM, 1)
    refused(hub, InvalidInput, "reason_required",
            lambda: hub.call_ticket(SYSTEM, 1, second.id, "  "))
    called = hub.call_ticket(SYSTEM, 1, second.id, "Trámite iniciado ayer")
    assert called.number == "A-002"
    with hub.store.read_session() as session:
        data = session.scalars(select(Event.data).where(Event.kind == "called")).one()
    assert data["reason"] == "Trámite iniciado ayer"


def test_calling_the_next_in_line_by_id_needs_no_reason(hub: OfficeHub) -> None:
    first = hub.issue_ticket(SYSTEM, "partidas")
    hub.open_counter(SYSTEM, 1)
    assert hub.call_ticket(SYSTEM, 1, first.id).status == "called"


def test_unknown_counter_and_ticket(hub: OfficeHub) -> None:
    refused(hub, NotFound, "unknown_counter", lambda: hub.open_counter(SYSTEM, 42))
    refused(hub, NotFound, "unknown_ticket", lambda: hub.start(SYSTEM, "no-such-ticket"))


# --- serving ------------------------------------------------------------------------------


def test_full_service_cycle_and_recall(hub: OfficeHub, clock: VirtualClock) -> None:
    ticket = hub.issue_ticket(SYSTEM, "caja")
    hub.open_counter(SYSTEM, 4)
    hub.call_next(SYSTEM, 4)
    advance(clock, seconds=40)
    recalled = hub.recall(SYSTEM, ticket.id)
    assert recalled.recalls == 1
    kinds = [c.kind for c in hub.calls_after(SYSTEM, 0).calls]
    assert kinds == ["called", "recalled"]
    hub.start(SYSTEM, ticket.id)
    advance(clock, minutes=3)
    done = hub.finish(SYSTEM, ticket.id, "observado")
    assert (done.status, done.outcome, done.counter) == ("finished", "observado", 4)
    assert hub.counters(SYSTEM)[3].current_ticket is None


@pytest.mark.parametrize(
    ("setup", "action", "verb"),
    [
        ("waiting", "finish", "terminar"),
        ("waiting", "start", "iniciar"),
        ("waiting", "recall", "volver a llamar"),
        ("waiting", "no_show", "no presentado"),
        ("serving", "start", "iniciar"),
        ("serving", "no_show", "no presentado"),
        ("finished", "finish", "terminar"),
        ("finished", "recall", "volver a llamar"),
        ("finished", "transfer", "derivar"),
        ("called", "finish", "terminar"),
        ("called", "reinstate", "reincorporar"),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(
    hub: OfficeHub, setup: str, action: str, verb: str
) -> None:
    ticket = hub.issue_ticket(SYSTEM, "caja")
    hub.open_counter(SYSTEM, 4)
    if setup != "waiting":
        hub.call_next(SYSTEM, 4)
    if setup in ("serving", "finished"):
        hub.start(SYSTEM, ticket.id)
    if setup == "finished":
        hub.finish(SYSTEM, ticket.id)
    actions = {
        "finish": lambda: hub.finish(SYSTEM, ticket.id),
        "start": lambda: hub.start(SYSTEM, ticket.id),
        "recall": lambda: hub.recall(SYSTEM, ticket.id),
        "no_show": lambda: hub.no_show(SYSTEM, ticket.id),
        "transfer": lambda: hub.transfer(SYSTEM, ticket.id, "partidas"),
        "reinstate": lambda: hub.reinstate(SYSTEM, ticket.id),
    }
    error = refused(hub, Conflict, "illegal_transition", actions[action])
    assert verb in error.message and "C-001" in error.message


def test_finish_refuses_an_unknown_outcome(hub: OfficeHub) -> None:
    ticket = hub.issue_ticket(SYSTEM, "caja")
    hub.open_counter(SYSTEM, 4)
    hub.call_next(SYSTEM, 4)
    hub.start(SYSTEM, ticket.id)
    refused(hub, InvalidInput, "invalid_outcome", lambda: hub.finish(SYSTEM, ticket.id, "ok"))


def test_no_show_goes_to_the_missed_list_and_can_be_reinstated(hub: OfficeHub,
                                                               clock: VirtualClock) -> None:
    first = hub.issue_ticket(SYSTEM, "caja")
    advance(clock, minutes=1)
    hub.issue_ticket(SYSTEM, "caja")
    hub.open_counter(SYSTEM, 4)
    hub.call_next(SYSTEM, 4)
    hub.no_show(SYSTEM, first.id)
    assert hub.queue(SYSTEM).missed == ["C-001"]
    assert hub.counters(SYSTEM)[3].current_ticket is None
    advance(clock, minutes=5)
    assert hub.reinstate(SYSTEM, first.id).status == "waiting"
    # Reinstated, it keeps its issue time and is called before C-002.
    called = hub.call_next(SYSTEM, 4)
    assert called is not None and called.number == "C-001"
    assert hub.queue(SYSTEM).missed == []


def test_reinstating_after_the_window_is_refused(hub: OfficeHub, clock: VirtualClock) -> None:
    ticket = hub.issue_ticket(SYSTEM, "caja")
    hub.open_counter(SYSTEM, 4)
    hub.call_next(SYSTEM, 4)
    hub.no_show(SYSTEM, ticket.id)
    advance(clock, minutes=hub.config.missed_reinstate_minutes + 1)
    assert hub.queue(SYSTEM).missed == []
    refused(hub, Conflict, "reinstate_window_passed", lambda: hub.reinstate(SYSTEM, ticket.id))


def test_transfer_keeps_issue_time_and_preference(hub: OfficeHub, clock: VirtualClock) -> None:
    ticket = hub.issue_ticket(SYSTEM, "orientacion", "gestante")
    advance(clock, minutes=5)
    hub.issue_ticket(SYSTEM, "caja")
    hub.issue_ticket(SYSTEM, "caja", "adulto_mayor")
    hub.open_counter(SYSTEM, 5)
    hub.call_next(SYSTEM, 5)
    hub.start(SYSTEM, ticket.id)
    moved = hub.transfer(SYSTEM, ticket.id, "caja")
    assert (moved.service, moved.status, moved.preferential) == ("caja", "waiting", "gestante")
    assert moved.issued_at == ticket.issued_at
    assert moved.number == "PR-001"  # the citizen's paper stays valid
    hub.open_counter(SYSTEM, 4)
    called = hub.call_next(SYSTEM, 4)  # preferential and oldest at Caja
    assert called is not None and called.id == ticket.id
    refused(hub, Conflict, "same_service", lambda: hub.transfer(SYSTEM, ticket.id, "caja"))
    refused(hub, NotFound, "unknown_service", lambda: hub.transfer(SYSTEM, ticket.id, "nada"))


# --- counters -----------------------------------------------------------------------------


def test_counter_pause_needs_a_reason_and_resume_clears_it(hub: OfficeHub) -> None:
    hub.open_counter(SYSTEM, 2)
    refused(hub, InvalidInput, "reason_required", lambda: hub.pause_counter(SYSTEM, 2, ""))
    paused = hub.pause_counter(SYSTEM, 2, "Capacitación")
    assert (paused.state, paused.pause_reason) == ("paused", "Capacitación")
    refused(hub, Conflict, "counter_paused", lambda: hub.open_counter(SYSTEM, 2))
    resumed = hub.resume_counter(SYSTEM, 2)
    assert (resumed.state, resumed.pause_reason) == ("open", None)
    refused(hub, Conflict, "counter_not_paused", lambda: hub.resume_counter(SYSTEM, 2))


def test_a_counter_cannot_close_or_pause_in_the_middle_of_a_ticket(hub: OfficeHub) -> None:
    ticket = hub.issue_ticket(SYSTEM, "caja")
    hub.open_counter(SYSTEM, 4)
    hub.call_next(SYSTEM, 4)
    refused(hub, Conflict, "counter_busy", lambda: hub.close_counter(SYSTEM, 4))
    refused(hub, Conflict, "counter_busy", lambda: hub.pause_counter(SYSTEM, 4, "Baño"))
    hub.start(SYSTEM, ticket.id)
    hub.finish(SYSTEM, ticket.id)
    assert hub.close_counter(SYSTEM, 4).state == "closed"
    refused(hub, Conflict, "counter_already_closed", lambda: hub.close_counter(SYSTEM, 4))


# --- the day ------------------------------------------------------------------------------


def test_closing_the_day_expires_waiting_tickets(hub: OfficeHub) -> None:
    waiting = hub.issue_ticket(SYSTEM, "partidas")
    served = hub.issue_ticket(SYSTEM, "caja")
    hub.open_counter(SYSTEM, 4)
    hub.call_next(SYSTEM, 4)
    hub.start(SYSTEM, served.id)
    hub.finish(SYSTEM, served.id)
    closed = hub.close_day(SYSTEM)
    assert (closed.expired, closed.counters_closed) == (1, 1)
    assert hub.ticket(SYSTEM, waiting.id).status == "expired"
    assert hub.ticket(SYSTEM, served.id).status == "finished"


def test_next_day_restarts_at_001_and_rolls_over_by_itself(hub: OfficeHub,
                                                           clock: VirtualClock) -> None:
    left = hub.issue_ticket(SYSTEM, "partidas")
    hub.issue_ticket(SYSTEM, "partidas")
    hub.open_counter(SYSTEM, 1)
    clock.advance(timedelta(days=1))  # nobody closed the day
    fresh = hub.issue_ticket(SYSTEM, "partidas")
    assert fresh.number == "A-001"
    assert fresh.ahead == 0
    assert hub.ticket(SYSTEM, left.id).status == "expired"
    assert all(c.state == "closed" for c in hub.counters(SYSTEM))


def test_the_business_day_is_the_offices_local_day(hub: OfficeHub, clock: VirtualClock) -> None:
    clock.set(START.replace(hour=23, minute=30))
    # 23:30 in Lima is already tomorrow in UTC; the number series is still today's.
    late = hub.issue_ticket(SYSTEM, "caja")
    assert late.issued_at.astimezone(hub.office.tz).day == 20
    with hub.store.read_session() as session:
        assert str(session.get(Ticket, late.id).business_date) == "2026-11-20"  # type: ignore[union-attr]
