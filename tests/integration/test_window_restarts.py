"""A public window started again by its watchdog is an event of its device and an alert for
the supervisor for the rest of the day (issue 19); only the public screens may say it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.clock import VirtualClock
from kiosk.errors import Forbidden
from kiosk.wire import WindowRestartReport
from tests.conftest import LIMA, Connect


def test_the_supervisor_sees_which_screen_restarted_today(connect: Connect,
                                                          clock: VirtualClock) -> None:
    kiosk, display = connect("kiosk"), connect("display", person=False)
    supervisor = connect("supervisor")
    kiosk.report_window_restart(WindowRestartReport(exit_code=-11))
    clock.advance(timedelta(minutes=7))
    kiosk.report_window_restart(WindowRestartReport(exit_code=1))
    clock.advance(timedelta(minutes=3))
    display.report_window_restart(WindowRestartReport(exit_code=-9))
    at = clock.now().astimezone(LIMA)  # the office's time
    restarts = [a.message for a in supervisor.alerts() if a.code == "window_restarted"]
    assert restarts == [
        f"La ventana de «display de prueba» se cerró sola 1 vez hoy y se volvió a abrir "
        f"(la última a las {at:%H:%M}). Revise esa PC.",
        f"La ventana de «kiosk de prueba» se cerró sola 2 veces hoy y se volvió a abrir "
        f"(la última a las {at - timedelta(minutes=3):%H:%M}). Revise esa PC."]
    clock.advance(timedelta(days=1))  # a new day: yesterday's restarts are history
    next_day = connect("supervisor")  # yesterday's session has ended
    assert [a for a in next_day.alerts() if a.code == "window_restarted"] == []


def test_a_clerks_pc_does_not_report_for_a_public_screen(connect: Connect) -> None:
    with pytest.raises(Forbidden):
        connect("supervisor").report_window_restart(WindowRestartReport(exit_code=1))
