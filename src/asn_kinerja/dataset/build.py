"""Validation of raw tables into a :class:`~asn_kinerja.dataset.Dataset`, collecting every problem.

Checks: required cells, identifiers unique and references resolvable (unit, superior, RHK, indicator, rater),
no superior cycle, codes from the vocabulary, numbers finite with at most 15 significant digits, targets and
weights positive, ranges ordered, scores on the scale, ratings in the role they claim (no one rates themselves as
a peer), survey answers 1–4. All problems are raised together as one :class:`~asn_kinerja.DataError`.

Every check works on whole columns (:mod:`asn_kinerja.dataset.columns`): text and codes are decided once per
distinct value, references are looked up a column at a time, duplicates are found by sorting integer keys; Python
loops run over distinct values or over the bad rows whose problems are reported.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from asn_kinerja.dataset.columns import (
    BLOCK,
    MAX_DIGITS,
    MAX_MAGNITUDE,
    Categorical,
    IdIndex,
    counting,
    factorize,
    held_exactly,
    map_categories,
    parse_decimals,
    parse_number,
    text_categories,
)
from asn_kinerja.dataset.model import (
    Dataset,
    EmployeeTable,
    IndicatorTable,
    RatingTable,
    RhkTable,
    SurveyTable,
    UnitTable,
)
from asn_kinerja.dataset.rating_rows import RatingRows, rises, scan_ratings
from asn_kinerja.dataset.table import RawTable
from asn_kinerja.errors import DataError, Problem, excerpt
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

__all__ = ["MAX_DIGITS", "MAX_MAGNITUDE", "SURVEY_COLUMNS", "build_dataset"]

#: Survey columns: the nine unsur of PermenPANRB 14/2017, in order.
SURVEY_COLUMNS = tuple(f"u{i}" for i in range(1, 10))
Rows = Iterable[int | np.integer[Any]] | npt.NDArray[np.integer[Any]]


class _Checker:
    """The problems found so far and the stripped text of the columns read. With ``release``, the raw tables are
    handed over: a column is dropped from its table (:meth:`drop`) once converted and no message needs it, and the
    cached text is let go of once its tables are validated (:meth:`done`), so raw and checked columns are not all
    held at once."""

    def __init__(self, *, release: bool = False) -> None:
        self.problems: list[Problem] = []
        # (id of the table, column) → (the table, its column): the table is kept beside its column, so that a table
        # freed once validated cannot hand its cached column to a later one that gets the same id.
        self._text: dict[tuple[int, str], tuple[RawTable, Categorical]] = {}
        self.release = release

    def drop(self, table: RawTable, col: str) -> None:
        """Let go of a converted column of a table handed over (its key column, named in messages, stays)."""
        if self.release and col != table.key and isinstance(table.columns, dict):
            table.columns.pop(col, None)
            self._text.pop((id(table), col), None)

    def done(self) -> None:
        """Let go of the text cached (the tables read so far are validated)."""
        self._text.clear()

    def add(self, table: RawTable, rows: Rows, field: str | None, message: str) -> None:
        for row in rows:
            self.problems.append(table.problem(int(row), field, message))

    def text_column(self, table: RawTable, col: str) -> Categorical:
        """The column as stripped text categories (``-1`` = empty), computed once per table and column."""
        key = (id(table), col)
        cached = self._text.get(key)
        if cached is not None and cached[0] is table:
            return cached[1]
        found = text_categories(table.factorized(col))
        self._text[key] = (table, found)
        return found

    def text_cat(self, table: RawTable, col: str, *, required: bool) -> Categorical:
        cat = self.text_column(table, col)
        if required and not _all_set(cat.codes):  # one reduction where every cell is given (the usual case)
            missing = np.flatnonzero(cat.codes < 0)
            if len(missing):
                if not table.has(col):
                    self.problems.append(Problem(f"the column {col!r} is missing", source=table.source, field=col))
                else:
                    self.add(table, missing, col, "a value is required")
        return cat

    def text(self, table: RawTable, col: str, *, required: bool) -> npt.NDArray[np.object_]:
        cat = self.text_cat(table, col, required=required)
        _identity(cat)  # each row its own category: the categories are the cells (no copy of the column)
        return cat.dense()

    def codes(
        self,
        table: RawTable,
        col: str,
        enum: type[LabelledEnum],
        *,
        required: bool,
        default: LabelledEnum | None = None,
    ) -> npt.NDArray[np.int8]:
        cat = self.text_cat(table, col, required=required and default is None)
        parsed: list[int] = []
        errors: dict[int, str] = {}
        for k, name in enumerate(cat.categories):
            try:
                parsed.append(enum.parse(name).code)
            except ValueError as exc:
                parsed.append(-1)
                errors[k] = str(exc)
        table_codes = np.array([*parsed, -1 if default is None else default.code], dtype=np.int8)
        out: npt.NDArray[np.int8] = table_codes[cat.codes]
        if errors:
            bad = np.zeros(len(cat.categories) + 1, dtype=bool)
            bad[list(errors)] = True
            for i in np.flatnonzero(bad[cat.codes]):
                self.add(table, [i], col, errors[int(cat.codes[i])])
        return out

    def numbers(
        self, table: RawTable, col: str, *, required: bool, positive: bool = False, non_negative: bool = False
    ) -> npt.NDArray[np.float64]:
        """A column of numbers as float64 holding each decimal exactly; NaN where the cell is empty.

        Text cells are parsed as decimals (``"nan"``, ``"inf"`` and more than 15 significant digits are errors);
        numeric arrays are taken as they are, NaN meaning an empty cell (the pandas convention).
        """
        raw = table.columns.get(col)
        n = len(table)
        empty_rows: Callable[[], npt.NDArray[np.intp]]
        per_value: npt.NDArray[np.float64] | None = None  # a categorical column's number per distinct value
        if raw is None:
            out = np.full(n, np.nan)
            empty_rows = functools.partial(np.arange, n)
        elif not isinstance(raw, Categorical) and raw.dtype.kind in "fiu":
            out = raw.astype(np.float64)
            empty = np.isnan(out)
            bad = ~empty & ~held_exactly(out)
            for i in np.flatnonzero(bad):  # the message of the same number written in a CSV cell
                self.add(table, [i], col, str(parse_number(raw[i])))
            if bad.any():
                out[bad] = np.nan
            empty_rows = functools.partial(np.flatnonzero, empty)
        else:
            cat = factorize(raw)
            if cat.categories.dtype.kind in "fiu":
                values = cat.categories.astype(np.float64)
                blank = np.isnan(values)
                exact = held_exactly(values) | blank
                messages: list[str | None] = [
                    None if fine else str(parse_number(v)) for v, fine in zip(cat.categories, exact, strict=True)
                ]
            else:
                text = text_categories(Categorical(np.arange(len(cat.categories)), cat.categories))
                blank = text.codes < 0
                values, messages = parse_decimals(cat.categories)
                for k in np.flatnonzero(blank):
                    messages[k] = None
            # Decided per distinct value (the last entry for an empty cell), spread over the rows where needed.
            empty_cat = np.append(blank, True)
            bad_cat = np.array([m is not None for m in messages] + [False], dtype=bool)
            per_value, codes = np.append(values, np.nan), cat.codes
            per_value[empty_cat | bad_cat] = np.nan
            out = per_value[codes]
            for i in _flagged_rows(bad_cat, cat.codes):
                message = messages[int(cat.codes[i])]
                assert message is not None
                self.add(table, [i], col, message)
            empty_rows = functools.partial(_flagged_rows, empty_cat, cat.codes)
        if required:
            if not table.has(col) and n:
                self.problems.append(Problem(f"the column {col!r} is missing", source=table.source, field=col))
            else:
                self.add(table, empty_rows(), col, "a value is required")
        with np.errstate(invalid="ignore"):  # an empty or bad cell is NaN here: neither test holds for it
            for wanted, test, message in (
                (positive, np.less_equal, "must be greater than zero"),
                (non_negative, np.less, "must not be negative"),
            ):
                if wanted:  # decided per distinct value where there are codes
                    rows = (
                        np.flatnonzero(test(out, 0)) if per_value is None else _flagged_rows(test(per_value, 0), codes)
                    )
                    self.add(table, rows, col, message)
        return out

    def unique_ids(self, table: RawTable, col: str) -> tuple[Categorical, IdIndex]:
        """The id column (text categories, kept in Arrow where read from it) and an index of its ids to the row of
        their first occurrence; every later occurrence of an id is a problem."""
        cat = self.text_cat(table, col, required=True)
        if _identity(cat):  # every row a new id (the usual case): no duplicate, the categories are the column
            return cat, IdIndex.from_categories(cat)
        rows = np.arange(len(cat), dtype=np.int64)
        first = np.full(len(cat.categories) + 1, len(cat), dtype=np.int64)
        np.minimum.at(first, cat.codes, rows)
        for i in np.flatnonzero((cat.codes >= 0) & (first[cat.codes] != rows)):
            at = int(first[cat.codes[i]])
            line = table.problem(at, None, "").line
            where = f"line {line}" if line is not None else f"row {at + 1}"
            self.add(table, [i], col, f"duplicate id {cat.value(i)!r} (first at {where})")
        return cat, IdIndex.from_categories(cat, first[:-1])

    def refs(
        self,
        table: RawTable,
        col: str,
        index: IdIndex,
        target: str,
        *,
        required: bool,
        unknown_is_error: bool = True,
    ) -> npt.NDArray[np.int32]:
        """Rows referenced by a column of ids: -1 where empty; an unknown id is a problem, or with
        ``unknown_is_error=False`` marked -2 (for what is reported later rather than refused)."""
        cat = self.text_cat(table, col, required=required)
        found = index.lookup_categories(cat)
        unknown = found < 0
        if not unknown_is_error:
            found = np.where(unknown, -2, found)
        out: npt.NDArray[np.int32]
        if self.release and cat.codes.dtype == np.int32 and counting(found):  # each id the row of its position
            out = cat.codes.view(np.int32)  # the codes are the rows (a column handed over: no copy of it)
        else:
            out = np.append(found, -1).astype(np.int32)[cat.codes]
        if unknown_is_error and unknown.any():
            flags = np.append(unknown, False)
            for i in np.flatnonzero(flags[cat.codes]):
                self.add(table, [i], col, f"unknown {target} {cat.value(i)!r}")
        return out


def _identity(cat: Categorical) -> bool:
    """Whether a column's codes are ``0, 1, 2, …`` (each row its own category, in order), then recorded on it.

    >>> _identity(Categorical(np.array([0, 1, 2]), np.array(["a", "b", "c"], dtype=object)))
    True
    >>> _identity(Categorical(np.array([1, 0, 2]), np.array(["a", "b", "c"], dtype=object)))
    False
    """
    if not cat.identity and len(cat.codes) == cat.size and counting(cat.codes):
        cat.mark_identity()
    return cat.identity


def _flagged_rows(flags: npt.NDArray[np.bool_], codes: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.intp]:
    """Rows whose category is flagged (a flag per category, the last one for ``-1``), without a pass of the length
    of the column where no category present is flagged."""
    if not flags[:-1].any() and (not flags[-1] or _all_set(codes)):
        return np.empty(0, dtype=np.intp)
    return np.flatnonzero(flags[codes])


def _cycle_members(superior: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
    """Rows whose chain of superiors loops (pointer doubling: a log number of whole-column steps), sorted."""
    n = len(superior)
    anc = superior.astype(np.int32)
    for _ in range(max(1, math.ceil(math.log2(n + 1)) + 1)):
        if not n or int(anc.max()) < 0:  # every chain has ended: no loop (a tree of depth d takes about log2(d) steps)
            break
        anc = np.where(anc >= 0, anc[np.maximum(anc, 0)], -1)
    members: npt.NDArray[np.int32] = np.unique(anc[anc >= 0])
    return members


#: The digits of a NIP (Nomor Induk Pegawai).
NIP_DIGITS = 18


def _nip_shapes(c: _Checker, table: RawTable) -> None:
    """Employee ids that look like a NIP damaged by a spreadsheet: in scientific notation (``1.97502E+17``, digits
    lost), or all digits with 17 or 19 where most ids are 18-digit NIPs (a leading zero dropped or added). Decided
    once per distinct id; each row with such an id is named."""
    cat = c.text_column(table, "employee_id")
    if not len(cat.categories):
        return
    length, digits, plus = _id_shapes(cat.categories)
    messages: dict[int, str] = {}
    for k in plus:
        shown = str(cat.categories[k])
        if _SCIENTIFIC.fullmatch(shown):
            messages[int(k)] = (
                f"{shown!r} looks like a NIP turned into scientific notation by a spreadsheet (its last digits are "
                "lost): format the column as text before saving, then type the NIPs again"
            )
    nips = int(np.count_nonzero(digits & (length == NIP_DIGITS)))
    if 2 * nips > len(length):
        for k in np.flatnonzero(digits & ((length == NIP_DIGITS - 1) | (length == NIP_DIGITS + 1))):
            shown = str(cat.categories[k])
            how = "a leading zero lost?" if len(shown) < NIP_DIGITS else "a leading zero or a digit added?"
            messages[int(k)] = (
                f"{shown!r} has {len(shown)} digits where the other NIPs have {NIP_DIGITS} ({how} a spreadsheet "
                "may have read it as a number): check the NIP and keep the column as text"
            )
    if messages:
        bad = np.zeros(len(cat.categories) + 1, dtype=bool)
        bad[list(messages)] = True
        for i in np.flatnonzero(bad[cat.codes]):
            c.add(table, [i], "employee_id", messages[int(cat.codes[i])])


def _id_shapes(
    ids: npt.NDArray[np.generic],
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_], npt.NDArray[np.intp]]:
    """Per id (non-empty text): its length, whether it is all ASCII digits, and which ids hold ``E+`` (either case)
    first after their first character. ASCII ids are read as one run of bytes (no string made per id); others one at a
    time.

    >>> length, digits, plus = _id_shapes(np.array(["0123", "1.5E+17", "x", "e+"], dtype=object))
    >>> length.tolist(), digits.tolist(), plus.tolist()
    ([4, 7, 1, 2], [True, False, False, False], [1])
    >>> [x.tolist() for x in _id_shapes(np.array(["١٢", "é1e+5"], dtype=object))]
    [[2, 5], [False, False], [1]]
    """
    length = np.fromiter(map(len, ids), dtype=np.intp, count=len(ids))
    try:
        joined = "".join(ids).encode("ascii") if length.all() else None
    except UnicodeEncodeError:
        joined = None
    if joined is None:
        texts = [str(x) for x in ids]
        digits = np.array([x.isascii() and x.isdigit() for x in texts], dtype=bool)
        return length, digits, np.array([k for k, x in enumerate(texts) if x.upper().find("E+") > 0], dtype=np.intp)
    start = np.cumsum(length) - length
    other = np.frombuffer(joined, dtype=np.uint8) - np.uint8(ord("0")) > 9  # any byte but 0-9
    digits = np.maximum.reduceat(other.view(np.uint8), start) == 0
    at = np.array(sorted(_find_all(joined, b"E+") + _find_all(joined, b"e+")), dtype=np.intp)
    holder = np.searchsorted(start, at, side="right") - 1
    inside = at + 1 < start[holder] + length[holder]  # not an id's last byte followed by the next id's "+"
    at, holder = at[inside], holder[inside]
    ids_with, first = np.unique(holder, return_index=True)  # where each id's first "E+" is
    plus: npt.NDArray[np.intp] = ids_with[at[first] > start[ids_with]]
    return length, digits, plus


def _find_all(text: bytes, part: bytes) -> list[int]:
    """Where ``part`` starts in ``text`` (a C-level search from one to the next)."""
    found, at = [], text.find(part)
    while at >= 0:
        found.append(at)
        at = text.find(part, at + 1)
    return found


_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d*)?[eE]\+?\d+")


def _first_and_last(keys: npt.NDArray[np.int64], size: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Per key in ``range(size)`` the first and last row holding it (``len(keys)`` / ``-1`` where none)."""
    rows = np.arange(len(keys), dtype=np.int64)
    first = np.full(size, len(keys), dtype=np.int64)
    last = np.full(size, -1, dtype=np.int64)
    np.minimum.at(first, keys, rows)
    np.maximum.at(last, keys, rows)
    return first, last


