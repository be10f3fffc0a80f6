"""Validation of raw tables into a :class:`~asn_kinerja.dataset.Dataset`, collecting every problem.

Checks: required cells, identifiers unique and references resolvable (unit, superior, RHK, indicator, rater),
no superior cycle, codes from the vocabulary, numbers finite with at most 15 significant digits, targets and
weights positive, ranges ordered, scores on the scale, ratings in the role they claim (no one rates themselves as
a peer), survey answers 1–4. All problems are raised together as one :class:`~asn_kinerja.DataError`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

import numpy as np
import numpy.typing as npt

from asn_kinerja.dataset.model import (
    Dataset,
    EmployeeTable,
    IndicatorTable,
    RatingTable,
    RhkTable,
    SurveyTable,
    UnitTable,
)
from asn_kinerja.dataset.table import RawTable, _empty
from asn_kinerja.errors import DataError, Problem
from asn_kinerja.model import (
    Adjustment,
    Aspect,
    Direction,
    JenisJabatan,
    JenisRhk,
    LabelledEnum,
    Period,
    Predikat,
    PredikatOrganisasi,
    RaterGroup,
    Rating,
)

__all__ = ["SURVEY_COLUMNS", "build_dataset"]

MAX_DIGITS = 15
MAX_MAGNITUDE = 1e15
#: Survey columns: the nine unsur of PermenPANRB 14/2017, in order.
SURVEY_COLUMNS = tuple(f"u{i}" for i in range(1, 10))


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, table: RawTable, rows: Iterable[int | np.integer], field: str | None, message: str) -> None:
        for row in rows:
            self.problems.append(table.problem(int(row), field, message))

    def text(self, table: RawTable, col: str, *, required: bool) -> npt.NDArray[np.object_]:
        cells = table.column(col)
        out = np.empty(len(cells), dtype=object)
        missing = []
        for i, cell in enumerate(cells):
            if _empty(cell):
                out[i] = None
                missing.append(i)
            else:
                out[i] = str(cell).strip()
        if required and missing:
            if not table.has(col):
                self.problems.append(Problem(f"the column {col!r} is missing", source=table.source, field=col))
            else:
                self.add(table, missing, col, "a value is required")
        return out

    def codes(
        self,
        table: RawTable,
        col: str,
        enum: type[LabelledEnum],
        *,
        required: bool,
        default: LabelledEnum | None = None,
    ) -> npt.NDArray[np.int8]:
        cells = self.text(table, col, required=required and default is None)
        out = np.full(len(cells), -1 if default is None else default.code, dtype=np.int8)
        for i, cell in enumerate(cells):
            if cell is None:
                continue
            try:
                out[i] = enum.parse(cell).code
            except ValueError as exc:
                self.add(table, [i], col, str(exc))
        return out

    def numbers(
        self, table: RawTable, col: str, *, required: bool, positive: bool = False, non_negative: bool = False
    ) -> npt.NDArray[np.float64]:
        """A column of numbers as float64 holding each decimal exactly; NaN where the cell is empty.

        Text cells are parsed as decimals (``"nan"``, ``"inf"`` and more than 15 significant digits are errors);
        numeric arrays are taken as they are, NaN meaning an empty cell (the pandas convention).
        """
        cells = table.column(col)
        bad = np.zeros(len(cells), dtype=bool)  # reported already: no further check on these cells
        if cells.dtype.kind in "fiu":
            out = cells.astype(np.float64)
            bad = np.isinf(out)
            self.add(table, np.flatnonzero(bad), col, "must be a finite number")
            empty = np.isnan(out)
        else:
            out = np.zeros(len(cells))
            empty = np.zeros(len(cells), dtype=bool)
            for i, cell in enumerate(cells):
                if _empty(cell):
                    empty[i] = True
                    continue
                value = _parse_number(cell)
                if isinstance(value, str):
                    self.add(table, [i], col, value)
                    bad[i] = True
                else:
                    out[i] = value
        if required:
            if not table.has(col) and len(table):
                self.problems.append(Problem(f"the column {col!r} is missing", source=table.source, field=col))
            else:
                self.add(table, np.flatnonzero(empty), col, "a value is required")
        checked = ~empty & ~bad
        if positive:
            self.add(table, np.flatnonzero(checked & (out <= 0)), col, "must be greater than zero")
        if non_negative:
            self.add(table, np.flatnonzero(checked & (out < 0)), col, "must not be negative")
        out[empty | bad] = np.nan
        return out

    def unique_ids(self, table: RawTable, col: str) -> npt.NDArray[np.object_]:
        ids = self.text(table, col, required=True)
        seen: dict[str, int] = {}
        for i, value in enumerate(ids):
            if value is None:
                continue
            if value in seen:
                first = table.problem(seen[value], None, "").line
                where = f"line {first}" if first is not None else f"row {seen[value] + 1}"
                self.add(table, [i], col, f"duplicate id {value!r} (first at {where})")
            else:
                seen[value] = i
        return ids

    def refs(
        self,
        table: RawTable,
        col: str,
        index: Mapping[str, int],
        target: str,
        *,
        required: bool,
        unknown_is_error: bool = True,
    ) -> npt.NDArray[np.int32]:
        """Rows referenced by a column of ids: -1 where empty; an unknown id is a problem, or with
        ``unknown_is_error=False`` marked -2 (for what is reported later rather than refused)."""
        cells = self.text(table, col, required=required)
        out = np.full(len(cells), -1, dtype=np.int32)
        for i, cell in enumerate(cells):
            if cell is None:
                continue
            found = index.get(cell)
            if found is not None:
                out[i] = found
            elif unknown_is_error:
                self.add(table, [i], col, f"unknown {target} {cell!r}")
            else:
                out[i] = -2
        return out


def _is_nan(cell: object) -> bool:
    if isinstance(cell, float):
        return math.isnan(cell)
    return isinstance(cell, str) and cell.strip().lower() in ("nan", "+nan", "-nan")


def _parse_number(cell: object) -> float | str:
    """A float holding the cell's decimal exactly, or a message saying what is wrong."""
    if isinstance(cell, bool):
        return f"must be a number, got {cell!r}"
    if isinstance(cell, float | int | np.floating | np.integer):
        value = float(cell)
        return value if math.isfinite(value) else f"must be a finite number, got {cell!r}"
    text = str(cell).strip()
    if isinstance(cell, Decimal):
        dec = cell
    else:
        try:
            dec = Decimal(text)
        except InvalidOperation:
            hint = " (use a point as the decimal separator)" if "," in text else ""
            return f"must be a number, got {text!r}{hint}"
    if dec.is_nan():
        return "must be a number, got NaN"
    if not dec.is_finite():
        return f"must be a finite number, got {text!r}"
    digits = len(dec.normalize().as_tuple().digits)
    if digits > MAX_DIGITS:
        return f"has {digits} significant digits, more than the {MAX_DIGITS} kept exactly"
    value = float(dec)
    if not math.isfinite(value) or (value == 0.0 and dec != 0) or abs(value) > MAX_MAGNITUDE:
        return f"{text!r} is out of the range of numbers kept exactly (magnitude up to 1e15)"
    return value


