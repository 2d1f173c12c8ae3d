"""Issue 20: a catalogue import is checked against each category's law (kiosk/rules/tupa_law.py)
and a row that breaks it is refused whole, naming the article; a row stored before the check
is kept as it is and the supervisor is warned."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.clock import VirtualClock
from kiosk.errors import InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.storage.tables import Procedure, ProcedureVersion
from tests.conftest import LIMA
from tests.integration.test_tupa import event_count, write

ROW = """
[[procedures]]
code = "{code}"
name = "Trámite de prueba {code}"
category = "{category}"
variant = "{variant}"
area = "Subgerencia de Licencias"
effective_from = 2026-01-01
fee_kind = "fixed"
fee_value = "10.00"
deadline_working_days = {days}
calificacion = "{calificacion}"
requirements = ["Solicitud."]
"""

LF = "licencia_funcionamiento"
LE = "licencia_edificacion"
SP = "evaluacion_previa_silencio_positivo"
SN = "evaluacion_previa_silencio_negativo"
AUTO = "aprobacion_automatica"
LF_ART = ("TUO de la Ley 28976, Ley Marco de Licencia de Funcionamiento (DS 163-2020-PCM), "
          "art. 8")
LE_ART = "TUO de la Ley 29090 (DS 006-2017-VIVIENDA), art. 10"


def row(code: str, category: str, variant: str, days: int, calificacion: str) -> str:
    return ROW.format(code=code, category=category, variant=variant, days=days,
                      calificacion=calificacion)


@pytest.mark.parametrize(("text", "expected"), [
    (row("LF-09", LF, "medio", 30, SN),
     "Contrario a la ley. Una licencia de funcionamiento (riesgo medio) no puede tener "
     "calificación «Evaluación previa — silencio negativo»; la ley dispone «Evaluación previa "
     f"— silencio positivo» ({LF_ART}). Una licencia de funcionamiento (riesgo medio) "
     f"tiene un plazo máximo de 15 días hábiles, no 30 ({LF_ART})."),
    (row("LF-10", LF, "muy_alto", 16, SP),
     "Contrario a la ley. Una licencia de funcionamiento (riesgo muy alto) tiene un plazo "
     f"máximo de 15 días hábiles, no 16 ({LF_ART})."),
    (row("LE-B2", LE, "B", 15, SN),
     "Contrario a la ley. Una licencia de edificación de modalidad B no puede tener "
     "calificación «Evaluación previa — silencio negativo»; la ley dispone «Evaluación previa "
     f"— silencio positivo» ({LE_ART}; Ley 29476 (silencio administrativo positivo en las "
     "licencias de edificación))."),
    (row("LE-C2", LE, "C", 25, AUTO),
     "Contrario a la ley. Una licencia de edificación de modalidad C no puede tener "
     "calificación «Aprobación automática»; la ley dispone «Evaluación previa — silencio "
     f"positivo» ({LE_ART}; Ley 29476 (silencio administrativo positivo en las licencias de "
     "edificación))."),
    (row("LE-A2", LE, "A", 0, SP),
     "Contrario a la ley. Una licencia de edificación de modalidad A no puede tener "
     "calificación «Evaluación previa — silencio positivo»; la ley dispone «Aprobación "
     f"automática» ({LE_ART})."),
])
def test_a_row_against_its_law_is_refused_whole_with_the_article(
        hub: OfficeHub, tmp_path: Path, text: str, expected: str) -> None:
    before = event_count(hub)
    lawful = row("LF-08", LF, "bajo", 15, SP)  # comes first, and is not kept either
    with pytest.raises(InvalidInput) as caught:
        hub.import_catalogue(SYSTEM, write(tmp_path, lawful + text))
    assert caught.value.code == "invalid_catalogue"
    assert caught.value.message.endswith(expected)
    assert "tupa.toml, línea " in caught.value.message  # where, as every catalogue error
    assert event_count(hub) == before
    assert {p.code for p in hub.procedures(SYSTEM)}.isdisjoint({"LF-08", "LF-09", "LE-B2"})


def test_lawful_rows_at_the_limits_are_accepted(hub: OfficeHub, tmp_path: Path) -> None:
    text = (row("LF-08", LF, "bajo", 15, SP) + row("LE-A2", LE, "A", 0, AUTO)
            + row("LE-D2", LE, "D", 25, SP))
    assert hub.import_catalogue(SYSTEM, write(tmp_path, text)).procedures_added == 3


def test_a_row_without_its_variant_is_checked_on_the_stored_one(hub: OfficeHub,
                                                                tmp_path: Path) -> None:
    # LE-C is stored as modalidad C; a new version that omits «variant» keeps C, and C may
    # not be aprobación automática.
    text = row("LE-C", LE, "C", 25, AUTO).replace('variant = "C"\n', "").replace(
        "2026-01-01", "2026-12-01")
    with pytest.raises(InvalidInput) as caught:
        hub.import_catalogue(SYSTEM, write(tmp_path, text))
    assert "modalidad C no puede tener calificación «Aprobación automática»" in (
        caught.value.message)


def test_a_stored_row_against_the_law_is_kept_and_the_supervisor_warned(
        hub: OfficeHub, clock: VirtualClock) -> None:
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=LIMA))
    # As an office upgraded from an older version may hold it: LF-02 with 30 days and
    # silencio negativo, written before imports were checked.
    with hub.unit_of_work() as uow:
        procedure = uow.session.scalars(select(Procedure).where(Procedure.code == "LF-02")).one()
        version = uow.session.scalars(select(ProcedureVersion).where(
            ProcedureVersion.procedure_id == procedure.id)).one()
        version.deadline_working_days, version.calificacion = 30, SN
        uow.commit()
    listed = hub.procedure(SYSTEM, "LF-02")  # nothing lost: still listed, as stored
    assert (listed.deadline_working_days, listed.calificacion) == (30, SN)
    warnings = [a.message for a in hub.supervisor_live(SYSTEM).alerts
                if a.kind == "config" and "contrario a la ley" in a.message]
    assert warnings == [
        "El trámite LF-02 del catálogo es contrario a la ley. Una licencia de funcionamiento "
        "(riesgo medio) no puede tener calificación «Evaluación previa — silencio negativo»; "
        f"la ley dispone «Evaluación previa — silencio positivo» ({LF_ART}). Una licencia de "
        f"funcionamiento (riesgo medio) tiene un plazo máximo de 15 días hábiles, no 30 "
        f"({LF_ART}). Se mantiene como está; importe una versión corregida."]
