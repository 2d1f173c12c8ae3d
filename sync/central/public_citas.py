"""Central's public page for booking a cita (issue 17, decision record 47): `/citas`.

A citizen picks the office, the service and a free place among those the office delegated
to central (sync/central/citas.py books it, serialised with the feed's writers), types DNI
and name, and gets the booking code. An office allows public booking exactly by delegating
places: the delegation is the office's permission, given by its admin; without one the
office is not listed. Server-rendered forms (no JavaScript); the same per-address limit as
the tracking page; the booking form carries a per-form token that must match a SameSite
cookie (double submit), so another site cannot post it in the citizen's browser. The page
shows no booking but the one just made.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment
from sqlalchemy import Connection, func, select

from kiosk.errors import CacError
from sync.central import citas
from sync.central.schema import REPLICAS, offices
from sync.central.server import CentralServer

LIMA = ZoneInfo("America/Lima")
WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
CSRF_COOKIE = "cac_cita_form"
MAX_FORM_BYTES = 4096
HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex",
           "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
           "Referrer-Policy": "no-referrer",
           "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                                      "form-action 'self'; frame-ancestors 'none'"}


@dataclass(frozen=True)
class Slot:
    start: datetime
    free: int

    @property
    def value(self) -> str:
        return self.start.isoformat()

    @property
    def label(self) -> str:
        return f"{self.start.astimezone(LIMA):%H:%M}"


def open_offices(connection: Connection, now: datetime) -> list[tuple[str, str]]:
    """(code, name) of the offices with a delegated place still to come."""
    delegations = REPLICAS["cita_delegations"]
    rows = connection.execute(
        select(offices.c.code, offices.c.name).where(offices.c.id.in_(
            select(delegations.c.office_id).where(delegations.c.start_at > now)))
        .order_by(offices.c.name)).all()
    return [(r.code, r.name) for r in rows if _free_places(connection, r.code, None, now)]


def _office_id(connection: Connection, code: str) -> str | None:
    return connection.scalar(select(offices.c.id).where(offices.c.code == code.upper()))


def _free_places(connection: Connection, office_code: str, service_code: str | None,
                 now: datetime) -> dict[tuple[str, datetime], int]:
    """Free delegated places of an office's future slots, per (service code, start)."""
    office_id = _office_id(connection, office_code)
    if office_id is None:
        return {}
    delegations, services = REPLICAS["cita_delegations"], REPLICAS["services"]
    query = (select(services.c.code, delegations.c.start_at,
                    func.sum(delegations.c.places).label("places"))
             .join(services, (services.c.id == delegations.c.service_id)
                   & (services.c.office_id == delegations.c.office_id))
             .where(delegations.c.office_id == office_id, delegations.c.start_at > now)
             .group_by(services.c.code, delegations.c.start_at))
    if service_code is not None:
        query = query.where(services.c.code == service_code)
    given = {(r.code, r.start_at): int(r.places) for r in connection.execute(query)}
    codes: dict[str, str] = dict(connection.execute(select(services.c.id, services.c.code).where(
        services.c.office_id == office_id)).all())
    for (service_id, start), n in citas.taken(connection, office_id, after=now).items():
        key = (codes.get(service_id, ""), start)
        if key in given:
            given[key] -= n
    return {key: free for key, free in given.items() if free > 0}


def services_with_places(connection: Connection, office_code: str, now: datetime
                         ) -> list[tuple[str, str]]:
    codes = {service for service, _ in _free_places(connection, office_code, None, now)}
    office_id = _office_id(connection, office_code)
    services = REPLICAS["services"]
    rows = connection.execute(select(services.c.code, services.c.name).where(
        services.c.office_id == office_id, services.c.code.in_(codes))
        .order_by(services.c.name)).all()
    return [(r.code, r.name) for r in rows]


def service_name(connection: Connection, office_code: str, service_code: str) -> str:
    services = REPLICAS["services"]
    name = connection.scalar(select(services.c.name).where(
        services.c.office_id == _office_id(connection, office_code),
        services.c.code == service_code))
    return str(name or service_code)


def slots_by_day(connection: Connection, office_code: str, service_code: str, now: datetime
                 ) -> dict[date, list[Slot]]:
    days: dict[date, list[Slot]] = {}
    free = _free_places(connection, office_code, service_code, now)
    for (_, start), places in sorted(free.items(), key=lambda item: item[0][1]):
        days.setdefault(start.astimezone(LIMA).date(), []).append(Slot(start, places))
    return days


