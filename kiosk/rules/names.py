"""Peruvian names: folding for search, and the order people write them in.

Peruvians carry two surnames (paterno, materno) after their given names. Searches compare
folded text: capitals, no accents (Ñ folds to N, so «Nuñez» finds «NUNEZ»), single spaces.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """«  María  Ñahui-Pérez » → «MARIA NAHUI-PEREZ»."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.upper().split())


def search_key(paternal: str, maternal: str | None, given: str) -> str:
    """The surname-first key stored for prefix searches: «QUISPE MAMANI JUAN CARLOS»."""
    return fold(" ".join(p for p in (paternal, maternal or "", given) if p))


def full_name(given: str, paternal: str, maternal: str | None) -> str:
    """As printed on documents: «Juan Carlos Quispe Mamani»."""
    return " ".join(" ".join(p.split()) for p in (given, paternal, maternal or "") if p.strip())
