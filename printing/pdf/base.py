"""The A4 page every office PDF shares (fpdf2): fonts, header, footer, reprint mark, QR, tables.

Fonts are the DejaVu Sans files bundled in assets/fonts (an office PC on Windows has no DejaVu),
embedded as subsets so the PDF prints the same anywhere. The creation date comes from the
document's own data and fpdf2 derives the file id from the content, so the same input gives the
same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import qrcode
from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos

from printing.blocks import clean
from printing.errors import PrinterError

FONTS_DIR = Path(__file__).resolve().parent.parent.parent / "assets" / "fonts"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FAMILY = "DejaVu"
CREATOR = "CAC Kiosk"
LANG = "es-PE"

MARGIN = 18.0  # mm: left and right
TOP = 12.0  # mm above the header
BOTTOM = 16.0  # mm kept free for the footer
GRAY = 235  # section and heading fill
LINE = 4.6  # mm per row of body text
PAD = (0.6, 2, 0.6, 2)  # table cell padding: top, right, bottom, left (mm)

BOLD = FontFace(emphasis="BOLD")
HEADING = FontFace(emphasis="BOLD", fill_color=GRAY)


def font_paths() -> dict[str, Path]:
    """The bundled font files; a missing file is a Spanish error (a broken install)."""
    paths = {style: FONTS_DIR / name for style, name in FONT_FILES.items()}
    missing = [path.name for path in paths.values() if not path.is_file()]
    if missing:
        raise PrinterError(
            "missing_font",
            f"Faltan las fuentes del programa ({', '.join(missing)} en {FONTS_DIR}). "
            "Reinstale CAC Kiosk.")
    return paths


@dataclass(frozen=True)
class PageInfo:
    """What every page of a document repeats."""

    municipality: str
    office_name: str
    unit: str = ""  # "Registro del Estado Civil", "Mesa de partes"
    mark: str = ""  # "REIMPRESIÓN" / "DUPLICADO" on every page of a reprint
    footer: str = ""


class OfficePdf(FPDF):
    """An A4 portrait document with the office's header, the reprint mark and page numbers."""

    def __init__(self, info: PageInfo, *, title: str, subject: str, created_at: datetime,
                 keywords: Sequence[str] = ()) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.page_info = info
        for style, path in font_paths().items():
            self.add_font(FAMILY, style, path)
        self.set_margins(MARGIN, TOP, MARGIN)
        self.set_auto_page_break(auto=True, margin=BOTTOM)
        self.set_title(title)
        self.set_author(info.office_name)
        self.set_subject(subject)
        self.set_creator(CREATOR)
        if keywords:
            self.set_keywords(", ".join(keywords))
        self.set_lang(LANG)
        self.set_creation_date(created_at)
        self.set_display_mode("fullwidth")
        self.set_font(FAMILY, "", 10)

    # --- fpdf2 hooks --------------------------------------------------------------------

    def normalize_text(self, text: str) -> str:
        """Every string drawn passes here: NFC, and control characters typed into data (a stray
        ESC in a name) shown as "?" instead of reaching the PDF as missing glyphs."""
        return super().normalize_text(clean(text))

    def header(self) -> None:
        info = self.page_info
        mark_width = 0.0
        if info.mark:
            self.set_font(FAMILY, "B", 12)
            mark_width = self.get_string_width(info.mark) + 8
            self.set_line_width(0.6)
            self.set_xy(self.w - MARGIN - mark_width, TOP)
            self.cell(mark_width, 9, info.mark, border=1, align="C")
            self.set_line_width(0.2)
        width = self.epw - 2 * mark_width  # the header stays centred on the page
        self.set_xy(MARGIN + mark_width, TOP)
        if info.municipality:
            self.set_font(FAMILY, "B", 13)
            self.multi_cell(width, 6, info.municipality, align="C",
                            new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font(FAMILY, "", 10)
        self.multi_cell(width, 5, info.office_name, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        if info.unit:
            self.multi_cell(width, 5, info.unit, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        y = max(self.get_y(), TOP + 10) + 1.5
        self.set_draw_color(0)
        self.line(MARGIN, y, self.w - MARGIN, y)
        self.set_xy(MARGIN, y + 3)
        self.set_font(FAMILY, "", 10)

    def footer(self) -> None:
        self.set_y(-BOTTOM + 6)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(80)
        page = f"Página {self.page_no()} de {{nb}}"
        page_width = self.get_string_width(page.replace("{nb}", "99")) + 2
        if self.page_info.footer:
            self.set_x(MARGIN)
            self.multi_cell(self.epw - page_width - 4, 4, self.page_info.footer, align="L",
                            new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.set_xy(self.w - MARGIN - page_width, -BOTTOM + 6)
        self.cell(page_width, 4, page, align="R")
        self.set_text_color(0)

    # --- building blocks ----------------------------------------------------------------

    def title_block(self, title: str, subtitle: str = "") -> None:
        self.set_font(FAMILY, "B", 16)
        self.multi_cell(0, 7.5, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.set_font(FAMILY, "", 9)
            self.multi_cell(0, 4.5, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2.5)
        self.set_font(FAMILY, "", 10)

    def section(self, text: str) -> None:
        """A shaded heading; starts a new page when fewer than 3 rows would follow it."""
        if self.get_y() + 7 + 3 * LINE > self.page_break_trigger:
            self.add_page()
        self.ln(1.5)
        self.set_font(FAMILY, "B", 10)
        self.set_fill_color(GRAY)
        self.cell(0, 6, f"  {text}", fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_fill_color(255)
        self.ln(1)
        self.set_font(FAMILY, "", 10)

    def facts(self, rows: Sequence[tuple[str, str]], label_width: float = 42,
              line_height: float = LINE) -> None:
        """Label / value rows, the label in bold, thin lines between rows (current font)."""
        if not rows:
            return
        with self.table(col_widths=(label_width, self.epw - label_width), width=self.epw,
                        first_row_as_headings=False, borders_layout="HORIZONTAL_LINES",
                        text_align=("LEFT", "LEFT"), line_height=line_height,
                        padding=PAD) as table:
            for label, value in rows:
                row = table.row()
                row.cell(label, style=BOLD)
                row.cell(value)

    def paragraph(self, text: str, *, bold: bool = False, size: float = 10,
                  align: str = "J", line_height: float = LINE) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        self.multi_cell(0, line_height, text, align=align, new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)
        self.set_font(FAMILY, "", 10)

    def qr(self, payload: str, x: float, y: float, size: float) -> None:
        """A vector QR code (error correction M), `size` mm square without its quiet zone;
        keep 4 modules of white around it."""
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
        code.add_data(payload)
        code.make(fit=True)
        matrix: list[list[bool]] = code.get_matrix()
        module = size / len(matrix)
        self.set_fill_color(0)
        for r, row in enumerate(matrix):
            c = 0
            while c < len(row):  # one rectangle per run of dark modules
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < len(row) and row[c]:
                    c += 1
                self.rect(x + start * module, y + r * module, (c - start) * module, module,
                          style="F")

    def signature(self, x: float, y: float, width: float, caption: str,
                  name: str = "") -> None:
        """A line to sign on with the name and the role under it."""
        self.set_draw_color(0)
        self.line(x, y, x + width, y)
        self.set_xy(x, y + 1)
        if name:
            self.set_font(FAMILY, "B", 9)
            self.multi_cell(width, 4.5, name, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font(FAMILY, "", 9)
        self.multi_cell(width, 4.5, caption, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font(FAMILY, "", 10)

    def ensure_room(self, height: float) -> None:
        """Start a new page unless `height` mm fit above the footer."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def to_bytes(self) -> bytes:
        return bytes(self.output())
