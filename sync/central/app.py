"""Routes of the central server (`/api/v1` for hubs and staff; for citizens `/` (also `/t`,
`/t/`), where a code is typed, and `/t/<code>`, the status its QR leads to).

No `from __future__ import annotations` here: FastAPI reads the annotations at runtime.
"""

import asyncio
import contextlib
import contextvars
import importlib
import ipaddress
import os
import re
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

import uvicorn
from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import StatementError

from kiosk import __version__
from kiosk.api.errors import BodySizeLimit, FeedPosition, LargeBody, install_error_handlers
from kiosk.errors import ConfigError, InvalidInput
from kiosk.rules.expedientes import TRACKING_LENGTH, parse_reference
from sync.central import public_citas, public_own_cita
from sync.central.public_rate import DEFAULT_PER_MINUTE, PublicRate
from sync.central.server import CentralIdentity, CentralServer, Versions
from sync.central.verification import verification_routes
from sync.wire import (
    APP_HEADER,
    MAX_BATCH_BYTES,
    OFFICE_HEADER,
    PROTOCOL_HEADER,
    PULL_PAGE,
    SCHEMA_HEADER,
    dumps,
    unpack_checked,
)

PREFIX = "/api/v1"
PUSH_WORKERS = 2  # batches a process applies at once (others wait, without a thread)
# The nice level of the threads that apply batches (Linux: a thread's priority is its own): a
# batch is tens of milliseconds of CPU, a citizen's page or /health a few, so when the cores
# are busy the kernel runs the short requests first.
PUSH_NICE = 10