PERIOD_KINDS = ("annual", "semester", "quarterly", "monthly")


def period_problems(period: Period, source: str) -> list[Problem]:
    """What is wrong with a dataset's period (every source of a dataset is checked by this one function).

    >>> import datetime as dt
    >>> [str(p) for p in period_problems(Period("x", dt.date(2025, 2, 1), dt.date(2025, 1, 1), "yearly"), "m")]
    ['m: period.end: the period ends (2025-01-01) before it starts (2025-02-01)', \
"m: period.kind: must be annual, semester, quarterly or monthly, got 'yearly'"]
    """
    out = []
    if period.end < period.start:
        out.append(
            Problem(f"the period ends ({period.end}) before it starts ({period.start})", source, field="period.end")
        )
    if period.kind not in PERIOD_KINDS:
        kinds = ", ".join(PERIOD_KINDS[:-1]) + f" or {PERIOD_KINDS[-1]}"
        out.append(Problem(f"must be {kinds}, got {excerpt(period.kind)}", source, field="period.kind"))
    return out


def scale_problems(scale: tuple[object, object], source: str) -> list[Problem]:
    """What is wrong with the rating scale ``(min, max)``: numbers as a cell holds them, ``min < max``."""
    out: list[Problem] = []
    values = []
    for name, value in zip(("min", "max"), scale, strict=True):
        parsed = parse_number(value)
        if isinstance(parsed, str):
            out.append(Problem(parsed, source, field=f"scale.{name}"))
        values.append(parsed)
    if not out and not values[0] < values[1]:  # type: ignore[operator]
        out.append(Problem("the scale needs min < max", source, field="scale.max"))
    return out


