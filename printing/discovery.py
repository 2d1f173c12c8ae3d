"""The receipt printers this PC can see, for «Configurar esta PC» (ui/setup_wizard).

Asked of what the PC already knows, never of the network: the CUPS queues (`lpstat -e`), the
Windows printers (pywin32 when installed, else PowerShell's Get-Printer), the serial ports a
USB-to-serial printer shows up as. What is found is only a proposal: the person picks one (or
types a network printer's address) and the wizard prints a test page on it.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

# Runs a command and returns what it printed, or None when it could not run.
Run = Callable[[Sequence[str]], str | None]

SERIAL_PATTERNS = ("ttyUSB*", "ttyACM*")


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


def serial_printers(dev: Path) -> list[PrinterChoice]:
    ports = sorted({p for pattern in SERIAL_PATTERNS for p in dev.glob(pattern)})
    return [PrinterChoice("serial", f"{port}:9600", f"Impresora en el puerto {port.name}")
            for port in ports]


def find_printers(run: Run = run_quietly, platform: str = sys.platform,
                  dev: Path = Path("/dev")) -> list[PrinterChoice]:
    """What this PC shows, the most likely first; the «no printer» choice last."""
    if platform.startswith("win"):
        found = windows_printers(run)
    else:
        found = cups_printers(run) + serial_printers(dev)
    return [*found, FILES_CHOICE]
