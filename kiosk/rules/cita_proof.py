"""The proof of a cita's DNI that central keeps instead of the DNI (decision record 49).

A cita booked at the office travels to central in its «cita» events without name, DNI or
contact (decision record 40). So that the citizen can still cancel or change it on central's
public page with its code and DNI, the event carries a slow, salted digest of the DNI: central
checks a typed DNI against it and never learns the DNI itself. A DNI has only 10^8 values, so
the digest must be slow (scrypt, memory-hard: one check costs tens of milliseconds on an office
PC, and a graphics card gains little) and salted per cita (its id, unique everywhere, and its
code), so that each cita must be guessed on its own and no table of all DNIs helps.

The standard library's `hashlib.scrypt` (OpenSSL) is all it needs: no library to add. The
version tag at the front names the parameters, so they can be raised later while older
proofs still check.
"""

from __future__ import annotations

import hashlib
import hmac

# version tag -> scrypt's (n, r, p): n=2^14, r=8 uses 16 MiB and ~45 ms per check here
# (bench/README.md «cita proof»).
_PARAMETERS = {"s1": (2**14, 8, 1)}
CURRENT = "s1"
_LENGTH = 32
_MEMORY = 64 * 1024 * 1024
# Checked when a cita has no proof, so that every try on the page costs the same.
_NONE = f"{CURRENT}${'0' * 2 * _LENGTH}"


def _digest(version: str, cita_id: str, code: str, document: str) -> bytes:
    n, r, p = _PARAMETERS[version]
    salt = f"cac-cita-dni/{version}/{cita_id}/{code}".encode()
    return hashlib.scrypt(document.encode(), salt=salt, n=n, r=r, p=p, maxmem=_MEMORY,
                          dklen=_LENGTH)


def dni_proof(cita_id: str, code: str, document: str) -> str:
    """The proof of a (validated) DNI for the cita `cita_id` with booking code `code`."""
    return f"{CURRENT}${_digest(CURRENT, cita_id, code, document).hex()}"


def proof_matches(proof: str | None, cita_id: str, code: str, document: str) -> bool:
    """Whether `document` is the DNI `proof` was made of; compared in constant time. A
    missing or unknown proof costs one check too and matches nothing."""
    version, _, digest = (proof if proof else _NONE).partition("$")
    if version not in _PARAMETERS:
        version, digest = CURRENT, _NONE.partition("$")[2]
        proof = None
    typed = _digest(version, cita_id, code, document).hex()
    return hmac.compare_digest(typed.encode(), digest.encode()) and proof is not None
