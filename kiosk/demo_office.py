"""A throwaway office in this process, for the windows' screenshots and a look by hand.

The hub stays inside: a window gets a client of a device added here (`client`), as a real one
would, and what citizens and clerks did before the picture is staged through `staging`,
which acts as the office itself (SYSTEM: no device, no person logged in). So the windows'
code (`ui`) never holds the hub (pyproject's import contract).
"""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path
from types import TracebackType

from kiosk.client.base import HubClient
from kiosk.client.inprocess import InProcessHubClient
from kiosk.clock import Clock
from kiosk.config import DataDir, OfficeConfig
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.admin_views import (
    OfficeSettings,
    OfficeSettingsChange,
    PairedDevice,
    PairingCode,
    PairingInput,
)
from kiosk.services.cita_views import CitaPlanInput, CitaPlanView
from kiosk.services.expediente_views import ExpedienteInput, ExpedienteView
from kiosk.services.views import (
    CounterView,
    IssuedTicket,
    ProcedureView,
    TicketView,
)

OFFICE = ("CAJ", "CAC Cajamarca")


class Staging:
    """The few operations a screenshot stages, done by the office itself."""

    def __init__(self, hub: OfficeHub) -> None:
        self._hub = hub

    def issue_ticket(self, service: str, preferential: str | None = None) -> IssuedTicket:
        return self._hub.issue_ticket(SYSTEM, service, preferential)

    def open_counter(self, number: int) -> CounterView:
        return self._hub.open_counter(SYSTEM, number)

    def call_next(self, counter: int) -> TicketView | None:
        return self._hub.call_next(SYSTEM, counter)

    def start(self, ticket_id: str) -> TicketView:
        return self._hub.start(SYSTEM, ticket_id)

    def finish(self, ticket_id: str, outcome: str = "atendido") -> TicketView:
        return self._hub.finish(SYSTEM, ticket_id, outcome)

    def procedure(self, code: str) -> ProcedureView:
        return self._hub.procedure(SYSTEM, code)

    def file_expediente(self, request: ExpedienteInput) -> ExpedienteView:
        return self._hub.file_expediente(SYSTEM, request)

    def expediente(self, number: str) -> ExpedienteView:
        return self._hub.expediente(SYSTEM, number)

    def set_cita_plan(self, code: str, change: CitaPlanInput) -> CitaPlanView:
        return self._hub.set_cita_plan(SYSTEM, code, change)

    def change_office_settings(self, change: OfficeSettingsChange) -> OfficeSettings:
        return self._hub.change_office_settings(SYSTEM, change)

    def create_pairing(self, request: PairingInput) -> PairingCode:
        return self._hub.create_pairing(SYSTEM, request)

    def pair(self, code: str) -> PairedDevice:
        """What a new PC's `POST /pair` does (the wizard's screenshots join in-process)."""
        return self._hub.pair(code)


class DemoOffice:
    """`with DemoOffice.create(folder) as office:` … closed at the end."""

    def __init__(self, hub: OfficeHub) -> None:
        self._hub = hub
        self.staging = Staging(hub)

    @classmethod
    def create(cls, root: Path, *, demo: bool = True, clock: Clock | None = None
               ) -> DemoOffice:
        """A new office in `root` (the demo office's services, counters and people)."""
        return cls(OfficeHub.initialise(DataDir(root), *OFFICE, demo=demo, clock=clock))

    @property
    def config(self) -> OfficeConfig:
        return self._hub.config

    @property
    def tz(self) -> tzinfo:
        return self._hub.config.tz

    def device(self, name: str, role: str, counter: int | None = None) -> str:
        """A new device of the office; its credential."""
        return self._hub.add_device(SYSTEM, name, role, counter)[1]

    def client(self, token: str) -> HubClient:
        return InProcessHubClient(self._hub, token)

    def close(self) -> None:
        self._hub.close()

    def __enter__(self) -> DemoOffice:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
