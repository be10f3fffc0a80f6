"""Outputs written while they are made: :func:`asn_kinerja._files.write_stream` and the CSV written in pieces
(:meth:`ResultTable.csv_chunks`, ``write_csv``)."""

from __future__ import annotations

import io
import os
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asn_kinerja
from asn_kinerja._files import write_stream
from asn_kinerja.cli import main
from asn_kinerja.engine.result import Evaluation
from asn_kinerja.engine.table import Column, ResultTable, join_chunks
from asn_kinerja.errors import DataError
from asn_kinerja.testing import generate_population

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "bungo" / "data"

# Texts with characters of one to four UTF-8 bytes, and the CSV/JSON specials.
_TEXT = st.text(alphabet=st.sampled_from('ab,"\n\r\\é€𝄞 ÿ\x00'), max_size=300)


def _threads() -> set[threading.Thread]:
    return set(threading.enumerate())


@pytest.fixture
def no_thread_left() -> Iterator[None]:
    before = _threads()
    yield
    assert _threads() == before


# --- writing in pieces --------------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(pieces=st.lists(_TEXT, max_size=40))
def test_the_bytes_written_are_the_texts_utf8(tmp_path_factory: pytest.TempPathFactory, pieces: list[str]) -> None:
    path = tmp_path_factory.mktemp("out") / "out.txt"

    def fill(stream: TextIO) -> None:
        for piece in pieces:
            assert stream.write(piece) == len(piece)

    write_stream(path, fill)
    assert path.read_bytes() == "".join(pieces).encode("utf-8")
    assert [p.name for p in path.parent.iterdir()] == ["out.txt"]


def _pieces_then(failure: BaseException, produced: list[int]) -> Callable[[TextIO], None]:
    def write(stream: TextIO) -> None:
        for i in range(50):
            stream.write("x" * 100_000 + "é")
            produced.append(i)
        raise failure

    return write


@pytest.mark.parametrize("failure", [ValueError("a bug in the producer"), KeyboardInterrupt()])
def test_a_producer_that_raises_leaves_the_previous_file_and_no_temporary_file(
    tmp_path: Path, no_thread_left: None, failure: BaseException
) -> None:
    target = tmp_path / "hasil.csv"
    target.write_text("previous\n", encoding="utf-8")
    produced: list[int] = []
    with pytest.raises(type(failure)):
        write_stream(target, _pieces_then(failure, produced))
    assert len(produced) == 50  # 5 MB were written to the temporary file before the failure
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["hasil.csv"]


def test_the_temporary_file_is_written_through_the_descriptor_that_made_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Truncating a file and then writing it makes ext4 flush it to the disk on close (half a second at 1.2 GB).
    pytest.importorskip("pyarrow")
    truncating: list[str] = []
    real_os_open, real_open = os.open, open

    def os_open(path: str, flags: int, *args: int, **kwargs: int) -> int:
        if flags & os.O_TRUNC:
            truncating.append(os.fspath(path))
        return real_os_open(path, flags, *args, **kwargs)

    def builtin_open(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if "w" in mode and not isinstance(file, int):
            truncating.append(str(file))
        return real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr("builtins.open", builtin_open)
    target = tmp_path / "hasil.json"
    write_stream(target, lambda stream: stream.write("[1, 2]\n"))
    ResultTable((Column.text("a", ["x"]),)).write_parquet(tmp_path / "hasil.parquet")
    monkeypatch.undo()
    assert truncating == []
    assert target.read_text(encoding="utf-8") == "[1, 2]\n"
    assert (tmp_path / "hasil.parquet").stat().st_size > 0


def test_a_full_device_gives_the_output_problem_and_stays(tmp_path: Path, no_thread_left: None) -> None:
    node = tmp_path / "full"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 7))  # /dev/full's numbers, in the test's own folder
        with open(node, "wb"):
            pass
    except OSError as exc:  # not allowed to make a device, or a folder mounted nodev
        pytest.skip(f"no device can be made here: {exc}")
    produced: list[int] = []
    with pytest.raises(DataError) as caught:
        write_stream(node, _pieces_then(AssertionError("never reached"), produced))
    assert str(caught.value.problems[0]) == f"{node}: cannot write the output: No space left on device"
    assert len(produced) < 50  # the first full buffer failed
    assert stat.S_ISCHR(os.stat(node).st_mode)


