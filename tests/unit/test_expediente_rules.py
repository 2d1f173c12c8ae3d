"""The expediente state machine, its deadline clock, numbers and tracking codes (pure rules)."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import pytest

from kiosk.errors import Conflict, InvalidInput
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.expedientes import (
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    Action,
    ExpedienteState,
    Status,
    age_on,
    allowed_actions,
    check_action,
    expediente_number,
    format_tracking_code,
    is_fee_requirement,
    missing_requirements,
    new_tracking_code,
    observation_due,
    overdue,
    parse_reference,
    receipt_number,
    resume_clock,
    silencio_positivo,
)
from kiosk.rules.procedures import Category, check_variant, parse_definition

TODAY = date(2026, 11, 20)  # a Friday
CALENDAR = WorkingCalendar()

# What each status allows, written out by hand (fee paid; ITSE not yet done).
PLAIN = {  # partidas, edificaciones, mesa de partes
    Status.RECIBIDO: {"observe", "derive", "approve", "deny", "cancel"},
    Status.OBSERVADO: {"correct", "deny", "cancel"},
    Status.EN_AREA: {"observe", "derive", "approve", "deny", "cancel"},
    Status.APROBADO: {"deliver"},  # undone only by a nulidad de oficio (its own operation)
    Status.DENEGADO: set(),
    Status.ENTREGADO: set(),
    Status.ANULADO: set(),
    Status.NULO: set(),
}
HIGH_RISK_BEFORE_ITSE = {  # alto / muy alto: the ITSE comes first, approval waits for it
    **PLAIN,
    Status.RECIBIDO: {"observe", "derive", "inspect", "deny", "cancel"},
    Status.EN_AREA: {"observe", "derive", "inspect", "deny", "cancel"},
}
LOW_RISK_BEFORE_ITSE = {  # bajo / medio: licence first, ITSE after (also after delivery)
    **PLAIN,
    Status.APROBADO: {"inspect", "deliver"},
    Status.ENTREGADO: {"inspect"},
}

CASES = [
    (Category.PARTIDA, "nacimiento", False, PLAIN),
    (Category.LICENCIA_EDIFICACION, "B", False, PLAIN),
    (Category.OTRO, None, False, PLAIN),
    (Category.LICENCIA_FUNCIONAMIENTO, "alto", False, HIGH_RISK_BEFORE_ITSE),
    (Category.LICENCIA_FUNCIONAMIENTO, "muy_alto", False, HIGH_RISK_BEFORE_ITSE),
    (Category.LICENCIA_FUNCIONAMIENTO, "alto", True, PLAIN),
    (Category.LICENCIA_FUNCIONAMIENTO, "bajo", False, LOW_RISK_BEFORE_ITSE),
    (Category.LICENCIA_FUNCIONAMIENTO, "medio", False, LOW_RISK_BEFORE_ITSE),
    (Category.LICENCIA_FUNCIONAMIENTO, "medio", True, PLAIN),
]


def state(status: Status, category: Category = Category.PARTIDA, variant: str | None = None,
          itse_done: bool = False, balance: str = "0.00",
          observation_due_on: date | None = None, today: date = TODAY) -> ExpedienteState:
    return ExpedienteState(status=status, category=category, variant=variant,
                           itse_done=itse_done, balance=Decimal(balance),
                           observation_due=observation_due_on, today=today)


def arguments(action: Action) -> dict[str, str]:
    """Valid extra data for an action, so only the status can make it fail."""
    return {"note": "Falta el croquis", "area": "Defensa Civil",
            "inspection_result": "conforme"}


@pytest.mark.parametrize(("category", "variant", "itse_done", "table"), CASES)
def test_allowed_actions_follow_the_table(category: Category, variant: str | None,
                                          itse_done: bool, table: dict[Status, set[str]]
                                          ) -> None:
    for status, expected in table.items():
        due = TODAY if status is Status.OBSERVADO else None
        current = state(status, category, variant, itse_done, observation_due_on=due)
        assert set(allowed_actions(current)) == expected, status
        for action in Action:
            # The nulidad de oficio is a supervisor's operation, never a counter's button.
            nullity = action is Action.NULLIFY and status in (Status.APROBADO, Status.ENTREGADO)
            if str(action) in expected or nullity:
                check_action(current, action, "CAJ-2026-000001", **arguments(action))
                continue
            with pytest.raises(Conflict) as caught:
                check_action(current, action, "CAJ-2026-000001", **arguments(action))
            assert caught.value.code in ("illegal_transition", "action_blocked")
            assert "CAJ-2026-000001" in caught.value.message


@pytest.mark.parametrize(("action", "target"), [
    (Action.OBSERVE, Status.OBSERVADO), (Action.DERIVE, Status.EN_AREA),
    (Action.APPROVE, Status.APROBADO), (Action.DENY, Status.DENEGADO),
    (Action.CANCEL, Status.ANULADO),
])
def test_where_actions_lead(action: Action, target: Status) -> None:
    assert check_action(state(Status.RECIBIDO), action, "X", **arguments(action)) is target


def test_deliver_correct_and_inspect_targets() -> None:
    assert check_action(state(Status.APROBADO), Action.DELIVER, "X") is Status.ENTREGADO
    observed = ExpedienteState(status=Status.OBSERVADO, category=Category.PARTIDA, variant=None,
                               itse_done=False, balance=Decimal(0), observation_due=TODAY,
                               today=TODAY, resume_status=Status.EN_AREA)
    assert check_action(observed, Action.CORRECT, "X") is Status.EN_AREA
    high = state(Status.EN_AREA, Category.LICENCIA_FUNCIONAMIENTO, "alto")
    assert check_action(high, Action.INSPECT, "X", inspection_result="conforme") is (
        Status.EN_AREA)


def test_illegal_transition_names_the_status_and_what_is_allowed() -> None:
    with pytest.raises(Conflict) as caught:
        check_action(state(Status.OBSERVADO, observation_due_on=TODAY), Action.APPROVE,
                     "CAJ-2026-000007")
    assert caught.value.code == "illegal_transition"
    assert caught.value.message == (
        "No se puede aprobar el expediente CAJ-2026-000007: está «Observado». Ahora se puede: "
        "registrar la subsanación, denegar o anular.")
    with pytest.raises(Conflict) as caught:
        check_action(state(Status.ENTREGADO), Action.CANCEL, "CAJ-2026-000007", note="x")
    assert caught.value.message == (
        "No se puede anular el expediente CAJ-2026-000007: está «Entregado». Una aprobación "
        "solo se deja sin efecto con la nulidad de oficio (art. 213 del TUO de la Ley 27444 "
        "(DS 004-2019-JUS)), que declara un supervisor. Es un estado final: el expediente ya no "
        "admite cambios.")


def test_itse_messages_explain_the_order() -> None:
    low = state(Status.RECIBIDO, Category.LICENCIA_FUNCIONAMIENTO, "bajo")
    with pytest.raises(Conflict) as caught:
        check_action(low, Action.INSPECT, "N", inspection_result="conforme")
    assert "En riesgo bajo o medio la ITSE se registra después de aprobar" in (
        caught.value.message)
    high = state(Status.APROBADO, Category.LICENCIA_FUNCIONAMIENTO, "muy_alto", itse_done=True)
    with pytest.raises(Conflict) as caught:
        check_action(high, Action.INSPECT, "N", inspection_result="conforme")
    assert "ya tiene una ITSE conforme" in caught.value.message
    with pytest.raises(Conflict) as caught:
        check_action(state(Status.RECIBIDO), Action.INSPECT, "N", inspection_result="conforme")
    assert "la ITSE solo corresponde a licencias de funcionamiento" in caught.value.message
    with pytest.raises(Conflict) as caught:
        check_action(state(Status.EN_AREA, Category.LICENCIA_FUNCIONAMIENTO, "alto"),
                     Action.APPROVE, "N")
    assert caught.value.code == "action_blocked"
    assert "(ITSE) debe estar conforme antes de otorgar la licencia" in caught.value.message


def test_approval_waits_for_the_payment() -> None:
    unpaid = state(Status.RECIBIDO, balance="8.50")
    assert "approve" not in allowed_actions(unpaid)
    with pytest.raises(Conflict) as caught:
        check_action(unpaid, Action.APPROVE, "CAJ-2026-000003")
    assert caught.value.message == (
        "No se puede aprobar el expediente CAJ-2026-000003: falta pagar S/ 8.50 del derecho de "
        "trámite. Registre el pago antes de aprobar.")


def test_correction_after_its_deadline_is_refused() -> None:
    late = state(Status.OBSERVADO, observation_due_on=date(2026, 11, 24),
                 today=date(2026, 11, 25))
    assert allowed_actions(late) == ["deny", "cancel"]
    with pytest.raises(Conflict) as caught:
        check_action(late, Action.CORRECT, "CAJ-2026-000002")
    assert "venció el 24/11/2026" in caught.value.message
    assert "se tiene por no presentada" in caught.value.message
    on_time = state(Status.OBSERVADO, observation_due_on=date(2026, 11, 24),
                    today=date(2026, 11, 24))
    assert "correct" in allowed_actions(on_time)


@pytest.mark.parametrize(("action", "kwargs", "code"), [
    (Action.OBSERVE, {}, "note_required"),
    (Action.OBSERVE, {"note": "   "}, "note_required"),
    (Action.DENY, {}, "note_required"),
    (Action.CANCEL, {}, "note_required"),
    (Action.DERIVE, {}, "area_required"),
])
def test_notes_and_areas_are_required(action: Action, kwargs: dict[str, str], code: str
                                      ) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_action(state(Status.RECIBIDO), action, "N", **kwargs)
    assert caught.value.code == code and caught.value.message


def test_inspection_needs_a_result_and_a_note_when_not_conforme() -> None:
    high = state(Status.RECIBIDO, Category.LICENCIA_FUNCIONAMIENTO, "alto")
    with pytest.raises(InvalidInput) as caught:
        check_action(high, Action.INSPECT, "N")
    assert caught.value.code == "inspection_result_required"
    with pytest.raises(InvalidInput) as caught:
        check_action(high, Action.INSPECT, "N", inspection_result="no_conforme")
    assert caught.value.code == "note_required"
    assert check_action(high, Action.INSPECT, "N", inspection_result="no_conforme",
                        note="Sin extintores") is Status.RECIBIDO


# --- deadline clock ----------------------------------------------------------------------


def test_observation_gives_two_working_days() -> None:
    # Fri 20 Nov 2026 → Mon 23, Tue 24.
    assert observation_due(CALENDAR, date(2026, 11, 20)) == date(2026, 11, 24)
    # Fri 4 Dec 2026 → Mon 7, (Tue 8 and Wed 9 Dec are holidays) Thu 10.
    assert observation_due(CALENDAR, date(2026, 12, 4)) == date(2026, 12, 10)
    # Observed on Saturday 21 Nov: counts from Monday 23 → Tue 24, Wed 25.
    assert observation_due(CALENDAR, date(2026, 11, 21)) == date(2026, 11, 25)


def test_a_correction_moves_the_due_date_by_the_days_stopped() -> None:
    # Observed Fri 4 Dec, corrected Thu 10 Dec: Mon 7 and Thu 10 are working days → 2 days.
    # The due date Mon 14 Dec moves 2 working days: Tue 15, Wed 16.
    resumed = resume_clock(CALENDAR, date(2026, 12, 14), date(2026, 12, 4), date(2026, 12, 10))
    assert (resumed.stopped_working_days, resumed.due_date) == (2, date(2026, 12, 16))
    # Corrected the same day: nothing stops.
    same_day = resume_clock(CALENDAR, date(2026, 12, 14), date(2026, 12, 4), date(2026, 12, 4))
    assert (same_day.stopped_working_days, same_day.due_date) == (0, date(2026, 12, 14))
    # Across Christmas: observed Wed 23 Dec, corrected Mon 28 Dec → Thu 24, Mon 28 = 2 days;
    # due Thu 31 Dec moves 2 working days: (Fri 1 Jan holiday, weekend) Mon 4, Tue 5 Jan 2027.
    late = resume_clock(CALENDAR, date(2026, 12, 31), date(2026, 12, 23), date(2026, 12, 28))
    assert (late.stopped_working_days, late.due_date) == (2, date(2027, 1, 5))


def test_silencio_positivo_and_overdue() -> None:
    positive = "evaluacion_previa_silencio_positivo"
    due = date(2026, 11, 24)
    after = date(2026, 11, 25)
    assert not silencio_positivo(positive, Status.RECIBIDO, due, due)  # the last day still counts
    assert silencio_positivo(positive, Status.RECIBIDO, after, due)
    assert silencio_positivo(positive, Status.EN_AREA, after, due)
    assert not silencio_positivo(positive, Status.OBSERVADO, after, due)  # the clock stopped
    assert not silencio_positivo(positive, Status.APROBADO, after, due)  # decided
    assert not silencio_positivo("evaluacion_previa_silencio_negativo", Status.RECIBIDO, after,
                                 due)
    assert not silencio_positivo("aprobacion_automatica", Status.RECIBIDO, after, due)
    assert overdue(Status.RECIBIDO, after, due)
    assert overdue(Status.EN_AREA, after, due)
    assert not overdue(Status.RECIBIDO, due, due)
    assert not overdue(Status.OBSERVADO, after, due)
    assert not overdue(Status.ENTREGADO, after, due)


# --- requirements, numbers, codes -------------------------------------------------------


def test_missing_requirements_leave_the_fee_to_the_payment() -> None:
    requirements = [("Solicitud.", True), ("Exhibir el DNI.", True),
                    ("Carta poder, si la pide un tercero.", False),
                    ("Pago del derecho de trámite.", True)]
    assert missing_requirements(requirements, {1}) == [2]
    assert missing_requirements(requirements, {1, 2}) == []
    assert is_fee_requirement("Pago del derecho de trámite y de la revisión por la Comisión")
    assert not is_fee_requirement("Solicitud con pago adjunto")


def test_numbers() -> None:
    assert expediente_number("CAJ", 2026, 123) == "CAJ-2026-000123"
    assert receipt_number("CAJ", 2026, 45) == "CAJ-R-2026-000045"


def test_tracking_codes_are_random_and_forgiving() -> None:
    codes = {new_tracking_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == TRACKING_LENGTH and set(c) <= set(TRACKING_ALPHABET) for c in codes)
    assert TRACKING_LENGTH * math.log2(len(TRACKING_ALPHABET)) >= 60
    code = "7K3QD9XM2AVB8"
    assert format_tracking_code(code) == "7K3QD-9XM2A-VB8"
    assert parse_reference("7k3qd-9xm2a-vb8") == (None, code)
    assert parse_reference(" 7K3QD 9XM2A VB8 ") == (None, code)
    assert parse_reference("1O1LI00000000") == (None, "1011100000000")  # O→0, I/L→1
    assert parse_reference("caj-2026-123") == ("CAJ-2026-000123", None)
    # A number may also read as a code: the lookup tries the number first.
    assert parse_reference("CAJ-2026-000123") == ("CAJ-2026-000123", "CAJ2026000123")
    assert parse_reference("") == (None, None)
    assert parse_reference("a/b") == (None, None)


def test_age_on() -> None:
    assert age_on(date(2008, 11, 21), date(2026, 11, 20)) == 17
    assert age_on(date(2008, 11, 21), date(2026, 11, 21)) == 18
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


# --- procedure variants ------------------------------------------------------------------


def test_variants_are_checked_per_category() -> None:
    assert check_variant(Category.LICENCIA_FUNCIONAMIENTO, "muy_alto") == "muy_alto"
    assert check_variant(Category.LICENCIA_EDIFICACION, "C") == "C"
    assert check_variant(Category.PARTIDA, "defuncion") == "defuncion"
    assert check_variant(Category.PARTIDA, None) is None
    with pytest.raises(InvalidInput) as caught:
        check_variant(Category.LICENCIA_FUNCIONAMIENTO, "C")
    assert caught.value.message == (
        "Valor no permitido para «variant» (el nivel de riesgo): «C». Use uno de: bajo, medio, "
        "alto, muy_alto.")
    with pytest.raises(InvalidInput) as caught:
        check_variant(Category.OTRO, "bajo")
    assert "no lleva «variant»" in caught.value.message


def test_a_definition_keeps_its_variant() -> None:
    row = {"code": "LE-B", "name": "Licencia de edificación — modalidad B",
           "category": "licencia_edificacion", "variant": "B", "area": "Obras",
           "effective_from": "2025-01-01", "fee_kind": "fixed", "fee_value": "10.00",
           "deadline_working_days": 15, "calificacion": "evaluacion_previa_silencio_positivo",
           "requirements": ["FUE"]}
    assert parse_definition(row).variant == "B"
    with pytest.raises(InvalidInput) as caught:
        parse_definition({**row, "variant": "E"})
    assert "la modalidad" in caught.value.message
