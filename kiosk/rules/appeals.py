"""Appeals against the decision on an expediente: recurso de reconsideración and de apelación.

Pure rules (no database). TUO de la Ley 27444 (DS 004-2019-JUS), as `APPEAL_LAW` cites it:
art. 218.2, 15 working days to file from the notification of the decision (perentorio) and 30
to decide; art. 219, the reconsideración before the authority that decided; art. 220, the
apelación before its superior, also after a reconsideración was declared infundado or
improcedente; art. 222, once the term passes the decision is firme. The terms of each
procedure's TUPA row (`kiosk.rules.procedures.Appeal`) apply; where the row gives none, the
law's own (every procedure is appealable). What may be appealed: a denial, an approval the
citizen contests (in part) and a nulidad de oficio. One appeal is in process at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kiosk.errors import Conflict, InvalidInput
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.expedientes import Status
from kiosk.rules.procedures import APPEAL_NAMES, Appeal, AppealKind
from kiosk.rules.tupa_law import APPEAL_LAW

FIRME_ARTICLE = "TUO de la Ley 27444 (DS 004-2019-JUS), art. 222"


class AppealOutcome(StrEnum):
    FUNDADO = "fundado"
    INFUNDADO = "infundado"
    IMPROCEDENTE = "improcedente"


OUTCOME_TEXT = {
    AppealOutcome.FUNDADO: "Fundado",
    AppealOutcome.INFUNDADO: "Infundado",
    AppealOutcome.IMPROCEDENTE: "Improcedente",
}

# The decisions a citizen may appeal, by the status they left, as people name them.
APPEALABLE = {
    Status.DENEGADO: "la denegatoria",
    Status.APROBADO: "la aprobación",
    Status.ENTREGADO: "la aprobación",
    Status.NULO: "la nulidad de oficio",
}


def terms_for(kind: AppealKind, authority: str | None, appeals: Sequence[Appeal]) -> Appeal:
    """The terms of an appeal of `kind`: the procedure's TUPA row, else the law's (art. 218.2)
    with the authority art. 219/220 names."""
    for appeal in appeals:
        if appeal.kind is kind:
            return appeal
    if kind is AppealKind.RECONSIDERACION:
        by = authority or "La autoridad que emitió la decisión"
    else:
        by = (f"El superior jerárquico de {authority}" if authority
              else "El superior jerárquico de la autoridad que decidió")
    return Appeal(kind, by, APPEAL_LAW.filing_working_days,
                  APPEAL_LAW.max_resolution_working_days)


def article_of(kind: AppealKind) -> str:
    return (APPEAL_LAW.reconsideracion_article if kind is AppealKind.RECONSIDERACION
            else APPEAL_LAW.apelacion_article)


@dataclass(frozen=True)
class PastAppeal:
    """An appeal already filed on the expediente."""

    kind: AppealKind
    outcome: AppealOutcome | None  # None: in process
    decided_on: date | None


@dataclass(frozen=True)
class Filing:
    """What an appeal filed now is against and its dates."""

    against: str  # the decision, as people name it
    notified_on: date  # the notification its filing term counts from
    filing_due: date  # last day to file it
    due_date: date  # last day to decide it


def filing_due(calendar: WorkingCalendar, notified_on: date, terms: Appeal) -> date:
    """Last day to file: `filing_working_days` working days after the notification."""
    return calendar.add_working_days(notified_on, terms.filing_working_days)


def check_filing(calendar: WorkingCalendar, *, number: str, status: Status, kind: AppealKind,
                 terms: Appeal, decided_on: date, notified_on: date | None,
                 past: Sequence[PastAppeal], filed_on: date) -> Filing:
    """Whether an appeal of `kind` may be filed on `filed_on` (the effective filing day), or a
    Spanish refusal naming the article. `decided_on`: the day of the decision appealed (the
    expediente's, or a reconsideración's); `notified_on`: when the citizen was notified of it
    (None: on that day)."""
    name = f"el recurso de {APPEAL_NAMES[kind].lower()}"
    head = f"No se puede registrar {name} del expediente {number}"
    if status not in APPEALABLE:
        raise Conflict("not_appealable",
                       f"{head}: aún no hay una decisión que impugnar (está en trámite). Se "
                       "impugna una denegatoria, una aprobación o una nulidad de oficio.")
    if any(p.outcome is None for p in past):
        raise Conflict("appeal_in_process",
                       f"{head}: ya tiene un recurso en trámite. Se presenta otro cuando ese se "
                       "resuelva.")
    if any(p.kind is AppealKind.APELACION for p in past):
        raise Conflict("appeals_exhausted",
                       f"{head}: el recurso de apelación ya se resolvió y agotó la vía "
                       "administrativa (TUO de la Ley 27444, art. 228).")
    if kind is AppealKind.RECONSIDERACION and past:
        raise Conflict("reconsideration_done",
                       f"{head}: la reconsideración ya se presentó y se resolvió. Contra esa "
                       f"resolución cabe la apelación ({APPEAL_LAW.apelacion_article}).")
    if past and past[-1].outcome is AppealOutcome.FUNDADO:
        raise Conflict("appeal_granted",
                       f"{head}: la reconsideración fue declarada fundada; no hay decisión "
                       "contraria que apelar.")
    notified = notified_on or decided_on
    if notified < decided_on:
        raise InvalidInput("invalid_notification",
                           f"La notificación ({notified:%d/%m/%Y}) no puede ser anterior a la "
                           f"decisión ({decided_on:%d/%m/%Y}).")
    if notified > filed_on:
        raise InvalidInput("invalid_notification",
                           f"La fecha de notificación ({notified:%d/%m/%Y}) no puede ser "
                           "posterior a hoy.")
    last = filing_due(calendar, notified, terms)
    if filed_on > last:
        raise Conflict("appeal_late",
                       f"{head}: el plazo para interponerlo venció el {last:%d/%m/%Y} "
                       f"({terms.filing_working_days} días hábiles desde la notificación del "
                       f"{notified:%d/%m/%Y}, {APPEAL_LAW.days_article}). La decisión quedó "
                       f"firme ({FIRME_ARTICLE}).")
    against = APPEALABLE[status] if not past else "la resolución de la reconsideración"
    return Filing(against, notified, last,
                  calendar.add_working_days(filed_on, terms.resolution_working_days))


def status_after(outcome: AppealOutcome, status: Status, before_nullity: Status | None
                 ) -> Status:
    """The expediente's status once its appeal is decided. Fundado against a denial: the
    request is granted (approved); against a nulidad de oficio: the nulidad is left without
    effect (the approval it undid is back). Fundado against an approval changes its content,
    not its status; infundado and improcedente leave the decision as it was."""
    if outcome is not AppealOutcome.FUNDADO:
        return status
    if status is Status.DENEGADO:
        return Status.APROBADO
    if status is Status.NULO:
        return before_nullity or Status.APROBADO
    return status


def appeal_overdue(outcome: AppealOutcome | None, today: date, due: date) -> bool:
    """In process past its due date (art. 218.2: 30 working days to decide)."""
    return outcome is None and today > due
