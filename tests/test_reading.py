"""Tests of reading datasets from files: CSV into columns with the right lines, Parquet folders, Excel workbooks,
damaged NIPs, file limits, and the median and trimmed mean by counting."""

from __future__ import annotations

import csv
import io
import os
import shutil
import zipfile
from fractions import Fraction
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_kinerja import evaluate, load_policy
from asn_kinerja.cli import main
from asn_kinerja.dataset import load_dataset
from asn_kinerja.dataset.limits import DatasetLimits
from asn_kinerja.engine import kernels
from asn_kinerja.errors import DataError, Problem

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "bungo" / "data"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(EXAMPLE, dest)
    return dest


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def problems(folder: Path, **kwargs: object) -> tuple[Problem, ...]:
    with pytest.raises(DataError) as info:
        load_dataset(folder, **kwargs)  # type: ignore[arg-type]
    return info.value.problems


# --- lines with quoted newlines ------------------------------------------------------------------------------------


def test_lines_are_physical_lines_after_quoted_newlines(data: Path) -> None:
    rows = rows_of(data / "units.csv")
    name = rows[0].index("name")
    rows[1][name] = "Dinas\nKependudukan\ndan Pencatatan Sipil"  # two newlines inside a quoted cell, line 2
    rows[4][rows[0].index("parent_id")] = "NOWHERE"  # record 5 starts on physical line 7
    write(data / "units.csv", rows)
    found = problems(data)
    assert [(p.source, p.line, p.field) for p in found] == [("units.csv", 7, "parent_id")]
    assert "unknown unit 'NOWHERE'" in found[0].message


def test_wrong_cell_count_after_quoted_newline_and_blank_lines(data: Path) -> None:
    rows = rows_of(data / "units.csv")
    rows[2][rows[0].index("name")] = 'Sekre\n"tariat"'  # line 3-4, with escaped quotes
    rows[5] = rows[5][:2]
    text = "\n".join(",".join(f'"{c}"' if ("\n" in c or '"' in c) else c for c in r) for r in rows[:4])
    write(data / "units.csv", rows)
    body = (data / "units.csv").read_text(encoding="utf-8")
    lines = body.split("\n")
    lines.insert(4, "")  # an empty line and a blank row: skipped, but counted
    lines.insert(5, " , ")
    (data / "units.csv").write_text("\n".join(lines), encoding="utf-8")
    assert text  # the quoted rows are written as CSV quotes them
    found = problems(data)
    # record 6 (0-based 5) began on line 6 before the insertions: 1 extra line inside quotes + 2 inserted lines
    assert [(p.source, p.line) for p in found] == [("units.csv", 9)]
    assert "2 cells where the header has 5" in found[0].message


def test_quoted_newline_rows_load_with_their_text(data: Path) -> None:
    rows = rows_of(data / "units.csv")
    rows[3][rows[0].index("name")] = "Bidang\r\nPelayanan, Umum"
    write(data / "units.csv", rows)
    ds = load_dataset(data)
    assert "Bidang\r\nPelayanan, Umum" in ds.units.name.tolist()


def test_quote_inside_an_unquoted_cell_is_text(data: Path) -> None:
    path = data / "units.csv"
    text = path.read_text(encoding="utf-8").replace("Sekretariat,", 'Sekre"tariat,', 1)
    path.write_text(text, encoding="utf-8")
    assert 'Sekre"tariat' in load_dataset(data).units.name.tolist()


def test_junk_after_a_closing_quote_is_malformed(data: Path) -> None:
    path = data / "units.csv"
    text = path.read_text(encoding="utf-8").replace("Sekretariat,", '"Sekre"tariat,', 1)
    path.write_text(text, encoding="utf-8")
    (p,) = problems(data)
    assert (p.source, p.line) == ("units.csv", 3)
    assert "malformed CSV" in p.message


# --- Indonesian-locale Excel CSV -----------------------------------------------------------------------------------


def test_semicolon_csv_is_one_problem(data: Path) -> None:
    rows = rows_of(data / "indicators.csv")
    text = "\n".join(";".join(r) for r in rows) + "\n"
    (data / "indicators.csv").write_text(text.replace(".", ","), encoding="utf-8")
    (p,) = problems(data)
    assert (p.source, p.line) == ("indicators.csv", 1)
    assert "separated by semicolons" in p.message and "CSV UTF-8 (Comma delimited)" in p.message


# --- NIP sanity ----------------------------------------------------------------------------------------------------


