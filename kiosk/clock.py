"""Time sources. Services take a Clock so the simulator can run a whole day on a virtual one."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """Current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class VirtualClock:
    """A clock that only moves when told to (simulation, tests)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("VirtualClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("VirtualClock needs an aware datetime")
        self._now = when.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class HybridLogicalClock:
    """Hybrid logical clock (Kulkarni et al. 2014): physical milliseconds plus a counter.

    Timestamps sort as strings, never go backwards even if the wall clock does, and follow
    any later timestamp observed from another node, so every node folds events in one order.
    Written by hand: it is twenty lines and no maintained package fits.
    """

    def __init__(self, node: str, clock: Clock) -> None:
        self._node = node
        self._clock = clock
        self._wall_ms = 0
        self._counter = 0
        self._lock = threading.Lock()

    @staticmethod
    def format(wall_ms: int, counter: int, node: str) -> str:
        return f"{wall_ms:013d}.{counter:05d}.{node}"

    @staticmethod
    def parse(stamp: str) -> tuple[int, int, str]:
        wall, counter, node = stamp.split(".", 2)
        return int(wall), int(counter), node

    def _physical_ms(self) -> int:
        return int(self._clock.now().timestamp() * 1000)

    def tick(self) -> str:
        with self._lock:
            physical = self._physical_ms()
            if physical > self._wall_ms:
                self._wall_ms, self._counter = physical, 0
            else:
                self._counter += 1
            return self.format(self._wall_ms, self._counter, self._node)

    def observe(self, stamp: str) -> None:
        """Fold in a timestamp seen from elsewhere (or our own last one after a restart)."""
        remote_ms, remote_counter, _ = self.parse(stamp)
        with self._lock:
            physical = self._physical_ms()
            wall = max(self._wall_ms, remote_ms, physical)
            if wall == self._wall_ms == remote_ms:
                counter = max(self._counter, remote_counter) + 1
            elif wall == self._wall_ms:
                counter = self._counter + 1
            elif wall == remote_ms:
                counter = remote_counter + 1
            else:
                counter = 0
            self._wall_ms, self._counter = wall, counter

