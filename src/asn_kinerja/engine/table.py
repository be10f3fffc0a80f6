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
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, BinaryIO, Literal, TextIO

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja._files import write_file
from asn_kinerja.dataset.columns import Codes, code_type
from asn_kinerja.dataset.frames import require
from asn_kinerja.engine.arrow import coded_array, flag_array, integer_array, text_array
from asn_kinerja.engine.settle import MISSING
from asn_kinerja.model import LabelledEnum

__all__ = [
    "Chunk",
    "Coded",
    "Column",
    "Field",
    "Quoted",
    "ResultTable",
    "code_ids",
    "code_labels",
    "code_table",
    "coded_objects",
    "csv_cells",
    "decimal_strings",
    "distinct_values",
    "join_chunk",
    "join_chunks",
    "json_array",
    "json_array_chunks",
    "json_array_pieces",
    "json_document",
    "json_document_chunks",
    "json_field",
    "json_objects",
    "json_part",
    "json_text",
    "json_texts",
    "json_values",
    "labelled",
    "output_order",
    "sort_keys",
    "text_table",
    "text_values",
    "write_chunks",
    "write_pieces",
]

#: Rows of a JSON array written as one piece: a few megabytes of text, so that the memory of each piece is reused
#: for the next (larger pieces are fresh memory each time, which costs more than the join).
ROWS_PER_PIECE = 4096

Kind = Literal["text", "figure", "flag", "json", "integer"]
Obj = npt.NDArray[np.object_]

_CSV_SPECIAL = frozenset(',"\r\n')


def text_values(values: Iterable[Any] | npt.NDArray[Any]) -> Obj:
    """Values as an object array of ``str`` (``None`` kept): texts are kept as they are (one scan of their types),
    other values become their ``str``.

    >>> text_values([1, None, "a"]).tolist()
    ['1', None, 'a']
    """
    items = values.tolist() if isinstance(values, np.ndarray) else list(values)
    out = np.empty(len(items), dtype=object)
    if set(map(type, items)) <= {str, type(None)}:
        out[:] = items
    else:
        out[:] = [None if v is None else str(v) for v in items]
    return out


def sort_keys(texts: Obj) -> npt.NDArray[Any]:
    """Texts as a numpy array that sorts as the texts do (by code point): integers where every text is a run of
    ASCII digits of one length up to 18 (NIP-like ids: compared as numbers, the same order, far faster), else bytes
    where every text is ASCII (compared faster, a quarter of the memory), else unicode.

    >>> sort_keys(np.array(["0912", "0199"], dtype=object)).tolist(), sort_keys(np.array(["b", "a1"])).tolist()
    ([912, 199], [b'b', b'a1'])
    """
    values = np.asarray(texts)
    try:  # straight from the objects: four times as fast as through unicode
        narrow = values.astype("S") if values.dtype == object else values.astype(str).astype("S")
    except UnicodeEncodeError:
        return values.astype(str)
    width = narrow.dtype.itemsize
    if 0 < width <= 18 and len(narrow):
        # The bytes as digits (a shorter text's padding, NUL, is no digit): the number made column by column.
        digits = narrow.view(np.uint8).reshape(len(narrow), width) - np.uint8(ord("0"))
        if bool((digits <= 9).all()):
            number = np.zeros(len(narrow), dtype=np.int64)
            for column in digits.T:
                number *= 10
                number += column
            return number
    return narrow


def output_order(group_ids: Obj, group_of: npt.NDArray[np.integer[Any]], ids: Obj) -> npt.NDArray[np.intp]:
    """Rows sorted by the id of their group (``group_ids[group_of]``), then by their own id, ties in row order:
    each id text is sorted once, then the rows by integer ranks.

    >>> output_order(np.array(["u2", "u1"], dtype=object), np.array([0, 1, 0]),
    ...              np.array(["b", "c", "a"], dtype=object)).tolist()
    [1, 2, 0]
    """
    rank = np.unique(sort_keys(group_ids), return_inverse=True)[1].ravel()  # equal ids: equal rank
    if len(rank) <= 1 << 16:  # numpy sorts 16-bit integers stably by radix, in linear time
        rank = rank.astype(np.uint16)
    by_id = np.argsort(sort_keys(ids), kind="stable")
    out: npt.NDArray[np.intp] = by_id[np.argsort(rank[np.asarray(group_of)[by_id]], kind="stable")]
    return out


def decimal_strings(scaled: npt.NDArray[np.int64], places: int = 2) -> Obj:
    """Exact decimal text of integers scaled by ``10**places`` (``MISSING`` → ``None``), one formatting per
    distinct value.

    >>> decimal_strings(np.array([9050, -5, MISSING, 9050])).tolist()
    ['90.50', '-0.05', None, '90.50']
    """
    table, codes = _decimal_table(scaled, places)
    out: Obj = table[codes]
    return out


def _decimal_table(scaled: npt.NDArray[np.int64], places: int) -> tuple[Obj, Codes]:
    """The distinct figures' text and each row's position among them."""
    if not len(scaled):
        return np.empty(0, dtype=object), np.empty(0, dtype=np.intp)
    values, inverse = distinct_values(scaled)
    table = np.empty(len(values), dtype=object)
    table[:] = [None if v == MISSING else str(Decimal(int(v)).scaleb(-places)) for v in values.tolist()]
    return table, positions(inverse.ravel(), len(table))


def positions(codes: npt.NDArray[np.integer[Any]] | Sequence[int], size: int) -> Codes:
    """Codes into a table of ``size`` entries (``-1``: the last) as signed integers no wider than
    :func:`~asn_kinerja.dataset.columns.code_type` of the size: a million rows of an enum take 1 MB, not 8. Signed
    codes that narrow already are kept as they are (no copy); codes outside the table are kept wide, so that reading
    the table at them fails as before.

    >>> positions(np.array([0, 2, -1]), 3).dtype.name, positions(np.array([0, 300]), 400).dtype.name
    ('int8', 'int16')
    >>> positions(np.array([0, 5]), 3).dtype.name  # not positions in the table: left as they are
    'int64'
    """
    out = np.asarray(codes)
    if out.dtype.kind not in "iu":
        out = out.astype(np.intp)
    wanted = np.dtype(code_type(size))
    if out.dtype.kind == "i" and out.dtype.itemsize <= wanted.itemsize:
        return out
    if len(out) and (int(out.min()) < -1 or int(out.max()) >= size):
        return out.astype(np.intp, copy=False)
    return out.astype(wanted)


