"""Evaluation under the numeric regimes: PP 46/2011 (``pp-46-2011``) and PP 30/2019 (``pp-30-2019``).

Both read the same dataset format as the current regime:

- **PP 46/2011** (Perka BKN 1/2013): each RHK utama is one *kegiatan* of the SKP; its indicators are the
  kegiatan's aspects (``aspect`` kuantitas, kualitas, waktu and, with a budget, biaya; one value target and its
  realisasi each). Each RHK tambahan is one *tugas tambahan* (counted, not scored). Perilaku kerja: the atasan's
  ratings on the six PP 46 aspects, 0–100 (the dataset manifest declares ``scale: {min: 0, max: 100}``).
- **PP 30/2019** (PermenPANRB 8/2021): each indicator's capaian gives its nilai capaian IKI; nilai SKP is their
  mean over the RHK utama; perilaku from ratings on the policy's criteria (atasan, and rekan/bawahan when their
  opinions are considered); the ``ide_baru`` column of evaluations.csv for Sangat Baik.

Every figure comes from the rules modules (:mod:`asn_kinerja.rules.pp46_2011`,
:mod:`asn_kinerja.rules.pp30_2019`), called once per kegiatan, indicator and employee: a per-employee Python
loop, acceptable for these historical regimes (a past year's population, evaluated once; a later change
vectorises it like the current regime). The two PP 30 figures the rules modules have no function for, nilai
SKP and nilai perilaku, are exact means (:func:`~asn_kinerja.engine.exact.weighted_mean_exact`, rationals)
rounded once with the policy's rounding. Figures chain as a form does: each published (rounded) figure is the
input of the next.

The ratings Di Atas / Sesuai / Di Bawah Ekspektasi and the adjustments of a dataset belong to PermenPANRB
6/2022; under a numeric regime they are a :class:`~asn_kinerja.DataError` rather than silently ignored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja._numbers import Rounding, round_to
from asn_kinerja.dataset.model import Dataset
from asn_kinerja.engine.exact import decimal_of, weighted_mean_exact
from asn_kinerja.engine.render import dataset_header, display_order, policy_header
from asn_kinerja.engine.result import Explanation, Step
from asn_kinerja.engine.table import Column, ResultTable, json_document, text_table
from asn_kinerja.errors import DataError, PolicyError, Problem
from asn_kinerja.model import Aspect, Direction, JenisJabatan, JenisRhk, PredikatPp30, RaterGroup, SebutanPp46
from asn_kinerja.policy.model import Policy
from asn_kinerja.policy.numeric import Pp30Rules, Pp46Rules, rounding_of
from asn_kinerja.rules import pp30_2019, pp46_2011

__all__ = [
    "IkiResult",
    "KegiatanResult",
    "NumericEvaluation",
    "NumericResult",
    "evaluate_numeric",
    "evaluate_pp30",
    "evaluate_pp46",
]

NumericPredikat = SebutanPp46 | PredikatPp30

_PEERS = (RaterGroup.REKAN, RaterGroup.BAWAHAN)


@attrs.frozen
class KegiatanResult:
    """One kegiatan of a PP 46/2011 SKP: its aspects, nilai capaian (published) and sebutan."""

    rhk_id: str
    text: str
    kuantitas: Decimal
    kualitas: Decimal
    waktu: Decimal
    biaya: Decimal | None
    nilai: Decimal
    sebutan: SebutanPp46

    @property
    def aspects(self) -> dict[str, Decimal]:
        """The aspects present, by name."""
        found = {"kuantitas": self.kuantitas, "kualitas": self.kualitas, "waktu": self.waktu}
        return found if self.biaya is None else {**found, "biaya": self.biaya}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (numbers as decimal text, the sebutan's label)."""
        return {
            "rhk_id": self.rhk_id,
            "text": self.text,
            **{k: str(v) for k, v in self.aspects.items()},
            "nilai": str(self.nilai),
            "sebutan": self.sebutan.label,
        }


