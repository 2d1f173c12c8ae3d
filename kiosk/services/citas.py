"""Citas: each service's setting, its free slots, bookings (counter and kiosk), cancellations
and changes, the check-in that issues a ticket, no-shows, the supervisor's figures and the
reminders due. The rules are kiosk/rules/citas.py; every write here runs in the caller's unit
of work and records a «cita» event (central receives them with the others).

A slot's places are counted over the bookings that hold one inside the write transaction that
adds another: the office store has one writer at a time, so a place is never given twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.errors import Conflict, Forbidden, InvalidInput, NotFound, RateLimited
from kiosk.ids import new_id
from kiosk.rules.calendar import WorkingCalendar
from kiosk.rules.cita_proof import dni_proof
from kiosk.rules.citas import (
    HOLDS_PLACE,
    STATUS_TEXT,
    Channel,
    CitaPlan,
    CitaStatus,
    Slot,
    callable_from,
    check_booking_day,
    check_plan,
    day_slots,
    new_code,
    normalise_code,
    on_time,
    reminder_day,
    reminder_text,
)
from kiosk.rules.identity import validate_dni
from kiosk.rules.notices import NoticeKind
from kiosk.rules.text import check_line
from kiosk.services import notices, queue
from kiosk.services.cita_views import (
    CitaCheckIn,
    CitaDayStats,
    CitaDayView,
    CitaInput,
    CitaPlanInput,
    CitaPlanView,
    CitaReminder,
    CitaStats,
    CitaView,
    SlotView,
)
from kiosk.services.expediente_views import NoticeContactInput
from kiosk.services.stats import check_period
from kiosk.services.unit_of_work import OfficeContext, UnitOfWork
from kiosk.storage.tables import (
    Cita,
    CitaDelegation,
    CitaService,
    CounterService,
    Event,
    Service,
    Ticket,
)

# A code is drawn again when taken (31^6 codes: a clash is rare, never repeated for long).
CODE_ATTEMPTS = 20


@dataclass(frozen=True)
class Booker:
    """Who books: the channel, whether today may be booked, and the clerk (users.id)."""

    channel: Channel
    same_day: bool
    user_id: str | None = None


# --- each service's setting --------------------------------------------------------------


def _service(session: Session, code: str) -> Service:
    found = session.scalar(select(Service).where(Service.code == code)) if isinstance(
        code, str) else None
    if found is None:
        raise NotFound("unknown_service", f"El servicio «{str(code)[:20]}» no existe en esta "
                                          "oficina.")
    return found


def _counters_serving(session: Session, service_id: str) -> int:
    return session.scalar(select(func.count()).select_from(CounterService).where(
        CounterService.service_id == service_id)) or 0


def _plan_view(session: Session, service: Service, row: CitaService | None) -> CitaPlanView:
    return CitaPlanView(service=service.code, service_name=service.name,
                        takes_citas=bool(row and row.takes_citas and service.active),
                        slot_minutes=row.slot_minutes if row else 0,
                        walkin_percent=row.walkin_percent if row else 0,
                        counters=_counters_serving(session, service.id))


def plans(session: Session) -> list[CitaPlanView]:
    """Every active service, with its citas setting."""
    rows = {r.service_id: r for r in session.scalars(select(CitaService))}
    return [_plan_view(session, s, rows.get(s.id)) for s in session.scalars(
        select(Service).where(Service.active.is_(True)).order_by(Service.position))]


def set_plan(uow: UnitOfWork, code: str, change: CitaPlanInput, device_id: str | None
             ) -> CitaPlanView:
    service = _service(uow.session, code)
    plan = check_plan(change.slot_minutes, change.walkin_percent)
    row = uow.session.get(CitaService, service.id)
    if row is None:
        row = CitaService(service_id=service.id)
        uow.session.add(row)
    row.takes_citas = change.takes_citas
    row.slot_minutes, row.walkin_percent = plan.slot_minutes, plan.walkin_percent
    row.updated_at = uow.now
    uow.record("cita_service", service.id, "cita_plan_set", {
        "service": service.code, "takes_citas": change.takes_citas,
        "slot_minutes": plan.slot_minutes, "walkin_percent": plan.walkin_percent}, device_id)
    return _plan_view(uow.session, service, row)


def _taking(session: Session, code: str) -> tuple[Service, CitaPlan]:
    service = _service(session, code)
    row = session.get(CitaService, service.id)
    if row is None or not row.takes_citas or not service.active:
        raise Conflict("no_citas", f"El servicio «{service.name}» no atiende con cita.")
    return service, CitaPlan(row.slot_minutes, row.walkin_percent)


# --- slots ------------------------------------------------------------------------------


def _hours(office: OfficeContext) -> tuple[time, time]:
    return time.fromisoformat(office.office_opens), time.fromisoformat(office.office_closes)


def _slots(session: Session, office: OfficeContext, calendar: WorkingCalendar,
           service: Service, plan: CitaPlan, day: date) -> list[Slot]:
    opens, closes = _hours(office)
    return day_slots(day, plan, opens, closes, _counters_serving(session, service.id),
                     calendar)


def _start(office: OfficeContext, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=office.tz)


def _held(session: Session, service_id: str, day: date, exclude: str | None = None
          ) -> dict[datetime, int]:
    """The office's own places held on a day, by slot start (central's bookings hold the
    places delegated to it, `_delegated`)."""
    query = (select(Cita.start_at, func.count()).where(
        Cita.service_id == service_id, Cita.day == day, Cita.channel != Channel.CENTRAL.value,
        Cita.status.in_([s.value for s in HOLDS_PLACE])).group_by(Cita.start_at))
    if exclude is not None:
        query = query.where(Cita.id != exclude)
    return {start: n for start, n in session.execute(query)}


def _delegated(session: Session, office: OfficeContext, service_id: str, day: date
               ) -> dict[datetime, int]:
    """The places of a day's slots given to central, by slot start."""
    midnight = datetime.combine(day, time(0), tzinfo=office.tz)
    return {start: int(n) for start, n in session.execute(
        select(CitaDelegation.start_at, func.sum(CitaDelegation.places)).where(
            CitaDelegation.service_id == service_id, CitaDelegation.start_at >= midnight,
            CitaDelegation.start_at < midnight + timedelta(days=1))
        .group_by(CitaDelegation.start_at))}


