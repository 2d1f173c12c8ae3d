"""`cac signing import` and `cac signing status` on the hub PC's console."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.cli import main
from tests.signing.authority import P12_PASSWORD, make_authority


def test_import_checks_the_password_keeps_the_file_and_status_describes_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    office = str(tmp_path / "office")
    assert main(["init", "--data-dir", office, "--office", "CAJ", "--name", "CAC Cajamarca"]) == 0
    assert main(["signing", "status", "--data-dir", office]) == 1
    assert "no tiene certificado de firma" in capsys.readouterr().out
    p12 = tmp_path / "firma.p12"
    # The console's hub runs on the PC's clock: a certificate valid around it.
    p12.write_bytes(make_authority(datetime.now(UTC)).p12)

    monkeypatch.setattr("sys.stdin", io.StringIO("mal\n"))
    assert main(["signing", "import", str(p12), "--data-dir", office,
                 "--password-stdin"]) != 0
    assert "la contraseña no es correcta" in capsys.readouterr().err

    monkeypatch.setattr("sys.stdin", io.StringIO(P12_PASSWORD + "\n"))
    assert main(["signing", "import", str(p12), "--data-dir", office,
                 "--password-stdin"]) == 0
    out = capsys.readouterr().out
    assert "Certificado de firma importado" in out
    assert "Titular:       Registro Civil - Firma de prueba" in out
    assert main(["signing", "status", "--data-dir", office]) == 0
    out = capsys.readouterr().out
    assert "Emitido por:   CA de prueba (throwaway)" in out and "nadie todavía" in out
    assert (tmp_path / "office" / "signing" / "certificate.p12").read_bytes() == p12.read_bytes()
