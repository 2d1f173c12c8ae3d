"""The hub over the LAN (requests). Errors come back as the same CacError types as in-process."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from pydantic import BaseModel, TypeAdapter

from kiosk.errors import (
    CacError,
    Conflict,
    Forbidden,
    HubUnavailable,
    InvalidInput,
    NotFound,
    Unauthorized,
)
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

M = TypeVar("M", bound=BaseModel)

_BY_STATUS: dict[int, type[CacError]] = {
    400: InvalidInput,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    413: InvalidInput,
    422: InvalidInput,
}

_SERVICES = TypeAdapter(list[ServiceView])
_COUNTERS = TypeAdapter(list[CounterView])
_PROCEDURES = TypeAdapter(list[ProcedureView])
_PRINT_JOBS = TypeAdapter(list[PrintJobView])
_ALERTS = TypeAdapter(list[AlertView])


class HttpHubClient:
    def __init__(self, base_url: str, token: str, timeout: float = 10.0) -> None:
        self._base = base_url.rstrip("/") + "/api/v1"
        self._timeout = timeout
        self._http = requests.Session()
        self._http.headers["Authorization"] = f"Bearer {token}"

    def close(self) -> None:
        self._http.close()

    def _request(self, method: str, path: str, *, json: Any = None,
                 params: dict[str, Any] | None = None, timeout: float | None = None
                 ) -> requests.Response:
        try:
            response = self._http.request(method, self._base + path, json=json, params=params,
                                          timeout=timeout or self._timeout)
        except requests.RequestException as exc:
            raise HubUnavailable(
                "hub_unavailable", "No se puede conectar con el hub de la oficina. "
                "Revise la red; se reintentará solo."
            ) from exc
        if response.status_code >= 400:
            raise _error_from(response)
        return response

    def _model(self, model: type[M], method: str, path: str, **kwargs: Any) -> M:
        return model.model_validate_json(self._request(method, path, **kwargs).content)

    def health(self) -> HealthView:
        return self._model(HealthView, "GET", "/health")

    def services(self) -> list[ServiceView]:
        return _SERVICES.validate_json(self._request("GET", "/services").content)

    def counters(self) -> list[CounterView]:
        return _COUNTERS.validate_json(self._request("GET", "/counters").content)

    def queue(self) -> QueueSnapshot:
        return self._model(QueueSnapshot, "GET", "/queue")

    def ticket(self, ticket_id: str) -> TicketView:
        return self._model(TicketView, "GET", f"/tickets/{ticket_id}")

    def issue_ticket(self, service: str, preferential: str | None = None) -> IssuedTicket:
        return self._model(IssuedTicket, "POST", "/tickets",
                           json={"service": service, "preferential": preferential})

    def call_next(self, counter: int) -> TicketView | None:
        response = self._request("POST", f"/counters/{counter}/call-next")
        if response.status_code == 204:
            return None
        return TicketView.model_validate_json(response.content)

    def call_ticket(self, counter: int, ticket_id: str, reason: str | None = None
                    ) -> TicketView:
        return self._model(TicketView, "POST", f"/counters/{counter}/call",
                           json={"ticket_id": ticket_id, "reason": reason})

    def _ticket_action(self, ticket_id: str, action: str, body: Any = None) -> TicketView:
        return self._model(TicketView, "POST", f"/tickets/{ticket_id}/{action}", json=body)

    def recall(self, ticket_id: str) -> TicketView:
        return self._ticket_action(ticket_id, "recall")

    def start(self, ticket_id: str) -> TicketView:
        return self._ticket_action(ticket_id, "start")

    def finish(self, ticket_id: str, outcome: str = "atendido") -> TicketView:
        return self._ticket_action(ticket_id, "finish", {"outcome": outcome})

    def no_show(self, ticket_id: str) -> TicketView:
        return self._ticket_action(ticket_id, "no-show")

    def reinstate(self, ticket_id: str) -> TicketView:
        return self._ticket_action(ticket_id, "reinstate")

    def transfer(self, ticket_id: str, service: str) -> TicketView:
        return self._ticket_action(ticket_id, "transfer", {"service": service})

    def _counter_action(self, number: int, action: str, body: Any = None) -> CounterView:
        return self._model(CounterView, "POST", f"/counters/{number}/{action}", json=body)

    def open_counter(self, number: int) -> CounterView:
        return self._counter_action(number, "open")

    def pause_counter(self, number: int, reason: str) -> CounterView:
        return self._counter_action(number, "pause", {"reason": reason})

    def resume_counter(self, number: int) -> CounterView:
        return self._counter_action(number, "resume")

    def close_counter(self, number: int) -> CounterView:
        return self._counter_action(number, "close")

    def close_day(self) -> DayClosed:
        return self._model(DayClosed, "POST", "/day/close")

    def calls(self, after: int = 0, wait: float = 0.0) -> CallsPage:
        return self._model(CallsPage, "GET", "/calls", params={"after": after, "wait": wait},
                           timeout=self._timeout + wait)

    def stats(self, date_from: date, date_to: date) -> StatsReport:
        return self._model(StatsReport, "GET", "/stats",
                           params={"from": date_from.isoformat(), "to": date_to.isoformat()})

    def export_tickets(self, date_from: date, date_to: date) -> str:
        response = self._request("GET", "/tickets/export", params={
            "from": date_from.isoformat(), "to": date_to.isoformat()})
        response.encoding = "utf-8"
        return response.text

    def procedures(self) -> list[ProcedureView]:
        return _PROCEDURES.validate_json(self._request("GET", "/procedures").content)

    def procedure(self, code: str) -> ProcedureView:
        return self._model(ProcedureView, "GET", f"/procedures/{quote(code, safe='')}")

    def report_print(self, report: PrintJobReport) -> PrintJobView:
        return self._model(PrintJobView, "POST", "/print-jobs",
                           json=report.model_dump(mode="json"))

    def print_jobs(self, state: str | None = None, limit: int = 50) -> list[PrintJobView]:
        params: dict[str, Any] = {"limit": limit}
        if state is not None:
            params["state"] = state
        return _PRINT_JOBS.validate_json(
            self._request("GET", "/print-jobs", params=params).content)

    def alerts(self) -> list[AlertView]:
        return _ALERTS.validate_json(self._request("GET", "/alerts").content)

    # --- clerks (sessions) ---------------------------------------------------------------

    # --- citizens, civil registry and search ---------------------------------------------

    # --- expedientes, payments, attachments ----------------------------------------------


def _error_from(response: requests.Response) -> CacError:
    try:
        payload = response.json()["error"]
        code, message = str(payload["code"]), str(payload["message"])
    except (ValueError, KeyError, TypeError):
        code, message = "hub_error", f"El hub respondió con un error ({response.status_code})."
    if response.status_code >= 500:
        return HubUnavailable(code, message)
    return _BY_STATUS.get(response.status_code, InvalidInput)(code, message)
