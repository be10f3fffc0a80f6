"""Exact denominators of the engine's figures, for the rows whose float value sits on a threshold or a tie.

Every input is a decimal (a float holding a decimal of at most 15 significant digits), every count an integer, so
each figure the engine computes is a rational number. For a row, the functions here give an integer ``D`` such
that ``D × figure`` is an integer — a common multiple of the denominators of the pieces, following the formula
step by step — or 0 where it is unknown (a number that is not such a decimal). :func:`~.settle.recover` turns
``D`` and the float into the exact value. Integers are Python ints in numpy object arrays, so nothing overflows;
all of it runs on the few rows being settled, column-wise.

>>> decimal_parts(np.array([4.35, 12.0, 0.1 + 0.2]))
(array([435,  12,   0]), array([ 2,  0, -1]))
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja.dataset.model import Dataset
from asn_kinerja.engine.strategies import POOL, BehaviourScores
from asn_kinerja.model import JenisRhk, RaterGroup
from asn_kinerja.policy.model import PerilakuKerjaRules, Policy
from asn_kinerja.regimes._sections import rules_of

__all__ = [
    "behaviour_denominators",
    "capaian_denominators",
    "cell_denominators",
    "citizen_scale",
    "decimal_parts",
    "group_rows",
    "overall_denominators",
    "places_of",
    "scores_scale",
]

I64 = npt.NDArray[np.int64]
Obj = npt.NDArray[np.object_]


def places_of(value: Decimal) -> int:
    """Decimal places of a policy value (``Decimal("0.25")`` → 2)."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def decimal_parts(x: npt.NDArray[np.float64]) -> tuple[I64, I64]:
    """For each float, the decimal it holds as ``mantissa / 10**places`` (fewest places, mantissa below 1e15);
    places -1 where the float holds no such decimal."""
    places = np.full(len(x), -1, dtype=np.int64)
    mantissa = np.zeros(len(x), dtype=np.int64)
    todo = np.isfinite(x)
    for p in range(16):
        sel = np.flatnonzero(todo)
        if not len(sel):
            break
        scale = 10.0**p
        m = np.rint(x[sel] * scale)
        ok = (np.abs(m) < 1e15) & (m / scale == x[sel])
        places[sel[ok]] = p
        mantissa[sel[ok]] = m[ok].astype(np.int64)
        todo[sel[ok]] = False
    return mantissa, places


def group_rows(owner: npt.NDArray[np.integer], rows: npt.NDArray[np.intp], n: int) -> tuple[I64, I64]:
    """The rows of a table owned by each of ``rows`` (of ``range(n)``): table rows grouped in the order of
    ``rows`` and the start of each group (``len(rows) + 1`` offsets). One pass over the table."""
    pos = np.full(n + 1, -1, dtype=np.int64)
    pos[rows] = np.arange(len(rows))
    mine = pos[owner]
    sel = np.flatnonzero(mine >= 0)
    order = np.argsort(mine[sel], kind="stable")
    sel = sel[order]
    starts = np.searchsorted(mine[sel], np.arange(len(rows) + 1)).astype(np.int64)
    return sel.astype(np.int64), starts


def _segments(ufunc: np.ufunc, values: npt.NDArray[np.generic], starts: I64, empty: object) -> Obj:
    """``ufunc.reduce`` over each segment ``values[starts[i]:starts[i + 1]]``; ``empty`` for an empty one."""
    out = np.empty(len(starts) - 1, dtype=object)
    out[:] = empty
    filled = starts[1:] > starts[:-1]
    if filled.any():
        reduced = ufunc.reduceat(values.astype(object), starts[:-1][filled])
        out[filled] = reduced
    return out


def _pow10(places: npt.NDArray[np.integer]) -> Obj:
    """``10**p`` of each (non-negative) ``p`` as Python ints."""
    lookup = np.empty(int(places.max()) + 1 if len(places) else 0, dtype=object)
    lookup[:] = [10**p for p in range(len(lookup))]
    result: Obj = lookup[np.maximum(places, 0)]
    return result


