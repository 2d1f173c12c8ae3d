"""WAL checkpoints on their own thread while the hub serves (kiosk.storage.checkpoint): the
writer's commits leave them to it, and the WAL is still copied back into the database."""

from __future__ import annotations

import sqlite3

from sqlalchemy import text

from kiosk.hub import SYSTEM, OfficeHub
from kiosk.plugins import start_hub_services, stop_hub_services
from kiosk.storage.checkpoint import SAFETY_PAGES, StoreCheckpoints, WalCheckpointer
from kiosk.storage.store import DEFAULT_AUTOCHECKPOINT_PAGES


def _writer_autocheckpoint(hub: OfficeHub) -> int:
    with hub.store.write_session() as session:
        return int(session.execute(text("PRAGMA wal_autocheckpoint")).scalar_one())


def _wal_state(hub: OfficeHub) -> tuple[int, int]:
    """(frames in the WAL, frames already copied back), from a connection of its own."""
    db = sqlite3.connect(hub.store.path)
    try:
        # A PASSIVE checkpoint that finds nothing left to copy reports frames == copied.
        _busy, frames, copied = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        db.close()
    return frames, copied


def test_serving_leaves_checkpoints_to_their_thread_and_gives_them_back(hub: OfficeHub
                                                                       ) -> None:
    assert _writer_autocheckpoint(hub) == DEFAULT_AUTOCHECKPOINT_PAGES
    services = start_hub_services(hub)  # found through the package's entry point
    try:
        checkpoints = next(s for s in services if isinstance(s, StoreCheckpoints))
        assert _writer_autocheckpoint(hub) == SAFETY_PAGES
        checkpoints.checkpointer.min_writes = 1  # copy this one write back after its pause
        checkpoints.checkpointer.checkpointed.clear()
        ticket = hub.issue_ticket(SYSTEM, "partidas")
        assert checkpoints.checkpointer.checkpointed.wait(10)
    finally:
        stop_hub_services(services)
    assert _writer_autocheckpoint(hub) == DEFAULT_AUTOCHECKPOINT_PAGES
    # The thread copied the issue back: a checkpoint now has nothing left to do ...
    frames, copied = _wal_state(hub)
    assert frames == copied
    # ... and the ticket is in the database file itself, read with the WAL out of the way.
    db = sqlite3.connect(hub.store.path)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert db.execute("SELECT number FROM tickets WHERE id = ?", (ticket.id,)
                          ).fetchone() == (ticket.number,)
    finally:
        db.close()


def _attached(hub: OfficeHub, checker: WalCheckpointer) -> WalCheckpointer:
    hub.store.checkpoint_with(checker.start(), SAFETY_PAGES)
    return checker


def test_many_writes_are_copied_back_together_after_they_pause(hub: OfficeHub) -> None:
    checker = _attached(hub, WalCheckpointer(hub.store.path, min_writes=10, max_delay_s=60))
    try:
        for _ in range(20):
            hub.issue_ticket(SYSTEM, "partidas")
        assert checker.checkpointed.wait(10)
        # Each round waits for ten writes: twenty make one or two, never one per commit.
        assert 1 <= checker.rounds <= 2
    finally:
        hub.store.checkpoint_with(None)
        checker.stop()


def test_a_few_writes_are_copied_back_by_the_deadline(hub: OfficeHub) -> None:
    checker = _attached(hub, WalCheckpointer(hub.store.path, min_writes=50, max_delay_s=0.2))
    try:
        hub.issue_ticket(SYSTEM, "partidas")  # one write, far below fifty
        assert checker.checkpointed.wait(10)
        assert checker.rounds == 1
    finally:
        hub.store.checkpoint_with(None)
        checker.stop()
    frames, copied = _wal_state(hub)
    assert frames == copied


def test_a_checkpointer_that_cannot_open_the_store_leaves_the_writer_its_safety_net(
        hub: OfficeHub, tmp_path, caplog) -> None:
    missing = tmp_path / "no-such-folder" / "cac.sqlite3"
    checker = WalCheckpointer(missing).start()
    hub.store.checkpoint_with(checker, SAFETY_PAGES)
    try:
        checker.stop()  # its thread ended on its own; stopping it again is harmless
        assert "no se pudo abrir la base" in caplog.text
        assert hub.issue_ticket(SYSTEM, "partidas").number == "A-001"
        assert _writer_autocheckpoint(hub) == SAFETY_PAGES
    finally:
        hub.store.checkpoint_with(None)
