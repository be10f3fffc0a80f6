"""CSV files into columns: Arrow's multi-threaded CSV reader, every cell read as text, no Python object per row.

Each column arrives dictionary-encoded (codes into its distinct texts, a
:class:`~asn_kinerja.dataset.columns.Categorical`), which is the form the validator works on; numbers are parsed
there, once per distinct text. The file is streamed: Arrow reads it in blocks, and one scan of its bytes a piece
at a time (NUL bytes, quotes) comes before; the whole file is never held in memory. Where each row starts in the
file (its physical line, right even when a quoted cell holds a newline) is found only when a problem names a row
(:class:`~asn_kinerja.dataset.lines.Lines`): a second scan with numpy, the positions of newlines and quotes, a
newline inside quotes being one with an odd number of quotes before it.

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
import ctypes
import io
import mmap
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
from numpy.dtypes import StringDType

from asn_kinerja.dataset import buffers
from asn_kinerja.dataset.columns import Categorical, arrow_take, code_type
from asn_kinerja.dataset.limits import DatasetLimits, check_file
from asn_kinerja.dataset.lines import Lines
from asn_kinerja.dataset.table import OWN_IDS, Column, RawTable
from asn_kinerja.errors import DataError, Problem

__all__ = ["check_header", "parse_csv", "read_csv"]

_BOM = b"\xef\xbb\xbf"
_VISIBLE = re.compile(rb"\S")
_CHUNK = 1 << 26  # bytes scanned at a time: the pieces and their byte masks stay small
_WINDOW = 1 << 20  # bytes of a mapped file searched at a time for NUL bytes, then quotes: a window that stays in
# the processor's cache for the second search, so the file's bytes come from memory once (2.4 GB of ratings:
# 0.32-0.34 s, against 0.36-0.49 s in windows of _CHUNK); at most half of _BLOCK, or a window's span would bound
# the longest record above what a block holds (see _Found, _block_size)
_BLOCK = 1 << 22  # bytes parsed by one thread at a time: small enough that the allocator reuses the memory of
# one block for the next (64 MiB blocks took fresh pages from the kernel for each: 2.6x the page faults at 1M)
_MAX_BLOCK = (1 << 31) - 1  # the largest block Arrow takes: a file with a record longer than a block is read again
# with blocks 8 times larger, up to this
Ints = npt.NDArray[np.int64]


def read_csv(
    path: Path, name: str, *, label: str | None = None, limits: DatasetLimits | None = None, key: str | None = None
) -> RawTable:
    """Read one CSV file into a :class:`RawTable` (size and kind of file checked before reading), streamed from the
    file: Arrow parses it in blocks, and the bytes are scanned a piece at a time, never held whole."""
    label = label or path.name
    limits = limits or DatasetLimits()
    size = check_file(path, label, limits.max_table_bytes)
    return _parse(_File(path, size, label), name, label, max_columns=limits.max_columns, key=key)


def parse_csv(data: bytes, name: str, label: str, *, max_columns: int = 1000, key: str | None = None) -> RawTable:
    """The bytes of a CSV file as a :class:`RawTable` of text cells with each row's line; one
    :class:`~asn_kinerja.DataError` lists the problems of the file's shape."""
    return _parse(_Bytes(data), name, label, max_columns=max_columns, key=key)


