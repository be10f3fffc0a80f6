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
>>> [s.label for s in change.steps][:3]
['skor perilaku kerja', 'kelompok rekan', 'penilaian diri']
>>> [s.id for s in change.steps][:3]
['perilaku_kerja.score', 'perilaku_kerja.group.rekan', 'perilaku_kerja.self']

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

import json
import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja._deprecation import renamed
from asn_kinerja.dataset import Dataset, load_dataset
from asn_kinerja.dataset.frames import require
from asn_kinerja.engine.evaluate import evaluate
from asn_kinerja.engine.html import MAX_ROWS, paragraph
from asn_kinerja.engine.organisation import UnitReport
from asn_kinerja.engine.render import PREDIKAT_SHORT, dataset_header, policy_header, predikat_legend
from asn_kinerja.engine.result import EmployeeResult, Evaluation, Explanation, Step
from asn_kinerja.engine.settle import MISSING
from asn_kinerja.engine.table import Column, RawJson, ResultTable, json_document, json_texts, labelled, text_values
from asn_kinerja.errors import DataError, Problem
from asn_kinerja.model import LabelledEnum, Predikat, PredikatOrganisasi, Rating
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

#: What each employee has under policy A and under B, in the order of the columns (``<name>_a``, ``<name>_b``; an
#: enum's identifiers with its labels beside them); the direction of the move follows the predikat.
_PAIRED = ("predikat", "rating_hasil_kerja", "rating_perilaku_kerja", "capaian", "perilaku_score", "scores_withheld")
_ENUMS = frozenset(_PAIRED[:3])
_DIRECTIONS = np.array(["up", "down", "same"], dtype=object)


def _change_id(change: StepChange) -> str:
    """The id of the step that changed (from either side; both have the same id by construction)."""
    step = change.b if change.b is not None else change.a
    return change.label if step is None else step.id


@attrs.frozen
class StepChange:
    """A step of :meth:`~asn_kinerja.EmployeeResult.explain` that differs between the policies: its value or its
    detail differs, or it is there under one policy only (``a`` or ``b`` is then ``None``).

    ``id`` is the step's stable identifier (:attr:`Step.id <asn_kinerja.engine.result.Step.id>`, for programs),
    ``label`` its display text (for people).

    >>> from asn_kinerja.engine.result import Step
    >>> from asn_kinerja.yamlschema.converter import Reference
    >>> ref = Reference(title="PermenPANRB 6/2022")
    >>> a = Step("kelompok rekan", "3.50", "3 raters", ref, id="perilaku_kerja.group.rekan")
    >>> change = StepChange("kelompok rekan", a, None)
    >>> change.id, str(change)
    ('perilaku_kerja.group.rekan', 'kelompok rekan: 3.50 → (no such step)')
    >>> change.to_dict()["step"], change.to_dict()["step_label"]
    ('perilaku_kerja.group.rekan', 'kelompok rekan')
    """

    label: str
    a: Step | None
    b: Step | None
    id: str = attrs.field(kw_only=True, default=attrs.Factory(_change_id, takes_self=True))

    @property
    def name(self) -> str:
        """Deprecated: :attr:`label` (or :attr:`id` to identify the step)."""
        renamed("StepChange.name", "StepChange.label (display) or StepChange.id (identifier)")
        return self.label

    def __str__(self) -> str:
        va = "(no such step)" if self.a is None else self.a.value
        vb = "(no such step)" if self.b is None else self.b.value
        return f"{self.label}: {va} → {vb}"

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
        """The change for machines: ``step`` (the id), ``step_label``, and the value and detail under ``a`` and
        ``b`` (``None`` where the step is there under one policy only)."""

        def side(step: Step | None) -> dict[str, str] | None:
            return None if step is None else {"value": step.value, "detail": step.detail}

        return {"step": self.id, "step_label": self.label, "a": side(self.a), "b": side(self.b)}


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
            changes.append(StepChange(sb.label, sa, sb, id=sb.id))
    changes += [StepChange(sa.label, sa, None, id=sa.id) for key, sa in ka.items() if key not in kb]
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
        """The change as a row of :meth:`Comparison.changes_table` gives it (JSON-ready: identifiers with the
        official labels beside them, figures as exact decimal text, the differing steps as a list)."""
        out: dict[str, Any] = {"employee_id": self.employee_id, "name": self.name, "unit_id": self.unit_id}
        for name in _PAIRED:
            for side in "ab":
                value = getattr(self, f"{name}_{side}")
                if isinstance(value, LabelledEnum):
                    out |= {f"{name}_{side}": value.value, f"{name}_{side}_label": value.label}
                else:
                    out[f"{name}_{side}"] = value if isinstance(value, bool) else _str(value)
            if name == "predikat":
                out["direction"] = self.direction
        return out | {"steps": [s.to_dict() for s in self.steps]}


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
        """The unit as a row of :func:`units_table` gives it (JSON-ready)."""
        record: dict[str, Any] = units_table((self,), indent=None).records()[0]
        return record


