"""The organisation's needs over a whole evaluation: each unit's distribution against its guidance, the
cascading of RHK, angka kredit of functional positions, and development needs.

All of it is computed column-wise; loops run over units or over the few records to report, never over people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja.dataset.columns import factorize
from asn_kinerja.dataset.model import Dataset
from asn_kinerja.engine.table import Column, ResultTable
from asn_kinerja.errors import DataError, Problem
from asn_kinerja.model import JenisJabatan, JenisRhk, Predikat, PredikatOrganisasi
from asn_kinerja.policy.organisation import DistributionRules
from asn_kinerja.rules import angka_kredit_2023
from asn_kinerja.rules.distribution import DistributionReport, check_distribution

__all__ = [
    "CascadeIssue",
    "UnitReport",
    "angka_kredit_column",
    "cascade_issues",
    "leaders",
    "unit_reports",
    "unit_table",
    "units_json",
    "units_text",
]


def leaders(dataset: Dataset) -> npt.NDArray[np.bool_]:
    """Employees who lead their unit: their superior is outside the unit (or they have none)."""
    emp = dataset.employees
    sup = emp.superior
    outside = np.where(sup >= 0, emp.unit[np.maximum(sup, 0)] != emp.unit, True)
    result: npt.NDArray[np.bool_] = np.asarray(outside, dtype=bool)
    return result


@attrs.frozen
class UnitReport:
    """One unit's evaluated staff: organisation predikat, counts and shares of employee predikat, and the
    distribution guidance's verdict (``None`` where the unit has no organisation predikat)."""

    unit_id: str
    name: str
    predikat_organisasi: PredikatOrganisasi | None
    counts: Mapping[Predikat, int]
    distribution: DistributionReport | None
    training: Mapping[str, int] = attrs.field(factory=dict)

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    @property
    def ok(self) -> bool | None:
        return None if self.distribution is None else self.distribution.ok

    def to_dict(self) -> dict[str, Any]:
        n = self.n
        return {
            "unit_id": self.unit_id,
            "name": self.name,
            "predikat_organisasi": None if self.predikat_organisasi is None else self.predikat_organisasi.value,
            "predikat_organisasi_label": None if self.predikat_organisasi is None else self.predikat_organisasi.label,
            "n": n,
            "counts": {p.value: c for p, c in self.counts.items()},
            "shares": {p.value: _percent(c, n) for p, c in self.counts.items()},
            "distribution": None if self.distribution is None else self.distribution.to_dict(),
            "training": dict(self.training),
        }


def unit_table(units: Sequence[UnitReport]) -> ResultTable:
    """Units as a result table (one row per unit): ids, the organisation predikat with its label beside it, the
    counts per employee predikat (by identifier), the guidance verdict and its violations."""
    org = [u.predikat_organisasi for u in units]
    return ResultTable(
        (
            Column.text("unit_id", [u.unit_id for u in units]),
            Column.text("name", [u.name for u in units]),
            Column.text("predikat_organisasi", [None if p is None else p.value for p in org]),
            Column.text("predikat_organisasi_label", [None if p is None else p.label for p in org]),
            Column.text("n", [u.n for u in units]),
            *(Column.text(p.value, [u.counts[p] for u in units]) for p in Predikat),
            Column.text("guidance", [None if u.ok is None else "ok" if u.ok else "violated" for u in units]),
            Column.text(
                "violations",
                [
                    None if u.distribution is None else "; ".join(str(v) for v in u.distribution.violations)
                    for u in units
                ],
            ),
        )
    )


