"""Expedientes: filing at the counter, transitions, and the one view of an expediente.

Plain functions over a UnitOfWork (writes) or a Session (reads). The `expedientes` row is the
projection of the expediente's events (stream "expediente"), written in the same transaction.
Each event carries who did it (clerk id and full name), where (counter or device), the area
and the note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import Conflict, InvalidInput, NotFound
from kiosk.ids import new_id
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.comision_tecnica import (
    DICTAMEN_TEXT,
    LAW_ARTICLE,
    REVIEW_TERMS,
    Dictamen,
    Evaluacion,
    review_due,
    review_overdue,
    review_required,
)
from kiosk.rules.exemptions import EXEMPTIONS, Exemption, check_exemption, waived
from kiosk.rules.expedientes import (
    ACTA_KIND_TEXT,
    ACTION_EVENT,
    ADULT_AGE,
    APPROVED_AUTOMATICALLY,
    EVENT_TEXT,
    EXPEDIENTE_SERIES,
    LAW,
    LEGAL_APPROVALS,
    RUNNING,
    SILENCE,
    SILENCE_OPERATED,
    STATUS_TEXT,
    SUPERVISOR_ACTIONS,
    Action,
    ExpedienteState,
    Status,
    age_on,
    allowed_actions,
    approves_automatically,
    check_action,
    expediente_number,
    is_fee_requirement,
    missing_requirements,
    new_tracking_code,
    observation_due,
    overdue,
    parse_reference,
    redated_due,
    relation_refusal,
    resume_clock,
    silence_operates_on,
    silencio_positivo,
)
from kiosk.rules.money import ZERO, format_soles, soles, uit_for
from kiosk.rules.names import full_name
from kiosk.rules.procedures import CALIFICACION_TEXT, VARIANT_LABEL, Calificacion, Category
from kiosk.services import notices, people, tupa
from kiosk.services.appeal_reads import appeals_of
from kiosk.services.expediente_views import (
    AttachmentView,
    Details,
    DocumentIssueView,
    EdificacionDetails,
    ExpedienteEventView,
    ExpedienteInput,
    ExpedienteView,
    FuncionamientoDetails,
    NullityInput,
    PartidaDetails,
    PaymentView,
    PublicStatus,
    RequirementCheck,
    TransitionInput,
)
from kiosk.services.projections import project_expediente
from kiosk.services.registry import acta_view
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.storage.tables import (
    Acta,
    Attachment,
    Business,
    Counter,
    Event,
    Expediente,
    ExpedienteTicket,
    Payment,
    Person,
    Procedure,
    ProcedureVersion,
    Ticket,
    User,
    YearSequence,
)

RELATION_TEXT = {"titular": "el titular", "padre_madre": "el padre o la madre",
                 "conyuge": "el cónyuge", "hijo": "un hijo o hija",
                 "hermano": "un hermano o hermana", "apoderado": "un apoderado",
                 "otro": "otra persona"}
CATEGORY_DETAILS: dict[Category, type[Details] | None] = {
    Category.PARTIDA: PartidaDetails,
    Category.LICENCIA_FUNCIONAMIENTO: FuncionamientoDetails,
    Category.LICENCIA_EDIFICACION: EdificacionDetails,
    Category.OTRO: None,
}
# Documents the counter issues; each issue is an event (kiosk/services/documents.py).
DOCUMENT_EVENT = "document_issued"
DOCUMENT_TEXT = {"cargo": "Cargo de recepción", "receipt": "Recibo de pago",
                 "copia": "Copia certificada",
                 "constancia_silencio": "Constancia de silencio administrativo positivo"}
DETAILS_TEXT = {
    Category.PARTIDA: "los datos de la partida (acta o datos para buscarla, relación con el "
                      "titular, copias, entrega)",
    Category.LICENCIA_FUNCIONAMIENTO: "los datos del establecimiento (dirección, actividad, "
                                      "área y nivel de riesgo)",
    Category.LICENCIA_EDIFICACION: "los datos de la obra (modalidad, dirección, descripción y "
                                   "profesional responsable)",
}


@dataclass(frozen=True)
class Actor:
    """Who does something, and where: the clerk logged in on a device (or the hub itself)."""

    device_id: str | None
    device_name: str
    user_id: str | None = None
    username: str | None = None
    full_name: str | None = None
    counter: int | None = None


def actor_data(session: Session, actor: Actor) -> dict[str, Any]:
    """The who/where part of an event's data."""
    where = actor.device_name
    if actor.counter is not None:
        name = session.scalar(select(Counter.name).where(Counter.number == actor.counter))
        where = name or f"Ventanilla {actor.counter}"
    return {"who_id": actor.user_id, "who": actor.full_name or actor.device_name,
            "username": actor.username, "counter": actor.counter, "where": where}


def next_in_year(uow: UnitOfWork, series: str) -> tuple[int, int]:
    """(year, seq): the next number of a yearly series (office local year); never reused."""
    year = uow.today.year
    row = uow.session.get(YearSequence, (uow.office.office_id, year, series))
    if row is None:
        row = YearSequence(office_id=uow.office.office_id, year=year, series=series, last=0)
        uow.session.add(row)
    row.last += 1
    return year, row.last


