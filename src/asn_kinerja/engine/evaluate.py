"""Evaluation of a whole population under the PermenPANRB 6/2022 regime, column by column.

One employee is a population of one: there is no per-employee Python loop on the main path (loops run over
the rows a problem is reported for, over units, criteria and rater groups, and over the few rows the exact path
settles). Figures near a threshold or a rounding tie are settled exactly (:mod:`.settle`): column-wise from their
denominators (:mod:`.denominators`) where known, else by the exact path.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any, overload

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja.dataset.model import Dataset, RatingTable
from asn_kinerja.engine import kernels
from asn_kinerja.engine.citizen import UnitIndex, unit_indices
from asn_kinerja.engine.denominators import (
    capaian_denominators,
    cell_denominators,
    citizen_scale,
    group_rows,
    overall_denominators,
    scores_scale,
)
from asn_kinerja.engine.exact import citizen_exact, criteria_exact, hasil_kerja_exact, perilaku_exact
from asn_kinerja.engine.organisation import angka_kredit_column, leaders
from asn_kinerja.engine.result import Evaluation
from asn_kinerja.engine.settle import compare, recover, settle, tolerance
from asn_kinerja.engine.strategies import Aggregator, BehaviourScores
from asn_kinerja.errors import DataError, Problem
from asn_kinerja.model import Direction, JenisRhk, Predikat, PredikatOrganisasi, RaterGroup, Rating
from asn_kinerja.policy.model import PerilakuKerjaRules, Policy, PredikatMatrix, SuggestionRules
from asn_kinerja.policy.organisation import DevelopmentRules

if TYPE_CHECKING:
    from asn_kinerja.engine.numeric import NumericEvaluation
    from asn_kinerja.regimes._numeric import NumericPolicy
    from asn_kinerja.regimes._sections import PermenpanrbRules
    from asn_kinerja.regimes.permenpanrb_6_2022 import PermenpanrbPolicy

__all__ = ["evaluate", "evaluate_population"]


@overload
def evaluate(policy: PermenpanrbPolicy, dataset: Dataset) -> Evaluation: ...
@overload
def evaluate(policy: NumericPolicy, dataset: Dataset) -> NumericEvaluation: ...
@overload
def evaluate(policy: Policy, dataset: Dataset) -> Evaluation | NumericEvaluation: ...
def evaluate(policy: Policy, dataset: Dataset) -> Evaluation | NumericEvaluation:
    """Evaluate every employee of ``dataset`` under ``policy``, by the evaluator of the policy's regime
    (:mod:`asn_kinerja.regimes`): an :class:`~asn_kinerja.Evaluation` under PermenPANRB 6/2022, a
    :class:`~asn_kinerja.NumericEvaluation` under PP 46/2011 and PP 30/2019. The result's type follows the
    policy's type: ``evaluate(load_policy("permenpanrb-6-2022"), data)`` is typed as an ``Evaluation``.

    Raises :class:`~asn_kinerja.DataError` listing every employee that cannot be evaluated (no rating given and
    nothing to suggest one from, ratings on criteria the policy does not know, adjustments that do not match).
    """
    from asn_kinerja.regimes import regime_of

    result: Evaluation | NumericEvaluation = regime_of(policy).evaluate(policy, dataset)
    return result


I8 = npt.NDArray[np.int8]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


@attrs.frozen(eq=False)
class _HasilKerja:
    """The hasil kerja column of a population: ratings (given, suggested or from the organisation), published
    capaian."""

    rating: I8
    given: B
    capaian_scaled: I64
    from_organisation: B


@attrs.frozen(eq=False)
class _PerilakuKerja:
    """The perilaku kerja column of a population: ratings (given or suggested), behaviour scores and what settles
    them."""

    rating: I8
    given: B
    scaled: I64
    scores: BehaviourScores
    units: UnitIndex | None
    citizen_den: I64


def evaluate_population(policy: Policy, rules: PermenpanrbRules, dataset: Dataset) -> Evaluation:
    """The evaluator of the PermenPANRB 6/2022 regime: the columnar engine over the whole population, under
    ``policy`` whose regime sections are ``rules``."""
    problems: list[Problem] = []
    n = len(dataset.employees)
    hk = _hasil_kerja(policy, rules, dataset, problems)
    pk = _perilaku_kerja(policy, rules.perilaku_kerja, dataset, problems)
    predikat_matrix, predikat, adjusted = _predikat(rules.matrix, dataset, hk.rating, pk.rating, problems)
    # --- angka kredit of functional positions, development needs ------------------------------------------
    ak = np.full(n, None, dtype=object)
    if policy.angka_kredit is not None and policy.angka_kredit.enabled:
        ak, ak_problems = angka_kredit_column(dataset, predikat, dataset.period.months)
        problems.extend(ak_problems)
    weak = np.zeros((n, len(rules.perilaku_kerja.criteria)), dtype=bool)
    if policy.development is not None:
        weak = _weak_values(policy, rules.perilaku_kerja, policy.development, dataset, pk.scores, pk.citizen_den)
    if problems:
        raise DataError(problems)
    return Evaluation(
        policy=policy,
        dataset=dataset,
        capaian_scaled=hk.capaian_scaled,
        rating_hasil_kerja=hk.rating,
        hasil_kerja_given=hk.given,
        perilaku_scaled=pk.scaled,
        behaviour=pk.scores,
        citizen_units=pk.units,
        rating_perilaku_kerja=pk.rating,
        perilaku_kerja_given=pk.given,
        predikat_matrix=predikat_matrix,
        predikat=predikat,
        adjustment=adjusted,
        hasil_kerja_from_organisation=hk.from_organisation,
        angka_kredit=ak,
        development_needs=weak,
    )


# --- hasil kerja: capaian of each indicator, weighted per employee ----------------------------------------------


def _hasil_kerja(policy: Policy, rules: PermenpanrbRules, dataset: Dataset, problems: list[Problem]) -> _HasilKerja:
    """Each employee's hasil kerja rating: given, else suggested from the weighted capaian (settled exactly near a
    threshold), else (a unit leader, where the policy says so) the unit's organisation predikat; a problem for
    each employee left without one."""
    emp = dataset.employees
    n = len(emp)
    ind = dataset.indicators
    sug = rules.hasil_kerja.suggestion
    jenis = dataset.rhk.jenis[ind.rhk]
    include = np.ones(len(ind), dtype=bool) if sug.include_tambahan else jenis == JenisRhk.UTAMA.code
    den, num, missing_real = _weighted_capaian(dataset, include, sug, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        hk_approx = np.where((den > 0) & ~missing_real, num / den, np.nan)

    def hk_exact(rows: npt.NDArray[np.intp]) -> list[Fraction]:
        sel, starts = group_rows(ind.employee, rows, n)
        out = []
        for i in range(len(rows)):  # the few rows the exact path settles
            value = hasil_kerja_exact(policy, dataset, sel[starts[i] : starts[i + 1]].tolist())
            assert value is not None
            out.append(value)
        return out

    th = sug.thresholds
    hk_suggested, capaian_scaled, _ = settle(
        hk_approx,
        hk_exact,
        (th.di_atas, th.sesuai),
        denominators=lambda rows: capaian_denominators(policy, dataset, rows),
    )
    hk_given = emp.rating_hasil_kerja >= 0
    rating_hk = np.where(hk_given, emp.rating_hasil_kerja, hk_suggested if sug.enabled else -1).astype(np.int8)
    # A unit leader may take the unit's organisation predikat as their hasil kerja rating (policy option).
    from_organisation = np.zeros(n, dtype=bool)
    leader = rules.hasil_kerja.leader
    if leader is not None and leader.enabled:
        org = dataset.units.predikat_organisasi[emp.unit]
        mapped = np.array([leader.mapping[p].code for p in PredikatOrganisasi], dtype=np.int8)
        from_organisation = ~hk_given & leaders(dataset) & (org >= 0)
        rating_hk = np.where(from_organisation, mapped[np.maximum(org, 0)], rating_hk).astype(np.int8)
    problems.extend(_unrated_hasil_kerja(rules, dataset, rating_hk, include, den))
    return _HasilKerja(rating_hk, hk_given, capaian_scaled, from_organisation)


def _weighted_capaian(
    dataset: Dataset, include: B, sug: SuggestionRules, n: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], B]:
    """Per employee: the weights of the indicators counted (``include``), their weighted capaian summed, and
    whether one of them has no realisasi. :data:`~asn_kinerja.engine.kernels.GRID_CHUNK` indicators at a time,
    added in their order (the sums ``np.bincount`` gives): no array of the indicators' length is made."""
    ind = dataset.indicators
    den, num, missing = np.zeros(n), np.zeros(n), np.zeros(n)
    for start in range(0, len(ind), kernels.GRID_CHUNK):
        part = slice(start, start + kernels.GRID_CHUNK)
        owner = ind.employee[part].astype(np.intp)
        cap_values = kernels.capaian(
            ind.realisasi[part],
            ind.target_low[part],
            ind.target_high[part],
            ind.direction[part] == Direction.LOWER_IS_BETTER.code,
            inside_range=float(sug.inside_range),
            cap=None if sug.cap is None else float(sug.cap),
        )
        w = np.where(include[part], ind.weight[part], 0.0)
        np.add.at(den, owner, w)
        np.add.at(num, owner, w * np.nan_to_num(cap_values))
        np.add.at(missing, owner, (include[part] & np.isnan(ind.realisasi[part])).astype(np.float64))
    return den, num, missing > 0


