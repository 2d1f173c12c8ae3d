"""A full disk or a read-only data folder: the clerk and the kiosk get a Spanish message that
says what to do, nothing half-written is left, reading keeps working, and the office carries on
once the disk is fixed."""

from __future__ import annotations

import pytest
import requests
from sqlalchemy import text

from kiosk.errors import StorageError
from kiosk.hub import SYSTEM, OfficeHub
from tests.conftest import RunningHub


def _limit_writes(hub: OfficeHub, pragma: str) -> None:
    """The hub has one pooled write connection: a pragma on it holds for every write."""
    with hub.store.write_session() as session:
        session.execute(text(pragma))
        session.commit()


def _pages(hub: OfficeHub) -> int:
    with hub.store.read_session() as session:
        return int(session.execute(text("PRAGMA page_count")).scalar() or 0)


@pytest.mark.parametrize(("pragma", "code", "words"), [
    ("PRAGMA max_page_count = {pages}", "disk_full", "El disco del hub está lleno"),
    ("PRAGMA query_only = ON", "read_only", "solo lectura"),
])
def test_the_disk_refusing_is_explained_and_nothing_is_lost(
        hub: OfficeHub, server: RunningHub, tokens: dict[str, str], pragma: str, code: str,
        words: str) -> None:
    before = hub.issue_ticket(SYSTEM, "partidas")
    _limit_writes(hub, pragma.format(pages=_pages(hub)))
    for _ in range(20):  # until the last free page is gone
        try:
            hub.issue_ticket(SYSTEM, "partidas")
        except StorageError as refused:
            assert refused.code == code and words in refused.message
            break
    else:
        pytest.fail("the disk never refused")
    assert hub.queue(SYSTEM).services  # reading still works: the TV and the counts
    _limit_writes(hub, pragma.format(pages=_pages(hub)))  # still refusing, for the kiosk:
    for _ in range(20):
        answer = requests.post(f"{server.url}/api/v1/tickets", json={"service": "partidas"},
                               headers={"Authorization": f"Bearer {tokens['kiosk']}"},
                               timeout=10)
        if answer.status_code != 201:
            break
    assert answer.status_code == 503 and answer.json()["error"]["code"] == code
    assert words in answer.json()["error"]["message"]
    # The disk is back (a fresh connection, as after a remount): work goes on.
    after = hub.issue_ticket(SYSTEM, "partidas")
    waiting = [t.number for s in hub.queue(SYSTEM).services for t in s.tickets]
    assert before.number in waiting and after.number in waiting
    # No number was burnt by the refused writes: the series goes on without a gap.
    numbers = sorted(int(n.split("-")[1]) for n in waiting if n.startswith("A-"))
    assert numbers == list(range(1, len(numbers) + 1))
