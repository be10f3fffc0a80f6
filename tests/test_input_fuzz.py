"""Fuzzing the ways in: the command line (every subcommand, random argument values) and the three dataset sources
(CSV folders, Parquet folders, frames and records). Whatever comes in, the only failure is an
:class:`~asn_kinerja.AsnKinerjaError` (on the command line: exit status 2 with a message, never a traceback).

The examples are few and small (a one-employee dataset), so that the suite stays fast.
"""

from __future__ import annotations

import atexit
import contextlib
import csv
import datetime as dt
import io
import shutil
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from asn_kinerja.cli import main
from asn_kinerja.dataset import load_dataset
from asn_kinerja.dataset.frames import from_frames, load_parquet
from asn_kinerja.errors import AsnKinerjaError
from asn_kinerja.model import Period

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORK = Path(tempfile.mkdtemp(prefix="asn-kinerja-fuzz-"))  # made at import: the strategies below name its paths
atexit.register(shutil.rmtree, WORK, ignore_errors=True)
TABLES: dict[str, list[dict[str, str]]] = {
    "units": [{"unit_id": "U1", "name": "Sekretariat", "parent_id": "", "predikat_organisasi": "baik"}],
    "employees": [
        {"employee_id": "E1", "name": "Ani", "unit_id": "U1", "jenis_jabatan": "JA", "superior_id": ""},
    ],
    "rhk": [{"rhk_id": "R1", "employee_id": "E1", "jenis": "utama", "text": "Laporan"}],
    "indicators": [
        {
            "indicator_id": "I1",
            "rhk_id": "R1",
            "text": "Laporan terbit",
            "target": "12",
            "weight": "1",
            "realisasi": "12",
        },
    ],
    "evaluations": [{"employee_id": "E1", "rating_hasil_kerja": "", "rating_perilaku_kerja": "sesuai"}],
}
MANIFEST = "agency: Fuzz\nperiod: {id: '2025', start: 2025-01-01, end: 2025-12-31}\nscale: {min: 1, max: 5}\n"


def _write_csv_folder(folder: Path, tables: dict[str, list[dict[str, str]]], manifest: str = MANIFEST) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dataset.yaml").write_text(manifest, encoding="utf-8")
    for name, rows in tables.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return folder


DATA = _write_csv_folder(WORK / "data", TABLES)
SURVEY = WORK / "survey.csv"
SURVEY.write_text("id,u1,u2,u3,u4,u5,u6,u7,u8,u9\nR1,4,3,3,4,3,3,4,4,4\n", encoding="utf-8")


@contextlib.contextmanager
def _in_scratch() -> Iterator[Path]:
    """A fresh working folder for one example: whatever a random argument writes lands there."""
    folder = Path(tempfile.mkdtemp(dir=WORK))
    (folder / "link.txt").symlink_to(folder / "target.txt")
    with contextlib.chdir(folder):
        yield folder
    shutil.rmtree(folder, ignore_errors=True)


# --- the command line ------------------------------------------------------------------------------------------

HOSTILE_TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "", "-", "--", "1_000", "1e999999999", "-1e-999999", "nan", "inf", "²", "٣", "0x1F", "9" * 400,
            "0.0000000000000000001", "1:2:3", "1:0:1", "0:1:0", "0:1e15:1e-15", "a:b:c", "x.png", "x.unknown", "/",
            "\x00", "../../etc/passwd", "{a: 1, b: [", "baik:13", "baik:0", "sangat_baik:12",
        ]
    ),
)  # fmt: skip
NUMBERS = st.one_of(
    HOSTILE_TEXT,
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.integers(-(10**30), 10**30).map(str),
)
# No device here: a regression that replaced it would damage the machine (tests/test_hardening.py checks devices).
OUTPUTS = st.sampled_from([None, "out.txt", "/", "missing/out.txt", ".", "link.txt"])
POLICIES = st.sampled_from(["permenpanrb-6-2022", "pp-30-2019", "pp-46-2011", "nosuch", "", "/"])
DATASETS = st.sampled_from([str(DATA), str(WORK), "nosuch", ""])


