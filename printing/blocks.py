"""A print document as plain data: text, rules, feeds, a QR and a cut. No I/O here.

A layout does not know its paper. `printed_lines(layout, columns)` wraps it for one paper width
and both the ESC/POS renderer and the PNG preview draw exactly those lines, so the preview shows
what the printer prints and a line can never be wider than the paper.
"""

from __future__ import annotations

import functools
import re
import textwrap
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Literal

from printing.errors import PrinterError

Align = Literal["left", "center", "right"]
MAX_SIZE = 8  # GS ! takes width and height multipliers 1..8
MAX_QR_PAYLOAD = 200  # a short URL or an id (a QR of version <= 10 fits 58 mm paper)
# Bytes a QR of version 1..10 holds at error correction M (byte mode); side = 17 + 4 x version.
_QR_CAPACITY_M = (14, 26, 42, 62, 84, 106, 122, 152, 180, 213)


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise ValueError(what)


@dataclass(frozen=True)
class Text:
    """A paragraph, word-wrapped to the paper.

    `size` multiplies width and height. With `fit`, `size` is the largest wanted and is lowered
    until the text fits on one line (a ticket number is never split). `indent` indents the
    continuation lines (numbered lists).
    """

    text: str
    align: Align = "left"
    bold: bool = False
    size: int = 1
    fit: bool = False
    indent: int = 0

    def __post_init__(self) -> None:
        _check(1 <= self.size <= MAX_SIZE, f"text size must be 1..{MAX_SIZE}")
        _check(self.indent >= 0, "indent must be >= 0")


@dataclass(frozen=True)
class Pair:
    """A label on the left and a value flush right on the same line (receipt amounts)."""

    left: str
    right: str
    bold: bool = False
    size: int = 1

    def __post_init__(self) -> None:
        _check(1 <= self.size <= MAX_SIZE, f"text size must be 1..{MAX_SIZE}")


@dataclass(frozen=True)
class Rule:
    """A separator across the whole paper, drawn with one character."""

    char: str = "-"

    def __post_init__(self) -> None:
        _check(len(self.char) == 1 and self.char.isprintable(), "rule char must be one character")


@dataclass(frozen=True)
class Feed:
    lines: int = 1

    def __post_init__(self) -> None:
        _check(1 <= self.lines <= 10, "feed must be 1..10 lines")


