"""Tests of datasets: the example loads, and every kind of bad data is reported with file, line, record and field."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from asn_kinerja.dataset import Dataset, from_records, load_dataset
from asn_kinerja.errors import DataError, Problem
from asn_kinerja.model import (
    Aspect,
    Direction,
    Employee,
    Indicator,
    JenisJabatan,
    JenisRhk,
    Period,
    PredikatOrganisasi,
    RaterGroup,
    RatingRecord,
    Realisasi,
    RencanaHasilKerja,
    Target,
    Unit,
)

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "bungo" / "data"

#: The column naming a row's record in messages, per file.
KEY = {
    "units.csv": "unit_id",
    "employees.csv": "employee_id",
    "rhk.csv": "rhk_id",
    "indicators.csv": "indicator_id",
    "ratings.csv": "ratee_id",
    "evaluations.csv": "employee_id",
    "surveys.csv": "respondent_id",
    "adjustments.csv": "employee_id",
}


# --- helpers -----------------------------------------------------------------------------------------------------


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the example dataset, to break."""
    dest = tmp_path / "data"
    shutil.copytree(EXAMPLE, dest)
    return dest


def read_rows(path: Path) -> list[list[str]]:
    """The rows of a CSV file; ``rows[i]`` is physical line ``i + 1`` (the files have no multi-line cells)."""
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    assert len(rows) == len(text.splitlines())
    return rows


def write_rows(path: Path, rows: list[list[str]], *, encoding: str = "utf-8") -> None:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def find_line(folder: Path, name: str, where: Callable[[dict[str, str]], bool]) -> tuple[int, dict[str, str]]:
    """The first line (header = 1) of ``name`` whose row satisfies ``where``, and the row."""
    rows = read_rows(folder / name)
    header = rows[0]
    for number, row in enumerate(rows[1:], start=2):
        record = dict(zip(header, row, strict=True))
        if where(record):
            return number, record
    raise AssertionError(f"no row of {name} matches")


def set_cell(folder: Path, name: str, line: int, column: str, value: str) -> str:
    """Rewrite one cell; returns the record id of the row (for messages)."""
    path = folder / name
    rows = read_rows(path)
    header = rows[0]
    rows[line - 1][header.index(column)] = value
    write_rows(path, rows)
    return rows[line - 1][header.index(KEY[name])]


def append_row(folder: Path, name: str, row: list[str]) -> int:
    """Append a row; returns its line."""
    path = folder / name
    rows = read_rows(path)
    rows.append(row)
    write_rows(path, rows)
    return len(rows)


def problems(folder: Path) -> tuple[Problem, ...]:
    with pytest.raises(DataError) as info:
        load_dataset(folder)
    return info.value.problems


def only_problem(folder: Path) -> Problem:
    found = problems(folder)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def assert_problem(
    p: Problem, source: str, line: int | None, record: str | None, field: str | None, *fragments: str
) -> None:
    assert (p.source, p.line, p.record, p.field) == (source, line, record, field), str(p)
    for fragment in fragments:
        assert fragment in p.message, str(p)
    # the rendered problem shows the location too
    if line is not None:
        assert str(p).startswith(f"{source}:{line}: ")


# --- the example --------------------------------------------------------------------------------------------------


