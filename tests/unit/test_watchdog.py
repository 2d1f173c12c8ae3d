"""The public windows' watchdog (issue 19): a window that dies is started again after a
growing pause, one closed on purpose is not, and the hub hears of every restart, also of those
that happened while it was away. No real process and no waiting: the runs and the pauses are
the test's."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest

from kiosk.errors import HubUnavailable
from kiosk.wire import WindowRestartReport
from ui.cli import _without
from ui.watchdog import HEALTHY_AFTER_S, PAUSES_S, Watchdog


class Script:
    """The window's exit codes in turn, and how long each run lasts (seconds)."""

    def __init__(self, codes: Sequence[int], lasts: Sequence[float] | None = None) -> None:
        self.codes: Iterator[int] = iter(codes)
        self.lasts: Iterator[float] = iter(lasts or [1.0] * len(codes))
        self.clock = 0.0
        self.commands: list[list[str]] = []
        self.pauses: list[float] = []

    def run(self, command: Sequence[str]) -> int:
        self.commands.append(list(command))
        self.clock += next(self.lasts)
        return next(self.codes)

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.clock += seconds

    def now(self) -> float:
        return self.clock


def _dog(script: Script, reports: list[int]) -> Watchdog:
    return Watchdog(["cac", "kiosk"], lambda r: reports.append(r.exit_code), run=script.run,
                    sleep=script.sleep, now=script.now)


@pytest.mark.parametrize("on_purpose", [0, 130, 143])
def test_a_window_closed_on_purpose_is_not_opened_again(on_purpose: int) -> None:
    script, reports = Script([-11, on_purpose]), []
    assert _dog(script, reports).watch() == on_purpose
    assert len(script.commands) == 2 and reports == [-11]


def test_the_pauses_grow_while_it_keeps_dying_and_start_over_once_it_lived() -> None:
    deaths = len(PAUSES_S) + 2
    lasts = [1.0] * deaths + [HEALTHY_AFTER_S, 1.0]
    script, reports = Script([1] * (deaths + 2) + [0], [*lasts, 1.0]), []
    assert _dog(script, reports).watch() == 0
    assert script.pauses == [*PAUSES_S, PAUSES_S[-1], PAUSES_S[-1], PAUSES_S[0],
                             PAUSES_S[1]]
    assert reports == [1] * (deaths + 2)


def test_restarts_while_the_hub_is_away_are_told_later() -> None:
    script = Script([1, 2, 3, 0])
    told: list[int] = []
    away = iter([True, True, False, False, False])

    def report(r: WindowRestartReport) -> None:
        if next(away):
            raise HubUnavailable("hub_unavailable", "El hub no responde.")
        told.append(r.exit_code)

    dog = Watchdog(["cac", "kiosk"], report, run=script.run, sleep=script.sleep,
                   now=script.now)
    assert dog.watch() == 0
    assert told == [1, 2, 3] and dog.unreported == [] and dog.restarts == 3


def test_the_child_gets_the_command_without_restart_nor_the_used_pairing_code() -> None:
    typed = ["kiosk", "--hub", "https://h:8470", "--pair", "ABCD-EFGH-JKLM", "--restart",
             "--data-dir", "/srv/cac"]
    child = _without(_without(typed, "--restart", False), "--pair", True)
    assert child == ["kiosk", "--hub", "https://h:8470", "--data-dir", "/srv/cac"]
    assert _without(["kiosk", "--pair=ABCD", "--windowed"], "--pair", True) == [
        "kiosk", "--windowed"]