def free_slots(session: Session, office: OfficeContext, calendar: WorkingCalendar, code: str,
               day: date, now: datetime) -> CitaDayView:
    """A service's slots on `day`, with the places still free (a slot already started is not
    offered)."""
    service, plan = _taking(session, code)
    closed = calendar.non_working_reason(day)
    held = _held(session, service.id, day)
    central = _delegated(session, office, service.id, day)
    views = []
    for slot in _slots(session, office, calendar, service, plan, day):
        start = _start(office, day, slot.start)
        if start <= now:
            continue
        given = central.get(start, 0)
        views.append(SlotView(start=start, time=f"{slot.start:%H:%M}", places=slot.places,
                              free=max(slot.places - given - held.get(start, 0), 0),
                              central=given))
    return CitaDayView(service=service.code, service_name=service.name, day=day,
                       closed=closed, slots=views)


def _take_place(uow: UnitOfWork, calendar: WorkingCalendar, service: Service, plan: CitaPlan,
                start: datetime, booker: Booker, exclude: str | None = None) -> datetime:
    """The slot starting at `start` if it has a free place now; a Spanish refusal otherwise."""
    if start.tzinfo is None:
        raise InvalidInput("invalid_cita_start", "Indique la hora de la cita con su zona "
                                                 "horaria, como la dan los turnos libres.")
    local = start.astimezone(uow.office.tz)
    day = check_booking_day(local.date(), uow.today, same_day=booker.same_day)
    reason = calendar.non_working_reason(day)
    if reason is not None:
        raise Conflict("cita_day_closed", f"El {day:%d/%m/%Y} no se atiende ({reason}).")
    slots = {s.start: s for s in _slots(uow.session, uow.office, calendar, service, plan, day)}
    slot = slots.get(local.time().replace(tzinfo=None))
    if slot is None:
        raise Conflict("no_such_slot", f"{service.name} no tiene un turno de cita a las "
                                       f"{local:%H:%M} del {day:%d/%m/%Y}.")
    start = _start(uow.office, day, slot.start)
    if start <= uow.now:
        raise Conflict("slot_past", f"La hora {local:%H:%M} ya pasó: elija otra.")
    kept = slot.places - _delegated(uow.session, uow.office, service.id, day).get(start, 0)
    if _held(uow.session, service.id, day, exclude).get(start, 0) >= kept:
        raise Conflict("slot_full", f"Ya no quedan cupos a las {local:%H:%M} del "
                                    f"{day:%d/%m/%Y}: elija otra hora.")
    return start


