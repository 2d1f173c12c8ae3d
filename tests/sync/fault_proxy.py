"""An HTTP proxy on loopback that breaks the link between a hub and central on purpose.

Each request, by a seeded coin: passes; is dropped before central sees it; reaches central but
its answer is lost (the nastiest case: central applied, the hub does not know); is delayed;
gets its answer cut in the middle; is sent to central twice; or is answered 502/503 by the
"proxy". Every fault ends by itself (no black holes that need the client's timeout).
"""

from __future__ import annotations

import random
import socket
import socketserver
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

FAULTS = ("pass", "drop", "lost_answer", "delay", "truncate", "duplicate", "error")


@dataclass
class FaultPlan:
    seed: int
    fault_rate: float = 0.4  # share of requests that get a fault
    counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()

    def choose(self) -> tuple[str, float]:
        with self._lock:
            fault = "pass"
            if self._rng.random() < self.fault_rate:
                fault = self._rng.choice(FAULTS[1:])
            self.counts[fault] += 1
            return fault, self._rng.random()


def _read_request(conn: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    lines = [line for line in head.split(b"\r\n")
             if not line.lower().startswith(b"connection:")]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body


def _forward(upstream: tuple[str, int], request: bytes) -> bytes:
    with socket.create_connection(upstream, timeout=30) as up:
        up.sendall(request)
        response = b""
        while chunk := up.recv(65536):
            response += chunk
    return response


class FaultProxy:
    def __init__(self, upstream_url: str, plan: FaultPlan) -> None:
        host, port = upstream_url.removeprefix("http://").split(":")
        upstream = (host, int(port))
        self.plan = plan

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                conn: socket.socket = self.request
                request = _read_request(conn)
                if request is None:
                    return
                fault, share = plan.choose()
                if fault == "drop":
                    return  # closed: the hub sees a reset or an empty answer
                if fault == "error":
                    status = b"502 Bad Gateway" if share < 0.5 else b"503 Service Unavailable"
                    conn.sendall(b"HTTP/1.1 " + status + b"\r\nContent-Length: 0\r\n"
                                 b"Connection: close\r\n\r\n")
                    return
                if fault == "delay":
                    time.sleep(0.05 + share * 0.15)  # a slow link, not a stopped one
                response = _forward(upstream, request)
                if fault == "duplicate":
                    response = _forward(upstream, request)
                if fault == "lost_answer":
                    return
                if fault == "truncate":
                    response = response[: max(1, int(len(response) * share * 0.9))]
                conn.sendall(response)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