def _side(u: UnitReport) -> dict[str, Any]:
    """A unit under one policy: staff, counts per predikat (by identifier), guidance verdict, violated rules."""
    return {
        "n": u.n,
        "counts": {p.value: c for p, c in u.counts.items()},
        "guidance": _verdict(u),
        "violations": [] if u.distribution is None else [v.rule for v in u.distribution.violations],
    }


def units_table(units: Sequence[UnitComparison], *, indent: int | None = 2) -> ResultTable:
    """Units compared, one row each: ids, the organisation predikat (identifier and label), how many moved up and
    down, each policy's guidance verdict, and (JSON only) each side in full as ``a`` and ``b``."""
    org = [-1 if u.a.predikat_organisasi is None else u.a.predikat_organisasi.code for u in units]
    return ResultTable(
        (
            Column.text("unit_id", [u.unit_id for u in units]),
            Column.text("name", [u.name for u in units]),
            *labelled("predikat_organisasi", PredikatOrganisasi, np.array(org, dtype=np.intp)),
            Column.integer("moved_up", [u.up for u in units]),
            Column.integer("moved_down", [u.down for u in units]),
            Column.text("guidance_a", [_verdict(u.a) for u in units]),
            Column.text("guidance_b", [_verdict(u.b) for u in units]),
            Column.nested("a", json_texts([_side(u.a) for u in units], indent=indent)),
            Column.nested("b", json_texts([_side(u.b) for u in units], indent=indent)),
        )
    )


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
        order = a.order()
        changed = _changed(a, b)
        changes = [_change(a.result(int(row)), b.result(int(row))) for row in order[changed[order]]]
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

    # --- result tables ------------------------------------------------------------------------------------
    def employees_table(self, rows: npt.NDArray[np.intp] | None = None) -> ResultTable:
        """Every employee in output order (or those at positions ``rows`` of it) under A and B: the ids, then
        each of predikat (followed by the ``direction`` of the move: ``up``, ``down`` or ``same``), the ratings,
        capaian, the published perilaku score and whether it is withheld, as ``<name>_a`` and ``<name>_b``;
        identifiers with the official labels beside them (``<name>_a_label``)."""
        ta, tb = self.a.table(), self.b.table()
        order = self.a.order()
        pa, pb = self.a.predikat[order], self.b.predikat[order]
        direction = np.where(pb < pa, 0, np.where(pb > pa, 1, 2))
        if rows is not None:
            ta, tb, direction = ta.take(rows), tb.take(rows), direction[rows]
        columns = [ta["employee_id"], ta["name"], ta["unit_id"]]
        for name in _PAIRED:
            for side, t in (("a", ta), ("b", tb)):
                columns.append(t[name].renamed(f"{name}_{side}"))
                if name in _ENUMS:
                    columns.append(t[f"{name}_label"].renamed(f"{name}_{side}_label"))
            if name == "predikat":
                columns.append(Column.coded("direction", _DIRECTIONS, direction))
        return ResultTable(tuple(columns))

    def changes_table(self, *, indent: int | None = 2) -> ResultTable:
        """The changed employees (:attr:`changes`, in output order) as :meth:`employees_table` gives them, with the
        ``steps`` that differ: in JSON a list (made for ``indent``), in CSV their values joined by ``"; "``."""
        rows = np.flatnonzero(_changed(self.a, self.b)[self.a.order()])
        steps = [[s.to_dict() for s in c.steps] for c in self.changes]
        joined = text_values(["; ".join(str(s) for s in c.steps) for c in self.changes])
        nested = Column.nested("steps", json_texts(steps, indent=indent), csv=joined)
        return ResultTable((*self.employees_table(rows).columns, nested))

    def transitions_table(self, *, totals: bool = False) -> ResultTable:
        """The transition matrix, one row per predikat under A (identifier and label) with a column per predikat
        under B (by identifier) and the row's ``total``; with ``totals`` a last row of the column totals (its
        ``predikat_a`` none, its label ``total``)."""
        counts = self.transitions
        ids, labels = labelled("predikat_a", Predikat, np.arange(len(Predikat)))
        if totals:
            counts = np.vstack([counts, counts.sum(axis=0)])
            ids = Column.text(ids.name, [*ids.values.tolist(), None])
            labels = Column.text(labels.name, [*labels.values.tolist(), "total"])
        by_b = [Column.integer(p.value, counts[:, p.code]) for p in Predikat]
        return ResultTable((ids, labels, *by_b, Column.integer("total", counts.sum(axis=1))))

    # --- renderings ---------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready comparison: policies, dataset, summary, transitions, units and changes (the data of
        :meth:`to_json`)."""
        data: dict[str, Any] = json.loads(self.to_json(indent=None))
        return data

    def _summary_dict(self) -> dict[str, Any]:
        def by_predikat(counts: npt.NDArray[np.int64]) -> dict[str, int]:
            return {p.value: int(c) for p, c in zip(Predikat, counts, strict=True)}

        return {
            "employees": len(self),
            "changed": len(self.changes),
            "moved_up": self.moved_up,
            "moved_down": self.moved_down,
            "predikat_a": by_predikat(self.transitions.sum(axis=1)),
            "predikat_b": by_predikat(self.transitions.sum(axis=0)),
            "rank_agreement": {
                "method": "spearman",
                "score": "predikat, rating hasil kerja, rating perilaku kerja, capaian, perilaku score",
                "value": self.rank_agreement,
            },
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The comparison as JSON text: policies, dataset, summary (counts by predikat identifier), the transition
        matrix (``predikat``: the identifiers of its rows and columns, ``labels`` beside them), then the rows of
        :meth:`units_table` and :meth:`changes_table`."""
        units, changes = units_table(self.units, indent=indent), self.changes_table(indent=indent)
        transitions = {
            "rows": "a",
            "columns": "b",
            "predikat": [p.value for p in Predikat],
            "labels": [p.label for p in Predikat],
            "counts": self.transitions.tolist(),
        }
        return json_document(
            {
                "policy_a": policy_header(self.a.policy),
                "policy_b": policy_header(self.b.policy),
                "dataset": dataset_header(self.a.dataset),
                "summary": self._summary_dict(),
                "transitions": transitions,
                "units": RawJson(units.to_json(indent=indent, level=1)),
                "changes": RawJson(changes.to_json(indent=indent, level=1)),
            },
            indent=indent,
        )

    def report(self, path: str | os.PathLike[str] | None = None, *, lang: str = "id") -> str:
        """The comparison as one self-contained HTML report (:mod:`asn_kinerja.report`) in ``lang`` (``"id"``,
        the default, or ``"en"``), returned and, with ``path``, also written there (atomically)."""
        from asn_kinerja.report import comparison_report, save

        return save(comparison_report(self, lang=lang), path)

    def rows(self) -> list[dict[str, Any]]:
        """One flat dict per changed employee: the CSV columns of :meth:`changes_table`."""
        return self.changes_table().flat().records()

    def to_csv(self) -> str:
        """CSV text: one row per changed employee, the columns of :meth:`changes_table` (the transitions and units
        are in :meth:`to_json`)."""
        return self.changes_table().to_csv()

    def write_csv(self, file: TextIO) -> None:
        """Write :meth:`to_csv`'s text to an open text file, piece by piece.

        >>> import io, asn_kinerja
        >>> data = asn_kinerja.load_dataset("examples/bungo/data")
        >>> c = asn_kinerja.compare("permenpanrb-6-2022", "examples/policies/three-sixty.yaml", data)
        >>> file = io.StringIO()
        >>> c.write_csv(file)
        >>> file.getvalue() == c.to_csv()
        True
        """
        self.changes_table().write_csv(file)

    def to_table(self) -> str:
        """A plain-text report: the transition matrix, the units, then each changed employee with the steps of
        ``explain()`` that differ."""
        a, b = self.a.policy, self.b.policy
        out = [self._title(), f"A: {a.id} — {a.title}", f"B: {b.id} — {b.title}", "", self._summary(), ""]
        heads = _matrix_heads({p: PREDIKAT_SHORT[p] for p in Predikat})
        matrix = self.transitions_table(totals=True).to_text(
            heads, title="Predikat transitions (rows: A, columns: B)", right=list(heads)[1:], prefix="  "
        )
        out += [matrix + f"({predikat_legend()})", ""]
        units = units_table(self.units).to_text(
            _UNIT_HEADS,
            title="Units (guidance: SE MenPANRB 3/2023, reported, never applied)",
            right=["moved_up", "moved_down"],
            prefix="  ",
            blank="—",
        )
        out += [units, f"Changed employees: {len(self.changes)}"]
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
        heads = _matrix_heads({p: p.label for p in Predikat})
        shown = self.changes_table().take(np.arange(min(len(self.changes), MAX_ROWS))).flat()
        moves = [f"{c.predikat_a.label} → {c.predikat_b.label}" for c in self.changes[:MAX_ROWS]]
        people = ResultTable((*shown.columns, Column.text("move", moves)))
        parts = [
            paragraph(f"A: {a.id} — {a.title}"),
            paragraph(f"B: {b.id} — {b.title}"),
            paragraph(self._summary()),
            self.transitions_table(totals=True).to_html(
                heads, caption=f"{self._title()}: predikat transitions (rows A, columns B)", right=list(heads)[1:]
            ),
            units_table(self.units).to_html(_UNIT_HEADS, caption="Units", right=["moved_up", "moved_down"], blank="—"),
            people.to_html(_CHANGE_HEADS, caption="Changed employees"),
        ]
        if len(self.changes) > MAX_ROWS:
            parts.append(paragraph(f"… and {len(self.changes) - MAX_ROWS} more changed employees (to_csv())"))
        return "<div>\n" + "\n".join(parts) + "\n</div>"

    def to_frame(self) -> Any:
        """A ``pandas.DataFrame`` with one row per employee (output order): the columns of :func:`paired_frame`
        (predikat, ratings, capaian and the published perilaku score under A and B, as
        :meth:`Evaluation.to_frame <asn_kinerja.Evaluation.to_frame>` gives them, and the direction of the move).
        Needs pandas. (:meth:`employees_table` has the same employees with identifiers beside the labels and the
        figures as exact decimal text: ``employees_table().to_frame()``.)"""
        return paired_frame(self.a, self.b, self.a.order())


