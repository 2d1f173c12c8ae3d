"""A counter is never left open with nobody at it: when its clerk's session ends (logout, a
login elsewhere, the session's hours running out) the hub closes it, or pauses it while a
ticket is held there; and a PC's login offers the counter its clerk had (issue 15)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.expediente_views import LoginCounter, LoginInput
from kiosk.services.queue import UNSTAFFED_REASON
from kiosk.storage.tables import Counter, Event
from tests.conftest import CLERK, RATED_AT, SECOND_CLERK, person_on


def counter_state(hub: OfficeHub, number: int) -> tuple[str, str | None, str | None]:
    counter = next(c for c in hub.counters(SYSTEM) if c.number == number)
    return counter.state, counter.pause_reason, counter.current_ticket


def last_counter_event(hub: OfficeHub, number: int) -> tuple[str, dict[str, Any]]:
    with hub.store.read_session() as session:
        counter_id = session.scalar(select(Counter.id).where(Counter.number == number))
        event = session.scalars(select(Event).where(
            Event.stream == "counter", Event.stream_id == counter_id)
            .order_by(Event.seq.desc()).limit(1)).one()
        return event.kind, event.data


def test_a_logout_closes_an_idle_counter_and_pauses_one_holding_a_ticket(
        hub: OfficeHub, tokens: dict[str, str]) -> None:
    device = hub.authenticate(tokens["counter"])
    session = hub.login(device, LoginInput(username=CLERK[0], secret=CLERK[1], counter=3))
    ana = hub.authenticate(tokens["counter"], session.token)
    hub.open_counter(ana, 3)
    hub.logout(device, session.token)
    assert counter_state(hub, 3) == ("closed", None, None)
    kind, data = last_counter_event(hub, 3)
    assert (kind, data["reason"], data["session_ended"]) == ("closed", "sesión cerrada",
                                                             "logout")

    session = hub.login(device, LoginInput(username=CLERK[0], secret=CLERK[1], counter=3))
    ana = hub.authenticate(tokens["counter"], session.token)
    hub.open_counter(ana, 3)
    ticket = hub.issue_ticket(SYSTEM, "partidas").number
    called = hub.call_next(ana, 3)
    assert called is not None and called.number == ticket
    hub.logout(device, session.token)
    # The citizen may be standing at the counter: the ticket stays, nobody else is called.
    assert counter_state(hub, 3) == ("paused", UNSTAFFED_REASON, ticket)
    assert hub.ticket(SYSTEM, called.id).status == "called"
    kind, data = last_counter_event(hub, 3)
    assert (kind, data["reason"], data["session_ended"]) == ("paused", UNSTAFFED_REASON,
                                                             "logout")
    # The clerk comes back, resumes and serves the same citizen.
    ana = person_on(hub, tokens["counter"], CLERK, 3)
    hub.resume_counter(ana, 3)
    assert hub.start(ana, called.id).status == "serving"


def test_a_login_elsewhere_leaves_the_old_counter_but_unlocking_keeps_it(
        hub: OfficeHub, tokens: dict[str, str]) -> None:
    ana = person_on(hub, tokens["counter"], CLERK, 3)
    hub.open_counter(ana, 3)
    ana = person_on(hub, tokens["counter"], CLERK, 3)  # the lock screen logs in again
    assert counter_state(hub, 3)[0] == "open"
    _, other_pc = hub.add_device(SYSTEM, "PC de la ventanilla 1", "counter")
    ana_at_1 = person_on(hub, other_pc, CLERK, 1)
    assert counter_state(hub, 3) == ("closed", None, None)
    assert last_counter_event(hub, 3)[1]["session_ended"] == "login_elsewhere"
    hub.open_counter(ana_at_1, 1)
    luis = person_on(hub, tokens["counter"], SECOND_CLERK, 3)  # counter 3 is free again
    assert luis.clerk is not None and luis.clerk.counter == 3
    assert counter_state(hub, 1)[0] == "open"  # Ana still works at 1


def test_a_session_past_its_hours_leaves_its_counter_at_the_next_write(
        hub: OfficeHub, tokens: dict[str, str], clock: VirtualClock) -> None:
    ana = person_on(hub, tokens["counter"], CLERK, 3)
    hub.open_counter(ana, 3)
    hub.issue_ticket(SYSTEM, "caja")
    clock.advance(timedelta(hours=11, minutes=59))
    hub.issue_ticket(SYSTEM, "caja")
    assert counter_state(hub, 3)[0] == "open"  # still her working day
    clock.advance(timedelta(minutes=2))
    hub.issue_ticket(SYSTEM, "caja")  # any write of the office looks for expired sessions
    assert counter_state(hub, 3) == ("closed", None, None)
    assert last_counter_event(hub, 3)[1]["session_ended"] == "expired"
    with hub.store.read_session() as session:
        expired = session.scalars(select(Event.data).where(
            Event.kind == "session_expired")).all()
    assert [data["counter"] for data in expired] == [3]


def test_the_login_offers_the_counter_this_pc_had(
        hub: OfficeHub, tokens: dict[str, str], clock: VirtualClock) -> None:
    device = hub.authenticate(tokens["counter"])
    assert hub.login_counter(device) == LoginCounter(counter=None, bound=False)
    ana = person_on(hub, tokens["counter"], CLERK, 1)
    hub.open_counter(ana, 1)
    clock.advance(timedelta(minutes=30))
    session = hub.login(device, LoginInput(username=CLERK[0], secret=CLERK[1], counter=2))
    hub.logout(device, session.token)
    # Closed again, and counter 1 is free: still this PC offers its last clerk's counter.
    assert [counter_state(hub, n)[0] for n in (1, 2)] == ["closed", "closed"]
    assert hub.login_counter(device) == LoginCounter(counter=2, bound=False)
    _, elsewhere = hub.add_device(SYSTEM, "Otra PC", "counter")
    assert hub.login_counter(hub.authenticate(elsewhere)).counter is None
    bound = hub.authenticate(tokens["rating"])  # a counter device the admin bound
    assert hub.login_counter(bound) == LoginCounter(counter=RATED_AT, bound=True)
