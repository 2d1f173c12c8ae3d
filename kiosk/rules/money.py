"""Fees in soles: exact decimals, two places, rounded half up (ARCHITECTURE §6).

A TUPA fee is either a fixed amount in soles or a percentage of the UIT of the year the
procedure is filed. The UIT of each year is data (table `uit_values`), never a constant here:
a year without its UIT is an error to report, never a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from kiosk.errors import Conflict, InvalidInput

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Bounds that catch typing mistakes in a catalogue file (a fee of a million soles is one).
MAX_FIXED_FEE = Decimal("100000.00")
MAX_UIT_PCT = Decimal("1000")  # over 100 % needs an exception regime (Ley 27444), but exists
MAX_PCT_DECIMALS = 6
MAX_UIT = Decimal("1000000.00")
# What a list, a counter and a printout say for a fee in % of a UIT that is not loaded yet
# (1 January, before central publishes the year's UIT): never a guessed amount.
FEE_PENDING = "Tasa por confirmar"


class FeeKind(StrEnum):
    UIT_PCT = "uit_pct"
    FIXED = "fixed"


def soles(value: Decimal | int | str) -> Decimal:
    """An amount in soles with exactly two decimals, rounded half up (S/ 263.2025 → 263.20)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_soles(amount: Decimal) -> str:
    """`S/ 5,500.00`: comma for thousands, point for decimals, as Peruvian receipts print."""
    return f"S/ {soles(amount):,.2f}"


def decimal_places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def parse_decimal(raw: object, field: str) -> Decimal:
    """A decimal from a catalogue value (text, integer or TOML float), never via binary floats.

    Floats are read through their shortest repr, so `4.7855` stays 4.7855; text is preferred
    because it keeps trailing zeros ("8.50").
    """
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise InvalidInput("invalid_amount", f"El campo «{field}» debe ser un número.")
    try:
        value = Decimal(repr(raw) if isinstance(raw, float) else str(raw).strip())
    except InvalidOperation:
        raise InvalidInput("invalid_amount",
                           f"El campo «{field}» no es un número válido: «{raw}».") from None
    if not value.is_finite():
        raise InvalidInput("invalid_amount", f"El campo «{field}» no es un número válido.")
    return value


@dataclass(frozen=True)
class Fee:
    """A procedure's fee as the TUPA states it."""

    kind: FeeKind
    value: Decimal  # soles when FIXED, percentage points of the UIT when UIT_PCT

    @classmethod
    def parse(cls, kind: str, raw: object) -> Fee:
        try:
            parsed = FeeKind(kind)
        except ValueError:
            raise InvalidInput(
                "invalid_fee_kind",
                f"Tipo de derecho de trámite desconocido «{kind}». Use: "
                f"{', '.join(FeeKind)}.") from None
        value = parse_decimal(raw, "fee_value")
        if value < 0:
            raise InvalidInput("invalid_fee", "El derecho de trámite no puede ser negativo.")
        if parsed is FeeKind.FIXED:
            if decimal_places(value) > 2:
                raise InvalidInput("invalid_fee",
                                   f"Un monto en soles lleva como máximo dos decimales: {value}.")
            if value > MAX_FIXED_FEE:
                raise InvalidInput("invalid_fee",
                                   f"El monto fijo {format_soles(value)} excede el máximo "
                                   f"permitido ({format_soles(MAX_FIXED_FEE)}).")
        else:
            if decimal_places(value) > MAX_PCT_DECIMALS:
                raise InvalidInput("invalid_fee",
                                   f"El porcentaje de la UIT lleva como máximo "
                                   f"{MAX_PCT_DECIMALS} decimales: {value}.")
            if value > MAX_UIT_PCT:
                raise InvalidInput("invalid_fee",
                                   f"El porcentaje de la UIT ({value} %) excede el máximo "
                                   f"permitido ({MAX_UIT_PCT} %).")
        return cls(parsed, value)

    @property
    def needs_uit(self) -> bool:
        return self.kind is FeeKind.UIT_PCT and self.value != 0

    def amount(self, uit: Decimal | None) -> Decimal:
        """The fee in soles; `uit` is the UIT of the filing year (needed for a % of the UIT)."""
        if self.kind is FeeKind.FIXED or self.value == 0:
            return soles(self.value)
        if uit is None:
            raise ValueError("a fee in % of the UIT needs the UIT of the filing year")
        return soles(uit * self.value / 100)

    def basis(self, year: int, uit: Decimal | None) -> str:
        """How the amount was reached, in Spanish, as the kiosk and the receipt show it.

        Without the UIT of `year` a fee in % of it is «tasa por confirmar»: the list says so
        and why, and a filing is refused (`uit_for`) rather than charged a guess.
        """
        if self.value == 0:
            return "Gratuito"
        if self.kind is FeeKind.FIXED:
            return "Monto fijo"
        if uit is None:
            return f"{FEE_PENDING}: {self.value:f} % de la UIT {year}, aún no publicada"
        return f"{self.value:f} % de la UIT {year} ({format_soles(uit)})"


def uit_for(year: int, table: Mapping[int, Decimal]) -> Decimal:
    """The UIT of a filing year, or a clear error when that year's value is not loaded."""
    try:
        return table[year]
    except KeyError:
        raise Conflict(
            "uit_missing",
            f"Tasa por confirmar: no está registrado el valor de la UIT del año {year}, así que "
            "no se puede calcular el derecho de trámite. No se registra el trámite ni se cobra "
            "un monto estimado; vuelva a intentarlo cuando la administración cargue la UIT del "
            "año (catálogo de la central o «cac catalogue import»).",
        ) from None


def validate_uit(year: object, amount: object) -> tuple[int, Decimal]:
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2200:
        raise InvalidInput("invalid_uit", f"Año de UIT no válido: «{year}».")
    value = parse_decimal(amount, "amount")
    if not 0 < value <= MAX_UIT or decimal_places(value) > 2:
        raise InvalidInput("invalid_uit",
                           f"Valor de la UIT {year} no válido: «{amount}» (soles, hasta dos "
                           "decimales).")
    return year, soles(value)
