"""The one-time pairing code's form, shared by the hub that makes it and the new PC that types it.

A code is «ABCD-EFGH-JKLM»: 8 secret symbols (40 bits) the hub redeems, then 4 check symbols
that bind the code to the office's certificate authority. The check is an HMAC of the CA's
SHA-256 fingerprint keyed with the secret, so someone on the office network who does not know
the secret cannot make a CA of their own that passes it: the new PC reads the certificate the
hub presents, and sends the secret only when the check matches (see kiosk/client/pairing.py).
"""

from __future__ import annotations

import hashlib
import hmac

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols: no 0/O, no 1/I
CODE_LENGTH = 8
CHECK_LENGTH = 4  # 20 bits: one guess per code for someone who must also relay the secret


def normalize(code: str) -> str:
    """What the person typed, without the grouping dashes or spaces, in capitals."""
    return "".join(ch for ch in code.upper() if ch not in "- \t")


def split(code: str) -> tuple[str, str]:
    """(secret, check) of a typed code; the check is "" when only the secret was typed."""
    plain = normalize(code)
    if len(plain) == CODE_LENGTH + CHECK_LENGTH:
        return plain[:CODE_LENGTH], plain[CODE_LENGTH:]
    return plain, ""


def check(secret: str, ca_fingerprint: str) -> str:
    """The check symbols of `secret` for the CA with this fingerprint (hex, colons allowed)."""
    digest = hmac.new(b"cac-pairing:" + normalize(secret).encode(),
                      bytes.fromhex(ca_fingerprint.replace(":", "")), hashlib.sha256).digest()
    value = int.from_bytes(digest[:4], "big")
    return "".join(ALPHABET[(value >> (5 * i)) & 31] for i in range(CHECK_LENGTH))


def grouped(code: str) -> str:
    """«ABCDEFGHJKLM» → «ABCD-EFGH-JKLM» (and «ABCDEFGH» → «ABCD-EFGH»)."""
    plain = normalize(code)
    return "-".join(plain[i:i + 4] for i in range(0, len(plain), 4))
