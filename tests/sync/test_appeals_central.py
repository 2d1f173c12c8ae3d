"""Central learns an expediente's recursos from its events and its row (docs/decisions.md
record 36): the office's `appeals` table is its own index and is not replicated, so central
needs no table for them; an apelación declared fundado against a denial reaches central as the
expediente approved."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from kiosk.hub import OfficeHub
from kiosk.services.expediente_views import (
    AppealDecisionInput,
    AppealInput,
    TransitionInput,
)
from sync.central.schema import REPLICAS
from sync.central.server import CentralServer
from tests.conftest import LIMA, RunningHub
from tests.integration.test_expedientes import edificacion
from tests.integration.test_expedientes_law import supervisor_on
from tests.sync.conftest import clerk_of, connect_sync


def test_central_receives_the_appeal_events_and_the_status_they_leave(
        central: CentralServer, central_http: RunningHub, make_office: object,
        clock: object) -> None:
    office: OfficeHub = make_office("CAJ", "CAC Cajamarca")  # type: ignore[operator]
    token = central.add_office("CAJ", "CAC Cajamarca")[1]
    clerk = clerk_of(office)
    filed = office.file_expediente(clerk, edificacion())
    office.transition(clerk, filed.number, TransitionInput(action="deny",
                                                           note="Zonificación no compatible"))
    appeal = office.file_appeal(clerk, filed.number, AppealInput(kind="apelacion")).appeals[0]
    clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=LIMA))  # type: ignore[attr-defined]
    office.decide_appeal(supervisor_on(office), filed.number, appeal.id, AppealDecisionInput(
        outcome="fundado", reason="La zonificación admite vivienda"))
    report = connect_sync(office, central_http.url, token).run_round()
    assert report.ok, report.error

    events, expedientes = REPLICAS["events"], REPLICAS["expedientes"]
    with central.engine.connect() as connection:
        kinds = list(connection.scalars(
            select(events.c.kind).where(events.c.stream_id == filed.id)
            .order_by(events.c.hlc)))  # the hybrid logical clock: their order
        status = connection.scalar(select(expedientes.c.status).where(
            expedientes.c.id == filed.id))
    assert kinds == ["received", "denied", "appeal_filed", "appeal_decided"]
    assert status == "aprobado"
    assert "appeals" not in REPLICAS
