"""Citas central books on the places an office delegated to it in advance (issue 17, decision
record 40): never more in a slot than the office gave, however long the two cannot talk.

The office pushes its delegations (`cita_delegations`, replicated); central books against
them, serialised with the feed's writers, and publishes each booking in the office's feed
(«cita_booked»), which the hub stores as a booking of the central channel
(sync/hub_sync.py). The office never books a delegated place, so the two never collide.

A citizen cancels or moves a booking central made with its code and DNI (decision record
48): central sends the request in the feed («cita_cancelled», «cita_moved») and keeps the
place it held until the office answers in its pushed «cita» events — the office refuses a
cita whose citizen already checked in while the two could not talk. A move takes its new
place at once and holds the old one until then; a refusal gives the new one back.

A cita booked at the office is handled the same way (decision record 49): central learns it
from the office's pushed events, which carry the code, service, hour, status and a slow salted
digest of the DNI (kiosk/rules/cita_proof.py), never the DNI; the page checks the typed DNI
against that. Its place is the office's own (`channel` «oficina»): it never counts against
the places delegated to central, until a move on the page takes one of those.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, select, union_all, update

from kiosk.errors import Conflict, InvalidInput, NotFound
from kiosk.ids import new_id
from kiosk.rules.cita_proof import proof_matches
from kiosk.rules.citas import HOLDS_PLACE, STATUS_TEXT, CitaStatus, new_code, normalise_code
from kiosk.rules.identity import validate_dni
from kiosk.rules.notices import clean_email, clean_mobile
from kiosk.rules.text import check_line, clean_name
from sync.central.feed import lock_feed, publish
from sync.central.schema import REPLICAS, central_citas, offices

CENTRAL_CITA = "cita_booked"  # the feed's operations (sync/hub_sync.py applies them)
CITA_CANCELLED = "cita_cancelled"
CITA_MOVED = "cita_moved"
CITA_REFUSED = "central_refused"  # the office's «cita» event: it kept the cita as it was
PUBLIC = "página pública de la central"
CANCEL, MOVE = "cancel", "move"
# Whose place a booking holds (`central_citas.channel`): a delegated one, or the office's own.
DELEGATED, OFFICE = "central", "oficina"
_HOLDING = tuple(s.value for s in HOLDS_PLACE)
_STATUSES = frozenset(s.value for s in CitaStatus)
# Wrong code and wrong DNI get the same answer: the page never says which one it was.
NOT_FOUND = ("No encontramos una cita con ese código y ese DNI. Revise los dos datos. Una "
             "cita reservada en la oficina, en el kiosco o por teléfono llega a esta página "
             "cuando la oficina se conecta con la central: mientras tanto, cancélela o "
             "cámbiela en el kiosco de la oficina (con el código y su DNI) o llamando a la "
             "oficina.")


def taken(connection: Connection, office_id: str, service_id: str | None = None,
          start: datetime | None = None, after: datetime | None = None
          ) -> dict[tuple[str, datetime], int]:
    """Delegated places central's citas hold, per (service id, slot start): a booking's own
    slot while the office holds it (or has not answered its cancellation yet), and the
    slot a move left until the office confirms the move. A booking holding one of the
    office's own places counts nowhere here; the hour a pending move took always does."""
    c = central_citas.c
    own = select(c.service_id, c.start_at.label("start")).where(
        c.office_id == office_id, c.status.in_(_HOLDING),
        (c.channel == DELEGATED) | (c.pending == MOVE))
    left = select(c.service_id, c.held_start_at.label("start")).where(
        c.office_id == office_id, c.held_start_at.is_not(None), c.channel == DELEGATED)
    if service_id is not None:
        own, left = own.where(c.service_id == service_id), left.where(c.service_id == service_id)
    if start is not None:
        own, left = own.where(c.start_at == start), left.where(c.held_start_at == start)
    if after is not None:
        own, left = own.where(c.start_at > after), left.where(c.held_start_at > after)
    both = union_all(own, left).subquery()
    rows = connection.execute(select(both.c.service_id, both.c.start, func.count())
                              .group_by(both.c.service_id, both.c.start))
    return {(r[0], r[1]): int(r[2]) for r in rows}


def _given(connection: Connection, office_id: str, service_id: str, start: datetime) -> int:
    delegations = REPLICAS["cita_delegations"]
    return int(connection.scalar(select(func.coalesce(func.sum(delegations.c.places), 0))
                                 .where(delegations.c.office_id == office_id,
                                        delegations.c.service_id == service_id,
                                        delegations.c.start_at == start)) or 0)


