"""The ITSE of a licencia de funcionamiento: recording the inspection and its certificate,
and what the supervisor watches (ITSE posterior past its due date, certificates expiring).

The rules and their sources are kiosk/rules/itse.py. Recording an ITSE is the «inspected»
event of the expediente (the same the counter's «Registrar inspección» writes) with the
certificate's number, date and validity added, and a row in `itse_certificates`, written in
one unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import InvalidInput
from kiosk.ids import new_id
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.expedientes import Action, Status, check_action
from kiosk.rules.itse import (
    CERTIFICATE_VALIDITY_YEARS,
    EXPIRY_WARNING_DAYS,
    ITSE_POSTERIOR_WORKING_DAYS,
    POSTERIOR_RISKS,
    STATE_TEXT,
    CertificateState,
    certificate_state,
    certificate_valid_until,
    itse_due,
)
from kiosk.rules.procedures import Category
from kiosk.services.expediente_views import ExpedienteView
from kiosk.services.expedientes import (
    Actor,
    applicant_name,
    expediente_view,
    find_expediente,
    record,
    state_of,
)
from kiosk.services.itse_views import ItseCertificateView, ItseInput, ItseOverview, ItsePending
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.storage.tables import Business, Expediente, ItseCertificate, Person, Procedure

_CERTIFICATE_STATE_ORDER = {CertificateState.VENCIDO: 0, CertificateState.POR_VENCER: 1,
                            CertificateState.VIGENTE: 2}


def _one_line(text: str | None) -> str | None:
    cleaned = " ".join(text.split()) if text else ""
    return cleaned or None


def _certificate_terms(itse: ItseInput, number: str | None, filed_on: date, today: date
                       ) -> date | None:
    """The certificate's last valid day (None for a no conforme), or a Spanish refusal."""
    if itse.result == "no_conforme":
        if number or itse.certificate_date:
            raise InvalidInput("certificate_not_issued",
                               "Una ITSE no conforme no tiene certificado: deje vacíos el "
                               "número y la fecha del certificado.")
        return None
    if not number or itse.certificate_date is None:
        raise InvalidInput("certificate_required",
                           "Para una ITSE conforme indique el número y la fecha de emisión del "
                           "certificado de ITSE.")
    issued = itse.certificate_date
    if issued > today:
        raise InvalidInput("invalid_certificate_date",
                           f"La fecha del certificado ({issued:%d/%m/%Y}) es posterior a hoy "
                           f"({today:%d/%m/%Y}). Revise la fecha.")
    if issued < filed_on:
        raise InvalidInput("invalid_certificate_date",
                           f"La fecha del certificado ({issued:%d/%m/%Y}) es anterior a la "
                           f"solicitud de licencia ({filed_on:%d/%m/%Y}). Revise la fecha.")
    return certificate_valid_until(issued)


def record_itse(uow: UnitOfWork, reference: str, itse: ItseInput, actor: Actor,
                calendar: WorkingCalendar) -> ExpedienteView:
    """Record the ITSE of a licencia de funcionamiento: its result and, when conforme, the
    certificate (number, date of issue) with its validity. When it may be recorded (after the
    licence for risk bajo and medio, before it for alto and muy alto) is the transition rule
    of the inspection (kiosk/rules/expedientes.py)."""
    expediente = find_expediente(uow.session, uow.office.office_id, reference)
    procedure = uow.session.get(Procedure, expediente.procedure_id)
    assert procedure is not None
    note = _one_line(itse.note)
    target = check_action(state_of(expediente, procedure.variant, uow.today), Action.INSPECT,
                          expediente.number, note=note, inspection_result=itse.result)
    number = _one_line(itse.certificate_number)
    valid_until = _certificate_terms(itse, number, calendar.local_date(expediente.filed_at),
                                     uow.today)
    issued = itse.certificate_date if valid_until else None
    data: dict[str, Any] = {
        "from_status": expediente.status, "to_status": str(target), "note": note,
        "inspection_result": itse.result, "certificate_number": number,
        "certificate_date": issued.isoformat() if issued else None,
        "valid_until": valid_until.isoformat() if valid_until else None}
    recorded = record(uow, expediente, "inspected", actor, area=expediente.area, **data)
    uow.session.add(ItseCertificate(
        id=new_id(), office_id=uow.office.office_id, expediente_id=expediente.id,
        result=itse.result, certificate_number=number,
        certificate_date=issued,
        valid_until=valid_until, recorded_at=uow.now, recorded_by=recorded.get("who_id")))
    return expediente_view(uow.session, expediente, uow.today, calendar)