class _Bytes:
    """A CSV file held as bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.size = len(data)

    def read(self, at: int, n: int) -> bytes:
        return self.data[at : at + n]

    def arrow(self, at: int) -> Any:
        import pyarrow as pa

        return pa.py_buffer(self.data).slice(at)

    def survey(self, at: int) -> _Found:
        found = _Found(last=at - 1)
        found.add(self.data, at, self.size)
        found.longest = _longest_line(self.data, at)  # exact: the bytes are in memory
        return found


class _File:
    """A CSV file on disk, read a piece at a time (up to the size it had when it was checked). Each read checks
    that the file is still the one first read (same size, modification time and inode): the lines of a problem
    are found by reading it again, and a file changed in between would give wrong lines."""

    def __init__(self, path: Path, size: int, label: str) -> None:
        self.path = path
        self.size = size
        self.label = label
        self.stamp = _stamp(path.stat())

    def read(self, at: int, n: int) -> bytes:
        with self.path.open("rb") as fh:
            if _stamp(os.fstat(fh.fileno())) != self.stamp:
                raise DataError(
                    [
                        Problem(
                            "the file changed while it was being read or after: its rows can no longer be "
                            "located; read it again",
                            source=self.label,
                        )
                    ]
                )
            fh.seek(at)
            return fh.read(max(0, min(n, self.size - at)))

    def arrow(self, at: int) -> Any:
        import pyarrow as pa

        stream = pa.OSFile(str(self.path), memory_pool=_pool())
        stream.seek(at)
        return stream

    def survey(self, at: int) -> _Found:
        """What the bytes from ``at`` on hold (:class:`_Found`): searched in the file mapped into memory (no copy),
        a window at a time, each window let go of once searched."""
        found = _Found(last=at - 1)
        if at >= self.size:
            return found.end(self.size)
        page = mmap.ALLOCATIONGRANULARITY
        window = max(page, _WINDOW - _WINDOW % page)
        with self.path.open("rb") as fh, mmap.mmap(fh.fileno(), self.size, access=mmap.ACCESS_READ) as mapped:
            for start in range(at - at % page, self.size, window):
                stop = min(start + window, self.size)
                found.add(mapped, max(start, at), stop)
                if hasattr(mapped, "madvise"):
                    mapped.madvise(mmap.MADV_DONTNEED, start, stop - start)
                if found.nul:
                    break
        return found.end(self.size)


@attrs.define
class _Found:
    """What a search of a body, a window at a time, found: a NUL byte, a quote, a visible character, and a bound
    on the length of its longest line (``longest``, bytes: no line is longer). A line between the first and the
    last newline of a window is no longer than the distance between them; any other, than the distance between
    the last newline of a window and the first of a later one: two searches a window, each stopping at the first
    newline it meets."""

    nul: bool = False
    quoted: bool = False
    visible: bool = False
    longest: int = 0
    last: int = -1  # the offset of the last newline found so far (at first: the byte before the body)

    def add(self, data: Any, start: int, stop: int) -> None:
        """Search ``data[start:stop]``, the window after the one searched before."""
        self.nul = self.nul or data.find(b"\x00", start, stop) >= 0
        self.quoted = self.quoted or data.find(b'"', start, stop) >= 0
        self.visible = self.visible or _VISIBLE.search(data, start, stop) is not None
        first = data.find(b"\n", start, stop)
        if first >= 0:
            last = data.rfind(b"\n", start, stop)
            self.longest = max(self.longest, first - self.last, last - first)
            self.last = last

    def end(self, size: int) -> _Found:
        """The findings once the body (up to ``size``) is searched: the bytes after the last newline are a line."""
        self.longest = max(self.longest, size - 1 - self.last)
        return self


Source = _Bytes | _File


def _stamp(st: os.stat_result) -> tuple[int, int, int, int]:
    """What identifies a version of a file: its device, inode, size and modification time."""
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _parse(src: Source, name: str, label: str, *, max_columns: int, key: str | None) -> RawTable:
    head, start, head_end = _head(src, label)
    header_line = head.count(b"\n", 0, start) + 1
    try:
        header_text = head[start:head_end].decode("utf-8")
    except UnicodeDecodeError:
        _utf8(src, label)
        raise  # pragma: no cover - _utf8 raised
    try:
        header = next(csv.reader(io.StringIO(header_text, newline=""), strict=True), [])
    except csv.Error as exc:
        raise DataError([Problem(f"malformed CSV: {exc}", source=label, line=header_line)]) from None
    names = [h.strip() for h in header]
    if len(names) == 1 and ";" in names[0] and b"," not in head[start:head_end]:
        raise DataError([Problem(_SEMICOLONS, source=label, line=header_line)])
    problems, seen = check_header(names, label, header_line, max_columns)
    body = min(head_end + 1, src.size)
    first_line = header_line + head.count(b"\n", start, body)
    del head
    shape = _survey(src, body, label)
    own = seen.get(OWN_IDS.get(name, ""))  # the table's own ids: read as plain text, see _own_ids
    arrow, invalid = _read_arrow(src, body, len(names), label, shape, own)
    scan = _RecordScan(src, body, first_line, label)
    record_lines = shape.lines
    if invalid:
        record_lines = scan.records() if record_lines is None else record_lines
        for number, actual, text in invalid:
            if _blank_row(text):
                continue  # a blank line
            line = int(record_lines[number - 1])
            problems.append(Problem(f"{actual} cells where the header has {len(names)}", source=label, line=line))
    if problems:
        raise DataError(problems)
    n = arrow.num_rows
    columns = _columns(arrow, seen)
    del arrow
    _give_back()
    keep = _not_blank(list(columns.values()), n)
    if keep is not None:
        columns = {h: col.take(keep) if isinstance(col, Categorical) else col[keep] for h, col in columns.items()}
    scan.skipped = np.array([number - 1 for number, _, _ in invalid], dtype=np.int64)
    scan.rows, scan.keep = n, keep
    # Lines found already are kept as they are; else they are found when a problem asks for one.
    lines = scan.select(record_lines) if record_lines is not None else Lines(n if keep is None else len(keep), scan)
    return RawTable(name, label, columns, lines, key)


def _head(src: Source, label: str) -> tuple[bytes, int, int]:
    """The first bytes of the file up to the end of its header record, the header's offset (after a BOM and empty
    lines) and its end; a NUL byte there, or an empty file, is the problem raised."""
    n = min(1 << 16, _CHUNK)
    while True:
        head = src.read(0, n)
        whole = len(head) >= src.size
        if b"\x00" in head:
            _utf8(src, label)  # a binary file is first of all not UTF-8
            raise DataError([Problem(_NUL, source=label)])
        start = len(_BOM) if head.startswith(_BOM) else 0
        while start < len(head) and head[start] in b"\r\n":  # empty lines before the header
            start += 1
        if start >= len(head) and whole:
            raise DataError([Problem("the file is empty: a header row is required", source=label)])
        end = _record_end(head, start) if start < len(head) else len(head)
        if end < len(head) or whole:
            return head, start, end
        n *= 4


_NUL = "the file contains NUL bytes: not a text CSV file"


def _pieces(src: Source, at: int) -> Iterator[tuple[int, bytes]]:
    """The bytes of ``src`` from ``at`` on, as ``(offset, piece)``: about :data:`_CHUNK` bytes each, every piece
    but the last ending with a newline outside quotes (a newline preceded by an even number of quotes in the
    piece), so that each piece holds whole records."""
    carry = b""
    while at + len(carry) < src.size:
        block = src.read(at + len(carry), _CHUNK)
        if not block:  # pragma: no cover - the file shrank while read
            break
        data = carry + block if carry else block
        cut = _last_record_end(data)
        if cut < 0:
            carry = data
            continue
        yield at, data[: cut + 1]
        at += cut + 1
        carry = data[cut + 1 :]
    if carry:
        yield at, carry


def _last_record_end(data: bytes) -> int:
    """The offset of the last newline of ``data`` after an even number of quotes (-1 if none)."""
    last = data.rfind(b"\n")
    if last < 0 or b'"' not in data:
        return last
    arr = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(arr == ord("\n"))
    quotes = np.flatnonzero(arr == ord('"'))
    outside = np.flatnonzero(np.searchsorted(quotes, newlines) % 2 == 0)
    return int(newlines[outside[-1]]) if len(outside) else -1


def _line_at(src: Source, offset: int) -> int:
    """The physical line holding byte ``offset`` of the file."""
    count = 0
    for at in range(0, offset, _CHUNK):
        count += src.read(at, min(_CHUNK, offset - at)).count(b"\n")
    return count + 1


@attrs.define
class _Shape:
    """What a scan of the body found before Arrow reads it: whether it has a non-blank character, whether a
    quoted cell holds a newline, and the records' lines where they had to be found by Python's reader."""

    visible: bool = False
    multiline: bool = False
    lines: Ints | None = None
    #: No record is longer than this (bytes); ``None`` where that is not known (quotes not as RFC 4180 has them).
    longest: int | None = 0


def _survey(src: Source, body: int, label: str) -> _Shape:
    """A search of the body for NUL bytes (a problem raised), quotes, a visible character and its longest line;
    where there are quotes, a pass over them (:func:`_quotes`)."""
    found = src.survey(body)
    if found.nul:
        _utf8(src, label)
        raise DataError([Problem(_NUL, source=label)])
    shape = _Shape(visible=found.visible, longest=found.longest)
    if found.quoted:
        _quotes(src, body, label, shape)
    return shape


def _quotes(src: Source, body: int, label: str, shape: _Shape) -> None:
    """The quotes of the body, a piece of whole records at a time: a quote that is never closed is a problem
    raised; quoted newlines set ``shape.multiline``; quotes not as RFC 4180 has them make Python's strict reader
    find the lines (``shape.lines``: the rare case the byte scan does not decide). ``shape.longest`` becomes the
    longest record's length (a record of quoted newlines spans lines), or ``None`` where Python's reader decides."""
    for at, piece in _pieces(src, body):
        if b'"' not in piece:
            continue
        arr = np.frombuffer(piece, dtype=np.uint8)
        newlines = np.flatnonzero(arr == ord("\n"))
        quotes = np.flatnonzero(arr == ord('"'))
        regular = _regular_quotes(arr, quotes)
        if regular is None:
            text = src.read(body, src.size - body).decode("utf-8")
            shape.lines = _lines_by_python(text, label, _line_at(src, body))
            shape.multiline, shape.longest = True, None
            return
        if regular >= 0:
            raise DataError(
                [
                    Problem(
                        "malformed CSV: unexpected end of data (a quoted cell is never closed)",
                        source=label,
                        line=_line_at(src, at + regular),
                    )
                ]
            )
        inside = np.searchsorted(quotes, newlines) % 2 == 1  # a newline after an odd number of quotes: in a cell
        if inside.any():
            shape.multiline = True
            ends = np.concatenate(([-1], newlines[~inside], [len(piece) - 1]))  # each piece ends a record
            shape.longest = max(shape.longest or 0, int(np.diff(ends).max()))


class _RecordScan:
    """Finds the lines of a table's rows (for :class:`~asn_kinerja.dataset.lines.Lines`): a second pass over the
    file, made only when a problem names a row. ``skipped`` are the records Arrow skipped (wrong number of cells),
    ``keep`` the rows that are not blank (``None``: all), ``rows`` the number of rows Arrow read."""

    def __init__(self, src: Source, body: int, first_line: int, label: str) -> None:
        self.src, self.body, self.first_line, self.label = src, body, first_line, label
        self.skipped = np.empty(0, dtype=np.int64)
        self.rows = 0
        self.keep: npt.NDArray[np.intp] | None = None

    def records(self) -> Ints:
        """The line of each non-empty record of the body."""
        parts: list[Ints] = []
        line = self.first_line
        for _, piece in _pieces(self.src, self.body):
            parts.append(_record_lines(piece, self.label, line))
            line += piece.count(b"\n")
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

    def select(self, records: Ints) -> Ints:
        """The lines of the rows kept, from the lines of the records."""
        lines = np.delete(records, self.skipped) if len(self.skipped) else records
        if len(lines) != self.rows:  # pragma: no cover - the scan and Arrow disagree on the rows
            raise DataError([Problem("malformed CSV: rows could not be located in the file", source=self.label)])
        out: Ints = lines if self.keep is None else lines[self.keep]
        return out

    def __call__(self) -> Ints:
        return self.select(self.records())


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


def _utf8(src: Source, label: str) -> None:
    """Raise the problem of a file that is not UTF-8, at the line of its first bad byte (nothing if it is);
    decoded a piece at a time, each cut after a newline (never inside a character)."""
    at = 0
    while at < src.size:
        data = src.read(at, _CHUNK)
        data = data[: _text_end(data) if at + len(data) < src.size else len(data)]
        skip = len(_BOM) if at == 0 and data.startswith(_BOM) else 0
        try:
            data[skip:].decode("utf-8")
        except UnicodeDecodeError as exc:
            offset = at + skip + exc.start
            raise DataError(
                [
                    Problem(
                        f"not UTF-8 text (byte 0x{data[skip + exc.start]:02x} at offset {offset}); save the file as "
                        "UTF-8 (it may be Windows-1252/Latin-1)",
                        source=label,
                        line=_line_at(src, offset),
                    )
                ]
            ) from None
        at += len(data)


def _text_end(data: bytes) -> int:
    """Where to cut a block of UTF-8 bytes so that no character is split: after its last newline, else before the
    first byte of its last character (at least 1)."""
    cut = data.rfind(b"\n") + 1
    if cut:
        return cut
    cut = len(data)
    while cut > max(1, len(data) - 3) and data[cut - 1] & 0xC0 == 0x80:  # continuation bytes
        cut -= 1
    return max(1, cut - 1)


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


def _read_arrow(
    src: Source, body: int, width: int, label: str, shape: _Shape, own: int | None = None
) -> tuple[Any, list[tuple[int, int, str]]]:
    """The body read by Arrow, every column as dictionary-encoded text (but the column at position ``own``, the
    table's own ids, as plain text), and the rows with the wrong number of cells as ``(record number among the
    non-empty records, cells, text)``; where some quoted cell holds a newline (``shape.multiline``) Arrow reads in
    order, else in parallel blocks. Arrow does not check each cell's UTF-8 (a tenth of its time on a national
    ratings file); :func:`_utf8_texts` checks the texts it kept, each distinct text of a block once.

    A parallel read is never stopped midway: pyarrow before 25 can abort or hang when the process exits after
    one was (tasks of the stopped read left in its thread pool). Its blocks are made longer than the longest
    record (``shape.longest``), so Arrow never meets a record straddling two, and nothing in a cell can fail to
    convert (text, UTF-8 checked after); where the longest record is not known the file is read in one thread,
    with larger blocks after a straddling record."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(width)]
    text = pa.dictionary(pa.int32(), pa.string())
    types = dict.fromkeys(names, text)
    if own is not None:
        types[names[own]] = pa.string()
    convert = pacsv.ConvertOptions(column_types=types, strings_can_be_null=False, check_utf8=False)

    def read(threads: bool, found: list[Any]) -> Any:
        def invalid_row(row: Any) -> str:
            found.append(row)
            return "skip"

        parse = pacsv.ParseOptions(newlines_in_values=shape.multiline, invalid_row_handler=invalid_row)
        block = _block_size(shape.longest)
        while True:
            options = pacsv.ReadOptions(column_names=names, use_threads=threads, block_size=block)
            try:
                return pacsv.read_csv(
                    src.arrow(body),
                    read_options=options,
                    parse_options=parse,
                    convert_options=convert,
                    memory_pool=_pool(),
                )
            except pa.ArrowInvalid as exc:
                if "straddl" in str(exc) and block < _MAX_BLOCK:  # a record longer than a block: larger blocks
                    found.clear()
                    block = min(block * 8, _MAX_BLOCK)
                    continue
                raise DataError([Problem(f"malformed CSV: {exc}", source=label)]) from None

    if not shape.visible:  # no row
        return pa.table({name: pa.array([], type=types[name]) for name in names}), []
    found: list[Any] = []
    # in parallel where every record is known to fit in a block (of at most _MAX_BLOCK bytes)
    table = read(shape.longest is not None and 2 * shape.longest <= _MAX_BLOCK, found)
    if not _utf8_texts(table):
        del table
        _utf8(src, label)  # the problem at the line of the first bad byte
        raise DataError([Problem("not UTF-8 text", source=label)])  # pragma: no cover - _utf8 raised
    if not found:
        return table, []
    del table
    numbered: list[Any] = []  # read again in one thread: the rows are numbered only then
    table = read(False, numbered)
    return table, [(int(row.number), int(row.actual_columns), str(row.text)) for row in numbered]


