"""Tickets, the queue, calls, prints, a display's voice and ratings."""

from typing import Annotated

from fastapi import Query, Response

from kiosk.api.deps import CounterNumber, DateFrom, DateTo, HubDep, Me, TicketId, csv_file
from kiosk.api.errors import FeedPosition
from kiosk.api.routes import Endpoints, area_router
from kiosk.client.base import QUEUE
from kiosk.hub import MAX_LONG_POLL_S
from kiosk.services.display_health import DisplayHealthReport
from kiosk.services.supervisor_views import RatingView
from kiosk.services.views import CallsPage, IssuedTicket, PrintJobReport, PrintJobView, TicketView
from kiosk.wire import (
    CallTicketBody,
    FinishBody,
    IssueTicketBody,
    PrintJobBody,
    RatingBody,
    TransferBody,
)

endpoints = Endpoints()


@endpoints("issue_ticket")
def issue(body: IssueTicketBody, me: Me, hub: HubDep) -> IssuedTicket:
    return hub.issue_ticket(me, body.service, body.preferential)


@endpoints("export_tickets")
def export(me: Me, hub: HubDep, date_from: DateFrom, date_to: DateTo) -> Response:
    return csv_file(hub.export_tickets(me, date_from, date_to),
                    f"turnos-{hub.office.office_code}-{date_from}-{date_to}.csv")


@endpoints("finish")
def finish(ticket_id: TicketId, me: Me, hub: HubDep, body: FinishBody | None = None
           ) -> TicketView:
    return hub.finish(me, ticket_id, (body or FinishBody()).outcome)


@endpoints("transfer")
def transfer(ticket_id: TicketId, body: TransferBody, me: Me, hub: HubDep) -> TicketView:
    return hub.transfer(me, ticket_id, body.service)


@endpoints("call_next", response_model=TicketView,
           responses={204: {"description": "Nadie espera"}})
def call_next(number: CounterNumber, me: Me, hub: HubDep) -> TicketView | Response:
    called = hub.call_next(me, number)
    return Response(status_code=204) if called is None else called


@endpoints("call_ticket")
def call_ticket(number: CounterNumber, body: CallTicketBody, me: Me, hub: HubDep
                ) -> TicketView:
    return hub.call_ticket(me, number, body.ticket_id, body.reason)


@endpoints("calls")
async def calls(me: Me, hub: HubDep, after: FeedPosition = 0,
                wait: Annotated[float, Query(ge=0, le=MAX_LONG_POLL_S)] = 0) -> CallsPage:
    return await hub.calls_after_async(me, after, wait)


@endpoints("report_print")
def report_print(body: PrintJobBody, me: Me, hub: HubDep) -> PrintJobView:
    return hub.report_print(me, PrintJobReport(**body.model_dump()))


@endpoints("report_display_health")
def display_health(body: DisplayHealthReport, me: Me, hub: HubDep) -> Response:
    hub.report_display_health(me, body)
    return Response(status_code=204)


@endpoints("rate_ticket")
def rate_ticket(body: RatingBody, me: Me, hub: HubDep) -> RatingView:
    return hub.rate_ticket(me, body.ticket, body.score)


router = area_router(QUEUE, endpoints)
