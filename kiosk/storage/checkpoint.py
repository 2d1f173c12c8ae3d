"""WAL checkpoints on a thread of their own while the hub serves (a hub service).

SQLite copies the WAL back into the database file (a checkpoint) from inside the COMMIT that
pushes the WAL past `wal_autocheckpoint` pages: that request waits for the copy and an extra
fsync of the database file. A ticket issue writes about 20 pages, so every ~45th kiosk ticket
waited for a checkpoint, and that one commit in 45 *was* the issue's p99 (bench/README.md,
queue_latency.py). SQLite's documentation suggests the remedy: checkpoint from another thread.
Here a PASSIVE checkpoint runs on the thread's own connection once some fifty writes wait and they
pause: it never blocks the writer or the readers, its two fsyncs are paid once for many writes
and not while a request waits on its own (under hub_load.py, a round after every pause made the
p99 worse), and a WAL fully copied back is reused from its start by the next write.
The writer keeps an automatic checkpoint as a safety net, `SAFETY_PAGES` far, in case this
thread falls behind (back-to-back writes never leave the WAL idle long enough to restart it).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.storage.store import BUSY_TIMEOUT_MS, PRAGMAS

if TYPE_CHECKING:
    from kiosk.hub import OfficeHub

log = logging.getLogger(__name__)

# 40 MB of WAL at 4 KiB pages: about 2,000 tickets between safety checkpoints.
SAFETY_PAGES = 10_000
# Copied back once this many write transactions wait (a few hundred pages: each round costs
# two fsyncs, which then compete with the requests' own) and the writes pause this long, or
# this long after the first of them at the latest (a quiet office's last writes, a burst).
MIN_WRITES = 50
IDLE_S = 0.05
MAX_DELAY_S = 2.0


class WalCheckpointer:
    def __init__(self, path: Path, min_writes: int = MIN_WRITES, idle_s: float = IDLE_S,
                 max_delay_s: float = MAX_DELAY_S) -> None:
        self.path = path
        self.min_writes = min_writes
        self.idle_s = idle_s
        self.max_delay_s = max_delay_s
        self._writes = 0  # write transactions since the last round began
        self.rounds = 0  # checkpoints run
        self.checkpointed = threading.Event()  # set after each one (tests wait on it)
        self._written = threading.Event()  # a write since the last checkpoint
        self._last_write = 0.0
        self._enough = threading.Event()  # `min_writes` of them
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="checkpoint", daemon=True)

    def start(self) -> WalCheckpointer:
        self._thread.start()
        return self

    def written(self) -> None:
        """A write transaction ended: copy the WAL back once the writes pause. Only the first
        write after a checkpoint wakes the thread; later ones just move the pause on."""
        self._last_write = time.monotonic()
        self._writes += 1
        if not self._written.is_set():
            self._written.set()
        if self._writes >= self.min_writes and not self._enough.is_set():
            self._enough.set()

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        self._written.set()
        self._enough.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)

    def _pause_after_writes(self) -> bool:
        """Wait for writes, then for enough of them and a pause (`min_writes`, `idle_s`
        without one), or `max_delay_s` after the first: the copy then competes with no
        request for the disk. False when stopped."""
        self._written.wait()
        deadline = time.monotonic() + self.max_delay_s
        while not self._stop.is_set():
            now = time.monotonic()
            quiet = now - self._last_write
            enough = self._writes >= self.min_writes
            if (enough and quiet >= self.idle_s) or now >= deadline:
                self._written.clear()  # writes from here on wake the next round
                self._enough.clear()
                self._writes = 0
                return True
            if enough:
                self._stop.wait(min(self.idle_s - quiet, deadline - now))
            else:
                self._enough.wait(deadline - now)
        return False

    def checkpoint(self, db: sqlite3.Connection) -> tuple[int, int, int]:
        """One PASSIVE checkpoint: (busy, frames in the WAL, frames copied back)."""
        busy, frames, copied = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        self.rounds += 1
        self.checkpointed.set()
        return int(busy), int(frames), int(copied)

    def _run(self) -> None:
        try:
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                 timeout=BUSY_TIMEOUT_MS / 1000)
            for pragma in PRAGMAS:  # synchronous=FULL: the copy is fsynced like the writes
                db.execute(pragma)
        except sqlite3.Error as exc:  # the writer's safety checkpoint still bounds the WAL
            log.warning("no se pudo abrir la base para copiar el registro WAL: %s", exc)
            return
        try:
            while self._pause_after_writes():
                try:
                    self.checkpoint(db)
                except sqlite3.Error as exc:  # the writer's safety checkpoint still runs
                    log.warning("no se pudo copiar el registro WAL a la base: %s", exc)
        finally:
            db.close()


class StoreCheckpoints:
    """The hub service: the store's writer leaves checkpoints to a `WalCheckpointer`."""

    def __init__(self, hub: OfficeHub) -> None:
        self.store = hub.store
        self.checkpointer = WalCheckpointer(hub.store.path).start()
        self.store.checkpoint_with(self.checkpointer, SAFETY_PAGES)

    def stop(self, timeout_s: float = 10.0) -> None:
        self.store.checkpoint_with(None)
        self.checkpointer.stop(timeout_s)


def start_checkpoints(hub: OfficeHub) -> StoreCheckpoints:
    """Entry point `cac_kiosk.hub_services`."""
    return StoreCheckpoints(hub)