def _unrated_hasil_kerja(
    rules: PermenpanrbRules, dataset: Dataset, rating: I8, include: B, den: npt.NDArray[np.float64]
) -> list[Problem]:
    """A problem for each employee without a hasil kerja rating, saying why none could be suggested."""
    sug = rules.hasil_kerja.suggestion
    ind = dataset.indicators
    emp = dataset.employees
    unrated = np.flatnonzero(rating < 0)
    unrated_sel, unrated_starts = group_rows(ind.employee, unrated, len(emp)) if len(unrated) else (None, None)
    problems = []
    for i, row in enumerate(unrated):  # reported rows only
        if not sug.enabled:
            why = "the policy does not suggest one (hasil_kerja.suggestion.enabled is false)"
        elif den[row] == 0:
            why = "the employee has no indicator of an RHK utama to suggest one from"
        else:
            assert unrated_sel is not None
            assert unrated_starts is not None
            mine = unrated_sel[unrated_starts[i] : unrated_starts[i + 1]]
            gaps = [ind.id_at(r) for r in mine if include[r] and np.isnan(ind.realisasi[r])]
            why = f"realisasi is missing for indicator {', '.join(gaps)}"
        problems.append(_unrated(emp.id_at(row), "rating_hasil_kerja", why))
    return problems


