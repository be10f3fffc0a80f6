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

import numpy as np
import numpy.typing as npt

__all__ = ["capaian", "group_means", "matrix_lookup", "rate", "sums_by", "weighted_group_score"]

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
    Floored at 0; capped at ``cap`` when given. NaN where realisasi is NaN."""
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


def group_means(ratee: I, group: I, criterion: I, score: F, n: int, groups: int, criteria: int) -> tuple[F, F]:
    """Per ratee × group × criterion: the number of ratings and their mean (NaN where none).

    Two ``np.bincount`` calls over the combined key; returns arrays shaped ``(n, groups, criteria)``.
    """
    key = (ratee * groups + group) * criteria + criterion
    size = n * groups * criteria
    counts = np.bincount(key, minlength=size)[:size].astype(np.float64)
    sums = np.bincount(key, weights=score, minlength=size)[:size]
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    shape = (n, groups, criteria)
    return counts.reshape(shape), means.reshape(shape)


def weighted_group_score(means: F, weights: F) -> tuple[F, F]:
    """Combine per-group means ``(n, groups, criteria)`` with group ``weights``, re-weighting over the groups
    present for each ratee and criterion. Returns per-criterion scores ``(n, criteria)`` and their mean over
    criteria ``(n,)`` (NaN where a criterion has no group present)."""
    present = ~np.isnan(means)
    w = np.where(present, weights[None, :, None], 0.0)
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_criterion = (np.where(present, means, 0.0) * w).sum(axis=1) / total
    per_criterion = np.where(total > 0, per_criterion, np.nan)
    overall = per_criterion.mean(axis=1) if per_criterion.shape[1] else np.full(len(per_criterion), np.nan)
    return per_criterion, overall


def rate(score: F, di_atas: float, sesuai: float) -> npt.NDArray[np.int8]:
    """Rating codes (0 Di Bawah, 1 Sesuai, 2 Di Atas) from thresholds; -1 where the score is NaN.

    Float comparisons: the caller settles scores near a threshold exactly.
    """
    out = np.where(score >= di_atas, 2, np.where(score >= sesuai, 1, 0)).astype(np.int8)
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
