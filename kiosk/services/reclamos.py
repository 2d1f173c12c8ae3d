"""The Libro de Reclamaciones and the kiosk's suggestions box (kiosk/rules/reclamos.py).

A reclamo is filed at the kiosk by the citizen alone or at a counter by a clerk; the hub gives
it the office's next yearly number and the date its answer is due, and the supervisor records
the answer and how it reached the citizen. Each step is an event of the reclamo's stream
(«filed», «answered») in the office's hash chain; the row is their projection. Events carry
the number, category and dates, never what the citizen wrote: that stays in the row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.errors import Conflict, InvalidInput, NotFound
from kiosk.ids import new_id
from kiosk.rules import reclamos as rules
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.identity import validate_document
from kiosk.services.expedientes import next_in_year
from kiosk.services.reclamo_views import (
    ReclamoAnswer,
    ReclamoBook,
    ReclamoDraft,
    ReclamoDraftInput,
    ReclamoInput,
    ReclamoView,
    SuggestionCount,
    SuggestionInput,
    SuggestionReceived,
    SuggestionStats,
    SuggestionText,
)
from kiosk.services.stats import check_period
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.storage.tables import Event, Reclamo, Suggestion, Ticket
from kiosk.storage.tables import ReclamoDraft as DraftRow

LATEST_SHOWN = 50  # suggestions whose text the satisfaction tab shows


@dataclass(frozen=True)
class Filer:
    """Where a reclamo was filed and by whom (a clerk; None at the kiosk)."""

    channel: rules.Channel
    device_id: str | None
    user_id: str | None = None


def _optional(value: str | None) -> str | None:
    text = (value or "").strip()
    return text or None


def _contact(data: ReclamoInput) -> tuple[str | None, str | None, str | None]:
    address, phone, email = _optional(data.address), _optional(data.phone), _optional(data.email)
    if email is not None and ("@" not in email or " " in email or email.startswith("@")
                              or email.endswith("@")):
        raise InvalidInput("invalid_email",
                           f"El correo «{email[:60]}» no parece válido: revíselo.")
    if email is None and address is None:
        raise InvalidInput("contact_required",
                           "Indique un correo electrónico o un domicilio: allí se le enviará "
                           "la respuesta a su reclamo.")
    return address, phone, email


def file_reclamo(uow: UnitOfWork, data: ReclamoInput, filer: Filer,
                 calendar: WorkingCalendar, office_name: str) -> ReclamoView:
    """Number the reclamo, count its answer day, record «filed»: all in the caller's unit."""
    category = rules.parse_category(data.category)
    doc_number = validate_document(data.doc_type, data.doc_number)
    full_name = " ".join(data.full_name.split())
    description = data.description.strip()
    if not full_name or not description:
        raise InvalidInput("reclamo_incomplete",
                           "Escriba su nombre completo y qué ocurrió: son obligatorios.")
    address, phone, email = _contact(data)
    term = rules.ANSWER_WORKING_DAYS
    year, seq = next_in_year(uow, rules.SERIES)
    reclamo = Reclamo(
        id=new_id(), office_id=uow.office.office_id,
        number=rules.reclamo_number(uow.office.office_code, year, seq), year=year, seq=seq,
        channel=filer.channel, category=category, doc_type=data.doc_type,
        doc_number=doc_number, full_name=full_name, address=address, phone=phone,
        email=email, description=description, request=_optional(data.request),
        filed_at=uow.now, answer_working_days=term.value,
        due_date=rules.answer_due(uow.now, calendar, term), status=rules.Status.ABIERTO,
        device_id=filer.device_id, created_by=filer.user_id, updated_at=uow.now)
    uow.session.add(reclamo)
    uow.session.flush()
    if data.from_ticket:  # the kiosk's draft has served: gone with the filing
        draft = _draft_of_ticket(uow.session, data.from_ticket, uow.today)
        if draft is not None:
            uow.session.delete(draft)
    uow.record("reclamo", reclamo.id, "filed",
               {"number": reclamo.number, "category": category, "channel": filer.channel,
                "due_date": reclamo.due_date.isoformat(), "working_days": term.value,
                "who_id": filer.user_id}, filer.device_id)
    return view(reclamo, uow.office.office_code, office_name, uow.today)


# --- a kiosk's draft, finished by a clerk ---------------------------------------------------