# --- CSV in pieces ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> Evaluation:
    result = asn_kinerja.evaluate(asn_kinerja.load_policy("permenpanrb-6-2022"), asn_kinerja.load_dataset(EXAMPLE))
    assert isinstance(result, Evaluation)
    return result


def _written(write: Callable[[TextIO], None]) -> str:
    file = io.StringIO()
    write(file)
    return file.getvalue()


@pytest.mark.parametrize("rows_per_piece", [1, 7, 4096])
def test_csv_chunks_join_to_the_csv(example: Evaluation, rows_per_piece: int) -> None:
    table = example.table()
    assert join_chunks(table.csv_chunks(rows_per_piece=rows_per_piece)) == example.to_csv()


def test_write_csv_is_to_csv_for_the_example_agency(example: Evaluation, tmp_path: Path) -> None:
    text = example.to_csv()
    assert text.count("\n") == len(example) + 1
    assert _written(example.write_csv) == text
    assert _written(example.table().write_csv) == text
    write_stream(tmp_path / "hasil.csv", example.write_csv)
    assert (tmp_path / "hasil.csv").read_bytes() == text.encode("utf-8")


@pytest.mark.parametrize(("size", "seed"), [(2, 0), (300, 1), (5000, 2)])
def test_write_csv_is_to_csv_for_generated_populations(size: int, seed: int) -> None:
    result = asn_kinerja.evaluate(asn_kinerja.load_policy("permenpanrb-6-2022"), generate_population(size, seed=seed))
    assert isinstance(result, Evaluation)
    text = result.to_csv()
    assert text.count("\n") == size + 1
    assert _written(result.write_csv) == text


def test_write_csv_of_empty_results(example: Evaluation) -> None:
    empty = example.table().take(np.array([], dtype=np.intp))
    header = example.to_csv().split("\n", 1)[0] + "\n"
    assert empty.to_csv() == header
    assert _written(empty.write_csv) == header
    assert list(empty.csv_chunks()) == [header]
    no_columns = ResultTable(())
    assert no_columns.to_csv() == "\n" == _written(no_columns.write_csv)


def test_write_csv_quotes_as_to_csv() -> None:
    table = ResultTable(
        (
            Column.text("nama", ["Budi, S.H.", 'kata "kutip"', None, "baris\nbaru", "é€𝄞"]),
            Column.flag("ok", np.array([True, False, True, False, True])),
        )
    )
    expected = 'nama,ok\n"Budi, S.H.",true\n"kata ""kutip""",false\n,true\n"baris\nbaru",false\né€𝄞,true\n'
    assert table.to_csv() == expected
    assert _written(table.write_csv) == expected
    assert join_chunks(table.csv_chunks(rows_per_piece=2)) == expected


def test_every_result_with_to_csv_writes_the_same_csv(example: Evaluation) -> None:
    data = asn_kinerja.load_dataset(EXAMPLE)
    comparison = asn_kinerja.compare("permenpanrb-6-2022", ROOT / "examples" / "policies" / "three-sixty.yaml", data)
    sweep = asn_kinerja.sweep("permenpanrb-6-2022", data, key="distribution.count_leader", values=[False])
    numeric = asn_kinerja.evaluate(
        asn_kinerja.load_policy("pp-30-2019"), asn_kinerja.load_dataset(ROOT / "examples" / "historical" / "data-2021")
    )
    for result in (comparison, sweep, numeric):
        assert _written(result.write_csv) == result.to_csv() != ""


THREE_SIXTY = str(ROOT / "examples" / "policies" / "three-sixty.yaml")


@pytest.mark.parametrize(
    "command",
    [
        ["evaluate", str(EXAMPLE)],
        ["compare", "permenpanrb-6-2022", THREE_SIXTY, str(EXAMPLE)],
        ["sweep", "permenpanrb-6-2022", str(EXAMPLE), "--key", "distribution.count_leader", "--values", "false"],
    ],
)
def test_the_command_s_csv_file_is_its_csv(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, no_thread_left: None, command: list[str]
) -> None:
    target = tmp_path / "hasil.csv"
    assert main([*command, "--format", "csv", "--output", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert main([*command, "--format", "csv"]) == 0
    stdout = capsys.readouterr().out
    assert target.read_bytes() == stdout.encode("utf-8")
    assert stdout.count("\n") > 2
    assert [p.name for p in tmp_path.iterdir()] == ["hasil.csv"]