# --- perilaku kerja: the strategy's score over the policy's criteria ---------------------------------------------


def _perilaku_kerja(
    policy: Policy, pk: PerilakuKerjaRules, dataset: Dataset, problems: list[Problem]
) -> _PerilakuKerja:
    """Each employee's perilaku kerja rating: given, else suggested from the strategy's behaviour score (settled
    exactly near a threshold); problems for unknown criteria, another scale, units without a survey, groups
    below their minimum and employees left without a rating."""
    emp = dataset.employees
    n = len(emp)
    rt = dataset.ratings
    crit_index, all_known = _criterion_codes(pk, dataset, problems)
    # The citizen satisfaction index of each employee's unit, on the rating scale, where the policy uses it.
    citizen = np.full(n, np.nan)
    units: UnitIndex | None = None
    if pk.citizen is not None:
        units = unit_indices(dataset, pk.citizen)
        problems.extend(units.problems)
        lo, hi = float(pk.scale.min), float(pk.scale.max)
        citizen = (lo + (units.indeks - 1.0) / 3.0 * (hi - lo))[emp.unit]
    aggregator = Aggregator(pk)
    if all_known:
        scores = aggregator.score(rt.ratee, rt.group, crit_index, rt.score, n, citizen)
    else:  # a DataError follows; the scores only serve its messages
        known = np.flatnonzero(crit_index >= 0)
        scores = aggregator.score(rt.ratee[known], rt.group[known], crit_index[known], rt.score[known], n, citizen)
    citizen_den = np.zeros(len(dataset.units), dtype=np.int64)
    if units is not None:
        citizen_den = citizen_scale(dataset, pk, units.answered)

    def pk_exact(rows: npt.NDArray[np.intp]) -> list[Fraction]:
        sel, starts = group_rows(rt.ratee, rows, n)
        out = []
        for i, row in enumerate(rows):  # the few rows the exact path settles
            mine = sel[starts[i] : starts[i + 1]].tolist()
            value = perilaku_exact(policy, dataset, mine, citizen_exact(policy, dataset, int(row)))
            assert value is not None
            out.append(value)
        return out

    def pk_denominators(rows: npt.NDArray[np.intp]) -> npt.NDArray[np.int64]:
        return overall_denominators(pk, scores, rows, scores_scale(dataset, rows), citizen_den[emp.unit[rows]])

    pth = pk.suggestion.thresholds
    pk_suggested, perilaku_scaled, _ = settle(
        scores.overall, pk_exact, (pth.di_atas, pth.sesuai), denominators=pk_denominators
    )
    pk_given = emp.rating_perilaku_kerja >= 0
    rating_pk = np.where(pk_given, emp.rating_perilaku_kerja, pk_suggested if pk.suggestion.enabled else -1).astype(
        np.int8
    )
    problems.extend(_unrated_perilaku_kerja(pk, dataset, scores, units, pk_given, rating_pk))
    return _PerilakuKerja(rating_pk, pk_given, perilaku_scaled, scores, units, citizen_den)


