"""Pure numpy kernels: arrays in, arrays out, no validation and no Python loop over people.

Each kernel has an exact scalar twin in :mod:`asn_kinerja.engine.exact`; the engine uses the kernels for speed and
settles every figure that lies close to a threshold or a rounding tie with the exact twin (:mod:`.settle`).

>>> import numpy as np
>>> capaian(np.array([9.0, 12.0]), np.array([10.0, 10.0]), np.array([10.0, 10.0]), np.array([False, True]),
...         inside_range=100.0, cap=None)
array([90., 80.])
>>> sums_by(np.array([0, 0, 2]), np.array([1.0, 2.0, 5.0]), 3)
array([3., 0., 5.])
"""

from __future__ import annotations

from fractions import Fraction

import attrs
import numpy as np
import numpy.typing as npt

__all__ = [
    "Grid",
    "GridFinder",
    "blend",
    "capaian",
    "cell_stats",
    "central_from_value_counts",
    "grid_of",
    "matrix_lookup",
    "nanmean_rows",
    "on_grid",
    "rate",
    "sums_by",
    "weighted_mean_over",
]

F = npt.NDArray[np.float64]
I = npt.NDArray[np.intp]  # noqa: E741


def capaian(
    realisasi: F,
    low: F,
    high: F,
    lower_is_better: npt.NDArray[np.bool_],
    *,
    inside_range: float,
    cap: float | None,
) -> F:
    """Capaian in percent (PermenPANRB 8/2021): realisasi / target × 100, or (2 − realisasi / target) × 100 when
    lower is better; a range target uses the bound the realisation passed, and ``inside_range`` inside it.
    Floored at 0; capped at ``cap`` when given. NaN where realisasi is NaN. :data:`GRID_CHUNK` indicators at a
    time: the temporaries stay in the processor's cache."""
    if len(realisasi) > GRID_CHUNK:
        out = np.empty(len(realisasi))
        for start in range(0, len(realisasi), GRID_CHUNK):
            part = slice(start, start + GRID_CHUNK)
            out[part] = capaian(
                realisasi[part], low[part], high[part], lower_is_better[part], inside_range=inside_range, cap=cap
            )
        return out
    bound = np.where(realisasi > high, high, low)
    ratio = realisasi / bound
    value = np.where(lower_is_better, (2.0 - ratio) * 100.0, ratio * 100.0)
    is_range = low != high
    value = np.where(is_range & (realisasi >= low) & (realisasi <= high), inside_range, value)
    value = np.where(np.isnan(realisasi), np.nan, np.maximum(value, 0.0))
    if cap is not None:
        value = np.minimum(value, cap)
    return value


def sums_by(index: I, values: F, n: int) -> F:
    """Sum of ``values`` per ``index`` in ``range(n)``."""
    out: F = np.bincount(index, weights=values, minlength=n)[:n].astype(np.float64)
    return out


