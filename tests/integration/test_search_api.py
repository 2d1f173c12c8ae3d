"""Search and the civil registry through both clients (HTTP and in-process): the same answers,
the same Spanish errors, and only staff devices may see personal data."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import requests
from sqlalchemy import select

from kiosk.client.base import HubClient
from kiosk.errors import Forbidden, InvalidInput
from kiosk.hub import OfficeHub
from kiosk.rules.names import search_key
from kiosk.services.expediente_views import ActaInput
from kiosk.storage.tables import Expediente, Person, Procedure, ProcedureVersion
from tests.conftest import ADMIN, CLERK, SUPERVISOR, Connect, RunningHub, signed_in

ACTA = ActaInput(
    kind="nacimiento", acta_number="777001", book="40", folio="12",
    event_date=date(2012, 4, 2), registered_on=date(2012, 4, 9), place="Cajamarca",
    titular_given="Killa", titular_paternal="Chuquimango", titular_maternal="Ñahui",
    father_name="Segundo Chuquimango Tacilla", mother_name="Rosa Ñahui Ccori")


@pytest.fixture
def citizen(hub: OfficeHub) -> str:
    """One person with one expediente, written as rows; returns the expediente number."""
    with hub.unit_of_work() as uow:
        now, office_id = uow.now, uow.office.office_id
        person = Person(id="person-1", office_id=office_id, doc_type="DNI",
                        doc_number="41234567", given_names="Juan Carlos",
                        paternal_surname="Quispe", maternal_surname="Mamani",
                        search_name=search_key("Quispe", "Mamani", "Juan Carlos"),
                        created_at=now, updated_at=now)
        uow.session.add(person)
        procedure, version = uow.session.execute(
            select(Procedure, ProcedureVersion).join(
                ProcedureVersion, ProcedureVersion.procedure_id == Procedure.id)
            .where(Procedure.code == "RC-01")).one()
        uow.session.add(Expediente(
            id="exp-1", office_id=office_id, number="CAJ-2026-000042", year=2026, seq=42,
            tracking_code="7K3QD9XM2AVB8", procedure_id=procedure.id,
            procedure_version_id=version.id, category="partida", person_id=person.id,
            status="recibido", area=procedure.area, filed_at=now, deadline_working_days=1,
            calificacion=version.calificacion, due_date=now.date() + timedelta(days=1),
            stopped_working_days=0, fee=Decimal("8.50"), fee_basis="S/ 8.50",
            paid=Decimal("0.00"), pages=1, requirements_presented=[], details={},
            itse_done=False, updated_at=now))
        uow.commit()
    return "CAJ-2026-000042"


def test_staff_search_persons_expedientes_and_actas(connect: Connect, citizen: str) -> None:
    counter: HubClient = connect("counter")
    (person,) = counter.find_persons("juan quispe mamani", 5)
    assert (person.full_name, person.doc_number) == ("Juan Carlos Quispe Mamani", "41234567")
    assert counter.find_persons("41234567")[0].id == person.id
    assert counter.find_businesses("Quispe") == []
    for query in (citizen, "caj-2026-42", "2026-42", "7k3qd-9xm2a-vb8", "41234567",
                  "Quispe Mamani"):
        (found,) = counter.search_expedientes(query)
        assert found.number == citizen and found.applicant_doc == "DNI 41234567", query
    actas = counter.search_actas("Quispe", None, 100)
    assert actas and {a.kind for a in counter.search_actas("Quispe", "nacimiento", 100)} == {
        "nacimiento"}


def test_a_supervisor_enters_an_acta_and_the_counter_finds_it(connect: Connect) -> None:
    supervisor: HubClient = connect("supervisor")
    counter: HubClient = connect("counter")
    added = supervisor.add_acta(ACTA)
    assert added.titular_name == "Killa Chuquimango Ñahui" and added.minor
    found = counter.search_actas("killa chuquimango nahui", "nacimiento", 5)
    assert [a.id for a in found] == [added.id]
    assert found[0] == added
    with pytest.raises(Forbidden):
        counter.add_acta(ACTA.model_copy(update={"acta_number": "777002"}))
    with pytest.raises(InvalidInput, match="posterior a hoy"):
        supervisor.add_acta(ACTA.model_copy(update={
            "acta_number": "777003", "event_date": date(2030, 1, 1),
            "registered_on": date(2030, 1, 1)}))


@pytest.mark.parametrize("role", ["kiosk", "display"])
def test_kiosks_and_displays_see_no_personal_data(connect: Connect, citizen: str,
                                                  role: str) -> None:
    client: HubClient = connect(role)
    for call in (lambda: client.find_persons("Quispe"),
                 lambda: client.find_businesses("Quispe"),
                 lambda: client.search_actas("Quispe"),
                 lambda: client.search_expedientes(citizen),
                 lambda: client.add_acta(ACTA)):
        with pytest.raises(Forbidden) as error:
            call()
        assert "no puede hacer esto" in error.value.message


def test_bad_queries_get_the_same_spanish_errors(connect: Connect) -> None:
    counter: HubClient = connect("counter")
    with pytest.raises(InvalidInput) as short:
        counter.find_persons("Q")
    assert (short.value.code, short.value.message) == (
        "query_too_short", "Escriba al menos 2 caracteres para buscar.")
    with pytest.raises(InvalidInput, match="entre 1 y 100"):
        counter.search_expedientes("Quispe", 500)
    with pytest.raises(InvalidInput, match="Tipo de acta desconocido «bautizo»"):
        counter.search_actas("Quispe", "bautizo")


def test_the_routes(server: RunningHub, tokens: dict[str, str], citizen: str) -> None:
    people = {"counter": signed_in(server.url, tokens["counter"], CLERK),
              "supervisor": signed_in(server.url, tokens["supervisor"], SUPERVISOR),
              "admin": signed_in(server.url, tokens["admin"], ADMIN)}

    def get(path: str, role: str) -> requests.Response:
        return requests.get(f"{server.url}/api/v1{path}", timeout=10,
                            headers=people.get(role, {"Authorization": f"Bearer {tokens[role]}"}))

    found = get("/expedientes?q=41234567&limit=5", "counter")
    assert found.status_code == 200
    assert [e["number"] for e in found.json()] == [citizen]
    assert get("/persons?q=quispe", "counter").json()[0]["doc_number"] == "41234567"
    assert get("/actas?q=quispe&kind=nacimiento", "supervisor").status_code == 200
    assert get("/businesses?q=quispe", "admin").json() == []
    assert get("/persons?q=quispe", "kiosk").status_code == 403
    assert get("/expedientes?q=41234567", "display").status_code == 403
    missing = get("/persons", "counter")
    assert missing.status_code == 422
    assert missing.json()["error"]["code"] == "query_too_short"
    posted = requests.post(f"{server.url}/api/v1/actas", timeout=10,
                           json=ACTA.model_dump(mode="json"),
                           headers=people["admin"])
    assert posted.status_code == 201 and posted.json()["acta_number"] == "777001"
    again = requests.post(f"{server.url}/api/v1/actas", timeout=10,
                          json=ACTA.model_dump(mode="json"),
                          headers=people["admin"])
    assert again.status_code == 409 and again.json()["error"]["code"] == "acta_exists"
