"""A day with citas and walk-ins through `cac simulate` (kiosk/simulate.py): the figures stay
exact — every booking is an on-time arrival, a late one or a no-show, the tickets the queue
statistics count are the walk-ins' and the check-ins', and no on-time cita was called before
its slot's start minus the office's window."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub

DAY = date(2026, 11, 20)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def test_a_day_with_citas_and_walk_ins_keeps_its_figures_exact(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    office = str(tmp_path / "caj")
    run(capsys, "init", "--data-dir", office, "--office", "CAJ", "--name", "CAC", "--demo")
    code, out = run(capsys, "simulate", "--data-dir", office, "--date", DAY.isoformat(),
                    "--tickets", "150", "--counters", "5", "--seed", "11", "--citas", "14",
                    "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["citas_booked"] == 14
    assert summary["citas_on_time"] + summary["citas_late"] + summary["citas_no_show"] == 14
    assert summary["citas_on_time"] > 0 and summary["citas_late"] + summary["citas_no_show"] > 0
    # The walk-ins and every check-in: one ticket each.
    assert summary["issued"] == 150 + summary["citas_on_time"] + summary["citas_late"]
    _, out = run(capsys, "stats", "--data-dir", office, "--from", DAY.isoformat(), "--to",
                 DAY.isoformat(), "--json")
    assert json.loads(out)["issued"] == summary["issued"]
    _, out = run(capsys, "export", "--data-dir", office, "--from", DAY.isoformat(), "--to",
                 DAY.isoformat())
    tickets = {r["number"]: r for r in csv.DictReader(io.StringIO(out))}
    assert len(tickets) == summary["issued"]

    hub = OfficeHub(DataDir(Path(office)))
    try:
        (row,) = hub.cita_stats(SYSTEM, DAY, DAY).rows
        assert (row.service, row.booked, row.arrived, row.late, row.no_show, row.cancelled,
                row.pending) == ("licencias", 14, summary["citas_on_time"],
                                 summary["citas_late"], summary["citas_no_show"], 0, 0)
        window = timedelta(minutes=hub.office.cita_window_minutes)
        citas = hub.citas_of_day(SYSTEM, DAY)
    finally:
        hub.close()
    on_time = [c for c in citas if c.status == "llego"]
    assert len(on_time) == summary["citas_on_time"]
    for cita in on_time:
        assert cita.ticket is not None
        called = tickets[cita.ticket]["called_at"]
        assert called, cita.ticket  # the counters served every on-time cita
        assert datetime.fromisoformat(called) >= cita.start - window
    assert all(c.ticket is None for c in citas if c.status == "no_asistio")
