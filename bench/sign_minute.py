"""«En el minuto» benchmark (issue 18): from the payment to the signed copia certificada ready
for the printer, the system's part.

What is measured, per copy, on a real office store (the demo office, in this process: `cac app`,
the one-PC office; `--http` puts the hub's API on loopback between, as a counter PC has it):

1. pay: the clerk takes the cash payment of a partida whose acta is linked (approved at once);
2. fetch: the counter reads the expediente back (its view, as the window does);
3. render: the counter makes the A4 copy (printing.pdf.partida_pdf: fpdf2, fonts embedded, QR);
4. sign: the hub signs it as PAdES with the municipality's certificate (pyHanko, RSA 2048,
   SHA-256), records the signature's event, and the counter has the signed bytes;
5. save: the signed PDF written to the counter's folder, where the print job takes it.

The registrar unlocked the certificate once before (their session's first step; `cac hub`
imports pyHanko then, about a second on a cold start, not per copy). No timestamp server (an
office offline; with one, add its round trip). The certificate is a throwaway CA's
(kiosk/signing/demo.py).

Wanted (issue 18, informative PASS/MISS): the total's median within 1 s on the 2-core machine.

Run from the repository root:  .venv/bin/python bench/sign_minute.py [--quick] [--http] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.conftest: the test server on loopback, for --http

from kiosk.client import HubClient, InProcessHubClient  # noqa: E402
from kiosk.clock import SystemClock  # noqa: E402
from kiosk.config import DataDir  # noqa: E402
from kiosk.hub import SYSTEM, OfficeHub  # noqa: E402
from kiosk.services.admin_views import OfficeSettingsChange  # noqa: E402
from kiosk.services.expediente_views import (  # noqa: E402
    ActaInput,
    ExpedienteInput,
    PartidaDetails,
    PaymentInput,
    PersonInput,
)
from kiosk.services.signing_views import (  # noqa: E402
    CertificateImport,
    SigningUnlock,
    SignRequest,
)
from kiosk.signing.demo import P12_PASSWORD, make_authority  # noqa: E402
from printing.pdf import partida_pdf  # noqa: E402

TARGET_S = 1.0
REPS, QUICK_REPS = 30, 5
STAGES = ("pay", "fetch", "render", "sign", "save", "total")


def prepared_office(folder: Path) -> tuple[OfficeHub, str]:
    """The demo office with the certificate imported and «ana» named to sign; a counter
    device's token."""
    from datetime import UTC, datetime

    hub = OfficeHub.initialise(DataDir(folder / "office"), "CAJ", "CAC Cajamarca", demo=True,
                               clock=SystemClock())
    authority = make_authority(datetime.now(UTC))
    hub.import_signing_certificate(SYSTEM, CertificateImport(content=authority.p12,
                                                             password=P12_PASSWORD))
    hub.change_office_settings(SYSTEM, OfficeSettingsChange(signing_users="ana"))
    _, token = hub.add_device(SYSTEM, "Ventanilla 3", "counter")
    return hub, token


def one_copy(hub: OfficeHub, counter: HubClient, n: int, out: Path) -> dict[str, float]:
    from datetime import date

    acta = hub.add_acta(SYSTEM, ActaInput(
        kind="nacimiento", acta_number=f"{5000 + n}", book="12", folio=f"{n + 1}",
        event_date=date(1990, 5, 14), registered_on=date(1990, 5, 24), place="Cajamarca",
        titular_given="Juan Carlos", titular_paternal="Quispe", titular_maternal="Mamani",
        father_name="Pedro Quispe Rojas", mother_name="Rosa Mamani Cruz"))
    filed = counter.file_expediente(ExpedienteInput(
        procedure="RC-01", requirements_presented=[1, 2], pages=1,
        person=PersonInput(doc_number="10117410", given_names="Juan Carlos",
                           paternal_surname="Quispe", maternal_surname="Mamani"),
        details=PartidaDetails(acta_id=acta.id, copies=1)))
    times: dict[str, float] = {}
    start = mark = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        times[stage] = now - mark
        mark = now

    counter.pay(filed.number, PaymentInput(amount=filed.fee, cash_received=Decimal("20")))
    lap("pay")
    expediente = counter.expediente(filed.number)
    lap("fetch")
    pdf = partida_pdf(expediente, "CAC Cajamarca",
                      "https://tramites.cajamarca.gob.pe/t/" + expediente.tracking_code,
                      hub.clock.now(), municipality="Municipalidad Provincial de Cajamarca",
                      signed_by="Ana Torres Chávez")
    lap("render")
    signed = counter.sign_document(filed.number, SignRequest(kind="copia", content=pdf))
    lap("sign")
    path = out / f"copia-{n}.pdf"
    path.write_bytes(signed.content)
    lap("save")
    times["total"] = time.perf_counter() - start
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_REPS} copies")
    parser.add_argument("--reps", type=int, default=None)
    parser.add_argument("--http", action="store_true", help="the hub's API on loopback between")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    reps = args.reps or (QUICK_REPS if args.quick else REPS)
    with tempfile.TemporaryDirectory(prefix="cac-bench-sign-") as tmp:
        folder = Path(tmp)
        hub, token = prepared_office(folder)
        running = None
        try:
            counter: HubClient
            if args.http:
                from kiosk.client.http import HttpHubClient
                from tests.conftest import start_server

                running = start_server(hub)
                counter = HttpHubClient(running.url, token)
            else:
                counter = InProcessHubClient(hub, token)
            counter.login("ana", "2468", counter=3)
            unlock_start = time.perf_counter()
            counter.unlock_signing(SigningUnlock(password=P12_PASSWORD))
            unlock_s = time.perf_counter() - unlock_start
            (folder / "out").mkdir()
            one_copy(hub, counter, -1, folder / "out")  # warm-up: first-call costs
            samples = [one_copy(hub, counter, n, folder / "out") for n in range(reps)]
        finally:
            if running is not None:
                from tests.conftest import stop_server

                stop_server(running)
            hub.close()
    medians = {s: statistics.median(x[s] for x in samples) for s in STAGES}
    worst = {s: max(x[s] for x in samples) for s in STAGES}
    summary = {
        "reps": reps, "transport": "http" if args.http else "in-process",
        "cpus": os.cpu_count(), "python": platform.python_version(),
        "unlock_s": round(unlock_s, 3),
        **{f"{s}_median_ms": round(medians[s] * 1000, 1) for s in STAGES},
        "total_max_ms": round(worst["total"] * 1000, 1),
        "target_s": TARGET_S, "verdict": "PASS" if medians["total"] <= TARGET_S else "MISS",
    }
    if args.json:
        print(json.dumps(summary))
        return 0
    print(f"Payment → signed copia certificada ready ({summary['transport']}, {reps} copies, "
          f"{summary['cpus']} CPUs)")
    print(f"  unlock (once per session): {unlock_s * 1000:.0f} ms")
    for stage in STAGES:
        print(f"  {stage:<6} median {medians[stage] * 1000:7.1f} ms   max "
              f"{worst[stage] * 1000:7.1f} ms")
    print(f"  target: total ≤ {TARGET_S:.0f} s → {summary['verdict']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
