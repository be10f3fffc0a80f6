"""Aggregation strategies: how the ratings of different evaluators become one behaviour score.

A strategy is a validated object built from the policy (:class:`Aggregator`) around pure kernels
(:mod:`asn_kinerja.engine.kernels`). All three strategies share one pipeline over long-format ratings:

1. per ratee × rater group × criterion: the number of raters and the group's central value (mean, median or
   trimmed mean) — :func:`~asn_kinerja.engine.kernels.cell_stats`;
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

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja.engine import kernels
from asn_kinerja.model import RaterGroup
from asn_kinerja.policy.model import PerilakuKerjaRules

__all__ = ["GROUPS", "POOL", "Aggregator", "BehaviourScores"]

#: Rater groups in code order, then the pool of groups below their minimum.
GROUPS = len(RaterGroup)
POOL = GROUPS
F = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]


@attrs.frozen
class BehaviourScores:
    """Per ratee (first axis), with groups on the second axis (the pool last) and criteria on the third.

    ``counts``: raters per group and criterion; ``shown``: the group's value counts and may be shown (it meets its
    minimum); ``value``: the group's central value where shown (NaN elsewhere); ``spread``: the mean over criteria of
    the standard deviation of the group's scores, where shown; ``per_criterion``: the combined score per criterion;
    ``overall``: the behaviour score; ``self_score``: the mean self-rating; ``others``: the score without self
    and without the citizen index; ``citizen``: the citizen score applied (on the rating scale), NaN where not;
    ``failed``: ratee × group where a group below its minimum makes the evaluation fail;
    ``self_per_criterion`` and ``others_per_criterion``: per criterion, the self-rating and the others' score.
    """

    counts: F
    shown: B
    value: F
    spread: F
    per_criterion: F
    overall: F
    self_score: F
    others: F
    citizen: F
    failed: B
    self_per_criterion: F
    others_per_criterion: F


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

    def score(
        self,
        ratee: npt.NDArray[np.intp],
        group: npt.NDArray[np.intp],
        criterion: npt.NDArray[np.intp],
        score: F,
        n: int,
        citizen: F,
    ) -> BehaviourScores:
        """Scores of ``n`` ratees from long-format ratings; ``citizen`` is each ratee's citizen score on the rating
        scale (NaN where the index does not apply)."""
        criteria = len(self.rules.criteria)
        shape = (n, GROUPS + 1, criteria)
        size = n * (GROUPS + 1) * criteria
        rules = self.rules.three_sixty
        tendency = "mean" if rules is None else rules.central_tendency
        trim = Fraction(0) if rules is None else Fraction(rules.trim)
        below_rule = "drop" if rules is None else rules.below_minimum
        w_all = np.concatenate([self.weight_vector, [0.0]])
        min_all = np.concatenate([self.minimums, [1]]).astype(np.float64)[None, :, None]

        # 1. raters per ratee × group × criterion (every group, for reporting); counted groups below minimum.
        key = (ratee * (GROUPS + 1) + group) * criteria + criterion
        counts = np.bincount(key, minlength=size)[:size].reshape(shape).astype(np.float64)
        below = (counts > 0) & (counts < min_all) & (w_all > 0)[None, :, None]
        failed: B = np.zeros((n, GROUPS + 1), dtype=bool)
        pool_weight = np.zeros((n, criteria))
        eff_group = group
        if below_rule == "fail":
            failed = np.asarray(below.any(axis=2), dtype=bool)
        elif below_rule == "pool":
            eff_group = np.where(below[ratee, group, criterion], POOL, group)
            pool_weight = (below * w_all[None, :, None]).sum(axis=1)

        # 2. central values of the counted ratings, the pool being one more group.
        keep = w_all[group] > 0
        key = (ratee[keep] * (GROUPS + 1) + eff_group[keep]) * criteria + criterion[keep]
        used, center, spread_cells = (
            a.reshape(shape) for a in kernels.cell_stats(key, score[keep], size, tendency, trim)
        )
        need = np.broadcast_to(min_all, shape).copy()
        if below_rule == "pool":
            need[:, POOL, :] = np.where(below, min_all, np.inf).min(axis=1)
        shown = (used > 0) & (used >= need)
        value = np.where(shown, center, np.nan)
        cell_weights = np.broadcast_to(w_all[None, :, None], shape).copy()
        cell_weights[:, POOL, :] = pool_weight

        # 3. per criterion: the weighted mean of the groups shown (re-weighted over them).
        per_criterion = kernels.weighted_mean_over(value, cell_weights)
        if self.uses(RaterGroup.DIRI):
            without_self = value.copy()
            without_self[:, RaterGroup.DIRI.code, :] = np.nan
            others_per = kernels.weighted_mean_over(without_self, cell_weights)
        else:
            others_per = per_criterion.copy()

        # 4. the citizen index, into the criteria it applies to and/or the overall score.
        cz = self.rules.citizen
        if cz is not None:
            for c, name in enumerate(self.rules.criteria):
                if name in cz.applies_to:
                    per_criterion[:, c] = kernels.blend(per_criterion[:, c], citizen, float(cz.weight))
        overall = per_criterion.mean(axis=1)
        if cz is not None and "overall" in cz.applies_to:
            overall = kernels.blend(overall, citizen, float(cz.weight))

        # 5. reporting: self against others, and the spread of each group shown.
        is_self = group == RaterGroup.DIRI.code
        self_n, self_center, _ = kernels.cell_stats(
            (ratee * criteria + criterion)[is_self], score[is_self], n * criteria, "mean", Fraction(0)
        )
        self_cells = np.where(self_n.reshape(n, criteria) > 0, self_center.reshape(n, criteria), np.nan)
        with np.errstate(invalid="ignore"):
            self_score = kernels.nanmean_rows(self_cells)
            spread = kernels.nanmean_rows(np.where(shown, spread_cells, np.nan).reshape(n * (GROUPS + 1), criteria))
        return BehaviourScores(
            counts=counts,
            shown=shown,
            value=value,
            spread=spread.reshape(n, GROUPS + 1),
            per_criterion=per_criterion,
            overall=overall,
            self_score=self_score,
            others=others_per.mean(axis=1),
            citizen=citizen if cz is not None else np.full(n, np.nan),
            failed=failed,
            self_per_criterion=self_cells,
            others_per_criterion=others_per,
        )


def group_weights(weights: Mapping[RaterGroup, Decimal]) -> list[Fraction]:
    """Exact weights in group code order (0 for groups not named)."""
    return [Fraction(weights.get(g, Decimal(0))) for g in RaterGroup]
