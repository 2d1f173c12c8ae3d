"""Central's CPU per pushed entry, in-process: where a push's Python time goes.

An office works a simulated day (as bench/sync_push.py), its outbox is packed into the
batches a hub sends (gzip JSON bodies, 500 entries), and central handles them in this
process, on a throwaway PostgreSQL: `--via direct` unpacks and applies each body
(`unpack_checked` + `CentralServer.push`, what a push's thread does); `--via asgi` sends it
through central's FastAPI app (routing, middleware, the thread hand-over, the JSON answer),
without sockets. The CPU is this process's alone (PostgreSQL runs in its own processes):
µs per entry, each run on a fresh database. `--profile FILE` writes cProfile's figures of the
last run (`python -m pstats FILE`).

Run from the repository root:
    .venv/bin/python bench/push_cpu.py [--runs 3] [--via direct|asgi] [--bodies FILE] [--json]
`--bodies FILE` keeps the packed day there (built once; the simulation takes a while).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pickle
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sync_push import _office  # noqa: E402

from sync.central.server import CentralServer, Versions  # noqa: E402
from sync.hub_sync import _pack_batch  # noqa: E402
from sync.outbox import pending_entries  # noqa: E402
from sync.wire import (  # noqa: E402
    MAX_BATCH_ENTRIES,
    OFFICE_HEADER,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    unpack_checked,
)
from tests.pg import ThrowawayCluster  # noqa: E402


def build_bodies(tickets: int) -> tuple[str, str, list[tuple[int, bytes]]]:
    """(office code, hub office id, [(entries, body)]) of a simulated day's outbox."""
    with tempfile.TemporaryDirectory(prefix="cac-bench-pushcpu-") as tmp:
        hub = _office(Path(tmp), tickets)
        try:
            entries = pending_entries(hub.store)
            head = json.dumps({"office": hub.office.office_code,
                               "hub_office_id": hub.office.office_id})
            bodies = [(len(batch), _pack_batch(head, batch)) for batch in
                      (entries[i:i + MAX_BATCH_ENTRIES]
                       for i in range(0, len(entries), MAX_BATCH_ENTRIES))]
            return hub.office.office_code, hub.office.office_id, bodies
        finally:
            hub.close()


def run_direct(central: CentralServer, token: str, code: str,
               bodies: list[tuple[int, bytes]]) -> Callable[[], None]:
    """What a push's thread does with each body."""
    identity = central.authenticate(token)
    versions = Versions(app=None, protocol=PROTOCOL_VERSION, schema=None, office=code)

    def send() -> None:
        for _, body in bodies:
            document, clean = unpack_checked(body)
            _check(central.push(identity, versions, document, clean))

    return send


def run_asgi(central: CentralServer, token: str, code: str,
             bodies: list[tuple[int, bytes]]) -> Callable[[], None]:
    """The bodies through central's app (made beforehand: its models take a while)."""
    import httpx

    from sync.central.app import create_central_app

    app = create_central_app(central)
    headers = {"Authorization": f"Bearer {token}", "Content-Encoding": "gzip",
               "Content-Type": "application/json", OFFICE_HEADER: code,
               PROTOCOL_HEADER: str(PROTOCOL_VERSION)}

    async def send() -> None:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://central") as client:
            for _, body in bodies:
                response = await client.post("/api/v1/sync/push", content=body,
                                             headers=headers)
                response.raise_for_status()
                _check(response.json())

    return lambda: asyncio.run(send())


def run_http(url: str, token: str, code: str, bodies: list[tuple[int, bytes]],
             log_path: Path, spy: Path | None = None) -> float:
    """The bodies to `cac central` in a process of its own, over loopback; its CPU seconds
    (user + system, from /proc) while it handled them."""
    import os
    import subprocess

    import httpx
    from servers import cac_server, free_port

    port = free_port()
    headers = {"Authorization": f"Bearer {token}", "Content-Encoding": "gzip",
               "Content-Type": "application/json", OFFICE_HEADER: code,
               PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    with cac_server(["central", "--database-url", url], port, log_path) as process:
        def cpu() -> float:
            fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

        recorder = None
        if spy:
            recorder = subprocess.Popen(["py-spy", "record", "-p", str(process.pid), "-o",
                                         str(spy), "-f", "raw", "-r", "250", "--nonblocking"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1)
        before = cpu()
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            for _, body in bodies:
                response = client.post("/api/v1/sync/push", content=body, headers=headers)
                response.raise_for_status()
                _check(response.json())
        spent = cpu() - before
        if recorder:
            recorder.send_signal(2)
            recorder.wait(30)
        return spent


def _check(answer: dict[str, Any]) -> None:
    wrong = [r for r in answer["results"] if r["r"] != "applied"]
    if wrong:
        raise SystemExit(f"not applied: {wrong[:3]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--via", choices=("direct", "asgi", "http"), default="direct")
    parser.add_argument("--spy", type=Path, help="--via http: py-spy's raw samples here")
    parser.add_argument("--bodies", type=Path, help="keep the packed day in this file")
    parser.add_argument("--profile", type=Path, help="cProfile of the last run to this file")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.bodies and args.bodies.exists():
        code, hub_office_id, bodies = pickle.loads(args.bodies.read_bytes())
    else:
        code, hub_office_id, bodies = build_bodies(args.tickets)
        if args.bodies:
            args.bodies.write_bytes(pickle.dumps((code, hub_office_id, bodies)))
    entries = sum(n for n, _ in bodies)
    run = run_direct if args.via == "direct" else run_asgi
    cluster = ThrowawayCluster()
    cluster.start()
    figures: list[dict[str, float]] = []
    try:
        for n in range(args.runs):
            url = cluster.new_database()
            central = CentralServer(url)
            try:
                _, token = central.add_office(code, "CAC Cajamarca")
                if args.via == "http":
                    central.close()
                    wall = time.perf_counter()
                    cpu = run_http(url, token, code, bodies, cluster.root / "central.log",
                                   args.spy)
                    wall = time.perf_counter() - wall
                    figures.append({"cpu_us_per_entry": round(cpu / entries * 1e6, 1),
                                    "wall_us_per_entry": round(wall / entries * 1e6, 1)})
                    print(f"run {n + 1}: {entries:,} entries, central process CPU "
                          f"{figures[-1]['cpu_us_per_entry']:.1f} µs/entry (http)")
                    continue
                last = args.profile and n == args.runs - 1
                profiler = cProfile.Profile(time.process_time) if last else None
                send = run(central, token, code, bodies)
                cpu, wall = time.process_time(), time.perf_counter()
                if profiler:
                    profiler.enable()
                send()
                if profiler:
                    profiler.disable()
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                if profiler:
                    profiler.dump_stats(args.profile)
            finally:
                central.close()
            figures.append({"cpu_us_per_entry": round(cpu / entries * 1e6, 1),
                            "wall_us_per_entry": round(wall / entries * 1e6, 1)})
            print(f"run {n + 1}: {entries:,} entries in {len(bodies)} batches, central CPU "
                  f"{figures[-1]['cpu_us_per_entry']:.1f} µs/entry, wall "
                  f"{figures[-1]['wall_us_per_entry']:.1f} µs/entry ({args.via})")
    finally:
        cluster.stop()
    best = min(f["cpu_us_per_entry"] for f in figures)
    print(f"least central CPU of {len(figures)} runs: {best:.1f} µs/entry ({args.via})")
    if args.json:
        print(json.dumps({"entries": entries, "via": args.via, "runs": figures,
                          "least_cpu_us_per_entry": best}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