def _lower_priority(nice: int) -> None:
    """This thread `nice` levels below the one that started it (whose level it inherits)."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux, or not allowed: as is
        me = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, me, min(19, os.getpriority(os.PRIO_PROCESS, me) + nice))
TEMPLATES = Path(__file__).with_name("templates")
LIMA = ZoneInfo("America/Lima")


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BackofficeEventBody(Body):
    action: Literal["derive", "observe", "inspect", "approve", "deny"]
    note: str | None = Field(default=None, max_length=500)
    area: str | None = Field(default=None, max_length=120)
    inspection_result: Literal["conforme", "no_conforme"] | None = None


class CentralCitaBody(Body):
    """A cita on a place the office delegated to central (sync/central/citas.py)."""

    service: str = Field(min_length=1, max_length=20)
    start: datetime
    document: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=3, max_length=120)
    contact: str | None = Field(default=None, max_length=120)


def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES),
                      autoescape=select_autoescape(["html"]))

    def local_datetime(value: datetime | None) -> str:
        return "" if value is None else value.astimezone(LIMA).strftime("%d/%m/%Y %H:%M")

    def local_date(value: date | None) -> str:
        return "" if value is None else value.strftime("%d/%m/%Y")

    env.filters["local_datetime"] = local_datetime
    env.filters["local_date"] = local_date
    return env


def create_central_app(server: CentralServer, municipality: str = "Municipalidad",
                       public_rate: int = DEFAULT_PER_MINUTE,
                       push_workers: int = PUSH_WORKERS) -> FastAPI:
    app = FastAPI(title="CAC Kiosk — servidor central", version=__version__,
                  openapi_url="/openapi.json", docs_url="/docs", redoc_url=None)
    push_route = LargeBody("POST", _exact(f"{PREFIX}/sync/push"), MAX_BATCH_BYTES,
                           "batch_too_large", "El lote de cambios es demasiado grande.")
    app.add_middleware(BodySizeLimit, large=[push_route])
    # Level 6 (zlib's own, and the hubs' `pack`): as small as Starlette's 9 within 0.2 % for
    # a push's answer, in two thirds of the time (~0.4 µs an entry less).
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=6)
    install_error_handlers(app, place="la central")
    bearer = HTTPBearer(auto_error=False)
    templates = _templates()
    # Citizens' lookups per client address and minute, counted in the database every central
    # process shares (sync/central/public_rate.py). The address is the connection's own, or
    # the one a trusted proxy puts in X-Forwarded-For (`central_server(trusted_proxies=...)`).
    limiter = PublicRate(server.citizens, public_rate, server.clock)
    pushing = asyncio.Semaphore(push_workers)
    appliers = ThreadPoolExecutor(push_workers, "push", _lower_priority, (PUSH_NICE,))

    async def identity(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> CentralIdentity:
        # Every office's request: on the event loop, no worker thread (a sync dependency
        # would take one before the route takes its own).
        return await server.authenticate_async(credentials.credentials if credentials else "")

    def versions(
        app_version: Annotated[str | None, Header(alias=APP_HEADER, max_length=20)] = None,
        protocol: Annotated[str | None, Header(alias=PROTOCOL_HEADER, max_length=6)] = None,
        schema: Annotated[str | None, Header(alias=SCHEMA_HEADER, max_length=20)] = None,
        office: Annotated[str | None, Header(alias=OFFICE_HEADER, max_length=12)] = None,
    ) -> Versions:
        number = int(protocol) if protocol and protocol.isdigit() else None
        return Versions(app=app_version, protocol=number, schema=schema, office=office)

    Who = Annotated[CentralIdentity, Depends(identity)]
    Version = Annotated[Versions, Depends(versions)]
    api = APIRouter(prefix=PREFIX)

    @api.get("/health")
    async def health() -> dict[str, Any]:
        return await server.health()

    @api.get("/sync/hello")
    def hello(me: Who, version: Version,
              hub_office_id: Annotated[str, Query(min_length=1, max_length=36)]
              ) -> dict[str, Any]:
        return server.hello(me, version, hub_office_id)

    @api.post("/sync/push", response_model=dict[str, Any])
    async def push(request: Request, me: Who, version: Version) -> Response:
        body = await request.body()
        encoding = request.headers.get("content-encoding", "")
        if encoding not in ("gzip", ""):
            raise InvalidInput("bad_body", "El lote debe enviarse comprimido con gzip.")

        def apply() -> dict[str, Any]:
            document, clean = unpack_checked(body, compressed=encoding == "gzip")
            try:
                return server.push(me, version, document, clean)
            except (RecursionError, StatementError) as error:
                # Values nested deeper than json writes back (orjson reads 1,024 levels):
                # refused as a bad body, which the hub reports, not a 500 it retries for ever.
                if isinstance(error, StatementError) and not isinstance(error.orig,
                                                                        RecursionError):
                    raise
                raise InvalidInput("bad_body", "El envío anida demasiados niveles: no es un "
                                   "lote de una oficina.") from None

        # Reading the body needs the event loop; unpacking and applying a batch take tens of
        # milliseconds of a thread (and its database transaction), never the loop's. A few
        # batches at a time: they are mostly Python, so more threads would only queue for the
        # interpreter's lock, and the loop (/health, the public page) with them.
        async with pushing:
            result: dict[str, Any] = await asyncio.get_running_loop().run_in_executor(
                appliers, contextvars.copy_context().run, apply)
        # Plain texts and numbers, a result per entry: written by orjson (`dumps`), not
        # walked value by value by FastAPI's encoder first.
        return Response(dumps(result, plain=True), media_type="application/json")

    @api.get("/sync/changes")
    def changes(me: Who, version: Version, after: FeedPosition = 0,
                limit: Annotated[int, Query(ge=1, le=PULL_PAGE)] = PULL_PAGE
                ) -> dict[str, Any]:
        return server.pull(me, version, after, limit)

    @api.get("/sync/recover")
    def recover(me: Who, version: Version, after: FeedPosition = 0,
                limit: Annotated[int, Query(ge=1, le=PULL_PAGE)] = PULL_PAGE
                ) -> dict[str, Any]:
        return server.recover(me, version, after, limit)

    @api.get("/stats")
    def stats(me: Who,
              date_from: Annotated[date, Query(alias="from")],
              date_to: Annotated[date, Query(alias="to")],
              office: Annotated[str | None, Query(max_length=6)] = None) -> dict[str, Any]:
        return server.stats(me, office, date_from, date_to)

    @api.get("/stats/report")
    def period_report(me: Who,
                      date_from: Annotated[date, Query(alias="from")],
                      date_to: Annotated[date, Query(alias="to")],
                      office: Annotated[str | None, Query(max_length=6)] = None
                      ) -> dict[str, Any]:
        return server.period_report(me, office, date_from, date_to)

    @api.post("/offices/{office}/expedientes/{number}/events")
    def backoffice_event(office: str, number: str, body: BackofficeEventBody, me: Who
                         ) -> dict[str, Any]:
        return server.backoffice_event(me, office, number, body.action, body.note, body.area,
                                       body.inspection_result)

    @api.post("/offices/{office}/citas", status_code=201)
    def book_cita(office: str, body: CentralCitaBody, me: Who) -> dict[str, Any]:
        return server.book_cita(me, office, body.service, body.start, body.document,
                                body.name, body.contact)

    app.include_router(api)

    def refusal(allowed: bool) -> HTMLResponse | None:
        if allowed:
            return None
        page = templates.get_template("too_many.html").render(municipality=municipality)
        return HTMLResponse(page, status_code=429, headers={"Retry-After": "60"})

    def client_of(request: Request) -> str:
        return request.client.host if request.client else "?"

    def too_many(request: Request) -> HTMLResponse | None:
        """The public pages' one limit per client address (a lookup, the form, a submit)."""
        return refusal(limiter.allow(client_of(request)))

    async def too_many_async(request: Request) -> HTMLResponse | None:
        """`too_many` for a route of the event loop."""
        return refusal(await limiter.allow_async(client_of(request)))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/t", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/t/", response_class=HTMLResponse, include_in_schema=False)
    def lookup(request: Request,
               codigo: Annotated[str | None, Query(max_length=100)] = None) -> Response:
        """Where a citizen types the code of a cargo or receipt: a plain GET form (no
        JavaScript) whose answer redirects to `/t/<code>`. Links are relative, so the
        page works under a proxy's path prefix too."""
        refused = too_many(request)
        if refused is not None:
            return refused
        # The form posts to `<root>/t/`: from there the code's page is `<code>`.
        here = "" if request.url.path.endswith("/t/") else "t/"
        headers = {"Cache-Control": "no-store"}
        error = None
        if codigo is not None:
            number, code = parse_reference(codigo)
            # "CAJ-2026-000123" reads as a code too; as printed, codes never look like that.
            if code is not None and not (number is not None and "-" in codigo):
                return RedirectResponse(here + code, status_code=303, headers=headers)
            error = ("Escriba el código de seguimiento tal como figura en su cargo o recibo: "
                     f"{TRACKING_LENGTH} letras y números (el número de expediente no sirve "
                     "para esta consulta)." if codigo.strip() else
                     "Escriba el código de seguimiento.")
        page = templates.get_template("lookup.html").render(
            municipality=municipality, action=here or "./", typed=(codigo or "")[:40],
            error=error)
        return HTMLResponse(page, status_code=400 if error else 200, headers=headers)

    citas_pages = public_citas.Pages(templates, municipality)
    public_citas.install(app, server, citas_pages, too_many)
    public_own_cita.install(app, server, citas_pages, too_many)

    @app.get("/t/{code}", response_class=HTMLResponse, include_in_schema=False)
    async def tracking(code: str, request: Request) -> HTMLResponse:
        # The page's commonest request (each printed QR leads here): on the event loop, its
        # two statements awaited (AloneStatements.rows_async), no worker thread.
        refused = await too_many_async(request)
        if refused is not None:
            return refused
        status = await server.public_status(code[:40])
        headers = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
        if status is None:
            page = templates.get_template("not_found.html").render(
                municipality=municipality, code=code[:40])
            return HTMLResponse(page, status_code=404, headers=headers)
        page = templates.get_template("tracking.html").render(municipality=municipality,
                                                              status=status)
        return HTMLResponse(page, headers=headers)

    app.include_router(verification_routes(
        server.engine, server.clock.now, identity, templates, municipality, too_many, PREFIX))
    return app


