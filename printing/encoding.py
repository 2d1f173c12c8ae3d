"""Text for the printer: one code page that holds Spanish, one byte per character.

CP858 is the default (ESC t 19). It is CP850 plus the euro sign and holds every Spanish
character: ñ Ñ, á é í ó ú and Á É Í Ó Ú, ü Ü, ¿ ¡, º ª, « ». CP437, the printers' factory
default, lacks Á Í Ó Ú. A printer whose firmware lacks table 19 can be set to CP850 (ESC t 2) or
WPC1252 (ESC t 16) in the office config; the numbers are Epson's, as in python-escpos's
TM-T20II profile (tests/printing check they agree).

Characters a table lacks degrade to a look-alike of the same width ("–" -> "-", "ā" -> "a",
else "?"), so wrapping stays right and a line never becomes wider than the paper.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata

from printing.errors import PrinterError

# ESC t numbers (Epson) of the code pages that hold all of Spanish.
CODEPAGES: dict[str, int] = {"CP858": 19, "CP850": 2, "CP1252": 16}
DEFAULT_CODEPAGE = "CP858"

_LOOKALIKES = str.maketrans({
    "–": "-", "—": "-", "‒": "-", "−": "-", "‐": "-",
    "‘": "'", "’": "'", "‚": ",", "“": '"', "”": '"', "„": '"',
    "…": ".", "•": "*", "\u00a0": " ",
})
_FALLBACKS = {"€": "E"}  # for code pages without it (CP858 has it)
# Control characters inside data (a name typed with a stray ESC) would become printer commands.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_HANDLER = "cac_printing_degrade"


def _degrade(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the base letter of an accented character, else "?"."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for char in exc.object[exc.start:exc.end]:
        if unicodedata.combining(char):
            continue  # a lone accent mark: the letter before it stays
        if char in _FALLBACKS:
            out.append(_FALLBACKS[char])
            continue
        base = unicodedata.normalize("NFKD", char)[:1]
        try:
            base.encode(exc.encoding)
            out.append(base if base.isprintable() and base != char else "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out), exc.end


codecs.register_error(_HANDLER, _degrade)


def codepage_name(codepage: str) -> str:
    name = codepage.strip().upper()
    if name not in CODEPAGES:
        raise PrinterError(
            "unsupported_codepage",
            f"La página de códigos «{codepage}» no sirve para imprimir en castellano. "
            "Use CP858, CP850 o CP1252.",
        )
    return name


def codepage_number(codepage: str) -> int:
    """The n of ESC t n that selects `codepage`."""
    return CODEPAGES[codepage_name(codepage)]


@functools.lru_cache(maxsize=512)  # a ticket's lines repeat from one ticket to the next
def encode_text(text: str, codepage: str = DEFAULT_CODEPAGE) -> bytes:
    """`text` in `codepage`: one byte per character, never a control byte."""
    codec = codepage_name(codepage).lower()
    text = _CONTROL.sub("?", unicodedata.normalize("NFC", text).translate(_LOOKALIKES))
    return text.encode(codec, errors=_HANDLER)


def printable_text(text: str, codepage: str = DEFAULT_CODEPAGE) -> str:
    """What the printer will show for `text` (the preview draws this)."""
    return encode_text(text, codepage).decode(codepage_name(codepage).lower())
