"""Central's figures for the supervisor: the same period report per office and for all
offices together (`GET /api/v1/stats/report`, a back-office staff credential).

The window asks through `CentralReports`, off the GUI thread like every hub call; the answer's
reports are the hub's own `PeriodReport`, so the same panels, CSV, XLSX and PDF show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from kiosk.errors import InvalidInput
from kiosk.services.supervisor_views import PeriodReport
from sync.client import CentralClient


@dataclass(frozen=True)
class CentralFigures:
    date_from: date
    date_to: date
    offices: dict[str, PeriodReport]  # by office code, as central sorts them
    total: PeriodReport  # all of them together

    def report(self, office: str) -> PeriodReport:
        """`office` "" is all offices together."""
        return self.offices[office] if office else self.total

    def office_names(self) -> list[tuple[str, str]]:
        return [(code, report.office_name) for code, report in self.offices.items()]


class CentralSource(Protocol):
    def reports(self, date_from: date, date_to: date) -> CentralFigures: ...


class CentralReports:
    """A CentralSource over central's HTTP API."""

    def __init__(self, client: CentralClient) -> None:
        self._client = client

    def reports(self, date_from: date, date_to: date) -> CentralFigures:
        answer = self._client.report(date_from.isoformat(), date_to.isoformat())
        return CentralFigures(
            date_from=date_from, date_to=date_to,
            offices={str(code): PeriodReport.model_validate(report)
                     for code, report in dict(answer.get("offices", {})).items()},
            total=PeriodReport.model_validate(answer["total"]))

    def close(self) -> None:
        self._client.close()


def central_reports(url: str, token: str, ca_file: str | None = None) -> CentralReports:
    address = url.strip()
    if not address.startswith(("http://", "https://")):
        raise InvalidInput("invalid_central_url",
                           f"La dirección de la central «{url}» no es válida: use por ejemplo "
                           "https://central.muni.gob.pe")
    if not token.strip():
        raise InvalidInput("missing_central_token",
                           "Falta la credencial de la central (--central-token).")
    return CentralReports(CentralClient(address, token.strip(), verify=ca_file or True))
