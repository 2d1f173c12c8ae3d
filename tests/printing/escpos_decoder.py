"""A strict ESC/POS reader for the tests: it knows only the commands the renderer may send.

Any other byte below 0x20 (or an unknown ESC / GS command) fails, so garbage in the output, or a
control character smuggled in through data, cannot go unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# ESC t n -> Python codec (Epson numbering).
CODECS = {0: "cp437", 2: "cp850", 16: "cp1252", 19: "cp858"}
ALIGN = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}


class DecodeError(AssertionError):
    pass


@dataclass(frozen=True)
class PrintedLine:
    text: str
    align: str
    bold: bool
    width: int  # character width multiplier
    height: int


@dataclass(frozen=True)
class RasterImage:
    """A GS v 0 raster bit image: `rows[y][x]` is True for a black dot."""

    width: int  # dots
    height: int
    align: str
    rows: tuple[tuple[bool, ...], ...]

    @property
    def black(self) -> int:
        return sum(sum(row) for row in self.rows)


@dataclass
class Decoded:
    codepage: int | None = None
    lines: list[PrintedLine] = field(default_factory=list)
    qr_payloads: list[str] = field(default_factory=list)
    qr_prints: int = 0
    images: list[RasterImage] = field(default_factory=list)  # GS v 0 bit images, in order
    commands: list[str] = field(default_factory=list)  # names, in order

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def ends_with_cut(self) -> bool:
        return bool(self.commands) and self.commands[-1] == "cut"


def decode(data: bytes) -> Decoded:
    out = Decoded()
    align, bold, width, height = "left", False, 1, 1
    pending = bytearray()
    i = 0

    def need(count: int) -> bytes:
        if i + count > len(data):
            raise DecodeError(f"truncated command at byte {i}")
        return data[i:i + count]

    while i < len(data):
        byte = data[i]
        if byte == 0x1B:  # ESC
            cmd = need(2)[1:2]
            if cmd == b"@":
                align, bold, width, height, out.codepage = "left", False, 1, 1, None
                out.commands.append("init")
                i += 2
            elif cmd == b"t":
                number = need(3)[2]
                if number not in CODECS:
                    raise DecodeError(f"code page {number} unknown to the test decoder")
                out.codepage = number
                out.commands.append(f"codepage {number}")
                i += 3
            elif cmd == b"a":
                value = need(3)[2]
                if value not in ALIGN:
                    raise DecodeError(f"bad ESC a {value}")
                align = ALIGN[value]
                out.commands.append(f"align {align}")
                i += 3
            elif cmd == b"E":
                value = need(3)[2]
                if value not in (0, 1):
                    raise DecodeError(f"bad ESC E {value}")
                bold = value == 1
                out.commands.append(f"bold {bold}")
                i += 3
            elif cmd == b"d":
                out.commands.append(f"feed {need(3)[2]}")
                i += 3
            else:
                raise DecodeError(f"unknown command ESC {cmd!r} at byte {i}")
        elif byte == 0x1D:  # GS
            cmd = need(2)[1:2]
            if cmd == b"!":
                value = need(3)[2]
                width, height = (value >> 4) + 1, (value & 0x0F) + 1
                if width > 8 or height > 8:
                    raise DecodeError(f"bad GS ! {value:#x}")
                out.commands.append(f"size {width}x{height}")
                i += 3
            elif cmd == b"(" and need(3)[2:3] == b"k":
                header = need(5)
                length = header[3] + 256 * header[4]
                body = need(5 + length)[5:]
                cn, fn, rest = body[0], body[1], body[2:]
                if cn != ord("1"):
                    raise DecodeError(f"GS ( k for a symbol other than QR: cn={cn}")
                if fn == 80:  # store the data
                    if rest[:1] != b"0":
                        raise DecodeError("GS ( k store without m=48")
                    out.qr_payloads.append(rest[1:].decode("utf-8"))
                    out.commands.append("qr store")
                elif fn == 81:
                    out.qr_prints += 1
                    out.commands.append("qr print")
                elif fn in (65, 67, 69):  # model, module size, error correction
                    out.commands.append(f"qr setting {fn}")
                else:
                    raise DecodeError(f"unknown GS ( k function {fn}")
                i += 5 + length
            elif cmd == b"v" and need(3)[2:3] == b"0":
                header = need(8)
                mode, width_bytes = header[3], header[4] + 256 * header[5]
                rows_count = header[6] + 256 * header[7]
                if mode not in (0, 1, 2, 3, 48, 49, 50, 51) or not width_bytes or not rows_count:
                    raise DecodeError(f"bad GS v 0 header {header!r}")
                raster = need(8 + width_bytes * rows_count)[8:]
                rows = tuple(
                    tuple(bool(raster[y * width_bytes + x // 8] & (0x80 >> (x % 8)))
                          for x in range(width_bytes * 8))
                    for y in range(rows_count))
                out.images.append(RasterImage(width_bytes * 8, rows_count, align, rows))
                out.commands.append("image")
                i += 8 + width_bytes * rows_count
            elif cmd == b"V":
                mode = need(3)[2]
                if mode in (0, 1, 48, 49):
                    i += 3
                elif mode in (65, 66):
                    i += 4
                else:
                    raise DecodeError(f"bad GS V {mode}")
                out.commands.append("cut")
            else:
                raise DecodeError(f"unknown command GS {cmd!r} at byte {i}")
        elif byte == 0x0A:  # LF ends a printed line
            if pending and out.codepage is None:
                raise DecodeError("text before any ESC t code page selection")
            text = bytes(pending).decode(CODECS[out.codepage]) if pending else ""
            out.lines.append(PrintedLine(text, align, bold, width, height))
            out.commands.append("line")
            pending.clear()
            i += 1
        elif byte < 0x20 or byte == 0x7F:
            raise DecodeError(f"unexpected control byte {byte:#04x} at byte {i}")
        else:
            pending.append(byte)
            i += 1
    if pending:
        raise DecodeError("text left without a line feed at the end")
    return out


def dump(data: bytes) -> str:
    """The job as readable text: one row per printed line, with its style."""
    decoded = decode(data)
    rows = [f"code page {decoded.codepage}"]
    for line in decoded.lines:
        style = f"{line.align[0]}{'B' if line.bold else ' '}{line.width}x{line.height}"
        rows.append(f"{style} |{line.text}")
    rows += [f"QR: {payload}" for payload in decoded.qr_payloads]
    rows.append("cut" if decoded.ends_with_cut else "NO CUT AT THE END")
    return "\n".join(rows)


if __name__ == "__main__":  # python -m tests.printing.escpos_decoder FILE.bin
    import sys
    from pathlib import Path

    print(dump(Path(sys.argv[1]).read_bytes()))