def book(connection: Connection, office_id: str, service_code: str, start: datetime,
         document: str, name: str, contact: str | None, by: str, now: datetime,
         consent: bool = False) -> dict[str, Any]:
    """One place of a delegated slot, or a Spanish refusal; the booking as the office gets
    it."""
    if start.tzinfo is None:
        raise InvalidInput("invalid_cita_start", "Indique la hora de la cita con su zona "
                                                 "horaria.")
    if start <= now:
        raise Conflict("slot_past", "Esa hora ya pasó: elija otra.")
    document = validate_dni(document)
    name = " ".join(clean_name(name, "nombre").split())
    if len(name) < 3:
        raise InvalidInput("invalid_name", "Escriba el nombre del ciudadano.")
    contact = check_line(contact, "contacto").strip() or None if contact else None
    if contact is not None and consent:
        contact = _checked_contact(contact)
    services = REPLICAS["services"]
    service_id = connection.scalar(select(services.c.id).where(
        services.c.office_id == office_id, services.c.code == service_code))
    if service_id is None:
        raise NotFound("unknown_service", f"La oficina no tiene el servicio «{service_code}».")
    lock_feed(connection)  # one booking at a time: the count below stays true until commit
    held = taken(connection, office_id, service_id, start).get((service_id, start), 0)
    if held >= _given(connection, office_id, service_id, start):
        raise Conflict("slot_full", "La oficina no dejó más cupos para esa hora en la "
                                    "central: elija otra.")
    row = {"id": new_id(), "office_id": office_id, "code": _free_code(connection),
           "service_id": service_id, "start_at": start, "document": document, "name": name,
           "contact": contact, "booked_by": by, "booked_at": now,
           "status": CitaStatus.BOOKED.value}
    connection.execute(central_citas.insert().values(**row))
    booking = {"id": row["id"], "code": row["code"], "service": service_code,
               "start": start.isoformat(), "document": document, "name": name,
               "contact": contact, "consent": bool(contact and consent),
               "at": now.isoformat()}
    publish(connection, office_id, "citas", CENTRAL_CITA, booking, now)
    return booking


def _checked_contact(contact: str) -> str:
    """A contact for reminders must be a mobile or an e-mail the notices can use."""
    return clean_email(contact) if "@" in contact else clean_mobile(contact)


def _free_code(connection: Connection) -> str:
    while True:  # 31^6 codes: a clash is rare and never repeats for long
        code = new_code()
        if connection.scalar(select(central_citas.c.id).where(
                central_citas.c.code == code)) is None:
            return code


# --- the citizen's own booking: seen, cancelled, moved with its code and DNI -------------


@dataclass(frozen=True)
class OwnCita:
    """A booking central knows, as its citizen may see it (no name, no contact)."""

    code: str
    office_code: str
    office_name: str
    service: str
    service_name: str
    start: datetime
    status: str
    pending: str | None
    held_start: datetime | None
    now: datetime

    @property
    def changeable(self) -> bool:
        return (self.status == CitaStatus.BOOKED.value and self.pending is None
                and self.start > self.now)

    @property
    def state_text(self) -> str:
        """What the page says of it, plainly."""
        if self.pending == CANCEL:
            return ("Cancelada. La oficina lo registrará en cuanto se conecte con la central; "
                    "si usted ya registró su llegada en el kiosco, la cita se mantiene.")
        if self.pending == MOVE:
            return ("Cambio de hora enviado. La oficina lo registrará en cuanto se conecte "
                    "con la central; si usted ya registró su llegada en el kiosco, se "
                    "mantiene la hora anterior.")
        if self.status in (CitaStatus.ARRIVED.value, CitaStatus.LATE.value):
            return ("La oficina registró su llegada con esta cita: ya no se puede cancelar ni "
                    "cambiar.")
        if self.status == CitaStatus.BOOKED.value and self.start <= self.now:
            return "La hora de esta cita ya pasó."
        return STATUS_TEXT[CitaStatus(self.status)] + "."


def _own(connection: Connection, code: str, document: str) -> Row[Any]:
    """The booking with that code made with that DNI; one refusal for a wrong code, a wrong
    DNI or an office's booking without a proof (a DNI that is not one is told as such: it
    says nothing about the cita). Central's bookings compare the DNI it holds, the office's
    the proof; every try costs one slow check, so the time taken tells nothing either."""
    document = validate_dni(document)
    stored = normalise_code(code)
    row = connection.execute(select(central_citas).where(
        central_citas.c.code == stored)).first() if stored else None
    proven = proof_matches(row.proof if row is not None else None,
                           row.id if row is not None else "", stored or "", document)
    if row is None or not (hmac.compare_digest(row.document, document)
                           if row.document is not None else proven):
        raise NotFound("cita_not_found", NOT_FOUND)
    return row


