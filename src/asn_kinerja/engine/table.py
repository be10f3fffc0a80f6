"""One result table, rendered column by column: text for people, CSV, JSON, frames, Arrow and Parquet for machines.

A :class:`ResultTable` is an ordered set of :class:`Column` objects, one value per row (an employee, a changed
employee, a unit …). Every rendering is made from the columns without a loop over rows that builds Python dicts:
each column is turned into its cell text (CSV) or its JSON text once, through a table of its distinct values where
that is cheaper, and rows are the concatenation of those texts.

The convention of every output: machines (CSV, JSON, frames, Arrow, Parquet) get identifiers, with the official
labels beside them in separate ``<name>_label`` columns; people (the text table, HTML) get the labels.

>>> import numpy as np
>>> t = ResultTable((
...     Column.text("employee_id", ["E1", "E2"]),
...     Column.figure("capaian", np.array([9050, MISSING]), places=2),
...     Column.flag("adjusted", np.array([True, False])),
... ))
>>> print(t.to_csv(), end="")
employee_id,capaian,adjusted
E1,90.50,true
E2,,false
>>> print(t.to_json(indent=None))
[{"employee_id": "E1", "capaian": "90.50", "adjusted": true}, {"employee_id": "E2", "capaian": null, "adjusted": false}]
>>> print(text_table({"a": ["1"], "b": ["xyz"]}, {"a": "A", "b": "Bee"}, title="T"), end="")
T
<BLANKLINE>
A  Bee
-  ---
1  xyz
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja.dataset.frames import require
from asn_kinerja.engine.settle import MISSING
from asn_kinerja.model import LabelledEnum

__all__ = [
    "Column",
    "ResultTable",
    "code_ids",
    "code_labels",
    "csv_cells",
    "decimal_strings",
    "json_array",
    "json_document",
    "json_objects",
    "json_texts",
    "json_values",
    "text_table",
]

Kind = Literal["text", "figure", "flag", "json"]
Obj = npt.NDArray[np.object_]

_CSV_SPECIAL = frozenset(',"\r\n')


def _objects(values: Iterable[Any] | npt.NDArray[Any]) -> Obj:
    items = values.tolist() if isinstance(values, np.ndarray) else list(values)
    out = np.empty(len(items), dtype=object)
    out[:] = [None if v is None else str(v) for v in items]
    return out


def decimal_strings(scaled: npt.NDArray[np.int64], places: int = 2) -> Obj:
    """Exact decimal text of integers scaled by ``10**places`` (``MISSING`` → ``None``), one formatting per
    distinct value.

    >>> decimal_strings(np.array([9050, -5, MISSING, 9050])).tolist()
    ['90.50', '-0.05', None, '90.50']
    """
    if not len(scaled):
        return np.empty(0, dtype=object)
    values, inverse = np.unique(scaled, return_inverse=True)
    table = np.empty(len(values), dtype=object)
    table[:] = [None if v == MISSING else str(Decimal(int(v)).scaleb(-places)) for v in values.tolist()]
    out: Obj = table[inverse.ravel()]
    return out


def _code_table(enum: type[LabelledEnum], labels: bool) -> Obj:
    members = sorted(enum, key=lambda m: m.code)
    table = np.empty(len(members) + 1, dtype=object)  # the last entry: code -1, none
    table[:-1] = [m.label if labels else m.value for m in members]
    table[-1] = None
    return table


def code_ids(enum: type[LabelledEnum], codes: npt.NDArray[np.integer[Any]]) -> Obj:
    """The identifiers (``.value``) of enum codes, ``None`` for -1.

    >>> from asn_kinerja.model import Predikat
    >>> code_ids(Predikat, np.array([0, -1])).tolist()
    ['sangat_baik', None]
    """
    out: Obj = _code_table(enum, labels=False)[codes]
    return out


def code_labels(enum: type[LabelledEnum], codes: npt.NDArray[np.integer[Any]]) -> Obj:
    """The official labels of enum codes, ``None`` for -1.

    >>> from asn_kinerja.model import Predikat
    >>> code_labels(Predikat, np.array([3])).tolist()
    ['Kurang/Misconduct']
    """
    out: Obj = _code_table(enum, labels=True)[codes]
    return out


@attrs.frozen(eq=False)
class Column:
    """One column of a result table: its ``name`` (the CSV header and JSON key) and one value per row.

    ``kind``: ``text`` (``str`` or ``None``), ``figure`` (exact decimal text or ``None``, from scaled integers),
    ``flag`` (``bool``) or ``json`` (the row's value already as JSON text: nested values such as lists and
    objects; CSV shows ``csv`` where given, frames leave it out).
    """

    name: str
    values: npt.NDArray[Any]
    kind: Kind = "text"
    csv: Obj | None = None

    @classmethod
    def text(cls, name: str, values: Iterable[Any] | npt.NDArray[Any]) -> Column:
        """Text values (``None`` where none); non-text values become their ``str``."""
        return cls(name, _objects(values), "text")

    @classmethod
    def figure(cls, name: str, scaled: npt.NDArray[np.int64], *, places: int = 2) -> Column:
        """Published figures from integers scaled by ``10**places`` (``MISSING`` where none)."""
        return cls(name, decimal_strings(scaled, places), "figure")

    @classmethod
    def flag(cls, name: str, values: npt.NDArray[np.bool_]) -> Column:
        return cls(name, np.asarray(values, dtype=bool), "flag")

    @classmethod
    def nested(cls, name: str, fragments: Obj, *, csv: Obj | None = None) -> Column:
        """A nested value per row as JSON text at the top level of indentation (see :func:`json_objects`)."""
        return cls(name, fragments, "json", csv)

    def __len__(self) -> int:
        return len(self.values)

    def take(self, rows: npt.NDArray[np.intp]) -> Column:
        return Column(self.name, self.values[rows], self.kind, None if self.csv is None else self.csv[rows])


def csv_cells(column: Column) -> Obj:
    """The CSV text of each cell of a column (quoted where needed; ``None`` → empty)."""
    if column.kind == "flag":
        table = np.array(["false", "true"], dtype=object)
        out: Obj = table[column.values.astype(np.intp)]
        return out
    values = column.csv if column.kind == "json" else column.values
    if values is None:
        return np.full(len(column), "", dtype=object)
    blank = np.array(["" if v is None else v for v in values.tolist()], dtype=object)
    if _needs_quotes(blank):
        return np.array([_csv_cell(v) for v in blank.tolist()], dtype=object)
    return blank


def _needs_quotes(values: Obj) -> bool:
    """Whether any cell holds a character CSV must quote (one scan of the column's text)."""
    text = "\x00".join(values.tolist())
    return any(ch in text for ch in _CSV_SPECIAL)


def _csv_cell(value: str | None) -> str:
    if value is None:
        return ""
    if _CSV_SPECIAL.isdisjoint(value):
        return value
    return '"' + value.replace('"', '""') + '"'


def json_values(column: Column) -> Obj:
    """The JSON text of each cell of a column (strings escaped as :func:`json.dumps` with UTF-8 kept)."""
    if column.kind == "flag":
        out: Obj = np.array(["false", "true"], dtype=object)[column.values.astype(np.intp)]
        return out
    if column.kind == "json":
        return column.values
    return np.array(["null" if v is None else encode_basestring(v) for v in column.values.tolist()], dtype=object)


def _pad(indent: int | None, level: int) -> str:
    return "" if indent is None else "\n" + " " * (indent * level)


def _indented(fragments: Obj, indent: int | None, level: int) -> Obj:
    """JSON texts made at level 0, moved to ``level`` (their inner lines indented further)."""
    if indent is None or level == 0:
        return fragments
    pad = _pad(indent, level)
    return np.array([f.replace("\n", pad) if "\n" in f else f for f in fragments.tolist()], dtype=object)


def json_objects(fields: Sequence[tuple[str, Obj | None]], n: int, *, indent: int | None = 2, level: int = 0) -> Obj:
    """One JSON object per row from per-field JSON texts (made at ``level``); a ``None`` text leaves the key out
    of that row. The text equals :func:`json.dumps` of the same dict with ``indent`` at ``level``.

    >>> print(json_objects([("a", np.array(["1", "2"], dtype=object)), ("b", np.array([None, "3"], dtype=object))],
    ...                    2, indent=None).tolist())
    ['{"a": 1}', '{"a": 2, "b": 3}']
    """
    inner, outer = _pad(indent, level + 1), _pad(indent, level)
    sep = "," + inner if indent is not None else ", "
    parts = [(k, v) for k, v in fields if v is not None]
    if not parts:
        return np.full(n, "{}", dtype=object)
    complete = all(None not in v.tolist() for _, v in parts)
    if complete:
        keys = [encode_basestring(key).replace("%", "%%") + ": %s" for key, _ in parts]
        template = "{" + inner + sep.join(keys) + outer + "}"
        out: Obj = np.empty(n, dtype=object)
        out[:] = [template % row for row in zip(*(v.tolist() for _, v in parts), strict=True)]
        return out
    present = np.array([[v is not None for v in values.tolist()] for _, values in parts], dtype=np.int64)
    pattern = (present.T.reshape(n, len(parts)) << np.arange(len(parts), dtype=np.int64)).sum(axis=1)
    out = np.full(n, "{}", dtype=object)
    for code in np.unique(pattern).tolist():
        rows = np.flatnonzero(pattern == code)
        chosen = [(key, values[rows]) for i, (key, values) in enumerate(parts) if code >> i & 1]
        if chosen:
            out[rows] = json_objects(chosen, len(rows), indent=indent, level=level)
    return out


def json_texts(values: Sequence[Any], *, indent: int | None = 2) -> Obj:
    """Each value as JSON text made at level 0, as :func:`json.dumps` gives it: equal values are dumped with
    ``indent`` once (the compact text, from the C encoder, is the key).

    >>> json_texts([{"a": 1}, {"a": 1}], indent=None).tolist()
    ['{"a": 1}', '{"a": 1}']
    """
    seen: dict[str, str] = {}
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        key = json.dumps(value, ensure_ascii=False)
        text = seen.get(key)
        if text is None:
            text = seen[key] = key if indent is None else json.dumps(value, ensure_ascii=False, indent=indent)
        out[i] = text
    return out


def json_array(items: Obj | Sequence[str], *, indent: int | None = 2, level: int = 0) -> str:
    """A JSON array from its items' JSON texts (made at ``level + 1``)."""
    if not len(items):
        return "[]"
    inner, outer = _pad(indent, level + 1), _pad(indent, level)
    sep = "," + inner if indent is not None else ", "
    return "[" + inner + sep.join(list(items)) + outer + "]"


def json_document(members: Mapping[str, Any | RawJson], *, indent: int | None = 2) -> str:
    """A JSON object whose members are plain values (dumped by :func:`json.dumps`) or :class:`RawJson` texts made
    at level 1, ending with a newline — equal to ``json.dumps`` of the whole with UTF-8 kept."""
    fields = []
    for key, value in members.items():
        text = value.text if isinstance(value, RawJson) else json.dumps(value, ensure_ascii=False, indent=indent)
        if not isinstance(value, RawJson) and indent is not None:
            text = text.replace("\n", _pad(indent, 1))
        fields.append((key, np.array([text], dtype=object)))
    return str(json_objects(fields, 1, indent=indent)[0]) + "\n"


@attrs.frozen
class RawJson:
    """JSON text to place as it is inside :func:`json_document` (made at level 1)."""

    text: str


def text_table(
    columns: Mapping[str, Sequence[str] | Obj],
    heads: Mapping[str, str],
    *,
    title: str,
    right: Sequence[str] = (),
    footer: Sequence[str] = (),
    prefix: str = "",
) -> str:
    """A plain-text table for people: a title (left out where empty) and a blank line, the heads (``column →
    head``), a rule, the rows, then the footer lines after a blank line. Columns named in ``right`` are
    right-aligned (numbers); every line starts with ``prefix``."""
    names = list(heads)
    cells = {c: [str(v) for v in _listed(columns[c])] for c in names}
    widths = {c: max([len(heads[c]), *(len(v) for v in cells[c])]) for c in names}

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(widths[c]) if c in right else v.ljust(widths[c]) for c, v in zip(names, values, strict=True)]
        return (prefix + "  ".join(parts)).rstrip()

    out = [title, ""] if title else []
    out += [line([heads[c] for c in names]), prefix + "  ".join("-" * widths[c] for c in names)]
    out += [line(row) for row in zip(*(cells[c] for c in names), strict=True)]
    if footer:
        out += ["", *footer]
    return "\n".join(out) + "\n"


