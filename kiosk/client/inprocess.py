"""The hub in the same process (all-in-one office): same rules, no network."""

from __future__ import annotations

from datetime import date

from kiosk.hub import OfficeHub
from kiosk.services.devices import DeviceIdentity
from kiosk.services.views import (
    AlertView,
    CallsPage,
    CounterView,
    DayClosed,
    HealthView,
    IssuedTicket,
    PrintJobReport,
    PrintJobView,
    ProcedureView,
    QueueSnapshot,
    ServiceView,
    StatsReport,
    TicketView,
)


class InProcessHubClient:
    def __init__(self, hub: OfficeHub, token: str) -> None:
        self._hub = hub
        self._me: DeviceIdentity = hub.authenticate(token)

    def health(self) -> HealthView:
        return self._hub.health()

    def services(self) -> list[ServiceView]:
        return self._hub.services(self._me)

    def counters(self) -> list[CounterView]:
        return self._hub.counters(self._me)

    def queue(self) -> QueueSnapshot:
        return self._hub.queue(self._me)

    def ticket(self, ticket_id: str) -> TicketView:
        return self._hub.ticket(self._me, ticket_id)

    def issue_ticket(self, service: str, preferential: str | None = None) -> IssuedTicket:
        return self._hub.issue_ticket(self._me, service, preferential)

    def call_next(self, counter: int) -> TicketView | None:
        return self._hub.call_next(self._me, counter)

    def call_ticket(self, counter: int, ticket_id: str, reason: str | None = None
                    ) -> TicketView:
        return self._hub.call_ticket(self._me, counter, ticket_id, reason)

    def recall(self, ticket_id: str) -> TicketView:
        return self._hub.recall(self._me, ticket_id)

    def start(self, ticket_id: str) -> TicketView:
        return self._hub.start(self._me, ticket_id)

    def finish(self, ticket_id: str, outcome: str = "atendido") -> TicketView:
        return self._hub.finish(self._me, ticket_id, outcome)

    def no_show(self, ticket_id: str) -> TicketView:
        return self._hub.no_show(self._me, ticket_id)

    def reinstate(self, ticket_id: str) -> TicketView:
        return self._hub.reinstate(self._me, ticket_id)

    def transfer(self, ticket_id: str, service: str) -> TicketView:
        return self._hub.transfer(self._me, ticket_id, service)

    def open_counter(self, number: int) -> CounterView:
        return self._hub.open_counter(self._me, number)

    def pause_counter(self, number: int, reason: str) -> CounterView:
        return self._hub.pause_counter(self._me, number, reason)

    def resume_counter(self, number: int) -> CounterView:
        return self._hub.resume_counter(self._me, number)

    def close_counter(self, number: int) -> CounterView:
        return self._hub.close_counter(self._me, number)

    def close_day(self) -> DayClosed:
        return self._hub.close_day(self._me)

    def calls(self, after: int = 0, wait: float = 0.0) -> CallsPage:
        return self._hub.calls_after(self._me, after, wait)

    def stats(self, date_from: date, date_to: date) -> StatsReport:
        return self._hub.stats(self._me, date_from, date_to)

    def export_tickets(self, date_from: date, date_to: date) -> str:
        return self._hub.export_tickets(self._me, date_from, date_to)

    def procedures(self) -> list[ProcedureView]:
        return self._hub.procedures(self._me)

    def procedure(self, code: str) -> ProcedureView:
        return self._hub.procedure(self._me, code)

    def report_print(self, report: PrintJobReport) -> PrintJobView:
        return self._hub.report_print(self._me, report)

    def print_jobs(self, state: str | None = None, limit: int = 50) -> list[PrintJobView]:
        return self._hub.print_jobs(self._me, state, limit)

    def alerts(self) -> list[AlertView]:
        return self._hub.alerts(self._me)

    # --- clerks (sessions) ---------------------------------------------------------------

    # --- citizens, civil registry and search ---------------------------------------------

    # --- expedientes, payments, attachments ----------------------------------------------
