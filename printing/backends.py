"""Where the bytes go: one backend per printer connection, chosen by the office config.

`printer_target` forms, by `printer_backend`:

    dummy    (ignored)            bytes kept in memory; can simulate failures (tests, demos)
    file     impresiones          a folder (relative to the data dir): one <job-id>.bin per job
    network  192.168.1.50:9100    raw TCP ("JetDirect"); the port defaults to 9100
    usb      0x04b8:0x0202        vendor:product id (needs pyusb)
    serial   /dev/ttyUSB0:9600    or COM3:9600; the baud rate defaults to 9600 (needs pyserial)
    win32    EPSON TM-T20II       a Windows printer name, sent RAW (needs pywin32)
    cups     TM-T20II             a CUPS queue, sent with `lp -o raw`

Every failure is a PrinterError with a Spanish message; nothing else escapes `send`.
"""

from __future__ import annotations

import contextlib
import errno
import re
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from kiosk.config import OfficeConfig
from kiosk.ids import new_id
from printing import errors
from printing.errors import PrinterError

DEFAULT_PORT = 9100
DEFAULT_BAUD = 9600
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)


class PrinterBackend(Protocol):
    label: str  # "impresora de red 192.168.1.50:9100": for messages and logs

    def send(self, data: bytes, job_id: str | None = None) -> None:
        """Deliver one whole job or raise PrinterError."""
        ...


# --- dummy ---------------------------------------------------------------------------------

SIMULATED_FAILURES: dict[str, Callable[[], PrinterError]] = {
    "offline": errors.offline,
    "no_paper": errors.no_paper,
    "timeout": errors.timeout,
    "cover_open": lambda: PrinterError("cover_open", "La tapa de la impresora está abierta."),
}


class DummyBackend:
    """Keeps every job in memory. Set `fail` to one of SIMULATED_FAILURES to simulate a fault."""

    label = "impresora simulada"

    def __init__(self, fail: str | None = None) -> None:
        self.sent: list[bytes] = []
        self.fail = fail

    def send(self, data: bytes, job_id: str | None = None) -> None:
        if self.fail is not None:
            raise SIMULATED_FAILURES[self.fail]()
        self.sent.append(bytes(data))


# --- file ----------------------------------------------------------------------------------


class FileBackend:
    """Writes each job to <folder>/<job-id>.bin (a print spool another program can pick up)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.label = f"carpeta {folder}"

    def send(self, data: bytes, job_id: str | None = None) -> None:
        target = self.folder / f"{job_id or new_id()}.bin"
        partial = target.with_suffix(".bin.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(data)
            partial.replace(target)  # a reader never sees half a job
        except OSError as exc:
            raise PrinterError(
                "file_error",
                f"No se pudo guardar la impresión en {self.folder}: {exc.strerror or exc}.",
            ) from exc


# --- network -------------------------------------------------------------------------------


class NetworkBackend:
    """Raw TCP to the printer's port 9100: connect, send everything, close; all under timeout."""

    def __init__(self, host: str, port: int = DEFAULT_PORT, timeout_s: float = 5.0) -> None:
        self.host, self.port, self.timeout_s = host, port, timeout_s
        self.label = f"impresora de red {host}:{port}"

    def send(self, data: bytes, job_id: str | None = None) -> None:
        where = f"Revise que esté encendida y conectada a la red ({self.host}:{self.port})."
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout_s) as conn:
                conn.sendall(data)  # since Python 3.5 the timeout bounds the whole sendall
                conn.shutdown(socket.SHUT_WR)
        except TimeoutError as exc:
            raise errors.timeout(where) from exc
        except socket.gaierror as exc:
            raise PrinterError(
                "offline",
                f"La impresora no responde (sin conexión): no se encuentra «{self.host}» en la "
                "red. Revise la dirección de la impresora.",
            ) from exc
        except OSError as exc:  # refused, reset, host or network unreachable
            raise errors.offline(where) from exc


# --- devices through python-escpos ---------------------------------------------------------


def _escpos_class(name: str) -> Any:
    """escpos.printer.<name>, imported late: only the configured connection pays for it."""
    import escpos.printer

    return getattr(escpos.printer, name)