def test_example_dataset_loads() -> None:
    ds = load_dataset(EXAMPLE)
    assert isinstance(ds, Dataset)
    assert ds.period.id == "2025"
    assert ds.period.start == dt.date(2025, 1, 1)
    assert ds.scale == (Decimal(1), Decimal(5))
    assert len(ds.employees) == len(read_rows(EXAMPLE / "employees.csv")) - 1
    assert len(ds.employees) >= 60
    assert len(ds.units) >= 5
    assert len(ds.indicators) == len(read_rows(EXAMPLE / "indicators.csv")) - 1
    assert len(ds.ratings) == len(read_rows(EXAMPLE / "ratings.csv")) - 1
    assert len(ds.surveys) > 0
    assert len(ds.adjustments) >= 1
    # units form a hierarchy: one root, and some unit two levels below it
    parents = ds.units.parent
    assert (parents == -1).sum() == 1
    assert any(p >= 0 and parents[p] >= 0 for p in parents)
    # every employee but the head has a superior
    assert (ds.employees.superior == -1).sum() == 1
    # JPT, JA and JF all present
    assert set(ds.employees.jenis_jabatan.tolist()) == {j.code for j in JenisJabatan}
    # value and range targets both present
    low, high = ds.indicators.target_low, ds.indicators.target_high
    assert (low == high).any()
    assert (low < high).any()
    # ratings from atasan, rekan, bawahan and diri
    groups = set(ds.ratings.group.tolist())
    for g in (RaterGroup.ATASAN, RaterGroup.REKAN, RaterGroup.BAWAHAN, RaterGroup.DIRI):
        assert g.code in groups
    # self ratings are the employee's own
    diri = ds.ratings.group == RaterGroup.DIRI.code
    assert (ds.ratings.rater[diri] == ds.ratings.ratee[diri]).all()


def test_bom_at_start_of_a_file_is_accepted(data: Path) -> None:
    path = data / "employees.csv"  # the id column comes first: a BOM must not stick to its name
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    ds = load_dataset(data)
    assert list(ds.employees.id) == list(load_dataset(EXAMPLE).employees.id)


def test_crlf_line_endings_keep_line_numbers(data: Path) -> None:
    line, _ = find_line(data, "units.csv", lambda r: r["unit_id"] == "KEU")
    set_cell(data, "units.csv", line, "predikat_organisasi", "zz")
    path = data / "units.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert_problem(only_problem(data), "units.csv", line, "KEU", "predikat_organisasi", "'zz'")


def test_blank_lines_count_in_line_numbers(data: Path) -> None:
    path = data / "units.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3:3] = ["", "  ,,"]
    lines[6] = lines[6].replace("SEKRE", "NOWHERE")  # was line 5 (KEU)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_problem(only_problem(data), "units.csv", 7, "KEU", "parent_id", "unknown unit 'NOWHERE'")


def test_multiline_cell_keeps_physical_line_numbers(data: Path) -> None:
    path = data / "rhk.csv"
    rows = read_rows(path)
    rows[2][rows[0].index("text")] = "baris satu\nbaris dua\nbaris tiga"
    rows[5][rows[0].index("employee_id")] = "NOBODY"
    write_rows(path, rows)
    # row 6 of the file starts on physical line 6 + 2 (the cell above spans three lines)
    assert_problem(only_problem(data), "rhk.csv", 8, rows[5][0], "employee_id", "unknown employee 'NOBODY'")


# --- one broken cell: file, line, record, field, message ----------------------------------------------------------


def _has_superior(r: dict[str, str]) -> bool:
    return r["superior_id"] != ""


def _value_target(r: dict[str, str]) -> bool:
    return r["target"] != ""


def _colleague(r: dict[str, str]) -> bool:
    return r["group"] == "rekan"


def _any(r: dict[str, str]) -> bool:
    return True


