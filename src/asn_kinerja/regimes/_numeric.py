"""What the numeric regimes (PP 46/2011 and PP 30/2019) share: the common class of their policies, their
registration, and the evaluation both run employee by employee (:class:`Context`: what one evaluation reads from
the dataset and the problems found so far; the checks of what belongs to PermenPANRB 6/2022; the result).

Both read the same dataset format as the current regime (each regime's module says how). Every figure comes
from the rules modules (:mod:`asn_kinerja.rules.pp46_2011`, :mod:`asn_kinerja.rules.pp30_2019`), called once per
kegiatan, indicator and employee: a per-employee Python loop, acceptable for these historical regimes (a past
year's population, evaluated once; a later change vectorises it like the current regime). The two PP 30
figures the rules modules have no function for, nilai SKP and nilai perilaku, are exact means
(:func:`~asn_kinerja.engine.exact.weighted_mean_exact`, rationals) rounded once with the policy's rounding.
Figures chain as a form does: each published (rounded) figure is the input of the next.

The ratings Di Atas / Sesuai / Di Bawah Ekspektasi and the adjustments of a dataset belong to PermenPANRB
6/2022; under a numeric regime they are a :class:`~asn_kinerja.DataError` rather than silently ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja.engine.exact import decimal_of
from asn_kinerja.engine.numeric import NumericEvaluation, NumericResult
from asn_kinerja.errors import DataError, Problem
from asn_kinerja.model import JenisJabatan
from asn_kinerja.policy.model import Policy
from asn_kinerja.regimes import Regime, register

if TYPE_CHECKING:
    from asn_kinerja.dataset import Dataset

__all__ = ["Context", "NumericPolicy", "evaluate_each", "plain", "register_numeric"]

P = TypeVar("P", bound="NumericPolicy")


@attrs.frozen(kw_only=True, repr=False)
class NumericPolicy(Policy):
    """A policy of a numeric regime (PP 46/2011 or PP 30/2019)."""


def register_numeric(
    regime_id: str, title: str, key: str, policy_class: type[P], evaluate: Callable[[P, Dataset], NumericEvaluation]
) -> Regime[P, NumericEvaluation]:
    """Register a numeric regime whose policies have the section ``key``."""
    return register(
        Regime(
            id=regime_id,
            title=title,
            sections=(key,),
            policy_class=policy_class,
            evaluator=evaluate,
            result_type=NumericEvaluation,
        )
    )


def plain(value: float) -> Decimal:
    """The decimal a stored float stands for, without a trailing ``.0`` on whole numbers (89.0 → 89)."""
    d = decimal_of(value)
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


def _rows_by_owner(owner: npt.NDArray[np.int32], n: int) -> list[list[int]]:
    """The rows of a table per owner in ``range(n)``, in table order (rows without an owner, -1, left out)."""
    out: list[list[int]] = [[] for _ in range(n)]
    for i, o in enumerate(owner.tolist()):
        if o >= 0:
            out[o].append(i)
    return out


class Context:
    """What one evaluation reads from the dataset, and the problems found so far."""

    def __init__(self, policy: Policy, dataset: Dataset) -> None:
        self.policy = policy
        self.ds = dataset
        n = len(dataset.employees)
        self.problems: list[Problem] = []
        self.rhk_rows = _rows_by_owner(dataset.rhk.employee, n)
        self.ind_rows = _rows_by_owner(dataset.indicators.employee, n)
        self.ind_by_rhk = _rows_by_owner(dataset.indicators.rhk, len(dataset.rhk))
        self.rating_rows = _rows_by_owner(dataset.ratings.ratee, n)

    def emp_id(self, row: int) -> str:
        return str(self.ds.employees.id[row])

    def employee_problem(self, row: int, source: str, field: str, message: str) -> None:
        """A problem of the employee at ``row`` as a whole (nothing to compute a figure from)."""
        self.problems.append(Problem(message, source=source, record=self.emp_id(row), field=field))

    def indicator_problem(self, i: int, field: str, message: str) -> None:
        ind = self.ds.indicators
        line = None if ind.line is None else int(ind.line[i])
        self.problems.append(Problem(message, source=ind.source, line=line, record=str(ind.id[i]), field=field))

    def rating_problem(self, i: int, field: str, message: str) -> None:
        rt = self.ds.ratings
        line = None if rt.line is None else int(rt.line[i])
        record = self.emp_id(int(rt.ratee[i]))
        self.problems.append(Problem(message, source=rt.source, line=line, record=record, field=field))

    def rule(self, record: str, source: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call a rule function; its data problems are kept, located at ``record`` (None is returned)."""
        try:
            return fn(*args, **kwargs)
        except DataError as err:
            self.problems.extend(Problem(p.message, source=source, record=record, field=p.field) for p in err.problems)
            return None

    def result(self, row: int, **figures: Any) -> NumericResult:
        """The result of the employee at ``row``: who they are, and the regime's ``figures``."""
        emp = self.ds.employees
        return NumericResult(
            employee_id=self.emp_id(row),
            name=str(emp.name[row]),
            unit_id=str(self.ds.units.id[emp.unit[row]]),
            jenis_jabatan=JenisJabatan.from_code(int(emp.jenis_jabatan[row])),
            regime=self.policy.regime,
            **figures,
        )


