"""Licencia de edificación, modalidades C and D: the project's review before the licence.

Pure rules (no database); the figures are data with their source (docs/decisions.md, record
37). Ley 29090 (TUO, DS 006-2017-VIVIENDA) art. 10: modalidades C and D are approved with a
prior evaluation of the project by the municipality's Comisión Técnica or by Revisores
Urbanos. The Comisión issues a dictamen — conforme, conforme con observaciones or no
conforme — within its own term (Reglamento de Licencias de Habilitación Urbana y Licencias
de Edificación, DS 029-2019-VIVIENDA); the licence cannot be granted before a favourable
dictamen. With Revisores Urbanos the citizen files the project already reviewed (their
Informe Técnico Favorable): there is no Comisión step.

The review's due date is counted like any deadline on the office's calendar (kiosk/rules/
calendar.py) from the filing, and moves by the working days an observation stopped the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from kiosk.rules.calendar import WorkingCalendar


class Evaluacion(StrEnum):
    """Who reviews the project of a modalidad C or D."""

    COMISION_TECNICA = "comision_tecnica"
    REVISORES_URBANOS = "revisores_urbanos"


EVALUACION_TEXT: dict[str, str] = {
    Evaluacion.COMISION_TECNICA: "Comisión Técnica de la municipalidad",
    Evaluacion.REVISORES_URBANOS: "Revisores Urbanos (informe técnico favorable)",
}


class Dictamen(StrEnum):
    CONFORME = "conforme"
    CONFORME_CON_OBSERVACIONES = "conforme_con_observaciones"
    NO_CONFORME = "no_conforme"


DICTAMEN_TEXT = {
    Dictamen.CONFORME: "Conforme",
    Dictamen.CONFORME_CON_OBSERVACIONES: "Conforme con observaciones",
    Dictamen.NO_CONFORME: "No conforme",
}
# A dictamen that lets the licence be granted; «no conforme» asks the project corrected and
# reviewed again (a new dictamen).
FAVOURABLE = frozenset({Dictamen.CONFORME, Dictamen.CONFORME_CON_OBSERVACIONES})
# Dictámenes that carry observations the citizen must read: the note is required.
NOTE_REQUIRED = frozenset({Dictamen.CONFORME_CON_OBSERVACIONES, Dictamen.NO_CONFORME})


@dataclass(frozen=True)
class ReviewTerm:
    """The Comisión Técnica's term for its dictamen, with where it is written."""

    working_days: int
    source: str
    confirmed: bool


REGLAMENTO = ("Reglamento de Licencias de Habilitación Urbana y Licencias de Edificación "
              "(DS 029-2019-VIVIENDA)")
LAW_ARTICLE = "art. 10 del TUO de la Ley 29090 (DS 006-2017-VIVIENDA)"
# Modalidad → the term. Neither figure could be confirmed from the reglamento's text here
# (record 37): they are rows to correct, never constants spread through the code.
REVIEW_TERMS: dict[str, ReviewTerm] = {
    "C": ReviewTerm(15, f"{REGLAMENTO}, procedimiento de la modalidad C con evaluación "
                        "previa por la Comisión Técnica", confirmed=False),
    "D": ReviewTerm(20, f"{REGLAMENTO}, procedimiento de la modalidad D con evaluación "
                        "previa por la Comisión Técnica", confirmed=False),
}


def review_required(category: str, variant: str | None, evaluacion: str | None) -> bool:
    """A licencia de edificación C or D whose project the Comisión Técnica reviews (the
    default when the filing does not say Revisores Urbanos)."""
    return (category == "licencia_edificacion" and variant in REVIEW_TERMS
            and evaluacion != Evaluacion.REVISORES_URBANOS)


def review_due(calendar: WorkingCalendar, filed_at: datetime | date, modalidad: str,
               stopped_working_days: int = 0) -> date:
    """The last day for the Comisión's dictamen: its term from the (effective) filing day,
    plus the working days an observation stopped the clock."""
    term = REVIEW_TERMS[modalidad].working_days
    return calendar.add_working_days(filed_at, term + stopped_working_days)


def review_overdue(due: date, today: date, dictamen: str | None) -> bool:
    """Past its due date without any dictamen. After a «no conforme» the corrected project
    is the citizen's to bring: the office is not late meanwhile."""
    return today > due and dictamen is None
