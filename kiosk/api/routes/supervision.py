"""The supervisor's figures, the period report and its tables, print jobs, alerts, the link
with central and the access audit."""

from datetime import date
from typing import Annotated

from fastapi import Query, Response

from kiosk.api.deps import DateFrom, DateTo, HubDep, Me, TableName, csv_file
from kiosk.api.routes import Endpoints, area_router
from kiosk.client.base import SUPERVISION
from kiosk.services.access_log import AccessEntry
from kiosk.services.views import PrintJobView

endpoints = Endpoints()


@endpoints("print_jobs")
def print_jobs(me: Me, hub: HubDep,
               state: Annotated[str | None, Query(max_length=40)] = None, limit: int = 50
               ) -> list[PrintJobView]:
    return hub.print_jobs(me, state, limit)


@endpoints(
    "export_report_table",
    response_class=Response,
    responses={200: {"description": "La tabla en CSV (UTF-8)", "content": {"text/csv": {}}}},
)
def export_report_table(name: TableName, me: Me, hub: HubDep, date_from: DateFrom,
                        date_to: DateTo) -> Response:
    return csv_file(hub.export_report_table(me, name, date_from, date_to),
                    f"{name}-{hub.office.office_code}-{date_from}-{date_to}.csv")


@endpoints("audit_access")
def audit_access(
    me: Me,
    hub: HubDep,
    person: Annotated[str | None, Query(max_length=20)] = None,
    user: Annotated[str | None, Query(max_length=40)] = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    limit: int = 200,
) -> list[AccessEntry]:
    """Who opened whose personal data (Ley 29733), newest first: admins only."""
    return hub.audit_access(
        me, person=person, user=user, date_from=date_from, date_to=date_to, limit=limit
    )


router = area_router(SUPERVISION, endpoints)
