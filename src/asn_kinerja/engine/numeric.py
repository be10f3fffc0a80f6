"""The result types of the numeric regimes, PP 46/2011 (``pp-46-2011``) and PP 30/2019 (``pp-30-2019``): one
:class:`NumericResult` per employee (with its :class:`KegiatanResult` or :class:`IkiResult` rows) and the
:class:`NumericEvaluation` of a dataset. Each regime's evaluator lives in its regime module
(:mod:`asn_kinerja.regimes.pp46_2011`, :mod:`asn_kinerja.regimes.pp30_2019`); the evaluation both share, in
:mod:`asn_kinerja.regimes._numeric`. ``evaluate_pp46`` and ``evaluate_pp30`` here, with their former signature
``(policy, rules, dataset)``, are deprecated.
"""

from __future__ import annotations

import importlib
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, TextIO

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja.dataset.model import Dataset
from asn_kinerja.engine.render import dataset_header, display_order, policy_header
from asn_kinerja.engine.result import Explanation, Step
from asn_kinerja.engine.table import Column, ResultTable, json_document, text_table
from asn_kinerja.errors import PolicyError, Problem
from asn_kinerja.model import Direction, JenisJabatan, JenisRhk, PredikatPp30, SebutanPp46
from asn_kinerja.policy.model import Policy
from asn_kinerja.policy.numeric import Pp30Rules, Pp46Rules

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


def percent(weight: Decimal) -> str:
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
            "bobot": Column.text("bobot", [f"{percent(r.bobot[0])}/{percent(r.bobot[1])}" for r in results]),
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

    def write_csv(self, file: TextIO) -> None:
        """Write :meth:`to_csv`'s text to an open text file, piece by piece.

        >>> import io, asn_kinerja
        >>> data = asn_kinerja.load_dataset("examples/historical/data-2021")
        >>> file = io.StringIO()
        >>> asn_kinerja.evaluate(asn_kinerja.load_policy("pp-30-2019"), data).write_csv(file)
        >>> lines = file.getvalue().splitlines()
        >>> lines[0].split(",")[:4], len(lines) - 1
        (['employee_id', 'name', 'unit_id', 'iki'], 12)
        """
        self.table().write_csv(file)

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
    ...     RencanaHasilKerja, RatingRecord, Target, Unit)
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
    ...     ratings=[RatingRecord(e, s or "SEKDA", RaterGroup.ATASAN, c, Decimal(80)) for e, s in people.items()
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
    """Deprecated: the evaluator is :func:`asn_kinerja.regimes.pp46_2011.evaluate_pp46` ``(policy, dataset)``,
    the policy carrying its ``pp46`` section. Evaluates ``dataset`` under ``policy`` with ``rules`` as its section,
    with a :class:`DeprecationWarning`."""
    return _moved_evaluator("pp46_2011", "pp46", attrs.evolve(policy, pp46=rules), dataset)


def evaluate_pp30(policy: Policy, rules: Pp30Rules, dataset: Dataset) -> NumericEvaluation:
    """Deprecated: the evaluator is :func:`asn_kinerja.regimes.pp30_2019.evaluate_pp30` ``(policy, dataset)``,
    the policy carrying its ``pp30`` section. Evaluates ``dataset`` under ``policy`` with ``rules`` as its section,
    with a :class:`DeprecationWarning`."""
    return _moved_evaluator("pp30_2019", "pp30", attrs.evolve(policy, pp30=rules), dataset)


def _moved_evaluator(module: str, key: str, policy: Policy, dataset: Dataset) -> NumericEvaluation:
    new = f"asn_kinerja.regimes.{module}.evaluate_{key}(policy, dataset)"
    message = f"asn_kinerja.engine.numeric.evaluate_{key}(policy, rules, dataset) is deprecated: use {new}"
    warnings.warn(message, DeprecationWarning, stacklevel=3)
    regime = importlib.import_module(f"asn_kinerja.regimes.{module}").REGIME
    result: NumericEvaluation = regime.evaluate(policy, dataset)
    return result
