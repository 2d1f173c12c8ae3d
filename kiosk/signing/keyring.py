"""Signing keys unlocked in memory, one per clerk session.

The registrar gives the certificate's password once per session; the key opened with it lives
in the hub's memory, tied to that session (a logged-out session is never resolved again, so its
key is never used again) and forgotten after the session's longest life. Nothing is written.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.errors import RateLimited
from kiosk.signing.certificate import OpenedCertificate

# Wrong certificate passwords a user may type before the hub stops trying them for a while:
# the PKCS#12 file is on the hub, so guessing its password goes through here only.
MAX_FAILURES = 5
FAILURE_PAUSE = timedelta(minutes=15)


@dataclass(frozen=True)
class _Unlocked:
    opened: OpenedCertificate
    until: datetime


class Keyring:
    def __init__(self, lifetime: timedelta) -> None:
        self._lifetime = lifetime
        self._keys: dict[str, _Unlocked] = {}
        self._failures: dict[str, list[datetime]] = {}  # by user id, the recent wrong ones
        self._lock = threading.Lock()

    def admit(self, user_id: str, now: datetime) -> None:
        """Refuse (429) a user who typed MAX_FAILURES wrong passwords in FAILURE_PAUSE."""
        with self._lock:
            recent = [t for t in self._failures.get(user_id, []) if t > now - FAILURE_PAUSE]
            self._failures[user_id] = recent
            if len(recent) >= MAX_FAILURES:
                wait = recent[0] + FAILURE_PAUSE - now
                minutes = max(1, round(wait.total_seconds() / 60))
                raise RateLimited("signing_throttled",
                                  f"Demasiadas contraseñas del certificado equivocadas: espere "
                                  f"{minutes} minutos antes de intentar de nuevo.",
                                  int(wait.total_seconds()))

    def failed(self, user_id: str, now: datetime) -> None:
        with self._lock:
            self._failures.setdefault(user_id, []).append(now)

    def succeeded(self, user_id: str) -> None:
        with self._lock:
            self._failures.pop(user_id, None)

    def put(self, session_id: str, opened: OpenedCertificate, now: datetime) -> None:
        with self._lock:
            self._drop_expired(now)
            self._keys[session_id] = _Unlocked(opened, now + self._lifetime)

    def get(self, session_id: str, now: datetime) -> OpenedCertificate | None:
        with self._lock:
            self._drop_expired(now)
            found = self._keys.get(session_id)
            return found.opened if found is not None else None

    def clear(self) -> None:
        """Every key forgotten (the certificate was replaced)."""
        with self._lock:
            self._keys.clear()

    def _drop_expired(self, now: datetime) -> None:
        for session_id in [s for s, k in self._keys.items() if k.until <= now]:
            del self._keys[session_id]
