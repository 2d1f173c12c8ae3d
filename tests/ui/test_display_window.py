"""The waiting-room display against a real hub on loopback: calls, voice queue, outages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from kiosk.client.http import HttpHubClient
from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from tests.conftest import (
    LIMA,
    SUPERVISOR,
    RunningHub,
    advance,
    person_on,
    start_server,
    stop_server,
)
from tests.ui.test_display_announcer import (
    FakeSpeaker,
    heard_words,
    require_mock_voice,
    words_of,
)
from ui.display import texts
from ui.display.announcer import Announcer, Speaker
from ui.display.options import DisplayOptions, PollOptions
from ui.display.screenshot import save_display_screenshot
from ui.display.sound import QtSpeaker
from ui.display.widgets import NAVY, WHITE, YELLOW
from ui.display.window import DisplayWindow

A1 = "Turno A uno, ventanilla uno"
A2 = "Turno A dos, ventanilla dos"
# Short long-polls and retries: closing waits for the request in flight, reconnection is quick.
FAST = DisplayOptions(flash_s=1.0, poll=PollOptions(
    wait_s=1.0, retry_min_s=0.05, retry_max_s=0.2, min_interval_s=0.05))
SLOW_S = 10_000  # bounded waits for anything that crosses the network


OpenDisplay = Callable[..., DisplayWindow]


@pytest.fixture
def open_display(qtbot: QtBot) -> Iterator[OpenDisplay]:
    windows: list[DisplayWindow] = []

    def open_(client: object, speaker: Speaker | None = None,
              options: DisplayOptions = FAST) -> DisplayWindow:
        announcer = Announcer(speaker, gap_ms=0) if speaker is not None else None
        window = DisplayWindow(client, announcer, tz=LIMA, options=options)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        windows.append(window)
        return window

    yield open_
    for window in windows:
        window.close()
        assert window.shutdown(wait_ms=SLOW_S), "a hub request was still in flight"
        assert not window.poller.running


@pytest.fixture
def client(server: RunningHub, tokens: dict[str, str]) -> Iterator[HttpHubClient]:
    http = HttpHubClient(server.url, tokens["display"])
    yield http
    http.close()


def connected(window: DisplayWindow) -> Callable[[], bool]:
    return lambda: window.poller.connected is True


def test_a_call_is_shown_large_listed_and_announced(
        qtbot: QtBot, hub: OfficeHub, client: HttpHubClient, open_display: OpenDisplay
) -> None:
    speaker = FakeSpeaker()
    window = open_display(client, speaker)
    qtbot.waitUntil(connected(window), timeout=SLOW_S)
    assert window.shown_latest() is None and speaker.said == []
    assert window.top.office.text() == "CAC Cajamarca"
    assert window.top.time.text() == "08:00"  # the hub's (virtual) office time, in Lima
    assert not window.offline_shown

    hub.open_counter(SYSTEM, 1)
    hub.issue_ticket(SYSTEM, "partidas")
    hub.call_next(SYSTEM, 1)

    qtbot.waitUntil(lambda: speaker.said == [A1], timeout=SLOW_S)
    assert window.shown_latest() == ("A-001", "Ventanilla 1")
    assert window.shown_history() == [("A-001", "Ventanilla 1")]
    assert window.latest.flashing
    assert texts.LEY_28683 in window.ticker.text


def test_two_quick_calls_are_announced_in_order_never_overlapping(
        qtbot: QtBot, hub: OfficeHub, client: HttpHubClient, open_display: OpenDisplay
) -> None:
    speaker = FakeSpeaker()
    window = open_display(client, speaker)
    qtbot.waitUntil(connected(window), timeout=SLOW_S)
    for counter in (1, 2):
        hub.open_counter(SYSTEM, counter)
        hub.issue_ticket(SYSTEM, "partidas")
    hub.call_next(SYSTEM, 1)
    hub.call_next(SYSTEM, 2)

    # Both calls reached the screen; the second waits while the first is being said.
    qtbot.waitUntil(lambda: len(window.shown_history()) == 2, timeout=SLOW_S)
    qtbot.waitUntil(lambda: speaker.said == [A1], timeout=SLOW_S)
    assert window.announcer is not None and window.announcer.pending == [A2]
    assert window.shown_latest() == ("A-002", "Ventanilla 2")
    assert speaker.said == [A1]

    speaker.finish()
    qtbot.waitUntil(lambda: speaker.said == [A1, A2], timeout=SLOW_S)
    speaker.finish()
    assert speaker.overlaps == 0


def test_a_recall_is_announced_again_without_a_duplicate_row(
        qtbot: QtBot, hub: OfficeHub, client: HttpHubClient, open_display: OpenDisplay
) -> None:
    speaker = FakeSpeaker()
    window = open_display(client, speaker)
    qtbot.waitUntil(connected(window), timeout=SLOW_S)
    hub.open_counter(SYSTEM, 1)
    ticket = hub.issue_ticket(SYSTEM, "partidas")
    hub.call_next(SYSTEM, 1)
    qtbot.waitUntil(lambda: speaker.said == [A1], timeout=SLOW_S)
    speaker.finish()

    hub.recall(SYSTEM, ticket.id)
    qtbot.waitUntil(lambda: speaker.said == [A1, A1], timeout=SLOW_S)
    assert window.shown_history() == [("A-001", "Ventanilla 1")]
    assert window.latest.note.text() == texts.RECALLED
    speaker.finish()


def test_first_connection_lists_earlier_calls_and_announces_only_fresh_ones(
        qtbot: QtBot, hub: OfficeHub, clock: VirtualClock, client: HttpHubClient,
        open_display: OpenDisplay) -> None:
    for counter in (1, 2):
        hub.open_counter(SYSTEM, counter)
        hub.issue_ticket(SYSTEM, "partidas")
    hub.call_next(SYSTEM, 1)
    advance(clock, minutes=5)  # A-001 was called five minutes before the display started
    hub.call_next(SYSTEM, 2)   # A-002 just now

    speaker = FakeSpeaker()
    window = open_display(client, speaker)
    qtbot.waitUntil(lambda: speaker.said == [A2], timeout=SLOW_S)
    assert window.shown_history() == [("A-002", "Ventanilla 2"), ("A-001", "Ventanilla 1")]
    speaker.finish()
    assert window.top.time.text() == "08:05"


def _outage(qtbot: QtBot, hub: OfficeHub, server: RunningHub, window: DisplayWindow,
            speaker: FakeSpeaker) -> str:
    """Connect, call A-001 at counter 1, then take the hub off the network; A-001's id.

    The tests then restart it with `_restart`: the same hub at the same address, so the
    display's own client (never told anything) must reconnect by itself.
    """
    tickets = []
    for counter in (1, 2):
        hub.open_counter(SYSTEM, counter)
        tickets.append(hub.issue_ticket(SYSTEM, "partidas").id)
    qtbot.waitUntil(connected(window), timeout=SLOW_S)
    hub.call_next(SYSTEM, 1)
    qtbot.waitUntil(lambda: speaker.said == [A1], timeout=SLOW_S)
    speaker.finish()
    stop_server(server)
    qtbot.waitUntil(lambda: window.offline_shown, timeout=SLOW_S)
    assert window.poller.connected is False
    return tickets[0]


def _restart(hub: OfficeHub, server: RunningHub) -> RunningHub:
    return start_server(hub, urlparse(server.url).port or 0)


def test_outage_shows_the_mark_reconnects_and_catches_up_without_replaying(
        qtbot: QtBot, hub: OfficeHub, server: RunningHub, client: HttpHubClient,
        open_display: OpenDisplay) -> None:
    speaker = FakeSpeaker()
    window = open_display(client, speaker)
    first = _outage(qtbot, hub, server, window, speaker)

    hub.call_next(SYSTEM, 2)  # called while the display could not hear the hub
    restarted = _restart(hub, server)
    try:
        assert restarted.url == server.url
        qtbot.waitUntil(lambda: not window.offline_shown, timeout=SLOW_S)
        # Fresh by the hub's clock (called moments ago): announced; A-001 is not said again.
        qtbot.waitUntil(lambda: speaker.said == [A1, A2], timeout=SLOW_S)
        assert window.shown_latest() == ("A-002", "Ventanilla 2")
        assert window.shown_history() == [("A-002", "Ventanilla 2"), ("A-001", "Ventanilla 1")]
        speaker.finish()

        # And it follows live calls again.
        hub.issue_ticket(SYSTEM, "partidas")
        hub.start(SYSTEM, first)
        hub.finish(SYSTEM, first)
        hub.call_next(SYSTEM, 1)
        qtbot.waitUntil(lambda: len(speaker.said) == 3, timeout=SLOW_S)
        assert speaker.said[2] == "Turno A tres, ventanilla uno"
        speaker.finish()
    finally:
        window.close()
        stop_server(restarted)


def test_calls_made_long_before_the_reconnection_are_listed_not_announced(
        qtbot: QtBot, hub: OfficeHub, clock: VirtualClock, server: RunningHub,
        client: HttpHubClient, open_display: OpenDisplay) -> None:
    speaker = FakeSpeaker()
    window = open_display(client, speaker)
    _outage(qtbot, hub, server, window, speaker)

    hub.call_next(SYSTEM, 2)
    advance(clock, minutes=2)  # the hub stays unreachable for two minutes after that call
    restarted = _restart(hub, server)
    try:
        qtbot.waitUntil(lambda: not window.offline_shown, timeout=SLOW_S)
        qtbot.waitUntil(lambda: len(window.shown_history()) == 2, timeout=SLOW_S)
        assert window.shown_latest() == ("A-002", "Ventanilla 2")
        assert speaker.said == [A1]  # the waiting room was not told about a stale call
        assert window.announcer is not None and window.announcer.pending == []
        assert window.top.time.text() == "08:02"
    finally:
        window.close()
        stop_server(restarted)


def test_the_real_voice_says_two_quick_calls_whole_and_in_order(
        qtbot: QtBot, hub: OfficeHub, client: HttpHubClient, open_display: OpenDisplay
) -> None:
    """The real QtSpeaker (chime, then Qt's mock voice) behind the announcer of a window."""
    require_mock_voice()
    from PySide6.QtTextToSpeech import QTextToSpeech

    speaker = QtSpeaker(engine="mock")
    assert speaker.voice is not None
    window = open_display(client, speaker)
    assert window.announcer is not None
    heard: list[tuple[str, Any]] = []
    window.announcer.started.connect(lambda text: heard.append(("started", text)))
    window.announcer.finished.connect(
        lambda text: heard.append(("finished", (text, speaker.voice.state()))))  # type: ignore[union-attr]
    speaker.voice.sayingWord.connect(
        lambda word, _id, start, length: heard.append(("word", (word, start, length))))
    qtbot.waitUntil(connected(window), timeout=SLOW_S)
    for counter in (1, 2):
        hub.open_counter(SYSTEM, counter)
        hub.issue_ticket(SYSTEM, "partidas")
    hub.call_next(SYSTEM, 1)
    hub.call_next(SYSTEM, 2)

    ready = QTextToSpeech.State.Ready
    qtbot.waitUntil(lambda: ("finished", (A2, ready)) in heard, timeout=SLOW_S)
    marks = [event for event in heard if event[0] != "word"]
    # The second call waited until the first was said whole (voice back to Ready).
    assert marks == [("started", A1), ("finished", (A1, ready)),
                     ("started", A2), ("finished", (A2, ready))]
    first_end = heard.index(("finished", (A1, ready)))
    for text, part in ((A1, heard[:first_end]), (A2, heard[first_end:])):
        pieces = [value for kind, value in part if kind == "word"]
        assert heard_words(text, pieces) == words_of(text)
    assert window.shown_history() == [("A-002", "Ventanilla 2"), ("A-001", "Ventanilla 1")]


def test_a_muted_display_shows_calls_silently(
        qtbot: QtBot, hub: OfficeHub, client: HttpHubClient, open_display: OpenDisplay
) -> None:
    window = open_display(client, None)
    qtbot.waitUntil(connected(window), timeout=SLOW_S)
    hub.open_counter(SYSTEM, 1)
    hub.issue_ticket(SYSTEM, "partidas", "gestante")
    hub.call_next(SYSTEM, 1)
    qtbot.waitUntil(lambda: window.shown_latest() == ("PA-001", "Ventanilla 1"),
                    timeout=SLOW_S)
    assert window.announcer is None


class VoicelessSpeaker(FakeSpeaker):
    """A PC with no Spanish voice: the calls only chime (QtSpeaker.voice_problem)."""

    voice_problem = "no_spanish"


def test_a_display_without_a_voice_says_so_and_the_supervisor_is_alerted(
        qtbot: QtBot, hub: OfficeHub, client: HttpHubClient, open_display: OpenDisplay,
        tokens: dict[str, str]) -> None:
    supervisor = person_on(hub, tokens["supervisor"], SUPERVISOR)

    def alerted() -> list[str]:
        return [a.message for a in hub.supervisor_live(supervisor).alerts if a.kind == "voice"]

    window = open_display(client, VoicelessSpeaker())
    qtbot.waitUntil(connected(window), timeout=SLOW_S)
    assert window.no_voice.isVisible() and window.no_voice.text() == texts.NO_VOICE
    qtbot.waitUntil(lambda: len(alerted()) == 1, timeout=SLOW_S)  # reported on connecting
    assert "«display de prueba»" in alerted()[0] and "voz en español" in alerted()[0]
    window.close()
    speaking = open_display(client, FakeSpeaker())  # a voice installed, the TV restarted
    qtbot.waitUntil(connected(speaking), timeout=SLOW_S)
    assert not speaking.no_voice.isVisible()
    qtbot.waitUntil(lambda: alerted() == [], timeout=SLOW_S)
    muted = open_display(client, None)  # silent on purpose: no line, no alert
    qtbot.waitUntil(connected(muted), timeout=SLOW_S)
    assert not muted.no_voice.isVisible()


def test_closing_stops_the_long_poll(
        qtbot: QtBot, client: HttpHubClient, open_display: OpenDisplay) -> None:
    window = open_display(client, FakeSpeaker())
    qtbot.waitUntil(connected(window), timeout=SLOW_S)
    window.close()  # a long-poll is in flight: closing does not wait for it...
    assert not window.poller.running
    assert window.shutdown(wait_ms=SLOW_S)  # ...its owner does, within the long-poll's wait
    assert window.shutdown(wait_ms=0)


def _colors(image: QImage, left: float, top: float, right: float, bottom: float) -> set[str]:
    x0, x1 = round(left * image.width()), round(right * image.width())
    y0, y1 = round(top * image.height()), round(bottom * image.height())
    return {QColor(image.pixel(x, y)).name() for x in range(x0, x1, 2) for y in range(y0, y1, 2)}


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
def test_screenshot_renders_a_readable_tv_screen(qtbot: QtBot, tmp_path: Path,
                                                 size: tuple[int, int]) -> None:
    path = save_display_screenshot(tmp_path / "display.png", size)
    image = QImage(str(path))
    assert (image.width(), image.height()) == size
    assert _colors(image, 0.002, 0.4, 0.008, 0.6) == {NAVY.lower()}  # beside the panels
    # The newest row of the list: navy text on yellow, never white on yellow.
    first_row = _colors(image, 0.62, 0.22, 0.98, 0.26)
    assert {YELLOW.lower(), NAVY.lower()} <= first_row
    assert WHITE.lower() not in first_row
    # The big number is yellow on the panel (not flashing in the saved picture).
    assert YELLOW.lower() in _colors(image, 0.1, 0.3, 0.5, 0.45)


def test_the_big_number_fits_its_panel(qtbot: QtBot, open_display: OpenDisplay) -> None:
    from ui.display.screenshot import SampleCalls

    window = open_display(SampleCalls())
    qtbot.waitUntil(lambda: window.shown_latest() is not None, timeout=SLOW_S)
    for label in (window.latest.number, window.latest.counter):
        width = label.fontMetrics().horizontalAdvance(label.text())
        assert 0 < width <= window.latest.width()
