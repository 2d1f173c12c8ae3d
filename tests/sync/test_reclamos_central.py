"""Central receives the office's Libro de Reclamaciones: the reclamo (filed at the kiosk,
answered by the supervisor), its audited events and the anonymous suggestions, once."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.reclamo_views import ReclamoAnswer, ReclamoInput, SuggestionInput
from sync.central.schema import REPLICAS
from sync.central.server import CentralServer
from tests.conftest import RunningHub, advance
from tests.sync.conftest import connect_sync


def test_reclamos_their_events_and_suggestions_reach_central_once(
        central: CentralServer, central_http: RunningHub,
        make_office: Callable[..., OfficeHub], clock: VirtualClock
) -> None:
    office = make_office()
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    kiosk = office.authenticate(office.add_device(SYSTEM, "Quiosco", "kiosk")[1])
    filed = office.file_reclamo(kiosk, ReclamoInput(
        category="acceso", doc_number="12345678", full_name="Rosa Quispe",
        email="rosa@example.pe", description="La rampa estaba cerrada."))
    office.submit_suggestion(kiosk, SuggestionInput(category="instalaciones",
                                                    text="Una rampa más."))
    assert connect_sync(office, central_http.url, token).run_round().ok
    advance(clock, hours=2)
    office.answer_reclamo(SYSTEM, filed.number, ReclamoAnswer(
        answer="Se abrió la rampa.", delivery="correo_electronico"))
    report = connect_sync(office, central_http.url, token).run_round()
    assert report.ok and report.rejected == 0, report.error

    reclamos, events, suggestions = (REPLICAS[t] for t in ("reclamos", "events", "suggestions"))
    with central.engine.connect() as connection:
        rows = connection.execute(select(reclamos.c.number, reclamos.c.status,
                                         reclamos.c.channel, reclamos.c.delivery,
                                         reclamos.c.due_date)).all()
        kinds = connection.scalars(select(events.c.kind).where(events.c.stream == "reclamo")
                                   .order_by(events.c.occurred_at)).all()
        texts = connection.scalars(select(suggestions.c.text)).all()
        count = connection.scalar(select(func.count()).select_from(reclamos))
    assert rows == [(filed.number, "respondido", "kiosco", "correo_electronico",
                     filed.due_date)]
    assert kinds == ["filed", "answered"]
    assert texts == ["Una rampa más."]
    again = connect_sync(office, central_http.url, token).run_round()
    assert again.ok and again.pushed == 0
    assert count == 1