# --- the supervisor's watch -----------------------------------------------------------------


def _applicant(session: Session, expediente: Expediente) -> str:
    person = session.get(Person, expediente.person_id) if expediente.person_id else None
    business = (session.get(Business, expediente.business_id) if expediente.business_id
                else None)
    return applicant_name(person, business)


def _latest_by_expediente(session: Session, office_id: str) -> dict[str, ItseCertificate]:
    """Each licence's newest ITSE record (conforme or not)."""
    latest: dict[str, ItseCertificate] = {}
    for row in session.scalars(select(ItseCertificate)
                               .where(ItseCertificate.office_id == office_id)
                               .order_by(ItseCertificate.recorded_at, ItseCertificate.id)):
        latest[row.expediente_id] = row
    return latest


def pending_itse(session: Session, office_id: str, today: date, calendar: WorkingCalendar,
                 latest: dict[str, ItseCertificate] | None = None) -> list[ItsePending]:
    """Licences of risk bajo or medio, approved, whose ITSE posterior is not conforme yet."""
    if latest is None:
        latest = _latest_by_expediente(session, office_id)
    rows = session.execute(
        select(Expediente, Procedure.variant)
        .join(Procedure, Procedure.id == Expediente.procedure_id)
        .where(Expediente.office_id == office_id,
               Expediente.category == Category.LICENCIA_FUNCIONAMIENTO.value,
               Procedure.variant.in_(POSTERIOR_RISKS),
               Expediente.status.in_([Status.APROBADO.value, Status.ENTREGADO.value]),
               Expediente.itse_done.is_(False), Expediente.decided_at.is_not(None)))
    pending = []
    for expediente, variant in rows:
        assert expediente.decided_at is not None
        approved_on = calendar.local_date(expediente.decided_at)
        due = itse_due(calendar, approved_on)
        last = latest.get(expediente.id)
        pending.append(ItsePending(
            number=expediente.number, applicant=_applicant(session, expediente), risk=variant,
            approved_on=approved_on, due_date=due, overdue=today > due,
            last_result="no_conforme" if last is not None else None))
    pending.sort(key=lambda p: (not p.overdue, p.due_date, p.number))
    return pending


def itse_overview(session: Session, office_id: str, today: date, calendar: WorkingCalendar
                  ) -> ItseOverview:
    latest = _latest_by_expediente(session, office_id)
    certificates = []
    for expediente_id, row in latest.items():
        if row.result != "conforme" or row.valid_until is None or row.certificate_date is None:
            continue
        expediente = session.get(Expediente, expediente_id)
        assert expediente is not None and row.certificate_number is not None
        state = certificate_state(row.valid_until, today)
        certificates.append(ItseCertificateView(
            number=expediente.number, applicant=_applicant(session, expediente),
            certificate_number=row.certificate_number, certificate_date=row.certificate_date,
            valid_until=row.valid_until, state=str(state), state_text=STATE_TEXT[state]))
    certificates.sort(key=lambda c: (_CERTIFICATE_STATE_ORDER[CertificateState(c.state)],
                                     c.valid_until, c.number))
    return ItseOverview(
        today=today, due_working_days=ITSE_POSTERIOR_WORKING_DAYS.value,
        due_days_confirmed=ITSE_POSTERIOR_WORKING_DAYS.confirmed,
        validity_years=CERTIFICATE_VALIDITY_YEARS.value, warning_days=EXPIRY_WARNING_DAYS,
        pending=pending_itse(session, office_id, today, calendar, latest),
        certificates=certificates)


def _numbers(numbers: Sequence[str], shown: int = 3) -> str:
    listed = ", ".join(numbers[:shown])
    return listed + (f" y {len(numbers) - shown} más" if len(numbers) > shown else "")


def itse_alerts(session: Session, office_id: str, today: date, calendar: WorkingCalendar
                ) -> list[tuple[str, str]]:
    """(severity, message) for the supervisor's live alerts: ITSE posterior past its due date
    without a conforme inspection recorded. Numbers only, no names."""
    late = [p.number for p in pending_itse(session, office_id, today, calendar) if p.overdue]
    if not late:
        return []
    return [("warning",
             f"ITSE vencida sin registrar ({len(late)}): {_numbers(late)}. Programe la "
             "inspección o registre su resultado (sección ITSE).")]
