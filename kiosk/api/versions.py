"""The hub's side of the version handshake (kiosk/rules/versions.py): every answer says the hub's
version and API levels; a window below the lowest level it serves is refused with 426 and a
Spanish message naming both versions. /health always answers: it is how a window learns
what to update to."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk import __version__
from kiosk.api.errors import error_body
from kiosk.rules import versions
from kiosk.wire import API_LEVEL_HEADER, MIN_API_LEVEL_HEADER, PREFIX, VERSION_HEADER

ALWAYS_ANSWERED = (PREFIX + "/health",)


class VersionHandshake:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers[VERSION_HEADER] = __version__
                headers[API_LEVEL_HEADER] = str(versions.API_LEVEL)
                headers[MIN_API_LEVEL_HEADER] = str(versions.MIN_CLIENT_API_LEVEL)
            await send(message)

        if scope["path"] not in ALWAYS_ANSWERED:
            sent = {k.decode("latin-1").lower(): v.decode("latin-1")
                    for k, v in scope.get("headers", [])}
            refusal = versions.client_refusal(
                sent.get(VERSION_HEADER.lower()),
                versions.parse_level(sent.get(API_LEVEL_HEADER.lower())),
                versions.MIN_CLIENT_API_LEVEL)
            if refusal is not None:
                response = JSONResponse(error_body(refusal.code, refusal.message),
                                        status_code=refusal.status)
                await response(scope, receive, stamped)
                return
        await self.app(scope, receive, stamped)
