"""One serving hub per office folder: the process that serves holds `<data-dir>/hub.lock`.

Two hubs on one store would each think they are the single writer; a restore under a serving
hub would pull the file from under it. `filelock` (cross-platform, released by the OS when the
process dies, so a power cut leaves no stale lock).
"""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from kiosk.errors import Conflict
from kiosk.private_files import PRIVATE_FILE

LOCK_NAME = "hub.lock"


class HubLock:
    def __init__(self, root: Path) -> None:
        self._lock = FileLock(str(root / LOCK_NAME), timeout=0, mode=PRIVATE_FILE)

    def acquire(self, doing: str) -> HubLock:
        try:
            self._lock.acquire()
        except Timeout:
            raise Conflict("hub_running",
                           f"El hub de esta oficina ya está en marcha en esta PC: {doing}.") \
                from None
        return self

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> HubLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
