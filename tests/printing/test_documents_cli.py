"""`cac print sample` for the expediente's documents: thermal (.bin + .png) and A4 (.pdf)."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from kiosk.cli import main
from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.admin_views import OfficeSettingsChange
from printing.layout import OFFICE_LOOKUP
from printing.samples import LICENCIA_TRACKING, PARTIDA_TRACKING
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
    if document == "cargo":  # the office has no public address: the code, no QR
        assert decoded.qr_payloads == [] and OFFICE_LOOKUP in " ".join(decoded.text.split())


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
    assert codes == []  # the cierre has no QR, nor the others without a public address


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


def test_samples_lead_to_the_public_address_the_admin_set(
        office: DataDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Set in the admin window (the hub's store, not config.toml): every sample's QR leads to
    the expediente's page there."""
    hub = OfficeHub(office)
    hub.change_office_settings(SYSTEM, OfficeSettingsChange(
        public_url="https://tramites.cajamarca.gob.pe/"))
    hub.close()
    public = "https://tramites.cajamarca.gob.pe/t/"
    for document, code in (("cargo", LICENCIA_TRACKING), ("receipt", LICENCIA_TRACKING)):
        output = tmp_path / f"{document}.bin"
        assert run(capsys, "print", "sample", document, "--data-dir", str(office.root),
                   "--output", str(output))[0] == 0
        decoded = decode(output.read_bytes())
        assert decoded.qr_payloads == [public + code]
        assert OFFICE_LOOKUP not in " ".join(decoded.text.split())
    for document, code in (("cargo-a4", LICENCIA_TRACKING), ("partida-a4", PARTIDA_TRACKING)):
        png = tmp_path / f"{document}.png"
        assert run(capsys, "print", "sample", document, "--data-dir", str(office.root),
                   "--png", str(png))[0] == 0
        with Image.open(png) as image:
            assert [c.text for c in zxingcpp.read_barcodes(image)] == [public + code]