def _employee_line(folder: Path, row: int, value: str) -> str:
    rows = rows_of(folder / "employees.csv")
    old = rows[row][0]
    rows[row][0] = value
    write(folder / "employees.csv", rows)
    return old


def test_nip_in_scientific_notation_is_named(data: Path) -> None:
    _employee_line(data, 5, "1.97502E+17")
    found = [p for p in problems(data) if p.field == "employee_id" and p.source == "employees.csv"]
    assert [(p.line, p.record) for p in found] == [(6, "1.97502E+17")]
    assert "scientific notation" in found[0].message


@pytest.mark.parametrize(("change", "digits"), [(lambda nip: nip[1:], 17), (lambda nip: "0" + nip, 19)])
def test_nip_with_a_digit_lost_or_added_is_named(data: Path, change: object, digits: int) -> None:
    rows = rows_of(data / "employees.csv")
    nip = rows[7][0]
    assert callable(change)
    _employee_line(data, 7, change(nip))
    found = [p for p in problems(data) if p.source == "employees.csv" and p.field == "employee_id"]
    assert [p.line for p in found] == [8]
    assert f"has {digits} digits where the other NIPs have 18" in found[0].message


def test_short_ids_that_are_not_nips_are_fine() -> None:
    from asn_kinerja.testing import generate_population

    ds = generate_population(50, seed=1)
    assert len(ds.employees) == 50


# --- limits --------------------------------------------------------------------------------------------------------


def test_files_over_the_limit_are_refused_before_reading(data: Path) -> None:
    limit = (data / "units.csv").stat().st_size
    found = problems(data, limits=DatasetLimits(max_table_bytes=limit))
    sizes = {p.name: p.stat().st_size for p in data.glob("*.csv")}
    assert {p.source for p in found} == {name for name, size in sizes.items() if size > limit}
    assert all("DatasetLimits.max_table_bytes" in p.message for p in found)


def test_manifest_over_the_limit_is_refused(data: Path) -> None:
    (p,) = problems(data, limits=DatasetLimits(max_manifest_bytes=10))
    assert p.source == "dataset.yaml"
    assert "max_manifest_bytes" in p.message


def test_a_raised_manifest_limit_holds_for_the_yaml_reader_too(data: Path) -> None:
    """A manifest over the YAML reader's default 1 MiB loads when DatasetLimits allows it."""
    manifest = data / "dataset.yaml"
    manifest.write_text(manifest.read_text("utf-8") + "# " + "x" * (1 << 20) + "\n", "utf-8")
    (p,) = problems(data)
    assert "max_manifest_bytes" in p.message
    dataset = load_dataset(data, limits=DatasetLimits(max_manifest_bytes=2 << 20))
    assert dataset.agency.startswith("Dinas")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused(data: Path) -> None:
    (data / "surveys.csv").unlink()
    os.mkfifo(data / "surveys.csv")
    (p,) = problems(data)
    assert p.source == "surveys.csv"
    assert "not a regular file" in p.message


def test_wide_header_is_refused(data: Path) -> None:
    header = ",".join(f"c{i}" for i in range(100_000))
    (data / "units.csv").write_text(header + "\n", encoding="utf-8")
    (p,) = problems(data)
    assert (p.source, p.line) == ("units.csv", 1)
    assert "100000 columns" in p.message


def test_wide_header_within_a_raised_limit_is_checked_whole(data: Path) -> None:
    names = [f"c{i}" for i in range(50_000)] + ["c7", ""]
    (data / "units.csv").write_text(",".join(names) + "\n", encoding="utf-8")
    found = [p for p in problems(data, limits=DatasetLimits(max_columns=100_000)) if p.source == "units.csv"]
    assert sorted(p.message for p in found) == [
        "column 50002 has no name in the header",
        "the column 'c7' appears twice in the header",
    ]


# --- Parquet folders and Excel workbooks ---------------------------------------------------------------------------


def _predikat(ds: object) -> list[str]:
    result = evaluate(load_policy("permenpanrb-6-2022"), ds)  # type: ignore[arg-type]
    frame = result.to_frame()
    return [str(x) for x in frame["predikat"]]


