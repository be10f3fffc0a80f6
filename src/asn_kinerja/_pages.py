"""Memory pages for the command line's large arrays.

numpy asks the Linux kernel for transparent huge pages for each large array (``madvise``). Where the kernel then
compacts memory to find them (``/sys/kernel/mm/transparent_hugepage/defrag`` set to ``madvise``, a common
default) and memory is fragmented, every fresh array of a national run waits for it: evaluating 1 000 000 employees
spent 11–12 s of kernel time on it against 2.4–2.8 s with ordinary pages, for the same work (user time 2.4–2.9 s
either way), on the project's 2-core benchmark machine. The command line therefore asks numpy for ordinary pages,
unless the environment variable ``NUMPY_MADVISE_HUGEPAGE`` (numpy's own switch) says what to do. A program that
uses the library can do the same by setting that variable to ``0`` before numpy is imported.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

__all__ = ["page_choice", "prefer_small_pages"]

#: numpy's own switch, read when numpy is imported; where it is set, it is left to decide.
ENVIRONMENT = "NUMPY_MADVISE_HUGEPAGE"


def _switch() -> Any:
    """numpy's runtime switch of huge pages (``None`` where this numpy has none)."""
    return getattr(importlib.import_module("numpy._core.multiarray"), "_set_madvise_hugepage", None)


def prefer_small_pages() -> bool:
    """Ask numpy not to request huge pages for the arrays made from now on in this process, unless
    ``NUMPY_MADVISE_HUGEPAGE`` is set; whether huge pages were requested before (``False`` where the environment
    decides or numpy has no switch). Results are the same either way; only the kernel's work differs.

    >>> import os
    >>> before = prefer_small_pages()
    >>> _switch()(False) if ENVIRONMENT not in os.environ else False  # the switch now reads "no huge pages"
    False
    """
    switch = _switch()
    if ENVIRONMENT in os.environ or switch is None:
        return False
    return bool(switch(False))


def page_choice() -> str:
    """:func:`prefer_small_pages` as the command line calls it, then which pages this process uses, in words (what
    the benchmarks report beside their figures).

    >>> page_choice() in {"ordinary (as the command line)", f"{ENVIRONMENT}={os.environ.get(ENVIRONMENT)}"}
    True
    """
    if ENVIRONMENT in os.environ:
        return f"{ENVIRONMENT}={os.environ[ENVIRONMENT]}"
    prefer_small_pages()
    return "ordinary (as the command line)"
