"""How central stores a block group's sorted times (`central_stats_series`, blocks' layout 3).

A row holds a group's series (waiting, service and preferential waiting times) one after the
other in `samples`, and the sketch of each long one in `sketch`. The sketch of a series of `n`
values (n > SMALL) is every `stride`-th value (ranks stride-1, 2·stride-1, ..., k of them) as
float64, then one byte per stride: the bits its differences take (k + 1 bytes: the strides
the sketch values close, and the tail after the last one).

`samples`: a first byte, the row's kind; a byte, how many series; the end of each series but
the last (uint32, from the row's start); then the series.

- PACKED (times that are whole microseconds, what the offices measure): a series is stored
  as the differences between its successive values in microseconds, stride by stride, each
  stride in as few bits as its largest difference needs. Stride j holds the values of ranks
  j·stride .. (j+1)·stride-2 as differences from the value before (the first from sketch
  value j-1, known to whoever reads it; from 0 for the first stride), without its last
  value, which is sketch value j. A stride's place is the sum of the sizes of those before
  it (sketch widths × values), so the values of ranks [a, b) are one byte range of the row
  (`substr`), found from the sketch alone. A short series (no sketch, read whole): the
  differences of its values in chunks of CHUNK, each its width first.
- FLOATS (any value that is not a whole number of microseconds, or negative): every series
  as float64, layout 2's fallback; a rank range is then 8 bytes a value.
"""

from __future__ import annotations

import math
import sys
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, islice, repeat
from operator import lshift, truediv

SMALL = 256  # a series this short is read whole: its sketch would save nothing
CHUNK = 16  # values of a short series that share a width: a wide gap widens only its own
PACKED, FLOATS = 3, 8  # a row's kind (its first byte)
MICRO = 1_000_000
_LIMIT = 1 << 48  # microseconds (8.9 years): a sketch's float64 gives them back exactly
_LITTLE = sys.byteorder == "little"


