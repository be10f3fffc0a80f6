"""Tests of CSV files read as a stream: a piece of the file at a time (never the whole file), each row's line found
only when a problem names it, and the table size limit raised from the command line."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_kinerja._argtypes import size_arg
from asn_kinerja.cli import main
from asn_kinerja.dataset import csv_reader, load_dataset
from asn_kinerja.dataset.lines import Lines
from asn_kinerja.errors import DataError

EXAMPLE = Path(__file__).parents[1] / "examples" / "bungo" / "data"


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Pieces of 64 bytes, so that a small file spans many; the sizes of the reads made from files."""
    monkeypatch.setattr(csv_reader, "_CHUNK", 64)
    sizes: list[int] = []
    read = csv_reader._File.read

    def counted(self: csv_reader._File, at: int, n: int) -> bytes:
        out = read(self, at, n)
        sizes.append(len(out))
        return out

    monkeypatch.setattr(csv_reader._File, "read", counted)
    return sizes


def units_file(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "units.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode())
    return path


def quoted_units(count: int) -> tuple[list[str], list[int]]:
    """Rows of a units file with a quoted newline every 5th row and an empty line every 13th; each row's line."""
    rows, lines, line = ["unit_id,name"], [], 2
    for i in range(count):
        name = f'"Bagian\n{i}"' if i % 5 == 0 else f"Bagian {i}"
        rows.append(f"U{i},{name}")
        lines.append(line)
        line += 2 if i % 5 == 0 else 1
        if i % 13 == 0:
            rows.append("")
            line += 1
    return rows, lines


def test_a_file_is_read_a_piece_at_a_time_with_the_right_lines(tmp_path: Path, small_pieces: list[int]) -> None:
    rows, expected = quoted_units(300)
    path = units_file(tmp_path, rows)
    table = csv_reader.read_csv(path, "units")
    assert table.column("unit_id").tolist() == [f"U{i}" for i in range(300)]
    assert isinstance(table.lines, Lines) and not table.lines.found  # no problem: the lines were not looked for
    assert table.lines.tolist() == expected
    assert table.lines.tolist() == csv_reader.parse_csv(path.read_bytes(), "units", "units.csv").lines.tolist()
    assert max(small_pieces) <= 64 * 4  # bounded reads, never the whole file
    assert sum(small_pieces) < 4 * path.stat().st_size  # a survey, a pass for the quotes, one for the lines


def test_no_whole_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = units_file(tmp_path, quoted_units(50)[0])

    def refused(self: Path) -> bytes:
        raise AssertionError(f"{self} read whole")

    monkeypatch.setattr(Path, "read_bytes", refused)
    assert len(csv_reader.read_csv(path, "units")) == 50


def test_wrong_cells_far_into_a_file_name_their_line(tmp_path: Path, small_pieces: list[int]) -> None:
    rows, expected = quoted_units(300)
    at = rows.index("U251,Bagian 251")
    rows[at] = "U251,Bagian,251"
    with pytest.raises(DataError) as info:
        csv_reader.read_csv(units_file(tmp_path, rows), "units")
    ((problem),) = info.value.problems
    assert (problem.line, problem.message) == (expected[251], "3 cells where the header has 2")


def test_a_quote_never_closed_far_into_a_file(tmp_path: Path, small_pieces: list[int]) -> None:
    rows, expected = quoted_units(200)
    rows.append('U200,"tidak ditutup')
    rows.extend(f"U{i},Bagian {i}" for i in range(201, 230))
    with pytest.raises(DataError) as info:
        csv_reader.read_csv(units_file(tmp_path, rows), "units")
    ((problem),) = info.value.problems
    assert problem.line == expected[-1] + 1  # U199 is not quoted: U200 is on the next line
    assert "never closed" in problem.message


def test_bytes_far_into_a_file_nul_and_not_utf8(tmp_path: Path, small_pieces: list[int]) -> None:
    rows, _ = quoted_units(100)
    path = units_file(tmp_path, rows)
    body = path.read_bytes()
    path.write_bytes(body + b"U100,Bagian\x00\n")
    with pytest.raises(DataError, match="NUL bytes"):
        csv_reader.read_csv(path, "units")
    path.write_bytes(body + b"U100,Bagian \xe9\n")
    with pytest.raises(DataError) as info:
        csv_reader.read_csv(path, "units")
    ((problem),) = info.value.problems
    assert problem.line == body.count(b"\n") + 1
    assert f"byte 0xe9 at offset {len(body) + 12}" in problem.message


@pytest.mark.parametrize(
    ("rows", "bad"), [(b"X1\xe9,Bagian\n", 1), (b"X1,Bagian \xe9\n", 1), (b"X1,Bagian\nX2,Bagian \xff\xfe\n", 2)]
)
def test_a_bad_byte_in_any_column_is_found_after_arrow_s_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: bytes, bad: int
) -> None:
    # Arrow reads without checking UTF-8: the texts it kept (own ids as plain text, the other columns as each
    # block's dictionary; blocks of 256 bytes here) are checked after, and the problem names the first bad byte's line.
    monkeypatch.setattr(csv_reader, "_BLOCK", 256)
    body = ("\n".join(["unit_id,name"] + [f"U{i},Bagian {i}" for i in range(100)]) + "\n").encode()
    path = tmp_path / "units.csv"
    path.write_bytes(body + rows)
    with pytest.raises(DataError) as info:
        csv_reader.read_csv(path, "units", key="unit_id")
    ((problem),) = info.value.problems
    assert "not UTF-8" in problem.message
    assert problem.line == body.count(b"\n") + bad


