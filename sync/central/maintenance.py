"""Central's background work in `cac central`: the statistics' blocks the pushes changed or
completed (sync/central/stats_refresh.py), the sync bookkeeping no hub can still need
(sync/central/bookkeeping.py), an office's events folded into their archive two whole days
after their day, with the ids of those its hub settled (sync/central/event_archive.py), the
recovery indexes rebuilt once mostly empty pages (sync/central/index_upkeep.py) and the public
page's idle rate counters. On a thread of its own; with several `cac central` processes over
one database, one of them builds at a time (the others find the refresh lock taken)."""

from __future__ import annotations

import logging
import time

from kiosk.periodic import PeriodicJob
from sync.central import event_archive, index_upkeep
from sync.central.public_rate import forget_idle
from sync.central.server import CentralServer

log = logging.getLogger(__name__)

PRUNE_EVERY_S = 3600.0


class CentralMaintenance(PeriodicJob):
    thread_name = "central-mantenimiento"
    failure = ("error en el mantenimiento de la central (estadísticas, registro de envíos o "
               "archivo de eventos)")

    def __init__(self, server: CentralServer, every_s: float, budget_s: float = 20.0) -> None:
        super().__init__(every_s)
        self.server = server
        self.budget_s = budget_s
        self._more = False
        self._pruned_at = float("-inf")
        self._folding = False

    def run_once(self) -> None:
        started = time.monotonic()
        built = self.server.refresh_statistics(budget_s=self.budget_s)
        # A slice that used its whole budget left work: the next one comes at once.
        self._more = time.monotonic() - started >= self.budget_s
        if built.days or built.blocks:
            log.info("estadísticas: %s días y %s bloques construidos", built.days, built.blocks)
        if self._folding or time.monotonic() - self._pruned_at >= PRUNE_EVERY_S:
            started = time.monotonic()
            folded = event_archive.fold(self.server.engine, self.server.clock.now(),
                                        budget_s=self.budget_s)
            # Events left to fold (a central just upgraded): the next slice comes at once.
            self._folding = time.monotonic() - started >= self.budget_s
            self._more = self._more or self._folding
            if folded:
                log.info("eventos archivados: %s", folded)
        if time.monotonic() - self._pruned_at >= PRUNE_EVERY_S:
            pruned = self.server.prune_bookkeeping()
            forget_idle(self.server.engine, self.server.clock)
            self._pruned_at = time.monotonic()
            if pruned:
                log.info("registro de envíos: %s identificadores olvidados", pruned)
            if not self._folding:  # the folding's deletions first
                index_upkeep.rebuild_sparse(self.server.engine)

    def wait_s(self) -> float:
        return 0.5 if self._more else self.check_every_s