def save_draft(uow: UnitOfWork, request: ReclamoDraftInput, device_id: str | None) -> None:
    """Keep what the citizen typed with the Orientación ticket the kiosk just gave them: a
    ticket of today, still waiting, issued by this kiosk. The event names the ticket only."""
    ticket = uow.session.get(Ticket, request.ticket_id)
    issued_here = ticket is not None and uow.session.scalar(select(Event.seq).where(
        Event.stream == "ticket", Event.stream_id == ticket.id, Event.kind == "issued",
        Event.device_id == device_id).limit(1)) is not None
    if ticket is None or ticket.business_date != uow.today or ticket.status != "waiting" \
            or not issued_here:
        raise NotFound("no_ticket_for_draft",
                       "El turno no está esperando en esta oficina hoy: el reclamo empezado "
                       "no se guardó. Un asesor lo registrará con usted.")
    data = request.draft.model_dump(mode="json", exclude_defaults=True)
    if not data:
        return  # nothing typed: nothing to keep
    found = uow.session.scalar(select(DraftRow).where(DraftRow.ticket_id == ticket.id))
    if found is None:
        found = DraftRow(id=new_id(), office_id=uow.office.office_id, ticket_id=ticket.id,
                             business_date=uow.today, data=data, device_id=device_id,
                             created_at=uow.now)
        uow.session.add(found)
    else:
        found.data, found.created_at = data, uow.now
    uow.session.flush()
    uow.record("reclamo_draft", found.id, "draft_saved", {"ticket": ticket.number}, device_id)


def _draft_of_ticket(session: Session, number: str, today: date) -> DraftRow | None:
    text = number.strip().upper() if isinstance(number, str) else ""
    return session.scalar(select(DraftRow).join(Ticket, Ticket.id == DraftRow.ticket_id)
                          .where(Ticket.number == text, Ticket.business_date == today,
                                 DraftRow.business_date == today))


def draft_for_ticket(session: Session, number: str, today: date) -> ReclamoDraft:
    """What the citizen with today's ticket `number` typed at the kiosk (a clerk reads it)."""
    found = _draft_of_ticket(session, number, today)
    if found is None:
        raise NotFound("no_draft", f"El turno {str(number)[:12]} no trae un reclamo empezado en "
                                   "el quiosco hoy.")
    return ReclamoDraft.model_validate(found.data)


def purge_old_drafts(uow: UnitOfWork) -> int:
    """Drafts of past days: their citizen was served or left; the text does not stay."""
    old = list(uow.session.scalars(select(DraftRow).where(
        DraftRow.business_date < uow.today)))
    for draft in old:
        uow.session.delete(draft)
    return len(old)


def find_reclamo(session: Session, office_id: str, number: str) -> Reclamo:
    text = number.strip().upper() if isinstance(number, str) else ""
    found = session.scalar(select(Reclamo).where(Reclamo.office_id == office_id,
                                                 Reclamo.number == text)) if text else None
    if found is None:
        raise NotFound("unknown_reclamo", f"No hay un reclamo «{text[:40]}» en esta oficina.")
    return found


def answer_reclamo(uow: UnitOfWork, number: str, answer: ReclamoAnswer, user_id: str | None,
                   device_id: str | None, office_name: str) -> ReclamoView:
    """Record the entity's answer and how it was delivered; a reclamo is answered once."""
    delivery = rules.parse_delivery(answer.delivery)
    text = answer.answer.strip()
    if not text:
        raise InvalidInput("answer_required", "Escriba la respuesta al reclamo.")
    reclamo = find_reclamo(uow.session, uow.office.office_id, number)
    if reclamo.status == rules.Status.RESPONDIDO:
        raise Conflict("reclamo_answered",
                       f"El reclamo {reclamo.number} ya fue respondido.")
    if delivery is rules.Delivery.CORREO and reclamo.email is None:
        raise InvalidInput("no_email",
                           f"El reclamo {reclamo.number} no tiene correo electrónico: elija "
                           "otro medio de entrega.")
    late = uow.today > reclamo.due_date
    reclamo.status, reclamo.answer, reclamo.delivery = rules.Status.RESPONDIDO, text, delivery
    reclamo.answered_at, reclamo.answered_by, reclamo.updated_at = uow.now, user_id, uow.now
    uow.record("reclamo", reclamo.id, "answered",
               {"number": reclamo.number, "delivery": delivery, "late": late,
                "who_id": user_id}, device_id)
    return view(reclamo, uow.office.office_code, office_name, uow.today)


def view(reclamo: Reclamo, office_code: str, office_name: str, today: date) -> ReclamoView:
    category = rules.Category(reclamo.category)
    delivery = rules.Delivery(reclamo.delivery) if reclamo.delivery else None
    answered = reclamo.status == rules.Status.RESPONDIDO
    return ReclamoView(
        number=reclamo.number, office=office_code, office_name=office_name,
        channel=reclamo.channel, category=category, category_text=rules.CATEGORY_TEXT[category],
        doc_type=reclamo.doc_type, doc_number=reclamo.doc_number, full_name=reclamo.full_name,
        address=reclamo.address, phone=reclamo.phone, email=reclamo.email,
        description=reclamo.description, request=reclamo.request, filed_at=reclamo.filed_at,
        answer_working_days=reclamo.answer_working_days, due_date=reclamo.due_date,
        status=reclamo.status, overdue=rules.is_overdue(reclamo.due_date, today, answered),
        answer=reclamo.answer, delivery=delivery,
        delivery_text=rules.DELIVERY_TEXT[delivery] if delivery else None,
        answered_at=reclamo.answered_at)


