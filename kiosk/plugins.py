"""Background services of the upper layers that run inside a hub process (the sync worker).

The core may not import `sync` (ARCHITECTURE §3): services are found through the entry-point
group `cac_kiosk.hub_services`, each a function `start(hub)` that returns something with a
`stop()` (or None when it has nothing to do, e.g. no central configured).
"""

from __future__ import annotations

import logging
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiosk.hub import OfficeHub

log = logging.getLogger(__name__)

HUB_SERVICES_GROUP = "cac_kiosk.hub_services"


class Stoppable(Protocol):
    def stop(self, timeout_s: float = 10.0) -> None: ...


def start_hub_services(hub: OfficeHub) -> list[Stoppable]:
    started: list[Stoppable] = []
    for entry in sorted(entry_points(group=HUB_SERVICES_GROUP), key=lambda e: e.name):
        try:
            service = entry.load()(hub)
        except Exception:  # one failing service must not stop the office from queueing
            log.exception("no se pudo iniciar el servicio %s del hub", entry.name)
            continue
        if service is not None:
            log.info("servicio %s del hub iniciado", entry.name)
            started.append(service)
    return started


def stop_hub_services(services: list[Stoppable]) -> None:
    for service in reversed(services):
        try:
            service.stop()
        except Exception:
            log.exception("error al detener un servicio del hub")
