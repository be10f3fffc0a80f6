"""Arrow arrays made from numpy buffers: the columns of a result table for ``to_arrow`` and Parquet.

``pyarrow.array`` looks for pandas on every call (and imports it where installed: a quarter of a second per
process); the arrays here are put together from their buffers instead — validity bitmaps, values, offsets — with
``Array.from_buffers``, and a column of few distinct values is taken from its distinct values by Arrow.

>>> import numpy as np
>>> import pyarrow as pa
>>> text_array(pa, np.array(["a", None, "é"], dtype=object)).to_pylist()
['a', None, 'é']
>>> integer_array(pa, np.array([3, None], dtype=object)).to_pylist()
[3, None]
>>> flag_array(pa, np.array([True, False, True])).to_pylist()
[True, False, True]
>>> coded_array(pa, np.array(["x", None], dtype=object), np.array([1, 0, 0])).to_pylist()
[None, 'x', 'x']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["coded_array", "flag_array", "integer_array", "text_array"]

Obj = npt.NDArray[np.object_]
_NONE = np.array(None, dtype=object)

#: The most bytes of text one Arrow ``string`` array holds (its offsets are 32-bit).
MAX_TEXT_BYTES = 2**31 - 1


def _present(values: Obj) -> npt.NDArray[np.bool_]:
    """Per cell: not ``None``."""
    out: npt.NDArray[np.bool_] = np.asarray(np.not_equal(values, _NONE), dtype=bool)
    return out


def _bitmap(pa: Any, valid: npt.NDArray[np.bool_]) -> Any:
    """A validity bitmap (``None`` where every cell is valid, as Arrow allows)."""
    if bool(valid.all()):
        return None
    return pa.py_buffer(np.packbits(valid, bitorder="little"))


def flag_array(pa: Any, values: npt.NDArray[np.bool_]) -> Any:
    """Booleans as an Arrow ``bool`` array (bits packed by numpy)."""
    bits = np.packbits(np.asarray(values, dtype=bool), bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bits)])


def integer_array(pa: Any, values: npt.NDArray[Any]) -> Any:
    """Integers (an integer array, or objects: ``int``, their decimal text, or ``None`` for a null) as an Arrow
    ``int64`` array."""
    if values.dtype.kind in "iu":
        numbers = values.astype(np.int64)
        return pa.Array.from_buffers(pa.int64(), len(numbers), [None, pa.py_buffer(numbers)])
    valid = _present(values)
    numbers = np.zeros(len(values), dtype=np.int64)
    numbers[valid] = [int(v) for v in values[valid].tolist()]
    return pa.Array.from_buffers(pa.int64(), len(values), [_bitmap(pa, valid), pa.py_buffer(numbers)])


def text_array(pa: Any, values: Obj) -> Any:
    """Text (``str``, ``None`` for a null) as an Arrow ``string`` array: each text encoded as UTF-8 once, the
    offsets summed by numpy; a chunked array where the text is beyond one array's 2 GiB."""
    valid = _present(values)
    texts: list[str] = (values[valid] if not valid.all() else values).tolist()
    lengths = np.zeros(len(values), dtype=np.int64)
    lengths[valid] = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    joined = "".join(texts).encode("utf-8")
    ascii_only = len(joined) == int(lengths.sum())  # then a text's length in characters is its length in bytes
    encoded = [joined] if ascii_only else [s.encode("utf-8") for s in texts]
    if not ascii_only:
        lengths[valid] = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if len(ends) else 0
    if total <= MAX_TEXT_BYTES:
        return _strings(pa, b"".join(encoded), np.concatenate([[0], ends]), valid)
    if ascii_only:
        encoded = [s.encode("utf-8") for s in texts]
    pieces: list[Any] = []
    start, used = 0, 0
    while start < len(values):  # the rows of each piece hold at most MAX_TEXT_BYTES
        stop = max(int(np.searchsorted(ends, used + MAX_TEXT_BYTES, side="right")), start + 1)
        first, last = int(np.count_nonzero(valid[:start])), int(np.count_nonzero(valid[:stop]))
        offsets = np.concatenate([[0], ends[start:stop] - used])
        pieces.append(_strings(pa, b"".join(encoded[first:last]), offsets, valid[start:stop]))
        start, used = stop, int(ends[stop - 1])
    return pa.chunked_array(pieces, type=pa.string())


def _strings(pa: Any, data: bytes, offsets: npt.NDArray[np.int64], valid: npt.NDArray[np.bool_]) -> Any:
    buffers = [_bitmap(pa, valid), pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(data)]
    return pa.Array.from_buffers(pa.string(), len(valid), buffers)


def coded_array(pa: Any, table: Obj, codes: npt.NDArray[np.integer[Any]]) -> Any:
    """Text given as its distinct values (``table``: ``str`` or ``None``) and each row's position in them (``-1``:
    the last entry, as numpy indexes) as an Arrow ``string`` array: the distinct values taken by Arrow."""
    positions = np.asarray(codes, dtype=np.int64) % len(table)
    indices = pa.Array.from_buffers(pa.int64(), len(positions), [None, pa.py_buffer(positions)])
    return text_array(pa, table).take(indices)