def test_the_survey_searches_every_window_of_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_reader, "_WINDOW", 4096)  # a page a window: the file below spans about ten
    rows = ["unit_id,name"] + [f"U{i},Bagian {i}" for i in range(2000)]
    body = ("\n".join(rows) + "\n").encode()
    path = tmp_path / "units.csv"
    path.write_bytes(body + b'U2000,"Bagian\n2000"\n')  # the only quotes, in the last window
    assert path.stat().st_size > 8 * 4096
    found = csv_reader._File(path, path.stat().st_size, "units.csv").survey(0)
    assert (found.nul, found.quoted, found.visible) == (False, True, True)
    assert max(map(len, body.splitlines(keepends=True))) <= found.longest <= 4096
    table = csv_reader.read_csv(path, "units")
    assert table.column("name").tolist()[-2:] == ["Bagian 1999", "Bagian\n2000"]
    path.write_bytes(body + b"U2000,Bagian\x00\n")  # the only NUL byte, in the last window
    with pytest.raises(DataError, match="NUL bytes"):
        csv_reader.read_csv(path, "units")


@pytest.mark.parametrize("where", [0, 3000, 9000])
def test_the_longest_line_is_bounded_across_windows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: int
) -> None:
    monkeypatch.setattr(csv_reader, "_WINDOW", 4096)
    rows = [f"U{i},Bagian {i}" for i in range(1000)]
    long = "U-long,Bagian " + "x" * 10_000  # spans three windows
    rows.insert(where // 14, long)
    body = ("unit_id,name\n" + "\n".join(rows) + "\n").encode()
    path = tmp_path / "units.csv"
    path.write_bytes(body)
    found = csv_reader._File(path, len(body), "units.csv").survey(len("unit_id,name\n"))  # the body, as read
    assert len(long) + 1 <= found.longest <= len(long) + 1 + 2 * 4096
    assert csv_reader._Bytes(body).survey(0).longest == len(long) + 1  # in memory: exact


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 9000), min_size=0, max_size=12), st.integers(0, 40), st.booleans())
def test_the_bound_is_never_below_the_longest_line(lengths: list[int], head: int, newline_at_end: bool) -> None:
    body = b"\n".join(b"x" * n for n in lengths) + (b"\n" if newline_at_end else b"")
    data = b"h" * head + b"\n" + body
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(csv_reader, "_WINDOW", 4096)
        path = Path(folder) / "units.csv"
        path.write_bytes(data)
        found = csv_reader._File(path, len(data), "units.csv").survey(head + 1)
    exact = csv_reader._longest_line(data, head + 1)
    assert exact <= found.longest <= max(exact, 2 * 4096)
    assert csv_reader._Bytes(data).survey(head + 1).longest == exact


@pytest.mark.parametrize("quoted_newline", [False, True])
def test_a_parallel_read_is_never_stopped_midway(monkeypatch: pytest.MonkeyPatch, quoted_newline: bool) -> None:
    # pyarrow before 25 can abort or hang when the process exits after a parallel CSV read was stopped midway (a
    # record straddling two blocks, a cell that cannot convert): blocks are made longer than the longest record.
    import pyarrow.csv as pacsv

    calls: list[tuple[bool, bool]] = []  # (in parallel, read through)
    original = pacsv.read_csv

    def recorded(*args: Any, **kwargs: Any) -> Any:
        threads = kwargs["read_options"].use_threads
        try:
            out = original(*args, **kwargs)
        except Exception:
            calls.append((threads, False))
            raise
        calls.append((threads, True))
        return out

    monkeypatch.setattr(pacsv, "read_csv", recorded)
    monkeypatch.setattr(csv_reader, "_BLOCK", 1024)
    long = "Bagian" + ("\n" if quoted_newline else " ") + "x" * 5000
    data = f'unit_id,name\nU1,Umum\nU2,"{long}"\nU3,Keuangan\n'.encode()
    table = csv_reader.parse_csv(data, "units", "units.csv")
    assert table.columns["name"].dense().tolist() == ["Umum", long, "Keuangan"]
    assert calls == [(True, True)]
    calls.clear()
    # Quotes inside a cell (Python's reader decides the lines), a record longer than a block: read in one thread,
    # then again with larger blocks.
    irregular = b'unit_id,name\nU1,Bagian "Umum" 1\nU2,' + b"x" * 5000 + b"\n"
    assert csv_reader.parse_csv(irregular, "units", "units.csv").columns["name"].dense().tolist()[1] == "x" * 5000
    assert calls == [(False, False), (False, True)]
    calls.clear()
    # A record longer than half the largest block (_MAX_BLOCK bytes): not known to fit, read in one thread.
    monkeypatch.setattr(csv_reader, "_MAX_BLOCK", 8192)
    assert csv_reader.parse_csv(data, "units", "units.csv").columns["name"].dense().tolist()[1] == long
    assert calls and not any(threads for threads, _ in calls)