def _contact(raw: str | None) -> str | None:
    text = check_line(raw, "contacto").strip() if raw else ""
    return text or None


def _view(session: Session, cita: Cita, office: OfficeContext) -> CitaView:
    service = session.get(Service, cita.service_id)
    assert service is not None
    ticket = session.get(Ticket, cita.ticket_id) if cita.ticket_id else None
    local = cita.start_at.astimezone(office.tz)
    return CitaView(code=cita.code, service=service.code, service_name=service.name,
                    day=cita.day, start=cita.start_at, time=f"{local:%H:%M}",
                    status=cita.status, status_text=STATUS_TEXT[CitaStatus(cita.status)],
                    channel=cita.channel, document=cita.document, name=cita.name,
                    contact=cita.contact, ticket=ticket.number if ticket else None)


def _event(uow: UnitOfWork, cita: Cita, kind: str, device_id: str | None, **data: Any
           ) -> None:
    """A cita's event: no name nor contact (they stay in the office's store)."""
    service = uow.session.get(Service, cita.service_id)
    assert service is not None
    uow.record("cita", cita.id, kind, {
        "code": cita.code, "service": service.code, "day": cita.day.isoformat(),
        "start": cita.start_at.isoformat(), "status": cita.status, **data}, device_id)


# --- central's share: places delegated in advance, bookings made there ------------------


def delegate(uow: UnitOfWork, calendar: WorkingCalendar, code: str, day: date, places: int,
             device_id: str | None) -> CitaDayView:
    """Give central up to `places` more of each future slot of `day`, of those the office
    has not booked: from now on the office books only what it kept, central only what it
    was given (it learns it on the next push), so neither gives a place twice."""
    service, plan = _taking(uow.session, code)
    check_booking_day(day, uow.today, same_day=True)
    held = _held(uow.session, service.id, day)
    given = _delegated(uow.session, uow.office, service.id, day)
    for slot in _slots(uow.session, uow.office, calendar, service, plan, day):
        start = _start(uow.office, day, slot.start)
        more = min(places, slot.places - given.get(start, 0) - held.get(start, 0))
        if start <= uow.now or more <= 0:
            continue
        row = CitaDelegation(id=new_id(), office_id=uow.office.office_id, service_id=service.id,
                             start_at=start, places=more, created_at=uow.now)
        uow.session.add(row)
        uow.record("cita_delegation", row.id, "cita_delegated", {
            "service": service.code, "start": start.isoformat(), "places": more}, device_id)
    uow.session.flush()
    return free_slots(uow.session, uow.office, calendar, code, day, uow.now)


