"""The benchmark still runs (quick mode) and `cac demo` prepares a working office."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.client import InProcessHubClient
from kiosk.config import DataDir
from kiosk.hub import OfficeHub

ROOT = Path(__file__).resolve().parent.parent


def test_queue_latency_bench_runs_in_quick_mode(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "queue_latency.py"), "--quick", "--json",
         "--dir", str(tmp_path)],
        capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    for key in ("floor_insert_p50_ms", "issue_p99_ms", "call_next_p99_ms", "issue_ratio_p99",
                "issue_rows_floor_p50_ms", "issue_history_p99_ms"):
        assert summary[key] > 0
    assert summary["history"] == 5000  # the quick mode's office with history


def test_search_bench_runs_in_quick_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    command = [sys.executable, str(ROOT / "bench" / "search.py"), "--quick", "--json",
               "--persons", "2000", "--reps", "5", "--cache-dir", str(tmp_path)]
    # What an older checkout left in the cache: another generator version, another schema
    # revision, a build whose process died; and a current office of another size.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = [tmp_path / "search-p2000-e4000-s7-g1-rdeadbeef",
             tmp_path / "search-p2000-e4000-s7-g2-rcafe",
             tmp_path / f"search-p2000-e4000-s7.building-{dead.pid}"]
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    datasets, search = importlib.import_module("datasets"), importlib.import_module("search")
    kept = tmp_path / f"search-p50-e100-s7{datasets.version_suffix(search.GENERATOR_VERSION)}"
    for folder in [*stale, kept]:
        (folder / "office").mkdir(parents=True)
    first = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout.strip().splitlines()[-1])
    assert (summary["persons"], summary["expedientes"], summary["cached"]) == (2000, 4000, False)
    assert summary["floor_p50_ms"] > 0
    assert not any(folder.exists() for folder in stale)  # the stale offices were removed
    assert kept.exists()
    assert {folder.name for folder in tmp_path.iterdir()} == {
        kept.name, kept.name.replace("-p50-e100-", "-p2000-e4000-")}
    for shape in ("number", "tracking", "dni", "ruc", "full_name", "both_surnames",
                  "surname_given"):
        assert summary[f"expedientes.{shape}.p95_ms"] > 0
        assert summary[f"expedientes.{shape}.empty"] == 0, shape  # every query found its row
    # The generated office is cached: a second run reuses it.
    again = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout.strip().splitlines()[-1])["cached"] is True


def test_sync_push_bench_runs_in_quick_mode() -> None:
    from tests import pg
    from tests.system import require_system

    require_system(pg.available(), "PostgreSQL 15 server binaries", "apt-get install postgresql")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "sync_push.py"), "--quick", "--json"],
        capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["entries"] > 500
    for key in ("entries_per_s", "floor_entries_per_s", "ratio", "bytes_per_entry"):
        assert summary[key] > 0


def test_central_scale_bench_runs_in_quick_mode() -> None:
    from tests import pg
    from tests.system import require_system

    require_system(pg.available(), "PostgreSQL 15 server binaries", "apt-get install postgresql")
    # The region's PostgreSQL folder is cached in it: a place its user (postgres, when the
    # tests run as root) may enter, which pytest's own temporary folders are not.
    cache = Path(tempfile.mkdtemp(prefix="cac-bench-central-"))
    cache.chmod(0o755)
    try:
        result = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "central_scale.py"), "--quick", "--json",
             "--cache-dir", str(cache)],
            capture_output=True, text=True, timeout=600, cwd=ROOT)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["offices"], summary["tickets"], summary["cached"]) == (4, 2400, False)
    for key in ("stats_all_year_ms", "stats_office_year_ms", "report_all_year_ms",
                "storage_mb", "push_rate", "round_p99_ms", "health_p99_ms", "page_p99_ms"):
        assert summary[key] > 0, key


def test_stats_year_bench_runs_in_quick_mode(tmp_path: Path) -> None:
    command = [sys.executable, str(ROOT / "bench" / "stats_year.py"), "--quick", "--json",
               "--reps", "3", "--cache-dir", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["quick"] is True and summary["cached"] is False
    assert summary["tickets"] > 6000  # the generated days and the simulated morning
    assert summary["live_waiting"] > 0 and summary["live_alerts"] > 0
    for key in ("floor_p50_ms", "live_p50_ms", "live_p95_ms", "today_p50_ms", "year_p50_ms",
                "report_year_p50_ms", "live_ratio_p50"):
        assert summary[key] > 0, key
    again = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout.strip().splitlines()[-1])["cached"] is True


def test_hub_load_bench_runs_in_quick_mode() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "hub_load.py"), "--quick", "--duration", "4",
         "--json"],
        capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["devices"] == 30
    assert summary["errors"] == 0, result.stdout
    for key in ("req_per_s", "p50_ms", "p99_ms", "floor_p50_ms", "ratio_p99", "call_display_n",
                "request_display_p95_ms", "server_cpu_s"):
        assert summary[key] > 0, key


def test_login_flood_bench_runs_in_quick_mode() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "login_flood.py"), "--quick", "--duration", "2",
         "--json"],
        capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["threads"], summary["users"]) == (32, 12)
    for phase in ("quiet", "flood_right", "flood_mixed"):
        assert summary[f"{phase}.tickets"] > 0 and summary[f"{phase}.ticket_errors"] == 0
        assert summary[f"{phase}.issue_p99_ms"] > 0
    assert summary["flood_right.logins_200"] > 0  # right PINs do log in during the flood
    # The mixed flood meets the hub's refusals: wrong PINs (401) and the throttles (429).
    assert summary.get("flood_mixed.logins_401", 0) > 0
    assert summary.get("flood_mixed.logins_429", 0) > 0
def test_idle_connections_bench_runs_in_quick_mode() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "idle_connections.py"), "--quick", "--duration",
         "3", "--idle", "300", "--loris", "10", "--hub-files", "256", "--json"],
        capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    # More sockets than the hub started with files for, and no ticket failed meanwhile.
    assert summary["errors"] == 0, result.stdout
    assert summary["tickets"] > 0 and summary["held_min"] == 310
    for key in ("baseline_p50_ms", "p50_ms", "p99_ms"):
        assert summary[key] > 0, key


def test_app_start_bench_runs_in_quick_mode() -> None:
    pytest.importorskip("PySide6")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "app_start.py"), "--quick", "--json"],
        capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    for key in ("app_start_s", "bare_start_s", "start_ratio", "app_rss_mb", "bare_rss_mb",
                "day_rss_after_mb"):
        assert summary[key] > 0, key


@pytest.mark.slow
def test_demo_prepares_an_office_with_credentials_for_every_role(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "demo"
    assert main(["demo", "--data-dir", str(root), "--no-serve"]) == 0
    credentials = json.loads((root / "demo-credenciales.json").read_text("utf-8"))
    assert {c["role"] for c in credentials.values()} == {
        "kiosk", "display", "counter", "supervisor", "admin"}
    hub = OfficeHub(DataDir(root))
    try:
        supervisor = InProcessHubClient(hub, credentials["Supervisión"]["token"])
        kiosk = InProcessHubClient(hub, credentials["Quiosco de la entrada"]["token"])
        assert len(supervisor.services()) == 5
        assert kiosk.issue_ticket("caja").status == "waiting"
        with hub.store.read_session() as session:
            from sqlalchemy import func, select

            from kiosk.storage.tables import Ticket
            assert (session.scalar(select(func.count()).select_from(Ticket)) or 0) > 100
    finally:
        hub.close()
    # A second run reuses the office instead of failing.
    assert main(["demo", "--data-dir", str(root), "--no-serve"]) == 0
    assert "Credenciales de demostración" in capsys.readouterr().out
