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

import datetime as dt
import os
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path

import attrs

from asn_kinerja._files import read_bytes
from asn_kinerja.dataset.build import build_dataset, period_problems
from asn_kinerja.dataset.csv_reader import read_csv
from asn_kinerja.dataset.limits import DatasetLimits, check_file
from asn_kinerja.dataset.model import Dataset
from asn_kinerja.dataset.table import RawTable
from asn_kinerja.errors import DataError, PolicyError, Problem
from asn_kinerja.model import Period
from asn_kinerja.yamlschema.converter import Checked, FrozenMap, convert, doc
from asn_kinerja.yamlschema.tree import Limits, read_yaml

__all__ = ["MANIFEST", "TABLES", "DatasetLimits", "Manifest", "load_dataset", "read_csv", "read_manifest"]

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


def read_manifest(root: Path, limits: DatasetLimits | None = None) -> tuple[Manifest, list[Problem]]:
    """The manifest of a dataset folder, and the problems of its ``files`` keys (a bad manifest raises)."""
    manifest_path = root / MANIFEST
    if not manifest_path.exists():
        raise DataError([Problem(f"no {MANIFEST} in the folder: not a dataset", source=str(root))])
    limit = (limits or DatasetLimits()).max_manifest_bytes
    text = read_bytes(manifest_path, limit, source=MANIFEST, hint=" (DatasetLimits.max_manifest_bytes)")
    manifest = parse_manifest(text, MANIFEST, max_bytes=limit)
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


def parse_manifest(text: str | bytes, source: str, *, max_bytes: int | None = None) -> Manifest:
    """The manifest from its YAML text (a bad manifest raises one :class:`~asn_kinerja.DataError`); ``max_bytes``:
    the size allowed (by default ``DatasetLimits.max_manifest_bytes``)."""
    limit = DatasetLimits().max_manifest_bytes if max_bytes is None else max_bytes
    try:
        tree = read_yaml(text, source=source, limits=Limits(max_bytes=limit))
        if tree is None:
            raise DataError([Problem("the manifest is empty: agency, period and scale are required", source=source)])
        manifest, _ = convert(tree, Manifest)
    except PolicyError as exc:
        raise DataError(exc.problems) from None
    return manifest


def load_folder(
    path: str | Path,
    extension: str,
    read: Callable[[Path, str, str], RawTable],
    limits: DatasetLimits | None = None,
) -> Dataset:
    """Load a dataset folder whose tables are files ``<table>.<extension>`` (or as the manifest's ``files`` name
    them), each read by ``read(path, table, label)``; one :class:`~asn_kinerja.DataError` lists every problem of
    every file. :func:`load_dataset` (CSV) and :func:`asn_kinerja.dataset.frames.load_parquet` are this with
    their readers. Every file is checked against ``limits`` before it is read."""
    limits = limits or DatasetLimits()
    root = Path(path)
    if root.is_file():
        root = root.parent
    manifest, problems = read_manifest(root, limits)
    tables: dict[str, RawTable] = {}
    for name, required in TABLES.items():
        file_name = manifest.files.get(name, f"{name}.{extension}")
        file_path = root / file_name
        if name not in manifest.files and not os.path.lexists(file_path):  # an optional table not given
            if required:
                problems.append(Problem("required file is missing", source=file_name))
            continue
        try:  # a file the manifest names must exist; any file found must be a regular file within the limit
            check_file(file_path, file_name, limits.max_table_bytes)
            tables[name] = read(file_path, name, file_name)
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    return build_from_manifest(manifest, tables, root.name, release=True)  # the tables read here are handed over


def build_from_manifest(
    manifest: Manifest, tables: Mapping[str, RawTable], source: str, *, release: bool = False
) -> Dataset:
    """Validate the tables read from files into a dataset of the manifest's agency, period and scale (``release``:
    the tables are handed over, see :func:`~asn_kinerja.dataset.build.build_dataset`)."""
    period = Period(
        id=manifest.period.id, start=manifest.period.start, end=manifest.period.end, kind=manifest.period.kind
    )
    scale = (manifest.scale.min, manifest.scale.max)
    return build_dataset(
        agency=manifest.agency, period=period, scale=scale, tables=tables, source=source, release=release
    )


def load_dataset(path: str | Path, *, limits: DatasetLimits | None = None) -> Dataset:
    """Load a dataset, validating everything; one :class:`~asn_kinerja.DataError` lists every problem of every
    file. ``path`` is a folder with ``dataset.yaml`` (or that file) whose tables are CSV files or, where the folder
    holds Parquet files and no CSV table, Parquet files (the ``arrow`` extra); or an Excel workbook ``.xlsx`` with
    one sheet per table and a sheet ``dataset`` for the manifest (the ``excel`` extra). Files beyond ``limits``
    are refused before they are read."""
    given = Path(path)
    if given.suffix.lower() == ".xlsx":
        from asn_kinerja.dataset.excel import load_workbook

        return load_workbook(given, limits=limits)
    root = given.parent if given.is_file() else given
    if folder_format(root) == "parquet":
        from asn_kinerja.dataset.frames import load_parquet

        return load_parquet(root, limits=limits)
    return load_folder(
        root,
        "csv",
        lambda file_path, name, label: read_csv(file_path, name, label=label, limits=limits, key=KEY_COLUMNS.get(name)),
        limits,
    )


def folder_format(root: Path) -> str:
    """``"parquet"`` for a folder holding Parquet files and no CSV file, else ``"csv"``."""
    if not root.is_dir():
        return "csv"
    suffixes = {p.suffix.lower() for p in root.iterdir()}
    return "parquet" if ".parquet" in suffixes and ".csv" not in suffixes else "csv"
