"""Order statistics over times central keeps in its database (sync/central/order_stats.py):
the very values an in-memory selection over the same numbers finds, reading only sketches and
the values around each rank."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import insert

from kiosk.services.daily_stats import order_stats
from sync.central import series_codec
from sync.central.order_stats import Selection, Stored, stored_series
from sync.central.schema import stats_series
from sync.central.series_codec import pack_row, sketch
from sync.central.server import CentralServer

DAY = date(2025, 3, 3)


def _series(rng: random.Random, n: int) -> list[float]:
    # Whole seconds and microseconds, many ties: what waits look like.
    return sorted(round(rng.lognormvariate(6, 0.8), rng.choice((0, 6))) for _ in range(n))


@pytest.mark.parametrize("seed", [1, 2])
def test_stored_ranks_are_the_in_memory_ones(central: CentralServer, seed: int,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    monkeypatch.setattr(series_codec, "SMALL", 16)  # sketches even for the short ones
    lengths = [rng.choice((0, 3, 40, 900, 2500, 6000)) for _ in range(14)]
    stored: list[tuple[Stored, list[float]]] = []
    with central.engine.begin() as connection:
        for i, n in enumerate(lengths):
            # Each row holds two series one after the other, as a block's group does.
            first, second = _series(rng, rng.randrange(50)), _series(rng, n)
            samples, sketches = pack_row([first, second])
            connection.execute(insert(stats_series).values(
                scope="office", period="day", start=DAY, dim="service", key=f"s{i}",
                samples=samples, sketch=sketches))
            row = ("office", "day", DAY, "service", f"s{i}")
            stored.append((stored_series(row, [len(first), n])[1], second))
    in_memory = [_series(rng, 700), _series(rng, 5)]
    everything = sorted([v for _, values in stored for v in values]
                        + [v for values in in_memory for v in values])
    n = len(everything)
    ranks = [(0, 0), (n // 2 - 1, n // 2), (int(0.9 * (n - 1)), int(0.9 * (n - 1)) + 1),
             (n - 1, n - 1)]
    parts = [p for p, _ in stored] + in_memory
    with central.engine.connect() as connection:
        selection = Selection(connection)
        selection.record(parts, n, ranks)
        selection.resolve()
        found = selection.replay(parts, n, ranks)
    assert found == [(everything[a], everything[b]) for a, b in ranks]
    assert found == order_stats([values for _, values in stored if values] + in_memory, n, ranks)


@pytest.mark.parametrize("odd", [False, True])
def test_a_bracket_is_one_byte_range_equal_to_the_slice_in_memory(
        central: CentralServer, odd: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """What Selection reads of a row of layout 3: each series' sketch, the short ones whole,
    and from a long one the values of ranks [a, b) (a stride-aligned, as brackets are) from
    one byte range named by its sketch: the very values of the series."""
    monkeypatch.setattr(series_codec, "SMALL", 64)
    rng = random.Random(21 + odd)
    row = [_series(rng, 40), _series(rng, 3000), [], _series(rng, 65), _series(rng, 700)]
    if odd:  # a value that is not a whole microsecond: the row in float64
        row[0] = sorted([*row[0], 0.1234567])
    samples, sketches = pack_row(row)
    assert samples[0] == (series_codec.FLOATS if odd else series_codec.PACKED)
    key = ("office", "month", DAY, "service", "s")
    with central.engine.begin() as connection:
        connection.execute(insert(stats_series).values(
            scope=key[0], period=key[1], start=key[2], dim=key[3], key=key[4],
            samples=samples, sketch=sketches))
    parts = stored_series(key, [len(s) for s in row])
    with central.engine.connect() as connection:
        read = Selection(connection)._read
        firsts = read([(p, "sketch", p.sketch_offset, series_codec.sketch_size(p.n))
                       if series_codec.stride(p.n) else (p, "samples", 0, -1) for p in parts])
        layouts = {}
        for part, values, (kind, data) in zip(parts, row, firsts, strict=True):
            assert kind == samples[0]
            if series_codec.stride(part.n):
                layouts[part.position] = series_codec.Sketch.of(data, part.n, kind)
                assert list(layouts[part.position].values) == sketch(values)[:len(data) // 9]
            else:
                assert list(series_codec.short_series(data, part.n, kind)) == values
        wanted, expected = [], []
        for position, layout in layouts.items():
            n, step = layout.n, layout.step
            for a, b in [(0, n), (0, 1), (n - n % step or n - step, n)] + [
                    (a := rng.randrange(0, n, step), rng.randint(a + 1, n)) for _ in range(20)]:
                first, size = layout.span(a, b)
                wanted.append((parts[position], "samples", first, size))
                expected.append((layout, a, b, row[position][a:b]))
        found = read(wanted)
    assert len(found) == len(expected) > 40
    for (layout, a, b, values), (_, data) in zip(expected, found, strict=True):
        assert list(layout.decode(data, a, b)) == values
