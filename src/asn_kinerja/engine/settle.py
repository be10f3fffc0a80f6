"""Settling float figures exactly: thresholds and rounding ties decided as the exact path decides them.

The kernels compute in float64. A figure is *ambiguous* when it lies within a tiny tolerance (``REL_TOL``,
relative, far above the float error of the kernels) of a threshold or of a rounding tie of its published form;
only those are settled, so every published figure and every rating equals the exact path's. They are settled in
two ways:

1. **by their denominator**, column-wise: where the engine knows an integer ``D`` such that ``D × value`` is an
   integer for the exact value (from the decimals of the inputs, the counts of raters and the weights), and
   ``D × tolerance < 1/4``, the exact value is ``rint(D × approx) / D`` — the float cannot be off by half a step
   of ``1/D`` — and ratings and half-up rounding follow in integer arithmetic (:func:`recover`);
2. otherwise by the exact path (rational arithmetic, one employee at a time): the few rows left.

Both give exactly what the exact path gives; the first keeps ties that many people share (every supervisor
score a 3, a capaian of exactly 90 %) off the slow path.

Integer arithmetic never leaves int64 silently: a threshold with more digits than int64 holds is compared in
Python integers, and a figure too large for a published int64 (a capaian of 10^19 %, from a target of 0.001 and a
realisation of 99 999 999 999 999) is settled by the exact path and published from an object array of Python ints.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from asn_kinerja.engine.exact import settle_rating
from asn_kinerja.engine.kernels import rate

__all__ = ["MISSING", "REL_TOL", "ambiguous", "recover", "settle"]

#: Marks a published figure that does not exist (no data).
MISSING = np.iinfo(np.int64).min
#: Relative distance within which a float figure is settled exactly (far above float64 drift).
REL_TOL = 1e-9
#: Largest ``D × tolerance`` for which ``rint(D × approx)`` is certainly ``D × exact``.
_SAFE = 0.25
#: Products of integers below this bound are computed in int64; above it in Python integers.
_INT64_SAFE = float(2**62)

I64 = npt.NDArray[np.int64]


def tolerance(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The absolute tolerance around each value (``REL_TOL`` relative, at least ``REL_TOL``)."""
    out: npt.NDArray[np.float64] = REL_TOL * np.maximum(1.0, np.abs(values))
    return out


def ambiguous(approx: npt.NDArray[np.float64], cuts: Sequence[Decimal], *, places: int = 2) -> npt.NDArray[np.bool_]:
    """Values within the tolerance of a cut or of a rounding tie at ``places`` decimals (never NaN)."""
    valid = ~np.isnan(approx)
    a = np.where(valid, approx, 0.0)
    tol = tolerance(a)
    out = np.zeros(len(a), dtype=bool)
    for cut in cuts:
        out |= np.abs(a - float(cut)) <= tol
    factor = 10.0**places
    scaled = np.abs(a) * factor
    out |= np.abs(scaled - np.floor(scaled) - 0.5) <= tol * factor
    result: npt.NDArray[np.bool_] = out & valid
    return result


def recover(approx: npt.NDArray[np.float64], denominators: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.bool_], I64]:
    """Where ``denominators × exact`` is known to be an integer and the tolerance is below a quarter step:
    ``(True, rint(D × approx))``, the exact numerator over ``D``; elsewhere ``False`` (a denominator of 0 or less
    means unknown).

    >>> ok, num = recover(np.array([2.9999999999999996, 0.1]), np.array([7, 0]))
    >>> ok.tolist(), num[:1].tolist()
    ([True, False], [21])
    """
    d = denominators.astype(np.float64)
    ok = (denominators > 0) & (d * tolerance(approx) < _SAFE) & np.isfinite(approx)
    num = np.where(ok, np.rint(np.where(ok, approx, 0.0) * d), 0.0).astype(np.int64)
    return ok, num


