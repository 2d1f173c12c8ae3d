"""The ITSE (Inspección Técnica de Seguridad en Edificaciones) of a licencia de funcionamiento:
when it is due after the licence, and how long its certificate is valid.

Pure rules (no database); the figures are data with their source (docs/decisions.md, record
on the ITSE):

- Risk bajo and medio: the ITSE comes after the licence (ITSE posterior), DS 002-2018-PCM
  (Reglamento de ITSE) art. 18.1 and art. 15.1; alto and muy alto before it (art. 18.2).
- Its due date: `ITSE_POSTERIOR_WORKING_DAYS` working days from the licence's approval, counted
  on the office's calendar like any deadline (kiosk/rules/calendar.py). The figure, 9, is the
  one PERU-RULES.md reports from a provincial TUPA: unconfirmed in the reglamento itself, so it
  is a row here, not a constant spread through the code.
- The certificate is valid two years from its date of issue: Ley 30619 (art. 11 of Ley 28976)
  and DS 002-2018-PCM art. 15.4 («vigencia de dos (2) años contados a partir de su fecha de
  expedición»). A period in years ends on the same day of the month of the last year, or on
  that month's last day when it lacks it (Código Civil art. 183.3): issued 29 Feb 2024, it is
  valid through 28 Feb 2026.
"""

from __future__ import annotations

import calendar as gregorian
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from kiosk.rules.calendar import WorkingCalendar


@dataclass(frozen=True)
class ItseTerm:
    """A figure the ITSE rules use, with where it comes from."""

    value: int
    source: str
    confirmed: bool


ITSE_POSTERIOR_WORKING_DAYS = ItseTerm(
    9, "TUPA provincial citado en PERU-RULES.md (plazo de la ITSE posterior a la licencia)",
    confirmed=False)
CERTIFICATE_VALIDITY_YEARS = ItseTerm(
    2, "Ley 30619 (art. 11 de la Ley 28976); DS 002-2018-PCM art. 15.4", confirmed=True)
# How far ahead the supervisor is told a certificate is about to expire: the office's choice
# (no law sets it), enough to ask for the renewal in time.
EXPIRY_WARNING_DAYS = 30

# Risk levels whose ITSE comes after the licence (DS 002-2018-PCM art. 18.1).
POSTERIOR_RISKS = frozenset({"bajo", "medio"})


class CertificateState(StrEnum):
    VIGENTE = "vigente"
    POR_VENCER = "por_vencer"
    VENCIDO = "vencido"


STATE_TEXT = {
    CertificateState.VIGENTE: "Vigente",
    CertificateState.POR_VENCER: "Por vencer",
    CertificateState.VENCIDO: "Vencido",
}


def itse_due(calendar: WorkingCalendar, approved_on: date) -> date:
    """The last day for the ITSE posterior of a licence approved on `approved_on` (the
    office's local date): counted like a deadline filed that day."""
    return calendar.add_working_days(approved_on, ITSE_POSTERIOR_WORKING_DAYS.value)


def itse_overdue(calendar: WorkingCalendar, approved_on: date, today: date) -> bool:
    return today > itse_due(calendar, approved_on)


def add_years(day: date, years: int) -> date:
    """The same day `years` later; the month's last day when that month lacks it (29 Feb)."""
    year = day.year + years
    return date(year, day.month, min(day.day, gregorian.monthrange(year, day.month)[1]))


def certificate_valid_until(issued_on: date) -> date:
    """The last day a certificate issued on `issued_on` is valid (the period ends that day)."""
    return add_years(issued_on, CERTIFICATE_VALIDITY_YEARS.value)


def certificate_state(valid_until: date, today: date) -> CertificateState:
    if today > valid_until:
        return CertificateState.VENCIDO
    if valid_until - today <= timedelta(days=EXPIRY_WARNING_DAYS):
        return CertificateState.POR_VENCER
    return CertificateState.VIGENTE
