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
import threading
from typing import TYPE_CHECKING, NamedTuple

from printing.blocks import QR, Align, Cut, Layout, Line, Logo, Printed, paper, printed_blocks
from printing.encoding import DEFAULT_CODEPAGE, codepage_number, encode_text

if TYPE_CHECKING:
    from escpos.printer import Dummy

# Epson TM-T20II, the common 80 mm kiosk/counter printer: full and partial cut, native QR.
PROFILE = "TM-T20II"

ESC = b"\x1b"
LF = b"\n"


class _Style(NamedTuple):
    """What the printer has set when a block starts: ESC @ leaves left, not bold, size 1."""

    align: Align = "left"
    bold: bool = False
    size: int = 1


def render_bytes(layout: Layout, width_mm: int = 80, codepage: str = DEFAULT_CODEPAGE) -> bytes:
    """ESC @, ESC t n, then every printed line with its alignment, bold and size, the logo
    (GS v 0 raster), QR, cut."""
    columns = paper(width_mm).columns
    parts, style = [_start(codepage_number(codepage))], _Style()
    for rows in printed_blocks(layout, columns):
        data, style = _block_bytes(rows, columns, codepage, style)
        parts.append(data)
    return b"".join(parts)


_printers = threading.local()


def _printer() -> Dummy:
    """This thread's empty `Dummy`: making one loads the printer profile, which was most of
    rendering a block."""
    # python-escpos is slow to import: a window starts without it, and the first ticket of the
    # day pays for it (bench/README.md, app_start.py).
    from escpos.printer import Dummy

    printer: Dummy | None = getattr(_printers, "dummy", None)
    if printer is None:
        printer = _printers.dummy = Dummy(profile=PROFILE)
    printer.clear()
    return printer


@functools.lru_cache(maxsize=16)
def _start(table: int) -> bytes:
    printer = _printer()
    printer.hw("INIT")
    printer._raw(ESC + b"t" + bytes([table]))
    return bytes(printer.output)


# Every ticket repeats the office's header and captions: their bytes are kept per block, with
# the style the printer is left in, so a ticket only renders what changed.
@functools.lru_cache(maxsize=1024)
def _block_bytes(rows: tuple[Printed, ...], columns: int, codepage: str, style: _Style
                 ) -> tuple[bytes, _Style]:
    from escpos.constants import QR_ECLEVEL_M

    printer = _printer()
    align, bold, size = style

    def set_align(wanted: Align) -> None:
        nonlocal align
        if wanted != align:
            printer.set(align=wanted)
            align = wanted

    for item in rows:
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
            printer._raw(encode_text(item.text, codepage) + LF)
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
    return bytes(printer.output), _Style(align, bold, size)
