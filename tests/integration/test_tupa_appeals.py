"""Issue 20: a TUPA row carries its deciding authority and its appeals (reconsideración,
apelación) with their deadlines, checked against TUO Ley 27444 arts. 218-220 on import, stored,
and shown with the procedure."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.errors import InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.storage.tables import Event, Procedure
from printing.layout import RequirementsPrint, requirements_layout
from tests.conftest import Connect
from tests.integration.test_tupa import event_count, write

LAW = "TUO de la Ley 27444 (DS 004-2019-JUS)"

ROW = """
[[procedures]]
code = "OT-01"
name = "Autorización de anuncio publicitario"
category = "otro"
area = "Subgerencia de Licencias"
authority = "Subgerencia de Licencias"
effective_from = 2026-01-01
fee_kind = "fixed"
fee_value = "35.00"
deadline_working_days = 10
calificacion = "evaluacion_previa_silencio_positivo"
requirements = ["Solicitud."]
{appeals}"""

RECONSIDERACION = """
[procedures.reconsideracion]
filing_working_days = {filing}
resolution_working_days = {resolution}
{authority}"""

APELACION = """
[procedures.apelacion]
authority = "{authority}"
filing_working_days = 15
resolution_working_days = 30
"""


def row(filing: int = 15, resolution: int = 30, reconsidera: str = "",
        apela: str = "Gerencia de Desarrollo Económico") -> str:
    by = f'authority = "{reconsidera}"\n' if reconsidera else ""
    return ROW.format(appeals=RECONSIDERACION.format(filing=filing, resolution=resolution,
                                                     authority=by)
                      + APELACION.format(authority=apela))


def test_the_demo_procedures_show_who_decides_and_the_appeals(connect: Connect) -> None:
    low = connect("kiosk", person=False).procedure("LF-01")
    assert low.authority == "Subgerencia de Licencias"
    assert [(a.kind, a.name, a.authority, a.filing_working_days, a.resolution_working_days)
            for a in low.appeals] == [
        ("reconsideracion", "Reconsideración", "Subgerencia de Licencias", 15, 30),
        ("apelacion", "Apelación", "Gerencia de Desarrollo Económico", 15, 30)]
    desk = connect("kiosk", person=False).procedure("MP-01")  # the catalogue does not say
    assert (desk.authority, desk.appeals) == (None, [])


def test_an_imported_row_is_stored_with_its_appeals(hub: OfficeHub, tmp_path: Path) -> None:
    # The reconsideración names no authority: the one that decided decides it (art. 219).
    assert hub.import_catalogue(SYSTEM, write(tmp_path, row())).procedures_added == 1
    with hub.store.read_session() as session:
        stored = session.execute(select(Procedure.authority, Procedure.appeals).where(
            Procedure.code == "OT-01")).one()
        added = session.scalars(select(Event.data).where(Event.kind == "procedure_added")
                                .order_by(Event.seq.desc()).limit(1)).one()
    expected = [
        {"kind": "reconsideracion", "authority": "Subgerencia de Licencias",
         "filing_working_days": 15, "resolution_working_days": 30},
        {"kind": "apelacion", "authority": "Gerencia de Desarrollo Económico",
         "filing_working_days": 15, "resolution_working_days": 30}]
    assert tuple(stored) == ("Subgerencia de Licencias", expected)
    assert (added["authority"], added["appeals"]) == (
        "Subgerencia de Licencias", expected)
    # A new superior for the apelación updates the row in place (no new version), audited.
    before = event_count(hub)
    result = hub.import_catalogue(SYSTEM, write(tmp_path, row(apela="Gerencia Municipal")))
    assert (result.procedures_updated, result.versions_added) == (1, 0)
    assert hub.procedure(SYSTEM, "OT-01").appeals[1].authority == "Gerencia Municipal"
    assert event_count(hub) == before + 1
    # A later file that leaves the appeals out keeps them.
    bare = ROW.format(appeals="")
    assert hub.import_catalogue(SYSTEM, write(tmp_path, bare)).changed is False
    assert len(hub.procedure(SYSTEM, "OT-01").appeals) == 2


@pytest.mark.parametrize(("text", "expected"), [
    (row(filing=10),
     "El recurso de reconsideración se interpone en 15 días hábiles, no 10 "
     f"({LAW}, art. 218.2)."),
    (row(resolution=45),
     "El recurso de reconsideración se resuelve en 30 días hábiles como máximo, no 45 "
     f"({LAW}, art. 218.2)."),
    (row(reconsidera="Gerencia Municipal"),
     "El recurso de reconsideración lo resuelve la misma autoridad que decide el trámite "
     f"(«Subgerencia de Licencias»), no «Gerencia Municipal» ({LAW}, art. 219)."),
    (row(apela="Subgerencia de Licencias"),
     "El recurso de apelación lo resuelve el superior jerárquico, no la misma autoridad que "
     f"decide el trámite («Subgerencia de Licencias») ({LAW}, art. 220)."),
    (row().replace('authority = "Subgerencia de Licencias"\n', "", 1),
     "[procedures.reconsideracion]: indique también la autoridad que resuelve el trámite "
     "(«authority»)."),
])
def test_appeals_against_the_law_are_refused_with_the_article(
        hub: OfficeHub, tmp_path: Path, text: str, expected: str) -> None:
    before = event_count(hub)
    with pytest.raises(InvalidInput) as caught:
        hub.import_catalogue(SYSTEM, write(tmp_path, text))
    assert caught.value.code == "invalid_catalogue"
    assert caught.value.message.endswith(expected)
    assert event_count(hub) == before


def test_the_requirement_sheet_prints_who_decides_and_the_appeals(hub: OfficeHub) -> None:
    procedure = hub.procedure(SYSTEM, "LE-B")
    layout = requirements_layout(RequirementsPrint(
        municipality="Municipalidad Provincial de Cajamarca", office_name="CAC Centro",
        procedure_name=procedure.name, fee=procedure.fee_soles, deadline_working_days=15,
        requirements=(), printed_at=datetime(2026, 11, 20, 13, 0, tzinfo=UTC),
        authority=procedure.authority or "", appeals=tuple(a.text for a in procedure.appeals)))
    lines = [getattr(block, "text", "") for block in layout.blocks]
    start = lines.index("Resuelve: Subgerencia de Obras Privadas")
    assert lines[start + 1:start + 4] == [
        "Recursos contra lo resuelto:",
        "- Reconsideración: 15 días hábiles para presentarla; la resuelve Subgerencia de Obras "
        "Privadas en 30 días hábiles.",
        "- Apelación: 15 días hábiles para presentarla; la resuelve Gerencia de Desarrollo "
        "Urbano en 30 días hábiles."]
