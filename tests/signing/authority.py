"""The signing tests' authority (kiosk/signing/demo.py) and a timestamp authority answering
RFC 3161 requests on loopback (pyHanko's DummyTimeStamper behind a real HTTP server)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import kiosk.signing._pyhanko  # noqa: F401 - pyHanko imported without its import warning
from kiosk.signing.demo import P12_PASSWORD, Authority, make_authority

__all__ = ["P12_PASSWORD", "Authority", "loopback_tsa", "make_authority"]


@contextmanager
def loopback_tsa(authority: Authority) -> Iterator[str]:
    """An RFC 3161 timestamp server on 127.0.0.1 (its URL), for the test's duration."""
    from asn1crypto import tsp  # type: ignore[import-untyped]
    from pyhanko.keys.internal import (
        translate_pyca_cryptography_cert_to_asn1,
        translate_pyca_cryptography_key_to_asn1,
    )
    from pyhanko.sign.timestamps import DummyTimeStamper

    stamper = DummyTimeStamper(
        tsa_cert=translate_pyca_cryptography_cert_to_asn1(authority.tsa),
        tsa_key=translate_pyca_cryptography_key_to_asn1(authority.tsa_key),
        certs_to_embed=[translate_pyca_cryptography_cert_to_asn1(  # type: ignore[arg-type]
            authority.root)])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = tsp.TimeStampReq.load(self.rfile.read(
                int(self.headers["Content-Length"])))
            answer = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