def build_dataset(
    *,
    agency: str,
    period: Period,
    scale: tuple[Decimal | int | str, Decimal | int | str],
    tables: Mapping[str, RawTable],
    source: str = "<records>",
    release: bool = False,
) -> Dataset:
    """Validate raw tables (``units``, ``employees``, ``rhk``, ``indicators`` and optionally ``ratings``,
    ``evaluations``, ``surveys``, ``adjustments``) into a :class:`Dataset`; raise one
    :class:`~asn_kinerja.DataError` listing every problem. With ``release``, the tables (a ``dict`` of tables
    read for this call alone) are handed over: the dict is emptied, and each table, and each column once
    converted, is let go of as soon as it is validated, so that the raw and the checked columns of a national
    dataset are not all held at once."""
    c = _Checker(release=release)
    handed = tables if release and isinstance(tables, dict) else None
    try:
        return _build(c, agency, period, scale, tables, source, handed)
    finally:
        if handed is not None:
            handed.clear()


def _build(
    c: _Checker,
    agency: str,
    period: Period,
    scale: tuple[Decimal | int | str, Decimal | int | str],
    tables: Mapping[str, RawTable],
    source: str,
    handed: dict[str, RawTable] | None,
) -> Dataset:
    """:func:`build_dataset` once its checker is made; ``handed``: the dict of tables handed over, if so."""

    def take(name: str) -> RawTable:
        """A table for its section (an optional one not given: empty), let go of by ``tables`` if handed over.
        Each is asked for only when its section starts: ``tables`` may be a mapping whose tables are still being
        read (its names known: ``in`` does not wait for a table)."""
        table = tables[name] if name in tables else RawTable(name, f"{name} (none)", {})
        if handed is not None:
            handed.pop(name, None)
        return table

    for name in ("units", "employees", "rhk", "indicators"):
        if name not in tables:
            raise DataError([Problem(f"the {name} table is missing", source=source)])
    c.problems += period_problems(period, source)
    bad_scale = scale_problems(scale, source)
    if bad_scale:  # the scores cannot be checked against it
        raise DataError([*c.problems, *bad_scale])
    exact_scale = (Decimal(str(scale[0])), Decimal(str(scale[1])))

    # Each table is taken for its section: validated, it is let go of (where it was handed over).
    units, unit_index = _units(c, take("units"))
    employees, emp_index, superior_checked = _employees(c, take("employees"), take("evaluations"), unit_index)
    c.done()
    rhk, rhk_index = _rhk(c, take("rhk"), emp_index)
    c.done()
    indicators = _indicators(c, take("indicators"), rhk, rhk_index)
    c.done()
    ratings = _ratings(c, take("ratings"), emp_index, exact_scale, superior_checked)
    c.done()
    surveys = _surveys(c, take("surveys"), unit_index)
    adjustments = _adjustments(c, take("adjustments"), emp_index, employees)

    if c.problems:
        raise DataError(c.problems)
    return Dataset(
        agency=agency,
        period=period,
        scale=exact_scale,
        units=units,
        employees=employees,
        rhk=rhk,
        indicators=indicators,
        ratings=ratings,
        surveys=surveys,
        adjustments=adjustments,
        source=source,
    )


