"""Helpers for tests of the hub's HTTPS with its own office CA (kiosk/tls.py).

OpenSSL checks a certificate's dates against the real time, never a test's clock: offices whose
certificates a client verifies start at `TODAY` (midnight in Lima, read once), so a certificate
made at their start is valid whenever the tests run. Nothing else reads the wall clock.
"""

from __future__ import annotations

import socket
import ssl
from datetime import datetime, time
from pathlib import Path

from cryptography import x509

from kiosk.api.app import hub_server
from kiosk.hub import OfficeHub
from tests.conftest import LIMA, RunningHub, start_uvicorn

TODAY = datetime.combine(datetime.now(LIMA).date(), time(0), tzinfo=LIMA)


def serve_lan(hub: OfficeHub, **options: bool) -> RunningHub:
    """The hub as `cac hub --host 0.0.0.0` sets it up (HTTPS with the office CA, or plain HTTP
    with `insecure_http=True`), on a loopback socket: what it decides is what it serves."""
    running = start_uvicorn(hub_server(hub, host="0.0.0.0", lifespan="off",
                                       timeout_graceful_shutdown=2, **options))
    if not options.get("insecure_http"):
        running.url = running.url.replace("http://", "https://")
    return running


def served_certificate(url: str, ca_file: Path) -> x509.Certificate:
    """The certificate a new connection to the hub at `url` gets, verified with `ca_file`."""
    host, port = url.removeprefix("https://").rsplit(":", 1)
    context = ssl.create_default_context(cafile=str(ca_file))
    with socket.create_connection((host, int(port)), timeout=10) as raw, \
            context.wrap_socket(raw, server_hostname=host) as tls:
        der = tls.getpeercert(binary_form=True)
    assert der is not None
    return x509.load_der_x509_certificate(der)
