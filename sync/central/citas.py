"""Citas central books on the places an office delegated to it in advance (issue 17, decision
record 40): never more in a slot than the office gave, however long the two cannot talk.

The office pushes its delegations (`cita_delegations`, replicated); central books against
them, serialised with the feed's writers, and publishes each booking in the office's feed
(«cita_booked»), which the hub stores as a booking of the central channel
(sync/hub_sync.py). The office never books a delegated place, so the two never collide.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from kiosk.errors import Conflict, InvalidInput, NotFound
from kiosk.ids import new_id
from kiosk.rules.citas import new_code
from kiosk.rules.identity import validate_dni
from kiosk.rules.notices import clean_email, clean_mobile
from kiosk.rules.text import check_line, clean_name
from sync.central.feed import lock_feed, publish
from sync.central.schema import REPLICAS, central_citas

CENTRAL_CITA = "cita_booked"  # the feed's operation (sync/hub_sync.py applies it)


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
    delegations = REPLICAS["cita_delegations"]
    given = connection.scalar(select(func.coalesce(func.sum(delegations.c.places), 0)).where(
        delegations.c.office_id == office_id, delegations.c.service_id == service_id,
        delegations.c.start_at == start)) or 0
    taken = connection.scalar(select(func.count()).select_from(central_citas).where(
        central_citas.c.office_id == office_id, central_citas.c.service_id == service_id,
        central_citas.c.start_at == start)) or 0
    if taken >= given:
        raise Conflict("slot_full", "La oficina no dejó más cupos para esa hora en la "
                                    "central: elija otra.")
    row = {"id": new_id(), "office_id": office_id, "code": _free_code(connection),
           "service_id": service_id, "start_at": start, "document": document, "name": name,
           "contact": contact, "booked_by": by, "booked_at": now}
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