def _units(c: _Checker, units_raw: RawTable) -> tuple[UnitTable, IdIndex]:
    """The units: unique ids, names, parents (none its own, no loop), organisation predikat, service flag."""
    unit_ids, unit_index = c.unique_ids(units_raw, "unit_id")
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
    return units, unit_index


def _employees(
    c: _Checker, emp_raw: RawTable, ev_raw: RawTable, unit_index: IdIndex
) -> tuple[EmployeeTable, IdIndex, npt.NDArray[np.int32]]:
    """The employees with their evaluator's ratings, the index of their ids, and each one's superior row as the
    ratings are checked against it (-2 where the superior is unresolved, own or in a loop: reported once here)."""
    emp_ids, emp_index = c.unique_ids(emp_raw, "employee_id")
    _nip_shapes(c, emp_raw)
    superior = c.refs(emp_raw, "superior_id", emp_index, "employee", required=False)
    own = np.flatnonzero(superior == np.arange(len(superior)))
    c.add(emp_raw, own, "superior_id", "an employee cannot be their own superior")
    members = _cycle_members(superior)
    loop = members[superior[members] != members]
    for row in loop:
        chain = [str(emp_ids.value(row))]
        nxt = int(superior[row])
        while nxt != row and len(chain) < 50:
            chain.append(str(emp_ids.value(nxt)))
            nxt = int(superior[nxt])
        c.add(emp_raw, [row], "superior_id", "the chain of superiors loops: " + " → ".join([*chain, chain[0]]))

    rating_hk, rating_pk, ev_emp = _evaluations(c, ev_raw, emp_index, emp_ids)
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
    # An unresolved superior_id is reported once, not again through every rating that depends on it.
    superior_checked = np.where(_filled(c, emp_raw, "superior_id") & (superior < 0), -2, superior).astype(np.int32)
    superior_checked[own] = -2
    superior_checked[loop] = -2
    return employees, emp_index, superior_checked