@attrs.frozen
class IkiResult:
    """One indicator under PP 30/2019: capaian (percent), nilai capaian IKI, weight, and whether it counts in
    nilai SKP."""

    indicator_id: str
    rhk_id: str
    jenis: JenisRhk
    text: str
    direction: Direction
    capaian: Decimal
    nilai: Decimal
    weight: Decimal
    counted: bool

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (numbers as decimal text)."""
        return {
            "indicator_id": self.indicator_id,
            "rhk_id": self.rhk_id,
            "jenis": self.jenis.value,
            "text": self.text,
            "direction": self.direction.value,
            "capaian": str(self.capaian),
            "nilai": str(self.nilai),
            "weight": str(self.weight),
            "counted": self.counted,
        }


def _scores_kegiatan(policy: Policy) -> bool:
    """Whether the policy scores kegiatan (PP 46/2011: it has the ``pp46`` section) rather than IKI (PP 30/2019)."""
    return policy.pp46 is not None


@attrs.frozen(eq=False)
class NumericResult:
    """One employee's result under a numeric regime.

    ``kegiatan`` (PP 46/2011) or ``iki`` (PP 30/2019) hold the per-activity / per-indicator figures;
    ``nilai_akhir`` is nilai prestasi kerja (PP 46) or nilai kinerja (PP 30), weighed by ``bobot``
    ``(SKP, perilaku)``; ``predikat`` its sebutan (:class:`~asn_kinerja.model.SebutanPp46`) or predikat
    (:class:`~asn_kinerja.model.PredikatPp30`). ``peer_input`` and ``ide_baru`` are PP 30 only (``None``
    under PP 46). Every figure is an exact Decimal as published (2 decimals).
    """

    employee_id: str
    name: str
    unit_id: str
    jenis_jabatan: JenisJabatan
    regime: str
    kegiatan: tuple[KegiatanResult, ...]
    iki: tuple[IkiResult, ...]
    tugas_tambahan: int
    nilai_skp: Decimal
    perilaku: Mapping[str, Decimal]
    nilai_perilaku: Decimal
    peer_input: bool | None
    bobot: tuple[Decimal, Decimal]
    nilai_akhir: Decimal
    ide_baru: bool | None
    predikat: NumericPredikat
    steps: tuple[Step, ...] = attrs.field(repr=False)

    def explain(self) -> Explanation:
        """The steps from the inputs to the predikat, each with its value and the policy's (legal) reference."""
        return Explanation(self.employee_id, self.steps)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with the official labels and the figures as decimal text."""
        out: dict[str, Any] = {
            "employee_id": self.employee_id,
            "name": self.name,
            "unit_id": self.unit_id,
            "jenis_jabatan": self.jenis_jabatan.value,
        }
        if isinstance(self.predikat, SebutanPp46):
            out["kegiatan"] = [k.to_dict() for k in self.kegiatan]
            out["tugas_tambahan"] = self.tugas_tambahan
        else:
            out["iki"] = [i.to_dict() for i in self.iki]
        out |= {
            "nilai_skp": str(self.nilai_skp),
            "perilaku": {k: str(v) for k, v in self.perilaku.items()},
            "nilai_perilaku": str(self.nilai_perilaku),
        }
        if self.peer_input is not None:
            out["peer_input"] = self.peer_input
        out |= {
            "bobot": {"skp": str(self.bobot[0]), "perilaku": str(self.bobot[1])},
            "nilai_akhir": str(self.nilai_akhir),
        }
        if self.ide_baru is not None:
            out["ide_baru"] = self.ide_baru
        out["predikat"] = self.predikat.value
        out["predikat_label"] = self.predikat.label
        return out


def _plain(value: float) -> Decimal:
    """The decimal a stored float stands for, without a trailing ``.0`` on whole numbers (89.0 → 89)."""
    d = decimal_of(value)
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


def _pct(weight: Decimal) -> str:
    return format((weight * 100).normalize(), "f")


@attrs.frozen(eq=False)
class NumericEvaluation:
    """The evaluation of a dataset under a numeric regime, iterable as :class:`NumericResult` in (unit, employee
    id) order; ``evaluation["198001012005011001"]`` gives one employee's result. The same surface as
    :class:`~asn_kinerja.Evaluation`: ``counts``, ``explain_row``, ``to_dict``, ``to_json``, ``rows``, ``to_csv``,
    ``to_table``."""

    policy: Policy
    dataset: Dataset
    results: tuple[NumericResult, ...]

    @property
    def labels(self) -> tuple[NumericPredikat, ...]:
        """The five sebutan (PP 46/2011) or predikat (PP 30/2019), best first."""
        return tuple(SebutanPp46) if _scores_kegiatan(self.policy) else tuple(PredikatPp30)

    def __len__(self) -> int:
        return len(self.results)

    def __repr__(self) -> str:
        counts = ", ".join(f"{p.label} {c}" for p, c in self.counts().items())
        return f"<NumericEvaluation {self.policy.id} of {self.dataset.agency!r} ({len(self)} employees: {counts})>"

    def order(self) -> npt.NDArray[np.intp]:
        """Rows in output order: by unit id, then employee id."""
        return display_order(self.dataset)

    def __iter__(self) -> Iterator[NumericResult]:
        for row in self.order():
            yield self.results[int(row)]

    def __getitem__(self, employee_id: str) -> NumericResult:
        return self.results[self.dataset.employee_row(employee_id)]

    def result(self, row: int) -> NumericResult:
        """The result of the employee at ``row`` of the dataset."""
        return self.results[row]

    def counts(self) -> dict[NumericPredikat, int]:
        """How many employees have each sebutan / predikat (all five, best first)."""
        found = Counter(r.predikat for r in self.results)
        return {p: found.get(p, 0) for p in self.labels}

    def explain_row(self, row: int) -> Explanation:
        """The explanation of the employee at ``row``."""
        return self.results[row].explain()

    # --- renderings ---------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready result: ``{"policy": …, "dataset": …, "summary": …, "employees": [...]}``."""
        return {
            "policy": policy_header(self.policy),
            "dataset": dataset_header(self.dataset),
            "summary": {"employees": len(self), "predikat": {k.value: v for k, v in self.counts().items()}},
            "employees": [r.to_dict() for r in self],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text (UTF-8 characters kept, keys in a fixed order)."""
        return json_document(self.to_dict(), indent=indent)

    def _columns(self) -> tuple[str, ...]:
        common = ("employee_id", "name", "unit_id")
        figures = ("nilai_skp", "nilai_perilaku", "bobot", "nilai_akhir")
        if _scores_kegiatan(self.policy):
            return (*common, "kegiatan", "tugas_tambahan", *figures, "predikat", "predikat_label")
        return (*common, "iki", *figures, "peer_input", "ide_baru", "predikat", "predikat_label")

    def table(self) -> ResultTable:
        """The result table every flat rendering is made from, one row per employee in output order: identifiers
        with the official label of the sebutan / predikat beside them, the figures as exact decimal text."""
        results = list(self)
        columns = {
            "employee_id": Column.text("employee_id", [r.employee_id for r in results]),
            "name": Column.text("name", [r.name for r in results]),
            "unit_id": Column.text("unit_id", [r.unit_id for r in results]),
            "kegiatan": Column.text("kegiatan", [len(r.kegiatan) for r in results]),
            "tugas_tambahan": Column.text("tugas_tambahan", [r.tugas_tambahan for r in results]),
            "iki": Column.text("iki", [sum(1 for i in r.iki if i.counted) for r in results]),
            "nilai_skp": Column.text("nilai_skp", [r.nilai_skp for r in results]),
            "nilai_perilaku": Column.text("nilai_perilaku", [r.nilai_perilaku for r in results]),
            "bobot": Column.text("bobot", [f"{_pct(r.bobot[0])}/{_pct(r.bobot[1])}" for r in results]),
            "nilai_akhir": Column.text("nilai_akhir", [r.nilai_akhir for r in results]),
            "peer_input": Column.flag("peer_input", np.array([bool(r.peer_input) for r in results], dtype=bool)),
            "ide_baru": Column.flag("ide_baru", np.array([bool(r.ide_baru) for r in results], dtype=bool)),
            "predikat": Column.text("predikat", [r.predikat.value for r in results]),
            "predikat_label": Column.text("predikat_label", [r.predikat.label for r in results]),
        }
        return ResultTable(tuple(columns[c] for c in self._columns()))

    def rows(self) -> list[dict[str, Any]]:
        """One flat dict per employee (the CSV columns)."""
        return self.table().records()

    def to_csv(self) -> str:
        """CSV text: one row per employee."""
        return self.table().to_csv()

    def to_table(self) -> str:
        """A plain-text table for the terminal, with a legend and the sebutan / predikat counts."""
        pp46 = _scores_kegiatan(self.policy)
        heads = {
            "employee_id": "NIP",
            "name": "Nama",
            "unit_id": "Unit",
            "kegiatan": "Kegiatan",
            "tugas_tambahan": "Tambahan",
            "iki": "IKI",
            "nilai_skp": "Nilai SKP",
            "nilai_perilaku": "Perilaku",
            "bobot": "Bobot",
            "nilai_akhir": "Prestasi kerja" if pp46 else "Nilai kinerja",
            "peer_input": "Rekan",
            "ide_baru": "Ide baru",
            "predikat": "Sebutan" if pp46 else "Predikat",
        }
        table = self.table()
        columns = {c.name: ["" if v is None else str(v) for v in c.values.tolist()] for c in table.columns}
        for key in ("peer_input", "ide_baru"):
            if key in columns:
                columns[key] = ["ya" if v else "-" for v in table[key].values.tolist()]
        columns["predikat"] = columns.pop("predikat_label")
        numbers = ("kegiatan", "tugas_tambahan", "iki", "nilai_skp", "nilai_perilaku", "nilai_akhir")
        d = self.dataset
        if pp46:
            legend = [
                "Prestasi kerja = nilai SKP × bobot SKP + nilai perilaku × bobot perilaku (PP 46/2011); Tambahan = "
                "tugas tambahan in nilai SKP",
                "Sebutan bands: ≥ 91 Sangat Baik, 76–90 Baik, 61–75 Cukup, 51–60 Kurang, ≤ 50 Buruk",
            ]
        else:
            legend = [
                "Nilai kinerja = nilai SKP × bobot SKP + nilai perilaku × bobot perilaku; Rekan = perilaku considers "
                "peers' and subordinates' opinions (PP 30/2019 Pasal 41)",
                "Predikat bands: Sangat Baik ≥ 110 with an ide baru; Baik ≥ 90; Cukup ≥ 70; Kurang ≥ 50; else Sangat "
                "Kurang",
            ]
        counts = ", ".join(f"{p.label} {c}" for p, c in self.counts().items())
        return text_table(
            columns,
            {c: heads[c] for c in self._columns() if c != "predikat_label"},
            title=f"{d.agency} — periode {d.period.id} — kebijakan {self.policy.id}",
            right=numbers,
            footer=[*legend, "", ("Sebutan: " if pp46 else "Predikat: ") + counts],
        )


# --- evaluation -----------------------------------------------------------------------------------------------


def _rows_by(owner: npt.NDArray[np.int32], n: int) -> list[list[int]]:
    out: list[list[int]] = [[] for _ in range(n)]
    for i, o in enumerate(owner.tolist()):
        if o >= 0:
            out[o].append(i)
    return out


class _Context:
    """What one evaluation reads from the dataset, and the problems found so far."""

    def __init__(self, policy: Policy, dataset: Dataset) -> None:
        self.policy = policy
        self.ds = dataset
        n = len(dataset.employees)
        self.problems: list[Problem] = []
        self.rhk_rows = _rows_by(dataset.rhk.employee, n)
        self.ind_rows = _rows_by(dataset.indicators.employee, n)
        self.ind_by_rhk = _rows_by(dataset.indicators.rhk, len(dataset.rhk))
        self.rating_rows = _rows_by(dataset.ratings.ratee, n)

    def emp_id(self, row: int) -> str:
        return str(self.ds.employees.id[row])

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


def evaluate_numeric(policy: Policy, dataset: Dataset) -> NumericEvaluation:
    """Evaluate every employee of ``dataset`` under a numeric ``policy`` (regime ``pp-46-2011`` or
    ``pp-30-2019``); :func:`asn_kinerja.evaluate` dispatches here for those regimes.

    Raises :class:`~asn_kinerja.DataError` listing every problem of every employee (an indicator without an
    aspect or realisasi, a kegiatan missing an aspect, ratings on unknown criteria, a rating scale other than the
    policy's, ratings or adjustments of PermenPANRB 6/2022 ...).

    The published worked example as a dataset: the kegiatan kuantitas 1/1, kualitas 100 → 90, waktu 12 → 12
    months, biaya Rp 170.395.000 → Rp 170.395.000, for an employee and for the atasan who rates them:

    >>> import datetime as dt
    >>> from asn_kinerja import from_records, load_policy
    >>> from asn_kinerja.model import (Aspect, Employee, Indicator, JenisJabatan, Period, RaterGroup, Realisasi,
    ...     RencanaHasilKerja, Score, Target, Unit)
    >>> aspects = [(Aspect.KUANTITAS, 1, 1), (Aspect.KUALITAS, 100, 90), (Aspect.WAKTU, 12, 12),
    ...            (Aspect.BIAYA, 170_395_000, 170_395_000)]
    >>> people = {"A": None, "E": "A"}  # employee → superior
    >>> ds = from_records(
    ...     agency="Contoh", period=Period("2018", dt.date(2018, 1, 1), dt.date(2018, 12, 31)), scale=(0, 100),
    ...     units=[Unit("U", "Sekretariat")],
    ...     employees=[Employee(e, f"Pegawai {e}", "U", JenisJabatan.JA, superior_id=s) for e, s in people.items()],
    ...     rhk=[RencanaHasilKerja(f"K-{e}", e, "Menyusun laporan keuangan") for e in people],
    ...     indicators=[Indicator(f"{e}-{a.value}", f"K-{e}", a.label, Target.value(Decimal(t)), aspect=a)
    ...                 for e in people for a, t, _ in aspects],
    ...     realisasi=[Realisasi(f"{e}-{a.value}", Decimal(r)) for e in people for a, _, r in aspects],
    ...     scores=[Score(e, s or "SEKDA", RaterGroup.ATASAN, c, Decimal(80)) for e, s in people.items()
    ...             for c in ("integritas", "disiplin")])  # the head's Pejabat Penilai is outside the agency
    >>> result = evaluate_numeric(load_policy("pp-46-2011"), ds)["E"]
    >>> [k.nilai for k in result.kegiatan], result.nilai_skp, result.nilai_perilaku, result.nilai_akhir
    ([Decimal('85.50')], Decimal('85.50'), Decimal('80.00'), Decimal('83.30'))
    >>> result.predikat.label
    'Baik'
    """
    from asn_kinerja.regimes import regime_of

    regime = regime_of(policy)
    if not issubclass(regime.result_type, NumericEvaluation):
        raise PolicyError([Problem(f"not a numeric regime: {policy.regime}", source=policy.source, field="regime")])
    result: NumericEvaluation = regime.evaluate(policy, dataset)
    return result


def evaluate_pp46(policy: Policy, rules: Pp46Rules, dataset: Dataset) -> NumericEvaluation:
    """Evaluate every employee of ``dataset`` under a PP 46/2011 ``policy`` whose ``pp46`` section is ``rules``
    (the regime's evaluator: see :func:`evaluate_numeric`)."""
    cx = _Context(policy, dataset)
    _check_common(cx)
    _check_scale(cx, Decimal(0), Decimal(100), "PP 46/2011 rates perilaku 0–100")
    return _finish(cx, [_pp46_employee(cx, rules, row) for row in range(len(dataset.employees))])


def evaluate_pp30(policy: Policy, rules: Pp30Rules, dataset: Dataset) -> NumericEvaluation:
    """Evaluate every employee of ``dataset`` under a PP 30/2019 ``policy`` whose ``pp30`` section is ``rules``
    (the regime's evaluator: see :func:`evaluate_numeric`)."""
    cx = _Context(policy, dataset)
    _check_common(cx)
    _check_scale(cx, rules.perilaku.scale.min, rules.perilaku.scale.max, "pp30.perilaku.scale")
    return _finish(cx, [_pp30_employee(cx, rules, row) for row in range(len(dataset.employees))])


def _finish(cx: _Context, results: list[NumericResult | None]) -> NumericEvaluation:
    if cx.problems:
        raise DataError(cx.problems)
    done = tuple(r for r in results if r is not None)
    if len(done) != len(results):  # pragma: no cover - every employee without a result has a problem
        raise DataError([Problem("an employee was evaluated without a result or a problem")])
    return NumericEvaluation(policy=cx.policy, dataset=cx.ds, results=done)


def _check_common(cx: _Context) -> None:
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


def _check_scale(cx: _Context, low: Decimal, high: Decimal, key: str) -> None:
    if cx.ds.scale != (low, high):
        cx.problems.append(
            Problem(
                f"the ratings use the scale {cx.ds.scale[0]}–{cx.ds.scale[1]} but the {cx.policy.regime} policy "
                f"expects {low}–{high} ({key})",
                source="dataset.yaml",
                field="scale",
            )
        )


# --- PP 46/2011 -----------------------------------------------------------------------------------------------

_ASPECTS_46 = (Aspect.KUANTITAS, Aspect.KUALITAS, Aspect.WAKTU, Aspect.BIAYA)


def _kegiatan(cx: _Context, rules: Pp46Rules, r: int, mode: Rounding) -> KegiatanResult | None:
    ds = cx.ds
    ind = ds.indicators
    rhk_id = str(ds.rhk.id[r])
    pairs: dict[Aspect, tuple[Decimal, Decimal]] = {}
    before = len(cx.problems)
    for i in cx.ind_by_rhk[r]:
        aspect = Aspect.from_code(int(ind.aspect[i]))
        if aspect not in _ASPECTS_46:
            message = "a PP 46/2011 kegiatan's indicator needs an aspect: kuantitas, kualitas, waktu or biaya"
            cx.indicator_problem(i, "aspect", message)
            continue
        if aspect in pairs:
            cx.indicator_problem(i, "aspect", f"a second {aspect.value} indicator of kegiatan {rhk_id}")
        if ind.target_low[i] != ind.target_high[i]:
            cx.indicator_problem(i, "target_low", "a PP 46/2011 target is one value, not a range")
        if np.isnan(ind.realisasi[i]):
            cx.indicator_problem(i, "realisasi", "a value is required to evaluate the kegiatan")
            continue
        pairs[aspect] = (decimal_of(ind.target_low[i]), decimal_of(ind.realisasi[i]))
    missing = [a.value for a in _ASPECTS_46[:3] if a not in pairs]
    if missing and len(cx.problems) == before:
        cx.problems.append(
            Problem(
                f"kegiatan {rhk_id} needs an indicator for each of kuantitas, kualitas and waktu; missing "
                + ", ".join(missing),
                source="rhk",
                record=rhk_id,
                field="indicators",
            )
        )
    if len(cx.problems) != before:
        return None
    k = rules.kegiatan
    kn, kl, wk = pairs[Aspect.KUANTITAS], pairs[Aspect.KUALITAS], pairs[Aspect.WAKTU]
    bi = pairs.get(Aspect.BIAYA)
    nilai = cx.rule(
        rhk_id,
        "indicators",
        pp46_2011.nilai_capaian_kegiatan,
        kuantitas=kn,
        kualitas=kl,
        waktu=wk,
        biaya=bi,
        divisor=k.divisor,
        cap=k.cap,
        efficiency=k.efficiency,
        rounding=mode,
    )
    if nilai is None:
        return None
    return KegiatanResult(
        rhk_id=rhk_id,
        text=str(ds.rhk.text[r]),
        kuantitas=pp46_2011.aspek_kuantitas(*kn, cap=k.cap, rounding=mode),
        kualitas=pp46_2011.aspek_kualitas(*kl, cap=k.cap, rounding=mode),
        waktu=pp46_2011.aspek_waktu(*wk, efficiency=k.efficiency, rounding=mode),
        biaya=None if bi is None else pp46_2011.aspek_biaya(*bi, efficiency=k.efficiency, rounding=mode),
        nilai=nilai,
        sebutan=SebutanPp46.parse(pp46_2011.sebutan(nilai, reading=rules.sebutan.reading)),
    )


def _pp46_employee(cx: _Context, rules: Pp46Rules, row: int) -> NumericResult | None:
    ds = cx.ds
    p = cx.policy
    emp_id = cx.emp_id(row)
    mode = rounding_of(rules.rounding)
    before = len(cx.problems)

    kegiatan: list[KegiatanResult] = []
    tugas = 0
    for r in cx.rhk_rows[row]:
        if ds.rhk.jenis[r] == JenisRhk.TAMBAHAN.code:
            tugas += 1
            continue
        found = _kegiatan(cx, rules, r, mode)
        if found is not None:
            kegiatan.append(found)
    if not kegiatan and len(cx.problems) == before:
        cx.problems.append(
            Problem("no RHK utama (kegiatan) to compute nilai SKP from", source="rhk", record=emp_id, field="rhk_id")
        )

    rt = ds.ratings
    scores: dict[str, Decimal] = {}
    left_out: list[str] = []
    others = 0
    for i in cx.rating_rows[row]:
        name = str(rt.criterion[i])
        if name not in pp46_2011.PERILAKU_ASPEK:
            cx.rating_problem(
                i, "criterion", f"unknown criterion {name!r} (PP 46/2011 rates {', '.join(pp46_2011.PERILAKU_ASPEK)})"
            )
        elif rt.group[i] != RaterGroup.ATASAN.code:
            others += 1
        elif name not in rules.perilaku.aspects:
            left_out.append(name)
        elif name in scores:
            cx.rating_problem(
                i, "criterion", f"a second atasan rating on {name}: PP 46/2011 perilaku is rated by one Pejabat Penilai"
            )
        else:
            scores[name] = _plain(rt.score[i])
    if not scores and len(cx.problems) == before:
        cx.problems.append(
            Problem(
                f"no rating by the atasan on the aspects {', '.join(rules.perilaku.aspects)} to compute nilai perilaku",
                source="ratings",
                record=emp_id,
                field="criterion",
            )
        )
    if len(cx.problems) != before:
        return None
    perilaku = {a: scores[a] for a in rules.perilaku.aspects if a in scores}

    bonus = tugas if rules.skp.tugas_tambahan == "bonus" else 0
    nilai_skp = cx.rule(
        emp_id, "rhk", pp46_2011.nilai_skp, [k.nilai for k in kegiatan], tugas_tambahan=bonus, rounding=mode
    )
    nilai_perilaku = cx.rule(emp_id, "ratings", pp46_2011.nilai_perilaku, perilaku, rounding=mode)
    if nilai_skp is None or nilai_perilaku is None:
        return None
    bobot = rules.weights.pair
    akhir = pp46_2011.nilai_prestasi_kerja(nilai_skp, nilai_perilaku, weights=bobot, rounding=mode)
    sebutan = SebutanPp46.parse(pp46_2011.sebutan(akhir, reading=rules.sebutan.reading))

    steps: list[Step] = []
    for k in kegiatan:
        shown = " + ".join(f"{name} {value}" for name, value in k.aspects.items())
        divisor = rules.kegiatan.divisor
        by = f"{len(k.aspects)} aspects" if divisor == "aspects" else f"divisor {divisor}"
        extra = [f"efficiency rule {rules.kegiatan.efficiency}"]
        if rules.kegiatan.cap is not None:
            extra.append(f"kuantitas/kualitas capped at {rules.kegiatan.cap}")
        steps.append(
            Step(
                f"nilai capaian kegiatan {k.rhk_id}",
                f"{k.nilai} ({k.sebutan.label})",
                f"({shown}) / {by}; {', '.join(extra)}",
                p.reference_for("pp46.kegiatan"),
            )
        )
    if rules.skp.tugas_tambahan == "bonus":
        extra_text = f"{tugas} tugas tambahan (bonus by count: 1–3 +1, 4–6 +2, ≥ 7 +3)"
    else:
        extra_text = f"{tugas} tugas tambahan not counted (pp46.skp.tugas_tambahan: ignore)"
    steps.append(
        Step(
            "nilai SKP",
            str(nilai_skp),
            f"mean of {len(kegiatan)} kegiatan; {extra_text}",
            p.reference_for("pp46.skp"),
        )
    )
    notes = [
        f"mean of {len(perilaku)} aspect(s) rated by the atasan: " + ", ".join(f"{a} {v}" for a, v in perilaku.items())
    ]
    if left_out:
        notes.append(f"not counted by the policy: {', '.join(left_out)}")
    if others:
        notes.append(f"{others} rating(s) by other rater groups not used")
    steps.append(Step("nilai perilaku kerja", str(nilai_perilaku), "; ".join(notes), p.reference_for("pp46.perilaku")))
    steps.append(
        Step(
            "nilai prestasi kerja",
            str(akhir),
            f"{_pct(bobot[0])} % × nilai SKP {nilai_skp} + {_pct(bobot[1])} % × nilai perilaku {nilai_perilaku}",
            p.reference_for("pp46.weights"),
        )
    )
    steps.append(
        Step(
            "sebutan",
            sebutan.label,
            f"nilai prestasi kerja {akhir}: ≥ 91 Sangat Baik, 76–90 Baik, 61–75 Cukup, 51–60 Kurang, ≤ 50 Buruk "
            f"(reading {rules.sebutan.reading})",
            p.reference_for("pp46.sebutan"),
        )
    )
    emp = ds.employees
    return NumericResult(
        employee_id=emp_id,
        name=str(emp.name[row]),
        unit_id=str(ds.units.id[emp.unit[row]]),
        jenis_jabatan=JenisJabatan.from_code(int(emp.jenis_jabatan[row])),
        regime=p.regime,
        kegiatan=tuple(kegiatan),
        iki=(),
        tugas_tambahan=tugas,
        nilai_skp=nilai_skp,
        perilaku=perilaku,
        nilai_perilaku=nilai_perilaku,
        peer_input=None,
        bobot=bobot,
        nilai_akhir=akhir,
        ide_baru=None,
        predikat=sebutan,
        steps=tuple(steps),
    )


# --- PP 30/2019 -----------------------------------------------------------------------------------------------


def _iki(cx: _Context, rules: Pp30Rules, i: int, mode: Rounding) -> IkiResult | None:
    ds = cx.ds
    ind = ds.indicators
    jenis = JenisRhk.from_code(int(ds.rhk.jenis[ind.rhk[i]]))
    counted = jenis is JenisRhk.UTAMA or rules.skp.tambahan == "include"
    if np.isnan(ind.realisasi[i]):
        if counted:
            cx.indicator_problem(i, "realisasi", "a value is required to compute nilai capaian IKI")
        return None
    low, high = decimal_of(ind.target_low[i]), decimal_of(ind.target_high[i])
    target: Decimal | tuple[Decimal, Decimal] = low if low == high else (low, high)
    realisasi = decimal_of(ind.realisasi[i])
    lower = bool(ind.direction[i] == Direction.LOWER_IS_BETTER.code)
    places = rules.capaian.places
    capaian = pp30_2019.capaian_iki(
        realisasi, target, lower_is_better=lower, places=2 if places is None else places, rounding=mode
    )
    basis = (
        capaian
        if places is not None
        else pp30_2019.capaian_iki(realisasi, target, lower_is_better=lower, rounding=mode, exact=True)
    )
    return IkiResult(
        indicator_id=str(ind.id[i]),
        rhk_id=str(ds.rhk.id[ind.rhk[i]]),
        jenis=jenis,
        text=str(ind.text[i]),
        direction=Direction.LOWER_IS_BETTER if lower else Direction.HIGHER_IS_BETTER,
        capaian=capaian,
        nilai=pp30_2019.nilai_capaian_iki(basis, gaps=rules.capaian.gaps, rounding=mode),
        weight=_plain(ind.weight[i]),
        counted=counted,
    )


def _aspect_scores(
    by: Mapping[tuple[int, int], list[Decimal]], groups: list[RaterGroup], criteria: list[str]
) -> dict[str, Fraction]:
    """Each criterion's score, exactly: the mean of the means of the counted groups that rated it [U]."""
    out: dict[str, Fraction] = {}
    for c, name in enumerate(criteria):
        means = [Fraction(sum(got, Decimal(0))) / len(got) for g in groups if (got := by.get((g.code, c)))]
        if means:
            out[name] = sum(means, Fraction(0)) / len(means)
    return out


def _pp30_employee(cx: _Context, rules: Pp30Rules, row: int) -> NumericResult | None:
    ds = cx.ds
    p = cx.policy
    emp_id = cx.emp_id(row)
    mode = rounding_of(rules.rounding)
    before = len(cx.problems)

    iki = [found for i in cx.ind_rows[row] if (found := _iki(cx, rules, i, mode)) is not None]
    counted = [x for x in iki if x.counted]
    if not counted and len(cx.problems) == before:
        scope = "an RHK" if rules.skp.tambahan == "include" else "an RHK utama"
        cx.problems.append(
            Problem(
                f"no indicator of {scope} to compute nilai SKP from", source="indicators", record=emp_id, field="rhk_id"
            )
        )

    criteria = list(rules.perilaku.criteria)
    rt = ds.ratings
    by: dict[tuple[int, int], list[Decimal]] = {}
    peers_rated = False
    others = 0
    for i in cx.rating_rows[row]:
        name = str(rt.criterion[i])
        group = RaterGroup.from_code(int(rt.group[i]))
        if name not in criteria:
            cx.rating_problem(i, "criterion", f"unknown criterion {name!r} (the policy rates {', '.join(criteria)})")
        elif group is RaterGroup.ATASAN or group in _PEERS:
            by.setdefault((group.code, criteria.index(name)), []).append(decimal_of(rt.score[i]))
            peers_rated = peers_rated or group in _PEERS
        else:
            others += 1
    peer = {"data": peers_rated, "with_peers": True, "without_peers": False}[rules.perilaku.peer_input]
    groups = [RaterGroup.ATASAN, *(_PEERS if peer else ())]
    assessed = _aspect_scores(by, groups, criteria)
    if not assessed and len(cx.problems) == before:
        cx.problems.append(
            Problem(
                f"no rating by {', '.join(g.value for g in groups)} on {', '.join(criteria)} to compute nilai perilaku",
                source="ratings",
                record=emp_id,
                field="criterion",
            )
        )
    if len(cx.problems) != before:
        return None

    skp_weights = [x.weight if rules.skp.weighting == "weight" else Decimal(1) for x in counted]
    nilai_skp = round_to(weighted_mean_exact([Fraction(x.nilai) for x in counted], skp_weights), 2, mode)
    nilai_perilaku = round_to(sum(assessed.values(), Fraction(0)) / len(assessed), 2, mode)
    bobot = (rules.weights.with_peers if peer else rules.weights.without_peers).pair
    akhir = pp30_2019.nilai_kinerja(nilai_skp, nilai_perilaku, peer_input=peer, weights=bobot, rounding=mode)
    emp = ds.employees
    ide_baru = bool(emp.ide_baru[row]) if emp.ide_baru is not None else False
    predikat = PredikatPp30.parse(pp30_2019.predikat(akhir, ide_baru=ide_baru))

    steps: list[Step] = []
    places = rules.capaian.places
    for x in iki:
        how = f"capaian {x.capaian} %" + (" (lower is better)" if x.direction is Direction.LOWER_IS_BETTER else "")
        how += " → nilai from the bands" + (" on the exact capaian" if places is None else "")
        how += f" (gaps {rules.capaian.gaps})"
        if not x.counted:
            how += "; RHK tambahan, not counted in nilai SKP (pp30.skp.tambahan: exclude)"
        steps.append(Step(f"nilai capaian IKI {x.indicator_id}", str(x.nilai), how, p.reference_for("pp30.capaian")))
    scope = "RHK utama and tambahan" if rules.skp.tambahan == "include" else "RHK utama"
    mean = "weighted by the indicator weight" if rules.skp.weighting == "weight" else "a plain mean"
    steps.append(
        Step(
            "nilai SKP",
            str(nilai_skp),
            f"mean of the nilai of {len(counted)} indicator(s) of {scope}, {mean}",
            p.reference_for("pp30.skp"),
        )
    )
    shown = ", ".join(f"{a} {round_to(v, 2, mode)}" for a, v in assessed.items())
    names = " and ".join(g.value for g in groups)
    detail = f"mean of {len(assessed)} aspect(s), each the mean of the {names} means: {shown}"
    if others:
        detail += f"; {others} rating(s) by other groups not used"
    if peers_rated and not peer:
        detail += "; peers' and subordinates' ratings not considered (pp30.perilaku.peer_input: without_peers)"
    steps.append(Step("nilai perilaku kerja", str(nilai_perilaku), detail, p.reference_for("pp30.perilaku")))
    considered = "considers" if peer else "without"
    steps.append(
        Step(
            "nilai kinerja",
            str(akhir),
            f"{_pct(bobot[0])} % × nilai SKP {nilai_skp} + {_pct(bobot[1])} % × nilai perilaku {nilai_perilaku} "
            f"(perilaku {considered} peers' and subordinates' opinions)",
            p.reference_for("pp30.weights"),
        )
    )
    steps.append(
        Step(
            "predikat",
            predikat.label,
            f"nilai kinerja {akhir}, ide baru {'yes' if ide_baru else 'no'}: Sangat Baik needs ≥ 110 and an ide baru; "
            "≥ 90 Baik, ≥ 70 Cukup, ≥ 50 Kurang, else Sangat Kurang",
            p.reference_for("pp30"),
        )
    )
    return NumericResult(
        employee_id=emp_id,
        name=str(emp.name[row]),
        unit_id=str(ds.units.id[emp.unit[row]]),
        jenis_jabatan=JenisJabatan.from_code(int(emp.jenis_jabatan[row])),
        regime=p.regime,
        kegiatan=(),
        iki=tuple(iki),
        tugas_tambahan=0,
        nilai_skp=nilai_skp,
        perilaku={a: round_to(v, 2, mode) for a, v in assessed.items()},
        nilai_perilaku=nilai_perilaku,
        peer_input=peer,
        bobot=bobot,
        nilai_akhir=akhir,
        ide_baru=ide_baru,
        predikat=predikat,
        steps=tuple(steps),
    )
