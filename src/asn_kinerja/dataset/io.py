"""The on-disk dataset format: a folder with a manifest ``dataset.yaml`` and CSV files.

::

    bungo-2024/
      dataset.yaml        agency, period, rating scale (and optionally other file names)
      units.csv           unit_id, name, parent_id, predikat_organisasi, service_unit
      employees.csv       employee_id, name, unit_id, jenis_jabatan, jenjang, superior_id
      rhk.csv             rhk_id, employee_id, jenis, intervensi_id, text
      indicators.csv      indicator_id, rhk_id, text, aspect, satuan, direction,
                          target | target_low, target_high, weight, realisasi
      ratings.csv         ratee_id, rater_id, group, criterion, score          (optional)
      evaluations.csv     employee_id, rating_hasil_kerja, rating_perilaku_kerja, evaluator_id, note,
                          ide_baru (true/false, PP 30/2019 only)                (optional)
      surveys.csv         unit_id, respondent_id, u1 … u9                      (optional)
      adjustments.csv     employee_id, by, on, from_predikat, to_predikat, reason   (optional)

CSV files are UTF-8 (a byte-order mark is accepted), comma-separated, with a header row; a decimal point, not a
comma. A file in another encoding is rejected, never guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path

import attrs

from asn_kinerja._files import DATA_LIMIT, check_readable, read_bytes
from asn_kinerja.dataset.build import build_dataset, period_problems
from asn_kinerja.dataset.model import Dataset
from asn_kinerja.dataset.table import RawTable
from asn_kinerja.errors import DataError, PolicyError, Problem
from asn_kinerja.model import Period
from asn_kinerja.policy.schema import Checked, FrozenMap, convert, doc
from asn_kinerja.policy.yamltree import Limits, read_yaml

__all__ = ["MANIFEST", "TABLES", "Manifest", "load_dataset", "read_csv", "read_manifest"]

MANIFEST = "dataset.yaml"
#: The tables of a dataset, whether each is required, and its default file name.
TABLES: dict[str, bool] = {
    "units": True,
    "employees": True,
    "rhk": True,
    "indicators": True,
    "ratings": False,
    "evaluations": False,
    "surveys": False,
    "adjustments": False,
}
KEY_COLUMNS: dict[str, str] = {
    "units": "unit_id",
    "employees": "employee_id",
    "rhk": "rhk_id",
    "indicators": "indicator_id",
    "ratings": "ratee_id",
    "evaluations": "employee_id",
    "surveys": "respondent_id",
    "adjustments": "employee_id",
}
MAX_FILE_BYTES = DATA_LIMIT


@attrs.frozen(kw_only=True)
class ManifestPeriod(Checked):
    """The evaluation period of a dataset."""

    id: str = doc("Identifier, e.g. '2024' or '2024-Q1'.")
    start: dt.date = doc("First day.")
    end: dt.date = doc("Last day.")
    kind: str = doc("annual, semester, quarterly or monthly.", default="annual")

    def check(self) -> list[tuple[str, str]]:
        period = Period(id=self.id, start=self.start, end=self.end, kind=self.kind)
        return [(str(p.field).removeprefix("period."), p.message) for p in period_problems(period, MANIFEST)]


@attrs.frozen(kw_only=True)
class ManifestScale(Checked):
    """The scale of the behaviour ratings."""

    min: Decimal = doc("Lowest score.")
    max: Decimal = doc("Highest score.")

    def check(self) -> list[tuple[str, str]]:
        return [] if self.min < self.max else [("max", "the scale needs min < max")]


@attrs.frozen(kw_only=True)
class Manifest:
    """``dataset.yaml``: what the folder holds."""

    agency: str = doc("The agency (instansi) and, if useful, the unit evaluated.")
    period: ManifestPeriod = doc("The evaluation period.")
    scale: ManifestScale = doc("The scale of the behaviour ratings in ratings.csv.")
    files: Mapping[str, str] = doc("File names, where they differ from the table name + .csv.", factory=FrozenMap)
    description: str | None = doc("Free text.", default=None)


def read_csv(path: Path, name: str, *, label: str | None = None) -> RawTable:
    """Read one CSV file into a :class:`RawTable`, rejecting a file that is not UTF-8 text."""
    label = label or path.name
    data = read_bytes(path, MAX_FILE_BYTES, source=label)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            [
                Problem(
                    f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8 "
                    "(it may be Windows-1252/Latin-1)",
                    source=label,
                    line=line,
                )
            ]
        ) from None
    if "\x00" in text:
        raise DataError([Problem("the file contains NUL bytes: not a text CSV file", source=label)])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
        lines: list[int] = []
        # csv.reader.line_num counts physical lines read so far: record each row's first line.
        reader2 = csv.reader(io.StringIO(text, newline=""), strict=True)
        previous = 0
        for _ in reader2:
            lines.append(previous + 1)
            previous = reader2.line_num
    except csv.Error as exc:
        raise DataError([Problem(f"malformed CSV: {exc}", source=label, line=reader.line_num)]) from None
    if not rows:
        raise DataError([Problem("the file is empty: a header row is required", source=label)])
    header = [h.strip() for h in rows[0]]
    problems = []
    for i, h in enumerate(header):
        if not h:
            problems.append(Problem(f"column {i + 1} has no name in the header", source=label, line=1))
        elif header.index(h) != i:
            problems.append(Problem(f"the column {h!r} appears twice in the header", source=label, line=1))
    body: list[dict[str, object]] = []
    body_lines: list[int] = []
    for row, line in zip(rows[1:], lines[1:], strict=True):
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        if len(row) != len(header):
            problems.append(Problem(f"{len(row)} cells where the header has {len(header)}", source=label, line=line))
            continue
        body.append(dict(zip(header, row, strict=True)))
        body_lines.append(line)
    if problems:
        raise DataError(problems)
    table = RawTable.from_rows(name, label, body, lines=body_lines, key=KEY_COLUMNS.get(name))
    if not body:
        columns = {h: RawTable.from_rows(name, label, [{h: None}]).column(h)[:0] for h in header if h}
        table = RawTable(name, label, columns, table.lines, table.key)
    return table


def read_manifest(root: Path) -> tuple[Manifest, list[Problem]]:
    """The manifest of a dataset folder, and the problems of its ``files`` keys (a bad manifest raises)."""
    manifest_path = root / MANIFEST
    if not manifest_path.is_file():
        raise DataError([Problem(f"no {MANIFEST} in the folder: not a dataset", source=str(root))])
    try:
        tree = read_yaml(read_bytes(manifest_path, Limits().max_bytes, source=MANIFEST), source=MANIFEST)
        if tree is None:
            raise DataError([Problem("the manifest is empty: agency, period and scale are required", source=MANIFEST)])
        manifest, _ = convert(tree, Manifest)
    except PolicyError as exc:
        raise DataError(exc.problems) from None
    problems: list[Problem] = []
    for key in manifest.files:
        if key not in TABLES:
            problems.append(
                Problem(
                    f"unknown table {key!r} (known: {', '.join(TABLES)})",
                    source=MANIFEST,
                    field=f"files.{key}",
                )
            )
    return manifest, problems


def load_folder(path: str | Path, extension: str, read: Callable[[Path, str, str], RawTable]) -> Dataset:
    """Load a dataset folder whose tables are files ``<table>.<extension>`` (or as the manifest's ``files`` name
    them), each read by ``read(path, table, label)``; one :class:`~asn_kinerja.DataError` lists every problem of
    every file. :func:`load_dataset` (CSV) and :func:`asn_kinerja.dataset.frames.load_parquet` are this with
    their readers."""
    root = Path(path)
    if root.is_file():
        root = root.parent
    manifest, problems = read_manifest(root)
    tables: dict[str, RawTable] = {}
    for name, required in TABLES.items():
        file_name = manifest.files.get(name, f"{name}.{extension}")
        file_path = root / file_name
        if name not in manifest.files and not os.path.lexists(file_path):  # an optional table not given
            if required:
                problems.append(Problem("required file is missing", source=file_name))
            continue
        try:  # a file the manifest names must exist; any file found must be a regular file
            check_readable(file_path, MAX_FILE_BYTES, source=file_name)
            tables[name] = read(file_path, name, file_name)
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    period = Period(
        id=manifest.period.id, start=manifest.period.start, end=manifest.period.end, kind=manifest.period.kind
    )
    scale = (manifest.scale.min, manifest.scale.max)
    return build_dataset(agency=manifest.agency, period=period, scale=scale, tables=tables, source=root.name)


def load_dataset(path: str | Path) -> Dataset:
    """Load a dataset folder (or its ``dataset.yaml``), validating everything; one
    :class:`~asn_kinerja.DataError` lists every problem of every file."""
    return load_folder(path, "csv", lambda file_path, name, label: read_csv(file_path, name, label=label))
