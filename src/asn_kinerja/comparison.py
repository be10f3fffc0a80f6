"""Comparing two policies on one dataset: who moves from which predikat to which, where, and why.

>>> import asn_kinerja
>>> data = asn_kinerja.load_dataset("examples/bungo/data")
>>> c = asn_kinerja.compare("permenpanrb-6-2022", "examples/policies/three-sixty.yaml", data)
>>> c
<Comparison permenpanrb-6-2022 → bungo-360 of 61 employees: 2 changed (0 up, 2 down), rank agreement 0.9962>
>>> c.transitions[0].tolist()  # the 9 Sangat Baik under A: 7 stay, 2 become Baik under B
[7, 2, 0, 0, 0]
>>> change = c.changes[0]
>>> change.predikat_a.label, change.predikat_b.label, change.direction
('Sangat Baik', 'Baik', 'down')
>>> [s.name for s in change.steps][:3]
['skor perilaku kerja', 'kelompok rekan', 'penilaian diri']

**What a comparison shows.** Only what each evaluation's own outputs show: predikat, ratings, capaian, the
*published* behaviour scores (a score computed from anonymous ratings is withheld under the policy's
``privacy.publish_scores``, and reads "withheld"), the units' distribution verdicts and the steps of
:meth:`~asn_kinerja.EmployeeResult.explain` (which never show a rater group or survey below its minimum). Every
figure here is a function of those outputs, so a comparison reveals nothing about an individual rater that the two
evaluations do not.

**Rank agreement.** Each policy orders the employees by a composite score, compared lexicographically (higher is
better): (1) the predikat (Sangat Baik highest), (2) the hasil kerja rating, (3) the perilaku kerja rating,
(4) the capaian (missing lowest), (5) the published perilaku score (missing or withheld lowest). Ties in the whole
tuple share their average rank. The agreement is Spearman's rank correlation: the Pearson correlation of the two
policies' ranks (1 for the same order, −1 for the reverse; ``None`` when one policy ties everyone, so that no order
exists).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja.dataset import Dataset, load_dataset
from asn_kinerja.engine.evaluate import evaluate
from asn_kinerja.engine.html import MAX_ROWS, html_table, paragraph
from asn_kinerja.engine.organisation import UnitReport
from asn_kinerja.engine.render import dataset_header, json_text, policy_header
from asn_kinerja.engine.result import Evaluation, Explanation, Step
from asn_kinerja.engine.settle import MISSING
from asn_kinerja.errors import DataError, Problem
from asn_kinerja.model import Predikat, Rating
from asn_kinerja.policy import Policy, load_policy

__all__ = [
    "Change",
    "Comparison",
    "StepChange",
    "UnitComparison",
    "compare",
    "composite_ranks",
    "spearman",
]

_SHORT = {p: "".join(w[0] for w in p.label.replace("/", " ").split()[:2]).upper() for p in Predikat}
_CSV_COLUMNS = (
    "employee_id",
    "name",
    "unit_id",
    "predikat_a",
    "predikat_b",
    "direction",
    "rating_hasil_kerja_a",
    "rating_hasil_kerja_b",
    "rating_perilaku_kerja_a",
    "rating_perilaku_kerja_b",
    "steps",
)


@attrs.frozen
class StepChange:
    """A step of :meth:`~asn_kinerja.EmployeeResult.explain` that differs between the policies: its value or its
    detail differs, or it is there under one policy only (``a`` or ``b`` is then ``None``)."""

    name: str
    a: Step | None
    b: Step | None

    def __str__(self) -> str:
        va = "(no such step)" if self.a is None else self.a.value
        vb = "(no such step)" if self.b is None else self.b.value
        return f"{self.name}: {va} → {vb}"

    def lines(self) -> list[str]:
        """The change, then the detail under each policy where the details differ."""
        out = [str(self)]
        da = None if self.a is None else self.a.detail
        db = None if self.b is None else self.b.detail
        if da != db:
            out += [f"  A: {da}"] if da is not None else []
            out += [f"  B: {db}"] if db is not None else []
        return out

    def to_dict(self) -> dict[str, Any]:
        def side(step: Step | None) -> dict[str, str] | None:
            return None if step is None else {"value": step.value, "detail": step.detail}

        return {"step": self.name, "a": side(self.a), "b": side(self.b)}


def step_changes(a: Explanation, b: Explanation) -> tuple[StepChange, ...]:
    """The steps whose value or detail differ, matched by their stable id (an id repeated within one explanation is
    matched by its occurrence), in the order of ``b`` then the steps found only under ``a``; each change is named by
    the step's label."""

    def keyed(steps: Sequence[Step]) -> dict[tuple[str, int], Step]:
        seen: dict[str, int] = {}
        out = {}
        for s in steps:
            k = seen.get(s.id, 0)
            seen[s.id] = k + 1
            out[(s.id, k)] = s
        return out

    ka, kb = keyed(a.steps), keyed(b.steps)
    changes = []
    for key, sb in kb.items():
        sa = ka.get(key)
        if sa is None or (sa.value, sa.detail) != (sb.value, sb.detail):
            changes.append(StepChange(sb.label, sa, sb))
    changes += [StepChange(sa.label, sa, None) for key, sa in ka.items() if key not in kb]
    return tuple(changes)