def record(uow: UnitOfWork, expediente: Expediente, kind: str, actor: Actor,
           **data: Any) -> dict[str, Any]:
    """Record an event of an expediente and apply it to the expediente (kiosk/services/
    projections.py) in the same transaction; returns the event's data."""
    full = {"number": expediente.number, **actor_data(uow.session, actor), **data}
    project_expediente(expediente, kind, full, uow.now)
    expediente.updated_at = uow.now
    event = uow.record("expediente", expediente.id, kind, full, actor.device_id)
    notices.on_expediente_event(uow, expediente, kind, full, event.id)  # observed, approved…
    return full


# --- lookups -----------------------------------------------------------------------------


def find_expediente(session: Session, office_id: str, reference: str) -> Expediente:
    """An expediente by its number (CAJ-2026-000123) or its tracking code."""
    number, tracking = parse_reference(reference)
    found = None
    if number is not None:
        found = session.scalar(select(Expediente).where(
            Expediente.office_id == office_id, Expediente.number == number))
    if found is None and tracking is not None:
        found = session.scalar(select(Expediente).where(
            Expediente.office_id == office_id, Expediente.tracking_code == tracking))
    if found is None:
        shown = " ".join(str(reference).split())[:40]
        raise NotFound("unknown_expediente",
                       f"No existe el expediente «{shown}» en esta oficina. Revise el número "
                       "(por ejemplo CAJ-2026-000123) o el código de seguimiento.")
    return found


def _ticket(uow: UnitOfWork, ticket_id: str | None) -> Ticket | None:
    if ticket_id is None:
        return None
    ticket = uow.session.get(Ticket, ticket_id)
    if ticket is None or ticket.office_id != uow.office.office_id:
        raise NotFound("unknown_ticket", "Ese turno no existe.")
    return ticket


def _link(uow: UnitOfWork, expediente: Expediente, ticket: Ticket | None) -> str | None:
    if ticket is None:
        return None
    if uow.session.get(ExpedienteTicket, (expediente.id, ticket.id)) is None:
        uow.session.add(ExpedienteTicket(expediente_id=expediente.id, ticket_id=ticket.id,
                                         linked_at=uow.now))
    return ticket.number


def link_ticket(uow: UnitOfWork, expediente: Expediente, ticket_id: str | None) -> str | None:
    """Link the ticket the citizen was served in; returns its number (None without a ticket)."""
    return _link(uow, expediente, _ticket(uow, ticket_id))


# --- filing ------------------------------------------------------------------------------


def _check_details(request: ExpedienteInput, procedure: Procedure, category: Category
                   ) -> Details | None:
    expected = CATEGORY_DETAILS[category]
    details = request.details
    if expected is None:
        if details is not None:
            raise InvalidInput("invalid_details",
                               f"El trámite {procedure.code} no lleva datos de partida ni de "
                               "licencia: quite «details».")
        return None
    if details is None:
        raise InvalidInput("details_required",
                           f"Faltan {DETAILS_TEXT[category]} para el trámite {procedure.code}.")
    if not isinstance(details, expected):
        raise InvalidInput("invalid_details",
                           f"Los datos enviados son de «{details.kind}», pero el trámite "
                           f"{procedure.code} es de «{category}». Faltan "
                           f"{DETAILS_TEXT[category]}.")
    variant = procedure.variant
    if isinstance(details, FuncionamientoDetails) and details.risk != variant:
        raise InvalidInput(
            "variant_mismatch",
            f"El nivel de riesgo «{details.risk}» no corresponde al trámite {procedure.code} "
            f"(riesgo {variant}). Elija el trámite de licencia del riesgo que corresponde.")
    if isinstance(details, EdificacionDetails) and details.modalidad != variant:
        raise InvalidInput(
            "variant_mismatch",
            f"La modalidad {details.modalidad} no corresponde al trámite {procedure.code} "
            f"(modalidad {variant}). Elija el trámite de la modalidad que corresponde.")
    if isinstance(details, EdificacionDetails):
        _check_evaluacion(details, procedure.code)
    if isinstance(details, PartidaDetails):
        refusal = relation_refusal(variant, details.relation)
        if refusal is not None:
            raise InvalidInput("relation_not_allowed", refusal)
        if details.acta_id is None and not (details.search_note and details.search_note.strip()):
            raise InvalidInput(
                "acta_required",
                "Indique el acta (búsquela en el registro) o, si no aparece, escriba en "
                "«search_note» los datos para buscarla: nombres, fecha y lugar.")
        if details.delivery == "domicilio" and not (
                details.delivery_address and details.delivery_address.strip()):
            raise InvalidInput("delivery_address_required",
                               "Para la entrega a domicilio indique la dirección de entrega.")
    return details


def _check_evaluacion(details: EdificacionDetails, code: str) -> None:
    """Modalidades C and D: the Comisión Técnica (default) or Revisores Urbanos, whose
    Informe Técnico Favorable comes with the filing (TUO Ley 29090 art. 10)."""
    if details.evaluacion is not None and details.modalidad not in REVIEW_TERMS:
        raise InvalidInput(
            "invalid_evaluacion",
            f"La evaluación previa del proyecto por la Comisión Técnica o por Revisores "
            f"Urbanos corresponde a las modalidades C y D; el trámite {code} es de modalidad "
            f"{details.modalidad}: quite «evaluacion».")
    informe = " ".join(details.informe_revisores.split()) if details.informe_revisores else ""
    if details.evaluacion == "revisores_urbanos" and not informe:
        raise InvalidInput(
            "informe_required",
            "Con Revisores Urbanos el proyecto llega ya revisado: indique el número del "
            "informe técnico favorable de los Revisores Urbanos.")
    if informe and details.evaluacion != "revisores_urbanos":
        raise InvalidInput(
            "invalid_evaluacion",
            "El informe técnico favorable corresponde a la evaluación por Revisores Urbanos: "
            "elija esa evaluación o quite el número del informe.")