def cell_stats(
    key: I,
    score: F,
    size: int,
    tendency: str,
    trim: Fraction,
    *,
    counts: npt.NDArray[np.integer] | None = None,
    with_spread: bool = True,
) -> tuple[F, F, F]:
    """Per cell ``key`` in ``range(size)`` (a key equal to ``size`` is ignored): the number of scores, their
    central value (``mean``, ``median`` or ``trimmed_mean`` cutting ``floor(trim × n)`` scores at each end) and
    their standard deviation (population; an empty array with ``with_spread=False``). ``counts``, where already
    known, saves one pass.

    No loop over cells. Median and trimmed mean of scores on a small decimal grid (a few distinct values such as
    1..5, or 1.0..5.0 in steps of 0.5: :func:`on_grid`) by counting per cell how many scores take each value, one
    ``np.bincount`` over (cell, value) pairs, in the time of the mean; other scores by one sort.

    >>> c, m, s = cell_stats(np.array([0, 0, 0, 2]), np.array([1.0, 5.0, 3.0, 4.0]), 3, "median", Fraction(0))
    >>> c.tolist(), m[[0, 2]].tolist(), round(float(s[0]), 4)
    ([3.0, 0.0, 1.0], [3.0, 4.0], 1.633)
    """
    if counts is None:
        counts = np.bincount(key, minlength=size)[:size]
    counts_f = counts.astype(np.float64)
    mean = spread = np.empty(0)
    if tendency == "mean" or with_spread or not len(key):  # a median or a trimmed mean needs no sums of floats
        sums = np.bincount(key, weights=score, minlength=size)[:size]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = sums / counts_f
            if with_spread:
                squares = np.bincount(key, weights=score * score, minlength=size)[:size]
                spread = np.sqrt(np.maximum(squares / counts_f - mean * mean, 0.0))
        del sums
    if tendency == "mean" or not len(key):
        return counts_f, mean, spread
    grid = on_grid(score)
    central = None if grid is None else _central_by_counting(key, grid, counts, size, tendency, trim)
    if central is not None:
        return counts_f, central, spread
    order = np.lexsort((score, key))
    k_sorted = key[order]
    x_sorted = score[order]
    start = np.searchsorted(k_sorted, k_sorted, side="left")
    pos = np.arange(len(k_sorted)) - start
    n = np.append(counts, 0)[k_sorted].astype(np.int64)  # the ignored key ``size`` counts none
    if tendency == "median":
        sel = (pos == (n - 1) // 2) | (pos == n // 2)
    else:
        cut = (n * trim.numerator) // trim.denominator
        sel = (pos >= cut) & (pos < n - cut)
    picked = np.bincount(k_sorted, weights=sel.astype(np.float64), minlength=size)[:size]
    total = np.bincount(k_sorted, weights=np.where(sel, x_sorted, 0.0), minlength=size)[:size]
    with np.errstate(invalid="ignore", divide="ignore"):
        return counts_f, total / picked, spread


#: Distinct score values up to which median and trimmed mean count rather than sort.
GRID_VALUES = 32
#: Scores looked at together by :func:`on_grid`: its temporaries are of this length, never of all the ratings.
GRID_CHUNK = 1 << 18
#: Grid units beyond this magnitude are not counted (a float holds every integer up to it exactly).
_EXACT_INTEGERS = 2**53


def on_grid(score: F, max_values: int = GRID_VALUES) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int64], int] | None:
    """Scores on a decimal grid of at most ``max_values`` distinct values: ``(code of each score, the values in
    grid units ascending, units per 1)``, each score being exactly ``units[code] / per``; ``None`` otherwise.

    Two passes over the scores, :data:`GRID_CHUNK` at a time: the first finds the grid (:func:`grid_of`), the
    second writes the codes; the only array of the scores' length it makes is the codes (one byte each).

    >>> codes, units, per = on_grid(np.array([3.5, 4.0, 3.5, 1.0]))
    >>> codes.tolist(), units.tolist(), per
    ([1, 2, 1, 0], [10, 35, 40], 10)
    >>> on_grid(np.array([1 / 3, 1.0])) is None
    True
    """
    grid = grid_of(score, max_values)
    if grid is None:
        return None
    codes = np.empty(len(score), dtype=np.int8)
    for start in range(0, len(score), GRID_CHUNK):
        grid.codes(score[start : start + GRID_CHUNK], out=codes[start : start + GRID_CHUNK])
    return codes, grid.units, grid.per


@attrs.frozen(eq=False)
class Grid:
    """A decimal grid of scores: its values in grid units ascending (``units``), units per 1 (``per``), and the
    code of each unit from the lowest (``code_of``, offset by ``low``). ``dyadic``: every value is a number of
    halves, quarters, … (its units a multiple of ``5**places``): a score's float is then exactly ``units / per``,
    so that ``score × per`` and sums of such scores (within 2**53 units) are exact."""

    units: npt.NDArray[np.int64]
    per: int
    code_of: npt.NDArray[np.int8]
    low: int
    dyadic: bool = False

    def codes(self, part: F, out: npt.NDArray[np.int8] | None = None) -> npt.NDArray[np.int8]:
        """The code of each score of ``part`` (scores on the grid), into ``out`` where given."""
        units = part * self.per
        if not self.dyadic:  # exact products need no rounding
            np.rint(units, out=units)
        units -= self.low
        codes: npt.NDArray[np.int8] = np.take(self.code_of, units.astype(np.intp), out=out)
        return codes


def grid_of(score: F, max_values: int = GRID_VALUES) -> Grid | None:
    """The decimal grid of at most ``max_values`` distinct values the scores lie on (the fewest decimal places, at
    most 3), ``None`` where there is none: one pass over the scores, :data:`GRID_CHUNK` at a time
    (:class:`GridFinder`).

    >>> grid = grid_of(np.array([3.5, 4.0, 3.5, 1.0]))
    >>> grid.units.tolist(), grid.per, grid.codes(np.array([4.0, 1.0])).tolist()
    ([10, 35, 40], 10, [2, 0])
    """
    finder = GridFinder(max_values)
    for start in range(0, len(score), GRID_CHUNK):
        finder.add(score[start : start + GRID_CHUNK])
    return finder.grid()