@attrs.frozen
class Change:
    """An employee whose predikat or a rating differs between the two policies, with the steps that differ."""

    employee_id: str
    name: str
    unit_id: str
    predikat_a: Predikat
    predikat_b: Predikat
    rating_hasil_kerja_a: Rating
    rating_hasil_kerja_b: Rating
    rating_perilaku_kerja_a: Rating
    rating_perilaku_kerja_b: Rating
    steps: tuple[StepChange, ...]
    capaian_a: Decimal | None = None
    capaian_b: Decimal | None = None
    perilaku_score_a: Decimal | None = None
    perilaku_score_b: Decimal | None = None
    scores_withheld_a: bool = False
    scores_withheld_b: bool = False

    @property
    def evidence(self) -> str:
        """The capaian and the published behaviour score under A and B, the evidence the ratings were decided on
        ("withheld" where a policy does not publish the score)."""

        def pair(
            a: Decimal | None, b: Decimal | None, unit: str = "", withheld: tuple[bool, bool] = (False, False)
        ) -> str:
            shown = [
                "withheld" if hidden else "—" if x is None else f"{x}{unit}"
                for x, hidden in zip((a, b), withheld, strict=True)
            ]
            return shown[0] if shown[0] == shown[1] else f"{shown[0]} → {shown[1]}"

        scores = pair(
            self.perilaku_score_a, self.perilaku_score_b, withheld=(self.scores_withheld_a, self.scores_withheld_b)
        )
        return f"capaian {pair(self.capaian_a, self.capaian_b, ' %')}; skor perilaku kerja {scores}"

    @property
    def direction(self) -> str:
        """``"up"`` (a better predikat under B), ``"down"`` or ``"same"`` (only a rating changed)."""
        if self.predikat_b.code < self.predikat_a.code:
            return "up"
        return "down" if self.predikat_b.code > self.predikat_a.code else "same"

    def to_dict(self) -> dict[str, Any]:
        return {
            "employee_id": self.employee_id,
            "name": self.name,
            "unit_id": self.unit_id,
            "predikat": {"a": self.predikat_a.label, "b": self.predikat_b.label},
            "direction": self.direction,
            "rating_hasil_kerja": {"a": self.rating_hasil_kerja_a.label, "b": self.rating_hasil_kerja_b.label},
            "rating_perilaku_kerja": {
                "a": self.rating_perilaku_kerja_a.label,
                "b": self.rating_perilaku_kerja_b.label,
            },
            "capaian": {"a": _str(self.capaian_a), "b": _str(self.capaian_b)},
            "perilaku_score": {"a": _str(self.perilaku_score_a), "b": _str(self.perilaku_score_b)},
            "scores_withheld": {"a": self.scores_withheld_a, "b": self.scores_withheld_b},
            "steps": [s.to_dict() for s in self.steps],
        }


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _verdict(report: UnitReport) -> str | None:
    return None if report.ok is None else "ok" if report.ok else "violated"


