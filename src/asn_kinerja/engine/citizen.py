"""The citizen satisfaction index of each unit (PermenPANRB 14/2017) and its place on the behaviour scale.

The columnar path computes every unit's index at once from the survey answers; the exact path is
:func:`asn_kinerja.rules.skm_2017.ikm_from_responses` on one unit's responses. The index (1–4) enters a behaviour
score on the policy's rating scale linearly: ``min + (indeks − 1) / 3 × (max − min)``.
"""

from __future__ import annotations

from fractions import Fraction

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja.dataset.model import Dataset
from asn_kinerja.errors import Problem
from asn_kinerja.policy.model import CitizenRules, Scale
from asn_kinerja.rules import skm_2017

__all__ = ["UnitIndex", "on_scale", "unit_index_exact", "unit_indices"]


@attrs.frozen
class UnitIndex:
    """Per unit: respondents, the index (1–4, NaN where the unit has no usable survey), and whether it is used
    (enough respondents); the problems found (unanswered unsur when the policy makes them an error); ``answered``:
    respondents answering each unsur (units × unsur)."""

    respondents: npt.NDArray[np.int64]
    indeks: npt.NDArray[np.float64]
    used: npt.NDArray[np.bool_]
    problems: tuple[Problem, ...]
    answered: npt.NDArray[np.int64] = attrs.field(factory=lambda: np.zeros((0, 9), dtype=np.int64))


def unit_indices(dataset: Dataset, rules: CitizenRules) -> UnitIndex:
    """Every unit's index from the dataset's survey answers, without a loop over respondents."""
    sv = dataset.surveys
    units = len(dataset.units)
    unsur = sv.answers.shape[1]
    answered = sv.answers > 0
    problems: list[Problem] = []
    if rules.missing_answers == "error":
        for r, j in zip(*np.nonzero(~answered), strict=True):
            problems.append(
                Problem(
                    f"unsur u{j + 1} is not answered (citizen.missing_answers: error)",
                    source="surveys",
                    record=str(sv.respondent_id[r] or f"row {r + 1}"),
                    field=f"u{j + 1}",
                )
            )
    cell = (sv.unit.astype(np.int64)[:, None] * unsur + np.arange(unsur)[None, :]).ravel()
    sums = np.bincount(cell, weights=sv.answers.ravel().astype(np.float64), minlength=units * unsur)
    counts = np.bincount(cell, weights=answered.ravel().astype(np.float64), minlength=units * unsur)
    with np.errstate(invalid="ignore", divide="ignore"):
        nrr = (sums / counts).reshape(units, unsur)
    indeks = nrr.mean(axis=1)
    respondents = np.bincount(sv.unit[answered.any(axis=1)], minlength=units).astype(np.int64)
    used = (respondents >= rules.min_respondents) & ~np.isnan(indeks)
    return UnitIndex(
        respondents=respondents,
        indeks=np.where(used, indeks, np.nan),
        used=used,
        problems=tuple(problems),
        answered=counts.reshape(units, unsur).astype(np.int64),
    )


def unit_index_exact(dataset: Dataset, unit: int, rules: CitizenRules) -> skm_2017.IkmResult:
    """One unit's index, exactly, by the rule function of PermenPANRB 14/2017."""
    sv = dataset.surveys
    rows = [[None if a == 0 else int(a) for a in answers] for answers in sv.answers[sv.unit == unit]]
    return skm_2017.ikm_from_responses(rows, missing="skip" if rules.missing_answers == "skip" else "error")


def on_scale(indeks: Fraction, scale: Scale) -> Fraction:
    """The index (1–4) placed linearly on the behaviour rating scale.

    >>> from decimal import Decimal
    >>> scale = Scale(min=Decimal(1), max=Decimal(5))
    >>> on_scale(Fraction(4), scale), on_scale(Fraction(5, 2), scale)
    (Fraction(5, 1), Fraction(3, 1))
    """
    lo, hi = Fraction(scale.min), Fraction(scale.max)
    return lo + (indeks - 1) / 3 * (hi - lo)
