"""Datasets from columns: numpy arrays, pandas DataFrames, Arrow tables and Parquet files.

Every table has the columns of the CSV format (:mod:`asn_kinerja.dataset.io`) and goes through the same
validation as a CSV folder (:func:`~asn_kinerja.dataset.build.build_dataset`), so a bad cell gets the same message,
naming the table, the record and the field (rows have no lines: a record is named by its id, or ``row N``).

A table may be given as

- a ``dict`` of columns: numpy arrays (numbers as numeric arrays, NaN = empty; text as object arrays, ``None`` =
  empty), lists, or :class:`~asn_kinerja.dataset.columns.Categorical` (codes into distinct values, for text that
  repeats, such as ids referenced by millions of ratings);
- a pandas ``DataFrame`` (needs the ``pandas`` extra): text columns are factorised by pandas, categoricals are
  taken as they are;
- a pyarrow ``Table`` (needs the ``arrow`` extra): dictionary columns are taken as they are, text columns are
  dictionary-encoded by Arrow.

pandas and pyarrow are imported only when such an object is given.

>>> import datetime as dt
>>> import numpy as np
>>> from asn_kinerja.model import Period
>>> ds = from_frames(
...     agency="Contoh", period=Period("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
...     units={"unit_id": ["U1"], "name": ["Sekretariat"]},
...     employees={"employee_id": ["E1"], "name": ["Ani"], "unit_id": ["U1"], "jenis_jabatan": ["JA"]},
...     rhk={"rhk_id": ["R1"], "employee_id": ["E1"], "text": ["Laporan keuangan"]},
...     indicators={"indicator_id": ["I1"], "rhk_id": ["R1"], "text": ["Laporan terbit"],
...                 "target": np.array([12.0]), "realisasi": np.array([12.0])})
>>> ds
<Dataset 'Contoh' period 2024: 1 units, 1 employees, 1 indicators, 0 ratings, 0 survey responses>
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from asn_kinerja.dataset import buffers
from asn_kinerja.dataset.build import build_dataset
from asn_kinerja.dataset.columns import MAX_DIGITS, MAX_MAGNITUDE, Categorical
from asn_kinerja.dataset.csv_reader import categorical_from_chunks, plain_texts
from asn_kinerja.dataset.io import KEY_COLUMNS, load_folder
from asn_kinerja.dataset.limits import DatasetLimits
from asn_kinerja.dataset.model import Dataset
from asn_kinerja.dataset.table import OWN_IDS, Column, RawTable
from asn_kinerja.errors import DataError, Problem, excerpt
from asn_kinerja.model import Period

__all__ = ["OWN_IDS", "from_frames", "load_parquet", "require", "to_raw_table"]

_EXTRAS = {"pandas": "pandas", "pyarrow": "arrow", "python_calamine": "excel"}


def require(module: str) -> Any:
    """Import an optional dependency, or raise an ``ImportError`` naming the extra that installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        extra = _EXTRAS.get(module.split(".")[0], module)
        raise ImportError(f"{module} is needed for this; install it with: pip install 'asn_kinerja[{extra}]'") from exc


def _is_pandas(obj: object) -> bool:
    return type(obj).__module__.split(".")[0] == "pandas"


def _is_arrow(obj: object) -> bool:
    return type(obj).__module__.split(".")[0] == "pyarrow"


def _pandas_column(series: Any) -> Column:
    pd = require("pandas")
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        cats = series.cat.categories
        values = np.asarray(cats.to_numpy(dtype=object if cats.dtype.kind not in "fiu" else None))
        return Categorical(np.asarray(series.cat.codes.to_numpy(), dtype=np.int64), values)
    if dtype.kind in "fiub":
        out: npt.NDArray[np.generic] = series.to_numpy()
        return out
    if pd.api.types.is_numeric_dtype(dtype):  # nullable integers and floats: NaN for a missing value
        converted: npt.NDArray[np.generic] = series.to_numpy(dtype=np.float64, na_value=np.nan)
        return converted
    if pd.api.types.is_string_dtype(dtype) or dtype.kind == "O":
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        return Categorical(np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object))
    return np.asarray(series.to_numpy(dtype=object), dtype=object)