def _evaluations(
    c: _Checker, ev_raw: RawTable, emp_index: IdIndex, emp_ids: Categorical
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int8], npt.NDArray[np.int32]]:
    """The evaluator's ratings per employee (-1 none; of two evaluations the last is kept, the second reported)
    and each evaluation's employee row."""
    ev_emp = c.refs(ev_raw, "employee_id", emp_index, "employee", required=True)
    ev_hk = c.codes(ev_raw, "rating_hasil_kerja", Rating, required=False)
    ev_pk = c.codes(ev_raw, "rating_perilaku_kerja", Rating, required=False)
    rating_hk = np.full(len(emp_ids), -1, dtype=np.int8)
    rating_pk = np.full(len(emp_ids), -1, dtype=np.int8)
    known_ev = np.flatnonzero(ev_emp >= 0)
    if len(known_ev):
        first, last = _first_and_last(ev_emp[known_ev].astype(np.int64), len(emp_ids))
        for i in known_ev[first[ev_emp[known_ev]] != np.arange(len(known_ev))]:
            c.add(ev_raw, [i], "employee_id", f"a second evaluation of {emp_ids.value(ev_emp[i])!r}")
        rated = np.flatnonzero(last >= 0)
        at = known_ev[last[rated]]  # the last evaluation of an employee is the one kept
        rating_hk[rated], rating_pk[rated] = ev_hk[at], ev_pk[at]
    return rating_hk, rating_pk, ev_emp


