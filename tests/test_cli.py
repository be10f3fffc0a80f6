"""Tests of the command line: ``asn_kinerja.cli.main`` in-process, and once through ``python -m asn_kinerja``."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from asn_kinerja.cli import main
from asn_kinerja.model import Predikat, Rating

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "bungo" / "data"
PREDIKAT = ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"]
RATINGS = {r.label for r in Rating}

OVERLAY = """\
id: ketat
title: Saran yang lebih ketat
extends: permenpanrb-6-2022
hasil_kerja:
  suggestion:
    thresholds: {di_atas: 200, sesuai: 150}
"""

BROKEN_POLICY = """\
id: rusak
title: Kebijakan rusak
extends: permenpanrb-6-2022
hasil_kerja:
  suggestion:
    treshold: 1
"""

#: The worked example of PermenPANRB 14/2017: 29 respondents, column totals per unsur.
TOTALS = [105, 101, 100, 116, 102, 105, 106, 105, 115]


def employee_ids() -> list[str]:
    with (EXAMPLE / "employees.csv").open(encoding="utf-8", newline="") as fh:
        return [row["employee_id"] for row in csv.DictReader(fh)]


def adjusted_ids() -> list[str]:
    with (EXAMPLE / "adjustments.csv").open(encoding="utf-8", newline="") as fh:
        return [row["employee_id"] for row in csv.DictReader(fh)]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def table_rows(text: str) -> dict[str, list[str]]:
    """The employee rows of the table output, by NIP, split into columns."""
    rows: dict[str, list[str]] = {}
    for line in text.splitlines():
        if re.match(r"\d{18}\s", line):
            cells = re.split(r"\s{2,}", line.strip())
            assert cells[0] not in rows, f"employee {cells[0]} printed twice"
            rows[cells[0]] = cells
    return rows


@pytest.fixture
def broken_data(tmp_path: Path) -> Path:
    """A copy of the example with an unknown superior on line 3 of employees.csv and a score of 7 on line 2 of
    ratings.csv."""
    dest = tmp_path / "data"
    shutil.copytree(EXAMPLE, dest)
    for name, line, column, value in [
        ("employees.csv", 3, "superior_id", "199912312020121999"),
        ("ratings.csv", 2, "score", "7"),
    ]:
        path = dest / name
        rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
        rows[line - 1][rows[0].index(column)] = value
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
    return dest


@pytest.fixture
def overlay(tmp_path: Path) -> Path:
    path = tmp_path / "ketat.yaml"
    path.write_text(OVERLAY, encoding="utf-8")
    return path


@pytest.fixture
def broken_policy(tmp_path: Path) -> Path:
    path = tmp_path / "rusak.yaml"
    path.write_text(BROKEN_POLICY, encoding="utf-8")
    return path


# --- evaluate -------------------------------------------------------------------------------------------------


def test_evaluate_table(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "evaluate", str(EXAMPLE))
    assert status == 0, err
    assert err == ""
    rows = table_rows(out)
    ids = employee_ids()
    assert len(ids) >= 60
    assert sorted(rows) == sorted(ids)
    predikat = {cells[-2].removesuffix(" *") for cells in rows.values()}
    assert predikat == set(PREDIKAT)
    # the employee whose predikat was adjusted (adjustments.csv) is marked, as the legend says
    assert [nip for nip, cells in rows.items() if cells[-2].endswith(" *")] == adjusted_ids()
    assert "* = adjusted" in out
    for label in PREDIKAT:
        assert label in out
    assert "permenpanrb-6-2022" in out


def test_evaluate_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "evaluate", str(EXAMPLE), "--format", "json")
    assert status == 0, err
    doc = json.loads(out)
    assert doc["policy"]["id"] == "permenpanrb-6-2022"
    employees = doc["employees"]
    assert sorted(e["employee_id"] for e in employees) == sorted(employee_ids())
    for e in employees:
        assert e["predikat_label"] in PREDIKAT
        assert e["rating_hasil_kerja_label"] in RATINGS
        assert e["rating_perilaku_kerja_label"] in RATINGS
    assert {e["predikat_label"] for e in employees} == set(PREDIKAT)
    assert [e["employee_id"] for e in employees if e["adjustment"]] == adjusted_ids()
    assert [p.label for p in sorted(Predikat, key=lambda p: p.code)] == PREDIKAT


def test_evaluate_csv(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "evaluate", str(EXAMPLE), "--format", "csv")
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert sorted(r["employee_id"] for r in rows) == sorted(employee_ids())
    assert {r["predikat_label"] for r in rows} == set(PREDIKAT)
    assert {r["rating_hasil_kerja_label"] for r in rows} <= RATINGS
    assert {r["rating_perilaku_kerja_label"] for r in rows} <= RATINGS


def test_evaluate_csv_predikat_is_an_official_label(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "evaluate", str(EXAMPLE), "--format", "csv")
    assert status == 0
    assert {r["predikat_label"] for r in csv.DictReader(io.StringIO(out))} <= set(PREDIKAT)


def test_evaluate_output_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "hasil.json"
    status, out, err = run(capsys, "evaluate", str(EXAMPLE), "--format", "json", "--output", str(target))
    assert (status, out, err) == (0, "", "")
    _, stdout_text, _ = run(capsys, "evaluate", str(EXAMPLE), "--format", "json")
    assert target.read_text(encoding="utf-8") == stdout_text
    assert [p.name for p in tmp_path.iterdir()] == ["hasil.json"]  # no temporary file left behind


def test_evaluate_json_streamed_to_a_file_is_never_half_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The JSON is written to --output piece by piece; a failure after the first pieces leaves the old file as it was.
    from asn_kinerja.engine.result import Evaluation
    from asn_kinerja.engine.table import write_pieces

    target = tmp_path / "hasil.json"
    target.write_text("previous\n", encoding="utf-8")
    written = Evaluation.write_json

    def failing(self: Evaluation, file: io.TextIOBase, *, indent: int | None = 2) -> None:
        pieces = write_pieces(self._json_chunks(indent=indent))
        file.write(next(iter(pieces)))
        raise OSError("disk full")

    monkeypatch.setattr(Evaluation, "write_json", failing)
    status, out, err = run(capsys, "evaluate", str(EXAMPLE), "--format", "json", "--output", str(target))
    assert (status, out) == (2, "") and "disk full" in err
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["hasil.json"]
    monkeypatch.setattr(Evaluation, "write_json", written)
    assert run(capsys, "evaluate", str(EXAMPLE), "--format", "json", "--output", str(target))[0] == 0
    assert json.loads(target.read_text(encoding="utf-8"))["employees"]


def test_evaluate_invalid_data_exits_2_without_output(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, broken_data: Path
) -> None:
    target = tmp_path / "hasil.csv"
    status, out, err = run(capsys, "evaluate", str(broken_data), "--format", "csv", "--output", str(target))
    assert status == 2
    assert out == ""
    assert "Traceback" not in err
    assert "2 problems in the data" in err
    assert "employees.csv:3: " in err
    assert "superior_id: unknown employee '199912312020121999'" in err
    assert "ratings.csv:2: " in err
    assert "score: 7 is outside the scale 1–5" in err
    assert not target.exists()
    # an existing output file is left untouched
    target.write_text("hasil lama\n", encoding="utf-8")
    status, _, err = run(capsys, "evaluate", str(broken_data), "--format", "csv", "--output", str(target))
    assert status == 2
    assert target.read_text(encoding="utf-8") == "hasil lama\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "hasil.csv"]


def test_evaluate_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, err = run(capsys, "evaluate", str(tmp_path / "tidak-ada"))
    assert (status, out) == (2, "")
    assert "no dataset.yaml" in err
    assert "Traceback" not in err


def test_evaluate_output_in_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "evaluate", str(EXAMPLE), "--output", str(tmp_path / "tidak-ada" / "hasil.txt"))
    assert status == 2
    assert "Traceback" not in err
    assert "asn-kinerja: " in err


def test_evaluate_builtin_policy(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "evaluate", str(EXAMPLE), "--policy", "permenpanrb-6-2022", "--format", "json")
    assert status == 0, err
    _, default, _ = run(capsys, "evaluate", str(EXAMPLE), "--format", "json")
    assert json.loads(out) == json.loads(default)


def test_evaluate_overlay_policy(capsys: pytest.CaptureFixture[str], overlay: Path) -> None:
    status, out, err = run(capsys, "evaluate", str(EXAMPLE), "--policy", str(overlay), "--format", "json")
    assert status == 0, err
    strict = json.loads(out)
    _, default_text, _ = run(capsys, "evaluate", str(EXAMPLE), "--format", "json")
    default = json.loads(default_text)
    assert strict["policy"]["id"] == "ketat"
    assert len(strict["employees"]) == len(default["employees"])
    before = {e["employee_id"]: e for e in default["employees"]}
    changed = [
        e for e in strict["employees"] if e["rating_hasil_kerja"] != before[e["employee_id"]]["rating_hasil_kerja"]
    ]
    assert changed, "raising the thresholds changed no suggested rating"
    for e in changed:  # only suggested ratings move, and only down
        assert e["hasil_kerja_basis"] != "given"
        order = ["di_bawah", "sesuai", "di_atas"]
        assert order.index(e["rating_hasil_kerja"]) < order.index(before[e["employee_id"]]["rating_hasil_kerja"])
    given = [e for e in strict["employees"] if e["hasil_kerja_basis"] == "given"]
    assert given
    assert all(e["rating_hasil_kerja"] == before[e["employee_id"]]["rating_hasil_kerja"] for e in given)


def test_evaluate_broken_policy(capsys: pytest.CaptureFixture[str], broken_policy: Path) -> None:
    status, out, err = run(capsys, "evaluate", str(EXAMPLE), "--policy", str(broken_policy))
    assert (status, out) == (2, "")
    assert "Traceback" not in err
    assert f"{broken_policy}:6: hasil_kerja.suggestion.treshold: unknown key 'treshold'" in err


# --- validate -------------------------------------------------------------------------------------------------


def test_validate_builtin_policy(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "validate", "permenpanrb-6-2022")
    assert (status, err) == (0, "")
    assert out.startswith("ok: policy 'permenpanrb-6-2022'")


def test_validate_policy_file(capsys: pytest.CaptureFixture[str], overlay: Path) -> None:
    status, out, err = run(capsys, "validate", str(overlay))
    assert (status, err) == (0, "")
    assert "ok: policy 'ketat'" in out


def test_validate_broken_policy(capsys: pytest.CaptureFixture[str], broken_policy: Path) -> None:
    status, out, err = run(capsys, "validate", str(broken_policy))
    assert (status, out) == (2, "")
    assert "1 problem in the policy" in err
    assert f"{broken_policy}:6: hasil_kerja.suggestion.treshold" in err
    assert "Traceback" not in err


def test_validate_missing_policy(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "validate", str(tmp_path / "tidak-ada.yaml"))
    assert status == 2
    assert "no such policy file" in err


def test_validate_dataset(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "validate", str(EXAMPLE))
    assert (status, err) == (0, "")
    assert out.startswith("ok: <Dataset")
    assert f"{len(employee_ids())} employees" in out
    status, out_yaml, _ = run(capsys, "validate", str(EXAMPLE / "dataset.yaml"))
    assert (status, out_yaml) == (0, out)


def test_validate_broken_dataset(capsys: pytest.CaptureFixture[str], broken_data: Path) -> None:
    status, out, err = run(capsys, "validate", str(broken_data))
    assert (status, out) == (2, "")
    assert "2 problems in the data" in err
    assert "employees.csv:3: " in err
    assert "ratings.csv:2: " in err
    assert "Traceback" not in err


# --- policies, ikm, version -----------------------------------------------------------------------------------


def test_policies(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "policies")
    assert (status, err) == (0, "")
    line = next(x for x in out.splitlines() if x.startswith("permenpanrb-6-2022\t"))
    _policy_id, validity, reference = line.split("\t")
    assert validity == "2022-01-01 – now"
    assert "Peraturan Menteri PANRB Nomor 6 Tahun 2022" in reference


def worked_example_rows() -> list[list[int]]:
    """29 respondents with answers 1–4 whose unsur totals are the worked example's."""
    n = 29
    columns = []
    for total in TOTALS:
        deficit = 4 * n - total  # start from all 4s and lower answers, at most 3 per respondent
        column = []
        for _ in range(n):
            down = min(deficit, 2)
            column.append(4 - down)
            deficit -= down
        assert deficit == 0
        columns.append(column)
    return [list(row) for row in zip(*columns, strict=True)]


