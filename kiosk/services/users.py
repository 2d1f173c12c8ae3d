"""Clerks: accounts with a PIN or password, and their sessions on a device.

Secrets are hashed with scrypt (memory-hard, in the standard library). A session token is
random and stored hashed like a device token; the request carries it in `X-Clerk-Session`
next to the device's own credential, so an action is always "this clerk at this device".
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import CacError, Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from kiosk.ids import new_id, new_token
from kiosk.rules.permissions import RANK, ROLE_NAMES, USER_ROLES, Role
from kiosk.services.devices import ClerkRef, DeviceIdentity, token_hash
from kiosk.services.expediente_views import ClerkSession, LoginInput, UserView
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.storage.tables import Counter, User, UserSession

# scrypt with N=2^14, r=8: 16 MiB and ~50 ms per check on an old office PC.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SESSION_HOURS = 12  # a session outlives a working day, never two
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")

BAD_LOGIN = "Usuario o PIN incorrecto."


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                            maxmem=64 * 1024 * 1024)
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(secret.encode(), salt=base64.b64decode(salt), n=int(n),
                                r=int(r), p=int(p), maxmem=64 * 1024 * 1024)
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def check_secret(secret: str) -> str:
    """A PIN of 4 to 12 digits, or a password of 8 characters or more."""
    if secret.isdigit():
        if not 4 <= len(secret) <= 12:
            raise InvalidInput("weak_secret", "El PIN debe tener de 4 a 12 dígitos.")
        if len(set(secret)) == 1 or secret in "0123456789012" or secret in "9876543210":
            raise InvalidInput("weak_secret",
                               "Ese PIN es demasiado fácil de adivinar (dígitos repetidos o "
                               "seguidos). Elija otro.")
    elif len(secret) < 8:
        raise InvalidInput("weak_secret",
                           "La contraseña debe tener al menos 8 caracteres, o use un PIN de "
                           "4 a 12 dígitos.")
    if len(secret) > 128:
        raise InvalidInput("weak_secret", "La contraseña no puede pasar de 128 caracteres.")
    return secret


def _view(user: User) -> UserView:
    return UserView(id=user.id, username=user.username, full_name=user.full_name,
                    role=user.role, must_change=user.must_change)


def add_user(uow: UnitOfWork, username: str, full_name: str, role: str,
             secret: str | None, device_id: str | None, *,
             hasher: Callable[[str], str] = hash_secret, audit: bool = True
             ) -> tuple[UserView, str]:
    """Create a clerk; without a secret a 6-digit PIN is generated (to be changed).
    `audit=False`: the caller records the event itself (the admin window says who did it)."""
    username = username.strip().lower()
    if not USERNAME.fullmatch(username):
        raise InvalidInput("invalid_username",
                           "El usuario debe tener de 2 a 40 letras minúsculas, números, «.», "
                           "«-» o «_», sin espacios (p. ej. «ana.torres»).")
    full_name = " ".join(full_name.split())
    if not 3 <= len(full_name) <= 120:
        raise InvalidInput("invalid_name", "Escriba el nombre completo (de 3 a 120 caracteres).")
    try:
        parsed = Role(role)
    except ValueError:
        parsed = None
    if parsed not in USER_ROLES:
        raise InvalidInput("invalid_role",
                           "El rol de un usuario debe ser counter, supervisor o admin.")
    assert parsed is not None
    generated = secret is None
    if secret is None:
        secret = random_pin()
    else:
        check_secret(secret)
    exists = uow.session.scalar(select(User.id).where(User.office_id == uow.office.office_id,
                                                      User.username == username))
    if exists is not None:
        raise Conflict("user_exists", f"Ya existe el usuario «{username}».")
    user = User(id=new_id(), office_id=uow.office.office_id, username=username,
                full_name=full_name, role=parsed.value, secret_hash=hasher(secret),
                must_change=generated, failed_attempts=0, locked_until=None, active=True,
                created_at=uow.now, updated_at=uow.now)
    uow.session.add(user)
    uow.session.flush()
    if audit:
        uow.record("user", user.id, "user_added",
                   {"username": username, "full_name": full_name, "role": parsed.value},
                   device_id)
    return _view(user), secret


def random_pin() -> str:
    """A 6-digit initial PIN that `check_secret` accepts (not repeated, not a run)."""
    while True:
        pin = f"{secrets.randbelow(10**6):06d}"
        try:
            check_secret(pin)
        except InvalidInput:
            continue
        return pin


@dataclass(frozen=True)
class LoginLimits:
    attempts: int
    lockout_minutes: int
    idle_lock_s: int


def login(uow: UnitOfWork, device: DeviceIdentity, request: LoginInput, limits: LoginLimits
          ) -> ClerkSession | CacError:
    """Open a session, or return the error to raise *after* committing: a failed attempt
    must be counted even though the login fails."""
    user = uow.session.scalar(select(User).where(User.username == request.username.strip()
                                                 .lower()))
    if user is None or not user.active:
        # Same answer as a wrong PIN: the screen must not reveal which usernames exist.
        verify_secret(request.secret, _dummy_hash())
        return Unauthorized("invalid_login", BAD_LOGIN)
    if user.locked_until is not None and user.locked_until > uow.now:
        until = user.locked_until.astimezone(uow.office.tz).strftime("%H:%M")
        return Unauthorized("account_locked",
                            f"La cuenta de {user.full_name} está bloqueada por intentos "
                            f"fallidos. Vuelva a intentar después de las {until} o pida a "
                            "su supervisor que la desbloquee.")
    if not verify_secret(request.secret, user.secret_hash):
        user.failed_attempts += 1
        locked = user.failed_attempts >= limits.attempts
        if locked:
            user.locked_until = uow.now + timedelta(minutes=limits.lockout_minutes)
            user.failed_attempts = 0
        user.updated_at = uow.now
        uow.record("user", user.id, "login_failed",
                   {"device": device.name, "locked": locked}, _device(device))
        if locked:
            return Unauthorized("account_locked",
                                f"Demasiados intentos fallidos: la cuenta queda bloqueada "
                                f"{limits.lockout_minutes} minutos.")
        left = limits.attempts - user.failed_attempts
        return Unauthorized("invalid_login",
                            f"{BAD_LOGIN} Le quedan {left} intento{'s' if left != 1 else ''}.")
    role = Role(user.role)
    if device.role in RANK and RANK[role] < RANK[device.role]:
        return Forbidden("wrong_device",
                         f"Un usuario de {ROLE_NAMES[role]} no puede iniciar sesión en un "
                         f"equipo de {ROLE_NAMES[device.role]}.")
    if device.role not in RANK:
        return Forbidden("wrong_device",
                         "En este equipo no se inicia sesión con usuario.")
    counter = request.counter
    if counter is not None:
        if uow.session.scalar(select(Counter.id).where(Counter.number == counter)) is None:
            return NotFound("unknown_counter", f"No existe la ventanilla {counter}.")
        taken = _open_session_at(uow, counter)
        if taken is not None and taken[1].id != user.id:
            return Conflict("counter_taken",
                            f"La ventanilla {counter} está en uso por {taken[1].full_name}. "
                            "Esa sesión debe cerrarse primero.")
    # One open session per clerk: logging in again elsewhere ends the old one.
    for old in uow.session.scalars(select(UserSession).where(
            UserSession.user_id == user.id, UserSession.ended_at.is_(None))):
        old.ended_at = uow.now
    token = new_token()
    uow.session.add(UserSession(token_hash=token_hash(token), user_id=user.id,
                                device_id=device.id, counter_number=counter,
                                started_at=uow.now, last_seen_at=uow.now, ended_at=None))
    user.failed_attempts = 0
    user.locked_until = None
    user.updated_at = uow.now
    uow.record("user", user.id, "login", {"device": device.name, "counter": counter},
               _device(device))
    return ClerkSession(token=token, user=_view(user), counter=counter,
                        idle_lock_s=limits.idle_lock_s)


def _open_session_at(uow: UnitOfWork, counter: int) -> tuple[UserSession, User] | None:
    since = uow.now - timedelta(hours=SESSION_HOURS)
    row = uow.session.execute(
        select(UserSession, User).join(User, User.id == UserSession.user_id).where(
            UserSession.counter_number == counter, UserSession.ended_at.is_(None),
            UserSession.started_at > since)
    ).first()
    return None if row is None else (row[0], row[1])


def logout(uow: UnitOfWork, device: DeviceIdentity, session_token: str) -> None:
    row = uow.session.get(UserSession, token_hash(session_token))
    if row is None or row.ended_at is not None:
        return  # already out: logging out twice is not an error
    row.ended_at = uow.now
    uow.record("user", row.user_id, "logout", {"device": device.name}, _device(device))


def resolve(session: Session, device: DeviceIdentity, session_token: str, now: datetime
            ) -> DeviceIdentity:
    """The device identity with its clerk, for a request that carries a clerk session."""
    row = session.execute(
        select(UserSession, User).join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == token_hash(session_token))
    ).first()
    if row is None or row[0].device_id != device.id:
        raise Unauthorized("invalid_session",
                           "La sesión del usuario no es válida en este equipo. Inicie sesión.")
    user_session, user = row[0], row[1]
    if (user_session.ended_at is not None or not user.active
            or user_session.started_at <= now - timedelta(hours=SESSION_HOURS)):
        raise Unauthorized("session_ended", "Su sesión terminó. Inicie sesión de nuevo.")
    clerk = ClerkRef(user_id=user.id, username=user.username, full_name=user.full_name,
                     role=Role(user.role), counter=user_session.counter_number,
                     must_change=user.must_change)
    return dataclasses.replace(device, clerk=clerk)


def change_secret(uow: UnitOfWork, device: DeviceIdentity, current: str, new: str) -> UserView:
    """The logged-in clerk replaces their PIN or password (an initial one must be replaced
    before anything else). The old one is checked; the new one must be sound and different."""
    clerk = device.clerk
    if clerk is None:
        raise Unauthorized("clerk_required", "Inicie sesión para cambiar su PIN.")
    user = uow.session.get(User, clerk.user_id)
    if user is None or not user.active:
        raise Unauthorized("session_ended", "Su sesión terminó. Inicie sesión de nuevo.")
    if not verify_secret(current, user.secret_hash):
        raise Unauthorized("invalid_secret", "El PIN actual no es correcto.")
    check_secret(new)
    if new == current:
        raise InvalidInput("same_secret", "El PIN nuevo debe ser distinto del actual.")
    user.secret_hash = hash_secret(new)
    user.must_change = False
    user.updated_at = uow.now
    uow.record("user", user.id, "secret_changed", {"device": device.name}, _device(device))
    return _view(user)


def list_users(session: Session) -> list[UserView]:
    return [_view(u) for u in session.scalars(select(User).order_by(User.username))]


def _device(device: DeviceIdentity) -> str | None:
    return None if device.id == "system" else device.id


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the username is unknown, so both failures take as long."""
    return hash_secret("no-such-user-secret")

# Demo clerks (written in clear in the demo's credentials file, on purpose).
DEMO_USERS = (
    ("ana", "Ana Torres Chávez", "counter", "2468"),
    ("luis", "Luis Quispe Mamani", "counter", "1357"),
    ("rosa", "Rosa Huamán Cruz", "supervisor", "8642"),
    ("admin", "Carlos Díaz Rojas", "admin", "97531"),
)


@functools.cache
def _demo_hash(pin: str) -> str:
    # Demo PINs are public anyway; hashing each once per process keeps demo offices cheap.
    return hash_secret(pin)


def seed_demo_users(uow: UnitOfWork) -> None:
    for username, name, role, pin in DEMO_USERS:
        add_user(uow, username, name, role, pin, None, hasher=_demo_hash)
