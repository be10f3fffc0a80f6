"""Aggregation strategies: how the ratings of different evaluators become one behaviour score.

A strategy is a validated object built from the policy (:class:`Aggregator`) around pure kernels
(:mod:`asn_kinerja.engine.kernels`). All three strategies share one pipeline over long-format ratings:

1. per ratee × rater group × criterion: the number of raters and the group's central value (mean, median or
   trimmed mean), the ratings read a chunk at a time — :mod:`asn_kinerja.engine.cells`;
2. groups below their minimum are dropped, pooled into one "others" group, or make the evaluation fail;
3. per criterion, the weighted mean of the groups present (weights re-normalised over them);
4. ``citizen_weighted``: the unit's citizen satisfaction index, put on the rating scale, enters the named
   criteria (or the overall score) with its weight;
5. the overall score is the mean over the criteria.

``supervisor_only`` is the same pipeline with the atasan group alone. Self-ratings (``diri``) are left out unless
the policy includes them, and the gap between self and others is reported. Its exact twin is
:func:`asn_kinerja.engine.exact.perilaku_exact`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja.engine import kernels
from asn_kinerja.engine.cells import CellKeys, GroupTally, cell_counts, central_values
from asn_kinerja.model import RaterGroup
from asn_kinerja.policy.model import PerilakuKerjaRules

__all__ = ["ANONYMOUS", "GROUPS", "POOL", "Aggregator", "BehaviourScores"]

#: Rater groups in code order, then the pool of groups below their minimum.
GROUPS = len(RaterGroup)
POOL = GROUPS
#: The groups whose raters are anonymous: peers, subordinates and service users (not the atasan, whose rating is
#: the evaluator's accountable judgement, nor the employee's own rating). The pool holds only groups below their
#: minimum, which are anonymous groups (the atasan's and the employee's own minimum being 1).
ANONYMOUS = frozenset({RaterGroup.REKAN, RaterGroup.BAWAHAN, RaterGroup.PENGGUNA_LAYANAN})
F = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]
I32 = npt.NDArray[np.int32]


@attrs.frozen(eq=False)
class BehaviourScores:
    """Per ratee (first axis). The cells of the groups the policy counts (its *slots*: the groups with a weight,
    then the pool of groups below their minimum where the policy pools) are held compactly, ``(n, slots,
    criteria)``; :attr:`counts`, :attr:`shown` and :attr:`value` expand them on first use to every group code (the
    pool last), as ``(n, groups + 1, criteria)``.

    ``slots``: the group code of each slot (``POOL`` for the pool); ``slot_counts``: raters per slot and
    criterion (the pool: 0, its raters being those of its groups); ``slot_used``: ratings that make the slot's
    value (the pool: the pooled ratings); ``slot_shown``: the slot's value counts and may be shown (it meets its
    minimum); ``slot_value``: its central value where shown (NaN elsewhere); ``slot_divisor``: the integer the
    central value's decimal numerator is divided by (raters for a mean, 2 for a median, the raters kept for a
    trimmed mean), for exact settlement; ``pool_weight``: the pool's weight per ratee and criterion.
    ``per_criterion``: the combined score per criterion; ``overall``: the behaviour score; ``self_score``: the
    mean self-rating; ``others``: the score without self and without the citizen index; ``citizen``: the citizen
    score applied (on the rating scale), NaN where not; ``failed``: ratee × group where a group below its minimum
    makes the evaluation fail; ``self_per_criterion`` (and ``self_counts``) and ``others_per_criterion``: per
    criterion, the self-rating and the others' score.
    """

    slots: tuple[int, ...]
    slot_counts: npt.NDArray[np.int32]
    slot_used: npt.NDArray[np.int32]
    slot_shown: B
    slot_value: F
    slot_divisor: npt.NDArray[np.int32]
    pool_weight: F
    per_criterion: F
    overall: F
    self_score: F
    others: F
    citizen: F
    failed: B
    self_per_criterion: F
    others_per_criterion: F
    self_counts: npt.NDArray[np.int32]

    def _expand(self, cells: npt.NDArray[np.generic], fill: object) -> npt.NDArray[np.generic]:
        n, _, criteria = cells.shape
        out = np.full((n, GROUPS + 1, criteria), fill, dtype=cells.dtype)
        out[:, list(self.slots), :] = cells
        return out

    def anonymous_counted(self) -> B:
        """Per ratee: whether a value of an anonymous group (or of the pool) counts in the score, on any criterion.

        A function of the numbers of raters alone, never of the scores: whether a figure is withheld reveals
        nothing about a rating.
        """
        anonymous = [k for k, g in enumerate(self.slots) if g == POOL or RaterGroup.from_code(g) in ANONYMOUS]
        out: B = np.asarray(self.slot_shown[:, anonymous, :].any(axis=(1, 2)), dtype=np.bool_)
        return out

    @functools.cached_property
    def counts(self) -> F:
        """Raters per ratee × group × criterion, for the groups the policy counts (0 elsewhere)."""
        return np.asarray(self._expand(self.slot_counts.astype(np.float64), 0.0), dtype=np.float64)

    @functools.cached_property
    def shown(self) -> B:
        """Whether the group's (or the pool's) value counts and may be shown."""
        return np.asarray(self._expand(self.slot_shown, False), dtype=np.bool_)

    @functools.cached_property
    def value(self) -> F:
        """The group's central value where shown, NaN elsewhere."""
        return np.asarray(self._expand(self.slot_value, np.nan), dtype=np.float64)


