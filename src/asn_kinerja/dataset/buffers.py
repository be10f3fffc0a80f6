"""Arrow arrays read as numpy arrays from their buffers: a view where the values are stored as numpy stores them,
no Python object per value, and no pandas (Arrow's ``to_numpy`` of some arrays imports it, a second per process).

>>> import pyarrow as pa
>>> values(pa.array([1, 2, 3], type=pa.int32())[1:]).tolist(), validity(pa.array([1, None, 3])).tolist()
([2, 3], [True, False, True])
>>> flags(pa.array([True, False, True])[1:]).tolist()
[False, True]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["flags", "int32s", "validity", "values"]


def values(arr: Any) -> npt.NDArray[np.generic]:
    """The values of a numeric Arrow array without nulls (a view of its data buffer)."""
    import pyarrow as pa

    letter = "f" if pa.types.is_floating(arr.type) else "u" if pa.types.is_unsigned_integer(arr.type) else "i"
    dtype = np.dtype(f"<{letter}{arr.type.byte_width}")
    if not len(arr):
        return np.empty(0, dtype=dtype)
    out: npt.NDArray[np.generic] = np.frombuffer(
        arr.buffers()[1], dtype=dtype, count=len(arr), offset=arr.offset * dtype.itemsize
    )
    return out


def int32s(arr: Any) -> npt.NDArray[np.int32]:
    """The values of an Arrow int32 array (a dictionary's indices, ``index_in``'s positions), nulls aside."""
    out: npt.NDArray[np.int32] = values(arr)  # type: ignore[assignment]
    return out


def validity(arr: Any) -> npt.NDArray[np.bool_]:
    """Per value of an Arrow array: not null (from its validity bitmap)."""
    if not arr.null_count:
        return np.ones(len(arr), dtype=bool)
    return _bitmap(arr.buffers()[0], arr.offset, len(arr))


def flags(arr: Any) -> npt.NDArray[np.bool_]:
    """The values of an Arrow boolean array without nulls (from its bitmap)."""
    if not len(arr):
        return np.zeros(0, dtype=bool)
    return _bitmap(arr.buffers()[1], arr.offset, len(arr))


def _bitmap(buffer: Any, offset: int, n: int) -> npt.NDArray[np.bool_]:
    bits = np.unpackbits(np.frombuffer(buffer, dtype=np.uint8), count=offset + n, bitorder="little")
    out: npt.NDArray[np.bool_] = bits[offset:].view(bool)
    return out
