"""pyHanko, imported once: its CMS module still names DSA keys, which cryptography ≥ 43 warns
about at import; the warning says nothing about how we sign (RSA or EC keys only)."""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="DSA is deprecated", category=UserWarning)
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps import TimeStamper, TimestampRequestError
    from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

__all__ = ["IncrementalPdfFileWriter", "PdfFileReader", "RequestsHTTPTimeStamper",
           "TimeStamper", "TimestampRequestError", "fields", "signers"]
