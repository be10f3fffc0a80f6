"""Settling float figures exactly: thresholds and rounding ties decided by the exact path.

The kernels compute in float64. A figure is *ambiguous* when it lies within a tiny tolerance of a threshold or
of a rounding tie of its published form; only those are recomputed exactly, so every published figure and every
rating equals the exact path's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from asn_kinerja._numbers import round_to
from asn_kinerja.engine.exact import settle_rating
from asn_kinerja.engine.kernels import rate

__all__ = ["MISSING", "REL_TOL", "settle"]

#: Marks a published figure that does not exist (no data).
MISSING = np.iinfo(np.int64).min
#: Relative distance within which a float figure is settled exactly (far above float64 drift).
REL_TOL = 1e-9


def settle(
    approx: npt.NDArray[np.float64],
    exact: Callable[[int], Fraction],
    cuts: Sequence[Decimal],
    *,
    places: int = 2,
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """Rating codes against ``cuts = (di_atas, sesuai)`` and published values scaled by ``10**places`` (half-up),
    both equal to what the exact values give; also the rows that needed the exact path.

    >>> exact = [Fraction(17999, 200), Fraction(110)]
    >>> codes, scaled, rows = settle(np.array([89.995, 110.0, np.nan]), exact.__getitem__, [Decimal(110), Decimal(90)])
    >>> codes.tolist(), scaled[:2].tolist(), rows.tolist()
    ([0, 2, -1], [9000, 11000], [0, 1])
    """
    valid = ~np.isnan(approx)
    a = np.where(valid, approx, 0.0)
    tol = REL_TOL * np.maximum(1.0, np.abs(a))
    ambiguous = np.zeros(len(a), dtype=bool)
    for cut in cuts:
        ambiguous |= np.abs(a - float(cut)) <= tol
    factor = 10.0**places
    scaled = np.abs(a) * factor
    ambiguous |= np.abs(scaled - np.floor(scaled) - 0.5) <= tol * factor
    codes = rate(approx, float(cuts[0]), float(cuts[1]))
    published = (np.sign(a) * np.floor(scaled + 0.5)).astype(np.int64)
    rows = np.flatnonzero(ambiguous & valid)
    for row in rows:
        value = exact(int(row))
        codes[row] = settle_rating(value, cuts[0], cuts[1])
        published[row] = int(round_to(value, places).scaleb(places))
    published[~valid] = MISSING
    return codes, published, rows