def accept_central(uow: UnitOfWork, booking: dict[str, Any]) -> CitaView | None:
    """A booking central made on a place delegated to it, as its feed brings it: stored once
    (by its id), bookable at the office's kiosk and counters like any other. None: already
    here. A code this office already gave another cita (each side draws codes on its own)
    is refused, so the sync lists it for the managers: the citizen holds central's code."""
    code = str(booking.get("code", ""))
    here = uow.session.scalar(select(Cita.id).where(Cita.code == code))
    if here is not None and here == str(booking.get("id", "")):
        return None
    service = _service(uow.session, str(booking.get("service", "")))
    start = datetime.fromisoformat(str(booking["start"]))
    if here is not None:
        local = start.astimezone(uow.office.tz)
        raise Conflict("cita_code_clash",
                       f"La central reservó la cita {code} ({service.name}, "
                       f"{local:%d/%m/%Y %H:%M}), pero esta oficina ya tiene otra cita con ese "
                       "código: no se registró aquí. Búsquela en la central y llame al "
                       "ciudadano para darle otra hora.")
    if start.tzinfo is None or normalise_code(code) != code:
        raise InvalidInput("invalid_central_cita", f"La cita «{code[:20]}» de la central no "
                                                   "es válida.")
    cita = Cita(id=str(booking["id"]), office_id=uow.office.office_id, code=code,
                service_id=service.id, day=start.astimezone(uow.office.tz).date(),
                start_at=start, status=CitaStatus.BOOKED.value,
                channel=Channel.CENTRAL.value, document=validate_dni(str(booking["document"])),
                name=str(booking["name"])[:120], contact=_contact(booking.get("contact")),
                ticket_id=None, booked_at=datetime.fromisoformat(str(booking["at"])),
                booked_by=None, checked_in_at=None, updated_at=uow.now)
    uow.session.add(cita)
    _event(uow, cita, "booked", None, channel=Channel.CENTRAL.value)
    if booking.get("consent") is True and cita.contact:
        _consent(uow, cita, notices.Who(None, "página pública de la central", None))
    return _view(uow.session, cita, uow.office)


CENTRAL_CANCEL, CENTRAL_MOVE = "cancel", "move"


def apply_central_request(uow: UnitOfWork, asked: str, request: dict[str, Any]) -> str:
    """A citizen's cancellation or move of a central booking, as central's feed brings it
    (decision record 48), applied whole: the cita is cancelled (its pending notices too) or
    moved to the delegated hour central took for it. A cita no longer booked — the citizen
    checked in here while the office could not reach central — stays as it is: the office
    refuses, and its «central_refused» event tells central, which gives back the place it
    took. The outcome: «cancel», «move» or «refused»."""
    cita = uow.session.get(Cita, str(request.get("id", "")))
    code = str(request.get("code", ""))
    if cita is None or cita.code != code:
        raise NotFound("unknown_cita", f"La central pidió cambiar la cita «{code[:20]}», que "
                                       "la oficina no tiene.")
    data = {"request": str(request["request"]),
            "by": str(request.get("by") or "Servidor central")[:120]}
    if cita.status != CitaStatus.BOOKED.value:
        _event(uow, cita, "central_refused", None, asked=asked, **data)
        return "refused"
    if asked == CENTRAL_CANCEL:
        cita.status, cita.updated_at = CitaStatus.CANCELLED.value, uow.now
        notices.cancel_pending(uow, notices.CITA, cita.id, "Cita cancelada.")
        _event(uow, cita, "cancelled", None, channel=Channel.CENTRAL.value, **data)
        return asked
    start = datetime.fromisoformat(str(request["start"]))
    if asked != CENTRAL_MOVE or start.tzinfo is None:
        raise InvalidInput("invalid_central_cita", f"El cambio de la cita «{code[:20]}» "
                                                   "enviado por la central no es válido.")
    before = cita.start_at
    cita.start_at, cita.day = start, start.astimezone(uow.office.tz).date()
    # The hour central took is one of its delegated places, whoever held the cita before.
    cita.channel, cita.updated_at = Channel.CENTRAL.value, uow.now
    notices.cancel_pending(uow, notices.CITA, cita.id, "Cita cambiada de hora.")
    _event(uow, cita, "changed", None, before=before.isoformat(),
           channel=Channel.CENTRAL.value, **data)
    return asked