def code_table(enum: type[LabelledEnum], *, labels: bool) -> Obj:
    """The identifiers (or labels) of an enum by code, with ``None`` last (the position of code -1)."""
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
    out: Obj = code_table(enum, labels=False)[codes]
    return out


def code_labels(enum: type[LabelledEnum], codes: npt.NDArray[np.integer[Any]]) -> Obj:
    """The official labels of enum codes, ``None`` for -1.

    >>> from asn_kinerja.model import Predikat
    >>> code_labels(Predikat, np.array([3])).tolist()
    ['Kurang/Misconduct']
    """
    out: Obj = code_table(enum, labels=True)[codes]
    return out


def labelled(name: str, enum: type[LabelledEnum], codes: npt.NDArray[np.integer[Any]]) -> tuple[Column, Column]:
    """An enum column as its identifiers (``name``) with the official labels beside them (``<name>_label``), from
    codes (-1 where none).

    >>> from asn_kinerja.model import Predikat
    >>> ids, labels = labelled("predikat", Predikat, np.array([1, -1]))
    >>> ids.name, ids.values.tolist(), labels.name, labels.values.tolist()
    ('predikat', ['baik', None], 'predikat_label', ['Baik', None])
    """
    ids, labels = code_table(enum, labels=False), code_table(enum, labels=True)
    shared = positions(codes, len(ids))  # one array for both: writers see that they go together
    return Column.coded(name, ids, shared), Column.coded(f"{name}_label", labels, shared)


@attrs.frozen(eq=False)
class Column:
    """One column of a result table: its ``name`` (the CSV header and JSON key) and one value per row.

    ``kind``: ``text`` (``str`` or ``None``), ``figure`` (exact decimal text or ``None``, from scaled integers),
    ``flag`` (``bool``), ``integer`` (a count: the decimal text of an integer, a JSON number, an integer in frames)
    or ``json`` (the row's value already as JSON text: nested values such as lists and objects, made at the
    indentation ``level`` of the rows' fields they will be written as, so that they are placed as they are; CSV shows
    ``csv`` where given, frames leave it out). A column of few distinct values keeps them as
    ``table`` with each row's position in it (``codes``): its renderings are made once per distinct value, and its
    ``values`` (``table[codes]``) are only made where something reads them (JSON and CSV never do).
    """

    name: str
    _values: npt.NDArray[Any] | None
    kind: Kind = "text"
    csv: Obj | None = None
    table: Obj | None = None
    codes: Codes | None = None
    level: int = 0

    @classmethod
    def text(cls, name: str, values: Iterable[Any] | npt.NDArray[Any]) -> Column:
        """Text values (``None`` where none); non-text values become their ``str``."""
        return cls(name, text_values(values), "text")

    @classmethod
    def coded(
        cls, name: str, table: Obj, codes: npt.NDArray[np.integer[Any]], kind: Kind = "text", *, level: int = 0
    ) -> Column:
        """Text values given as a table of the distinct values (``str`` or ``None``) and each row's position."""
        return cls(name, None, kind, table=table, codes=positions(codes, len(table)), level=level)

    @classmethod
    def figure(cls, name: str, scaled: npt.NDArray[np.int64], *, places: int = 2) -> Column:
        """Published figures from integers scaled by ``10**places`` (``MISSING`` where none)."""
        table, codes = _decimal_table(scaled, places)
        return cls.coded(name, table, codes, "figure")

    @classmethod
    def flag(cls, name: str, values: npt.NDArray[np.bool_]) -> Column:
        return cls(name, np.asarray(values, dtype=bool), "flag")

    @classmethod
    def integer(cls, name: str, values: Iterable[int | None] | npt.NDArray[np.integer[Any]]) -> Column:
        """Counts (integers, ``None`` where none): a JSON number, in CSV and text their decimal text."""
        return cls(name, text_values([None if v is None else int(v) for v in values]), "integer")

    @classmethod
    def nested(cls, name: str, fragments: Obj, *, csv: Obj | None = None, level: int = 0) -> Column:
        """A nested value per row as JSON text made at ``level`` (see :func:`json_objects`)."""
        return cls(name, fragments, "json", csv, level=level)

    @property
    def values(self) -> npt.NDArray[Any]:
        """One value per row (a coded column's made from its table on first reading)."""
        values = self._values
        if values is None:
            assert self.table is not None, "a column without values has a table"
            assert self.codes is not None, "a column without values has codes"
            values = self.table[self.codes]
            object.__setattr__(self, "_values", values)  # made once: the column never changes
        return values

    def __len__(self) -> int:
        return len(self.values if self.codes is None else self.codes)

    def renamed(self, name: str) -> Column:
        """The same column under another name."""
        return attrs.evolve(self, name=name)

    def take(self, rows: npt.NDArray[np.intp]) -> Column:
        return Column(
            self.name,
            None if self._values is None else self._values[rows],
            self.kind,
            None if self.csv is None else self.csv[rows],
            self.table,
            None if self.codes is None else self.codes[rows],
            self.level,
        )


def csv_cells(column: Column) -> Obj:
    """The CSV text of each cell of a column (quoted where needed; ``None`` → empty)."""
    coded = _csv_coded(column)
    if coded is not None:
        return coded.values()
    values = column.csv if column.kind == "json" else column.values
    if values is None:
        return np.full(len(column), "", dtype=object)
    blank: Obj = np.where(_present(values), values, np.array("", dtype=object))
    if _needs_quotes(blank):
        return np.array([_csv_cell(v) for v in blank.tolist()], dtype=object)
    return blank