class GridFinder:
    """:func:`grid_of` found a part of the scores at a time, in any parts (in a pass over the scores that does
    more).

    >>> finder = GridFinder()
    >>> finder.add(np.array([4.0, 1.0]))
    >>> finder.add(np.array([3.5]))
    >>> finder.grid().units.tolist(), finder.grid().per
    ([10, 35, 40], 10)
    """

    def __init__(self, max_values: int = GRID_VALUES) -> None:
        self.max_values = max_values
        self.per = 1
        self.seen = set[int]()
        self.failed = False

    def add(self, part: F) -> None:
        """The scores of ``part`` too."""
        if self.failed or not len(part):
            return
        found = _grid_units(part, self.per)
        while found is None and self.per < 1000:  # scores exact at fewer places stay exact at more
            self.per *= 10
            self.seen = {u * 10 for u in self.seen}
            found = _grid_units(part, self.per)
        if found is None:
            self.failed = True
            return
        units, low, high = found
        if high - low >= 1 << 20:
            self.failed = True
            return
        units -= low
        self.seen.update((np.flatnonzero(np.bincount(units.astype(np.intp))) + int(low)).tolist())
        self.failed = len(self.seen) > self.max_values

    def grid(self) -> Grid | None:
        """The grid of the scores added, ``None`` where they lie on none (or none was added)."""
        if self.failed or not self.seen:
            return None
        values = np.array(sorted(self.seen), dtype=np.int64)
        low = int(values[0])
        if int(values[-1]) - low >= 1 << 20:
            return None
        code_of = np.zeros(int(values[-1]) - low + 1, dtype=np.int8)
        code_of[values - low] = np.arange(len(values))
        fives = 5 ** (len(str(self.per)) - 1)  # per is 10**places
        dyadic = not bool((values % fives).any())
        return Grid(units=values, per=self.per, code_of=code_of, low=low, dyadic=dyadic)


def _grid_units(part: F, per: int) -> tuple[F, float, float] | None:
    """``part`` (not empty) in units of ``1 / per`` where each is exactly such an integer (of magnitude below
    2**53), with the least and the greatest; else ``None``."""
    units = part * per
    np.rint(units, out=units)
    low, high = float(units.min()), float(units.max())  # NaN where a score is NaN: not on a grid
    if not (low > -_EXACT_INTEGERS and high < _EXACT_INTEGERS) or not bool((units / per == part).all()):
        return None
    return units, low, high


def _central_by_counting(
    key: I,
    grid: tuple[npt.NDArray[np.int8], npt.NDArray[np.int64], int],
    counts: npt.NDArray[np.integer],
    size: int,
    tendency: str,
    trim: Fraction,
) -> F | None:
    """Median or trimmed mean per cell, exact sums of grid units divided once (correctly rounded); ``None`` where a
    sum could leave the integers a float holds exactly.

    A cell whose central value keeps every score (a median of one or two scores, a trimmed mean cutting none) is
    the mean of its units: one ``np.bincount``. The other cells count how many of their scores take each grid
    value: one ``np.bincount`` over the pairs ``value × (cells + 1) + rank of the cell`` (the last rank taking the
    ratings of the other cells), made :data:`GRID_CHUNK` ratings at a time; running counts over the values give
    the scores of value ``g`` the positions ``[before, after)`` of the cell's sorted scores.

    >>> grid = on_grid(np.array([4.0, 1.0, 5.0, 5.0, 3.0, 2.5]))
    >>> key, counts = np.array([0, 0, 0, 1, 1, 2]), np.array([3, 2, 1, 0])
    >>> _central_by_counting(key, grid, counts, 4, "median", Fraction(0)).tolist()
    [4.0, 4.0, 2.5, nan]
    >>> _central_by_counting(key, grid, counts, 4, "trimmed_mean", Fraction(1, 3)).tolist()
    [4.0, 4.0, 2.5, nan]
    """
    codes, units, per = grid
    n = counts.astype(np.int64)
    if max(int(n.max(initial=0)), 1) * max(int(np.abs(units).max()), 1) >= 2**53:
        return None
    cut = np.zeros(size, dtype=np.int64) if tendency == "median" else (n * trim.numerator) // trim.denominator
    whole = (n <= 2) if tendency == "median" else (cut == 0)
    weights, unit_f = np.empty(len(key)), units.astype(np.float64)
    for start in range(0, len(key), GRID_CHUNK):  # each score's grid units, exact integers
        np.take(unit_f, codes[start : start + GRID_CHUNK], out=weights[start : start + GRID_CHUNK])
    sums = np.bincount(key, weights=weights, minlength=size)[:size]
    del weights
    with np.errstate(invalid="ignore", divide="ignore"):
        out: F = np.where(n > 0, sums / (n * per), np.nan)
    del sums
    counted = np.flatnonzero(~whole)
    if len(counted):
        out[counted] = _counted_cells(key, codes, units, per, n, cut, counted, tendency)
    return out


