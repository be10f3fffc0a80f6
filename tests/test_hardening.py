"""Adversarial regression tests: every bad input gets a clear error, everywhere.

One section per class of failure found by a hostile pass over the library: ``validate`` agreeing with
``evaluate`` (and the exact path taking over beyond int64), command-line arguments, bounded reads, ``--output``,
silent omissions, error messages that leak or explode, policy case files, the dataset sources, overlays.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import stat
import threading
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from asn_kinerja import _files
from asn_kinerja.cases import PolicyCaseError, read_cases, run_case
from asn_kinerja.cli import main
from asn_kinerja.dataset import load_dataset
from asn_kinerja.dataset.frames import from_frames, load_parquet
from asn_kinerja.dataset.records import from_records
from asn_kinerja.engine import evaluate
from asn_kinerja.engine.result import Evaluation
from asn_kinerja.errors import MAX_SHOWN, AsnKinerjaError, DataError, PolicyError, Problem
from asn_kinerja.model import Employee, Indicator, JenisJabatan, Period, Realisasi, RencanaHasilKerja, Target, Unit
from asn_kinerja.policy import load_policy, load_policy_text

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "bungo" / "data"
PERIOD = Period("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
HEAD = "id: keras\ntitle: Uji keras\nextends: permenpanrb-6-2022\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def rejected(call: Callable[[], object], kind: type[AsnKinerjaError] = AsnKinerjaError) -> AsnKinerjaError:
    with pytest.raises(kind) as info:
        call()
    return info.value


def copy_example(tmp_path: Path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(EXAMPLE, dest)
    return dest


def edit_csv(path: Path, change: Callable[[list[dict[str, str]]], None]) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def one_indicator(target: object, realisasi: object, **tables: object) -> dict[str, object]:
    """The tables of one employee with one indicator (a dict of columns each)."""
    return {
        "units": {"unit_id": ["U1"], "name": ["Sekretariat"]},
        "employees": {"employee_id": ["E1"], "name": ["Ani"], "unit_id": ["U1"], "jenis_jabatan": ["JA"]},
        "rhk": {"rhk_id": ["R1"], "employee_id": ["E1"], "text": ["Laporan"]},
        "indicators": {
            "indicator_id": ["I1"],
            "rhk_id": ["R1"],
            "text": ["Laporan terbit"],
            "target": target,
            "realisasi": realisasi,
        },
        "evaluations": {"employee_id": ["E1"], "rating_perilaku_kerja": ["sesuai"]},
        **tables,
    }


# --- 1. validate runs what evaluate runs; the exact path beyond int64 ------------------------------------------


def _overlay(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "same_as"),
    [
        (
            "hasil_kerja: {suggestion: {thresholds: {di_atas: 110.00000000000000000000001, sesuai: 90}}}\n",
            "hasil_kerja: {suggestion: {thresholds: {di_atas: 110.0000001, sesuai: 90}}}\n",
        ),
        (
            "hasil_kerja: {suggestion: {inside_range: 100.00000000000000000000001}}\n",
            "hasil_kerja: {suggestion: {inside_range: 100}}\n",
        ),
        (
            "perilaku_kerja: {strategy: three_sixty, weights: {atasan: 0.500000000000000000000000, "
            "rekan: 0.5000000000000000000000}, three_sixty: {}}\n",
            "perilaku_kerja: {strategy: three_sixty, weights: {atasan: 0.5, rekan: 0.5}, three_sixty: {}}\n",
        ),
    ],
    ids=["threshold", "inside-range", "weights"],
)
def test_policy_values_of_many_digits_evaluate_exactly(tmp_path: Path, body: str, same_as: str) -> None:
    """Thresholds, inside_range and weights of 20+ digits crashed evaluate (OverflowError in int64)."""
    dataset = load_dataset(EXAMPLE)
    many = evaluate(load_policy(_overlay(tmp_path, body)), dataset)
    few = evaluate(load_policy(_overlay(tmp_path, same_as)), dataset)
    assert isinstance(many, Evaluation) and isinstance(few, Evaluation)
    assert many.predikat.tolist() == few.predikat.tolist()
    assert many.capaian_scaled.tolist() == few.capaian_scaled.tolist()
    assert [r.perilaku_score for r in many] == [r.perilaku_score for r in few]


def test_a_threshold_beyond_int64_decides_exactly(tmp_path: Path) -> None:
    """A capaian of exactly 110 is below a threshold of 110 + 1e-23, and not below 110."""
    tables = one_indicator(["100"], ["110"])
    dataset = from_frames(agency="C", period=PERIOD, **tables)  # type: ignore[arg-type]
    above = "hasil_kerja: {suggestion: {thresholds: {di_atas: 110.00000000000000000000001, sesuai: 90}}}\n"
    at = "hasil_kerja: {suggestion: {thresholds: {di_atas: 110, sesuai: 90}}}\n"
    [just_below] = evaluate(load_policy_text(HEAD + above), dataset)
    [on] = evaluate(load_policy_text(HEAD + at), dataset)
    assert (just_below.rating_hasil_kerja.value, on.rating_hasil_kerja.value) == ("sesuai", "di_atas")


def test_a_capaian_beyond_int64_is_published_exactly() -> None:
    """Target 0.001 and realisation 99 999 999 999 999: a capaian of 10^19 % crashed the engine."""
    dataset = from_frames(agency="C", period=PERIOD, **one_indicator(["0.001"], ["99999999999999"]))  # type: ignore[arg-type]
    [result] = evaluate(load_policy("permenpanrb-6-2022"), dataset)
    exact = Fraction(99999999999999) / Fraction("0.001") * 100
    assert result.capaian == Decimal(int(exact)).quantize(Decimal("0.01"))
    assert result.rating_hasil_kerja.value == "di_atas"


def test_validate_of_a_header_only_ratings_file_agrees_with_evaluate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A ratings file with only its header validated ok, then evaluation failed with 36 problems."""
    data = copy_example(tmp_path)
    header = (data / "ratings.csv").read_text(encoding="utf-8").splitlines()[0]
    (data / "ratings.csv").write_text(header + "\n", encoding="utf-8")
    status_v, out_v, err_v = run(capsys, "validate", str(data))
    status_e, out_e, err_e = run(capsys, "evaluate", str(data))
    assert (status_v, out_v) == (status_e, out_e) == (2, "")
    assert err_v == err_e
    assert err_v.startswith("asn-kinerja: 36 problems in the data:")


