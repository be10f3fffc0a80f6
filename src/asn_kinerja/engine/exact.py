"""The exact path: one employee's figures in rational arithmetic, from the decimal inputs.

These are the reference the columnar kernels are checked against (a hypothesis test compares the two paths
employee by employee) and the fallback the engine uses for figures that sit near a threshold or a rounding tie.

>>> capaian_exact(Decimal("93"), Decimal("95"), Decimal("95"), lower_is_better=False,
...               inside_range=Fraction(100), cap=None)
Fraction(1860, 19)
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from asn_kinerja.rules import pp30_2019

__all__ = ["capaian_exact", "decimal_of", "group_score_exact", "settle_rating", "weighted_mean_exact"]


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
