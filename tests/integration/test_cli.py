"""The `cac` command, run as a user would, on a real data directory."""

from __future__ import annotations

import csv
import io
import json
import statistics
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import DataDir


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_device_and_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    office = str(tmp_path / "caj")
    assert run(capsys, "init", "--data-dir", office, "--office", "caj", "--name", "CAC Caj",
               "--demo")[0] == 0
    code, out, _ = run(capsys, "device", "add", "--data-dir", office, "--role", "counter",
                       "--name", "Ventanilla 3", "--json")
    assert code == 0
    device = json.loads(out)
    assert device["role"] == "counter" and len(device["token"]) >= 40
    code, _, err = run(capsys, "init", "--data-dir", office, "--office", "CAJ", "--name", "x")
    assert code == 2 and "Ya hay una oficina" in err
    code, _, err = run(capsys, "init", "--data-dir", str(tmp_path / "b"), "--office", "C4J",
                       "--name", "x")
    assert code == 2 and "código de oficina" in err
    code, _, err = run(capsys, "stats", "--data-dir", str(tmp_path / "none"), "--from",
                       "2026-11-20", "--to", "2026-11-20")
    assert code == 2 and "No hay una oficina" in err


def test_a_corrupted_config_gets_a_clear_message(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    office = tmp_path / "caj"
    run(capsys, "init", "--data-dir", str(office), "--office", "CAJ", "--name", "CAC")
    data_dir = DataDir(office)
    data_dir.config_file.write_text("office_code = [\n", encoding="utf-8")
    # The office keeps working on the last config a hub started with, and every command says so.
    code, _, err = run(capsys, "close-day", "--data-dir", str(office))
    assert code == 0
    assert "está dañado" in err and "última configuración válida" in err
    # With no good copy to fall back on, the command refuses with the same clear message.
    data_dir.last_good_config_file.unlink()
    code, _, err = run(capsys, "close-day", "--data-dir", str(office))
    assert code == 2 and "está dañado" in err and "última configuración" not in err


def test_bad_arguments_are_answered_in_spanish(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["stats", "--from", "ayer", "--to", "2026-11-20"])
    assert caught.value.code == 2
    assert "fecha no válida «ayer»" in capsys.readouterr().err


def _recompute(rows: list[dict[str, str]], sla: dict[str, int]) -> dict[str, float | int]:
    """The headline figures from the CSV alone, written independently of kiosk.services.stats."""
    def seconds(a: str, b: str) -> float:
        return (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds()

    waits = [seconds(r["issued_at"], r["called_at"]) for r in rows if r["called_at"]]
    within = sum(1 for r in rows if r["called_at"]
                 and seconds(r["issued_at"], r["called_at"]) <= sla[r["service"]] * 60)
    judged = len(waits) + sum(1 for r in rows if r["status"] == "expired" and not r["called_at"])
    served = [seconds(r["started_at"], r["finished_at"]) for r in rows
              if r["status"] == "finished"]
    return {
        "issued": len(rows),
        "served": len(served),
        "no_show": sum(1 for r in rows if r["status"] == "no_show"),
        "expired": sum(1 for r in rows if r["status"] == "expired"),
        "wait_p50_s": round(statistics.median(waits), 1),
        "wait_p90_s": round(statistics.quantiles(waits, n=10, method="inclusive")[8], 1),
        "wait_mean_s": round(statistics.fmean(waits), 1),
        "service_p50_s": round(statistics.median(served), 1),
        "sla_pct": round(100 * within / judged, 1),
    }


@pytest.mark.slow
@pytest.mark.system
def test_a_simulated_day_matches_a_recomputation_from_the_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office = str(tmp_path / "caj")
    run(capsys, "init", "--data-dir", office, "--office", "CAJ", "--name", "CAC", "--demo")
    code, out, _ = run(capsys, "simulate", "--data-dir", office, "--date", "2026-11-20",
                       "--tickets", "600", "--counters", "5", "--seed", "7", "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["issued"] == 600 and summary["no_shows"] > 0 and summary["transfers"] > 0
    code, out, _ = run(capsys, "stats", "--data-dir", office, "--from", "2026-11-20", "--to",
                       "2026-11-20", "--json")
    report = json.loads(out)
    code, out, _ = run(capsys, "export", "--data-dir", office, "--from", "2026-11-20", "--to",
                       "2026-11-20")
    rows = list(csv.DictReader(io.StringIO(out)))
    sla = {"partidas": 15, "licencias": 20, "caja": 10, "orientacion": 10, "mesa": 15}
    expected = _recompute(rows, sla)
    assert {key: report[key] for key in expected} == expected
    assert sum(1 for r in rows if r["preferential"]) > 30  # the preferential share showed up
    numbers = [(r["date"], r["number"]) for r in rows]
    assert len(set(numbers)) == 600
    # Same seed, same day: the simulation is repeatable.
    again = str(tmp_path / "again")
    run(capsys, "init", "--data-dir", again, "--office", "CAJ", "--name", "CAC", "--demo")
    run(capsys, "simulate", "--data-dir", again, "--date", "2026-11-20", "--tickets", "600",
        "--counters", "5", "--seed", "7", "--json")
    _, out, _ = run(capsys, "stats", "--data-dir", again, "--from", "2026-11-20", "--to",
                    "2026-11-20", "--json")
    assert json.loads(out) == report