def _arrow_column(column: Any, *, own_ids: bool = False) -> Column:
    """An Arrow array or chunked array as a column, converted a whole column at a time from Arrow's buffers (no
    Python object per row, and no import of pandas): text as codes into its distinct values (``own_ids``: a
    column expected to hold each value once, see :data:`OWN_IDS`), numbers as numpy arrays (NaN for a null),
    exact decimals as float64 where every value is held exactly."""
    pa = require("pyarrow")
    pc = require("pyarrow.compute")
    chunked = column if isinstance(column, pa.ChunkedArray) else pa.chunked_array([column], type=column.type)
    kind = chunked.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        if own_ids and not chunked.null_count:
            strings = chunked.combine_chunks()
            if distinct_strings(strings):  # its own distinct values, in row order
                wide = np.int32 if len(strings) < 2**31 else np.int64
                codes: npt.NDArray[np.integer[Any]] = np.arange(len(strings), dtype=wide)
                return Categorical(codes, None, True, plain_texts(strings), arrow=strings, identity=True)
        chunked = pc.dictionary_encode(chunked)
        kind = chunked.type
    if pa.types.is_dictionary(kind):
        return _arrow_dictionary(chunked)
    arr = chunked.combine_chunks()
    if pa.types.is_decimal(kind):
        scaled = _arrow_decimals(arr)
        if scaled is not None:
            return scaled
        return np.asarray(arr.to_pylist(), dtype=object)  # a value not held exactly: its Decimal names it
    if pa.types.is_floating(kind) or pa.types.is_integer(kind):
        if arr.null_count and pa.types.is_integer(kind) and _beyond_doubles(arr):
            return np.asarray(arr.to_pylist(), dtype=object)  # exact integers (None for a null): their message
        return _numbers(arr)
    if pa.types.is_boolean(kind) and not arr.null_count:
        return buffers.flags(arr)
    return np.asarray(arr.to_pylist(), dtype=object)


def _numbers(arr: Any) -> npt.NDArray[np.generic]:
    """A numeric Arrow array as numpy: as it is without nulls, else float64 with NaN for a null."""
    if not arr.null_count:
        return buffers.values(arr)
    pa = require("pyarrow")
    out = buffers.values(arr.cast(pa.float64())).copy()
    out[~buffers.validity(arr)] = np.nan
    return out


def _beyond_doubles(arr: Any) -> bool:
    """Whether an integer Arrow array holds a value that a float64 does not hold exactly (beyond 2**53)."""
    values: npt.NDArray[np.integer[Any]] = buffers.values(arr)[buffers.validity(arr)]  # type: ignore[assignment]
    return bool(np.any((values > 2**53) | (values < -(2**53))))


class _Malformed(ValueError):
    """An Arrow array whose buffers break the rules of its own type."""


def _check_indices(chunked: Any) -> None:
    """Raise :class:`_Malformed` where an index of a dictionary-encoded chunk is outside its dictionary (Arrow
    checks this where it makes an array, not where a caller asked it not to): codes are taken from the indices as
    they are, and one out of range would name another value or none."""
    pc = require("pyarrow.compute")
    for chunk in chunked.chunks:
        if len(chunk) == chunk.null_count:
            continue
        low, high = (v.as_py() for v in pc.min_max(chunk.indices).values())
        if low < 0 or high >= len(chunk.dictionary):
            raise _Malformed(
                f"a dictionary index ({low if low < 0 else high}) outside its {len(chunk.dictionary)} values"
            )


