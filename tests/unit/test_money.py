"""Fees in soles: two decimals, half up, fixed or a percentage of the filing year's UIT."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.errors import Conflict, InvalidInput
from kiosk.rules.money import Fee, FeeKind, format_soles, soles, uit_for, validate_uit

UIT = {2025: Decimal("5350.00"), 2026: Decimal("5500.00")}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("263.2025", "263.20"), ("0.005", "0.01"), ("2.675", "2.68"), ("420.299", "420.30"),
     ("8.5", "8.50"), (7, "7.00"), ("1.004999", "1.00")],
)
def test_soles_round_half_up_to_two_decimals(raw: str | int, expected: str) -> None:
    assert str(soles(raw)) == expected


def test_format_soles() -> None:
    assert format_soles(Decimal("5500")) == "S/ 5,500.00"
    assert format_soles(Decimal("8.5")) == "S/ 8.50"
    assert format_soles(Decimal("1234567.891")) == "S/ 1,234,567.89"


@pytest.mark.parametrize(
    ("kind", "value", "year", "amount", "basis"),
    [
        ("uit_pct", "4.7855", 2026, "263.20", "4.7855 % de la UIT 2026 (S/ 5,500.00)"),
        ("uit_pct", "7.6418", 2026, "420.30", "7.6418 % de la UIT 2026 (S/ 5,500.00)"),
        ("uit_pct", "4.7855", 2025, "256.02", "4.7855 % de la UIT 2025 (S/ 5,350.00)"),
        ("uit_pct", 4.7855, 2026, "263.20", "4.7855 % de la UIT 2026 (S/ 5,500.00)"),
        ("fixed", "8.50", 2026, "8.50", "Monto fijo"),
        ("fixed", 10, 2026, "10.00", "Monto fijo"),
        ("fixed", "0", 2026, "0.00", "Gratuito"),
        ("uit_pct", "0", 2030, "0.00", "Gratuito"),  # free: no UIT needed, even unknown years
    ],
)
def test_fee_amount_and_basis(kind: str, value: object, year: int, amount: str,
                              basis: str) -> None:
    fee = Fee.parse(kind, value)
    uit = uit_for(year, UIT) if fee.needs_uit else None
    assert str(fee.amount(uit)) == amount
    assert fee.basis(year, uit) == basis


def test_fee_values_keep_their_decimals() -> None:
    assert str(Fee.parse("fixed", "8.50").value) == "8.50"
    assert Fee.parse("fixed", "8.50") == Fee(FeeKind.FIXED, Decimal("8.5"))  # same amount


@pytest.mark.parametrize(
    ("kind", "value", "fragment"),
    [
        ("percent", "1", "Tipo de derecho de trámite desconocido"),
        ("fixed", "-1", "no puede ser negativo"),
        ("fixed", "8.505", "dos decimales"),
        ("fixed", "abc", "no es un número válido"),
        ("fixed", True, "debe ser un número"),
        ("fixed", None, "debe ser un número"),
        ("fixed", "NaN", "no es un número válido"),
        ("fixed", "250000", "excede el máximo"),
        ("uit_pct", "1.1234567", "decimales"),
        ("uit_pct", "1500", "excede el máximo"),
    ],
)
def test_bad_fees_are_refused_in_spanish(kind: str, value: object, fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        Fee.parse(kind, value)
    assert fragment in caught.value.message


def test_a_year_without_uit_is_a_clear_error() -> None:
    with pytest.raises(Conflict) as caught:
        uit_for(2027, UIT)
    assert caught.value.code == "uit_missing"
    assert "UIT del año 2027" in caught.value.message


def test_validate_uit() -> None:
    assert validate_uit(2027, "5600") == (2027, Decimal("5600.00"))
    for year, amount in ((2027, "0"), (2027, "5600.001"), ("2027", "5600"), (1800, "1")):
        with pytest.raises(InvalidInput):
            validate_uit(year, amount)


@given(pct=st.decimals(min_value=0, max_value=100, places=4),
       uit=st.sampled_from(sorted(UIT.values())))
def test_uit_fees_are_exact_cents_within_half_a_cent(pct: Decimal, uit: Decimal) -> None:
    amount = Fee(FeeKind.UIT_PCT, pct).amount(uit)
    assert amount == amount.quantize(Decimal("0.01"))
    assert abs(amount - uit * pct / 100) <= Decimal("0.005")