CELL_CASES = [
    # id, file, row, column, new value, field, message fragments
    (
        "unknown-superior",
        "employees.csv",
        _has_superior,
        "superior_id",
        "199912312020121999",
        "superior_id",
        ["unknown employee '199912312020121999'"],
    ),
    ("unknown-unit", "employees.csv", _any, "unit_id", "NOWHERE", "unit_id", ["unknown unit 'NOWHERE'"]),
    ("enum-XX", "employees.csv", _any, "jenis_jabatan", "XX", "jenis_jabatan", ["'XX'", "'JPT', 'JA', 'JF'"]),
    ("score-7", "ratings.csv", _any, "score", "7", "score", ["7 is outside the scale 1–5"]),
    ("score-0", "ratings.csv", _any, "score", "0", "score", ["0 is outside the scale 1–5"]),
    ("score-empty", "ratings.csv", _any, "score", "", "score", ["a value is required"]),
    ("score-nan", "ratings.csv", _any, "score", "nan", "score", ["must be a number", "NaN"]),
    ("score-inf", "ratings.csv", _any, "score", "inf", "score", ["finite", "'inf'"]),
    (
        "rater-outside",
        "ratings.csv",
        _colleague,
        "rater_id",
        "196001011990031999",
        "rater_id",
        ["unknown rater '196001011990031999'", "not an employee of the agency"],
    ),
    ("target-zero", "indicators.csv", _value_target, "target", "0", "target", ["greater than zero"]),
    ("target-negative", "indicators.csv", _value_target, "target", "-5", "target", ["greater than zero"]),
    ("target-missing", "indicators.csv", _value_target, "target", "", "target", ["a target is required"]),
    ("target-nan", "indicators.csv", _value_target, "target", "nan", "target", ["must be a number", "NaN"]),
    ("target-NaN", "indicators.csv", _value_target, "target", "NaN", "target", ["must be a number", "NaN"]),
    ("target-inf", "indicators.csv", _value_target, "target", "inf", "target", ["finite", "'inf'"]),
    ("target-minus-infinity", "indicators.csv", _value_target, "target", "-Infinity", "target", ["finite"]),
    (
        "target-comma",
        "indicators.csv",
        _value_target,
        "target",
        "1.200,5",
        "target",
        ["'1.200,5'", "point as the decimal separator"],
    ),
    (
        "target-16-digits",
        "indicators.csv",
        _value_target,
        "target",
        "12.00000000000001",
        "target",
        ["16 significant digits", "15"],
    ),
    ("weight-text", "indicators.csv", _any, "weight", "satu", "weight", ["must be a number, got 'satu'"]),
    ("weight-zero", "indicators.csv", _any, "weight", "0", "weight", ["greater than zero"]),
    ("realisasi-inf", "indicators.csv", _any, "realisasi", "inf", "realisasi", ["finite"]),
    ("realisasi-nan", "indicators.csv", _any, "realisasi", "nan", "realisasi", ["NaN"]),
    (
        "realisasi-comma",
        "indicators.csv",
        _any,
        "realisasi",
        "15,1",
        "realisasi",
        ["'15,1'", "point as the decimal separator"],
    ),
    (
        "realisasi-16-digits",
        "indicators.csv",
        _any,
        "realisasi",
        "1234567890.123456",
        "realisasi",
        ["16 significant digits", "15"],
    ),
    ("realisasi-negative", "indicators.csv", _any, "realisasi", "-1", "realisasi", ["must not be negative"]),
    ("unknown-rhk", "indicators.csv", _any, "rhk_id", "RHK-9999", "rhk_id", ["unknown RHK 'RHK-9999'"]),
    ("survey-5", "surveys.csv", _any, "u4", "5", "u4", ["1, 2, 3 or 4", "got 5"]),
    ("survey-0", "surveys.csv", _any, "u4", "0", "u4", ["1, 2, 3 or 4", "got 0"]),
    ("survey-2.5", "surveys.csv", _any, "u9", "2.5", "u9", ["got 2.5"]),
    ("survey-nan", "surveys.csv", _any, "u2", "nan", "u2", ["NaN"]),
    (
        "rating-hasil-kerja",
        "evaluations.csv",
        _any,
        "rating_hasil_kerja",
        "bagus",
        "rating_hasil_kerja",
        ["'bagus'", "'di_atas'"],
    ),
    ("unit-predikat", "units.csv", _any, "predikat_organisasi", "luar_biasa", "predikat_organisasi", ["'luar_biasa'"]),
    ("adjustment-date", "adjustments.csv", _any, "on", "20-01-2026", "on", ["YYYY-MM-DD"]),
]


@pytest.mark.parametrize(
    ("name", "where", "column", "value", "field", "fragments"),
    [pytest.param(*case[1:], id=case[0]) for case in CELL_CASES],
)
def test_one_bad_cell_is_located(
    data: Path,
    name: str,
    where: Callable[[dict[str, str]], bool],
    column: str,
    value: str,
    field: str,
    fragments: list[str],
) -> None:
    line, _ = find_line(data, name, where)
    record = set_cell(data, name, line, column, value)
    found = problems(data)
    # every problem is at the broken cell, and one says what is wrong with it
    assert {(p.source, p.line, p.record, p.field) for p in found} == {(name, line, record, field)}, found
    matching = [p for p in found if all(f in p.message for f in fragments)]
    assert matching, "\n".join(map(str, found))
    assert_problem(matching[0], name, line, record, field, *fragments)


