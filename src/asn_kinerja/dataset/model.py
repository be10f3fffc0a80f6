"""The in-memory dataset: one agency and period, held as numpy columns.

Rows reference each other by integer position (an employee's ``unit`` is a row of ``units``), so that the engine
works on whole columns. Arrays are read-only: a dataset never changes once built.

Id columns (``units.id``, ``employees.id``, ``rhk.id``, ``rhk.intervensi_id``, ``indicators.id`` and the raters'
``ratings.rater_ids``) are kept as they were read: codes into their distinct ids, which stay an Arrow array where
they were read from one (CSV, Parquet). Each is made an object array of Python strings on first use of the
attribute; the engine and the writers read them through ``id_column`` (a
:class:`~asn_kinerja.dataset.columns.Categorical`) and :meth:`UnitTable.id_at` and the like, so that ids nothing
asks for (those of indicators, say) never become millions of Python strings.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja.dataset.columns import Categorical, IdIndex, decimal_places, factorize
from asn_kinerja.dataset.lines import Lines
from asn_kinerja.model import Adjustment, Period

__all__ = [
    "Dataset",
    "EmployeeTable",
    "IndicatorTable",
    "RatingTable",
    "RhkTable",
    "SurveyTable",
    "UnitTable",
]

Ints = npt.NDArray[np.int32]
Codes = npt.NDArray[np.int8]
Floats = npt.NDArray[np.float64]
Objects = npt.NDArray[np.object_]
Bools = npt.NDArray[np.bool_]


def _frozen(*arrays: np.ndarray) -> None:
    for arr in arrays:
        arr.setflags(write=False)


def id_column(values: Objects | Categorical) -> Categorical:
    """An id column as a table keeps it: codes into its distinct ids; an object array given is its own
    categories (each row its own code).

    >>> id_column(np.array(["E1", "E2"], dtype=object)).dense().tolist()
    ['E1', 'E2']
    """
    if isinstance(values, Categorical):
        return values
    return Categorical(np.arange(len(values)), values, identity=True)


def _id_objects(column: Categorical) -> Objects:
    """An id column as a read-only object array of ``str`` (``None`` where empty): the column's own categories
    where each row is its own id (a validated table's ids), made Python strings once."""
    out = column.dense()
    if out.dtype != object:
        out = out.astype(object)
    _frozen(out)
    return out


def _distinct(values: Objects | Categorical) -> Categorical:
    """A column's distinct values alone (its codes, as long as the column, are not kept twice)."""
    column = id_column(values)
    made = column.categories if column.made else None
    return Categorical(np.zeros(0, dtype=np.int8), made, column.distinct, arrow=column.arrow)


class _Ids:
    """A table's own ``id`` column, kept as codes into its distinct ids (``_id``)."""

    __slots__ = ()
    _id: Categorical

    @property
    def id(self) -> Objects:
        """The ids, one per row, as Python strings (made on the first call; where each row is its own id, as in a
        validated dataset, the same array on every call)."""
        return _id_objects(self._id)

    @property
    def id_column(self) -> Categorical:
        """The ids as codes into their distinct values, which stay in Arrow where they were read from it."""
        return self._id

    def id_at(self, row: int | np.integer[Any]) -> str:
        """The id of one row, without making the others Python strings."""
        return str(self._id.value(int(row)))


@attrs.frozen(eq=False)
class UnitTable(_Ids):
    """Units: ``id``, ``name``, ``parent`` (row, -1 for none), ``predikat_organisasi`` (code, -1 unknown),
    ``service_unit`` (whether the unit serves the public)."""

    _id: Categorical = attrs.field(converter=id_column)
    name: Objects
    parent: Ints
    predikat_organisasi: Codes
    service_unit: Bools

    def __attrs_post_init__(self) -> None:
        _frozen(self._id.codes, self.name, self.parent, self.predikat_organisasi, self.service_unit)

    def __len__(self) -> int:
        return len(self._id)


@attrs.frozen(eq=False)
class EmployeeTable(_Ids):
    """Employees: ``id`` (NIP), ``name``, ``unit`` (row), ``jenis_jabatan`` (code), ``jenjang``, ``superior``
    (row, -1 for none), and the evaluator's ratings when given: ``rating_hasil_kerja``,
    ``rating_perilaku_kerja`` (codes of :class:`~asn_kinerja.model.Rating`, -1 when not given); ``ide_baru``
    (PP 30/2019 Pasal 41: the employee created a new idea or way of working; ``None`` when no evaluation says)."""

    _id: Categorical = attrs.field(converter=id_column)
    name: Objects
    unit: Ints
    jenis_jabatan: Codes
    jenjang: Objects
    superior: Ints
    rating_hasil_kerja: Codes
    rating_perilaku_kerja: Codes
    ide_baru: Bools | None = None

    def __attrs_post_init__(self) -> None:
        _frozen(
            self._id.codes,
            self.name,
            self.unit,
            self.jenis_jabatan,
            self.jenjang,
            self.superior,
            self.rating_hasil_kerja,
            self.rating_perilaku_kerja,
        )
        if self.ide_baru is not None:
            _frozen(self.ide_baru)

    def __len__(self) -> int:
        return len(self._id)


@attrs.frozen(eq=False)
class RhkTable(_Ids):
    """Rencana hasil kerja: ``id``, ``employee`` (row), ``jenis`` (code), ``intervensi`` (row of the RHK it
    intervenes, -1 for none, -2 for an id that names no RHK), ``intervensi_id`` (the id as given), ``text``."""

    _id: Categorical = attrs.field(converter=id_column)
    employee: Ints
    jenis: Codes
    intervensi: Ints
    _intervensi_id: Categorical = attrs.field(converter=id_column)
    text: Objects

    def __attrs_post_init__(self) -> None:
        _frozen(self._id.codes, self.employee, self.jenis, self.intervensi, self._intervensi_id.codes, self.text)

    def __len__(self) -> int:
        return len(self._id)

    @functools.cached_property
    def intervensi_id(self) -> Objects:
        """The ``intervensi_id`` of each RHK as given (``None`` for none; Python strings, made on first use)."""
        return _id_objects(self._intervensi_id)


@attrs.frozen(eq=False)
class IndicatorTable(_Ids):
    """Indicators (IKI): ``id``, ``rhk`` (row), ``employee`` (row), ``text``, ``aspect`` and ``direction``
    (codes), ``satuan``, ``target_low``/``target_high`` (equal for a value target), ``weight``, ``realisasi``
    (NaN when not recorded). Numbers are float64 holding decimal text of at most 15 significant digits, so the
    exact decimal is recovered by ``Decimal(repr(x))``. ``line`` and ``source`` locate rows."""

    _id: Categorical = attrs.field(converter=id_column)
    rhk: Ints
    employee: Ints
    text: Objects
    aspect: Codes
    direction: Codes
    satuan: Objects
    target_low: Floats
    target_high: Floats
    weight: Floats
    realisasi: Floats
    line: Ints | Lines | None = None
    source: str = "indicators"

    def __attrs_post_init__(self) -> None:
        _frozen(
            self._id.codes,
            self.rhk,
            self.employee,
            self.text,
            self.aspect,
            self.direction,
            self.satuan,
            self.target_low,
            self.target_high,
            self.weight,
            self.realisasi,
        )

    def __len__(self) -> int:
        return len(self._id)


@attrs.frozen(eq=False)
class RatingTable:
    """Behaviour ratings in long form: ``ratee`` (row), ``rater`` (row, -1 for a rater outside the agency such as
    a service user), ``group`` (code of :class:`~asn_kinerja.model.RaterGroup`), ``score``; the rater's id and the
    criterion (e.g. a BerAKHLAK value) are held as codes into their distinct values (``rater_code`` into
    ``rater_ids``, ``criterion_code`` into ``criterion_names``), read per row as :attr:`rater_id` and
    :attr:`criterion`; ``line`` and ``source`` locate rows for messages."""

    ratee: Ints
    rater: Ints
    rater_code: Ints
    _rater_ids: Categorical = attrs.field(converter=_distinct)
    group: Codes
    criterion_code: npt.NDArray[np.integer[Any]]  # as narrow as the criteria allow (int8 for BerAKHLAK's seven)
    criterion_names: Objects
    score: Floats
    line: Ints | Lines | None = None
    source: str = "ratings"

    def __attrs_post_init__(self) -> None:
        _frozen(
            self.ratee,
            self.rater,
            self.rater_code,
            self.group,
            self.criterion_code,
            self.criterion_names,
            self.score,
        )

    def __len__(self) -> int:
        return len(self.ratee)

    @functools.cached_property
    def rater_ids(self) -> Objects:
        """The distinct rater ids ``rater_code`` points into (Python strings, made on first use)."""
        out: Objects = self._rater_ids.categories.astype(object)
        _frozen(out)
        return out

    def rater_id_of(self, code: int | np.integer[Any]) -> str:
        """The rater id of one ``rater_code`` (no other made)."""
        return str(self._rater_ids.category(int(code)))

    @functools.cached_property
    def rater_id(self) -> Objects:
        """The rater's id of each rating (made on first use)."""
        return _decoded(self.rater_code, self.rater_ids)

    @functools.cached_property
    def score_places(self) -> int:
        """The most decimal places of any score (-1 where a score holds no decimal of at most 15 digits):
        exact settlement uses it as the scale of every score (found on first use, in blocks: no temporary of the
        length of the ratings)."""
        return decimal_places(self.score)

    @functools.cached_property
    def criterion(self) -> Objects:
        """The criterion of each rating (made on first use)."""
        return _decoded(self.criterion_code, self.criterion_names)


def _decoded(codes: npt.NDArray[np.integer[Any]], names: Objects) -> Objects:
    table = np.empty(len(names) + 1, dtype=object)
    table[:-1] = names
    out: Objects = table[codes]
    _frozen(out)
    return out


@attrs.frozen(eq=False)
class SurveyTable:
    """Citizen satisfaction survey answers (PermenPANRB 14/2017): ``unit`` (row), ``respondent_id`` and
    ``answers`` (respondents × unsur, 1–4, 0 where not answered)."""

    unit: Ints
    respondent_id: Objects
    answers: npt.NDArray[np.int8]

    def __attrs_post_init__(self) -> None:
        _frozen(self.unit, self.respondent_id, self.answers)

    def __len__(self) -> int:
        return len(self.unit)


@attrs.frozen(eq=False)
class Dataset:
    """One agency's data for one evaluation period, validated.

    Build one with :func:`asn_kinerja.load_dataset` (a folder of CSV files) or
    :func:`asn_kinerja.from_records` (Python objects).
    """

    agency: str
    period: Period
    scale: tuple[Decimal, Decimal]
    units: UnitTable
    employees: EmployeeTable
    rhk: RhkTable
    indicators: IndicatorTable
    ratings: RatingTable
    surveys: SurveyTable
    adjustments: tuple[Adjustment, ...] = ()
    source: str = "<records>"

    def __repr__(self) -> str:
        return (
            f"<Dataset {self.agency!r} period {self.period.id}: {len(self.units)} units, "
            f"{len(self.employees)} employees, {len(self.indicators)} indicators, "
            f"{len(self.ratings)} ratings, {len(self.surveys)} survey responses>"
        )

    @functools.cached_property
    def _employee_index(self) -> IdIndex:
        column = self.employees.id_column
        if column.identity:  # every row its own id, as validated datasets have them
            return IdIndex.from_categories(column)
        ids = self.employees.id
        cat = factorize(ids)
        first = np.full(len(cat.categories) + 1, len(ids), dtype=np.int64)
        np.minimum.at(first, cat.codes, np.arange(len(ids)))
        return IdIndex.from_ids(cat.categories, first[:-1])

    def employee_row(self, employee_id: str) -> int:
        """The row of an employee by id (``KeyError`` if absent)."""
        found = self._employee_index.get(employee_id) if isinstance(employee_id, str) else None
        if found is None:
            raise KeyError(employee_id)
        return found

    def employee_rows(self, employee_ids: Sequence[str] | npt.NDArray[np.object_]) -> npt.NDArray[np.int64]:
        """The rows of employees by id, a column at a time (-1 where an id is unknown)."""
        values = np.empty(len(employee_ids), dtype=object)
        values[:] = list(employee_ids)
        return self._employee_index.lookup(values)
