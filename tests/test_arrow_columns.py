"""Tests of Arrow columns converted from their buffers (Parquet files, Arrow tables): each gives what converting
the column through its Python values gives, and bad values keep their messages.

- dictionary columns of several chunks (a dictionary per chunk), null indices, other index types;
- numbers with nulls (NaN), booleans;
- exact decimals as float64 where every value is held exactly, else as Decimals (the message names the value);
- a Parquet folder is read without importing pandas.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_kinerja.dataset import build, columns
from asn_kinerja.dataset.columns import Categorical, parse_number
from asn_kinerja.dataset.frames import _arrow_column, from_frames, load_parquet
from asn_kinerja.dataset.table import RawTable
from asn_kinerja.errors import DataError
from asn_kinerja.model import Period

PERIOD = Period("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
MANIFEST = "agency: A\nperiod: {id: '2025', start: 2025-01-01, end: 2025-12-31}\nscale: {min: 1, max: 5}\n"


def cells(column: object) -> list[object]:
    """The cells of a converted column, ``None`` for an empty one."""
    if isinstance(column, Categorical):
        return column.dense().tolist()
    values = np.asarray(column)
    if values.dtype.kind == "f":
        return [None if np.isnan(v) else float(v) for v in values]
    return values.tolist()


@settings(max_examples=100, deadline=None)
@given(
    parts=st.lists(st.lists(st.one_of(st.none(), st.sampled_from(["A", "B", " C", "", "é"])), max_size=6), max_size=4),
    index=st.sampled_from([pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint8(), pa.uint32()]),
)
def test_dictionary_chunks_give_their_values(parts: list[list[str | None]], index: pa.DataType) -> None:
    chunks = [pa.array(part, type=pa.string()).dictionary_encode() for part in parts]
    chunks = [pa.DictionaryArray.from_arrays(c.indices.cast(index), c.dictionary) for c in chunks]
    column = pa.chunked_array(chunks, type=pa.dictionary(index, pa.string()))
    got = _arrow_column(column)
    assert isinstance(got, Categorical)
    assert got.codes.dtype.kind == "i"
    assert cells(got) == [x for part in parts for x in part]
    if got.distinct:
        assert len(set(got.categories.tolist())) == len(got.categories)


@pytest.mark.parametrize("groups", [1, 3])
def test_a_dictionary_with_a_value_twice_gives_its_values(groups: int) -> None:
    """A dictionary that holds a value twice (a writer other than Arrow may make one): the values are right and
    categories said to be distinct are, in one row group or several."""
    dictionary = pa.array(["A", "B", "A", "C"])
    indices = [pa.array([0, 1, 2, None, 3, 2], type=pa.int32()) for _ in range(groups)]
    column = pa.chunked_array([pa.DictionaryArray.from_arrays(i, dictionary) for i in indices])
    got = _arrow_column(column)
    assert cells(got) == ["A", "B", "A", None, "C", "A"] * groups
    assert isinstance(got, Categorical)
    if got.distinct:
        assert len(set(got.categories.tolist())) == len(got.categories)


def test_a_dictionary_index_outside_its_dictionary_is_named() -> None:
    """Arrow arrays made unchecked (``safe=False``) with an index beyond their dictionary, in one chunk or several,
    in an Arrow table or a dict of columns: a problem naming the column, never a value guessed or a traceback."""
    bad = pa.DictionaryArray.from_arrays(pa.array([0, 5], type=pa.int32()), pa.array(["a", "b"]), safe=False)
    malformed = "is malformed: a dictionary index (5) outside its 2 values"
    units = {"unit_id": ["U1", "U2"], "name": ["a", "b"]}
    employees = {"employee_id": ["E1", "E2"], "name": ["x", "y"], "unit_id": ["U1", "U2"]}
    cases = [
        ({"units": pa.table({**units, "name": pa.chunked_array([bad[:1], bad[1:]])})}, ("units (frame)", "name")),
        ({"employees": {**employees, "unit_id": bad}}, ("employees (frame)", "unit_id")),
    ]
    for tables, (source, field) in cases:
        given = {"units": units, "employees": employees, **tables}
        with pytest.raises(DataError) as info:
            from_frames(agency="A", period=PERIOD, rhk={"rhk_id": []}, indicators={"indicator_id": []}, **given)
        problems = [(p.source, p.field, p.message) for p in info.value.problems]
        assert problems == [(source, field, f"the column '{field}' {malformed}")]


def test_parquet_row_groups_give_one_narrow_array_of_codes(tmp_path: Path) -> None:
    """A text column of a Parquet file in several row groups, read with its dictionaries: one array of codes, a
    byte a row where the distinct values are few, the values those written (nulls included)."""
    values = [None if i % 11 == 0 else f"g{i % 5}" for i in range(5000)]
    pq.write_table(pa.table({"group": values}), tmp_path / "t.parquet", row_group_size=700)
    with pq.ParquetFile(tmp_path / "t.parquet", read_dictionary=["group"]) as parquet:
        arrow = parquet.read()
    assert arrow.column("group").num_chunks > 1
    got = _arrow_column(arrow.column("group"))
    assert isinstance(got, Categorical)
    assert got.codes.dtype == np.int8
    assert cells(got) == values


@pytest.mark.parametrize(
    ("array", "expected"),
    [
        (pa.array([1, None, 3], type=pa.int64()), [1.0, None, 3.0]),
        (pa.array([1, 2], type=pa.uint16()), [1, 2]),
        (pa.array([1.5, None], type=pa.float32()), [1.5, None]),
        (pa.array([0.25, 2.0]), [0.25, 2.0]),
        (pa.array([True, False, True]), [True, False, True]),
        (pa.array([True, None]), [True, None]),
        (pa.array([1, 2, 3, None], type=pa.int32()).slice(1), [2.0, 3.0, None]),
    ],
)
def test_numbers_and_flags(array: pa.Array, expected: list[object]) -> None:
    assert cells(_arrow_column(array)) == expected


DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=-(10**12), max_value=10**12)


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.none(), DECIMALS, st.sampled_from([Decimal("1E+15"), Decimal("0.000001")])), max_size=8
    ),
    precision_scale=st.sampled_from([(38, 6), (22, 6), (38, 20), (28, 10)]),
    start=st.integers(0, 2),
)
def test_decimals_are_the_numbers_their_text_gives(
    values: list[Decimal | None], precision_scale: tuple[int, int], start: int
) -> None:
    precision, scale = precision_scale
    array = pa.array([Decimal(0)] * start + values, type=pa.decimal128(precision, scale))[start:]
    got = _arrow_column(array)
    parsed = [None if v is None else parse_number(v) for v in array.to_pylist()]
    wide = any(v is not None and abs(int(v.scaleb(scale))) >= 2**63 for v in array.to_pylist())
    if np.asarray(got).dtype == np.float64:  # every value held exactly: its float
        assert cells(got) == parsed
    else:  # a value beyond (or an unscaled integer beyond int64): the Decimals, whose messages name them
        assert wide or any(isinstance(p, str) for p in parsed)
        assert cells(got) == array.to_pylist()
    if not wide and all(not isinstance(p, str) for p in parsed):
        assert np.asarray(got).dtype == np.float64


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (Decimal("1.0000000000000001"), "has 17 significant digits, more than the 15 kept exactly"),
        (Decimal("12345678901234567890"), "has 19 significant digits, more than the 15 kept exactly"),
        (Decimal("2000000000000000"), "'2000000000000000' is out of the range of numbers kept exactly"),
    ],
)
def test_a_decimal_not_held_exactly_is_named(tmp_path: Path, value: Decimal, message: str) -> None:
    kind = pa.decimal128(38, 16) if value < 10 else pa.decimal128(38, 0)
    tables = {
        "units": pa.table({"unit_id": ["U1"], "name": ["Sekretariat"]}),
        "employees": pa.table({"employee_id": ["E1"], "name": ["Ani"], "unit_id": ["U1"], "jenis_jabatan": ["JA"]}),
        "rhk": pa.table({"rhk_id": ["R1"], "employee_id": ["E1"], "text": ["Laporan"]}),
        "indicators": pa.table(
            {
                "indicator_id": ["I1", "I2"],
                "rhk_id": ["R1", "R1"],
                "text": ["Laporan terbit", "Rapat"],
                "target": pa.array([Decimal(12), value], type=kind),
                "realisasi": pa.array([Decimal(12), Decimal(3)], type=kind),
            }
        ),
    }
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "dataset.yaml").write_text(MANIFEST, encoding="utf-8")
    for name, table in tables.items():
        pq.write_table(table, folder / f"{name}.parquet")
    with pytest.raises(DataError) as info:
        load_parquet(folder)
    [problem] = info.value.problems
    assert (problem.source, problem.record, problem.field) == ("indicators.parquet", "I2", "target")
    assert message in problem.message


def test_exact_decimals_give_the_dataset_of_their_floats() -> None:
    def tables(numbers: list[object], kind: pa.DataType) -> dict[str, object]:
        return {
            "units": {"unit_id": ["U1"], "name": ["Sekretariat"]},
            "employees": {"employee_id": ["E1"], "name": ["Ani"], "unit_id": ["U1"], "jenis_jabatan": ["JA"]},
            "rhk": {"rhk_id": ["R1"], "employee_id": ["E1"], "text": ["Laporan"]},
            "indicators": pa.table(
                {
                    "indicator_id": ["I1", "I2"],
                    "rhk_id": ["R1", "R1"],
                    "text": ["A", "B"],
                    "target": pa.array(numbers[:2], kind),
                    "realisasi": pa.array(numbers[2:], kind),
                }
            ),
        }

    given = [Decimal("0.10"), Decimal("1234.5"), None, Decimal("0.30")]
    exact = from_frames(agency="A", period=PERIOD, **tables(given, pa.decimal128(9, 2)))
    floats = from_frames(agency="A", period=PERIOD, **tables([0.1, 1234.5, None, 0.3], pa.float64()))
    for column in ("target_low", "target_high", "realisasi"):
        mine, theirs = getattr(exact.indicators, column), getattr(floats.indicators, column)
        assert mine.dtype == theirs.dtype == np.float64
        assert np.array_equal(mine, theirs, equal_nan=True)


def test_a_parquet_folder_is_read_without_pandas(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "dataset.yaml").write_text(MANIFEST, encoding="utf-8")
    tables = {
        "units": pa.table({"unit_id": ["U1"], "name": ["Sekretariat"], "parent_id": pa.array([None], pa.string())}),
        "employees": pa.table({"employee_id": ["E1"], "name": ["Ani"], "unit_id": ["U1"], "jenis_jabatan": ["JA"]}),
        "rhk": pa.table({"rhk_id": ["R1"], "employee_id": ["E1"], "text": ["Laporan"]}),
        "indicators": pa.table(
            {"indicator_id": ["I1"], "rhk_id": ["R1"], "text": ["A"], "target": [12], "realisasi": [None]}
        ),
    }
    for name, table in tables.items():
        pq.write_table(table, folder / f"{name}.parquet")
    code = (
        "import sys\nfrom asn_kinerja.dataset.frames import load_parquet\n"
        f"load_parquet({str(folder)!r})\nprint('pandas' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_long_column_is_checked_in_blocks_as_a_whole() -> None:
    odd = [0.1 + 0.2, np.nan, np.inf, 1e16, 1e-300, 0.125, 2.5]
    values = np.resize(np.array([1.0, 3.5, 0.001, *odd]), 3 * columns.BLOCK + 5)
    values[columns.BLOCK - 3 : columns.BLOCK + 4] = odd  # across a block's edge
    assert columns.held_exactly(values).tolist() == columns._held_exactly(values).tolist()
    assert columns.held_exactly(values)[columns.BLOCK - 3 : columns.BLOCK + 4].tolist() == [
        False,
        False,
        False,
        False,
        False,
        True,
        True,
    ]


@pytest.mark.parametrize("column", [np.array([1.5, np.nan, 0.0]), np.array([3, 0], dtype=np.int64)])
def test_a_numeric_column_is_filled_where_not_nan(column: npt.NDArray[np.generic]) -> None:
    table = RawTable("indicators", "indicators (frame)", {"target_low": column})
    checker = build._Checker()
    assert build._filled(checker, table, "target_low").tolist() == [
        not (isinstance(x, float) and np.isnan(x)) for x in column.tolist()
    ]
    text = build._Checker().text_column(table, "target_low").codes >= 0  # the general path agrees
    assert build._filled(checker, table, "target_low").tolist() == text.tolist()


def test_a_large_integer_beside_a_null_is_reported_not_raised() -> None:
    column = pa.array([12, None, 2**60 + 1], type=pa.int64())
    assert cells(_arrow_column(column)) == [12, None, 2**60 + 1]  # exact, not rounded through a double
    units = pa.table({"unit_id": ["U1"], "name": ["Sekretariat"]})
    with pytest.raises(DataError) as info:
        from_frames(
            agency="A",
            period=PERIOD,
            units=units,
            employees={"employee_id": ["E1"], "name": ["Ani"], "unit_id": ["U1"], "jenis_jabatan": ["JA"]},
            rhk={"rhk_id": ["R1"], "employee_id": ["E1"], "text": ["Laporan"]},
            indicators=pa.table(
                {
                    "indicator_id": ["I1", "I2", "I3"],
                    "rhk_id": ["R1"] * 3,
                    "text": ["A", "B", "C"],
                    "target": [12, 12, 12],
                    "realisasi": column,
                }
            ),
        )
    [problem] = info.value.problems
    assert (problem.record, problem.field) == ("I3", "realisasi")
    assert problem.message == "has 19 significant digits, more than the 15 kept exactly"  # as without the null