def test_validate_of_a_good_dataset_names_the_policy(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "validate", str(EXAMPLE), "--policy", "permenpanrb-6-2022")
    assert (status, err) == (0, "")
    assert "evaluated under policy 'permenpanrb-6-2022'" in out


# --- 2. command-line arguments ---------------------------------------------------------------------------------

BAD_ARGUMENTS = [
    (["angka-kredit", "ahli_pertama", "baik:²"], "a whole number"),
    (["angka-kredit", "ahli_pertama", "baik:" + "9" * 5000], "a whole number"),
    (["angka-kredit", "ahli_pertama", "baik:-1"], "a whole number"),
    (["angka-kredit", "ahli_pertama", "baik", "--previous", "1e999999999"], "out of the range"),
    (["angka-kredit", "ahli_pertama", "baik", "--previous", "1_000"], "must be a number, got '1_000'"),
    (["angka-kredit", "ahli_pertama", "baik", "--previous", "nan"], "must be a number"),
    (["sweep", "permenpanrb-6-2022", str(EXAMPLE), "--key", "k", "--range", "0:1e999999999:1"], "out of the range"),
    (["sweep", "permenpanrb-6-2022", str(EXAMPLE), "--key", "k", "--range", "1e-999999:1:1e-999999"], "range"),
    (["sweep", "permenpanrb-6-2022", str(EXAMPLE), "--key", "k", "--range", "0:1"], "START:STOP:STEP"),
    (["compare", "permenpanrb-6-2022", "permenpanrb-6-2022", str(EXAMPLE), "--plot", "x.unknown"], "extension"),
    (["sweep", "permenpanrb-6-2022", str(EXAMPLE), "--key", "k", "--values", "1", "--plot", "plot"], "extension"),
    (["ikm", "survey.csv", "--population", "1_000"], "a whole number"),
    (["ikm", "survey.csv", "--population", "0"], "a whole number"),
    (["evaluate", str(EXAMPLE), "--output", "/"], "not a regular file (a folder)"),
    (["evaluate", str(EXAMPLE), "--output", "/no/such/folder/out.txt"], "no such folder"),
    (["evaluate", str(EXAMPLE), "--format", "xml"], "invalid choice"),
    (["nosuchcommand"], "invalid choice"),
]


