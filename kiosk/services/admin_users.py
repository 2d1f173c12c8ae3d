"""The administrator's users: add, change role or name, deactivate, reset a PIN, unlock.

The office always keeps one active admin: the last one can be neither demoted nor deactivated.
Deactivating a user, changing their role or resetting their PIN ends their open sessions (the
next request from their window answers «Su sesión terminó»).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.errors import Conflict, InvalidInput, NotFound
from kiosk.rules.permissions import USER_ROLES, Role
from kiosk.services import users
from kiosk.services.admin_audit import AdminActor, record
from kiosk.services.admin_views import AdminUserView, UserChange, UserCreated, UserInput
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.storage.tables import User, UserSession


def user_view(user: User, now: datetime) -> AdminUserView:
    locked = user.locked_until if user.locked_until and user.locked_until > now else None
    return AdminUserView(id=user.id, username=user.username, full_name=user.full_name,
                         role=user.role, active=user.active, must_change=user.must_change,
                         locked_until=locked, failed_logins=user.failed_attempts)


def list_users(session: Session, now: datetime) -> list[AdminUserView]:
    return [user_view(u, now) for u in session.scalars(select(User).order_by(User.username))]


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound("unknown_user", f"No existe el usuario «{username[:40]}».")
    return user


def _role(value: str) -> Role:
    try:
        role = Role(value)
    except ValueError:
        role = None
    if role not in USER_ROLES:
        raise InvalidInput("invalid_role",
                           "El rol de un usuario debe ser counter (ventanilla), supervisor o "
                           "admin.")
    assert role is not None
    return role


def end_sessions(uow: UnitOfWork, user_id: str) -> int:
    ended = 0
    for row in uow.session.scalars(select(UserSession).where(
            UserSession.user_id == user_id, UserSession.ended_at.is_(None))):
        row.ended_at = uow.now
        ended += 1
    return ended


def add_user(uow: UnitOfWork, actor: AdminActor, new: UserInput, secret: users.NewSecret
             ) -> UserCreated:
    """`secret`: `users.new_secret(None)`, made before the write (scrypt is slow)."""
    _role(new.role)
    view, initial = users.add_user(uow, new.username, new.full_name, new.role, secret,
                                   actor.device_id, audit=False)
    user = uow.session.get(User, view.id)
    assert user is not None
    record(uow, actor, "user", user.id, "user_added",
           {"username": user.username, "full_name": user.full_name, "role": user.role})
    return UserCreated(user=user_view(user, uow.now), initial_secret=initial)


def change_user(uow: UnitOfWork, actor: AdminActor, username: str, change: UserChange
                ) -> AdminUserView:
    session = uow.session
    user = _user(session, username)
    changes: dict[str, object] = {}
    if change.full_name is not None:
        full_name = " ".join(change.full_name.split())
        if not 3 <= len(full_name) <= 120:
            raise InvalidInput("invalid_name",
                               "Escriba el nombre completo (de 3 a 120 caracteres).")
        if full_name != user.full_name:
            changes["full_name"] = full_name
    if change.role is not None and _role(change.role).value != user.role:
        changes["role"] = _role(change.role).value
    if change.active is not None and change.active != user.active:
        changes["active"] = change.active
    if not changes:
        return user_view(user, uow.now)
    stays_admin = changes.get("role", user.role) == Role.ADMIN.value and \
        bool(changes.get("active", user.active))
    if user.role == Role.ADMIN.value and user.active and not stays_admin:
        others = session.scalar(select(func.count()).select_from(User).where(
            User.role == Role.ADMIN.value, User.active.is_(True), User.id != user.id)) or 0
        if others == 0:
            raise Conflict("last_admin",
                           f"{user.full_name} es el último administrador activo: no se le "
                           "puede quitar el rol ni desactivar. Cree antes otro administrador.")
    user.full_name = str(changes.get("full_name", user.full_name))
    user.role = str(changes.get("role", user.role))
    user.active = bool(changes.get("active", user.active))
    user.updated_at = uow.now
    ended = end_sessions(uow, user.id) if "role" in changes or "active" in changes else 0
    session.flush()
    record(uow, actor, "user", user.id, "user_changed",
           {"username": user.username, "changes": changes, "sessions_ended": ended})
    return user_view(user, uow.now)


def reset_secret(uow: UnitOfWork, actor: AdminActor, username: str, secret: users.NewSecret
                 ) -> UserCreated:
    """A new initial PIN for someone who forgot theirs: shown once, to be changed at login.
    `secret`: `users.new_secret(None)`, made before the write (scrypt is slow)."""
    user = _user(uow.session, username)
    if not user.active:
        raise Conflict("user_inactive",
                       f"La cuenta de {user.full_name} está desactivada: actívela primero.")
    user.secret_hash = secret.hash
    user.must_change = True
    user.failed_attempts = 0
    user.locked_until = None
    user.updated_at = uow.now
    ended = end_sessions(uow, user.id)
    record(uow, actor, "user", user.id, "secret_reset",
           {"username": user.username, "sessions_ended": ended})
    return UserCreated(user=user_view(user, uow.now), initial_secret=secret.secret)


def unlock(uow: UnitOfWork, actor: AdminActor, username: str) -> AdminUserView:
    user = _user(uow.session, username)
    was_locked = user.locked_until is not None and user.locked_until > uow.now
    if was_locked or user.failed_attempts:
        user.failed_attempts = 0
        user.locked_until = None
        user.updated_at = uow.now
        record(uow, actor, "user", user.id, "user_unlocked",
               {"username": user.username, "was_locked": was_locked})
    return user_view(user, uow.now)