def _longest_line(data: bytes, at: int) -> int:
    """The length of the longest line of ``data[at:]``, its newline counted (bytes).

    >>> _longest_line(b"ab\\ncdef\\ng", 0), _longest_line(b"", 0)
    (5, 0)
    """
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8, offset=at) == ord("\n"))
    return int(np.diff(ends, prepend=-1, append=len(data) - at - 1).max())


def _block_size(longest: int | None) -> int:
    """The bytes Arrow parses at a time: :data:`_BLOCK`, or eight times larger until a block holds twice the
    longest record (where it is known), up to :data:`_MAX_BLOCK`.

    >>> _block_size(100) == _BLOCK, _block_size(None) == _BLOCK, _block_size(_BLOCK) == 8 * _BLOCK
    (True, True, True)
    """
    block = _BLOCK
    while longest is not None and block < 2 * longest and block < _MAX_BLOCK:
        block = min(block * 8, _MAX_BLOCK)
    return block


def _utf8_texts(table: Any) -> bool:
    """Whether every text of a table Arrow read without checking UTF-8 is UTF-8: the distinct texts of each block
    (its dictionary) and the plain texts (a table's own ids), each checked by Arrow's full validation.

    >>> import io, pyarrow as pa, pyarrow.csv as pacsv
    >>> text = pa.dictionary(pa.int32(), pa.string())
    >>> options = pacsv.ConvertOptions(column_types={"a": pa.string(), "b": text}, check_utf8=False)
    >>> _utf8_texts(pacsv.read_csv(io.BytesIO(b"a,b\\nx,y\\n"), convert_options=options))
    True
    >>> _utf8_texts(pacsv.read_csv(io.BytesIO(b"a,b\\nx,\\xe9t\\xe9\\n"), convert_options=options))
    False
    >>> _utf8_texts(pacsv.read_csv(io.BytesIO(b"a,b\\n\\xe9,y\\n"), convert_options=options))
    False
    """
    import pyarrow as pa

    for column in table.columns:
        for chunk in column.chunks:
            texts = chunk.dictionary if pa.types.is_dictionary(chunk.type) else chunk
            try:
                texts.validate(full=True)
            except pa.ArrowInvalid:
                return False
    return True


