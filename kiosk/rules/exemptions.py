"""Fee exemptions (exoneraciones) and their legal basis, as data.

An exemption is chosen at filing, when the law makes the procedure free for that citizen; the
hub checks it applies to the procedure (`check_exemption`), the fee is reduced by what it
waives (`waived`), the receipt prints it with its legal basis and the cierre de caja and the
statistics count it apart from money taken. docs/decisions.md «Exoneraciones» says the
sources and what is unconfirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kiosk.errors import InvalidInput
from kiosk.rules.money import soles


@dataclass(frozen=True)
class Exemption:
    code: str
    name: str  # what the counter offers and the receipt prints, in Spanish
    basis: str  # the legal basis printed on the receipt
    category: str  # the procedure category it applies to (kiosk.rules.procedures.Category)
    variant: str | None  # and the variant (the acta of a partida); None: any
    copies: int  # certified copies it makes free (the rest are paid)


_LEY_29462 = ("Ley 29462, que establece la gratuidad de la inscripción del nacimiento y de la "
              "primera copia certificada del acta de nacimiento")

EXEMPTIONS: dict[str, Exemption] = {e.code: e for e in (
    Exemption("primera_copia_nacimiento", "Primera copia certificada del acta de nacimiento",
              _LEY_29462, "partida", "nacimiento", 1),
    Exemption("copia_para_dni", "Copia certificada del acta de nacimiento para tramitar el DNI",
              f"{_LEY_29462} (copia para el DNI)", "partida", "nacimiento", 1),
)}


def applicable(category: str, variant: str | None) -> list[Exemption]:
    """The exemptions a procedure of this category and variant may be filed with."""
    return [e for e in EXEMPTIONS.values()
            if e.category == category and e.variant in (None, variant)]


def check_exemption(code: str, procedure_code: str, procedure_name: str, category: str,
                    variant: str | None) -> Exemption:
    """The exemption `code`, when it applies to that procedure; else a Spanish refusal."""
    exemption = EXEMPTIONS.get(code)
    if exemption is None:
        known = ", ".join(EXEMPTIONS)
        raise InvalidInput("unknown_exemption",
                           f"Exoneración desconocida «{' '.join(code.split())[:40]}». Las que "
                           f"existen: {known}.")
    if exemption not in applicable(category, variant):
        raise InvalidInput("exemption_not_applicable",
                           f"La exoneración «{exemption.name}» ({exemption.basis}) no corresponde "
                           f"al trámite {procedure_code} «{procedure_name}».")
    return exemption


def waived(exemption: Exemption, unit_fee: Decimal, copies: int) -> Decimal:
    """What the exemption takes off a fee of `copies` copies at `unit_fee` each."""
    return soles(unit_fee * min(copies, exemption.copies))