def _check_acta(uow: UnitOfWork, details: PartidaDetails, procedure: Procedure,
                linking: bool = False) -> Acta | None:
    """The acta a partida names: of the procedure's kind, a minor's birth record only for a
    parent. `linking`: it is linked to a request filed without one (the advice differs)."""
    if details.acta_id is None:
        return None
    acta = uow.session.get(Acta, details.acta_id)
    if acta is None or acta.office_id != uow.office.office_id:
        raise NotFound("unknown_acta",
                       "Esa acta no está en el registro de esta oficina. Búsquela de nuevo" + (
                           " (un supervisor la registra si falta en el índice)." if linking
                           else " o registre la solicitud con los datos para buscarla."))
    if acta.kind != procedure.variant:
        raise InvalidInput(
            "variant_mismatch",
            f"El acta {acta.acta_number} es de {ACTA_KIND_TEXT[acta.kind].lower()}, pero el "
            f"trámite {procedure.code} es copia de partida de "
            f"{ACTA_KIND_TEXT.get(procedure.variant or '', '?').lower()}.")
    if (acta.kind == "nacimiento" and age_on(acta.event_date, uow.today) < ADULT_AGE
            and details.relation != "padre_madre"):
        raise Conflict(
            "minor_record",
            f"El titular del acta {acta.acta_number} es menor de edad: la copia de su partida "
            "de nacimiento solo se entrega al padre o a la madre (regla de RENIEC), no a "
            f"{RELATION_TEXT[details.relation]}. " + (
                "Esta solicitud no la hizo el padre o la madre: deniéguela con una nota y que "
                "el padre o la madre presente una nueva, con su DNI." if linking else
                "Registre la solicitud a nombre del padre o la madre, con su DNI."))
    return acta


def _check_exemption(uow: UnitOfWork, code: str, procedure: Procedure, acta: Acta | None
                     ) -> Exemption:
    """The exemption chosen at filing, if it applies to the procedure (and, for the first
    copy of an acta, if that acta's first copy was not given free already)."""
    exemption = check_exemption(code, procedure.code, procedure.name, procedure.category,
                                procedure.variant)
    if exemption.code == "primera_copia_nacimiento" and acta is not None:
        earlier = uow.session.scalar(select(Expediente.number).where(
            Expediente.office_id == uow.office.office_id, Expediente.acta_id == acta.id,
            Expediente.exemption == exemption.code, Expediente.status != Status.ANULADO))
        if earlier is not None:
            raise Conflict("exemption_used",
                           f"La primera copia certificada de esta acta ya se entregó gratis "
                           f"(expediente {earlier}); esta copia se paga.")
    return exemption


def exemption_fields(expediente: Expediente) -> dict[str, Any]:
    """The exemption of an expediente as its views show it (name, legal basis, amount)."""
    exemption = EXEMPTIONS.get(expediente.exemption) if expediente.exemption else None
    if exemption is None:
        return {}
    return {"exemption_name": exemption.name, "exemption_basis": exemption.basis,
            "exempted": expediente.exempted}


def exemption_note(expediente: Expediente) -> str:
    fields = exemption_fields(expediente)
    return (f"Exonerado {format_soles(fields['exempted'] or ZERO)}: "
            f"{fields['exemption_name']} ({fields['exemption_basis']})") if fields else ""


def _check_requirements(presented: list[int], count: int) -> list[int]:
    wrong = sorted({n for n in presented if not 1 <= n <= count})
    if wrong:
        raise InvalidInput("invalid_requirement",
                           f"El trámite tiene {count} requisitos (1 a {count}); no existe el "
                           f"requisito {', '.join(map(str, wrong))}.")
    return sorted(set(presented))


def _applicant(uow: UnitOfWork, request: ExpedienteInput, category: Category,
               procedure: Procedure, device_id: str | None
               ) -> tuple[Person | None, Business | None]:
    person: Person | None = None
    if request.person is not None:
        person = people.find_or_create_person(uow, request.person, device_id)
        if request.person_id is not None and request.person_id != person.id:
            raise Conflict("person_mismatch",
                           "La persona elegida no es la del documento escrito. Revise el "
                           "documento o elija de nuevo a la persona.")
    elif request.person_id is not None:
        person = people.get_person(uow.session, uow.office.office_id, request.person_id)
    if category is Category.PARTIDA:
        if person is None:
            raise InvalidInput("applicant_required",
                               "Indique quién solicita la copia (nombre y documento).")
        if request.business is not None:
            raise InvalidInput("invalid_applicant",
                               "Una copia de partida la solicita una persona, no una empresa: "
                               "quite el RUC.")
    if category is Category.LICENCIA_FUNCIONAMIENTO and request.business is None:
        raise InvalidInput("business_required",
                           f"La licencia de funcionamiento ({procedure.code}) se otorga a un "
                           "RUC: indique el RUC y la razón social del titular del negocio.")
    if person is None and request.business is None:
        raise InvalidInput("applicant_required",
                           "Indique el solicitante: una persona (nombre y documento) o una "
                           "empresa (RUC y razón social).")
    uow.session.flush()  # new persons exist before a business or expediente points at them
    business = None
    if request.business is not None:
        business = people.find_or_create_business(uow, request.business, person, device_id)
        uow.session.flush()
    return person, business


