"""The exact merge behind the pre-aggregated statistics (kiosk/services/daily_stats.py):
percentiles and means of the union of sorted parts equal those of the plain list."""

from __future__ import annotations

import random
from array import array
from statistics import fmean

import pytest

from kiosk.rules.queue import percentile
from kiosk.services.daily_stats import Part, _percentiles, figures_of, order_stats, part_of
from kiosk.services.stats import Sample


def _parts(rng: random.Random, count: int, size: int, ties: bool) -> list[list[float]]:
    def value() -> float:
        if ties:
            return float(rng.randint(0, 30)) * 60  # many equal waits: whole minutes
        return rng.randint(0, 3 * 3600 * 10**6) / 10**6  # to the microsecond, as measured
    return [sorted(value() for _ in range(rng.randint(0, size))) for _ in range(count)]


@pytest.mark.parametrize("count,size", [(1, 5000), (2, 300), (5, 3000), (22, 2000),
                                        (239, 900), (60, 40)])
@pytest.mark.parametrize("ties", [False, True])
def test_percentiles_of_parts_equal_the_plain_list(count: int, size: int, ties: bool) -> None:
    rng = random.Random(count * 1000 + size + ties)
    for _ in range(3):
        parts = [p for p in _parts(rng, count, size, ties) if p]
        values = [v for p in parts for v in p]
        qs = (0.0, 0.1, 0.5, 0.9, 0.99, 1.0)
        expected = [percentile(values, q) for q in qs]
        assert _percentiles(parts, len(values), qs) == expected  # type: ignore[arg-type]
        if values:  # as the stored rows hand them out: memoryviews of float64
            views = [memoryview(array("d", p).tobytes()).cast("d") for p in parts]
            assert _percentiles(views, len(values), qs) == expected  # type: ignore[arg-type]


def test_order_stats_finds_every_rank_of_a_skewed_union() -> None:
    rng = random.Random(5)
    # One huge part and many tiny ones far apart: the sample's first guess misses.
    parts = [sorted(rng.random() for _ in range(20_000))] + [[1000.0 + i] for i in range(300)]
    merged = sorted(v for p in parts for v in p)
    ranks = [(r, min(r + 1, len(merged) - 1)) for r in (0, 19_999, 20_000, 20_150,
                                                         len(merged) - 1)]
    assert order_stats(parts, len(merged), ranks) == [(merged[a], merged[b]) for a, b in ranks]


def test_figures_of_parts_equal_the_figures_of_all_the_tickets() -> None:
    """Means from the exact integer sums are fmean's; counts add up; SLA share alike."""
    rng = random.Random(11)
    samples = []
    for _ in range(6000):
        called = rng.random() < 0.95
        wait = rng.randint(0, 7200 * 10**6) / 10**6 if called else None
        status = rng.choice(["finished", "finished", "no_show", "expired"]) if called else (
            "expired")
        service = rng.randint(30 * 10**6, 1800 * 10**6) / 10**6 if status == "finished" else None
        samples.append(Sample(status, rng.random() < 0.12, wait, service,
                              wait is not None and wait <= 900, status == "expired" and not called))
    cuts = sorted(rng.sample(range(1, len(samples)), 12))
    chunks = [samples[a:b] for a, b in zip([0, *cuts], [*cuts, len(samples)], strict=True)]
    parts = [part_of(chunk) for chunk in chunks]
    whole = part_of(samples)
    found = figures_of(parts)
    assert found == figures_of([whole])
    waits = [s.wait_s for s in samples if s.wait_s is not None]
    assert found["wait_mean_s"] == round(fmean(waits), 1)
    assert found["issued"] == len(samples) and found["judged"] == len(waits) + sum(
        s.expired_uncalled for s in samples)


def test_a_value_finer_than_the_exact_sums_falls_back_to_fsum() -> None:
    tiny = part_of([Sample("finished", False, 2.0**-90, 1.0, True, False)])
    assert tiny.wait_sum is None
    other = part_of([Sample("finished", False, 3.0, 1.0, True, False)])
    assert figures_of([tiny, other])["wait_mean_s"] == round(fmean([2.0**-90, 3.0]), 1)
    assert figures_of([Part()])["wait_mean_s"] is None
