"""A hub that writes as fast as it can until it is killed (tests/resilience/test_kill.py).

After each operation has committed it prints one line — `T <ticket number> <id>` or
`E <expediente number> <id>` — so the test knows what must survive a SIGKILL.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from kiosk.config import DataDir
from kiosk.errors import CacError
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.expediente_views import ExpedienteInput, PersonInput


def main() -> None:
    root, seed = Path(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    hub = OfficeHub(DataDir(root))
    if hub.counters(SYSTEM)[0].state == "closed":
        hub.open_counter(SYSTEM, 1)
    out = sys.stdout
    n = 0
    while True:
        n += 1
        roll = rng.random()
        try:
            if roll < 0.6:
                ticket = hub.issue_ticket(SYSTEM, rng.choice(["partidas", "caja", "mesa"]))
                out.write(f"T {ticket.number} {ticket.id}\n")
            elif roll < 0.85:
                called = hub.call_next(SYSTEM, 1)
                if called is not None:
                    hub.start(SYSTEM, called.id)
                    hub.finish(SYSTEM, called.id)
                    out.write(f"F {called.number} {called.id}\n")
            else:
                filed = hub.file_expediente(SYSTEM, ExpedienteInput(
                    procedure="MP-01", pages=1, requirements_presented=[1],
                    person=PersonInput(doc_number=f"{rng.randint(10_000_000, 99_999_999)}",
                                       given_names="Rosa", paternal_surname="Quispe",
                                       maternal_surname="Mamani")))
                out.write(f"E {filed.number} {filed.id}\n")
        except CacError as exc:  # a random DNI with a taken number, say: not the point here
            out.write(f"R {exc.code}\n")
        out.flush()


if __name__ == "__main__":
    main()
