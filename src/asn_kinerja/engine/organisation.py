"""The organisation's needs over a whole evaluation: each unit's distribution against its guidance, the
cascading of RHK, angka kredit of functional positions, and development needs.

All of it is computed column-wise; loops run over units or over the few records to report, never over people.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja._deprecation import renamed
from asn_kinerja.dataset.columns import factorize
from asn_kinerja.dataset.model import Dataset
from asn_kinerja.engine.render import PREDIKAT_SHORT, predikat_legend
from asn_kinerja.engine.table import Chunk, Column, ResultTable, join_chunk
from asn_kinerja.errors import DataError, Problem
from asn_kinerja.model import JenisJabatan, JenisRhk, Predikat, PredikatOrganisasi
from asn_kinerja.policy.organisation import DistributionRules
from asn_kinerja.rules import angka_kredit_2023
from asn_kinerja.rules.distribution import (
    DISTRIBUTION_REFERENCE,
    DistributionOptions,
    DistributionReport,
    distribution_report,
)

__all__ = [
    "CascadeIssue",
    "UnitColumns",
    "UnitReport",
    "angka_kredit_column",
    "cascade_issues",
    "cascade_json",
    "leaders",
    "unit_columns",
    "unit_columns_json_chunks",
    "unit_objects",
    "unit_reports",
    "unit_table",
    "units_json",
    "units_json_chunks",
    "units_text",
]


#: The employee predikat in code order (iterating the enum class itself is slow in a loop over units).
_PREDIKAT = tuple(sorted(Predikat, key=lambda p: p.code))


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
    development: Mapping[str, int] = attrs.field(factory=dict)

    @property
    def training(self) -> Mapping[str, int]:
        """Deprecated: :attr:`development`."""
        renamed("UnitReport.training", "UnitReport.development")
        return self.development

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
            "development": dict(self.development),
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


def units_json(units: Sequence[UnitReport], *, indent: int | None = 2, level: int = 0) -> Iterator[str]:
    """The units as a JSON array (each :meth:`UnitReport.to_dict`) in pieces, written column by column: the counts
    and shares per predikat from integer columns (shares half-up to 2 decimals, exactly), the distribution report
    made once per distinct report, the development needs once per set of themes."""
    return map(join_chunk, units_json_chunks(units, indent=indent, level=level))


def units_json_chunks(units: Sequence[UnitReport], *, indent: int | None = 2, level: int = 0) -> Iterator[Chunk]:
    """The pieces of :func:`units_json` as :data:`~asn_kinerja.engine.table.Chunk` values."""
    of_counts = operator.itemgetter(*_PREDIKAT)
    matrix = np.array([of_counts(u.counts) for u in units], dtype=np.int64).reshape(len(units), len(_PREDIKAT))
    org = np.array([-1 if u.predikat_organisasi is None else u.predikat_organisasi.code for u in units], dtype=np.intp)
    nested = level + 2
    return _units_json_chunks(
        [u.unit_id for u in units],
        [u.name for u in units],
        org,
        matrix,
        [
            ("distribution", _distribution_texts(units, indent, nested)),
            ("development", _development_texts(units, indent, nested)),
        ],
        indent=indent,
        level=level,
    )


def unit_columns_json_chunks(columns: UnitColumns, *, indent: int | None = 2, level: int = 0) -> Iterator[Chunk]:
    """:func:`units_json_chunks` of :func:`unit_objects` straight from the columns (no object per unit): the same
    text."""
    nested = level + 2
    reports = np.array(["null", *_report_texts(columns.reports, indent, nested).tolist()], dtype=object)
    return _units_json_chunks(
        columns.unit_id,
        columns.name,
        columns.predikat_organisasi,
        columns.counts,
        [
            ("distribution", reports[columns.report_of + 1]),
            ("development", _theme_texts(columns.development, len(columns.unit_id), indent, nested)),
        ],
        indent=indent,
        level=level,
    )


def _units_json_chunks(
    ids: list[str],
    names: list[str],
    org: npt.NDArray[np.intp],
    counts: npt.NDArray[np.int64],
    nested: list[tuple[str, npt.NDArray[np.object_]]],
    *,
    indent: int | None,
    level: int,
) -> Iterator[Chunk]:
    """The units' JSON array from their columns: ids, names, organisation predikat codes (-1 where none), counts
    per predikat code, and the texts of the nested members (distribution, development) made at ``level + 2``."""
    from asn_kinerja.engine.table import code_table, json_array_chunks, json_strings, text_values

    def texts(values: Iterable[Any]) -> npt.NDArray[np.object_]:
        return json_strings(text_values(values))

    fields = [
        ("unit_id", texts(ids)),
        ("name", texts(names)),
        ("predikat_organisasi", json_strings(code_table(PredikatOrganisasi, labels=False))[org]),
        ("predikat_organisasi_label", json_strings(code_table(PredikatOrganisasi, labels=True))[org]),
        *_count_matrix_fields(counts, indent, level + 2),
        *nested,
    ]
    return json_array_chunks(fields, len(ids), indent=indent, level=level)


def _count_fields(
    counts: Sequence[Mapping[Predikat, int]], indent: int | None, level: int
) -> list[tuple[str, npt.NDArray[np.object_]]]:
    """The ``n``, ``counts`` and ``shares`` members of each row's JSON object from its counts per predikat, the
    objects made at ``level`` (shares half-up to 2 decimals, exactly, from integer columns)."""
    of_counts = operator.itemgetter(*_PREDIKAT)
    matrix = np.array([of_counts(c) for c in counts], dtype=np.int64).reshape(len(counts), len(_PREDIKAT))
    return _count_matrix_fields(matrix, indent, level)


def _count_matrix_fields(
    matrix: npt.NDArray[np.int64], indent: int | None, level: int
) -> list[tuple[str, npt.NDArray[np.object_]]]:
    """:func:`_count_fields` from the counts as a matrix (a row per report, a column per predikat code)."""
    from asn_kinerja.engine.settle import half_up
    from asn_kinerja.engine.table import decimal_strings, json_objects, json_strings

    m = len(matrix)
    n = matrix.sum(axis=1)
    shares = half_up(100 * matrix, np.maximum(n, 1)[:, None], 2)
    return [
        ("n", _ints(n)),
        (
            "counts",
            json_objects([(p.value, _ints(matrix[:, p.code])) for p in _PREDIKAT], m, indent=indent, level=level),
        ),
        (
            "shares",
            json_objects(
                [(p.value, json_strings(decimal_strings(shares[:, p.code]))) for p in _PREDIKAT],
                m,
                indent=indent,
                level=level,
            ),
        ),
    ]


def _ints(values: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.object_]:
    """Integers as JSON text, one formatting per distinct value."""
    if not len(values):
        return np.empty(0, dtype=object)
    distinct, inverse = np.unique(values, return_inverse=True)
    texts = np.array([str(v) for v in distinct.tolist()], dtype=object)
    out: npt.NDArray[np.object_] = texts[inverse.ravel()]
    return out


def _distribution_texts(units: Sequence[UnitReport], indent: int | None, level: int) -> npt.NDArray[np.object_]:
    """Each unit's distribution report as JSON text made at ``level``, one per distinct report object (units with
    the same organisation predikat and counts share one: :func:`unit_reports`), the reports written column by
    column (:func:`_report_texts`)."""
    position: dict[int, int] = {}
    reports: list[DistributionReport | None] = []
    at = np.empty(len(units), dtype=np.intp)
    for i, u in enumerate(units):
        k = position.get(id(u.distribution))
        if k is None:
            k = position[id(u.distribution)] = len(reports)
            reports.append(u.distribution)
        at[i] = k
    texts = np.full(len(reports), "null", dtype=object)
    given = [i for i, r in enumerate(reports) if r is not None]
    texts[given] = _report_texts([r for r in reports if r is not None], indent, level)
    out: npt.NDArray[np.object_] = texts[at]
    return out


def _report_texts(reports: Sequence[DistributionReport], indent: int | None, level: int) -> npt.NDArray[np.object_]:
    """The JSON text of each report's :meth:`~asn_kinerja.rules.distribution.DistributionReport.to_dict` made at
    ``level``: counts and shares (half-up to 2 decimals, exactly) from an integer matrix, the violations of all
    reports as one column of objects, the options once per distinct options."""
    from asn_kinerja.engine.table import json_objects, json_strings, json_text

    m, nested = len(reports), level + 1
    options: dict[DistributionOptions, str] = {}
    for r in reports:
        if r.options not in options:
            options[r.options] = json_text(r.options.to_dict(), indent=indent, level=nested)
    fields = [
        ("predikat_organisasi", json_strings(np.array([r.predikat_organisasi.value for r in reports], dtype=object))),
        ("reference", json_strings(np.full(m, DISTRIBUTION_REFERENCE, dtype=object))),
        ("ok", np.array(["false", "true"], dtype=object)[np.array([r.ok for r in reports], dtype=np.intp)]),
        *_count_fields([r.counts for r in reports], indent, nested),
        ("violations", _violation_lists(reports, indent, nested)),
        ("options", np.array([options[r.options] for r in reports], dtype=object)),
        ("note", json_strings(np.array([r.note for r in reports], dtype=object))),
    ]
    return json_objects(fields, m, indent=indent, level=level)


def _violation_lists(reports: Sequence[DistributionReport], indent: int | None, level: int) -> npt.NDArray[np.object_]:
    """Each report's violations (:meth:`~asn_kinerja.rules.distribution.Violation.to_dict`) as a JSON list made at
    ``level``: the violations of all reports made as one column of objects, then listed per report."""
    from asn_kinerja.engine.table import json_array, json_objects, json_texts

    found = [v.to_dict() for r in reports for v in r.violations]
    keys = list(found[0]) if found else []
    objects = json_objects(
        [(key, json_texts([v[key] for v in found], indent=indent)) for key in keys],
        len(found),
        indent=indent,
        level=level + 1,
    )
    out = np.empty(len(reports), dtype=object)
    start = 0
    for i, r in enumerate(reports):
        out[i] = json_array(objects[start : start + len(r.violations)], indent=indent, level=level)
        start += len(r.violations)
    return out


def _development_texts(units: Sequence[UnitReport], indent: int | None, level: int) -> npt.NDArray[np.object_]:
    """Each unit's development needs (``{theme: count}``) as JSON text made at ``level``: the units are grouped by
    their set of themes, and each group's objects are made column by column."""
    from asn_kinerja.engine.table import json_objects

    groups: dict[tuple[str, ...], list[int]] = {}
    for i, u in enumerate(units):
        groups.setdefault(tuple(u.development), []).append(i)
    out = np.empty(len(units), dtype=object)
    for themes, members in groups.items():
        rows = [units[i].development for i in members]
        fields = [(t, _ints(np.array([r[t] for r in rows], dtype=np.int64))) for t in themes]
        out[members] = json_objects(fields, len(members), indent=indent, level=level)
    return out