@dataclass(frozen=True)
class QR:
    """A QR code; `module_dots` is the printer's dot size of one module (ESC/POS 1..16)."""

    payload: str
    module_dots: int = 6
    align: Align = "center"

    def __post_init__(self) -> None:
        _check(0 < len(self.payload.encode()) <= MAX_QR_PAYLOAD, "QR payload must be 1..200 bytes")
        _check(self.payload.isprintable(), "QR payload must be printable text")
        _check(1 <= self.module_dots <= 16, "QR module size must be 1..16 dots")


    def fitted(self, paper_dots: int) -> QR:
        """This QR with modules small enough for the symbol and its quiet zone to fit the paper."""
        size = len(self.payload.encode())
        version = next(v for v, cap in enumerate(_QR_CAPACITY_M, start=1) if size <= cap)
        side = 17 + 4 * version + 8  # modules plus a 4-module quiet zone each side
        dots = max(1, min(self.module_dots, paper_dots // side))
        return self if dots == self.module_dots else replace(self, module_dots=dots)


@dataclass(frozen=True)
class Cut:
    """Feed past the cutter and cut the paper."""


@dataclass(frozen=True)
class Logo:
    """A picture (the office's logo, PNG bytes) printed in black and white, at most `max_dots`
    wide and never wider than the paper (see printing.logo)."""

    png: bytes = field(repr=False)
    align: Align = "center"
    max_dots: int = 384  # 48 mm at 203 dpi: a header, not a poster

    def __post_init__(self) -> None:
        _check(bool(self.png), "a logo needs its PNG bytes")
        _check(8 <= self.max_dots <= 576, "logo width must be 8..576 dots")


@dataclass(frozen=True)
class ReprintMark:
    """Where the REIMPRESIÓN banner goes when the layout is printed as a reprint (`text`: the
    word in the document's language)."""

    text: str = "REIMPRESIÓN"


Block = Text | Pair | Rule | Feed | QR | Cut | Logo | ReprintMark


@dataclass(frozen=True)
class Layout:
    blocks: tuple[Block, ...]
    reprint: bool = False

    def as_reprint(self) -> Layout:
        return replace(self, reprint=True)


def reprint_banner(mark: ReprintMark) -> tuple[Block, ...]:
    return (Text(mark.text, align="center", bold=True, size=2, fit=True), Rule("="))


# --- paper ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paper:
    width_mm: int
    columns: int  # characters of font A (12 x 24 dots) per line
    dots: int  # printable width at 203 dpi


PAPERS = {58: Paper(58, 32, 384), 80: Paper(80, 48, 576)}


def paper(width_mm: int) -> Paper:
    try:
        return PAPERS[width_mm]
    except KeyError:
        raise PrinterError(
            "bad_target", f"Ancho de papel no admitido: {width_mm} mm. Use 58 u 80 mm."
        ) from None


# --- wrapping ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One printed row; `len(text) * size` never exceeds the paper's columns."""

    text: str
    align: Align = "left"
    bold: bool = False
    size: int = 1


Printed = Line | QR | Cut | Logo


# Control characters in data (a stray ESC in a typed name) are shown as "?", never sent: they
# would be printer commands. Python also counts some of them as spaces or line breaks.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """NFC ("e" + accent mark is one character), tabs as spaces, control characters as "?"."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\t", " ")
    return _CONTROL.sub("?", text)


def wrap(text: str, width: int, indent: int = 0) -> list[str]:
    """Word-wrap to `width` characters; only words longer than a line are split."""
    return list(_wrapped(text, max(width, 1), indent))


# Every ticket repeats the office's header and the same captions: word-wrapping them again was
# a good part of a ticket's rendering. Pure, so the rows of a recent text are kept.
@functools.lru_cache(maxsize=512)
def _wrapped(text: str, width: int, indent: int) -> tuple[str, ...]:
    rows: list[str] = []
    for paragraph in clean(text).split("\n"):
        if not paragraph.strip():
            rows.append("")
            continue
        rows.extend(textwrap.wrap(
            paragraph, width,
            subsequent_indent=" " * min(indent, width // 2),
            break_on_hyphens=False,  # "A-023", "CAJ-2026-000123" stay whole
        ))
    return tuple(rows)


def _fitted_size(block: Text, columns: int) -> int:
    size = block.size
    if block.fit:
        length = len(" ".join(clean(block.text).split()))
        while size > 1 and length > columns // size:
            size -= 1
    return size


def _pair_rows(block: Pair, columns: int) -> list[str]:
    width = columns // block.size
    right = " ".join(clean(block.right).split())
    left = " ".join(clean(block.left).split())
    if len(left) + 1 + len(right) <= width:
        return [left.ljust(width - len(right)) + right]
    room = width - len(right) - 1
    if room >= min(12, width // 2):
        rows = wrap(left, room)
        return [*rows[:-1], rows[-1].ljust(width - len(right)) + right]
    # The value is too long to share a line: label above, value flush right below.
    return wrap(left, width) + [row.rjust(width) for row in wrap(right, width)]


def _resolved(layout: Layout) -> list[Block]:
    blocks = list(layout.blocks)
    if layout.reprint and not any(isinstance(b, ReprintMark) for b in blocks):
        blocks.insert(0, ReprintMark())
    resolved: list[Block] = []
    for block in blocks:
        if isinstance(block, ReprintMark):
            if layout.reprint:
                resolved.extend(reprint_banner(block))
        else:
            resolved.append(block)
    return resolved


def printed_lines(layout: Layout, columns: int) -> list[Printed]:
    """The layout as the rows a printer `columns` characters wide prints, in order."""
    return [row for rows in printed_blocks(layout, columns) for row in rows]


def printed_blocks(layout: Layout, columns: int) -> list[tuple[Printed, ...]]:
    """`printed_lines` block by block (the renderer keeps each block's bytes)."""
    return [_block_lines(block, columns) for block in _resolved(layout)]


# A ticket repeats most of its blocks (the office's header, captions, rules): their rows are
# kept, as the wrapped texts are, and a ticket only lays out what changed. Blocks and
# rows are frozen, so sharing them is safe.
@functools.lru_cache(maxsize=1024)
def _block_lines(block: Block, columns: int) -> tuple[Printed, ...]:
    if isinstance(block, Text):
        size = _fitted_size(block, columns)
        return tuple(Line(row, block.align, block.bold, size)
                     for row in wrap(block.text, columns // size, block.indent))
    if isinstance(block, Pair):
        return tuple(Line(row, "left", block.bold, block.size)
                     for row in _pair_rows(block, columns))
    if isinstance(block, Rule):
        return (Line(block.char * columns),)
    if isinstance(block, Feed):
        return tuple(Line("") for _ in range(block.lines))
    if isinstance(block, QR):
        return (block.fitted(columns * 12),)  # 12 dots per font-A column
    if isinstance(block, Logo):
        return (replace(block, max_dots=min(block.max_dots, columns * 12)),)
    if isinstance(block, Cut):
        return (block,)
    return ()
