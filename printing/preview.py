"""A layout drawn as the printer would print it: a PNG at the paper's dot width (Pillow, no Qt).

The rows are the very ones the ESC/POS renderer sends (printing.blocks.printed_lines). Each
character is drawn centred in its font-A cell (12 x 24 dots times the size multiplier) so the
columns match the paper even with a proportional fallback font. The QR is a real image
(qrcode) so the preview can be scanned.
"""

from __future__ import annotations

import io
import sys
from functools import cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from printing.blocks import QR, Cut, Layout, Line, Logo, paper, printed_lines
from printing.encoding import DEFAULT_CODEPAGE, codepage_name, printable_text
from printing.logo import logo_bitmap

CELL_W, CELL_H = 12, 24  # font A
LINE_SPACING = 30  # ESC 2 default: 1/6 inch ~ 30 dots at 203 dpi
MARGIN = 16  # paper above the first row and below the cut line, in dots
CUT_FEED = 3  # rows fed past the last line before the cut (the cutter sits above the head)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu
    Path("/usr/share/fonts/dejavu"),  # Fedora, Arch
    Path("/usr/share/fonts/TTF"),
    Path("/Library/Fonts"),
    Path(sys.prefix) / "share" / "fonts",
    Path("C:/Windows/Fonts"),
)
# Monospaced first (the printer's font is); every one has the Spanish letters.
_FONT_FILES = {
    False: ("DejaVuSansMono.ttf", "DejaVuSans.ttf", "consola.ttf", "cour.ttf"),
    True: ("DejaVuSansMono-Bold.ttf", "DejaVuSans-Bold.ttf", "consolab.ttf", "courbd.ttf"),
}


@cache
def _font_path(bold: bool) -> Path | None:
    for name in _FONT_FILES[bold]:
        for folder in _FONT_DIRS:
            if (folder / name).is_file():
                return folder / name
    return None


@cache
def _font(bold: bool, size: int) -> tuple[Font, bool]:
    """A font for text `size` times font A, and whether bold must be drawn (stroked)."""
    pixels = 20 * size  # DejaVu Sans Mono at 20 px: 12 px advance, 24 px ascent + descent
    faces = [(_font_path(True), False), (_font_path(False), True)] if bold else [
        (_font_path(False), False)]
    for path, synthetic_bold in faces:
        if path is not None:
            try:
                return ImageFont.truetype(str(path), pixels), synthetic_bold
            except OSError:
                continue  # unreadable or broken file: try the next face, then Pillow's own
    return ImageFont.load_default(size=pixels), bold


def _row_height(size: int) -> int:
    return max(LINE_SPACING, CELL_H * size + 6)


def _qr_image(block: QR) -> Image.Image:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M,
                         box_size=block.module_dots, border=4)
    code.add_data(block.payload)
    code.make(fit=True)
    image: Image.Image = code.make_image().get_image()
    return image.convert("L")


def _draw_line(draw: ImageDraw.ImageDraw, line: Line, y: int, width: int, codepage: str
               ) -> None:
    text = printable_text(line.text, codepage)  # "–" shows as the "-" the printer prints
    cell = CELL_W * line.size
    used = len(text) * cell
    x0 = {"left": 0, "center": (width - used) // 2, "right": width - used}[line.align]
    font, stroke = _font(line.bold, line.size)
    for index, char in enumerate(text):
        if char == " ":
            continue
        x = x0 + index * cell + cell // 2
        draw.text((x, y), char, font=font, fill=0, anchor="ma",
                  stroke_width=1 if stroke else 0, stroke_fill=0)


def preview_image(layout: Layout, width_mm: int = 80, codepage: str = DEFAULT_CODEPAGE
                  ) -> Image.Image:
    """The printout as a grayscale image, `paper(width_mm).dots` pixels wide."""
    sheet = paper(width_mm)
    codepage_name(codepage)  # a bad setting fails here, not halfway through the drawing
    items = printed_lines(layout, sheet.columns)
    qr_images = {id(item): _qr_image(item) for item in items if isinstance(item, QR)}
    logos = {id(item): logo_bitmap(item.png, item.max_dots).convert("L")
             for item in items if isinstance(item, Logo)}

    def height(item: Line | QR | Cut | Logo) -> int:
        if isinstance(item, Line):
            return _row_height(item.size if item.text else 1)
        if isinstance(item, QR):
            return qr_images[id(item)].height + LINE_SPACING
        if isinstance(item, Logo):
            return logos[id(item)].height + LINE_SPACING
        return LINE_SPACING * CUT_FEED + MARGIN

    total = MARGIN + sum(height(item) for item in items) + MARGIN
    image = Image.new("L", (sheet.dots, total), 255)
    draw = ImageDraw.Draw(image)
    y = MARGIN
    for item in items:
        if isinstance(item, Line):
            _draw_line(draw, item, y, sheet.dots, codepage)
        elif isinstance(item, QR | Logo):
            symbol = qr_images[id(item)] if isinstance(item, QR) else logos[id(item)]
            free = sheet.dots - symbol.width
            x = {"left": 0, "center": free // 2, "right": free}[item.align]
            image.paste(symbol, (max(x, 0), y))
        else:
            cut_y = y + LINE_SPACING * CUT_FEED
            for x in range(0, sheet.dots, 16):  # the cut, as a dashed line
                draw.line([(x, cut_y), (x + 8, cut_y)], fill=128, width=2)
        y += height(item)
    return image


def preview_png(layout: Layout, width_mm: int = 80, codepage: str = DEFAULT_CODEPAGE) -> bytes:
    buffer = io.BytesIO()
    preview_image(layout, width_mm, codepage).save(buffer, format="PNG")
    return buffer.getvalue()


def save_preview(layout: Layout, path: Path, width_mm: int = 80,
                 codepage: str = DEFAULT_CODEPAGE) -> None:
    path.write_bytes(preview_png(layout, width_mm, codepage))