# --- booking, cancelling, changing -------------------------------------------------------


def _within_kiosk_allowance(uow: UnitOfWork, device_id: str) -> None:
    """A kiosk books at most the office's `cita_kiosk_bookings_per_hour` in any hour (its
    «booked» events say when): a public screen must not hand one person every place."""
    limit = uow.office.cita_kiosk_bookings_per_hour
    recent = uow.session.scalars(select(Event.occurred_at).where(
        Event.stream == "cita", Event.kind == "booked", Event.device_id == device_id,
        Event.occurred_at > uow.now - timedelta(hours=1)).order_by(Event.occurred_at)).all()
    if len(recent) < limit:
        return
    wait = recent[len(recent) - limit] + timedelta(hours=1) - uow.now
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    raise RateLimited("kiosk_bookings_limit",
                      f"Este kiosco ya reservó {limit} citas en la última hora. Para reservar "
                      f"otra, pida ayuda en una ventanilla o vuelva a intentarlo en {minutes} "
                      f"minuto{'s' if minutes != 1 else ''}.", int(wait.total_seconds()) + 1)


def book(uow: UnitOfWork, calendar: WorkingCalendar, request: CitaInput, booker: Booker,
         device_id: str | None) -> CitaView:
    service, plan = _taking(uow.session, request.service)
    document = validate_dni(request.document)
    if booker.channel is Channel.KIOSK and device_id is not None:
        _within_kiosk_allowance(uow, device_id)
    start = _take_place(uow, calendar, service, plan, request.start, booker)
    day = start.date()
    twice = uow.session.scalar(select(Cita.code).where(
        Cita.document == document, Cita.service_id == service.id, Cita.day == day,
        Cita.status == CitaStatus.BOOKED.value))
    if twice is not None:
        raise Conflict("cita_exists", f"El DNI {document} ya tiene la cita {twice} de "
                                      f"{service.name} ese día: cámbiela o cancélela.")
    code = _free_code(uow.session)
    cita = Cita(id=new_id(), office_id=uow.office.office_id, code=code, service_id=service.id,
                day=day, start_at=start, status=CitaStatus.BOOKED.value,
                channel=booker.channel.value, document=document, name=request.name.strip(),
                contact=_contact(request.contact), ticket_id=None, booked_at=uow.now,
                booked_by=booker.user_id, checked_in_at=None, updated_at=uow.now)
    uow.session.add(cita)
    _event(uow, cita, "booked", device_id, channel=booker.channel.value, proof=_proof(cita))
    if request.consent and cita.contact:
        _consent(uow, cita, notices.Who(booker.user_id, f"cita ({booker.channel.value})",
                                        device_id))
    return _view(uow.session, cita, uow.office)


def _consent(uow: UnitOfWork, cita: Cita, who: notices.Who) -> None:
    """The reminder's consent (Ley 29733), recorded like an expediente's: the contact must
    then be a mobile or an e-mail the notices can use."""
    contact = str(cita.contact)
    email = "@" in contact
    notices.give_consent(uow, notices.CITA, cita.id, cita.code, NoticeContactInput(
        mobile=None if email else contact, email=contact if email else None, consent=True),
        who)


def _free_code(session: Session) -> str:
    for _ in range(CODE_ATTEMPTS):
        code = new_code()
        if session.scalar(select(Cita.id).where(Cita.code == code)) is None:
            return code
    raise Conflict("no_code", "No se pudo generar un código de cita: intente de nuevo.")


def find(session: Session, code: str) -> Cita:
    stored = normalise_code(code)
    cita = session.scalar(select(Cita).where(Cita.code == stored)) if stored else None
    if cita is None:
        raise NotFound("unknown_cita", f"No hay ninguna cita con el código «{str(code)[:20]}».")
    return cita


