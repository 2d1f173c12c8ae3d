"""Device credentials: random bearer tokens, stored only as hashes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import InvalidInput, NotFound, Unauthorized
from kiosk.ids import new_id, new_token
from kiosk.rules.permissions import Role, parse_role
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.services.views import DeviceView
from kiosk.storage.tables import Counter, Device


@dataclass(frozen=True)
class ClerkRef:
    """The clerk logged in on a device (counter or supervisor PC), if any."""

    user_id: str
    username: str
    full_name: str
    role: Role
    counter: int | None  # the counter chosen at login
    must_change: bool = False  # an initial PIN: nothing but changing it until it is changed
    session_id: str = ""  # the clerk session's row: what is held per session (a signing key)


@dataclass(frozen=True)
class DeviceIdentity:
    id: str
    name: str
    role: Role
    clerk: ClerkRef | None = None  # set when the request carries a valid clerk session
    # The counter the admin bound this device to (a counter PC or a rating screen), if any.
    counter: int | None = None


def token_hash(token: str) -> str:
    # Tokens carry 256 random bits: a fast hash is enough, unlike for human passwords.
    return hashlib.sha256(token.encode()).hexdigest()


def check_binding(session: Session, role: str, counter: int | None) -> int | None:
    """Only a counter device is bound to a counter, and to one that exists."""
    if counter is None:
        return None
    if role != Role.COUNTER:
        raise InvalidInput("invalid_binding",
                           "Solo un equipo de ventanilla se asigna a una ventanilla.")
    if session.scalar(select(Counter.id).where(Counter.number == counter)) is None:
        raise NotFound("unknown_counter", f"No existe la ventanilla {counter}.")
    return counter


def add_device(uow: UnitOfWork, name: str, role: str, counter: int | None = None
               ) -> tuple[DeviceView, str]:
    parsed = parse_role(role)
    counter = check_binding(uow.session, parsed, counter)
    name = name.strip()
    if not name or len(name) > 80:
        raise InvalidInput("invalid_name", "El nombre del dispositivo debe tener de 1 a 80 "
                                           "caracteres.")
    token = new_token()
    device = Device(id=new_id(), office_id=uow.office.office_id, name=name, role=parsed,
                    token_hash=token_hash(token), created_at=uow.now, counter_number=counter)
    uow.session.add(device)
    uow.session.flush()
    uow.record("device", device.id, "device_added",
               {"name": name, "role": str(parsed), "counter": counter}, None)
    view = DeviceView(id=device.id, name=name, role=parsed, created_at=uow.now, revoked=False)
    return view, token


def identify(session: Session, token: str) -> DeviceIdentity:
    if not token:
        raise Unauthorized("no_credentials", "Falta la credencial del dispositivo.")
    device = session.scalar(select(Device).where(Device.token_hash == token_hash(token)))
    if device is None or device.revoked_at is not None:
        raise Unauthorized("invalid_credentials",
                           "La credencial del dispositivo no es válida o fue revocada.")
    return DeviceIdentity(id=device.id, name=device.name, role=Role(device.role),
                          counter=device.counter_number)
