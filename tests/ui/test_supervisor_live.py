"""The «En vivo» tab against a real hub: the queues, counters, clerks and alerts the hub
reports for a worked morning, refreshed by the timer; the sync line; what a device that is
not a supervisor's sees; and the window fitting a 1366×768 screen."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.clock import VirtualClock
from kiosk.errors import HubUnavailable
from kiosk.hub import OfficeHub
from kiosk.services.sync_status import SyncStatusView
from tests.conftest import SUPERVISOR, RunningHub, clerk_at, person_on
from tests.ui.conftest import RecordedBoxes
from tests.ui.counter_support import ScriptedClient
from tests.ui.supervisor_support import cells, hub_client, log_in, make_supervisor, work_morning
from ui.supervisor import texts
from ui.supervisor.window import TABS, SupervisorWindow


def test_the_live_tab_shows_what_the_hub_reports(
        qtbot: QtBot, hub: OfficeHub, clock: VirtualClock, tokens: dict[str, str],
        message_boxes: RecordedBoxes) -> None:
    morning = work_morning(hub, clock, tokens)
    client = hub_client(hub, tokens["supervisor"])
    window = make_supervisor(qtbot, client)
    live = client.supervisor_live()  # the same clock: the same answer
    panel = window.live_panel
    assert window.live == live
    # By hand (see work_morning): A-002 and L-001 wait; C-001 and PA-001 were served.
    assert live.waiting == len(morning.waiting) == 2
    assert panel.waiting.value.text() == "2"
    assert panel.issued.value.text() == "5" and panel.served.value.text() == "2"
    assert panel.waiting.level == "alert"  # some queue is past its target
    rows = cells(panel.services_model)
    assert [r[0] for r in rows] == [f"{s.prefix} · {s.name}" for s in live.services]
    assert [int(r[1]) for r in rows] == [s.waiting for s in live.services]
    partidas = next(r for r, s in zip(rows, live.services, strict=True)
                    if s.service == "partidas")
    assert partidas[3] == "21 min (A-002)" and partidas[4] == "15 min"
    counters = {r[0]: r for r in cells(panel.counters_model)}
    assert counters["Ventanilla 1"][1:] == ["Atendiendo A-001", "08:06", "Ana Torres Chávez"]
    assert counters["Ventanilla 4"][1] == "Libre"
    assert counters["Ventanilla 4"][3] == "Luis Quispe Mamani"
    closed = next(c for c in live.counters if c.number == 2)
    assert counters["Ventanilla 2"][1:] == [
        "Cerrada", texts.clock_text(closed.since, window.tz) if closed.since else "", "—"]
    # The alerts: the printer and both queues past their targets, critical first.
    messages = [r[2] for r in cells(panel.alerts_model)]
    assert messages == [a.message for a in live.alerts]
    kinds = {a.kind for a in live.alerts}
    assert {"printer", "sla"} <= kinds
    assert any("L-001" in m for m in messages) and any("A-002" in m for m in messages)
    assert panel.alert_count.value.text() == str(len(live.alerts))
    assert not panel.no_alerts.isVisible()
    # The chart draws each service's longest wait next to its target, in minutes.
    categories, bars = panel.chart.plotted()
    assert categories == [s.name for s in live.services]
    assert bars[0].values == [round((s.longest_wait_s or 0) / 60, 1) for s in live.services]
    assert bars[1].values == [float(s.sla_minutes) for s in live.services]
    assert window.office.text() == "CAC Cajamarca · Supervisión"
    assert message_boxes.shown == []
    window.shutdown()


def test_the_timer_refreshes_what_changed(
        qtbot: QtBot, hub: OfficeHub, clock: VirtualClock, tokens: dict[str, str]) -> None:
    work_morning(hub, clock, tokens)
    window = make_supervisor(qtbot, hub_client(hub, tokens["supervisor"]))
    luis = clerk_at(hub, "luis", "1357", 4)
    called = hub.call_next(luis, 4)
    assert called is not None and called.number == "L-001"
    clock.set(clock.now() + timedelta(seconds=30))
    window.refresh_timer.timeout.emit()
    qtbot.waitUntil(lambda: window.live is not None and window.live.waiting == 1,
                    timeout=10_000)
    counters = {r[0]: r for r in cells(window.live_panel.counters_model)}
    assert counters["Ventanilla 4"][1] == "Llamando a L-001"
    assert window.live_panel.waiting.value.text() == "1"
    assert window.updated.text() == f"Actualizado {clock.now().astimezone(window.tz):%H:%M:%S}"
    window.shutdown()


def test_no_alerts_says_so(qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str]) -> None:
    window = make_supervisor(qtbot, hub_client(hub, tokens["supervisor"]))
    assert window.live is not None and window.live.alerts == []
    assert window.live_panel.alerts_model.rowCount() == 0
    assert window.live_panel.no_alerts.isVisible()
    assert window.live_panel.alert_count.level == "good"
    _categories, bars = window.live_panel.chart.plotted()
    assert bars[0].values == [0.0] * len(window.live.services)  # nobody waits
    window.shutdown()


def test_a_device_that_is_not_a_supervisor_is_told_in_spanish(
        qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str],
        message_boxes: RecordedBoxes) -> None:
    client = hub_client(hub, tokens["counter"])
    window = make_supervisor(qtbot, client, wait=False)
    qtbot.waitUntil(lambda: window.refused, timeout=10_000)
    text = window.banner.text()
    assert text.startswith("Un dispositivo de tipo ventanilla no puede hacer esto.")
    assert texts.ROLE_HINT in text and window.banner.kind == "error"
    assert window.banner.isVisible()
    assert not window.refresh_timer.isActive()  # no point asking again
    window.refresh_timer.timeout.emit()
    window.load_period()
    assert window.live is None and window.report is None
    assert message_boxes.shown == []
    window.shutdown()


def test_over_http_and_the_kiosk_refused(
        qtbot: QtBot, hub: OfficeHub, clock: VirtualClock, tokens: dict[str, str],
        server: RunningHub) -> None:
    from kiosk.client.http import HttpHubClient

    work_morning(hub, clock, tokens)
    client = HttpHubClient(server.url, tokens["supervisor"])
    kiosk = HttpHubClient(server.url, tokens["kiosk"])
    try:
        window = make_supervisor(qtbot, client)
        assert window.report is not None and window.report.tickets.overall.issued == 5
        live = window.live
        window.shutdown()
        assert live == hub.supervisor_live(person_on(hub, tokens["supervisor"], SUPERVISOR))
        # A kiosk's credential cannot even log a supervisor in: the login page says why.
        refused = make_supervisor(qtbot, kiosk, wait=False)
        assert refused.session is None and refused.live is None
        assert "quiosco no puede hacer esto" in refused.login.notice.text()
        refused.shutdown()
    finally:
        client.close()
        kiosk.close()


def test_the_hub_away_and_back(qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str]) -> None:
    client = ScriptedClient(hub_client(hub, tokens["supervisor"]))  # type: ignore[arg-type]
    window = make_supervisor(qtbot, client)  # type: ignore[arg-type]
    # The test drives the polls: none of the window's own calls may be under way (a poll that
    # read the hub before it failed would make the next one a no-op, and any other call
    # answered after the failure would take the banner down again, on a busy machine).
    window.refresh_timer.stop()
    qtbot.waitUntil(lambda: not window._polling and not window._caller.pending,
                    timeout=10_000)
    client.fail("supervisor_live", HubUnavailable("hub_unavailable", "No responde"))
    window.refresh_timer.timeout.emit()
    qtbot.waitUntil(lambda: window.offline, timeout=10_000)
    assert window.banner.text() == texts.OFFLINE and window.banner.kind == "offline"
    assert window.live is not None  # the last figures stay on screen
    window.refresh_timer.timeout.emit()
    qtbot.waitUntil(lambda: not window.offline, timeout=10_000)
    assert not window.banner.isVisible()
    window.shutdown()


def test_the_sync_line_and_the_attention_list(
        qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str]) -> None:
    from sqlalchemy import text

    with hub.store.write_session() as session:
        session.execute(text("UPDATE sync_outbox SET state = 'rejected', reason = "
                             "'La central no conoce este servicio' WHERE seq = "
                             "(SELECT min(seq) FROM sync_outbox)"))
        session.commit()
    client = hub_client(hub, tokens["supervisor"])
    window = make_supervisor(qtbot, client)
    qtbot.waitUntil(lambda: window.sync_line.status is not None, timeout=10_000)
    status: SyncStatusView = client.sync_status()
    assert window.sync_line.text().endswith(status.summary)
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_tab() == "sync"
    qtbot.waitUntil(lambda: window.sync_panel.status is not None, timeout=10_000)
    attention = client.sync_attention()
    rows = cells(window.sync_panel.model)
    assert len(rows) == len(attention) == 1
    assert rows[0][:4] == ["Rechazado por la central", attention[0].table,
                           attention[0].reference, "La central no conoce este servicio"]
    assert window.sync_panel.summary.text() == status.summary
    assert f"rechazados: {status.rejected}" in window.sync_panel.details.text()
    assert not window.sync_panel.nothing.isVisible()
    window.shutdown()


def test_it_fits_1366_by_768_and_the_keys_reach_every_tab(
        qtbot: QtBot, hub: OfficeHub, clock: VirtualClock, tokens: dict[str, str]) -> None:
    work_morning(hub, clock, tokens)
    window: SupervisorWindow = make_supervisor(qtbot, hub_client(hub, tokens["supervisor"]))
    for number, name in enumerate(TABS, start=1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number),
                       Qt.KeyboardModifier.ControlModifier)
        assert window.current_tab() == name
        hint = window.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 768, name
        assert (window.width(), window.height()) == (1366, 768), name
        if name in ("history", "expedientes", "satisfaction"):  # the bar came along
            assert window.period.isVisible() and window.exports.isVisible()
            assert window.period.parent() is not None
    window.shutdown()


def test_a_new_supervisor_changes_the_initial_pin_first(qtbot: QtBot, hub: OfficeHub,
                                                        tokens: dict[str, str]) -> None:
    """The staff windows' one PIN change (ui/staff_window.py): refused in Spanish, then saved,
    then the supervisor's work."""
    from kiosk.services.admin_views import UserInput
    from tests.ui.admin_support import admin_session

    created = admin_session(hub).add_admin_user(
        UserInput(username="jefa", full_name="Julia Vera Luna", role="supervisor"))
    window = make_supervisor(qtbot, hub_client(hub, tokens["supervisor"]), user=None)
    log_in(qtbot, window, (created.user.username, created.initial_secret))
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.change_secret,
                    timeout=10_000)
    assert window.live is None  # nothing is asked before the PIN is changed
    page = window.change_secret
    window.save_secret("000000", "240815")  # a wrong current PIN: the hub's refusal, in Spanish
    qtbot.waitUntil(lambda: page.notice.kind == "error", timeout=10_000)
    assert window.last_error is not None and page.notice.text() == window.last_error.message
    assert window.stack.currentWidget() is page
    window.save_secret(created.initial_secret, "240815")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work
                    and window.live is not None, timeout=10_000)
    assert window.session is not None and not window.session.user.must_change