def _rhk(c: _Checker, rhk_raw: RawTable, emp_index: IdIndex) -> tuple[RhkTable, IdIndex]:
    """The RHK and the index of their ids."""
    rhk_ids, rhk_index = c.unique_ids(rhk_raw, "rhk_id")
    rhk = RhkTable(
        id=rhk_ids,
        employee=c.refs(rhk_raw, "employee_id", emp_index, "employee", required=True),
        jenis=c.codes(rhk_raw, "jenis", JenisRhk, required=False, default=JenisRhk.UTAMA),
        # An RHK cascading to an RHK that does not exist is a planning defect, reported by the evaluation.
        intervensi=c.refs(rhk_raw, "intervensi_id", rhk_index, "RHK", required=False, unknown_is_error=False),
        intervensi_id=c.text_cat(rhk_raw, "intervensi_id", required=False),
        text=c.text(rhk_raw, "text", required=True),
    )
    return rhk, rhk_index


def _indicators(c: _Checker, ind: RawTable, rhk: RhkTable, rhk_index: IdIndex) -> IndicatorTable:
    """The indicators of the RHK: targets, weights and realisations checked."""
    ind_ids, _ = c.unique_ids(ind, "indicator_id")
    ind_rhk = c.refs(ind, "rhk_id", rhk_index, "RHK", required=True)
    low, high = _targets(c, ind)
    return IndicatorTable(
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


def _ide_baru(c: _Checker, raw: RawTable, ev_emp: npt.NDArray[np.int32], n: int) -> npt.NDArray[np.bool_] | None:
    """The ``ide_baru`` flag of evaluations.csv (PP 30/2019 Pasal 41) per employee; ``None`` without the column."""
    if not raw.has("ide_baru"):
        return None
    flags = _bools(c, raw, "ide_baru")
    out = np.zeros(n, dtype=bool)
    known = np.flatnonzero(ev_emp >= 0)
    if len(known):
        _, last = _first_and_last(ev_emp[known].astype(np.int64), n)
        rated = np.flatnonzero(last >= 0)
        out[rated] = flags[known[last[rated]]]
    return out


_TRUE = ("true", "yes", "ya", "1")
_FALSE = ("false", "no", "tidak", "0")


def _bools(c: _Checker, table: RawTable, col: str) -> npt.NDArray[np.bool_]:
    cat = c.text_cat(table, col, required=False)
    low = [str(x).lower() for x in cat.categories]
    out: npt.NDArray[np.bool_] = np.array([x in _TRUE for x in low] + [False], dtype=bool)[cat.codes]
    wrong = np.array([x not in _TRUE and x not in _FALSE for x in low] + [False], dtype=bool)
    for i in np.flatnonzero(wrong[cat.codes]):
        c.add(table, [i], col, f"must be true or false, got {cat.categories[cat.codes[i]]!r}")
    return out


def _weights(c: _Checker, table: RawTable) -> npt.NDArray[np.float64]:
    if not table.has("weight"):
        return np.ones(len(table))
    weight = c.numbers(table, "weight", required=False, positive=True)
    np.copyto(weight, 1.0, where=np.isnan(weight))  # in place: the column is this call's own
    return weight


def _targets(c: _Checker, table: RawTable) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    value = c.numbers(table, "target", required=False, positive=True)
    low = c.numbers(table, "target_low", required=False, positive=True)
    high = c.numbers(table, "target_high", required=False, positive=True)
    filled_low, filled_high = _filled(c, table, "target_low"), _filled(c, table, "target_high")
    has_value = ~np.isnan(value) | _filled(c, table, "target")
    has_range = ~np.isnan(low) | ~np.isnan(high) | filled_low | filled_high
    c.add(
        table,
        np.flatnonzero(has_value & has_range),
        "target",
        "give either target or target_low and target_high, not both",
    )
    neither = np.flatnonzero(~has_value & ~has_range)
    c.add(table, neither, "target", "a target is required (target, or target_low and target_high)")
    half = has_range & (np.isnan(low) ^ np.isnan(high)) & ~has_value
    c.add(
        table,
        np.flatnonzero(half & ~(filled_low & filled_high)),
        "target_low",
        "a range target needs both target_low and target_high",
    )
    value_rows = ~has_range
    np.copyto(low, value, where=value_rows)  # a value target: low = high = the value (in place, no new column)
    np.copyto(high, value, where=value_rows)
    c.add(
        table,
        np.flatnonzero(low > high),
        "target_low",
        "the range is reversed: target_low > target_high",
    )
    return low, high


def _filled(c: _Checker, table: RawTable, col: str) -> npt.NDArray[np.bool_]:
    raw = table.columns.get(col)
    if raw is not None and not isinstance(raw, Categorical) and raw.dtype.kind in "fiu":  # numbers: NaN is empty
        return ~np.isnan(raw) if raw.dtype.kind == "f" else np.ones(len(raw), dtype=bool)
    filled: npt.NDArray[np.bool_] = c.text_column(table, col).codes >= 0
    return filled


def _ratings(
    c: _Checker,
    raw: RawTable,
    emp_index: IdIndex,
    scale: tuple[Decimal, Decimal],
    superior: npt.NDArray[np.int32],
) -> RatingTable:
    """Ratings in long form; ``superior`` is each employee's superior row (-1 none, -2 unresolved: not checked).

    The columns are long (42 ratings an employee): the rules of who rates whom are checked in one pass of blocks
    (:func:`~asn_kinerja.dataset.rating_rows.scan_ratings`), each a cheap test first, and the details of a problem
    are worked out only on the rows that test picks."""
    ratee = c.refs(raw, "ratee_id", emp_index, "employee", required=True)
    rater_cat = c.text_cat(raw, "rater_id", required=True)
    group = c.codes(raw, "group", RaterGroup, required=True)
    c.drop(raw, "group")
    criterion = c.text_cat(raw, "criterion", required=True)
    score = c.numbers(raw, "score", required=True)
    c.drop(raw, "score")

    # Raters by id (once per distinct rater id): -1 where empty or unknown.
    rater = np.append(emp_index.lookup_categories(rater_cat), -1).astype(np.int32)[rater_cat.codes]
    rows = scan_ratings(ratee, rater, rater_cat.codes, group, criterion.codes, superior)  # service users: -1
    _row_problems(c, raw, rows, ratee, rater_cat, group, criterion)
    _role_problems(c, raw, rows, rater_cat)
    _score_problems(c, raw, score, scale)
    return RatingTable(
        ratee=ratee,
        rater=rater,
        rater_code=rater_cat.codes.astype(np.int32, copy=False),
        rater_ids=rater_cat,
        group=group,
        criterion_code=criterion.codes,  # as read: a byte a rating where the criteria are few
        criterion_names=criterion.categories.astype(object),
        score=score,
        line=raw.line_array(),
        source=raw.source,
    )


def _score_problems(c: _Checker, raw: RawTable, score: npt.NDArray[np.float64], scale: tuple[Decimal, Decimal]) -> None:
    """Scores outside the scale (empty ones, NaN, were reported already)."""
    lo, hi = float(scale[0]), float(scale[1])
    if not len(score) or (np.fmin.reduce(score) >= lo and np.fmax.reduce(score) <= hi):  # NaN ignored
        return
    with np.errstate(invalid="ignore"):
        outside = (score < lo) | (score > hi)
    for k in np.flatnonzero(outside):
        c.add(raw, [k], "score", f"{score[k]:g} is outside the scale {scale[0]}–{scale[1]}")


def _all_set(x: npt.NDArray[np.integer[Any]]) -> bool:
    """Whether no value is negative (one reduction, no temporary of the length of the column)."""
    return not len(x) or int(x.min()) >= 0


def _row_problems(
    c: _Checker,
    raw: RawTable,
    rows: RatingRows,
    ratee: npt.NDArray[np.int32],
    rater_cat: Categorical,
    group: npt.NDArray[np.int8],
    criterion: Categorical,
) -> None:
    """The problems of single rating rows, in row order (a row's in the order of the checks): an unknown internal
    rater, a self-rating in another group or a rating by someone else as diri, a second rating of the same
    employee on the same criterion by the same rater."""
    codes, rid, crit_names = rater_cat.codes, rater_cat.value, criterion.categories
    checks: list[tuple[npt.NDArray[np.intp], str, Callable[[int], str]]] = [
        (rows.unknown, "rater_id", lambda i: f"unknown rater {rid(i)!r}: not an employee of the agency"),
        (
            rows.self_rated,
            "group",
            lambda i: (
                f"an employee cannot rate themselves as {RaterGroup.from_code(int(group[i])).value}; "
                "self-ratings use group diri"
            ),
        ),
        (rows.diri, "group", lambda i: "group diri is for the employee's own rating; the rater is someone else"),
        (
            _repeated_ratings(rows, ratee, codes, group, criterion.codes),
            "criterion",
            lambda i: f"a second rating by {rid(i)!r} of the same employee on {crit_names[criterion.codes[i]]!r}",
        ),
    ]
    found_rows = [(int(i), order, field, message) for order, (at, field, message) in enumerate(checks) for i in at]
    for i, _, field, message in sorted(found_rows, key=lambda x: (x[0], x[1])):
        c.add(raw, [i], field, message(i))


def _repeated_ratings(
    rows: RatingRows,
    ratee: npt.NDArray[np.int32],
    rater_codes: npt.NDArray[np.integer[Any]],
    group: npt.NDArray[np.int8],
    criterion_codes: npt.NDArray[np.integer[Any]],
) -> npt.NDArray[np.intp]:
    """Rows rating an employee on a criterion a second time by the same rater (rows with every part given)."""
    if rows.complete:  # the usual case: no copies (and, in key order, nothing to sort)
        return np.empty(0, dtype=np.intp) if rows.increasing else _repeated(ratee, rater_codes, criterion_codes, None)
    keyed = np.flatnonzero((rater_codes >= 0) & (ratee >= 0) & (group >= 0) & (criterion_codes >= 0))
    a, b, c = ratee[keyed], rater_codes[keyed], criterion_codes[keyed]
    return np.empty(0, dtype=np.intp) if _increasing(a, b, c) else _repeated(a, b, c, keyed)


def _role_problems(c: _Checker, raw: RawTable, rows: RatingRows, rater_cat: Categorical) -> None:
    """Roles follow the hierarchy: the atasan is the ratee's direct superior, a bawahan reports to the ratee
    (unresolved superiors were reported once already and are not checked again)."""
    rid = rater_cat.value
    for i in rows.atasan:
        c.add(raw, [i], "group", f"{rid(i)!r} is not the direct superior (superior_id) of the ratee")
    for i in rows.bawahan:
        c.add(raw, [i], "group", f"{rid(i)!r} is not a direct subordinate of the ratee")


def _repeated(
    a: npt.NDArray[np.integer[Any]],
    b: npt.NDArray[np.integer[Any]],
    c: npt.NDArray[np.integer[Any]],
    rows: npt.NDArray[np.intp] | None,
) -> npt.NDArray[np.intp]:
    """``rows`` (all rows where ``None``) whose key ``(a, b, c)`` (non-negative integers) occurred at an earlier
    row (the caller knows whether the keys are in order, where no key repeats: it asks only where they are not)."""
    if len(a) < 2:
        return np.empty(0, dtype=np.intp)
    at = np.arange(len(a)) if rows is None else rows
    sizes = [int(x.max()) + 1 for x in (a, b, c)]
    if math.prod(sizes) < 2**62:
        key = a.astype(np.int64)  # in place: one array of the length of the ratings
        key *= sizes[1]
        key += b
        key *= sizes[2]
        key += c
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
    else:
        order = np.lexsort((c, b, a))
        sorted_key = np.stack([a[order], b[order], c[order]])
    same = sorted_key[..., 1:] == sorted_key[..., :-1]
    repeat = same if same.ndim == 1 else same.all(axis=0)
    out: npt.NDArray[np.intp] = np.sort(at[order[1:][repeat]])
    return out


def _increasing(
    a: npt.NDArray[np.integer[Any]], b: npt.NDArray[np.integer[Any]], c: npt.NDArray[np.integer[Any]]
) -> bool:
    """Whether the keys ``(a, b, c)`` strictly increase row by row (compared on views of the columns as they are:
    no wide key is built).

    >>> _increasing(np.array([0, 0, 1]), np.array([1, 2, 0]), np.array([5, 0, 0]))
    True
    >>> _increasing(np.array([0, 0, 1]), np.array([1, 1, 0]), np.array([5, 5, 0]))
    False
    """
    return all(  # blocks overlapping by a row: small temporaries, reused; stops at a fall
        rises(a[start : start + BLOCK + 1], b[start : start + BLOCK + 1], c[start : start + BLOCK + 1])
        for start in range(0, max(len(a) - 1, 0), BLOCK)
    )


def _surveys(c: _Checker, raw: RawTable, unit_index: IdIndex) -> SurveyTable:
    unit = c.refs(raw, "unit_id", unit_index, "unit", required=True)
    respondent = c.text(raw, "respondent_id", required=False)
    answers = np.zeros((len(raw), len(SURVEY_COLUMNS)), dtype=np.int8)
    for j, col in enumerate(SURVEY_COLUMNS):
        if not raw.has(col) and len(raw):
            c.problems.append(Problem(f"the column {col!r} is missing", source=raw.source, field=col))
            continue
        values = c.numbers(raw, col, required=False)
        given = ~np.isnan(values)
        allowed = given & np.isin(values, (1.0, 2.0, 3.0, 4.0))
        for i in np.flatnonzero(given & ~allowed):
            c.add(raw, [i], col, f"an answer is 1, 2, 3 or 4, got {values[i]:g}")
        answers[allowed, j] = values[allowed].astype(np.int8)
    return SurveyTable(unit=unit, respondent_id=respondent, answers=answers)


def _adjustments(c: _Checker, raw: RawTable, emp_index: IdIndex, employees: EmployeeTable) -> tuple[Adjustment, ...]:
    """Adjustments (keberatan) as model objects: one per row of the (small) adjustments table."""
    emp = c.refs(raw, "employee_id", emp_index, "employee", required=True)
    by = c.text(raw, "by", required=True)
    on = c.text_cat(raw, "on", required=True)
    frm = c.codes(raw, "from_predikat", Predikat, required=True)
    to = c.codes(raw, "to_predikat", Predikat, required=True)
    reason = c.text(raw, "reason", required=True)
    dates = map_categories(on, _date, object, None)
    no_date = np.asarray(np.equal(dates, np.array(None, dtype=object)), dtype=bool)
    for i in np.flatnonzero((on.codes >= 0) & no_date):
        c.add(raw, [i], "on", f"expected a date YYYY-MM-DD, got {on.categories[on.codes[i]]!r}")
    complete = (emp >= 0) & ~no_date & (frm >= 0) & (to >= 0)
    return tuple(
        Adjustment(
            employee_id=employees.id_at(emp[i]),
            by=by[i],
            on=dates[i],
            from_predikat=Predikat.from_code(int(frm[i])),
            to_predikat=Predikat.from_code(int(to[i])),
            reason=reason[i],
        )
        for i in np.flatnonzero(complete)
        if by[i] and reason[i]
    )


def _date(text: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        return None
