"""The office's logo as the printer prints it: black and white, at most the paper's width.

The hub checked the PNG when the administrator uploaded it (kiosk.services.office_settings);
here it is flattened onto white (transparent parts print as paper), shrunk to fit (never
enlarged) and dithered to 1 bit, the same for the ESC/POS bytes and the preview.
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image


@lru_cache(maxsize=4)
def logo_bitmap(png: bytes, max_dots: int) -> Image.Image:
    """The logo in mode "1", at most `max_dots` wide (a multiple of 8: whole raster bytes)."""
    with Image.open(io.BytesIO(png)) as source:
        rgba = source.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    gray = Image.alpha_composite(white, rgba).convert("L")
    width = max(8, min(gray.width, max_dots) // 8 * 8)
    if width != gray.width:
        height = max(1, round(gray.height * width / gray.width))
        gray = gray.resize((width, height), Image.Resampling.LANCZOS)
    return gray.convert("1")
