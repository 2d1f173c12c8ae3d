"""Clerks at their counters for the benches that drive the hub's API as an office does: a
counter PC bound to each counter, a clerk with a PIN, and that clerk's session opened on it
(sessions live in the store, so a hub started later in its own process honours them).
A counter's work needs the clerk logged in on that PC, at that counter (kiosk/rules/permissions.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.expediente_views import LoginInput
from kiosk.wire import CLERK_HEADER


@dataclass(frozen=True)
class StaffedCounter:
    number: int
    token: str  # the counter PC's device credential
    session: str  # its clerk's session

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", CLERK_HEADER: self.session}


def bench_pin(number: int) -> str:
    """A six-digit PIN the hub accepts (neither repeated nor a run of digits)."""
    return f"{(number * 7919 + 104729) % 900_000 + 100_000}"


def staff_counters(hub: OfficeHub, numbers: Iterable[int]) -> dict[int, StaffedCounter]:
    staffed = {}
    for number in numbers:
        username = f"ventanilla{number}"
        hub.add_user(SYSTEM, username, f"Personal de la ventanilla {number}", "counter",
                     bench_pin(number))
        _device, token = hub.add_device(SYSTEM, f"Ventanilla {number}", "counter", number)
        session = hub.login(hub.authenticate(token), LoginInput(
            username=username, secret=bench_pin(number), counter=number))
        staffed[number] = StaffedCounter(number, token, session.token)
    return staffed