def file_expediente(uow: UnitOfWork, request: ExpedienteInput, actor: Actor,
                    calendar: WorkingCalendar) -> ExpedienteView:
    """Receive a request (mesa de partes never refuses one that is complete enough to file).

    Missing mandatory requirements do not stop the filing: it is received and at once
    observed with a note listing them (Ley 27444), giving 2 working days to correct.
    """
    procedure, version = tupa.find_procedure(uow.session, uow.office.office_id,
                                             request.procedure, uow.today)
    category = Category(procedure.category)
    if category is not Category.OTRO and procedure.variant is None:
        raise Conflict("catalogue_incomplete",
                       f"El catálogo no indica {VARIANT_LABEL[category]} del trámite "
                       f"{procedure.code}. La administración debe completarlo («variant») "
                       "antes de registrar solicitudes.")
    details = _check_details(request, procedure, category)
    terms = tupa.terms_of(version)
    presented = _check_requirements(request.requirements_presented, len(terms.requirements))
    person, business = _applicant(uow, request, category, procedure, actor.device_id)
    acta = _check_acta(uow, details, procedure) if isinstance(details, PartidaDetails) else None

    uit = uit_for(uow.today.year, tupa.uit_table(uow.session)) if terms.fee.needs_uit else None
    copies = details.copies if isinstance(details, PartidaDetails) else 1
    fee = soles(terms.fee.amount(uit) * copies)
    basis = terms.fee.basis(uow.today.year, uit)
    if copies > 1:
        basis = f"{basis} × {copies} copias"
    exemption = exempted = None
    if request.exemption is not None:
        exemption = _check_exemption(uow, request.exemption, procedure, acta)
        exempted = waived(exemption, soles(terms.fee.amount(uit)), copies)
        fee = soles(fee - exempted)

    year, seq = next_in_year(uow, EXPEDIENTE_SERIES)
    tracking = new_tracking_code()
    while uow.session.scalar(select(Expediente.id).where(Expediente.tracking_code == tracking)):
        tracking = new_tracking_code()  # 65 random bits: practically never runs
    note = " ".join(request.note.split()) if request.note else None
    ticket = _ticket(uow, request.ticket_id)
    # The terms copied from the catalogue; the «received» event sets the rest (record).
    expediente = Expediente(
        id=new_id(), office_id=uow.office.office_id,
        number=expediente_number(uow.office.office_code, year, seq), year=year, seq=seq,
        tracking_code=tracking, procedure_id=procedure.id, procedure_version_id=version.id,
        category=str(category), deadline_working_days=terms.deadline_working_days,
        calificacion=str(terms.calificacion), fee_basis=basis,
        details=details.model_dump(mode="json") if details is not None else {},
        acta_id=acta.id if acta else None)
    record(uow, expediente, "received", actor, procedure=procedure.code,
           version=version.version, area=procedure.area, note=note,
           requirements_presented=presented, pages=request.pages, fee=f"{fee:f}",
           due_date=calendar.add_working_days(uow.now, terms.deadline_working_days).isoformat(),
           ticket=ticket.number if ticket else None,
           person_id=person.id if person else None,
           business_id=business.id if business else None,
           **({} if exemption is None or exempted is None else
              {"exemption": exemption.code, "exempted": f"{exempted:f}"}))
    uow.session.add(expediente)
    uow.session.flush()
    _link(uow, expediente, ticket)
    if request.contact is not None:  # before an observation or approval tells them
        notices.give_consent(uow, notices.EXPEDIENTE, expediente.id, expediente.number,
                             request.contact, notices.Who(actor.user_id,
                                                          actor.full_name or actor.device_name,
                                                          actor.device_id))
    missing = missing_requirements([(r.text, r.mandatory) for r in terms.requirements],
                                   set(presented))
    if missing:
        listed = "; ".join(f"{n}. {terms.requirements[n - 1].text}" for n in missing)
        _observe(uow, expediente, actor, calendar,
                 f"Falta presentar: {listed}", from_status=Status.RECIBIDO)
    approve_if_automatic(uow, expediente)
    return expediente_view(uow.session, expediente, uow.today, calendar)


def _observe(uow: UnitOfWork, expediente: Expediente, actor: Actor, calendar: WorkingCalendar,
             note: str, from_status: Status, ticket: str | None = None) -> None:
    record(uow, expediente, "observed", actor, note=note, area=expediente.area,
           from_status=str(from_status), to_status=str(Status.OBSERVADO),
           observation_due=observation_due(calendar, uow.today).isoformat(), ticket=ticket)


# --- outcomes the law decides ------------------------------------------------------------

LAW_ACTOR = Actor(device_id=None, device_name="Por ley (TUO de la Ley 27444)")


def approve_if_automatic(uow: UnitOfWork, expediente: Expediente) -> bool:
    """Aprobación automática (art. 33): approved once filed complete and paid; what is left
    is the fiscalización posterior (art. 34). Called after filing, a payment, a correction."""
    procedure = uow.session.get(Procedure, expediente.procedure_id)
    assert procedure is not None
    if not approves_automatically(state_of(expediente, procedure.variant, uow.today)):
        return False
    record(uow, expediente, APPROVED_AUTOMATICALLY, LAW_ACTOR, area=expediente.area,
           from_status=expediente.status, to_status=str(Status.APROBADO),
           article=LAW["aprobacion_automatica"].article,
           note=(f"Aprobado al presentarse completo y pagado "
                 f"({LAW['aprobacion_automatica'].article}); sujeto a fiscalización posterior "
                 f"({LAW['fiscalizacion_posterior'].article})."))
    return True


