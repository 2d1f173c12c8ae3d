"""Printer backends: real sockets on loopback, files, a fake `lp`, and the config factory."""

from __future__ import annotations

import os
import socket
import stat
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from escpos.exceptions import DeviceNotFoundError

from kiosk.config import OfficeConfig
from printing import backends
from printing.backends import (
    CupsBackend,
    DummyBackend,
    FileBackend,
    NetworkBackend,
    SerialBackend,
    UsbBackend,
    Win32Backend,
    backend_from_config,
)
from printing.errors import PrinterError
from printing.escpos_render import render_bytes
from printing.layout import ticket_layout
from tests.printing.conftest import TICKET

CONFIG = OfficeConfig(office_code="CAJ", office_name="CAC Cajamarca")
TIMEOUT = 5.0  # generous bound for the loopback tests; none of them waits for it to pass


@dataclass
class Receiver:
    """A one-connection TCP printer on 127.0.0.1 that stores what it reads until EOF."""

    port: int
    thread: threading.Thread
    data: bytearray = field(default_factory=bytearray)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(TIMEOUT)
    received = bytearray()

    def serve() -> None:
        try:
            conn, _ = server.accept()
        except TimeoutError:
            return
        with conn:
            conn.settimeout(TIMEOUT)
            while chunk := conn.recv(65536):
                received.extend(chunk)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    running = Receiver(server.getsockname()[1], thread, received)
    yield running
    thread.join(TIMEOUT)
    server.close()
    assert not thread.is_alive()


def test_network_printer_receives_exactly_the_rendered_bytes(receiver: Receiver) -> None:
    data = render_bytes(ticket_layout(TICKET), 80)
    NetworkBackend("127.0.0.1", receiver.port, timeout_s=TIMEOUT).send(data, "job-1")
    receiver.thread.join(TIMEOUT)
    assert bytes(receiver.data) == data


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the block ends: nobody listens


def test_network_printer_switched_off_is_offline() -> None:
    with pytest.raises(PrinterError) as caught:
        NetworkBackend("127.0.0.1", closed_port(), timeout_s=TIMEOUT).send(b"\x1b@")
    assert caught.value.code == "offline"
    assert caught.value.message.startswith("La impresora no responde (sin conexión).")


def test_unknown_host_is_offline_with_a_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_name(*args: object, **kwargs: object) -> socket.socket:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    # A real lookup could wait for an unreachable DNS server: the resolver's answer is faked.
    monkeypatch.setattr(socket, "create_connection", no_such_name)
    with pytest.raises(PrinterError) as caught:
        NetworkBackend("impresora-que-no-existe", 9100, timeout_s=TIMEOUT).send(b"x")
    assert caught.value.code == "offline" and "Revise la dirección" in caught.value.message


def _socket_buffer_limit() -> int | None:
    """Most bytes the kernel may buffer between a sender and a peer that never reads."""
    try:
        rmem = int(Path("/proc/sys/net/ipv4/tcp_rmem").read_text().split()[2])
        wmem = int(Path("/proc/sys/net/ipv4/tcp_wmem").read_text().split()[2])
    except (OSError, ValueError, IndexError):
        return None
    return rmem + wmem


@pytest.mark.skipif(sys.platform != "linux", reason="needs Linux's socket buffer limits")
def test_printer_that_stops_reading_times_out() -> None:
    """A peer that accepts and never reads: once the buffers are full, sendall must give up."""
    limit = _socket_buffer_limit()
    if limit is None or limit > 64 * 2**20:
        pytest.skip("socket buffers too large to fill deterministically")
    server = socket.create_server(("127.0.0.1", 0))
    server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # inherited by the connection
    done = threading.Event()
    accepted: list[socket.socket] = []

    def hold() -> None:
        server.settimeout(TIMEOUT)
        try:
            accepted.append(server.accept()[0])
        except TimeoutError:
            return
        done.wait(TIMEOUT)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    try:
        with pytest.raises(PrinterError) as caught:
            NetworkBackend("127.0.0.1", server.getsockname()[1], timeout_s=0.3).send(
                b"\0" * (limit + 2**20))
        assert caught.value.code == "timeout"
        assert caught.value.message.startswith("Tiempo de espera agotado al imprimir.")
    finally:
        done.set()
        thread.join(TIMEOUT)
        for conn in accepted:
            conn.close()
        server.close()


