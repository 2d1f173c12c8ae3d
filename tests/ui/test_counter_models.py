"""Every item model of the counter through pytest-qt's model tester, with real-looking rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from kiosk.services.expediente_views import (
    ActaView,
    CashClosingLine,
    ExpedienteEventView,
    ExpedienteSummary,
    PaymentView,
    RequirementCheck,
)
from kiosk.services.views import QueueEntry, RequirementView, ServiceQueue
from ui.counter import texts
from ui.counter.models import (
    RequirementsModel,
    RowsModel,
    WaitingModel,
    acta_results_model,
    cash_lines_model,
    events_model,
    expediente_results_model,
    payments_model,
)

AT = datetime(2026, 11, 20, 14, 5, tzinfo=UTC)


def payment(receipt: str = "CAJ-R-2026-000001", method: str = "efectivo") -> PaymentView:
    return PaymentView(
        id="p1", receipt_number=receipt, expediente_number="CAJ-2026-000001",
        procedure_name="Copia certificada de partida de nacimiento", payer="María Ñahui Quispe",
        amount=Decimal("8.50"), method=method, voucher_number=None,
        cash_received=Decimal("10.00"), change=Decimal("1.50"), paid_at=AT,
        clerk="Ana Torres Chávez", counter=3)


SAMPLES: dict[str, tuple[RowsModel[Any], list[Any]]] = {
    "results": (expediente_results_model(), [ExpedienteSummary(
        id="e1", number="CAJ-2026-000001", tracking_code="7K3QD9XM2AVB8",
        procedure_name="Licencia de funcionamiento — riesgo bajo",
        applicant_name="Bodega Doña Rosa S.A.C.", applicant_doc="RUC 20123456786",
        status="recibido", status_text="Recibido", filed_at=AT, due_date=date(2026, 11, 24))]),
    "events": (events_model(), [
        ExpedienteEventView(kind="received", kind_text="Recibido", at=AT,
                            who="Ana Torres Chávez", where="Ventanilla 3"),
        ExpedienteEventView(kind="derived", kind_text="Derivado", at=AT, who=None, where=None,
                            area="Defensa Civil", note="Para la inspección")]),
    "payments": (payments_model(), [payment(), payment("CAJ-R-2026-000002",
                                                       "banco_nacion")]),
    "cash": (cash_lines_model(), [CashClosingLine(
        receipt_number="CAJ-R-2026-000001", expediente_number="CAJ-2026-000001",
        amount=Decimal("8.50"), method="efectivo", voucher_number=None, paid_at=AT)]),
    "actas": (acta_results_model(), [ActaView(
        id="a1", kind="nacimiento", kind_text="Nacimiento", acta_number="1234",
        book="12", folio="34", event_date=date(1990, 5, 1), registered_on=date(1990, 5, 3),
        place="Cajamarca", titular_name="Juan Carlos Quispe Mamani", titular_given="Juan Carlos",
        titular_paternal="Quispe", titular_maternal="Mamani")]),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_table_models_pass_the_model_tester(name: str, qtmodeltester: Any) -> None:
    model, rows = SAMPLES[name]
    qtmodeltester.check(model)  # empty
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.rowCount() == len(rows)
    assert model.headerData(0, Qt.Orientation.Horizontal) is not None
    assert model.rowCount(model.index(0, 0)) == 0  # a flat table
    assert model.data(model.index(len(rows), 0)) is None


def test_table_cells_read_as_a_clerk_would_write_them() -> None:
    model, rows = SAMPLES["payments"]
    model.set_rows(rows)
    cells = [model.index(1, c).data() for c in range(model.columnCount())]
    assert cells[0] == "CAJ-R-2026-000002"
    assert cells[2] == "S/ 8.50" and cells[3] == "Banco de la Nación"
    assert model.index(0, 2).data(Qt.ItemDataRole.TextAlignmentRole) == \
        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    events, event_rows = SAMPLES["events"]
    events.set_rows(event_rows)
    assert [events.index(1, c).data() for c in range(1, 6)] == \
        ["Derivado", "—", "—", "Defensa Civil", "Para la inspección"]


def test_waiting_model_shows_counts_only_and_own_services_first(qtmodeltester: Any) -> None:
    def queue(code: str, prefix: str, waiting: int) -> ServiceQueue:
        return ServiceQueue(
            service=code, name=code.capitalize(), prefix=prefix, sla_minutes=15,
            waiting=waiting, preferential_waiting=0, longest_wait_s=600 if waiting else None,
            tickets=[QueueEntry(number=f"{prefix}-00{i}", preferential=False, waiting_s=60)
                     for i in range(waiting)])

    model = WaitingModel()
    qtmodeltester.check(model)
    model.set_queue([queue("caja", "C", 2), queue("partidas", "A", 1)], own=["partidas"])
    qtmodeltester.check(model)
    assert [model.index(r, 0).data() for r in range(2)] == ["A · Partidas", "C · Caja"]
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(1, 0).data(Qt.ItemDataRole.FontRole) is None
    assert model.index(0, 3).data() == "10 min" and model.index(1, 1).data() == "2"
    shown = {model.index(r, c).data() for r in range(2) for c in range(model.columnCount())}
    assert not any("-00" in str(text) for text in shown)  # no ticket numbers, no names
    assert model.waiting_for() == 1 and model.waiting_for(own_only=False) == 3


def test_requirements_model_is_a_checklist(qtmodeltester: Any) -> None:
    model = RequirementsModel()
    qtmodeltester.check(model)
    model.set_requirements([RequirementView(number=1, text="Solicitud", mandatory=True),
                            RequirementView(number=2, text="Carta poder", mandatory=False),
                            RequirementView(number=3, text="Pago", mandatory=True)])
    qtmodeltester.check(model)
    assert model.index(1).data() == "2. Carta poder (si corresponde)"
    assert model.missing_mandatory() == [1, 3]
    assert model.setData(model.index(2), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert model.checked() == [3] and model.missing_mandatory() == [1]
    assert not model.setData(model.index(0), "x", Qt.ItemDataRole.EditRole)
    model.set_all(True)
    assert model.checked() == [1, 2, 3]
    assert model.index(0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.flags(model.index(0)) & Qt.ItemFlag.ItemIsUserCheckable
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags


def test_an_expedientes_requirements_are_read_only(qtmodeltester: Any) -> None:
    model = RequirementsModel(editable=False)
    model.set_requirements([RequirementCheck(number=1, text="Solicitud", mandatory=True,
                                             presented=True),
                            RequirementCheck(number=2, text="Pago", mandatory=True,
                                             presented=False)])
    qtmodeltester.check(model)
    assert model.checked() == [1]
    assert not model.flags(model.index(0)) & Qt.ItemFlag.ItemIsUserCheckable
    assert not model.setData(model.index(1), Qt.CheckState.Checked,
                             Qt.ItemDataRole.CheckStateRole)


@pytest.mark.parametrize(("typed", "value"), [
    ("12.5", Decimal("12.50")), ("12,50", Decimal("12.50")), ("S/ 1,234.50", Decimal("1234.50")),
    ("", None), ("abc", None), ("8.505", Decimal("8.51")),
])
def test_amounts_typed_at_the_counter(typed: str, value: Decimal | None) -> None:
    assert texts.parse_soles(typed) == value
