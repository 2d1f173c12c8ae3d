"""The "last sync with central" line of every window: the counter's top bar, the kiosk's and
the TV's corner."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from pytestqt.qtbot import QtBot

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.sync_status import SyncStatusView
from tests.ui.counter_support import ScriptedClient
from tests.ui.test_display_window import FAST
from ui.counter.window import CounterWindow
from ui.display.window import DisplayWindow
from ui.kiosk.window import KioskWindow
from ui.sync_status import SyncStatusLabel


def _connect_to_central(hub: OfficeHub, clock: VirtualClock, *, minutes_ago: int) -> None:
    """As if the worker synced `minutes_ago` minutes ago with a configured central."""
    from sync.hub_sync import save_state

    hub.config = replace(hub.config, central_url="https://central.example.gob.pe",
                         central_credential="x")
    with hub.store.write_session() as session:
        moment = clock.now() - timedelta(minutes=minutes_ago)
        save_state(session, "last_success", {"at": moment.isoformat()}, moment)
        save_state(session, "last_attempt", {"at": moment.isoformat(), "ok": True}, moment)
        session.commit()


def test_the_short_line_is_for_public_screens_and_empty_without_central(
        hub: OfficeHub, clock: VirtualClock) -> None:
    alone = hub.sync_status(SYSTEM)
    assert alone.short == "" and alone.summary.startswith("Oficina sin servidor central")
    _connect_to_central(hub, clock, minutes_ago=3)
    status = hub.sync_status(SYSTEM)
    assert status.summary.startswith("Sincronizado hace 3 min · ")
    assert status.short == f"Central: hace 3 min · {status.pending} por enviar"


def test_the_label_warns_and_explains_in_its_tooltip(qtbot: QtBot, hub: OfficeHub,
                                                      clock: VirtualClock) -> None:
    _connect_to_central(hub, clock, minutes_ago=60 * 24 * 3)  # past the 4 h alert time
    status: SyncStatusView = hub.sync_status(SYSTEM)
    line = SyncStatusLabel(lambda: status)
    qtbot.addWidget(line)
    line.show()
    line.start()
    qtbot.waitUntil(lambda: line.status is not None, timeout=5_000)
    line.stop()
    assert line.text().startswith("⚠ Sincronizado hace 3 días")
    assert line.property("alert") is True
    assert "Sin sincronizar con la central desde hace 3 días." in line.toolTip()


def test_the_counter_shows_the_line_after_login(qtbot: QtBot, logged_in: CounterWindow,
                                                counter_client: ScriptedClient) -> None:
    qtbot.waitUntil(lambda: logged_in.sync_line.status is not None, timeout=5_000)
    assert logged_in.sync_line.isVisible()
    assert logged_in.sync_line.text() == "Oficina sin servidor central (trabaja sola)."
    assert "sync_status" in counter_client.calls


def test_the_kiosk_and_the_tv_show_the_short_line_only_with_a_central(
        qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str], clock: VirtualClock) -> None:
    from kiosk.client.inprocess import InProcessHubClient
    from tests.ui.test_kiosk import FakePrinter

    kiosk = KioskWindow(InProcessHubClient(hub, tokens["kiosk"]), FakePrinter())
    qtbot.addWidget(kiosk)
    kiosk.show()
    qtbot.waitUntil(lambda: kiosk.sync_line.status is not None, timeout=5_000)
    assert kiosk.sync_line.isHidden()  # an office without central: nothing for the public

    _connect_to_central(hub, clock, minutes_ago=2)
    tv_client = InProcessHubClient(hub, tokens["display"])
    tv = DisplayWindow(tv_client, None, clock, options=FAST, sync_status=tv_client.sync_status)
    qtbot.addWidget(tv)
    tv.show()
    kiosk.sync_line.refresh()
    qtbot.waitUntil(lambda: tv.sync_line is not None and tv.sync_line.status is not None
                    and kiosk.sync_line.isVisible(), timeout=5_000)
    assert tv.sync_line is not None and tv.sync_line.text().startswith("Central: hace 2 min")
    assert kiosk.sync_line.text() == tv.sync_line.text()
    tv.shutdown(wait_ms=5_000)
    kiosk.close()