@pytest.mark.parametrize(
    ("name", "where", "column", "value", "field", "fragments"),
    [pytest.param(*case[1:], id=case[0]) for case in CELL_CASES],
)
def test_one_bad_cell_is_one_problem(
    data: Path,
    name: str,
    where: Callable[[dict[str, str]], bool],
    column: str,
    value: str,
    field: str,
    fragments: list[str],
) -> None:
    line, _ = find_line(data, name, where)
    record = set_cell(data, name, line, column, value)
    assert_problem(only_problem(data), name, line, record, field, *fragments)


def test_number_above_float_range_is_rejected(data: Path) -> None:
    line, _ = find_line(data, "indicators.csv", _any)
    record = set_cell(data, "indicators.csv", line, "realisasi", "1e400")
    assert_problem(only_problem(data), "indicators.csv", line, record, "realisasi", "out of the range")


def test_number_below_float_range_is_rejected(data: Path) -> None:
    line, _ = find_line(data, "indicators.csv", _any)
    record = set_cell(data, "indicators.csv", line, "realisasi", "1e-400")
    assert_problem(only_problem(data), "indicators.csv", line, record, "realisasi")


def test_duplicate_employee_id(data: Path) -> None:
    rows = read_rows(data / "employees.csv")
    copy = list(rows[-1])
    copy[rows[0].index("name")] = "Kembar Identik"
    line = append_row(data, "employees.csv", copy)
    assert_problem(
        only_problem(data),
        "employees.csv",
        line,
        copy[0],
        "employee_id",
        f"duplicate id '{copy[0]}'",
        f"first at line {len(rows)}",
    )


def test_reversed_range(data: Path) -> None:
    line, _ = find_line(data, "indicators.csv", lambda r: r["target_low"] != "")
    set_cell(data, "indicators.csv", line, "target_low", "100")
    record = set_cell(data, "indicators.csv", line, "target_high", "90")
    assert_problem(
        only_problem(data), "indicators.csv", line, record, "target_low", "reversed", "target_low > target_high"
    )


def test_half_range(data: Path) -> None:
    line, _ = find_line(data, "indicators.csv", lambda r: r["target_low"] != "")
    record = set_cell(data, "indicators.csv", line, "target_high", "")
    assert_problem(only_problem(data), "indicators.csv", line, record, "target_low", "both target_low and target_high")


def test_value_and_range_together(data: Path) -> None:
    line, _ = find_line(data, "indicators.csv", lambda r: r["target_low"] != "")
    record = set_cell(data, "indicators.csv", line, "target", "95")
    assert_problem(only_problem(data), "indicators.csv", line, record, "target", "not both")


def test_superior_cycle_shows_the_chain(data: Path) -> None:
    a_line, a = find_line(data, "employees.csv", lambda r: r["superior_id"] == "")
    b_line, b = find_line(data, "employees.csv", lambda r: r["superior_id"] == a["employee_id"])
    set_cell(data, "employees.csv", a_line, "superior_id", b["employee_id"])
    found = problems(data)
    assert len(found) == 2, "\n".join(map(str, found))
    pa, pb = sorted(found, key=lambda p: p.line or 0)
    a_id, b_id = a["employee_id"], b["employee_id"]
    assert_problem(pa, "employees.csv", a_line, a_id, "superior_id", f"{a_id} → {b_id} → {a_id}")
    assert_problem(pb, "employees.csv", b_line, b_id, "superior_id", f"{b_id} → {a_id} → {b_id}")


def test_own_superior(data: Path) -> None:
    line, row = find_line(data, "employees.csv", _has_superior)
    set_cell(data, "employees.csv", line, "superior_id", row["employee_id"])
    assert_problem(only_problem(data), "employees.csv", line, row["employee_id"], "superior_id", "own superior")


