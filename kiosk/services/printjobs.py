"""Print jobs: kiosks and counters print on their own printer and report each job to the hub.

The hub keeps the last known outcome of each job (`print_jobs`, keyed by the id the device
generated, so a retry or a successful reprint updates the same row) and an event per change.
The supervisor sees the failures and an alert for each device whose last job failed.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import Conflict, Forbidden, InvalidInput
from kiosk.rules.text import check_line, check_note
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.services.views import AlertView, PrintJobReport, PrintJobView
from kiosk.storage.tables import Device, Event, PrintJob, Reclamo

MAX_REFERENCE = 120
MAX_ERROR_CODE = 60
MAX_TEXT = 500
MAX_LIMIT = 500
SYSTEM_NAME = "sistema"


class PrintKind(StrEnum):
    TICKET = "ticket"
    RECEIPT = "receipt"
    REQUIREMENTS = "requirements"
    CARGO = "cargo"
    CIERRE = "cierre"
    TEST = "test"  # the admin window's printer test page
    RECLAMO = "reclamo"  # the hoja de reclamación (reference: the reclamo's number)


PRINT_STATES = ("printed", "failed")


def _check_text(value: str | None, field: str, limit: int, *, lines: bool = False
                ) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput("invalid_print_job", f"«{field}» debe ser un texto.")
    value = (check_note if lines else check_line)(value, field).strip()
    if len(value) > limit:
        raise InvalidInput("invalid_print_job",
                           f"«{field}» excede {limit} caracteres.")
    return value or None


def check_report(report: PrintJobReport) -> PrintJobReport:
    """The report with its id in canonical form and texts trimmed; Spanish errors otherwise."""
    try:
        job_id = str(uuid.UUID(report.id)) if len(report.id) <= 36 else ""
    except ValueError:
        job_id = ""
    if not job_id:
        raise InvalidInput("invalid_print_job",
                           "El identificador del trabajo de impresión debe ser un UUID.")
    if report.kind not in set(PrintKind):
        raise InvalidInput("invalid_print_job",
                           f"Tipo de impresión desconocido «{report.kind[:40]}». Use uno de: "
                           f"{', '.join(PrintKind)}.")
    if report.state not in PRINT_STATES:
        raise InvalidInput("invalid_print_job",
                           f"Estado de impresión desconocido «{str(report.state)[:40]}». "
                           "Use printed o failed.")
    return report.model_copy(update={
        "id": job_id,
        "reference": _check_text(report.reference, "reference", MAX_REFERENCE),
        "error_code": _check_text(report.error_code, "error_code", MAX_ERROR_CODE),
        "error_message": _check_text(report.error_message, "error_message", MAX_TEXT,
                                     lines=True),
    })


def _view(job: PrintJob, device: str) -> PrintJobView:
    return PrintJobView(
        id=job.id, kind=job.kind, reference=job.reference, state=job.state,
        error_code=job.error_code, error_message=job.error_message, reprint=job.reprint,
        device=device, reported_at=job.reported_at)


# What a kiosk prints by itself: its own tickets, the TUPA's requirement sheets and the hojas
# de reclamación of the reclamos filed on it.
KIOSK_KINDS = (PrintKind.TICKET, PrintKind.REQUIREMENTS, PrintKind.RECLAMO)


def _check_own(uow: UnitOfWork, report: PrintJobReport, device_id: str) -> None:
    """A device alone (the kiosk) reports only what it printed: its tickets (the ticket's
    «issued» event names it) and requirement sheets, never another device's work."""
    if report.kind not in KIOSK_KINDS:
        raise Forbidden("print_job_foreign",
                        "Este equipo solo informa los turnos, requisitos y hojas de reclamación "
                        "que imprime.")
    if report.kind == PrintKind.TICKET:
        issued_by = uow.session.scalar(select(Event.device_id).where(
            Event.stream == "ticket", Event.stream_id == (report.reference or ""),
            Event.kind == "issued").limit(1))
        if issued_by != device_id:
            raise Forbidden("print_job_foreign",
                            "Ese turno no lo sacó este quiosco: solo informa sus propios "
                            "turnos.")
    if report.kind == PrintKind.RECLAMO:
        filed_on = uow.session.scalar(select(Reclamo.device_id).where(
            Reclamo.office_id == uow.office.office_id,
            Reclamo.number == (report.reference or "")))
        if filed_on != device_id:
            raise Forbidden("print_job_foreign",
                            "Ese reclamo no se registró en este quiosco: solo informa sus "
                            "propias hojas.")


