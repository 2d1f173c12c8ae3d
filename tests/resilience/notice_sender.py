"""A hub that sends its notices until none is due, killed mid-flight by
tests/resilience/test_notice_kill.py. Prints `SENT <n>` after each round and `DONE` at the end.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kiosk.config import DataDir
from kiosk.hub import OfficeHub
from kiosk.notice_job import NoticeJob


def main() -> None:
    hub = OfficeHub(DataDir(Path(sys.argv[1])))
    job = NoticeJob(hub)  # the hub service's round, with the office's settings
    while True:
        done = job.run_once()
        print(f"SENT {done.sent}", flush=True)
        if not (done.sent or done.retrying):
            break
    print("DONE", flush=True)
    hub.close()


if __name__ == "__main__":
    main()