def test_unit_parent_cycle(data: Path) -> None:
    line, _ = find_line(data, "units.csv", lambda r: r["parent_id"] == "")
    set_cell(data, "units.csv", line, "parent_id", "UMPEG")  # UMPEG -> SEKRE -> DUKCAPIL -> UMPEG
    found = problems(data)
    assert {(p.source, p.record, p.field) for p in found} == {
        ("units.csv", u, "parent_id") for u in ("DUKCAPIL", "SEKRE", "UMPEG")
    }
    assert all("loops" in p.message for p in found)


def test_rating_oneself_as_a_peer(data: Path) -> None:
    line, row = find_line(data, "ratings.csv", lambda r: r["group"] == "diri")
    assert row["rater_id"] == row["ratee_id"]
    set_cell(data, "ratings.csv", line, "group", "rekan")
    assert_problem(only_problem(data), "ratings.csv", line, row["ratee_id"], "group", "cannot rate themselves as rekan")


def test_self_group_for_someone_else(data: Path) -> None:
    line, row = find_line(data, "ratings.csv", _colleague)
    set_cell(data, "ratings.csv", line, "group", "diri")
    assert_problem(only_problem(data), "ratings.csv", line, row["ratee_id"], "group", "group diri")


def test_second_evaluation_of_an_employee(data: Path) -> None:
    rows = read_rows(data / "evaluations.csv")
    line = append_row(data, "evaluations.csv", list(rows[2]))
    emp = rows[2][0]
    assert_problem(only_problem(data), "evaluations.csv", line, emp, "employee_id", f"a second evaluation of '{emp}'")


# --- every problem in one report ----------------------------------------------------------------------------------


def test_all_problems_in_one_report(data: Path) -> None:
    expected = set()
    line, row = find_line(data, "employees.csv", _has_superior)
    set_cell(data, "employees.csv", line, "superior_id", "199912312020121999")
    expected.add(("employees.csv", line, row["employee_id"], "superior_id"))
    line, row = find_line(data, "employees.csv", lambda r: r["jenis_jabatan"] == "JF")
    set_cell(data, "employees.csv", line, "jenis_jabatan", "XX")
    expected.add(("employees.csv", line, row["employee_id"], "jenis_jabatan"))
    line, row = find_line(data, "indicators.csv", _value_target)
    set_cell(data, "indicators.csv", line, "target", "0")
    expected.add(("indicators.csv", line, row["indicator_id"], "target"))
    line, row = find_line(data, "indicators.csv", lambda r: r["indicator_id"] == "IKI-0010")
    set_cell(data, "indicators.csv", line, "realisasi", "12,5")
    expected.add(("indicators.csv", line, row["indicator_id"], "realisasi"))
    line, row = find_line(data, "ratings.csv", lambda r: r["group"] == "atasan")
    set_cell(data, "ratings.csv", line, "score", "7")
    expected.add(("ratings.csv", line, row["ratee_id"], "score"))
    line, row = find_line(data, "surveys.csv", _any)
    set_cell(data, "surveys.csv", line, "u1", "5")
    expected.add(("surveys.csv", line, row["respondent_id"], "u1"))
    rows = read_rows(data / "evaluations.csv")
    line = append_row(data, "evaluations.csv", list(rows[1]))
    expected.add(("evaluations.csv", line, rows[1][0], "employee_id"))
    line, row = find_line(data, "rhk.csv", lambda r: r["rhk_id"] == "RHK-0002")
    set_cell(data, "rhk.csv", line, "employee_id", "NOBODY")
    expected.add(("rhk.csv", line, "RHK-0002", "employee_id"))

    with pytest.raises(DataError) as info:
        load_dataset(data)
    found = info.value.problems
    assert len(found) == len(expected) == 8, "\n".join(map(str, found))
    assert {(p.source, p.line, p.record, p.field) for p in found} == expected
    text = str(info.value)
    assert text.startswith("8 problems in the data:")
    for source, line, _, _ in expected:
        assert f"{source}:{line}: " in text


