"""A signed document checked with no link (`cac verify`): the QR statement the PDF carries
(its Keywords) against the office keys known here, and the PDF's own PAdES signature (pyHanko:
unchanged and over the whole file, so the statement in it is the one that was signed)."""

from __future__ import annotations

import hashlib
import io
import logging
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.errors import InvalidInput
from kiosk.signing import statement as statements


@dataclass(frozen=True)
class PdfVerdict:
    statement: statements.Verdict
    signed: bool  # the PDF carries a PAdES signature, intact, over the whole file
    signer: str

    @property
    def valid(self) -> bool:
        return self.statement.valid and self.signed


def _signature(pdf: bytes) -> tuple[bool, str]:
    from kiosk.signing._pyhanko import PdfFileReader

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="DSA is deprecated", category=UserWarning)
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko.sign.validation.errors import SignatureValidationError
        from pyhanko_certvalidator import ValidationContext

    try:
        found = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
        if len(found) != 1:
            return False, ""
        # Integrity and coverage, offline: the certificate's chain is the provider's (not
        # known here), so trust is not what this check says.
        context = ValidationContext(trust_roots=[], allow_fetching=False)
        # pyHanko logs the chain it cannot build (expected here) with a traceback.
        quiet = logging.getLogger("pyhanko.sign.validation.generic_cms")
        level = quiet.level
        quiet.setLevel(logging.CRITICAL)
        try:
            status = validate_pdf_signature(found[0], context)
        finally:
            quiet.setLevel(level)
    except (SignatureValidationError, ValueError, KeyError):
        return False, ""
    whole = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    return bool(status.intact and whole), status.signing_cert.subject.human_friendly


Records = Callable[[statements.Statement], Sequence[Mapping[str, Any]]]


def verify_pdf(pdf: bytes, keys: Sequence[statements.OfficeKey],
               records: Records | None = None) -> PdfVerdict:
    """`records`: the office's `document_signed` data of the document a statement names
    (the hub's `signed_records`), when the checker holds them: a cargo's digest is then
    recomputed from the fields recorded, and the file must be one the office signed."""
    from kiosk.signing.pades import keywords

    try:
        token = statements.statement_in_keywords(keywords(pdf))
    except InvalidInput:  # damaged beyond reading
        return PdfVerdict(statements.Verdict(False, "malformed", "El archivo no es un PDF "
                                                                 "válido o está dañado."),
                          False, "")
    if token is None:
        verdict = statements.Verdict(False, "malformed", "El PDF no lleva un código de "
                                                         "verificación firmado por la oficina.")
    else:
        verdict = statements.verify(token, keys)
    if records is not None and verdict.valid and verdict.statement is not None:
        verdict = _against_records(pdf, verdict, records(verdict.statement))
    signed, signer = _signature(pdf)
    return PdfVerdict(verdict, signed, signer)


def _against_records(pdf: bytes, verdict: statements.Verdict,
                     records: Sequence[Mapping[str, Any]]) -> statements.Verdict:
    verdict = statements.check_content(verdict, statements.recorded_fields(records))
    if (verdict.valid and records
            and hashlib.sha256(pdf).hexdigest() not in {r.get("sha256") for r in records}):
        # A genuine statement in a file the office did not sign (re-made, re-signed by
        # someone else): the paper's data may differ from what the statement covers.
        return statements.Verdict(False, "other_file",
                                  "El código es auténtico, pero este archivo no es el que la "
                                  "oficina firmó con él: no confíe en su contenido.",
                                  verdict.statement, verdict.key)
    return verdict
