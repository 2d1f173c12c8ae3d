"""Every error leaves the API as {"error": {"code", "message"}} with a Spanish message."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.errors import CacError, RateLimited

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
# A position in a feed (`after=`) is at most the largest INTEGER of SQLite and bigint of
# PostgreSQL: a bigger one would reach the database and fail there with a server error.
FeedPosition = Annotated[int, Query(ge=0, le=2**63 - 1)]

_HTTP_MESSAGES = {
    401: ("no_credentials", "Falta la credencial del dispositivo."),
    404: ("not_found", "Esa dirección no existe en {place}."),
    405: ("method_not_allowed", "Ese método no está permitido en esta dirección."),
    413: ("body_too_large", "La solicitud es demasiado grande."),
}


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "cuerpo"


def _validation_message(errors: list[dict[str, Any]]) -> tuple[str, str]:
    first = errors[0] if errors else {"type": "", "loc": ()}
    kind = first.get("type", "")
    field = _field(tuple(first.get("loc", ())))
    if kind == "json_invalid":
        return "invalid_json", "El cuerpo de la solicitud no es JSON válido."
    if kind == "missing":
        return "invalid_request", f"Falta el dato «{field}»."
    if kind == "extra_forbidden":
        return "invalid_request", f"Dato desconocido «{field}»."
    if kind in ("model_attributes_type", "dict_type"):
        return "invalid_request", "El cuerpo de la solicitud debe ser un objeto JSON."
    if kind == "invalid_text":  # kiosk/rules/text.py: the message names the field's path
        context = first.get("ctx")
        context = context if isinstance(context, dict) else {}
        leaf = str(context.get("field", ""))
        loc = tuple(first.get("loc", ()))
        path = _field(loc if not leaf or (loc and loc[-1] == leaf) else (*loc, leaf))
        message = str(context.get("message", ""))
        return "invalid_text", message.replace(f"«{leaf}»", f"«{path}»", 1) if leaf else message
    if kind == "literal_error":
        context = first.get("ctx")
        expected = context.get("expected", "") if isinstance(context, dict) else ""
        expected = str(expected).replace(" or ", " o ")
        return "invalid_request", f"Valor no permitido para «{field}». Use: {expected}."
    return "invalid_request", f"Valor no válido para «{field}»."


def install_error_handlers(app: FastAPI, place: str = "el hub") -> None:
    """`place` names the server in messages («el hub», «la central»)."""

    @app.exception_handler(CacError)
    async def _domain(_request: Request, exc: CacError) -> JSONResponse:
        headers = ({"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited)
                   else None)
        return JSONResponse(exc.to_json(), status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        code, message = _validation_message(list(exc.errors()))
        status = 400 if code == "invalid_json" else 422
        return JSONResponse(error_body(code, message), status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = _HTTP_MESSAGES.get(
            exc.status_code, ("http_error", "La solicitud no se pudo atender.")
        )
        return JSONResponse(error_body(code, message.format(place=place)),
                            status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("error inesperado en %s", place, exc_info=exc)
        return JSONResponse(
            error_body("internal_error",
                       f"Ocurrió un error interno en {place}. Quedó registrado; intente de "
                       "nuevo."),
            status_code=500,
        )


@dataclass(frozen=True)
class LargeBody:
    """A route that takes more than the API's usual limit (scanned documents), with the
    message to give when even that is exceeded."""

    method: str
    path: re.Pattern[str]
    limit: int
    code: str
    message: str


class BodySizeLimit:
    """Refuse bodies over the limit before they are read whole (also when chunked)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES,
                 large: Sequence[LargeBody] = ()) -> None:
        self.app = app
        self.limit = limit
        self.large = tuple(large)

    def _limit_for(self, scope: Scope) -> tuple[int, str, str]:
        for route in self.large:
            if scope.get("method") == route.method and route.path.fullmatch(scope["path"]):
                return route.limit, route.code, route.message
        return self.limit, *_HTTP_MESSAGES[413]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, code, refusal = self._limit_for(scope)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(send, code, refusal)
            return
        received = 0
        too_large = False
        refused = False

        async def limited_receive() -> Message:
            nonlocal received, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                too_large = True  # stop reading: the app sees a disconnect
                return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            # FastAPI answers a body it could not read with its own 400; say what happened.
            nonlocal refused
            if not too_large:
                await send(message)
            elif not refused:
                refused = True
                await self._refuse(send, code, refusal)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not too_large:
                raise
            if not refused:
                await self._refuse(send, code, refusal)

    async def _refuse(self, send: Send, code: str, message: str) -> None:
        response = JSONResponse(error_body(code, message), status_code=413)
        await response({"type": "http"}, _empty_receive, send)


async def _empty_receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}
