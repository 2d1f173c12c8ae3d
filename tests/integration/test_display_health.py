"""A display without a Spanish voice says so, and the supervisor is alerted while it does
(issue 15: the only trace was an INFO line in the hub's log)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.clock import VirtualClock
from kiosk.errors import Forbidden
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.display_health import FRESH, DisplayHealthReport
from tests.conftest import SUPERVISOR, person_on


def voice_alerts(hub: OfficeHub, tokens: dict[str, str]) -> list[str]:
    supervisor = person_on(hub, tokens["supervisor"], SUPERVISOR)
    live = hub.supervisor_live(supervisor)
    assert [a.message for a in hub.alerts(supervisor) if a.code == "display_voice"] == \
        [a.message for a in live.alerts if a.kind == "voice"]
    return [a.message for a in live.alerts if a.kind == "voice"]


def test_a_display_without_a_spanish_voice_alerts_the_supervisor(
        hub: OfficeHub, tokens: dict[str, str], clock: VirtualClock) -> None:
    display = hub.authenticate(tokens["display"])
    assert voice_alerts(hub, tokens) == []
    hub.report_display_health(display, DisplayHealthReport(voice="no_spanish"))
    [alert] = voice_alerts(hub, tokens)
    assert alert == ("La pantalla «display de prueba» anuncia los llamados solo con la "
                     "campanilla: no hay una voz en español instalada en esa PC. Vea «Voz de "
                     "los llamados» en el README para instalarla.")
    _, other = hub.add_device(SYSTEM, "TV del segundo piso", "display")
    hub.report_display_health(hub.authenticate(other), DisplayHealthReport(voice="no_engine"))
    assert [a.split("»")[0] for a in voice_alerts(hub, tokens)] == [
        "La pantalla «TV del segundo piso", "La pantalla «display de prueba"]
    hub.report_display_health(display, DisplayHealthReport(voice="ok"))  # a voice installed
    assert len(voice_alerts(hub, tokens)) == 1
    clock.advance(FRESH + timedelta(seconds=1))  # the second TV went off: no more reports
    assert voice_alerts(hub, tokens) == []


def test_only_a_display_reports_a_display_voice(hub: OfficeHub, tokens: dict[str, str]
                                                ) -> None:
    for role in ("kiosk", "counter", "supervisor"):
        with pytest.raises(Forbidden):
            hub.report_display_health(hub.authenticate(tokens[role]),
                                      DisplayHealthReport(voice="no_spanish"))
    assert voice_alerts(hub, tokens) == []
