"""Validation's fast paths find exactly the problems the rules define.

The checks of a national dataset decide on a cheap test first and work out the details only where that test picks
rows (:mod:`asn_kinerja.dataset.rating_rows`, the shapes of NIPs, superior chains). Each is compared here with the
rule written out row by row in plain Python, on random data with many problems, in blocks of a few rows (so that
block edges fall everywhere) and in one block.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tracemalloc
from collections.abc import Iterator, Mapping
from unittest import mock

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from asn_kinerja.dataset import build, rating_rows
from asn_kinerja.dataset.build import _cycle_members, _id_shapes
from asn_kinerja.dataset.columns import BLOCK
from asn_kinerja.dataset.rating_rows import scan_ratings
from asn_kinerja.dataset.table import RawTable
from asn_kinerja.errors import DataError
from asn_kinerja.model import Period, RaterGroup

PERIOD = Period("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
A, B, DIRI, EXT = (
    g.code for g in (RaterGroup.ATASAN, RaterGroup.BAWAHAN, RaterGroup.DIRI, RaterGroup.PENGGUNA_LAYANAN)
)


def _reference(ratee, found, codes, group, criterion, superior):  # type: ignore[no-untyped-def]
    """The rules of :mod:`~asn_kinerja.dataset.rating_rows`, one row at a time."""
    rows: dict[str, list[int]] = {name: [] for name in ("unknown", "self_rated", "diri", "atasan", "bawahan")}
    for i, (r, f, k, g) in enumerate(zip(ratee.tolist(), found.tolist(), codes.tolist(), group.tolist(), strict=True)):
        if f < 0 and k >= 0 and g != EXT and not (g == A and r >= 0 and superior[r] == -1):
            rows["unknown"].append(i)
        if f == r and f >= 0 and g >= 0 and g != DIRI:
            rows["self_rated"].append(i)
        if g == DIRI and k >= 0 and r >= 0 and f != r:
            rows["diri"].append(i)
        if g == A and f >= 0 and r >= 0 and superior[r] not in (-2, f):
            rows["atasan"].append(i)
        if g == B and r >= 0 and f >= 0 and superior[f] not in (-2, r):
            rows["bawahan"].append(i)
    keys = list(zip(ratee.tolist(), codes.tolist(), criterion.tolist(), strict=True))
    complete = all(min(key) >= 0 for key in keys) and bool(len(group) == 0 or group.min() >= 0)
    increasing = all(a < b for a, b in itertools.pairwise(keys))
    return rows, complete, increasing


@st.composite
def ratings(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    """Employees with superiors (-1 none, -2 unresolved) and ratings, mostly well formed, some rows broken."""
    employees = draw(st.integers(1, 6))
    superior = np.array(draw(st.lists(st.integers(-2, employees - 1), min_size=employees, max_size=employees)))
    n = draw(st.integers(0, 60))
    person = st.integers(-1, employees - 1)
    ratee = np.array(draw(st.lists(person, min_size=n, max_size=n)), dtype=np.int32)
    found = np.array(draw(st.lists(person, min_size=n, max_size=n)), dtype=np.int32)
    codes = np.where(
        found >= 0, found, np.array(draw(st.lists(st.integers(-1, employees + 2), min_size=n, max_size=n)))
    )
    group = np.array(draw(st.lists(st.integers(-1, 4), min_size=n, max_size=n)), dtype=np.int8)
    criterion = np.array(draw(st.lists(st.integers(-1, 2), min_size=n, max_size=n)), dtype=np.int32)
    if draw(st.booleans()):  # the usual layout: sorted by key, no rows missing a part
        order = np.lexsort((criterion, codes, ratee))
        ratee, found, codes, group, criterion = (x[order] for x in (ratee, found, codes, group, criterion))
    return ratee, found, codes.astype(np.int32), group, criterion, superior.astype(np.int32)


@settings(max_examples=300, deadline=None)
@given(ratings(), st.sampled_from([1, 2, 3, 7, BLOCK]))
@example(  # a self-rating and a diri by another in one block, each picked by the cheap test
    (
        np.array([0, 0, 1], dtype=np.int32),
        np.array([0, 1, 1], dtype=np.int32),
        np.array([0, 1, 1], dtype=np.int32),
        np.array([1, 3, 3], dtype=np.int8),
        np.array([0, 0, 0], dtype=np.int32),
        np.array([-1, 0], dtype=np.int32),
    ),
    BLOCK,
)
def test_one_pass_finds_the_rows_each_rule_defines(data: tuple[np.ndarray, ...], block: int) -> None:
    ratee, found, codes, group, criterion, superior = data
    rows, complete, increasing = _reference(ratee, found, codes, group, criterion, superior)
    scanned = found.copy()
    with mock.patch.object(rating_rows, "BLOCK", block):
        got = scan_ratings(ratee, scanned, codes, group, criterion, superior)
    assert {name: getattr(got, name).tolist() for name in rows} == rows
    assert got.complete == complete
    if complete:  # (where a key is missing, repeats are looked for among the rows with every part)
        assert got.increasing == increasing
    assert scanned.tolist() == np.where(group == EXT, -1, found).tolist()  # service users: -1, in place


def test_the_pass_makes_no_temporary_of_the_length_of_the_ratings() -> None:
    n = 40 * BLOCK  # 2.6 M ratings: one int32 temporary of their length is 10 MB
    ratee = np.repeat(np.arange(n // 40, dtype=np.int32), 40)
    group = np.tile(np.array([DIRI, A, *[1] * 30, B, B, *[EXT] * 6], dtype=np.int8), n // 40)
    found = np.where(group == DIRI, ratee, (ratee + 1) % (n // 40)).astype(np.int32)
    found[group == EXT] = -1
    codes = np.arange(n, dtype=np.int32)  # every rating its own rater id: keys increasing
    criterion = np.zeros(n, dtype=np.int32)
    superior = np.full(n // 40, -2, dtype=np.int32)
    tracemalloc.start()
    try:
        got = scan_ratings(ratee, found, codes, group, criterion, superior)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert got.complete and got.increasing and not len(got.unknown) and not len(got.self_rated)
    assert peak < 24 * BLOCK  # a few block-sized temporaries (1.5 MB), nothing of the ratings' length


texts = st.text(alphabet=st.sampled_from("0123456789Ee+-.,x é١"), min_size=1, max_size=22)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, max_size=30, unique=True))
@example(["1.97502E+17", "197310042004082001", "E+5", "1e+", "ab", "x1E+2"])
@example(["19731004200408200", "١٢٣", "1.5é+3"])
@example(["E+E+", "1E+5E+", "9E", "+1"])
def test_id_shapes_as_each_id_reads(ids: list[str]) -> None:
    length, digits, plus = _id_shapes(np.array(ids, dtype=object))
    assert length.tolist() == [len(x) for x in ids]
    assert digits.tolist() == [x.isascii() and x.isdigit() for x in ids]
    assert plus.tolist() == [k for k, x in enumerate(ids) if x.upper().find("E+") > 0]


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 40).flatmap(lambda n: st.lists(st.integers(-1, n - 1), min_size=n, max_size=n)))
def test_superior_loops_as_chains_followed_one_by_one(parents: list[int]) -> None:
    def loops(row: int) -> list[int]:
        seen: list[int] = []
        while row >= 0 and row not in seen:
            seen.append(row)
            row = parents[row]
        return seen[seen.index(row) :] if row >= 0 else []

    expected = sorted({member for row in range(len(parents)) for member in loops(row)})
    assert _cycle_members(np.array(parents, dtype=np.int32)).tolist() == expected


def _tables(ratings: list[dict[str, object]]) -> dict[str, RawTable]:
    """A small agency (a chain of four employees) with these ratings."""
    employees: list[dict[str, object]] = [
        {"employee_id": f"E{i}", "name": f"P{i}", "unit_id": "U", "jenis_jabatan": "JA", "superior_id": f"E{i - 1}"}
        for i in range(4)
    ]
    employees[0]["superior_id"] = None
    tables = {
        "units": [{"unit_id": "U", "name": "Unit"}],
        "employees": employees,
        "rhk": [{"rhk_id": "R", "employee_id": "E0", "text": "t"}],
        "indicators": [{"indicator_id": "I", "rhk_id": "R", "text": "t", "target": "1"}],
        "ratings": ratings,
    }
    return {
        name: RawTable.from_rows(name, f"{name}.csv", rows, lines=range(2, len(rows) + 2))
        for name, rows in tables.items()
    }


def _dataset(ratings: list[dict[str, object]]) -> list[str]:
    """The problems of the small agency with these ratings, as text."""
    try:
        build.build_dataset(agency="A", period=PERIOD, scale=(1, 5), tables=_tables(ratings))
    except DataError as exc:
        return [str(p) for p in exc.problems]
    return []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "ratee_id": st.sampled_from(["E0", "E1", "E2", "E3", "X", ""]),
                "rater_id": st.sampled_from(["E0", "E1", "E2", "E3", "PL1", ""]),
                "group": st.sampled_from([g.value for g in RaterGroup] + ["boss"]),
                "criterion": st.sampled_from(["a", "b"]),
                "score": st.sampled_from(["3", "9", ""]),
            }
        ),
        max_size=25,
    )
)
def test_the_same_report_whatever_the_block(rows: list[dict[str, object]]) -> None:
    whole = _dataset(rows)
    with mock.patch.object(rating_rows, "BLOCK", 2):
        assert _dataset(rows) == whole


def test_each_table_is_asked_for_when_its_section_starts() -> None:
    """A mapping may still be reading its tables: each is asked for once, in the order of validation, and the
    dataset is the one a dict gives."""
    rows = [{"ratee_id": "E1", "rater_id": "E1", "group": "diri", "criterion": "a", "score": "3"}]
    tables = _tables(rows)
    asked: list[str] = []

    class Reading(Mapping[str, RawTable]):
        def __contains__(self, name: object) -> bool:  # its names are known before its tables are read
            return name in tables

        def __getitem__(self, name: str) -> RawTable:
            asked.append(name)
            return tables[name]

        def __iter__(self) -> Iterator[str]:
            return iter(tables)

        def __len__(self) -> int:
            return len(tables)

    lazy = build.build_dataset(agency="A", period=PERIOD, scale=(1, 5), tables=Reading())
    assert asked == ["units", "employees", "rhk", "indicators", "ratings"]
    whole = build.build_dataset(agency="A", period=PERIOD, scale=(1, 5), tables=_tables(rows))
    assert lazy.ratings.rater.tolist() == whole.ratings.rater.tolist() == [1]
    assert lazy.employees.superior.tolist() == whole.employees.superior.tolist() == [-1, 0, 1, 2]


def test_a_cached_column_is_never_served_to_another_table() -> None:
    """A table validated and let go of can leave its id to the next one (a mapping reading its tables one at a
    time): the text cached for the first is not the second's."""
    units = RawTable.from_rows("units", "units.csv", [{"unit_id": "U0", "name": "A"}, {"unit_id": "U1", "name": "B"}])
    employees = RawTable.from_rows("employees", "employees.csv", [{"unit_id": "U1"}, {"unit_id": "U1"}])
    checker = build._Checker()
    first = checker.text_column(units, "unit_id")
    checker._text[(id(employees), "unit_id")] = (units, first)  # as if ``units`` had been freed and its id reused
    assert checker.text_column(employees, "unit_id").dense().tolist() == ["U1", "U1"]