# One sentence for a wrong code and a wrong DNI: a public machine must not tell which codes
# exist, and the citizen only needs to check both.
KIOSK_PROOF_REFUSED = "No hay una cita con ese código y ese DNI. Revise los dos."


def _owned(session: Session, office: OfficeContext, now: datetime, code: str,
           document: str | None, booker: Booker) -> Cita:
    """The booking a clerk names by its code, or the kiosk by its code and DNI, while it may
    still be cancelled or changed: booked (not checked in) and its time not past."""
    if booker.channel is Channel.KIOSK:
        typed = validate_dni(document) if document is not None else None
        stored = normalise_code(code)
        found = session.scalar(select(Cita).where(Cita.code == stored)) if stored else None
        if found is None or typed != found.document:
            raise Forbidden("cita_document", KIOSK_PROOF_REFUSED)
        cita = found
    else:
        cita = find(session, code)
    if cita.status != CitaStatus.BOOKED.value:
        raise Conflict("cita_not_booked", f"La cita {cita.code} ya no se puede modificar: "
                                          f"{STATUS_TEXT[CitaStatus(cita.status)].lower()}.")
    if not on_time(now, cita.start_at, _window(office)):  # a no-show, swept or not yet
        local = cita.start_at.astimezone(office.tz)
        raise Conflict("cita_past", f"La cita {cita.code} era el {cita.day:%d/%m/%Y} a las "
                                    f"{local:%H:%M}: esa hora ya pasó y no se puede modificar.")
    return cita


def proven(session: Session, office: OfficeContext, now: datetime, code: str,
           document: str | None, booker: Booker) -> CitaView:
    """The booking its code (and at the kiosk its DNI) names, if it may still change."""
    return _view(session, _owned(session, office, now, code, document, booker), office)


def cancel(uow: UnitOfWork, code: str, document: str | None, booker: Booker,
           device_id: str | None) -> CitaView:
    cita = _owned(uow.session, uow.office, uow.now, code, document, booker)
    cita.status, cita.updated_at = CitaStatus.CANCELLED.value, uow.now
    notices.cancel_pending(uow, notices.CITA, cita.id, "Cita cancelada.")
    _event(uow, cita, "cancelled", device_id, channel=booker.channel.value)
    return _view(uow.session, cita, uow.office)


def change(uow: UnitOfWork, calendar: WorkingCalendar, code: str, start: datetime,
           document: str | None, booker: Booker, device_id: str | None) -> CitaView:
    """The same booking at another slot of its own service (a free place, a working day, not
    past; the kiosk from tomorrow on, as it books)."""
    cita = _owned(uow.session, uow.office, uow.now, code, document, booker)
    service = uow.session.get(Service, cita.service_id)
    assert service is not None
    _, plan = _taking(uow.session, service.code)
    new_start = _take_place(uow, calendar, service, plan, start, booker, exclude=cita.id)
    before = cita.start_at
    cita.start_at, cita.day, cita.updated_at = new_start, new_start.date(), uow.now
    # Moved by the office, a booking central made takes one of the office's places (its
    # delegated place stays taken at central: central undersells, never oversells).
    if cita.channel == Channel.CENTRAL.value:
        cita.channel = booker.channel.value
    _event(uow, cita, "changed", device_id, before=before.isoformat(),
           channel=booker.channel.value, proof=_proof(cita))
    return _view(uow.session, cita, uow.office)


def _proof(cita: Cita) -> str:
    """What lets central's page check the citizen's DNI without ever holding it (decision
    record 49): in the events of a booking or change made here, so central learns a cita
    booked before it too at its next change (same code: the same proof)."""
    return dni_proof(cita.id, cita.code, cita.document)


# --- arrival ---------------------------------------------------------------------------


def _window(office: OfficeContext) -> timedelta:
    return timedelta(minutes=office.cita_window_minutes)