def criterion_index(
    criteria: list[str], ratings: RatingTable
) -> tuple[npt.NDArray[np.integer[Any]], npt.NDArray[np.intp]]:
    """Each rating's criterion as an index into ``criteria`` (-1 where unknown) and the ratings whose criterion is
    unknown. Criteria are codes into the dataset's distinct names: one lookup per name, one gather over the
    ratings, none where each code is its criterion's index already (the names in the policy's order, each known)."""
    names = ratings.criterion_names
    lookup = np.array([criteria.index(x) if x in criteria else -1 for x in names] + [-1], dtype=np.int8)
    codes = ratings.criterion_code
    if np.array_equal(lookup[:-1], np.arange(len(lookup) - 1)) and not (len(codes) and int(codes.min()) < 0):
        return codes, np.zeros(0, dtype=np.intp)
    index = lookup[codes]
    return index, np.flatnonzero(index < 0)


def _criterion_codes(
    pk: PerilakuKerjaRules, dataset: Dataset, problems: list[Problem]
) -> tuple[npt.NDArray[np.integer[Any]], bool]:
    """Each rating's criterion as an index into the policy's criteria (-1 where unknown, with a problem) and
    whether all are known; a problem where the dataset's rating scale is not the policy's."""
    rt = dataset.ratings
    criteria = list(pk.criteria)
    crit_index, unknown = criterion_index(criteria, rt)
    for r in unknown:
        problems.append(
            Problem(
                f"unknown criterion {rt.criterion_names[rt.criterion_code[r]]!r} "
                f"(the policy rates {', '.join(criteria)})",
                source=rt.source,
                line=None if rt.line is None else int(rt.line[r]),
                record=dataset.employees.id_at(rt.ratee[r]),
                field="criterion",
            )
        )
    if dataset.scale != (pk.scale.min, pk.scale.max):
        problems.append(
            Problem(
                f"the ratings use the scale {dataset.scale[0]}–{dataset.scale[1]} but the policy "
                f"expects {pk.scale.min}–{pk.scale.max}",
                source="dataset.yaml",
                field="scale",
            )
        )
    return crit_index, not len(unknown)


