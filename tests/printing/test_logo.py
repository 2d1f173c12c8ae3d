"""The office's logo on tickets: a GS v 0 raster image before the header, decoded back."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image

from printing.blocks import paper
from printing.escpos_render import render_bytes
from printing.hub_test_page import printer_test_layout
from printing.layout import ticket_layout
from printing.preview import preview_image
from tests.printing.conftest import TICKET
from tests.printing.escpos_decoder import decode


def logo_png(width: int, height: int, box: tuple[int, int, int, int]) -> bytes:
    """White (partly transparent) with a black rectangle `box` = (left, top, right, bottom)."""
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    left, top, right, bottom = box
    for x in range(left, right):
        for y in range(top, bottom):
            image.putpixel((x, y), (0, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_the_logo_is_a_raster_image_above_the_header() -> None:
    png = logo_png(80, 40, (8, 10, 72, 30))
    decoded = decode(render_bytes(ticket_layout(replace(TICKET, logo=png)), 80, "CP858"))
    assert len(decoded.images) == 1
    image = decoded.images[0]
    assert (image.width, image.height, image.align) == (80, 40, "center")
    # Exactly the black rectangle is black: the transparent background prints as paper.
    black = {(x, y) for y, row in enumerate(image.rows) for x, dot in enumerate(row) if dot}
    assert black == {(x, y) for x in range(8, 72) for y in range(10, 30)}
    # Before anything else is printed; the ticket itself follows unchanged.
    first_line = decoded.commands.index("line")
    assert decoded.commands.index("image") < first_line
    plain = decode(render_bytes(ticket_layout(TICKET), 80, "CP858"))
    assert decoded.lines[1:] == plain.lines
    assert decoded.lines[0].text == ""  # the feed after the image
    assert plain.images == [] and decoded.ends_with_cut


@pytest.mark.parametrize(("width_mm", "expected"), [(80, 384), (58, 384)])
def test_a_wide_logo_is_shrunk_to_fit(width_mm: int, expected: int) -> None:
    png = logo_png(1000, 100, (0, 0, 1000, 100))
    decoded = decode(render_bytes(ticket_layout(replace(TICKET, logo=png)), width_mm))
    image = decoded.images[0]
    assert image.width == expected <= paper(width_mm).dots
    assert image.height == round(100 * expected / 1000)
    assert image.black == image.width * image.height


def test_the_preview_shows_the_logo_and_the_test_page_has_it() -> None:
    from kiosk.config import OfficeConfig

    png = logo_png(64, 64, (0, 0, 64, 64))
    with_logo = preview_image(ticket_layout(replace(TICKET, logo=png)))
    without = preview_image(ticket_layout(TICKET))
    assert with_logo.height > without.height
    config = OfficeConfig(office_code="CAJ", office_name="CAC Cajamarca")
    page = decode(render_bytes(printer_test_layout(config, TICKET.issued_at, png)))
    assert len(page.images) == 1 and "PÁGINA DE PRUEBA" in page.text
    assert decode(render_bytes(printer_test_layout(config, TICKET.issued_at, None))).images == []