def _theme_texts(
    themes: Mapping[str, npt.NDArray[np.int64]], m: int, indent: int | None, level: int
) -> npt.NDArray[np.object_]:
    """:func:`_development_texts` from a column of counts per theme: each unit's object holds the themes it counts
    (in the themes' order); the units are grouped by that set and each group's objects made column by column."""
    from asn_kinerja.engine.table import json_objects

    names = list(themes)
    sets = np.zeros(m, dtype=np.int64)
    for j, counts in enumerate(themes.values()):
        sets |= (counts > 0).astype(np.int64) << j
    out = np.full(m, "{}", dtype=object)
    for chosen in np.unique(sets).tolist():
        members = np.flatnonzero(sets == chosen)
        fields = [(t, _ints(themes[t][members])) for j, t in enumerate(names) if chosen >> j & 1]
        out[members] = json_objects(fields, len(members), indent=indent, level=level)
    return out


#: Short forms of the predikat in the people's unit reports.
def units_text(units: Sequence[UnitReport], issues: Sequence[CascadeIssue], *, title: str) -> str:
    """The per-unit report for people: each unit's predikat counts against its guidance (reported, never
    relabelled), its development needs, then the cascading defects of the plans."""
    out = [title, ""]
    for u in units:
        org = "—" if u.predikat_organisasi is None else u.predikat_organisasi.label
        counts = "  ".join(f"{PREDIKAT_SHORT[p]} {u.counts[p]}" for p in Predikat)
        verdict = (
            "no organisation predikat" if u.ok is None else "meets the guidance" if u.ok else "VIOLATES the guidance"
        )
        out.append(f"{u.unit_id} — {u.name}")
        out.append(f"  predikat organisasi: {org}; {u.n} evaluated: {counts}; {verdict}")
        if u.distribution is not None:
            out += [
                f"    - {v.text}: required {v.required_text}, actual {v.actual_text}" for v in u.distribution.violations
            ]
        if u.development:
            needs = "; ".join(f"{theme} {count}" for theme, count in u.development.items())
            out.append("  kebutuhan pengembangan: " + needs)
        out.append("")
    out.append(f"({predikat_legend()}; the guidance is SE MenPANRB 3/2023, reported, never applied to anyone)")
    out += ["", f"Cascading: {len(issues)} RHK with a planning defect"]
    out += [f"  {c.rhk_id} ({c.employee_id}): {c.message}" for c in issues]
    return "\n".join(out) + "\n"


