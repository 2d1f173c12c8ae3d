"""What the routes share: the hub, the caller checked for an operation, the parameters' types.

No `from __future__ import annotations` here: FastAPI reads the annotations at runtime.
"""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar, cast

from fastapi import Depends, Header, Path, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from kiosk.errors import RateLimited
from kiosk.hub import OfficeHub
from kiosk.services.devices import DeviceIdentity
from kiosk.wire import CLERK_HEADER


def get_hub(request: Request) -> OfficeHub:
    return cast(OfficeHub, request.app.state.hub)


HubDep = Annotated[OfficeHub, Depends(get_hub)]
bearer = HTTPBearer(auto_error=False)
ClerkSessionHeader = Annotated[str | None, Header(alias=CLERK_HEADER, max_length=100)]


def may(operation: str) -> Any:
    """The caller of a route, checked for `operation` (its role, a person logged in where
    one is needed: kiosk/rules/permissions.py) before the route reads anything else."""

    def caller(
        hub: HubDep,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        clerk_session: ClerkSessionHeader = None,
    ) -> DeviceIdentity:
        me = hub.authenticate(credentials.credentials if credentials else "", clerk_session)
        hub.allow(me, operation)
        return me

    caller.operation = operation  # type: ignore[attr-defined]  # read by the tests
    return Depends(caller)


class _Caller:
    """Marks the parameter that receives the caller, checked for the route's operation
    (kiosk/api/routes/__init__.py puts the table's `may(...)` there)."""


Me = Annotated[DeviceIdentity, _Caller()]

# --- parameters, by name (and type where one name means two things) -------------------------

CounterNumber = Annotated[int, Path(ge=1, le=999)]
TicketId = Annotated[str, Path(min_length=1, max_length=36)]
TicketNumber = Annotated[str, Path(min_length=1, max_length=12)]  # «O-012», today's
Code = Annotated[str, Path(min_length=1, max_length=40)]  # a procedure's or a service's
TableName = Annotated[str, Path(min_length=1, max_length=1000)]
Username = Annotated[str, Path(min_length=1, max_length=40)]
ObjectId = Annotated[str, Path(min_length=1, max_length=36)]
AttachmentId = Annotated[str, Path(min_length=1, max_length=100)]
# Expediente numbers and tracking codes; anything else reaches the hub, which answers 404.
ExpedienteRef = Annotated[str, Path(min_length=1, max_length=1000)]
Day = Annotated[date, Path()]  # AAAA-MM-DD: one day of the office's calendar
Year = Annotated[int | None, Query(ge=1990, le=2200)]
DateFrom = Annotated[date, Query(alias="from")]
DateTo = Annotated[date, Query(alias="to")]
SearchText = Annotated[str, Query(max_length=1000)]

PATH_PARAMS: dict[tuple[str, type], Any] = {
    ("ticket_id", str): TicketId,
    ("number", int): CounterNumber,
    ("number", str): ExpedienteRef,
    ("code", str): Code,
    ("name", str): TableName,
    ("username", str): Username,
    ("device_id", str): ObjectId,
    ("pairing_id", str): ObjectId,
    ("attachment_id", str): AttachmentId,
    ("appeal_id", str): ObjectId,
    ("ticket", str): TicketNumber,
    ("day", date): Day,
}
QUERY_PARAMS: dict[tuple[str, Any], Any] = {
    ("date_from", date): DateFrom,
    ("date_to", date): DateTo,
    ("year", int | None): Year,
}


async def raw_body(request: Request) -> bytes:
    return await request.body()


RawBody = Annotated[bytes, Depends(raw_body)]


def csv_file(text: str, name: str) -> Response:
    """A CSV export, downloaded as `name`."""
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})

T = TypeVar("T")


async def slowed_refusals(work: Callable[[], T]) -> T:
    """`work` (a blocking hub call) in the thread pool; a 429 waits first, holding no thread
    (kiosk.api.app.pause_before_refusal)."""
    try:
        return await run_in_threadpool(work)
    except RateLimited:
        from kiosk.api import app  # the pause is the app's: tests replace it there

        await app.pause_before_refusal()
        raise
