"""Tests of text kept in Arrow until Python strings are asked for: Arrow dictionaries become categoricals whose
categories are made Python strings lazily, columns of ids that a table only references are looked up in Arrow
(no Python string per distinct id), and every lookup finds what the Python lookup finds."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_kinerja.dataset import frames
from asn_kinerja.dataset.build import build_dataset
from asn_kinerja.dataset.columns import Categorical, IdIndex, text_categories
from asn_kinerja.dataset.frames import _arrow_column, to_raw_table
from asn_kinerja.errors import DataError
from asn_kinerja.model import Period

pa = pytest.importorskip("pyarrow")
PERIOD = Period("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
IDS = st.text(alphabet="AEé 1", min_size=0, max_size=3)


@settings(max_examples=150, deadline=None)
@given(
    keys=st.lists(IDS, unique=True, max_size=8),
    values=st.lists(IDS, unique=True, max_size=8),
    large=st.booleans(),
)
def test_arrow_lookup_finds_what_the_python_lookup_finds(keys: list[str], values: list[str], large: bool) -> None:
    kind = pa.large_string() if large else pa.string()
    rows = np.arange(len(keys), dtype=np.int64)[::-1].copy()  # rows other than the positions
    index = IdIndex.from_categories(Categorical(np.zeros(0, np.int32), arrow=pa.array(keys, type=kind)), rows)
    column = Categorical(np.zeros(0, np.int32), arrow=pa.array(values, type=pa.string()))
    got = index.lookup_categories(column)
    assert not column.made  # no Python string made for the referenced ids
    plain = IdIndex.from_ids(np.array(keys, dtype=object).reshape(-1), rows)
    assert got.tolist() == plain.lookup(np.array(values, dtype=object).reshape(-1)).tolist()


def test_categories_are_made_once_and_only_when_asked() -> None:
    cat = _arrow_column(pa.array(["E2", "E1", None, "E2"]).dictionary_encode())
    assert isinstance(cat, Categorical) and cat.distinct and not cat.made and cat.size == 2
    assert text_categories(cat) is cat and not cat.made  # nothing to strip: decided from Arrow's bytes
    first = cat.categories
    assert cat.made and cat.categories is first and first.tolist() == ["E2", "E1"]
    assert cat.dense().tolist() == ["E2", "E1", None, "E2"]
    assert cat.take(np.array([3, 1])).dense().tolist() == ["E2", "E1"]
    with pytest.raises(TypeError):
        Categorical(np.zeros(0, np.int32))


def test_blank_categories_are_dropped_in_arrow() -> None:
    cat = _arrow_column(pa.array(["E1", " ", "", "E2"]).dictionary_encode())
    assert isinstance(cat, Categorical)
    stripped = text_categories(cat)
    assert not stripped.made and stripped.size == 2
    assert stripped.dense().tolist() == ["E1", None, None, "E2"]


def test_a_repeated_dictionary_value_is_made_distinct_by_validation() -> None:
    dictionary = pa.array(["E1", "E1"])
    column = pa.DictionaryArray.from_arrays(pa.array([0, 1], type=pa.int32()), dictionary)
    cat = _arrow_column(column)
    assert isinstance(cat, Categorical) and not cat.distinct and cat.made
    assert text_categories(cat).size == 1


def tables(ratee: list[str], rater: list[str]) -> dict[str, object]:
    return {
        "units": pa.table({"unit_id": ["U1"], "name": ["Sekretariat"]}),
        "employees": pa.table(
            {"employee_id": ["E1", "E2"], "name": ["Ani", "Budi"], "unit_id": ["U1", "U1"], "jenis_jabatan": ["JA"] * 2}
        ),
        "rhk": pa.table({"rhk_id": ["R1"], "employee_id": ["E1"], "text": ["Laporan"]}),
        "indicators": pa.table(
            {"indicator_id": ["I1"], "rhk_id": ["R1"], "text": ["Terbit"], "target": [1.0], "realisasi": [1.0]}
        ),
        "ratings": pa.table(
            {
                "ratee_id": ratee,
                "rater_id": rater,
                "group": ["rekan"] * len(ratee),
                "criterion": ["akuntabel", "kompeten", "harmonis"][: len(ratee)],
                "score": [4.0] * len(ratee),
            }
        ),
    }


def test_referenced_ids_are_resolved_without_python_strings() -> None:
    raw = {name: to_raw_table(name, table) for name, table in tables(["E1", "E2", "E1"], ["E2", "E1", "E2"]).items()}
    ds = build_dataset(agency="A", period=PERIOD, scale=(1, 5), tables=raw)
    assert ds.ratings.ratee.tolist() == [0, 1, 0]
    assert ds.rhk.employee.tolist() == [0] and ds.indicators.rhk.tolist() == [0]
    for name, column in [("ratings", "ratee_id"), ("rhk", "employee_id"), ("indicators", "rhk_id")]:
        cat = raw[name].columns[column]
        assert isinstance(cat, Categorical) and not cat.made, (name, column)


def test_an_unknown_referenced_id_is_named() -> None:
    raw = {name: to_raw_table(name, table) for name, table in tables(["E1", "X9"], ["E2", "E1"]).items()}
    with pytest.raises(DataError) as caught:
        build_dataset(agency="A", period=PERIOD, scale=(1, 5), tables=raw)
    assert [(p.record, p.field, p.message) for p in caught.value.problems] == [
        ("X9", "ratee_id", "unknown employee 'X9'")
    ]


@settings(max_examples=200, deadline=None)
@given(values=st.lists(IDS, max_size=10), start=st.integers(0, 2), large=st.booleans(), hashed=st.booleans())
def test_distinct_strings_decides_as_python_does(values: list[str], start: int, large: bool, hashed: bool) -> None:
    strings = pa.array(["pad"] * start + values, type=pa.large_string() if large else pa.string())[start:]
    original = frames.MAX_HASHED
    try:
        frames.MAX_HASHED = original if hashed else 0  # 0: every string compared in Python
        assert frames.distinct_strings(strings) == (len(set(values)) == len(values))
    finally:
        frames.MAX_HASHED = original


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.text(alphabet="ab", min_size=9, max_size=9), max_size=12), start=st.integers(0, 2))
def test_distinct_strings_of_one_length(values: list[str], start: int) -> None:
    strings = pa.array(["x" * 9] * start + values)[start:]
    assert frames.distinct_strings(strings) == (len(set(values)) == len(values))


@settings(max_examples=100, deadline=None)
@given(values=st.lists(IDS, max_size=12), start=st.integers(0, 2))
def test_distinct_strings_of_ids_in_order(values: list[str], start: int) -> None:
    ordered = sorted(values, key=lambda v: v.encode())  # byte order, as Arrow compares
    strings = pa.array(["pad"] * start + ordered)[start:]
    assert frames.distinct_strings(strings) == (len(set(values)) == len(values))


def test_ids_in_ascending_order_are_distinct_without_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    def hashed(*args: object) -> None:
        raise AssertionError("ids in ascending order were hashed")

    for name in ("_hash_words", "_hash_bytes", "_distinct_in_python"):
        monkeypatch.setattr(frames, name, hashed)
    assert frames.distinct_strings(pa.array([f"IKI-{i:05d}" for i in range(1000)]))
    with pytest.raises(AssertionError, match="hashed"):  # not in order: hashed as before
        frames.distinct_strings(pa.array(["IKI-2", "IKI-1"]))


def test_a_tables_own_ids_are_their_own_categories_and_a_repeated_one_is_named() -> None:
    raw = to_raw_table("employees", tables([], [])["employees"])
    own = raw.columns["employee_id"]
    assert isinstance(own, Categorical) and own.codes.tolist() == [0, 1] and not own.made and own.distinct
    given = tables(["E1"], ["E2"])
    given["employees"] = pa.table(
        {"employee_id": ["E1", "E2", "E1"], "name": ["A", "B", "C"], "unit_id": ["U1"] * 3, "jenis_jabatan": ["JA"] * 3}
    )
    raw_tables = {name: to_raw_table(name, table) for name, table in given.items()}
    with pytest.raises(DataError) as caught:
        build_dataset(agency="A", period=PERIOD, scale=(1, 5), tables=raw_tables)
    assert [p.message for p in caught.value.problems] == ["duplicate id 'E1' (first at row 1)"]