def test_worked_example_rows() -> None:
    rows = worked_example_rows()
    assert len(rows) == 29
    assert [sum(col) for col in zip(*rows, strict=True)] == TOTALS
    assert {a for row in rows for a in row} <= {1, 2, 3, 4}


@pytest.fixture
def survey(tmp_path: Path) -> Path:
    path = tmp_path / "skm.csv"
    lines = ["id," + ",".join(f"u{i}" for i in range(1, 10))]
    lines += [f"R{k:02d}," + ",".join(map(str, row)) for k, row in enumerate(worked_example_rows(), start=1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ikm_worked_example(capsys: pytest.CaptureFixture[str], survey: Path) -> None:
    status, out, err = run(capsys, "ikm", str(survey))
    assert (status, err) == (0, "")
    assert "IKM konversi: 91.48" in out
    assert re.search(r"Mutu pelayanan: A\b", out)
    assert "Responden: 29" in out


def test_ikm_population_and_output(capsys: pytest.CaptureFixture[str], survey: Path, tmp_path: Path) -> None:
    target = tmp_path / "ikm.txt"
    status, out, err = run(capsys, "ikm", str(survey), "--population", "30", "--output", str(target))
    assert (status, out, err) == (0, "", "")
    text = target.read_text(encoding="utf-8")
    assert "91.48" in text
    assert "cukup" in text


def test_ikm_bad_answer(capsys: pytest.CaptureFixture[str], survey: Path) -> None:
    lines = survey.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3][: lines[3].rindex(",")] + ",5"
    survey.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, out, err = run(capsys, "ikm", str(survey))
    assert (status, out) == (2, "")
    assert f"{survey}:4: " in err
    assert "u9" in err
    assert "Traceback" not in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("asn-kinerja ")


# --- the module entry point -----------------------------------------------------------------------------------


def test_python_m_asn_kinerja() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "asn_kinerja", "evaluate", "examples/bungo/data"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(table_rows(proc.stdout)) == sorted(employee_ids())


@pytest.mark.parametrize(("environment", "after"), [(None, False), ("1", True), ("0", False)])
def test_the_command_line_asks_for_ordinary_pages_unless_the_environment_says(
    environment: str | None, after: bool
) -> None:
    import os

    code = (
        "import numpy._core.multiarray as m\n"
        "from asn_kinerja.cli import main\n"
        "main(['validate', 'permenpanrb-6-2022'])\n"
        "print(m._set_madvise_hugepage(True))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if environment is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = environment
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == str(after)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
@pytest.mark.parametrize(("environment", "from_heap"), [(None, True), ("65536", False)])
def test_the_command_line_keeps_freed_memory_for_the_next_arrays_unless_the_environment_says(
    environment: str | None, from_heap: bool
) -> None:
    """After the command line has run, a 64 MB array comes from the C library's heap (no block mapped on its own:
    ``mallinfo2().hblkhd`` stays 0) and its memory stays there once freed; with glibc's own switch set, glibc
    maps it on its own as it does by default."""
    import os

    code = (
        "import ctypes\n"
        "import numpy as np\n"
        "from asn_kinerja.cli import main\n"
        "class Info(ctypes.Structure):\n"
        "    _fields_ = [(n, ctypes.c_size_t) for n in 'arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks "
        "fordblks keepcost'.split()]\n"
        "libc = ctypes.CDLL(None)\n"
        "if not hasattr(libc, 'mallinfo2'):\n"
        "    print('no glibc'); raise SystemExit\n"
        "libc.mallinfo2.restype = Info\n"
        "main(['validate', 'permenpanrb-6-2022'])\n"
        "block = np.ones(64 << 20, dtype=np.uint8)\n"
        "mapped = libc.mallinfo2().hblkhd\n"
        "del block\n"
        "print(mapped < 64 << 20, libc.mallinfo2().fordblks >= 64 << 20)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_")}
    if environment is not None:
        env["MALLOC_MMAP_MAX_"] = environment
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    last = out.splitlines()[-1]
    if last == "no glibc":
        pytest.skip("not glibc")
    assert last == f"{from_heap} {from_heap}"
