"""Results of an evaluation: columns for the population, objects for one employee, and their renderings."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TextIO

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja._deprecation import renamed
from asn_kinerja._numbers import CONTEXT, round_to
from asn_kinerja.dataset.model import Dataset
from asn_kinerja.engine.citizen import UnitIndex, on_scale, unit_index_exact
from asn_kinerja.engine.exact import behaviour_exact, central_exact, decimal_of, rows_by, scores_by_cell
from asn_kinerja.engine.explain import WITHHELD_TEXT
from asn_kinerja.engine.organisation import (
    CascadeIssue,
    UnitColumns,
    UnitReport,
    cascade_issues,
    cascade_json,
    unit_columns,
    unit_columns_json_chunks,
    unit_objects,
    unit_table,
    units_text,
)
from asn_kinerja.engine.render import dataset_header, display_order, policy_header
from asn_kinerja.engine.settle import MISSING
from asn_kinerja.engine.strategies import ANONYMOUS, POOL, BehaviourScores
from asn_kinerja.engine.table import (
    Chunk,
    RawJson,
    ResultTable,
    join_chunks,
    json_document,
    json_document_chunks,
    text_table,
    write_chunks,
)
from asn_kinerja.model import Adjustment, JenisJabatan, Predikat, RaterGroup, Rating
from asn_kinerja.policy.model import Policy
from asn_kinerja.yamlschema.converter import Reference

if TYPE_CHECKING:
    from asn_kinerja.regimes._sections import PermenpanrbRules

__all__ = ["WITHHELD", "EmployeeResult", "Evaluation", "Explanation", "Step"]

#: Old names of :class:`Evaluation` attributes, kept for one release (each warns on use).
_DEPRECATED = frozenset({"weak", "training"})

#: The value of a step of :meth:`EmployeeResult.explain` whose figure is not published (``privacy.publish_scores``).
WITHHELD = WITHHELD_TEXT


def _step_id(step: Step) -> str:
    """The default id of a step made without one: its label, lower case, words joined by ``_``."""
    return "_".join(step.label.casefold().split())


@attrs.frozen
class Step:
    """One step from the inputs to the predikat: what was decided, its value, how, and on whose authority.

    ``id`` is the step's stable identifier for programs (``hasil_kerja.rating``, ``perilaku_kerja.group.rekan``;
    see :data:`asn_kinerja.engine.explain.STEP_IDS`), ``label`` its display text for people ("rating hasil
    kerja"); the label may be reworded or translated, the id stays.

    >>> from asn_kinerja.yamlschema.converter import Reference
    >>> ref = Reference(title="PermenPANRB 6/2022")
    >>> step = Step("rating hasil kerja", "Baik", "given", ref, id="hasil_kerja.rating")
    >>> step.to_dict()["step"], step.to_dict()["step_label"]
    ('hasil_kerja.rating', 'rating hasil kerja')
    """

    label: str
    value: str
    detail: str
    reference: Reference
    id: str = attrs.field(kw_only=True, default=attrs.Factory(_step_id, takes_self=True))

    @property
    def name(self) -> str:
        """Deprecated: :attr:`label` (or :attr:`id` to identify the step)."""
        renamed("Step.name", "Step.label (display) or Step.id (identifier)")
        return self.label

    def __str__(self) -> str:
        return f"{self.label}: {self.value} — {self.detail} [{self.reference}]"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``step`` the id, ``step_label`` the label beside it, then value, detail and reference."""
        return {
            "step": self.id,
            "step_label": self.label,
            "value": self.value,
            "detail": self.detail,
            "reference": attrs.asdict(self.reference),
        }


@attrs.frozen
class Explanation:
    """The steps that led to one employee's predikat."""

    employee_id: str
    steps: tuple[Step, ...]

    def __str__(self) -> str:
        return "\n".join([f"Penilaian {self.employee_id}:", *(f"  {i + 1}. {s}" for i, s in enumerate(self.steps))])

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    def to_list(self) -> list[dict[str, Any]]:
        return [s.to_dict() for s in self.steps]


def citizen_json_ready(summary: dict[str, Any] | None) -> dict[str, Any] | None:
    if summary is None:
        return None
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in summary.items()}