def _counted_cells(
    key: I,
    codes: npt.NDArray[np.int8],
    units: npt.NDArray[np.int64],
    per: int,
    n: npt.NDArray[np.int64],
    cut: npt.NDArray[np.int64],
    counted: npt.NDArray[np.intp],
    tendency: str,
) -> F:
    """The central value of the ``counted`` cells from the grid values of their ratings (see above)."""
    values, cells = len(units), len(counted)
    width = cells + 1  # the last column takes the ratings of the cells not counted here
    rank = np.full(len(n) + 1, cells, dtype=np.intp)
    rank[counted] = np.arange(cells)
    pairs = np.empty(len(key), dtype=np.intp)
    for start in range(0, len(key), GRID_CHUNK):  # value × width + rank of each rating's cell
        part = slice(start, start + GRID_CHUNK)
        np.multiply(codes[part], width, out=pairs[part], dtype=np.intp)
        pairs[part] += rank[key[part]]
    del rank
    after = np.bincount(pairs, minlength=values * width)[: values * width].reshape(values, width)
    del pairs
    return central_from_value_counts(after, units, per, n[counted], cut[counted], tendency)


#: Rows (or cells) looked at together by :func:`weighted_mean_over` and :func:`central_from_value_counts`: their
#: temporaries are of this many rows and stay in the processor's cache.
ROWS_CHUNK = 1 << 13


