"""Central as the catalogue authority and the back office: what it publishes reaches the
office on its next pull, once, without coming back as an office change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.clock import VirtualClock
from kiosk.errors import Conflict, Forbidden
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.expediente_views import LoginInput, PaymentInput
from kiosk.services.tupa import uit_table
from kiosk.storage.tables import Event, NonWorkingDay, Service, SyncOutbox, User
from sync.central.schema import REPLICAS
from sync.central.server import CentralServer
from tests.conftest import RunningHub
from tests.integration.test_expedientes import act, add_acta, partida
from tests.sync.conftest import clerk_of, connect_sync


def _sync(office: OfficeHub, url: str, token: str) -> None:
    report = connect_sync(office, url, token).run_round()
    assert report.ok, report.error


def _outbox_tables(office: OfficeHub) -> set[str]:
    with office.store.read_session() as session:
        return set(session.scalars(select(SyncOutbox.tbl)))


def test_catalogue_edited_centrally_reaches_the_office_and_is_not_echoed(
        central: CentralServer, central_http: RunningHub, make_office, tmp_path: Path) -> None:
    office = make_office()
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    _sync(office, central_http.url, token)  # the office's own catalogue goes up first

    central.add_user("CAJ", "mario.rojas", "Mario Rojas Vílchez", "counter")
    central.add_service("CAJ", "tributos", "Rentas y tributos", "T", 20)
    central.set_uit(2027, "5600", "DS de prueba")
    central.add_non_working_day(date(2026, 12, 24), "Día no laborable (prueba)",
                                "sector_publico")
    _sync(office, central_http.url, token)

    with office.store.read_session() as session:
        assert session.scalar(select(User.full_name).where(User.username == "mario.rojas")) \
            == "Mario Rojas Vílchez"
        assert session.scalar(select(Service.prefix).where(Service.code == "tributos")) == "T"
        assert uit_table(session)[2027] == Decimal("5600.00")
        assert session.scalar(select(NonWorkingDay.name).where(
            NonWorkingDay.day == date(2026, 12, 24))) == "Día no laborable (prueba)"
    # The pulled rows were written with capture off: nothing goes back up.
    assert _outbox_tables(office) == set()
    # The new clerk works at the office once its admin gives a first PIN (none travels).
    _, device_token = office.add_device(SYSTEM, "Ventanilla 4", "counter")
    device = office.authenticate(device_token)
    pin = office.reset_user_secret(SYSTEM, "mario.rojas").initial_secret
    assert office.login(device, LoginInput(username="mario.rojas", secret=pin,
                                           counter=4)).token
    # A second pull brings nothing again (the cursor was stored with the page).
    assert connect_sync(office, central_http.url, token).run_round().pulled == 0


def test_a_tupa_file_imported_centrally_changes_the_fee_at_the_office(
        central: CentralServer, central_http: RunningHub, make_office, tmp_path: Path) -> None:
    office = make_office()
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    _sync(office, central_http.url, token)
    tupa = tmp_path / "tupa.toml"
    tupa.write_text('''
format = 1

[[procedures]]
code = "RC-01"
name = "Copia certificada de partida de nacimiento"
category = "partida"
variant = "nacimiento"
area = "Registro Civil"
service = "partidas"
effective_from = 2026-11-01
fee_kind = "fixed"
fee_value = "9.90"
deadline_working_days = 1
calificacion = "aprobacion_automatica"
requirements = [
  { text = "Solicitud", mandatory = true },
  { text = "DNI del solicitante", mandatory = true },
]
''', encoding="utf-8")
    central.import_catalogue("CAJ", tupa)
    _sync(office, central_http.url, token)
    procedure = office.procedure(SYSTEM, "RC-01")
    assert procedure.fee_soles == Decimal("9.90") and procedure.version == 2
    assert [r.text for r in procedure.requirements] == ["Solicitud", "DNI del solicitante"]


def test_a_backoffice_decision_reaches_the_clerk_and_comes_back_once(
        central: CentralServer, central_http: RunningHub, make_office) -> None:
    office = make_office()
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    clerk = clerk_of(office)
    acta = add_acta(office)
    filed = office.file_expediente(clerk, partida(acta))
    # Derived before it is paid: in an area it waits for the area's decision.
    act(office, clerk, filed.number, "derive", area="Subgerencia de Registro Civil")
    office.pay(clerk, filed.number, PaymentInput(amount=filed.fee))
    _sync(office, central_http.url, token)

    staff = central.authenticate(central.add_staff("Rosa Gálvez (Subgerencia)"))
    answer = central.backoffice_event(staff, "CAJ", filed.number, "approve",
                                      "Conforme con el archivo", None)
    assert answer["status"] == "aprobado"
    _sync(office, central_http.url, token)  # pull: the office applies it
    view = office.expediente(clerk, filed.number)
    assert view.status == "aprobado"
    approved = [e for e in view.events if e.kind == "approved"]
    assert len(approved) == 1 and approved[0].who == "Rosa Gálvez (Subgerencia)"

    _sync(office, central_http.url, token)  # push: the office's approval goes back up
    events = REPLICAS["events"]
    with central.engine.connect() as connection:
        kinds = connection.scalars(select(events.c.kind).where(
            events.c.stream_id == filed.id).order_by(events.c.seq)).all()
        status = connection.scalar(select(REPLICAS["expedientes"].c.status).where(
            REPLICAS["expedientes"].c.id == filed.id))
    assert kinds.count("approved") == 1 and status == "aprobado"
    with office.store.read_session() as session:
        assert session.scalar(select(func.count()).select_from(Event).where(
            Event.kind == "approved")) == 1


def test_a_backoffice_decision_the_rules_refuse_is_refused_centrally(
        central: CentralServer, central_http: RunningHub, make_office) -> None:
    office = make_office()
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    clerk = clerk_of(office)
    filed = office.file_expediente(clerk, partida(add_acta(office)))
    _sync(office, central_http.url, token)
    staff = central.authenticate(central.add_staff("Rosa Gálvez"))
    with pytest.raises(Conflict) as refused:  # the fee is not paid yet
        central.backoffice_event(staff, "CAJ", filed.number, "approve", None, None)
    assert "falta pagar" in refused.value.message
    hub_identity = central.authenticate(token)
    with pytest.raises(Forbidden):
        central.backoffice_event(hub_identity, "CAJ", filed.number, "derive", None, "Archivo")


def test_a_decision_the_office_can_no_longer_apply_goes_to_the_attention_list(
        central: CentralServer, central_http: RunningHub, make_office, clock: VirtualClock
) -> None:
    office = make_office()
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    clerk = clerk_of(office)
    filed = office.file_expediente(clerk, partida(add_acta(office)))
    _sync(office, central_http.url, token)
    staff = central.authenticate(central.add_staff("Rosa Gálvez"))
    central.backoffice_event(staff, "CAJ", filed.number, "derive", None, "Archivo central")
    # Meanwhile the clerk cancels it at the counter.
    act(office, clerk, filed.number, "cancel", note="El ciudadano desistió")
    report = connect_sync(office, central_http.url, token).run_round()
    assert report.ok
    attention = office.sync_attention(SYSTEM)
    assert [(a.kind, a.reference) for a in attention] == [("pull", filed.number)]
    assert "anulado" in attention[0].reason.lower() or "Anulado" in attention[0].reason
    assert office.sync_status(SYSTEM).pull_problems == 1


def test_a_non_working_day_published_centrally_moves_the_office_deadlines(
        central: CentralServer, central_http: RunningHub, make_office) -> None:
    office = make_office()
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    clerk = clerk_of(office)
    filed = office.file_expediente(clerk, partida(add_acta(office)))
    assert filed.due_date == date(2026, 11, 23)  # filed Fri 20 Nov, 1 working day
    _sync(office, central_http.url, token)

    central.add_non_working_day(date(2026, 11, 23), "Día no laborable (prueba)",
                                "sector_publico")
    _sync(office, central_http.url, token)  # pulled: the office moves its own deadline
    assert office.expediente(clerk, filed.number).due_date == date(2026, 11, 24)
    _sync(office, central_http.url, token)  # and the move goes up as an office fact, once
    expedientes, events = REPLICAS["expedientes"], REPLICAS["events"]
    with central.engine.connect() as connection:
        due = connection.scalar(select(expedientes.c.due_date).where(
            expedientes.c.id == filed.id))
        moved = connection.scalar(select(func.count()).select_from(events).where(
            events.c.stream_id == filed.id, events.c.kind == "due_date_moved"))
    assert (due, moved) == (date(2026, 11, 24), 1)
