"""The notices' round while the hub runs (a hub service, see kiosk/plugins.py): every minute
it sends the notices whose time came through the providers the admin set now (read anew each
round, so a change in the admin window needs no restart). Without a link a try fails, the
notice waits its backoff and goes later: nothing is dropped.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kiosk.notice_senders import senders
from kiosk.periodic import PeriodicJob

if TYPE_CHECKING:
    from kiosk.hub import OfficeHub
    from kiosk.hub.notices import NoticeRound

log = logging.getLogger(__name__)

CHECK_EVERY_S = 60.0


class NoticeJob(PeriodicJob):
    thread_name = "avisos"
    failure = "error al enviar los avisos a los ciudadanos"

    def __init__(self, hub: OfficeHub, check_every_s: float = CHECK_EVERY_S) -> None:
        self.hub = hub
        super().__init__(check_every_s)

    def run_once(self) -> NoticeRound:
        # The day before a cita its reminder joins the outbox (once: its idempotency key).
        self.hub.enqueue_cita_reminders()
        done = self.hub.send_due_notices(senders(self.hub.config))
        if done.sent or done.failed:
            log.info("avisos: %d enviados, %d por reintentar, %d fallidos", done.sent,
                     done.retrying, done.failed)
        return done


def start_job(hub: OfficeHub) -> NoticeJob:
    """Entry point `cac_kiosk.hub_services`."""
    return NoticeJob(hub).start()
