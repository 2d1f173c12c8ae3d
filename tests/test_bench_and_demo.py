"""The benchmark still runs (quick mode) and `cac demo` prepares a working office."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import date, datetime, time
from hashlib import sha256
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from kiosk.cli import main
from kiosk.client import InProcessHubClient
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.hub import OfficeHub
from kiosk.rules.calendar import WorkingCalendar
from kiosk.services.users import DEMO_USERS
from kiosk.storage.tables import Ticket

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.bench
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


@pytest.mark.bench
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


@pytest.mark.bench
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


@pytest.mark.bench
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
                "storage_mb", "push_rate", "round_p99_ms", "health_p99_ms", "page_p99_ms",
                "push_rate_beside_page"):
        assert summary[key] > 0, key


@pytest.mark.bench
def test_central_scale_region_events_chain_as_a_hub_s(monkeypatch: pytest.MonkeyPatch) -> None:
    """The region's generated events chain as their hubs' would: along one office's events in
    `seq` order, each `prev_hash` is the hash before and each `hash` is what the hub's own
    function gives with the hub's office id central knows; so an archived day of them leaves
    both hashes out, well below the same day with the random hashes the generator made before.
    """
    from sqlalchemy import create_engine

    from kiosk.rules.audit import GENESIS, event_hash
    from kiosk.storage.tables import Base
    from sync.central.event_archive import COLUMNS, Archived, codecs, decode, encode
    from sync.central.schema import REPLICAS, office_links, offices
    from sync.wire import encode_row
    from tests import pg
    from tests.system import require_system

    require_system(pg.available(), "PostgreSQL 15 server binaries", "apt-get install postgresql")
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    central_scale, region_of = (importlib.import_module("central_scale"),
                                importlib.import_module("region"))
    region = region_of.Region(offices=2, days=region_of.working_days(date(2025, 12, 1), 3,
                                                                      set()),
                              tickets=40, event_days=3)
    cache = Path(tempfile.mkdtemp(prefix="cac-bench-chain-"))  # its user may enter (above)
    cache.chmod(0o755)
    events = REPLICAS["events"]
    try:
        central_scale.build(cache / "region", region)
        cluster = pg.Cluster(cache / "region" / "pg")
        cluster.start()
        engine = create_engine(cluster.url(central_scale.DATABASE))
        try:
            with engine.connect() as connection:
                office_id, hub_office = connection.execute(
                    select(office_links.c.office_id, office_links.c.hub_office_id)
                    .join(offices, offices.c.id == office_links.c.office_id)
                    .where(offices.c.code == region_of.office_code("R", 1))).one()
                rows = connection.execute(select(events).where(events.c.office_id == office_id)
                                          .order_by(events.c.seq)).mappings().all()
        finally:
            engine.dispose()
            cluster.stop()
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    assert len(rows) > 40 * 3 * 3  # issued, called, finished… of every ticket of the days
    assert len({r["seq"] for r in rows}) == len(rows)  # the hub's order, no two alike
    assert [r["_sync_seq"] for r in rows] == sorted(r["_sync_seq"] for r in rows)
    previous = GENESIS
    for row in rows:
        assert row["prev_hash"] == previous, row["seq"]
        assert row["hash"] == event_hash(
            previous, event_id=row["id"], office_id=hub_office, stream=row["stream"],
            stream_id=row["stream_id"], kind=row["kind"], occurred_at=row["occurred_at"],
            hlc=row["hlc"], device_id=row["device_id"], data=row["data"]), row["seq"]
        previous = row["hash"]
    # One UTC day of them, archived as central's maintenance folds it.
    by_day: dict[date, list[Archived]] = defaultdict(list)
    source = Base.metadata.tables["events"]
    for row in rows:
        by_day[row["occurred_at"].date()].append(Archived(row["_sync_seq"], encode_row(
            source, {k: row[k] for k in COLUMNS})))
    day = max(by_day.values(), key=len)
    body = encode(day, hub_office)
    assert codecs(body)["prev_hash"] == codecs(body)["hash"] == "implied"
    assert decode(body) == day
    unchained = [Archived(e.seq, {**e.payload, "prev_hash": sha256(b"p" + e.payload["id"]
                                                                   .encode()).hexdigest(),
                                  "hash": sha256(b"h" + e.payload["id"].encode()).hexdigest()})
                 for e in day]
    assert len(body) < 0.5 * len(encode(unchained, hub_office))


@pytest.mark.bench
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


@pytest.mark.bench
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


@pytest.mark.bench
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
@pytest.mark.bench
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


@pytest.mark.bench
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


LIMA = ZoneInfo("America/Lima")
# Tickets that a closed day leaves: none still waiting, called or at a counter.
CLOSED = {"finished", "no_show", "expired"}


def _office_at(root: Path, moment: datetime) -> OfficeHub:
    return OfficeHub(DataDir(root), VirtualClock(moment))


def _tickets_by_day(root: Path, moment: datetime) -> dict[date, list[tuple[str, datetime]]]:
    hub = _office_at(root, moment)
    try:
        with hub.store.read_session() as session:
            rows = session.execute(select(Ticket.business_date, Ticket.status, Ticket.issued_at))
            days: dict[date, list[tuple[str, datetime]]] = defaultdict(list)
            for day, status, issued in rows:
                days[day].append((status, issued))
    finally:
        hub.close()
    return dict(days)


@pytest.mark.slow
@pytest.mark.system
def test_demo_prepares_an_office_with_credentials_for_every_role(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "demo"
    # 09:00 on a Friday: the old demo simulated only this morning's first hour (~20 tickets).
    assert main(["demo", "--data-dir", str(root), "--no-serve", "--at", "2026-11-20T09:00"]) == 0
    credentials = json.loads((root / "demo-credenciales.json").read_text("utf-8"))
    assert {c["role"] for c in credentials.values()} == {
        "kiosk", "display", "counter", "supervisor", "admin"}
    hub = _office_at(root, datetime(2026, 11, 20, 9, 5, tzinfo=LIMA))
    try:
        supervisor = InProcessHubClient(hub, credentials["Supervisión"]["token"])
        kiosk = InProcessHubClient(hub, credentials["Quiosco de la entrada"]["token"])
        assert len(supervisor.services()) == 5
        assert kiosk.issue_ticket("caja").status == "waiting"
        with hub.store.read_session() as session:
            assert (session.scalar(select(func.count()).select_from(Ticket)) or 0) > 100
    finally:
        hub.close()
    # A second run reuses the office instead of failing.
    assert main(["demo", "--data-dir", str(root), "--no-serve"]) == 0
    assert "Credenciales de demostración" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.system
@pytest.mark.parametrize(("at", "day_before", "today_until"), [
    ("2026-11-23T07:00", date(2026, 11, 20), None),  # Monday before opening: Friday
    ("2026-11-20T08:45", date(2026, 11, 19), time(8, 45)),
    ("2026-11-20T09:30", date(2026, 11, 19), time(9, 30)),
    ("2026-11-20T13:00", date(2026, 11, 19), time(13, 0)),
    ("2026-11-20T18:00", date(2026, 11, 19), time(17, 0)),  # after hours: up to 17:00
    ("2026-11-22T10:00", date(2026, 11, 20), None),  # Sunday: Friday, and no Sunday
])
def test_demo_simulates_the_last_working_day_at_any_hour(
        tmp_path: Path, at: str, day_before: date, today_until: time | None) -> None:
    root = tmp_path / "demo"
    assert main(["demo", "--data-dir", str(root), "--no-serve", "--at", at]) == 0
    moment = datetime.fromisoformat(at).replace(tzinfo=LIMA)
    days = _tickets_by_day(root, moment)
    assert set(days) == {day_before} | ({moment.date()} if today_until else set())
    # The working day before: whole, and closed.
    assert len(days[day_before]) > 400
    assert {status for status, _ in days[day_before]} <= CLOSED
    if today_until is not None:  # this morning so far: nothing after the demo's "now"
        latest = datetime.combine(moment.date(), today_until, tzinfo=LIMA)
        assert days[moment.date()]
        assert all(issued <= latest for _, issued in days[moment.date()])


def test_the_demo_days_follow_the_office_calendar() -> None:
    """The days the demo simulates come from the office's working calendar: its national
    holidays and the extra non-working days central publishes."""
    from kiosk.cli import demo_days

    extra = WorkingCalendar({date(2026, 12, 7): "Día no laborable para el sector público"})
    assert [day for day, _, _ in demo_days(datetime(2026, 12, 8, 10, tzinfo=LIMA),
                                           WorkingCalendar())] == [date(2026, 12, 7)]
    # The 9th and 8th of December (holidays) and the 7th (a día no laborable): Friday the 4th.
    assert demo_days(datetime(2026, 12, 10, 7, tzinfo=LIMA), extra) == [
        (date(2026, 12, 4), 600, None)]
    assert demo_days(datetime(2026, 12, 10, 11, 15, 42, tzinfo=LIMA), extra) == [
        (date(2026, 12, 4), 600, None), (date(2026, 12, 10), 260, time(11, 15))]


def test_demo_says_what_to_do_next(tmp_path: Path) -> None:
    from kiosk.cli import demo_next_steps

    devices = {"Supervisión": {"role": "supervisor", "token": "-supervisor-token"},
               "Administración": {"role": "admin", "token": "admin-token"},
               "Ventanilla 2": {"role": "counter", "token": "counter-token", "counter": 2}}
    tokens_file = tmp_path / "demo-credenciales.json"
    tokens_file.write_text(json.dumps(devices), "utf-8")
    text = demo_next_steps(tokens_file, 8470, windows=True)
    assert "Qué hacer ahora" in text and "Ctrl+C" in text
    # Each other window's command, its token written so that one beginning with "-" works.
    for window, token in (("supervisor", "-supervisor-token"), ("admin", "admin-token"),
                          ("counter", "counter-token")):
        assert any(f" {window} --hub http://127.0.0.1:8470 --token={token}" in line
                   for line in text.splitlines()), window
    for username, _name, _role, pin in DEMO_USERS:
        assert f"{username} / {pin}" in text
    # Without windows, the commands for all of them.
    assert " kiosk --hub" not in text
    devices["Quiosco de la entrada"] = {"role": "kiosk", "token": "kiosk-token"}
    tokens_file.write_text(json.dumps(devices), "utf-8")
    assert " kiosk --hub http://127.0.0.1:8470 --token=kiosk-token" in demo_next_steps(
        tokens_file, 8470, windows=False)


def _inside(rect: tuple[int, int, int, int], area: tuple[int, int, int, int],
            title_bar: int) -> bool:
    x, y, w, h = rect
    return (x >= area[0] and y - title_bar >= area[1] and x + w <= area[0] + area[2]
            and y + h <= area[1] + area[3])


# The demo's windows: (preferred size, minimum size) of the kiosk, the TV and the counter.
DEMO = [((600, 960), (821, 727)), ((1024, 576), (77, 408)), ((1366, 768), (1210, 631))]


@pytest.mark.parametrize("screen", [(0, 0, 1366, 768), (0, 0, 1024, 768),
                                    (0, 27, 1920, 1053), (1920, 0, 1080, 1920)])
def test_windows_fit_and_spread_on_the_screen(screen: tuple[int, int, int, int]) -> None:
    from ui.app import arrange

    rects = arrange(DEMO, screen, title_bar=30)
    for rect, (_, least) in zip(rects, DEMO, strict=True):
        x, y, width, height = rect
        assert width >= least[0] and height >= least[1]
        if least[0] <= screen[2] and least[1] + 30 <= screen[3]:
            assert _inside(rect, screen, 30), (rect, screen)
        else:  # wider than the screen at its smallest (the counter on 1024 px): from its left
            assert x == screen[0] and screen[1] <= y - 30 and y + height <= sum(screen[1::2])
    assert len({(x, y) for x, y, _, _ in rects}) == 3  # not stacked in one corner


def test_windows_sit_side_by_side_where_the_screen_has_room() -> None:
    from ui.app import arrange

    screen = (0, 0, 2560, 1400)  # the counter at its full size overlaps the TV by 4 px
    kiosk, tv, counter = arrange(DEMO, screen, title_bar=30)
    assert kiosk[2:] == (821, 960)  # its preferred height; its minimum width
    assert tv[2:] == (1024, 576) and counter[2:] == (1366, 768)

    def overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
        return (a[0] < b[0] + b[2] and b[0] < a[0] + a[2]
                and a[1] - 30 < b[1] + b[3] and b[1] - 30 < a[1] + a[3])

    assert not overlap(kiosk, tv) and not overlap(kiosk, counter)
    assert tv[1] + tv[3] - (counter[1] - 30) <= 4
    # Where they cannot all fit, the TV shrinks (down to half) beside the kiosk rather
    # than cover it.
    kiosk, tv, _ = arrange(DEMO, (0, 0, 1366, 768), title_bar=30)
    assert not overlap(kiosk, tv) and tv[2] < 1024


@pytest.mark.bench
def test_sign_minute_bench_runs_in_quick_mode() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "sign_minute.py"), "--quick", "--reps", "2",
         "--json"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["reps"] == 2 and summary["verdict"] in ("PASS", "MISS")
    for key in ("pay_median_ms", "render_median_ms", "sign_median_ms", "total_median_ms"):
        assert summary[key] > 0, key


def test_an_offices_copy_of_the_pushed_day_keeps_its_ids_time_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The bench's pushing offices send a copy of one simulated day each: a hub's row ids are
    UUIDv7, so each copy keeps their time (the first 48 bits) and draws the rest of its own,
    the same way wherever an id appears, so its rows still point at each other; a mutation id
    (random on a hub) and any other uuid are drawn afresh."""
    import uuid

    from kiosk.ids import new_id

    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    central_scale = importlib.import_module("central_scale")
    ids = sorted(new_id() for _ in range(3))
    other, mutation = str(uuid.uuid4()), "ab" * 16
    entry = json.dumps({"m": mutation, "k": ids[0], "p": {"id": ids[0], "parent": ids[1],
                                                          "next": ids[2], "other": other}},
                       separators=(",", ":"))
    copies = [json.loads(central_scale._own_copy([entry], n)[0]) for n in (1, 2)]
    for copy in copies:
        mine = [copy["p"][k] for k in ("id", "parent", "next")]
        assert copy["k"] == mine[0]  # the same id rewritten alike throughout
        assert [str(uuid.UUID(i)) for i in mine] == mine  # still lowercase, hyphenated UUIDs
        assert [uuid.UUID(i).version for i in mine] == [7, 7, 7]
        assert [i[:15] for i in mine] == [i[:15] for i in ids]  # their milliseconds kept
        assert set(mine).isdisjoint(ids) and copy["p"]["other"] != other
        assert copy["m"] != mutation and len(copy["m"]) == 32
    assert set(copies[0]["p"].values()).isdisjoint(copies[1]["p"].values())  # each its own
