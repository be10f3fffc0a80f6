"""CSV files into columns: Arrow's multi-threaded CSV reader, every cell read as text, no Python object per row.

Each column arrives dictionary-encoded (codes into its distinct texts, a
:class:`~asn_kinerja.dataset.columns.Categorical`), which is the form the validator works on; numbers are parsed
there, once per distinct text. Where each row starts in the file (its physical line, right even when a quoted
cell holds a newline) is found by a scan of the bytes with numpy: the positions of newlines and quotes, a newline
inside quotes being one with an odd number of quotes before it.

Problems of the file's shape are reported as before any cell is validated, all at once: not UTF-8 (with the line
of the first bad byte), NUL bytes, an empty file, a header with an unnamed or repeated column or too many columns,
a row with the wrong number of cells (with its line), a quote that is never closed, and a file separated by
semicolons, as Excel writes CSV in the Indonesian locale (one problem, not one per row).

>>> table = parse_csv(b'unit_id,name\\nU1,"Bagian\\nUmum"\\n\\nU2,Keuangan\\n', "units", "units.csv")
>>> table.column("name").tolist(), table.lines.tolist()
(['Bagian\\nUmum', 'Keuangan'], [2, 5])
>>> parse_csv(b"unit_id;name\\nU1;Umum\\n", "units", "units.csv")
Traceback (most recent call last):
...
asn_kinerja.errors.DataError: 1 problem in the data:
  units.csv:1: the file is separated by semicolons (';'), as Excel saves CSV in the Indonesian locale: the format \
is comma-separated with a decimal point; in Excel use "Save As → CSV UTF-8 (Comma delimited)" with a point as the \
decimal separator, or export the workbook (.xlsx) and load that
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from numpy.dtypes import StringDType

from asn_kinerja.dataset.columns import Categorical
from asn_kinerja.dataset.limits import DatasetLimits, check_file
from asn_kinerja.dataset.table import Column, RawTable
from asn_kinerja.errors import DataError, Problem

__all__ = ["check_header", "parse_csv", "read_csv"]

_BOM = b"\xef\xbb\xbf"
_VISIBLE = re.compile(rb"\S")
_CHUNK = 1 << 26  # bytes scanned at a time: the byte masks stay small
_BLOCK = 1 << 24  # bytes parsed by one thread at a time: few blocks, few dictionaries to unify
Ints = npt.NDArray[np.int64]


def read_csv(
    path: Path, name: str, *, label: str | None = None, limits: DatasetLimits | None = None, key: str | None = None
) -> RawTable:
    """Read one CSV file into a :class:`RawTable` (size and kind of file checked before reading)."""
    label = label or path.name
    limits = limits or DatasetLimits()
    check_file(path, label, limits.max_table_bytes)
    return parse_csv(path.read_bytes(), name, label, max_columns=limits.max_columns, key=key)


def parse_csv(data: bytes, name: str, label: str, *, max_columns: int = 1000, key: str | None = None) -> RawTable:
    """The bytes of a CSV file as a :class:`RawTable` of text cells with each row's line; one
    :class:`~asn_kinerja.DataError` lists the problems of the file's shape."""
    start = len(_BOM) if data.startswith(_BOM) else 0
    if b"\x00" in data:
        _utf8(data, label)  # a binary file is first of all not UTF-8
        raise DataError([Problem("the file contains NUL bytes: not a text CSV file", source=label)])
    while start < len(data) and data[start] in b"\r\n":  # empty lines before the header
        start += 1
    if start >= len(data):
        raise DataError([Problem("the file is empty: a header row is required", source=label)])
    head_end = _record_end(data, start)
    header_line = data.count(b"\n", 0, start) + 1
    try:
        header_text = data[start:head_end].decode("utf-8")
    except UnicodeDecodeError:
        _utf8(data, label)
        raise  # pragma: no cover - _utf8 raised
    try:
        header = next(csv.reader(io.StringIO(header_text, newline=""), strict=True), [])
    except csv.Error as exc:
        raise DataError([Problem(f"malformed CSV: {exc}", source=label, line=header_line)]) from None
    names = [h.strip() for h in header]
    if len(names) == 1 and ";" in names[0] and b"," not in data[start:head_end]:
        raise DataError([Problem(_SEMICOLONS, source=label, line=header_line)])
    problems, seen = check_header(names, label, header_line, max_columns)
    body = View(data, min(head_end + 1, len(data)))
    first_body_line = header_line + data.count(b"\n", start, head_end + 1)
    quoted = body.has(b'"')
    lines, multiline = _record_lines(body, label, first_body_line) if quoted else (None, False)
    arrow, invalid = _read_arrow(body, len(names), label, data, multiline=multiline)
    if lines is None:  # one record per line: empty lines are the lines Arrow skipped
        count = body.count(b"\n") + int(len(body) > 0 and body.data[-1] != ord("\n"))
        if count == arrow.num_rows + len(invalid):
            lines = np.arange(first_body_line, first_body_line + count, dtype=np.int64)
        else:
            lines, _ = _record_lines(body, label, first_body_line)
    if invalid:
        for number, actual, text in invalid:
            if _blank_row(text):
                continue  # a blank line
            problems.append(
                Problem(f"{actual} cells where the header has {len(names)}", source=label, line=int(lines[number - 1]))
            )
    if problems:
        raise DataError(problems)
    columns: dict[str, Column] = {h: _categorical(arrow.column(i)) for h, i in seen.items()}
    if invalid:
        skipped = np.array([number - 1 for number, _, _ in invalid], dtype=np.int64)
        lines = np.delete(lines, skipped)
    if len(lines) != arrow.num_rows:  # pragma: no cover - the scan and Arrow disagree on the rows
        raise DataError([Problem("malformed CSV: rows could not be located in the file", source=label)])
    keep = _not_blank(list(columns.values()), arrow.num_rows)
    if keep is not None:
        columns = {h: col.take(keep) if isinstance(col, Categorical) else col[keep] for h, col in columns.items()}
        lines = lines[keep]
    return RawTable(name, label, columns, lines, key)


