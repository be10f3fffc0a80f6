"""Evaluating several periods: predikat per period, angka kredit accumulated by months, and (as a labelled
district practice only) an annual predikat derived from the periodic ones.

Employees are matched across periods by id. Angka kredit accumulates over the periodic (non-annual) periods, and
over each annual period that no periodic one covers; the periods summed must not overlap. Each period's exact value
is :func:`asn_kinerja.rules.angka_kredit_2023.angka_kredit` (``exact=True``) for that period's jenjang, predikat
and months; the exact values are summed per employee as integers over their common denominator and the total is
rounded half-up once (PermenPANRB 1/2023).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja._numbers import round_to
from asn_kinerja.dataset.model import Dataset
from asn_kinerja.engine.evaluate import evaluate
from asn_kinerja.engine.render import PREDIKAT_SHORT, predikat_legend
from asn_kinerja.engine.result import Evaluation
from asn_kinerja.engine.table import Column, RawJson, ResultTable, code_table, json_document, json_texts, labelled
from asn_kinerja.errors import DataError, PolicyError, Problem
from asn_kinerja.model import JenisJabatan, Predikat
from asn_kinerja.policy.loader import policy_in_force
from asn_kinerja.policy.model import Policy
from asn_kinerja.rules import angka_kredit_2023

__all__ = ["PeriodSeries", "evaluate_periods"]


@attrs.frozen(eq=False)
class PeriodSeries:
    """The evaluations of several periods of one agency (ordered by start), with everything combined across them.

    ``employee_ids`` is the union of the periods' employees (sorted); ``predikat`` holds their predikat codes per
    period (employees × periods, -1 where absent); ``ak_scaled``/``ak_denominator`` the exact angka kredit per
    employee and period as integers over a common denominator (0 where none).
    """

    evaluations: tuple[Evaluation, ...]
    employee_ids: npt.NDArray[np.str_]
    predikat: npt.NDArray[np.int8]
    ak_scaled: npt.NDArray[np.int64]
    ak_denominator: int
    ak_periods: tuple[int, ...]

    @property
    def periods(self) -> list[str]:
        return [e.dataset.period.id for e in self.evaluations]

    def angka_kredit_total(self) -> list[Decimal | None]:
        """Each employee's accumulated angka kredit: the exact sum rounded half-up once (``None`` for employees
        without a functional position in any accumulated period)."""
        total = (
            self.ak_scaled[:, list(self.ak_periods)].sum(axis=1)
            if self.ak_periods
            else np.zeros(len(self.employee_ids), dtype=np.int64)
        )
        has = (self.ak_scaled[:, list(self.ak_periods)] != 0).any(axis=1) if self.ak_periods else total != 0
        return [
            round_to(Fraction(int(t), self.ak_denominator), 2) if h else None for t, h in zip(total, has, strict=True)
        ]

    def annual_practice(self, policy: Policy) -> list[Predikat | None]:
        """The annual predikat derived from the periodic ones by the policy's ``periods.annual_from_periodic``
        practice (``None`` without the practice or without periodic results). Labelled practice, not regulation."""
        rule = "none" if policy.periods is None else policy.periods.annual_from_periodic
        periodic = [i for i, e in enumerate(self.evaluations) if e.dataset.period.kind != "annual"]
        if rule == "none" or not periodic:
            return [None] * len(self.employee_ids)
        table = self.predikat[:, periodic]
        present = table >= 0
        out: list[Predikat | None] = []
        if rule == "last":
            last = np.where(present, np.arange(len(periodic))[None, :], -1).max(axis=1)
            codes = np.where(last >= 0, table[np.arange(len(table)), np.maximum(last, 0)], -1)
        elif rule == "worst":
            codes = np.where(present.any(axis=1), np.where(present, table, -1).max(axis=1), -1)
        else:  # mode, ties to the worse (higher code)
            counts = np.stack([(table == p.code).sum(axis=1) for p in Predikat], axis=1)
            best = counts.max(axis=1, keepdims=True)
            codes = np.where(present.any(axis=1), len(Predikat) - 1 - np.argmax((counts == best)[:, ::-1], axis=1), -1)
        for c in codes:
            out.append(None if c < 0 else Predikat.from_code(int(c)))
        return out

    def table(self, policy: Policy | None = None, *, indent: int | None = 2) -> ResultTable:
        """One row per employee (in the order of ``employee_ids``): the predikat per period (``{period:
        identifier}``, the labels beside them in ``predikat_label``), the angka kredit per accumulated period and
        the total, and, with a policy that defines one, the derived annual predikat labelled as practice
        (identifier and label)."""
        periods = self.periods
        ids, labels = code_table(Predikat, labels=False), code_table(Predikat, labels=True)
        totals = self.angka_kredit_total()
        ak = [
            {
                periods[k]: str(round_to(Fraction(int(row[k]), self.ak_denominator), 2))
                for k in self.ak_periods
                if row[k]
            }
            for row in self.ak_scaled.tolist()
        ]
        return ResultTable(
            (
                Column.text("employee_id", self.employee_ids),
                Column.nested("predikat", json_texts(_by_period(periods, ids[self.predikat]), indent=indent)),
                Column.nested("predikat_label", json_texts(_by_period(periods, labels[self.predikat]), indent=indent)),
                Column.nested("angka_kredit", json_texts(ak, indent=indent)),
                Column.text("angka_kredit_total", totals),
                *labelled("annual_practice", Predikat, self._practice_codes(policy)),
            )
        )

    def _practice_codes(self, policy: Policy | None) -> npt.NDArray[np.intp]:
        """The codes of :meth:`annual_practice` (-1 where none, and everywhere without a policy)."""
        practice = self.annual_practice(policy) if policy is not None else []
        codes = [-1 if p is None else p.code for p in practice] or [-1] * len(self.employee_ids)
        return np.array(codes, dtype=np.intp)

    def _periods_dicts(self) -> list[dict[str, Any]]:
        return [
            {
                "id": e.dataset.period.id,
                "kind": e.dataset.period.kind,
                "start": e.dataset.period.start.isoformat(),
                "end": e.dataset.period.end.isoformat(),
                "policy": e.policy.id,
                "predikat": {k.value: v for k, v in e.counts().items()},
            }
            for e in self.evaluations
        ]

    def to_json(self, policy: Policy | None = None, *, indent: int | None = 2) -> str:
        """The series as JSON text: the periods (counts by predikat identifier), the periods angka kredit is
        accumulated over, then the rows of :meth:`table`."""
        employees = self.table(policy, indent=indent)
        return json_document(
            {
                "periods": self._periods_dicts(),
                "angka_kredit_periods": [self.periods[k] for k in self.ak_periods],
                "employees": RawJson(employees.to_json(indent=indent, level=1)),
            },
            indent=indent,
        )

    def to_dict(self, policy: Policy | None = None) -> dict[str, Any]:
        """JSON-ready: the data of :meth:`to_json`."""
        data: dict[str, Any] = json.loads(self.to_json(policy, indent=None))
        return data

    def to_table(self, policy: Policy | None = None) -> str:
        """A plain-text table: predikat per period, accumulated angka kredit, derived annual practice."""
        periods = self.periods
        short = np.array([*(PREDIKAT_SHORT[p] for p in sorted(Predikat, key=lambda p: p.code)), None], dtype=object)
        people = ResultTable(
            (
                Column.text("employee_id", self.employee_ids),
                *(Column.coded(p, short, self.predikat[:, k]) for k, p in enumerate(periods)),
                Column.text("angka_kredit_total", self.angka_kredit_total()),
                Column.coded("annual_practice", short, self._practice_codes(policy)),
            )
        )
        heads = {"employee_id": "NIP", **{p: p for p in periods}, "angka_kredit_total": "AK"}
        heads["annual_practice"] = "praktik tahunan"
        used = ", ".join(periods[k] for k in self.ak_periods) or "none"
        footer = [
            f"({predikat_legend()})",
            "",
            f"Angka kredit accumulated over: {used} (exact sum, rounded half-up once).",
            "Praktik tahunan: an annual predikat derived from periodic ones is a district practice, "
            "not regulation (policy periods.annual_from_periodic).",
        ]
        return people.to_text(heads, title="", right=list(heads)[1:], footer=footer, blank="—")


def _by_period(periods: list[str], values: npt.NDArray[np.object_]) -> list[dict[str, Any]]:
    """Per row of ``values`` (employees × periods): ``{period: value}``."""
    return [dict(zip(periods, row, strict=True)) for row in values.tolist()]


def _overlap(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def evaluate_periods(policy: Policy | None, datasets: Sequence[Dataset]) -> PeriodSeries:
    """Evaluate each period (under ``policy``, or the built-in policy in force at each period's start) and
    combine them. Raises one :class:`~asn_kinerja.DataError` with the problems of every period."""
    evaluations: list[Evaluation] = []
    problems: list[Problem] = []
    for d in sorted(datasets, key=lambda d: (d.period.start, d.period.id)):
        chosen = policy if policy is not None else policy_in_force(d.period.start)
        try:
            result = evaluate(chosen, d)
        except DataError as exc:
            problems.extend(
                Problem(p.message, source=f"{d.period.id}: {p.source}", line=p.line, record=p.record, field=p.field)
                for p in exc.problems
            )
            continue
        if not isinstance(result, Evaluation):
            raise PolicyError(
                [
                    Problem(
                        f"period {d.period.id}: combining periods needs the permenpanrb-6-2022 "
                        f"regime, not {chosen.regime}",
                        field="regime",
                    )
                ]
            )
        evaluations.append(result)
    if problems:
        raise DataError(problems)
    ids = np.unique(np.concatenate([e.dataset.employees.id.astype(str) for e in evaluations]))
    predikat = np.full((len(ids), len(evaluations)), -1, dtype=np.int8)
    cases: list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], list[Fraction]]] = []
    for k, e in enumerate(evaluations):
        rows = np.searchsorted(ids, e.dataset.employees.id.astype(str))
        predikat[rows, k] = e.predikat
        jf, which, values = _exact_ak(e)
        cases.append((rows[jf], which, values))
    # Periodic evaluations count by their months; an annual one counts only where no periodic one covers it.
    spans = [(e.dataset.period.start, e.dataset.period.end) for e in evaluations]
    periodic = [k for k, e in enumerate(evaluations) if e.dataset.period.kind != "annual"]
    annual = [
        k
        for k in range(len(evaluations))
        if k not in periodic and not any(_overlap(spans[k], spans[p]) for p in periodic)
    ]
    chosen_periods = sorted(periodic + annual)
    for i, a in enumerate(chosen_periods):
        for b in chosen_periods[i + 1 :]:
            if _overlap(spans[a], spans[b]):
                problems.append(
                    Problem(
                        f"periods {evaluations[a].dataset.period.id} and {evaluations[b].dataset.period.id} "
                        "overlap: angka kredit would be counted twice",
                        field="period",
                    )
                )
    if problems:
        raise DataError(problems)
    denominator = math.lcm(1, *(f.denominator for _, _, values in cases for f in values))
    scaled = np.zeros((len(ids), len(evaluations)), dtype=np.int64)
    for k, (rows, which, values) in enumerate(cases):
        per_case = np.array([f.numerator * (denominator // f.denominator) for f in values], dtype=np.int64)
        scaled[rows, k] = per_case[which] if len(values) else 0
    return PeriodSeries(tuple(evaluations), ids, predikat, scaled, denominator, tuple(chosen_periods))


def _exact_ak(e: Evaluation) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], list[Fraction]]:
    """Exact angka kredit of one period: the rows of JF employees with a value, the case each row has, and the
    exact value of each distinct (jenjang, predikat) case — one rule call per case, not per employee."""
    emp = e.dataset.employees
    has = np.array([a is not None for a in e.angka_kredit], dtype=bool)
    jf = np.flatnonzero((emp.jenis_jabatan == JenisJabatan.JF.code) & (e.predikat >= 0) & has)
    if not len(jf):
        return jf, jf, []
    pairs, which = np.unique(
        np.stack([emp.jenjang[jf].astype(str), e.predikat[jf].astype(str)]), axis=1, return_inverse=True
    )
    months = e.dataset.period.months
    values = [
        angka_kredit_2023.angka_kredit(j, Predikat.from_code(int(c)), bulan=months, exact=True) for j, c in pairs.T
    ]
    return jf, which.ravel(), values