def _flag_codes(column: Column) -> Codes:
    """A flag column's values as codes into ``["false", "true"]``: its booleans seen as bytes (no copy)."""
    return np.asarray(column.values, dtype=np.bool_).view(np.int8)


def _csv_coded(column: Column) -> Coded | None:
    """The CSV text of a flag or of a column with a table of its distinct values, once per distinct value."""
    if column.kind == "flag":
        return Coded(np.array(["false", "true"], dtype=object), _flag_codes(column))
    if column.kind != "json" and column.table is not None and column.codes is not None:
        return Coded(csv_cells(Column(column.name, column.table)), column.codes)
    return None


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


def json_field(column: Column, *, indent: int | None = 2, level: int = 0) -> Texts:
    """The JSON texts of a column's cells made at ``level``: :class:`Coded` where the column has a table of its
    distinct values (or is a flag), else one text per row. Nested texts are moved from the column's level to
    ``level`` (none to move where the column was made for it)."""
    if column.kind == "flag":
        return Coded(np.array(["false", "true"], dtype=object), _flag_codes(column))
    if column.kind != "json":
        if column.table is not None and column.codes is not None:
            return Coded(json_strings(column.table), column.codes)
        return json_values(column)
    if column.table is not None and column.codes is not None:
        return Coded(_indented(column.table, indent, level - column.level), column.codes)
    return _indented(column.values, indent, level - column.level)


def json_values(column: Column) -> Obj:
    """The JSON text of each cell of a column (strings escaped as :func:`json.dumps` with UTF-8 kept)."""
    if column.kind == "flag":
        out: Obj = np.array(["false", "true"], dtype=object)[_flag_codes(column)]
        return out
    if column.kind == "json":
        return column.values
    if column.kind == "integer":
        out = np.where(_present(column.values), column.values, "null").astype(object)
        return out
    if column.table is not None and column.codes is not None:
        out = json_strings(column.table)[column.codes]
        return out
    return json_strings(column.values)


#: Ends a row's text while rows are concatenated in one string: a control character, which JSON text never holds
#: unescaped (inside strings every character below U+0020 is escaped, and outside them there is only whitespace).
_END = "\x1e"
_JSON_ESCAPED = re.compile(r'[\x00-\x1f"\\]')
#: The ASCII characters JSON writes as they are between quotes: every one from U+0020 but the quote and backslash.
_JSON_PLAIN_ASCII = bytes(c for c in range(0x20, 0x80) if c not in b'"\\')


def _json_escapes(text: str) -> bool:
    """Whether a text holds a character that JSON escapes inside a string (below U+0020, a quote, a backslash): for
    ASCII text, whether anything is left of its bytes once the plain ones are deleted (one pass in C, several times
    as fast as the regular expression, which decides for other text).

    >>> _json_escapes("Nama Pegawai"), _json_escapes('a"b'), _json_escapes("a\\x1fb"), _json_escapes('≥ "60"')
    (False, True, True, True)
    """
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _JSON_PLAIN_ASCII))
    return _JSON_ESCAPED.search(text) is not None


def _present(values: Obj) -> npt.NDArray[np.bool_]:
    """Where a column of texts holds a value (not ``None``)."""
    out: npt.NDArray[np.bool_] = np.not_equal(values, np.array(None, dtype=object))
    return out


def json_strings(values: Obj) -> Obj:
    """Each text as a JSON string (``None`` → ``null``), escaped as :func:`json.dumps` escapes with UTF-8 kept: where
    no text holds a character to escape (one scan of the column), the quotes are added in one join and split.

    >>> json_strings(np.array(["a", None, 'b"c'], dtype=object)).tolist()
    ['"a"', 'null', '"b\\\\"c"']
    """
    present = _present(values)
    out = np.full(len(values), "null", dtype=object)
    texts = values[present].tolist()
    if not texts:
        return out
    if not _json_escapes("".join(texts)):
        out[present] = _quote_all(texts)
    else:
        out[present] = [encode_basestring(t) for t in texts]
    return out


def _quote_all(texts: list[str]) -> list[str]:
    """Texts that need no escaping as JSON strings: the quotes added in one join and split."""
    return ('"' + ('"' + _END + '"').join(texts) + '"').split(_END)


def _quotable(values: Obj) -> bool:
    """Whether every value is a text that JSON writes as it is between quotes (no ``None``, nothing to escape):
    one join (which refuses anything but ``str``) and one scan."""
    try:
        joined = "".join(values.tolist())
    except TypeError:
        return False
    return not _json_escapes(joined)


def json_part(column: Column, *, indent: int | None = 2, level: int = 0) -> Field:
    """:func:`json_field`, except that a text column whose every row holds a text JSON writes as it is (no ``None``,
    nothing to escape) is given as :class:`Quoted`: its texts are referenced as they are, between quotes written
    beside them, and no quoted text is made per row.

    >>> json_part(Column.text("id", ["E1", "E2"]))
    Quoted(texts=array(['E1', 'E2'], dtype=object))
    >>> json_part(Column.text("id", ["E1", None])).tolist()
    ['"E1"', 'null']
    """
    if column.kind == "text" and column.table is None and len(column) and _quotable(column.values):
        return Quoted(column.values)
    return json_field(column, indent=indent, level=level)


def _pad(indent: int | None, level: int) -> str:
    return "" if indent is None else "\n" + " " * (indent * level)


def _per_row(texts: Obj, change: Any) -> Obj:
    """``change`` (a ``str → str`` function that keeps ``_END``) applied to every text at once: the texts are joined
    by ``_END``, changed in one call and split again."""
    out = np.empty(len(texts), dtype=object)
    if len(texts):
        out[:] = change(_END.join(texts.tolist())).split(_END)
    return out