def test_parquet_folder_is_detected(data: Path, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    folder = tmp_path / "pq"
    folder.mkdir()
    shutil.copy(data / "dataset.yaml", folder / "dataset.yaml")
    for path in data.glob("*.csv"):
        pd.read_csv(path, dtype=str, keep_default_na=False).to_parquet(folder / f"{path.stem}.parquet", index=False)
    assert _predikat(load_dataset(folder)) == _predikat(load_dataset(data))


def _xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    """A minimal .xlsx: inline strings and numbers, one worksheet per entry."""

    def cell(ref: str, value: object) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return f'<c r="{ref}"><v>{value!r}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'

    def col(i: int) -> str:
        out = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            out = chr(65 + r) + out
        return out

    main_ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
            'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{k}.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.worksheet+xml"/>'
                for k in range(1, len(sheets) + 1)
            )
            + "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {main_ns} xmlns:r="{rel_ns}"><sheets>'
            + "".join(
                f'<sheet name="{escape(name)}" sheetId="{k}" r:id="rId{k}"/>' for k, name in enumerate(sheets, start=1)
            )
            + "</sheets></workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{k}" Type="{rel_ns}/worksheet" Target="worksheets/sheet{k}.xml"/>'
                for k in range(1, len(sheets) + 1)
            )
            + "</Relationships>",
        )
        for k, rows in enumerate(sheets.values(), start=1):
            body = "".join(
                f'<row r="{r}">' + "".join(cell(f"{col(c)}{r}", v) for c, v in enumerate(row) if v != "") + "</row>"
                for r, row in enumerate(rows, start=1)
            )
            z.writestr(
                f"xl/worksheets/sheet{k}.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet {main_ns}><sheetData>{body}</sheetData></worksheet>',
            )


def _number(text: str) -> object:
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() and len(text) < 15 else value


def _workbook(folder: Path, path: Path, *, nip_as_number: int | None = None, period_start: str = "2025-01-01") -> None:
    manifest = [
        ["agency", "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bungo"],
        ["period.id", "2025"],
        ["period.start", period_start],
        ["period.end", "2025-12-31"],
        ["scale.min", 1],
        ["scale.max", 5],
    ]
    sheets: dict[str, list[list[object]]] = {"dataset": manifest}
    for csv_path in sorted(folder.glob("*.csv")):
        rows: list[list[object]] = [list(r) for r in rows_of(csv_path)]
        numeric = {"target", "target_low", "target_high", "weight", "realisasi", "score"}
        for row in rows[1:]:
            for j, name in enumerate(rows[0]):
                if name in numeric and row[j] != "":
                    row[j] = _number(str(row[j]))
        if csv_path.stem == "employees" and nip_as_number is not None:
            rows[nip_as_number][0] = float(str(rows[nip_as_number][0]))
        sheets[csv_path.stem] = rows
    _xlsx(path, sheets)


def test_xlsx_round_trip(data: Path, tmp_path: Path) -> None:
    pytest.importorskip("python_calamine")
    book = tmp_path / "bungo.xlsx"
    _workbook(data, book)
    from_book, from_csv = load_dataset(book), load_dataset(data)
    assert repr(from_book) == repr(from_csv)
    assert _predikat(from_book) == _predikat(from_csv)


def test_xlsx_nip_stored_as_number_is_reported(data: Path, tmp_path: Path) -> None:
    pytest.importorskip("python_calamine")
    book = tmp_path / "bungo.xlsx"
    _workbook(data, book, nip_as_number=4)
    found = [p for p in problems(book) if p.field == "employee_id" and p.source == "bungo.xlsx[employees]"]
    assert [p.line for p in found] == [5]
    assert "scientific notation" in found[0].message


def test_xlsx_missing_sheet_and_bad_cell(data: Path, tmp_path: Path) -> None:
    pytest.importorskip("python_calamine")
    (data / "rhk.csv").unlink()
    rows = rows_of(data / "indicators.csv")
    rows[3][rows[0].index("target")] = "dua belas"
    write(data / "indicators.csv", rows)
    book = tmp_path / "b.xlsx"
    _workbook(data, book)
    found = problems(book)
    assert [(p.source, p.line) for p in found] == [("b.xlsx[rhk]", None)]
    (data / "rhk.csv").write_bytes((EXAMPLE / "rhk.csv").read_bytes())
    _workbook(data, book)
    (p,) = problems(book)
    assert (p.source, p.line, p.field) == ("b.xlsx[indicators]", 4, "target")


def test_xlsx_manifest_and_sheet_problems_come_in_one_report(data: Path, tmp_path: Path) -> None:
    pytest.importorskip("python_calamine")
    (data / "rhk.csv").unlink()
    book = tmp_path / "b.xlsx"
    _workbook(data, book, period_start="2025-13-01")
    found = problems(book)
    assert [(p.source, p.line, p.field) for p in found] == [
        ("b.xlsx[dataset]", 3, "period.start"),
        ("b.xlsx[rhk]", None, None),
    ]
    assert found[1].message == "required sheet is missing"