def central_from_value_counts(
    after: npt.NDArray[np.integer],
    units: npt.NDArray[np.int64],
    per: int,
    m: npt.NDArray[np.int64],
    low: npt.NDArray[np.int64],
    tendency: str,
) -> F:
    """The median or trimmed mean of cells from how many of their scores take each grid value: ``after`` (values
    × cells, and more columns that are ignored; the cells' columns made cumulative over the values in place),
    ``m`` the scores of each cell, ``low`` the scores cut at each end (a trimmed mean); :data:`ROWS_CHUNK` cells
    at a time.

    >>> after = np.array([[1, 0], [1, 2], [1, 1]])  # cell 0: 1.0, 2.0, 3.0; cell 1: 2.0, 2.0, 3.0
    >>> m, low = np.array([3, 3]), np.array([1, 1])
    >>> central_from_value_counts(after.copy(), np.array([1, 2, 3]), 1, m, low, "median").tolist()
    [2.0, 2.0]
    """
    if len(m) > ROWS_CHUNK:  # a block of cells at a time: its temporaries stay in cache
        out = np.empty(len(m))
        for start in range(0, len(m), ROWS_CHUNK):
            block = slice(start, start + ROWS_CHUNK)
            out[block] = central_from_value_counts(after[:, block], units, per, m[block], low[block], tendency)
        return out
    after = after[:, : len(m)]
    for g in range(1, len(units)):  # scores of value g sit at positions [after[g - 1], after[g])
        after[g] += after[g - 1]
    if tendency == "median":  # the value at each middle position: how many values end at or before it
        # how many values end before each middle position: one byte holds it
        first: npt.NDArray[np.integer] = np.zeros(len(m), dtype=np.uint8 if len(units) < 256 else np.intp)
        second: npt.NDArray[np.integer] = np.zeros_like(first)
        # the middle positions in the counts' own type (no conversion per value), where no cell is empty
        kind = after.dtype if not len(m) or int(m.min()) >= 1 else np.dtype(np.int64)
        low_middle, high_middle = ((m - 1) // 2).astype(kind), (m // 2).astype(kind)
        at_or_before = np.empty(len(m), dtype=np.bool_)
        for g in range(len(units)):
            np.less_equal(after[g], low_middle, out=at_or_before)
            first += at_or_before
            np.less_equal(after[g], high_middle, out=at_or_before)
            second += at_or_before
        median: F = (units[first] + units[second]) / (2 * per)
        return median
    high = m - low
    total = np.zeros(len(m), dtype=np.int64)
    before = np.zeros(len(m), dtype=np.int64)
    for g, unit in enumerate(units.tolist()):  # the kept positions [low, high) of each value's positions
        took = np.minimum(after[g], high)
        took -= np.maximum(before, low)
        np.maximum(took, 0, out=took)
        took *= unit
        total += took
        before = after[g]
    mean: F = total / ((m - 2 * low) * per)
    return mean


def weighted_mean_over(values: F, weights: F) -> F:
    """Weighted mean along axis 1 over the entries present (not NaN), re-weighting over them; NaN where the
    weights present sum to zero. The weights' scale does not matter.

    :data:`ROWS_CHUNK` rows at a time, one entry of axis 1 after the other (the order in which ``sum(axis=1)``
    adds them): the temporaries stay small, and nothing of the shape of ``values`` is made.

    >>> weighted_mean_over(np.array([[3.0, np.nan, 5.0], [1.0, 2.0, 4.0]]), np.array([[0.5, 0.3, 0.2]] * 2))
    array([3.57142857, 1.9       ])
    """
    out = np.empty(values.shape[:1] + values.shape[2:])
    weights = np.broadcast_to(weights, values.shape)
    for start in range(0, len(values), ROWS_CHUNK):
        rows = slice(start, start + ROWS_CHUNK)
        total = acc = np.empty(0)
        for s in range(values.shape[1]):
            v, w = values[rows, s], weights[rows, s]
            present = ~np.isnan(v) & (w > 0)
            w_s = np.where(present, w, 0.0)
            part = np.where(present, v, 0.0)
            part *= w_s
            if s == 0:  # a sum starts from 0.0: -0.0 becomes 0.0
                part += 0.0
                total, acc = w_s, part
            else:
                total += w_s
                acc += part
        with np.errstate(invalid="ignore", divide="ignore"):
            np.divide(acc, total, out=out[rows])
        np.copyto(out[rows], np.nan, where=~(total > 0))
    return out


def blend(base: F, extra: F, weight: float) -> F:
    """``(1 − weight) × base + weight × extra`` where both exist; the one that exists otherwise; NaN if neither."""
    both = (1.0 - weight) * base + weight * extra
    result: F = np.where(np.isnan(base), extra, np.where(np.isnan(extra), base, both))
    return result


def nanmean_rows(values: F) -> F:
    """Mean of each row over its non-NaN entries; NaN for a row without any. :data:`ROWS_CHUNK` rows at a time
    (the temporaries stay in cache).

    >>> nanmean_rows(np.array([[1.0, np.nan, 2.0], [np.nan, np.nan, np.nan]])).tolist()
    [1.5, nan]
    """
    result: F = np.empty(len(values))
    for start in range(0, len(values), ROWS_CHUNK):
        block = values[start : start + ROWS_CHUNK]
        present = ~np.isnan(block)
        n = present.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            result[start : start + ROWS_CHUNK] = np.where(n > 0, np.where(present, block, 0.0).sum(axis=1) / n, np.nan)
    return result


def rate(score: F, di_atas: float, sesuai: float) -> npt.NDArray[np.int8]:
    """Rating codes (0 Di Atas, 1 Sesuai, 2 Di Bawah: best first) from thresholds; -1 where the score is NaN.

    Float comparisons: the caller settles scores near a threshold exactly.
    """
    out = np.where(score >= di_atas, 0, np.where(score >= sesuai, 1, 2)).astype(np.int8)
    out[np.isnan(score)] = -1
    return out


def matrix_lookup(
    table: npt.NDArray[np.int8], hasil_kerja: npt.NDArray[np.int8], perilaku_kerja: npt.NDArray[np.int8]
) -> npt.NDArray[np.int8]:
    """Predikat codes from a 3×3 table indexed ``[hasil_kerja, perilaku_kerja]``; -1 where either is -1."""
    ok = (hasil_kerja >= 0) & (perilaku_kerja >= 0)
    out = table[np.maximum(hasil_kerja, 0), np.maximum(perilaku_kerja, 0)].astype(np.int8)
    out[~ok] = -1
    return out
