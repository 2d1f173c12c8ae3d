"""A reclamo started at the kiosk and finished by a clerk (issue 17: «the citizen can ask a
clerk to finish»): what the citizen typed is kept with the Orientación ticket the kiosk gave
them, the clerk who calls that ticket reads it instead of typing it again, filing ends it, and
no citizen's text stays past the day. Over HTTP on loopback, against the real hub."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.client.http import HttpHubClient
from kiosk.clock import VirtualClock
from kiosk.errors import Forbidden, NotFound
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.reclamo_views import ReclamoDraft, ReclamoDraftInput, ReclamoInput
from kiosk.storage.tables import Event
from kiosk.storage.tables import ReclamoDraft as DraftRow
from tests.conftest import CLERK, RunningHub

TYPED = ReclamoDraft(category="acceso", doc_number="41234567", full_name="Juana Mamani Quispe",
                     description="No hay rampa para la silla de ruedas.")


@pytest.fixture
def clients(server: RunningHub, tokens: dict[str, str]) -> Iterator[dict[str, HttpHubClient]]:
    made = {"kiosk": HttpHubClient(server.url, tokens["kiosk"]),
            "counter": HttpHubClient(server.url, tokens["counter"])}
    made["counter"].login(*CLERK, counter=3)
    yield made
    for client in made.values():
        client.close()


def _drafts(hub: OfficeHub) -> int:
    with hub.store.read_session() as session:
        return len(list(session.scalars(select(DraftRow))))


def test_the_clerk_finishes_what_the_citizen_typed(
        hub: OfficeHub, clients: dict[str, HttpHubClient]) -> None:
    kiosk, counter = clients["kiosk"], clients["counter"]
    ticket = kiosk.issue_ticket("orientacion")
    kiosk.save_reclamo_draft(ReclamoDraftInput(ticket_id=ticket.id, draft=TYPED))
    with pytest.raises(Forbidden):  # a public machine reads nobody's text back
        kiosk.reclamo_draft(ticket.number)
    assert counter.reclamo_draft(ticket.number.lower()) == TYPED
    with hub.store.read_session() as session:
        saved = [e.data for e in session.scalars(select(Event).where(
            Event.kind == "draft_saved"))]
    assert saved == [{"ticket": ticket.number}]  # the event names the ticket, no text

    filed = counter.file_reclamo(ReclamoInput.model_validate({
        **TYPED.model_dump(exclude_none=True), "email": "juana@example.pe",
        "from_ticket": ticket.number}))
    assert filed.full_name == "Juana Mamani Quispe" and filed.channel == "ventanilla"
    assert _drafts(hub) == 0
    with pytest.raises(NotFound) as gone:
        counter.reclamo_draft(ticket.number)
    assert gone.value.message == (f"El turno {ticket.number} no trae un reclamo empezado en "
                                  "el quiosco hoy.")


def test_a_draft_needs_a_waiting_ticket_of_this_kiosk_today(
        hub: OfficeHub, clients: dict[str, HttpHubClient], tokens: dict[str, str],
        server: RunningHub) -> None:
    kiosk = clients["kiosk"]
    other = hub.add_device(SYSTEM, "otro quiosco", "kiosk")[1]
    foreign = HttpHubClient(server.url, other)
    try:
        ticket = kiosk.issue_ticket("orientacion")
        with pytest.raises(NotFound) as refused:  # another kiosk's ticket
            foreign.save_reclamo_draft(ReclamoDraftInput(ticket_id=ticket.id, draft=TYPED))
        assert "no se guardó" in refused.value.message
    finally:
        foreign.close()
    kiosk.save_reclamo_draft(ReclamoDraftInput(ticket_id=ticket.id, draft=ReclamoDraft()))
    assert _drafts(hub) == 0  # nothing typed: nothing kept


def test_no_citizen_text_stays_past_its_day(
        hub: OfficeHub, clients: dict[str, HttpHubClient], clock: VirtualClock) -> None:
    kiosk = clients["kiosk"]
    ticket = kiosk.issue_ticket("orientacion")
    kiosk.save_reclamo_draft(ReclamoDraftInput(ticket_id=ticket.id, draft=TYPED))
    assert hub.purge_reclamo_drafts(SYSTEM) == 0  # today's stays
    clock.advance(timedelta(days=1))
    assert hub.purge_reclamo_drafts(SYSTEM) == 1
    assert _drafts(hub) == 0
