"""Cell tallies read a chunk of ratings at a time (:mod:`asn_kinerja.engine.cells`): the same numbers, bit for bit,
as the kernels over all the ratings at once (their memory: ``tests/test_strategy_memory.py``)."""

from __future__ import annotations

import itertools
from fractions import Fraction
from unittest import mock

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from asn_kinerja.engine import cells, kernels
from asn_kinerja.engine.cells import CellKeys, GroupTally, cell_counts, central_values
from asn_kinerja.engine.strategies import GROUPS


def _full_keys(keys: CellKeys) -> np.ndarray:
    """The cell of every rating (``size`` where not counted), computed at once."""
    slot = keys.slot_of[keys.group]
    key = (keys.ratee.astype(np.intp) * keys.slots + slot) * keys.criteria + keys.criterion
    if keys.moved is not None:
        moved = keys.moved[np.where(slot >= 0, key, keys.size)]
        key = np.where(moved, key - (key // keys.criteria % keys.slots - (keys.slots - 1)) * keys.criteria, key)
    return np.where(slot >= 0, key, keys.size)


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal bit for bit, NaN for NaN (an empty cell's NaN may carry either sign: 0/0 gives x86's negative one)."""
    nan = np.isnan(a)
    return (
        a.shape == b.shape
        and bool(np.array_equal(nan, np.isnan(b)))
        and bool(np.array_equal(a[~nan].view(np.int64), b[~nan].view(np.int64)))
    )


#: Ratings (ratee, group, criterion, score numerator) and how the cells take them.
CELLS = {
    "data": st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, GROUPS - 1), st.integers(0, 2), st.integers(2, 10)),
        max_size=80,
    ),
    "tendency": st.sampled_from(["mean", "median", "trimmed_mean"]),
    "trim": st.sampled_from([Fraction(0), Fraction(1, 5), Fraction(1, 3)]),
    "counted": st.sets(st.integers(0, GROUPS - 1), min_size=1),
    "pool": st.booleans(),
    "off_grid": st.booleans(),
    "chunk": st.sampled_from([1, 3, 7, 1 << 16]),
}


def _keys(data: list[tuple[int, int, int, int]], counted: set[int], pool: bool) -> CellKeys:
    """The cells of 6 ratees × 3 criteria of the ``counted`` groups (and the pool)."""
    ratee, group, criterion = (np.array([row[i] for row in data], dtype=np.int64) for i in range(3))
    slot_of = np.full(GROUPS + 1, -1, dtype=np.int8)
    slot_of[sorted(counted)] = np.arange(len(counted))
    k = len(counted) + (1 if pool else 0)
    return CellKeys(
        ratee.astype(np.int32), group.astype(np.int8), criterion.astype(np.int8),
        slot_of=slot_of, slots=k, criteria=3, n=6,
    )  # fmt: skip


def _scores(data: list[tuple[int, int, int, int]], divisor: float) -> np.ndarray:
    return np.array([row[3] for row in data], dtype=np.int64) / divisor


@settings(max_examples=150, deadline=None)
@example(  # the counted scores on a grid, the others off it: an empty cell's NaN as 0/0 gives it
    data=[(0, 0, 0, 2), (0, 0, 0, 2), (0, 1, 0, 3)],
    tendency="median",
    trim=Fraction(0),
    counted={1},
    pool=False,
    off_grid=True,
    chunk=1,
)
@given(**CELLS)
def test_chunked_tallies_equal_the_kernels_over_all_ratings(
    data: list[tuple[int, int, int, int]],
    tendency: str,
    trim: Fraction,
    counted: set[int],
    pool: bool,
    off_grid: bool,
    chunk: int,
) -> None:
    keys = _keys(data, counted, pool)
    score = _scores(data, 3.0 if off_grid else 2.0)  # thirds are off any decimal grid: a sort decides
    with mock.patch.object(cells, "CHUNK", chunk):
        counts = cell_counts(keys)
        if pool:
            below = (counts > 0) & (counts < 2)
            pooled = keys.pooled_counts(counts, below)
            keys = keys.with_pool(below)
            assert pooled.tolist() == cell_counts(keys).tolist()  # worked out = counted again
        used, center = central_values(keys, score, tendency, trim)
        if pool:  # the counts and the grid known beforehand give the same values, bit for bit
            known = central_values(keys, score, tendency, trim, counts=pooled, grid=kernels.grid_of(score))
            assert known[0].tolist() == used.tolist()
            assert (known[1] is None) == (center is None)
            assert center is None or known[1] is None or _same_bits(known[1], center)
    full = _full_keys(keys)
    expected_counts, expected, _ = kernels.cell_stats(full, score, keys.size, tendency, trim, with_spread=False)
    assert used.tolist() == expected_counts.astype(np.int64).tolist()
    if center is None:  # off a small grid: the caller sorts, as the kernel does
        assert (off_grid or not len(score)) and tendency != "mean"
        return
    assert _same_bits(center, expected)


@settings(max_examples=150, deadline=None)
@given(**CELLS, beside=st.integers(0, GROUPS - 1))
def test_a_group_tallied_beside_the_cells_equals_the_kernel_over_its_ratings(
    data: list[tuple[int, int, int, int]],
    tendency: str,
    trim: Fraction,
    counted: set[int],
    beside: int,
    pool: bool,
    off_grid: bool,
    chunk: int,
) -> None:
    """The keys of every rating (:meth:`CellKeys.keyed`) and a group tallied in the first pass over the
    ratings: the same numbers, bit for bit, as the kernels over all the ratings at once; the cells' central values
    unchanged by the tally."""
    keys = _keys(data, counted, pool)
    score = _scores(data, 3.0 if off_grid else 10.0)  # tenths: float sums that depend on their order
    ratee, group, criterion = keys.ratee, keys.group, keys.criterion
    tally = GroupTally.of(beside, keys)
    with mock.patch.object(cells, "CHUNK", chunk):
        if pool:
            counts = cell_counts(keys, score, beside=tally)
            assert counts.tolist() == cell_counts(keys).tolist()
            keys = keys.with_pool((counts > 0) & (counts < 2))
            used, center = central_values(keys, score, tendency, trim)
        else:
            used, center = central_values(keys, score, tendency, trim, beside=tally)
        keyed = [(part, key.copy(), sel, at) for part, key, sel, at in keys.keyed(beside)]
    full = _full_keys(keys)
    assert sum(len(full[part]) for part, _, _, _ in keyed) == len(full)
    for part, key, sel, at in keyed:  # every rating's cell (``size``: not counted), or the counted ones'
        counted = np.flatnonzero(full[part] < keys.size)
        if sel is None:
            assert key.tolist() == full[part].tolist() and 2 * len(counted) >= len(key)
        else:
            assert sel.tolist() == counted.tolist() and key.tolist() == full[part][sel].tolist()
        assert at is not None and at.tolist() == np.flatnonzero(group[part] == beside).tolist()
    mine = group == beside
    own_counts, own_means, _ = kernels.cell_stats(
        ratee[mine] * 3 + criterion[mine], score[mine], 18, "mean", Fraction(0), with_spread=False
    )
    assert tally.counts.tolist() == own_counts.astype(np.int64).tolist()
    assert _same_bits(tally.means(), np.where(own_counts > 0, own_means, np.nan))
    expected_counts, expected, _ = kernels.cell_stats(full, score, keys.size, tendency, trim, with_spread=False)
    assert used.tolist() == expected_counts.astype(np.int64).tolist()
    if center is not None:
        assert _same_bits(center, expected)


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(
        st.lists(st.sampled_from([np.nan, -0.0, 0.0, 0.1, 0.2, 1 / 3, 2.5, 1e16, -7.25]), min_size=1, max_size=7),
        max_size=40,
    ),
    rows=st.sampled_from([1, 3, 1 << 13]),
)
def test_row_means_a_block_at_a_time_equal_those_of_all_rows(values: list[list[float]], rows: int) -> None:
    width = max((len(v) for v in values), default=1)
    table = np.array([v + [np.nan] * (width - len(v)) for v in values]).reshape(-1, width)
    present = ~np.isnan(table)
    n = present.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = np.where(n > 0, np.where(present, table, 0.0).sum(axis=1) / n, np.nan)
    with mock.patch.object(kernels, "ROWS_CHUNK", rows):
        assert _same_bits(kernels.nanmean_rows(table), expected)


def _plain_grid(score: np.ndarray, max_values: int) -> tuple[list[int], int] | None:
    """The grid of the scores, found over all of them at once: the fewest decimal places (at most 3) at which
    every score is an exact integer number of units, with at most ``max_values`` distinct values."""
    for per in (1, 10, 100, 1000):
        units = np.rint(score * per)
        if len(score) and bool((np.abs(units) < 2**53).all()) and bool((units / per == score).all()):
            values = sorted({int(u) for u in units})
            ok = len(values) <= max_values and values[-1] - values[0] < 1 << 20
            return (values, per) if ok else None
    return None


@settings(max_examples=150, deadline=None)
@given(
    score=st.lists(st.sampled_from([1.0, 2.5, 3.0, 0.1, 4.25, 1 / 3, 1e17, -2.0, 0.001, np.nan]), max_size=30),
    cuts=st.lists(st.integers(0, 30), max_size=4),
    max_values=st.sampled_from([2, 4, 32]),
)
def test_a_grid_found_a_part_at_a_time_is_the_grid_of_all_scores(
    score: list[float], cuts: list[int], max_values: int
) -> None:
    values = np.array(score, dtype=np.float64)
    finder = kernels.GridFinder(max_values)
    edges = [0, *sorted(c for c in cuts if c <= len(values)), len(values)]
    for start, end in itertools.pairwise(edges):
        finder.add(values[start:end])
    grid, expected = finder.grid(), _plain_grid(values, max_values)
    assert (None if grid is None else (grid.units.tolist(), grid.per)) == expected
    if grid is not None:  # each score's code gives it back
        assert (grid.units[grid.codes(values)] / grid.per == values).all()
        # halves, quarters, …: each score times ``per`` is its units exactly, without rounding
        assert grid.dyadic == all(Fraction(int(u), grid.per).denominator.bit_count() == 1 for u in grid.units)
        if grid.dyadic:
            assert (values * grid.per == grid.units[grid.codes(values)]).all()