def _std(values: list[Decimal]) -> Decimal:
    """Population standard deviation of exact values, to 50 significant digits (deterministic)."""
    mean = sum((Fraction(v) for v in values), Fraction(0)) / len(values)
    variance = sum(((Fraction(v) - mean) ** 2 for v in values), Fraction(0)) / len(values)
    return CONTEXT.sqrt(CONTEXT.divide(Decimal(variance.numerator), Decimal(variance.denominator)))


def _scaled(value: np.int64) -> Decimal | None:
    return None if value == MISSING else Decimal(int(value)).scaleb(-2, context=CONTEXT)


@attrs.frozen(eq=False)
class EmployeeResult:
    """One employee's result. ``predikat`` is final (after any adjustment); ``predikat_matrix`` is the matrix's.

    ``scores_withheld``: the behaviour score is computed from anonymous ratings and not published under the
    policy's ``privacy.publish_scores``: ``perilaku_score`` is ``None`` (and so is ``self_gap`` where the others
    include an anonymous group), while the ratings it leads to are published (the documentation's privacy page says
    what is guaranteed).
    """

    employee_id: str
    name: str
    unit_id: str
    jenis_jabatan: JenisJabatan
    rating_hasil_kerja: Rating
    hasil_kerja_basis: str
    rating_perilaku_kerja: Rating
    perilaku_kerja_basis: str
    predikat_matrix: Predikat
    predikat: Predikat
    capaian: Decimal | None
    perilaku_score: Decimal | None
    adjustment: Adjustment | None
    self_score: Decimal | None = None
    self_gap: Decimal | None = None
    angka_kredit: Decimal | None = None
    development: tuple[str, ...] = ()
    scores_withheld: bool = False
    _evaluation: Evaluation = attrs.field(repr=False, kw_only=True)
    _row: int = attrs.field(repr=False, kw_only=True)

    def explain(self) -> Explanation:
        """The steps from the inputs to the predikat, each with its value and the policy's (legal) reference."""
        return self._evaluation.explain_row(self._row)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: identifiers, with the official labels beside them (``<name>_label``), and the
        published figures as exact decimal text; the same record as the employee's entry in
        :meth:`Evaluation.to_json`."""
        return {
            "employee_id": self.employee_id,
            "name": self.name,
            "unit_id": self.unit_id,
            "jenis_jabatan": self.jenis_jabatan.value,
            "jenis_jabatan_label": self.jenis_jabatan.label,
            "rating_hasil_kerja": self.rating_hasil_kerja.value,
            "rating_hasil_kerja_label": self.rating_hasil_kerja.label,
            "hasil_kerja_basis": self.hasil_kerja_basis,
            "rating_perilaku_kerja": self.rating_perilaku_kerja.value,
            "rating_perilaku_kerja_label": self.rating_perilaku_kerja.label,
            "perilaku_kerja_basis": self.perilaku_kerja_basis,
            "predikat": self.predikat.value,
            "predikat_label": self.predikat.label,
            "predikat_matrix": self.predikat_matrix.value,
            "predikat_matrix_label": self.predikat_matrix.label,
            "adjusted": self.adjustment is not None,
            "capaian": _text(self.capaian),
            "perilaku_score": _text(self.perilaku_score),
            "self_score": _text(self.self_score),
            "self_gap": _text(self.self_gap),
            "scores_withheld": self.scores_withheld,
            "perilaku_groups": {
                name: {k: str(v) if isinstance(v, Decimal) else v for k, v in info.items()}
                for name, info in self._evaluation.group_summary(self._row).items()
            },
            "citizen": citizen_json_ready(self._evaluation.citizen_summary(self._row)),
            "angka_kredit": _text(self.angka_kredit),
            "development": list(self.development),
            "adjustment": None if self.adjustment is None else adjustment_dict(self.adjustment),
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def adjustment_dict(a: Adjustment) -> dict[str, Any]:
    """An adjustment (keberatan) as JSON-ready data: predikat identifiers with their labels beside them."""
    return {
        "by": a.by,
        "on": a.on.isoformat(),
        "from": a.from_predikat.value,
        "from_label": a.from_predikat.label,
        "to": a.to_predikat.value,
        "to_label": a.to_predikat.label,
        "reason": a.reason,
    }


@attrs.frozen(eq=False)
class Evaluation:
    """The evaluation of a dataset under a policy: per-employee columns, iterable as :class:`EmployeeResult`.

    ``evaluation["198001012005011001"]`` gives one employee's result; iteration is in (unit, employee id) order.

    Every public attribute and rendering holds *published* figures: under the policy's ``privacy.publish_scores``
    a behaviour score computed from anonymous ratings is withheld (:attr:`scores_withheld`; ``perilaku_scaled`` is
    then ``MISSING``), and the engine's per-group cells and the units' citizen indices are kept private. ``dataset``
    is the input, with every individual rating: it is not an output.
    """

    policy: Policy
    dataset: Dataset
    capaian_scaled: npt.NDArray[np.int64]
    rating_hasil_kerja: npt.NDArray[np.int8]
    hasil_kerja_given: npt.NDArray[np.bool_]
    _perilaku_scaled: npt.NDArray[np.int64] = attrs.field(alias="perilaku_scaled")
    _behaviour: BehaviourScores = attrs.field(alias="behaviour")
    _citizen_units: UnitIndex | None = attrs.field(alias="citizen_units")
    rating_perilaku_kerja: npt.NDArray[np.int8]
    perilaku_kerja_given: npt.NDArray[np.bool_]
    predikat_matrix: npt.NDArray[np.int8]
    predikat: npt.NDArray[np.int8]
    adjustment: npt.NDArray[np.int32]
    hasil_kerja_from_organisation: npt.NDArray[np.bool_]
    angka_kredit: npt.NDArray[np.object_]
    development_needs: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.predikat)

    def __dir__(self) -> list[str]:
        """The attributes without the deprecated old names (``weak``, ``training``), which still work for one
        release."""
        return [name for name in super().__dir__() if name not in _DEPRECATED]

    @functools.cached_property
    def rules(self) -> PermenpanrbRules:
        """The policy's PermenPANRB 6/2022 sections (matrix, hasil_kerja, perilaku_kerja), each present."""
        from asn_kinerja.regimes._sections import rules_of

        return rules_of(self.policy)

    # --- privacy: which figures are published ---------------------------------------------------------------
    @functools.cached_property
    def _publishes_all(self) -> bool:
        return self.policy.privacy.publish_scores == "always"

    @functools.cached_property
    def _gap_withheld(self) -> npt.NDArray[np.bool_]:
        """Per employee: the others' score (of the self − others gap) counts an anonymous group, and the policy
        withholds such figures."""
        out = np.zeros(len(self), dtype=bool) if self._publishes_all else self._behaviour.anonymous_counted()
        out.flags.writeable = False
        return out

    @functools.cached_property
    def scores_withheld(self) -> npt.NDArray[np.bool_]:
        """Per employee (dataset row order): the behaviour score is computed from anonymous ratings — a peer,
        subordinate or service-user group, the pool of groups below their minimum, or the unit's citizen index — and
        is not published (``privacy.publish_scores: when_not_anonymous``, the default). It depends on the numbers
        of raters and respondents only, never on a score."""
        citizen = np.zeros(len(self), dtype=bool)
        if self._citizen_units is not None and not self._publishes_all:
            citizen = np.asarray(self._citizen_units.used[self.dataset.employees.unit], dtype=bool)
        out: npt.NDArray[np.bool_] = self._gap_withheld | citizen
        out.flags.writeable = False
        return out

    @functools.cached_property
    def perilaku_scaled(self) -> npt.NDArray[np.int64]:
        """The published behaviour score per employee, in hundredths (``MISSING`` where there is none or where it is
        withheld: :attr:`scores_withheld`)."""
        out: npt.NDArray[np.int64] = np.where(self.scores_withheld, MISSING, self._perilaku_scaled).astype(np.int64)
        out.flags.writeable = False
        return out

    def __repr__(self) -> str:
        counts = ", ".join(f"{p.label} {c}" for p, c in self.counts().items())
        return f"<Evaluation {self.policy.id} of {self.dataset.agency!r} ({len(self)} employees: {counts})>"

    def _repr_html_(self) -> str:
        """Jupyter's rendering: the predikat counts and the first employees as an HTML table (text escaped)."""
        from asn_kinerja.engine.html import evaluation_html

        return evaluation_html(self)

    def order(self) -> npt.NDArray[np.intp]:
        """Rows in output order: by unit id, then employee id (computed once, read-only)."""
        return self._order

    @functools.cached_property
    def _order(self) -> npt.NDArray[np.intp]:
        out = display_order(self.dataset)
        out.flags.writeable = False
        return out

    def __iter__(self) -> Iterator[EmployeeResult]:
        for row in self.order():
            yield self.result(int(row))

    def __getitem__(self, employee_id: str) -> EmployeeResult:
        return self.result(self.dataset.employee_row(employee_id))

    def result(self, row: int) -> EmployeeResult:
        """The result of the employee at ``row`` of the dataset."""
        emp = self.dataset.employees
        k = int(self.adjustment[row])
        return EmployeeResult(
            employee_id=str(emp.id[row]),
            name=str(emp.name[row]),
            unit_id=str(self.dataset.units.id[emp.unit[row]]),
            jenis_jabatan=JenisJabatan.from_code(int(emp.jenis_jabatan[row])),
            rating_hasil_kerja=Rating.from_code(int(self.rating_hasil_kerja[row])),
            hasil_kerja_basis="given"
            if self.hasil_kerja_given[row]
            else "organisation"
            if self.hasil_kerja_from_organisation[row]
            else "suggested",
            rating_perilaku_kerja=Rating.from_code(int(self.rating_perilaku_kerja[row])),
            perilaku_kerja_basis="given" if self.perilaku_kerja_given[row] else "suggested",
            predikat_matrix=Predikat.from_code(int(self.predikat_matrix[row])),
            predikat=Predikat.from_code(int(self.predikat[row])),
            capaian=_scaled(self.capaian_scaled[row]),
            perilaku_score=_scaled(self.perilaku_scaled[row]),
            adjustment=None if k < 0 else self.dataset.adjustments[k],
            angka_kredit=self.angka_kredit[row],
            development=self._themes(row),
            scores_withheld=bool(self.scores_withheld[row]),
            **self._self_figures(row),
            evaluation=self,
            row=row,
        )

    def _themes(self, row: int) -> tuple[str, ...]:
        return self.themes_of(self.development_needs[row])

    @property
    def weak(self) -> npt.NDArray[np.bool_]:
        """Deprecated: :attr:`development_needs`."""
        renamed("Evaluation.weak", "Evaluation.development_needs")
        return self.development_needs

    @functools.cached_property
    def _theme_of_criterion(self) -> tuple[str, ...]:
        """The development theme of each criterion, in criterion order (none without development rules)."""
        dev = self.policy.development
        pk = self.policy.perilaku_kerja
        if dev is None or pk is None:
            return ()
        return tuple(dev.themes.get(name, name) for name in pk.criteria)

    def themes_of(self, needs: npt.NDArray[np.bool_]) -> tuple[str, ...]:
        """The development themes of a row of :attr:`development_needs` (one flag per criterion), each once, in
        criterion order: the one derivation of themes behind :meth:`development`, the ``development`` field of the
        results and the HTML report."""
        themes = self._theme_of_criterion
        return tuple(dict.fromkeys(themes[c] for c in np.flatnonzero(needs))) if themes else ()

    def development(self) -> dict[str, npt.NDArray[np.bool_]]:
        """For each development theme, which employees need it (one boolean column per theme, dataset row
        order): employee ``row`` is in the column of each theme of ``themes_of(development_needs[row])``."""
        out: dict[str, npt.NDArray[np.bool_]] = {}
        for c, theme in enumerate(self._theme_of_criterion):
            out[theme] = out.get(theme, np.zeros(len(self), dtype=bool)) | self.development_needs[:, c]
        return {k: v for k, v in out.items() if v.any()}

    def training(self) -> dict[str, npt.NDArray[np.bool_]]:
        """Deprecated: :meth:`development`."""
        renamed("Evaluation.training()", "Evaluation.development()")
        return self.development()

    def units(self) -> list[UnitReport]:
        """Per unit: the organisation predikat, the counts and shares of employee predikat, the verdict of the
        distribution guidance (never a relabelling), and the development needs summary. The counts and guidance
        checks are made once per evaluation; each call gives new objects (their mappings are the caller's)."""
        return unit_objects(self._unit_columns)

    @functools.cached_property
    def _unit_columns(self) -> UnitColumns:
        """:meth:`units` as columns (what the JSON output writes, with no object per unit), made once."""
        return unit_columns(self.dataset, self.predikat, self.policy.distribution, self.development())

    def cascading(self) -> list[CascadeIssue]:
        """RHK that intervene nothing, an RHK that does not exist, or an RHK that is not the direct superior's."""
        return cascade_issues(self.dataset)

    @functools.cached_property
    def _rating_rows(self) -> Callable[[int], npt.NDArray[np.intp]]:
        return rows_by(self.dataset.ratings.ratee, len(self))

    def _self_figures(self, row: int) -> dict[str, Decimal | None]:
        """The exact self-rating (mean over criteria of the mean self score) and self − others."""
        pk = self.rules.perilaku_kerja
        by = scores_by_cell(pk.criteria, self.dataset, self._rating_rows(row))
        own = {c: values for (g, c), values in by.items() if g == RaterGroup.DIRI.code}
        if not own:
            return {"self_score": None, "self_gap": None}
        self_exact = sum((central_exact(v, "mean", Fraction(0)) for v in own.values()), Fraction(0)) / len(own)
        others = behaviour_exact(attrs.evolve(pk, include_self=False, citizen=None), by, None).overall
        gap = None if others is None or self._gap_withheld[row] else round_to(self_exact - others, 2)
        return {"self_score": round_to(self_exact, 2), "self_gap": gap}

    def counts(self) -> dict[Predikat, int]:
        """How many employees have each predikat (all five, best first)."""
        codes = self.predikat[self.predikat >= 0].astype(np.intp)
        found = np.bincount(codes, minlength=len(Predikat)).tolist()
        return {p: int(found[p.code]) for p in Predikat}

    # --- behaviour details (anonymity: only groups that meet their minimum are shown) -------------------
    def group_summary(self, row: int) -> dict[str, dict[str, Any]]:
        """Per rater group counted by the policy (and the pool of groups below their minimum): whether it is
        shown, and if so its raters, its exact score (mean over the criteria where shown) and its spread (mean over
        those criteria of the population standard deviation), 2 decimals half-up; a group below its minimum shows
        nothing but that fact. The score and spread of an anonymous group (and of the pool) are ``None`` unless the
        policy publishes every figure (``privacy.publish_scores: always``)."""
        pk = self.rules.perilaku_kerja
        b = self._behaviour
        rt = self.dataset.ratings
        criteria = list(pk.criteria)
        three = pk.three_sixty
        tendency = "mean" if three is None else three.central_tendency
        trim = Fraction(0) if three is None else Fraction(three.trim)
        rows = self._rating_rows(row)
        out: dict[str, dict[str, Any]] = {}
        for g in [*RaterGroup, None]:
            code = POOL if g is None else g.code
            if g is not None and (pk.weights.get(g, Decimal(0)) == 0 or (g is RaterGroup.DIRI and not pk.include_self)):
                continue
            if not (b.counts[row, code].sum() > 0 if g is not None else b.shown[row, POOL].any()):
                continue
            name = "lainnya" if g is None else g.value
            if not b.shown[row, code].any():
                out[name] = {"shown": False, "minimum": pk.minimum(g) if g is not None else 1}
                continue
            cells = []
            for c in np.flatnonzero(b.shown[row, code]):
                members = {g.code} if g is not None else self._pooled_groups(row, int(c))
                chosen = [r for r in rows if int(rt.group[r]) in members and str(rt.criterion[r]) == criteria[c]]
                cells.append([decimal_of(rt.score[r]) for r in chosen])
            if not self._publishes_all and (g is None or g in ANONYMOUS):
                out[name] = {"shown": True, "raters": max(len(cell) for cell in cells), "score": None, "spread": None}
                continue
            out[name] = {
                "shown": True,
                "raters": max(len(cell) for cell in cells),
                "score": round_to(
                    sum((central_exact(cell, tendency, trim) for cell in cells), Fraction(0)) / len(cells), 2
                ),
                "spread": round_to(sum((_std(cell) for cell in cells), Decimal(0)) / len(cells), 2),
            }
        return out

    def _pooled_groups(self, row: int, c: int) -> set[int]:
        pk = self.rules.perilaku_kerja
        b = self._behaviour
        return {
            g.code
            for g in RaterGroup
            if pk.weights.get(g, Decimal(0)) > 0 and 0 < b.counts[row, g.code, c] < pk.minimum(g)
        }

    def citizen_summary(self, row: int) -> dict[str, Any] | None:
        """The citizen satisfaction index that applies to the employee's unit (``None`` without citizen rules):
        whether it is used (the survey has the policy's minimum of respondents), and then the respondents, the mutu
        and — where the policy publishes every figure (``privacy.publish_scores: always``) — the index converted to
        0–100 (``konversi``, else ``None``)."""
        return self.unit_citizen_summary(int(self.dataset.employees.unit[row]))

    def unit_citizen_summary(self, unit: int) -> dict[str, Any] | None:
        """:meth:`citizen_summary` of the employees of the unit at position ``unit`` of the dataset."""
        pk = self.rules.perilaku_kerja
        cz = pk.citizen
        units = self._citizen_units
        if cz is None or units is None:
            return None
        uid = str(self.dataset.units.id[unit])
        n = int(units.respondents[unit])
        if not units.used[unit]:
            why = "no survey" if n == 0 else f"fewer than {cz.min_respondents} respondents"
            return {"used": False, "detail": f"unit {uid}: {why}; the index is not applied ({cz.without_survey})"}
        result = unit_index_exact(self.dataset, unit, cz)
        applied = f"weight {cz.weight} on {', '.join(cz.applies_to)}"
        if not self._publishes_all:
            return {
                "used": True,
                "konversi": None,
                "mutu": result.mutu,
                "respondents": n,
                "detail": f"unit {uid}, {n} respondents, mutu {result.mutu} ({result.kinerja}); {applied}; the index "
                "is not published (privacy.publish_scores: when_not_anonymous)",
            }
        scaled = round_to(on_scale(result.indeks, pk.scale), 2)
        return {
            "used": True,
            "konversi": result.konversi,
            "mutu": result.mutu,
            "respondents": n,
            "detail": f"unit {uid}, {n} respondents, mutu {result.mutu} ({result.kinerja}); {scaled} on the rating "
            f"scale, {applied}",
        }

    # --- explain ------------------------------------------------------------------------------------------
    def explain_row(self, row: int) -> Explanation:
        """The steps from the inputs to the predikat of the employee at ``row`` (see :mod:`.explain`)."""
        from asn_kinerja.engine.explain import permenpanrb_steps

        return Explanation(str(self.dataset.employees.id[row]), permenpanrb_steps(self, row))

    # --- renderings ---------------------------------------------------------------------------------------
    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        """The result as numpy columns, one entry per employee in dataset row order (codes, flags and the
        published figures as float64): see :func:`asn_kinerja.engine.frame.evaluation_arrays`."""
        from asn_kinerja.engine.frame import evaluation_arrays

        return evaluation_arrays(self)

    def to_frame(self, *, decimals: bool = False) -> Any:
        """The result as a pandas ``DataFrame`` (the ``pandas`` extra), made column-wise: one row per employee in
        dataset row order, official labels as categoricals, published figures as float64 (and as ``Decimal``
        with ``decimals=True``): see :func:`asn_kinerja.engine.frame.evaluation_frame`."""
        from asn_kinerja.engine.frame import evaluation_frame

        return evaluation_frame(self, decimals=decimals)

    def table(self, *, details: bool = False, indent: int | None = 2, level: int = 0) -> ResultTable:
        """The result table every rendering is made from, one row per employee in output order: see
        :func:`asn_kinerja.engine.published.employee_table`."""
        from asn_kinerja.engine.published import employee_table

        return employee_table(self, details=details, indent=indent, level=level)

    def _header(self) -> dict[str, Any]:
        return {"policy": policy_header(self.policy), "dataset": dataset_header(self.dataset)}

    def _summary(self) -> dict[str, Any]:
        return {"employees": len(self), "predikat": {k.value: v for k, v in self.counts().items()}}

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready result: ``{"policy": …, "dataset": …, "summary": …, "employees": [...], "units": [...],
        "cascading": [...]}`` (the data of :meth:`to_json`)."""
        data: dict[str, Any] = json.loads(self.to_json(indent=None))
        return data

    def to_json(self, *, indent: int | None = 2) -> str:
        """The result as JSON text (UTF-8 characters kept, keys in a fixed order), written column by column:
        identifiers with the official labels beside them, published figures as exact decimal text."""
        return join_chunks(self._json_chunks(indent=indent))

    def write_json(self, file: TextIO, *, indent: int | None = 2) -> None:
        """Write :meth:`to_json`'s text to an open text file, piece by piece (a large population's JSON is never
        held whole)."""
        write_chunks(file, self._json_chunks(indent=indent))

    def _json_chunks(self, *, indent: int | None = 2) -> Iterator[Chunk]:
        """The text of :meth:`to_json` in pieces, each as references to its texts (see
        :data:`~asn_kinerja.engine.table.Chunk`)."""
        # The employees' array is at level 1 of the document, its rows at 2, their fields at 3.
        employees = self.table(details=True, indent=indent, level=3)
        return json_document_chunks(
            {
                **self._header(),
                "summary": self._summary(),
                "employees": RawJson(lambda: employees.json_chunks(indent=indent, level=1)),
                "units": RawJson(lambda: unit_columns_json_chunks(self._unit_columns, indent=indent, level=1)),
                "cascading": RawJson(cascade_json(self.cascading(), indent=indent, level=1)),
            },
            indent=indent,
        )

    def units_to_dict(self) -> dict[str, Any]:
        """The per-unit report alone: policy, dataset, units (distribution and development needs), cascading (the
        data of :meth:`units_to_json`)."""
        data: dict[str, Any] = json.loads(self.units_to_json(indent=None))
        return data

    def units_to_json(self, *, indent: int | None = 2) -> str:
        """The per-unit report alone as JSON text, written column by column as in :meth:`to_json`."""
        return json_document(
            {
                **self._header(),
                "units": RawJson(lambda: unit_columns_json_chunks(self._unit_columns, indent=indent, level=1)),
                "cascading": RawJson(cascade_json(self.cascading(), indent=indent, level=1)),
            },
            indent=indent,
        )

    def report(self, path: str | os.PathLike[str] | None = None, *, lang: str = "id") -> str:
        """The evaluation as one self-contained HTML report (:mod:`asn_kinerja.report`) in ``lang`` (``"id"``,
        the default, or ``"en"``), returned and, with ``path``, also written there (atomically)."""
        from asn_kinerja.report import evaluation_report, save

        return save(evaluation_report(self, lang=lang), path)

    def units_to_csv(self) -> str:
        """One CSV row per unit: organisation predikat (identifier and label), counts per employee predikat,
        verdict, violations."""
        return unit_table(self.units()).to_csv()

    def units_to_table(self) -> str:
        """A plain-text report per unit: the distribution of predikat against the unit's guidance (reported,
        never relabelled), the development needs summary, then the cascading defects of the plans."""
        return units_text(self.units(), self.cascading(), title=self._title())

    def _title(self) -> str:
        return f"{self.dataset.agency} — periode {self.dataset.period.id} — kebijakan {self.policy.id}"

    def rows(self) -> list[dict[str, Any]]:
        """One flat dict per employee in output order (the CSV columns; development themes joined by ``"; "``)."""
        return self.table().flat().records()

    def to_csv(self) -> str:
        """CSV text: one row per employee in output order, written column by column (identifiers with the
        official labels beside them, published figures as exact decimal text)."""
        return self.table().to_csv()

    def write_csv(self, file: TextIO) -> None:
        """Write :meth:`to_csv`'s text to an open text file, piece by piece (a large population's CSV is never
        held whole).

        >>> import io, asn_kinerja
        >>> data = asn_kinerja.load_dataset("examples/bungo/data")
        >>> result = asn_kinerja.evaluate(asn_kinerja.load_policy("permenpanrb-6-2022"), data)
        >>> file = io.StringIO()
        >>> result.write_csv(file)
        >>> file.getvalue() == result.to_csv()
        True
        """
        self.table().write_csv(file)

    def people_columns(self, rows: npt.NDArray[np.intp] | None = None) -> dict[str, list[str]]:
        """The columns people read (text and HTML), for the employees at ``rows`` of the output order (all
        where ``None``): official labels, an adjusted predikat marked ``*``, the bases as ``G``/``S``/``O``."""
        table = self.table()
        if rows is not None:
            table = table.take(rows)

        def text(name: str) -> list[str]:
            return ["" if v is None else str(v) for v in table[name].values.tolist()]

        mark = np.where(table["adjusted"].values, " *", "")
        hk, pk = table["hasil_kerja_basis"].values, table["perilaku_kerja_basis"].values
        return {
            "employee_id": text("employee_id"),
            "name": text("name"),
            "unit_id": text("unit_id"),
            "rating_hasil_kerja": text("rating_hasil_kerja_label"),
            "rating_perilaku_kerja": text("rating_perilaku_kerja_label"),
            "predikat": [p + m for p, m in zip(text("predikat_label"), mark.tolist(), strict=True)],
            "basis": [f"{a[0].upper()}/{b[0].upper()}" for a, b in zip(hk.tolist(), pk.tolist(), strict=True)],
            "capaian": text("capaian"),
            "perilaku_score": [
                WITHHELD if w else s
                for w, s in zip(table["scores_withheld"].values.tolist(), text("perilaku_score"), strict=True)
            ],
        }

    def to_table(self) -> str:
        """A plain-text table for the terminal, with a legend and the predikat counts."""
        return text_table(
            self.people_columns(),
            PEOPLE_HEADS,
            title=self._title(),
            footer=[
                "Dasar: G = given by the evaluator, S = suggested from evidence (hasil kerja/perilaku kerja); "
                "* = adjusted",
                "",
                "Predikat: " + ", ".join(f"{p.label} {c}" for p, c in self.counts().items()),
            ],
        )


#: The heads of the people's table of an evaluation (text and HTML), by column of :meth:`Evaluation.people_columns`.
PEOPLE_HEADS = {
    "employee_id": "NIP",
    "name": "Nama",
    "unit_id": "Unit",
    "rating_hasil_kerja": "Hasil kerja",
    "rating_perilaku_kerja": "Perilaku kerja",
    "predikat": "Predikat",
    "basis": "Dasar",
}
