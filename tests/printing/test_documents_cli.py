"""`cac print sample` for the expediente's documents: thermal (.bin + .png) and A4 (.pdf)."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from kiosk.cli import main
from kiosk.config import DataDir
from printing.samples import SAMPLE_PUBLIC_URL
from tests.printing.doc_data import pdf_reader, pdf_text
from tests.printing.escpos_decoder import decode


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("document", "expected"), [
    ("cargo", "CARGO DE RECEPCIÓN"), ("cierre", "CIERRE DE CAJA")])
def test_thermal_samples(office: DataDir, tmp_path: Path, document: str, expected: str,
                         capsys: pytest.CaptureFixture[str]) -> None:
    output, png = tmp_path / f"{document}.bin", tmp_path / f"{document}.png"
    code, out, err = run(capsys, "print", "sample", document, "--data-dir", str(office.root),
                         "--output", str(output), "--png", str(png))
    assert (code, err) == (0, "")
    assert "bytes ESC/POS (papel de 80 mm, CP858)" in out and "Vista previa" in out
    decoded = decode(output.read_bytes())
    assert decoded.ends_with_cut and expected in decoded.text
    assert "CAC Cajamarca" in decoded.text
    with Image.open(png) as image:
        assert image.width == 576
        assert [c.text for c in zxingcpp.read_barcodes(image)] == decoded.qr_payloads
    if document == "cargo":
        assert decoded.qr_payloads[0].startswith(SAMPLE_PUBLIC_URL)


@pytest.mark.parametrize(("document", "expected"), [
    ("cargo-a4", "CARGO DE RECEPCIÓN"),
    ("partida-a4", "COPIA CERTIFICADA DE ACTA DE NACIMIENTO"),
    ("cierre-a4", "CIERRE DE CAJA"),
])
def test_a4_samples_write_pdf_and_preview(office: DataDir, tmp_path: Path, document: str,
                                          expected: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    output, png = tmp_path / f"{document}.pdf", tmp_path / f"{document}.png"
    code, out, err = run(capsys, "print", "sample", document, "--data-dir", str(office.root),
                         "--output", str(output), "--png", str(png))
    assert (code, err) == (0, "")
    assert f"guardado en {output}" in out and "primera página" in out
    data = output.read_bytes()
    assert expected in pdf_text(data)
    assert pdf_reader(data).metadata.author == "CAC Cajamarca"  # type: ignore[union-attr]
    with Image.open(png) as image:
        assert image.height > image.width  # an A4 portrait page
        codes = [c.text for c in zxingcpp.read_barcodes(image)]
    assert len(codes) == (0 if document == "cierre-a4" else 1)  # the cierre has no QR
    assert all(c.startswith(SAMPLE_PUBLIC_URL) for c in codes)


def test_a4_samples_are_not_sent_to_the_thermal_printer(
        office: DataDir, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "print", "sample", "partida-a4", "--data-dir", str(office.root),
                       "--send")
    assert code == 2 and "lector de PDF" in err


def test_cierre_sample_sent_to_the_configured_printer(
        office: DataDir, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "print", "sample", "cierre", "--data-dir", str(office.root),
                       "--send")
    assert code == 0 and "Muestra enviada" in out
    jobs = list((office.root / "impresiones").glob("*.bin"))
    assert len(jobs) == 1 and "CIERRE DE CAJA" in decode(jobs[0].read_bytes()).text
