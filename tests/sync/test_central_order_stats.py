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
from sync.central.series_codec import pack_row
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


def test_times_are_packed_in_the_fewest_bytes_and_read_back_exactly() -> None:
    rng = random.Random(3)
    waits = [w for w in _series(rng, 2000) if w < 4000]  # whole microseconds, up to 66 min
    packed = pack([waits, []])
    assert packed[0] == 4 and len(packed) == 1 + 4 * len(waits)  # half a float64
    assert list(unpack_row(packed)) == waits
    # A range of ranks is a byte range of the row, whatever its width.
    assert list(unpack(packed[1 + 4 * 100:1 + 4 * 150], packed[0])) == waits[100:150]
    # Anything else (a finer value, a negative one) keeps the row in float64.
    for odd in ([0.1234567, 2.0], [-1.0, 3.0]):
        packed = pack([odd])
        assert packed[0] == 8 and list(unpack_row(packed)) == odd