def _percent(count: int, n: int) -> str:
    from asn_kinerja._numbers import round_to

    return str(round_to(Fraction(100 * count, n), 2)) if n else "0.00"


@attrs.frozen(eq=False)
class UnitColumns:
    """The per-unit report as columns, one row per unit in unit id order (what :func:`unit_reports` makes its
    objects from and :func:`unit_columns_json_chunks` writes without them): ids and names (their ``str``), the
    organisation predikat codes (-1 where none), the counts per employee predikat (a column per predikat code), the
    development needs per theme, and each unit's distribution report as its position in ``reports`` (one report per
    distinct organisation predikat and counts; -1 where none)."""

    unit_id: list[str]
    name: list[str]
    predikat_organisasi: npt.NDArray[np.intp]
    counts: npt.NDArray[np.int64]
    development: dict[str, npt.NDArray[np.int64]]
    reports: list[DistributionReport]
    report_of: npt.NDArray[np.intp]


def unit_columns(
    dataset: Dataset,
    predikat: npt.NDArray[np.int8],
    rules: DistributionRules | None,
    development: Mapping[str, npt.NDArray[np.bool_]] | None = None,
) -> UnitColumns:
    """Per unit (in unit id order): counts of employee predikat (two ``np.bincount`` calls over the population)
    and, where the unit has an organisation predikat and the policy has distribution rules, the guidance check
    (once per distinct organisation predikat and counts)."""
    emp = dataset.employees
    units = dataset.units
    kinds = len(Predikat)
    counted = np.ones(len(emp), dtype=bool)
    if rules is not None and not rules.count_leader:
        counted &= ~leaders(dataset)
    key = emp.unit.astype(np.int64) * kinds + predikat
    counts = np.bincount(key[counted & (predikat >= 0)], minlength=len(units) * kinds).reshape(len(units), kinds)
    order = np.argsort(units.id.astype(str), kind="stable")
    orgs = np.asarray(units.predikat_organisasi, dtype=np.intp)[order]
    counts = counts[order].astype(np.int64)
    report_of = np.full(len(order), -1, dtype=np.intp)
    reports: list[DistributionReport] = []
    if rules is not None:
        checked: dict[tuple[int, ...], int] = {}  # one check per distinct (predikat, counts)
        for i, (org, row) in enumerate(zip(orgs.tolist(), counts.tolist(), strict=True)):
            if org < 0:
                continue
            k = checked.get((org, *row))
            if k is None:
                k = checked[(org, *row)] = len(reports)
                by = {p: row[p.code] for p in _PREDIKAT}
                reports.append(distribution_report(PredikatOrganisasi.from_code(org), by, rules.options))
            report_of[i] = k
    development_counts = {
        name: np.bincount(emp.unit[flags], minlength=len(units)).astype(np.int64)[order]
        for name, flags in (development or {}).items()
    }
    for array in (orgs, counts, report_of, *development_counts.values()):
        array.flags.writeable = False  # the columns may be kept and read again (an evaluation makes them once)
    return UnitColumns(
        unit_id=[str(v) for v in units.id[order].tolist()],
        name=[str(v) for v in units.name[order].tolist()],
        predikat_organisasi=orgs,
        counts=counts,
        development=development_counts,
        reports=reports,
        report_of=report_of,
    )


