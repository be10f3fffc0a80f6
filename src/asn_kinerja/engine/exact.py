"""The exact path: one employee's figures in rational arithmetic, from the decimal inputs.

These are the reference the columnar kernels are checked against (a hypothesis test compares the two paths
employee by employee) and the fallback the engine uses for figures that sit near a threshold or a rounding tie.

>>> capaian_exact(Decimal("93"), Decimal("95"), Decimal("95"), lower_is_better=False,
...               inside_range=Fraction(100), cap=None)
Fraction(1860, 19)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs
import numpy as np

from asn_kinerja.dataset.model import Dataset
from asn_kinerja.model import Direction, JenisRhk, Predikat, RaterGroup, Rating
from asn_kinerja.policy.model import Policy
from asn_kinerja.rules import pp30_2019

__all__ = [
    "ExactResult",
    "capaian_exact",
    "decimal_of",
    "evaluate_exact",
    "group_score_exact",
    "hasil_kerja_exact",
    "perilaku_exact",
    "settle_rating",
    "weighted_mean_exact",
]


def decimal_of(x: float) -> Decimal:
    """The exact decimal a stored float stands for (its shortest text, as it was read)."""
    return Decimal(repr(float(x)))


def capaian_exact(
    realisasi: Decimal,
    low: Decimal,
    high: Decimal,
    *,
    lower_is_better: bool,
    inside_range: Fraction,
    cap: Fraction | None,
) -> Fraction:
    """Capaian in percent, exactly: :func:`~asn_kinerja.rules.pp30_2019.capaian_fraction` (PermenPANRB 8/2021)
    with the policy's value inside a range target and its cap."""
    if low != high and low <= realisasi <= high:
        value = inside_range
    else:
        value = pp30_2019.capaian_fraction(
            Fraction(realisasi), Fraction(low), Fraction(high), lower_is_better=lower_is_better
        )
    return value if cap is None else min(value, cap)


def weighted_mean_exact(values: Sequence[Fraction], weights: Sequence[Decimal]) -> Fraction:
    """Σ wᵢ·vᵢ / Σ wᵢ."""
    total = sum((Fraction(w) for w in weights), Fraction(0))
    return sum((Fraction(w) * v for w, v in zip(weights, values, strict=True)), Fraction(0)) / total


def group_score_exact(
    scores: dict[tuple[int, int], list[Decimal]], weights: Sequence[Fraction], criteria: int
) -> tuple[list[Fraction | None], Fraction | None]:
    """Per-criterion and overall behaviour score from ratings keyed by ``(group, criterion)``: the mean of each
    group, weighted over the groups present; the overall score is the mean over criteria (``None`` if any
    criterion has no rating)."""
    per: list[Fraction | None] = []
    for c in range(criteria):
        num = Fraction(0)
        den = Fraction(0)
        for g, w in enumerate(weights):
            got = scores.get((g, c))
            if not got or w == 0:
                continue
            num += w * Fraction(sum(got, Decimal(0))) / len(got)
            den += w
        per.append(num / den if den else None)
    known = [p for p in per if p is not None]
    overall = sum(known, Fraction(0)) / len(per) if per and len(known) == len(per) else None
    return per, overall


def settle_rating(value: Fraction, di_atas: Decimal, sesuai: Decimal) -> int:
    """Rating code (0 Di Bawah, 1 Sesuai, 2 Di Atas) of an exact value."""
    if value >= di_atas:
        return 2
    return 1 if value >= sesuai else 0


def hasil_kerja_exact(policy: Policy, dataset: Dataset, rows: Iterable[int]) -> Fraction | None:
    """The weighted capaian of one employee's indicators (``rows`` of ``dataset.indicators``) under the policy's
    suggestion rules; ``None`` when no indicator counts or a realisasi is missing."""
    assert policy.hasil_kerja is not None
    sug = policy.hasil_kerja.suggestion
    ind = dataset.indicators
    chosen = [r for r in rows if sug.include_tambahan or dataset.rhk.jenis[ind.rhk[r]] == JenisRhk.UTAMA.code]
    if not chosen or any(np.isnan(ind.realisasi[r]) for r in chosen):
        return None
    values = [
        capaian_exact(
            decimal_of(ind.realisasi[r]),
            decimal_of(ind.target_low[r]),
            decimal_of(ind.target_high[r]),
            lower_is_better=bool(ind.direction[r] == Direction.LOWER_IS_BETTER.code),
            inside_range=Fraction(sug.inside_range),
            cap=None if sug.cap is None else Fraction(sug.cap),
        )
        for r in chosen
    ]
    return weighted_mean_exact(values, [decimal_of(ind.weight[r]) for r in chosen])


def perilaku_exact(policy: Policy, dataset: Dataset, rows: Iterable[int]) -> Fraction | None:
    """The behaviour score of one employee from their ratings (``rows`` of ``dataset.ratings``) under the policy's
    strategy; ``None`` when a criterion has no counted rating."""
    assert policy.perilaku_kerja is not None
    pk = policy.perilaku_kerja
    rt = dataset.ratings
    criteria = list(pk.criteria)
    weights = [Fraction(pk.weights.get(g, Decimal(0))) for g in RaterGroup]
    by: dict[tuple[int, int], list[Decimal]] = {}
    for r in rows:
        name = str(rt.criterion[r])
        group = int(rt.group[r])
        if name in criteria and weights[group] > 0:
            by.setdefault((group, criteria.index(name)), []).append(decimal_of(rt.score[r]))
    return group_score_exact(by, weights, len(criteria))[1]


@attrs.frozen
class ExactResult:
    """One employee evaluated on the exact path (the reference for the columnar engine)."""

    capaian: Fraction | None
    rating_hasil_kerja: Rating | None
    perilaku_score: Fraction | None
    rating_perilaku_kerja: Rating | None
    predikat: Predikat | None


def evaluate_exact(policy: Policy, dataset: Dataset, row: int) -> ExactResult:
    """Evaluate the employee at ``row`` with rational arithmetic only, one rule at a time (no adjustments)."""
    assert policy.hasil_kerja is not None
    assert policy.perilaku_kerja is not None
    assert policy.matrix is not None
    emp = dataset.employees
    capaian = hasil_kerja_exact(policy, dataset, np.flatnonzero(dataset.indicators.employee == row).tolist())
    score = perilaku_exact(policy, dataset, np.flatnonzero(dataset.ratings.ratee == row).tolist())
    th = policy.hasil_kerja.suggestion.thresholds
    pth = policy.perilaku_kerja.thresholds
    hk: Rating | None
    pk: Rating | None
    if emp.rating_hasil_kerja[row] >= 0:
        hk = Rating.from_code(int(emp.rating_hasil_kerja[row]))
    elif policy.hasil_kerja.suggestion.enabled and capaian is not None:
        hk = Rating.from_code(settle_rating(capaian, th.di_atas, th.sesuai))
    else:
        hk = None
    if emp.rating_perilaku_kerja[row] >= 0:
        pk = Rating.from_code(int(emp.rating_perilaku_kerja[row]))
    elif policy.perilaku_kerja.suggest and score is not None:
        pk = Rating.from_code(settle_rating(score, pth.di_atas, pth.sesuai))
    else:
        pk = None
    predikat = None if hk is None or pk is None else policy.matrix.row(hk)[pk]
    return ExactResult(capaian, hk, score, pk, predikat)
