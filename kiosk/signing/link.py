"""The office's timestamp server (RFC 3161), asked only while it answers.

After a failure (the link is down) it is left alone for `LINK_RETRY`, so documents are signed at
once meanwhile, without a timestamp, instead of each waiting for a timeout.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.signing._pyhanko import TimeStamper

TIMESTAMP_TIMEOUT_S = 3.0
LINK_RETRY = timedelta(minutes=5)


class TimestampLink:
    """The office's timestamp server, asked only while it answers (thread-safe)."""

    def __init__(self, url: str, timeout_s: float = TIMESTAMP_TIMEOUT_S) -> None:
        self.url = url
        self.timeout_s = timeout_s
        self._down_until: datetime | None = None
        self._lock = threading.Lock()

    def timestamper(self, now: datetime) -> TimeStamper | None:
        with self._lock:
            if not self.url or (self._down_until is not None and now < self._down_until):
                return None
        from kiosk.signing._pyhanko import RequestsHTTPTimeStamper

        return RequestsHTTPTimeStamper(  # type: ignore[no-untyped-call]
            self.url, timeout=self.timeout_s)

    def failed(self, now: datetime) -> None:
        with self._lock:
            self._down_until = now + LINK_RETRY

    def answered(self) -> None:
        with self._lock:
            self._down_until = None
