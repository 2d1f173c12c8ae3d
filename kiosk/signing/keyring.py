"""Signing keys unlocked in memory, one per clerk session.

The registrar gives the certificate's password once per session; the key opened with it lives
in the hub's memory, tied to that session (a logged-out session is never resolved again, so its
key is never used again) and forgotten after the session's longest life. Nothing is written.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.signing.certificate import OpenedCertificate


@dataclass(frozen=True)
class _Unlocked:
    opened: OpenedCertificate
    until: datetime


class Keyring:
    def __init__(self, lifetime: timedelta) -> None:
        self._lifetime = lifetime
        self._keys: dict[str, _Unlocked] = {}
        self._lock = threading.Lock()

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