def _listed(values: Sequence[str] | Obj) -> list[Any]:
    return values.tolist() if isinstance(values, np.ndarray) else list(values)


@attrs.frozen(eq=False)
class ResultTable:
    """Columns of equal length, in output order: the result every rendering is made from."""

    columns: tuple[Column, ...]

    def __attrs_post_init__(self) -> None:
        lengths = {len(c) for c in self.columns}
        if len(lengths) > 1:
            raise ValueError(f"columns of different lengths: {sorted(lengths)}")

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def __getitem__(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def select(self, names: Iterable[str]) -> ResultTable:
        return ResultTable(tuple(self[n] for n in names))

    def take(self, rows: npt.NDArray[np.intp]) -> ResultTable:
        return ResultTable(tuple(c.take(rows) for c in self.columns))

    # --- machines ----------------------------------------------------------------------------------------
    def to_csv(self) -> str:
        """CSV text with a header row and ``\\n`` line ends; nested values appear as their CSV text where the
        column gives one (else the column is left out)."""
        shown = [c for c in self.columns if c.kind != "json" or c.csv is not None]
        header = ",".join(_csv_cell(c.name) for c in shown) + "\n"
        if not len(self):
            return header
        cells = [csv_cells(c).tolist() for c in shown]
        return header + "\n".join(map(",".join, zip(*cells, strict=True))) + "\n"

    def json_rows(self, *, indent: int | None = 2, level: int = 0) -> Obj:
        """One JSON object text per row (made at ``level``)."""
        fields = [(c.name, _indented(json_values(c), indent, level + 1)) for c in self.columns]
        return json_objects(fields, len(self), indent=indent, level=level)

    def to_json(self, *, indent: int | None = 2, level: int = 0) -> str:
        """The rows as a JSON array of objects."""
        return json_array(self.json_rows(indent=indent, level=level + 1), indent=indent, level=level)

    def records(self) -> list[dict[str, Any]]:
        """The rows as JSON-ready dicts (nested values decoded)."""
        return list(json.loads(self.to_json(indent=None))) if len(self) else []

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        """The flat columns (nested ones left out) as numpy arrays: text and figures as objects (``str`` or
        ``None``), flags as ``bool``."""
        return {c.name: c.values for c in self.columns if c.kind != "json"}

    def to_frame(self) -> Any:
        """A pandas ``DataFrame`` of the flat columns (the ``pandas`` extra)."""
        pd = require("pandas")
        return pd.DataFrame(self.arrays())

    def to_arrow(self) -> Any:
        """A ``pyarrow.Table`` of the flat columns (the ``arrow`` extra): text and figures as strings (the figures
        exact decimal text), flags as booleans."""
        pa = require("pyarrow")
        return pa.table(
            {
                c.name: pa.array(c.values.tolist(), type=pa.bool_() if c.kind == "flag" else pa.string())
                for c in self.columns
                if c.kind != "json"
            }
        )

    def write_parquet(self, path: str | Path) -> None:
        """The flat columns as a Parquet file (the ``arrow`` extra)."""
        require("pyarrow")
        import pyarrow.parquet as pq

        pq.write_table(self.to_arrow(), str(path))

    # --- people ------------------------------------------------------------------------------------------
    def to_text(
        self,
        heads: Mapping[str, str],
        *,
        title: str,
        right: Sequence[str] = (),
        footer: Sequence[str] = (),
        prefix: str = "",
    ) -> str:
        """A plain-text table of the columns named in ``heads`` (``column → head``): see :func:`text_table`."""
        columns = {name: [("" if v is None else str(v)) for v in self[name].values.tolist()] for name in heads}
        return text_table(columns, heads, title=title, right=right, footer=footer, prefix=prefix)