def report(uow: UnitOfWork, report: PrintJobReport, device_id: str, device_name: str, *,
           own_only: bool = False) -> PrintJobView:
    """Record a job's outcome. Reporting the same id again updates it (idempotent).
    `own_only`: a device acting alone, held to its own prints (`_check_own`)."""
    checked = check_report(report)
    if own_only:
        _check_own(uow, checked, device_id)
    job = uow.session.get(PrintJob, checked.id)
    outcome = {"state": checked.state, "error_code": checked.error_code,
               "error_message": checked.error_message, "reprint": checked.reprint}
    if job is None:
        job = PrintJob(id=checked.id, office_id=uow.office.office_id, device_id=device_id,
                       kind=checked.kind, reference=checked.reference, reported_at=uow.now,
                       **outcome)
        uow.session.add(job)
        event = "print_reported"
    else:
        if job.device_id != device_id or job.office_id != uow.office.office_id:
            raise Conflict("print_job_foreign",
                           "Ese trabajo de impresión fue informado por otro dispositivo.")
        if (job.kind, job.reference) != (checked.kind, checked.reference):
            raise Conflict("print_job_mismatch",
                           "Ese trabajo de impresión ya se informó con otro tipo o referencia.")
        if all(getattr(job, key) == value for key, value in outcome.items()):
            return _view(job, device_name)  # the same report again (a retry): nothing new
        for key, value in outcome.items():
            setattr(job, key, value)
        job.reported_at = uow.now
        event = "print_updated"
    uow.session.flush()
    uow.record("print_job", job.id, event,
               {"kind": job.kind, "reference": job.reference, **outcome}, device_id)
    return _view(job, device_name)


def _device_names(session: Session) -> dict[str, str]:
    return {key: value for key, value in session.execute(select(Device.id, Device.name))}


def list_jobs(session: Session, state: str | None, limit: int) -> list[PrintJobView]:
    if state is not None and state not in PRINT_STATES:
        raise InvalidInput("invalid_print_state",
                           f"Estado de impresión desconocido «{state[:40]}». Use printed o "
                           "failed.")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("invalid_limit", f"«limit» debe estar entre 1 y {MAX_LIMIT}.")
    query = select(PrintJob)
    if state is not None:
        query = query.where(PrintJob.state == state)
    names = _device_names(session)
    jobs = session.scalars(query.order_by(PrintJob.reported_at.desc(), PrintJob.id.desc())
                           .limit(limit))
    return [_view(job, names.get(job.device_id, SYSTEM_NAME)) for job in jobs]


def _when(moment: datetime, today: date, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{local:%H:%M}" if local.date() == today else f"{local:%d/%m %H:%M}"


def printer_alerts(session: Session, today: date, tz: ZoneInfo) -> list[AlertView]:
    """One alert per active device whose last reported job failed, newest first."""
    revoked = set(session.scalars(select(Device.id).where(Device.revoked_at.is_not(None))))
    names = _device_names(session)
    latest: list[PrintJob] = []
    for device_id in session.scalars(select(PrintJob.device_id).distinct()):
        if device_id in revoked:
            continue
        job = session.scalar(select(PrintJob).where(PrintJob.device_id == device_id)
                             .order_by(PrintJob.reported_at.desc(), PrintJob.id.desc())
                             .limit(1))
        if job is not None and job.state == "failed":
            latest.append(job)
    latest.sort(key=lambda j: j.reported_at, reverse=True)
    alerts = []
    for job in latest:
        reason = job.error_message or job.error_code or "error sin detalle"
        name = names.get(job.device_id, SYSTEM_NAME)
        alerts.append(AlertView(
            code="printer_failed",
            message=f"La impresora del «{name}» falló: {reason} "
                    f"({_when(job.reported_at, today, tz)})"))
    return alerts
