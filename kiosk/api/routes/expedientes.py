"""Expedientes: filing, transitions, payments, scanned attachments, documents, the cash."""

from datetime import date
from typing import Annotated
from urllib.parse import quote, unquote

from fastapi import Header, Query, Response

from kiosk.api.deps import AttachmentId, ExpedienteRef, HubDep, Me, RawBody
from kiosk.api.routes import Endpoints, area_router
from kiosk.client.base import EXPEDIENTES
from kiosk.services.expediente_views import AttachmentView, CashClosing
from kiosk.wire import ATTACHMENT_ID_HEADER, FILE_NAME_HEADER

endpoints = Endpoints()


@endpoints("attach")
def attach(
    number: ExpedienteRef,
    me: Me,
    hub: HubDep,
    content: RawBody,
    content_type: Annotated[str | None, Header(max_length=100)] = None,
    file_name: Annotated[str | None, Header(alias=FILE_NAME_HEADER, max_length=1000)] = None,
) -> AttachmentView:
    """The scanned file is the raw body; its name comes percent-encoded in X-File-Name."""
    return hub.attach(me, number, unquote(file_name or ""), content_type or "", content)


@endpoints(
    "attachment_file",
    response_class=Response,
    responses={
        200: {
            "description": "El archivo adjunto (PDF, PNG o JPG)",
            "content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}},
        }
    },
)
def attachment_file(number: ExpedienteRef, attachment_id: AttachmentId, me: Me, hub: HubDep
                    ) -> Response:
    """The stored scan as the raw body, with its media type; the name (percent-encoded)
    comes in X-File-Name and in Content-Disposition."""
    found = hub.attachment_file(me, number, attachment_id)
    name = quote(found.file_name, safe="")
    return Response(
        found.content,
        media_type=found.media_type,
        headers={
            FILE_NAME_HEADER: name,
            ATTACHMENT_ID_HEADER: found.attachment_id,
            "Content-Disposition": f"attachment; filename*=UTF-8''{name}",
            "Cache-Control": "no-store",
        },
    )


@endpoints("cash_closing")
def cash_closing(
    me: Me,
    hub: HubDep,
    day: Annotated[date | None, Query(alias="date")] = None,
    username: Annotated[str | None, Query(max_length=40)] = None,
) -> CashClosing:
    return hub.cash_closing(me, day, username)


router = area_router(EXPEDIENTES, endpoints)
