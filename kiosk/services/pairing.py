"""Pairing a new device with a one-time code, and revoking a device.

The admin window makes a code (8 secret characters of an alphabet without 0/O/1/I and 4 that
check the office's certificate, shown «ABCD-EFGH-JKLM», valid 15 minutes, single use: see
kiosk/rules/pairing_codes.py); the new PC sends the secret to `POST /pair` with no credential and
gets its own random token. Only a hash of the secret is kept. Wrong codes are limited office-wide,
whoever sends them: after `attempts` refusals in a row pairing is refused (429, Retry-After) for
`lockout_minutes` (a new code made by an admin lifts the lock: someone trusted is at the
office). That bound is already tighter than a per-address one could be, and it is stored.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import CacError, Conflict, InvalidInput, NotFound, RateLimited, Unauthorized
from kiosk.ids import new_id, new_token
from kiosk.rules import pairing_codes
from kiosk.rules.pairing_codes import ALPHABET, CODE_LENGTH
from kiosk.rules.permissions import parse_role
from kiosk.services.admin_audit import AdminActor, record
from kiosk.services.admin_views import (
    AdminDeviceView,
    DeviceBinding,
    PairedDevice,
    PairingInput,
)
from kiosk.services.admin_views import (
    PairingCode as PairingCodeView,
)
from kiosk.services.devices import check_binding, token_hash
from kiosk.services.login_throttle import clock_time
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.storage.tables import Device, PairingCode, PairingGuard, UserSession

VALID_MINUTES = 15
BAD_CODE = "El código de emparejamiento no es válido."


def code_hash(code: str) -> str:
    """The hash kept of a code's secret (a typed check part is left out)."""
    # 40 random bits, alive 15 minutes, single use and rate-limited: a plain hash suffices.
    secret, _check = pairing_codes.split(code)
    return hashlib.sha256(("pairing:" + secret).encode()).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def device_view(device: Device) -> AdminDeviceView:
    return AdminDeviceView(id=device.id, name=device.name, role=device.role,
                           created_at=device.created_at, revoked_at=device.revoked_at,
                           counter=device.counter_number)


def bind_device(uow: UnitOfWork, actor: AdminActor, device_id: str, binding: DeviceBinding
                ) -> AdminDeviceView:
    """Bind a counter device to its counter, or free it (None): its clerks then log in at
    that counter only, and as a rating screen it rates that counter's tickets."""
    device = uow.session.get(Device, device_id)
    if device is None:
        raise NotFound("unknown_device", "No existe ese dispositivo.")
    counter = check_binding(uow.session, device.role, binding.counter)
    if device.counter_number != counter:
        record(uow, actor, "device", device.id, "device_bound",
               {"name": device.name, "from": device.counter_number, "counter": counter})
        device.counter_number = counter
    return device_view(device)


def list_devices(session: Session) -> list[AdminDeviceView]:
    return [device_view(d) for d in session.scalars(
        select(Device).order_by(Device.created_at, Device.name))]


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= 80:
        raise InvalidInput("invalid_name",
                           "El nombre del dispositivo debe tener de 1 a 80 caracteres.")
    return name


def _guard(session: Session) -> PairingGuard:
    guard = session.get(PairingGuard, 1)
    if guard is None:
        guard = PairingGuard(id=1, failed_attempts=0, locked_until=None)
        session.add(guard)
        session.flush()
    return guard


def create_pairing(uow: UnitOfWork, actor: AdminActor, request: PairingInput,
                   ca_fingerprint: str) -> PairingCodeView:
    """A new code; its check part binds it to the office CA with `ca_fingerprint`."""
    name = _check_name(request.name)
    role = parse_role(request.role)
    counter = check_binding(uow.session, role, request.counter)
    code = new_code()
    while uow.session.scalar(select(PairingCode.id).where(
            PairingCode.code_hash == code_hash(code))) is not None:
        code = new_code()  # a clash with an old code: 1 in 10^12, but never a crash
    row = PairingCode(id=new_id(), office_id=uow.office.office_id, name=name, role=role.value,
                      code_hash=code_hash(code), created_by=actor.user_id, created_at=uow.now,
                      expires_at=uow.now + timedelta(minutes=VALID_MINUTES), used_at=None,
                      cancelled_at=None, device_id=None, counter_number=counter)
    uow.session.add(row)
    guard = _guard(uow.session)
    guard.failed_attempts, guard.locked_until = 0, None
    uow.session.flush()
    record(uow, actor, "pairing", row.id, "pairing_created",
           {"name": name, "role": role.value, "expires_at": row.expires_at.isoformat(),
            "counter": counter})
    shown = pairing_codes.grouped(code + pairing_codes.check(code, ca_fingerprint))
    return PairingCodeView(id=row.id, code=shown, name=name, role=role.value,
                           expires_at=row.expires_at, counter=counter,
                           ca_fingerprint=ca_fingerprint)


