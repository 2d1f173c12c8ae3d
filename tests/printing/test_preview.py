"""PNG previews: the paper's dot width, a QR that scans, and no crash without fonts."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from printing import preview
from printing.blocks import Layout, Text
from printing.layout import receipt_layout, requirements_layout, ticket_layout
from tests.printing.conftest import RECEIPT, RECEIPT_QR, REQUIREMENTS, TICKET, TICKET_QR

DOTS = {58: 384, 80: 576}


def scanned(image: Image.Image) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(image)]


def test_ticket_preview_width_and_qr(width_mm: int) -> None:
    png = preview.preview_png(ticket_layout(TICKET), width_mm)
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.width == DOTS[width_mm]
        assert image.height > image.width  # a strip of paper
        assert scanned(image) == [TICKET_QR]


def test_receipt_and_requirements_previews_scan(width_mm: int) -> None:
    assert scanned(preview.preview_image(receipt_layout(RECEIPT), width_mm)) == [RECEIPT_QR]
    assert scanned(preview.preview_image(requirements_layout(REQUIREMENTS), width_mm)) == [
        REQUIREMENTS.qr_payload]


def test_large_number_is_drawn_large() -> None:
    """The ticket number's ink spans most of the 58 mm paper (5 characters at 6x = 360 dots)."""
    image = preview.preview_image(Layout((Text("A-023", align="center", size=6),)), 58)
    left, top, right, bottom = image.point(lambda v: 255 - v).getbbox() or (0, 0, 0, 0)
    assert right - left > 300 and bottom - top > 80  # size 1 letters are ~17 dots tall


def test_reprint_preview_differs_from_original() -> None:
    original = preview.preview_image(ticket_layout(TICKET), 80)
    reprint = preview.preview_image(ticket_layout(replace(TICKET, reprint=True)), 80)
    assert reprint.height > original.height


@pytest.fixture
def no_fonts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(preview, "_FONT_DIRS", ())
    preview._font_path.cache_clear()
    preview._font.cache_clear()
    yield
    preview._font_path.cache_clear()
    preview._font.cache_clear()


@pytest.mark.usefixtures("no_fonts")
def test_missing_fonts_fall_back_to_pillow(width_mm: int) -> None:
    assert preview._font_path(False) is None
    image = preview.preview_image(ticket_layout(TICKET), width_mm)
    assert image.width == DOTS[width_mm]
    assert scanned(image) == [TICKET_QR]


def test_save_preview_writes_a_png(tmp_path: Path) -> None:
    target = tmp_path / "ticket.png"
    preview.save_preview(ticket_layout(TICKET), target, 58)
    with Image.open(target) as image:
        assert image.size[0] == 384