def _indented(fragments: Obj, indent: int | None, levels: int) -> Obj:
    """JSON texts moved ``levels`` deeper (their inner lines indented further)."""
    if indent is None or levels == 0:
        return fragments
    if levels < 0:
        raise ValueError(f"JSON texts made {-levels} level(s) deeper than where they are placed")
    pad = _pad(indent, levels)
    return _per_row(fragments, lambda text: text.replace("\n", pad))


@attrs.frozen(eq=False)
class Coded:
    """A field's JSON texts given once per distinct value (``texts``) with each row's position among them
    (``codes``): objects are written with one reference per row for the key and the value together."""

    texts: Obj
    codes: Codes

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, rows: slice) -> Coded:
        return Coded(self.texts, self.codes[rows])

    def values(self) -> Obj:
        out: Obj = self.texts[self.codes]
        return out


@attrs.frozen(eq=False)
class Quoted:
    """A field's texts to be written as JSON strings as they are (every row has one and none holds a character
    JSON escapes): the quotes are written beside the references to the texts, so no quoted text is made per
    row."""

    texts: Obj

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, rows: slice) -> Quoted:
        return Quoted(self.texts[rows])

    def values(self) -> Obj:
        """Each text as its JSON string."""
        out = np.empty(len(self.texts), dtype=object)
        if len(self.texts):
            out[:] = _quote_all(self.texts.tolist())
        return out


Texts = Obj | Coded
#: A field's JSON texts as the writers of objects take them: per row, coded, or texts to quote as they are.
Field = Texts | Quoted
#: A part of every row's text: per-row texts, their distinct texts with each row's position, or one text for all.
Part = Obj | Coded | str


def _concat(parts: Sequence[Part], n: int, end: Part) -> str:
    """The parts concatenated row by row, each row followed by ``end``: one join over a matrix of references to
    the texts (no text is made per row)."""
    return "".join(_references(parts, n, end))


def _references(parts: Sequence[Part], n: int, end: Part) -> list[str]:
    """The texts of the parts row by row, each row followed by ``end``, as one list of references (filled from a
    matrix of references, one column per part)."""
    matrix = np.empty((n, len(parts) + 1), dtype=object)
    for j, part in enumerate([*parts, end]):
        if isinstance(part, Coded):  # taken straight into the matrix's column (code -1: the last text, as in numpy)
            np.take(part.texts, part.codes, out=matrix[:, j], mode="wrap")
        else:
            matrix[:, j] = part
    texts: list[str] = matrix.ravel().tolist()
    return texts


def _sliced(part: Part, rows: slice) -> Part:
    return part if isinstance(part, str) else part[rows]


def _combinations(run: Sequence[Coded]) -> tuple[list[list[Any]], npt.NDArray[np.intp]]:
    """The combinations of the coded values of ``run`` that occur (each as the texts it combines, in the order of
    the run) and each row's position among them: the rows' codes combined into one integer per row in place, the
    distinct integers numbered (:func:`_ranks`), and each combination's texts read at one row that has it. Parts
    that share their codes (an identifier and its label) count once."""
    n = len(run[0].codes)
    combined = np.zeros(n, dtype=np.int64)
    size = 1
    counted: list[Codes] = []
    for coded in run:
        if any(coded.codes is codes for codes in counted):  # the same positions: no more combinations
            continue
        counted.append(coded.codes)
        base = max(len(coded.texts), 1)
        if size * base >= 1 << 40:  # renumber the combinations seen so far
            combined, size = _ranks(combined, size)
        digit: Codes = coded.codes
        if len(digit) and int(digit.min()) < 0:  # code -1: the last text, as in numpy
            digit = digit.astype(np.int64) % base
        combined *= base
        combined += digit
        size *= base
    inverse, distinct = _ranks(combined, size)
    one = np.empty(distinct, dtype=np.intp)
    one[inverse] = np.arange(n, dtype=np.intp)  # a row of each combination (any: they share their codes)
    digits = [(c.codes[one].astype(np.int64) % max(len(c.texts), 1)).tolist() for c in run]
    tables = [c.texts.tolist() for c in run]
    texts = [[t[d] for t, d in zip(tables, ds, strict=True)] for ds in zip(*digits, strict=True)]
    return texts, inverse.astype(np.intp, copy=False)


def _ranks(keys: npt.NDArray[np.int64], size: int) -> tuple[npt.NDArray[np.int64], int]:
    """Each key's rank among the distinct keys (ascending; every key in ``range(size)``) and how many there are.

    >>> rank, distinct = _ranks(np.array([7, 2, 7, 5]), 8)
    >>> rank.tolist(), distinct
    ([2, 0, 2, 1], 3)
    """
    distinct, rank = _distinct_in_range(keys, size)
    return rank, len(distinct)