def _give_back() -> None:
    """Give the memory freed after reading a file back to the system. While a file is read, the C allocator keeps
    the memory of each block for the next (few fresh pages, which cost kernel time); once it is read, glibc would
    keep that memory in its per-thread arenas, where the arrays of the validation (larger, made by the main
    thread) cannot use it: a national dataset held ~1 GB more. A no-op where the C library is not glibc."""
    if not sys.platform.startswith("linux"):
        return
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # pragma: no cover - another C library
        return
    trim(0)


def _pool() -> Any:
    """Arrow's memory pool for reading: the system allocator, which gives the memory of a table back to the
    system once it is freed (Arrow's default pool keeps it: a third more peak memory for a large dataset)."""
    import pyarrow as pa

    return pa.system_memory_pool()


def _columns(arrow: Any, seen: dict[str, int]) -> dict[str, Column]:
    """The named columns of Arrow's table as :class:`Categorical` columns, each column's Arrow arrays let go of
    as soon as it is converted."""
    by_position = {i: h for h, i in seen.items()}
    columns: dict[str, Column] = {}
    for i in range(arrow.num_columns):
        column = arrow.column(0)
        plain, chunks = str(column.type) == "string", column.chunks  # plain: a table's own ids
        arrow = arrow.remove_column(0)
        del column
        if i in by_position:
            columns[by_position[i]] = _own_ids(chunks) if plain else categorical_from_chunks(chunks)
        del chunks
    return {h: columns[h] for h in seen}


