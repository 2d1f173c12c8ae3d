"""The proof of a cita's DNI central keeps instead of the DNI (decision record 49)."""

from __future__ import annotations

import hashlib

from kiosk.rules.cita_proof import dni_proof, proof_matches

CITA, CODE, DNI = "01a24e56-8b26-764b-91a6-18c34cf1cd23", "C-7K3M9P", "41234567"


def test_a_proof_matches_its_dni_only_for_its_own_cita() -> None:
    proof = dni_proof(CITA, CODE, DNI)
    version, _, digest = proof.partition("$")
    assert version == "s1" and len(digest) == 64 and DNI not in proof
    assert proof_matches(proof, CITA, CODE, DNI)
    assert not proof_matches(proof, CITA, CODE, "41234568")
    # Salted per cita: the same DNI gives another proof for another cita or code.
    assert dni_proof("01a24e56-0000-764b-91a6-18c34cf1cd23", CODE, DNI) != proof
    assert dni_proof(CITA, "C-7K3M9Q", DNI) != proof
    # Not a fast digest of the DNI.
    assert digest not in {hashlib.sha256(DNI.encode()).hexdigest(),
                          hashlib.sha256(f"{CITA}{CODE}{DNI}".encode()).hexdigest()}


def test_a_missing_unknown_or_damaged_proof_matches_nothing() -> None:
    proof = dni_proof(CITA, CODE, DNI)
    for bad in (None, "", "s9$" + proof[3:], "s1$", "s1$ñ" + proof[4:], proof.upper()):
        assert not proof_matches(bad, CITA, CODE, DNI)