def _arrow_dictionary(chunked: Any) -> Categorical:
    """A dictionary-encoded chunked array as codes (``-1`` for a null) into one dictionary for all chunks: text
    with ``int32`` indices (what Parquet's ``read_dictionary`` gives) as the CSV reader's blocks are
    (:func:`~asn_kinerja.dataset.csv_reader.categorical_from_chunks`), else through Arrow's
    ``unify_dictionaries``."""
    pa = require("pyarrow")
    _check_indices(chunked)
    kind = chunked.type
    if (
        chunked.num_chunks
        and pa.types.is_int32(kind.index_type)
        and (pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type))
        and not any(chunk.dictionary.null_count for chunk in chunked.chunks)
        and (chunked.num_chunks > 1 or distinct_strings(chunked.chunk(0).dictionary))
    ):
        return categorical_from_chunks(list(chunked.chunks))
    unified = chunked.unify_dictionaries()
    dictionary = unified.chunk(0).dictionary if unified.num_chunks else pa.array([], type=chunked.type.value_type)
    parts: list[npt.NDArray[np.integer[Any]]] = []
    for chunk in unified.chunks:
        indices = chunk.indices
        if pa.types.is_unsigned_integer(indices.type):
            indices = indices.cast(pa.int64())
        wide = np.int32 if indices.type.byte_width <= 4 else np.int64
        part: npt.NDArray[np.integer[Any]] = buffers.values(indices).astype(wide, copy=bool(indices.null_count))
        if indices.null_count:
            part[~buffers.validity(indices)] = -1
        parts.append(part)
    codes: npt.NDArray[np.integer[Any]] = np.empty(0, dtype=np.int32)
    if parts:
        codes = parts[0] if len(parts) == 1 else np.concatenate(parts)
    if pa.types.is_integer(dictionary.type) or pa.types.is_floating(dictionary.type):
        return Categorical(codes, _numbers(dictionary))
    if not (pa.types.is_string(dictionary.type) or pa.types.is_large_string(dictionary.type)):
        values = np.empty(len(dictionary), dtype=object)
        values[:] = dictionary.to_pylist()
        return Categorical(codes, values)
    # Text stays in Arrow until Python strings are asked for (ids that are only referenced never are); known
    # distinct where Arrow counts as many distinct values as there are, and per value whether it has anything to
    # strip. A dictionary with a null or a repeated value is made Python strings here and checked by validation.
    distinct = not dictionary.null_count and distinct_strings(dictionary)
    if not distinct:
        values = np.empty(len(dictionary), dtype=object)
        values[:] = dictionary.to_pylist()
        return Categorical(codes, values)
    return Categorical(codes, None, True, plain_texts(dictionary), arrow=dictionary)


#: The longest string (in bytes) :func:`distinct_strings` hashes with numpy; longer ones are compared in Python.
MAX_HASHED = 256
_PRIME = np.uint64(0x100000001B3)


def distinct_strings(strings: Any) -> bool:
    """Whether an Arrow string array without nulls holds no string twice, decided from its buffers without a
    Python object per string. Strings in strictly ascending order (ids exported in order, as key columns often
    are) are distinct: one comparison of each with the next decides it. Else a 64-bit hash of each string's bytes
    (numpy, in place: eight bytes a pass where the strings have one length, as ids mostly do, else a pass per byte
    position); where two hashes are equal (or a string is longer than :data:`MAX_HASHED`), the strings compared as
    Python strings.

    >>> import pyarrow as pa
    >>> distinct_strings(pa.array(["E1", "E2", "é", ""])), distinct_strings(pa.array(["E1", "x", "E1"]))
    (True, False)
    >>> distinct_strings(pa.array(["E1", "E2", "E3"])), distinct_strings(pa.array(["E1", "E2", "E2"]))
    (True, False)
    """
    # Where it does not decide: equal hashes (rare), or strings too long to hash; the strings themselves do.
    return known_distinct(strings) or _distinct_in_python(strings)


def known_distinct(strings: Any) -> bool:
    """:func:`distinct_strings` without its last resort: ``True`` where the strings are in strictly ascending order
    or their 64-bit hashes are all distinct (then so are the strings), decided from the buffers; ``False`` says only
    that this does not decide (two strings may be equal, or one is longer than :data:`MAX_HASHED`).

    >>> import pyarrow as pa
    >>> known_distinct(pa.array(["E2", "E1", "é"])), known_distinct(pa.array(["E2", "E1", "E2"]))
    (True, False)
    """
    return len(strings) < 2 or _ascending(strings) or _hashes_distinct(strings)


