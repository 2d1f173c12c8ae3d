"""Device credentials: random bearer tokens, stored only as hashes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import InvalidInput, Unauthorized
from kiosk.ids import new_id, new_token
from kiosk.rules.permissions import Role, parse_role
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.services.views import DeviceView
from kiosk.storage.tables import Device


@dataclass(frozen=True)
class ClerkRef:
    """The clerk logged in on a device (counter or supervisor PC), if any."""

    user_id: str
    username: str
    full_name: str
    role: Role
    counter: int | None  # the counter chosen at login
    must_change: bool = False  # an initial PIN: nothing but changing it until it is changed


@dataclass(frozen=True)
class DeviceIdentity:
    id: str
    name: str
    role: Role
    clerk: ClerkRef | None = None  # set when the request carries a valid clerk session


def token_hash(token: str) -> str:
    # Tokens carry 256 random bits: a fast hash is enough, unlike for human passwords.
    return hashlib.sha256(token.encode()).hexdigest()


def add_device(uow: UnitOfWork, name: str, role: str) -> tuple[DeviceView, str]:
    parsed = parse_role(role)
    name = name.strip()
    if not name or len(name) > 80:
        raise InvalidInput("invalid_name", "El nombre del dispositivo debe tener de 1 a 80 "
                                           "caracteres.")
    token = new_token()
    device = Device(id=new_id(), office_id=uow.office.office_id, name=name, role=parsed,
                    token_hash=token_hash(token), created_at=uow.now)
    uow.session.add(device)
    uow.session.flush()
    uow.record("device", device.id, "device_added", {"name": name, "role": str(parsed)}, None)
    view = DeviceView(id=device.id, name=name, role=parsed, created_at=uow.now, revoked=False)
    return view, token


def identify(session: Session, token: str) -> DeviceIdentity:
    if not token:
        raise Unauthorized("no_credentials", "Falta la credencial del dispositivo.")
    device = session.scalar(select(Device).where(Device.token_hash == token_hash(token)))
    if device is None or device.revoked_at is not None:
        raise Unauthorized("invalid_credentials",
                           "La credencial del dispositivo no es válida o fue revocada.")
    return DeviceIdentity(id=device.id, name=device.name, role=Role(device.role))
