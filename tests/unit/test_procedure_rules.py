"""A TUPA procedure definition: what a catalogue row must say, and errors that name the field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from kiosk.errors import InvalidInput
from kiosk.rules.procedures import (
    Calificacion,
    Category,
    Requirement,
    normalize_code,
    parse_definition,
)


def row(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "code": "lf-01",
        "name": "Licencia de funcionamiento —  riesgo bajo",
        "category": "licencia_funcionamiento",
        "area": "Subgerencia de Licencias",
        "service": "licencias",
        "effective_from": date(2026, 1, 1),
        "fee_kind": "uit_pct",
        "fee_value": "4.7855",
        "deadline_working_days": 2,
        "calificacion": "evaluacion_previa_silencio_positivo",
        "requirements": [{"text": "Solicitud", "mandatory": True},
                         {"text": "Vigencia de poder", "mandatory": False},
                         "Pago del derecho"],
    }
    base.update(changes)
    return {key: value for key, value in base.items() if value is not ...}


def test_a_good_row() -> None:
    definition = parse_definition(row())
    assert definition.code == "LF-01"
    assert definition.name == "Licencia de funcionamiento — riesgo bajo"  # spaces collapsed
    assert definition.category is Category.LICENCIA_FUNCIONAMIENTO
    assert definition.terms.calificacion is Calificacion.SILENCIO_POSITIVO
    assert definition.terms.fee.value == Decimal("4.7855")
    assert definition.terms.requirements == (
        Requirement("Solicitud", True), Requirement("Vigencia de poder", False),
        Requirement("Pago del derecho", True))
    assert parse_definition(row(service=..., effective_from="2026-01-01")).service is None


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"fee_kind": ...}, "Falta el dato «fee_kind»"),
        ({"name": " "}, "«name»"),
        ({"category": "pasaporte"}, "«category»"),
        ({"calificacion": "silencio"}, "«calificacion»"),
        ({"deadline_working_days": -1}, "«deadline_working_days»"),
        ({"deadline_working_days": 2.5}, "«deadline_working_days»"),
        ({"deadline_working_days": True}, "«deadline_working_days»"),
        ({"effective_from": "01/01/2026"}, "«effective_from»"),
        ({"requirements": []}, "«requirements»"),
        ({"requirements": [{"text": "x", "mandatory": "si"}]}, "Requisito 1"),
        ({"requirements": [{"texto": "x"}]}, "«texto»"),
        ({"requirements": ["ok", {"text": "x" * 301}]}, "Requisito 2"),
        ({"code": "LF 01"}, "Código de trámite no válido"),
        ({"color": "rojo"}, "Dato desconocido «color»"),
        ({"fee_value": "-3"}, "negativo"),
    ],
)
def test_bad_rows_name_the_field(changes: dict[str, Any], fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_definition(row(**changes))
    assert fragment in caught.value.message


def test_codes_are_compared_in_capitals() -> None:
    assert normalize_code(" rc-01 ") == "RC-01"
    assert normalize_code("1.2") == "1.2"
    for bad in ("", "x" * 21, "a/b", "-A"):
        with pytest.raises(InvalidInput):
            normalize_code(bad)