#: The columns :func:`paired_frame` gives under each policy (``<name>_a``, ``<name>_b``), after the predikat.
PAIRED = ("rating_hasil_kerja", "rating_perilaku_kerja", "capaian", "perilaku_score")


def paired_frame(a: Evaluation, b: Evaluation, rows: npt.NDArray[np.intp]) -> Any:
    """The employees at dataset ``rows`` evaluated under two policies, as a ``pandas.DataFrame`` made from the two
    evaluations' frames (:meth:`Evaluation.to_frame <asn_kinerja.Evaluation.to_frame>`: official labels as ordered
    categoricals, published figures as float64): ``employee_id``, ``name``, ``unit_id``, ``predikat_a``,
    ``predikat_b``, ``direction`` (``up``, ``down`` or ``same``), then ``<name>_a`` and ``<name>_b`` for each of
    :data:`PAIRED`. Used by :meth:`Comparison.to_frame` and by the distributed comparison.

    >>> import asn_kinerja
    >>> data = asn_kinerja.load_dataset("examples/bungo/data")
    >>> a = asn_kinerja.evaluate(asn_kinerja.load_policy("permenpanrb-6-2022"), data)
    >>> b = asn_kinerja.evaluate(asn_kinerja.load_policy("examples/policies/three-sixty.yaml"), data)
    >>> frame = paired_frame(a, b, a.order())
    >>> frame[frame.direction == "down"][["predikat_a", "predikat_b"]].iloc[0].tolist()
    ['Sangat Baik', 'Baik']
    """
    pd = require("pandas")
    fa = a.to_frame().iloc[rows].reset_index(drop=True)
    fb = b.to_frame().iloc[rows].reset_index(drop=True)
    pa, pb = a.predikat[rows], b.predikat[rows]
    columns: dict[str, Any] = {name: fa[name] for name in ("employee_id", "name", "unit_id")}
    columns["predikat_a"], columns["predikat_b"] = fa["predikat"], fb["predikat"]
    direction = np.where(pb < pa, "up", np.where(pb > pa, "down", "same"))
    columns["direction"] = pd.Categorical(direction, categories=["up", "down", "same"])
    for name in PAIRED:
        columns[f"{name}_a"], columns[f"{name}_b"] = fa[name], fb[name]
    return pd.DataFrame(columns)


