"""Tests of :func:`asn_kinerja.dataset.columns.decimal_places`: in blocks, the same answer as one pass over the
whole column, and no temporary of the column's length."""

from __future__ import annotations

import tracemalloc

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_kinerja.dataset import columns


def one_pass(x: np.ndarray) -> int:  # the whole-column reckoning the blocks replace
    with np.errstate(invalid="ignore"):
        rest = x[np.rint(x) != x]
    places = 0
    while len(rest) and places < 15:
        places += 1
        scale = 10.0**places
        m = np.rint(rest * scale)
        rest = rest[(m / scale != rest) | (np.abs(m) >= 1e15)]
    return -1 if len(rest) else places


VALUES = st.one_of(
    st.integers(-5, 5).map(float),
    st.decimals(min_value=-100, max_value=100, places=4, allow_nan=False).map(float),
    st.sampled_from([0.1 + 0.2, np.nan, 1e-16, 1e15 + 0.5, 4.75]),
)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(VALUES, max_size=12), at=st.integers(0, 3))
def test_blocks_give_the_answer_of_one_pass(values: list[float], at: int) -> None:
    column = np.full(columns.BLOCK * 2 + 3, 3.0)
    column[columns.BLOCK - at : columns.BLOCK - at + len(values)] = values  # across a block's edge
    assert columns.decimal_places(column) == one_pass(column)


def test_a_long_column_makes_no_temporary_of_its_length() -> None:
    column = np.resize(np.array([1.0, 2.5, 4.25, 3.0]), 40 * columns.BLOCK)
    tracemalloc.start()
    try:
        assert columns.decimal_places(column) == 2
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < column.nbytes / 4  # blocks: far below the column's own size
