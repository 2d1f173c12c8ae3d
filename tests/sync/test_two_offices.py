"""Two offices work a whole simulated day with central down; when it comes back, central's
figures are the offices' own and every ticket and expediente is there exactly once."""

from __future__ import annotations

import socket
from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.expediente_views import PaymentInput
from kiosk.simulate import simulate_day
from kiosk.storage.tables import Event, Expediente, Ticket
from sync.central.schema import REPLICAS
from sync.central.server import CentralServer
from sync.hub_sync import HubSync
from tests.conftest import LIMA, RunningHub
from tests.integration.test_expedientes import add_acta, partida, person
from tests.sync.conftest import clerk_of, connect_sync

DAY = date(2026, 11, 20)
TICKETS = 180  # per office


def _closed_port() -> str:
    """An address where nothing listens: central is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def _office_day(office: OfficeHub, clock: VirtualClock, seed: int) -> None:
    clock.set(datetime.combine(DAY, time(7, 30), tzinfo=LIMA))
    clerk = clerk_of(office)
    for n in range(3):  # a few expedientes beside the queue
        filed = office.file_expediente(clerk, partida(
            add_acta(office, number=f"{seed}{n:03d}"),
            person=person(doc_number=f"4{seed % 10}{n:06d}")))
        if n == 0:  # paid, so approved (aprobación automática, TUO Ley 27444 art. 33)
            office.pay(clerk, filed.number, PaymentInput(amount=filed.fee))
    simulate_day(office, clock, DAY, tickets=TICKETS, seed=seed)
    office.close_day(SYSTEM)


def _ids(office: OfficeHub, model: type) -> list[str]:
    with office.store.read_session() as session:
        return list(session.scalars(select(model.id)))  # type: ignore[attr-defined]


def _central_ids(central: CentralServer, table: str, office_code: str) -> list[str]:
    replica, offices = REPLICAS[table], central.offices()
    office_id = next(o.id for o in offices if o.code == office_code)
    with central.engine.connect() as connection:
        return list(connection.scalars(select(replica.c.id).where(
            replica.c.office_id == office_id)))


def _converge(sync: HubSync) -> int:
    """Rounds until nothing waits (bounded: a round that makes no progress fails the test)."""
    for rounds in range(1, 11):
        report = sync.run_round()
        assert report.ok, report.error
        if sync.hub.sync_status(SYSTEM).pending == 0:
            return rounds
    raise AssertionError("the outbox did not drain in 10 rounds")


@pytest.mark.system
def test_two_offices_offline_for_a_day_then_synced(
        central: CentralServer, central_http: RunningHub, make_office, clock: VirtualClock
) -> None:
    offices = {"CAJ": make_office("CAJ", "CAC Cajamarca"),
               "CEL": make_office("CEL", "CAC Celendín")}
    tokens = {code: central.add_office(code, office.config.office_name)[1]
              for code, office in offices.items()}
    down = _closed_port()
    for seed, (code, office) in enumerate(offices.items(), start=11):
        _office_day(office, clock, seed)
        failed = connect_sync(office, down, tokens[code], timeout_s=2).run_round()
        assert not failed.ok and failed.code == "central_unreachable"
        status = office.sync_status(SYSTEM)
        assert status.pending > TICKETS and status.last_success_at is None
        assert "sin conexión" in status.summary

    for code, office in offices.items():
        _converge(connect_sync(office, central_http.url, tokens[code]))

    staff = central.authenticate(central.add_staff("Gerencia de Atención al Ciudadano"))
    figures = central.stats(staff, None, DAY, DAY)
    for code, office in offices.items():
        own = office.stats(SYSTEM, DAY, DAY).model_dump(mode="json")
        assert figures["offices"][code] == own
        for model, table in ((Ticket, "tickets"), (Expediente, "expedientes"),
                             (Event, "events")):
            at_central = _central_ids(central, table, code)
            assert len(at_central) == len(set(at_central)) == len(_ids(office, model))
            assert set(at_central) == set(_ids(office, model))
    together = figures["total"]
    assert together["issued"] == sum(figures["offices"][c]["issued"] for c in offices) \
        == TICKETS * len(offices)
    assert together["served"] == sum(figures["offices"][c]["served"] for c in offices)
    expedientes = REPLICAS["expedientes"]
    with central.engine.connect() as connection:
        approved = connection.scalar(select(func.count()).select_from(expedientes).where(
            expedientes.c.status == "aprobado"))
    assert approved == 2  # one per office, as each office recorded