@pytest.mark.parametrize(("argv", "reason"), BAD_ARGUMENTS, ids=[" ".join(a)[:60] for a, _ in BAD_ARGUMENTS])
def test_a_bad_argument_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], reason: str
) -> None:
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("asn-kinerja: "), err
    assert reason in err
    assert len(err) < 400


def test_a_dot_decimal_previous_is_still_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "angka-kredit", "ahli_pertama", "baik:6", "--previous", "12.5")
    assert (status, err) == (0, "")
    assert "12.5" in out


# --- 3. one bounded reader -------------------------------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


def test_devices_and_fifos_are_refused_unopened(capsys: pytest.CaptureFixture[str], fifo: Path) -> None:
    """``asn-kinerja ikm /dev/zero`` read without end; a FIFO blocked forever."""
    for path, kind in (("/dev/zero", "a character device"), (str(fifo), "a FIFO")):
        status, out, err = run(capsys, "ikm", path)
        assert (status, out) == (2, "")
        assert f"not a regular file ({kind}): refused" in err
        assert "not a regular file" in str(rejected(lambda p=path: load_policy(Path(p)), PolicyError))  # type: ignore[misc]


def test_every_file_is_read_within_its_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 1000)
    err = rejected(lambda: _files.read_bytes(path, limit=999, source="big.csv"), DataError)
    assert str(err.problems[0]) == "big.csv: the file is 1000 bytes, more than the limit of 999 bytes"
    assert _files.check_readable(path, limit=1000) == 1000


def test_a_table_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    data = copy_example(tmp_path)
    (data / "surveys.csv").unlink()
    os.mkfifo(data / "surveys.csv")
    err = rejected(lambda: load_dataset(data), DataError)
    assert "surveys.csv: not a regular file (a FIFO): refused" in str(err)


# --- 4. --output -----------------------------------------------------------------------------------------------


