"""The office hub's API (`/api/v1`): the routes of each area of the operation table
(kiosk/api/routes/), the error answers, the body limits; and the server that runs it.

No `from __future__ import annotations` here: FastAPI reads the annotations at runtime.
"""

import asyncio
import re
import socket
from typing import TYPE_CHECKING, Any

import uvicorn
from fastapi import FastAPI

from kiosk import __version__
from kiosk.api.connections import bounded_config
from kiosk.api.errors import BodySizeLimit, LargeBody, install_error_handlers
from kiosk.api.routes import (
    admin,
    citas,
    counters,
    expedientes,
    queue,
    reclamos,
    registry,
    sessions,
    signing,
    supervision,
)
from kiosk.api.versions import VersionHandshake
from kiosk.clock import Clock
from kiosk.hub import OfficeHub
from kiosk.lan import WILDCARDS, HubNames, hub_url, is_loopback, lan_scheme
from kiosk.services.office_settings import LOGO_MAX_BYTES
from kiosk.services.signing_views import MAX_SIGNED_PDF
from kiosk.wire import CLERK_HEADER, PREFIX, Body

if TYPE_CHECKING:
    from kiosk.tls import CertificateRenewal, HubCertificate

__all__ = ["CLERK_HEADER", "Body", "HubServer", "create_app", "hub_server"]

ROUTERS = (queue.router, counters.router, sessions.router, registry.router,
           expedientes.router, citas.router, supervision.router, admin.router,
           reclamos.router, signing.router)


def create_app(hub: OfficeHub) -> FastAPI:
    app = FastAPI(
        title="CAC Kiosk — hub de oficina",
        version=__version__,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.hub = hub  # kiosk.api.deps.get_hub
    app.add_middleware(
        BodySizeLimit, large=[attachment_body(hub.config.attachment_max_mb), LOGO_BODY,
                             SIGNING_BODY]
    )
    app.add_middleware(VersionHandshake)  # outermost: every answer says the hub's version
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    return app


LOGO_BODY = LargeBody(
    method="PUT",
    path=re.compile(PREFIX + r"/admin/office/logo"),
    limit=LOGO_MAX_BYTES + 64 * 1024,
    code="invalid_logo",
    message=f"El logo supera el máximo de {LOGO_MAX_BYTES // 1024} KB. Redúzcalo.",
)


# A PDF to sign, as base64 in JSON (4/3 of the file).
SIGNING_BODY = LargeBody(
    method="POST",
    path=re.compile(PREFIX + r"/signing/documents/.+"),
    limit=MAX_SIGNED_PDF * 4 // 3 + 64 * 1024,
    code="document_too_large",
    message=f"El documento supera el máximo de {MAX_SIGNED_PDF // (1024 * 1024)} MB para "
    "firmarlo.",
)


def attachment_body(max_mb: int) -> LargeBody:
    """Scanned documents may be up to the office's limit; a little more still reaches the hub,
    which answers with the file's size. Far bigger ones are cut off unread."""
    return LargeBody(
        method="POST",
        path=re.compile(PREFIX + r"/expedientes/.+/attachments"),
        limit=max_mb * 1024 * 1024 + 64 * 1024,
        code="attachment_too_large",
        message=f"El archivo supera el máximo de {max_mb} MB. Escanéelo con menor resolución "
        "o en blanco y negro, o divídalo en partes.",
    )


# A throttled login or pairing is answered after this pause, which holds no thread: a client
# that ignores Retry-After and asks again at once (a flood, a spray) then asks once a second per
# connection, instead of spinning the hub's CPU with refusals while the kiosks wait
# (kiosk.api.deps.slowed_refusals).
REFUSAL_DELAY_S = 1.0


async def pause_before_refusal() -> None:
    await asyncio.sleep(REFUSAL_DELAY_S)


class HubServer(uvicorn.Server):
    """uvicorn with what the hub serves besides its API: `lan_url`, the address other PCs
    use, and while it serves HTTPS with the office CA, the daily renewal of its certificate."""

    def __init__(self, config: uvicorn.Config, lan_url: str,
                 certificate: "HubCertificate | None", clock: Clock) -> None:
        super().__init__(config)
        self.lan_url, self.certificate, self.clock = lan_url, certificate, clock
        self.renewal: CertificateRenewal | None = None

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        if self.certificate is None:
            await super().serve(sockets)
            return
        from kiosk.tls import CertificateRenewal

        if not self.config.loaded:
            self.config.load()  # makes the TLS context the renewal reloads
        assert self.config.ssl is not None
        self.renewal = CertificateRenewal(self.certificate, self.config.ssl, self.clock).start()
        try:
            await super().serve(sockets)
        finally:
            self.renewal.stop()


def hub_server(hub: OfficeHub, *, insecure_http: bool = False, **config: Any) -> HubServer:
    """The hub's API on uvicorn, set up alike for `cac hub`, `cac app` and the tests, its
    connections bounded (kiosk/api/connections.py).

    Over TLS with the administrator's certificate when the office installed one; otherwise
    plain HTTP on loopback and HTTPS with the office CA anywhere else, unless `insecure_http`
    (then /health says so)."""
    host = str(config.get("host", "127.0.0.1"))
    own = hub.config.tls_cert_file
    scheme = lan_scheme(host, own_certificate=bool(own), insecure_http=insecure_http)
    hub.lan_insecure = scheme == "http" and not is_loopback(host)
    certificate = None
    office_tls = scheme == "https" and not own
    names = HubNames.discover(host) if office_tls or host.strip() in WILDCARDS else None
    if scheme == "https" and own:
        config.setdefault("ssl_certfile", own)
        config.setdefault("ssl_keyfile", hub.config.tls_key_file)
    elif office_tls:
        from kiosk.tls import HubCertificate

        certificate = HubCertificate(hub.data_dir.tls, hub.office_ca,
                                     lambda: HubNames.discover(host))
        certificate.ensure(hub.clock.now(), names)
        config.setdefault("ssl_certfile", str(certificate.cert_file))
        config.setdefault("ssl_keyfile", str(certificate.key_file))
    url = hub_url(scheme, host, int(config.get("port", 8000)), names)
    return HubServer(uvicorn.Config(create_app(hub), log_level="warning",
                                    **bounded_config(config)), url, certificate, hub.clock)