def capaian_denominators(policy: Policy, dataset: Dataset, rows: npt.NDArray[np.intp]) -> I64:
    """Per employee row: ``D`` with ``D × capaian`` an integer (the weighted capaian of their indicators under
    the policy's suggestion rules), 0 where unknown."""
    sug = rules_of(policy).hasil_kerja.suggestion
    ind = dataset.indicators
    sel, starts = group_rows(ind.employee, rows, len(dataset.employees))
    if not sug.include_tambahan:
        keep = dataset.rhk.jenis[ind.rhk[sel]] == JenisRhk.UTAMA.code
        counted = np.concatenate([[0], np.cumsum(keep)])
        starts = counted[starts]
        sel = sel[keep]
    real = ind.realisasi[sel]
    bound = np.where(real > ind.target_high[sel], ind.target_high[sel], ind.target_low[sel])
    _, r_p = decimal_parts(real)
    b_m, b_p = decimal_parts(bound)
    w_m, w_p = decimal_parts(ind.weight[sel])
    extra = max(places_of(sug.inside_range), 0 if sug.cap is None else places_of(sug.cap))
    unknown = (r_p < 0) | (b_p < 0) | (w_p < 0) | (b_m <= 0)
    den_i = b_m.astype(object) * _pow10(np.maximum(r_p, 0) + extra)
    top = _segments(np.maximum, np.maximum(w_p, 0), starts, 0)
    lengths = np.diff(starts)
    weights = w_m.astype(object) * _pow10(np.repeat(top.astype(np.int64), lengths) - np.maximum(w_p, 0))
    total = _segments(np.add, weights, starts, 0)
    common = _segments(np.lcm, den_i, starts, 1)
    bad = _segments(np.logical_or, unknown, starts, False).astype(bool)
    out = np.where(bad, 0, total * common)
    return _to_int64(out)


def _to_int64(values: Obj) -> I64:
    """Python ints to int64, where too large (or unknown) 0: such a denominator cannot settle a float anyway."""
    fits = np.asarray((values > 0) & (values < 2**62), dtype=bool)
    out: I64 = np.where(fits, values, 0).astype(np.int64)
    return out


def scores_scale(dataset: Dataset, rows: npt.NDArray[np.intp]) -> I64:
    """Per employee row: ``10**p`` with ``p`` the most decimal places of the scores of their ratings (0 where a
    score is no decimal of at most 15 digits). Where every score of the dataset has at most ``p`` places (known
    once per dataset), that ``10**p`` serves every row without looking at their ratings."""
    rt = dataset.ratings
    known = rt.score_places
    if 0 <= known <= 15:
        return np.full(len(rows), 10**known, dtype=np.int64)
    sel, starts = group_rows(rt.ratee, rows, len(dataset.employees))
    _, places = decimal_parts(rt.score[sel])
    top = _segments(np.maximum, places, starts, 0).astype(np.int64)
    bad = _segments(np.logical_or, places < 0, starts, False).astype(bool)
    return np.where(bad | (top > 15), 0, 10 ** np.clip(top, 0, 15)).astype(np.int64)


def citizen_scale(dataset: Dataset, rules: PerilakuKerjaRules, answered: npt.NDArray[np.int64]) -> I64:
    """Per unit: ``D`` with ``D × (the index on the rating scale)`` an integer: the index is the mean over the
    unsur of answer sums over respondents answering (``answered``, units × unsur), placed linearly on the scale."""
    unsur = answered.shape[1]
    h = max(places_of(rules.scale.min), places_of(rules.scale.max))
    if h > _MAX_PLACES:
        return np.zeros(len(answered), dtype=np.int64)
    common = np.ones(len(answered), dtype=np.int64)
    for j in range(unsur):
        common = _lcm(common, np.maximum(answered[:, j], 1))
    return _mul(common, np.full(len(answered), unsur * 3 * 10**h, dtype=np.int64))


_LIMIT = float(2**62)
#: The most decimal places of a policy value whose power of ten is kept in int64 (more: unknown, the exact path).
_MAX_PLACES = 15


def _pow10_i64(places: int) -> int:
    """``10**places``, or 0 (unknown) where it is beyond :data:`_MAX_PLACES`."""
    return 10**places if places <= _MAX_PLACES else 0


def _small(a: I64, b: I64) -> bool:
    """Whether no product of an element of ``a`` and one of ``b`` can overflow (all known non-negative)."""
    return not len(a) or not len(b) or float(a.max()) * float(b.max()) < _LIMIT


def _mul(a: I64, b: I64) -> I64:
    """``a × b`` in int64, 0 (unknown) where it could overflow or either is unknown."""
    if _small(a, b):
        product: I64 = a * b
        return product
    safe = a.astype(np.float64) * b.astype(np.float64) < _LIMIT
    out: I64 = np.where(safe, a * np.where(safe, b, 0), 0)
    return out


