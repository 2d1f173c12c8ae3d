"""Power cut at any moment: a hub writing tickets and expedientes is killed with SIGKILL at
random points, again and again. After each restart the store is sound, every committed ticket
and expediente is there, no number is duplicated or skipped, and the outbox holds every change.

Bounded for CI; CAC_KILL_ITERATIONS raises the number of kills.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from tests.conftest import START

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("writer.py")
ITERATIONS = int(os.environ.get("CAC_KILL_ITERATIONS", "6"))

pytestmark = pytest.mark.system


def _contiguous(values: list[int]) -> bool:
    return sorted(values) == list(range(1, len(values) + 1))


def _check(root: Path, committed: dict[str, str], finished: set[str],
           expedientes: dict[str, str]) -> None:
    db = sqlite3.connect(root / "cac.sqlite3")
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        tickets = {row[0]: (row[1], row[2]) for row in db.execute(
            "SELECT id, number, status FROM tickets")}
        for ticket_id, number in committed.items():
            assert tickets[ticket_id][0] == number, f"committed ticket {number} lost"
        for ticket_id in finished:
            assert tickets[ticket_id][1] == "finished"
        series: dict[tuple[str, str], list[int]] = defaultdict(list)
        for day, name, seq in db.execute("SELECT business_date, series, seq FROM tickets"):
            series[(day, name)].append(seq)
        assert all(_contiguous(seqs) for seqs in series.values()), "a ticket number skipped"
        filed = dict(db.execute("SELECT id, number FROM expedientes").fetchall())
        for expediente_id, number in expedientes.items():
            assert filed[expediente_id] == number, f"committed expediente {number} lost"
        assert _contiguous([s for (s,) in db.execute("SELECT seq FROM expedientes")])
        # The outbox: every event and the last state of every ticket wait for central.
        events = {row[0] for row in db.execute("SELECT id FROM events")}
        queued_events = {row[0] for row in db.execute(
            "SELECT row_key FROM sync_outbox WHERE tbl = 'events'")}
        assert events == queued_events
        snapshots = {key: json.loads(payload)["status"] for key, payload in db.execute(
            "SELECT row_key, payload FROM sync_outbox WHERE tbl = 'tickets' AND "
            "state = 'pending'")}
        assert snapshots == {tid: status for tid, (_, status) in tickets.items()}
    finally:
        db.close()


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    root = tmp_path / "office"
    OfficeHub.initialise(DataDir(root), "CAJ", "CAC Cajamarca", demo=True,
                         clock=VirtualClock(START)).close()
    rng = random.Random(2026)
    committed: dict[str, str] = {}
    finished: set[str] = set()
    expedientes: dict[str, str] = {}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for iteration in range(ITERATIONS):
        writer = subprocess.Popen([sys.executable, str(WRITER), str(root), str(iteration)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  cwd=ROOT, env=env)
        assert writer.stdout is not None
        target = rng.randint(3, 80)  # kill after this many committed operations
        lines: list[str] = []
        for line in writer.stdout:
            lines.append(line)
            if len(lines) >= target:
                break
        writer.send_signal(signal.SIGKILL)
        rest, errors = writer.communicate(timeout=60)
        assert writer.returncode == -signal.SIGKILL, errors
        for line in [*lines, *rest.splitlines()]:  # what was printed was committed
            kind, *fields = line.split()
            if kind == "T":
                committed[fields[1]] = fields[0]
            elif kind == "F":
                finished.add(fields[1])
            elif kind == "E":
                expedientes[fields[1]] = fields[0]
        _check(root, committed, finished, expedientes)
    assert len(committed) >= ITERATIONS  # the writer did real work each time
    reopened = OfficeHub(DataDir(root))
    try:
        assert reopened.verify_audit(SYSTEM).ok
    finally:
        reopened.close()