def _distinct_in_range(keys: npt.NDArray[np.int64], size: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """``np.unique(keys, return_inverse=True)`` of keys in ``range(size)``: from a table of flags over the range
    where it is small (no sort), else by sorting."""
    if size <= 4 * max(len(keys), 1 << 16):
        seen = np.zeros(size, dtype=np.bool_)
        seen[keys] = True
        rank = np.cumsum(seen, dtype=np.int64)
        rank -= 1
        return np.flatnonzero(seen).astype(np.int64), rank[keys]
    distinct, inverse = np.unique(keys, return_inverse=True)
    return distinct, inverse.ravel().astype(np.int64, copy=False)


def distinct_values(values: npt.NDArray[np.integer[Any]]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """The distinct integers in ascending order and each value's position among them, as
    ``np.unique(values, return_inverse=True)`` gives them (``MISSING``, the smallest, first): without a sort where
    the values span a small range.

    >>> [a.tolist() for a in distinct_values(np.array([250, MISSING, 7, 250]))]
    [[-9223372036854775808, 7, 250], [2, 0, 1, 2]]
    """
    ints: npt.NDArray[np.int64] = np.asarray(values, dtype=np.int64)
    if not len(ints):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.intp)
    missing = ints == MISSING
    given = ints if not missing.any() else ints[~missing]
    low, high = (int(given.min()), int(given.max())) if len(given) else (0, 0)
    if high - low >= 4 * max(len(ints), 1 << 16):  # a wide range: sorted
        distinct, inverse = np.unique(ints, return_inverse=True)
        return distinct.astype(np.int64), inverse.ravel().astype(np.intp)
    shifted = ints - (low - 1)  # 0 for MISSING, then 1 for the lowest value
    shifted[missing] = 0
    keys, inverse = _distinct_in_range(shifted, high - low + 2)
    distinct = keys + (low - 1)
    distinct[keys == 0] = MISSING
    return distinct, inverse.astype(np.intp)


def _combined(run: Sequence[Coded]) -> Coded:
    """One coded part for adjacent coded parts: a text per combination of their values that occurs (their texts
    concatenated), with each row's position among the combinations."""
    combos, codes = _combinations(run)
    return Coded(np.array(["".join(c) for c in combos], dtype=object), codes)


def coded_objects(fields: Sequence[tuple[str, Coded]], n: int, *, indent: int | None = 2, level: int = 0) -> Coded:
    """One JSON object per row (made at ``level``) from coded fields, each object made once per combination of
    the fields' values that occurs; a ``None`` text leaves the key out. The texts equal those of
    :func:`json_objects` of the same fields.

    >>> objects = coded_objects([("a", Coded(np.array(["1", None], dtype=object), np.array([0, 1, 0]))),
    ...                          ("b", Coded(np.array(["2"], dtype=object), np.array([0, 0, 0])))], 3, indent=None)
    >>> objects.values().tolist(), len(objects.texts)
    (['{"a": 1, "b": 2}', '{"b": 2}', '{"a": 1, "b": 2}'], 2)
    """
    if not fields or not n:
        return Coded(np.array(["{}"], dtype=object), np.zeros(n, dtype=np.intp))
    inner, outer = _pad(indent, level + 1), _pad(indent, level)
    sep = "," + inner if indent is not None else ", "
    keys = [encode_basestring(key) + ": " for key, _ in fields]
    combos, codes = _combinations([coded for _, coded in fields])
    texts = np.empty(len(combos), dtype=object)
    for i, combo in enumerate(combos):
        items = [key + text for key, text in zip(keys, combo, strict=True) if text is not None]
        texts[i] = "{" + inner + sep.join(items) + outer + "}" if items else "{}"
    return Coded(texts, codes)


def _small(part: Part) -> bool:
    return isinstance(part, Coded) and 0 < len(part.texts) <= _SMALL_TABLE


def _merge_small(parts: Sequence[Part]) -> list[Part]:
    """The parts with each run of adjacent small coded parts made one (:func:`_combined`)."""
    out: list[Part] = []
    run: list[Coded] = []
    for part in [*parts, ""]:
        if isinstance(part, Coded) and _small(part):
            run.append(part)
            continue
        if len(run) > 1:
            out.append(_combined(run))
        else:
            out.extend(run)
        run.clear()
        out.append(part)
    return out[:-1]


#: Adjacent coded fields with at most this many distinct values each (identifiers, labels, flags) are written
#: as one text per combination of their values that occurs.
_SMALL_TABLE = 64


def _merge_runs(fields: Sequence[tuple[str, Field]], indent: int | None, level: int) -> list[tuple[str, Field]]:
    """The fields with each run of adjacent small coded fields merged into its first: one text per combination
    of the run's values that occurs (the later fields' keys inside it), one reference per row for the run."""
    sep = "," + _pad(indent, level + 1) if indent is not None else ", "
    out: list[tuple[str, Field]] = []
    run: list[tuple[str, Coded]] = []

    def flush() -> None:
        if len(run) > 1:
            out.append((run[0][0], _joint(run, sep)))
        else:
            out.extend(run)
        run.clear()

    for key, values in fields:
        if isinstance(values, Coded) and _small(values):
            run.append((key, values))
            continue
        flush()
        out.append((key, values))
    flush()
    return out


def _joint(run: Sequence[tuple[str, Coded]], sep: str) -> Coded:
    """One coded field for a run: the first field's value followed by each later field's key and value."""
    keyed = [
        Coded(
            np.array(
                [("" if j == 0 else sep + encode_basestring(key) + ": ") + t for t in coded.texts.tolist()],
                dtype=object,
            ),
            coded.codes,
        )
        for j, (key, coded) in enumerate(run)
    ]
    return _combined(keyed)


def _object_parts(fields: Sequence[tuple[str, Field]], n: int, indent: int | None, level: int) -> list[Part]:
    """The per-row parts of one JSON object per row from per-field JSON texts (``None`` leaves the key out)."""
    inner, outer = _pad(indent, level + 1), _pad(indent, level)
    sep = "," + inner if indent is not None else ", "
    if not fields:
        return ["{}"]
    keys = [encode_basestring(key) + ": " for key, _ in fields]
    present = np.array(
        [np.ones(n, dtype=np.bool_) if isinstance(v, Coded | Quoted) else _present(v) for _, v in fields],
        dtype=np.bool_,
    ).reshape(len(fields), n)
    if present.all():
        parts: list[Part] = []
        close = ""  # the closing quote of a quoted field, written before the next opening
        for j, (_, values) in enumerate(fields):
            opening = close + ("{" + inner if j == 0 else sep) + keys[j]
            close = ""
            if isinstance(values, Coded):
                parts.append(Coded(np.array([opening + t for t in values.texts.tolist()], dtype=object), values.codes))
            elif isinstance(values, Quoted):
                parts += [opening + '"', values.texts]
                close = '"'
            else:
                parts += [opening, values]
        return [*parts, close + outer + "}"]
    first = present.argmax(axis=0)
    parts = []
    for j, (_, given) in enumerate(fields):
        opening_of = np.array(["", sep + keys[j], "{" + inner + keys[j]], dtype=object)
        parts.append(opening_of[present[j] * (1 + (first == j))])
        shown = given.values() if isinstance(given, Coded | Quoted) else given.copy()
        shown[~present[j]] = ""
        parts.append(shown)
    parts.append(np.array(["{}", outer + "}"], dtype=object)[present.any(axis=0).astype(np.intp)])
    return parts


def json_objects(fields: Sequence[tuple[str, Field | None]], n: int, *, indent: int | None = 2, level: int = 0) -> Obj:
    """One JSON object per row from per-field JSON texts (made at ``level``); a ``None`` text leaves the key out
    of that row. The text equals :func:`json.dumps` of the same dict with ``indent`` at ``level``.

    >>> print(json_objects([("a", np.array(["1", "2"], dtype=object)), ("b", np.array([None, "3"], dtype=object))],
    ...                    2, indent=None).tolist())
    ['{"a": 1}', '{"a": 2, "b": 3}']
    """
    given = [(k, v) for k, v in fields if v is not None]
    if not given:
        return np.full(n, "{}", dtype=object)
    out = np.empty(n, dtype=object)
    if n:
        out[:] = _concat(_object_parts(given, n, indent, level), n, _END).split(_END)[:-1]
    return out


def _json_key(key: Any) -> str:
    """A dict key as :func:`json.dumps` writes it (before quoting)."""
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, bool):
        return json.dumps(key)
    return str(json.dumps(key)) if isinstance(key, int | float) else str(key)


