"""The two verifiers every signed document must pass: pyHanko's validator (the library's own)
and poppler's `pdfsig` (independent: NSS, another code base)."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509

import kiosk.signing._pyhanko  # noqa: F401 - pyHanko imported without its import warning
from tests.system import require_system


@dataclass(frozen=True)
class PyHankoVerdict:
    intact: bool  # the signed bytes are unchanged and the signature matches them
    valid: bool  # and the certificate chains to the given root
    covers_whole_file: bool  # nothing was appended after the signature
    timestamped: bool
    signer: str
    reason: str
    location: str
    name: str
    signing_time: datetime | None  # as the signer's signed attributes state it


def pyhanko_verdict(pdf: bytes, root: x509.Certificate) -> PyHankoVerdict:
    from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import PdfSignatureStatus
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    (signature,) = reader.embedded_signatures
    context = ValidationContext(
        trust_roots=[translate_pyca_cryptography_cert_to_asn1(root)], allow_fetching=False)
    try:
        status: PdfSignatureStatus = validate_pdf_signature(signature, context)
    except SignatureValidationError:
        return PyHankoVerdict(False, False, False, False, "", "", "", "", None)
    values = signature.sig_object
    return PyHankoVerdict(
        intact=status.intact, valid=status.intact and status.valid and status.trusted,
        covers_whole_file=status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
        timestamped=status.timestamp_validity is not None,
        signer=status.signing_cert.subject.human_friendly,
        reason=str(values.get("/Reason", "")), location=str(values.get("/Location", "")),
        name=str(values.get("/Name", "")), signing_time=status.signer_reported_dt)


def signatures(pdf: bytes) -> int:
    """How many signatures the file carries."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    return len(PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures)


def pdfsig_report(pdf: bytes, folder: Path) -> str:
    """What `pdfsig` says of the file (its text); skips (fails on CI) without poppler-utils."""
    require_system(shutil.which("pdfsig") is not None, "pdfsig (poppler)",
                   "apt-get install poppler-utils")
    path = folder / "firmado.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60,
                          check=False)
    return done.stdout + done.stderr


def pdfsig_accepts(report: str) -> bool:
    """Valid signature over the whole document (an untrusted throwaway root is expected)."""
    return ("Signature Validation: Signature is Valid." in report
            and "Total document signed" in report)


def tampered(pdf: bytes, marker: bytes) -> bytes:
    """`pdf` with one byte changed inside the signed part (the first byte of `marker`)."""
    at = pdf.index(marker)
    changed = bytearray(pdf)
    changed[at] = ord("X") if changed[at] != ord("X") else ord("Y")
    return bytes(changed)