def stride(n: int) -> int:
    """Every stride-th value of a series of `n` is in its sketch; 0: none (read whole). About
    √n/2 both ways: the sketch read once, and a bracket of a few strides in each series."""
    return 0 if n <= SMALL else math.isqrt(n // 4)


def sketch_size(n: int) -> int:
    """Bytes of the sketch of a series of `n` values: k float64 and k + 1 widths."""
    step = stride(n)
    return 9 * (n // step) + 1 if step else 0


def sketch(values: Sequence[float]) -> Sequence[float]:
    """The values of ranks stride-1, 2·stride-1, ... of a sorted series."""
    step = stride(len(values))
    return values[step - 1::step] if step else []


def to_bytes(values: Sequence[float]) -> bytes:
    found = array("d", values)
    if not _LITTLE:  # pragma: no cover - big-endian hosts
        found.byteswap()
    return found.tobytes()


def from_bytes(data: bytes) -> array[float]:
    found = array("d")
    found.frombytes(data)
    if not _LITTLE:  # pragma: no cover - big-endian hosts
        found.byteswap()
    return found


def head_size(count: int) -> int:
    """Bytes before a row's first series."""
    return 2 + 4 * max(0, count - 1)


def series_bounds(head: bytes, index: int, total: int) -> tuple[int, int]:
    """Where series `index` of a row starts and ends, from the row's first 6 + 4·index bytes
    and its length (`_RANGES` in sync/central/order_stats.py does the same in SQL)."""
    count = head[1]
    first = (head_size(count) if index == 0
             else int.from_bytes(head[4 * index - 2:4 * index + 2], "little"))
    stop = (total if index + 1 >= count
            else int.from_bytes(head[2 + 4 * index:6 + 4 * index], "little"))
    return first, stop


# --- writing -------------------------------------------------------------------------------


def pack_row(series: Sequence[Sequence[float]]) -> tuple[bytes, bytes]:
    """A row's sorted series as (`samples`, `sketch`)."""
    micros = [[round(v * MICRO) if math.isfinite(v) else -1 for v in one] for one in series]
    whole = all(0 <= m < _LIMIT and m / MICRO == v
                for ms, one in zip(micros, series, strict=True)
                for m, v in zip(ms, one, strict=True))
    bodies: list[bytes] = []
    sketches: list[bytes] = []
    for ms, one in zip(micros, series, strict=True):
        body, widths = _packed(ms) if whole else (to_bytes(one), bytes(len(one) // step + 1)
                                                  if (step := stride(len(one))) else b"")
        bodies.append(body)
        sketches.append(to_bytes(sketch(one)) + widths)
    ends, at = [], head_size(len(series))
    for body in bodies[:-1]:
        at += len(body)
        ends.append(at)
    head = bytes([PACKED if whole else FLOATS, len(series)]) + b"".join(
        e.to_bytes(4, "little") for e in ends)
    return head + b"".join(bodies), b"".join(sketches)


def _packed(micros: Sequence[int]) -> tuple[bytes, bytes]:
    """A PACKED series and its sketch's widths."""
    n = len(micros)
    if not n:
        return b"", b""
    deltas = [b - a for a, b in zip([0, *micros], micros, strict=False)]
    if min(deltas) < 0:
        raise ValueError("a stored series must be sorted")
    step = stride(n)
    if not step:  # read whole: chunks of CHUNK, each its width first
        chunks = [deltas[i:i + CHUNK] for i in range(0, n, CHUNK)]
        return b"".join(bytes([w]) + _bits(c, w) for c, w in zip(
            chunks, [max(c).bit_length() for c in chunks], strict=True)), b""
    k = n // step
    chunks = [deltas[j * step:(j + 1) * step - 1] for j in range(k)] + [deltas[k * step:]]
    widths = bytes(max(c, default=0).bit_length() for c in chunks)
    return b"".join(map(_bits, chunks, widths)), widths


def _bits(values: Sequence[int], width: int) -> bytes:
    """`values` in `width` bits each, the first in the lowest bits; eight make `width` bytes."""
    if not width:
        return b""
    shifts = range(0, 8 * width, width)
    data = b"".join(sum(map(lshift, values[i:i + 8], shifts)).to_bytes(width, "little")
                    for i in range(0, len(values), 8))
    return data[:(len(values) * width + 7) // 8]


def _unbits(data: bytes, width: int, count: int) -> list[int]:
    if not width:
        return [0] * count
    mask = (1 << width) - 1
    if count <= 32:  # a short chunk: one integer, shifted (a long one: eight values at a time)
        whole = int.from_bytes(data, "little")
        return [(whole >> s) & mask for s in range(0, count * width, width)]
    shifts = range(0, 8 * width, width)
    found = [(x >> s) & mask
             for x in [int.from_bytes(data[i:i + width], "little")
                       for i in range(0, len(data), width)]
             for s in shifts]
    del found[count:]
    return found


# --- reading -------------------------------------------------------------------------------


def _floats(micros: Iterable[int]) -> array[float]:
    return array("d", map(truediv, micros, repeat(MICRO)))


@dataclass
class Sketch:
    """A long series' sketch: its values, and where each stride lies in the series."""

    kind: int
    n: int
    step: int
    values: array[float]
    widths: bytes
    starts: list[int]  # bytes from the series' start to each stride's, then to its end

    @classmethod
    def of(cls, data: bytes, n: int, kind: int) -> Sketch:
        step = stride(n)
        k = n // step
        values, widths = from_bytes(data[:8 * k]), data[8 * k:]
        sizes = [((step - 1) * w + 7) >> 3 for w in widths[:k]]
        sizes.append(((n - k * step) * widths[k] + 7) >> 3)
        return cls(kind, n, step, values, widths, list(accumulate(sizes, initial=0)))

    def span(self, a: int, b: int) -> tuple[int, int]:
        """The bytes (from the series' start, and how many) that hold ranks [a, b), a < b."""
        if self.kind == FLOATS:
            return 8 * a, 8 * (b - a)
        first, last = a // self.step, (b - 1) // self.step
        return self.starts[first], self.starts[last + 1] - self.starts[first]

    def decode(self, data: bytes, a: int, b: int) -> array[float]:
        """The values of ranks [a, b) from the bytes `span(a, b)` gave."""
        if self.kind == FLOATS:
            return from_bytes(data)
        step = self.step
        first, last = a // step, (b - 1) // step
        micros = self._micros(data, first, last, self.starts[first])
        return _floats(micros[a - first * step:b - first * step])

    def _micros(self, data: bytes, first: int, last: int, origin: int) -> list[int]:
        """The values of strides first..last; `data` starts `origin` bytes into the series."""
        k, step, starts = len(self.values), self.step, self.starts
        found: list[int] = []
        base = round(self.values[first - 1] * MICRO) if first else 0
        for j in range(first, last + 1):
            count = step - 1 if j < k else self.n - k * step
            found.extend(islice(accumulate(_unbits(data[starts[j] - origin:
                                                       starts[j + 1] - origin],
                                                  self.widths[j], count), initial=base),
                                1, None))  # not the base itself
            if j < k:
                base = round(self.values[j] * MICRO)
                found.append(base)
        return found

    def whole(self, data: bytes) -> array[float]:
        """All the values, from the series' bytes."""
        if self.kind == FLOATS:
            return from_bytes(data)
        return _floats(self._micros(data, 0, len(self.values), 0))


def short_series(data: bytes, n: int, kind: int) -> array[float]:
    """All the values of a series with no sketch, from its bytes."""
    if kind == FLOATS:
        return from_bytes(data)
    deltas: list[int] = []
    at = 0
    for start in range(0, n, CHUNK):  # _unbits' short case, inline: many series, few values
        count, width = min(CHUNK, n - start), data[at]
        size = (count * width + 7) // 8
        whole, mask = int.from_bytes(data[at + 1:at + 1 + size], "little"), (1 << width) - 1
        deltas.extend([(whole >> s) & mask for s in range(0, count * width, width)]
                      if width else repeat(0, count))
        at += 1 + size
    return _floats(accumulate(deltas))


def series_of(data: bytes, n: int, kind: int, sketch_data: bytes) -> array[float]:
    """All the values of a series, from its bytes and its sketch's."""
    if not stride(n):
        return short_series(data, n, kind)
    return Sketch.of(sketch_data, n, kind).whole(data)


def unpack_row(samples: bytes, sketches: bytes, lengths: Sequence[int]) -> list[array[float]]:
    """Every series of a row, whole."""
    if samples[1] != len(lengths):
        raise ValueError(f"a row of {samples[1]} series read as {len(lengths)}")
    found, at = [], 0
    for i, n in enumerate(lengths):
        first, stop = series_bounds(samples, i, len(samples))
        size = sketch_size(n)
        found.append(series_of(samples[first:stop], n, samples[0], sketches[at:at + size]))
        at += size
    return found
