"""Search over citizens, businesses and expedientes on a real office store, and the query plans:
every query shape must use an index (no full scan of persons, businesses, actas, expedientes)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.orm import Session

from kiosk.errors import InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.rules.names import search_key
from kiosk.seed.names import person_ruc
from kiosk.services import registry, search
from kiosk.storage.tables import Business, Expediente, Person, Procedure, ProcedureVersion
from tests.conftest import LIMA

TODAY = date(2026, 11, 20)


@dataclass
class Office:
    hub: OfficeHub
    persons: dict[str, Person]  # by a short label
    businesses: dict[str, Business]
    expedientes: dict[str, Expediente]  # by number


PEOPLE = {
    # label: (DNI, given, paternal, maternal)
    "juan": ("40123456", "Juan Carlos", "Quispe", "Mamani"),
    "rosa": ("40123457", "Rosa", "Quispe", "Mamani"),
    "swapped": ("40123458", "Juan", "Mamani", "Quispe"),
    "carlos": ("40123459", "Carlos", "Quispe", "Flores"),
    "jose": ("40123460", "José", "Núñez", "Huamán"),
    "maria": ("40123461", "María", "De la Cruz", "Quispe"),
    "lucia": ("40123462", "Lucía", "Tafur", "Del Águila"),
    "nomaternal": ("40123463", "Pedro", "Ccori", None),
}


def _person(office_id: str, dni: str, given: str, paternal: str, maternal: str | None,
            now: datetime) -> Person:
    return Person(id=f"person-{dni}", office_id=office_id, doc_type="DNI", doc_number=dni,
                  given_names=given, paternal_surname=paternal, maternal_surname=maternal,
                  search_name=search_key(paternal, maternal, given), created_at=now,
                  updated_at=now)


@pytest.fixture
def office(hub: OfficeHub) -> Office:
    """Persons, two businesses and a few expedientes, written as rows (as any writer would)."""
    persons: dict[str, Person] = {}
    businesses: dict[str, Business] = {}
    expedientes: dict[str, Expediente] = {}
    with hub.unit_of_work() as uow:
        session, office_id, now = uow.session, uow.office.office_id, uow.now
        for label, (dni, given, paternal, maternal) in PEOPLE.items():
            persons[label] = _person(office_id, dni, given, paternal, maternal, now)
            session.add(persons[label])
        session.flush()
        for label, ruc, name, owner in (
                ("bodega", person_ruc("40123456"), "Bodega Doña Juana", persons["juan"]),
                ("andina", "20512333797", "Lácteos Andina del Norte S.A.C.", None)):
            businesses[label] = Business(
                id=f"business-{ruc}", office_id=office_id, ruc=ruc, name=name,
                search_name=search_key(name, None, ""), address=None,
                representative_id=owner.id if owner else None, created_at=now, updated_at=now)
            session.add(businesses[label])
        session.flush()
        procedure, version = session.execute(
            select(Procedure, ProcedureVersion).join(
                ProcedureVersion, ProcedureVersion.procedure_id == Procedure.id)
            .where(Procedure.code == "RC-01")).one()
        filings = [
            # (seq, year, applicant, business, days before today, tracking code)
            (1, 2025, "juan", None, 400, "7K3QD9XM2AVB8"),
            (120, 2026, "juan", None, 30, "AAAAABBBBBCCC"),
            (123, 2026, "juan", None, 2, "0123456789ABC"),
            (124, 2026, "rosa", None, 1, "DEFGHJKMNPQRS"),
            (125, 2026, "juan", "bodega", 0, "TVWXYZ0123456"),
            (126, 2026, None, "andina", 5, "ZZZZZZZZZZZZZ"),
            (127, 2026, "swapped", None, 3, "1111122222333"),
        ]
        for seq, year, who, business, days, code in filings:
            filed = now - timedelta(days=days)
            number = f"CAJ-{year}-{seq:06d}"
            expedientes[number] = Expediente(
                id=f"exp-{number}", office_id=office_id, number=number, year=year, seq=seq,
                tracking_code=code, procedure_id=procedure.id,
                procedure_version_id=version.id, category=procedure.category,
                person_id=persons[who].id if who else None,
                business_id=businesses[business].id if business else None,
                status="recibido", area=procedure.area, filed_at=filed,
                deadline_working_days=1, calificacion=version.calificacion,
                due_date=filed.date() + timedelta(days=1), stopped_working_days=0,
                fee=Decimal("8.50"), fee_basis="S/ 8.50", paid=Decimal("0.00"), pages=1,
                requirements_presented=[], details={}, itse_done=False, updated_at=filed)
            session.add(expedientes[number])
        uow.commit()
    return Office(hub, persons, businesses, expedientes)


def persons(office: Office, query: str, limit: int = 20) -> list[str]:
    labels = {p.id: label for label, p in office.persons.items()}
    return [labels[p.id] for p in office.hub.find_persons(SYSTEM, query, limit)]


def numbers(office: Office, query: str, limit: int = 20) -> list[str]:
    return [e.number for e in office.hub.search_expedientes(SYSTEM, query, limit)]


# --- persons and businesses ------------------------------------------------------------------


def test_persons_by_document(office: Office) -> None:
    assert persons(office, "40123456") == ["juan"]
    assert persons(office, "40.123.456") == ["juan"]
    assert persons(office, person_ruc("40123456")) == ["juan"]  # a RUC 10 holds the DNI
    assert persons(office, "40123499") == []


def test_persons_by_name_in_every_usual_order(office: Office) -> None:
    assert persons(office, "Quispe Mamani") == ["juan", "rosa", "swapped"]
    assert persons(office, "Quispe Mamani Juan") == ["juan", "swapped"]
    assert persons(office, "Juan Carlos Quispe Mamani")[0] == "juan"
    assert persons(office, "Juan Quispe Mamani") == ["juan", "swapped"]
    assert persons(office, "Juan Carlos Quispe") == ["juan"]
    assert persons(office, "Quispe Juan") == ["juan", "swapped"]
    assert persons(office, "Quispe") == ["carlos", "juan", "rosa", "maria", "swapped"]
    assert persons(office, "Quispe", limit=2) == ["carlos", "juan"]


def test_persons_accents_enie_and_compound_surnames(office: Office) -> None:
    for query in ("Nuñez", "NUNEZ", "nunez huaman", "José Núñez", "jose nunez huaman"):
        assert persons(office, query) == ["jose"], query
    assert persons(office, "de la cruz") == ["maria"]
    assert persons(office, "Maria De La Cruz") == ["maria"]
    assert persons(office, "del aguila") == ["lucia"]
    assert persons(office, "Lucia Tafur del Aguila") == ["lucia"]
    assert persons(office, "ccori pedro") == ["nomaternal"]
    assert persons(office, "Pedro Ccori") == ["nomaternal"]


def test_businesses_by_ruc_owner_dni_or_name(office: Office) -> None:
    def found(query: str) -> list[str]:
        return [b.name for b in office.hub.find_businesses(SYSTEM, query)]

    assert found("20512333797") == ["Lácteos Andina del Norte S.A.C."]
    assert found("40123456") == ["Bodega Doña Juana"]  # the owner's DNI: their RUC 10
    assert found("bodega dona") == ["Bodega Doña Juana"]  # start of the name
    assert found("juana") == ["Bodega Doña Juana"]  # a word anywhere
    assert found("andina lacteos") == ["Lácteos Andina del Norte S.A.C."]
    assert found("ferreteria") == []


def test_short_queries_and_bad_limits_are_refused(office: Office) -> None:
    for call in (office.hub.find_persons, office.hub.find_businesses,
                 office.hub.search_expedientes):
        with pytest.raises(InvalidInput, match="al menos 2 caracteres"):
            call(SYSTEM, " Q ")
        with pytest.raises(InvalidInput, match="entre 1 y 100"):
            call(SYSTEM, "Quispe", 0)


# --- expedientes -----------------------------------------------------------------------------


def test_expedientes_by_number_in_every_form(office: Office) -> None:
    for query in ("CAJ-2026-000123", "caj-2026-123", "2026-123", "123", " 123 "):
        assert numbers(office, query) == ["CAJ-2026-000123"], query
    assert numbers(office, "2025-1") == ["CAJ-2025-000001"]
    assert numbers(office, "17") == []  # this year has no n.º 17
    assert numbers(office, "CAJ-2026-999999") == []


def test_expedientes_by_tracking_code(office: Office) -> None:
    for query in ("7K3QD-9XM2A-VB8", "7k3qd9xm2avb8", "7K3QD 9XM2A VB8"):
        assert numbers(office, query) == ["CAJ-2025-000001"], query
    assert numbers(office, "o1234-56789-abc") == ["CAJ-2026-000123"]  # O read as 0


def test_expedientes_of_an_applicant_newest_first(office: Office) -> None:
    juans = ["CAJ-2026-000125", "CAJ-2026-000123", "CAJ-2026-000120", "CAJ-2025-000001"]
    assert numbers(office, "40123456") == juans
    assert numbers(office, "Juan Carlos Quispe Mamani") == juans
    assert numbers(office, "20512333797") == ["CAJ-2026-000126"]
    assert numbers(office, "Lacteos Andina") == ["CAJ-2026-000126"]
    assert numbers(office, "40123456", limit=2) == juans[:2]


def test_the_best_matching_applicant_comes_first(office: Office) -> None:
    # Tier 0 (Quispe Mamani, in order): Juan and Rosa, newest first; then Juan Mamani Quispe.
    assert numbers(office, "Quispe Mamani") == [
        "CAJ-2026-000125", "CAJ-2026-000124", "CAJ-2026-000123", "CAJ-2026-000120",
        "CAJ-2025-000001", "CAJ-2026-000127"]


def test_an_expediente_summary(office: Office) -> None:
    (summary,) = office.hub.search_expedientes(SYSTEM, "CAJ-2026-000125")
    assert summary.applicant_name == "Bodega Doña Juana"
    assert summary.applicant_doc == f"RUC {person_ruc('40123456')}"
    assert summary.procedure_name.startswith("Copia certificada")
    assert summary.status == "recibido" and summary.status_text == "Recibido"
    assert summary.tracking_code == "TVWXYZ0123456"
    assert summary.filed_at == datetime(2026, 11, 20, 8, 0, tzinfo=LIMA)
    (rosa,) = office.hub.search_expedientes(SYSTEM, "2026-124")
    assert (rosa.applicant_name, rosa.applicant_doc) == ("Rosa Quispe Mamani", "DNI 40123457")


# --- the FTS index stays in step with every writer -------------------------------------------


def test_the_name_index_follows_inserts_updates_and_deletes(office: Office) -> None:
    hub = office.hub
    with hub.unit_of_work() as uow:
        person = uow.session.get(Person, office.persons["rosa"].id)
        assert person is not None
        person.given_names = "Rosa Ñusta"
        person.search_name = search_key(person.paternal_surname, person.maternal_surname,
                                        person.given_names)
        uow.session.execute(text("DELETE FROM persons WHERE doc_number = '40123463'"))
        uow.commit()
    assert persons(office, "Nusta") == ["rosa"]
    assert persons(office, "Pedro Ccori") == []
    with hub.store.read_session() as session:
        check = session.execute(text(
            "INSERT INTO fts_persons(fts_persons, rank) VALUES ('integrity-check', 1)"))
        check.close()


def test_the_migration_keeps_the_triggers(hub: OfficeHub) -> None:
    with hub.store.read_session() as session:
        triggers = set(session.scalars(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    for index in search.SEARCH_INDEXES:
        assert {f"{index}_ai", f"{index}_ad", f"{index}_au"} <= triggers


# --- query plans -----------------------------------------------------------------------------

FULL_SCAN_TABLES = ("persons", "businesses", "actas", "expedientes")


@pytest.fixture
def traced(office: Office) -> Iterator[tuple[Session, list[tuple[str, Any]]]]:
    """A session on the office's store that records every statement it runs."""
    engine = create_engine(f"sqlite:///{office.hub.store.path}")
    statements: list[tuple[str, Any]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
               _executemany: bool) -> None:
        statements.append((statement, parameters))

    with Session(engine) as session:
        yield session, statements
    engine.dispose()