_CHANGE_HEADS = {
    "employee_id": "NIP",
    "name": "Nama",
    "unit_id": "Unit",
    "move": "Predikat A → B",
    "steps": "Steps that differ",
}
_UNIT_HEADS = {
    "unit_id": "Unit",
    "name": "Nama",
    "moved_up": "up",
    "moved_down": "down",
    "guidance_a": "guidance A",
    "guidance_b": "guidance B",
}


def _matrix_heads(names: dict[Predikat, str]) -> dict[str, str]:
    """The heads of the transition matrix for people: A's predikat label, B's predikat by ``names``, the total."""
    return {"predikat_a_label": "A \\ B", **{p.value: names[p] for p in Predikat}, "total": "total"}


def _changed(a: Evaluation, b: Evaluation) -> npt.NDArray[np.bool_]:
    """The employees (dataset rows) whose predikat or a rating differs between the evaluations."""
    out: npt.NDArray[np.bool_] = (
        (a.predikat != b.predikat)
        | (a.rating_hasil_kerja != b.rating_hasil_kerja)
        | (a.rating_perilaku_kerja != b.rating_perilaku_kerja)
    )
    return out


def _change(ra: EmployeeResult, rb: EmployeeResult) -> Change:
    """The change of one employee between the results under A and B."""
    paired = {f"{name}_{side}": getattr(r, name) for name in _PAIRED for side, r in (("a", ra), ("b", rb))}
    steps = step_changes(ra.explain(), rb.explain())
    return Change(employee_id=ra.employee_id, name=ra.name, unit_id=ra.unit_id, steps=steps, **paired)


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