def _lcm(a: I64, b: I64) -> I64:
    """``lcm(a, b)`` in int64, 0 (unknown) where it could overflow or either is unknown."""
    if _small(a, b):
        common: I64 = np.lcm(a, b)
        return common
    safe = a.astype(np.float64) * b.astype(np.float64) < _LIMIT
    out: I64 = np.where(safe, np.lcm(np.where(safe, a, 1), np.where(safe, b, 1)), 0)
    return out


def behaviour_denominators(
    rules: PerilakuKerjaRules,
    b: BehaviourScores,
    rows: npt.NDArray[np.intp],
    scale10: I64,
    citizen_den: I64,
) -> dict[str, I64]:
    """For the employee ``rows``: denominators of the overall score (``overall``), of each criterion's combined
    score (``criteria``), the others' score (``others``), the self-rating (``self``) and self − others (``gap``);
    ``scale10`` is ``10**p`` of the employee's scores, ``citizen_den`` the denominator of the citizen score that
    applies to them (ignored where none applies). 0 means unknown (a piece unknown, or too large). The evaluation
    settles the overall score with :func:`overall_denominators` and single cells with :func:`cell_denominators`;
    this is every denominator of whole rows at once."""
    m = len(rows)
    criteria = len(rules.criteria)
    parts = _Parts.of(rules, b, rows, None, scale10)
    if parts is None:  # weights with more decimals than int64 holds: every row to the exact path
        unknown = np.zeros((m, criteria), dtype=np.int64)
        return {"overall": unknown[:, 0].copy(), "criteria": unknown, "others": unknown.copy(),
                "self": unknown.copy(), "gap": unknown.copy()}  # fmt: skip
    crit = parts.combined(None)
    others = parts.others(crit)
    crit = parts.with_citizen(crit, citizen_den)
    own = parts.own(np.maximum(b.self_counts[rows], 1))
    gap = _lcm(own, others)
    return {"overall": _overall(rules, parts, crit, citizen_den), "criteria": crit, "others": others, "self": own,
            "gap": gap}  # fmt: skip


def overall_denominators(
    rules: PerilakuKerjaRules,
    b: BehaviourScores,
    rows: npt.NDArray[np.intp],
    scale10: I64,
    citizen_den: I64,
) -> I64:
    """The ``overall`` of :func:`behaviour_denominators` alone (the others' score and the gaps not worked out)."""
    parts = _Parts.of(rules, b, rows, None, scale10)
    if parts is None:  # weights with more decimals than int64 holds: every row to the exact path
        return np.zeros(len(rows), dtype=np.int64)
    return _overall(rules, parts, parts.with_citizen(parts.combined(None), citizen_den), citizen_den)


def _overall(rules: PerilakuKerjaRules, parts: _Parts, crit: I64, citizen_den: I64) -> I64:
    """The denominator of the overall score: the criteria's combined scores ``crit`` (per row × criterion) averaged,
    and the citizen score where it applies to the overall."""
    m, criteria = crit.shape
    overall = np.ones(m, dtype=np.int64)
    for c in range(criteria):
        overall = _lcm(overall, crit[:, c])
    overall = _mul(overall, np.full(m, criteria, dtype=np.int64))
    cz = rules.citizen
    if cz is not None and "overall" in cz.applies_to:
        g10 = np.full(m, _pow10_i64(places_of(cz.weight)), dtype=np.int64)
        zden = np.where(parts.has_citizen, citizen_den, 1).astype(np.int64)
        overall = np.where(parts.has_citizen, _mul(g10, _lcm(overall, zden)), overall)
    return overall


def cell_denominators(
    rules: PerilakuKerjaRules,
    b: BehaviourScores,
    rows: npt.NDArray[np.intp],
    cols: npt.NDArray[np.intp],
    scale10: I64,
    citizen_den: I64,
    *,
    gap: bool,
) -> I64:
    """Per cell (employee ``rows[i]``, criterion ``cols[i]``): the denominator of its combined score, or with
    ``gap`` of self − others, as :func:`behaviour_denominators` gives it for the whole row; ``scale10`` and
    ``citizen_den`` per cell. Only the cells asked for are computed (those near a threshold)."""
    parts = _Parts.of(rules, b, rows, cols, scale10)
    if parts is None:
        return np.zeros(len(rows), dtype=np.int64)
    crit = parts.combined(None)
    if not gap:
        out: I64 = parts.with_citizen(crit, citizen_den)[:, 0]
        return out
    own = parts.own(np.maximum(b.self_counts[rows, cols], 1)[:, None])
    gaps: I64 = _lcm(own, parts.others(crit))[:, 0]
    return gaps