def _unrated_perilaku_kerja(
    pk: PerilakuKerjaRules,
    dataset: Dataset,
    scores: BehaviourScores,
    units: UnitIndex | None,
    given: B,
    rating: I8,
) -> list[Problem]:
    """The problems of the behaviour scores an employee's rating is suggested from: a group below its minimum
    where that fails, a service unit without a survey where that fails, and each employee left without a
    rating (saying why none could be suggested)."""
    emp = dataset.employees
    problems = []
    needs_score = ~given & bool(pk.suggestion.enabled)
    for row, g in zip(*np.nonzero(scores.failed & needs_score[:, None]), strict=True):
        group = RaterGroup.from_code(int(g))
        problems.append(
            Problem(
                f"the {group.value} group has fewer raters than its minimum of {pk.minimum(group)} "
                "(three_sixty.below_minimum: fail)",
                source="ratings",
                record=emp.id_at(row),
                field="group",
            )
        )
    cz = pk.citizen
    if cz is not None and cz.without_survey == "fail" and units is not None:
        no_survey = dataset.units.service_unit & ~units.used
        for row in np.flatnonzero(needs_score & no_survey[emp.unit]):
            unit = dataset.units.id[emp.unit[row]]
            problems.append(
                Problem(
                    f"service unit {unit} has no citizen survey with at least {cz.min_respondents} respondents "
                    "(citizen.without_survey: fail)",
                    source="surveys",
                    record=emp.id_at(row),
                    field="unit_id",
                )
            )
    criteria = list(pk.criteria)
    aggregator = Aggregator(pk)
    for row in np.flatnonzero(rating < 0):
        if not pk.suggestion.enabled:
            why = "the policy does not suggest one (perilaku_kerja.suggestion.enabled is false)"
        else:
            missing = [criteria[c] for c in range(len(criteria)) if np.isnan(scores.per_criterion[row, c])]
            groups = ", ".join(g.value for g in RaterGroup if aggregator.uses(g))
            why = f"no counted rating from {groups} on {', '.join(missing)} to suggest one ({pk.strategy})"
        problems.append(_unrated(emp.id_at(row), "rating_perilaku_kerja", why))
    return problems


def _unrated(employee_id: str, column: str, why: str) -> Problem:
    """The problem of an employee left without the rating of ``column`` of the evaluations, saying ``why``."""
    return Problem(
        f"no {column.replace('_', ' ')} given, and {why}", source="evaluations", record=employee_id, field=column
    )


# --- the matrix, then adjustments -----------------------------------------------------------------------------


def _predikat(
    matrix: PredikatMatrix, dataset: Dataset, rating_hk: I8, rating_pk: I8, problems: list[Problem]
) -> tuple[I8, I8, npt.NDArray[np.int32]]:
    """The matrix's predikat of each employee, the predikat after the adjustments (keberatan), and the index of
    the adjustment applied to each employee (-1 where none); a problem for an adjustment that does not match the
    evaluation or adjusts an employee twice."""
    n = len(dataset.employees)
    table = np.array(
        [[matrix.row(Rating.from_code(h))[Rating.from_code(p)].code for p in range(3)] for h in range(3)],
        dtype=np.int8,
    )
    predikat_matrix = kernels.matrix_lookup(table, rating_hk, rating_pk)
    predikat = predikat_matrix.copy()
    adjusted = np.full(n, -1, dtype=np.int32)
    ids = [adj.employee_id for adj in dataset.adjustments]
    adjusted_rows = dataset.employee_rows(ids) if ids else np.zeros(0, dtype=np.int64)  # no index built for none
    for k, adj in enumerate(dataset.adjustments):  # one per adjustment record (keberatan), not per employee
        at = int(adjusted_rows[k])
        if predikat_matrix[at] >= 0 and predikat_matrix[at] != adj.from_predikat.code:
            now = Predikat.from_code(int(predikat_matrix[at])).label
            problems.append(
                Problem(
                    f"the adjustment is from {adj.from_predikat.label} but the evaluation gives {now}",
                    source="adjustments",
                    record=adj.employee_id,
                    field="from_predikat",
                )
            )
        elif adjusted[at] >= 0:
            problems.append(
                Problem(
                    "a second adjustment of the same employee",
                    source="adjustments",
                    record=adj.employee_id,
                    field="employee_id",
                )
            )
        else:
            predikat[at] = adj.to_predikat.code
            adjusted[at] = k
    return predikat_matrix, predikat, adjusted


