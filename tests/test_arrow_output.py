"""Tests of the result table's Arrow columns made from numpy buffers (``ResultTable.to_arrow``, Parquet output):
each column gives what ``pyarrow.array`` gives for the same values, text beyond one array's limit is split into
chunks, and writing Parquet does not import pandas."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_kinerja.engine import arrow
from asn_kinerja.engine.table import Column, ResultTable

pa = pytest.importorskip("pyarrow")
ROOT = Path(__file__).resolve().parents[1]
TEXTS = st.lists(st.one_of(st.none(), st.text(max_size=5)), max_size=12)


@settings(max_examples=100, deadline=None)
@given(values=TEXTS)
def test_text_gives_what_pyarrow_array_gives(values: list[str | None]) -> None:
    cells = np.empty(len(values), dtype=object)
    cells[:] = values
    got = arrow.text_array(pa, cells)
    assert got.type == pa.string()
    assert got.equals(pa.array(values, type=pa.string()))


@settings(max_examples=50, deadline=None)
@given(values=TEXTS, limit=st.integers(1, 8))
def test_text_beyond_the_limit_is_chunked(values: list[str | None], limit: int) -> None:
    cells = np.empty(len(values), dtype=object)
    cells[:] = values
    original = arrow.MAX_TEXT_BYTES
    try:
        arrow.MAX_TEXT_BYTES = limit
        got = arrow.text_array(pa, cells)
    finally:
        arrow.MAX_TEXT_BYTES = original
    assert got.to_pylist() == values
    for chunk in getattr(got, "chunks", [got]):  # each chunk within the limit, or a single longer text
        size = sum(len(v.encode()) for v in chunk.to_pylist() if v is not None)
        assert size <= limit or len(chunk) == 1


@settings(max_examples=50, deadline=None)
@given(table=st.lists(st.one_of(st.none(), st.text(max_size=3)), min_size=1, max_size=4), data=st.data())
def test_coded_text_takes_its_distinct_values(table: list[str | None], data: st.DataObject) -> None:
    codes = data.draw(st.lists(st.integers(-1, len(table) - 1), max_size=10))
    distinct = np.empty(len(table), dtype=object)
    distinct[:] = table
    column = Column.coded("c", distinct, np.array(codes, dtype=np.int64))
    got = ResultTable((column,)).to_arrow().column("c")
    assert got.to_pylist() == [table[c] for c in codes]
    assert got.type == pa.string()


def test_flags_integers_and_empty_tables() -> None:
    flags = np.array([True, False, True, True, False, False, True, False, True])
    assert arrow.flag_array(pa, flags).to_pylist() == flags.tolist()
    table = ResultTable((Column.integer("n", [1, None, -(2**62)]), Column.flag("f", np.array([False, True, True]))))
    back = table.to_arrow()
    assert back.column("n").to_pylist() == [1, None, -(2**62)] and str(back.schema.field("n").type) == "int64"
    assert back.column("f").to_pylist() == [False, True, True]
    assert arrow.integer_array(pa, np.array([4, 5])).to_pylist() == [4, 5]
    empty = ResultTable((Column.text("t", []), Column.integer("n", []), Column.flag("f", np.zeros(0, bool))))
    assert empty.to_arrow().num_rows == 0
    assert [str(f.type) for f in empty.to_arrow().schema] == ["string", "int64", "bool"]


def test_writing_parquet_does_not_import_pandas(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom asn_kinerja import evaluate, load_dataset, load_policy\n"
        f"result = evaluate(load_policy('permenpanrb-6-2022'), load_dataset({str(ROOT / 'examples/bungo/data')!r}))\n"
        f"result.table().write_parquet({str(tmp_path / 'out.parquet')!r})\nprint('pandas' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
    assert (tmp_path / "out.parquet").stat().st_size > 0
