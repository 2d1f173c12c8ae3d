"""Attachments are opened with the library for their type (issue 14): a file that merely begins
like a PDF or a picture is refused in Spanish, hostile ones quickly, none with a server error;
in-process and over HTTP."""

from __future__ import annotations

import struct
import time
import zlib
from collections.abc import Iterator

import pytest

from kiosk.client.http import HttpHubClient
from kiosk.errors import InvalidInput
from kiosk.hub import OfficeHub
from kiosk.services.devices import DeviceIdentity
from tests import files
from tests.conftest import CLERK, RunningHub
from tests.integration.test_expedientes import partida
from tests.integration.test_expedientes_refusals import refused

UNREADABLE = ("El archivo «{name}» no se puede abrir como {label}: está dañado o no es lo que "
              "dice ser. Escanéelo o expórtelo de nuevo.")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header declares this size, with a few bytes of pixels: what a
    decompression bomb looks like before anything is decoded."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"\0" * 1024)) + _chunk(b"IEND", b""))


def zlib_bomb(inflated_mb: int) -> bytes:
    compressor = zlib.compressobj(9)
    zeros = b"\0" * (1024 * 1024)
    return b"".join(compressor.compress(zeros) for _ in range(inflated_mb)) + compressor.flush()


HOSTILE = [
    pytest.param("solicitud.pdf", "application/pdf", b"%PDF-1.7\nMZ\x90\x00\x03" + b"\0" * 200,
                 "PDF", id="an executable behind %PDF-"),
    pytest.param("solicitud.pdf", "application/pdf",
                 b"%PDF-1.4\n<html><body><script>alert('x')</script></body></html>\n%%EOF\n",
                 "PDF", id="a web page behind %PDF-"),
    pytest.param("solicitud.pdf", "application/pdf",
                 b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n"
                 b"%%EOF\n", "PDF", id="a PDF with no pages"),
    pytest.param("solicitud.pdf", "application/pdf", files.pdf()[:200], "PDF",
                 id="a truncated PDF"),
    pytest.param("foto.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"<html></html>" * 10, "PNG",
                 id="a web page behind the PNG signature"),
    pytest.param("foto.png", "image/png", files.picture("PNG", 400, 300)[:300], "PNG",
                 id="a truncated PNG"),
    pytest.param("dni.jpg", "image/jpeg", b"\xff\xd8\xff\xe0" + b"\0" * 64, "JPG",
                 id="zeros behind the JPEG marker"),
    pytest.param("dni.jpg", "image/jpeg", files.picture("JPEG", 400, 300)[:400], "JPG",
                 id="a truncated JPEG"),
]


@pytest.mark.parametrize(("name", "media_type", "content", "label"), HOSTILE)
def test_what_does_not_open_as_its_type_is_refused(hub: OfficeHub, clerk: DeviceIdentity,
                                                   name: str, media_type: str,
                                                   content: bytes, label: str) -> None:
    number = hub.file_expediente(clerk, partida()).number
    message = refused(hub, InvalidInput, "invalid_attachment", lambda: hub.attach(
        clerk, number, name, media_type, content))
    assert message == UNREADABLE.format(name=name, label=label)


def test_real_documents_of_each_type_are_kept(hub: OfficeHub, clerk: DeviceIdentity) -> None:
    number = hub.file_expediente(clerk, partida()).number
    for name, media_type, content in (("solicitud.pdf", "application/pdf", files.pdf()),
                                      ("plano.png", "image/png", files.picture("PNG")),
                                      ("dni.jpg", "image/jpeg", files.picture("JPEG"))):
        assert hub.attach(clerk, number, name, media_type, content).size == len(content)
    assert len(hub.expediente(clerk, number).attachments) == 3


def test_a_pdf_bomb_is_refused_quickly(hub: OfficeHub, clerk: DeviceIdentity) -> None:
    """A page whose content inflates to a gigabyte, in a 1 MB file."""
    number = hub.file_expediente(clerk, partida()).number
    bomb = files.pdf_with(zlib_bomb(1024), "/Filter /FlateDecode")
    assert len(bomb) < 2 * 1024 * 1024
    began = time.monotonic()
    refused(hub, InvalidInput, "invalid_attachment", lambda: hub.attach(
        clerk, number, "bomba.pdf", "application/pdf", bomb))
    assert time.monotonic() - began < 5  # it stops at pypdf's limit, far below a gigabyte


@pytest.mark.parametrize(("width", "height", "message"), [
    (20_000, 20_000, "La imagen «plano.png» declara un tamaño desmesurado; no se abre. "
                     "Escanéela de nuevo."),
    (8_000, 8_000, "La imagen «plano.png» mide 8000×8000 píxeles; el máximo es 60 megapíxeles. "
                   "Escanéela con menor resolución."),
])
def test_an_image_bomb_is_refused_before_it_is_decoded(hub: OfficeHub, clerk: DeviceIdentity,
                                                       width: int, height: int, message: str
                                                       ) -> None:
    number = hub.file_expediente(clerk, partida()).number
    began = time.monotonic()
    assert refused(hub, InvalidInput, "invalid_attachment", lambda: hub.attach(
        clerk, number, "plano.png", "image/png", png_declaring(width, height))) == message
    assert time.monotonic() - began < 5


@pytest.fixture
def counter(server: RunningHub, tokens: dict[str, str]) -> Iterator[HttpHubClient]:
    client = HttpHubClient(server.url, tokens["counter"])
    client.login(*CLERK, counter=3)
    yield client
    client.close()


def test_hostile_files_over_http_get_a_spanish_422(counter: HttpHubClient) -> None:
    number = counter.file_expediente(partida()).number
    cases = [("solicitud.pdf", "application/pdf", b"%PDF-1.7\nMZ\x90\x00" + b"\0" * 100),
             ("bomba.pdf", "application/pdf",
              files.pdf_with(zlib_bomb(256), "/Filter /FlateDecode")),
             ("plano.png", "image/png", png_declaring(20_000, 20_000)),
             ("dni.jpg", "image/jpeg", b"\xff\xd8\xff" + b"\xff" * 100)]
    for name, media_type, content in cases:
        with pytest.raises(InvalidInput) as caught:
            counter.attach(number, name, media_type, content)
        assert caught.value.code == "invalid_attachment", name
        assert f"«{name}»" in caught.value.message
    assert counter.expediente(number).attachments == []
    kept = counter.attach(number, "solicitud.pdf", "application/pdf", files.pdf())
    assert counter.expediente(number).attachments == [kept]
