"""A layout as the exact ESC/POS bytes a thermal printer receives.

Commands come from python-escpos's `Dummy` printer (init, alignment, bold, size, native QR, cut);
text is encoded by printing.encoding and sent raw. python-escpos's "magic" encoder picks a code
page per character and switches tables in the middle of a line (for "Atención ÁÉÍÓÚ –" it sent
CP437, then CP857 for "Á", then CP1252 for "–"): right on paper only if the printer numbers and
holds those tables exactly as the profile says. We select one table (CP858 by default, see
printing.encoding for why) once, right after ESC @, and encode every character for it.
"""

from __future__ import annotations

import functools

from printing.blocks import QR, Align, Cut, Layout, Line, Logo, paper, printed_lines
from printing.encoding import DEFAULT_CODEPAGE, codepage_number, encode_text

# Epson TM-T20II, the common 80 mm kiosk/counter printer: full and partial cut, native QR.
PROFILE = "TM-T20II"

ESC = b"\x1b"
LF = b"\n"


def render_bytes(layout: Layout, width_mm: int = 80, codepage: str = DEFAULT_CODEPAGE) -> bytes:
    """ESC @, ESC t n, then every printed line with its alignment, bold and size, the logo
    (GS v 0 raster), QR, cut."""
    # python-escpos takes a third of a second to import: a window starts without it, and the
    # first ticket of the day pays for it (issue 8, bench/app_start.py).
    from escpos.constants import QR_ECLEVEL_M
    from escpos.printer import Dummy

    columns = paper(width_mm).columns
    table = codepage_number(codepage)
    printer = Dummy(profile=PROFILE)
    printer.hw("INIT")
    printer._raw(ESC + b"t" + bytes([table]))
    align: Align = "left"
    bold, size = False, 1  # what ESC @ leaves set

    def set_align(wanted: Align) -> None:
        nonlocal align
        if wanted != align:
            printer.set(align=wanted)
            align = wanted

    for item in printed_lines(layout, columns):
        if isinstance(item, Line):
            if not item.text:
                printer._raw(LF)  # a blank line needs no style change
                continue
            if item.size != size:
                printer.set(custom_size=True, width=item.size, height=item.size)
                size = item.size
            if item.bold != bold:
                printer.set(bold=item.bold)
                bold = item.bold
            if len(item.text) * item.size < columns:  # a full line needs no alignment
                set_align(item.align)
            printer._raw(_encoded_line(item.text, codepage))
        elif isinstance(item, QR):
            set_align(item.align)  # ESC a also places the native QR symbol
            printer.qr(item.payload, ec=QR_ECLEVEL_M, size=item.module_dots, native=True)
            printer._raw(LF)
        elif isinstance(item, Logo):
            from printing.logo import logo_bitmap

            set_align(item.align)  # ESC a also places the raster image
            printer.image(logo_bitmap(item.png, item.max_dots), impl="bitImageRaster")
            printer._raw(LF)
        elif isinstance(item, Cut):
            printer.cut()  # ESC d 6 (past the cutter), GS V 0
    return bytes(printer.output)


@functools.lru_cache(maxsize=1024)
def _encoded_line(text: str, codepage: str) -> bytes:
    """A row's bytes and its line feed; tickets repeat most rows (issue 8)."""
    return encode_text(text, codepage) + LF