def _blank_row(text: str) -> bool:
    return not any(cell.strip() for row in csv.reader(io.StringIO(text, newline="")) for cell in row)


def _record_lines(piece: bytes, label: str, first_line: int) -> Ints:
    """The physical line of each non-empty record of ``piece`` (whole records whose quotes are as RFC 4180 has
    them, its first line ``first_line``)."""
    n = len(piece)
    if not n:
        return np.empty(0, dtype=np.int64)
    arr = np.frombuffer(piece, dtype=np.uint8)
    newlines = np.flatnonzero(arr == ord("\n"))
    if b'"' in piece:
        quotes = np.flatnonzero(arr == ord('"'))
        ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0]
    else:
        ends = newlines
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [n]))
    size = stops - starts
    carriage = (size == 1) & (arr[np.minimum(starts, n - 1)] == ord("\r"))
    nonempty = (size > 0) & ~carriage
    line_of_start = np.searchsorted(newlines, starts) + first_line  # newlines before the record's first byte
    out: Ints = line_of_start[nonempty]
    return out


def _regular_quotes(arr: npt.NDArray[np.uint8], quotes: Ints) -> int | None:
    """Whether the quotes of a piece of whole records are as RFC 4180 has them (a quoted cell opens at the start
    of a cell and closes before a comma, a newline or the end; ``""`` inside is a quote), so that a newline is
    inside a cell exactly when an odd number of quotes precede it: ``None`` if not, else the offset of a quote
    that is never closed, or -1."""
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
        return None
    return int(quotes[-1]) if len(quotes) % 2 else -1


