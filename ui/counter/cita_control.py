"""The citas a clerk books at the counter, without the window: the hub calls of the Citas page
(ui/counter/citas_panel.py), through the window's runner (worker thread)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from kiosk.client.base import HubClient
from kiosk.errors import CacError
from kiosk.services.cita_views import (
    CitaCancel,
    CitaChange,
    CitaDayView,
    CitaInput,
    CitaPlanView,
    CitaView,
)
from ui.hub_calls import Runner

Failed = Callable[[CacError], None]


class CitaControl:
    def __init__(self, client: HubClient, run: Runner) -> None:
        self._client = client
        self._run = run

    def services(self, shown: Callable[[tuple[list[CitaPlanView], date]], None],
                 failed: Failed) -> None:
        """The services and their citas setting, and the hub's day (this PC's clock may be
        wrong)."""
        client = self._client
        self._run(lambda: (client.cita_services(), client.queue().business_date), shown,
                  failed)

    def slots(self, service: str, day: date, shown: Callable[[CitaDayView], None],
              failed: Failed) -> None:
        client = self._client
        self._run(lambda: client.cita_slots(service, day), shown, failed)

    def day(self, day: date, shown: Callable[[list[CitaView]], None], failed: Failed) -> None:
        client = self._client
        self._run(lambda: client.citas_of_day(day), shown, failed)

    def book(self, request: CitaInput, booked: Callable[[CitaView], None],
             failed: Failed) -> None:
        client = self._client
        self._run(lambda: client.book_cita(request), booked, failed)

    def cancel(self, code: str, cancelled: Callable[[CitaView], None], failed: Failed) -> None:
        client = self._client
        self._run(lambda: client.cancel_cita(code, CitaCancel()), cancelled, failed)

    def change(self, code: str, start: datetime, changed: Callable[[CitaView], None],
               failed: Failed) -> None:
        client = self._client
        self._run(lambda: client.change_cita(code, CitaChange(start=start)), changed, failed)