def compare(num: I64, den: I64, cut: Decimal) -> npt.NDArray[np.bool_]:
    """``num / den >= cut`` exactly (``den > 0``; ``num`` and ``den`` as :func:`recover` gives them); a cut with
    more digits than int64 products hold is compared in Python integers.

    >>> compare(np.array([110, 111]), np.array([1, 1]), Decimal("110.00000000000000000000001")).tolist()
    [False, True]
    """
    frac = Fraction(cut)
    top = float(max(int(np.abs(num).max(initial=0)), int(np.abs(den).max(initial=0)), 1))
    if top * max(abs(frac.numerator), frac.denominator) >= _INT64_SAFE:
        big = np.asarray(num.astype(object) * frac.denominator >= frac.numerator * den.astype(object), dtype=bool)
        return big
    result: npt.NDArray[np.bool_] = num * frac.denominator >= frac.numerator * den
    return result


def scaled_half_up(value: Fraction, places: int) -> int:
    """``value × 10**places`` rounded half-up (away from zero on a tie), as a Python int of any size.

    >>> scaled_half_up(Fraction(-2085, 1000), 2), scaled_half_up(Fraction(10**25, 3), 2)
    (-209, 333333333333333333333333333)
    """
    magnitude: int = math.floor(abs(value) * 10**places + Fraction(1, 2))
    return -magnitude if value < 0 else magnitude


def half_up(num: I64, den: I64, places: int) -> I64:
    """``num / den`` scaled by ``10**places`` and rounded half-up (away from zero on a tie), exactly."""
    mag = (2 * 10**places * np.abs(num) + den) // (2 * den)
    out: I64 = np.sign(num) * mag
    return out


def settle(
    approx: npt.NDArray[np.float64],
    exact: Callable[[npt.NDArray[np.intp]], Sequence[Fraction]],
    cuts: Sequence[Decimal],
    *,
    places: int = 2,
    denominators: Callable[[npt.NDArray[np.intp]], I64] | None = None,
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """Rating codes against ``cuts = (di_atas, sesuai)`` and published values scaled by ``10**places`` (half-up),
    both equal to what the exact values give; also the rows that needed the exact path.

    ``exact(rows)`` gives the exact values of rows; ``denominators(rows)``, where given, an integer per row whose
    product with the exact value is an integer (0 where unknown), which settles most ambiguous rows column-wise.

    >>> exact = [Fraction(17999, 200), Fraction(110)]
    >>> codes, scaled, rows = settle(
    ...     np.array([89.995, 110.0, np.nan]), lambda rows: [exact[r] for r in rows], [Decimal(110), Decimal(90)]
    ... )
    >>> codes.tolist(), scaled[:2].tolist(), rows.tolist()
    ([2, 0, -1], [9000, 11000], [0, 1])
    >>> codes, scaled, rows = settle(
    ...     np.array([89.995, 110.0]), lambda rows: [exact[r] for r in rows], [Decimal(110), Decimal(90)],
    ...     denominators=lambda rows: np.array([200, 1])[rows],
    ... )
    >>> codes.tolist(), scaled.tolist(), rows.tolist()
    ([2, 0], [9000, 11000], [])
    """
    valid = ~np.isnan(approx)
    a = np.where(valid, approx, 0.0)
    factor = 10.0**places
    codes = rate(approx, float(cuts[0]), float(cuts[1]))
    huge = np.abs(a) * factor >= _INT64_SAFE  # published from the exact value, in Python ints
    published: npt.NDArray[np.int64] = np.where(huge, 0, np.sign(a) * np.floor(np.abs(a) * factor + 0.5)).astype(
        np.int64
    )
    rows = np.flatnonzero(ambiguous(approx, cuts, places=places) | huge)
    if denominators is not None and len(rows):
        den = denominators(rows)
        ok, num = recover(approx[rows], den)
        done, num, den = rows[ok], num[ok], den[ok]
        codes[done] = np.where(compare(num, den, cuts[0]), 0, np.where(compare(num, den, cuts[1]), 1, 2))  # best first
        published[done] = half_up(num, den, places)
        rows = rows[~ok]
    if len(rows):
        values = list(exact(rows))
        exact_published = [scaled_half_up(value, places) for value in values]
        if any(not -_INT64_SAFE < p < _INT64_SAFE for p in exact_published):
            published = published.astype(object)
        for row, value, scaled in zip(rows, values, exact_published, strict=True):
            codes[row] = settle_rating(value, cuts[0], cuts[1])
            published[row] = scaled
    published[~valid] = MISSING
    return codes, published, rows