def _lines_by_python(text: str, label: str, first_line: int) -> Ints:
    """The lines of the non-empty records by Python's CSV reader (strict): for files with quotes inside unquoted
    cells, the rare case the byte scan does not decide."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
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


def categorical_from_chunks(chunks: list[Any]) -> Categorical:
    """Dictionary-encoded Arrow chunks with ``int32`` indices (each chunk with its own dictionary of texts and no null
    in it: the blocks of a CSV file, the row groups of a Parquet column) as codes into the distinct texts of all of
    them, in order of first appearance (``-1`` for a null): one array of codes, as narrow as the distinct values allow
    (:func:`~asn_kinerja.dataset.columns.code_type`), written chunk by chunk, each chunk let go of once written (the
    list is emptied); read from Arrow's buffers (``to_numpy`` would import pandas, a second per process). Arrow's
    ``unify_dictionaries`` and a concatenation would make two more arrays of the column's length. A single chunk keeps
    Arrow's indices where they are as wide as the codes must be (no copy); its dictionary is taken as distinct (the
    caller checks one that may not be).

    >>> import pyarrow as pa
    >>> chunks = [pa.array(["b", None]).dictionary_encode(), pa.array(["a", "b"]).dictionary_encode()]
    >>> column = categorical_from_chunks(chunks)
    >>> column.codes.tolist(), column.categories.tolist()
    ([0, -1, 1, 0], ['b', 'a'])
    """
    if not chunks:
        return Categorical(np.empty(0, dtype=np.int8), np.empty(0, dtype=object), True)
    if len(chunks) == 1:
        dictionary, to_global = chunks[0].dictionary, None
    else:  # one dictionary for all, and each entry's code in it
        dictionary, to_global = _global_dictionary([chunk.dictionary for chunk in chunks])
    wide = code_type(len(dictionary))
    if to_global is None and wide == np.int32 and not chunks[0].indices.null_count:
        codes = buffers.int32s(chunks[0].indices)
    else:
        codes = _codes(chunks, to_global, wide)
    chunks.clear()
    # The texts stay in Arrow until Python strings are asked for: ids that are only looked up never are.
    return Categorical(codes, None, True, plain_texts(dictionary), arrow=dictionary)


def _codes(
    chunks: list[Any], to_global: npt.NDArray[np.int32] | None, wide: type[np.signedinteger[Any]]
) -> npt.NDArray[np.signedinteger[Any]]:
    """The chunks' indices written one after another as ``wide`` codes (through ``to_global``, each dictionary
    entry's code in the one dictionary, where given; ``-1`` for a null), each chunk let go of once written."""
    table = None if to_global is None else to_global.astype(wide, copy=False)
    codes = np.empty(sum(len(chunk) for chunk in chunks), dtype=wide)
    at = entry = 0
    for k, chunk in enumerate(chunks):
        local = buffers.int32s(chunk.indices)
        into = codes[at : at + len(local)]
        if not len(chunk.dictionary):
            into[:] = -1  # every index of the chunk a null
        elif table is None:
            into[:] = local
        else:
            # a dictionary's indices are in range: "clip" spares numpy the copy of ``out`` it makes to raise safely
            # (and keeps the undefined index of a null in range until it is set below)
            np.take(table[entry : entry + len(chunk.dictionary)], local, out=into, mode="clip")
            entry += len(chunk.dictionary)
        if chunk.indices.null_count:
            into[~buffers.validity(chunk.indices)] = -1
        at += len(local)
        chunks[k] = None  # its buffers are freed now
        del chunk, local
    return codes


