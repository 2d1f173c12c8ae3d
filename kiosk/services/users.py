"""Clerks: accounts with a PIN or password, and their sessions on a device.

Secrets are hashed with scrypt (memory-hard, in the standard library). A session token is
random and stored hashed like a device token; the request carries it in `X-Clerk-Session`
next to the device's own credential, so an action is always "this clerk at this device".

scrypt is slow on purpose, so it never runs inside the store's write transaction (the queue
waits on that one writer): a login reads the stored hash, verifies it with no transaction
open, then records the outcome in a short write that checks the hash is still the one
verified. New secrets are hashed before the write that stores them (`new_secret`).
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import hmac
import os
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import CacError, Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from kiosk.ids import new_id, new_token
from kiosk.rules.permissions import RANK, ROLE_NAMES, USER_ROLES, Role
from kiosk.services import queue
from kiosk.services.devices import ClerkRef, DeviceIdentity, token_hash
from kiosk.services.expediente_views import ClerkSession, LoginInput, UserView
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.storage.tables import Counter, User, UserSession

# scrypt with N=2^14, r=8: 16 MiB and ~50 ms per check on an old office PC.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SESSION_HOURS = 12  # a session outlives a working day, never two
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")

# At most this many scrypt runs at once (16 MiB and a core each): a flood of logins leaves
# memory and the other cores to the queue; the logins beyond wait their turn, holding nothing.
_SCRYPT_SLOTS = threading.BoundedSemaphore(max(1, (os.cpu_count() or 2) // 2))
PIN_DIGITS = (6, 12)  # new PINs; clerks with an older 4- or 5-digit PIN keep logging in


def _scrypt(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    with _SCRYPT_SLOTS:
        return hashlib.scrypt(secret.encode(), salt=salt, n=n, r=r, p=p,
                              maxmem=64 * 1024 * 1024)


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(secret, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(secret, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def check_secret(secret: str) -> str:
    """A PIN of 6 to 12 digits, or a password of 8 characters or more."""
    low, high = PIN_DIGITS
    if secret.isdigit():
        if not low <= len(secret) <= high:
            raise InvalidInput("weak_secret", f"El PIN debe tener de {low} a {high} dígitos.")
        if len(set(secret)) == 1 or secret in "0123456789012" or secret in "9876543210":
            raise InvalidInput("weak_secret",
                               "Ese PIN es demasiado fácil de adivinar (dígitos repetidos o "
                               "seguidos). Elija otro.")
    elif len(secret) < 8:
        raise InvalidInput("weak_secret",
                           "La contraseña debe tener al menos 8 caracteres, o use un PIN de "
                           f"{low} a {high} dígitos.")
    if len(secret) > 128:
        raise InvalidInput("weak_secret", "La contraseña no puede pasar de 128 caracteres.")
    return secret


def _view(user: User) -> UserView:
    return UserView(id=user.id, username=user.username, full_name=user.full_name,
                    role=user.role, must_change=user.must_change)


@dataclass(frozen=True)
class NewSecret:
    """A PIN or password checked and hashed before any write transaction opens."""

    secret: str
    hash: str
    generated: bool  # made by the hub: to be changed at the first login


def new_secret(secret: str | None) -> NewSecret:
    """The given secret (checked), or a generated 6-digit PIN; hashed (slow: call it before
    the write)."""
    generated = secret is None
    secret = random_pin() if secret is None else check_secret(secret)
    return NewSecret(secret, hash_secret(secret), generated)


def add_user(uow: UnitOfWork, username: str, full_name: str, role: str, secret: NewSecret,
             device_id: str | None, *, audit: bool = True) -> tuple[UserView, str]:
    """Create a clerk with `secret` (`new_secret`: generated ones must be changed).
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
    exists = uow.session.scalar(select(User.id).where(User.office_id == uow.office.office_id,
                                                      User.username == username))
    if exists is not None:
        raise Conflict("user_exists", f"Ya existe el usuario «{username}».")
    user = User(id=new_id(), office_id=uow.office.office_id, username=username,
                full_name=full_name, role=parsed.value, secret_hash=secret.hash,
                must_change=secret.generated, failed_attempts=0, locked_until=None, active=True,
                created_at=uow.now, updated_at=uow.now)
    uow.session.add(user)
    uow.session.flush()
    if audit:
        uow.record("user", user.id, "user_added",
                   {"username": username, "full_name": full_name, "role": parsed.value},
                   device_id)
    return _view(user), secret.secret


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