def _hashes_distinct(strings: Any) -> bool:
    """Whether the 64-bit hashes of the strings (two or more) are all distinct (numpy, in place)."""
    pa = require("pyarrow")
    n = len(strings)
    width = 8 if pa.types.is_large_string(strings.type) else 4
    _, offset_buffer, data_buffer = strings.buffers()
    offsets = np.frombuffer(offset_buffer, dtype=f"<i{width}", count=n + 1, offset=strings.offset * width)
    lengths = np.diff(offsets).astype(np.int64)
    longest = int(lengths.max())
    if longest > MAX_HASHED:
        return False
    data = np.zeros(1, dtype=np.uint8)
    if data_buffer is not None and data_buffer.size:
        data = np.frombuffer(data_buffer, dtype=np.uint8)
    h = lengths.astype(np.uint64)
    if int(lengths.min()) == longest:  # one length (ids, mostly): eight bytes at a time
        _hash_words(data[int(offsets[0]) : int(offsets[0]) + n * longest].reshape(n, longest), h)
    else:
        _hash_bytes(data, offsets[:-1].astype(np.int64), lengths, h)
    h.sort()
    return not bool(np.any(h[1:] == h[:-1]))


def _ascending(strings: Any) -> bool:
    """Whether each string of an Arrow string array (two or more, no nulls) is less than the next, byte for byte:
    one vectorised comparison, no hashing.

    >>> import pyarrow as pa
    >>> _ascending(pa.array(["A1", "A2", "B"])), _ascending(pa.array(["A1", "A1"])), _ascending(pa.array(["b", "a"]))
    (True, False, False)
    """
    pc = require("pyarrow.compute")
    if strings.null_count:
        return False
    n = len(strings)
    return bool(pc.all(pc.less(strings.slice(0, n - 1), strings.slice(1))).as_py())


def _hash_words(rows: npt.NDArray[np.uint8], h: npt.NDArray[np.uint64]) -> None:
    """Mix into ``h`` the bytes of each row of ``rows`` (strings of one length), eight bytes at a time."""
    word = np.zeros((len(rows), 8), dtype=np.uint8)
    for start in range(0, rows.shape[1], 8):
        part = rows[:, start : start + 8]
        word[:, : part.shape[1]] = part
        word[:, part.shape[1] :] = 0
        np.multiply(h, _PRIME, out=h)
        np.bitwise_xor(h, word.view(np.uint64).ravel(), out=h)


def _hash_bytes(
    data: npt.NDArray[np.uint8], at: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64], h: npt.NDArray[np.uint64]
) -> None:
    """Mix into ``h`` the bytes of each string (starting at ``at``, ``lengths`` bytes long), a byte position at a
    time; the buffers are reused by every pass (no fresh memory per position)."""
    n = len(h)
    index = np.empty(n, dtype=np.int64)
    byte = np.empty(n, dtype=np.uint8)
    past = np.empty(n, dtype=bool)
    left = lengths.copy()
    for _ in range(int(lengths.max())):  # byte j of every string (0 past its end: the lengths are hashed too)
        np.minimum(at, len(data) - 1, out=index)
        np.take(data, index, out=byte)
        np.less_equal(left, 0, out=past)
        np.putmask(byte, past, 0)
        np.multiply(h, _PRIME, out=h)
        np.bitwise_xor(h, byte, out=h)
        at += 1
        left -= 1


def _distinct_in_python(strings: Any) -> bool:
    """Whether the strings are distinct, compared as Python strings."""
    values = strings.to_pylist()
    return len(set(values)) == len(values)