def reclamo_book(session: Session, office_id: str, office_code: str, office_name: str,
                 today: date, open_only: bool) -> ReclamoBook:
    """Open reclamos by due date (the overdue come first by construction), then, unless
    `open_only`, the answered ones, newest answer first."""
    rows = session.scalars(select(Reclamo).where(Reclamo.office_id == office_id)
                           .order_by(Reclamo.due_date, Reclamo.seq)).all()
    open_rows = [r for r in rows if r.status == rules.Status.ABIERTO]
    answered = [] if open_only else sorted(
        (r for r in rows if r.status == rules.Status.RESPONDIDO),
        key=lambda r: r.answered_at or r.filed_at, reverse=True)
    term = rules.ANSWER_WORKING_DAYS
    return ReclamoBook(today=today, answer_working_days=term.value,
                       days_confirmed=term.confirmed, days_source=term.source,
                       reclamos=[view(r, office_code, office_name, today)
                                 for r in [*open_rows, *answered]])


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: a leading =, +, - or @ would be a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def export_csv(session: Session, office_id: str, office_code: str, tz: ZoneInfo,
               year: int) -> str:
    """The year's reclamos in the columns of the hoja (kiosk/rules/reclamos.py
    EXPORT_COLUMNS), by number; dates and times in the office's time zone."""
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidInput("invalid_year", "Indique un año entre 2000 y 2100.")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rules.EXPORT_COLUMNS)
    rows = session.scalars(select(Reclamo).where(Reclamo.office_id == office_id,
                                                 Reclamo.year == year).order_by(Reclamo.seq))
    for r in rows:
        filed = r.filed_at.astimezone(tz)
        answered = r.answered_at.astimezone(tz).date().isoformat() if r.answered_at else ""
        delivery = rules.DELIVERY_TEXT[rules.Delivery(r.delivery)] if r.delivery else ""
        writer.writerow([_cell(v) for v in (
            r.number, filed.date().isoformat(), filed.strftime("%H:%M"), r.channel,
            office_code, r.doc_type, r.doc_number, r.full_name, r.address, r.phone, r.email,
            rules.CATEGORY_TEXT[rules.Category(r.category)], r.description, r.request,
            r.due_date.isoformat(), r.status, answered, r.answer, delivery)])
    return out.getvalue()


def exported_count(text: str) -> int:
    """The reclamos in an export (a description may hold line breaks: rows, not lines)."""
    return max(0, sum(1 for _ in csv.reader(io.StringIO(text))) - 1)


# --- the suggestions box -----------------------------------------------------------------------


def submit_suggestion(uow: UnitOfWork, data: SuggestionInput, device_id: str | None
                      ) -> SuggestionReceived:
    category = rules.parse_suggestion_category(data.category)
    text = data.text.strip()
    if not text:
        raise InvalidInput("suggestion_empty", "Escriba su sugerencia.")
    row = Suggestion(id=new_id(), office_id=uow.office.office_id, business_date=uow.today,
                     category=category, text=text, device_id=device_id, created_at=uow.now)
    uow.session.add(row)
    uow.session.flush()
    uow.record("suggestion", row.id, "suggested", {"category": category}, device_id)
    return SuggestionReceived(id=row.id, category=category, created_at=uow.now)


def suggestion_stats(session: Session, office_id: str, date_from: date, date_to: date
                     ) -> SuggestionStats:
    check_period(date_from, date_to)
    period = (Suggestion.office_id == office_id, Suggestion.business_date >= date_from,
              Suggestion.business_date <= date_to)
    counts: dict[str, int] = {
        category: count for category, count in session.execute(
            select(Suggestion.category, func.count()).where(*period)
            .group_by(Suggestion.category))}
    latest = session.scalars(select(Suggestion).where(*period)
                             .order_by(Suggestion.created_at.desc()).limit(LATEST_SHOWN))
    return SuggestionStats(
        date_from=date_from, date_to=date_to, total=sum(counts.values()),
        by_category=[SuggestionCount(category=c, label=rules.SUGGESTION_TEXT[c],
                                     count=counts.get(c, 0))
                     for c in rules.SuggestionCategory],
        latest=[SuggestionText(business_date=s.business_date, category=s.category,
                               label=rules.SUGGESTION_TEXT[rules.SuggestionCategory(s.category)],
                               text=s.text) for s in latest])