@dataclass(frozen=True)
class StoredSecret:
    """An account's hash as read before verifying; the write compares it again."""

    user_id: str
    secret_hash: str


def stored_secret(session: Session, username: str) -> StoredSecret | None:
    """The active account of that name, or None (unknown and inactive look the same)."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None or not user.active:
        return None
    return StoredSecret(user.id, user.secret_hash)


def verify_login(secret: str, stored: StoredSecret | None) -> bool:
    """The slow part, with no transaction open. An unknown name is checked against a dummy
    hash, and a locked account against its own: every attempt costs the same."""
    matches = verify_secret(secret, stored.secret_hash if stored else _dummy_hash())
    return matches and stored is not None


def bad_login(limits: LoginLimits) -> Unauthorized:
    """The one answer to an unknown name, a wrong PIN and a locked account alike: telling
    them apart would say which names exist. It still tells a clerk what to do."""
    minutes = limits.lockout_minutes
    return Unauthorized(
        "invalid_login",
        "Usuario o PIN incorrecto. Revise ambos y vuelva a intentar. Si está seguro de que son "
        "correctos, su cuenta puede estar bloqueada por intentos fallidos: espere "
        f"{minutes} minuto{'s' if minutes != 1 else ''} o pida al administrador que la "
        "desbloquee.")


def _verified_user(uow: UnitOfWork, device: DeviceIdentity, stored: StoredSecret | None,
                   verified: bool, limits: LoginLimits) -> User | CacError:
    """The account whose PIN was verified beforehand, or the one refusal for every failure;
    a wrong PIN counts towards the account's lock-out."""
    if stored is None:
        return bad_login(limits)
    user = uow.session.get(User, stored.user_id)
    if user is None or not user.active:
        return bad_login(limits)
    if user.locked_until is not None and user.locked_until > uow.now:
        return bad_login(limits)  # not counted: the lock-out already stands
    if user.secret_hash != stored.secret_hash:
        # Changed while it was being checked: the PIN verified is not the account's any more.
        return bad_login(limits)
    if not verified:
        user.failed_attempts += 1
        locked = user.failed_attempts >= limits.attempts
        if locked:
            user.locked_until = uow.now + timedelta(minutes=limits.lockout_minutes)
            user.failed_attempts = 0
        user.updated_at = uow.now
        uow.record("user", user.id, "login_failed",
                   {"device": device.name, "locked": locked}, _device(device))
        return bad_login(limits)
    return user


def admin_secrets(session: Session) -> list[StoredSecret]:
    """The active administrators' hashes, for a locked-down screen's PIN (they are few)."""
    return [StoredSecret(user.id, user.secret_hash) for user in session.scalars(
        select(User).where(User.role == Role.ADMIN.value, User.active.is_(True))
        .order_by(User.username))]


def matching_admin(secret: str, admins: list[StoredSecret]) -> StoredSecret | None:
    """The administrator whose PIN this is, checked with no transaction open; every
    administrator is checked, so the time says nothing about which one matched."""
    matched = [admin for admin in admins if verify_secret(secret, admin.secret_hash)]
    return matched[0] if matched else None


def unlock_window(uow: UnitOfWork, device: DeviceIdentity, matched: StoredSecret | None
                  ) -> UserView | CacError:
    """An administrator's PIN lets a locked-down screen (kiosk, TV, rating screen) close:
    recorded with who and where. A wrong PIN is recorded on the screen's device and counted
    by the hub's login throttle; a locked or changed account does not open it."""
    user = None if matched is None else uow.session.get(User, matched.user_id)
    if matched is None or user is None or not user.active \
            or user.secret_hash != matched.secret_hash \
            or (user.locked_until is not None and user.locked_until > uow.now):
        uow.record("device", device.id, "window_unlock_failed", {"device": device.name},
                   _device(device))
        return Unauthorized("invalid_pin", "PIN incorrecto: esta pantalla se cierra solo con "
                                           "el PIN de un administrador.")
    user.updated_at = uow.now
    uow.record("user", user.id, "window_unlocked", {"device": device.name}, _device(device))
    return _view(user)