def test_output_through_a_symlink_replaces_the_target_and_keeps_the_link(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "target.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    status, _, err = run(capsys, "policies")
    listing = capsys.readouterr().out
    del listing
    status, out, err = run(capsys, "ikm", str(ROOT / "tests" / "nosuch.csv"), "--output", str(link))
    assert status == 2  # a bad input writes nothing
    assert target.read_text(encoding="utf-8") == "old"
    status, out, err = run(capsys, "angka-kredit", "ahli_pertama", "baik", "--output", str(link))
    assert (status, out, err) == (0, "", "")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert "Angka kredit" in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_output_to_a_fifo_is_written_through(capsys: pytest.CaptureFixture[str], fifo: Path) -> None:
    """--output on a FIFO replaced it with a regular file (os.replace)."""
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    status, out, err = run(capsys, "angka-kredit", "ahli_pertama", "baik", "--output", str(fifo))
    reader.join(timeout=30)
    assert (status, out, err) == (0, "", "")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert b"Angka kredit" in received[0]


def test_output_to_a_character_device_is_written_through(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def replace(*args: object) -> None:
        raise AssertionError(f"os.replace{args}: a device must not be replaced")

    monkeypatch.setattr(os, "replace", replace)  # so that a regression cannot replace /dev/null
    status, out, err = run(capsys, "angka-kredit", "ahli_pertama", "baik", "--output", "/dev/null")
    assert (status, out, err) == (0, "", "")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def _full_device(folder: Path) -> Path:
    """A character device that refuses every write (ENOSPC: ``/dev/full``'s numbers) made in ``folder``, or skip."""
    node = folder / "full"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
        with open(node, "wb"):
            pass
    except OSError as exc:  # not allowed to make a device, or a folder mounted nodev
        pytest.skip(f"no device can be made here: {exc}")
    return node


@pytest.mark.parametrize("fmt", ["parquet", "json", "csv"])
def test_a_failed_write_to_a_device_names_it_and_leaves_it_in_place(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
) -> None:
    # Arrow removes a path it fails to write Parquet to: /dev/full itself was deleted by a full-disk error.
    pytest.importorskip("pyarrow")
    node = _full_device(tmp_path)
    status, out, err = run(capsys, "evaluate", str(EXAMPLE), "--format", fmt, "--output", str(node))
    assert (status, out) == (2, "")
    assert f"{node}: cannot write the output:" in err and "No space left on device" in err
    assert "Traceback" not in err
    assert stat.S_ISCHR(os.stat(node).st_mode)


def test_a_parquet_output_that_fails_leaves_the_previous_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "hasil.parquet"
    target.write_bytes(b"previous")

    def failing(table: object, where: object, **options: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", failing)
    status, out, err = run(capsys, "evaluate", str(EXAMPLE), "--format", "parquet", "--output", str(target))
    assert (status, out) == (2, "") and f"{target}: cannot write the output: disk full" in err
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["hasil.parquet"]


# --- 5. silent omissions ---------------------------------------------------------------------------------------


def _name_in_manifest(data: Path, table: str, file_name: str) -> None:
    manifest = data / "dataset.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + f"files: {{{table}: {file_name}}}\n", "utf-8")


def test_a_named_file_that_is_missing_is_an_error(tmp_path: Path) -> None:
    data = copy_example(tmp_path)
    _name_in_manifest(data, "surveys", "survei-2025.csv")
    err = rejected(lambda: load_dataset(data), DataError)
    assert str(err.problems[0]) == "survei-2025.csv: no such file"


def test_a_named_dangling_symlink_is_an_error(tmp_path: Path) -> None:
    data = copy_example(tmp_path)
    (data / "survei.csv").symlink_to(tmp_path / "gone.csv")
    _name_in_manifest(data, "surveys", "survei.csv")
    err = rejected(lambda: load_dataset(data), DataError)
    assert str(err.problems[0]) == "survei.csv: a symlink to a file that does not exist"


@pytest.mark.parametrize("text", ["1_200", "0x10", "١٢", "1,5", "inf", "+nan"])
def test_python_literal_syntax_is_not_a_number(tmp_path: Path, text: str) -> None:
    data = copy_example(tmp_path)

    def change(rows: list[dict[str, str]]) -> None:
        rows[1]["target"] = text

    edit_csv(data / "indicators.csv", change)
    err = rejected(lambda: load_dataset(data), DataError)
    assert [(p.line, p.field) for p in err.problems] == [(3, "target")]
    policy = rejected(lambda: load_policy_text(HEAD + f"hasil_kerja:\n  suggestion:\n    cap: {text}\n"))
    assert "hasil_kerja.suggestion.cap" in str(policy)


# --- 6. error messages that leak or explode --------------------------------------------------------------------

SECRET = "hunter2-rahasia"


def test_extends_of_a_file_that_is_not_a_policy_does_not_echo_it(tmp_path: Path) -> None:
    (tmp_path / "other.yaml").write_text(f"secret_key: {SECRET}\nfoo: [1, 2]\n", encoding="utf-8")
    path = tmp_path / "overlay.yaml"
    path.write_text("id: x\ntitle: X\nextends: other.yaml\n", encoding="utf-8")
    err = rejected(lambda: load_policy(path), PolicyError)
    assert SECRET not in str(err) and "secret_key" not in str(err)
    [problem] = err.problems
    assert (problem.source, problem.line, problem.field) == (str(path), 3, "extends")
    assert "that file is not a valid policy" in problem.message


def test_a_file_that_is_not_a_policy_is_not_quoted(tmp_path: Path) -> None:
    path = tmp_path / "passwd"
    path.write_text(f"root:x:0:0:{SECRET}:/root:/bin/bash\n", encoding="utf-8")
    err = rejected(lambda: load_policy(path), PolicyError)
    assert SECRET not in str(err)
    assert "not a policy" in str(err)


def test_a_long_value_is_quoted_as_an_excerpt() -> None:
    err = rejected(lambda: load_policy_text(HEAD + f"perilaku_kerja: {{strategy: {'x' * 100_000}}}\n"))
    assert len(str(err)) < 1000
    assert "(100000 characters)" in str(err)


def test_an_alias_heavy_policy_stays_small_in_memory_and_text() -> None:
    """25 000 problems each quoting a 900 KB value: a MemoryError after 28 s."""
    value = "y" * 900_000
    aliases = ", ".join(["*v"] * 25_000)
    text = HEAD + f"description: &v {value}\nperilaku_kerja: {{criteria: [{aliases}]}}\n"
    err = rejected(lambda: load_policy_text(text))
    assert len(str(err)) < 200_000
    assert all(len(p.message) <= 1100 for p in err.problems)


def test_at_most_a_hundred_problems_are_listed_and_the_rest_counted() -> None:
    err = DataError([Problem(f"problem {i:04}") for i in range(250)])
    lines = str(err).splitlines()
    assert lines[0] == "250 problems in the data:"
    assert len(lines) == MAX_SHOWN + 2
    assert lines[-1] == "  … and 150 more problems"
    assert len(err.problems) == 250


# --- 7. policy case files --------------------------------------------------------------------------------------


def _case_file(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "team.policycase.yaml"
    path.write_text(body, encoding="utf-8")
    return path


CASE = """\
policy: permenpanrb-6-2022
cases:
  - name: satu
    input:
{input}
    expect: {{counts: {{baik: 1}}}}
"""


def _inline(lines: str) -> str:
    return "\n".join("      " + line for line in lines.splitlines())


def test_a_case_cannot_read_files_outside_its_folder(tmp_path: Path) -> None:
    (tmp_path / "passwd").write_text(f"root:{SECRET}\n", encoding="utf-8")
    path = _case_file(
        tmp_path / "cases",
        "cases:\n  - name: keluar\n    policy: ../passwd\n    input: ../data\n    expect: {counts: {baik: 1}}\n",
    )
    [case] = read_cases(path)
    outcome = run_case(case)
    assert not outcome.ok
    report = outcome.report()
    assert SECRET not in report
    assert "is outside" in report and "policy" in report
    [wider] = read_cases(path, root=tmp_path)
    assert "not a policy" in run_case(wider).report()  # allowed when the runner says so, and still not echoed


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("surveys:\n  - {unit_id: U, answers: [4, 4, 4, 4, 4, 4, 4, 4, 4], repeat: '²'}", "a whole number from 1"),
        ("surveys:\n  - {unit_id: U, answers: [4, 4, 4, 4, 4, 4, 4, 4, 4], repeat: 200000000}", "from 1 to 10000"),
        ("period: {id: x, start: 2025-12-31, end: 2025-01-01}", "the period ends (2025-01-01) before it starts"),
        ("period: {start: 2025-02-30}", "a date YYYY-MM-DD"),
        ("scale: {min: 1, max: lima}", "must be a number"),
        ("scale: {min: 5, max: 1}", "the scale needs min < max"),
        ("agency: {a: 1}", "text, got a mapping"),
    ],
)
def test_every_field_of_a_case_is_validated(tmp_path: Path, rows: str, message: str) -> None:
    body = CASE.format(input=_inline(rows + "\nemployees:\n  - {employee_id: E1, rating_hasil_kerja: sesuai, "
                                      "rating_perilaku_kerja: sesuai}"))  # fmt: skip
    [case] = read_cases(_case_file(tmp_path, body))
    outcome = run_case(case)
    assert not outcome.ok
    assert message in outcome.report()
    assert "team.policycase.yaml" in outcome.report()


def test_a_bad_tolerance_is_a_case_error(tmp_path: Path) -> None:
    body = CASE.format(input=_inline("employees: []")).replace("cases:", "tolerance: 1_0\ncases:")
    err = rejected(lambda: read_cases(_case_file(tmp_path, body)), PolicyCaseError)
    assert "tolerance: must be a number" in str(err)


# --- 8. every dataset source gets the same checks --------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (np.array([1e16]), "'1e+16' is out of the range of numbers kept exactly"),
        (np.array([1e-300]), "'1e-300' is out of the range of numbers kept exactly"),
        (np.array([123456789.12345678]), "significant digits, more than the 15 kept exactly"),
        ([Decimal("sNaN")], "must be a number, got NaN"),
        ([Decimal("1E+16")], "is out of the range of numbers kept exactly"),
        (["1_200"], "must be a number, got '1_200'"),
    ],
)
def test_frames_get_the_checks_of_csv(target: object, message: str) -> None:
    err = rejected(lambda: from_frames(agency="C", period=PERIOD, **one_indicator(target, ["12"])), DataError)  # type: ignore[arg-type]
    [problem] = err.problems
    assert (problem.record, problem.field) == ("I1", "target")
    assert message in problem.message