@attrs.frozen
class Aggregator:
    """The behaviour-score strategy of a policy's ``perilaku_kerja`` section."""

    rules: PerilakuKerjaRules

    @property
    def name(self) -> str:
        return self.rules.strategy

    def weight(self, group: RaterGroup) -> Decimal:
        """The group's weight in the aggregate (0 for a group not counted)."""
        w = self.rules.weights.get(group, Decimal(0))
        if group is RaterGroup.DIRI and not self.rules.include_self:
            return Decimal(0)
        return w

    def uses(self, group: RaterGroup) -> bool:
        return self.weight(group) > 0

    @property
    def weight_vector(self) -> F:
        return np.array([float(self.weight(g)) for g in RaterGroup])

    @property
    def exact_weights(self) -> list[Fraction]:
        return [Fraction(self.weight(g)) for g in RaterGroup]

    @property
    def minimums(self) -> npt.NDArray[np.int64]:
        return np.array([self.rules.minimum(g) for g in RaterGroup], dtype=np.int64)

    @property
    def slots(self) -> tuple[int, ...]:
        """The group codes the aggregate counts (weight > 0), then ``POOL`` where groups below their minimum are
        pooled."""
        used = tuple(g.code for g in RaterGroup if self.uses(g))
        pool = self.rules.three_sixty is not None and self.rules.three_sixty.below_minimum == "pool"
        return (*used, POOL) if pool else used

    def _plan(self, n: int) -> _Plan:
        """What the aggregate counts for ``n`` ratees: its slots, their weights and minimums, the three_sixty
        options."""
        slots = self.slots
        rules = self.rules.three_sixty
        slot_of = np.full(GROUPS + 1, -1, dtype=np.int8)
        slot_of[list(slots)] = np.arange(len(slots))
        return _Plan(
            slots=slots,
            shape=(n, len(slots), len(self.rules.criteria)),
            w_slot=np.array([float(self.weight(RaterGroup.from_code(g))) if g != POOL else 0.0 for g in slots]),
            min_slot=np.array([self.rules.minimum(RaterGroup.from_code(g)) if g != POOL else 1 for g in slots]),
            slot_of=slot_of,
            tendency="mean" if rules is None else rules.central_tendency,
            trim=Fraction(0) if rules is None else Fraction(rules.trim),
            below_rule="drop" if rules is None else rules.below_minimum,
        )

    def score(
        self,
        ratee: npt.NDArray[np.integer[Any]],
        group: npt.NDArray[np.integer[Any]],
        criterion: npt.NDArray[np.integer[Any]],
        score: F,
        n: int,
        citizen: F,
    ) -> BehaviourScores:
        """Scores of ``n`` ratees from long-format ratings; ``citizen`` is each ratee's citizen score on the rating
        scale (NaN where the index does not apply).

        The ratings are read a chunk at a time (:mod:`.cells`), the arrays made are those per cell: ``(n, slots,
        criteria)`` for the slots the policy counts, not every group.
        """
        plan = self._plan(n)
        # 1.–2. raters per ratee × slot × criterion, groups below their minimum, central values (the pool being one
        # more slot), the ratings read a chunk at a time.
        _, slots, criteria = plan.shape
        keys = CellKeys(ratee, group, criterion, slot_of=plan.slot_of, slots=slots, criteria=criteria, n=n)
        own = GroupTally.of(RaterGroup.DIRI.code, keys)  # the self-ratings, tallied in the first pass
        counts, used, center, below, failed, pool_weight = _counted(plan, keys, score, own)
        shown, value = _shown_values(plan, used, below, center)
        del center
        # 3. per criterion: the weighted mean of the slots shown (re-weighted over them).
        per_criterion, others_per = self._combined(plan, value, pool_weight)
        # 4. the citizen index, into the criteria it applies to and/or the overall score.
        overall = self._with_citizen(per_criterion, citizen)
        # 5. reporting: self against others.
        self_counts, self_cells = own.counts.reshape(n, criteria), own.means().reshape(n, criteria)
        with np.errstate(invalid="ignore"):
            self_score = kernels.nanmean_rows(self_cells)
        return BehaviourScores(
            slots=plan.slots,
            slot_counts=counts,
            slot_used=used,
            slot_shown=shown,
            slot_value=value,
            slot_divisor=_divisors(plan, used),
            pool_weight=pool_weight,
            per_criterion=per_criterion,
            overall=overall,
            self_score=self_score,
            others=others_per.mean(axis=1),
            citizen=citizen if self.rules.citizen is not None else np.full(n, np.nan),
            failed=failed,
            self_per_criterion=self_cells,
            others_per_criterion=others_per,
            self_counts=self_counts,
        )

    def _combined(self, plan: _Plan, value: F, pool_weight: F) -> tuple[F, F]:
        """Per ratee and criterion: the weighted mean of the slots shown (re-weighted over them), and the same
        without the self-rating."""
        k = len(plan.slots)
        if k == 1 and plan.w_slot[0] > 0:  # one group: its value is the criterion's
            per_criterion = value[:, 0, :].copy()
            others_per = per_criterion.copy()
            if plan.slots[0] == RaterGroup.DIRI.code:
                others_per[:] = np.nan
            return per_criterion, others_per
        cell_weights = np.broadcast_to(plan.w_slot[None, :, None], plan.shape)
        if plan.pooled:
            cell_weights = cell_weights.copy()
            cell_weights[:, k - 1, :] = pool_weight
        per_criterion = kernels.weighted_mean_over(value, cell_weights)
        if self.uses(RaterGroup.DIRI):
            without_self = value.copy()
            without_self[:, int(plan.slot_of[RaterGroup.DIRI.code]), :] = np.nan
            others_per = kernels.weighted_mean_over(without_self, cell_weights)
            del without_self
        else:
            others_per = per_criterion.copy()
        return per_criterion, others_per

    def _with_citizen(self, per_criterion: F, citizen: F) -> F:
        """The citizen index blended into the criteria it applies to (in place), and the overall score: the mean
        over the criteria, blended where the index applies to it."""
        cz = self.rules.citizen
        if cz is not None:
            for c, name in enumerate(self.rules.criteria):
                if name in cz.applies_to:
                    per_criterion[:, c] = kernels.blend(per_criterion[:, c], citizen, float(cz.weight))
        overall: F = per_criterion.mean(axis=1)
        if cz is not None and "overall" in cz.applies_to:
            overall = kernels.blend(overall, citizen, float(cz.weight))
        return overall