def check_header(names: list[str], label: str, line: int, max_columns: int) -> tuple[list[Problem], dict[str, int]]:
    """The problems of a header (too many columns raises at once; unnamed and repeated columns are listed) and the
    position of each named column; linear in the width of the header.

    >>> problems, seen = check_header(["a", "", "a"], "t.csv", 1, 10)
    >>> [p.message for p in problems], seen
    (['column 2 has no name in the header', "the column 'a' appears twice in the header"], {'a': 0})
    """
    if len(names) > max_columns:
        raise DataError(
            [
                Problem(
                    f"the header has {len(names)} columns, more than the limit of {max_columns} "
                    "(DatasetLimits.max_columns)",
                    source=label,
                    line=line,
                )
            ]
        )
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, h in enumerate(names):
        if not h:
            problems.append(Problem(f"column {i + 1} has no name in the header", source=label, line=line))
        elif h in seen:
            problems.append(Problem(f"the column {h!r} appears twice in the header", source=label, line=line))
        else:
            seen[h] = i
    return problems, seen


_SEMICOLONS = (
    "the file is separated by semicolons (';'), as Excel saves CSV in the Indonesian locale: the format is "
    'comma-separated with a decimal point; in Excel use "Save As → CSV UTF-8 (Comma delimited)" with a point as '
    "the decimal separator, or export the workbook (.xlsx) and load that"
)


def _utf8(data: bytes, label: str) -> None:
    """Raise the problem of a file that is not UTF-8, at the line of its first bad byte (nothing if it is)."""
    try:
        data.decode("utf-8-sig")
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


def _record_end(data: bytes, start: int) -> int:
    """The offset of the newline ending the record that starts at ``start`` (``len(data)`` if none)."""
    quotes = 0
    at = start
    while True:
        nl = data.find(b"\n", at)
        if nl < 0:
            return len(data)
        quotes += data.count(b'"', at, nl)
        if quotes % 2 == 0:
            return nl
        at = nl + 1


class View:
    """The bytes of ``data`` from ``start`` on, without a copy."""

    def __init__(self, data: bytes, start: int) -> None:
        self.data = data
        self.start = start

    def __len__(self) -> int:
        return len(self.data) - self.start

    def has(self, pattern: bytes) -> bool:
        return self.data.find(pattern, self.start) >= 0

    def count(self, pattern: bytes) -> int:
        return self.data.count(pattern, self.start)

    def array(self) -> npt.NDArray[np.uint8]:
        return np.frombuffer(self.data, dtype=np.uint8, offset=self.start)

    def text(self) -> str:
        return self.data[self.start :].decode("utf-8")