def silence_recorded_on(session: Session, expediente: Expediente) -> date | None:
    """The day silencio positivo operated, as its «silence_operated» event says."""
    data = session.scalar(
        select(Event.data).where(Event.stream == "expediente", Event.stream_id == expediente.id,
                                 Event.kind == SILENCE_OPERATED).limit(1))
    return date.fromisoformat(data["operated_on"]) if isinstance(data, dict) else None


def silence_on(session: Session, expediente: Expediente, calendar: WorkingCalendar,
               today: date) -> date | None:
    """The day silencio positivo approved it by law: recorded, or operated by `today` on a
    request still undecided (recorded at the hub's next round)."""
    recorded = silence_recorded_on(session, expediente)
    if recorded is not None:
        return recorded
    operates = silence_operates_on(calendar, expediente.due_date)
    if silencio_positivo(expediente.calificacion, Status(expediente.status), today,
                         expediente.due_date, operates):
        return operates
    return None


def record_silences(uow: UnitOfWork, calendar: WorkingCalendar) -> list[str]:
    """Record silencio positivo where it operated (art. 199.1): the request is approved by law,
    an event «silence_operated» with the day it operated and the article. Returns the numbers.
    The hub runs this every day; the rules refuse a denial from the day it operates anyway."""
    done = []
    for expediente in uow.session.scalars(
            select(Expediente).where(Expediente.office_id == uow.office.office_id,
                                     Expediente.calificacion == Calificacion.SILENCIO_POSITIVO,
                                     Expediente.status.in_(list(RUNNING)))
            .order_by(Expediente.year, Expediente.seq)):
        operated = silence_on(uow.session, expediente, calendar, uow.today)
        if operated is None:
            continue
        record(uow, expediente, SILENCE_OPERATED, LAW_ACTOR, area=expediente.area,
               from_status=expediente.status, to_status=str(Status.APROBADO),
               due_date=expediente.due_date.isoformat(), operated_on=operated.isoformat(),
               notification_working_days=SILENCE.notification_working_days,
               article=SILENCE.article,
               note=(f"Venció el plazo el {expediente.due_date:%d/%m/%Y} sin resolución "
                     f"notificada: aprobado por silencio administrativo positivo desde el "
                     f"{operated:%d/%m/%Y} ({SILENCE.article})."))
        done.append(expediente.number)
    return done


def nullify(uow: UnitOfWork, reference: str, nullity: NullityInput, actor: Actor,
            calendar: WorkingCalendar) -> ExpedienteView:
    """Nulidad de oficio (art. 213) of an approved expediente (by a clerk, by silence or
    automatically): its reason, the resolution, and the day it is declared."""
    # Not a counter's action (TransitionInput refuses «nullify»): the note is the checked reason.
    change = TransitionInput.model_construct(note=nullity.reason)  # type: ignore[call-arg]
    resolution = " ".join(nullity.resolution.split()) if nullity.resolution else None
    return transition(uow, reference, change, actor, calendar, supervisor=Action.NULLIFY,
                      extra={"resolution": resolution, "declared_on": uow.today.isoformat(),
                             "article": LAW["nulidad_de_oficio"].article})


# --- the calendar changed ------------------------------------------------------------------

CALENDAR_ACTOR = Actor(device_id=None, device_name="Calendario de la oficina")


def redate_for_new_calendar(uow: UnitOfWork, old: WorkingCalendar, new: WorkingCalendar
                            ) -> list[str]:
    """Move the deadlines of undecided expedientes when days became non-working after their
    filing (a holiday decreed late, a local emergency): each move is an event. Returns the
    numbers moved. Decided expedientes keep their dates."""
    moved = []
    open_statuses = [*RUNNING, Status.OBSERVADO]
    for expediente in uow.session.scalars(
            select(Expediente).where(Expediente.office_id == uow.office.office_id,
                                     Expediente.status.in_(open_statuses))
            .order_by(Expediente.year, Expediente.seq)):
        due = redated_due(old, new, expediente.filed_at, expediente.due_date)
        correction = expediente.observation_due
        if expediente.observed_at is not None and correction is not None:
            correction = observation_due(new, new.local_date(expediente.observed_at))
        if (due, correction) == (expediente.due_date, expediente.observation_due):
            continue
        data: dict[str, Any] = {"previous_due_date": expediente.due_date.isoformat(),
                                "due_date": due.isoformat()}
        if correction != expediente.observation_due:
            assert correction is not None and expediente.observation_due is not None
            data.update(previous_observation_due=expediente.observation_due.isoformat(),
                        observation_due=correction.isoformat())
        record(uow, expediente, "due_date_moved", CALENDAR_ACTOR, **data)
        moved.append(expediente.number)
    return moved


# --- transitions ---------------------------------------------------------------------------


def _resume_status(session: Session, expediente: Expediente) -> Status:
    """Where a correction returns to: the status before the last observation."""
    data = session.scalar(
        select(Event.data).where(Event.stream == "expediente",
                                 Event.stream_id == expediente.id, Event.kind == "observed")
        .order_by(Event.seq.desc()).limit(1))
    previous = data.get("from_status") if isinstance(data, dict) else None
    return Status(previous) if previous in (Status.RECIBIDO, Status.EN_AREA) else Status.RECIBIDO