def _fresh(connection: Connection, row: Row[Any]) -> Row[Any]:
    """The booking as it is now, under the feed's lock (it was proven before taking it:
    the slow check must not hold the office's pushes)."""
    lock_feed(connection)
    return connection.execute(select(central_citas).where(
        central_citas.c.id == row.id)).one()


def _as_own(connection: Connection, row: Row[Any], now: datetime) -> OwnCita:
    services = REPLICAS["services"]
    service = connection.execute(select(services.c.code, services.c.name).where(
        services.c.id == row.service_id, services.c.office_id == row.office_id)).first()
    office = connection.execute(select(offices.c.code, offices.c.name).where(
        offices.c.id == row.office_id)).one()
    return OwnCita(code=row.code, office_code=office.code, office_name=office.name,
                   service=service.code if service else "",
                   service_name=service.name if service else "",
                   start=row.start_at, status=row.status, pending=row.pending,
                   held_start=row.held_start_at, now=now)


def own_cita(connection: Connection, code: str, document: str, now: datetime) -> OwnCita:
    return _as_own(connection, _own(connection, code, document), now)


def _changeable(connection: Connection, row: Row[Any], now: datetime) -> None:
    """A Spanish refusal unless the booking may still be cancelled or moved here."""
    if _as_own(connection, row, now).changeable:
        return
    code = row.code
    if row.pending == CANCEL:
        raise Conflict("cita_not_booked", f"Ya pidió cancelar la cita {code}: la oficina lo "
                                          "registrará en cuanto se conecte con la central.")
    if row.pending == MOVE:
        raise Conflict("cita_pending", "Su cambio de hora anterior todavía no llega a la "
                                       "oficina: vuelva a consultar cuando la oficina lo haya "
                                       "registrado, o acuda a la oficina.")
    if row.status in (CitaStatus.ARRIVED.value, CitaStatus.LATE.value):
        raise Conflict("cita_not_booked", f"La oficina ya registró su llegada con la cita "
                                          f"{code}: no se puede cancelar ni cambiar.")
    if row.status == CitaStatus.CANCELLED.value:
        raise Conflict("cita_not_booked", f"La cita {code} ya está cancelada.")
    raise Conflict("cita_not_booked", f"La hora de la cita {code} ya pasó: no se puede "
                                      "cancelar ni cambiar por internet.")


def cancel(connection: Connection, code: str, document: str, now: datetime) -> OwnCita:
    """The citizen's cancellation: sent to the office in the feed; the place stays held
    until the office answers (it refuses if the citizen already checked in there)."""
    # proven, then serialised with bookings, moves and the office's answers
    row = _fresh(connection, _own(connection, code, document))
    _changeable(connection, row, now)
    request = new_id()
    connection.execute(update(central_citas).where(central_citas.c.id == row.id).values(
        pending=CANCEL, request_id=request))
    publish(connection, row.office_id, "citas", CITA_CANCELLED, {
        "request": request, "id": row.id, "code": row.code, "by": PUBLIC,
        "at": now.isoformat()}, now)
    return _as_own(connection, _fresh(connection, row), now)


def move(connection: Connection, code: str, document: str, start: datetime, now: datetime
         ) -> OwnCita:
    """The citizen's change to another free delegated hour of the same service: one entry
    in the feed, so the office moves its copy in one step (never two bookings, nor none).
    The new place is taken now; the old one is held until the office answers. A booking
    made at the office moves the same way: its new hour is a delegated place, and the
    office frees its own when it applies the move (the cita becomes central's there)."""
    if start.tzinfo is None:
        raise InvalidInput("invalid_cita_start", "Elija una hora de la lista.")
    row = _fresh(connection, _own(connection, code, document))
    _changeable(connection, row, now)
    if start <= now:
        raise Conflict("slot_past", "Esa hora ya pasó: elija otra.")
    if start == row.start_at:
        raise Conflict("same_slot", "Su cita ya es a esa hora: elija otra.")
    held = taken(connection, row.office_id, row.service_id, start).get(
        (row.service_id, start), 0)
    if held >= _given(connection, row.office_id, row.service_id, start):
        raise Conflict("slot_full", "La oficina no dejó más cupos para esa hora en la "
                                    "central: elija otra.")
    request = new_id()
    connection.execute(update(central_citas).where(central_citas.c.id == row.id).values(
        start_at=start, held_start_at=row.start_at, pending=MOVE, request_id=request))
    publish(connection, row.office_id, "citas", CITA_MOVED, {
        "request": request, "id": row.id, "code": row.code, "start": start.isoformat(),
        "before": row.start_at.isoformat(), "by": PUBLIC, "at": now.isoformat()}, now)
    return _as_own(connection, _fresh(connection, row), now)


