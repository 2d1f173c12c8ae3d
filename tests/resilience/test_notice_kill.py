"""A hub killed (SIGKILL) after the SMS gateway took a notice and before the hub recorded it:
on restart the notice goes again with the same idempotency key (the gateway can drop the
repeat), every other notice goes once, and none is lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.admin_views import OfficeSettingsChange
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import NoticeContactInput, TransitionInput
from kiosk.storage.tables import Notice
from tests.integration.test_expedientes import edificacion

ROOT = Path(__file__).resolve().parents[2]
SENDER = Path(__file__).with_name("notice_sender.py")
NOTICES = 5
HELD = 3  # the gateway holds its answer to this request until the hub is killed

pytestmark = pytest.mark.system


def test_a_kill_between_send_and_record_loses_nothing(hub: OfficeHub, clerk: DeviceIdentity
                                                       ) -> None:
    keys: list[str] = []
    held, killed = threading.Event(), threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            keys.append(self.headers["Idempotency-Key"])
            if len(keys) == HELD:
                held.set()
                killed.wait(timeout=30)
            try:
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:
                pass  # the hub is gone

        def log_message(self, format: str, *args: object) -> None:
            pass

    gateway = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    serving = threading.Thread(target=gateway.serve_forever, daemon=True)
    serving.start()
    try:
        for n in range(NOTICES):
            filed = hub.file_expediente(clerk, edificacion().model_copy(update={
                "contact": NoticeContactInput(mobile=f"98765432{n}", consent=True)}))
            hub.transition(clerk, filed.number, TransitionInput(action="observe",
                                                                note="Falta firma"))
        hub.change_office_settings(SYSTEM, OfficeSettingsChange(
            notice_sms_url=f"http://127.0.0.1:{gateway.server_address[1]}/sms",
            notice_sms_key="clave"))
        root = hub.data_dir.root
        hub.close()

        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        first = subprocess.Popen([sys.executable, str(SENDER), str(root)], cwd=ROOT, env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert held.wait(timeout=60), "the gateway never got the held notice"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        killed.set()
        assert first.returncode == -signal.SIGKILL

        second = subprocess.run([sys.executable, str(SENDER), str(root)], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=120, check=False)
        assert second.returncode == 0, second.stderr
        assert second.stdout.splitlines()[-1] == "DONE"
    finally:
        gateway.shutdown()
        gateway.server_close()
        serving.join(timeout=10)

    # Every notice reached the gateway; only the one in flight at the kill went twice, with
    # the same key both times.
    assert len(set(keys)) == NOTICES
    repeated = [key for key in set(keys) if keys.count(key) > 1]
    assert repeated == [keys[HELD - 1]] and keys.count(repeated[0]) == 2
    again = OfficeHub(hub.data_dir, hub.clock)
    try:
        with again.store.read_session() as session:
            states = [n.state for n in session.scalars(select(Notice))]
        assert states == ["sent"] * NOTICES
    finally:
        again.close()
