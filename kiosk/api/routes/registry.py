"""Citizens, businesses, the civil registry's actas and the search of expedientes.

The hub checks the query and the limit itself (Spanish errors, the same in-process)."""

from typing import Annotated

from fastapi import Query

from kiosk.api.deps import HubDep, Me, SearchText
from kiosk.api.routes import Endpoints, area_router
from kiosk.client.base import REGISTRY
from kiosk.services.expediente_views import ActaView, BusinessView, ExpedienteSummary, PersonView

endpoints = Endpoints()


@endpoints("find_persons")
def find_persons(me: Me, hub: HubDep, q: SearchText = "", limit: int = 20) -> list[PersonView]:
    return hub.find_persons(me, q, limit)


@endpoints("find_businesses")
def find_businesses(me: Me, hub: HubDep, q: SearchText = "", limit: int = 20
                    ) -> list[BusinessView]:
    return hub.find_businesses(me, q, limit)


@endpoints("search_actas")
def search_actas(me: Me, hub: HubDep, q: SearchText = "",
                 kind: Annotated[str | None, Query(max_length=40)] = None, limit: int = 20
                 ) -> list[ActaView]:
    return hub.search_actas(me, q, kind, limit)


@endpoints("search_expedientes")
def search_expedientes(me: Me, hub: HubDep, q: SearchText = "", limit: int = 20
                       ) -> list[ExpedienteSummary]:
    return hub.search_expedientes(me, q, limit)


router = area_router(REGISTRY, endpoints)