def login(uow: UnitOfWork, device: DeviceIdentity, request: LoginInput,
          stored: StoredSecret | None, verified: bool, limits: LoginLimits
          ) -> ClerkSession | CacError:
    """Record a login attempt checked beforehand (`stored_secret`, `verify_login`): open a
    session, or return the error to raise *after* committing (a failure stays counted)."""
    user = _verified_user(uow, device, stored, verified, limits)
    if isinstance(user, CacError):
        return user
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
    # One open session per clerk: logging in again elsewhere ends the old one (and leaves its
    # counter; back at the same counter, e.g. unlocking, the counter stays as it is).
    for old in list(uow.session.scalars(select(UserSession).where(
            UserSession.user_id == user.id, UserSession.ended_at.is_(None)))):
        old.ended_at = uow.now
        if old.counter_number != counter:
            _leave_counter(uow, old, _device(device), "login_elsewhere")
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
    _leave_counter(uow, row, _device(device), "logout")


def _leave_counter(uow: UnitOfWork, ended: UserSession, device_id: str | None, why: str
                   ) -> None:
    """The session at a counter ended: the counter does not stay open with nobody at it
    (kiosk/services/queue.py: leave_counter), unless someone is logged in there still."""
    number = ended.counter_number
    if number is None or _open_session_at(uow, number) is not None:
        return
    queue.leave_counter(uow, number, device_id, why)


def end_expired_sessions(uow: UnitOfWork) -> int:
    """End the sessions past SESSION_HOURS nobody logged out of (each an event) and leave
    their counters; returns how many."""
    since = uow.now - timedelta(hours=SESSION_HOURS)
    expired = list(uow.session.scalars(select(UserSession).where(
        UserSession.ended_at.is_(None), UserSession.started_at <= since)))
    for row in expired:
        row.ended_at = uow.now
        uow.record("user", row.user_id, "session_expired",
                   {"counter": row.counter_number, "started_at": row.started_at.isoformat()},
                   None)
        _leave_counter(uow, row, None, "expired")
    return len(expired)


def last_counter(session: Session, device_id: str) -> int | None:
    """The counter of the latest clerk session on this device (its clerk's counter): what
    the login offers next time, whatever state the counter was left in."""
    return session.scalar(
        select(UserSession.counter_number)
        .where(UserSession.device_id == device_id, UserSession.counter_number.is_not(None))
        .order_by(UserSession.started_at.desc()).limit(1))


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
                     must_change=user.must_change, session_id=user_session.token_hash)
    return dataclasses.replace(device, clerk=clerk)


def own_secret(session: Session, device: DeviceIdentity) -> StoredSecret:
    """The logged-in clerk's stored hash, to check their current PIN against."""
    clerk = device.clerk
    if clerk is None:
        raise Unauthorized("clerk_required", "Inicie sesión para cambiar su PIN.")
    user = session.get(User, clerk.user_id)
    if user is None or not user.active:
        raise Unauthorized("session_ended", "Su sesión terminó. Inicie sesión de nuevo.")
    return StoredSecret(user.id, user.secret_hash)


def check_change(current: str, new: str) -> None:
    """What can be refused before the (slow) check of the current PIN."""
    check_secret(new)
    if new == current:
        raise InvalidInput("same_secret", "El PIN nuevo debe ser distinto del actual.")


def wrong_current_secret() -> Unauthorized:
    return Unauthorized("invalid_secret", "El PIN actual no es correcto.")


def change_secret(uow: UnitOfWork, device: DeviceIdentity, stored: StoredSecret,
                  new: NewSecret) -> UserView:
    """The logged-in clerk replaces their PIN or password (an initial one must be replaced
    before anything else); the current one was verified against `stored`, and `new` hashed,
    before this write."""
    user = uow.session.get(User, stored.user_id)
    if user is None or not user.active:
        raise Unauthorized("session_ended", "Su sesión terminó. Inicie sesión de nuevo.")
    if user.secret_hash != stored.secret_hash:
        raise Conflict("secret_changed",
                       "Su PIN acaba de cambiar en otro lugar: escriba el vigente como PIN "
                       "actual y vuelva a intentar.")
    user.secret_hash = new.hash
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
    # Not through `new_secret`: the demo keeps its short PINs (public, and easy to type).
    for username, name, role, pin in DEMO_USERS:
        add_user(uow, username, name, role, NewSecret(pin, _demo_hash(pin), False), None)
