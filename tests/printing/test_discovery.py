"""The printers «Configurar esta PC» proposes: what CUPS, Windows, USB and the serial ports of
this PC show (asked through stand-ins for the commands and the devices), and always the «no
printer» choice."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.config import OfficeConfig
from printing.backends import backend_from_config
from printing.discovery import FILES_CHOICE, Run, find_printers


def _answers(**outputs: str | None) -> tuple[list[list[str]], Run]:
    asked: list[list[str]] = []

    def run(command: Sequence[str]) -> str | None:
        asked.append(list(command))
        return outputs.get(command[0])

    return asked, run


@dataclass
class Interface:
    bInterfaceClass: int


@dataclass
class UsbDevice:
    """What pyusb gives: ids, and configurations that iterate over their interfaces."""

    idVendor: int
    idProduct: int
    configurations: list[list[Interface]] = field(default_factory=list)

    def __iter__(self) -> Iterator[list[Interface]]:
        return iter(self.configurations)


@dataclass
class Port:
    device: str
    description: str
    vid: int | None


def test_cups_usb_and_serial_printers_on_linux(tmp_path: Path) -> None:
    asked, run = _answers(lpstat="TM-T20II\nOficina_Laser\nCon espacio raro\n")
    usb = [UsbDevice(0x04B8, 0x0202, [[Interface(7)]]),  # a receipt printer
           UsbDevice(0x046D, 0xC52B, [[Interface(3)]])]  # a keyboard
    ports = [Port("/dev/ttyUSB0", "USB-Serial Controller", 0x067B),
             Port("/dev/ttyS0", "ttyS0", None)]  # the PC's own port
    found = find_printers(run, "linux", lambda: usb, lambda: ports)
    assert asked == [["lpstat", "-e"]]
    assert [(p.backend, p.target) for p in found] == [
        ("cups", "TM-T20II"), ("cups", "Oficina_Laser"), ("usb", "0x04b8:0x0202"),
        ("serial", "/dev/ttyUSB0:9600"), ("file", "impresiones")]
    assert found[0].label == "Impresora «TM-T20II» (CUPS)"
    for printer in found:  # each is a target the printing package takes as it is
        config = OfficeConfig(office_code="CAC", office_name="CAC",
                              printer_backend=printer.backend, printer_target=printer.target)
        assert backend_from_config(config, tmp_path).label


def test_windows_printers_through_powershell_without_pywin32() -> None:
    asked, run = _answers(powershell="EPSON TM-T20II Receipt\r\nMicrosoft Print to PDF\r\n")
    found = find_printers(run, "win32", list, lambda: [Port("COM3", "USB Serial", 0x0403)])
    assert asked[0][0] == "powershell"
    assert [(p.backend, p.target) for p in found] == [
        ("win32", "EPSON TM-T20II Receipt"), ("win32", "Microsoft Print to PDF"),
        ("serial", "COM3:9600"), ("file", "impresiones")]


def test_nothing_found_still_offers_to_print_into_files() -> None:
    _, run = _answers()  # lpstat missing or failing

    class Unreadable:
        idVendor, idProduct = 1, 2

        def __iter__(self) -> None:
            raise PermissionError("descriptors")

    assert find_printers(run, "linux", lambda: [Unreadable()], list) == [FILES_CHOICE]