#: The JSON text of a value of exactly these types, as :func:`json.dumps` makes it (the same C functions).
_SCALAR_TEXT: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: int.__repr__,
    type(None): lambda _: "null",
}


def json_texts(values: Sequence[Any], *, indent: int | None = 2) -> Obj:
    """Each value as JSON text made at level 0, as :func:`json.dumps` gives it: equal values are dumped with
    ``indent`` once (the compact text, from the C encoder, is the key).

    >>> json_texts([{"a": 1}, {"a": 1}], indent=None).tolist()
    ['{"a": 1}', '{"a": 1}']
    """
    out = np.empty(len(values), dtype=object)
    if set(map(type, values)) <= set(_SCALAR_TEXT):  # texts, whole numbers and nulls: no encoder call per value
        out[:] = [_SCALAR_TEXT[type(value)](value) for value in values]
        return out
    seen: dict[str, str] = {}
    for i, value in enumerate(values):
        key = json.dumps(value, ensure_ascii=False)
        text = seen.get(key)
        if text is None:
            text = seen[key] = key if indent is None else json_text(value, indent=indent)
        out[i] = text
    return out


def json_array_pieces(
    fields: Sequence[tuple[str, Field | None]],
    n: int,
    *,
    indent: int | None = 2,
    level: int = 0,
    rows_per_piece: int = ROWS_PER_PIECE,
) -> Iterator[str]:
    """A JSON array of one object per row (fields as in :func:`json_objects`, made at ``level + 1``), in pieces
    of ``rows_per_piece`` rows: each piece is one join over references to the fields' texts (no text is made per
    row), so a large array is never held whole.

    >>> "".join(json_array_pieces([("a", np.array(["1", "2"], dtype=object))], 2, indent=None, rows_per_piece=1))
    '[{"a": 1}, {"a": 2}]'
    """
    return map(join_chunk, json_array_chunks(fields, n, indent=indent, level=level, rows_per_piece=rows_per_piece))


def json_array_chunks(
    fields: Sequence[tuple[str, Field | None]],
    n: int,
    *,
    indent: int | None = 2,
    level: int = 0,
    rows_per_piece: int = ROWS_PER_PIECE,
) -> Iterator[Chunk]:
    """The pieces of :func:`json_array_pieces` as :data:`Chunk` values: each piece of rows as the list of
    references to the texts it joins."""
    if not n:
        yield "[]"
        return
    inner, outer = _pad(indent, level + 1), _pad(indent, level)
    sep = "," + inner if indent is not None else ", "
    given = _merge_runs([(k, v) for k, v in fields if v is not None], indent, level + 1)
    parts = _object_parts(given, n, indent, level + 1)
    yield "[" + inner
    for start in range(0, n, rows_per_piece):
        stop = min(n, start + rows_per_piece)
        ends = np.full(stop - start, sep, dtype=object)
        if stop == n:
            ends[-1] = outer + "]"
        yield _references([_sliced(p, slice(start, stop)) for p in parts], stop - start, ends)


def _scalar_json(value: Any) -> str | None:
    """The JSON text of a ``str``, ``int``, bool or ``None`` as :func:`json.dumps` gives it (UTF-8 kept), without
    its Python wrapper; ``None`` for any other value."""
    kind = type(value)
    if kind is str:
        return str(encode_basestring(value))
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    return None