def follow(connection: Connection, office_id: str, events: Iterable[Mapping[str, Any]]
           ) -> int:
    """Central's copies of the office's citas follow its pushed «cita» events (in the push's
    transaction): the status the office gives them, whose place they hold, and its answer to
    a pending request — done (the held place is freed) or refused (a move goes back to its
    old hour; the new place is freed). A booking or change made at the office with a proof
    of the DNI (record 49) adds a cita central did not know; other events of such citas are
    not its business. The rows changed or added."""
    mine = sorted((e for e in events if isinstance(e.get("data"), dict)),
                  key=lambda e: int(e.get("seq") or 0))
    ids = {str(e.get("stream_id")) for e in mine}
    if not ids:
        return 0
    lock_feed(connection)
    rows = {r.id: dict(r._mapping) for r in connection.execute(select(central_citas).where(
        central_citas.c.office_id == office_id, central_citas.c.id.in_(ids)))}
    changed: set[str] = set()
    added = 0
    for event in mine:
        row = rows.get(str(event.get("stream_id")))
        data = event["data"]
        if data.get("status") not in _STATUSES:
            continue
        if row is None:
            row = _office_booking(connection, office_id, event)
            if row is not None:
                rows[row["id"]] = row
                added += 1
            continue
        values: dict[str, Any] = {"status": data["status"]}
        answer = row["pending"] is not None and data.get("request") == row["request_id"]
        kind = event.get("kind")
        try:
            start = datetime.fromisoformat(str(data["start"])) if kind == "changed" else None
        except (KeyError, ValueError):
            start = None
        if kind == "changed" and (answer or row["pending"] is None):
            # A move central asked for holds a delegated place; the office's own change,
            # one of the office's places (the delegated one it left is central's again).
            values["channel"] = DELEGATED if data.get("channel") == DELEGATED else OFFICE
        if answer:
            if kind == CITA_REFUSED and row["pending"] == MOVE:
                values["start_at"] = row["held_start_at"]
            values.update(pending=None, request_id=None, held_start_at=None)
        if start is not None and start.tzinfo is not None and (answer or row["pending"] is None):
            values["start_at"] = start
        row.update(values)
        changed.add(row["id"])
    for cita_id in changed:
        row = rows[cita_id]
        connection.execute(update(central_citas).where(central_citas.c.id == cita_id).values(
            status=row["status"], start_at=row["start_at"], pending=row["pending"],
            request_id=row["request_id"], held_start_at=row["held_start_at"],
            channel=row["channel"]))
    return len(changed) + added


def _office_booking(connection: Connection, office_id: str, event: Mapping[str, Any]
                    ) -> dict[str, Any] | None:
    """A cita the office booked, added from its «booked» or «changed» event with the proof
    of its DNI (no DNI, no name); None for anything else — an older hub's event without a
    proof, a service central lacks, or a code central already gave another cita (the
    first keeps it: the page looks a code up alone; that one is handled at the office)."""
    data = event["data"]
    proof, code = data.get("proof"), data.get("code")
    if (event.get("kind") not in ("booked", "changed") or data.get("channel") == DELEGATED
            or not isinstance(proof, str) or not 0 < len(proof) <= 80
            or not isinstance(code, str) or normalise_code(code) != code):
        return None
    try:
        start = datetime.fromisoformat(str(data.get("start")))
    except ValueError:
        return None
    services = REPLICAS["services"]
    service_id = connection.scalar(select(services.c.id).where(
        services.c.office_id == office_id, services.c.code == str(data.get("service"))))
    if start.tzinfo is None or service_id is None or connection.scalar(
            select(central_citas.c.id).where(central_citas.c.code == code)) is not None:
        return None
    occurred = event.get("occurred_at")
    row = {"id": str(event["stream_id"]), "office_id": office_id, "code": code,
           "service_id": service_id, "start_at": start, "document": None, "name": None,
           "contact": None, "booked_by": OFFICE,
           "booked_at": occurred if isinstance(occurred, datetime) else start,
           "status": data["status"], "pending": None, "request_id": None,
           "held_start_at": None, "channel": OFFICE, "proof": proof}
    connection.execute(central_citas.insert().values(**row))
    return row
