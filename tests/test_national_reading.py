"""Memory of reading and validating a CSV folder at national scale, measured in bytes held at once (``tracemalloc``
sees numpy's arrays; a proxy of Arrow's memory pool counts Arrow's), never in time. A million employees have some
42 million ratings: each array of the ratings' length is 42–336 MB, and each one made afresh costs page faults.

- a column read in many blocks (each with its own dictionary) is converted into one array of codes, with no
  unified copy and no concatenation of the column's length;
- the tables handed over to the validator are let go of as they are validated, and a rating's group and score
  columns once converted, so the raw and the checked columns are not all held at once.
"""

from __future__ import annotations

import gc
import tracemalloc
import weakref
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_kinerja.dataset import csv_reader
from asn_kinerja.dataset.columns import Categorical
from asn_kinerja.dataset.io import KEY_COLUMNS, TABLES, build_from_manifest, load_dataset, read_manifest
from asn_kinerja.dataset.lines import Lines
from asn_kinerja.dataset.table import RawTable
from asn_kinerja.testing import generate_population

MANIFEST = "agency: X\nperiod: {id: '2025', start: 2025-01-01, end: 2025-12-31}\nscale: {min: 1, max: 5}\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CSV folder of 1 500 generated employees (some 63 000 ratings)."""
    root = tmp_path_factory.mktemp("national")
    _, frames = generate_population(1500, seed=4, return_frames=True)
    for name, columns in frames.items():
        arrays = {}
        for col, values in columns.items():
            if isinstance(values, Categorical):
                codes = np.asarray(values.codes, dtype=np.int32)
                dictionary = pa.array(values.categories)
                arrays[col] = pa.DictionaryArray.from_arrays(pa.array(codes, mask=codes < 0), dictionary).cast(
                    dictionary.type
                )
            else:
                arrays[col] = pa.array(values, from_pandas=True)
        pcsv.write_csv(pa.table(arrays), root / f"{name}.csv", pcsv.WriteOptions(quoting_style="needed"))
    (root / "dataset.yaml").write_text(MANIFEST, encoding="utf-8")
    return root


def _read_all(root: Path) -> dict[str, RawTable]:
    return {
        name: csv_reader.read_csv(root / f"{name}.csv", name, key=KEY_COLUMNS[name])
        for name in TABLES
        if (root / f"{name}.csv").exists()
    }


def _same_categorical(a: Any, b: Any) -> None:
    assert isinstance(a, Categorical) and isinstance(b, Categorical)
    assert a.codes.tolist() == b.codes.tolist()
    assert a.categories.tolist() == b.categories.tolist()  # one order: of first appearance in the file
    assert a.plain is not None and b.plain is not None and a.plain.tolist() == b.plain.tolist()