def evaluate_each(
    policy: Policy,
    dataset: Dataset,
    scale: tuple[Decimal, Decimal],
    scale_key: str,
    employee: Callable[[Context, int], NumericResult | None],
) -> NumericEvaluation:
    """The evaluation both numeric regimes run: the checks of what belongs to PermenPANRB 6/2022 and of the
    rating ``scale`` (``scale_key`` names where it comes from), then ``employee`` for each row of the dataset.

    Raises :class:`~asn_kinerja.DataError` with every problem of every employee.
    """
    cx = Context(policy, dataset)
    _check_common(cx)
    _check_scale(cx, *scale, scale_key)
    return _finish(cx, [employee(cx, row) for row in range(len(dataset.employees))])


def _finish(cx: Context, results: list[NumericResult | None]) -> NumericEvaluation:
    if cx.problems:
        raise DataError(cx.problems)
    done = tuple(r for r in results if r is not None)
    if len(done) != len(results):  # pragma: no cover - every employee without a result has a problem
        raise DataError([Problem("an employee was evaluated without a result or a problem")])
    return NumericEvaluation(policy=cx.policy, dataset=cx.ds, results=done)


def _check_common(cx: Context) -> None:
    emp = cx.ds.employees
    regime = cx.policy.regime
    for row in np.flatnonzero((emp.rating_hasil_kerja >= 0) | (emp.rating_perilaku_kerja >= 0)):
        field = "rating_hasil_kerja" if emp.rating_hasil_kerja[row] >= 0 else "rating_perilaku_kerja"
        cx.problems.append(
            Problem(
                f"ratings Di Atas / Sesuai / Di Bawah Ekspektasi belong to PermenPANRB 6/2022; the {regime} regime "
                "computes its figures from the indicators and the perilaku ratings (leave the column empty)",
                source="evaluations",
                record=cx.emp_id(int(row)),
                field=field,
            )
        )
    for adj in cx.ds.adjustments:
        cx.problems.append(
            Problem(
                f"adjustments change a PermenPANRB 6/2022 predikat; the {regime} regime does not apply them",
                source="adjustments",
                record=adj.employee_id,
                field="to_predikat",
            )
        )


def _check_scale(cx: Context, low: Decimal, high: Decimal, key: str) -> None:
    if cx.ds.scale != (low, high):
        cx.problems.append(
            Problem(
                f"the ratings use the scale {cx.ds.scale[0]}–{cx.ds.scale[1]} but the {cx.policy.regime} policy "
                f"expects {low}–{high} ({key})",
                source="dataset.yaml",
                field="scale",
            )
        )