@pytest.mark.parametrize("target", [Decimal("sNaN"), Decimal("1E-300"), Decimal("1E+16")])
def test_records_get_the_checks_of_csv(target: Decimal) -> None:
    err = rejected(
        lambda: from_records(
            agency="C",
            period=PERIOD,
            units=[Unit("U1", "Sekretariat")],
            employees=[Employee("E1", "Ani", "U1", JenisJabatan.JA)],
            rhk=[RencanaHasilKerja("R1", "E1", "Laporan")],
            indicators=[Indicator("I1", "R1", "Laporan terbit", Target.value(target))],
            realisasi=[Realisasi("I1", Decimal(12))],
        ),
        DataError,
    )
    assert {p.record for p in err.problems} == {"I1"}


def test_a_reversed_period_is_refused_by_every_source() -> None:
    reversed_period = Period("x", dt.date(2024, 12, 31), dt.date(2024, 1, 1))
    err = rejected(lambda: from_frames(agency="C", period=reversed_period, **one_indicator(["1"], ["1"])), DataError)  # type: ignore[arg-type]
    assert "period.end: the period ends (2024-01-01) before it starts (2024-12-31)" in str(err)


def test_a_duplicate_dataframe_column_is_reported_as_in_csv() -> None:
    pd = pytest.importorskip("pandas")
    units = pd.DataFrame([["U1", "S", "T"]], columns=["unit_id", "name", "name"])
    tables = one_indicator(["1"], ["1"], units=units)
    err = rejected(lambda: from_frames(agency="C", period=PERIOD, **tables), DataError)  # type: ignore[arg-type]
    assert str(err.problems[0]) == "units (frame): the column 'name' appears twice in the header"


