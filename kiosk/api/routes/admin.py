"""The admin window's routes (an admin device with an admin user logged in: docs/admin.md),
the office's logo, and pairing a new PC."""

from fastapi import Response

from kiosk.api.deps import HubDep, Me, ObjectId, RawBody, slowed_refusals
from kiosk.api.routes import Endpoints, area_router
from kiosk.client.base import ADMIN
from kiosk.services.admin_views import (
    AdminDeviceView,
    DeviceBinding,
    OfficeSettings,
    PairedDevice,
    PairInput,
)

endpoints = Endpoints()


@endpoints("pair")
async def pair(body: PairInput, hub: HubDep) -> PairedDevice:
    """A new PC redeems its one-time code: no credential yet, wrong codes rate-limited."""
    return await slowed_refusals(lambda: hub.pair(body.code))


@endpoints(
    "office_ca",
    response_class=Response,
    responses={
        200: {
            "description": "El certificado de la autoridad de la oficina",
            "content": {"application/x-pem-file": {}},
        }
    },
)
def office_ca(hub: HubDep) -> Response:
    """Public: a new PC reads it before pairing and trusts it only when the last group of
    its pairing code matches (kiosk/rules/pairing_codes.py)."""
    return Response(hub.office_ca.pem, media_type="application/x-pem-file")


@endpoints(
    "office_logo",
    response_class=Response,
    responses={
        200: {"description": "El logo de la oficina (PNG)", "content": {"image/png": {}}},
        204: {"description": "La oficina no tiene logo"},
    },
)
def office_logo(me: Me, hub: HubDep) -> Response:
    logo = hub.office_logo(me)
    if logo is None:
        return Response(status_code=204)
    return Response(logo, media_type="image/png")


@endpoints("bind_device")
def bind_device(device_id: ObjectId, body: DeviceBinding, me: Me, hub: HubDep
                ) -> AdminDeviceView:
    """Bind a counter device to its counter (`{"counter": null}` frees it)."""
    return hub.bind_device(me, device_id, body)


@endpoints("cancel_pairing")
def cancel_pairing(pairing_id: ObjectId, me: Me, hub: HubDep) -> Response:
    hub.cancel_pairing(me, pairing_id)
    return Response(status_code=204)


@endpoints("set_logo")
def set_logo(me: Me, hub: HubDep, content: RawBody) -> OfficeSettings:
    """The PNG is the raw body (Content-Type: image/png); the hub checks it."""
    return hub.set_logo(me, content)


router = area_router(ADMIN, endpoints)
