"""What the waiting-room displays report of their own health: whether they can speak the calls.

A display without a Spanish voice still chimes and shows every call, so nothing fails; only
its log said so (issue 15). Now it reports it: each display sends its state when it connects
and every few minutes, the hub keeps the latest report of each display in memory (it is the
display's present state, not a fact of the office's history: a hub restart forgets it and the
displays say it again), and the supervisor is alerted while a report is fresh.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import Input
from kiosk.services.views import AlertView

# How the display speaks the calls: with a Spanish voice, or why not (ui/display/sound.py).
Voice = Literal["ok", "no_module", "no_engine", "no_spanish"]
# A display reports this often (ui/display/window.py); a report older than FRESH is from a
# display that is off or gone, and alerts nobody.
REPORT_EVERY = timedelta(minutes=5)
FRESH = 3 * REPORT_EVERY

_WHY = {
    "no_module": "a Qt le falta su módulo de voz (QtTextToSpeech)",
    "no_engine": "no hay un motor de voz instalado en esa PC",
    "no_spanish": "no hay una voz en español instalada en esa PC",
}


class DisplayHealthReport(Input):
    voice: Voice


@dataclass(frozen=True)
class _Report:
    name: str
    voice: Voice
    at: datetime


class DisplayBoard:
    """The latest report of each display (thread-safe: the API serves from many threads)."""

    def __init__(self) -> None:
        self._reports: dict[str, _Report] = {}
        self._lock = threading.Lock()

    def report(self, device: DeviceIdentity, report: DisplayHealthReport, now: datetime
               ) -> bool:
        """Keep the display's report; True when it says something new (for the log)."""
        with self._lock:
            before = self._reports.get(device.id)
            self._reports[device.id] = _Report(device.name, report.voice, now)
        return before is None or before.voice != report.voice

    def alerts(self, now: datetime) -> list[AlertView]:
        """One per display that cannot speak the calls, by name."""
        with self._lock:
            reports = sorted(self._reports.values(), key=lambda r: r.name)
        return [AlertView(code="display_voice", message=(
            f"La pantalla «{r.name}» anuncia los llamados solo con la campanilla: {_WHY[r.voice]}. "
            "Vea «Voz de los llamados» en el README para instalarla."))
            for r in reports if r.voice != "ok" and now - r.at <= FRESH]