def _exact(path: str) -> re.Pattern[str]:
    return re.compile(re.escape(path))


def trusted_proxies(options: Sequence[str], environment: str | None) -> list[str]:
    """The proxies (addresses or networks) whose X-Forwarded-For central believes: the
    `--trusted-proxy` options, else the comma-separated environment variable; none by
    default (then a client is its connection's address, whatever headers it sends)."""
    values = list(options) if options else (environment or "").split(",")
    proxies: list[str] = []
    for raw in values:
        value = raw.strip()
        if not value:
            continue
        try:
            proxies.append(str(ipaddress.ip_network(value, strict=False)) if "/" in value
                           else str(ipaddress.ip_address(value)))
        except ValueError:
            raise ConfigError("invalid_trusted_proxy",
                              f"«{value[:60]}» no es la dirección IP de un proxy (ni una red, "
                              "p. ej. 10.0.0.0/24).") from None
    return proxies


def fast_protocols() -> dict[str, str]:
    """uvicorn's C HTTP parser (httptools) and event loop (uvloop) where installed, else its
    pure-Python h11 and asyncio's own loop (uvloop has no Windows build). Named here, not left
    to uvicorn's «auto» (which picks the same today): central's choice, seen and tested."""
    return {"http": "httptools" if _installed("httptools") else "h11",
            "loop": "uvloop" if _installed("uvloop") else "asyncio"}


def _installed(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


def central_server(server: CentralServer, trusted_proxies: Sequence[str] = (),
                   **config: Any) -> uvicorn.Server:
    """The uvicorn server for `cac central` and the tests (one place for its settings)."""
    settings: dict[str, Any] = {**fast_protocols(), "log_level": "warning", "access_log": False,
                                "timeout_graceful_shutdown": 5,
                                # uvicorn alone would believe any loopback client's header
                                "proxy_headers": bool(trusted_proxies),
                                "forwarded_allow_ips": list(trusted_proxies)}
    settings.update(config)
    municipality = settings.pop("municipality", "Municipalidad")
    public_rate = settings.pop("public_rate", DEFAULT_PER_MINUTE)
    push_workers = settings.pop("push_workers", PUSH_WORKERS)
    return uvicorn.Server(uvicorn.Config(
        create_central_app(server, municipality, public_rate, push_workers), **settings))