def dictamen_of(session: Session, expediente: Expediente) -> str | None:
    """The latest dictamen of the Comisión Técnica recorded on it («reviewed» events)."""
    data = session.scalar(
        select(Event.data).where(Event.stream == "expediente", Event.stream_id == expediente.id,
                                 Event.kind == ACTION_EVENT[Action.REVIEW])
        .order_by(Event.seq.desc()).limit(1))
    return str(data["dictamen"]) if isinstance(data, dict) else None


def review_fields(session: Session, expediente: Expediente, variant: str | None
                  ) -> dict[str, Any]:
    """What `state_of` needs to know of the Comisión Técnica's review (edificación C/D)."""
    required = review_required(expediente.category, variant,
                               expediente.details.get("evaluacion"))
    return {"review_required": required,
            "dictamen": dictamen_of(session, expediente) if required else None}


def state_of(expediente: Expediente, variant: str | None, today: date,
             resume_status: Status = Status.RECIBIDO, silence: date | None = None, *,
             review_required: bool = False, dictamen: str | None = None) -> ExpedienteState:
    """The rules' view of a row. The Comisión Técnica's review is checked only when the
    caller read it (`review_fields`): central judges back-office actions without the
    events, and the office checks them again when the action reaches it."""
    category = Category(expediente.category)
    return ExpedienteState(
        status=Status(expediente.status), category=category,
        variant=variant, itse_done=expediente.itse_done,
        balance=max(ZERO, expediente.fee - expediente.paid),
        observation_due=expediente.observation_due, today=today, resume_status=resume_status,
        acta_missing=category is Category.PARTIDA and expediente.acta_id is None,
        calificacion=expediente.calificacion, silence_operated_on=silence,
        review_required=review_required, dictamen=dictamen)


def transition(uow: UnitOfWork, reference: str, change: TransitionInput, actor: Actor,
               calendar: WorkingCalendar, *, supervisor: Action | None = None,
               extra: dict[str, Any] | None = None) -> ExpedienteView:
    """A clerk's action; `supervisor`: the nulidad de oficio (its own operation, `nullify`)."""
    expediente = find_expediente(uow.session, uow.office.office_id, reference)
    procedure = uow.session.get(Procedure, expediente.procedure_id)
    assert procedure is not None
    action = supervisor or Action(change.action)
    if action in SUPERVISOR_ACTIONS and supervisor is None:
        raise InvalidInput("nullity_operation",
                           "La nulidad de oficio no es una acción de ventanilla: la declara un "
                           "supervisor con «Declarar nulidad» (con el motivo y la resolución).")
    resume = (_resume_status(uow.session, expediente) if action is Action.CORRECT
              else Status.RECIBIDO)
    state = state_of(expediente, procedure.variant, uow.today, resume,
                     silence_on(uow.session, expediente, calendar, uow.today),
                     **review_fields(uow.session, expediente, procedure.variant))
    note = " ".join(change.note.split()) if change.note else None
    area = " ".join(change.area.split()) if change.area else None
    target = check_action(state, action, expediente.number, note=note, area=area,
                          inspection_result=change.inspection_result, dictamen=change.dictamen)
    if change.dictamen is not None and action is not Action.REVIEW:
        raise InvalidInput("invalid_dictamen",
                           "El dictamen se indica solo al registrar el dictamen de la Comisión "
                           "Técnica.")
    if change.requirements_presented and action is not Action.CORRECT:
        raise InvalidInput("invalid_requirement",
                           "Los requisitos presentados se registran al recibir la solicitud o "
                           "al subsanar una observación.")
    if change.acta_id is not None and action is not Action.LINK_ACTA:
        raise InvalidInput("invalid_acta",
                           "El acta se indica al registrar la solicitud o con «Vincular acta».")
    acta = _acta_to_link(uow, expediente, procedure, change) if action is Action.LINK_ACTA \
        else None
    ticket = link_ticket(uow, expediente, change.ticket_id)
    if action is Action.OBSERVE:
        assert note is not None
        _observe(uow, expediente, actor, calendar, note, Status(expediente.status), ticket)
        return expediente_view(uow.session, expediente, uow.today, calendar)
    data: dict[str, Any] = {"from_status": expediente.status, "to_status": str(target),
                            "note": note, "ticket": ticket, **(extra or {})}
    if action is Action.CORRECT:
        assert expediente.observed_at is not None
        version = uow.session.get(ProcedureVersion, expediente.procedure_version_id)
        assert version is not None
        requirements = [(str(r["text"]), bool(r["mandatory"])) for r in version.requirements]
        presented = _check_requirements(
            [*expediente.requirements_presented, *change.requirements_presented],
            len(requirements))
        missing = missing_requirements(requirements, set(presented))
        if missing:
            listed = "; ".join(f"{n}. {requirements[n - 1][0]}" for n in missing)
            raise Conflict("requirements_missing",
                           f"No se puede registrar la subsanación del expediente "
                           f"{expediente.number}: aún falta presentar: {listed}. Marque los "
                           "requisitos que el ciudadano trae ahora.")
        if presented != expediente.requirements_presented:
            data["requirements_presented"] = presented
        observed_on = calendar.local_date(expediente.observed_at)
        resumed = resume_clock(calendar, expediente.due_date, observed_on, uow.today)
        data.update(stopped_working_days=resumed.stopped_working_days,
                    previous_due_date=expediente.due_date.isoformat(),
                    due_date=resumed.due_date.isoformat())
    elif action is Action.DERIVE:
        assert area is not None
        data["from_area"] = expediente.area
    elif action is Action.INSPECT:
        data["inspection_result"] = change.inspection_result
    elif action is Action.REVIEW:
        assert change.dictamen is not None
        data.update(dictamen=change.dictamen, article=LAW_ARTICLE,
                    review_due=review_due(calendar, expediente.filed_at, str(procedure.variant),
                                          expediente.stopped_working_days).isoformat())
    elif action is Action.LINK_ACTA:
        assert acta is not None
        expediente.details = {**expediente.details, "acta_id": acta.id}
        data.update(acta_id=acta.id, acta_number=acta.acta_number, acta_kind=acta.kind)
        linked = (f"Acta de {ACTA_KIND_TEXT[acta.kind].lower()} N.° {acta.acta_number} "
                  f"(libro {acta.book}, folio {acta.folio}) vinculada")
        data["note"] = f"{linked}. {note}" if note else linked
    record(uow, expediente, ACTION_EVENT[action], actor,
           area=area if action is Action.DERIVE else expediente.area, **data)
    if action in (Action.CORRECT, Action.LINK_ACTA):
        approve_if_automatic(uow, expediente)
    return expediente_view(uow.session, expediente, uow.today, calendar)


