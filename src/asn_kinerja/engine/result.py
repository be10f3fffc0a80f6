"""Results of an evaluation: columns for the population, objects for one employee, and their renderings."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja.dataset.model import Dataset
from asn_kinerja.engine.settle import MISSING
from asn_kinerja.model import Adjustment, JenisJabatan, Predikat, RaterGroup, Rating
from asn_kinerja.policy.model import Policy
from asn_kinerja.policy.schema import Reference

__all__ = ["EmployeeResult", "Evaluation", "Explanation", "Step"]


@attrs.frozen
class Step:
    """One step from the inputs to the predikat: what was decided, its value, how, and on whose authority."""

    name: str
    value: str
    detail: str
    reference: Reference

    def __str__(self) -> str:
        return f"{self.name}: {self.value} — {self.detail} [{self.reference}]"

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.name,
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


def _scaled(value: np.int64) -> Decimal | None:
    return None if value == MISSING else Decimal(int(value)).scaleb(-2)


@attrs.frozen(eq=False)
class EmployeeResult:
    """One employee's result. ``predikat`` is final (after any adjustment); ``predikat_matrix`` is the matrix's."""

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
    _evaluation: Evaluation = attrs.field(repr=False)
    _row: int = attrs.field(repr=False)

    def explain(self) -> Explanation:
        """The steps from the inputs to the predikat, each with its value and the policy's (legal) reference."""
        return self._evaluation.explain_row(self._row)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with the official labels."""
        return {
            "employee_id": self.employee_id,
            "name": self.name,
            "unit_id": self.unit_id,
            "jenis_jabatan": self.jenis_jabatan.value,
            "rating_hasil_kerja": self.rating_hasil_kerja.label,
            "hasil_kerja_basis": self.hasil_kerja_basis,
            "rating_perilaku_kerja": self.rating_perilaku_kerja.label,
            "perilaku_kerja_basis": self.perilaku_kerja_basis,
            "predikat": self.predikat.label,
            "predikat_matrix": self.predikat_matrix.label,
            "capaian": None if self.capaian is None else str(self.capaian),
            "perilaku_score": None if self.perilaku_score is None else str(self.perilaku_score),
            "adjustment": None
            if self.adjustment is None
            else {
                "by": self.adjustment.by,
                "on": self.adjustment.on.isoformat(),
                "from": self.adjustment.from_predikat.label,
                "to": self.adjustment.to_predikat.label,
                "reason": self.adjustment.reason,
            },
        }


_COLUMNS = (
    "employee_id",
    "name",
    "unit_id",
    "rating_hasil_kerja",
    "rating_perilaku_kerja",
    "predikat",
    "basis",
)
_CSV_COLUMNS = (*_COLUMNS, "adjusted", "capaian", "perilaku_score")


@attrs.frozen(eq=False)
class Evaluation:
    """The evaluation of a dataset under a policy: per-employee columns, iterable as :class:`EmployeeResult`.

    ``evaluation["198001012005011001"]`` gives one employee's result; iteration is in (unit, employee id) order.
    """

    policy: Policy
    dataset: Dataset
    capaian_scaled: npt.NDArray[np.int64]
    rating_hasil_kerja: npt.NDArray[np.int8]
    hasil_kerja_given: npt.NDArray[np.bool_]
    perilaku_scaled: npt.NDArray[np.int64]
    per_criterion: npt.NDArray[np.float64]
    rating_counts: npt.NDArray[np.float64]
    rating_perilaku_kerja: npt.NDArray[np.int8]
    perilaku_kerja_given: npt.NDArray[np.bool_]
    predikat_matrix: npt.NDArray[np.int8]
    predikat: npt.NDArray[np.int8]
    adjustment: npt.NDArray[np.int32]
    groups: int

    def __len__(self) -> int:
        return len(self.predikat)

    def __repr__(self) -> str:
        counts = ", ".join(f"{p.label} {c}" for p, c in self.counts().items())
        return f"<Evaluation {self.policy.id} of {self.dataset.agency!r} ({len(self)} employees: {counts})>"

    def order(self) -> npt.NDArray[np.intp]:
        """Rows in output order: by unit id, then employee id."""
        emp = self.dataset.employees
        unit_ids = self.dataset.units.id[emp.unit].astype(str)
        return np.lexsort((emp.id.astype(str), unit_ids))

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
            hasil_kerja_basis="given" if self.hasil_kerja_given[row] else "suggested",
            rating_perilaku_kerja=Rating.from_code(int(self.rating_perilaku_kerja[row])),
            perilaku_kerja_basis="given" if self.perilaku_kerja_given[row] else "suggested",
            predikat_matrix=Predikat.from_code(int(self.predikat_matrix[row])),
            predikat=Predikat.from_code(int(self.predikat[row])),
            capaian=_scaled(self.capaian_scaled[row]),
            perilaku_score=_scaled(self.perilaku_scaled[row]),
            adjustment=None if k < 0 else self.dataset.adjustments[k],
            evaluation=self,
            row=row,
        )

    def counts(self) -> dict[Predikat, int]:
        """How many employees have each predikat (all five, best first)."""
        found = Counter(int(c) for c in self.predikat)
        return {p: found.get(p.code, 0) for p in Predikat}

    # --- explain ------------------------------------------------------------------------------------------
    def explain_row(self, row: int) -> Explanation:
        p = self.policy
        assert p.hasil_kerja is not None
        assert p.perilaku_kerja is not None
        res = self.result(row)
        steps: list[Step] = []
        sug = p.hasil_kerja.suggestion
        n_ind = int(np.count_nonzero(self.dataset.indicators.employee == row))
        cap = "—" if res.capaian is None else f"{res.capaian} %"
        if self.hasil_kerja_given[row]:
            steps.append(
                Step(
                    "capaian hasil kerja",
                    cap,
                    f"weighted capaian of {n_ind} indicator(s), shown as evidence",
                    p.reference_for("hasil_kerja.suggestion"),
                )
            )
            steps.append(
                Step(
                    "rating hasil kerja",
                    res.rating_hasil_kerja.label,
                    "given by the Pejabat Penilai Kinerja",
                    p.reference_for("hasil_kerja"),
                )
            )
        else:
            scope = "all RHK" if sug.include_tambahan else "RHK utama"
            steps.append(
                Step(
                    "capaian hasil kerja",
                    cap,
                    f"weighted capaian of the indicators of {scope}",
                    p.reference_for("hasil_kerja.suggestion"),
                )
            )
            steps.append(
                Step(
                    "rating hasil kerja",
                    res.rating_hasil_kerja.label,
                    f"suggested: capaian ≥ {sug.thresholds.di_atas} % Di Atas, ≥ {sug.thresholds.sesuai} % "
                    "Sesuai, else Di Bawah (a suggestion, not the evaluator's rating)",
                    p.reference_for("hasil_kerja.suggestion.thresholds"),
                )
            )
        pk = p.perilaku_kerja
        score = "—" if res.perilaku_score is None else str(res.perilaku_score)
        used = [g for g in RaterGroup if pk.weights.get(g, Decimal(0)) > 0]
        counted = int(self.rating_counts[row, [g.code for g in used]].sum())
        steps.append(
            Step(
                "skor perilaku kerja",
                score,
                f"{pk.strategy}: {counted} rating(s) from {', '.join(g.value for g in used)} over "
                f"{len(pk.criteria)} BerAKHLAK value(s), scale {pk.scale.min}–{pk.scale.max}",
                p.reference_for("perilaku_kerja.strategy"),
            )
        )
        if self.perilaku_kerja_given[row]:
            steps.append(
                Step(
                    "rating perilaku kerja",
                    res.rating_perilaku_kerja.label,
                    "given by the Pejabat Penilai Kinerja",
                    p.reference_for("perilaku_kerja"),
                )
            )
        else:
            steps.append(
                Step(
                    "rating perilaku kerja",
                    res.rating_perilaku_kerja.label,
                    f"suggested: score ≥ {pk.thresholds.di_atas} Di Atas, ≥ {pk.thresholds.sesuai} Sesuai, "
                    "else Di Bawah (a suggestion, not the evaluator's rating)",
                    p.reference_for("perilaku_kerja.thresholds"),
                )
            )
        assert p.matrix is not None
        official = "the official matrix" if p.matrix.is_official() else "the policy's own matrix (not the official one)"
        steps.append(
            Step(
                "predikat",
                res.predikat_matrix.label,
                f"{official}: hasil kerja {res.rating_hasil_kerja.label} × perilaku kerja "
                f"{res.rating_perilaku_kerja.label}",
                p.reference_for("matrix"),
            )
        )
        if res.adjustment is not None:
            a = res.adjustment
            steps.append(
                Step(
                    "penyesuaian",
                    a.to_predikat.label,
                    f"adjusted by {a.by} on {a.on.isoformat()} from {a.from_predikat.label}: {a.reason}",
                    Reference(title="PP 30/2019", article="Pasal 59 (keberatan)"),
                )
            )
        return Explanation(res.employee_id, tuple(steps))

    # --- renderings ---------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready result: ``{"policy": …, "dataset": …, "summary": …, "employees": [...]}``."""
        p = self.policy
        return {
            "policy": {
                "id": p.id,
                "title": p.title,
                "regime": p.regime,
                "valid_from": p.valid_from.isoformat(),
                "valid_until": None if p.valid_until is None else p.valid_until.isoformat(),
                "reference": attrs.asdict(p.reference),
            },
            "dataset": {
                "agency": self.dataset.agency,
                "period": self.dataset.period.id,
                "start": self.dataset.period.start.isoformat(),
                "end": self.dataset.period.end.isoformat(),
            },
            "summary": {"employees": len(self), "predikat": {k.label: v for k, v in self.counts().items()}},
            "employees": [r.to_dict() for r in self],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text (UTF-8 characters kept, keys in a fixed order)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent) + "\n"

    def rows(self) -> list[dict[str, str]]:
        """One flat dict per employee (the table and CSV columns)."""
        out = []
        for r in self:
            basis = "/".join(b[0].upper() for b in (r.hasil_kerja_basis, r.perilaku_kerja_basis))
            out.append(
                {
                    "employee_id": r.employee_id,
                    "name": r.name,
                    "unit_id": r.unit_id,
                    "rating_hasil_kerja": r.rating_hasil_kerja.label,
                    "rating_perilaku_kerja": r.rating_perilaku_kerja.label,
                    "predikat": r.predikat.label,
                    "adjusted": "yes" if r.adjustment else "",
                    "basis": basis,
                    "capaian": "" if r.capaian is None else str(r.capaian),
                    "perilaku_score": "" if r.perilaku_score is None else str(r.perilaku_score),
                }
            )
        return out

    def to_csv(self) -> str:
        """CSV text: one row per employee."""
        buf = io.StringIO()
        rows = self.rows()
        writer = csv.DictWriter(buf, fieldnames=list(_CSV_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buf.getvalue()

    def to_table(self) -> str:
        """A plain-text table for the terminal, with a legend and the predikat counts."""
        rows = [{**r, "predikat": r["predikat"] + (" *" if r["adjusted"] else "")} for r in self.rows()]
        heads = {
            "employee_id": "NIP",
            "name": "Nama",
            "unit_id": "Unit",
            "rating_hasil_kerja": "Hasil kerja",
            "rating_perilaku_kerja": "Perilaku kerja",
            "predikat": "Predikat",
            "basis": "Dasar",
        }
        widths = {c: max([len(heads[c]), *(len(r[c]) for r in rows)]) for c in _COLUMNS}
        line = "  ".join(heads[c].ljust(widths[c]) for c in _COLUMNS)
        out = [
            f"{self.dataset.agency} — periode {self.dataset.period.id} — kebijakan {self.policy.id}",
            "",
            line,
            "  ".join("-" * widths[c] for c in _COLUMNS),
        ]
        out += ["  ".join(r[c].ljust(widths[c]) for c in _COLUMNS).rstrip() for r in rows]
        out += [
            "",
            "Dasar: G = given by the evaluator, S = suggested from evidence (hasil kerja/perilaku kerja); * = adjusted",
            "",
            "Predikat: " + ", ".join(f"{p.label} {c}" for p, c in self.counts().items()),
        ]
        return "\n".join(out) + "\n"