@attrs.frozen(eq=False)
class _Parts:
    """The pieces of the denominators of combined scores, per employee row and criterion (``(m, C)``; a single
    criterion per row where ``cols`` picks one, ``(m, 1)``): which slots are shown (``(m, slots, C)``), each
    shown cell's divisor, the slots' weights as integers over ``10**f``, ``10**p`` of the scores."""

    rules: PerilakuKerjaRules
    slots: tuple[int, ...]
    shown: npt.NDArray[np.bool_]
    cell_den: I64
    weights: I64
    scale: I64
    cols: npt.NDArray[np.intp] | None
    has_citizen: npt.NDArray[np.bool_]

    @classmethod
    def of(
        cls,
        rules: PerilakuKerjaRules,
        b: BehaviourScores,
        rows: npt.NDArray[np.intp],
        cols: npt.NDArray[np.intp] | None,
        scale10: I64,
    ) -> _Parts | None:
        """The pieces of ``rows`` (all criteria, or the criterion ``cols`` of each), ``None`` where the weights have
        more decimals than int64 holds."""
        slots = b.slots
        k = len(slots)
        f = max([places_of(rules.weights.get(RaterGroup.from_code(g), Decimal(0))) for g in slots if g != POOL] + [0])
        if f > _MAX_PLACES:
            return None
        w_int = np.array(
            [int(rules.weights.get(RaterGroup.from_code(g), Decimal(0)) * 10**f) if g != POOL else 0 for g in slots],
            dtype=np.int64,
        )

        def cells(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
            return values[rows] if cols is None else values[rows, :, cols][:, :, None]

        shown = np.asarray(cells(b.slot_shown), dtype=np.bool_)
        cell_den = np.where(shown, cells(b.slot_divisor), 1).astype(np.int64)
        weights = np.broadcast_to(w_int[None, :, None], shown.shape)
        if slots and slots[-1] == POOL:
            minimum = np.array([rules.minimum(RaterGroup.from_code(g)) if g != POOL else 1 for g in slots])
            counts = cells(b.slot_counts)
            below = (counts > 0) & (counts < minimum[None, :, None])
            weights = weights.copy()
            weights[:, k - 1, :] = (below * w_int[None, :, None]).sum(axis=1)
        scale = np.broadcast_to(scale10[:, None], (len(rows), shown.shape[2]))
        return cls(rules, slots, shown, cell_den, weights, scale, cols, ~np.isnan(b.citizen[rows]))

    def combined(self, skip: int | None) -> I64:
        """The denominators of the weighted means over the shown slots (but ``skip``)."""
        use = self.shown.copy()
        if skip is not None:
            use[:, skip, :] = False
        total = np.where(use, self.weights, 0).sum(axis=1)
        common = np.ones(total.shape, dtype=np.int64)
        for s in range(len(self.slots)):
            common = _lcm(common, np.where(use[:, s, :], self.cell_den[:, s, :], 1))
        out: I64 = np.where(total > 0, _mul(_mul(np.maximum(total, 1), common), self.scale), 1)
        return out

    def others(self, crit: I64) -> I64:
        """The others' score: without the self-rating (``crit`` itself where the self-rating is not counted)."""
        diri = RaterGroup.DIRI.code
        return self.combined(self.slots.index(diri)) if diri in self.slots else crit.copy()

    def own(self, self_counts: npt.NDArray[np.integer[Any]]) -> I64:
        """The self-rating's: its ratings times ``10**p``."""
        return _mul(self_counts.astype(np.int64), self.scale)

    def with_citizen(self, crit: I64, citizen_den: I64) -> I64:
        """``crit`` with the citizen score blended into the criteria it applies to (in place)."""
        cz = self.rules.citizen
        if cz is None:
            return crit
        zden = np.where(self.has_citizen, citizen_den, 1).astype(np.int64)
        g10 = np.full(len(zden), _pow10_i64(places_of(cz.weight)), dtype=np.int64)
        present: npt.NDArray[np.bool_] = np.asarray(self.shown.any(axis=1))  # the criterion has a group value
        applies = np.array([name in cz.applies_to for name in self.rules.criteria])
        for c in range(crit.shape[1]):
            at = self.has_citizen & (applies[c] if self.cols is None else applies[self.cols])
            if at.any():
                both = np.where(present[:, c], _mul(g10, _lcm(crit[:, c], zden)), zden)
                crit[:, c] = np.where(at, both, crit[:, c])
        return crit