@dataclass(frozen=True)
class Pages:
    """What the page's routes share: rendering with its headers and the per-form cookie,
    and reading a posted form whose token matches that cookie."""

    templates: Environment
    municipality: str

    def page(self, name: str, status: int = 200, cookie: str | None = None, **context: Any
             ) -> HTMLResponse:
        html = self.templates.get_template(name).render(municipality=self.municipality,
                                                        **context)
        response = HTMLResponse(html, status_code=status, headers=HEADERS)
        if cookie is not None:
            response.set_cookie(CSRF_COOKIE, cookie, max_age=3600, httponly=True,
                                samesite="strict", path="/")
        return response

    @staticmethod
    def token(request: Request) -> str:
        return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)

    async def posted(self, request: Request,
                     too_many: Callable[[Request], HTMLResponse | None]
                     ) -> dict[str, str] | HTMLResponse:
        """A POST's fields, or the page that refuses it: the address's limit reached (every
        submit counts), or the form too big, malformed, or not sent from the page."""
        refused = too_many(request)
        return refused if refused is not None else await self.form(request)

    async def form(self, request: Request) -> dict[str, str] | HTMLResponse:
        """The posted fields, or the error page: too big, malformed, or not sent from the
        page (its token does not match the cookie)."""
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            return self.page("citas_error.html", 413,
                             message="El formulario es demasiado grande.")
        try:
            fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"),
                                                   max_num_fields=20).items()}
        except ValueError:  # more fields than the form has
            return self.page("citas_error.html", 400, message="El formulario no es válido.")
        cookie = request.cookies.get(CSRF_COOKIE, "")
        if not cookie or not hmac.compare_digest(cookie, fields.get("token", "")):
            return self.page("citas_error.html", 403, message=(
                "El formulario venció o no se envió desde esta página. Vuelva a "
                "empezar y envíelo otra vez."))
        return fields


def install(app: FastAPI, server: CentralServer, pages: Pages,
            too_many: Callable[[Request], HTMLResponse | None]) -> None:
    """Add `/citas` (GET: the steps; POST: the booking) to central's app."""
    page = pages.page

    def choose(request: Request, office: str, service: str, error: str | None = None,
               typed: dict[str, str] | None = None, status: int = 200) -> HTMLResponse:
        now = server.clock.now()
        with server.engine.connect() as connection:
            offices_open = open_offices(connection, now)
            office_name = dict(offices_open).get(office.upper())
            services = (services_with_places(connection, office, now)
                        if office_name else [])
            service_name = dict(services).get(service)
            days = (slots_by_day(connection, office, service, now)
                    if office_name and service_name else {})
        token = pages.token(request)
        return page("citas.html", status, cookie=token, offices=offices_open,
                    office=office.upper() if office_name else "", office_name=office_name,
                    services=services, service=service if service_name else "",
                    service_name=service_name, days=days, weekdays=WEEKDAYS, token=token,
                    error=error,
                    typed=typed or {})

    @app.get("/citas", response_class=HTMLResponse, include_in_schema=False)
    def citas_page(request: Request, oficina: str = "", servicio: str = "") -> Response:
        refused = too_many(request)
        if refused is not None:
            return refused
        return choose(request, oficina[:6], servicio[:20])

    @app.post("/citas", response_class=HTMLResponse, include_in_schema=False)
    async def citas_book(request: Request) -> Response:
        fields = await pages.posted(request, too_many)
        if isinstance(fields, HTMLResponse):
            return fields
        office, service = fields.get("oficina", "")[:6], fields.get("servicio", "")[:20]
        typed = {"dni": fields.get("dni", "")[:20], "nombre": fields.get("nombre", "")[:120],
                 "contacto": fields.get("contacto", "")[:120]}
        try:
            start = datetime.fromisoformat(fields.get("hora", ""))
        except ValueError:
            return choose(request, office, service, "Elija una hora de la lista.", typed, 400)
        try:
            booking = server.book_public_cita(office, service, start, typed["dni"],
                                              typed["nombre"], typed["contacto"] or None,
                                              consent=fields.get("autoriza") == "si")
        except CacError as error:
            status = 409 if error.code in ("slot_full", "slot_past") else 400
            return choose(request, office, service, error.message, typed, status)
        with server.engine.connect() as connection:
            name = service_name(connection, office, service)
        return page("citas_done.html", 201, booking=booking, service_name=name,
                    when=datetime.fromisoformat(booking["start"]).astimezone(LIMA))
