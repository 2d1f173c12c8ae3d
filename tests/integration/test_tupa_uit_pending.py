"""Issue 20, the TUPA catalogue across New Year: before central publishes the year's UIT the
procedure list still answers, «tasa por confirmar» for fees in % of the UIT, no filing is
charged a guess, and the supervisor is told (in December ahead, on 1 January at once)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kiosk.clock import VirtualClock
from kiosk.errors import Conflict
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.devices import DeviceIdentity
from printing.layout import RequirementsPrint, requirements_layout
from tests.conftest import LIMA, Connect
from tests.integration.test_expedientes import partida, row_counts
from tests.integration.test_expedientes_licencias import licencia

NEW_YEAR = datetime(2027, 1, 1, 9, 0, tzinfo=LIMA)  # a holiday; the kiosk still lists
DECEMBER = datetime(2026, 12, 10, 9, 0, tzinfo=LIMA)
UIT_PCT = ["LE-A", "LE-B", "LE-C", "LE-D", "LF-01", "LF-02", "LF-03", "LF-04"]


def test_on_new_year_the_list_answers_with_tasa_por_confirmar(
        hub: OfficeHub, clock: VirtualClock, connect: Connect) -> None:
    clock.set(NEW_YEAR)
    procedures = {p.code: p for p in connect("kiosk", person=False).procedures()}
    assert len(procedures) == 12  # the whole demo catalogue, none dropped
    pending = sorted(code for code, p in procedures.items() if p.fee_soles is None)
    assert pending == UIT_PCT
    assert procedures["LF-01"].fee_basis == (
        "Tasa por confirmar: 4.7855 % de la UIT 2027, aún no publicada")
    assert (procedures["RC-01"].fee_soles, procedures["RC-01"].fee_basis) == (
        Decimal("8.50"), "Monto fijo")
    assert (procedures["MP-01"].fee_soles, procedures["MP-01"].fee_basis) == (
        Decimal("0.00"), "Gratuito")
    assert connect("kiosk", person=False).procedure("LF-02").fee_soles is None


def test_a_pending_fee_is_never_charged_a_guess(hub: OfficeHub, clock: VirtualClock,
                                                clerk: DeviceIdentity, tmp_path: Path) -> None:
    clock.set(datetime(2027, 1, 4, 9, 0, tzinfo=LIMA))  # first working day, UIT still missing
    before = row_counts(hub)
    with pytest.raises(Conflict) as caught:
        hub.file_expediente(clerk, licencia("LF-01", "bajo", [1, 3]))
    assert caught.value.code == "uit_missing"
    assert caught.value.message.startswith("Tasa por confirmar: no está registrado el valor "
                                           "de la UIT del año 2027")
    assert "ni se cobra un monto estimado" in caught.value.message
    assert row_counts(hub) == before  # nothing filed, nothing paid
    fixed = hub.file_expediente(clerk, partida())  # a fixed fee is filed as any day
    assert fixed.fee == Decimal("8.50")
    # Central publishes the UIT 2027 (a figure for the test): 5,650 × 4.7855 % = 270.38075.
    path = tmp_path / "uit.toml"
    path.write_text('[[uit]]\nyear = 2027\namount = "5650"\n', encoding="utf-8")
    hub.import_catalogue(SYSTEM, path)
    low = hub.procedure(SYSTEM, "LF-01")
    assert (low.fee_soles, low.fee_basis) == (Decimal("270.38"),
                                               "4.7855 % de la UIT 2027 (S/ 5,650.00)")
    assert hub.file_expediente(clerk, licencia("LF-01", "bajo", [1, 3])).fee == Decimal("270.38")


def test_the_requirement_sheet_prints_tasa_por_confirmar(hub: OfficeHub,
                                                         clock: VirtualClock) -> None:
    clock.set(NEW_YEAR)
    procedure = hub.procedure(SYSTEM, "LF-01")
    layout = requirements_layout(RequirementsPrint(
        municipality="Municipalidad Provincial de Cajamarca", office_name="CAC Centro",
        procedure_name=procedure.name, fee=procedure.fee_soles, deadline_working_days=2,
        requirements=(), printed_at=NEW_YEAR, fee_note=procedure.fee_basis))
    lines = [getattr(block, "text", "") for block in layout.blocks]
    assert "Derecho de trámite: tasa por confirmar" in lines
    assert not any(line == "Derecho de trámite: gratuito" for line in lines)


def catalogue_alerts(hub: OfficeHub) -> list[tuple[str, str]]:
    return [(a.severity, a.message) for a in hub.supervisor_live(SYSTEM).alerts
            if a.kind == "config"]


def test_the_supervisor_is_warned_in_december_and_alerted_on_new_year(
        hub: OfficeHub, clock: VirtualClock, tmp_path: Path) -> None:
    clock.set(DECEMBER)
    assert catalogue_alerts(hub) == [(
        "warning",
        "Aún no está cargada la UIT 2027: desde el 1 de enero, 8 trámite(s) en % de la UIT "
        "(LE-A, LE-B, LE-C, LE-D, LF-01 y 3 más) quedarán con «tasa por confirmar» hasta "
        "que se cargue.")]
    clock.set(NEW_YEAR)
    assert catalogue_alerts(hub) == [(
        "critical",
        "Falta la UIT 2027: 8 trámite(s) en % de la UIT (LE-A, LE-B, LE-C, LE-D, LF-01 y 3 "
        "más) se muestran con «tasa por confirmar» y no se pueden registrar ni cobrar. Cargue "
        "la UIT del año (catálogo de la central o «cac catalogue import»).")]
    path = tmp_path / "uit.toml"
    path.write_text('[[uit]]\nyear = 2027\namount = "5650"\n', encoding="utf-8")
    hub.import_catalogue(SYSTEM, path)
    assert catalogue_alerts(hub) == []
    clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=LIMA))  # November: nothing to say yet
    assert catalogue_alerts(hub) == []