def check_in(uow: UnitOfWork, query: str, device_id: str | None) -> CitaCheckIn:
    """Today's cita by its code or its DNI: a cita ticket on time, a regular one late."""
    code = normalise_code(query)
    if code is not None:
        cita = find(uow.session, code)
    else:
        document = validate_dni(query)
        cita_or_none = uow.session.scalar(select(Cita).where(
            Cita.document == document, Cita.day == uow.today,
            Cita.status.in_([CitaStatus.BOOKED.value, CitaStatus.NO_SHOW.value]))
            .order_by(Cita.status == CitaStatus.NO_SHOW.value, Cita.start_at).limit(1))
        if cita_or_none is None:  # another day's, to tell when
            cita_or_none = uow.session.scalar(select(Cita).where(
                Cita.document == document, Cita.day > uow.today,
                Cita.status == CitaStatus.BOOKED.value).order_by(Cita.start_at).limit(1))
        if cita_or_none is None:
            raise NotFound("unknown_cita", f"No hay cita para hoy con el DNI {document}.")
        cita = cita_or_none
    local = cita.start_at.astimezone(uow.office.tz)
    if cita.day != uow.today:  # the code is not said: a DNI typed is not a proof
        raise Conflict("cita_other_day", f"Su cita es el {cita.day:%d/%m/%Y} a las "
                                         f"{local:%H:%M}: vuelva ese día.")
    # A late citizen the no-show sweep already marked still joins the regular queue.
    if cita.status not in (CitaStatus.BOOKED.value, CitaStatus.NO_SHOW.value):
        raise Conflict("cita_not_booked", f"La cita {cita.code} ya no está vigente: "
                                          f"{STATUS_TEXT[CitaStatus(cita.status)].lower()}.")
    window = _window(uow.office)
    punctual = on_time(uow.now, cita.start_at, window)
    service = uow.session.get(Service, cita.service_id)
    assert service is not None
    ticket = queue.issue_ticket(uow, service.code, None, device_id)
    cita.ticket_id, cita.checked_in_at, cita.updated_at = ticket.id, uow.now, uow.now
    cita.status = (CitaStatus.ARRIVED if punctual else CitaStatus.LATE).value
    _event(uow, cita, "checked_in", device_id, ticket=ticket.number, on_time=punctual)
    called_from = callable_from(cita.start_at, window) if punctual else None
    if called_from is not None:
        # Nobody regular goes before a due cita: what the printed ticket says is the time
        # until its window opens, up to its start (Ley 28683's citizens may still go first).
        ticket = ticket.model_copy(update={"ahead": 0, "estimated_wait_min": (
            _minutes_until(uow.now, called_from), _minutes_until(uow.now, cita.start_at))})
    if punctual:
        message = (f"Su cita es a las {local:%H:%M}. Le llamaremos con el turno "
                   f"{ticket.number} a partir de las "
                   f"{called_from.astimezone(uow.office.tz):%H:%M}." if called_from else "")
    else:
        message = (f"Su cita era a las {local:%H:%M} y pasó la tolerancia de "
                   f"{uow.office.cita_window_minutes} minutos: su turno {ticket.number} "
                   "sigue la cola normal.")
    return CitaCheckIn(cita=_view(uow.session, cita, uow.office), ticket=ticket,
                       on_time=punctual, called_from=called_from, message=message)


def _minutes_until(now: datetime, moment: datetime) -> int:
    return max(0, round((moment - now).total_seconds() / 60))


def record_no_shows(uow: UnitOfWork, device_id: str | None) -> list[str]:
    """Mark as no-shows the bookings whose tolerance passed with nobody checked in (their
    place is freed); the codes marked."""
    overdue = [c for c in uow.session.scalars(select(Cita).where(
        Cita.status == CitaStatus.BOOKED.value, Cita.day <= uow.today))
        if uow.now > c.start_at + _window(uow.office)]
    for cita in overdue:
        cita.status, cita.updated_at = CitaStatus.NO_SHOW.value, uow.now
        _event(uow, cita, "no_show", device_id)
    return [c.code for c in overdue]


