"""Where each row of a table came from in its file, found only when a problem needs it.

A CSV file of 40 million ratings would need 160–320 MB to keep every row's line number, for the few rows (usually
none) that a problem names. :class:`Lines` holds instead how to find them — a scan of the file, made on first use
and then kept — so the line of a row costs nothing until a problem asks for it.

>>> lines = Lines(3, lambda: np.array([2, 3, 5]))
>>> len(lines), lines[2], lines.tolist()
(3, 5, [2, 3, 5])
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

__all__ = ["Lines"]

LineArray = npt.NDArray[np.int64] | npt.NDArray[np.int32]


class Lines:
    """The physical line of each of ``count`` rows, computed by ``find`` (an array of ``count`` line numbers, or
    an error saying why the rows cannot be located) the first time one is asked for, and kept. ``find`` is called
    at most once; it must be picklable for a dataset to be sent to other processes (a module-level callable
    object, not a closure)."""

    def __init__(self, count: int, find: Callable[[], LineArray]) -> None:
        self._count = count
        self._find = find
        self._found: LineArray | None = None

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, row: int | np.integer) -> int:
        return int(self.array()[row])

    def array(self) -> LineArray:
        """Every row's line (found now if not yet)."""
        if self._found is None:
            self._found = self._find()
        return self._found

    def tolist(self) -> list[int]:
        return [int(x) for x in self.array()]

    @property
    def found(self) -> bool:
        """Whether the lines have been looked for (a scan of the file made)."""
        return self._found is not None
