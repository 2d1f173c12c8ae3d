"""Real documents for attachment tests: PDFs written object by object (with their
cross-reference table, as any PDF writer would), pictures that Pillow writes."""

from __future__ import annotations

import io

from PIL import Image


def pdf_with(content: bytes, stream_keys: str = "") -> bytes:
    """A one-page A4 PDF whose page draws `content` (its stream dictionary adds
    `stream_keys`, e.g. «/Filter /FlateDecode»)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(content), stream_keys.encode(),
                                                         content),
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def pdf(size: int | None = None) -> bytes:
    """A blank page with a line of text; `size`: exactly that many bytes (a longer comment
    in the page's content)."""
    text = b"BT /F1 12 Tf 72 770 Td (Solicitud) Tj ET"
    if size is None:
        return pdf_with(text)
    padding = 0
    for _ in range(5):  # the stream's /Length and the offsets grow a digit: converge
        content = pdf_with(text + b"\n%" + b"0" * padding)
        if len(content) == size:
            return content
        padding += size - len(content)
    raise AssertionError(f"no PDF of exactly {size} bytes")


def picture(image_format: str = "PNG", width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, format=image_format)
    return out.getvalue()