def test_file_level_problems_of_several_files_in_one_report(data: Path) -> None:
    (data / "rhk.csv").write_bytes(b"")
    rows = read_rows(data / "units.csv")
    rows[3].append("extra")
    write_rows(data / "units.csv", rows)
    (data / "ratings.csv").unlink()  # optional: not a problem
    (data / "indicators.csv").unlink()  # required
    found = problems(data)
    assert {(p.source, p.line) for p in found} == {("rhk.csv", None), ("units.csv", 4), ("indicators.csv", None)}


# --- encoding and CSV shape ---------------------------------------------------------------------------------------


def test_windows_1252_file_is_rejected(data: Path) -> None:
    path = data / "employees.csv"
    rows = read_rows(path)
    rows[10][rows[0].index("name")] = "Sutrisno Ñ"
    write_rows(path, rows, encoding="cp1252")
    p = only_problem(data)
    assert (p.source, p.line) == ("employees.csv", 11)
    assert "not UTF-8" in p.message
    assert "0xd1" in p.message


def test_empty_file(data: Path) -> None:
    (data / "employees.csv").write_bytes(b"")
    p = only_problem(data)
    assert p.source == "employees.csv"
    assert "empty" in p.message


def test_file_with_only_a_bom_is_empty(data: Path) -> None:
    (data / "units.csv").write_bytes(b"\xef\xbb\xbf")
    p = only_problem(data)
    assert p.source == "units.csv"
    assert "empty" in p.message


def test_row_with_wrong_number_of_cells(data: Path) -> None:
    rows = read_rows(data / "units.csv")
    rows[3].append("extra")
    rows[5] = rows[5][:2]
    write_rows(data / "units.csv", rows)
    found = problems(data)
    assert [(p.source, p.line) for p in found] == [("units.csv", 4), ("units.csv", 6)]
    assert "6 cells where the header has 5" in found[0].message
    assert "2 cells where the header has 5" in found[1].message


def test_unterminated_quote(data: Path) -> None:
    with (data / "units.csv").open("a", encoding="utf-8") as fh:
        fh.write('X,"tidak ditutup\n')
    p = only_problem(data)
    assert (p.source, p.line) == ("units.csv", len(read_rows(EXAMPLE / "units.csv")) + 1)
    assert "malformed CSV" in p.message


def test_nul_bytes(data: Path) -> None:
    path = data / "units.csv"
    path.write_bytes(path.read_bytes() + b"X\x00,Y\n")
    p = only_problem(data)
    assert p.source == "units.csv"
    assert "NUL" in p.message


def test_duplicate_header_column(data: Path) -> None:
    rows = read_rows(data / "units.csv")
    rows[0][-1] = "name"
    write_rows(data / "units.csv", rows)
    p = only_problem(data)
    assert (p.source, p.line) == ("units.csv", 1)
    assert "'name' appears twice" in p.message


def test_missing_required_column(data: Path) -> None:
    rows = [r[:1] + r[2:] for r in read_rows(data / "units.csv")]  # drop the name column
    write_rows(data / "units.csv", rows)
    p = only_problem(data)
    assert (p.source, p.field) == ("units.csv", "name")
    assert "missing" in p.message


def test_missing_required_file(data: Path) -> None:
    (data / "units.csv").unlink()
    p = only_problem(data)
    assert p.source == "units.csv"
    assert "missing" in p.message


# --- dataset.yaml -------------------------------------------------------------------------------------------------


def _edit_manifest(folder: Path, old: str, new: str) -> None:
    path = folder / "dataset.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_missing_manifest(data: Path) -> None:
    (data / "dataset.yaml").unlink()
    p = only_problem(data)
    assert p.source == str(data)
    assert "no dataset.yaml" in p.message


def test_manifest_path_is_accepted() -> None:
    assert len(load_dataset(EXAMPLE / "dataset.yaml").employees) == len(load_dataset(EXAMPLE).employees)


@pytest.mark.parametrize(
    ("bad", "fragment"), [("2025-13-01", "month"), ("2025-02-30", "day"), ("'01/01/2025'", "YYYY-MM-DD")]
)
def test_manifest_bad_period_date(data: Path, bad: str, fragment: str) -> None:
    _edit_manifest(data, "start: 2025-01-01", f"start: {bad}")
    p = only_problem(data)
    assert (p.source, p.line, p.field) == ("dataset.yaml", 3, "period.start")
    assert fragment in p.message