@attrs.frozen(eq=False)
class _Plan:
    """What a strategy counts for a population: the ``slots`` (group codes, then ``POOL`` where groups below
    their minimum are pooled), their weights and minimum raters, each group code's slot (-1 where not counted),
    the cells' ``shape`` ``(ratees, slots, criteria)`` and the three_sixty options."""

    slots: tuple[int, ...]
    shape: tuple[int, int, int]
    w_slot: F
    min_slot: npt.NDArray[np.int64]
    slot_of: npt.NDArray[np.int8]
    tendency: str
    trim: Fraction
    below_rule: str

    @property
    def size(self) -> int:
        n, k, criteria = self.shape
        return n * k * criteria

    @property
    def pooled(self) -> bool:
        return self.below_rule == "pool"


def _counted(plan: _Plan, keys: CellKeys, score: F, beside: GroupTally) -> tuple[I32, I32, F, B, B, F]:
    """Per cell (``plan.shape``: ratee × slot × criterion) of the counted ratings (``keys``): their raters, the
    ratings that make its value (where the policy pools, the pool's slot holding those of its groups below their
    minimum), its central value (NaN where none) and whether it is below its minimum; ratee × group where that
    fails the evaluation; the pool's weight per ratee and criterion. ``beside`` is tallied in the first pass over
    the ratings.

    The ratings are read a chunk at a time (:class:`~.cells.CellKeys`): no array of the ratings' length is made
    (a million employees have some 40 million ratings), except the keys of all of them where a median or a
    trimmed mean of scores off a small grid is sorted.
    """
    n, _, criteria = plan.shape
    failed: B = np.zeros((n, GROUPS + 1), dtype=bool)
    pool_weight = np.zeros((n, criteria))
    if plan.pooled:  # the cells below their minimum first: their ratings go to the pool
        finder = None if plan.tendency == "mean" else kernels.GridFinder()  # a mean needs no grid
        counts = cell_counts(keys, score, beside, finder)
        below = _below(plan, counts)
        pooled = keys.pooled_counts(counts, below)
        keys = keys.with_pool(below)
        pool_weight = (below * plan.w_slot[None, :, None]).sum(axis=1)
        grid = None if finder is None else finder.grid()
        used, center = central_values(keys, score, plan.tendency, plan.trim, counts=pooled, grid=grid)
    else:
        counts, center = central_values(keys, score, plan.tendency, plan.trim, beside=beside)
        used = counts
        below = _below(plan, counts)
        if plan.below_rule == "fail":
            failed[:, list(plan.slots)] = below.any(axis=2)
    if center is None:  # scores off a small grid: sorted
        center = _sorted_central(keys, score, used, plan)
    return counts.reshape(plan.shape), used.reshape(plan.shape), center.reshape(plan.shape), below, failed, pool_weight