def test_file_backend_writes_one_file_per_job(tmp_path: Path) -> None:
    backend = FileBackend(tmp_path / "spool")
    backend.send(b"\x1b@uno", "job-1")
    backend.send(b"\x1b@dos", "job-2")
    assert (tmp_path / "spool" / "job-1.bin").read_bytes() == b"\x1b@uno"
    assert sorted(p.name for p in (tmp_path / "spool").iterdir()) == ["job-1.bin", "job-2.bin"]


def test_file_backend_failure_is_spanish(tmp_path: Path) -> None:
    blocker = tmp_path / "no-es-carpeta"
    blocker.write_text("x")
    with pytest.raises(PrinterError) as caught:
        FileBackend(blocker).send(b"x", "job")
    assert caught.value.code == "file_error"
    assert caught.value.message.startswith("No se pudo guardar la impresión")


@pytest.mark.parametrize(("fail", "message"), [
    ("offline", "La impresora no responde (sin conexión)."),
    ("no_paper", "La impresora no tiene papel."),
    ("timeout", "Tiempo de espera agotado al imprimir."),
    ("cover_open", "La tapa de la impresora está abierta."),
])
def test_dummy_failure_modes(fail: str, message: str) -> None:
    backend = DummyBackend(fail=fail)
    with pytest.raises(PrinterError) as caught:
        backend.send(b"x")
    assert (caught.value.code, caught.value.message) == (fail, message)
    assert backend.sent == []
    backend.fail = None
    backend.send(b"x")
    assert backend.sent == [b"x"]


# --- cups, with a fake `lp` on PATH ---------------------------------------------------------


def fake_lp(folder: Path, body: str) -> None:
    script = folder / "lp"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for lp")
def test_cups_backend_pipes_raw_bytes_to_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    fake_lp(tmp_path, f'echo "$@" > "{tmp_path}/args"\ncat > "{tmp_path}/job.bin"')
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    data = render_bytes(ticket_layout(TICKET), 58)
    CupsBackend("TM-T20II", timeout_s=TIMEOUT).send(data, "job-9")
    assert (tmp_path / "job.bin").read_bytes() == data
    assert (tmp_path / "args").read_text().split() == [
        "-d", "TM-T20II", "-o", "raw", "-t", "CAC", "job-9"]


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for lp")
def test_cups_refusal_and_missing_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_lp(tmp_path, 'cat > /dev/null\necho "lp: The printer or class does not exist." >&2\n'
                      "exit 1")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PrinterError) as caught:
        CupsBackend("NoExiste", timeout_s=TIMEOUT).send(b"x")
    assert caught.value.code == "cups_failed"
    assert "CUPS no aceptó el trabajo para «NoExiste»" in caught.value.message
    monkeypatch.setenv("PATH", str(tmp_path / "vacío"))
    with pytest.raises(PrinterError) as caught:
        CupsBackend("TM", timeout_s=TIMEOUT).send(b"x")
    assert caught.value.code == "unavailable"


# --- usb and serial through python-escpos, with stand-in driver classes ---------------------


class FakeDevice:
    usable = True
    fail_open: Exception | None = None
    fail_write: Exception | None = None
    written: list[bytes] = []  # noqa: RUF012 - shared on purpose: the test reads it back

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.device = self
        self.closed = False

    @classmethod
    def is_usable(cls) -> bool:
        return cls.usable

    def open(self, **kwargs: Any) -> None:
        if self.fail_open is not None:
            raise self.fail_open

    def _raw(self, data: bytes) -> None:
        if self.fail_write is not None:
            raise self.fail_write
        self.written.append(data)

    def close(self) -> None:
        self.closed = True


class USBTimeoutError(Exception):
    """Named like pyusb's, which the backend must recognise without importing pyusb."""


@pytest.fixture
def fake_driver(monkeypatch: pytest.MonkeyPatch) -> type[FakeDevice]:
    class Driver(FakeDevice):
        written: list[bytes] = []  # noqa: RUF012

    monkeypatch.setattr(backends, "_escpos_class", lambda name: Driver)
    return Driver