# --- reading: a day's bookings, the figures, the reminders -------------------------------


def citas_view(session: Session, office: OfficeContext, code: str) -> CitaView:
    return _view(session, find(session, code), office)


def citas_of_day(session: Session, office: OfficeContext, day: date) -> list[CitaView]:
    return [_view(session, c, office) for c in session.scalars(
        select(Cita).where(Cita.day == day).order_by(Cita.start_at, Cita.booked_at))]


def stats(session: Session, office: OfficeContext, date_from: date, date_to: date,
          now: datetime) -> CitaStats:
    """Bookings, check-ins and no-shows per service and day. A booking whose tolerance passed
    counts as a no-show even before the sweep marks it (the figures never wait for it)."""
    check_period(date_from, date_to)
    rows: dict[tuple[str, date], dict[str, int]] = {}
    codes = {s.id: s.code for s in session.scalars(select(Service))}
    window = _window(office)
    for cita in session.scalars(select(Cita).where(Cita.day >= date_from, Cita.day <= date_to)):
        status = CitaStatus(cita.status)
        if status is CitaStatus.BOOKED and now > cita.start_at + window:
            status = CitaStatus.NO_SHOW
        counts = rows.setdefault((codes[cita.service_id], cita.day), dict.fromkeys(
            ("booked", "arrived", "late", "no_show", "cancelled", "pending"), 0))
        key = {CitaStatus.ARRIVED: "arrived", CitaStatus.LATE: "late",
               CitaStatus.NO_SHOW: "no_show", CitaStatus.CANCELLED: "cancelled",
               CitaStatus.BOOKED: "pending"}[status]
        counts[key] += 1
        if status is not CitaStatus.CANCELLED:
            counts["booked"] += 1
    return CitaStats(date_from=date_from, date_to=date_to, rows=[
        CitaDayStats(service=service, day=day, **counts)
        for (service, day), counts in sorted(rows.items(), key=lambda r: (r[0][1], r[0][0]))])


def reminders_due(session: Session, office: OfficeContext, office_name: str, today: date
                  ) -> list[CitaReminder]:
    """The reminders to send today: one per booking of tomorrow that left a contact. For the
    notices' outbox (another module): `key` makes a second enqueue of the same one a no-op."""
    due: list[CitaReminder] = []
    names = {s.id: s.name for s in session.scalars(select(Service))}
    for cita in session.scalars(select(Cita).where(
            Cita.status == CitaStatus.BOOKED.value, Cita.contact.is_not(None),
            Cita.day > today).order_by(Cita.start_at)):
        if reminder_day(cita.day) != today or cita.contact is None:
            continue
        local = cita.start_at.astimezone(office.tz)
        due.append(CitaReminder(
            key=_reminder_key(cita), cita=cita.code,
            contact=cita.contact,
            text=reminder_text(office_name, names[cita.service_id], local, cita.code)))
    return due



def _reminder_key(cita: Cita) -> str:
    """One reminder per cita and time (a changed cita gets its own)."""
    return f"cita-recordatorio:{cita.id}:{cita.start_at.isoformat()}"


def enqueue_reminders(uow: UnitOfWork) -> int:
    """Put into the notices' outbox the reminders of tomorrow's bookings whose citizen
    consented (Ley 29733); each once (its idempotency key), so running it again adds none."""
    added = 0
    for cita in uow.session.scalars(select(Cita).where(
            Cita.status == CitaStatus.BOOKED.value, Cita.day > uow.today)
            .order_by(Cita.start_at)):
        if reminder_day(cita.day) != uow.today:
            continue
        local = cita.start_at.astimezone(uow.office.tz)
        added += notices.enqueue_notice(
            uow, notices.CITA, cita.id, _reminder_key(cita), NoticeKind.CITA_REMINDER,
            cita.code, when=f"el {local:%d/%m} a las {local:%H:%M}")
    return added
