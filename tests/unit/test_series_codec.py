"""Central's stored sorted times, layout 3 (sync/central/series_codec.py): every series comes
back exactly, whole or as the values of a stride-aligned rank range read from one byte range,
and whole microseconds take a fraction of layout 2's fixed width."""

from __future__ import annotations

import math
import random

import pytest

from sync.central import series_codec
from sync.central.series_codec import (
    FLOATS,
    PACKED,
    Sketch,
    pack_row,
    series_bounds,
    short_series,
    sketch_size,
    stride,
    unpack_row,
)


def _micros(rng: random.Random, n: int, top: int = 3 * 3600 * 10**6) -> list[float]:
    return sorted(rng.randint(0, top) / 10**6 for _ in range(n))


def _cases(rng: random.Random) -> list[list[float]]:
    """Edge cases, and lengths around SMALL and around whole strides."""
    step = stride(5000)
    cases: list[list[float]] = [
        [], [0.0], [7.25], [12.0] * 3, [12.0] * 4000, [0.0, 2.0**47 / 10**6],
        sorted([0.0] * 300 + [(2**47 - 1) / 10**6] * 300),  # one huge gap
        sorted([1e-6] * 500 + [float(m) for m in range(0, 5000, 7)]),
        [*sorted(float(round(rng.lognormvariate(6, 0.8))) for _ in range(50)), 9000.0],
        sorted(round(rng.lognormvariate(6, 0.8)) for _ in range(3000))]  # whole seconds
    for n in (series_codec.SMALL, series_codec.SMALL + 1, step * (5000 // step),
              step * (5000 // step) + 1, 5000, 20_011):
        cases.append(_micros(rng, n))
    return cases


def _series_bytes(samples: bytes, position: int) -> bytes:
    first, stop = series_bounds(samples, position, len(samples))
    return samples[first:stop]


@pytest.mark.parametrize("small", [series_codec.SMALL, 2])
def test_every_series_comes_back_exactly(small: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(series_codec, "SMALL", small)
    rng = random.Random(small)
    cases = _cases(rng)
    for one in cases:
        for row in ([one], [one, [], one[:40]], [[], one, []]):
            samples, sketches = pack_row(row)
            assert samples[0] == PACKED
            assert len(sketches) == sum(sketch_size(len(s)) for s in row)
            assert [list(s) for s in unpack_row(samples, sketches, [len(s) for s in row])] == row


def test_values_that_are_not_whole_microseconds_are_kept_as_float64() -> None:
    rng = random.Random(4)
    for odd in ([0.1234567, 2.0], [-1.0, 3.0], [1.0, math.inf], [2.0, 1e300],
                sorted(rng.random() for _ in range(1000))):
        row = [_micros(rng, 600), odd]
        samples, sketches = pack_row(row)
        assert samples[0] == FLOATS
        assert [list(s) for s in unpack_row(samples, sketches, [600, len(odd)])] == row


@pytest.mark.parametrize("small", [series_codec.SMALL, 2])
def test_a_rank_range_is_one_byte_range_found_from_the_sketch(
        small: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """What Selection reads: for ranks [a, b) from a stride on, the bytes `span` names, decoded
    with the sketch alone, are the values of those ranks."""
    monkeypatch.setattr(series_codec, "SMALL", small)
    rng = random.Random(7 + small)
    for one in [*_cases(rng), [0.5, *_micros(rng, 999)]]:  # the last one: FLOATS
        n, step = len(one), stride(len(one))
        if not step:
            continue
        samples, sketches = pack_row([one[:10], one])
        head = sketch_size(len(one[:10]))
        layout = Sketch.of(sketches[head:head + sketch_size(n)], n, samples[0])
        data = _series_bytes(samples, 1)
        assert list(layout.values) == one[step - 1::step][:n // step]
        for _ in range(40):
            a = rng.randrange(0, n, step)
            b = rng.randint(a + 1, n)
            first, size = layout.span(a, b)
            assert list(layout.decode(data[first:first + size], a, b)) == one[a:b]
        assert list(layout.whole(data)) == one


def test_short_series_are_read_whole_from_their_bytes() -> None:
    rng = random.Random(9)
    row = [_micros(rng, 200), [], [3.0, 3.0, 4.5]]
    samples, sketches = pack_row(row)
    assert sketches == b""
    for position, one in enumerate(row):
        assert list(short_series(_series_bytes(samples, position), len(one), samples[0])) == one


def test_whole_microseconds_take_a_fraction_of_a_fixed_width() -> None:
    """An office-day's waits (500, to the microsecond, up to 3 hours) and a month's (11,000):
    layout 2 took 5 bytes a value for these (more than 2**32 µs) and a float64 each for the
    sketch; the differences take about 3 bytes, the sketch a byte more a value."""
    rng = random.Random(12)
    for n, share in ((500, 0.7), (11_000, 0.6)):
        waits = _micros(rng, n)
        samples, sketches = pack_row([waits])
        width = (max(round(v * 10**6) for v in waits).bit_length() + 7) // 8
        assert len(samples) + len(sketches) < share * (1 + n * width + 8 * (n // stride(n)))
