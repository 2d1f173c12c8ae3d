"""`cac print sample ...`, run as a user would on a real office data directory."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from kiosk.cli import main
from kiosk.config import DataDir
from tests.printing.escpos_decoder import decode


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("document", ["ticket", "receipt", "requirements"])
def test_sample_bytes_and_preview(office: DataDir, tmp_path: Path, document: str,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    output, png = tmp_path / "muestra.bin", tmp_path / "muestra.png"
    code, out, err = run(capsys, "print", "sample", document, "--data-dir", str(office.root),
                         "--output", str(output), "--png", str(png))
    assert (code, err) == (0, "")
    assert "bytes ESC/POS (papel de 80 mm, CP858)" in out
    decoded = decode(output.read_bytes())
    assert decoded.codepage == 19 and decoded.ends_with_cut
    assert "CAC Cajamarca" in decoded.text
    expected = {"ticket": "A-023", "receipt": "S/ 12.50", "requirements": "REQUISITOS"}[document]
    assert expected in decoded.text
    with Image.open(png) as image:
        assert image.width == 576
        scanned = [c.text for c in zxingcpp.read_barcodes(image)]
    assert scanned == decoded.qr_payloads


def test_sample_follows_the_configured_paper(office: DataDir, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    office.save_config(replace(office.load_config(), printer_width_mm=58,
                               printer_codepage="CP850"))
    output, png = tmp_path / "t.bin", tmp_path / "t.png"
    assert run(capsys, "print", "sample", "ticket", "--data-dir", str(office.root),
               "--output", str(output), "--png", str(png))[0] == 0
    decoded = decode(output.read_bytes())
    assert decoded.codepage == 2
    assert all(len(line.text) * line.width <= 32 for line in decoded.lines)
    with Image.open(png) as image:
        assert image.width == 384


def test_sample_sent_to_the_configured_printer(office: DataDir,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "print", "sample", "receipt", "--data-dir", str(office.root),
                       "--send")
    assert code == 0 and "Muestra enviada" in out
    jobs = list((office.root / "impresiones").glob("*.bin"))  # the default: file backend
    assert len(jobs) == 1 and "RECIBO DE PAGO" in decode(jobs[0].read_bytes()).text


def test_missing_office_and_missing_output_are_spanish_errors(
        tmp_path: Path, office: DataDir, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "print", "sample", "ticket", "--data-dir",
                       str(tmp_path / "no-existe"), "--output", str(tmp_path / "x.bin"))
    assert code == 2 and "No hay una oficina" in err
    assert not (tmp_path / "x.bin").exists()
    code, _, err = run(capsys, "print", "sample", "ticket", "--data-dir", str(office.root))
    assert code == 2 and "Indique --output, --png o --send" in err


def test_bad_printer_setting_is_reported(office: DataDir, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    office.save_config(replace(office.load_config(), printer_backend="network",
                               printer_target="abc:xyz"))
    code, _, err = run(capsys, "print", "sample", "ticket", "--data-dir", str(office.root),
                       "--send")
    assert code == 2 and "«abc:xyz» no es válida" in err
