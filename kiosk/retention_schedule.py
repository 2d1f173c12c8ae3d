"""The daily data job while the hub runs (a hub service, see kiosk/plugins.py).

At every check it records the citas nobody came to (no-shows). Once a business day (the
first check after the hub starts, then at each new day) it
aggregates the closed days into the supervisor's daily statistics and, when
`ticket_retention_days` is set, removes the ticket data older than that
(kiosk/services/retention.py). A failure is logged; the office keeps working and the next
check tries again.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING

from kiosk.periodic import PeriodicJob

if TYPE_CHECKING:
    from kiosk.hub import OfficeHub
    from kiosk.services.retention import Purged

log = logging.getLogger(__name__)

CHECK_EVERY_S = 3600.0


class RetentionJob(PeriodicJob):
    thread_name = "retencion"
    failure = "error en la tarea diaria de estadísticas y retención de turnos"

    def __init__(self, hub: OfficeHub, check_every_s: float = CHECK_EVERY_S) -> None:
        self.hub = hub
        self.last_day: date | None = None
        super().__init__(check_every_s)

    def run_once(self) -> Purged | None:
        """The day's work if not done yet today; what the purge removed."""
        from kiosk.hub import SYSTEM

        # Citas whose tolerance passed with nobody checked in: at every check (hourly), so a
        # no-show frees its place the same day (kiosk/services/citas.py).
        missed = self.hub.record_cita_no_shows(SYSTEM)
        if missed:
            log.info("citas sin asistencia registradas: %s", ", ".join(missed))
        today = self.hub.office.business_date(self.hub.clock.now())
        if self.last_day == today:
            return None
        purged = self.hub.purge_ticket_data(SYSTEM)
        # What citizens typed at the kiosk for a clerk to finish does not outlive its day.
        dropped = self.hub.purge_reclamo_drafts(SYSTEM)
        if dropped:
            log.info("borradores de reclamo de días anteriores eliminados: %d", dropped)
        # Silencio positivo where it operated overnight (TUO Ley 27444 art. 199.1).
        silenced = self.hub.record_silences(SYSTEM)
        if silenced:
            log.info("silencio positivo registrado en %s", ", ".join(silenced))
        self.last_day = today
        if purged.through is not None:
            log.info("%s", purged.message())
        return purged


def start_job(hub: OfficeHub) -> RetentionJob:
    """Entry point `cac_kiosk.hub_services`."""
    return RetentionJob(hub).start()
