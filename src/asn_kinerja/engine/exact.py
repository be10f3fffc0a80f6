"""The exact path: one employee's figures in rational arithmetic, from the decimal inputs.

These are the reference the columnar kernels are checked against (a hypothesis test compares the two paths
employee by employee) and the fallback the engine uses for figures that sit near a threshold or a rounding tie.

>>> capaian_exact(Decimal("93"), Decimal("95"), Decimal("95"), lower_is_better=False,
...               inside_range=Fraction(100), cap=None)
Fraction(1860, 19)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja.dataset.model import Dataset
from asn_kinerja.model import Direction, JenisRhk, Predikat, RaterGroup, Rating
from asn_kinerja.policy.model import PerilakuKerjaRules, Policy
from asn_kinerja.regimes._sections import rules_of
from asn_kinerja.rules import pp30_2019

__all__ = [
    "BehaviourExact",
    "ExactResult",
    "behaviour_exact",
    "capaian_exact",
    "central_exact",
    "citizen_exact",
    "criteria_exact",
    "decimal_of",
    "evaluate_exact",
    "hasil_kerja_exact",
    "perilaku_exact",
    "rows_by",
    "scores_by_cell",
    "settle_rating",
    "weighted_mean_exact",
]


def rows_by(owner: npt.NDArray[np.int32], n: int) -> Callable[[int], npt.NDArray[np.intp]]:
    """The rows of a table per owner in ``range(n)`` (one sort, then slices), for the few owners visited one by one.

    >>> rows_by(np.array([2, 0, 2], dtype=np.int32), 3)(2).tolist()
    [0, 2]
    """
    order = np.argsort(owner, kind="stable")
    starts = np.searchsorted(owner[order], np.arange(n + 1))
    return lambda who: order[starts[who] : starts[who + 1]]


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


def central_exact(values: Sequence[Decimal], tendency: str, trim: Fraction) -> Fraction:
    """A group's central value: ``mean``, ``median`` or ``trimmed_mean`` (``floor(trim × n)`` cut each end).

    >>> central_exact([Decimal(1), Decimal(5), Decimal(3), Decimal(4)], "median", Fraction(0))
    Fraction(7, 2)
    >>> central_exact([Decimal(1), Decimal(5), Decimal(3), Decimal(4), Decimal(4)], "trimmed_mean", Fraction(1, 5))
    Fraction(11, 3)
    """
    xs = sorted(Fraction(v) for v in values)
    n = len(xs)
    if tendency == "median":
        return (xs[(n - 1) // 2] + xs[n // 2]) / 2
    if tendency == "trimmed_mean":
        cut = n * trim.numerator // trim.denominator
        xs = xs[cut : n - cut]
    return sum(xs, Fraction(0)) / len(xs)


def _blend(base: Fraction | None, extra: Fraction | None, weight: Fraction) -> Fraction | None:
    if base is None:
        return extra
    if extra is None:
        return base
    return (1 - weight) * base + weight * extra


@attrs.frozen
class BehaviourExact:
    """One employee's behaviour score on the exact path: per criterion and overall (``None`` where it cannot be
    formed), the groups below their minimum, and the groups shown per criterion."""

    per_criterion: tuple[Fraction | None, ...]
    overall: Fraction | None
    below: frozenset[int]


def behaviour_exact(
    rules: PerilakuKerjaRules, scores: dict[tuple[int, int], list[Decimal]], citizen: Fraction | None
) -> BehaviourExact:
    """The behaviour score from ratings keyed by ``(group code, criterion index)`` and the citizen score on the
    rating scale (``None`` where it does not apply): the exact twin of
    :meth:`asn_kinerja.engine.strategies.Aggregator.score`."""
    three = rules.three_sixty
    tendency = "mean" if three is None else three.central_tendency
    trim = Fraction(0) if three is None else Fraction(three.trim)
    below_rule = "drop" if three is None else three.below_minimum
    weights = []
    for g in RaterGroup:
        w = Fraction(rules.weights.get(g, Decimal(0)))
        weights.append(Fraction(0) if g is RaterGroup.DIRI and not rules.include_self else w)
    per: list[Fraction | None] = []
    below_groups: set[int] = set()
    for c in range(len(rules.criteria)):
        cells: list[tuple[Fraction, Fraction]] = []
        pooled: list[Decimal] = []
        pool_weight = Fraction(0)
        pool_need: int | None = None
        for g in RaterGroup:
            got = scores.get((g.code, c), [])
            w = weights[g.code]
            if w == 0 or not got:
                continue
            need = rules.minimum(g)
            if len(got) < need:
                below_groups.add(g.code)
                if below_rule == "pool":
                    pooled.extend(got)
                    pool_weight += w
                    pool_need = need if pool_need is None else min(pool_need, need)
                continue
            cells.append((w, central_exact(got, tendency, trim)))
        if pooled and pool_need is not None and len(pooled) >= pool_need:
            cells.append((pool_weight, central_exact(pooled, tendency, trim)))
        total = sum((w for w, _ in cells), Fraction(0))
        per.append(sum((w * v for w, v in cells), Fraction(0)) / total if total else None)
    cz = rules.citizen
    if cz is not None:
        for c, name in enumerate(rules.criteria):
            if name in cz.applies_to:
                per[c] = _blend(per[c], citizen, Fraction(cz.weight))
    overall = (
        sum((p for p in per if p is not None), Fraction(0)) / len(per) if all(p is not None for p in per) else None
    )
    if cz is not None and "overall" in cz.applies_to:
        overall = _blend(overall, citizen, Fraction(cz.weight))
    return BehaviourExact(tuple(per), overall, frozenset(below_groups))


def settle_rating(value: Fraction, di_atas: Decimal, sesuai: Decimal) -> int:
    """Rating code (0 Di Atas, 1 Sesuai, 2 Di Bawah: best first) of an exact value."""
    if value >= di_atas:
        return 0
    return 1 if value >= sesuai else 2


def hasil_kerja_exact(policy: Policy, dataset: Dataset, rows: Iterable[int]) -> Fraction | None:
    """The weighted capaian of one employee's indicators (``rows`` of ``dataset.indicators``) under the policy's
    suggestion rules; ``None`` when no indicator counts or a realisasi is missing."""
    sug = rules_of(policy).hasil_kerja.suggestion
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


def scores_by_cell(
    criteria: Sequence[str], dataset: Dataset, rows: Iterable[int]
) -> dict[tuple[int, int], list[Decimal]]:
    """One employee's ratings (``rows`` of ``dataset.ratings``) as exact decimals keyed by ``(group code,
    criterion index)``; ratings on criteria not listed are left out."""
    rt = dataset.ratings
    index = {name: i for i, name in enumerate(criteria)}
    by: dict[tuple[int, int], list[Decimal]] = {}
    for r in rows:
        c = index.get(str(rt.criterion[r]))
        if c is not None:
            by.setdefault((int(rt.group[r]), c), []).append(decimal_of(rt.score[r]))
    return by


def perilaku_exact(
    policy: Policy, dataset: Dataset, rows: Iterable[int], citizen: Fraction | None = None
) -> Fraction | None:
    """The behaviour score of one employee from their ratings (``rows`` of ``dataset.ratings``) under the policy's
    strategy, with the citizen score on the rating scale where it applies; ``None`` when it cannot be formed."""
    pk = rules_of(policy).perilaku_kerja
    by = scores_by_cell(pk.criteria, dataset, rows)
    return behaviour_exact(pk, by, citizen).overall


def criteria_exact(
    policy: Policy, dataset: Dataset, rows: Iterable[int], citizen: Fraction | None
) -> tuple[tuple[Fraction | None, ...], tuple[Fraction | None, ...], tuple[Fraction | None, ...]]:
    """Per criterion, exactly: the combined score, the self-rating and the others' score (without self and
    without the citizen index), from one employee's ratings."""
    pk = rules_of(policy).perilaku_kerja
    by = scores_by_cell(pk.criteria, dataset, rows)
    combined = behaviour_exact(pk, by, citizen).per_criterion
    others = behaviour_exact(attrs.evolve(pk, include_self=False, citizen=None), by, None).per_criterion
    own = tuple(
        central_exact(by[(RaterGroup.DIRI.code, c)], "mean", Fraction(0)) if (RaterGroup.DIRI.code, c) in by else None
        for c in range(len(pk.criteria))
    )
    return combined, own, others


