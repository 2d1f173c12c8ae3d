"""Idle and slow clients cannot stop the hub's tickets (issue 14: 1,100 idle connections made a
kiosk's ticket time out). A real uvicorn server on loopback; every wait is bounded by a socket
timeout, none is a sleep."""

from __future__ import annotations

import contextlib
import resource
import socket
from collections.abc import Iterator

import pytest
import requests

from kiosk.api.app import hub_server
from kiosk.hub import OfficeHub
from tests.conftest import RunningHub, start_uvicorn, stop_server


@contextlib.contextmanager
def bounded_hub(hub: OfficeHub, **bounds: float) -> Iterator[RunningHub]:
    running = start_uvicorn(hub_server(hub, lifespan="off", timeout_graceful_shutdown=2,
                                       **bounds))
    try:
        yield running
    finally:
        stop_server(running)


def _port(running: RunningHub) -> int:
    return int(running.url.rsplit(":", 1)[1])


def _closed_by_server(sock: socket.socket, within_s: float) -> bool:
    """True when the server closes the socket before `within_s` passes (EOF or a reset)."""
    sock.settimeout(within_s)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def _whole_response(sock: socket.socket) -> bytes:
    """One response read to its last byte: it may come in more than one segment, and a byte
    left unread would look like an answer where the test waits for the server to close."""
    data = b""
    while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
        chunk = sock.recv(65536)
        assert chunk, f"closed before the whole response: {data!r}"
        data += chunk
    return data


def _length(data: bytes) -> int:
    head = data.split(b"\r\n\r\n", 1)[0]
    return next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:"))


def test_more_idle_connections_than_the_bound_still_get_a_ticket(
        hub: OfficeHub, tokens: dict[str, str]) -> None:
    bound = 16
    with bounded_hub(hub, max_connections=bound, head_timeout_s=60) as running:
        idle = [socket.create_connection(("127.0.0.1", _port(running)), timeout=5)
                for _ in range(bound * 3)]
        try:
            # A half-sent request head holds its socket like an idle one.
            idle[0].sendall(b"POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\n")
            answer = requests.post(f"{running.url}/api/v1/tickets", json={"service": "caja"},
                                   headers={"Authorization": f"Bearer {tokens['kiosk']}"},
                                   timeout=10)
            assert answer.status_code == 201, answer.text
            assert answer.json()["number"].startswith("C-")
            # The oldest idle sockets were the ones dropped to make room.
            assert _closed_by_server(idle[0], within_s=5)
            assert len(running.server.server_state.connections) <= bound
        finally:
            for sock in idle:
                sock.close()


def test_a_connection_that_never_completes_its_head_is_closed(hub: OfficeHub) -> None:
    with bounded_hub(hub, head_timeout_s=0.3) as running:
        with socket.create_connection(("127.0.0.1", _port(running)), timeout=5) as silent, \
                socket.create_connection(("127.0.0.1", _port(running)), timeout=5) as loris:
            loris.sendall(b"GET /api/v1/health HTTP/1.1\r\n")  # and never the rest
            assert _closed_by_server(silent, within_s=10)
            assert _closed_by_server(loris, within_s=10)
        # A connection that completes its head in time is served as ever.
        assert requests.get(f"{running.url}/api/v1/health", timeout=10).status_code == 200


def test_a_kept_alive_connection_is_timed_again_after_each_answer(hub: OfficeHub) -> None:
    with bounded_hub(hub, head_timeout_s=0.3) as running, \
            socket.create_connection(("127.0.0.1", _port(running)), timeout=10) as sock:
        sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert _whole_response(sock).startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /api/v1/health HTTP/1.1\r\n")  # resets uvicorn's keep-alive timer
        assert _closed_by_server(sock, within_s=10)


def test_the_server_raises_the_open_file_limit_to_the_hard_limit(hub: OfficeHub) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard <= 256:
        pytest.skip("no finite hard limit above 256 to raise to")
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
    try:
        hub_server(hub, lifespan="off")
        assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] == hard
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_the_hub_runs_on_asyncio_s_own_loop_wherever_uvloop_is_installed(hub: OfficeHub) -> None:
    # Central may take uvloop (sync/central/app.py); an office's hub runs on Windows, where
    # there is none, so it is tested on the loop it runs on.
    pytest.importorskip("uvloop")
    with bounded_hub(hub) as running:
        assert running.server.config.loop == "asyncio"
        assert requests.get(f"http://127.0.0.1:{_port(running)}/api/v1/health",
                            timeout=10).status_code == 200