def pending(session: Session, now: datetime) -> list[PairingCodeView]:
    """Codes not used, cancelled or expired; the code itself is never shown again."""
    rows = session.scalars(select(PairingCode).where(
        PairingCode.used_at.is_(None), PairingCode.cancelled_at.is_(None),
        PairingCode.expires_at > now).order_by(PairingCode.created_at))
    return [PairingCodeView(id=r.id, code="", name=r.name, role=r.role, expires_at=r.expires_at,
                            counter=r.counter_number) for r in rows]


def cancel_pairing(uow: UnitOfWork, actor: AdminActor, pairing_id: str) -> None:
    row = uow.session.get(PairingCode, pairing_id)
    if row is None:
        raise NotFound("unknown_pairing", "No existe ese código de emparejamiento.")
    if row.used_at is not None:
        raise Conflict("pairing_used",
                       f"Ese código ya se usó para emparejar «{row.name}»: revoque el "
                       "dispositivo si ya no debe conectarse.")
    if row.cancelled_at is not None:
        return  # cancelling twice is not an error
    row.cancelled_at = uow.now
    record(uow, actor, "pairing", row.id, "pairing_cancelled",
           {"name": row.name, "role": row.role})


def pair(uow: UnitOfWork, code: str, attempts: int, lockout_minutes: int
         ) -> PairedDevice | CacError:
    """Redeem a code. A refusal is *returned* so the caller commits the counted attempt before
    raising it (like a failed login)."""
    guard = _guard(uow.session)
    if guard.locked_until is not None and guard.locked_until > uow.now:
        return _locked(uow, guard.locked_until)
    row = uow.session.scalar(select(PairingCode).where(PairingCode.code_hash == code_hash(code)))
    refusal: CacError | None = None
    if row is None or row.cancelled_at is not None:
        refusal = Unauthorized("invalid_pairing_code",
                               f"{BAD_CODE} Revise que lo escribió tal como lo muestra la "
                               "ventana de administración.")
    elif row.used_at is not None:
        refusal = Unauthorized("pairing_code_used",
                               "Ese código de emparejamiento ya se usó. Pida al administrador "
                               "uno nuevo.")
    elif row.expires_at <= uow.now:
        refusal = Unauthorized("pairing_code_expired",
                               f"El código de emparejamiento venció (dura {VALID_MINUTES} "
                               "minutos). Pida al administrador uno nuevo.")
    if refusal is not None:
        guard.failed_attempts += 1
        locked = guard.failed_attempts >= attempts
        if locked:
            guard.locked_until = uow.now + timedelta(minutes=lockout_minutes)
            guard.failed_attempts = 0
        uow.record("pairing", row.id if row else "unknown", "pairing_refused",
                   {"reason": refusal.code, "locked": locked}, None)
        if locked:
            assert guard.locked_until is not None
            return _locked(uow, guard.locked_until)
        return refusal
    assert row is not None
    token = new_token()
    device = Device(id=new_id(), office_id=uow.office.office_id, name=row.name, role=row.role,
                    token_hash=token_hash(token), created_at=uow.now, revoked_at=None,
                    note=None, counter_number=row.counter_number)
    uow.session.add(device)
    row.used_at, row.device_id = uow.now, device.id
    guard.failed_attempts, guard.locked_until = 0, None
    uow.session.flush()
    uow.record("device", device.id, "device_paired",
               {"pairing": row.id, "name": row.name, "role": row.role,
                "who_id": row.created_by}, None)
    return PairedDevice(device=device_view(device), token=token)


def _locked(uow: UnitOfWork, until: datetime) -> RateLimited:
    wait = math.ceil((until - uow.now).total_seconds())
    at = clock_time(until, uow.office.tz)
    return RateLimited("pairing_locked",
                       "Demasiados códigos de emparejamiento incorrectos: el emparejamiento "
                       f"queda detenido hasta las {at}, o hasta que el administrador haga un "
                       "código nuevo.", wait)


def revoke_device(uow: UnitOfWork, actor: AdminActor, device_id: str) -> AdminDeviceView:
    device = uow.session.get(Device, device_id)
    if device is None:
        raise NotFound("unknown_device", "No existe ese dispositivo.")
    if actor.device_id is not None and device.id == actor.device_id:
        raise Conflict("own_device",
                       "No puede revocar el equipo desde el que administra. Hágalo desde otro "
                       "equipo de administración.")
    if device.revoked_at is None:
        device.revoked_at = uow.now
        ended = 0
        for session in uow.session.scalars(select(UserSession).where(
                UserSession.device_id == device.id, UserSession.ended_at.is_(None))):
            session.ended_at = uow.now
            ended += 1
        record(uow, actor, "device", device.id, "device_revoked",
               {"name": device.name, "role": device.role, "sessions_ended": ended})
    return device_view(device)