def _against(values: npt.NDArray[np.float64], cut: float, *, strict: bool) -> tuple[B, B]:
    """Per entry: below ``cut`` (``strict``) or at least ``cut``, and within the tolerance of ``cut`` (never NaN),
    :data:`~asn_kinerja.engine.kernels.ROWS_CHUNK` rows at a time (the temporaries stay in cache)."""
    flags = np.empty(values.shape, dtype=bool)
    near = np.empty(values.shape, dtype=bool)
    for start in range(0, len(values), kernels.ROWS_CHUNK):
        rows = slice(start, start + kernels.ROWS_CHUNK)
        block = values[rows]
        with np.errstate(invalid="ignore"):
            if strict:
                np.less(block, cut, out=flags[rows])
            else:
                np.greater_equal(block, cut, out=flags[rows])
            np.less_equal(np.abs(block - cut), tolerance(block), out=near[rows])
    return flags, near


#: Rows near a development threshold whose denominators are found together.
_NEAR_ROWS = 1 << 14


def _settle_near(
    pk: PerilakuKerjaRules,
    dev: DevelopmentRules,
    dataset: Dataset,
    scores: BehaviourScores,
    citizen_den: npt.NDArray[np.int64],
    rows: npt.NDArray[np.intp],
    low: tuple[B, B, npt.NDArray[np.float64]],
    gap: tuple[B, B, npt.NDArray[np.float64]],
) -> B:
    """The cells of ``rows`` near a development threshold decided by their denominators: ``low`` and ``gap`` are
    (flags, near, values) of the combined score and of self − others, their flags set in place; which rows are
    left for the exact path."""
    unsettled = np.zeros(len(rows), dtype=bool)
    scale10, z_den = scores_scale(dataset, rows), citizen_den[dataset.employees.unit[rows]]
    for (flags, near, values), cut, strict in ((low, dev.below, True), (gap, dev.self_gap, False)):
        if cut is None:
            continue
        r, col = np.nonzero(near[rows])  # the cells near the threshold alone
        d = cell_denominators(pk, scores, rows[r], col, scale10[r], z_den[r], gap=not strict)
        ok, num = recover(values[rows[r], col], d)
        at_or_above = compare(num[ok], d[ok], cut)
        flags[rows[r[ok]], col[ok]] = ~at_or_above if strict else at_or_above
        unsettled[r[~ok]] = True
    return unsettled


def _weak_values(
    policy: Policy,
    pk: PerilakuKerjaRules,
    dev: DevelopmentRules,
    dataset: Dataset,
    scores: BehaviourScores,
    citizen_den: npt.NDArray[np.int64],
) -> npt.NDArray[np.bool_]:
    """Per employee and criterion: is the value weak under the policy's development rules (combined score below
    the threshold, or self − others at least the gap)? Cells near a threshold are decided exactly: by their
    denominators where known (:func:`~asn_kinerja.engine.settle.recover`), else by the exact path."""
    below = float(dev.below)
    combined = scores.per_criterion
    gap = scores.self_per_criterion - scores.others_per_criterion
    weak_low, near_low = _against(combined, below, strict=True)
    weak_gap = np.zeros_like(weak_low)
    near_gap = np.zeros_like(near_low)
    if dev.self_gap is not None:
        weak_gap, near_gap = _against(gap, float(dev.self_gap), strict=False)
    rows = np.flatnonzero((near_low | near_gap).any(axis=1))
    unsettled = np.zeros(len(rows), dtype=bool)
    for start in range(0, len(rows), _NEAR_ROWS):  # a block of rows at a time: the denominators' arrays stay small
        block = slice(start, start + _NEAR_ROWS)
        low, gaps = (weak_low, near_low, combined), (weak_gap, near_gap, gap)
        unsettled[block] = _settle_near(pk, dev, dataset, scores, citizen_den, rows[block], low, gaps)
    if unsettled.any():
        exact_rows = rows[unsettled]
        sel, starts = group_rows(dataset.ratings.ratee, exact_rows, len(dataset.employees))
        for i, row in enumerate(exact_rows):  # the few rows the exact path settles
            mine = sel[starts[i] : starts[i + 1]].tolist()
            exact = criteria_exact(policy, dataset, mine, citizen_exact(policy, dataset, int(row)))
            for c, (value, own, others) in enumerate(zip(*exact, strict=True)):
                weak_low[row, c] = value is not None and value < dev.below
                weak_gap[row, c] = (
                    dev.self_gap is not None and own is not None and others is not None and own - others >= dev.self_gap
                )
    result: npt.NDArray[np.bool_] = np.asarray(weak_low | weak_gap, dtype=bool)
    return result
