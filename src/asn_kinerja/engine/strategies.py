"""Aggregation strategies: how the ratings of different evaluators become one behaviour score.

A strategy is a small validated object built from the policy around a pure kernel
(:func:`~asn_kinerja.engine.kernels.weighted_group_score`). ``supervisor_only`` weighs the Pejabat Penilai
(group ``atasan``) alone.
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

__all__ = ["STRATEGIES", "GroupWeighted", "StrategyScores", "build_strategy"]

GROUPS = len(RaterGroup)


@attrs.frozen
class StrategyScores:
    """Per ratee: ratings counted per group and criterion ``(n, groups, criteria)``, the per-criterion score
    ``(n, criteria)`` and the overall score ``(n,)`` (NaN where it cannot be formed)."""

    counts: npt.NDArray[np.float64]
    per_criterion: npt.NDArray[np.float64]
    overall: npt.NDArray[np.float64]
    used: npt.NDArray[np.bool_]


@attrs.frozen
class GroupWeighted:
    """Weighted mean of rater-group means, re-weighted over the groups present (the weights' scale is free)."""

    name: str
    weights: Mapping[RaterGroup, Decimal]

    @property
    def weight_vector(self) -> npt.NDArray[np.float64]:
        return np.array([float(self.weights.get(g, 0)) for g in RaterGroup])

    @property
    def exact_weights(self) -> list[Fraction]:
        return [Fraction(self.weights.get(g, Decimal(0))) for g in RaterGroup]

    def uses(self, group: RaterGroup) -> bool:
        return self.weights.get(group, Decimal(0)) > 0

    def score(
        self,
        ratee: npt.NDArray[np.intp],
        group: npt.NDArray[np.intp],
        criterion: npt.NDArray[np.intp],
        score: npt.NDArray[np.float64],
        n: int,
        criteria: int,
    ) -> StrategyScores:
        used = self.weight_vector[group] > 0
        counts, means = kernels.group_means(ratee[used], group[used], criterion[used], score[used], n, GROUPS, criteria)
        per_criterion, overall = kernels.weighted_group_score(means, self.weight_vector)
        return StrategyScores(counts=counts, per_criterion=per_criterion, overall=overall, used=used)


STRATEGIES = ("supervisor_only",)


def build_strategy(name: str, weights: Mapping[RaterGroup, Decimal]) -> GroupWeighted:
    """The strategy object for a policy's ``perilaku_kerja.strategy`` and weights."""
    if name not in STRATEGIES:  # pragma: no cover - the policy schema only admits known names
        raise ValueError(f"unknown strategy {name!r}")
    return GroupWeighted(name=name, weights=weights)
