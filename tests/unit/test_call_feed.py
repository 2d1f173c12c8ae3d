"""The call feed wakes long-polls on a call, and all of them at once when the process closes."""

from __future__ import annotations

import asyncio
import threading
import time

from kiosk.calls import CallFeed


def test_a_call_wakes_a_waiting_thread_and_closing_answers_every_poll_at_once() -> None:
    feed = CallFeed(latest_seq=5)
    assert feed.wait(4, timeout=10) is True  # already there: no wait
    results: list[tuple[bool, float]] = []

    def poll(after: int) -> None:
        started = time.monotonic()
        results.append((feed.wait(after, timeout=30), time.monotonic() - started))

    thread = threading.Thread(target=poll, args=(5,))
    thread.start()
    time.sleep(0.05)
    feed.publish(6)
    thread.join(timeout=5)
    assert results and results[0][0] is True and results[0][1] < 5

    thread = threading.Thread(target=poll, args=(6,))
    results.clear()
    thread.start()
    time.sleep(0.05)
    feed.close()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert results[0][0] is False and results[0][1] < 5  # answered, with nothing new
    assert feed.wait(feed.latest, timeout=30) is False  # once closed, no poll waits


def test_closing_answers_an_asyncio_poll_too() -> None:
    feed = CallFeed()

    async def main() -> tuple[bool, float]:
        started = time.monotonic()
        waiting = asyncio.ensure_future(feed.wait_async(0, timeout=30))
        await asyncio.sleep(0.05)
        threading.Thread(target=feed.close).start()  # closed from another thread, as the app does
        return await asyncio.wait_for(waiting, 5), time.monotonic() - started

    woken, took = asyncio.run(main())
    assert woken is False and took < 5
