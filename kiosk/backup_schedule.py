"""Automatic backups while the hub runs (a hub service, see kiosk/plugins.py).

Every `backup_interval_hours` the store is copied with SQLite's online backup API into
`<data-dir>/backups` (label "automatica", `backups_kept` in rotation) and, when configured,
into a second folder. A missing USB stick or a full disk is logged and remembered; the office
keeps working and the next attempt comes at the next check.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.periodic import PeriodicJob
from kiosk.private_files import private_dir, write_private
from kiosk.storage.backup import BACKUP_SUFFIX, backup_database, copy_to

if TYPE_CHECKING:
    from kiosk.hub import OfficeHub

log = logging.getLogger(__name__)

LABEL = "automatica"
CHECK_EVERY_S = 600.0  # how often the thread looks whether a backup is due
STATUS_FILE = "estado.json"


@dataclass
class BackupOutcome:
    at: str
    path: str | None
    copied_to: str | None
    error: str | None


class BackupScheduler(PeriodicJob):
    thread_name = "copias"
    failure = "error inesperado en las copias de seguridad"

    def __init__(self, hub: OfficeHub, interval_s: float, copy_dir: Path | None,
                 check_every_s: float = CHECK_EVERY_S) -> None:
        self.hub = hub
        self.interval_s = interval_s
        self.copy_dir = copy_dir
        super().__init__(check_every_s)

    def wait_s(self) -> float:
        return min(self.check_every_s, self.interval_s)

    @property
    def folder(self) -> Path:
        return self.hub.data_dir.backups

    def newest(self) -> Path | None:
        found = sorted(self.folder.glob(f"{LABEL}-*{BACKUP_SUFFIX}"))
        return found[-1] if found else None

    def due(self, now: float | None = None) -> bool:
        newest = self.newest()
        return newest is None or (now or time.time()) - newest.stat().st_mtime >= self.interval_s

    def run_once(self) -> BackupOutcome | None:
        """A backup if one is due; what happened (also written to backups/estado.json)."""
        if not self.due():
            return None
        keep = self.hub.config.backups_kept
        outcome = BackupOutcome(at=datetime.now(UTC).isoformat(), path=None, copied_to=None,
                                error=None)
        try:
            made = backup_database(self.hub.data_dir.database, self.folder, LABEL, keep)
            outcome.path = str(made)
            if self.copy_dir is not None:
                outcome.copied_to = str(copy_to(made, self.copy_dir, LABEL, keep))
        except OSError as exc:
            where = self.copy_dir if outcome.path else self.folder
            outcome.error = (f"No se pudo guardar la copia de seguridad en {where}: "
                             f"{exc.strerror or exc}.")
            log.warning("%s", outcome.error)
        self._write_status(outcome)
        return outcome

    def _write_status(self, outcome: BackupOutcome) -> None:
        try:
            private_dir(self.folder, self.hub.data_dir.root)
            write_private(self.folder / STATUS_FILE,
                          json.dumps(outcome.__dict__, indent=2).encode("utf-8"))
        except OSError:
            pass  # the disk that refused the backup may refuse this too; the log has it


def start_scheduler(hub: OfficeHub) -> BackupScheduler | None:
    """Entry point `cac_kiosk.hub_services`."""
    hours = hub.config.backup_interval_hours
    if hours <= 0:
        return None
    copy_dir = Path(hub.config.backup_copy_dir) if hub.config.backup_copy_dir else None
    return BackupScheduler(hub, hours * 3600, copy_dir).start()
