"""An attachment's content opened with the library for its type: a PDF with pypdf, a PNG or
JPG with Pillow. The first bytes alone prove nothing (issue 14: `%PDF-` followed by an
executable or a web page passed as a PDF).

Hostile files are refused quickly and never become a server error: pypdf's and Pillow's own
limits bound what opening may decompress (a PDF whose streams inflate to gigabytes, a PNG that
declares 400 megapixels in a few bytes), and every failure of either library is a refusal.
Both are imported when a file is attached, not when the hub starts.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from kiosk.errors import InvalidInput

if TYPE_CHECKING:
    from pypdf import PdfReader

MAX_PAGES = 2000
# What opening a PDF may inflate, per stream and in all (a scan's pages hold images that are
# never decoded here, and content streams of a few hundred bytes each).
PDF_STREAM_MAX_BYTES = 16 * 1024 * 1024
PDF_WORK_MAX_BYTES = 64 * 1024 * 1024
# An A4 page scanned at 600 dpi is 35 megapixels; Pillow's own bomb check comes first.
MAX_PIXELS = 60_000_000
IMAGE_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}


def _unreadable(file_name: str, label: str) -> InvalidInput:
    return InvalidInput("invalid_attachment",
                        f"El archivo «{file_name}» no se puede abrir como {label}: está dañado "
                        "o no es lo que dice ser. Escanéelo o expórtelo de nuevo.")


def check_opens(file_name: str, media_type: str, label: str, content: bytes) -> None:
    """Refuse (InvalidInput) a file that does not open as a whole document of its type."""
    if media_type == "application/pdf":
        _check_pdf(file_name, content)
    else:
        _check_image(file_name, IMAGE_FORMATS[media_type], label, content)


def _check_pdf(file_name: str, content: bytes) -> None:
    import pypdf
    from pypdf.errors import PyPdfError

    limits = pypdf.Configuration().with_overwrites(
        zlib_maximum_output_length=PDF_STREAM_MAX_BYTES,
        lzw_maximum_output_length=PDF_STREAM_MAX_BYTES,
        run_length_maximum_output_length=PDF_STREAM_MAX_BYTES,
        array_based_stream_maximum_output_length=PDF_STREAM_MAX_BYTES,
        brotli_maximum_output_length=PDF_STREAM_MAX_BYTES,
        stream_decoding_work_maximum_length=PDF_WORK_MAX_BYTES,
        page_tree_maximum_entries=MAX_PAGES,
        page_tree_maximum_page_entries=MAX_PAGES * 50)
    try:
        with pypdf.apply_configuration(limits):  # this thread's reads only
            reader = pypdf.PdfReader(io.BytesIO(content), strict=False)
            pages = _pages(reader, file_name)
    except InvalidInput:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError,
            RecursionError, OSError, AssertionError, NotImplementedError) as exc:
        raise _unreadable(file_name, "PDF") from exc
    if pages > MAX_PAGES:
        raise InvalidInput("invalid_attachment",
                           f"El archivo «{file_name}» tiene {pages} páginas; el máximo es "
                           f"{MAX_PAGES}. Divídalo en partes.")


def _pages(reader: PdfReader, file_name: str) -> int:
    """Every page read with its content (so the page tree and the streams are whole)."""
    if reader.is_encrypted and not reader.decrypt(""):
        raise InvalidInput("invalid_attachment",
                           f"El archivo «{file_name}» está protegido con contraseña. Adjunte el "
                           "documento sin contraseña.")
    count = len(reader.pages)
    if count == 0:
        raise _unreadable(file_name, "PDF")
    for page in reader.pages[:MAX_PAGES]:
        _ = page.mediabox
        contents = page.get_contents()
        if contents is not None:
            contents.get_data()
    return count


def _check_image(file_name: str, image_format: str, label: str, content: bytes) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content), formats=[image_format]) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise InvalidInput("invalid_attachment",
                                   f"La imagen «{file_name}» mide {width}×{height} píxeles; "
                                   f"el máximo es {MAX_PIXELS // 1_000_000} megapíxeles. "
                                   "Escanéela con menor resolución.")
            probe.verify()
        with Image.open(io.BytesIO(content), formats=[image_format]) as image:
            image.load()
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InvalidInput("invalid_attachment",
                           f"La imagen «{file_name}» declara un tamaño desmesurado; no se "
                           "abre. Escanéela de nuevo.") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, TypeError, IndexError,
            KeyError, EOFError, MemoryError) as exc:
        raise _unreadable(file_name, label) from exc
