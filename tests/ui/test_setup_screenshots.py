"""`make screenshots` for «Configurar esta PC»: each page of the hub PC's path and the join
page, rendered offscreen (and the refusals said on their page)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from pytestqt.qtbot import QtBot

from ui.setup_wizard import screenshot


def test_every_wizard_page(qtbot: QtBot, tmp_path: Path) -> None:
    saved = screenshot.save_setup_screenshots(tmp_path)
    assert [path.name for path in saved] == [
        f"configurar-{name}.png" for name in (
            "01-inicio", "02-oficina", "03-administrador-error", "04-impresora", "05-pruebas",
            "06-listo", "07-unirse", "08-unirse-error", "09-unirse-impresora",
            "10-unirse-pruebas", "11-unirse-listo")]
    for path in saved:
        with Image.open(path) as image:
            assert image.width >= 700 and image.height >= 500, path.name
            colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
            assert colours is not None and len(colours) > 50, path.name
    with Image.open(saved[2]) as page:  # the refusal's pink box is on the page
        assert (253, 236, 236) in {colour for _, colour in
                                   page.convert("RGB").getcolors(maxcolors=1 << 16) or []}
