"""A dedicated preferential counter (each counter's option, kiosk/rules/calling.py): the
admin sets ventanilla 1 to «solo» and ventanilla 2 to «nunca», both serving partidas; a
regular ticket no longer waits behind every preferential one, and a preferential one is
never left with nobody to call it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from kiosk.clock import VirtualClock
from kiosk.errors import InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.rules.calling import PreferentialMode
from kiosk.services.admin_views import CounterSetup
from kiosk.services.catalogue import preferential_mode
from kiosk.storage.tables import Event
from tests.conftest import ADMIN, person_on
from tests.integration.test_calling_cap import queue


def set_mode(hub: OfficeHub, number: int, mode: str) -> None:
    admin = person_on(hub, hub.add_device(SYSTEM, f"PC admin {number}", "admin")[1], ADMIN)
    counter = next(c for c in hub.admin_counters(admin) if c.number == number)
    saved = hub.change_counter(admin, number, CounterSetup(
        number=number, name=counter.name, services=counter.services,
        preferential=PreferentialMode(mode)))
    assert saved.preferential == mode


def call(hub: OfficeHub, counter: int) -> str:
    """The number `counter` calls next, served at once («-»: nobody it takes waits)."""
    ticket = hub.call_next(SYSTEM, counter)
    if ticket is None:
        return "-"
    hub.start(SYSTEM, ticket.id)
    hub.finish(SYSTEM, ticket.id)
    return ticket.number


def test_a_dedicated_counter_takes_the_preferential_tickets(hub: OfficeHub,
                                                            clock: VirtualClock) -> None:
    assert {c.preferential for c in hub.counters(SYSTEM)} == {"tambien"}  # the default
    set_mode(hub, 1, "solo")
    set_mode(hub, 2, "nunca")
    queue(hub, clock, "PPRPR")  # PA-001 PA-002 A-001 PA-003 A-002, a minute apart
    hub.open_counter(SYSTEM, 1)
    hub.open_counter(SYSTEM, 2)
    # Ventanilla 2 calls the regular tickets although preferential ones wait ...
    assert [call(hub, 2), call(hub, 2)] == ["A-001", "A-002"]
    # ... and has nobody left: the preferential ones are ventanilla 1's.
    assert call(hub, 2) == "-"
    assert [call(hub, 1), call(hub, 1)] == ["PA-001", "PA-002"]
    # Ventanilla 1 closes: nobody else takes preferential tickets, so ventanilla 2 does.
    hub.close_counter(SYSTEM, 1)
    assert call(hub, 2) == "PA-003"
    # A dedicated counter calls no regular ticket, even when only those wait.
    queue(hub, clock, "R")
    hub.open_counter(SYSTEM, 1)
    assert call(hub, 1) == "-"
    assert call(hub, 2) == "A-003"
    # Nothing here was the cap's doing, and each change of option is in the audit trail.
    with hub.store.read_session() as session:
        calls = [e.data for e in session.scalars(select(Event).where(Event.kind == "called"))]
        changed = [(e.data["counter"], e.data["changes"]) for e in session.scalars(
            select(Event).where(Event.kind == "counter_changed").order_by(Event.seq))]
    assert len(calls) == 6 and not any(data.get("preferential_cap") for data in calls)
    assert changed == [(1, {"preferential": "solo"}), (2, {"preferential": "nunca"})]


def test_an_unknown_option_is_refused() -> None:
    with pytest.raises(ValidationError):
        CounterSetup.model_validate({"number": 1, "name": "Ventanilla 1",
                                     "preferential": "a veces"})
    with pytest.raises(InvalidInput) as refused:  # a catalogue file's counter
        preferential_mode("a veces")
    assert refused.value.message == ("Opción de preferenciales desconocida «a veces». Use: "
                                     "tambien, solo, nunca.")
