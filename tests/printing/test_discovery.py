"""The printers «Configurar esta PC» proposes: what CUPS, Windows and the serial ports of this
PC show (asked through a stand-in for the commands), and always the «no printer» choice."""

from __future__ import annotations

from collections.abc import Sequence
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


def test_cups_queues_and_serial_ports_on_linux(tmp_path: Path) -> None:
    (tmp_path / "ttyUSB0").touch()
    (tmp_path / "ttyS0").touch()  # the PC's own port, not a USB printer's
    asked, run = _answers(lpstat="TM-T20II\nOficina_Laser\nCon espacio raro\n")
    found = find_printers(run, "linux", tmp_path)
    assert asked == [["lpstat", "-e"]]
    assert [(p.backend, p.target) for p in found] == [
        ("cups", "TM-T20II"), ("cups", "Oficina_Laser"),
        ("serial", f"{tmp_path / 'ttyUSB0'}:9600"), ("file", "impresiones")]
    assert found[0].label == "Impresora «TM-T20II» (CUPS)"
    for printer in found:  # each is a target the printing package takes as it is
        config = OfficeConfig(office_code="CAC", office_name="CAC",
                              printer_backend=printer.backend, printer_target=printer.target)
        assert backend_from_config(config, tmp_path).label


def test_windows_printers_through_powershell_without_pywin32(tmp_path: Path) -> None:
    asked, run = _answers(powershell="EPSON TM-T20II Receipt\r\nMicrosoft Print to PDF\r\n")
    found = find_printers(run, "win32", tmp_path)
    assert asked[0][0] == "powershell"
    assert [(p.backend, p.target) for p in found[:2]] == [
        ("win32", "EPSON TM-T20II Receipt"), ("win32", "Microsoft Print to PDF")]


def test_nothing_found_still_offers_to_print_into_files(tmp_path: Path) -> None:
    _, run = _answers()  # lpstat missing or failing
    assert find_printers(run, "linux", tmp_path) == [FILES_CHOICE]