def unit_reports(
    dataset: Dataset,
    predikat: npt.NDArray[np.int8],
    rules: DistributionRules | None,
    development: Mapping[str, npt.NDArray[np.bool_]] | None = None,
) -> list[UnitReport]:
    """Per unit (in unit id order): counts of employee predikat and, where the unit has an organisation predikat
    and the policy has distribution rules, the guidance check (:func:`unit_columns` as objects)."""
    return unit_objects(unit_columns(dataset, predikat, rules, development))


def unit_objects(columns: UnitColumns) -> list[UnitReport]:
    """A :class:`UnitReport` per row of ``columns`` (units with the same counts share one mapping, copied)."""
    tallies: dict[tuple[int, ...], dict[Predikat, int]] = {}  # one mapping per distinct counts, copied per unit
    needs = {name: t.tolist() for name, t in columns.development.items()}
    organisation = [None, *(PredikatOrganisasi.from_code(c) for c in range(len(PredikatOrganisasi)))]  # code + 1
    rows, orgs, report_of = columns.counts.tolist(), columns.predikat_organisasi.tolist(), columns.report_of.tolist()
    out = []
    for u, row in enumerate(rows):
        by = tallies.get(tuple(row))
        if by is None:
            by = tallies[tuple(row)] = {p: row[p.code] for p in _PREDIKAT}
        out.append(
            UnitReport(
                unit_id=columns.unit_id[u],
                name=columns.name[u],
                predikat_organisasi=organisation[orgs[u] + 1],
                counts=by.copy(),
                distribution=None if report_of[u] < 0 else columns.reports[report_of[u]],
                development={name: t[u] for name, t in needs.items() if t[u] > 0},
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


def cascade_json(issues: Sequence[CascadeIssue], *, indent: int | None = 2, level: int = 0) -> str:
    """The issues as a JSON list (each :meth:`CascadeIssue.to_dict`) made at ``level``, written column by column.

    >>> cascade_json([CascadeIssue("E1", "R1", "none", "no RHK")], indent=None)
    '[{"employee_id": "E1", "rhk_id": "R1", "kind": "none", "message": "no RHK"}]'
    """
    from asn_kinerja.engine.table import json_array, json_objects, json_strings, text_values

    names = [field.name for field in attrs.fields(CascadeIssue)]
    columns = [(name, json_strings(text_values([getattr(i, name) for i in issues]))) for name in names]
    return json_array(json_objects(columns, len(issues), indent=indent, level=level + 1), indent=indent, level=level)


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
    rows = np.flatnonzero(nothing | missing | wrong)
    employee_ids, rhk_ids = emp.id, rhk.id  # each property made once, not once per issue
    for r, who, rid, is_missing, is_nothing in zip(
        rows.tolist(),
        map(str, employee_ids[owner[rows]].tolist()),
        map(str, rhk_ids[rows].tolist()),
        missing[rows].tolist(),
        nothing[rows].tolist(),
        strict=True,
    ):
        if is_missing:
            ref = rhk.intervensi_id[r]
            issues.append(CascadeIssue(who, rid, "missing", f"intervenes RHK {ref!r}, which does not exist"))
        elif is_nothing:
            issues.append(CascadeIssue(who, rid, "none", "an RHK utama that intervenes no RHK of the superior"))
        else:
            issues.append(
                CascadeIssue(
                    who,
                    rid,
                    "not_superior",
                    f"intervenes RHK {rhk_ids[target[r]]} of {employee_ids[target_owner[r]]}, not of the direct "
                    f"superior {employee_ids[superior[r]]}",
                )
            )
    return sorted(issues, key=operator.attrgetter("rhk_id", "employee_id"))


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
                record=emp.id_at(row),
                field="jenjang",
            )
        )
    return out, problems