def _looks_like_timeout(exc: BaseException) -> bool:
    # pyusb's USBTimeoutError, pyserial's SerialTimeoutException, or errno ETIMEDOUT; matched by
    # name so these optional, untyped libraries need not be imported here.
    return ("Timeout" in type(exc).__name__ or isinstance(exc, TimeoutError)
            or getattr(exc, "errno", None) == errno.ETIMEDOUT)


def _send_through_escpos(device: Any, data: bytes, not_found: PrinterError,
                         open_args: dict[str, Any], after_open: Callable[[Any], None] | None = None
                         ) -> None:
    from escpos.exceptions import DeviceNotFoundError

    try:
        device.open(**open_args)
        if after_open is not None:
            after_open(device)
        device._raw(data)
    except DeviceNotFoundError as exc:
        raise not_found from exc
    except Exception as exc:  # the drivers raise their own types (USBError, SerialException...)
        if _looks_like_timeout(exc):
            raise errors.timeout() from exc
        raise errors.offline(f"({exc})") from exc
    finally:
        with contextlib.suppress(Exception):  # closing a dead device must not hide the real error
            device.close()


def _unavailable(what: str, package: str) -> PrinterError:
    return PrinterError(
        "unavailable",
        f"Para usar una impresora {what} falta instalar el componente «{package}» en este equipo.",
    )


class UsbBackend:
    def __init__(self, vendor: int, product: int, timeout_s: float = 5.0) -> None:
        self.vendor, self.product, self.timeout_s = vendor, product, timeout_s
        self.label = f"impresora USB {vendor:04x}:{product:04x}"

    def send(self, data: bytes, job_id: str | None = None) -> None:
        usb = _escpos_class("Usb")
        if not usb.is_usable():
            raise _unavailable("USB", "pyusb")
        device = usb(self.vendor, self.product, timeout=int(self.timeout_s * 1000))
        not_found = PrinterError(
            "usb_not_found",
            f"Impresora USB no encontrada ({self.vendor:04x}:{self.product:04x}). Revise el cable "
            "y que esté encendida.",
        )
        _send_through_escpos(device, data, not_found, {"raise_not_found": True})


class SerialBackend:
    def __init__(self, port: str, baudrate: int = DEFAULT_BAUD, timeout_s: float = 5.0) -> None:
        self.port, self.baudrate, self.timeout_s = port, baudrate, timeout_s
        self.label = f"impresora serie {port} ({baudrate} baudios)"

    def send(self, data: bytes, job_id: str | None = None) -> None:
        serial = _escpos_class("Serial")
        if not serial.is_usable():
            raise _unavailable("de puerto serie", "pyserial")
        device = serial(devfile=self.port, baudrate=self.baudrate, timeout=self.timeout_s)
        not_found = PrinterError(
            "device_not_found",
            f"No se pudo abrir el puerto {self.port} de la impresora. Revise el cable y el puerto "
            "configurado.",
        )

        def bound_writes(opened: Any) -> None:
            # With hardware flow control an offline printer blocks writes forever otherwise.
            opened.device.write_timeout = self.timeout_s

        _send_through_escpos(device, data, not_found, {"raise_not_found": True}, bound_writes)


class Win32Backend:
    def __init__(self, name: str) -> None:
        self.name = name
        self.label = f"impresora de Windows «{name}»"

    def send(self, data: bytes, job_id: str | None = None) -> None:
        win32 = _escpos_class("Win32Raw")
        if not win32.is_usable():
            raise _unavailable("de Windows", "pywin32")
        not_found = PrinterError(
            "device_not_found",
            f"Windows no tiene una impresora llamada «{self.name}». Revise el nombre en "
            "Configuración > Impresoras.",
        )
        _send_through_escpos(win32(self.name), data, not_found,
                             {"job_name": f"CAC {job_id or ''}".strip(), "raise_not_found": True})


# --- cups ----------------------------------------------------------------------------------