def _plan(session: Session, statement: str, parameters: Any) -> list[str]:
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    return [row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]


SHAPES: list[tuple[str, str]] = [
    ("expedientes", "CAJ-2026-000123"),
    ("expedientes", "2026-123"),
    ("expedientes", "7K3QD-9XM2A-VB8"),
    ("expedientes", "40123456"),
    ("expedientes", "20512333797"),
    ("expedientes", "Juan Carlos Quispe Mamani"),
    ("expedientes", "Quispe Mamani"),
    ("expedientes", "Quispe Juan"),
    ("expedientes", "Lacteos Andina"),
    ("persons", "Quispe"),
    ("persons", "Mamani"),
    ("persons", "Juan"),
    ("persons", "Juan Carlos Quispe"),
    ("persons", "de la Cruz Quispe"),
    ("persons", "40123456"),
    ("businesses", "Bodega"),
    ("businesses", "juana"),
    ("businesses", "20512333797"),
    ("actas", "Quispe Mamani"),
    ("actas", "Maria Quispe"),
    ("actas", "1000001"),
]


@pytest.mark.parametrize(("what", "query"), SHAPES)
def test_every_query_shape_uses_an_index(traced: tuple[Session, list[tuple[str, Any]]],
                                         what: str, query: str) -> None:
    session, statements = traced
    found: list[Any]
    if what == "expedientes":
        found = search.search_expedientes(session, query, office_code="CAJ", today=TODAY)
    elif what == "persons":
        found = search.find_persons(session, query)
    elif what == "businesses":
        found = search.find_businesses(session, query)
    else:
        found = registry.search_actas(session, query, limit=5)
    assert found, f"{what} «{query}» found nothing: the plan check would prove little"
    searched = [(s, p) for s, p in statements if not s.startswith(("BEGIN", "PRAGMA"))]
    assert searched
    for statement, parameters in searched:
        plan = _plan(session, statement, parameters)
        scans = [step for step in plan if step.startswith(
            tuple(f"SCAN {table}" for table in FULL_SCAN_TABLES))
            and "VIRTUAL TABLE" not in step]
        assert not scans, f"«{query}»: {statement}\n{plan}"
        if any(t in statement for t in FULL_SCAN_TABLES):
            assert any(("USING" in step and "INDEX" in step) or "VIRTUAL TABLE" in step
                       for step in plan), plan