def _index(ids: npt.NDArray[np.object_]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, value in enumerate(ids):
        if value is not None and value not in out:
            out[value] = i
    return out


def _cycle_members(superior: npt.NDArray[np.int32]) -> list[int]:
    """Rows whose chain of superiors loops (pointer doubling: a log number of whole-column steps)."""
    n = len(superior)
    anc = superior.astype(np.int64)
    for _ in range(max(1, math.ceil(math.log2(n + 1)) + 1)):
        anc = np.where(anc >= 0, anc[np.maximum(anc, 0)], -1)
    return sorted({int(a) for a in anc[anc >= 0]})


def build_dataset(
    *,
    agency: str,
    period: Period,
    scale: tuple[Decimal, Decimal],
    tables: Mapping[str, RawTable],
    source: str = "<records>",
) -> Dataset:
    """Validate raw tables (``units``, ``employees``, ``rhk``, ``indicators`` and optionally ``ratings``,
    ``evaluations``, ``surveys``, ``adjustments``) into a :class:`Dataset`; raise one
    :class:`~asn_kinerja.DataError` listing every problem."""
    c = _Checker()
    empty = {
        name: RawTable(name, f"{name} (none)", {}) for name in ("ratings", "evaluations", "surveys", "adjustments")
    }
    t = {**empty, **tables}
    for name in ("units", "employees", "rhk", "indicators"):
        if name not in t:
            raise DataError([Problem(f"the {name} table is missing", source=source)])

    units_raw = t["units"]
    unit_ids = c.unique_ids(units_raw, "unit_id")
    unit_index = _index(unit_ids)
    units = UnitTable(
        id=unit_ids,
        name=c.text(units_raw, "name", required=True),
        parent=c.refs(units_raw, "parent_id", unit_index, "unit", required=False),
        predikat_organisasi=c.codes(units_raw, "predikat_organisasi", PredikatOrganisasi, required=False),
        service_unit=_bools(c, units_raw, "service_unit"),
    )
    self_parent = np.flatnonzero(units.parent == np.arange(len(units)))
    c.add(units_raw, self_parent, "parent_id", "a unit cannot be its own parent")
    for row in _cycle_members(units.parent):
        if units.parent[row] != row:
            c.add(units_raw, [row], "parent_id", "the chain of parent units loops back to this unit")

    emp_raw = t["employees"]
    emp_ids = c.unique_ids(emp_raw, "employee_id")
    emp_index = _index(emp_ids)
    superior = c.refs(emp_raw, "superior_id", emp_index, "employee", required=False)
    own = np.flatnonzero(superior == np.arange(len(superior)))
    c.add(emp_raw, own, "superior_id", "an employee cannot be their own superior")
    loop = [r for r in _cycle_members(superior) if superior[r] != r]
    for row in loop:
        chain = [str(emp_ids[row])]
        nxt = int(superior[row])
        while nxt != row and len(chain) < 50:
            chain.append(str(emp_ids[nxt]))
            nxt = int(superior[nxt])
        c.add(emp_raw, [row], "superior_id", "the chain of superiors loops: " + " → ".join([*chain, chain[0]]))

    ev_raw = t["evaluations"]
    ev_emp = c.refs(ev_raw, "employee_id", emp_index, "employee", required=True)
    ev_hk = c.codes(ev_raw, "rating_hasil_kerja", Rating, required=False)
    ev_pk = c.codes(ev_raw, "rating_perilaku_kerja", Rating, required=False)
    rating_hk = np.full(len(emp_ids), -1, dtype=np.int8)
    rating_pk = np.full(len(emp_ids), -1, dtype=np.int8)
    seen_ev: dict[int, int] = {}
    for i, emp in enumerate(ev_emp):
        if emp < 0:
            continue
        if int(emp) in seen_ev:
            c.add(ev_raw, [i], "employee_id", f"a second evaluation of {emp_ids[emp]!r}")
        seen_ev[int(emp)] = i
        rating_hk[emp], rating_pk[emp] = ev_hk[i], ev_pk[i]

    employees = EmployeeTable(
        id=emp_ids,
        name=c.text(emp_raw, "name", required=True),
        unit=c.refs(emp_raw, "unit_id", unit_index, "unit", required=True),
        jenis_jabatan=c.codes(emp_raw, "jenis_jabatan", JenisJabatan, required=True),
        jenjang=c.text(emp_raw, "jenjang", required=False),
        superior=superior,
        rating_hasil_kerja=rating_hk,
        rating_perilaku_kerja=rating_pk,
        ide_baru=_ide_baru(c, ev_raw, ev_emp, len(emp_ids)),
    )

    rhk_raw = t["rhk"]
    rhk_ids = c.unique_ids(rhk_raw, "rhk_id")
    rhk_index = _index(rhk_ids)
    rhk = RhkTable(
        id=rhk_ids,
        employee=c.refs(rhk_raw, "employee_id", emp_index, "employee", required=True),
        jenis=c.codes(rhk_raw, "jenis", JenisRhk, required=False, default=JenisRhk.UTAMA),
        # An RHK cascading to an RHK that does not exist is a planning defect, reported by the evaluation.
        intervensi=c.refs(rhk_raw, "intervensi_id", rhk_index, "RHK", required=False, unknown_is_error=False),
        intervensi_id=c.text(rhk_raw, "intervensi_id", required=False),
        text=c.text(rhk_raw, "text", required=True),
    )

    ind = t["indicators"]
    ind_ids = c.unique_ids(ind, "indicator_id")
    ind_rhk = c.refs(ind, "rhk_id", rhk_index, "RHK", required=True)
    low, high = _targets(c, ind)
    indicators = IndicatorTable(
        id=ind_ids,
        rhk=ind_rhk,
        employee=np.where(ind_rhk >= 0, rhk.employee[np.maximum(ind_rhk, 0)], -1).astype(np.int32),
        text=c.text(ind, "text", required=True),
        aspect=c.codes(ind, "aspect", Aspect, required=False, default=Aspect.NONE),
        direction=c.codes(ind, "direction", Direction, required=False, default=Direction.HIGHER_IS_BETTER),
        satuan=c.text(ind, "satuan", required=False),
        target_low=low,
        target_high=high,
        weight=_weights(c, ind),
        realisasi=c.numbers(ind, "realisasi", required=False, non_negative=True),
        line=ind.line_array(),
        source=ind.source,
    )

    # An unresolved superior_id is reported once, not again through every rating that depends on it.
    superior_checked = np.where(_filled(emp_raw, "superior_id") & (superior < 0), -2, superior).astype(np.int32)
    superior_checked[own] = -2
    superior_checked[loop] = -2
    ratings = _ratings(c, t["ratings"], emp_index, scale, superior_checked)
    surveys = _surveys(c, t["surveys"], unit_index)
    adjustments = _adjustments(c, t["adjustments"], emp_index, emp_ids)

    if c.problems:
        raise DataError(c.problems)
    return Dataset(
        agency=agency,
        period=period,
        scale=scale,
        units=units,
        employees=employees,
        rhk=rhk,
        indicators=indicators,
        ratings=ratings,
        surveys=surveys,
        adjustments=adjustments,
        source=source,
    )


def _ide_baru(c: _Checker, raw: RawTable, ev_emp: npt.NDArray[np.int32], n: int) -> npt.NDArray[np.bool_] | None:
    """The ``ide_baru`` flag of evaluations.csv (PP 30/2019 Pasal 41) per employee; ``None`` without the column."""
    if not raw.has("ide_baru"):
        return None
    flags = _bools(c, raw, "ide_baru")
    out = np.zeros(n, dtype=bool)
    known = ev_emp >= 0
    out[ev_emp[known]] = flags[known]
    return out


def _bools(c: _Checker, table: RawTable, col: str) -> npt.NDArray[np.bool_]:
    cells = c.text(table, col, required=False)
    out = np.zeros(len(cells), dtype=bool)
    for i, cell in enumerate(cells):
        if cell is None:
            continue
        low = cell.lower()
        if low in ("true", "yes", "ya", "1"):
            out[i] = True
        elif low not in ("false", "no", "tidak", "0"):
            c.add(table, [i], col, f"must be true or false, got {cell!r}")
    return out


def _weights(c: _Checker, table: RawTable) -> npt.NDArray[np.float64]:
    if not table.has("weight"):
        return np.ones(len(table))
    weight = c.numbers(table, "weight", required=False, positive=True)
    return np.where(np.isnan(weight), 1.0, weight)


def _targets(c: _Checker, table: RawTable) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    value = c.numbers(table, "target", required=False, positive=True)
    low = c.numbers(table, "target_low", required=False, positive=True)
    high = c.numbers(table, "target_high", required=False, positive=True)
    has_value = ~np.isnan(value) | _filled(table, "target")
    has_range = ~np.isnan(low) | ~np.isnan(high) | _filled(table, "target_low") | _filled(table, "target_high")
    c.add(
        table,
        np.flatnonzero(has_value & has_range),
        "target",
        "give either target or target_low and target_high, not both",
    )
    neither = np.flatnonzero(~has_value & ~has_range)
    c.add(table, neither, "target", "a target is required (target, or target_low and target_high)")
    half = np.flatnonzero(has_range & (np.isnan(low) ^ np.isnan(high)) & ~has_value)
    c.add(
        table,
        [i for i in half if not _filled(table, "target_low")[i] or not _filled(table, "target_high")[i]],
        "target_low",
        "a range target needs both target_low and target_high",
    )
    out_low = np.where(has_range, low, value)
    out_high = np.where(has_range, high, value)
    c.add(
        table,
        np.flatnonzero(out_low > out_high),
        "target_low",
        "the range is reversed: target_low > target_high",
    )
    return out_low, out_high


def _filled(table: RawTable, col: str) -> npt.NDArray[np.bool_]:
    return np.array([not _empty(x) for x in table.column(col)], dtype=bool)


def _ratings(
    c: _Checker,
    raw: RawTable,
    emp_index: Mapping[str, int],
    scale: tuple[Decimal, Decimal],
    superior: npt.NDArray[np.int32],
) -> RatingTable:
    """Ratings in long form; ``superior`` is each employee's superior row (-1 none, -2 unresolved: not checked)."""
    ratee = c.refs(raw, "ratee_id", emp_index, "employee", required=True)
    rater_ids = c.text(raw, "rater_id", required=True)
    group = c.codes(raw, "group", RaterGroup, required=True)
    criterion = c.text(raw, "criterion", required=True)
    score = c.numbers(raw, "score", required=True)
    rater = np.full(len(raw), -1, dtype=np.int32)
    external = RaterGroup.PENGGUNA_LAYANAN.code
    seen: dict[tuple[int, str, str], int] = {}
    lo, hi = float(scale[0]), float(scale[1])
    for i in range(len(raw)):
        rid = rater_ids[i]
        if rid is None:
            continue
        found = emp_index.get(rid)
        # The head of the dataset (no superior_id) is rated by a Pejabat Penilai outside the agency.
        outside_atasan = group[i] == RaterGroup.ATASAN.code and ratee[i] >= 0 and superior[ratee[i]] == -1
        if group[i] != external:
            if found is None and not outside_atasan:
                c.add(raw, [i], "rater_id", f"unknown rater {rid!r}: not an employee of the agency")
            elif found is not None:
                rater[i] = found
        if ratee[i] >= 0 and group[i] >= 0:
            is_self = found is not None and found == ratee[i]
            if is_self and group[i] != RaterGroup.DIRI.code:
                g = RaterGroup.from_code(int(group[i])).value
                c.add(
                    raw,
                    [i],
                    "group",
                    f"an employee cannot rate themselves as {g}; self-ratings use group diri",
                )
            if group[i] == RaterGroup.DIRI.code and not is_self:
                c.add(
                    raw,
                    [i],
                    "group",
                    "group diri is for the employee's own rating; the rater is someone else",
                )
            if criterion[i] is not None:
                key = (int(ratee[i]), rid, criterion[i])
                if key in seen:
                    c.add(
                        raw,
                        [i],
                        "criterion",
                        f"a second rating by {rid!r} of the same employee on {criterion[i]!r}",
                    )
                seen[key] = i
    # Roles follow the hierarchy: the atasan is the ratee's direct superior, a bawahan reports to the ratee.
    known = (ratee >= 0) & (rater >= 0)
    boss_of_ratee = np.where(known, superior[np.maximum(ratee, 0)], -1)
    boss_of_rater = np.where(known, superior[np.maximum(rater, 0)], -1)
    atasan = known & (group == RaterGroup.ATASAN.code) & (boss_of_ratee != -2)
    for k in np.flatnonzero(atasan & (boss_of_ratee != rater)):
        c.add(raw, [k], "group", f"{rater_ids[k]!r} is not the direct superior (superior_id) of the ratee")
    bawahan = known & (group == RaterGroup.BAWAHAN.code) & (boss_of_rater != -2)
    for k in np.flatnonzero(bawahan & (boss_of_rater != ratee)):
        c.add(raw, [k], "group", f"{rater_ids[k]!r} is not a direct subordinate of the ratee")
    for k in np.flatnonzero(~np.isnan(score) & ((score < lo) | (score > hi))):
        c.add(raw, [k], "score", f"{score[k]:g} is outside the scale {scale[0]}–{scale[1]}")
    return RatingTable(
        ratee=ratee,
        rater=rater,
        rater_id=rater_ids,
        group=group,
        criterion=criterion,
        score=score,
        line=raw.line_array(),
        source=raw.source,
    )


def _surveys(c: _Checker, raw: RawTable, unit_index: Mapping[str, int]) -> SurveyTable:
    unit = c.refs(raw, "unit_id", unit_index, "unit", required=True)
    respondent = c.text(raw, "respondent_id", required=False)
    answers = np.zeros((len(raw), len(SURVEY_COLUMNS)), dtype=np.int8)
    for j, col in enumerate(SURVEY_COLUMNS):
        if not raw.has(col) and len(raw):
            c.problems.append(Problem(f"the column {col!r} is missing", source=raw.source, field=col))
            continue
        values = c.numbers(raw, col, required=False)
        for i, v in enumerate(values):
            if np.isnan(v):
                continue
            if v not in (1.0, 2.0, 3.0, 4.0):
                c.add(raw, [i], col, f"an answer is 1, 2, 3 or 4, got {v:g}")
            else:
                answers[i, j] = int(v)
    return SurveyTable(unit=unit, respondent_id=respondent, answers=answers)


def _adjustments(
    c: _Checker, raw: RawTable, emp_index: Mapping[str, int], emp_ids: npt.NDArray[np.object_]
) -> tuple[Adjustment, ...]:
    emp = c.refs(raw, "employee_id", emp_index, "employee", required=True)
    by = c.text(raw, "by", required=True)
    on = c.text(raw, "on", required=True)
    frm = c.codes(raw, "from_predikat", Predikat, required=True)
    to = c.codes(raw, "to_predikat", Predikat, required=True)
    reason = c.text(raw, "reason", required=True)
    out: list[Adjustment] = []
    for i in range(len(raw)):
        date: dt.date | None = None
        if on[i] is not None:
            try:
                date = dt.date.fromisoformat(on[i])
            except ValueError:
                c.add(raw, [i], "on", f"expected a date YYYY-MM-DD, got {on[i]!r}")
        if emp[i] >= 0 and date is not None and frm[i] >= 0 and to[i] >= 0 and by[i] and reason[i]:
            out.append(
                Adjustment(
                    employee_id=str(emp_ids[emp[i]]),
                    by=by[i],
                    on=date,
                    from_predikat=Predikat.from_code(int(frm[i])),
                    to_predikat=Predikat.from_code(int(to[i])),
                    reason=reason[i],
                )
            )
    return tuple(out)
