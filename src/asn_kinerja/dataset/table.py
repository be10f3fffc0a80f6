"""Raw input tables: columns of cells with where each row came from, before validation.

Every way into a dataset (CSV files, Python records, numpy arrays, DataFrames) produces :class:`RawTable` objects;
one validator (:mod:`asn_kinerja.dataset.build`) turns them into a :class:`~asn_kinerja.dataset.Dataset`, so that
every source gets the same checks and the same messages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja.dataset.columns import Categorical, factorize
from asn_kinerja.dataset.lines import Lines
from asn_kinerja.errors import Problem

__all__ = ["OWN_IDS", "Categorical", "RawTable"]

Column = npt.NDArray[np.object_] | npt.NDArray[np.generic] | Categorical

#: Per table, its column of ids that each row has its own of: read from CSV and Parquet as it is (a dictionary of
#: its distinct values would be as long as the column, and Arrow would hash every value to make it), and taken as
#: its own distinct values where it holds no id twice (else as any other text; validation names the repeated id).
OWN_IDS = {"units": "unit_id", "employees": "employee_id", "rhk": "rhk_id", "indicators": "indicator_id"}


@attrs.frozen
class RawTable:
    """One table of input: ``columns`` maps a column name to an array of cells (``None``, NaN or ``""`` = empty)
    or to a :class:`~asn_kinerja.dataset.columns.Categorical` (codes into distinct values, ``-1`` = empty).

    ``source`` is the file name (or a label such as ``"employees (records)"``); ``lines`` gives each row's line in
    the file (``None`` where rows have no lines; a :class:`~asn_kinerja.dataset.lines.Lines` for a CSV file, found
    only when asked for); ``key`` names the column holding the row's id, used to name the
    record in messages.
    """

    name: str
    source: str
    columns: Mapping[str, Column]
    lines: npt.NDArray[np.int64] | npt.NDArray[np.int32] | Lines | None = None
    key: str | None = None

    @classmethod
    def from_rows(
        cls,
        name: str,
        source: str,
        rows: Sequence[Mapping[str, object]],
        *,
        lines: Sequence[int] | None = None,
        key: str | None = None,
    ) -> RawTable:
        names: list[str] = []
        for row in rows:
            for col in row:
                if col not in names:
                    names.append(col)
        columns = {}
        for col in names:
            arr = np.empty(len(rows), dtype=object)
            arr[:] = [row.get(col) for row in rows]
            columns[col] = arr
        return cls(name, source, columns, None if lines is None else np.asarray(lines, dtype=np.int64), key)

    def __len__(self) -> int:
        for col in self.columns.values():
            return len(col)
        return 0

    def has(self, column: str) -> bool:
        return column in self.columns

    def column(self, column: str) -> npt.NDArray[np.generic]:
        """The column's cells; a column that is absent reads as all empty."""
        found = self.columns.get(column)
        if found is None:
            return np.full(len(self), None, dtype=object)
        if isinstance(found, Categorical):
            return found.dense()
        return found

    def factorized(self, column: str) -> Categorical:
        """The column as codes into its distinct values (an absent column: every cell empty)."""
        found = self.columns.get(column)
        if found is None:
            return Categorical(np.full(len(self), -1, dtype=np.int64), np.empty(0, dtype=object))
        return factorize(found)

    def cell(self, column: str, row: int) -> object:
        found = self.columns.get(column)
        if found is None:
            return None
        if isinstance(found, Categorical):
            code = int(found.codes[row])
            return None if code < 0 else found.categories[code]
        return found[row]

    def line_array(self) -> npt.NDArray[np.int32] | Lines | None:
        """Each row's line in its file, or ``None`` where rows have no lines."""
        if self.lines is None or isinstance(self.lines, Lines):
            return self.lines
        return self.lines.astype(np.int32, copy=False)

    def problem(self, row: int | None, field: str | None, message: str) -> Problem:
        """A :class:`~asn_kinerja.Problem` located at ``row`` (0-based) of this table."""
        line = None
        record = None
        if row is not None:
            if self.lines is not None:
                line = int(self.lines[row])
            if self.key is not None and self.key in self.columns:
                cell = self.cell(self.key, row)
                record = None if _empty(cell) else str(cell)
            if line is None and record is None:
                record = f"row {row + 1}"
        return Problem(message, source=self.source, line=line, record=record, field=field)


def _empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip()) or (isinstance(cell, float) and cell != cell)