def _own_ids(chunks: list[Any]) -> Categorical:
    """A table's own id column, read as plain text: where no id repeats (the usual case, decided from Arrow's
    buffers), each row its own category, the ids themselves the categories (no hashing by Arrow, no codes to map);
    else dictionary-encoded as any other column, for validation to name the repeated id."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from asn_kinerja.dataset.frames import distinct_strings

    strings = chunks[0] if len(chunks) == 1 else pa.chunked_array(chunks, type=pa.string()).combine_chunks(_pool())
    chunks.clear()
    if distinct_strings(strings):
        codes = np.arange(len(strings), dtype=np.int32)
        return Categorical(codes, None, True, plain_texts(strings), arrow=strings, identity=True)
    return categorical_from_chunks([pc.dictionary_encode(strings, memory_pool=_pool())])


def _global_dictionary(dictionaries: list[Any]) -> tuple[Any, npt.NDArray[np.int32]]:
    """The chunks' dictionaries as one, in order of first appearance, and the code of each of their entries in it.
    Where equal entries are only ever next to each other, an entry is new where it differs from the one before: one
    comparison each, no hash table. That holds wherever the entries left after dropping each repeat of the one before
    are distinct (:func:`~asn_kinerja.dataset.frames.known_distinct`: in ascending order, as a key column often is,
    or with distinct numpy hashes, as ids in runs in any order are: the ratings of one employee after another). Else
    the entries are hashed into a table (``dictionary_encode``). Either way the same dictionary and codes.

    >>> import pyarrow as pa
    >>> dictionary, codes = _global_dictionary([pa.array(["A1", "A2"]), pa.array(["A2", "A3"])])
    >>> dictionary.to_pylist(), codes.tolist()
    (['A1', 'A2', 'A3'], [0, 1, 1, 2])
    >>> dictionary, codes = _global_dictionary([pa.array(["b", "a"]), pa.array(["a", "c"])])
    >>> dictionary.to_pylist(), codes.tolist()
    (['b', 'a', 'c'], [0, 1, 1, 2])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from asn_kinerja.dataset.frames import known_distinct

    joined = pa.concat_arrays(dictionaries)
    n = len(joined)
    new = np.ones(n, dtype=bool)
    new[1:] = buffers.flags(pc.not_equal(joined.slice(0, max(n - 1, 0)), joined.slice(1), memory_pool=_pool()))
    heads = joined if new.all() else arrow_take(joined, np.flatnonzero(new))
    if not _repeats_apart(heads) and known_distinct(heads):
        to_global: npt.NDArray[np.int32] = np.cumsum(new, dtype=np.int32)
        to_global -= 1
        return heads, to_global
    del heads
    encoded = pc.dictionary_encode(joined, memory_pool=_pool())
    return encoded.dictionary, buffers.int32s(encoded.indices)


#: The entries :func:`_repeats_apart` looks at: enough to span many blocks' dictionaries, few enough to be cheap.
_SAMPLE = 1 << 16


def _repeats_apart(heads: Any) -> bool:
    """Whether one of the first :data:`_SAMPLE` of the entries (each already differing from the one before) repeats
    an earlier one: then the entries are not in runs (raters, say, each in many blocks), and hashing them all to
    tell would be wasted.

    >>> import pyarrow as pa
    >>> _repeats_apart(pa.array(["a", "b", "a"])), _repeats_apart(pa.array(["b", "a", "c"]))
    (True, False)
    """
    import pyarrow.compute as pc

    first = heads.slice(0, _SAMPLE)  # pc.unique: a third of the time of pc.count_distinct, same count here
    return len(pc.unique(first, memory_pool=_pool())) < len(first)


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
