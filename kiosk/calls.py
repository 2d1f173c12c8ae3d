"""The call feed: wakes long-polling displays the moment a ticket is called.

Threads (the in-process client) wait on a Condition; asyncio handlers (the HTTP API) wait on a
future resolved from whichever thread committed the call, so no worker thread is held per display.
"""

from __future__ import annotations

import asyncio
import threading
import time


class CallFeed:
    def __init__(self, latest_seq: int = 0) -> None:
        self._latest = latest_seq
        self._closed = False
        self._condition = threading.Condition()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = set()

    @property
    def latest(self) -> int:
        return self._latest

    def publish(self, seq: int) -> None:
        with self._condition:
            self._latest = max(self._latest, seq)
        self._wake_all()

    def close(self) -> None:
        """Answer every long-poll now and any later one at once: the process is closing, and
        a window's poll in flight must not hold it for the rest of its wait."""
        with self._condition:
            self._closed = True
        self._wake_all()

    def _wake_all(self) -> None:
        with self._condition:
            self._condition.notify_all()
            waiters, self._waiters = self._waiters, set()
        for loop, future in waiters:
            loop.call_soon_threadsafe(_resolve, future)

    def wait(self, after: int, timeout: float) -> bool:
        """Block until a call newer than `after` exists, `timeout` passes or the feed closes."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while self._latest <= after and not self._closed:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._condition.wait(remaining)
            return self._latest > after

    async def wait_async(self, after: int, timeout: float) -> bool:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._condition:
            if self._latest > after or self._closed:
                return self._latest > after
            entry = (loop, future)
            self._waiters.add(entry)
        try:
            await asyncio.wait_for(future, timeout)
        except TimeoutError:
            with self._condition:
                self._waiters.discard(entry)
        return self._latest > after


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