def units_json(units: Sequence[UnitReport], *, indent: int | None = 2, level: int = 0) -> str:
    """The units as a JSON array (each :meth:`UnitReport.to_dict`), written column by column: the counts and
    shares per predikat from integer columns (shares half-up to 2 decimals, exactly), nested values dumped once per
    distinct value."""
    from asn_kinerja.engine.settle import half_up
    from asn_kinerja.engine.table import decimal_strings, json_array, json_objects, json_texts, json_values

    m = len(units)
    counts = np.array([[u.counts[p] for p in Predikat] for u in units], dtype=np.int64).reshape(m, len(Predikat))
    n = counts.sum(axis=1)
    table = unit_table(units)

    def texts(name: str) -> npt.NDArray[np.object_]:
        return json_values(table[name])

    def ints(values: npt.NDArray[np.int64]) -> npt.NDArray[np.object_]:
        return np.array([str(v) for v in values.tolist()], dtype=object)

    def quoted(values: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
        return np.array([f'"{v}"' for v in values.tolist()], dtype=object)

    def moved(values: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
        pad = "\n" + " " * (indent * (level + 2)) if indent is not None else ""
        return np.array([v.replace("\n", pad) for v in values.tolist()], dtype=object) if pad else values

    shares = half_up(100 * counts, np.maximum(n, 1)[:, None], 2)
    objects = json_objects(
        [
            ("unit_id", texts("unit_id")),
            ("name", texts("name")),
            ("predikat_organisasi", texts("predikat_organisasi")),
            ("predikat_organisasi_label", texts("predikat_organisasi_label")),
            ("n", ints(n)),
            ("counts", moved(json_objects([(p.value, ints(counts[:, p.code])) for p in Predikat], m, indent=indent))),
            (
                "shares",
                moved(
                    json_objects(
                        [(p.value, quoted(decimal_strings(shares[:, p.code]))) for p in Predikat], m, indent=indent
                    )
                ),
            ),
            (
                "distribution",
                moved(_distribution_texts(units, indent)),
            ),
            ("training", moved(json_texts([dict(u.training) for u in units], indent=indent))),
        ],
        m,
        indent=indent,
        level=level + 1,
    )
    return json_array(objects, indent=indent, level=level)


def _distribution_texts(units: Sequence[UnitReport], indent: int | None) -> npt.NDArray[np.object_]:
    """Each unit's distribution report as JSON text, one dump per distinct report object (units with the same
    organisation predikat and counts share one: :func:`unit_reports`)."""
    from asn_kinerja.engine.table import json_texts

    first: dict[int, int] = {}
    for i, u in enumerate(units):
        first.setdefault(id(u.distribution), i)
    distinct = list(first.values())
    reports = [units[i].distribution for i in distinct]
    texts = json_texts([None if r is None else r.to_dict() for r in reports], indent=indent)
    position = {id(units[i].distribution): k for k, i in enumerate(distinct)}
    out: npt.NDArray[np.object_] = texts[[position[id(u.distribution)] for u in units]]
    return out


#: Short forms of the predikat in the people's unit reports.
SHORT = {p: "".join(w[0] for w in p.label.replace("/", " ").split()[:2]).upper() for p in Predikat}


def units_text(units: Sequence[UnitReport], issues: Sequence[CascadeIssue], *, title: str) -> str:
    """The per-unit report for people: each unit's predikat counts against its guidance (reported, never
    relabelled), its development needs, then the cascading defects of the plans."""
    out = [title, ""]
    for u in units:
        org = "—" if u.predikat_organisasi is None else u.predikat_organisasi.label
        counts = "  ".join(f"{SHORT[p]} {u.counts[p]}" for p in Predikat)
        verdict = (
            "no organisation predikat" if u.ok is None else "meets the guidance" if u.ok else "VIOLATES the guidance"
        )
        out.append(f"{u.unit_id} — {u.name}")
        out.append(f"  predikat organisasi: {org}; {u.n} evaluated: {counts}; {verdict}")
        if u.distribution is not None:
            out += [
                f"    - {v.text}: required {v.required_text}, actual {v.actual_text}" for v in u.distribution.violations
            ]
        if u.training:
            out.append("  kebutuhan pelatihan: " + "; ".join(f"{theme} {count}" for theme, count in u.training.items()))
        out.append("")
    legend = ", ".join(f"{SHORT[p]} = {p.label}" for p in Predikat)
    out.append(f"({legend}; the guidance is SE MenPANRB 3/2023, reported, never applied to anyone)")
    out += ["", f"Cascading: {len(issues)} RHK with a planning defect"]
    out += [f"  {c.rhk_id} ({c.employee_id}): {c.message}" for c in issues]
    return "\n".join(out) + "\n"


def _percent(count: int, n: int) -> str:
    from asn_kinerja._numbers import round_to

    return str(round_to(Fraction(100 * count, n), 2)) if n else "0.00"


def unit_reports(
    dataset: Dataset,
    predikat: npt.NDArray[np.int8],
    rules: DistributionRules | None,
    training: Mapping[str, npt.NDArray[np.bool_]] | None = None,
) -> list[UnitReport]:
    """Per unit (in unit id order): counts of employee predikat (two ``np.bincount`` calls over the population)
    and, where the unit has an organisation predikat and the policy has distribution rules, the guidance check."""
    emp = dataset.employees
    units = dataset.units
    kinds = len(Predikat)
    counted = np.ones(len(emp), dtype=bool)
    if rules is not None and not rules.count_leader:
        counted &= ~leaders(dataset)
    key = emp.unit.astype(np.int64) * kinds + predikat
    counts = np.bincount(key[counted & (predikat >= 0)], minlength=len(units) * kinds).reshape(len(units), kinds)
    themes = {name: np.bincount(emp.unit[flags], minlength=len(units)) for name, flags in (training or {}).items()}
    out = []
    checked: dict[tuple[int, ...], DistributionReport] = {}  # one check per distinct (predikat, counts)
    for u in np.argsort(units.id.astype(str), kind="stable"):
        org = int(units.predikat_organisasi[u])
        by = {p: int(counts[u, p.code]) for p in Predikat}
        report = None
        if org >= 0 and rules is not None:
            seen = (org, *(int(c) for c in counts[u].tolist()))
            if seen not in checked:
                checked[seen] = check_distribution(PredikatOrganisasi.from_code(org), by, options=rules.options)
            report = checked[seen]
        out.append(
            UnitReport(
                unit_id=str(units.id[u]),
                name=str(units.name[u]),
                predikat_organisasi=None if org < 0 else PredikatOrganisasi.from_code(org),
                counts=by,
                distribution=report,
                training={name: int(t[u]) for name, t in themes.items() if t[u] > 0},
            )
        )
    return out


@attrs.frozen
class CascadeIssue:
    """A planning defect in the cascading of RHK: what is wrong, with the employee and RHK ids."""

    employee_id: str
    rhk_id: str
    kind: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return attrs.asdict(self)


def cascade_issues(dataset: Dataset) -> list[CascadeIssue]:
    """RHK utama of employees with a superior that intervene nothing, intervene an RHK that does not exist, or
    intervene an RHK that is not their direct superior's (found column-wise, listed in RHK id order)."""
    rhk = dataset.rhk
    emp = dataset.employees
    owner = rhk.employee
    superior = emp.superior[owner]
    has_superior = superior >= 0
    utama = rhk.jenis == JenisRhk.UTAMA.code
    target = rhk.intervensi
    target_owner = np.where(target >= 0, rhk.employee[np.maximum(target, 0)], -1)
    nothing = has_superior & utama & (target == -1)
    missing = target == -2
    wrong = has_superior & (target >= 0) & (target_owner != superior)
    issues: list[CascadeIssue] = []
    for r in np.flatnonzero(nothing | missing | wrong):
        who, rid = str(emp.id[owner[r]]), str(rhk.id[r])
        if missing[r]:
            ref = rhk.intervensi_id[r]
            issues.append(CascadeIssue(who, rid, "missing", f"intervenes RHK {ref!r}, which does not exist"))
        elif nothing[r]:
            issues.append(CascadeIssue(who, rid, "none", "an RHK utama that intervenes no RHK of the superior"))
        else:
            other = str(rhk.id[target[r]])
            issues.append(
                CascadeIssue(
                    who,
                    rid,
                    "not_superior",
                    f"intervenes RHK {other} of {emp.id[target_owner[r]]}, not of the direct superior "
                    f"{emp.id[superior[r]]}",
                )
            )
    return sorted(issues, key=lambda i: (i.rhk_id, i.employee_id))


def angka_kredit_column(
    dataset: Dataset, predikat: npt.NDArray[np.int8], months: int
) -> tuple[npt.NDArray[np.object_], list[Problem]]:
    """Angka kredit of each JF employee for a period of ``months`` (``None`` for others), by the rule function
    :func:`~asn_kinerja.rules.angka_kredit_2023.angka_kredit` applied once per distinct (jenjang, predikat)."""
    emp = dataset.employees
    out = np.full(len(emp), None, dtype=object)
    problems: list[Problem] = []
    jf = np.flatnonzero((emp.jenis_jabatan == JenisJabatan.JF.code) & (predikat >= 0))
    if not len(jf):
        return out, problems
    # One rule call per distinct (jenjang, predikat): jenjang as codes (hashing the text once), pairs as integers.
    names = factorize(emp.jenjang[jf])
    pair_key = np.maximum(names.codes, -1).astype(np.int64) * len(Predikat) + predikat[jf]
    keys, inverse = np.unique(pair_key, return_inverse=True)
    values: list[Decimal | None] = []
    for key in keys.tolist():
        code, pred = divmod(key, len(Predikat))
        jenjang = "None" if code < 0 else str(names.categories[code])
        try:
            values.append(angka_kredit_2023.angka_kredit(jenjang, Predikat.from_code(pred), bulan=months))
        except DataError:
            values.append(None)
    table = np.empty(len(values), dtype=object)
    table[:] = values
    out[jf] = table[inverse.ravel()]
    unknown = np.array([v is None for v in values], dtype=bool)[inverse.ravel()]
    for row in jf[unknown]:
        problems.append(
            Problem(
                f"jenjang {emp.jenjang[row]!r} of a functional position has no angka kredit coefficient",
                source="employees",
                record=str(emp.id[row]),
                field="jenjang",
            )
        )
    return out, problems