def test_xlsx_without_calamine_names_the_extra(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    book = tmp_path / "b.xlsx"
    book.write_bytes(b"PK")
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # an import of it fails
    with pytest.raises(ImportError, match=r"asn_kinerja\[excel\]"):
        load_dataset(book)


def test_cli_evaluates_a_workbook(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("python_calamine")
    book = tmp_path / "bungo.xlsx"
    _workbook(data, book)
    assert main(["evaluate", str(book), "--format", "csv"]) == 0
    from_book = capsys.readouterr().out
    assert main(["evaluate", str(data), "--format", "csv"]) == 0
    assert from_book == capsys.readouterr().out


# --- median and trimmed mean by counting ---------------------------------------------------------------------------


def _exact(values: list[Fraction], tendency: str, trim: Fraction) -> Fraction:
    s = sorted(values)
    n = len(s)
    if tendency == "median":
        return (s[(n - 1) // 2] + s[n // 2]) / 2
    cut = (n * trim.numerator) // trim.denominator
    kept = s[cut : n - cut]
    return sum(kept, Fraction(0)) / len(kept)


@settings(max_examples=150, deadline=None)
@given(
    cells=st.lists(
        st.lists(st.integers(2, 10).map(lambda k: Fraction(k, 2)), min_size=1, max_size=12), min_size=1, max_size=8
    ),
    tendency=st.sampled_from(["median", "trimmed_mean"]),
    trim=st.sampled_from([Fraction(0), Fraction(1, 10), Fraction(1, 5), Fraction(1, 4)]),
)
def test_counting_equals_the_sort_and_the_exact_value(
    cells: list[list[Fraction]], tendency: str, trim: Fraction
) -> None:
    key = np.array([i for i, c in enumerate(cells) for _ in c], dtype=np.intp)
    score = np.array([float(x) for c in cells for x in c])
    shuffle = np.random.default_rng(len(score)).permutation(len(score))
    key, score = key[shuffle], score[shuffle]
    size = len(cells) + 1  # one empty cell
    assert kernels.on_grid(score) is not None
    counts, counted, _ = kernels.cell_stats(key, score, size, tendency, trim, with_spread=False)
    original = kernels.on_grid
    try:
        kernels.on_grid = lambda score, max_values=0: None  # type: ignore[assignment]
        _, sorted_, _ = kernels.cell_stats(key, score, size, tendency, trim, with_spread=False)
    finally:
        kernels.on_grid = original
    expected = [float(_exact(c, tendency, trim)) for c in cells]
    assert counted[:-1].tolist() == expected  # correctly rounded
    np.testing.assert_allclose(sorted_[:-1], expected, rtol=1e-15)
    assert np.isnan(counted[-1]) and counts[-1] == 0


def test_scores_off_a_small_grid_are_sorted() -> None:
    score = np.array([1 / 3, 2 / 3, 1.0, 0.1])
    assert kernels.on_grid(score) is None
    many = np.arange(100) / 4
    assert kernels.on_grid(many) is None  # more distinct values than counted
    _, median, _ = kernels.cell_stats(np.zeros(4, dtype=np.intp), score, 1, "median", Fraction(0))
    assert median.tolist() == [(1 / 3 + 2 / 3) / 2]


@pytest.mark.parametrize("quoted", [False, True])
def test_lines_across_many_blocks(monkeypatch: pytest.MonkeyPatch, quoted: bool) -> None:
    from asn_kinerja.dataset import csv_reader

    monkeypatch.setattr(csv_reader, "_BLOCK", 256)  # many small blocks read in parallel
    rows = ["unit_id,name"]
    expected = []
    line = 2
    for i in range(400):
        name = f'"Bagian\n{i}"' if quoted and i % 7 == 0 else f"Bagian {i}"
        rows.append(f"U{i},{name}")
        expected.append(line)
        line += 2 if quoted and i % 7 == 0 else 1
        if i % 50 == 0:
            rows.append("")  # an empty line
            line += 1
    table = csv_reader.parse_csv(("\n".join(rows) + "\n").encode(), "units", "units.csv")
    assert table.lines is not None and table.lines.tolist() == expected
    assert table.column("unit_id").tolist() == [f"U{i}" for i in range(400)]