def _read_arrow(
    body: View, width: int, label: str, data: bytes, *, multiline: bool
) -> tuple[Any, list[tuple[int, int, str]]]:
    """The body read by Arrow, every column as dictionary-encoded text, and the rows with the wrong number of cells
    as ``(record number among the non-empty records, cells, text)``; ``multiline``: some quoted cell holds a
    newline (Arrow then reads in order, else in parallel blocks)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(width)]
    text = pa.dictionary(pa.int32(), pa.string())
    convert = pacsv.ConvertOptions(column_types=dict.fromkeys(names, text), strings_can_be_null=False)

    def read(threads: bool, found: list[Any]) -> Any:
        def invalid_row(row: Any) -> str:
            found.append(row)
            return "skip"

        parse = pacsv.ParseOptions(newlines_in_values=multiline, invalid_row_handler=invalid_row)
        options = pacsv.ReadOptions(column_names=names, use_threads=threads, block_size=_BLOCK)
        try:
            buffer = pa.py_buffer(body.data).slice(body.start)
            return pacsv.read_csv(buffer, read_options=options, parse_options=parse, convert_options=convert)
        except pa.ArrowInvalid as exc:
            if "UTF8" in str(exc):
                _utf8(data, label)
            raise DataError([Problem(f"malformed CSV: {exc}", source=label)]) from None

    if not _VISIBLE.search(body.data, body.start):  # no row
        return pa.table({name: pa.array([], type=text) for name in names}), []
    found: list[Any] = []
    table = read(True, found)
    if not found:
        return table.unify_dictionaries(), []
    numbered: list[Any] = []  # read again in one thread: the rows are numbered only then
    table = read(False, numbered).unify_dictionaries()
    return table, [(int(row.number), int(row.actual_columns), str(row.text)) for row in numbered]


def _blank_row(text: str) -> bool:
    return not any(cell.strip() for row in csv.reader(io.StringIO(text, newline="")) for cell in row)


def _positions(body: View, byte: int) -> Ints:
    """Offsets of ``byte`` in ``body``, scanned a chunk at a time."""
    arr = body.array()
    parts = [np.flatnonzero(arr[at : at + _CHUNK] == byte) + at for at in range(0, len(arr), _CHUNK)]
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)


def _record_lines(body: View, label: str, first_line: int) -> tuple[Ints, bool]:
    """The physical line of each non-empty record of ``body`` (whose first line is ``first_line``), and whether a
    quoted cell holds a newline."""
    n = len(body)
    if not n:
        return np.empty(0, dtype=np.int64), False
    arr = body.array()
    newlines = _positions(body, ord("\n"))
    quotes = _positions(body, ord('"'))
    if len(quotes):
        if not _regular_quotes(body, quotes, newlines, label, first_line):
            return _lines_by_python(body, label, first_line), True
        inside = np.searchsorted(quotes, newlines) % 2 == 1
        ends = newlines[~inside]
    else:
        inside = np.zeros(0, dtype=bool)
        ends = newlines
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [n]))
    size = stops - starts
    carriage = (size == 1) & (arr[np.minimum(starts, n - 1)] == ord("\r"))
    nonempty = (size > 0) & ~carriage
    line_of_start = np.searchsorted(newlines, starts) + first_line  # newlines before the record's first byte
    out: Ints = line_of_start[nonempty]
    return out, bool(inside.any())


def _regular_quotes(body: View, quotes: Ints, newlines: Ints, label: str, first_line: int) -> bool:
    """Whether the quotes are as RFC 4180 has them (a quoted cell opens at the start of a cell and closes before a
    comma, a newline or the end; ``""`` inside is a quote), so that a newline is inside a cell exactly when an odd
    number of quotes precede it. A quote that is never closed is a malformed file."""
    arr = body.array()
    n = len(arr)
    opening = quotes[0::2]
    closing = quotes[1::2]
    before = np.where(opening > 0, arr[np.maximum(opening - 1, 0)], ord(","))
    escaped = np.zeros(len(opening), dtype=bool)  # the second quote of a "" pair
    escaped[1:] = opening[1:] - 1 == closing[: len(opening) - 1]
    bad_open = ~np.isin(before, (ord(","), ord("\n"))) & ~escaped
    after = np.where(closing + 1 < n, arr[np.minimum(closing + 1, n - 1)], ord(","))
    bad_close = ~np.isin(after, (ord(","), ord("\n"), ord("\r"), ord('"')))
    if bad_open.any() or bad_close.any():
        return False
    if len(quotes) % 2:
        line = int(np.searchsorted(newlines, quotes[-1])) + first_line
        raise DataError(
            [Problem("malformed CSV: unexpected end of data (a quoted cell is never closed)", source=label, line=line)]
        )
    return True


def _lines_by_python(body: View, label: str, first_line: int) -> Ints:
    """The lines of the non-empty records by Python's CSV reader (strict): for files with quotes inside unquoted
    cells, the rare case the byte scan does not decide."""
    reader = csv.reader(io.StringIO(body.text(), newline=""), strict=True)
    out: list[int] = []
    previous = 0
    try:
        for row in reader:
            if row:
                out.append(first_line + previous)
            previous = reader.line_num
    except csv.Error as exc:
        raise DataError(
            [Problem(f"malformed CSV: {exc}", source=label, line=first_line + reader.line_num - 1)]
        ) from None
    return np.asarray(out, dtype=np.int64)


def _categorical(column: Any) -> Categorical:
    """A dictionary-encoded Arrow column (one dictionary for all chunks) as codes into its distinct texts; read
    from Arrow's buffers (``to_numpy`` would import pandas, a second per process)."""
    chunks = column.chunks
    if not chunks:
        return Categorical(np.empty(0, dtype=np.int32), np.empty(0, dtype=object), True)
    parts = []
    for chunk in chunks:
        indices = chunk.indices
        buffer = indices.buffers()[1]
        parts.append(np.frombuffer(buffer, dtype=np.int32, count=len(indices), offset=indices.offset * 4))
    codes = parts[0].copy() if len(parts) == 1 else np.concatenate(parts)
    dictionary = chunks[0].dictionary
    texts = dictionary.to_pylist()
    values = np.empty(len(texts), dtype=object)
    values[:] = texts
    return Categorical(codes, values, True, plain_texts(dictionary))