def test_manifest_period_ends_before_it_starts(data: Path) -> None:
    _edit_manifest(data, "end: 2025-12-31", "end: 2024-12-31")
    p = only_problem(data)
    assert (p.source, p.field) == ("dataset.yaml", "period.end")
    assert "before it starts" in p.message


def test_manifest_unknown_key(data: Path) -> None:
    path = data / "dataset.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "agensi: Dinas\n", encoding="utf-8")
    p = only_problem(data)
    assert (p.source, p.field) == ("dataset.yaml", "agensi")
    assert "unknown key" in p.message


def test_manifest_invalid_yaml(data: Path) -> None:
    (data / "dataset.yaml").write_text("agency: [tidak ditutup\n", encoding="utf-8")
    p = only_problem(data)
    assert p.source == "dataset.yaml"
    assert "YAML" in p.message


def test_manifest_empty_names_the_file(data: Path) -> None:
    (data / "dataset.yaml").write_text("", encoding="utf-8")
    p = only_problem(data)
    assert p.source == "dataset.yaml"


# --- from_records -------------------------------------------------------------------------------------------------

PERIOD = Period("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31))

SMALL_CSV = {
    "dataset.yaml": "agency: Contoh\nperiod: {id: '2024', start: 2024-01-01, end: 2024-12-31}\n"
    "scale: {min: 1, max: 5}\n",
    "units.csv": "unit_id,name,parent_id,predikat_organisasi,service_unit\nU1,Dinas,,baik,false\nU2,Bidang,U1,,true\n",
    "employees.csv": "employee_id,name,unit_id,jenis_jabatan,jenjang,superior_id\nE1,Ani,U1,JPT,pratama,\n"
    "E2,Budi,U2,JA,,E1\nE3,Citra,U2,JF,ahli_muda,E2\n",
    "rhk.csv": "rhk_id,employee_id,jenis,intervensi_id,text\nR1,E1,utama,,Layanan\nR2,E2,utama,R1,Dokumen\n"
    "R3,E3,tambahan,R2,Arsip\n",
    "indicators.csv": "indicator_id,rhk_id,text,aspect,satuan,direction,target,target_low,target_high,weight,"
    "realisasi\nI1,R1,Cakupan,none,persen,higher,95,,,1,96.5\n"
    "I2,R2,Waktu,waktu,hari,lower,,1,3,2,2\nI3,R3,Arsip,kuantitas,berkas,higher,120,,,1,\n",
    "ratings.csv": "ratee_id,rater_id,group,criterion,score\nE2,E1,atasan,akuntabel,4\nE2,E3,bawahan,akuntabel,5\n"
    "E3,E3,diri,kompeten,3.5\n",
}


def small_records() -> dict[str, Any]:
    return {
        "agency": "Contoh",
        "period": PERIOD,
        "units": [
            Unit("U1", "Dinas", predikat_organisasi=PredikatOrganisasi.BAIK),
            Unit("U2", "Bidang", "U1", service_unit=True),
        ],
        "employees": [
            Employee("E1", "Ani", "U1", JenisJabatan.JPT, "pratama"),
            Employee("E2", "Budi", "U2", JenisJabatan.JA, superior_id="E1"),
            Employee("E3", "Citra", "U2", JenisJabatan.JF, "ahli_muda", "E2"),
        ],
        "rhk": [
            RencanaHasilKerja("R1", "E1", "Layanan"),
            RencanaHasilKerja("R2", "E2", "Dokumen", intervensi_id="R1"),
            RencanaHasilKerja("R3", "E3", "Arsip", jenis=JenisRhk.TAMBAHAN, intervensi_id="R2"),
        ],
        "indicators": [
            Indicator("I1", "R1", "Cakupan", Target.value(Decimal(95)), satuan="persen"),
            Indicator(
                "I2",
                "R2",
                "Waktu",
                Target(Decimal(1), Decimal(3)),
                direction=Direction.LOWER_IS_BETTER,
                aspect=Aspect.WAKTU,
                satuan="hari",
                weight=Decimal(2),
            ),
            Indicator("I3", "R3", "Arsip", Target.value(Decimal(120)), aspect=Aspect.KUANTITAS, satuan="berkas"),
        ],
        "realisasi": [Realisasi("I1", Decimal("96.5")), Realisasi("I2", Decimal(2))],
        "ratings": [
            RatingRecord("E2", "E1", RaterGroup.ATASAN, "akuntabel", Decimal(4)),
            RatingRecord("E2", "E3", RaterGroup.BAWAHAN, "akuntabel", Decimal(5)),
            RatingRecord("E3", "E3", RaterGroup.DIRI, "kompeten", Decimal("3.5")),
        ],
    }


def test_from_records_builds_the_same_dataset(tmp_path: Path) -> None:
    for name, text in SMALL_CSV.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    loaded = load_dataset(tmp_path)
    built = from_records(**small_records())
    assert (built.agency, built.period, built.scale) == (loaded.agency, loaded.period, loaded.scale)
    for table in ("units", "employees", "rhk", "indicators", "ratings"):
        a, b = getattr(loaded, table), getattr(built, table)
        assert len(a) == len(b)
        for column in (
            "id",
            "name",
            "parent",
            "predikat_organisasi",
            "service_unit",
            "satuan",
            "unit",
            "jenis_jabatan",
            "jenjang",
            "superior",
            "employee",
            "jenis",
            "intervensi",
            "text",
            "rhk",
            "aspect",
            "direction",
            "target_low",
            "target_high",
            "weight",
            "realisasi",
            "ratee",
            "rater",
            "rater_id",
            "group",
            "criterion",
            "score",
        ):
            if hasattr(a, column):
                np.testing.assert_array_equal(getattr(a, column), getattr(b, column), err_msg=f"{table}.{column}")
    assert np.isnan(built.indicators.realisasi[2])


def test_from_records_rejects_a_duplicate_id() -> None:
    records = small_records()
    records["employees"] = [*records["employees"], Employee("E2", "Dewi", "U2", JenisJabatan.JA)]
    with pytest.raises(DataError) as info:
        from_records(**records)
    (p,) = info.value.problems
    assert (p.source, p.line, p.record, p.field) == ("employees (records)", None, "E2", "employee_id")
    assert "duplicate id 'E2'" in p.message


def test_from_records_reports_every_problem() -> None:
    records = small_records()
    records["indicators"] = [
        Indicator("I1", "R1", "Cakupan", Target.value(Decimal(0))),
        Indicator("I2", "R9", "Waktu", Target(Decimal(3), Decimal(1))),
    ]
    records["realisasi"] = []
    records["ratings"] = [
        RatingRecord("E3", "E3", RaterGroup.REKAN, "kompeten", Decimal(7)),
        RatingRecord("E2", "X9", RaterGroup.ATASAN, "akuntabel", Decimal(4)),
    ]
    with pytest.raises(DataError) as info:
        from_records(**records)
    found = {(p.source, p.record, p.field) for p in info.value.problems}
    assert found >= {
        ("indicators (records)", "I1", "target_low"),
        ("indicators (records)", "I2", "rhk_id"),
        ("indicators (records)", "I2", "target_low"),
        ("ratings (records)", "E3", "group"),
        ("ratings (records)", "E3", "score"),
        ("ratings (records)", "E2", "rater_id"),
    }
    assert all(p.line is None for p in info.value.problems)


# --- read-only --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("employees", "id", "X"),
        ("employees", "superior", 0),
        ("employees", "rating_hasil_kerja", 2),
        ("units", "parent", 0),
        ("indicators", "target_low", 1.0),
        ("indicators", "realisasi", 1.0),
        ("ratings", "score", 5.0),
        ("surveys", "answers", 4),
        ("rhk", "employee", 0),
    ],
)
def test_dataset_arrays_are_read_only(table: str, column: str, value: object) -> None:
    ds = load_dataset(EXAMPLE)
    array = getattr(getattr(ds, table), column)
    before = array.copy()
    with pytest.raises(ValueError, match="read-only"):
        array[0] = value
    np.testing.assert_array_equal(array, before)
