"""The receipt printers this PC can see, for «Configurar esta PC» (ui/setup_wizard).

Asked of what the PC already knows, never of the network: the CUPS queues (`lpstat -e`), the
Windows printers (pywin32 when installed, else PowerShell's Get-Printer), the USB devices that
say they are printers (interface class 7, through pyusb: a receipt printer with no driver),
and the USB serial ports (pyserial) a USB-to-serial printer shows up as. What is found is only
a proposal: the person picks one (or types a network printer's address) and the wizard prints
a test page on it.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

# Runs a command and returns what it printed, or None when it could not run.
Run = Callable[[Sequence[str]], str | None]



@dataclass(frozen=True)
class PrinterChoice:
    """A printer as the office config names it (printing.backends), and how a person sees it."""

    backend: str
    target: str
    label: str  # Spanish


# Always offered: the wizard can finish on a PC whose printer is not there yet.
FILES_CHOICE = PrinterChoice("file", "impresiones",
                             "Sin impresora: guardar las impresiones en la carpeta de datos")


def run_quietly(command: Sequence[str]) -> str | None:
    try:
        done = subprocess.run(list(command), capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace")


def cups_printers(run: Run) -> list[PrinterChoice]:
    out = run(["lpstat", "-e"])
    names = [line.strip() for line in (out or "").splitlines() if line.strip()]
    return [PrinterChoice("cups", name, f"Impresora «{name}» (CUPS)")
            for name in names if " " not in name and "/" not in name]


def windows_printers(run: Run) -> list[PrinterChoice]:
    try:
        win32print = importlib.import_module("win32print")  # pywin32, on Windows only
        found = [str(p[2]) for p in win32print.EnumPrinters(
            win32print.PRINTER_ENUM_LOCAL | win32print.PRINTER_ENUM_CONNECTIONS)]
    except ImportError:
        out = run(["powershell", "-NoProfile", "-Command",
                   "Get-Printer | Select-Object -ExpandProperty Name"])
        found = [line.strip() for line in (out or "").splitlines() if line.strip()]
    return [PrinterChoice("win32", name, f"Impresora «{name}» de Windows") for name in found]


USB_PRINTER_CLASS = 7  # bInterfaceClass of a printer (USB Device Class Definition)


def usb_devices() -> list[Any]:
    """pyusb's devices; none where libusb is missing (Windows without its driver)."""
    try:
        usb_core = importlib.import_module("usb.core")  # pyusb: untyped
        return list(usb_core.find(find_all=True) or [])
    except Exception:  # NoBackendError, a device that cannot be read: nothing to propose
        return []


def _is_printer(device: Any) -> bool:
    try:
        return any(interface.bInterfaceClass == USB_PRINTER_CLASS
                   for configuration in device for interface in configuration)
    except Exception:  # its descriptors cannot be read (permissions): not proposed
        return False


def usb_printers(devices: list[Any]) -> list[PrinterChoice]:
    found = []
    for device in devices:
        if _is_printer(device):
            ids = f"0x{device.idVendor:04x}:0x{device.idProduct:04x}"
            found.append(PrinterChoice("usb", ids, f"Impresora USB {ids}"))
    return found


def serial_ports() -> list[Any]:
    try:
        list_ports = importlib.import_module("serial.tools.list_ports")  # pyserial: untyped
        return list(list_ports.comports())
    except Exception:  # pyserial missing or the system's list unreadable
        return []


def serial_printers(ports: list[Any]) -> list[PrinterChoice]:
    """The USB serial ports (a USB-to-serial adapter or printer), not the PC's own."""
    return [PrinterChoice("serial", f"{port.device}:9600",
                          f"Impresora en el puerto {port.device} ({port.description})")
            for port in ports if getattr(port, "vid", None) is not None]


def find_printers(run: Run = run_quietly, platform: str = sys.platform,
                  usb: Callable[[], list[Any]] = usb_devices,
                  ports: Callable[[], list[Any]] = serial_ports) -> list[PrinterChoice]:
    """What this PC shows, the most likely first; the «no printer» choice last."""
    found = windows_printers(run) if platform.startswith("win") else cups_printers(run)
    return [*found, *usb_printers(usb()), *serial_printers(ports()), FILES_CHOICE]
