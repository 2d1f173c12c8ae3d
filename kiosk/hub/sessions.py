"""Clerks and their sessions: logins (throttled), PIN changes, logouts.

Apart from the core because login and the PIN change verify a secret outside any transaction
and count failures before refusing, unlike the plain write gate.
"""

from __future__ import annotations

from datetime import timedelta

from kiosk.errors import CacError, Forbidden
from kiosk.hub.core import HubCore
from kiosk.rules.text import checked_text_arguments
from kiosk.services import users
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import ClerkSession, LoginCounter, LoginInput, UserView
from kiosk.services.login_throttle import ThrottleLimits


@checked_text_arguments  # no control characters in any text argument; names cleaned
class SessionsFacade(HubCore):
    """Clerks, their PINs and their sessions on a device."""

    def add_user(self, device: DeviceIdentity, username: str, full_name: str, role: str,
                 secret: str | None = None) -> tuple[UserView, str]:
        """A new clerk; returns the PIN (generated when none is given) to hand over once."""
        self.allow(device, "devices.manage")
        new = users.new_secret(secret)  # hashed before the write: scrypt is slow
        return self._write(device, "devices.manage", lambda uow: users.add_user(
            uow, username, full_name, role, new, self._device_id(device)))

    def users(self, device: DeviceIdentity) -> list[UserView]:
        self.allow(device, "devices.manage")
        with self.store.read_session() as session:
            return users.list_users(session)

    def _throttle_limits(self) -> ThrottleLimits:
        config = self.config
        return ThrottleLimits(config.login_failures_per_device, config.login_failures_office,
                              timedelta(minutes=config.login_failure_window_minutes))

    def login(self, device: DeviceIdentity, request: LoginInput) -> ClerkSession:
        """Throttled per device and office-wide; the PIN is verified with no transaction open
        (kiosk/services/users.py), then the outcome is written."""
        self.allow(device, "sessions.login")
        limits = users.LoginLimits(self.config.login_attempts,
                                   self.config.login_lockout_minutes,
                                   self.config.idle_lock_minutes * 60)
        if device.counter is not None:  # a PC the admin bound to its counter
            if request.counter is None:
                request = request.model_copy(update={"counter": device.counter})
            elif request.counter != device.counter:
                raise Forbidden("other_counter",
                                f"Este equipo es de la ventanilla {device.counter}: ingrese en "
                                "esa ventanilla o use el equipo de la otra.")
        with self.login_throttle.attempt(device.id, self.clock.now(),
                                         self._throttle_limits()) as attempt:
            with self.store.read_session() as session:
                stored = users.stored_secret(session, request.username)
            verified = users.verify_login(request.secret, stored)
            outcome = self._write(device, "sessions.login", lambda uow: users.login(
                uow, device, request, stored, verified, limits))
            if isinstance(outcome, CacError):
                if outcome.code == "invalid_login":
                    attempt.failed()
                raise outcome  # after the commit: the failed attempt stays counted
            return outcome

    def unlock_window(self, device: DeviceIdentity, secret: str) -> UserView:
        """A locked-down kiosk, TV or rating screen closes only with an administrator's PIN
        (typed on its touch keypad: no user name), throttled like a login and recorded."""
        self.allow(device, "windows.unlock")
        with self.login_throttle.attempt(device.id, self.clock.now(),
                                         self._throttle_limits()) as attempt:
            with self.store.read_session() as session:
                admins = users.admin_secrets(session)
            matched = users.matching_admin(secret, admins)
            outcome = self._write(device, "windows.unlock",
                                  lambda uow: users.unlock_window(uow, device, matched))
            if isinstance(outcome, CacError):
                attempt.failed()
                raise outcome
            return outcome

    def change_secret(self, device: DeviceIdentity, current: str, new: str) -> UserView:
        """The logged-in clerk's new PIN or password (forced for an initial one). A wrong
        current PIN counts as a failed login (it is a guess at the clerk's PIN)."""
        self.allow(device, "sessions.secret")
        users.check_change(current, new)
        with self.login_throttle.attempt(device.id, self.clock.now(),
                                         self._throttle_limits()) as attempt:
            with self.store.read_session() as session:
                stored = users.own_secret(session, device)
            if not users.verify_secret(current, stored.secret_hash):
                attempt.failed()
                raise users.wrong_current_secret()
        fresh = users.new_secret(new)
        return self._write(device, "sessions.secret",
                           lambda uow: users.change_secret(uow, device, stored, fresh))

    def login_counter(self, device: DeviceIdentity) -> LoginCounter:
        """The counter this PC's login offers: the one the admin bound it to (the only one),
        else the counter of the last session on it (a restart, a power cut: the clerk comes
        back to the same window, and the TV sends people to the right one)."""
        self.allow(device, "counters.read")
        if device.counter is not None:
            return LoginCounter(counter=device.counter, bound=True)
        with self.store.read_session() as session:
            return LoginCounter(counter=users.last_counter(session, device.id), bound=False)

    def logout(self, device: DeviceIdentity, clerk_session: str | None) -> None:
        self.allow(device, "sessions.login")
        if clerk_session:
            self._write(device, "sessions.login",
                        lambda uow: users.logout(uow, device, clerk_session))
