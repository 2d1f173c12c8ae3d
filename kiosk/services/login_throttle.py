"""Failed logins counted per device and office-wide, whatever the user name (issue 14).

The account lock-out (kiosk.services.users) stops guesses at one clerk's PIN; it does not see
one PIN tried on many names. This does: once a device, or the office as a whole, has had too
many failures within a sliding window, further attempts are refused at once (429, no scrypt)
until the oldest failures leave the window. The office's bound is above a device's, so one
noisy device stops itself long before it could stop the others.

An attempt counts from the moment it is admitted, so parallel attempts cannot slip past the
bound together, and is forgiven when it turns out not to be a failure. Counts live in memory:
a restart (which someone on the LAN cannot cause) clears them; account lock-outs, stored,
survive it.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kiosk.errors import RateLimited

OFFICE = ""  # the key of the office-wide count (device ids are never empty)
PENDING_RETRY_S = 1  # blocked only by attempts still being checked: they end in a moment


@dataclass(frozen=True)
class ThrottleLimits:
    per_device: int
    office: int
    window: timedelta


@dataclass(eq=False)
class _Entry:
    at: datetime
    pending: bool = True  # admitted, not yet known to be a failure


@dataclass(eq=False)
class Attempt:
    """One admitted attempt: `failed()` keeps it counted; otherwise it is forgiven."""

    entry: _Entry
    is_failure: bool = field(default=False)

    def failed(self) -> None:
        self.is_failure = True


class FailureThrottle:
    def __init__(self, tz: ZoneInfo) -> None:
        self._tz = tz
        self._lock = threading.Lock()
        self._entries: dict[str, list[_Entry]] = {}

    @contextmanager
    def attempt(self, device_id: str, now: datetime, limits: ThrottleLimits
                ) -> Iterator[Attempt]:
        """Admit an attempt from `device_id` (or raise RateLimited); the block decides whether
        it failed."""
        attempt = Attempt(self._admit(device_id, now, limits))
        try:
            yield attempt
        finally:
            with self._lock:
                if attempt.is_failure:
                    attempt.entry.pending = False
                else:
                    for key in (device_id, OFFICE):
                        entries = self._entries.get(key, [])
                        if attempt.entry in entries:
                            entries.remove(attempt.entry)

    def _admit(self, device_id: str, now: datetime, limits: ThrottleLimits) -> _Entry:
        with self._lock:
            device = self._recent(device_id, now, limits.window)
            office = self._recent(OFFICE, now, limits.window)
            for entries, limit, code, place in (
                    (device, limits.per_device, "device_throttled", "en este equipo"),
                    (office, limits.office, "office_throttled", "en la oficina")):
                if len(entries) >= limit:
                    raise self._refusal(entries, limit, now, limits.window, code, place)
            entry = _Entry(now)
            device.append(entry)
            office.append(entry)
            return entry

    def _recent(self, key: str, now: datetime, window: timedelta) -> list[_Entry]:
        entries = [e for e in self._entries.get(key, []) if e.pending or e.at > now - window]
        self._entries[key] = entries
        return entries

    def _refusal(self, entries: list[_Entry], limit: int, now: datetime, window: timedelta,
                 code: str, place: str) -> RateLimited:
        failures = [e for e in entries if not e.pending]
        if len(failures) < limit:  # attempts still being checked: over in a moment
            return RateLimited(code, f"Hay demasiados intentos de ingreso a la vez {place}. "
                               "Vuelva a intentar en unos segundos.", PENDING_RETRY_S)
        # Free again when the oldest failures that keep the count at the limit leave the window.
        frees = failures[len(failures) - limit].at + window
        wait = max(1, math.ceil((frees - now).total_seconds()))
        if code == "device_throttled":
            return RateLimited(code, "Demasiados intentos de ingreso fallidos en este equipo. "
                               f"Por seguridad, vuelva a intentar {self._when(now, wait)}.", wait)
        return RateLimited(code, "Hubo demasiados intentos de ingreso fallidos en la oficina y "
                           "el ingreso se detuvo por seguridad. Vuelva a intentar "
                           f"{self._when(now, wait)}. Si nadie se equivocó tantas veces, avise "
                           "al administrador.", wait)

    def _when(self, now: datetime, seconds: int) -> str:
        if seconds < 60:
            return "en unos segundos"
        minutes = math.ceil(seconds / 60)
        at = clock_time(now + timedelta(seconds=seconds), self._tz)
        return f"a las {at} (en {minutes} minuto{'s' if minutes != 1 else ''})"


def clock_time(moment: datetime, tz: ZoneInfo) -> str:
    """«10:43» for 10:42:07: a time to come back at must not come too early."""
    if moment.second or moment.microsecond:
        moment = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return moment.astimezone(tz).strftime("%H:%M")