def _below(plan: _Plan, counts: I32) -> B:
    """The cells with raters, fewer than their slot's minimum."""
    cells = counts.reshape(plan.shape)
    below: B = (cells > 0) & (cells < plan.min_slot[None, :, None])
    return below


def _sorted_central(keys: CellKeys, score: F, used: I32, plan: _Plan) -> F:
    """The central value of each cell by :func:`~asn_kinerja.engine.kernels.cell_stats` over the keys of all the
    ratings (``size`` where not counted)."""
    key = np.full(len(score), keys.size, dtype=np.intp)
    for part, cells, sel in keys.chunks():
        if sel is None:
            key[part] = cells
        else:
            key[part][sel] = cells
    _, center, _ = kernels.cell_stats(key, score, keys.size, plan.tendency, plan.trim, counts=used, with_spread=False)
    return center


def _shown_values(plan: _Plan, used: npt.NDArray[np.int32], below: B, center: F) -> tuple[B, F]:
    """Which cells count and may be shown (they meet their minimum; the pool, the smallest minimum of the groups
    it holds), and their central values there (NaN elsewhere: ``center``, changed in place)."""
    k = len(plan.slots)
    need = np.broadcast_to(plan.min_slot[None, :, None], plan.shape)
    if plan.pooled:
        need = need.copy()
        need[:, k - 1, :] = np.where(below, plan.min_slot[None, :, None], np.iinfo(np.int32).max).min(axis=1)
    shown: B = (used > 0) & (used >= need)
    del need
    np.copyto(center, np.nan, where=~shown)
    return shown, center


def _divisors(plan: _Plan, used: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
    """The integer each cell's central value has its decimal numerator divided by: raters for a mean, 2 for a
    median, the raters kept for a trimmed mean."""
    if plan.tendency == "median":
        return np.where(used > 0, np.int32(2), np.int32(1))
    if plan.tendency == "trimmed_mean":
        trim = plan.trim
        if max(int(used.max(initial=0)), 1) * trim.numerator < 2**31 and trim.denominator < 2**31:  # int32
            cut = used * np.int32(trim.numerator)
            cut //= np.int32(trim.denominator)
            cut *= np.int32(-2)
            cut += used
            return cut
        return (used - 2 * ((used.astype(np.int64) * trim.numerator) // trim.denominator)).astype(np.int32)
    return used


def group_weights(weights: Mapping[RaterGroup, Decimal]) -> list[Fraction]:
    """Exact weights in group code order (0 for groups not named)."""
    return [Fraction(weights.get(g, Decimal(0))) for g in RaterGroup]