def test_a_file_read_in_many_blocks_gives_the_columns_of_one_block(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = csv_reader.read_csv(folder / "ratings.csv", "ratings")
    monkeypatch.setattr(csv_reader, "_BLOCK", 1 << 12)  # some 700 blocks, each with its own dictionaries
    blocks = csv_reader.read_csv(folder / "ratings.csv", "ratings")
    assert set(blocks.columns) == set(whole.columns) == {"ratee_id", "rater_id", "group", "criterion", "score"}
    for column in whole.columns:
        _same_categorical(blocks.columns[column], whole.columns[column])


def test_quoted_newlines_and_blank_lines_read_in_many_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = ["unit_id,name"]
    for i in range(400):
        rows.append(f'U{i % 37},"Bagian\n{i % 11}"' if i % 5 == 0 else f"U{i % 37},Bagian {i % 11}")
        if i % 13 == 0:
            rows.append("")
    data = ("\n".join(rows) + "\n").encode()
    whole = csv_reader.parse_csv(data, "units", "units.csv")
    monkeypatch.setattr(csv_reader, "_BLOCK", 256)
    blocks = csv_reader.parse_csv(data, "units", "units.csv")
    for column in ("unit_id", "name"):
        _same_categorical(blocks.columns[column], whole.columns[column])
    assert isinstance(blocks.lines, Lines) and isinstance(whole.lines, Lines)
    assert blocks.lines.tolist() == whole.lines.tolist()


@pytest.mark.parametrize("quoted_newline", [False, True])
def test_a_record_longer_than_a_block_is_read(monkeypatch: pytest.MonkeyPatch, quoted_newline: bool) -> None:
    # Arrow refuses a record that straddles two blocks; the file is then read with larger blocks.
    long = "Bagian" + ("\n" if quoted_newline else " ") + "x" * 5000
    data = f'unit_id,name\nU1,Umum\nU2,"{long}"\nU3,Keuangan\n'.encode()
    monkeypatch.setattr(csv_reader, "_BLOCK", 1024)
    table = csv_reader.parse_csv(data, "units", "units.csv")
    assert table.columns["name"].dense().tolist() == ["Umum", long, "Keuangan"]
    assert table.lines.tolist() == [2, 3, 4 + quoted_newline]


def test_a_column_of_many_chunks_is_converted_into_one_array(monkeypatch: pytest.MonkeyPatch) -> None:
    rows_per_chunk, count = 4000, 50
    rng = np.random.default_rng(1)
    chunks = [
        pa.array([f"E{x:06d}" for x in rng.integers(0, 300, rows_per_chunk)]).dictionary_encode() for _ in range(count)
    ]
    expected = pa.chunked_array(chunks).to_pylist()
    pool = pa.proxy_memory_pool(pa.system_memory_pool())
    monkeypatch.setattr(csv_reader, "_pool", lambda: pool)
    rows = rows_per_chunk * count
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        column = csv_reader.categorical_from_chunks(chunks)
        numpy_peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert column.dense().tolist() == expected
    assert column.categories.tolist() == list(dict.fromkeys(expected))  # in order of first appearance
    assert not chunks  # each chunk let go of once written
    # Arrow: the chunks' dictionaries encoded together (~15 000 entries), never a unified copy of the column
    assert pool.max_memory() < rows
    # numpy: the codes (4 bytes a row) and the entries' global codes, never a concatenation besides
    assert numpy_peak < 4 * rows + 64 * 1024


def test_tables_handed_over_are_let_go_of_as_they_are_validated(folder: Path) -> None:
    manifest, _ = read_manifest(folder)
    kept = build_from_manifest(manifest, _read_all(folder), "national")
    tables = _read_all(folder)
    ratings = weakref.ref(tables["ratings"])
    score = weakref.ref(tables["ratings"].columns["score"].codes)  # type: ignore[union-attr]
    handed = build_from_manifest(manifest, tables, "national", release=True)
    gc.collect()
    assert not tables and ratings() is None and score() is None
    for name in ("ratee", "rater", "rater_code", "group", "criterion_code", "score"):
        assert np.array_equal(getattr(handed.ratings, name), getattr(kept.ratings, name)), name
    assert handed.indicators.id.tolist() == kept.indicators.id.tolist()
    assert handed.employees.id.tolist() == kept.employees.id.tolist()


def test_validating_ratings_holds_few_bytes_per_rating(folder: Path) -> None:
    """Above the raw tables read, validation holds the checked columns (ratee, rater: 4 bytes each, group 1,
    score 8) and temporaries; the raw group and score codes go once converted, the rater rows are not copied to
    mark the service users, the ids read in order are not copied (the old code: 51 bytes a rating)."""
    manifest, _ = read_manifest(folder)
    tracemalloc.start()
    try:
        tables = _read_all(folder)
        count = len(tables["ratings"])
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        dataset = build_from_manifest(manifest, tables, "national", release=True)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert len(dataset.ratings) == count > 50_000
    assert peak < 32 * count


def test_a_folder_with_problems_is_reported_the_same_when_handed_over(tmp_path: Path, folder: Path) -> None:
    for path in folder.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    ratings = (tmp_path / "ratings.csv").read_text().splitlines()
    first = ratings[1].split(",")
    ratings[1] = ",".join([*first[:2], "peer", *first[3:4], "9"])  # a bad group, a score off the scale
    (tmp_path / "ratings.csv").write_text("\n".join(ratings) + "\n")
    with pytest.raises(Exception) as caught:
        load_dataset(tmp_path)
    messages = [(p.line, p.field, p.message) for p in caught.value.problems]  # type: ignore[attr-defined]
    assert (2, "score", "9 is outside the scale 1–5") in messages
    assert any(line == 2 and field == "group" for line, field, _ in messages)


_ids = st.lists(st.sampled_from(["", "A1", "A2", "A10", "B", "b", "é", "A1 ", "Z9"]), max_size=12)


@pytest.mark.parametrize(
    ("distinct", "kind"), [(1, np.int8), (127, np.int8), (128, np.int16), (32767, np.int16), (32768, np.int32)]
)
def test_codes_are_as_narrow_as_the_distinct_values_allow(distinct: int, kind: type[np.integer[Any]]) -> None:
    """A column of few distinct values (a rater group, a criterion, a score) gets a byte a row, more only where its
    distinct values need it: the values are those of the column, in one or many chunks, at every boundary."""
    values = [f"v{(i * 7919) % distinct}" for i in range(max(2 * distinct, 1000))]
    half = len(values) // 2
    for parts in ([values], [values[:half], values[half:]]):
        chunks = [pa.array(part, type=pa.string()).dictionary_encode() for part in parts]
        column = csv_reader.categorical_from_chunks(chunks)
        assert column.codes.dtype == kind
        assert column.size == distinct
        assert column.dense().tolist() == values


@settings(max_examples=300, deadline=None)
@given(st.lists(_ids, min_size=2, max_size=6), st.booleans())
def test_a_column_in_ascending_order_gets_the_codes_of_hashing(values: list[list[str]], ascending: bool) -> None:
    """Chunks whose dictionaries never decrease are unified by comparing neighbours, not by hashing: the same
    dictionary (first appearance) and codes as ``dictionary_encode`` of the whole column, for any chunks."""
    if ascending:
        flat = sorted(v for chunk in values for v in chunk)
        cuts = np.cumsum([len(chunk) for chunk in values])[:-1]
        values = [list(part) for part in np.split(np.array(flat, dtype=object), cuts)]
    chunks = [pa.array(chunk, type=pa.string()).dictionary_encode() for chunk in values]
    expected = pa.chunked_array(chunks, type=pa.dictionary(pa.int32(), pa.string())).cast(pa.string())
    reference = expected.combine_chunks().dictionary_encode()
    column = csv_reader.categorical_from_chunks(chunks)
    assert column.codes.tolist() == reference.indices.to_pylist()
    assert column.categories.tolist() == reference.dictionary.to_pylist()
    assert column.plain is not None
    assert column.plain.tolist() == csv_reader.plain_texts(reference.dictionary).tolist()


def _read_in_blocks(
    monkeypatch: pytest.MonkeyPatch, data: bytes, name: str, columns: tuple[str, ...], key: str | None = None
) -> list[list[Any]]:
    """``data`` read in blocks of 1 kB: each of ``columns`` as read in one block; what Arrow's ``dictionary_encode``
    was given, call by call."""
    whole = csv_reader.parse_csv(data, name, f"{name}.csv", key=key)
    monkeypatch.setattr(csv_reader, "_BLOCK", 1024)
    hashed: list[list[Any]] = []
    original = pc.dictionary_encode

    def counting(values: Any, *args: Any, **kwargs: Any) -> Any:
        hashed.append(values.to_pylist())
        return original(values, *args, **kwargs)

    monkeypatch.setattr(pc, "dictionary_encode", counting)
    blocks = csv_reader.parse_csv(data, name, f"{name}.csv", key=key)
    for column in columns:
        _same_categorical(blocks.columns[column], whole.columns[column])
    return hashed


def test_ids_in_ascending_order_are_not_hashed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A key column in ascending order, and ids in runs, read in many blocks: the chunks' dictionaries are not
    hashed; numbers out of order are; the same columns as read in one block."""
    rows = [f"IKI-{i:06d},RHK-{i // 3:05d},{(7 * i) % 11}" for i in range(3000)]
    data = ("indicator_id,rhk_id,score\n" + "\n".join(rows) + "\n").encode()
    columns = ("indicator_id", "rhk_id", "score")
    hashed = _read_in_blocks(monkeypatch, data, "indicators", columns, key="indicator_id")
    assert len(hashed) == 1  # the scores' dictionaries, once
    assert set(hashed[0]) == {str(x) for x in range(11)} and len(hashed[0]) > 11  # many chunks


def test_ids_in_runs_out_of_order_are_not_hashed_by_arrow(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ratings one employee after another, NIPs in no order (as exports have them), read in many blocks: the
    ratees' dictionaries are unified from their neighbours and numpy hashes, not by ``dictionary_encode``; the
    raters (repeated across blocks) are; both columns as read in one block."""
    nips = [f"19{(7919 * i) % 100000:08d}2001{i % 10}" for i in range(400)]
    rows = [f"{nips[i]},{nips[(i * 13 + k) % 400]}" for i in range(400) for k in range(6)]
    data = ("ratee_id,rater_id\n" + "\n".join(rows) + "\n").encode()
    hashed = _read_in_blocks(monkeypatch, data, "ratings", ("ratee_id", "rater_id"))
    assert sorted(nips) != nips  # out of order
    assert len(hashed) == 1 and set(hashed[0]) <= set(nips)  # the raters' dictionaries, once
    assert len(hashed[0]) > len(set(hashed[0]))  # a rater in several blocks