@attrs.frozen
class UnitComparison:
    """One unit: how many of its staff moved up and down, and its distribution against the guidance under each
    policy (``a`` and ``b`` are the units' reports, as :meth:`~asn_kinerja.Evaluation.units` gives them)."""

    unit_id: str
    name: str
    up: int
    down: int
    a: UnitReport
    b: UnitReport

    def to_dict(self) -> dict[str, Any]:
        def side(u: UnitReport) -> dict[str, Any]:
            return {
                "n": u.n,
                "counts": {p.label: c for p, c in u.counts.items()},
                "guidance": _verdict(u),
                "violations": [] if u.distribution is None else [v.rule for v in u.distribution.violations],
            }

        org = self.a.predikat_organisasi
        return {
            "unit_id": self.unit_id,
            "name": self.name,
            "predikat_organisasi": None if org is None else org.label,
            "moved_up": self.up,
            "moved_down": self.down,
            "a": side(self.a),
            "b": side(self.b),
        }


def composite_ranks(evaluation: Evaluation) -> npt.NDArray[np.float64]:
    """Each employee's rank (1 = lowest, ties averaged) under the composite score described in the module:
    (predikat, hasil kerja rating, perilaku kerja rating, capaian, perilaku score), compared in that order.

    >>> import asn_kinerja
    >>> data = asn_kinerja.load_dataset("examples/bungo/data")
    >>> ranks = composite_ranks(asn_kinerja.evaluate(asn_kinerja.load_policy("permenpanrb-6-2022"), data))
    >>> len(ranks), float(ranks.sum()) == 61 * 62 / 2
    (61, True)
    """
    low = np.iinfo(np.int64).min

    def score(scaled: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        return np.where(scaled == MISSING, low, scaled)

    def rating(codes: npt.NDArray[np.int8]) -> npt.NDArray[np.int64]:
        """Best-first codes negated so that higher is better; none (-1) lowest."""
        return np.where(codes < 0, low, -codes.astype(np.int64))

    keys = (
        -evaluation.predikat.astype(np.int64),  # code 0 is Sangat Baik: negate so that higher is better
        rating(evaluation.rating_hasil_kerja),
        rating(evaluation.rating_perilaku_kerja),
        score(evaluation.capaian_scaled),
        score(evaluation.perilaku_scaled),
    )
    n = len(evaluation)
    order = np.lexsort(keys[::-1])  # lexsort sorts by the last key first
    ranks = np.empty(n, dtype=np.float64)
    if n == 0:
        return ranks
    stacked = np.stack([k[order] for k in keys])
    new = np.concatenate([[True], (stacked[:, 1:] != stacked[:, :-1]).any(axis=0)])
    starts = np.flatnonzero(new)
    ends = np.concatenate([starts[1:], [n]])
    average = (starts + ends - 1) / 2 + 1  # positions start … end-1, 1-based
    ranks[order] = np.repeat(average, ends - starts)
    return ranks


def spearman(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> float | None:
    """The Pearson correlation of two rank vectors (Spearman's rho with ties averaged), rounded to 4 decimals;
    ``None`` when either is constant (fewer than two distinct ranks).

    >>> spearman(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0]))
    1.0
    >>> spearman(np.array([1.0, 2.0, 3.0]), np.array([3.0, 2.0, 1.0]))
    -1.0
    >>> spearman(np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 2.0])) is None
    True
    """
    dx, dy = x - x.mean(), y - y.mean()
    sx, sy = float(np.sqrt((dx * dx).sum())), float(np.sqrt((dy * dy).sum()))
    if len(x) < 2 or sx == 0 or sy == 0:
        return None
    if np.array_equal(x, y):
        return 1.0
    return round(max(-1.0, min(1.0, float((dx * dy).sum()) / (sx * sy))), 4)


@attrs.frozen(eq=False)
class Comparison:
    """Two evaluations of the same dataset, under policy A and policy B.

    ``transitions[i, j]`` counts the employees with predikat ``i`` under A and ``j`` under B (in the order of
    :class:`~asn_kinerja.Predikat`, best first); its total is the population. ``changes`` lists the employees
    whose predikat or a rating differs, ``units`` the per-unit picture, ``rank_agreement`` the Spearman
    correlation of the composite scores (see the module).
    """

    a: Evaluation
    b: Evaluation
    transitions: npt.NDArray[np.int64]
    changes: tuple[Change, ...]
    units: tuple[UnitComparison, ...]
    rank_agreement: float | None

    @classmethod
    def of(cls, a: Evaluation, b: Evaluation) -> Comparison:
        """Compare two evaluations of the same dataset (the same employees in the same rows)."""
        if a.dataset is not b.dataset and not np.array_equal(a.dataset.employees.id, b.dataset.employees.id):
            raise DataError([Problem("the two evaluations are of different datasets: compare one dataset")])
        kinds = len(Predikat)
        pa, pb = a.predikat.astype(np.int64), b.predikat.astype(np.int64)
        both = (pa >= 0) & (pb >= 0)
        transitions = np.bincount(pa[both] * kinds + pb[both], minlength=kinds * kinds).reshape(kinds, kinds)
        changed = (
            (pa != pb)
            | (a.rating_hasil_kerja != b.rating_hasil_kerja)
            | (a.rating_perilaku_kerja != b.rating_perilaku_kerja)
        )
        order = a.order()
        changes = []
        for row in order[changed[order]]:
            ra, rb = a.result(int(row)), b.result(int(row))
            changes.append(
                Change(
                    employee_id=ra.employee_id,
                    name=ra.name,
                    unit_id=ra.unit_id,
                    predikat_a=ra.predikat,
                    predikat_b=rb.predikat,
                    rating_hasil_kerja_a=ra.rating_hasil_kerja,
                    rating_hasil_kerja_b=rb.rating_hasil_kerja,
                    rating_perilaku_kerja_a=ra.rating_perilaku_kerja,
                    rating_perilaku_kerja_b=rb.rating_perilaku_kerja,
                    steps=step_changes(ra.explain(), rb.explain()),
                    capaian_a=ra.capaian,
                    capaian_b=rb.capaian,
                    perilaku_score_a=ra.perilaku_score,
                    perilaku_score_b=rb.perilaku_score,
                    scores_withheld_a=ra.scores_withheld,
                    scores_withheld_b=rb.scores_withheld,
                )
            )
        unit = a.dataset.employees.unit
        n_units = len(a.dataset.units)
        up = np.bincount(unit[both & (pb < pa)], minlength=n_units)
        down = np.bincount(unit[both & (pb > pa)], minlength=n_units)
        index = {str(u): i for i, u in enumerate(a.dataset.units.id)}
        units = []
        for ua, ub in zip(a.units(), b.units(), strict=True):
            i = index[ua.unit_id]
            units.append(UnitComparison(ua.unit_id, ua.name, int(up[i]), int(down[i]), ua, ub))
        return cls(a, b, transitions, tuple(changes), tuple(units), spearman(composite_ranks(a), composite_ranks(b)))

    def __len__(self) -> int:
        return len(self.a)

    @property
    def moved_up(self) -> int:
        """Employees with a better predikat under B (below the diagonal: codes run best first)."""
        return int(np.tril(self.transitions, -1).sum())

    @property
    def moved_down(self) -> int:
        """Employees with a worse predikat under B (above the diagonal)."""
        return int(np.triu(self.transitions, 1).sum())

    def __repr__(self) -> str:
        agreement = "undefined" if self.rank_agreement is None else f"{self.rank_agreement:.4f}"
        return (
            f"<Comparison {self.a.policy.id} → {self.b.policy.id} of {len(self)} employees: {len(self.changes)} "
            f"changed ({self.moved_up} up, {self.moved_down} down), rank agreement {agreement}>"
        )

    def _title(self) -> str:
        ds = self.a.dataset
        return f"{ds.agency} — periode {ds.period.id} — A: {self.a.policy.id}, B: {self.b.policy.id}"

    def _summary(self) -> str:
        agreement = (
            "undefined (one policy ties everyone)" if self.rank_agreement is None else f"{self.rank_agreement:.4f}"
        )
        return (
            f"{len(self)} employees: {len(self.changes)} changed ({self.moved_up} up, {self.moved_down} down); "
            f"rank agreement (Spearman, composite score): {agreement}"
        )

    # --- renderings ---------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready comparison: policies, dataset, summary, transitions, units and changes."""
        labels = [p.label for p in Predikat]
        return {
            "policy_a": policy_header(self.a.policy),
            "policy_b": policy_header(self.b.policy),
            "dataset": dataset_header(self.a.dataset),
            "summary": {
                "employees": len(self),
                "changed": len(self.changes),
                "moved_up": self.moved_up,
                "moved_down": self.moved_down,
                "predikat_a": {p.label: int(c) for p, c in zip(Predikat, self.transitions.sum(axis=1), strict=True)},
                "predikat_b": {p.label: int(c) for p, c in zip(Predikat, self.transitions.sum(axis=0), strict=True)},
                "rank_agreement": {
                    "method": "spearman",
                    "score": "predikat, rating hasil kerja, rating perilaku kerja, capaian, perilaku score",
                    "value": self.rank_agreement,
                },
            },
            "transitions": {"rows": "a", "columns": "b", "labels": labels, "counts": self.transitions.tolist()},
            "units": [u.to_dict() for u in self.units],
            "changes": [c.to_dict() for c in self.changes],
        }

    def report(self, path: str | os.PathLike[str] | None = None, *, lang: str = "id") -> str:
        """The comparison as one self-contained HTML report (:mod:`asn_kinerja.report`) in ``lang`` (``"id"``,
        the default, or ``"en"``), returned and, with ``path``, also written there (atomically)."""
        from asn_kinerja.report import comparison_report, save

        return save(comparison_report(self, lang=lang), path)

    def to_json(self, *, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text."""
        return json_text(self.to_dict(), indent=indent)

    def rows(self) -> list[dict[str, str]]:
        """One flat dict per changed employee (the CSV columns); ``steps`` joins the differing steps' values."""
        return [
            {
                "employee_id": c.employee_id,
                "name": c.name,
                "unit_id": c.unit_id,
                "predikat_a": c.predikat_a.label,
                "predikat_b": c.predikat_b.label,
                "direction": c.direction,
                "rating_hasil_kerja_a": c.rating_hasil_kerja_a.label,
                "rating_hasil_kerja_b": c.rating_hasil_kerja_b.label,
                "rating_perilaku_kerja_a": c.rating_perilaku_kerja_a.label,
                "rating_perilaku_kerja_b": c.rating_perilaku_kerja_b.label,
                "steps": "; ".join(str(s) for s in c.steps),
            }
            for c in self.changes
        ]

    def to_csv(self) -> str:
        """CSV text: one row per changed employee (the transitions and units are in :meth:`to_json`)."""
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(_CSV_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows())
        return buf.getvalue()

    def _matrix_rows(self) -> list[list[str]]:
        rows = []
        for p, counts in zip(Predikat, self.transitions, strict=True):
            rows.append([p.label, *(str(int(c)) for c in counts), str(int(counts.sum()))])
        rows.append(["total", *(str(int(c)) for c in self.transitions.sum(axis=0)), str(int(self.transitions.sum()))])
        return rows

    def _unit_rows(self) -> list[list[str]]:
        def verdict(u: UnitReport) -> str:
            v = _verdict(u)
            return "—" if v is None else v

        return [[u.unit_id, u.name, str(u.up), str(u.down), verdict(u.a), verdict(u.b)] for u in self.units]

    def to_table(self) -> str:
        """A plain-text report: the transition matrix, the units, then each changed employee with the steps of
        ``explain()`` that differ."""
        a, b = self.a.policy, self.b.policy
        out = [self._title(), f"A: {a.id} — {a.title}", f"B: {b.id} — {b.title}", "", self._summary(), ""]
        heads = ["A \\ B", *(_SHORT[p] for p in Predikat), "total"]
        out += ["Predikat transitions (rows: A, columns: B)", *_aligned([heads, *self._matrix_rows()], right_from=1)]
        legend = ", ".join(f"{_SHORT[p]} = {p.label}" for p in Predikat)
        out += [f"({legend})", ""]
        unit_heads = ["Unit", "Nama", "up", "down", "guidance A", "guidance B"]
        out += ["Units (guidance: SE MenPANRB 3/2023, reported, never applied)"]
        out += [*_aligned([unit_heads, *self._unit_rows()], right_from=2, right_to=4), ""]
        out.append(f"Changed employees: {len(self.changes)}")
        for c in self.changes:
            out.append(
                f"  {c.employee_id}  {c.name}  {c.unit_id}: {c.predikat_a.label} → {c.predikat_b.label} ({c.direction})"
            )
            out.append(f"    {c.evidence}")
            for s in c.steps:
                out += [f"    {line}" for line in s.lines()]
        return "\n".join(out) + "\n"

    def _repr_html_(self) -> str:
        a, b = self.a.policy, self.b.policy
        parts = [
            paragraph(f"A: {a.id} — {a.title}"),
            paragraph(f"B: {b.id} — {b.title}"),
            paragraph(self._summary()),
            html_table(
                self._matrix_rows(),
                ["A \\ B", *(p.label for p in Predikat), "total"],
                caption=f"{self._title()}: predikat transitions (rows A, columns B)",
                right=range(1, 7),
            ),
            html_table(
                self._unit_rows(),
                ["Unit", "Nama", "up", "down", "guidance A", "guidance B"],
                caption="Units",
                right=[2, 3],
            ),
            html_table(
                [
                    [
                        c.employee_id,
                        c.name,
                        c.unit_id,
                        f"{c.predikat_a.label} → {c.predikat_b.label}",
                        "; ".join(str(s) for s in c.steps),
                    ]
                    for c in self.changes[:MAX_ROWS]
                ],
                ["NIP", "Nama", "Unit", "Predikat A → B", "Steps that differ"],
                caption="Changed employees",
            ),
        ]
        if len(self.changes) > MAX_ROWS:
            parts.append(paragraph(f"… and {len(self.changes) - MAX_ROWS} more changed employees (to_csv())"))
        return "<div>\n" + "\n".join(parts) + "\n</div>"

    def to_frame(self) -> Any:
        """A ``pandas.DataFrame`` with one row per employee (output order): predikat, ratings, capaian and the
        published perilaku score under A and B (NaN where none or withheld), and the direction of the move. Needs
        pandas (imported here)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_frame needs pandas: pip install pandas") from exc
        order = self.a.order()
        emp = self.a.dataset.employees
        columns: dict[str, Any] = {
            "employee_id": emp.id[order].astype(str),
            "name": emp.name[order].astype(str),
            "unit_id": self.a.dataset.units.id[emp.unit[order]].astype(str),
        }
        for side, ev in (("a", self.a), ("b", self.b)):
            columns[f"predikat_{side}"] = [Predikat.from_code(int(c)).label for c in ev.predikat[order]]
        pa, pb = self.a.predikat[order], self.b.predikat[order]
        columns["direction"] = np.where(pb < pa, "up", np.where(pb > pa, "down", "same"))
        for side, ev in (("a", self.a), ("b", self.b)):
            columns[f"rating_hasil_kerja_{side}"] = [
                Rating.from_code(int(c)).label for c in ev.rating_hasil_kerja[order]
            ]
            columns[f"rating_perilaku_kerja_{side}"] = [
                Rating.from_code(int(c)).label for c in ev.rating_perilaku_kerja[order]
            ]
        for side, ev in (("a", self.a), ("b", self.b)):
            for name, scaled in (("capaian", ev.capaian_scaled), ("perilaku_score", ev.perilaku_scaled)):
                values = scaled[order]
                columns[f"{name}_{side}"] = np.where(values == MISSING, np.nan, values.astype(np.float64) / 100)
        return pd.DataFrame(columns)


def _aligned(rows: list[list[str]], *, right_from: int, right_to: int | None = None) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    right_to = len(widths) if right_to is None else right_to

    def cell(i: int, text: str) -> str:
        return text.rjust(widths[i]) if right_from <= i < right_to else text.ljust(widths[i])

    return ["  " + "  ".join(cell(i, t) for i, t in enumerate(r)).rstrip() for r in rows]


def _policy(source: Policy | str | Path) -> Policy:
    return source if isinstance(source, Policy) else load_policy(source)


def _evaluation(policy: Policy, dataset: Dataset) -> Evaluation:
    from asn_kinerja.regimes.permenpanrb_6_2022 import population_policy

    return evaluate(population_policy(policy, "compare"), dataset)


def compare(a: Policy | str | Path, b: Policy | str | Path, dataset: Dataset | str | Path) -> Comparison:
    """Evaluate ``dataset`` under policies ``a`` and ``b`` (objects, built-in ids or YAML files) and compare.

    Neither policy is changed; both must be of the permenpanrb-6-2022 regime (a :class:`~asn_kinerja.PolicyError`
    otherwise). See :class:`Comparison` for what it holds and the module for the rank agreement.
    """
    data = dataset if isinstance(dataset, Dataset) else load_dataset(dataset)
    return Comparison.of(_evaluation(_policy(a), data), _evaluation(_policy(b), data))