SUBCOMMANDS = ["evaluate", "validate", "policies", "ikm", "angka-kredit", "compare", "sweep", "report"]


def test_the_fuzzed_subcommands_are_all_the_subcommands() -> None:
    from asn_kinerja.cli import _parser

    actions = [a for a in _parser()._actions if a.__class__.__name__ == "_SubParsersAction"]
    assert sorted(actions[0].choices) == sorted(SUBCOMMANDS)  # type: ignore[union-attr]


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """An argument list for one of the subcommands, with random (and hostile) values."""
    command = draw(st.sampled_from(SUBCOMMANDS))
    argv = [command]
    if command == "evaluate":
        argv += [draw(DATASETS)]
        argv += ["--policy", draw(POLICIES)] if draw(st.booleans()) else []
        argv += ["--format", draw(st.sampled_from(["table", "json", "csv", "xml"]))]
        argv += ["--by-unit"] if draw(st.booleans()) else []
    elif command == "validate":
        argv += [draw(st.one_of(DATASETS, POLICIES))]
    elif command == "ikm":
        argv += [draw(st.sampled_from([str(SURVEY), str(DATA / "units.csv"), "nosuch"]))]
        argv += ["--population", draw(NUMBERS)] if draw(st.booleans()) else []
        argv += ["--missing", draw(st.sampled_from(["error", "skip", "x"]))]
    elif command == "angka-kredit":
        argv += [draw(st.sampled_from(["ahli_pertama", "terampil", "x", ""]))]
        argv += draw(st.lists(st.one_of(HOSTILE_TEXT, NUMBERS.map(lambda n: f"baik:{n}")), min_size=1, max_size=3))
        argv += ["--previous", draw(NUMBERS)] if draw(st.booleans()) else []
    elif command == "compare":
        argv += [draw(POLICIES), draw(POLICIES), draw(DATASETS)]
        argv += ["--plot", draw(HOSTILE_TEXT)] if draw(st.booleans()) else []
    elif command == "report":
        argv += [draw(DATASETS)]
        argv += ["--policy", draw(POLICIES)] if draw(st.booleans()) else []
        argv += ["--compare", draw(POLICIES)] if draw(st.booleans()) else []
        argv += ["--lang", draw(st.sampled_from(["id", "en", "fr", ""]))]
        argv += ["--output", draw(st.sampled_from(["report.html", "/", "missing/report.html", "link.txt"]))]
        return argv
    elif command == "sweep":
        argv += [draw(POLICIES), draw(DATASETS), "--key", draw(st.sampled_from(
            ["hasil_kerja.suggestion.thresholds.di_atas", "perilaku_kerja.weights.atasan", "x", ""]))]  # fmt: skip
        if draw(st.booleans()):
            argv += ["--range", ":".join(draw(st.lists(NUMBERS, min_size=1, max_size=4)))]
        else:
            argv += ["--values", ",".join(draw(st.lists(NUMBERS, min_size=1, max_size=3)))]
    output = draw(OUTPUTS)
    if output is not None and command != "validate" and command != "policies":
        argv += ["--output", output]
    return argv


@FUZZ
@given(argv=command_lines())
def test_the_command_line_exits_0_or_2_with_a_message(argv: list[str]) -> None:
    err = io.StringIO()
    with _in_scratch(), contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(argv)  # any other exception fails the test
    text = err.getvalue()
    assert status in (0, 2), (argv, text)
    assert "Traceback" not in text
    if status == 2:
        assert text.startswith("asn-kinerja: "), (argv, text)


# --- the dataset sources ---------------------------------------------------------------------------------------

CELLS = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12),
    NUMBERS.filter(lambda text: "\x00" not in text),
    st.sampled_from(["E1", "U1", "R1", "I1", "sesuai", "di_atas", "utama", "JA", "higher", "lower", "baik"]),
)
COLUMNS = {name: sorted({col for row in rows for col in row}) for name, rows in TABLES.items()}


