"""Central's public page for a citizen's booking: `/citas/mi-cita` (decision records 48, 49).

The citizen types the booking code and the DNI it was booked with; the page shows the
booking (service, day, hour, state: no name, no contact) with a button to cancel it and the
free delegated hours of the same service to move it to, each one confirmed by one more
press. A wrong code and a wrong DNI get the same answer, and each try counts in the page's
per-address limit (every request does). A booking central made is checked against the DNI
it holds; one made at the office against the proof of the DNI its pushed event carried
(central never holds that DNI); one central has not learned yet gets the same answer, which
sends the citizen to the office's kiosk. The forms carry the per-form token of the booking
page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from kiosk.errors import CacError, NotFound
from sync.central.citas import OwnCita
from sync.central.public_citas import LIMA, WEEKDAYS, Pages, slots_by_day
from sync.central.server import CentralServer

# The statuses an answer takes: a refusal of the cita itself is a conflict, bad input 400.
_CONFLICTS = ("slot_full", "slot_past", "same_slot", "cita_not_booked", "cita_pending")


def install(app: FastAPI, server: CentralServer, pages: Pages,
            too_many: Callable[[Request], HTMLResponse | None]) -> None:
    """Add `/citas/mi-cita` (GET: the code and DNI; POST: see, cancel, move)."""

    def show(request: Request, cita: OwnCita | None = None, document: str = "",
             error: str | None = None, done: str | None = None, status: int = 200,
             typed_code: str = "") -> HTMLResponse:
        days: dict[Any, Any] = {}
        if cita is not None and cita.changeable:
            with server.engine.connect() as connection:
                free = slots_by_day(connection, cita.office_code, cita.service,
                                    server.clock.now())
            days = {day: kept for day, slots in free.items()
                    if (kept := [s for s in slots if s.start != cita.start])}
        token = pages.token(request)
        return pages.page("citas_mine.html", status, cookie=token, token=token, cita=cita,
                          document=document, error=error, done=done, days=days,
                          weekdays=WEEKDAYS, typed_code=typed_code,
                          when=cita.start.astimezone(LIMA) if cita else None,
                          before=(cita.held_start.astimezone(LIMA)
                                  if cita and cita.held_start else None))

    @app.get("/citas/mi-cita", response_class=HTMLResponse, include_in_schema=False)
    def own_cita_page(request: Request) -> Response:
        refused = too_many(request)
        if refused is not None:
            return refused
        return show(request)

    @app.post("/citas/mi-cita", response_class=HTMLResponse, include_in_schema=False)
    async def own_cita_act(request: Request) -> Response:
        fields = await pages.posted(request, too_many)
        if isinstance(fields, HTMLResponse):
            return fields
        code, document = fields.get("codigo", "")[:20], fields.get("dni", "")[:20]
        action = fields.get("accion", "ver")
        try:
            cita = server.public_cita(code, document)
        except NotFound as error:
            return show(request, error=error.message, status=404, typed_code=code)
        except CacError as error:  # a DNI that is not one
            return show(request, error=error.message, status=400, typed_code=code)
        try:
            if action == "cancelar":
                cita = server.cancel_public_cita(code, document)
                return show(request, cita, document, done="cancelada")
            if action == "mover":
                try:
                    start = datetime.fromisoformat(fields.get("hora", ""))
                except ValueError:
                    return show(request, cita, document, error="Elija una hora de la lista.",
                                status=400)
                cita = server.move_public_cita(code, document, start)
                return show(request, cita, document, done="cambiada")
        except CacError as error:
            status = 409 if error.code in _CONFLICTS else 400
            cita = server.public_cita(code, document)
            return show(request, cita, document, error=error.message, status=status)
        return show(request, cita, document)