class CupsBackend:
    """`lp -d NAME -o raw`: CUPS queues the job and hands the bytes over untouched."""

    def __init__(self, name: str, timeout_s: float = 5.0) -> None:
        self.name, self.timeout_s = name, timeout_s
        self.label = f"impresora CUPS «{name}»"

    def send(self, data: bytes, job_id: str | None = None) -> None:
        command = ["lp", "-d", self.name, "-o", "raw"]
        if job_id:
            command += ["-t", f"CAC {job_id}"]
        try:
            result = subprocess.run(command, input=data, capture_output=True,
                                    timeout=self.timeout_s, check=False)
        except FileNotFoundError as exc:
            raise _unavailable("CUPS", "cups (programa lp)") from exc
        except subprocess.TimeoutExpired as exc:
            raise errors.timeout("CUPS no aceptó el trabajo a tiempo.") from exc
        except OSError as exc:
            raise errors.offline(f"({exc.strerror or exc})") from exc
        if result.returncode != 0:
            reason = (result.stderr.decode("utf-8", "replace").strip()
                      or f"código {result.returncode}")
            raise PrinterError(
                "cups_failed", f"CUPS no aceptó el trabajo para «{self.name}»: {reason}"
            )


# --- from the office config ----------------------------------------------------------------

_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")
_USB_ID = re.compile(r"^(?:0x)?([0-9a-fA-F]{1,4})$")


def _network_target(target: str) -> tuple[str, int]:
    bad = errors.bad_target(
        f"La dirección de la impresora de red «{target}» no es válida. Use IP:puerto, por "
        "ejemplo 192.168.1.50:9100.")
    host, _, port_text = target.rpartition(":") if ":" in target else (target, "", "")
    if target.startswith("["):  # [IPv6]:port
        host, _, port_text = target[1:].partition("]")
        port_text = port_text.removeprefix(":")
        if not host:
            raise bad
        return host, _port(port_text, bad)
    if not _HOST.match(host):
        raise bad
    return host, _port(port_text, bad)


def _port(text: str, bad: PrinterError) -> int:
    if not text:
        return DEFAULT_PORT
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise bad
    return int(text)


def _usb_target(target: str) -> tuple[int, int]:
    vendor, _, product = target.partition(":")
    ids = [_USB_ID.match(part.strip()) for part in (vendor, product)]
    if ids[0] is None or ids[1] is None:
        raise errors.bad_target(
            f"La impresora USB «{target}» no es válida. Indique fabricante:producto en "
            "hexadecimal, por ejemplo 0x04b8:0x0202.")
    return int(ids[0].group(1), 16), int(ids[1].group(1), 16)


def _serial_target(target: str) -> tuple[str, int]:
    port, sep, baud = target.rpartition(":")
    if not sep or not baud.isdigit():  # "/dev/ttyUSB0", "COM3": default speed
        port, baud = target, str(DEFAULT_BAUD)
    if not port or int(baud) not in BAUD_RATES:
        raise errors.bad_target(
            f"El puerto serie «{target}» no es válido. Use puerto:velocidad, por ejemplo "
            "/dev/ttyUSB0:9600 o COM3:9600 (velocidades: "
            + ", ".join(map(str, BAUD_RATES)) + ").")
    return port, int(baud)


def _printer_name(target: str, kind: str) -> str:
    if not target or (kind == "cups" and re.search(r"[\s/#]", target)):
        raise errors.bad_target(
            f"Indique el nombre de la impresora {kind.upper()} (sin espacios ni «/» en CUPS).")
    return target


def backend_from_config(config: OfficeConfig, data_dir_root: Path) -> PrinterBackend:
    """This PC's printer backend; PrinterError (code bad_target) when the target is wrong."""
    kind, target = config.printer_backend, config.printer_target.strip()
    timeout_s = config.printer_timeout_s
    if kind == "dummy":
        return DummyBackend()
    if kind == "file":
        if not target:
            raise errors.bad_target("Indique la carpeta donde guardar las impresiones.")
        folder = Path(target).expanduser()
        return FileBackend(folder if folder.is_absolute() else data_dir_root / folder)
    if kind == "network":
        host, port = _network_target(target)
        return NetworkBackend(host, port, timeout_s)
    if kind == "usb":
        vendor, product = _usb_target(target)
        return UsbBackend(vendor, product, timeout_s)
    if kind == "serial":
        port_name, baud = _serial_target(target)
        return SerialBackend(port_name, baud, timeout_s)
    if kind == "win32":
        if sys.platform != "win32":
            raise errors.bad_target(
                "Las impresoras de Windows (win32) solo se pueden usar en Windows. En este equipo "
                "use «cups», «network», «usb» o «serial».")
        return Win32Backend(_printer_name(target, kind))
    if kind == "cups":
        return CupsBackend(_printer_name(target, kind), timeout_s)
    raise errors.bad_target(f"Tipo de impresora desconocido «{kind}».")