def json_text(value: Any, *, indent: int | None = 2, level: int = 0) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent)`` made at ``level``, with the C encoder for every
    value that holds no list or dict (the standard library's indented encoder is pure Python).

    >>> json_text({"a": [1, {"b": None}], "c": {}}, indent=2) == json.dumps({"a": [1, {"b": None}], "c": {}}, indent=2)
    True
    """
    if indent is None:
        return json.dumps(value, ensure_ascii=False)
    leaf = _scalar_json(value)
    if leaf is not None:
        return leaf
    if isinstance(value, dict) and value:
        pad, inner = _pad(indent, level), _pad(indent, level + 1)
        items = [
            encode_basestring(_json_key(k)) + ": " + json_text(v, indent=indent, level=level + 1)
            for k, v in value.items()
        ]
        return "{" + inner + ("," + inner).join(items) + pad + "}"
    if isinstance(value, list | tuple) and value:
        pad, inner = _pad(indent, level), _pad(indent, level + 1)
        return "[" + inner + ("," + inner).join(json_text(v, indent=indent, level=level + 1) for v in value) + pad + "]"
    return json.dumps(value, ensure_ascii=False)


def json_array(items: Obj | Sequence[str], *, indent: int | None = 2, level: int = 0) -> str:
    """A JSON array from its items' JSON texts (made at ``level + 1``)."""
    if not len(items):
        return "[]"
    inner, outer = _pad(indent, level + 1), _pad(indent, level)
    sep = "," + inner if indent is not None else ", "
    return "[" + inner + sep.join(list(items)) + outer + "]"


#: A piece of text, or the texts whose concatenation it is (references to texts held elsewhere: a large text is
#: made whole from all its chunks' references in one join, never from the joined pieces, which would be as large).
Chunk = str | list[str]


def join_chunk(chunk: Chunk) -> str:
    """The text of a chunk."""
    return chunk if isinstance(chunk, str) else "".join(chunk)


#: References joined into one piece of text to write: some tens of kilobytes, small enough for the memory of each
#: piece (and of its UTF-8 bytes) to be reused for the next. Larger pieces are fresh pages from the kernel each time,
#: which cost more than making and writing the text (a million employees' JSON: 1.2 GB written in 4.5 MB pieces took
#: four times as long as in 70 kB pieces on the project's benchmark machine).
REFERENCES_PER_PIECE = 1024


def write_pieces(chunks: Iterable[Chunk]) -> Iterator[str]:
    """The text of the chunks in small pieces, in order, to write one after another: each list of references joined
    :data:`REFERENCES_PER_PIECE` at a time.

    >>> list(write_pieces(["[", ["1", ", ", "2"], "]"]))
    ['[', '1, 2', ']']
    """
    step = REFERENCES_PER_PIECE
    for chunk in chunks:
        if isinstance(chunk, str):
            yield chunk
        elif len(chunk) <= step:
            yield "".join(chunk)
        else:
            for start in range(0, len(chunk), step):
                yield "".join(chunk[start : start + step])


def write_chunks(file: TextIO, chunks: Iterable[Chunk]) -> None:
    """Write the text of the chunks to an open text file in the small pieces of :func:`write_pieces` (a large text is
    never held whole).

    >>> import io
    >>> file = io.StringIO()
    >>> write_chunks(file, ["[", ["1", ", ", "2"], "]"])
    >>> file.getvalue()
    '[1, 2]'
    """
    write = file.write
    for piece in write_pieces(chunks):
        write(piece)


def join_chunks(chunks: Iterable[Chunk]) -> str:
    """The whole text of the chunks, in one join over references to their texts.

    >>> join_chunks(["[", ["1", ", ", "2"], "]"])
    '[1, 2]'
    """
    texts: list[str] = []
    for chunk in chunks:
        if isinstance(chunk, str):
            texts.append(chunk)
        else:
            texts += chunk
    return "".join(texts)


def json_document(members: Mapping[str, Any | RawJson], *, indent: int | None = 2) -> str:
    """A JSON object whose members are plain values (dumped by :func:`json.dumps`) or :class:`RawJson` texts made
    at level 1, ending with a newline — equal to ``json.dumps`` of the whole with UTF-8 kept."""
    return join_chunks(json_document_chunks(members, indent=indent))


def json_document_pieces(members: Mapping[str, Any | RawJson], *, indent: int | None = 2) -> Iterator[str]:
    """The text of :func:`json_document` in pieces, in order (to write a large document without holding it)."""
    return map(join_chunk, json_document_chunks(members, indent=indent))


def json_document_chunks(members: Mapping[str, Any | RawJson], *, indent: int | None = 2) -> Iterator[Chunk]:
    """The pieces of :func:`json_document_pieces` as :data:`Chunk` values."""
    inner, outer = _pad(indent, 1), _pad(indent, 0)
    sep = "," + inner if indent is not None else ", "
    if not members:
        yield "{}\n"
        return
    for i, (key, value) in enumerate(members.items()):
        yield ("{" + inner if i == 0 else sep) + encode_basestring(key) + ": "
        if isinstance(value, RawJson):
            yield from value.chunks()
        else:
            yield json_text(value, indent=indent, level=1)
    yield outer + "}\n"


@attrs.frozen
class RawJson:
    """JSON text to place as it is inside :func:`json_document` (made at level 1): whole, or as pieces made on
    demand (``text`` then being a function that yields them, each a text or a :data:`Chunk`)."""

    text: str | Callable[[], Iterable[Chunk]]

    def chunks(self) -> Iterable[Chunk]:
        return (self.text,) if isinstance(self.text, str) else self.text()

    def pieces(self) -> Iterable[str]:
        return map(join_chunk, self.chunks())


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


def _integers(column: Column) -> npt.NDArray[Any]:
    """An integer column's values as ``int64``, or as objects (``int`` or ``None``) where one is none."""
    values = [None if v is None else int(v) for v in column.values.tolist()]
    return np.array(values, dtype=object if None in values else np.int64)


def _arrow_array(pa: Any, column: Column) -> Any:
    """A column as an Arrow array made from its numpy buffers (:mod:`asn_kinerja.engine.arrow`): a coded column
    as its distinct values taken by each row's position (in Arrow's C++), others from their values."""
    if column.kind == "flag":
        return flag_array(pa, column.values)
    if column.kind == "integer":
        return integer_array(pa, column.values)
    if column.table is not None and column.codes is not None and len(column.table):
        return coded_array(pa, column.table, column.codes)
    return text_array(pa, column.values)


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

    def flat(self) -> ResultTable:
        """The columns CSV shows: a nested column as the text column of its CSV text (left out where it gives
        none)."""
        flat = []
        for c in self.columns:
            if c.kind != "json":
                flat.append(c)
            elif c.csv is not None:
                flat.append(Column.text(c.name, c.csv))
        return ResultTable(tuple(flat))

    # --- machines ----------------------------------------------------------------------------------------
    def to_csv(self) -> str:
        """CSV text with a header row and ``\\n`` line ends; nested values appear as their CSV text where the
        column gives one (else the column is left out)."""
        return join_chunks(self.csv_chunks())

    def csv_chunks(self, *, rows_per_piece: int = ROWS_PER_PIECE) -> Iterator[Chunk]:
        """The text of :meth:`to_csv` as :data:`Chunk` values: the header row, then the rows ``rows_per_piece`` at
        a time, each piece as the list of references to the texts it joins (no text is made per row).

        >>> table = ResultTable((Column.text("a", ["x", "y,z"]), Column.flag("b", np.array([True, False]))))
        >>> list(table.csv_chunks(rows_per_piece=1))
        ['a,b\\n', ['x', ',', 'true\\n', ''], ['"y,z"', ',', 'false\\n', '']]
        """
        shown = [c for c in self.columns if c.kind != "json" or c.csv is not None]
        yield ",".join(_csv_cell(c.name) for c in shown) + "\n"
        n = len(self)
        if not n:
            return
        parts: list[Part] = []
        for i, column in enumerate(shown):
            after = "," if i < len(shown) - 1 else "\n"
            cells = _csv_coded(column)
            if cells is not None:
                parts.append(Coded(np.array([c + after for c in cells.texts.tolist()], dtype=object), cells.codes))
            else:
                parts += [csv_cells(column), after]
        parts = _merge_small(parts)
        for start in range(0, n, rows_per_piece):
            stop = min(n, start + rows_per_piece)
            yield _references([_sliced(p, slice(start, stop)) for p in parts], stop - start, "")

    def write_csv(self, file: TextIO) -> None:
        """Write :meth:`to_csv`'s text to an open text file, piece by piece (:func:`write_chunks`)."""
        write_chunks(file, self.csv_chunks())

    def json_rows(self, *, indent: int | None = 2, level: int = 0) -> Obj:
        """One JSON object text per row (made at ``level``)."""
        return json_objects(self._json_fields(indent, level), len(self), indent=indent, level=level)

    def _json_fields(self, indent: int | None, level: int) -> list[tuple[str, Field | None]]:
        return [(c.name, json_part(c, indent=indent, level=level + 1)) for c in self.columns]

    def json_pieces(
        self, *, indent: int | None = 2, level: int = 0, rows_per_piece: int = ROWS_PER_PIECE
    ) -> Iterator[str]:
        """The rows as a JSON array of objects, in pieces (see :func:`json_array_pieces`)."""
        return map(join_chunk, self.json_chunks(indent=indent, level=level, rows_per_piece=rows_per_piece))

    def json_chunks(
        self, *, indent: int | None = 2, level: int = 0, rows_per_piece: int = ROWS_PER_PIECE
    ) -> Iterator[Chunk]:
        """The pieces of :meth:`json_pieces` as :data:`Chunk` values (see :func:`json_array_chunks`)."""
        fields = self._json_fields(indent, level + 1)
        return json_array_chunks(fields, len(self), indent=indent, level=level, rows_per_piece=rows_per_piece)

    def to_json(self, *, indent: int | None = 2, level: int = 0) -> str:
        """The rows as a JSON array of objects."""
        return join_chunks(self.json_chunks(indent=indent, level=level))

    def records(self) -> list[dict[str, Any]]:
        """The rows as JSON-ready dicts (nested values decoded)."""
        return list(json.loads(self.to_json(indent=None))) if len(self) else []

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        """The flat columns (nested ones left out) as numpy arrays: text and figures as objects (``str`` or
        ``None``), flags as ``bool``, counts as ``int64`` (objects where one is none)."""
        return {c.name: _integers(c) if c.kind == "integer" else c.values for c in self.columns if c.kind != "json"}

    def to_frame(self) -> Any:
        """A pandas ``DataFrame`` of the flat columns (the ``pandas`` extra)."""
        pd = require("pandas")
        return pd.DataFrame(self.arrays())

    def to_arrow(self) -> Any:
        """A ``pyarrow.Table`` of the flat columns (the ``arrow`` extra): text and figures as strings (the figures
        exact decimal text), flags as booleans."""
        pa = require("pyarrow")
        return pa.table({c.name: _arrow_array(pa, c) for c in self.columns if c.kind != "json"})

    def write_parquet(self, path: str | Path) -> None:
        """The flat columns as a Parquet file (the ``arrow`` extra), written as every output of the library is
        (:func:`asn_kinerja._files.write_file`): atomically to a regular file or a new path, through to a device
        or a FIFO, a failed write a :class:`~asn_kinerja.DataError` naming the path."""
        require("pyarrow")
        import pyarrow.parquet as pq

        table = self.to_arrow()

        def fill(stream: BinaryIO) -> None:
            # An open file, not a path: on a failed write Arrow removes a path it was given, a device node included.
            pq.write_table(table, stream)

        write_file(path, fill)

    # --- people ------------------------------------------------------------------------------------------
    def cells(self, name: str, *, blank: str = "") -> list[str]:
        """The text people read in each cell of a column (``blank`` where none)."""
        return [blank if v is None else str(v) for v in self[name].values.tolist()]

    def to_text(self, heads: Mapping[str, str], *, blank: str = "", **layout: Any) -> str:
        """A plain-text table of the columns named in ``heads`` (``column → head``; ``blank`` where a cell holds
        none), laid out as ``layout`` says (``title``, ``right``, ``footer``, ``prefix``: see :func:`text_table`)."""
        return text_table({name: self.cells(name, blank=blank) for name in heads}, heads, **layout)

    def to_html(
        self, heads: Mapping[str, str], *, caption: str | None = None, right: Sequence[str] = (), blank: str = ""
    ) -> str:
        """An HTML table of the columns named in ``heads`` (``column → head``), every text escaped; columns named
        in ``right`` are right-aligned (see :func:`asn_kinerja.engine.html.html_table`).

        >>> print(ResultTable((Column.text("a", ["<x>"]),)).to_html({"a": "A"}))
        <table class="asn-kinerja">
        <thead><tr><th style="text-align:left">A</th></tr></thead>
        <tbody>
        <tr><td style="text-align:left">&lt;x&gt;</td></tr>
        </tbody>
        </table>
        """
        from asn_kinerja.engine.html import html_table

        names = list(heads)
        rows = zip(*(self.cells(name, blank=blank) for name in names), strict=True)
        shown = [i for i, name in enumerate(names) if name in right]
        return html_table(rows, list(heads.values()), caption=caption, right=shown)