def _acta_to_link(uow: UnitOfWork, expediente: Expediente, procedure: Procedure,
                  change: TransitionInput) -> Acta:
    """The acta found for a partida filed without one, checked as at filing: the kind of the
    procedure, and a minor's birth record only for a parent (age on today's date)."""
    if change.acta_id is None:
        raise InvalidInput("acta_required",
                           "Indique el acta que encontró el archivo: búsquela en el registro y "
                           "elíjala.")
    details = PartidaDetails.model_validate({**expediente.details, "acta_id": change.acta_id})
    acta = _check_acta(uow, details, procedure, linking=True)
    assert acta is not None
    return acta


# --- views -----------------------------------------------------------------------------------


def applicant_name(person: Person | None, business: Business | None) -> str:
    if business is not None:
        return business.name
    if person is not None:
        return full_name(person.given_names, person.paternal_surname, person.maternal_surname)
    return ""


def payment_view(payment: Payment, expediente: Expediente, procedure_name: str, payer: str,
                 clerk: str | None) -> PaymentView:
    change = (payment.cash_received - payment.amount
              if payment.cash_received is not None else None)
    exemption = exemption_fields(expediente)
    return PaymentView(
        id=payment.id, receipt_number=payment.receipt_number,
        expediente_number=expediente.number, procedure_name=procedure_name, payer=payer,
        amount=payment.amount, method=payment.method, voucher_number=payment.voucher_number,
        cash_received=payment.cash_received, change=change, paid_at=payment.paid_at,
        clerk=clerk, counter=payment.counter_number,
        exemption=exemption.get("exemption_name"),
        exemption_basis=exemption.get("exemption_basis"), exempted=exemption.get("exempted"))


def attachment_view(attachment: Attachment, who: str | None) -> AttachmentView:
    return AttachmentView(id=attachment.id, file_name=attachment.file_name,
                          media_type=attachment.media_type, size=attachment.size,
                          sha256=attachment.sha256, added_at=attachment.added_at, who=who)


def document_view(event: Event) -> DocumentIssueView | None:
    data = event.data if isinstance(event.data, dict) else {}
    if event.kind != DOCUMENT_EVENT or data.get("document") not in DOCUMENT_TEXT:
        return None
    return DocumentIssueView(
        document=str(data["document"]), medium=str(data.get("medium") or "termica"),
        receipt_number=data.get("receipt_number"),
        issue_number=int(data.get("issue_number") or 1), reprint=bool(data.get("reprint")),
        at=event.occurred_at, who=data.get("who"), where=data.get("where"))


def _event_view(event: Event) -> ExpedienteEventView:
    data = event.data if isinstance(event.data, dict) else {}
    return ExpedienteEventView(
        kind=event.kind, kind_text=EVENT_TEXT.get(event.kind, event.kind),
        at=event.occurred_at, who=data.get("who"), where=data.get("where"),
        area=data.get("area"), note=data.get("note"))


def _clerk_names(session: Session, user_ids: set[str]) -> dict[str, str]:
    if not user_ids:
        return {}
    rows = session.execute(select(User.id, User.full_name).where(User.id.in_(user_ids)))
    return {user_id: name for user_id, name in rows}