def plain_texts(strings: Any) -> npt.NDArray[np.bool_]:
    """Per string of an Arrow string array: not empty, not null, and with a printable ASCII character (``!`` to
    ``~``) first and last, so ``str.strip`` leaves it as it is; from the offsets and bytes, no Python objects.

    >>> import pyarrow as pa
    >>> plain_texts(pa.array(["a", " a", "", None, "é", "a b"])).tolist()
    [True, False, False, False, False, True]
    """
    import pyarrow as pa

    n = len(strings)
    if not n:
        return np.zeros(0, dtype=bool)
    width = 8 if pa.types.is_large_string(strings.type) else 4
    validity, offset_buffer, data_buffer = strings.buffers()
    offsets = np.frombuffer(offset_buffer, dtype=f"<i{width}", count=n + 1, offset=strings.offset * width)
    data = np.zeros(1, dtype=np.uint8)
    if data_buffer is not None and data_buffer.size:
        data = np.frombuffer(data_buffer, dtype=np.uint8)
    starts, ends = offsets[:-1].astype(np.int64), offsets[1:].astype(np.int64)
    filled = ends > starts
    first = data[np.where(filled, starts, 0)]
    last = data[np.where(filled, ends - 1, 0)]
    out: npt.NDArray[np.bool_] = filled & (first >= 0x21) & (first <= 0x7E) & (last >= 0x21) & (last <= 0x7E)
    if strings.null_count:
        bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
        out &= bits[strings.offset : strings.offset + n].astype(bool)
    return out


def _not_blank(columns: list[Column], n: int) -> npt.NDArray[np.intp] | None:
    """The rows with a non-blank cell (``None`` where every row has one): a row of empty cells is a blank line."""
    blank: npt.NDArray[np.bool_] | None = None
    for col in columns:
        assert isinstance(col, Categorical)
        if col.plain is not None and bool(col.plain.all()):
            return None  # a column without an empty cell: no row is blank
        text = col.categories.astype(StringDType())
        empty = np.append(np.strings.str_len(np.strings.strip(text)) == 0, True)
        if not empty.any():
            return None
        rows = empty[col.codes]
        blank = rows if blank is None else blank & rows
        if not blank.any():
            return None
    if blank is None:
        return None
    return np.flatnonzero(~blank)