def _arrow_decimals(arr: Any) -> npt.NDArray[np.float64] | None:
    """An exact decimal column (``decimal128(p, s)``) as float64, NaN for a null: each value's unscaled integer
    read from the buffer, trailing zeros dropped, and checked as :func:`~asn_kinerja.dataset.columns.parse_number`
    checks a Decimal (at most 15 significant digits and 15 places, magnitude up to 1e15), so the float is the
    decimal's nearest (and exact) double. ``None`` where a value does not fit: the caller converts the column
    through its Decimals, whose messages name each bad value."""
    if arr.type.byte_width != 16:
        return None
    if not len(arr):
        return np.empty(0, dtype=np.float64)
    words = np.frombuffer(arr.buffers()[1], dtype="<i8", count=2 * len(arr), offset=arr.offset * 16).reshape(-1, 2)
    low, high = words[:, 0], words[:, 1]
    valid = buffers.validity(arr)
    if not bool(np.all(high[valid] == (low[valid] >> 63))):  # beyond int64: more digits than kept
        return None
    unscaled = np.where(valid, low, 0)
    places = np.full(len(arr), arr.type.scale, dtype=np.int64)
    for _ in range(19):  # drop trailing zeros
        zero = (unscaled % 10 == 0) & (unscaled != 0)
        if not zero.any():
            break
        unscaled = np.where(zero, unscaled // 10, unscaled)
        places -= zero
    magnitude = np.abs(unscaled)  # negative only for -2**63, which has too many digits
    digits = np.ones(len(arr), dtype=np.int64)
    for k in range(1, 19):
        digits += magnitude >= 10**k
    nonzero = unscaled != 0
    fits = (
        (magnitude >= 0)
        & (digits <= MAX_DIGITS)
        & (~nonzero | ((digits - 1 - places <= MAX_DIGITS) & (places <= MAX_DIGITS)))
    )
    values = unscaled.astype(np.float64)
    whole = places <= 0
    values[whole] *= 10.0 ** -places[whole]
    values[~whole] /= 10.0 ** places[~whole]
    fits &= ~nonzero | (np.abs(values) <= MAX_MAGNITUDE)
    if not bool(fits[valid].all()):
        return None
    values[~valid] = np.nan
    return values


def _plain_column(values: object) -> Column:
    if isinstance(values, Categorical):
        return values
    if _is_pandas(values):
        return _pandas_column(values)
    if _is_arrow(values):
        return _arrow_column(values)
    if isinstance(values, np.ndarray):
        if values.dtype.kind in "fiub" or values.dtype == object:
            return values
        return values.astype(object)
    items: list[Any] = list(values)  # type: ignore[call-overload]
    arr: npt.NDArray[np.object_] = np.empty(len(items), dtype=np.object_)
    arr[:] = items
    return arr


def to_raw_table(name: str, table: object, *, source: str | None = None) -> RawTable:
    """One input table (dict of columns, DataFrame or Arrow table) as a :class:`RawTable` for validation."""
    label = source or f"{name} (frame)"
    names = [str(col) for col in _column_names(table)]
    twice = sorted({col for i, col in enumerate(names) if col in names[:i]})
    if twice:  # as a CSV header with a column twice
        raise DataError(
            [Problem(f"the column {excerpt(col)} appears twice in the header", source=label) for col in twice]
        )
    if _is_pandas(table):
        frame: Any = table
        columns = {str(col): _pandas_column(frame[col]) for col in frame.columns}
    elif _is_arrow(table):
        arrow: Any = table
        own = OWN_IDS.get(name)
        columns = _converted(
            ((str(c), functools.partial(_arrow_column, arrow.column(c), own_ids=c == own)) for c in arrow.column_names),
            label,
        )
    elif isinstance(table, Mapping):
        columns = _converted(((str(c), functools.partial(_plain_column, v)) for c, v in table.items()), label)
    else:
        raise TypeError(f"the {name} table must be a dict of columns, a pandas DataFrame or an Arrow table")
    lengths = {len(col) for col in columns.values()}
    if len(lengths) > 1:
        raise DataError([Problem(f"columns of different lengths: {sorted(lengths)}", source=label)])
    floats = [col for col in columns if col in ID_COLUMNS and np.asarray(columns[col]).dtype.kind == "f"]
    if floats:
        raise DataError(
            [
                Problem(
                    "identifiers read as floating-point numbers lose digits (an 18-digit NIP does not fit): read "
                    "the column as text, e.g. pandas.read_csv(..., dtype=str)",
                    source=label,
                    field=col,
                )
                for col in floats
            ]
        )
    return RawTable(name, label, columns, None, KEY_COLUMNS.get(name))


def _converted(columns: Iterable[tuple[str, Callable[[], Column]]], label: str) -> dict[str, Column]:
    """Each named column converted; a column whose buffers break its own type's rules (a dictionary index out of
    its dictionary: an Arrow array made unchecked, a damaged file) is a problem naming it, all such columns in one
    report."""
    converted: dict[str, Column] = {}
    problems: list[Problem] = []
    for col, convert in columns:
        try:
            converted[col] = convert()
        except _Malformed as exc:
            problems.append(Problem(f"the column {excerpt(col)} is malformed: {exc}", source=label, field=col))
    if problems:
        raise DataError(problems)
    return converted


def _column_names(table: object) -> list[object]:
    if _is_pandas(table):
        return list(table.columns)  # type: ignore[attr-defined]
    if _is_arrow(table):
        return list(table.column_names)  # type: ignore[attr-defined]
    if isinstance(table, Mapping):
        return list(table)
    return []


#: Columns that hold identifiers: text, never numbers.
ID_COLUMNS = frozenset(
    {
        "unit_id",
        "parent_id",
        "employee_id",
        "superior_id",
        "rhk_id",
        "intervensi_id",
        "indicator_id",
        "ratee_id",
        "rater_id",
        "respondent_id",
        "evaluator_id",
        "by",
    }
)


def from_frames(
    *,
    agency: str,
    period: Period,
    scale: tuple[Decimal | int | str, Decimal | int | str] = (1, 5),
    units: object,
    employees: object,
    rhk: object,
    indicators: object,
    ratings: object = None,
    evaluations: object = None,
    surveys: object = None,
    adjustments: object = None,
    source: str = "<frames>",
) -> Dataset:
    """A validated dataset from tables of columns, with the column names of the CSV format; the same checks and
    messages as :func:`~asn_kinerja.load_dataset`. Each table is a dict of arrays, a pandas DataFrame or an
    Arrow table (tables may mix); optional tables may be ``None``. A table that cannot be read as columns (a column
    twice, columns of different lengths …) does not hide the others': every table's problems are in one
    :class:`~asn_kinerja.DataError`, as for a folder."""
    given = {
        "units": units,
        "employees": employees,
        "rhk": rhk,
        "indicators": indicators,
        "ratings": ratings,
        "evaluations": evaluations,
        "surveys": surveys,
        "adjustments": adjustments,
    }
    tables: dict[str, RawTable] = {}
    problems: list[Problem] = []
    for name, table in given.items():  # every table's problems in one report, as a folder's are
        if table is None:
            continue
        try:
            tables[name] = to_raw_table(name, table)
        except DataError as exc:
            problems += exc.problems
    if problems:
        raise DataError(problems)
    return build_dataset(
        agency=agency,
        period=period,
        scale=scale,
        tables=tables,
        source=source,
    )


@contextlib.contextmanager
def _system_pool(pa: Any) -> Iterator[None]:
    """Arrow's system allocator as its default memory pool while a file is read (``ParquetFile`` takes no pool of
    its own). Arrow's default pool (mimalloc) asks the kernel for huge pages for its arena, and on a machine whose
    kernel compacts memory for them (``transparent_hugepage/defrag`` set to ``madvise``) each first touch waits
    for it; the system allocator's ordinary pages cost a fraction of that, and its memory returns to the system
    once freed. Buffers remember their pool, so arrays made here are freed correctly after."""
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def load_parquet(path: str | Path, *, limits: DatasetLimits | None = None) -> Dataset:
    """Load a dataset folder of Parquet files (``units.parquet``, ``employees.parquet`` …, with the manifest
    ``dataset.yaml`` as for CSV; its ``files`` may name other files), validating everything (needs the ``arrow``
    extra); files beyond ``limits`` are refused before they are read."""
    require("pyarrow.parquet")  # a missing extra is said before anything is read

    def read(file_path: Path, name: str, label: str) -> RawTable:
        try:
            arrow = read_parquet_arrow(file_path, name)
        except Exception as exc:  # any unreadable file is reported, never a traceback
            raise DataError([Problem(f"not a readable Parquet file: {exc}", source=label)]) from None
        return to_raw_table(name, arrow, source=label)

    return load_folder(path, "parquet", read, limits)


def read_parquet_arrow(file_path: Path, name: str) -> Any:
    """The Arrow table of the Parquet file of table ``name``, every column, as :func:`load_parquet` reads it: text
    other than the table's own ids dictionary-encoded (codes into distinct values), with Arrow's system allocator;
    Arrow's error where the file cannot be read."""
    pq = require("pyarrow.parquet")
    pa = require("pyarrow")
    # ParquetFile, not read_table: that one imports pyarrow.dataset and pandas (a second per process)
    schema = pq.read_schema(file_path)
    text = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
    text = [column for column in text if column != OWN_IDS.get(name)]
    with _system_pool(pa), pq.ParquetFile(file_path, read_dictionary=text) as parquet:
        return parquet.read()
