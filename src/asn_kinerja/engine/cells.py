"""Tallies per cell of long-format ratings, made a chunk of ratings at a time.

A cell is one ratee × slot × criterion (:mod:`.strategies`). A million employees have some 40 million ratings: an
array of their length is hundreds of megabytes, and each one made afresh costs the kernel as much time as the
arithmetic on it (fresh pages). Here no array of the ratings' length is made: the cell keys of :data:`CHUNK`
ratings at a time are computed in a buffer that is reused and stays in the processor's cache, and scattered into
the arrays per cell with ``np.add.at``. The ratings are taken in their order, so each cell's float sum is the
one ``np.bincount`` gives (the same additions in the same order).

>>> cells = CellKeys(np.array([0, 0, 1, 1]), np.array([0, 3, 0, 0]), np.array([0, 0, 1, 1]),
...                  slot_of=np.array([0, -1, -1, -1, -1, -1], dtype=np.int8), slots=1, criteria=2, n=2)
>>> counts, means = central_values(cells, np.array([3.0, 5.0, 4.0, 2.0]), "mean", Fraction(0))
>>> counts.tolist(), means.tolist(), cell_counts(cells).tolist()
([1, 0, 0, 2], [3.0, nan, nan, 3.0], [1, 0, 0, 2])
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja.engine import kernels

__all__ = ["CHUNK", "CellKeys", "GroupTally", "cell_counts", "central_values"]

#: Ratings looked at together: the temporaries of a chunk stay in the processor's cache.
CHUNK = 1 << 16
F = npt.NDArray[np.float64]
I32 = npt.NDArray[np.int32]
Keys = npt.NDArray[np.intp]
_ONE = np.int32(1)  # ``np.add.at`` takes its fast path where the value's type is the array's


@attrs.frozen(eq=False)
class CellKeys:
    """Where each rating goes: the cell ``(ratee × slots + slot) × criteria + criterion`` of ``range(size)``, its
    group's slot being ``slot_of[group]`` (-1: not counted, the rating is left out); where ``moved`` is given
    (per cell, one more entry, ``False``), the ratings of a moved cell go to the last slot of their ratee and
    criterion (the pool)."""

    ratee: npt.NDArray[np.integer[Any]]
    group: npt.NDArray[np.integer[Any]]
    criterion: npt.NDArray[np.integer[Any]]
    slot_of: npt.NDArray[np.int8]
    slots: int
    criteria: int
    n: int
    moved: npt.NDArray[np.bool_] | None = None

    @property
    def size(self) -> int:
        """The number of cells."""
        return self.n * self.slots * self.criteria

    def with_pool(self, below: npt.NDArray[np.bool_]) -> CellKeys:
        """The same ratings, those of the cells ``below`` (their minimum) moved to the pool, the last slot."""
        return attrs.evolve(self, moved=np.append(below.reshape(-1), False))

    def pooled_counts(self, counts: I32, below: npt.NDArray[np.bool_]) -> I32:
        """The ratings per cell of :meth:`with_pool` ``(below)``, worked out from ``counts`` (those per cell here)
        without a pass over the ratings: the cells below have none, the pool of their ratee and criterion theirs.

        >>> keys = CellKeys(np.zeros(0), np.zeros(0), np.zeros(0), slot_of=np.zeros(0, dtype=np.int8),
        ...                 slots=2, criteria=1, n=1)
        >>> keys.pooled_counts(np.array([1, 2], dtype=np.int32), np.array([True, False])).tolist()
        [0, 3]
        """
        cells = counts.reshape(self.n, self.slots, self.criteria)
        moved = below.reshape(cells.shape)
        out: I32 = np.where(moved, 0, cells).astype(np.int32)
        out[:, -1, :] += np.where(moved, cells, 0).sum(axis=1, dtype=np.int32)
        return out.reshape(-1)

    def chunks(self) -> Iterator[tuple[slice, Keys, Keys | None]]:
        """Per chunk of ratings: its slice, the cells of its counted ratings (in a buffer reused by the next chunk)
        and which of its ratings count (``None``: all); the keys are computed for the counted ratings alone."""
        buffer = np.empty(min(CHUNK, len(self.ratee)), dtype=np.intp)
        offset = self._offsets()
        for start in range(0, len(self.ratee), CHUNK):
            part = slice(start, start + CHUNK)
            first = offset[self.group[part]]
            ratee, criterion = self.ratee[part], self.criterion[part]
            keep = first >= 0
            sel = None
            if not bool(keep.all()):
                sel = np.flatnonzero(keep)
                first, ratee, criterion = first[sel], ratee[sel], criterion[sel]
            key = buffer[: len(first)]
            self._fill(key, ratee, first, criterion)
            self._to_pool(key)
            yield part, key, sel

    def keyed(self, beside: int | None = None) -> Iterator[tuple[slice, Keys, Keys | None, Keys | None]]:
        """Per chunk of ratings: its slice; the cells of its ratings, in a buffer reused by the next chunk — where
        at least half of them count, of every rating (``size``, one past the last cell, for a rating not counted:
        arrays per cell of one more entry take those) and ``None``, else of the counted ones alone and which they
        are; and where ``beside`` (a group code) is given, the positions in the chunk of that group's ratings.

        Cheaper than :meth:`chunks` where most ratings count: no rating is gathered; where the counted groups are
        the first group codes in their slots' order (atasan, rekan, bawahan as slots 0, 1, 2), not even the
        slots."""
        size = min(CHUNK, len(self.ratee))
        buffer, first = np.empty(size, dtype=np.intp), np.empty(size, dtype=np.intp)
        criteria = self.criteria
        counted = np.flatnonzero(self.slot_of[:-1] >= 0)  # the rater groups counted (not the pool)
        plain = np.array_equal(self.slot_of[counted], np.arange(len(counted))) and (
            not len(counted) or int(counted[-1]) == len(counted) - 1
        )
        offset = self._offsets()
        for start in range(0, len(self.ratee), CHUNK):
            part = slice(start, start + CHUNK)
            group = self.group[part]
            slot: Keys = first[: len(group)]
            if plain:  # the slot is the group code
                np.multiply(group, criteria, out=slot, dtype=np.intp)
                left_out = group >= len(counted)
            else:
                np.take(offset, group, out=slot)
                left_out = slot < 0
            ratee, criterion = self.ratee[part], self.criterion[part]
            sel = None
            if 2 * int(np.count_nonzero(left_out)) > len(group):  # most do not count: the others alone
                sel = np.flatnonzero(~left_out)
                slot, ratee, criterion = slot[sel], ratee[sel], criterion[sel]
            key = buffer[: len(slot)]
            self._fill(key, ratee, slot, criterion)
            if sel is None:
                np.copyto(key, self.size, where=left_out)
            self._to_pool(key)
            yield part, key, sel, None if beside is None else np.flatnonzero(group == beside)

    def _offsets(self) -> Keys:
        """Each group's first cell of a ratee (slot × criteria), -1 for a group not counted."""
        offset: Keys = np.where(self.slot_of >= 0, self.slot_of.astype(np.intp) * self.criteria, -1)
        return offset

    def _fill(self, key: Keys, ratee: Any, first: Keys, criterion: Any) -> None:
        """The cells of ratings into ``key``: ratee × slots × criteria + their slot's ``first`` cell + criterion."""
        np.multiply(ratee, self.slots * self.criteria, out=key, dtype=np.intp)
        key += first
        key += criterion

    def _to_pool(self, key: Keys) -> None:
        """The ratings of a moved cell (where ``moved`` is given) to the last slot of their ratee and criterion."""
        if self.moved is not None:
            k, criteria = self.slots, self.criteria
            moved = self.moved[key]
            np.subtract(key, (key // criteria % k - (k - 1)) * criteria, out=key, where=moved)


@attrs.define(eq=False)
class GroupTally:
    """Per ratee × criterion (``(n, criteria)`` flattened): the number of ratings of one rater ``group`` and the
    float sum of their scores, added in the ratings' order (the sums ``np.bincount`` gives), taken in the same
    pass over the ratings as the cells (:func:`cell_counts`, :func:`central_values`).

    >>> cells = CellKeys(np.array([0, 0, 1]), np.array([0, 3, 3]), np.array([0, 1, 1]),
    ...                  slot_of=np.array([0, -1, -1, -1, -1, -1], dtype=np.int8), slots=1, criteria=2, n=2)
    >>> tally = GroupTally.of(3, cells)
    >>> cell_counts(cells, np.array([3.0, 5.0, 4.5]), beside=tally).tolist(), tally.counts.tolist()
    ([1, 0, 0, 0], [0, 1, 0, 1])
    >>> tally.means().tolist()
    [nan, 5.0, nan, 4.5]
    """

    group: int
    counts: I32
    sums: F

    @classmethod
    def of(cls, group: int, cells: CellKeys) -> GroupTally:
        """An empty tally of ``group``'s ratings among those of ``cells``."""
        size = cells.n * cells.criteria
        return cls(group, np.zeros(size, dtype=np.int32), np.zeros(size))

    def add(self, cells: CellKeys, part: slice, at: Keys, score: F) -> None:
        """The ratings at positions ``at`` of the chunk ``part`` (its scores ``score``), all of the group."""
        key = np.multiply(cells.ratee[part][at], cells.criteria, dtype=np.intp)
        key += cells.criterion[part][at]
        np.add.at(self.sums, key, score[at])
        np.add.at(self.counts, key, _ONE)

    def means(self) -> F:
        """The mean score of each ratee × criterion, NaN where the group has no rating; a block at a time (the
        temporaries stay in cache)."""
        return _divided(self.sums, self.counts, out=np.empty(len(self.sums)))


def _divided(sums: F, counts: I32, per: int = 1, *, out: F) -> F:
    """``sums / (counts × per)`` into ``out`` a block at a time (the temporaries stay in cache), numpy's NaN where
    a count is 0 (as the kernels give it)."""
    for start in range(0, len(sums), CHUNK):
        block = slice(start, start + CHUNK)
        n = counts[block]
        with np.errstate(invalid="ignore", divide="ignore"):
            np.divide(sums[block], n if per == 1 else np.multiply(n, per, dtype=np.float64), out=out[block])
        np.copyto(out[block], np.nan, where=n == 0)
    return out


def _scored(
    cells: CellKeys, score: F, beside: GroupTally | None = None, *, every: bool = True
) -> Iterator[tuple[slice, Keys, F]]:
    """Per chunk of ratings: its slice, the cells and the scores of its ratings (``every``: as
    :meth:`CellKeys.keyed` gives them, of every rating or of the counted ones; else of its counted ratings alone —
    :meth:`CellKeys.chunks`), adding ``beside``'s group's ratings to it on the way."""
    if not every:
        assert beside is None
        for part, key, sel in cells.chunks():
            yield part, key, _taken(score, part, sel)
        return
    for part, key, sel, at in cells.keyed(None if beside is None else beside.group):
        chunk = score[part]
        if beside is not None:
            assert at is not None
            beside.add(cells, part, at, chunk)
        yield part, key, chunk if sel is None else chunk[sel]


def _canonical(score: F) -> F:
    """The scores as numpy's own float64 type: ``np.add.at`` is an order of magnitude slower on an equal type
    that is another object (an unpickled array's), by a slow path."""
    return np.asarray(score, dtype=np.float64).view(np.float64)


def cell_counts(
    cells: CellKeys,
    score: F | None = None,
    beside: GroupTally | None = None,
    grid: kernels.GridFinder | None = None,
) -> I32:
    """The counted ratings of each cell; with the ``score`` of every rating, ``beside`` tallied and the scores'
    ``grid`` looked for in the same pass."""
    counts = np.zeros(cells.size + 1, dtype=np.int32)  # the last entry takes the ratings not counted
    if beside is None and grid is None:
        for _, key, _, _ in cells.keyed():
            np.add.at(counts, key, _ONE)
        return counts[:-1]
    assert score is not None
    score = _canonical(score)
    for part, key, _ in _scored(cells, score, beside):
        np.add.at(counts, key, _ONE)
        if grid is not None:  # every score, counted or not
            grid.add(score[part])
    return counts[:-1]


def _taken(values: F, part: slice, sel: Keys | None) -> F:
    """The values of a chunk's counted ratings."""
    chunk = values[part]
    return chunk if sel is None else chunk[sel]


def central_values(
    cells: CellKeys,
    score: F,
    tendency: str,
    trim: Fraction,
    counts: I32 | None = None,
    beside: GroupTally | None = None,
    grid: kernels.Grid | None = None,
) -> tuple[I32, F | None]:
    """Per cell the number of its ratings and the central value of their scores (``mean``, ``median`` or
    ``trimmed_mean`` cutting ``floor(trim × n)`` scores at each end), NaN where it has none, each equal to what
    :func:`~asn_kinerja.engine.kernels.cell_stats` gives; ``None`` for a median or a trimmed mean of scores off a
    small decimal grid (or whose sums could leave the integers a float holds exactly): those need a sort.

    The ratings are counted in the first pass over them, ``beside`` tallied and the scores' grid found in the same
    pass; where the caller knows the ``counts`` already (and, but for a mean, the ``grid`` a
    :class:`~asn_kinerja.engine.kernels.GridFinder` found over every score), they are taken as given."""
    score = _canonical(score)
    if tendency == "mean":
        return _means(cells, score, counts, beside)
    if counts is None:  # the scores' grid found in the same pass
        finder = kernels.GridFinder()
        counts = cell_counts(cells, score, beside, finder)
        grid = finder.grid()
    else:
        assert beside is None, "a group is tallied in the pass that counts the ratings"
    every = grid is not None  # the codes of every rating are known: the cheaper keys
    if grid is None and 2 * int(counts.sum()) < len(score):  # few count: the grid of their scores alone
        grid = kernels.grid_of(np.concatenate([_taken(score, part, sel) for part, _, sel in cells.chunks()]))
    if grid is None or max(int(counts.max(initial=0)), 1) * max(int(np.abs(grid.units).max()), 1) >= 2**53:
        return counts, None
    # the others are the mean of their units: the median of one or two scores, a trimmed mean cutting none
    if tendency == "median":
        counted = _where(counts, 3)
    elif trim:  # floor(n × trim) is 0 below ceil(1 / trim)
        counted = _where(counts, -(-trim.denominator // trim.numerator))
    else:
        counted = np.zeros(0, dtype=np.int32)
    tallies = _scored(cells, score, every=every)
    sums, after = _grid_tallies(cells.size, tallies, grid, counted, int(counts.max(initial=0)))
    per = 1 if grid.dyadic else grid.per  # the sums are of scores, or of units
    _divided(sums, counts, per, out=sums)  # each exact sum over n × per
    for start in range(0, len(counted), kernels.ROWS_CHUNK):  # the counted cells, a block at a time
        block = slice(start, start + kernels.ROWS_CHUNK)
        at = counted[block]
        m = counts[at].astype(np.int64)
        low = np.zeros(len(m), dtype=np.int64) if tendency == "median" else (m * trim.numerator) // trim.denominator
        sums[at] = kernels.central_from_value_counts(after[:, block], grid.units, grid.per, m, low, tendency)
    return counts, sums


def _where(counts: I32, least: int) -> I32:
    """The cells with at least ``least`` ratings (four bytes each: fewer fresh pages than ``np.flatnonzero``)."""
    out = [np.flatnonzero(counts[start : start + CHUNK] >= least).astype(np.int32) + np.int32(start)
           for start in range(0, len(counts), CHUNK)]  # fmt: skip
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int32)


def _means(cells: CellKeys, score: F, counts: I32 | None, beside: GroupTally | None) -> tuple[I32, F]:
    """Per cell its ratings (counted here where not given) and the mean of their scores (NaN where none)."""
    sums = np.zeros(cells.size + 1)  # the last entry takes the ratings not counted
    tally = np.zeros(cells.size + 1, dtype=np.int32) if counts is None else None
    for _, key, values in _scored(cells, score, beside):
        np.add.at(sums, key, values)
        if tally is not None:
            np.add.at(tally, key, _ONE)
    counts = tally[:-1] if tally is not None else counts
    assert counts is not None
    with np.errstate(invalid="ignore", divide="ignore"):
        np.divide(sums[:-1], counts, out=sums[:-1])
    return counts, sums[:-1]


def _grid_tallies(
    size: int, tallies: Iterator[tuple[slice, Keys, F]], grid: kernels.Grid, counted: I32, most: int
) -> tuple[F, npt.NDArray[np.integer[Any]]]:
    """Per cell of ``range(size)`` the exact sum of its scores: in grid units (integers, as floats), or where the
    grid is dyadic of the scores themselves (then as exact: numbers of halves, quarters, …); and for the
    ``counted`` cells how many of their scores take each grid value (values × (counted cells + 1), the last column
    taking the ratings of the other cells and the cell ``size``: those not counted), two bytes a count where no
    cell has ``most`` ≥ 2**16 ratings, else four; ``tallies`` gives the cells and scores a chunk at a
    time."""
    width = len(counted) + 1
    rank = np.full(size + 1, len(counted), dtype=np.int32)
    rank[counted] = np.arange(len(counted), dtype=np.int32)
    sums = np.zeros(size + 1)
    kind = np.uint16 if most < 2**16 else np.int32  # the last column may wrap around: it is never read
    after: npt.NDArray[np.integer[Any]] = np.zeros(len(grid.units) * width, dtype=kind)
    one = kind(1)
    unit_f = grid.units.astype(np.float64)
    pairs = np.empty(CHUNK, dtype=np.intp)
    for _, key, values in tallies:
        codes = grid.codes(values)
        np.add.at(sums, key, values if grid.dyadic else unit_f[codes])  # dyadic: sums of the scores are exact
        pair = pairs[: len(key)]
        np.multiply(codes, width, out=pair, dtype=np.intp)
        pair += rank[key]
        np.add.at(after, pair, one)
    return sums[:-1], after.reshape(len(grid.units), width)