def expediente_view(session: Session, expediente: Expediente, today: date,
                    calendar: WorkingCalendar | None = None) -> ExpedienteView:
    """Everything the counter shows of one expediente; `today` is the office's local date;
    `calendar` (the office's) to tell when silencio positivo operates."""
    session.flush()
    procedure = session.get(Procedure, expediente.procedure_id)
    version = session.get(ProcedureVersion, expediente.procedure_version_id)
    assert procedure is not None and version is not None
    person = session.get(Person, expediente.person_id) if expediente.person_id else None
    business = session.get(Business, expediente.business_id) if expediente.business_id else None
    acta = session.get(Acta, expediente.acta_id) if expediente.acta_id else None
    payer = applicant_name(person, business)
    status = Status(expediente.status)
    balance = max(ZERO, expediente.fee - expediente.paid)
    presented = set(expediente.requirements_presented)
    requirements = [
        RequirementCheck(number=n, text=str(r["text"]), mandatory=bool(r["mandatory"]),
                         presented=n in presented or (
                             is_fee_requirement(str(r["text"])) and balance == 0))
        for n, r in enumerate(version.requirements, start=1)]
    events = list(session.scalars(
        select(Event).where(Event.stream == "expediente", Event.stream_id == expediente.id)
        .order_by(Event.seq)))
    payments = list(session.scalars(
        select(Payment).where(Payment.expediente_id == expediente.id).order_by(Payment.paid_at,
                                                                               Payment.id)))
    attachments = list(session.scalars(
        select(Attachment).where(Attachment.expediente_id == expediente.id)
        .order_by(Attachment.added_at, Attachment.id)))
    clerks = _clerk_names(session, {p.user_id for p in payments if p.user_id}
                          | {a.added_by for a in attachments if a.added_by})
    documents = [d for d in map(document_view, events) if d is not None]
    silence = silence_on(session, expediente, calendar, today) if calendar is not None \
        else silence_recorded_on(session, expediente)
    by_law = next((e.kind for e in events if e.kind in LEGAL_APPROVALS), None)
    review = review_fields(session, expediente, procedure.variant)
    state = state_of(expediente, procedure.variant, today, silence=silence, **review)
    appeals = appeals_of(session, expediente, today, calendar)
    return ExpedienteView(
        id=expediente.id, number=expediente.number, tracking_code=expediente.tracking_code,
        procedure_code=procedure.code, procedure_name=procedure.name,
        procedure_version=version.version, category=expediente.category,
        variant=procedure.variant, status=str(status), status_text=STATUS_TEXT[status],
        area=expediente.area,
        person=people.person_view(person) if person else None,
        business=people.business_view(business) if business else None,
        applicant_name=payer, filed_at=expediente.filed_at,
        deadline_working_days=expediente.deadline_working_days,
        calificacion=expediente.calificacion,
        calificacion_text=CALIFICACION_TEXT[Calificacion(expediente.calificacion)],
        due_date=expediente.due_date, observation_due=expediente.observation_due,
        stopped_working_days=expediente.stopped_working_days,
        silencio_positivo=silence is not None and status in RUNNING,
        overdue=overdue(status, today, expediente.due_date, expediente.calificacion),
        fee=expediente.fee, fee_basis=expediente.fee_basis, paid=expediente.paid,
        balance=balance, pages=expediente.pages, requirements=requirements,
        details=dict(expediente.details), acta=acta_view(acta, today) if acta else None,
        itse_done=expediente.itse_done, events=[_event_view(e) for e in events],
        payments=[payment_view(p, expediente, procedure.name, payer,
                               clerks.get(p.user_id) if p.user_id else None)
                  for p in payments],
        attachments=[attachment_view(a, clerks.get(a.added_by) if a.added_by else None)
                     for a in attachments],
        allowed_actions=allowed_actions(state), documents=documents,
        exemption=expediente.exemption, **exemption_fields(expediente),
        silence_operated_on=silence, approved_by_law=by_law,
        silence_article=SILENCE.article if silence is not None else None,
        notices=notices.consent_view(session, notices.EXPEDIENTE, expediente.id),
        appeals=appeals.views, appeal_kinds=appeals.admitted.kinds,
        appeal_filing_due=appeals.admitted.filing_due,
        **review_view(expediente, procedure.variant, review["dictamen"], today, calendar))


def review_view(expediente: Expediente, variant: str | None, dictamen: str | None,
                today: date, calendar: WorkingCalendar | None) -> dict[str, Any]:
    """The Comisión Técnica's step as the views show it: who reviews, by when, the dictamen.
    The due date is counted when asked (a calendar change moves it), on the office's
    calendar; without one (a read that has none) it is left out."""
    evaluacion = expediente.details.get("evaluacion")
    if not (expediente.category == Category.LICENCIA_EDIFICACION and variant in REVIEW_TERMS):
        return {}
    fields: dict[str, Any] = {"evaluacion": evaluacion or str(Evaluacion.COMISION_TECNICA)}
    if not review_required(expediente.category, variant, evaluacion):
        return fields
    fields.update(dictamen=dictamen,
                  dictamen_text=DICTAMEN_TEXT[Dictamen(dictamen)] if dictamen else None)
    if calendar is not None:
        due = review_due(calendar, expediente.filed_at, str(variant),
                         expediente.stopped_working_days)
        fields.update(review_due=due, review_overdue=(
            Status(expediente.status) in RUNNING and review_overdue(due, today, dictamen)))
    return fields


def get_expediente(session: Session, office_id: str, reference: str, today: date,
                   calendar: WorkingCalendar | None = None) -> ExpedienteView:
    return expediente_view(session, find_expediente(session, office_id, reference), today,
                           calendar)


def public_status(session: Session, office_id: str, reference: str, today: date,
                  calendar: WorkingCalendar) -> PublicStatus:
    """What anyone with the number may learn: no names, no documents, no notes."""
    expediente = find_expediente(session, office_id, reference)
    procedure = session.get(Procedure, expediente.procedure_id)
    assert procedure is not None
    status = Status(expediente.status)
    return PublicStatus(
        number=expediente.number, procedure_name=procedure.name, status=str(status),
        status_text=STATUS_TEXT[status], filed_on=calendar.local_date(expediente.filed_at),
        due_date=expediente.due_date, observation_due=expediente.observation_due,
        silencio_positivo=silencio_positivo(
            expediente.calificacion, status, today, expediente.due_date,
            silence_operates_on(calendar, expediente.due_date)))


def fee_balance(expediente: Expediente) -> Decimal:
    return max(ZERO, expediente.fee - expediente.paid)