def test_usb_backend_sends_and_reports_faults(fake_driver: type[FakeDevice]) -> None:
    usb = UsbBackend(0x04B8, 0x0202, timeout_s=1)
    usb.send(b"\x1b@hola")
    assert fake_driver.written == [b"\x1b@hola"]
    fake_driver.fail_open = DeviceNotFoundError("not found")
    with pytest.raises(PrinterError) as caught:
        usb.send(b"x")
    assert caught.value.code == "usb_not_found"
    assert caught.value.message.startswith("Impresora USB no encontrada (04b8:0202).")
    fake_driver.fail_open = None
    fake_driver.fail_write = USBTimeoutError("timed out")
    with pytest.raises(PrinterError) as caught:
        usb.send(b"x")
    assert caught.value.code == "timeout"
    fake_driver.fail_write = OSError("Input/output error")
    with pytest.raises(PrinterError) as caught:
        usb.send(b"x")
    assert caught.value.code == "offline"
    fake_driver.usable = False
    with pytest.raises(PrinterError) as caught:
        usb.send(b"x")
    assert caught.value.code == "unavailable" and "pyusb" in caught.value.message


def test_serial_backend_bounds_writes(fake_driver: type[FakeDevice]) -> None:
    SerialBackend("/dev/ttyUSB0", 9600, timeout_s=2.5).send(b"\x1b@")
    assert fake_driver.written == [b"\x1b@"]
    fake_driver.fail_open = DeviceNotFoundError("busy")
    with pytest.raises(PrinterError) as caught:
        SerialBackend("COM3", 9600).send(b"x")
    assert caught.value.code == "device_not_found" and "COM3" in caught.value.message


def test_real_drivers_missing_give_a_clear_error() -> None:
    from escpos.printer import Usb

    if Usb.is_usable():
        pytest.skip("pyusb is installed here")
    with pytest.raises(PrinterError) as caught:
        UsbBackend(0x04B8, 0x0202).send(b"x")
    assert caught.value.code == "unavailable"
    assert "falta instalar el componente «pyusb»" in caught.value.message


# --- the Windows spooler, through python-escpos' Win32Raw with a stand-in win32print ---------


class FakePywintypes:
    class error(Exception):
        """pywintypes.error(winerror, funcname, strerror)."""


class FakeWin32Print:
    """The calls python-escpos makes to pywin32's win32print (its names), on a printer list."""

    PRINTER_ENUM_NAME = 8

    def __init__(self, printers: list[str]) -> None:
        self.printers = printers
        self.calls: list[tuple[Any, ...]] = []
        self.written = bytearray()
        self.fail_write: Exception | None = None

    def GetDefaultPrinter(self) -> str:
        return self.printers[0]

    def EnumPrinters(self, flags: int, name: str, level: int) -> list[dict[str, str]]:
        return [{"pPrinterName": printer} for printer in self.printers]

    def OpenPrinter(self, name: str) -> str:
        self.calls.append(("OpenPrinter", name))
        return f"handle:{name}"

    def StartDocPrinter(self, handle: str, level: int, info: tuple[str, str, str]) -> int:
        self.calls.append(("StartDocPrinter", handle, level, info))
        return 1

    def StartPagePrinter(self, handle: str) -> None:
        self.calls.append(("StartPagePrinter", handle))

    def WritePrinter(self, handle: str, data: bytes) -> int:
        self.calls.append(("WritePrinter", handle))
        if self.fail_write is not None:
            raise self.fail_write
        self.written.extend(data)
        return len(data)

    def EndPagePrinter(self, handle: str) -> None:
        self.calls.append(("EndPagePrinter", handle))

    def EndDocPrinter(self, handle: str) -> None:
        self.calls.append(("EndDocPrinter", handle))

    def ClosePrinter(self, handle: str) -> None:
        self.calls.append(("ClosePrinter", handle))


@pytest.fixture
def win32print(monkeypatch: pytest.MonkeyPatch) -> FakeWin32Print:
    """python-escpos imports win32print and pywintypes when loaded: they are replaced there."""
    from escpos.printer import win32raw

    fake = FakeWin32Print(["EPSON TM-T20II", "Microsoft Print to PDF"])
    monkeypatch.setattr(win32raw, "win32print", fake, raising=False)
    monkeypatch.setattr(win32raw, "pywintypes", FakePywintypes, raising=False)
    monkeypatch.setattr(win32raw, "_DEP_WIN32PRINT", True)
    return fake


def test_win32_backend_spools_exactly_the_rendered_bytes_as_raw(
        win32print: FakeWin32Print) -> None:
    data = render_bytes(ticket_layout(TICKET), 80)
    Win32Backend("EPSON TM-T20II").send(data, "job-7")
    assert bytes(win32print.written) == data
    handle = "handle:EPSON TM-T20II"
    assert win32print.calls == [
        ("OpenPrinter", "EPSON TM-T20II"),
        ("StartDocPrinter", handle, 1, ("CAC job-7", "", "RAW")),  # RAW: the driver adds nothing
        ("StartPagePrinter", handle),
        ("WritePrinter", handle),  # the whole job in one write
        ("EndPagePrinter", handle),
        ("EndDocPrinter", handle),
        ("ClosePrinter", handle),
    ]


