"""The Libro de Reclamaciones and the kiosk's suggestions box."""

from fastapi import Query, Response

from kiosk.api.deps import HubDep, Me, Year, csv_file
from kiosk.api.routes import Endpoints, area_router
from kiosk.client.base import RECLAMOS
from kiosk.services.reclamo_views import ReclamoBook

endpoints = Endpoints()


@endpoints("reclamo_book")
def reclamo_book(me: Me, hub: HubDep, open_only: bool = Query(default=False)) -> ReclamoBook:
    return hub.reclamo_book(me, open_only)


@endpoints(
    "export_reclamos",
    response_class=Response,
    responses={200: {"description": "Los reclamos del año en CSV (UTF-8)",
                     "content": {"text/csv": {}}}},
)
def export_reclamos(me: Me, hub: HubDep, year: Year = None) -> Response:
    text = hub.export_reclamos(me, year)
    return csv_file(text, f"reclamos-{hub.office.office_code}-{year or 'anio'}.csv")


router = area_router(RECLAMOS, endpoints)
