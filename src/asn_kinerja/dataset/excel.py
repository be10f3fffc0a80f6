"""A dataset as one Excel workbook (``.xlsx``), read with python-calamine (the ``excel`` extra).

One sheet per table, named as the table (``units``, ``employees``, ``rhk``, ``indicators`` and the optional ones),
each with a header row of the CSV format's column names; and a sheet ``dataset`` holding the manifest as rows of
``key | value`` with the keys of ``dataset.yaml`` joined by dots (``agency``, ``period.id``, ``period.start``,
``period.end``, ``period.kind``, ``scale.min``, ``scale.max``, ``description``). Problems name the sheet as
``book.xlsx[employees]`` and the row of the sheet as the line.

Cells become the text a CSV file would hold: whole numbers without a decimal point, dates as ``YYYY-MM-DD``,
``true``/``false``. A NIP that Excel holds as a number keeps only 15 to 17 significant digits: it is written in
scientific notation, which the validator reports as a damaged NIP, never silently rounded to other digits.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from asn_kinerja.dataset.csv_reader import check_header
from asn_kinerja.dataset.frames import require
from asn_kinerja.dataset.io import KEY_COLUMNS, TABLES, build_from_manifest, parse_manifest
from asn_kinerja.dataset.limits import DatasetLimits, check_file
from asn_kinerja.dataset.model import Dataset
from asn_kinerja.dataset.table import Column, RawTable
from asn_kinerja.errors import DataError, Problem

__all__ = ["MANIFEST_SHEET", "cell_text", "load_workbook"]

MANIFEST_SHEET = "dataset"
_EXACT = 10**15  # integers up to here are held exactly by a float


def cell_text(value: object) -> str:
    """The text of one cell as a CSV file would hold it.

    >>> [cell_text(v) for v in (12.0, 0.5, 197502011999031001.0, True, dt.date(2025, 1, 2), None)]
    ['12', '0.5', '1.975020119990310e+17', 'true', '2025-01-02', '']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _EXACT:
            return str(int(value))
        return f"{value:.15e}" if abs(value) >= _EXACT else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def load_workbook(path: Path, *, limits: DatasetLimits | None = None) -> Dataset:
    """Load a dataset from an Excel workbook, validating everything; one :class:`~asn_kinerja.DataError` lists
    every problem of every sheet."""
    limits = limits or DatasetLimits()
    check_file(path, path.name, limits.max_table_bytes)
    calamine = require("python_calamine")
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # any unreadable file is reported, never a traceback
        raise DataError([Problem(f"not a readable Excel workbook: {exc}", source=path.name)]) from None
    sheets = set(book.sheet_names)
    if MANIFEST_SHEET not in sheets:
        raise DataError([Problem(f"no sheet {MANIFEST_SHEET!r} (the manifest: key | value rows)", source=path.name)])
    problems: list[Problem] = []
    try:  # a manifest's problems do not hide the sheets' (as a folder's dataset.yaml does not hide its files')
        manifest = _manifest(_rows(book, MANIFEST_SHEET), f"{path.name}[{MANIFEST_SHEET}]")
    except DataError as exc:
        problems.extend(exc.problems)
    tables: dict[str, RawTable] = {}
    for name, required in TABLES.items():
        label = f"{path.name}[{name}]"
        if name not in sheets:
            if required:
                problems.append(Problem("required sheet is missing", source=label))
            continue
        try:
            tables[name] = _table(_rows(book, name), name, label, limits.max_columns)
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    return build_from_manifest(manifest, tables, path.name)


def _rows(book: Any, sheet: str) -> list[list[object]]:
    rows: list[list[object]] = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return rows


def _manifest(rows: list[list[object]], label: str) -> Any:
    """The manifest from ``key | value`` rows, through the same conversion and messages as ``dataset.yaml`` (a
    problem names the row of its key)."""
    tree: dict[str, Any] = {}
    row_of: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        cells = [cell_text(v).strip() for v in row[:2]] + ["", ""]
        key, value = cells[0], cells[1]
        if not key:
            continue
        row_of[key] = number
        *parents, leaf = key.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    try:
        return parse_manifest(_yaml(tree), label)
    except DataError as exc:
        raise DataError(
            [
                attrs.evolve(p, line=row_of.get(p.field or "", row_of.get((p.field or "").split(".")[0])))
                for p in exc.problems
            ]
        ) from None


def _yaml(tree: dict[str, Any], prefix: str = "") -> str:
    """YAML text of nested mappings of cell texts: dates and numbers of the manifest written plain (their type
    read as in ``dataset.yaml``), all else quoted as text."""
    out = []
    indent = "  " * prefix.count(".")
    for key, value in tree.items():
        if isinstance(value, dict):
            out.append(f"{indent}{json.dumps(key)}:\n{_yaml(value, prefix + key + '.')}")
        else:
            plain = prefix + key in _TYPED and _PLAIN.fullmatch(value) is not None
            out.append(f"{indent}{json.dumps(key)}: {value if plain else json.dumps(value, ensure_ascii=False)}\n")
    return "".join(out)


_TYPED = frozenset({"period.start", "period.end", "scale.min", "scale.max"})
_PLAIN = re.compile(r"-?\d[\d.:-]*")


def _table(rows: list[list[object]], name: str, label: str, max_columns: int) -> RawTable:
    if not rows:
        raise DataError([Problem("the sheet is empty: a header row is required", source=label)])
    header = [cell_text(v) for v in rows[0]]
    while (
        header
        and not header[-1].strip()
        and all(len(r) < len(header) or r[len(header) - 1] in (None, "") for r in rows)
    ):
        header.pop()  # trailing columns without a name or a value: formatting, not data
    problems, seen = check_header([h.strip() for h in header], label, 1, max_columns)
    width = len(header)
    body: list[list[str]] = []
    lines: list[int] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [cell_text(v) for v in row]
        if not any(cell.strip() for cell in cells):
            continue  # a blank row
        if any(cell.strip() for cell in cells[width:]):
            problems.append(Problem(f"a value outside the {width} named columns", source=label, line=number))
            continue
        body.append(cells[:width] + [""] * (width - len(cells)))
        lines.append(number)
    if problems:
        raise DataError(problems)
    columns: dict[str, Column] = {}
    for h, i in seen.items():
        column = np.empty(len(body), dtype=object)
        column[:] = [row[i] for row in body]
        columns[h] = column
    return RawTable(name, label, columns, np.asarray(lines, dtype=np.int64), KEY_COLUMNS.get(name))