@st.composite
def mutated_tables(draw: st.DrawFn) -> dict[str, list[dict[str, str]]]:
    """The small dataset with a few cells replaced by random text, sometimes a row added or a column dropped."""
    tables = {name: [dict(row) for row in rows] for name, rows in TABLES.items()}
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(tables)))
        rows = tables[name]
        action = draw(st.sampled_from(["cell", "cell", "row", "drop"]))
        if action == "cell":
            rows[0][draw(st.sampled_from(COLUMNS[name]))] = draw(CELLS)
        elif action == "row":
            rows.append({col: draw(CELLS) for col in rows[0]})
        elif len(rows[0]) > 1:
            column = draw(st.sampled_from(sorted(rows[0])))
            for row in rows:
                row.pop(column, None)
    return tables


def _frames(tables: dict[str, list[dict[str, str]]]) -> dict[str, dict[str, list[str]]]:
    return {name: {col: [row.get(col, "") for row in rows] for col in rows[0]} for name, rows in tables.items()}


def _outcome(load: Callable[[], object]) -> str:
    """``ok``, or ``error: …`` for an AsnKinerjaError (any other exception fails the test)."""
    try:
        load()
    except AsnKinerjaError as exc:
        return f"error: {exc}"
    return "ok"


@FUZZ
@given(tables=mutated_tables(), period_reversed=st.booleans())
def test_every_dataset_source_finds_only_asn_kinerja_errors(
    tables: dict[str, list[dict[str, str]]], period_reversed: bool
) -> None:
    # A CSV row of empty cells is a blank line, skipped; a frame has no blank lines: such rows are left out here.
    assume(all(any(str(cell).strip() for cell in row.values()) for rows in tables.values() for row in rows))
    manifest = MANIFEST.replace("start: 2025-01-01, end: 2025-12-31", "start: 2025-12-31, end: 2025-01-01")
    with _in_scratch() as folder:
        csv_folder = _write_csv_folder(folder / "csv", tables, manifest if period_reversed else MANIFEST)
        start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
        period = Period("2025", end, start) if period_reversed else Period("2025", start, end)
        frames = _frames(tables)
        outcomes = {
            "csv": _outcome(lambda: load_dataset(csv_folder)),
            "frames": _outcome(lambda: from_frames(agency="Fuzz", period=period, **frames)),  # type: ignore[arg-type]
        }
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        parquet = folder / "parquet"
        parquet.mkdir()
        shutil.copy(csv_folder / "dataset.yaml", parquet / "dataset.yaml")
        for name, columns in frames.items():
            pq.write_table(pa.table(columns), parquet / f"{name}.parquet")
        outcomes["parquet"] = _outcome(lambda: load_parquet(parquet))
    assert len({outcome.split(":")[0] for outcome in outcomes.values()}) == 1, (tables, outcomes)


@FUZZ
@given(
    values=st.lists(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=True),
            st.decimals(allow_nan=True, allow_infinity=True),
            st.integers(-(2**63), 2**63 - 1),
            HOSTILE_TEXT,
            st.none(),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_numbers_of_any_type_in_frames_find_only_asn_kinerja_errors(values: list[object]) -> None:
    """Targets as floats, Decimals (sNaN too), ints and text: a dataset or an AsnKinerjaError."""
    n = len(values)
    column: object = np.array(values, dtype=object)
    if all(isinstance(v, float) for v in values):
        column = np.array(values, dtype=np.float64)
    tables = {
        "units": {"unit_id": ["U1"], "name": ["S"]},
        "employees": {"employee_id": ["E1"], "name": ["Ani"], "unit_id": ["U1"], "jenis_jabatan": ["JA"]},
        "rhk": {"rhk_id": ["R1"], "employee_id": ["E1"], "text": ["L"]},
        "indicators": {
            "indicator_id": [f"I{i}" for i in range(n)],
            "rhk_id": ["R1"] * n,
            "text": ["L"] * n,
            "target": column,
            "realisasi": [Decimal(12)] * n,
        },
    }
    with contextlib.suppress(AsnKinerjaError):
        from_frames(agency="Fuzz", period=Period("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)), **tables)  # type: ignore[arg-type]
