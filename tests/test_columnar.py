"""Tests of the columnar short cuts of reading and validation: each gives what the general path gives.

- text that Arrow's buffers show has nothing to strip is not stripped again (CSV and Arrow dictionaries);
- ids referenced in the order of their table are looked up without hashing;
- ratings already in key order are known to hold no repeat without building a wide key;
- median and trimmed mean count (cell, value) pairs in a fixed number of passes, whatever the grid.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_kinerja.dataset import build, csv_reader
from asn_kinerja.dataset.columns import Categorical, IdIndex, factorize, text_categories
from asn_kinerja.dataset.frames import from_frames
from asn_kinerja.engine import kernels
from asn_kinerja.errors import DataError
from asn_kinerja.model import Period

PERIOD = Period("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
CELLS = st.sampled_from(["E1", "E2", " E1", "E1 ", "", " ", "\t", "é", " é ", "a b", "x\u00a0", "\u00a0"])


def general(cat: Categorical) -> Categorical:
    """:func:`text_categories` without the plain mask (the path every other column takes)."""
    return text_categories(Categorical(cat.codes, cat.categories, cat.distinct))


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(CELLS, min_size=1, max_size=12), start=st.integers(0, 3))
def test_plain_mask_gives_the_stripped_text_of_the_general_path(cells: list[str], start: int) -> None:
    strings = pa.array(["pad"] * start + cells)[start:]  # an offset into the buffers, as a slice has
    plain = csv_reader.plain_texts(strings)
    printable = [c != "" and "!" <= c[0] <= "~" and "!" <= c[-1] <= "~" for c in cells]
    assert plain.tolist() == printable
    assert not any(p and (c.strip() != c or not c) for p, c in zip(plain, cells, strict=True))
    encoded = factorize(np.array(cells, dtype=object))
    distinct = pa.array(list(encoded.categories), type=pa.string())
    fast = text_categories(
        Categorical(encoded.codes, encoded.categories, True, csv_reader.plain_texts(distinct))
    ).dense()
    assert fast.tolist() == general(encoded).dense().tolist()
    assert fast.tolist() == [c.strip() or None for c in cells]


def test_large_strings_and_nulls() -> None:
    strings = pa.array(["a", None, " b", "c"], type=pa.large_string())
    assert csv_reader.plain_texts(strings).tolist() == [True, False, False, True]
    assert csv_reader.plain_texts(strings[1:]).tolist() == [False, False, True]


def test_a_padded_id_is_the_same_id_in_a_csv_file() -> None:
    text = "unit_id,name\nU1,Sekretariat\n U1 ,Bagian\nU2,\n"
    table = csv_reader.parse_csv(text.encode(), "units", "units.csv")
    ids = table.factorized("unit_id")
    assert isinstance(ids, Categorical) and ids.plain is not None
    with pytest.raises(DataError) as info:
        from_frames(
            agency="A",
            period=PERIOD,
            units={"unit_id": ids, "name": table.factorized("name")},
            employees={"employee_id": [], "name": [], "unit_id": [], "jenis_jabatan": []},
            rhk={"rhk_id": [], "employee_id": [], "text": []},
            indicators={"indicator_id": [], "rhk_id": [], "text": [], "target": [], "realisasi": []},
        )
    messages = [str(p) for p in info.value.problems]
    assert any("duplicate id 'U1' (first at row 1)" in m for m in messages), messages
    assert any("name" in m and "a value is required" in m for m in messages), messages


def test_arrow_dictionary_with_a_value_twice_is_made_distinct() -> None:
    codes = pa.array([0, 1, 2], type=pa.int32())
    column = pa.DictionaryArray.from_arrays(codes, pa.array(["U1", "U1", "U2"]))
    units = pa.table({"unit_id": column, "name": pa.array(["A", "B", "C"])})
    with pytest.raises(DataError) as info:
        from_frames(
            agency="A",
            period=PERIOD,
            units=units,
            employees={"employee_id": [], "name": [], "unit_id": [], "jenis_jabatan": []},
            rhk={"rhk_id": [], "employee_id": [], "text": []},
            indicators={"indicator_id": [], "rhk_id": [], "text": [], "target": [], "realisasi": []},
        )
    assert [p.message for p in info.value.problems] == ["duplicate id 'U1' (first at row 1)"]


@settings(max_examples=100, deadline=None)
@given(
    keys=st.lists(st.sampled_from(["A", "B", "C", "D", "E"]), min_size=1, max_size=5, unique=True),
    values=st.lists(st.sampled_from(["A", "B", "C", "D", "E", "X"]), min_size=1, max_size=5),
)
def test_leading_lookup_equals_the_hashed_lookup(keys: list[str], values: list[str]) -> None:
    index = IdIndex.from_ids(np.array(keys, dtype=object), np.arange(len(keys)) * 10)
    for asked in (values, keys[: len(values)]):
        got = index.lookup(np.array(asked, dtype=object)).tolist()
        assert got == [keys.index(v) * 10 if v in keys else -1 for v in asked]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 2)), max_size=12))
def test_increasing_keys(rows: list[tuple[int, int, int]]) -> None:
    a, b, c = (np.array([r[i] for r in rows], dtype=np.int32) for i in range(3))
    expected = all(rows[i] < rows[i + 1] for i in range(len(rows) - 1))
    if len(rows) >= 2:
        assert build._increasing(a, b, c) is expected
    repeated = build._repeated(a, b, c, None).tolist()
    assert repeated == [i for i in range(len(rows)) if rows[i] in rows[:i]]


@pytest.mark.parametrize("tendency", ["median", "trimmed_mean"])
@pytest.mark.parametrize("values", [5, 9, 30])
def test_counting_passes_do_not_grow_with_the_grid(monkeypatch: pytest.MonkeyPatch, tendency: str, values: int) -> None:
    rng = np.random.default_rng(values)
    key = rng.integers(0, 50, 2000)
    score = 1 + rng.integers(0, values, 2000) / 2  # ``values`` distinct half points
    calls: list[int] = []
    original = np.bincount

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(len(args[0]))
        return original(*args, **kwargs)

    monkeypatch.setattr(np, "bincount", counting)
    _, central, _ = kernels.cell_stats(key, score, 50, tendency, Fraction(1, 5), with_spread=False)
    monkeypatch.undo()
    # counts, on_grid's presence count (one per chunk), the units' sums, the pairs: four, with 5, 9 or 30 values
    # alike (no sums of the scores as floats: a median or a trimmed mean does not need them)
    assert len(calls) == 4
    for cell in (0, 7, 49):
        s = np.sort(score[key == cell])
        n = len(s)
        if tendency == "median":
            expected = (s[(n - 1) // 2] + s[n // 2]) / 2
        else:
            cut = n // 5
            expected = s[cut : n - cut].mean()
        assert central[cell] == pytest.approx(expected, rel=1e-15)
