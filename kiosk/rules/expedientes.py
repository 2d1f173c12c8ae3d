"""The life of an expediente: its statuses, what a clerk may do next, and its deadline clock.

Pure rules (no database). The services load an expediente, ask `check_action` what the action
leads to, then write the change and its event in one unit of work.

Statuses: recibido → (observado ⇄) → en_area → aprobado → entregado, with denegado and
anulado as the other ends, and nulo (nulidad de oficio) after an approval. Ley 27444: an
observation gives the citizen 2 working days to correct and stops the deadline clock
meanwhile; when the correction does not come in time the filing "se tiene por no presentado"
and the clerk cancels it. Licencia de funcionamiento (Ley
28976): the ITSE inspection comes before the licence for alto/muy alto risk and after it for
bajo/medio. Licencia de edificación C and D (Ley 29090): the Comisión Técnica's dictamen
(action «review», kiosk/rules/comision_tecnica.py) comes before the licence.

Outcomes the law decides (TUO de la Ley 27444, DS 004-2019-JUS; see `LAW`): a procedure of
aprobación automática is approved when it is filed complete and paid (art. 33), with
fiscalización posterior (art. 34); under silencio positivo the request is approved by law once
the deadline (plus the notification period, `SILENCE.notification_working_days`) passes without
a decision (art. 199.1). Neither may then be denied or cancelled: the office may only declare
its nulidad de oficio (art. 213), a transition of its own.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from kiosk.errors import Conflict, InvalidInput
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.comision_tecnica import DICTAMEN_TEXT, FAVOURABLE, LAW_ARTICLE, Dictamen
from kiosk.rules.comision_tecnica import NOTE_REQUIRED as DICTAMEN_NOTE_REQUIRED
from kiosk.rules.money import format_soles
from kiosk.rules.names import fold
from kiosk.rules.procedures import Calificacion, Category

OBSERVATION_WORKING_DAYS = 2  # Ley 27444: the citizen's time to correct an observation


class Status(StrEnum):
    RECIBIDO = "recibido"
    OBSERVADO = "observado"
    EN_AREA = "en_area"
    APROBADO = "aprobado"
    DENEGADO = "denegado"
    ENTREGADO = "entregado"
    ANULADO = "anulado"
    NULO = "nulo"  # nulidad de oficio of an approval (TUO Ley 27444 art. 213)


STATUS_TEXT = {
    Status.RECIBIDO: "Recibido",
    Status.OBSERVADO: "Observado",
    Status.EN_AREA: "En evaluación en el área",
    Status.APROBADO: "Aprobado",
    Status.DENEGADO: "Denegado",
    Status.ENTREGADO: "Entregado",
    Status.ANULADO: "Anulado",
    Status.NULO: "Nulo (nulidad de oficio)",
}

FINAL = frozenset({Status.DENEGADO, Status.ENTREGADO, Status.ANULADO, Status.NULO})


def receives_payments(status: str) -> bool:
    """A closed expediente (denied, delivered, annulled, void) takes no more payments."""
    return Status(status) not in FINAL

# The deadline clock runs in these (it stops while observado).
RUNNING = frozenset({Status.RECIBIDO, Status.EN_AREA})


class Action(StrEnum):
    OBSERVE = "observe"
    CORRECT = "correct"
    DERIVE = "derive"
    INSPECT = "inspect"
    APPROVE = "approve"
    DENY = "deny"
    DELIVER = "deliver"
    CANCEL = "cancel"
    # A partida filed "asking for a search": the acta the archive found is linked to it.
    LINK_ACTA = "link_acta"
    # Nulidad de oficio of an approved expediente: its own operation and right (not a clerk's).
    NULLIFY = "nullify"
    # Edificación C and D: the Comisión Técnica's dictamen on the project (before approval).
    REVIEW = "review"


# "No se puede <verb> ..." and the buttons' wording.
ACTION_VERB = {
    Action.OBSERVE: "observar",
    Action.CORRECT: "registrar la subsanación",
    Action.DERIVE: "derivar",
    Action.INSPECT: "registrar la inspección (ITSE)",
    Action.APPROVE: "aprobar",
    Action.DENY: "denegar",
    Action.DELIVER: "entregar",
    Action.CANCEL: "anular",
    Action.LINK_ACTA: "vincular el acta",
    Action.NULLIFY: "declarar nulo",
    Action.REVIEW: "registrar el dictamen de la Comisión Técnica",
}

# The event each action records (stream "expediente").
ACTION_EVENT = {
    Action.OBSERVE: "observed",
    Action.CORRECT: "corrected",
    Action.DERIVE: "derived",
    Action.INSPECT: "inspected",
    Action.APPROVE: "approved",
    Action.DENY: "denied",
    Action.DELIVER: "delivered",
    Action.CANCEL: "cancelled",
    Action.LINK_ACTA: "acta_linked",
    Action.NULLIFY: "nullified",
    Action.REVIEW: "reviewed",
}

# Approvals the law makes, not a clerk: events recorded by the hub (stream "expediente").
APPROVED_AUTOMATICALLY = "approved_automatically"
SILENCE_OPERATED = "silence_operated"
LEGAL_APPROVALS = frozenset({APPROVED_AUTOMATICALLY, SILENCE_OPERATED})
# Recursos against the decision (kiosk/rules/appeals.py): filed, then decided.
APPEAL_FILED = "appeal_filed"
APPEAL_DECIDED = "appeal_decided"

EVENT_TEXT = {
    "received": "Recibido",
    "observed": "Observado",
    "corrected": "Subsanado",
    "derived": "Derivado",
    "inspected": "Inspección ITSE registrada",
    "approved": "Aprobado",
    "denied": "Denegado",
    "delivered": "Entregado",
    "cancelled": "Anulado",
    "paid": "Pago registrado",
    "attached": "Documento adjuntado",
    "acta_linked": "Acta vinculada",
    "document_issued": "Documento emitido",
    "document_signed": "Documento firmado digitalmente",
    "due_date_moved": "Plazo recalculado (nuevo día no laborable)",
    "nullified": "Nulidad de oficio declarada",
    "reviewed": "Dictamen de la Comisión Técnica registrado",
    APPROVED_AUTOMATICALLY: "Aprobado (aprobación automática)",
    SILENCE_OPERATED: "Aprobado por silencio administrativo positivo",
    APPEAL_FILED: "Recurso presentado",
    APPEAL_DECIDED: "Recurso resuelto",
}


@dataclass(frozen=True)
class LegalRule:
    """A rule of the TUO de la Ley 27444 as data: where it is written and its figures."""

    article: str  # as people cite it, in Spanish
    notification_working_days: int = 0


TUO = "TUO de la Ley 27444 (DS 004-2019-JUS)"
LAW = {
    "aprobacion_automatica": LegalRule(f"art. 33 del {TUO}"),
    "fiscalizacion_posterior": LegalRule(f"art. 34 del {TUO}"),
    "nulidad_de_oficio": LegalRule(f"art. 213 del {TUO}"),
}
# Art. 199.1: approved by law when the deadline passes, "al que se adicionará el plazo máximo
# señalado en el numeral 24.1 del artículo 24" (the 5 days to notify a decision) without a
# notified decision. Not confirmed from the current text here (docs/decisions.md): the
# notification period stays 0, as the office counted until now (the day after the due date).
SILENCE = LegalRule(f"art. 199.1 del {TUO}", notification_working_days=0)

HIGH_RISK = frozenset({"alto", "muy_alto"})
LOW_RISK = frozenset({"bajo", "medio"})

# Where each action may start from (before the per-procedure conditions below).
_FROM: dict[Action, frozenset[Status]] = {
    Action.OBSERVE: frozenset({Status.RECIBIDO, Status.EN_AREA}),
    Action.CORRECT: frozenset({Status.OBSERVADO}),
    Action.DERIVE: frozenset({Status.RECIBIDO, Status.EN_AREA}),
    Action.APPROVE: frozenset({Status.RECIBIDO, Status.EN_AREA}),
    Action.DENY: frozenset({Status.RECIBIDO, Status.EN_AREA, Status.OBSERVADO}),
    Action.DELIVER: frozenset({Status.APROBADO}),
    # An approval is undone only by a nulidad de oficio (NULLIFY), never cancelled.
    Action.CANCEL: frozenset({Status.RECIBIDO, Status.OBSERVADO, Status.EN_AREA}),
    # Until it is decided; from aprobado too, for a partida approved before an acta was needed.
    Action.LINK_ACTA: frozenset({Status.RECIBIDO, Status.OBSERVADO, Status.EN_AREA,
                                 Status.APROBADO}),
    Action.NULLIFY: frozenset({Status.APROBADO, Status.ENTREGADO}),
    # While the file is in evaluation; a «no conforme» is followed by a new dictamen.
    Action.REVIEW: frozenset({Status.RECIBIDO, Status.EN_AREA}),
}


@dataclass(frozen=True)
class ExpedienteState:
    """What the rules need to know about one expediente, as of `today` (office local date)."""

    status: Status
    category: Category
    variant: str | None
    itse_done: bool  # an ITSE with result "conforme" is on record
    balance: Decimal  # what is still to be paid of the fee
    observation_due: date | None
    today: date
    resume_status: Status = Status.RECIBIDO  # where a correction returns to
    acta_missing: bool = False  # a partida filed without its acta (the archive searches it)
    calificacion: str = ""
    silence_operated_on: date | None = None  # the day silencio positivo approved it by law
    # Edificación C/D reviewed by the Comisión Técnica (kiosk/rules/comision_tecnica.py):
    # whether it needs the dictamen, and the latest one recorded.
    review_required: bool = False
    dictamen: str | None = None


def _inspect_from(state: ExpedienteState) -> frozenset[Status]:
    if state.category is not Category.LICENCIA_FUNCIONAMIENTO or state.itse_done:
        return frozenset()
    if state.variant in HIGH_RISK:
        return frozenset({Status.RECIBIDO, Status.EN_AREA})
    if state.variant in LOW_RISK:
        # The ITSE of a low or medium risk comes after the licence, also once it is handed over.
        return frozenset({Status.APROBADO, Status.ENTREGADO})
    return frozenset()


def starts_from(state: ExpedienteState, action: Action) -> frozenset[Status]:
    if action is Action.INSPECT:
        return _inspect_from(state)
    if action is Action.REVIEW and not (state.review_required
                                        and state.dictamen not in FAVOURABLE):
        return frozenset()
    if action is Action.LINK_ACTA and not (state.category is Category.PARTIDA
                                           and state.acta_missing):
        return frozenset()
    return _FROM[action]


NO_ACTA = ("la solicitud se registró sin acta (para buscarla). Cuando el archivo la encuentre, "
           "vincúlela con «Vincular acta»; si no existe, deniegue la solicitud con una nota")


def _blocker(state: ExpedienteState, action: Action) -> str | None:
    """Why an action that may start from this status still cannot be done now (Spanish)."""
    if action is Action.CORRECT and state.observation_due and state.today > state.observation_due:
        return (f"el plazo para subsanar venció el {state.observation_due:%d/%m/%Y}. Según la "
                "Ley 27444 la solicitud se tiene por no presentada: anule el expediente (con una "
                "nota) y el ciudadano puede presentarla de nuevo")
    if action in (Action.APPROVE, Action.DELIVER) and state.category is Category.PARTIDA \
            and state.acta_missing:
        return NO_ACTA
    if action is Action.APPROVE:
        if state.balance > 0:
            return (f"falta pagar {format_soles(state.balance)} del derecho de trámite. "
                    "Registre el pago antes de aprobar")
        if (state.category is Category.LICENCIA_FUNCIONAMIENTO and state.variant in HIGH_RISK
                and not state.itse_done):
            return ("en riesgo alto o muy alto la inspección técnica de seguridad (ITSE) debe "
                    "estar conforme antes de otorgar la licencia. Registre la inspección primero")
        if state.review_required and state.dictamen not in FAVOURABLE:
            pending = ("la Comisión Técnica dictaminó «no conforme»: registre el nuevo "
                       "dictamen sobre el proyecto corregido" if state.dictamen else
                       "falta el dictamen de la Comisión Técnica. Regístrelo con «Dictamen "
                       "Comisión Técnica»")
            return (f"en las modalidades C y D la licencia se otorga con el dictamen conforme "
                    f"de la Comisión Técnica ({LAW_ARTICLE}); {pending}")
    return None


def allowed_actions(state: ExpedienteState) -> list[str]:
    """The actions the counter may offer now (buttons), in a stable order."""
    return [str(action) for action in Action
            if action not in SUPERVISOR_ACTIONS and state.status in starts_from(state, action)
            and _blocker(state, action) is None and law_refusal(state, action, "") is None]


# Not a counter's button: its own operation, for a person with that right.
SUPERVISOR_ACTIONS = frozenset({Action.NULLIFY})


def _list_spanish(items: list[str]) -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " o " + items[-1]


def check_action(state: ExpedienteState, action: Action, number: str, *,
                 note: str | None = None, area: str | None = None,
                 inspection_result: str | None = None, dictamen: str | None = None) -> Status:
    """The status an action leads to, or a Spanish error saying why it cannot be done."""
    refusal = law_refusal(state, action, number)
    if refusal is not None:
        raise Conflict("approved_by_law", refusal)
    if state.status not in starts_from(state, action):
        raise Conflict("illegal_transition", _illegal_message(state, action, number))
    blocker = _blocker(state, action)
    if blocker is not None:
        raise Conflict("action_blocked",
                       f"No se puede {ACTION_VERB[action]} el expediente {number}: {blocker}.")
    if action in (Action.OBSERVE, Action.DENY, Action.CANCEL, Action.NULLIFY) and not (
            note and note.strip()):
        what = {
            Action.OBSERVE: "qué debe corregir o presentar el ciudadano",
            Action.DENY: "el motivo de la denegatoria",
            Action.CANCEL: "el motivo de la anulación",
            Action.NULLIFY: "el motivo de la nulidad (la causal del art. 10 y lo que la "
                            "fiscalización encontró)",
        }[action]
        raise InvalidInput("note_required",
                           f"Para {ACTION_VERB[action]} el expediente escriba en la nota {what}.")
    if action is Action.DERIVE and not (area and area.strip()):
        raise InvalidInput("area_required", "Indique el área a la que se deriva el expediente.")
    if action is Action.INSPECT:
        if inspection_result not in ("conforme", "no_conforme"):
            raise InvalidInput("inspection_result_required",
                               "Indique el resultado de la inspección: conforme o no conforme.")
        if inspection_result == "no_conforme" and not (note and note.strip()):
            raise InvalidInput("note_required",
                               "Para una ITSE no conforme escriba en la nota qué observó el "
                               "inspector.")
    if action is Action.REVIEW:
        if dictamen not in tuple(Dictamen):
            raise InvalidInput("dictamen_required",
                               "Indique el dictamen de la Comisión Técnica: conforme, conforme "
                               "con observaciones o no conforme.")
        if dictamen in DICTAMEN_NOTE_REQUIRED and not (note and note.strip()):
            raise InvalidInput("note_required",
                               f"Para un dictamen «{DICTAMEN_TEXT[Dictamen(dictamen)].lower()}» "
                               "escriba en la nota las observaciones de la Comisión Técnica.")
    return {
        Action.OBSERVE: Status.OBSERVADO,
        Action.CORRECT: state.resume_status,
        Action.DERIVE: Status.EN_AREA,
        Action.INSPECT: state.status,
        Action.APPROVE: Status.APROBADO,
        Action.DENY: Status.DENEGADO,
        Action.DELIVER: Status.ENTREGADO,
        Action.CANCEL: Status.ANULADO,
        Action.LINK_ACTA: state.status,
        Action.NULLIFY: Status.NULO,
        Action.REVIEW: state.status,
    }[action]


def law_refusal(state: ExpedienteState, action: Action, number: str) -> str | None:
    """Why the law forbids a denial or cancellation here (Spanish, naming the article), or None.

    Aprobación automática is approved on filing (art. 33): it is never denied; an approval by
    silencio positivo (art. 199.1) is an approval. Either is undone only by a nulidad de oficio.
    """
    if action not in (Action.DENY, Action.CANCEL):
        return None
    verb = ACTION_VERB[action]
    nullity = LAW["nulidad_de_oficio"].article
    # A partida whose acta the archive could not find is not complete: it may be denied.
    if (state.calificacion == Calificacion.APROBACION_AUTOMATICA and action is Action.DENY
            and not state.acta_missing and state.status not in FINAL):
        return (f"No se puede {verb} el expediente {number}: es un procedimiento de aprobación "
                f"automática ({LAW['aprobacion_automatica'].article}): queda aprobado al "
                "presentarse completo y pagado, y no se deniega. Si la fiscalización posterior "
                f"({LAW['fiscalizacion_posterior'].article}) encuentra un documento falso o un "
                f"requisito incumplido, un supervisor declara su nulidad de oficio ({nullity}).")
    if state.silence_operated_on is not None and state.status not in FINAL:
        return (f"No se puede {verb} el expediente {number}: el "
                f"{state.silence_operated_on:%d/%m/%Y} operó el silencio administrativo "
                f"positivo ({SILENCE.article}) y la solicitud está aprobada por ley. Solo un "
                f"supervisor puede declarar su nulidad de oficio ({nullity}).")
    return None


def _illegal_message(state: ExpedienteState, action: Action, number: str) -> str:
    current = STATUS_TEXT[state.status]
    head = f"No se puede {ACTION_VERB[action]} el expediente {number}: está «{current}»."
    if action is Action.INSPECT:
        if state.category is not Category.LICENCIA_FUNCIONAMIENTO:
            head = (f"No se puede {ACTION_VERB[action]} en el expediente {number}: la ITSE solo "
                    "corresponde a licencias de funcionamiento.")
        elif state.itse_done:
            head = (f"No se puede {ACTION_VERB[action]} en el expediente {number}: ya tiene una "
                    "ITSE conforme.")
        elif state.variant in LOW_RISK:
            head += (" En riesgo bajo o medio la ITSE se registra después de aprobar la "
                     "licencia.")
        elif state.variant in HIGH_RISK:
            head += " En riesgo alto o muy alto la ITSE se registra antes de aprobar."
    if action is Action.REVIEW:
        if not state.review_required:
            head = (f"No se puede {ACTION_VERB[action]} en el expediente {number}: solo las "
                    "licencias de edificación de modalidad C o D evaluadas por la Comisión "
                    "Técnica llevan su dictamen.")
        elif state.dictamen in FAVOURABLE:
            head = (f"No se puede {ACTION_VERB[action]} en el expediente {number}: ya tiene un "
                    "dictamen favorable.")
    if action is Action.LINK_ACTA:
        head = f"No se puede {ACTION_VERB[action]} al expediente {number}: está «{current}»."
        if state.category is not Category.PARTIDA:
            head = (f"No se puede {ACTION_VERB[action]} al expediente {number}: solo las "
                    "copias de partida llevan un acta.")
        elif not state.acta_missing:
            head = (f"No se puede {ACTION_VERB[action]} al expediente {number}: ya tiene su "
                    "acta vinculada.")
    if action in (Action.DENY, Action.CANCEL) and state.status in (Status.APROBADO,
                                                                   Status.ENTREGADO):
        head += (" Una aprobación solo se deja sin efecto con la nulidad de oficio "
                 f"({LAW['nulidad_de_oficio'].article}), que declara un supervisor.")
    allowed = [ACTION_VERB[Action(a)] for a in allowed_actions(state)]
    if allowed:
        return f"{head} Ahora se puede: {_list_spanish(allowed)}."
    if state.status in FINAL:
        return f"{head} Es un estado final: el expediente ya no admite cambios."
    return head


# --- deadline clock ----------------------------------------------------------------------


def observation_due(calendar: WorkingCalendar, observed_on: date) -> date:
    """The last day to correct an observation made on `observed_on` (2 working days)."""
    return calendar.add_working_days(observed_on, OBSERVATION_WORKING_DAYS)


@dataclass(frozen=True)
class Resumed:
    stopped_working_days: int  # working days the clock stood still for this observation
    due_date: date  # the deadline moved by that many working days


def resume_clock(calendar: WorkingCalendar, due: date, observed_on: date, corrected_on: date
                 ) -> Resumed:
    """The deadline after a correction: it moves by the working days the observation lasted."""
    stopped = calendar.working_days_between(observed_on, corrected_on)
    return Resumed(stopped, calendar.add_working_days(due, stopped) if stopped else due)


def redated_due(old: WorkingCalendar, new: WorkingCalendar, filed_at: datetime, due: date
                ) -> date:
    """The due date once the calendar changed (a non-working day declared after the filing):
    the same number of working days from the (effective) filing day, counted on the new one.
    Counting the whole span keeps the days an observation already added."""
    start = old.filing_day(filed_at)
    count = old.working_days_between(start, due)
    day = new.filing_day(filed_at)
    for _ in range(count):
        day = new.next_working_day(day + timedelta(days=1))
    return day


def silence_operates_on(calendar: WorkingCalendar, due: date, rule: LegalRule = SILENCE
                        ) -> date:
    """The day silencio positivo approves a request undecided by `due` (art. 199.1): the day
    after the deadline plus the notification period of art. 24.1 (`rule`, in working days)."""
    last = (calendar.add_working_days(due, rule.notification_working_days)
            if rule.notification_working_days else due)
    return last + timedelta(days=1)


def silencio_positivo(calificacion: str, status: Status, today: date, due: date,
                      operates_on: date | None = None) -> bool:
    """Silencio positivo has operated on a request still undecided (Ley 27444 art. 199.1).
    `operates_on`: from `silence_operates_on`; without it, the day after the due date."""
    return (calificacion == Calificacion.SILENCIO_POSITIVO and status in RUNNING
            and today >= (operates_on or due + timedelta(days=1)))


def overdue(status: Status, today: date, due: date, calificacion: str | None = None) -> bool:
    """Undecided past its due date. The clock stops while observado, so that is never late;
    aprobación automática has no deadline to miss (approved on filing, art. 33)."""
    if calificacion == Calificacion.APROBACION_AUTOMATICA:
        return False
    return status in RUNNING and today > due


def approves_automatically(state: ExpedienteState) -> bool:
    """Aprobación automática (art. 33): filed complete (not observado), paid and with nothing
    else missing (a partida's acta) → approved."""
    return (state.calificacion == Calificacion.APROBACION_AUTOMATICA
            and state.status is Status.RECIBIDO and _blocker(state, Action.APPROVE) is None)


# --- requirements ------------------------------------------------------------------------

_FEE_REQUIREMENT = re.compile(r"^PAGO DEL DERECHO")


def is_fee_requirement(text: str) -> bool:
    """«Pago del derecho de trámite…»: met by the payment on the expediente, not by a paper."""
    return bool(_FEE_REQUIREMENT.match(fold(text)))


def missing_requirements(requirements: list[tuple[str, bool]], presented: set[int]
                         ) -> list[int]:
    """Numbers (1-based) of the mandatory requirements not presented; the fee is paid later."""
    return [n for n, (text, mandatory) in enumerate(requirements, start=1)
            if mandatory and n not in presented and not is_fee_requirement(text)]


# --- numbers and tracking codes ----------------------------------------------------------

EXPEDIENTE_SERIES = "EXP"
RECEIPT_SERIES = "REC"
# Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper survives.
TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_LENGTH = 13  # 13 × 5 = 65 random bits
_TRACKING_FIXES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_NUMBER = re.compile(r"([A-Z]{2,6})-?(\d{4})-?(\d{1,6})")


def expediente_number(office_code: str, year: int, seq: int) -> str:
    """`CAJ-2026-000123`: office, local year of filing, yearly sequence."""
    return f"{office_code}-{year}-{seq:06d}"


def receipt_number(office_code: str, year: int, seq: int) -> str:
    """`CAJ-R-2026-000045`."""
    return f"{office_code}-R-{year}-{seq:06d}"


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def parse_reference(text: str) -> tuple[str | None, str | None]:
    """(expediente number, tracking code) a typed reference can be; either may be None.

    «caj-2026-123» reads as CAJ-2026-000123; tracking codes ignore case, spaces and dashes,
    and the letters O, I, L typed for 0, 1, 1.
    """
    compact = re.sub(r"\s+", "", text if isinstance(text, str) else "").upper()
    number = None
    match = _NUMBER.fullmatch(compact)
    if match:
        number = expediente_number(match[1], int(match[2]), int(match[3]))
    code = compact.replace("-", "").translate(_TRACKING_FIXES)
    tracking = code if (len(code) == TRACKING_LENGTH
                        and all(c in TRACKING_ALPHABET for c in code)) else None
    return number, tracking


def format_tracking_code(code: str) -> str:
    """For people: «7K3QD-9XM2A-VB8» (groups of 5)."""
    return "-".join(code[i:i + 5] for i in range(0, len(code), 5))


ADULT_AGE = 18  # a birth record of a minor is copied only for the parents
ACTA_KIND_TEXT = {"nacimiento": "Nacimiento", "matrimonio": "Matrimonio",
                  "defuncion": "Defunción"}
# Who may not ask for a copy of an acta of each kind: the titular of a death record is the
# deceased, so a relative or a representative asks.
_REFUSED_RELATIONS = {"defuncion": frozenset({"titular"})}


def relation_allowed(kind: str | None, relation: str) -> bool:
    """Whether a requester with `relation` to the titular may ask for a copy of a `kind` acta
    (the counter's form offers only these)."""
    return relation not in _REFUSED_RELATIONS.get(kind or "", frozenset())


def relation_refusal(kind: str | None, relation: str) -> str | None:
    """Why that requester may not ask (Spanish), or None."""
    if relation_allowed(kind, relation):
        return None
    return ("En una partida de defunción el titular es la persona fallecida: no puede "
            "solicitar la copia. Indique el parentesco de quien la solicita (cónyuge, hijo o "
            "hija, padre o madre, hermano o hermana, apoderado u otra persona).")


def age_on(birth: date, day: date) -> int:
    """Completed years on `day` (a 29 Feb birthday counts from 1 Mar in other years)."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years