@attrs.frozen
class ExactResult:
    """One employee evaluated on the exact path (the reference for the columnar engine)."""

    capaian: Fraction | None
    rating_hasil_kerja: Rating | None
    perilaku_score: Fraction | None
    rating_perilaku_kerja: Rating | None
    predikat: Predikat | None


def citizen_exact(policy: Policy, dataset: Dataset, row: int) -> Fraction | None:
    """The citizen score (on the rating scale) that applies to the employee at ``row``, exactly; ``None`` where
    the policy has no citizen rules or the unit has no usable survey."""
    pk = rules_of(policy).perilaku_kerja
    cz = pk.citizen
    if cz is None:
        return None
    unit = int(dataset.employees.unit[row])
    sv = dataset.surveys
    respondents = int(((sv.unit == unit) & (sv.answers > 0).any(axis=1)).sum())
    if respondents < cz.min_respondents:
        return None
    from asn_kinerja.engine.citizen import on_scale, unit_index_exact

    return on_scale(unit_index_exact(dataset, unit, cz).indeks, pk.scale)


def evaluate_exact(policy: Policy, dataset: Dataset, row: int) -> ExactResult:
    """Evaluate the employee at ``row`` with rational arithmetic only, one rule at a time (no adjustments)."""
    rules = rules_of(policy)
    emp = dataset.employees
    capaian = hasil_kerja_exact(policy, dataset, np.flatnonzero(dataset.indicators.employee == row).tolist())
    citizen = citizen_exact(policy, dataset, row)
    score = perilaku_exact(policy, dataset, np.flatnonzero(dataset.ratings.ratee == row).tolist(), citizen)
    th = rules.hasil_kerja.suggestion.thresholds
    pth = rules.perilaku_kerja.suggestion.thresholds
    hk: Rating | None
    pk: Rating | None
    if emp.rating_hasil_kerja[row] >= 0:
        hk = Rating.from_code(int(emp.rating_hasil_kerja[row]))
    elif rules.hasil_kerja.suggestion.enabled and capaian is not None:
        hk = Rating.from_code(settle_rating(capaian, th.di_atas, th.sesuai))
    else:
        hk = None
    if emp.rating_perilaku_kerja[row] >= 0:
        pk = Rating.from_code(int(emp.rating_perilaku_kerja[row]))
    elif rules.perilaku_kerja.suggestion.enabled and score is not None:
        pk = Rating.from_code(settle_rating(score, pth.di_atas, pth.sesuai))
    else:
        pk = None
    predikat = None if hk is None or pk is None else rules.matrix.row(hk)[pk]
    return ExactResult(capaian, hk, score, pk, predikat)