def test_every_table_of_frames_is_reported_at_once() -> None:
    pd = pytest.importorskip("pandas")
    units = pd.DataFrame([["U1", "S", "T"]], columns=["unit_id", "name", "name"])
    tables = one_indicator(["1", "2"], ["1"], units=units)  # and the indicators' columns of different lengths
    err = rejected(lambda: from_frames(agency="C", period=PERIOD, **tables), DataError)  # type: ignore[arg-type]
    assert [str(p) for p in err.problems] == [
        "indicators (frame): columns of different lengths: [1, 2]",
        "units (frame): the column 'name' appears twice in the header",
    ]


def test_parquet_gets_the_checks_of_csv(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    data = tmp_path / "data"
    data.mkdir()
    (data / "dataset.yaml").write_text((EXAMPLE / "dataset.yaml").read_text("utf-8"), "utf-8")
    for name, table in one_indicator([1e16], [12.0]).items():
        pq.write_table(pa.table(table), data / f"{name}.parquet")
    err = rejected(lambda: load_parquet(data), DataError)
    [problem] = err.problems
    assert (problem.source, problem.record, problem.field) == ("indicators.parquet", "I1", "target")
    assert "'1e+16' is out of the range of numbers kept exactly" in problem.message


# --- 9. an overlay without id/title ----------------------------------------------------------------------------


def test_an_overlay_without_id_reports_every_problem() -> None:
    text = "extends: permenpanrb-6-2022\nhasil_kerja:\n  suggestion:\n    treshold: 1\nperilaku_kerja: 5\n"
    err = rejected(lambda: load_policy_text(text, source="o.yaml"), PolicyError)
    assert [(p.line, p.field) for p in err.problems] == [
        (1, "id"),
        (4, "hasil_kerja.suggestion.treshold"),
        (5, "perilaku_kerja"),
    ]