def test_ratings_of_an_agency_without_employees_are_problems_not_a_crash() -> None:
    def empty(name: str, columns: list[str]) -> RawTable:
        return RawTable(name, f"{name}.csv", {col: np.array([], dtype=object) for col in columns})

    rating = {"ratee_id": "E1", "rater_id": "E2", "criterion": "a", "score": "3"}
    for group in ("atasan", "bawahan", "rekan_kerja"):
        tables = {
            "units": RawTable.from_rows("units", "units.csv", [{"unit_id": "U", "name": "u"}]),
            "employees": empty("employees", ["employee_id", "name", "unit_id", "jenis_jabatan", "superior_id"]),
            "rhk": empty("rhk", ["rhk_id", "employee_id", "text"]),
            "indicators": empty("indicators", ["indicator_id", "rhk_id", "text", "target"]),
            "ratings": RawTable.from_rows("ratings", "ratings.csv", [{**rating, "group": group}]),
        }
        with pytest.raises(DataError) as caught:
            build.build_dataset(agency="A", period=PERIOD, scale=(1, 5), tables=tables)
        assert [(p.field, p.message) for p in caught.value.problems] == [
            ("ratee_id", "unknown employee 'E1'"),
            ("rater_id", "unknown rater 'E2': not an employee of the agency"),
        ], group