def test_win32_backend_failures_are_spanish(win32print: FakeWin32Print) -> None:
    with pytest.raises(PrinterError) as caught:
        Win32Backend("EPSON TM-T88").send(b"\x1b@")
    assert caught.value.code == "device_not_found"
    assert caught.value.message == (
        "Windows no tiene una impresora llamada «EPSON TM-T88». Revise el nombre en "
        "Configuración > Impresoras.")
    assert win32print.calls == []  # never opened

    win32print.fail_write = FakePywintypes.error(1722, "WritePrinter",
                                                 "The RPC server is unavailable.")
    with pytest.raises(PrinterError) as caught:
        Win32Backend("EPSON TM-T20II").send(b"\x1b@")
    assert caught.value.code == "offline"
    assert caught.value.message.startswith("La impresora no responde (sin conexión).")
    assert isinstance(caught.value.__cause__, FakePywintypes.error)
    assert win32print.calls[-1] == ("ClosePrinter", "handle:EPSON TM-T20II")  # not left open


def test_win32_backend_without_pywin32(monkeypatch: pytest.MonkeyPatch) -> None:
    from escpos.printer import win32raw

    monkeypatch.setattr(win32raw, "_DEP_WIN32PRINT", False)
    with pytest.raises(PrinterError) as caught:
        Win32Backend("EPSON TM-T20II").send(b"x")
    assert caught.value.code == "unavailable" and "«pywin32»" in caught.value.message


# --- the factory ---------------------------------------------------------------------------


def configured(backend: str, target: str) -> Any:
    return backend_from_config(replace(CONFIG, printer_backend=backend, printer_target=target),
                               Path("/datos/oficina"))


def test_factory_builds_each_backend() -> None:
    assert isinstance(configured("dummy", ""), DummyBackend)
    file_backend = configured("file", "impresiones")
    assert file_backend.folder == Path("/datos/oficina/impresiones")
    assert configured("file", "/var/spool/cac").folder == Path("/var/spool/cac")
    net = configured("network", "192.168.1.50")
    assert (net.host, net.port, net.timeout_s) == ("192.168.1.50", 9100, 5.0)
    assert (configured("network", "impresora.local:9101").port) == 9101
    assert configured("network", "[fe80::1]:9100").host == "fe80::1"
    usb = configured("usb", "0x04b8:0x0202")
    assert (usb.vendor, usb.product) == (0x04B8, 0x0202)
    assert (configured("usb", "04B8:202").product) == 0x0202
    assert (configured("serial", "/dev/ttyUSB0:19200").baudrate) == 19200
    serial = configured("serial", "COM3")
    assert (serial.port, serial.baudrate) == ("COM3", 9600)
    assert configured("cups", "TM-T20II").name == "TM-T20II"


@pytest.mark.parametrize(("backend", "target", "message"), [
    ("network", "abc:xyz", "La dirección de la impresora de red «abc:xyz» no es válida"),
    ("network", "192.168.1.50:99999", "Use IP:puerto, por ejemplo 192.168.1.50:9100"),
    ("network", "", "no es válida"),
    ("usb", "04b8", "La impresora USB «04b8» no es válida"),
    ("usb", "0xZZZZ:0x0202", "fabricante:producto en hexadecimal"),
    ("serial", "/dev/ttyUSB0:1234", "El puerto serie «/dev/ttyUSB0:1234» no es válido"),
    ("serial", ":9600", "no es válido"),
    ("cups", "Mi impresora", "sin espacios"),
    ("cups", "", "Indique el nombre de la impresora CUPS"),
    ("file", "", "Indique la carpeta"),
])
def test_factory_refuses_bad_targets_in_spanish(backend: str, target: str, message: str) -> None:
    with pytest.raises(PrinterError) as caught:
        configured(backend, target)
    assert caught.value.code == "bad_target"
    assert message in caught.value.message


@pytest.mark.skipif(sys.platform == "win32", reason="checks the message given elsewhere")
def test_win32_printer_outside_windows() -> None:
    with pytest.raises(PrinterError) as caught:
        configured("win32", "EPSON TM-T20II")
    assert "solo se pueden usar en Windows" in caught.value.message