def test_a_problem_of_a_row_finds_its_line_then(tmp_path: Path, small_pieces: list[int]) -> None:
    rows, expected = quoted_units(40)
    table = csv_reader.read_csv(units_file(tmp_path, rows), "units", key="unit_id")
    assert isinstance(table.lines, Lines) and not table.lines.found
    problem = table.problem(33, "name", "x")
    assert (problem.line, problem.record) == (expected[33], "U33")
    assert table.lines.found


def test_a_file_changed_after_reading_is_not_given_wrong_lines(tmp_path: Path) -> None:
    rows, _ = quoted_units(40)
    path = units_file(tmp_path, rows)
    table = csv_reader.read_csv(path, "units", key="unit_id")
    path.write_bytes(path.read_bytes().replace(b'"', b""))  # another file now: quoted newlines become records
    with pytest.raises(DataError, match=r"units\.csv: the file changed while it was being read or after") as caught:
        table.problem(33, "name", "x")
    assert len(caught.value.problems) == 1
    assert not table.lines.found


# --- the table size limit on the command line ------------------------------------------------------------------


def test_size_argument() -> None:
    assert [size_arg(x) for x in ("3G", "512m", "1500", " 2k ", "1T")] == [3 << 30, 512 << 20, 1500, 2048, 1 << 40]
    for bad in ("0", "-1", "3 GB", "1.5G", "G", "", "9" * 20):
        with pytest.raises(argparse.ArgumentTypeError, match="a size in bytes"):
            size_arg(bad)


def test_max_table_size_raises_the_limit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = Path(shutil.copytree(EXAMPLE, tmp_path / "bungo"))
    largest = max(p.stat().st_size for p in data.glob("*.csv"))
    assert main(["validate", str(data), "--max-table-size", str(largest - 1)]) == 2
    err = capsys.readouterr().err
    assert f"more than the limit of {largest - 1} bytes" in err
    assert "DatasetLimits(max_table_bytes=...)" in err and "--max-table-size" in err
    assert main(["validate", str(data), "--max-table-size", str(largest)]) == 0
    out = tmp_path / "out.csv"
    assert main(["evaluate", str(data), "--format", "csv", "--output", str(out), "--max-table-size", "1K"]) == 2
    assert not out.exists()
    assert main(["evaluate", str(data), "--format", "csv", "--output", str(out), "--max-table-size", "1M"]) == 0
    assert out.read_text(encoding="utf-8").count("\n") == len(load_dataset(data).employees) + 1


def test_a_bad_size_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(EXAMPLE), "--max-table-size", "3GB"]) == 2
    assert "--max-table-size: a size in bytes, or with K, M, G or T" in capsys.readouterr().err


def test_max_table_size_holds_for_a_folder_of_periods(capsys: pytest.CaptureFixture[str]) -> None:
    periods = EXAMPLE.parents[1] / "periods" / "data"
    assert main(["evaluate", str(periods), "--format", "json", "--max-table-size", "10"]) == 2
    err = capsys.readouterr().err
    assert "more than the limit of 10 bytes" in err and "--max-table-size" in err
    assert main(["evaluate", str(periods), "--format", "json", "--max-table-size", "1G"]) == 0


def test_not_utf8_found_in_a_file_without_newlines(tmp_path: Path, small_pieces: list[int]) -> None:
    path = tmp_path / "units.csv"
    good = ("unit_id," + "é" * 100).encode()  # two-byte characters across every 64-byte piece
    path.write_bytes(good + b"\xff")
    with pytest.raises(DataError) as info:
        csv_reader.read_csv(path, "units")
    ((problem),) = info.value.problems
    assert (problem.line, f"byte 0xff at offset {len(good)}" in problem.message) == (1, True)
