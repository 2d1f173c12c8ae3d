"""«Califique la atención» at a counter against a real hub: the faces come up when the
counter finishes its ticket (not when it transfers one), a touch or a key 1–5 records the
rating the supervisor then counts, and a late or repeated rating is said in Spanish."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.client.base import HubClient
from kiosk.client.http import HttpHubClient
from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.devices import DeviceIdentity
from tests.conftest import SUPERVISOR, RunningHub, person_on
from tests.ui.conftest import RecordedBoxes
from tests.ui.supervisor_support import DAY, hub_client
from ui.rating.window import SCORE_WORDS, RatingOptions, RatingWindow

COUNTER = 3  # where the `clerk` fixture's Ana works
QUIET = RatingOptions(poll_ms=3_600_000, prompt_ms=3_600_000, thanks_ms=3_600_000)


@pytest.fixture
def screen_token(hub: OfficeHub) -> str:
    """The rating screen is a counter device of its own, never logged in, that the admin
    bound to ventanilla 3."""
    return hub.add_device(SYSTEM, "Calificación de la ventanilla 3", "counter", COUNTER)[1]


@pytest.fixture
def screen(qtbot: QtBot, hub: OfficeHub, screen_token: str) -> Iterator[RatingWindow]:
    window = open_screen(qtbot, hub_client(hub, screen_token))
    yield window
    window.shutdown()


def open_screen(qtbot: QtBot, client: HubClient) -> RatingWindow:
    window = RatingWindow(client, COUNTER, QUIET)
    qtbot.addWidget(window)
    window.resize(1024, 600)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    return window


def look(qtbot: QtBot, window: RatingWindow) -> None:
    """The poll timer fires once (after any look already on its way) and its answer is in."""
    qtbot.waitUntil(lambda: not window.polling, timeout=10_000)
    window.poll_timer.timeout.emit()
    qtbot.waitUntil(lambda: not window.polling, timeout=10_000)


def served(qtbot: QtBot, hub: OfficeHub, clerk: DeviceIdentity, window: RatingWindow,
           service: str = "licencias", finish: bool = True) -> str:
    """A ticket called at ventanilla 3 while the screen watches, then finished (or sent on
    to caja). Returns its id."""
    ticket = hub.issue_ticket(SYSTEM, service)
    if next(c for c in hub.counters(SYSTEM) if c.number == COUNTER).state == "closed":
        hub.open_counter(clerk, COUNTER)
    called = hub.call_next(clerk, COUNTER)
    assert called is not None and called.id == ticket.id
    look(qtbot, window)
    assert window.held == ticket.id
    hub.start(clerk, ticket.id)
    if finish:
        hub.finish(clerk, ticket.id)
    else:
        hub.transfer(clerk, ticket.id, "caja")
    look(qtbot, window)
    assert window.held is None
    return ticket.id


def test_a_finished_ticket_is_rated_with_a_touch(
        qtbot: QtBot, hub: OfficeHub, clerk: DeviceIdentity, screen: RatingWindow,
        tokens: dict[str, str], message_boxes: RecordedBoxes) -> None:
    assert screen.stack.currentWidget() is screen.waiting
    ticket_id = served(qtbot, hub, clerk, screen)
    qtbot.waitUntil(lambda: screen.stack.currentWidget() is screen.ask_page, timeout=10_000)
    assert screen.ticket_label.text() == "Turno L-001"
    assert [face.text() for face in screen.faces] == list(SCORE_WORDS)
    with qtbot.waitSignal(screen.rated, timeout=10_000) as rated:
        qtbot.mouseClick(screen.faces[3], Qt.MouseButton.LeftButton)  # «Buena»
    rating = rated.args[0]
    assert (rating.ticket_id, rating.score, rating.counter) == (ticket_id, 4, COUNTER)
    assert screen.stack.currentWidget() is screen.thanks
    assert screen.thanks_text.text() == "Calificó la atención del turno L-001 como «buena»."
    # The supervisor counts it: at ventanilla 3, for Ana, one of one served.
    stats = hub.satisfaction_stats(person_on(hub, tokens["supervisor"], SUPERVISOR), DAY, DAY)
    assert stats.overall.distribution == [0, 0, 0, 1, 0]
    assert [(g.key, g.ratings, g.response_pct) for g in stats.by_counter] == [
        (str(COUNTER), 1, 100.0)]
    assert [g.label for g in stats.by_clerk] == ["Ana Torres Chávez"]
    screen.thanks_timer.timeout.emit()
    assert screen.stack.currentWidget() is screen.waiting
    look(qtbot, screen)  # the same ticket is never asked about again
    assert screen.stack.currentWidget() is screen.waiting
    assert message_boxes.shown == []


def test_the_keys_1_to_5_and_a_repeated_rating(
        qtbot: QtBot, hub: OfficeHub, clerk: DeviceIdentity, screen: RatingWindow,
        tokens: dict[str, str]) -> None:
    ticket_id = served(qtbot, hub, clerk, screen)
    qtbot.waitUntil(lambda: screen.ticket is not None, timeout=10_000)
    # The clerk rated it for the citizen meanwhile: the screen thanks them with the hub's words.
    hub.rate_ticket(clerk, ticket_id, 2)
    qtbot.keyClick(screen, Qt.Key.Key_5)
    qtbot.waitUntil(lambda: screen.stack.currentWidget() is screen.thanks, timeout=10_000)
    assert screen.thanks_text.text() == "El turno L-001 ya fue calificado. Gracias."
    assert screen.last_rating is None


def test_a_transferred_ticket_is_not_asked_about(
        qtbot: QtBot, hub: OfficeHub, clerk: DeviceIdentity, screen: RatingWindow) -> None:
    served(qtbot, hub, clerk, screen, finish=False)
    assert screen.stack.currentWidget() is screen.waiting and screen.ticket is None


def test_the_faces_wait_then_go_and_late_is_refused(
        qtbot: QtBot, hub: OfficeHub, clerk: DeviceIdentity, clock: VirtualClock,
        screen: RatingWindow) -> None:
    served(qtbot, hub, clerk, screen)
    qtbot.waitUntil(lambda: screen.ticket is not None, timeout=10_000)
    screen.prompt_timer.timeout.emit()  # nobody touched: back to waiting, nothing sent
    assert screen.stack.currentWidget() is screen.waiting and screen.last_rating is None
    served(qtbot, hub, clerk, screen)
    qtbot.waitUntil(lambda: screen.ticket is not None, timeout=10_000)
    clock.set(clock.now() + timedelta(minutes=31))  # past the office's 30 minutes
    screen.faces[4].click()
    qtbot.waitUntil(lambda: screen.stack.currentWidget() is screen.waiting, timeout=10_000)
    assert screen.waiting_notice.text() == ("La atención del turno L-002 terminó hace más de "
                                            "30 minutos: ya no se puede calificar.")


def test_over_http(qtbot: QtBot, hub: OfficeHub, clerk: DeviceIdentity, screen_token: str,
                   server: RunningHub) -> None:
    client = HttpHubClient(server.url, screen_token)
    try:
        window = open_screen(qtbot, client)
        ticket_id = served(qtbot, hub, clerk, window, service="partidas")
        qtbot.waitUntil(lambda: window.ticket is not None, timeout=10_000)
        with qtbot.waitSignal(window.rated, timeout=10_000) as rated:
            window.faces[0].click()
        assert (rated.args[0].ticket_id, rated.args[0].score) == (ticket_id, 1)
        window.shutdown()
    finally:
        client.close()


def test_a_screen_the_admin_did_not_bind_says_so(qtbot: QtBot, hub: OfficeHub,
                                                 clerk: DeviceIdentity) -> None:
    """A counter device alone is a rating screen only once the admin bound it to its counter:
    until then it shows the hub's reason and asks no citizen anything."""
    loose = hub.add_device(SYSTEM, "Calificación sin asignar", "counter")[1]
    window = open_screen(qtbot, hub_client(hub, loose))
    try:
        hub.issue_ticket(SYSTEM, "licencias")
        hub.open_counter(clerk, COUNTER)
        called = hub.call_next(clerk, COUNTER)
        assert called is not None
        look(qtbot, window)
        hub.start(clerk, called.id)
        hub.finish(clerk, called.id)
        look(qtbot, window)
        assert window.stack.currentWidget() is window.waiting and window.ticket is None
        assert window.waiting_notice.text().startswith(
            "Este equipo no está asignado a ninguna ventanilla")
    finally:
        window.shutdown()
