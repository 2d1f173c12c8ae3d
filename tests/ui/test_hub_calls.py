"""Hub calls run off the GUI thread and come back on it, results and errors alike."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from kiosk.errors import CacError, HubUnavailable
from ui.hub_calls import UNEXPECTED, HubCaller


def test_result_arrives_on_the_gui_thread(qtbot: QtBot) -> None:
    caller = HubCaller()
    worker_threads: list[threading.Thread] = []
    delivered: list[tuple[object, threading.Thread]] = []

    def work() -> int:
        worker_threads.append(threading.current_thread())
        return 41 + 1

    caller.call(work, lambda r: delivered.append((r, threading.current_thread())),
                lambda e: delivered.append((e, threading.current_thread())))
    qtbot.waitUntil(lambda: bool(delivered))
    assert delivered == [(42, threading.main_thread())]
    assert worker_threads and worker_threads[0] is not threading.main_thread()


def test_errors_arrive_as_cac_errors(qtbot: QtBot) -> None:
    caller = HubCaller()
    errors: list[CacError] = []

    def offline() -> None:
        raise HubUnavailable("hub_unavailable", "sin hub")

    def buggy() -> None:
        raise ZeroDivisionError

    for call in (offline, buggy):
        caller.call(call, lambda r: None, errors.append)
    qtbot.waitUntil(lambda: len(errors) == 2)
    assert sorted(e.code for e in errors) == ["hub_unavailable", "unexpected"]
    assert any(e.message == UNEXPECTED for e in errors)
    assert caller.wait_idle()
