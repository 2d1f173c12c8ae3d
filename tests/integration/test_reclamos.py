"""The Libro de Reclamaciones through the hub's real server: the kiosk alone files the
citizen's own hoja and reads nothing else, a clerk files at the counter, the supervisor lists
the open ones by due date, answers, exports; each step is an event of the office's chain and
goes to the outbox for central. The suggestions box: anonymous, counted per category."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.cli import main
from kiosk.client.http import HttpHubClient
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.reclamo_views import ReclamoAnswer, ReclamoInput, SuggestionInput
from kiosk.services.views import PrintJobReport
from kiosk.storage.tables import Event, SyncOutbox
from tests.conftest import CLERK, START, SUPERVISOR, RunningHub

DAY = START.date()  # Fri 20 Nov 2026


def hoja(**changes: str) -> ReclamoInput:
    fields = {"category": "tiempo_atencion", "doc_type": "DNI", "doc_number": "12345678",
              "full_name": "Rosa  Quispe Mamani", "email": "rosa@example.pe",
              "description": "Esperé dos horas y nadie me atendió.",
              "request": "Que haya más ventanillas abiertas."}
    return ReclamoInput.model_validate({**fields, **changes})


@pytest.fixture
def clients(server: RunningHub, tokens: dict[str, str]) -> Iterator[dict[str, HttpHubClient]]:
    made = {"kiosk": HttpHubClient(server.url, tokens["kiosk"]),
            "counter": HttpHubClient(server.url, tokens["counter"]),
            "supervisor": HttpHubClient(server.url, tokens["supervisor"])}
    made["counter"].login(*CLERK, counter=3)
    made["supervisor"].login(*SUPERVISOR)
    yield made
    for client in made.values():
        client.close()


def relog(clients: dict[str, HttpHubClient], server: RunningHub, token: str) -> None:
    """The supervisor logs in again on the same PC (the clock jumped past the session)."""
    clients["supervisor"].close()
    clients["supervisor"] = HttpHubClient(server.url, token)
    clients["supervisor"].login(*SUPERVISOR)


def test_the_kiosk_alone_files_its_own_hoja_with_number_and_answer_day(
        clients: dict[str, HttpHubClient]) -> None:
    filed = clients["kiosk"].file_reclamo(hoja())
    assert filed.number == "CAJ-LR-2026-000001"
    assert (filed.channel, filed.status, filed.overdue) == ("kiosco", "abierto", False)
    assert filed.full_name == "Rosa Quispe Mamani"
    # 30 working days from Fri 20 Nov 2026 (tests/unit/test_reclamo_rules.py counts them).
    assert (filed.answer_working_days, filed.due_date) == (30, date(2027, 1, 7))
    second = clients["counter"].file_reclamo(hoja(doc_number="87654321",
                                                  category="trato_profesional"))
    assert (second.number, second.channel) == ("CAJ-LR-2026-000002", "ventanilla")


def test_the_kiosk_may_not_read_or_answer_any_reclamo(clients: dict[str, HttpHubClient]
                                                      ) -> None:
    kiosk = clients["kiosk"]
    number = clients["counter"].file_reclamo(hoja()).number
    with pytest.raises(Forbidden):
        kiosk.reclamo(number)
    with pytest.raises(Forbidden):
        kiosk.reclamo_book()
    with pytest.raises(Forbidden):
        kiosk.export_reclamos(2026)
    with pytest.raises(Forbidden):
        kiosk.answer_reclamo(number, ReclamoAnswer(answer="x", delivery="en_oficina"))
    with pytest.raises(Forbidden):  # a clerk at a counter files, only a supervisor reads
        clients["counter"].reclamo(number)
    supervisor_pc = clients["supervisor"]
    supervisor_pc.logout()
    with pytest.raises(Unauthorized, match="Libro de Reclamaciones"):
        supervisor_pc.reclamo(number)
    supervisor_pc.login(*SUPERVISOR)
    assert supervisor_pc.reclamo(number).number == number


def test_bad_hojas_are_refused_in_spanish_and_take_no_number(
        clients: dict[str, HttpHubClient], hub: OfficeHub) -> None:
    kiosk = clients["kiosk"]
    with pytest.raises(InvalidInput, match="DNI"):
        kiosk.file_reclamo(hoja(doc_number="1234"))
    with pytest.raises(InvalidInput, match="correo electrónico o un domicilio"):
        kiosk.file_reclamo(hoja(email=""))
    with pytest.raises(InvalidInput, match="correo"):
        kiosk.file_reclamo(hoja(email="rosa-arroba"))
    assert kiosk.file_reclamo(hoja(email="", address="Jr. Lima 123")).number.endswith("000001")
    with hub.store.read_session() as session:
        assert session.scalars(select(Event.kind).where(Event.stream == "reclamo")).all() == [
            "filed"]


def test_the_supervisor_lists_by_due_date_answers_once_and_every_step_is_audited(
        clients: dict[str, HttpHubClient], hub: OfficeHub, clock: VirtualClock,
        server: RunningHub, tokens: dict[str, str]) -> None:
    first = clients["kiosk"].file_reclamo(hoja())
    clock.set(START + timedelta(days=3))  # Mon 23 Nov
    second = clients["kiosk"].file_reclamo(hoja(category="informacion"))
    clock.set(START + timedelta(days=48))  # Thu 7 Jan 2027: the first's last day
    relog(clients, server, tokens["supervisor"])  # the sessions of November have ended
    book = clients["supervisor"].reclamo_book(open_only=True)
    assert [(r.number, r.overdue) for r in book.reclamos] == [
        (first.number, False), (second.number, False)]
    assert (book.answer_working_days, book.days_confirmed) == (30, False)
    clock.set(START + timedelta(days=49))  # Fri 8 Jan: the first is late
    relog(clients, server, tokens["supervisor"])
    book = clients["supervisor"].reclamo_book(open_only=True)
    assert [r.overdue for r in book.reclamos] == [True, False]

    supervisor = clients["supervisor"]
    answered = supervisor.answer_reclamo(second.number, ReclamoAnswer(
        answer="Se reforzó la orientación.", delivery="correo_electronico"))
    assert (answered.status, answered.delivery_text) == ("respondido", "Correo electrónico")
    with pytest.raises(Conflict, match="ya fue respondido"):
        supervisor.answer_reclamo(second.number, ReclamoAnswer(answer="otra",
                                                               delivery="en_oficina"))
    with pytest.raises(NotFound):
        supervisor.reclamo("CAJ-LR-2026-000099")
    assert [r.number for r in supervisor.reclamo_book(open_only=True).reclamos] == [
        first.number]
    assert [r.status for r in supervisor.reclamo_book().reclamos] == ["abierto", "respondido"]

    with hub.store.read_session() as session:
        events = session.execute(select(Event.kind, Event.data, Event.device_id)
                                 .where(Event.stream == "reclamo").order_by(Event.seq)).all()
        outbox = set(session.scalars(select(SyncOutbox.tbl)))
    assert [e.kind for e in events] == ["filed", "filed", "answered"]
    assert events[2].data["number"] == second.number and events[2].data["late"] is False
    assert events[2].data["who_id"] is not None  # the supervisor who answered
    assert "Quispe" not in str([e.data for e in events])  # the hoja stays in its row
    assert {"reclamos", "events"} <= outbox  # central receives both


def test_the_export_has_the_year_s_reclamos_in_the_hoja_s_columns(
        clients: dict[str, HttpHubClient]) -> None:
    clients["kiosk"].file_reclamo(hoja(description="=HYPERLINK(\"x\")"))
    clients["counter"].file_reclamo(hoja(full_name="Juan Pérez"))
    rows = list(csv.DictReader(io.StringIO(clients["supervisor"].export_reclamos(2026))))
    assert [(r["numero_reclamo"], r["canal"], r["nombres_apellidos"]) for r in rows] == [
        ("CAJ-LR-2026-000001", "kiosco", "Rosa Quispe Mamani"),
        ("CAJ-LR-2026-000002", "ventanilla", "Juan Pérez")]
    assert rows[0]["descripcion"].startswith("'=")  # never a formula in a spreadsheet
    assert rows[0]["fecha_limite_respuesta"] == "2027-01-07"
    assert rows[0]["categoria"] == "Tiempo de atención"
    assert clients["supervisor"].export_reclamos(2025).count("\n") == 1  # the header only


def test_suggestions_are_anonymous_and_counted_per_category(
        clients: dict[str, HttpHubClient], hub: OfficeHub) -> None:
    kiosk = clients["kiosk"]
    kiosk.submit_suggestion(SuggestionInput(category="instalaciones", text="Más sillas."))
    kiosk.submit_suggestion(SuggestionInput(category="instalaciones", text="Un bebedero."))
    kiosk.submit_suggestion(SuggestionInput(category="atencion", text="Muy amables."))
    with pytest.raises(Forbidden):
        kiosk.suggestion_stats(DAY, DAY)
    stats = clients["supervisor"].suggestion_stats(DAY, DAY)
    counts = {c.category: c.count for c in stats.by_category}
    assert (stats.total, counts["instalaciones"], counts["atencion"], counts["otros"]) == (
        3, 2, 1, 0)
    assert {s.text for s in stats.latest} == {"Más sillas.", "Un bebedero.", "Muy amables."}
    with hub.store.read_session() as session:
        data = session.scalars(select(Event.data).where(Event.stream == "suggestion")).all()
    assert data == [{"category": "instalaciones"}] * 2 + [{"category": "atencion"}]


def test_cac_reclamos_export_writes_the_year_s_csv(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], clock: VirtualClock) -> None:
    office = tmp_path / "caj"
    assert main(["init", "--data-dir", str(office), "--office", "CAJ", "--name", "CAC Caj",
                 "--demo"]) == 0
    hub = OfficeHub(DataDir(office), clock)
    try:
        filed = hub.file_reclamo(SYSTEM, hoja())
    finally:
        hub.close()
    capsys.readouterr()
    target = tmp_path / "reclamos.csv"
    assert main(["reclamos", "export", "--data-dir", str(office), "--year", "2026",
                 "--output", str(target)]) == 0
    assert "1 reclamos guardados" in capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [(r["numero_reclamo"], r["canal"]) for r in rows] == [(filed.number, "ventanilla")]
    assert main(["reclamos", "export", "--data-dir", str(office), "--year", "1800"]) == 2
    assert "año" in capsys.readouterr().err


def test_reading_the_book_is_in_the_personal_data_access_log(
        clients: dict[str, HttpHubClient], hub: OfficeHub) -> None:
    number = clients["kiosk"].file_reclamo(hoja(description="Línea uno.\nLínea dos.")).number
    supervisor = clients["supervisor"]
    supervisor.reclamo_book()
    supervisor.reclamo(number)
    supervisor.export_reclamos(2026)
    entries = hub.audit_access(SYSTEM)
    assert [(e.what_text, e.who, e.records, e.count) for e in entries] == [
        ("Libro de Reclamaciones", "rosa", [], 1),  # the CSV: one reclamo (two lines)
        ("detalle de reclamo", "rosa", [number], 1),
        ("Libro de Reclamaciones", "rosa", [number], 1)]
    assert entries[0].query == "CSV 2026"


def test_a_kiosk_reports_the_print_of_its_own_hoja_only(
        clients: dict[str, HttpHubClient], hub: OfficeHub) -> None:
    kiosk = clients["kiosk"]
    own = kiosk.file_reclamo(hoja()).number
    other = clients["counter"].file_reclamo(hoja()).number
    printed = kiosk.report_print(PrintJobReport(id=str(uuid.uuid4()), kind="reclamo",
                                                reference=own, state="printed"))
    assert (printed.kind, printed.reference) == ("reclamo", own)
    with pytest.raises(Forbidden, match="no se registró en este quiosco"):
        kiosk.report_print(PrintJobReport(id=str(uuid.uuid4()), kind="reclamo",
                                          reference=other, state="printed"))
