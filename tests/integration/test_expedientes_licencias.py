"""Licencias de funcionamiento of each risk level: filed incomplete (observed at once), corrected
two working days later (the deadline moves), inspected (ITSE before or after the licence by
risk), approved and delivered. Dates are counted by hand across the 8-9 Dec holidays."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from kiosk.clock import VirtualClock
from kiosk.errors import Conflict, InvalidInput
from kiosk.hub import OfficeHub
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import (
    ExpedienteInput,
    ExpedienteView,
    FuncionamientoDetails,
    PaymentInput,
)
from tests.conftest import LIMA
from tests.integration.test_expedientes import (
    CLERK_NAME,
    act,
    business,
    kinds,
    person,
    row_counts,
)

FILED = datetime(2026, 12, 4, 9, 30, tzinfo=LIMA)  # Friday 4 Dec 2026
CORRECTED = datetime(2026, 12, 10, 11, 0, tzinfo=LIMA)  # Thursday 10 Dec 2026


def licencia(code: str, risk: str, presented: list[int]) -> ExpedienteInput:
    return ExpedienteInput(
        procedure=code, person=person(), business=business(), pages=12,
        requirements_presented=presented,
        details=FuncionamientoDetails(establishment_address="Jr. Dos de Mayo 123, Cajamarca",
                                      activity="Bodega", area_m2=Decimal("35.5"),
                                      risk=risk))  # type: ignore[arg-type]


# Working days after Fri 4 Dec 2026: Mon 7 (1), [Tue 8, Wed 9 holidays], Thu 10 (2), Fri 11 (3),
# Mon 14 (4), Tue 15 (5), Wed 16 (6), Thu 17 (7), Fri 18 (8), Mon 21 (9), Tue 22 (10).
# Observed on Fri 4 Dec → 2 working days to correct: until Thu 10 Dec.
# Corrected Thu 10 Dec: the clock stood still for Mon 7 and Thu 10 = 2 working days, so the
# deadline moves 2 working days: 2-day licences from Thu 10 to Mon 14 Dec, 8-day ones from
# Fri 18 to Tue 22 Dec.
CASES = [
    # code, risk, mandatory paper left out, fee (% UIT 2026 of S/ 5,500), due, due after fix
    ("LF-01", "bajo", 3, Decimal("263.20"), date(2026, 12, 10), date(2026, 12, 14)),
    ("LF-02", "medio", 3, Decimal("420.30"), date(2026, 12, 10), date(2026, 12, 14)),
    ("LF-03", "alto", 3, Decimal("572.00"), date(2026, 12, 18), date(2026, 12, 22)),
    ("LF-04", "muy_alto", 3, Decimal("814.00"), date(2026, 12, 18), date(2026, 12, 22)),
]


@pytest.mark.parametrize(("code", "risk", "left_out", "fee", "due", "moved"), CASES)
def test_a_licencia_through_observation_correction_inspection_and_approval(
        hub: OfficeHub, clerk: DeviceIdentity, clock: VirtualClock, code: str, risk: str,
        left_out: int, fee: Decimal, due: date, moved: date) -> None:
    clock.set(FILED)
    mandatory = [1, 3, 4] if risk in ("alto", "muy_alto") else [1, 3]
    presented = [n for n in mandatory if n != left_out]
    filed = hub.file_expediente(clerk, licencia(code, risk, presented))

    # Received and observed at once: mesa de partes never refuses a filing.
    assert (filed.status, filed.variant, filed.fee, filed.due_date) == ("observado", risk, fee,
                                                                        due)
    assert filed.observation_due == date(2026, 12, 10)
    assert kinds(filed) == ["received", "observed"]
    observed = filed.events[1]
    assert observed.note is not None and observed.note.startswith(f"Falta presentar: {left_out}.")
    assert (observed.who, observed.where) == (CLERK_NAME, "Ventanilla 3")
    assert filed.allowed_actions == ["correct", "deny", "cancel"]
    public = hub.public_status(clerk, filed.number)
    assert (public.status_text, public.observation_due) == ("Observado", date(2026, 12, 10))

    # Two working days later (Mon 7; 8 and 9 Dec are holidays; Thu 10) the citizen brings it.
    clock.set(CORRECTED)
    with pytest.raises(Conflict) as caught:  # ticking nothing new does not correct anything
        act(hub, clerk, filed.number, "correct")
    assert caught.value.code == "requirements_missing"
    corrected = act(hub, clerk, filed.number, "correct", requirements_presented=[left_out],
                    note="Presentó el documento faltante")
    assert isinstance(corrected, ExpedienteView)
    assert (corrected.status, corrected.stopped_working_days, corrected.due_date,
            corrected.observation_due) == ("recibido", 2, moved, None)
    assert all(r.presented for r in corrected.requirements if r.mandatory
               and not r.text.startswith("Pago"))

    hub.pay(clerk, filed.number, PaymentInput(amount=fee, method="banco_nacion",
                                              voucher_number=f"77{fee:f}".replace(".", "")))
    if risk in ("alto", "muy_alto"):
        # ITSE before the licence: approval waits for an ITSE conforme.
        assert "approve" not in hub.expediente(clerk, filed.number).allowed_actions
        with pytest.raises(Conflict) as caught:
            act(hub, clerk, filed.number, "approve")
        assert "(ITSE) debe estar conforme antes de otorgar la licencia" in caught.value.message
        act(hub, clerk, filed.number, "derive", area="Subgerencia de Gestión del Riesgo")
        failed = act(hub, clerk, filed.number, "inspect", inspection_result="no_conforme",
                     note="Faltan extintores y señalización")
        assert isinstance(failed, ExpedienteView) and not failed.itse_done
        passed = act(hub, clerk, filed.number, "inspect", inspection_result="conforme",
                     note="Levantó las observaciones")
        assert isinstance(passed, ExpedienteView) and passed.itse_done
        assert passed.status == "en_area"
        approved = act(hub, clerk, filed.number, "approve")
        delivered = act(hub, clerk, filed.number, "deliver")
        assert kinds(delivered) == ["received", "observed", "corrected", "paid", "derived",
                                    "inspected", "inspected", "approved", "delivered"]
        assert isinstance(approved, ExpedienteView) and approved.status == "aprobado"
    else:
        # ITSE after the licence.
        with pytest.raises(Conflict) as caught:
            act(hub, clerk, filed.number, "inspect", inspection_result="conforme")
        assert "la ITSE se registra después de aprobar la licencia" in caught.value.message
        approved = act(hub, clerk, filed.number, "approve")
        assert isinstance(approved, ExpedienteView)
        # An approval is undone only by a nulidad de oficio (TUO Ley 27444 art. 213).
        assert approved.allowed_actions == ["inspect", "deliver"]
        inspected = act(hub, clerk, filed.number, "inspect", inspection_result="conforme")
        assert isinstance(inspected, ExpedienteView)
        assert (inspected.status, inspected.itse_done) == ("aprobado", True)
        delivered = act(hub, clerk, filed.number, "deliver")
        assert kinds(delivered) == ["received", "observed", "corrected", "paid", "approved",
                                    "inspected", "delivered"]
    assert isinstance(delivered, ExpedienteView) and delivered.status == "entregado"
    assert delivered.business is not None and delivered.business.ruc == "20512333797"
    assert delivered.applicant_name == "Bodega Doña Rosa E.I.R.L."
    assert (delivered.silencio_positivo, delivered.overdue) == (False, False)


def test_a_low_risk_licence_is_delivered_before_its_itse(hub: OfficeHub, clerk: DeviceIdentity
                                                         ) -> None:
    filed = hub.file_expediente(clerk, licencia("LF-01", "bajo", [1, 3]))
    assert filed.status == "recibido"  # nothing missing: no observation
    hub.pay(clerk, filed.number, PaymentInput(amount=filed.fee))
    act(hub, clerk, filed.number, "approve")
    delivered = act(hub, clerk, filed.number, "deliver")
    assert isinstance(delivered, ExpedienteView) and not delivered.itse_done
    assert delivered.allowed_actions == ["inspect"]  # the ITSE ex post is still to be recorded
    later = act(hub, clerk, filed.number, "inspect", inspection_result="conforme")
    assert isinstance(later, ExpedienteView)
    assert (later.status, later.itse_done, later.allowed_actions) == ("entregado", True, [])


def test_a_correction_after_two_working_days_is_refused(hub: OfficeHub, clerk: DeviceIdentity,
                                                        clock: VirtualClock) -> None:
    clock.set(FILED)
    filed = hub.file_expediente(clerk, licencia("LF-01", "bajo", [1]))
    clock.set(datetime(2026, 12, 11, 8, 0, tzinfo=LIMA))  # Fri 11 Dec: one day too late
    before = row_counts(hub)
    with pytest.raises(Conflict) as caught:
        act(hub, clerk, filed.number, "correct", requirements_presented=[3])
    assert caught.value.code == "action_blocked"
    assert "el plazo para subsanar venció el 10/12/2026" in caught.value.message
    assert row_counts(hub) == before
    assert hub.expediente(clerk, filed.number).allowed_actions == ["deny", "cancel"]
    cancelled = act(hub, clerk, filed.number, "cancel",
                    note="Se tiene por no presentada (Ley 27444): no subsanó a tiempo")
    assert isinstance(cancelled, ExpedienteView) and cancelled.status_text == "Anulado"


@pytest.mark.parametrize(("change", "code", "fragment"), [
    ({"business": None}, "business_required", "se otorga a un RUC"),
    ({"business": business(ruc="20512333798")}, "invalid_ruc",
     "El RUC 20512333798 no es válido: el dígito de control no corresponde. Revise el número."),
    ({"business": business(ruc="2051233379")}, "invalid_ruc",
     "El RUC debe tener 11 dígitos; «2051233379» tiene 10."),
    ({"details": FuncionamientoDetails(establishment_address="Jr. Lima 1", activity="Bar",
                                       area_m2=Decimal(80), risk="alto")},
     "variant_mismatch", "El nivel de riesgo «alto» no corresponde al trámite LF-01"),
    ({"details": None}, "details_required", "Faltan los datos del establecimiento"),
    ({"requirements_presented": [1, 9]}, "invalid_requirement",
     "El trámite tiene 6 requisitos (1 a 6); no existe el requisito 9."),
])
def test_bad_licence_requests_are_refused_whole(hub: OfficeHub, clerk: DeviceIdentity,
                                                change: dict[str, object], code: str,
                                                fragment: str) -> None:
    before = row_counts(hub)
    request = licencia("LF-01", "bajo", [1, 3]).model_copy(update=change)
    with pytest.raises(InvalidInput) as caught:
        hub.file_expediente(clerk, request)
    assert caught.value.code == code
    assert fragment in caught.value.message, caught.value.message
    assert row_counts(hub) == before
