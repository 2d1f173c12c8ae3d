"""What each category's law allows a TUPA row to say, as one table with its articles.

A catalogue import refuses a row that breaks a rule, naming the article; a row already stored
that breaks one is kept as it is (filings keep their version) and the supervisor is warned
until the catalogue is corrected (`kiosk.services.tupa.law_alerts`). docs/decisions.md says
which figures are confirmed from the current texts and which are not.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.errors import InvalidInput
from kiosk.rules.procedures import (
    APPEAL_NAMES,
    CALIFICACION_TEXT,
    Appeal,
    AppealKind,
    Calificacion,
    Category,
)

LF_LAW = "TUO de la Ley 28976, Ley Marco de Licencia de Funcionamiento (DS 163-2020-PCM), art. 8"
LE_LAW = "TUO de la Ley 29090 (DS 006-2017-VIVIENDA), art. 10"
LE_SILENCE = "Ley 29476 (silencio administrativo positivo en las licencias de edificación)"
APPEALS_LAW = "TUO de la Ley 27444 (DS 004-2019-JUS)"


@dataclass(frozen=True)
class LawRule:
    """One row: procedures of `category` (and of `variants`, every one when None)."""

    category: Category
    variants: frozenset[str] | None
    calificaciones: frozenset[Calificacion]  # the ones the law allows
    max_deadline_working_days: int | None  # None: the law sets no ceiling we enforce
    article: str  # cited in the refusal, in Spanish
    what: str  # how the refusal names the procedure, in Spanish


_SP = frozenset({Calificacion.SILENCIO_POSITIVO})
_AUTO = frozenset({Calificacion.APROBACION_AUTOMATICA})

# The table. A new law, or a confirmed figure, changes a row here.
LAW_RULES: tuple[LawRule, ...] = (
    # Evaluación previa with silencio positivo, at most 15 working days, whatever the risk
    # level; a row per level so that a figure confirmed for one level changes one row.
    *(LawRule(Category.LICENCIA_FUNCIONAMIENTO, frozenset({risk}), _SP, 15, LF_LAW,
              f"una licencia de funcionamiento (riesgo {label})")
      for risk, label in (("bajo", "bajo"), ("medio", "medio"), ("alto", "alto"),
                          ("muy_alto", "muy alto"))),
    LawRule(Category.LICENCIA_FUNCIONAMIENTO, None, _SP, 15, LF_LAW,
            "una licencia de funcionamiento"),
    # Modalidad A: aprobación automática with the professionals' signatures; B, C and D are
    # evaluated (by the municipality, the Comisión Técnica or Revisores Urbanos) under
    # silencio positivo. Deadlines are the Reglamento's (DS 029-2019-VIVIENDA), not checked.
    LawRule(Category.LICENCIA_EDIFICACION, frozenset({"A"}), _AUTO, None, LE_LAW,
            "una licencia de edificación de modalidad A"),
    *(LawRule(Category.LICENCIA_EDIFICACION, frozenset({m}), _SP, None,
              f"{LE_LAW}; {LE_SILENCE}", f"una licencia de edificación de modalidad {m}")
      for m in ("B", "C", "D")),
)


def rules_for(category: Category, variant: str | None) -> list[LawRule]:
    """The rows that apply: the variant's own, or when it is unknown the category-wide ones."""
    if variant is not None:
        own = [r for r in LAW_RULES if r.category is category and r.variants is not None
               and variant in r.variants]
        if own:
            return own
    return [r for r in LAW_RULES if r.category is category and r.variants is None]


def law_breaches(category: Category, variant: str | None, calificacion: Calificacion,
                 deadline_working_days: int) -> list[str]:
    """What a procedure's terms break, in Spanish sentences, each with its article; [] when
    lawful."""
    found = []
    for rule in rules_for(category, variant):
        what = rule.what[0].upper() + rule.what[1:]
        if calificacion not in rule.calificaciones:
            allowed = " o ".join(f"«{CALIFICACION_TEXT[c]}»" for c in
                                 sorted(rule.calificaciones))
            found.append(f"{what} no puede tener calificación "
                         f"«{CALIFICACION_TEXT[calificacion]}»; la ley dispone {allowed} "
                         f"({rule.article}).")
        ceiling = rule.max_deadline_working_days
        if ceiling is not None and deadline_working_days > ceiling:
            found.append(f"{what} tiene un plazo máximo de {ceiling} días hábiles, no "
                         f"{deadline_working_days} ({rule.article}).")
    return found


def check_law(category: Category, variant: str | None, calificacion: Calificacion,
              deadline_working_days: int) -> None:
    """Refuse terms that break the category's law, naming the article of each breach."""
    breaches = law_breaches(category, variant, calificacion, deadline_working_days)
    if breaches:
        raise InvalidInput("procedure_against_law",
                           f"Contrario a la ley. {' '.join(breaches)}")


@dataclass(frozen=True)
class AppealLaw:
    """The appeals against a decision, for every procedure (TUO Ley 27444)."""

    filing_working_days: int  # exactly: the term is perentorio, a TUPA may not change it
    max_resolution_working_days: int
    days_article: str
    # Reconsideración: before the same authority that decided (art. 219).
    reconsideracion_article: str
    # Apelación: decided by the superior of the authority that decided (art. 220).
    apelacion_article: str


APPEAL_LAW = AppealLaw(
    filing_working_days=15, max_resolution_working_days=30,
    days_article=f"{APPEALS_LAW}, art. 218.2",
    reconsideracion_article=f"{APPEALS_LAW}, art. 219",
    apelacion_article=f"{APPEALS_LAW}, art. 220")


def appeal_breaches(authority: str | None, appeals: tuple[Appeal, ...]) -> list[str]:
    """What a procedure's appeals break, in Spanish sentences with their articles."""
    law = APPEAL_LAW
    found = []
    for appeal in appeals:
        name = f"El recurso de {APPEAL_NAMES[appeal.kind].lower()}"
        if appeal.filing_working_days != law.filing_working_days:
            found.append(f"{name} se interpone en {law.filing_working_days} días hábiles, no "
                         f"{appeal.filing_working_days} ({law.days_article}).")
        if appeal.resolution_working_days > law.max_resolution_working_days:
            found.append(f"{name} se resuelve en {law.max_resolution_working_days} días "
                         f"hábiles como máximo, no {appeal.resolution_working_days} "
                         f"({law.days_article}).")
        same = appeal.authority.casefold() == (authority or "").casefold()
        if appeal.kind is AppealKind.RECONSIDERACION and not same:
            found.append(f"{name} lo resuelve la misma autoridad que decide el trámite "
                         f"(«{authority}»), no «{appeal.authority}» "
                         f"({law.reconsideracion_article}).")
        if appeal.kind is AppealKind.APELACION and same:
            found.append(f"{name} lo resuelve el superior jerárquico, no la misma autoridad "
                         f"que decide el trámite («{authority}») ({law.apelacion_article}).")
    return found


def check_appeals(authority: str | None, appeals: tuple[Appeal, ...]) -> None:
    breaches = appeal_breaches(authority, appeals)
    if breaches:
        raise InvalidInput("procedure_against_law",
                           f"Contrario a la ley. {' '.join(breaches)}")
